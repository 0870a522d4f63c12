//! Names the gazetteer does not know, proposed by rules as a "possible" tier: 《titles》,
//! organization suffixes, people introduced by a role or a speech verb, media cited as a
//! source, and Latin brand names. Each says why it was proposed.

use std::collections::BTreeMap;

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
const DOUBLE_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "端木",
];

/// Words a brand-like Latin token must not be: acronyms and words of business prose.
const LATIN_STOP: &[&str] = &[
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
    suffixed(text, segmenter, &mut found);
    people(text, &mut found);
    cited_media(text, &mut found);
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
    let mut elsewhere: Vec<Vec<Mention>> = vec![Vec::new(); names.len()];
    if let Ok(matcher) = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&names)
    {
        for m in matcher.find_iter(text) {
            let mention = Mention {
                start: m.start(),
                end: m.end(),
            };
            if !overlaps(mention) {
                elsewhere[m.pattern().as_usize()].push(mention);
            }
        }
    }
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
fn suffixed(text: &str, segmenter: &Segmenter, out: &mut Vec<Candidate>) {
    for &(suffix, kind) in SUFFIXES {
        for (at, _) in text.match_indices(suffix) {
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

/// 2–3 character names starting with a common surname, after a role or before a speech verb.
fn people(text: &str, out: &mut Vec<Candidate>) {
    let surname = |s: &str| {
        DOUBLE_SURNAMES.iter().any(|d| s.starts_with(d))
            || s.chars().next().is_some_and(|c| SURNAMES.contains(c))
    };
    for role in ROLES {
        for (at, _) in text.match_indices(role) {
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
    for verb in SPEECH {
        for (at, _) in text.match_indices(verb) {
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
fn cited_media(text: &str, out: &mut Vec<Candidate>) {
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
    for cue in ["援引", "引用", "消息称"] {
        for (at, _) in text.match_indices(cue) {
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
