//! Names the gazetteer does not know, proposed by rules as a "possible" tier: 《titles》,
//! organization suffixes, people introduced by a role or a speech verb, media cited as a
//! source, and Latin brand names. Each says why it was proposed.

use std::collections::BTreeMap;

use super::occurrences::occurrences;
use super::{Entity, EntityKind, Mention, Tier, clause_start, is_han};
use crate::segment::Segmenter;

/// Organization suffixes and the kind they suggest.
const SUFFIXES: &[(&str, EntityKind)] = &[
    ("集团", EntityKind::Company),
    ("公司", EntityKind::Company),
    ("科技", EntityKind::Company),
    ("银行", EntityKind::Company),
    ("证券", EntityKind::Company),
    ("创投", EntityKind::Company),
    ("资本", EntityKind::Company),
    ("基金", EntityKind::Company),
    ("控股", EntityKind::Company),
    ("保险", EntityKind::Company),
    ("大学", EntityKind::Organization),
    ("学院", EntityKind::Organization),
    ("研究院", EntityKind::Organization),
    ("研究所", EntityKind::Organization),
    ("委员会", EntityKind::Organization),
    ("协会", EntityKind::Organization),
    ("基金会", EntityKind::Organization),
    ("医院", EntityKind::Organization),
    ("日报", EntityKind::Media),
    ("晚报", EntityKind::Media),
    ("商报", EntityKind::Media),
    ("时报", EntityKind::Media),
    ("周刊", EntityKind::Media),
    ("电视台", EntityKind::Media),
    ("通讯社", EntityKind::Media),
];

/// Words that make "X公司" generic rather than a name.
const GENERIC: &[&str] = &[
    "这",
    "该",
    "此",
    "其",
    "每",
    "各",
    "本",
    "我",
    "你",
    "他",
    "她",
    "它",
    "这家",
    "那家",
    "一家",
    "某",
    "多家",
    "两家",
    "几家",
    "大",
    "小",
    "子",
    "母",
    "分",
    "总",
    "新",
    "老",
    "旗下",
    "上市",
    "互联网",
    "网络",
    "国有",
    "民营",
    "外资",
    "合资",
    "投资",
    "金融",
    "电商",
    "物流",
    "传媒",
    "文化",
    "医疗",
    "教育",
    "游戏",
    "能源",
    "科技",
    "技术",
    "服务",
    "咨询",
    "管理",
    "头部",
    "大型",
    "中小",
    "私人",
    "商业",
    "股份",
    "有限",
    "全球",
    "国内",
    "海外",
    "美国",
    "中国",
    "外国",
    "本土",
    "初创",
    "创业",
    "独角兽",
    "知名",
    "相关",
    "同类",
    "其他",
    "不少",
    "很多",
    "许多",
    "部分",
    "所有",
    "几个",
    "一些",
    "大厂",
    "中厂",
    "人工智能",
    "智能",
    "新能源",
    "的",
    "了",
    "和",
    "与",
    "是",
    "在",
    "等",
    "及",
    "为",
    "被",
    "对",
];

/// Roles that introduce a person: 创始人雷军.
const ROLES: &[&str] = &[
    "经济学家",
    "研究员",
    "董事",
    "行长",
    "部长",
    "主席",
    "市长",
    "省长",
    "局长",
    "理事长",
    "秘书长",
    "总监",
    "律师",
    "博士",
    "联合创始人",
    "创始人",
    "董事长",
    "首席执行官",
    "总裁",
    "总经理",
    "CEO",
    "CTO",
    "CFO",
    "负责人",
    "合伙人",
    "院长",
    "教授",
    "主任",
    "分析师",
    "发言人",
];

/// Verbs that follow a speaker: 雷军表示.
const SPEECH: &[&str] = &[
    "表示", "指出", "透露", "坦言", "直言", "强调", "认为", "回应",
];

/// Common Chinese surnames (single characters) and a few two-character ones.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";
pub(super) const DOUBLE_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "端木",
];

/// Words a brand-like Latin token must not be: acronyms and words of business prose.
pub(super) const LATIN_STOP: &[&str] = &[
    "AI", "APP", "App", "PPT", "GMV", "CEO", "CFO", "CTO", "COO", "IPO", "GDP", "CPI", "PMI",
    "MAU", "DAU", "KOL", "KOC", "UGC", "PGC", "API", "SDK", "USB", "PDF", "VR", "AR", "IT", "PC",
    "TV", "VIP", "ID", "OK", "Talk", "Pro", "Max", "Plus", "Mini", "Ultra", "Air", "Lite", "The",
    "And", "Inc", "Ltd", "Co", "Vlog", "Blog", "Web", "Online", "Live", "News", "Video", "Music",
    "Game", "Games", "Beta", "Alpha", "Top", "New", "Hot", "Up", "Tips", "Day", "Plan", "Team",
    "Global", "China", "Chinese", "Hello", "Yes", "No", "Wow", "LOL", "OMG",
];

/// Possible entities in `text` that do not overlap `taken` (known mentions, sorted) and are not
/// already among `known`.
pub fn discover(
    text: &str,
    segmenter: &Segmenter,
    taken: &[Mention],
    known: &[Entity],
) -> Vec<Entity> {
    let mut found: Vec<Candidate> = Vec::new();
    book_titles(text, &mut found);
    let starts = Starts::find(text);
    suffixed(text, segmenter, &starts.suffixes, &mut found);
    people(text, &starts.roles, &starts.speech, &mut found);
    cited_media(text, &starts.cues, &mut found);
    latin_brands(text, &mut found);

    let overlaps = |m: Mention| {
        let i = taken.partition_point(|t| t.end <= m.start);
        taken.get(i).is_some_and(|t| t.start < m.end)
    };
    let known_names: std::collections::HashSet<&str> =
        known.iter().map(|e| e.name.as_str()).collect();
    let mut groups: BTreeMap<String, (EntityKind, String, Vec<Mention>)> = BTreeMap::new();
    for c in found {
        if overlaps(c.mention) || known_names.contains(c.name.as_str()) {
            continue;
        }
        let group = groups
            .entry(c.name.clone())
            .or_insert_with(|| (c.kind, c.reason.clone(), Vec::new()));
        group.2.push(c.mention);
    }
    // A name proposed once by a rule is also found wherever else it is written: one pass
    // over the text for all of them.
    let names: Vec<&String> = groups.keys().collect();
    let elsewhere = super::occurrences::everywhere(text, &names, |m| !overlaps(m));
    // A title spreads to bare occurrences only when it is unlikely to be an ordinary word: 《球》
    // is not every 球, and a two-character title counts bare only as a word of its own (《长安》, not 长安街).
    let mut words = super::WindowCache::default();
    groups
        .into_iter()
        .zip(elsewhere)
        .map(|((name, (kind, reason, mut mentions)), mut more)| {
            if kind == EntityKind::Work {
                let n = name.chars().count();
                more.retain(|&m| {
                    in_book_marks(text, m)
                        || n >= 3
                        || (n == 2 && words.is_word(text, m.start, m.end, segmenter))
                });
            }
            mentions.extend(more);
            mentions.sort();
            mentions.dedup_by(|a, b| a.start < b.end && b.start < a.end);
            Entity {
                name,
                kind,
                tier: Tier::Possible,
                reason: Some(reason),
                owner: None,
                mentions,
            }
        })
        .collect()
}

/// Words before which a name is cited as a source: 路透社援引.
const CITE_CUES: &[&str] = &["援引", "引用", "消息称"];

/// Where each word the rules look for starts, found in one pass over the text.
struct Starts {
    suffixes: Vec<Vec<usize>>,
    roles: Vec<Vec<usize>>,
    speech: Vec<Vec<usize>>,
    cues: Vec<Vec<usize>>,
}

impl Starts {
    fn find(text: &str) -> Self {
        let words: Vec<&str> = SUFFIXES
            .iter()
            .map(|s| s.0)
            .chain(ROLES.iter().chain(SPEECH).chain(CITE_CUES).copied())
            .collect();
        let mut suffixes = occurrences(text, &words);
        let mut roles = suffixes.split_off(SUFFIXES.len());
        let mut speech = roles.split_off(ROLES.len());
        let cues = speech.split_off(SPEECH.len());
        Self {
            suffixes,
            roles,
            speech,
            cues,
        }
    }
}

struct Candidate {
    name: String,
    kind: EntityKind,
    reason: String,
    mention: Mention,
}

/// 《三体》 → work 三体.
fn book_titles(text: &str, out: &mut Vec<Candidate>) {
    for (open, _) in text.match_indices('《') {
        let inner_start = open + '《'.len_utf8();
        let rest = super::head_chars(&text[inner_start..], 32);
        let Some(close) = rest.find('》') else {
            continue;
        };
        let inner = &rest[..close];
        let chars = inner.chars().count();
        if chars == 0 || chars > 30 || inner.contains(['\n', '《']) {
            continue;
        }
        out.push(Candidate {
            name: inner.to_string(),
            kind: EntityKind::Work,
            reason: "title in 《》".into(),
            mention: Mention {
                start: inner_start,
                end: inner_start + inner.len(),
            },
        });
    }
    // Text cut mid-title: a sentence that starts with `X》` and no 《 before it.
    for (close, _) in text.match_indices('》') {
        let Some(start) = sentence_start_before(text, close, 30) else {
            continue;
        };
        let inner = text[start..close].trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '“' | '"' | '「' | '『' | '（' | '(' | '‘')
        });
        if inner.is_empty() || inner.contains(['》', '“', '”']) {
            continue;
        }
        out.push(Candidate {
            name: inner.to_string(),
            kind: EntityKind::Work,
            reason: "title cut at the start: X》".into(),
            mention: Mention {
                start: close - inner.len(),
                end: close,
            },
        });
    }
}

/// Where the sentence holding `at` starts, if it is at most `max` characters back and has no
/// 《, 》 or clause break (`，`) on the way.
fn sentence_start_before(text: &str, at: usize, max: usize) -> Option<usize> {
    let mut start = at;
    for (n, (i, c)) in text[..at].char_indices().rev().enumerate() {
        if matches!(c, '。' | '！' | '？' | '!' | '?' | '\n' | '…') {
            return Some(start);
        }
        if n >= max || matches!(c, '《' | '》' | '，' | ',' | '；' | ';' | '、') {
            return None;
        }
        start = i;
    }
    Some(start)
}

/// Whether `m` is written between 《 and 》.
fn in_book_marks(text: &str, m: Mention) -> bool {
    text[..m.start].ends_with('《') && text[m.end..].starts_with('》')
}

/// 金沙江创投, 红杉资本: the words right before an organization suffix.
/// `starts`: where each of [`SUFFIXES`] starts.
fn suffixed(text: &str, segmenter: &Segmenter, starts: &[Vec<usize>], out: &mut Vec<Candidate>) {
    for (&(suffix, kind), starts) in SUFFIXES.iter().zip(starts) {
        for &at in starts {
            let window_start = clause_start(text, at);
            if window_start == at {
                continue;
            }
            let words = segmenter.tagged(&text[window_start..at]);
            // Take one or two nouns back (place names, nouns, abbreviations, Latin words): a
            // conjunction, verb or numeral in front means a phrase, not a name.
            let mut start = at;
            for &(o, w, tag) in words.iter().rev().take(2) {
                let nounish = tag.starts_with('n') || tag == "eng" || tag == "j";
                if !nounish || w.chars().count() < 2 || GENERIC.contains(&w) {
                    break;
                }
                start = o + window_start;
                if text[start..at].chars().count() >= 3 {
                    break;
                }
            }
            let prefix = &text[start..at];
            let n = prefix.chars().count();
            if !(2..=8).contains(&n) || GENERIC.contains(&prefix) {
                continue;
            }
            let end = at + suffix.len();
            out.push(Candidate {
                name: text[start..end].to_string(),
                kind,
                reason: format!("suffix {suffix}"),
                mention: Mention { start, end },
            });
        }
    }
}

/// Whether `s` starts with a common surname.
pub(super) fn is_surname(s: &str) -> bool {
    DOUBLE_SURNAMES.iter().any(|d| s.starts_with(d))
        || s.chars().next().is_some_and(|c| SURNAMES.contains(c))
}

/// 2–3 character names starting with a common surname, after a role or before a speech verb.
/// `role_starts`, `speech_starts`: where each of [`ROLES`] and [`SPEECH`] starts.
fn people(
    text: &str,
    role_starts: &[Vec<usize>],
    speech_starts: &[Vec<usize>],
    out: &mut Vec<Candidate>,
) {
    let surname = is_surname;
    for (role, starts) in ROLES.iter().zip(role_starts) {
        for &at in starts {
            let start = at + role.len();
            let name: String = text[start..]
                .chars()
                .take_while(|&c| is_han(c))
                .take(3)
                .collect();
            let mut name = trim_name(&name);
            // 分析师李明指出: a two-character name right before a speech verb.
            if name.chars().count() == 3 {
                let two = name.char_indices().nth(2).map_or(name.len(), |(i, _)| i);
                if SPEECH.iter().any(|v| text[start + two..].starts_with(v)) {
                    name = &name[..two];
                }
            }
            if name.chars().count() >= 2 && surname(name) {
                push_person(out, start, name, format!("after {role}"));
            }
        }
    }
    for (verb, starts) in SPEECH.iter().zip(speech_starts) {
        for &at in starts {
            if let Some(start) = mixed_script_name(text, at) {
                out.push(Candidate {
                    name: text[start..at].to_string(),
                    kind: EntityKind::Media,
                    reason: format!("mixed-script name before {verb}"),
                    mention: Mention { start, end: at },
                });
                continue;
            }
            let before: Vec<(usize, char)> = text[..at]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| is_han(c))
                .take(4)
                .collect();
            // Prefer a 3-character name whose first character is a surname.
            for len in [3, 2] {
                if before.len() < len {
                    continue;
                }
                let start = before[len - 1].0;
                let name = &text[start..at];
                let boundary_before = before.len() == len
                    || text[..start].ends_with(['据', '，', '。', '说'])
                    || ROLES.iter().any(|r| text[..start].ends_with(r));
                if surname(name) && boundary_before {
                    push_person(out, start, name, format!("before {verb}"));
                    break;
                }
            }
        }
    }
}

/// Self-media accounts often mix scripts (`值接Talk`, `科技ABC`): 1–4 Han characters and a
/// Latin word, standing at the start of a clause. Returns where such a name ending at `end`
/// starts.
fn mixed_script_name(text: &str, end: usize) -> Option<usize> {
    let head = &text[..end];
    let latin = head.len()
        - head
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric())
            .len();
    if latin < 2 {
        return None;
    }
    let han_end = end - latin;
    let han: Vec<(usize, char)> = text[..han_end]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_han(c))
        .take(5)
        .collect();
    if han.is_empty() || han.len() > 4 {
        return None;
    }
    let start = han[han.len() - 1].0;
    let clause_start = text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !is_han(c) && !c.is_ascii_alphanumeric());
    clause_start.then_some(start)
}

/// Drops trailing function characters that follow a name: 雷军在 → 雷军.
fn trim_name(name: &str) -> &str {
    let mut n = name;
    while let Some(c) = n.chars().last() {
        if "在也则曾已就是的和与说称将".contains(c) && n.chars().count() > 2 {
            n = &n[..n.len() - c.len_utf8()];
        } else {
            break;
        }
    }
    n
}

fn push_person(out: &mut Vec<Candidate>, start: usize, name: &str, reason: String) {
    out.push(Candidate {
        name: name.to_string(),
        kind: EntityKind::Person,
        reason,
        mention: Mention {
            start,
            end: start + name.len(),
        },
    });
}

/// 据彭博社报道, 路透社援引: the outlet cited as a source.
/// `cue_starts`: where each of [`CITE_CUES`] starts.
fn cited_media(text: &str, cue_starts: &[Vec<usize>], out: &mut Vec<Candidate>) {
    for (at, _) in text.match_indices('据') {
        let start = at + '据'.len_utf8();
        let rest = super::head_chars(&text[start..], 14);
        let Some(end) = rest.find("报道") else {
            continue;
        };
        let name = &rest[..end];
        let n = name.chars().count();
        if (2..=10).contains(&n) && name.chars().all(|c| is_han(c) || c.is_ascii_alphanumeric()) {
            out.push(Candidate {
                name: name.to_string(),
                kind: EntityKind::Media,
                reason: "cited: 据…报道".into(),
                mention: Mention {
                    start,
                    end: start + name.len(),
                },
            });
        }
    }
    for (cue, starts) in CITE_CUES.iter().zip(cue_starts) {
        for &at in starts {
            let before = &text[clause_start(text, at)..at];
            for tail in ["社", "报", "网", "台", "新闻", "财经", "媒体", "电视"] {
                if before.ends_with(tail) {
                    let n = before.chars().count();
                    if (2..=10).contains(&n) {
                        out.push(Candidate {
                            name: before.to_string(),
                            kind: EntityKind::Media,
                            reason: format!("cited: …{cue}"),
                            mention: Mention {
                                start: at - before.len(),
                                end: at,
                            },
                        });
                    }
                    break;
                }
            }
        }
    }
}

/// More words that say a Latin word is a product or a company, besides [`super::CUES`].
const LATIN_CUES: &[&str] = &[
    "产品",
    "工具",
    "款",
    "开源",
    "版本",
    "开发商",
    "浏览器",
    "插件",
    "游戏",
    "服务",
];

/// Cues that make a Latin name a company when they follow it (`OpenAI的CEO`, `Stripe公司`).
const COMPANY_CUES: &[&str] = &[
    "公司",
    "集团",
    "旗下",
    "CEO",
    "创始人",
    "股价",
    "财报",
    "市值",
    "融资",
    "上市",
];

/// The cue word within eight characters either side of `m`, in the same sentence.
fn cue_near(text: &str, m: Mention, cues: &[&'static str]) -> Option<&'static str> {
    let before = super::tail_chars(&text[..m.start], 8);
    let after = super::head_chars(&text[m.end..], 8);
    let stop = |s: &str| s.contains(['。', '！', '？', '\n']);
    cues.iter().copied().find(|cue| {
        after.find(cue).is_some_and(|i| !stop(&after[..i]))
            || before.rfind(cue).is_some_and(|i| !stop(&before[i..]))
    })
}

/// A company cue right after `m`, maybe after 的: `OpenAI的CEO`, `Stripe公司`.
fn company_cue(text: &str, m: Mention) -> Option<&'static str> {
    let after = text[m.end..].trim_start();
    let after = after.strip_prefix('的').unwrap_or(after).trim_start();
    COMPANY_CUES.iter().copied().find(|c| after.starts_with(c))
}

/// DeepSeek, iPhone: mixed-case Latin words standing in Chinese text. Being capitalized is no
/// evidence (`Starbucks见面`): a cue word must be near (`发布`, `CEO`, `平台`, `这款`), or the
/// word stands in Chinese text three times or more.
fn latin_brands(text: &str, out: &mut Vec<Candidate>) {
    let bytes = text.as_bytes();
    let mut words: BTreeMap<&str, Vec<Mention>> = BTreeMap::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        let word = &text[i..j];
        let upper = word.bytes().filter(u8::is_ascii_uppercase).count();
        let lower = word.bytes().filter(u8::is_ascii_lowercase).count();
        let inner_capital = word.bytes().skip(1).any(|b| b.is_ascii_uppercase());
        let near_cjk = text[..i].chars().next_back().is_some_and(is_han)
            || text[j..].chars().next().is_some_and(is_han);
        if word.len() >= 3
            && upper > 0
            && lower > 0
            && (inner_capital || near_cjk)
            && !LATIN_STOP.contains(&word)
        {
            words
                .entry(word)
                .or_default()
                .push(Mention { start: i, end: j });
        }
        i = j.max(i + 1);
    }
    let cues: Vec<&'static str> = super::CUES.iter().chain(LATIN_CUES).copied().collect();
    for (word, mentions) in words {
        let company = mentions.iter().find_map(|&m| company_cue(text, m));
        let cued = mentions.iter().find_map(|&m| cue_near(text, m, &cues));
        let (kind, reason) = match (company, cued) {
            (Some(cue), _) => (EntityKind::Company, format!("Latin name before {cue}")),
            (None, Some(cue)) => (EntityKind::Product, format!("Latin name near {cue}")),
            (None, None) if mentions.len() >= 3 => (
                EntityKind::Product,
                "Latin name, three times in Chinese text".to_string(),
            ),
            (None, None) => continue,
        };
        for m in mentions {
            out.push(Candidate {
                name: word.to_string(),
                kind,
                reason: reason.clone(),
                mention: m,
            });
        }
    }
}

/// Characters of transliterated foreign names (杰克, 乔布斯, 托尔斯泰, 德约科维奇).
const TRANSLIT: &str = "阿埃艾爱安昂奥澳巴拜班邦保鲍贝本比彼毕宾滨波伯博勃布查彻达戴丹道德登邓迪蒂丁东杜敦顿多厄恩尔法凡范菲斐费芬丰冯弗伏福富盖甘冈刚高戈哥格葛根古瓜圭哈海汉豪赫黑亨洪侯胡华怀惠霍基吉加贾杰捷金津卡凯坎康考柯科克肯孔库夸奎昆拉莱赖兰朗劳勒雷蕾里理丽利莉列林琳伶隆卢鲁路伦罗洛玛马麦迈曼芒毛梅美门蒙孟米密明莫默姆穆纳娜南内尼妮涅宁纽努诺欧帕潘庞佩彭皮平珀普奇齐恰乔切钦琴丘萨塞赛桑瑟森沙莎山尚绍舍申圣施什史舒斯松苏索塔泰坦汤唐陶特滕提廷通图托瓦万旺威韦维温文沃乌伍武西希锡席夏肖谢辛休雅亚扬耶叶伊因英尤约泽扎詹茨策兹芙娃琪黛露苔薇丝莲夫雪茜卓贞珍卜佐蒲柏欣娅奈俄垂茵蕊琼瑞罕易汀思雍娴蓓蓉芮买力热合木依江孜得治墨雨果龙那简翰逊芭嘉";

/// Characters that often follow a name and end it whatever jieba cuts: 奥沙利文说.
const FOLLOWERS: &str = "的在是和与也曾将被把对说等为就还又已从向给让同跟以及";

/// Words of transliteration characters that stand before a name: 富豪高塔姆·阿达尼.
const NAME_LEADS: &[&str] = &["富豪", "美女"];

/// Dots between the parts of a transliterated name: 杰克·伦敦, J·K·罗琳.
const NAME_DOTS: &[char] = &['·', '•', '・', '‧'];

/// Words that end a government body's name (宁波市政府, 美国海军, 上海市第一中级人民法院).
const GOV_SUFFIXES: &[&str] = &[
    "政府",
    "人大",
    "政协",
    "法院",
    "检察院",
    "委员会",
    "委会",
    "海军",
    "陆军",
    "空军",
    "国会",
    "议会",
    "议院",
    "国务院",
    "办事处",
    "办公厅",
    "局",
    "部",
    "委",
    "厅",
    "署",
    "办",
];

/// Words ending like a government body that are not one (东部, 干部, 格局, 餐厅, 部署).
const GOV_STOP: &[&str] = &[
    "东部",
    "西部",
    "南部",
    "北部",
    "中部",
    "内部",
    "外部",
    "全部",
    "局部",
    "干部",
    "俱乐部",
    "总部",
    "本部",
    "分部",
    "支部",
    "头部",
    "底部",
    "顶部",
    "腹部",
    "背部",
    "面部",
    "一部",
    "这部",
    "那部",
    "每部",
    "格局",
    "当局",
    "结局",
    "布局",
    "大局",
    "邮局",
    "饭局",
    "开局",
    "终局",
    "骗局",
    "时局",
    "出局",
    "变局",
    "棋局",
    "平局",
    "僵局",
    "残局",
    "餐厅",
    "客厅",
    "大厅",
    "展厅",
    "门厅",
    "舞厅",
    "歌厅",
    "部署",
    "签署",
    "创办",
    "举办",
    "主办",
    "开办",
    "承办",
    "民办",
    "公办",
    "包办",
    "怎么办",
];

/// Administrative levels between a place and its government (宁波市政府, 香港特区政府).
const LEVELS: &[&str] = &[
    "省",
    "市",
    "县",
    "区",
    "州",
    "镇",
    "乡",
    "村",
    "自治区",
    "自治州",
    "自治县",
    "特区",
    "特别行政区",
    "新区",
    "地区",
];

/// Units of a known company or organization: 新浪房产, 腾讯研究院, 招商银行深圳分行.
const UNITS: &[(&str, EntityKind)] = &[
    ("分公司", EntityKind::Company),
    ("子公司", EntityKind::Company),
    ("银行", EntityKind::Company),
    ("证券", EntityKind::Company),
    ("房产", EntityKind::Company),
    ("分行", EntityKind::Organization),
    ("支行", EntityKind::Organization),
    ("研究院", EntityKind::Organization),
    ("研究所", EntityKind::Organization),
    ("实验室", EntityKind::Organization),
    ("事业部", EntityKind::Organization),
    ("事业群", EntityKind::Organization),
];

/// Words after `X银行` that make it a market category rather than a unit (申万银行指数).
const MARKET_WORDS: &[&str] = &["指数", "板块", "行业", "概念", "股", "ETF", "业"];

/// A longer name made by [`reshape`] out of known mentions and the text around them.
struct Made {
    name: String,
    kind: EntityKind,
    reason: String,
    owner: Option<String>,
    mention: Mention,
}

/// Where the rules know better than the gazetteer's separate matches (issue 13, item 6): a
/// transliterated name with `·` is one person (杰克·伦敦 has no 伦敦 in it), a place followed
/// by a government body's words is that body (宁波市政府, not 宁波 and a leftover), and a known
/// name with a unit's suffix is that unit (新浪房产, owned by 新浪). The known mentions inside
/// such a name are no longer counted; the longer names join as possible entities.
/// `places`: every match of a place in the gazetteer, in order.
pub(super) fn reshape(
    text: &str,
    gazetteer: &super::Gazetteer,
    segmenter: &Segmenter,
    places: &[Mention],
    entities: &mut Vec<Entity>,
) {
    let mut r = Reshaping::new(entities);
    dotted_names(text, gazetteer, segmenter, &mut r);
    government_bodies(text, places, segmenter, &mut r);
    units(text, gazetteer, segmenter, &mut r);
    r.finish(entities);
}

/// What [`reshape`]'s rules share: the known mentions as they were (sorted, for quick overlap
/// queries), the spans the new names claim, and the names.
struct Reshaping {
    /// Known mentions with their entity's index and kind, sorted.
    known: Vec<(Mention, usize, EntityKind)>,
    /// The longest known mention, in bytes.
    longest: usize,
    /// Spans of the new names, sorted and disjoint: the known mentions inside them go.
    claimed: Vec<Mention>,
    /// Known persons written in full (莱昂内尔·梅西 for 梅西): entity index and span.
    extended: Vec<(usize, Mention)>,
    made: Vec<Made>,
}

impl Reshaping {
    fn new(entities: &[Entity]) -> Self {
        let mut known: Vec<(Mention, usize, EntityKind)> = entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.mentions.iter().map(move |&m| (m, i, e.kind)))
            .collect();
        known.sort_by_key(|k| k.0);
        let longest = known.iter().map(|k| k.0.end - k.0.start).max().unwrap_or(0);
        Self {
            known,
            longest,
            claimed: Vec::new(),
            extended: Vec::new(),
            made: Vec::new(),
        }
    }

    /// The known mentions that overlap `span`.
    fn known_overlapping(
        &self,
        span: Mention,
    ) -> impl Iterator<Item = &(Mention, usize, EntityKind)> {
        let from = self
            .known
            .partition_point(|k| k.0.start + self.longest <= span.start);
        self.known[from..]
            .iter()
            .take_while(move |k| k.0.start < span.end)
            .filter(move |k| k.0.end > span.start)
    }

    /// Whether a known mention crosses an edge of `span` (starts inside and ends outside, or
    /// the reverse).
    fn straddled(&self, span: Mention) -> bool {
        self.known_overlapping(span)
            .any(|k| k.0.start < span.start || k.0.end > span.end)
    }

    /// Whether `m` overlaps a span claimed already.
    fn is_claimed(&self, m: Mention) -> bool {
        let i = self.claimed.partition_point(|c| c.end <= m.start);
        self.claimed.get(i).is_some_and(|c| c.start < m.end)
    }

    /// Claims `span` (not claimed yet) for a new name.
    fn claim(&mut self, span: Mention) {
        let i = self.claimed.partition_point(|c| c.start < span.start);
        self.claimed.insert(i, span);
    }

    /// Drops the known mentions inside claimed spans, writes extended persons in full, and
    /// adds the new names as possible entities.
    fn finish(self, entities: &mut Vec<Entity>) {
        if self.claimed.is_empty() {
            return;
        }
        let inside = |m: &Mention| {
            let i = self.claimed.partition_point(|c| c.start <= m.start);
            i > 0 && m.end <= self.claimed[i - 1].end
        };
        for e in entities.iter_mut() {
            e.mentions.retain(|m| !inside(m));
        }
        for &(i, span) in &self.extended {
            entities[i].mentions.push(span);
            entities[i].mentions.sort();
        }
        entities.retain(|e| !e.mentions.is_empty());
        let mut made = self.made;
        made.sort_by(|a, b| a.name.cmp(&b.name).then(a.mention.cmp(&b.mention)));
        for group in made.chunk_by(|a, b| a.name == b.name) {
            let first = &group[0];
            let mut mentions: Vec<Mention> = group.iter().map(|m| m.mention).collect();
            mentions.dedup();
            entities.push(Entity {
                name: first.name.clone(),
                kind: first.kind,
                tier: Tier::Possible,
                reason: Some(first.reason.clone()),
                owner: first.owner.clone(),
                mentions,
            });
        }
    }

    /// Claims `span` for a new name.
    fn make(&mut self, made: Made) {
        self.claim(made.mention);
        self.made.push(made);
    }
}

/// Word boundaries of the clause that holds `from..to`.
fn clause_boundaries(text: &str, from: usize, to: usize, segmenter: &Segmenter) -> Vec<usize> {
    let ws = clause_start(text, from);
    let we = super::clause_end(text, to);
    segmenter
        .boundaries(&text[ws..we])
        .into_iter()
        .map(|b| b + ws)
        .collect()
}

/// The part of a dotted name that ends at `at` (the dot): Latin letters, or up to six
/// transliteration characters, starting at a word boundary. Returns its start.
fn part_before(
    text: &str,
    at: usize,
    gazetteer: &super::Gazetteer,
    segmenter: &Segmenter,
) -> Option<usize> {
    let latin = text[..at]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if latin > 0 {
        let start = at - latin;
        let glued = text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit());
        return (!glued).then_some(start);
    }
    let run: Vec<usize> = text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| TRANSLIT.contains(c))
        .take(6)
        .map(|(i, _)| i)
        .collect();
    let mut start = *run.last()?;
    if text[..start].chars().next_back().is_some_and(is_han) && segmenter.may_straddle(text, start)
    {
        // 德国总理安格拉·默克尔 (理 is also in 理查德): start where a word starts.
        let bounds = clause_boundaries(text, start, at, segmenter);
        start = *bounds.iter().find(|&&b| b >= start && b < at)?;
    }
    // 印度富豪高塔姆·阿达尼, 俄罗斯富豪: words before the name made of the same characters.
    loop {
        let part = &text[start..at];
        let lead = part.char_indices().skip(2).map(|(i, _)| i).find(|&n| {
            NAME_LEADS.contains(&&part[..n])
                || entry_of(gazetteer, &part[..n], &[EntityKind::Place]).is_some()
        });
        match lead {
            Some(n) => start += n,
            None => break,
        }
    }
    Some(start)
}

/// The part of a dotted name that starts at `from` (after the dot); returns its end.
fn part_after(text: &str, from: usize, segmenter: &Segmenter) -> Option<usize> {
    let latin = text[from..]
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if latin > 0 {
        let end = from + latin;
        let glued = text[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
        return (!glued).then_some(end);
    }
    let mut end = from;
    for (i, c) in text[from..].char_indices().take(6) {
        if !TRANSLIT.contains(c) {
            break;
        }
        end = from + i + c.len_utf8();
    }
    if end == from {
        return None;
    }
    let next = text[end..].chars().next();
    if next.is_some_and(|c| is_han(c) && !FOLLOWERS.contains(c))
        && segmenter.may_straddle(text, end)
    {
        // 乔丹加盟: end where a word ends (but 奥沙利文说 is not 奥沙利 and 文说).
        let bounds = clause_boundaries(text, from, end, segmenter);
        end = *bounds.iter().rev().find(|&&b| b <= end && b > from)?;
    }
    Some(end)
}

/// Whether `at` is inside a 《title》 (《黑神话·悟空》 is a work, not a person).
fn in_title(text: &str, at: usize) -> bool {
    let line = &text[text[..at].rfind('\n').map_or(0, |i| i + 1)..at];
    match (line.rfind('《'), line.rfind('》')) {
        (Some(open), close) => close.is_none_or(|c| c < open),
        _ => false,
    }
}

/// 杰克·伦敦, 史蒂夫·乔布斯, J·K·罗琳: parts of transliteration characters (or Latin letters)
/// joined by dots are one person; the places and companies inside are not mentioned.
fn dotted_names(
    text: &str,
    gazetteer: &super::Gazetteer,
    segmenter: &Segmenter,
    r: &mut Reshaping,
) {
    let mut done = 0;
    for (at, dot) in text.match_indices(NAME_DOTS) {
        if at < done || in_title(text, at) {
            continue;
        }
        let Some(start) = part_before(text, at, gazetteer, segmenter) else {
            continue;
        };
        let mut parts = vec![(start, at)];
        let mut from = at + dot.len();
        while let Some(end) = part_after(text, from, segmenter) {
            parts.push((from, end));
            match text[end..].chars().next() {
                Some(c) if NAME_DOTS.contains(&c) => from = end + c.len_utf8(),
                _ => break,
            }
        }
        let end = parts.last().map_or(at, |p| p.1);
        done = end;
        let han = |&(s, e): &(usize, usize)| text[s..e].chars().all(is_han);
        let long = |&(s, e): &(usize, usize)| text[s..e].chars().count() >= 2;
        // 俄罗斯·莫斯科 is a dateline: places on both sides.
        let place = |&(s, e): &(usize, usize)| {
            entry_of(gazetteer, &text[s..e], &[EntityKind::Place]).is_some()
        };
        if parts.len() < 2
            || !parts.iter().any(han)
            || !parts.iter().any(long)
            || parts.iter().filter(|p| han(p)).all(place)
        {
            continue;
        }
        let span = Mention { start, end };
        if r.straddled(span) || r.is_claimed(span) {
            continue;
        }
        // A known person inside (莱昂内尔·梅西 with 梅西 known): that person, written in full.
        let person = r
            .known_overlapping(span)
            .find(|k| k.2 == EntityKind::Person)
            .map(|k| k.1);
        if let Some(person) = person {
            r.claim(span);
            r.extended.push((person, span));
            continue;
        }
        r.make(Made {
            name: text[start..end].to_string(),
            kind: EntityKind::Person,
            reason: "transliterated name with ·".into(),
            owner: None,
            mention: span,
        });
    }
}

/// Roles jieba glues to a body (市委书记, 市委常委): the body's length in bytes and suffix.
fn body_before_role(word: &str) -> Option<(usize, &'static str)> {
    const ROLE_TAILS: &[&str] = &[
        "书记",
        "副书记",
        "常委",
        "主任",
        "副主任",
        "委员",
        "局长",
        "部长",
        "厅长",
        "发言人",
    ];
    ROLE_TAILS.iter().find_map(|role| {
        let body = word.strip_suffix(role)?;
        let suffix = GOV_SUFFIXES.iter().copied().find(|s| body.ends_with(s))?;
        (body.chars().count() >= 2).then_some((body.len(), suffix))
    })
}

/// A word that may stand between a place and its government body's suffix: a level (市, 特区),
/// a noun (公安, 人民), a place (天河区), 第一, 中级.
fn body_middle(word: &str, tag: &str) -> bool {
    LEVELS.contains(&word)
        || (tag.starts_with('n') && tag != "nr")
        || matches!(tag, "j" | "vn" | "b")
        || (tag == "m" && word.starts_with('第'))
}

/// The government suffix `word` ends with, if it names a body (公安局, 市政府, 海军).
fn body_suffix(word: &str, tag: &str) -> Option<&'static str> {
    let nounish = tag.starts_with('n') || matches!(tag, "j" | "vn" | "x");
    if !nounish || GOV_STOP.contains(&word) {
        return None;
    }
    GOV_SUFFIXES.iter().copied().find(|s| word.ends_with(s))
}

/// 宁波市政府, 美国海军, 上海市第一中级人民法院: a place the gazetteer knows, maybe a level, a few nouns and
/// a government body's suffix are one organization. `places`: the gazetteer's matches of
/// places, in order.
fn government_bodies(text: &str, places: &[Mention], segmenter: &Segmenter, r: &mut Reshaping) {
    // From the gazetteer rather than the known mentions: jieba often cuts 英国外交部 as one
    // word, and then 英国 alone was not accepted. The whole body must be a word instead.
    let mut words = super::WindowCache::default();
    let mut done = 0;
    for &place in places {
        if place.start < done || r.is_claimed(place) {
            continue;
        }
        let rest = &text[place.end..super::clause_end(text, place.end)];
        if !GOV_SUFFIXES
            .iter()
            .any(|s| super::head_chars(rest, 14).contains(s))
        {
            continue;
        }
        // A lone 局 or 部 right after the place is not enough (美国部), unless the place ends
        // with its level (广东省|委).
        let leveled = text[place.start..place.end].ends_with(['省', '市', '县', '区', '州']);
        let mut body: Option<(usize, &str, bool)> = None;
        let mut chars = 0;
        for (i, &(o, word, tag)) in segmenter.tagged(rest).iter().enumerate().take(6) {
            chars += word.chars().count();
            if chars > 14 {
                break;
            }
            let at = place.end + o;
            let lone_ok = i > 0 || leveled || word.chars().count() >= 2;
            let after_level = (i == 0 && leveled)
                .then(|| GOV_SUFFIXES.iter().copied().find(|s| *s == word))
                .flatten();
            if let Some(suffix) = after_level.or(body_suffix(word, tag).filter(|_| lone_ok)) {
                body = Some((at + word.len(), suffix, false));
            } else if let Some((n, suffix)) = body_before_role(word) {
                // 深圳|市委书记: the body ends inside jieba's word.
                body = Some((at + n, suffix, true));
                break;
            } else if !body_middle(word, tag) {
                break;
            }
        }
        let Some((end, suffix, inside_word)) = body else {
            continue;
        };
        let span = Mention {
            start: place.start,
            end,
        };
        // Inside jieba's word only the start can be checked (an empty span checks one edge).
        let bounded = words.is_word(
            text,
            span.start,
            if inside_word { span.start } else { span.end },
            segmenter,
        );
        if r.straddled(span) || r.is_claimed(span) || !bounded {
            continue;
        }
        done = end;
        r.make(Made {
            name: text[span.start..span.end].to_string(),
            kind: EntityKind::Organization,
            reason: format!("place + {suffix}: a government body"),
            owner: None,
            mention: span,
        });
    }
}

/// The gazetteer entry whose form is exactly `s`, if its kind is one of `kinds`.
fn entry_of<'a>(
    gazetteer: &'a super::Gazetteer,
    s: &str,
    kinds: &[EntityKind],
) -> Option<&'a super::gazetteer::Entry> {
    let (start, end, entry, _) = gazetteer.find(s).next()?;
    let entry = &gazetteer.entries()[entry];
    (start == 0 && end == s.len() && kinds.contains(&entry.kind)).then_some(entry)
}

/// The longest known name of `kinds` that ends at `at`, at most eight characters long: its
/// start and entry.
fn known_ending_at<'a>(
    text: &str,
    at: usize,
    gazetteer: &'a super::Gazetteer,
    kinds: &[EntityKind],
) -> Option<(usize, &'a super::gazetteer::Entry)> {
    let mut starts: Vec<usize> = text[..at]
        .char_indices()
        .rev()
        .take(8)
        .map(|(i, _)| i)
        .collect();
    starts.reverse();
    starts
        .into_iter()
        .find_map(|s| entry_of(gazetteer, &text[s..at], kinds).map(|e| (s, e)))
}

/// 新浪房产, 腾讯研究院, 招商银行深圳分行: a known company or organization (maybe with a place)
/// before a unit's suffix is that unit, owned by the known one.
fn units(text: &str, gazetteer: &super::Gazetteer, segmenter: &Segmenter, r: &mut Reshaping) {
    const OWNERS: &[EntityKind] = &[
        EntityKind::Company,
        EntityKind::Organization,
        EntityKind::Media,
    ];
    let mut words = super::WindowCache::default();
    let suffixes: Vec<&str> = UNITS.iter().map(|u| u.0).collect();
    for (&(suffix, kind), starts) in UNITS.iter().zip(occurrences(text, &suffixes)) {
        for at in starts {
            let end = at + suffix.len();
            // The suffix is part of a known name already (中信银行).
            let suffix_span = Mention { start: at, end };
            if r.known_overlapping(suffix_span).next().is_some() {
                continue;
            }
            let owner = known_ending_at(text, at, gazetteer, OWNERS).or_else(|| {
                let (place, _) = known_ending_at(text, at, gazetteer, &[EntityKind::Place])?;
                known_ending_at(text, place, gazetteer, OWNERS)
            });
            let Some((start, owner)) = owner else {
                continue;
            };
            let span = Mention { start, end };
            let whole = entry_of(gazetteer, &text[start..end], &EntityKind::ALL).is_some();
            // 申万银行指数 is an index of bank shares, not a bank.
            let market = MARKET_WORDS.iter().any(|w| text[end..].starts_with(w));
            if whole
                || market
                || r.is_claimed(span)
                || r.straddled(span)
                || !super::latin_edges_ok(text, start, end)
                || !words.is_word(text, start, end, segmenter)
            {
                continue;
            }
            r.make(Made {
                name: text[start..end].to_string(),
                kind,
                reason: format!("{} + {suffix}: a unit", owner.name),
                owner: Some(owner.name.clone()),
                mention: span,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, EntityKind, String)> {
        let seg = Segmenter::new([]);
        discover(text, &seg, &[], &[])
            .into_iter()
            .map(|e| (e.name, e.kind, e.reason.unwrap_or_default()))
            .collect()
    }

    fn has(found: &[(String, EntityKind, String)], name: &str, kind: EntityKind) -> bool {
        found.iter().any(|(n, k, _)| n == name && *k == kind)
    }

    #[test]
    fn book_titles_are_works() {
        let f = names("他读了《三体》和《黑神话：悟空》的评测。");
        assert!(has(&f, "三体", EntityKind::Work), "{f:?}");
        assert!(has(&f, "黑神话：悟空", EntityKind::Work));
    }

    #[test]
    fn suffixes_propose_organizations_but_not_generic_phrases() {
        let f = names("彭博社引用金沙江创投内部文件称。这家公司和互联网公司都不是名字。");
        assert!(has(&f, "金沙江创投", EntityKind::Company), "{f:?}");
        assert!(!f.iter().any(|(n, _, _)| n.ends_with("公司")), "{f:?}");
        assert!(f.iter().any(|(_, _, r)| r == "suffix 创投"));
    }

    #[test]
    fn people_after_roles_and_before_speech() {
        let f =
            names("小米创始人雷军在发布会上说。据王小明表示，市场很好。首席经济学家李迅雷认为。");
        assert!(has(&f, "李迅雷", EntityKind::Person), "{f:?}");
        assert!(has(&f, "雷军", EntityKind::Person), "{f:?}");
        assert!(has(&f, "王小明", EntityKind::Person), "{f:?}");
    }

    #[test]
    fn a_two_character_name_before_a_speech_verb_is_not_cut_long() {
        let f = names("分析师李明指出，渗透率有望超过六成。");
        assert!(has(&f, "李明", EntityKind::Person), "{f:?}");
        assert!(!f.iter().any(|(n, _, _)| n == "李明指"), "{f:?}");
    }

    #[test]
    fn mixed_script_self_media_before_speech_verbs() {
        let f = names("作为深度用户，值接Talk认为内容变差了。");
        assert!(has(&f, "值接Talk", EntityKind::Media), "{f:?}");
    }

    #[test]
    fn speech_verbs_after_common_words_are_not_people() {
        let f = names("公司表示，他们认为市场很好。");
        assert!(!f.iter().any(|(_, k, _)| *k == EntityKind::Person), "{f:?}");
    }

    #[test]
    fn cited_media() {
        let f = names("据彭博社报道，消息属实。");
        assert!(has(&f, "彭博社", EntityKind::Media), "{f:?}");
    }

    #[test]
    fn latin_brands_but_not_acronyms() {
        let f = names("用户用DeepSeek写PPT，看GMV和AI。");
        assert!(has(&f, "DeepSeek", EntityKind::Product), "{f:?}");
        assert!(
            !f.iter()
                .any(|(n, _, _)| ["PPT", "GMV", "AI"].contains(&n.as_str()))
        );
    }

    #[test]
    fn capitalized_latin_words_need_evidence() {
        for prose in [
            "我们在Starbucks见面，他又迟到了。",
            "他说Hello World很好听。",
            "周末去Costco买了一堆东西。",
        ] {
            let f = names(prose);
            assert!(
                !f.iter().any(|(_, k, _)| *k == EntityKind::Product),
                "{prose}: {f:?}"
            );
        }
        let f = names("Notion发布了新功能。");
        assert!(has(&f, "Notion", EntityKind::Product), "{f:?}");
        assert!(
            f.iter().any(|(_, _, r)| r == "Latin name near 发布"),
            "{f:?}"
        );
        let f = names("这款Obsidian很好用。");
        assert!(has(&f, "Obsidian", EntityKind::Product), "{f:?}");
        let f = names("Stripe公司的估值又涨了。Anthropic的CEO说了。");
        assert!(has(&f, "Stripe", EntityKind::Company), "{f:?}");
        assert!(has(&f, "Anthropic", EntityKind::Company), "{f:?}");
        // Three times in Chinese text is evidence enough.
        let f = names("我用Raycast。Raycast很快，Raycast真香。");
        let raycast = f.iter().filter(|(n, _, _)| n == "Raycast").count();
        assert_eq!(raycast, 1, "{f:?}");
    }

    fn count(text: &str, name: &str) -> usize {
        let seg = Segmenter::new([]);
        discover(text, &seg, &[], &[])
            .into_iter()
            .find(|e| e.name == name)
            .map_or(0, |e| e.count())
    }

    #[test]
    fn a_one_character_title_does_not_spread_to_every_bare_character() {
        let text = "他写了短篇《球》。孩子们踢球，球滚进了河里。";
        assert_eq!(count(text, "球"), 1);
        // Two characters: bare only where jieba cuts it out as a word.
        let text = "电影《长安》上映了。长安很美，他走在长安街上。";
        assert_eq!(count(text, "长安"), 2);
        // Three or more: every occurrence.
        let text = "《三体》很好看。三体人来了。";
        assert_eq!(count(text, "三体"), 2);
    }

    #[test]
    fn a_sentence_starting_with_an_unmatched_closing_mark_starts_with_a_title() {
        let f = names("斗罗大陆》第二季的播放量很高。他说《遮天》也不错。");
        assert!(has(&f, "斗罗大陆", EntityKind::Work), "{f:?}");
        assert!(
            f.iter()
                .any(|(n, _, r)| n == "斗罗大陆" && r == "title cut at the start: X》")
        );
        let f = names("好评不断。  “庆余年》的续集来了。");
        assert!(has(&f, "庆余年", EntityKind::Work), "{f:?}");
        // Not after a comma in mid-sentence, and a matched 《》 is not cut.
        let f = names("我看了很多，比如三体》之类。《遮天》好。");
        assert!(!f.iter().any(|(n, _, _)| n.contains("三体")), "{f:?}");
        assert!(!f.iter().any(|(n, _, _)| n.contains("好")), "{f:?}");
    }
}
