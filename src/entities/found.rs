//! Names the article establishes itself, the `found` tier: what the learned tagger
//! ([`super::tagger`]) marks with confidence, and names that keep coming back where a story
//! puts its people (before 说, 道, 问 …), as a novel's characters do. Each is then found
//! wherever it is written, a person's given name used alone after the full name counts as
//! them, and a known place written inside one of these names is not counted as the place.
//!
//! Why a tier of its own: the gazetteer knows the names of business news, not a novel's
//! characters or a blog's subjects; these are likely but unchecked, so they rank below the
//! gazetteer (which stays authoritative for the names it knows) and above a single rule's guess.

use std::collections::{BTreeMap, HashMap};

use super::discover::{DOUBLE_SURNAMES, LATIN_STOP, is_surname};
use super::tagger::Tagged;
use super::{Entity, EntityKind, Mention, Tier, is_han};
use crate::segment::Segmenter;

/// A name tagged once must be this sure (spans at 0.7 are right about nine times in ten on
/// held-out sentences).
const SURE: f32 = 0.7;
/// A Latin name of several capitalized words, or a name tagged at least twice, this sure.
const LIKELY: f32 = 0.6;
/// A dictionary word that is not a proper noun is a name only tagged this often, this sure.
const ORDINARY_TAGGED: usize = 5;
const ORDINARY_SURE: f32 = 0.8;
/// How many of a name's tagged spans are checked for cutting a word in two.
const WORD_CHECKS: usize = 4;
/// A single capitalized Latin word is a name only this sure (the tagger calls `Java` a person).
const LATIN_SURE: f32 = 0.9;
/// Speech and address: a story's people stand right before these …
const SPEECH_AFTER: &[&str] = &[
    "说", "道", "问", "笑", "答", "叫", "喊", "想", "便", "却", "也", "又", "都", "正", "忽然",
];
/// … or right after these.
const SPEECH_BEFORE: &[&str] = &["对", "叫", "问", "和", "跟", "同", "给", "看见", "便是"];
/// The first of [`SPEECH_AFTER`] are speech verbs themselves.
const SPEECH_VERBS: usize = 7;
/// How often a recurring name must stand in those places, and in the text at all.
const RECURRING_PLACES: usize = 3;
const RECURRING_TOTAL: usize = 4;
/// The share of one of a name's characters that must be written inside the name.
const COHESION: f64 = 0.5;
/// Recurring names kept, the most placed first: a story has a few dozen people, not hundreds.
const MAX_RECURRING: usize = 40;
/// Kinship terms, titles and forms of address: a story calls its people by them, but they
/// name nobody in particular (jieba's tags for them are unreliable: 哥哥 is a place to it).
const ADDRESS_TERMS: &[&str] = &[
    "哥哥",
    "姐姐",
    "弟弟",
    "妹妹",
    "大哥",
    "二哥",
    "三哥",
    "大姐",
    "二姐",
    "兄弟",
    "姐妹",
    "父亲",
    "母亲",
    "爸爸",
    "妈妈",
    "爹爹",
    "娘亲",
    "爷爷",
    "奶奶",
    "外婆",
    "外公",
    "叔叔",
    "阿姨",
    "伯伯",
    "婶婶",
    "舅舅",
    "姑姑",
    "嫂子",
    "二嫂",
    "大嫂",
    "儿子",
    "女儿",
    "孩子",
    "丈夫",
    "妻子",
    "老婆",
    "老公",
    "师父",
    "师傅",
    "师兄",
    "师弟",
    "师妹",
    "师姐",
    "徒弟",
    "老爷",
    "太太",
    "夫人",
    "先生",
    "小姐",
    "姑娘",
    "公子",
    "少爷",
    "大人",
    "官人",
    "娘子",
    "相公",
    "老师",
    "同学",
    "将军",
    "元帅",
    "丞相",
    "太尉",
    "太守",
    "皇帝",
    "陛下",
    "娘娘",
    "皇上",
    "圣上",
    "主公",
    "大王",
    "天王",
    "国王",
    "王爷",
    "殿下",
    "菩萨",
    "长老",
    "和尚",
    "道士",
    "老者",
    "老汉",
    "妇人",
    "员外",
    "掌柜",
    "店家",
    "客官",
    "众人",
    "老板",
    "经理",
    "总裁",
    "董事长",
    "主任",
    "书记",
    "队长",
    "班长",
    "医生",
    "护士",
    "警官",
    "老大",
];
/// Characters that do not start or end a name: particles, pronouns, common verbs.
const NOT_AT_EDGE: &str = "的一是了我你他她它们这那不也就都而又在有和与及或把被让给对向从到说道问\
    笑叫喊想便却正着过得地之其此些个么吗呢吧啊呀哪谁什怎样里上下来去中后前时年月日人大小多少\
    很最还再才只已将要会能可没无非于以为所如若因但并且即使虽然然而每各某该另本这那忽";

/// Whether `c` is one of [`NOT_AT_EDGE`].
fn not_at_edge(c: char) -> bool {
    static SORTED: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    SORTED
        .get_or_init(|| {
            let mut v: Vec<char> = NOT_AT_EDGE.chars().filter(|c| !c.is_whitespace()).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .binary_search(&c)
        .is_ok()
}

/// Adds to `entities` the names the text establishes (see the module docs). `tagged`: what the
/// tagger found in `text`; `recurring`: what [`recurring`] found in it (it needs neither the
/// tagger nor the other entities, so it can run beside them).
pub(super) fn establish(
    text: &str,
    tagged: &[Tagged],
    recurring: Vec<(String, usize)>,
    segmenter: &Segmenter,
    entities: &mut Vec<Entity>,
) {
    let known: HashMap<String, usize> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.clone(), i))
        .collect();
    // Where known places start, with where they end: a dateline (美国·伦敦) is no person.
    let places: HashMap<usize, usize> = entities
        .iter()
        .filter(|e| e.kind == EntityKind::Place)
        .flat_map(|e| e.mentions.iter().map(|m| (m.start, m.end)))
        .collect();
    let dateline = |start: usize| {
        places
            .get(&start)
            .is_some_and(|&end| text[end..].starts_with(['·', '•', '・', '‧']))
    };
    // The tagged spans by name: a long book tags the same names thousands of times, and
    // what can be judged of the name alone is judged once.
    let mut by_name: HashMap<&str, Vec<(usize, &Tagged)>> = HashMap::new();
    for t in tagged {
        if let Some((start, end)) = trimmed(text, t.start, t.end) {
            by_name
                .entry(&text[start..end])
                .or_default()
                .push((start, t));
        }
    }
    let mut candidates: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut words = super::WindowCache::default();
    for (name, spans) in by_name {
        let best = spans.iter().map(|(_, t)| t.confidence).fold(0.0, f32::max);
        let Some(kind) = spans
            .iter()
            .max_by(|a, b| a.1.confidence.total_cmp(&b.1.confidence))
        else {
            continue;
        };
        let Some(ordinary) = plausible(name, kind.1.kind, best, segmenter) else {
            continue;
        };
        let spans: Vec<&(usize, &Tagged)> = spans
            .iter()
            .filter(|(start, _)| !dateline(*start))
            .collect();
        // A span that cuts a word in two (達數 in 將達數十億) is no name: the first few say
        // (each needs its clause segmented).
        let whole = spans
            .iter()
            .take(WORD_CHECKS)
            .any(|(start, _)| words.is_word(text, *start, start + name.len(), segmenter));
        if !whole {
            continue;
        }
        let c = candidates.entry(name.to_string()).or_default();
        for (_, t) in spans.iter().filter(|(_, t)| t.confidence >= LIKELY) {
            c.add_tagged(name, t.kind, t.confidence);
        }
        c.ordinary = ordinary;
    }
    for (name, places) in recurring {
        let c = candidates.entry(name).or_default();
        c.places = places;
    }
    let mut accepted: Vec<(String, EntityKind, String)> = Vec::new();
    for (name, c) in candidates {
        let Some((kind, reason)) = c.verdict() else {
            continue;
        };
        match known.get(&name) {
            // The gazetteer decides for the names it knows.
            Some(&i) if entities[i].tier == Tier::Known => {}
            // A rule's guess the tagger agrees with: found, of the rule's kind.
            Some(&i) => {
                let e = &mut entities[i];
                e.tier = Tier::Found;
                e.reason = Some(match &e.reason {
                    Some(rule) => format!("{rule}; {reason}"),
                    None => reason,
                });
            }
            None => accepted.push((name, kind, reason)),
        }
    }
    add_everywhere(text, accepted, entities);
    given_names(text, entities);
    drop_places_inside_names(entities);
}

/// What speaks for one name.
#[derive(Default)]
struct Candidate {
    /// Confidence summed by kind.
    by_kind: [f32; 4],
    best: f32,
    tagged: usize,
    /// Times it stands where a story's people stand.
    places: usize,
    /// Several capitalized Latin words (James Gosling): a name by its form already.
    latin_words: bool,
    /// Also an ordinary dictionary word (八戒 is a noun to jieba): a name only when the tagger
    /// says so again and again.
    ordinary: bool,
}

const KINDS: [EntityKind; 4] = [
    EntityKind::Person,
    EntityKind::Organization,
    EntityKind::Place,
    EntityKind::Work,
];

impl Candidate {
    fn add_tagged(&mut self, name: &str, kind: EntityKind, confidence: f32) {
        if !name.chars().any(is_han) && name.contains(' ') {
            self.latin_words = true;
        }
        if let Some(i) = KINDS.iter().position(|k| *k == kind) {
            self.by_kind[i] += confidence;
        }
        self.best = self.best.max(confidence);
        self.tagged += 1;
    }

    /// The kind and the reason, if this is a name.
    fn verdict(&self) -> Option<(EntityKind, String)> {
        let sure = if self.ordinary {
            self.tagged >= ORDINARY_TAGGED && self.best >= ORDINARY_SURE
        } else {
            self.best >= SURE || (self.best >= LIKELY && (self.tagged >= 2 || self.latin_words))
        };
        if sure {
            let (i, _) = self
                .by_kind
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
            let percent = (self.best * 100.0).round();
            return Some((KINDS[i], format!("name tagger, {percent}% sure")));
        }
        (self.places >= RECURRING_PLACES).then(|| {
            (
                EntityKind::Person,
                format!("recurring name ({} times before 说, 道 …)", self.places),
            )
        })
    }
}

/// `start..end` without spaces, brackets and punctuation at its edges; `None` if nothing
/// is left.
fn trimmed(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let span = &text[start..end];
    let edge = |c: char| !(c.is_alphanumeric() || is_han(c));
    let left = span.len() - span.trim_start_matches(edge).len();
    let right = span.trim_end_matches(edge).len();
    (left < right).then_some((start + left, start + right))
}

/// Whether a tagged span can be a name of `kind`: two characters at least, Han or Latin but
/// not both with a space between, no particle at either end, no form of address, and a lone
/// Latin word only when the tagger is very sure and it is not a common acronym. `Some(true)`:
/// it can, but it is also an ordinary dictionary word.
fn plausible(name: &str, kind: EntityKind, confidence: f32, segmenter: &Segmenter) -> Option<bool> {
    let chars = name.chars().count();
    if !(2..=24).contains(&chars) || confidence < LIKELY {
        return None;
    }
    let han = name.chars().filter(|&c| is_han(c)).count();
    let latin = name.chars().filter(char::is_ascii_alphabetic).count();
    if name.chars().any(|c| c.is_ascii_digit()) && latin + han <= chars / 2 {
        return None;
    }
    if han > 0 && latin > 0 && name.contains(' ') {
        return None;
    }
    if han == 0 {
        let words = name.split_whitespace().count();
        let capitalized = name
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()));
        if !capitalized || LATIN_STOP.contains(&name) {
            return None;
        }
        let named = if kind == EntityKind::Person {
            words >= 2
        } else {
            words >= 2 || confidence >= LATIN_SURE
        };
        return named.then_some(false);
    }
    if ADDRESS_TERMS.contains(&name) {
        return None;
    }
    let first = name.chars().next().unwrap_or(' ');
    let last = name.chars().next_back().unwrap_or(' ');
    if not_at_edge(first) || not_at_edge(last) {
        return None;
    }
    match wordness(name, segmenter) {
        Wordness::NotAWord | Wordness::Proper => Some(false),
        Wordness::Noun => Some(true),
        // 左右, 日期 as a verb or an adverb: no name.
        Wordness::Other => None,
    }
}

/// How a dictionary word stands as a name: not at all, or as a common noun that a story may
/// use as a name (八戒, 悟空 are nouns to jieba), or freely (a proper noun: nr/ns/nt/nz).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wordness {
    NotAWord,
    Proper,
    Noun,
    Other,
}

fn wordness(word: &str, segmenter: &Segmenter) -> Wordness {
    if !segmenter.has_word(word) {
        return Wordness::NotAWord;
    }
    match segmenter.tagged(word).as_slice() {
        [(_, w, tag)] if *w == word => match *tag {
            "nr" | "nrt" | "nrfg" | "ns" | "nt" | "nz" => Wordness::Proper,
            "n" => Wordness::Noun,
            _ => Wordness::Other,
        },
        _ => Wordness::NotAWord,
    }
}

/// Two- and three-character Han names that stand before speech verbs or after address words
/// at least [`RECURRING_PLACES`] times (twice before a speech verb itself), occur
/// [`RECURRING_TOTAL`] times in all and hold together ([`Occurrences::holds_together`]), with
/// how often they stand there; the
/// [`MAX_RECURRING`] most placed. Where a two-character name is nearly always written after
/// the same character (二嫂 in 杨二嫂), the three-character name is the one kept.
pub(super) fn recurring(text: &str, segmenter: &Segmenter) -> Vec<(String, usize)> {
    // (places, of which before a speech verb itself)
    let mut places: HashMap<&str, (usize, usize)> = HashMap::new();
    let words: Vec<&str> = SPEECH_AFTER.iter().chain(SPEECH_BEFORE).copied().collect();
    let starts = super::occurrences::occurrences(text, &words);
    let (after, before) = starts.split_at(SPEECH_AFTER.len());
    for (v, starts) in after.iter().enumerate() {
        let speech = v < SPEECH_VERBS;
        for &at in starts {
            // The two- and three-character Han runs ending at the verb; none can end in a
            // particle or pronoun (他说, 我也), which is most of them.
            if text[..at].chars().next_back().is_none_or(not_at_edge) {
                continue;
            }
            let mut start = at;
            for n in 1..=3 {
                let Some(c) = text[..start].chars().next_back().filter(|&c| is_han(c)) else {
                    break;
                };
                start -= c.len_utf8();
                if n >= 2 {
                    let p = places.entry(&text[start..at]).or_default();
                    p.0 += 1;
                    p.1 += usize::from(speech);
                }
            }
        }
    }
    for (word, starts) in SPEECH_BEFORE.iter().zip(before) {
        for &at in starts {
            let from = at + word.len();
            if text[from..].chars().next().is_none_or(not_at_edge) {
                continue;
            }
            let mut end = from;
            for n in 1..=3 {
                let Some(c) = text[end..].chars().next().filter(|&c| is_han(c)) else {
                    break;
                };
                end += c.len_utf8();
                if n >= 2 {
                    places.entry(&text[from..end]).or_default().0 += 1;
                }
            }
        }
    }
    let edge = |c: Option<char>| c.is_some_and(not_at_edge);
    let candidates: Vec<(&str, usize)> = places
        .into_iter()
        .filter(|&(name, (n, speech))| {
            n >= RECURRING_PLACES
                && speech >= 2
                && name.chars().all(is_han)
                && !edge(name.chars().next())
                && !edge(name.chars().next_back())
                && !segmenter.has_word(name)
                && !ADDRESS_TERMS.contains(&name)
        })
        .map(|(name, (n, _))| (name, n))
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let stats = Occurrences::count(text, &candidates);
    let mut names: Vec<(String, usize)> = candidates
        .iter()
        .zip(&stats.per_name)
        .filter(|((name, _), o)| o.total >= RECURRING_TOTAL && stats.holds_together(name, o.total))
        .map(|((name, n), _)| (name.to_string(), *n))
        .collect();
    // 二嫂 always after 杨: the name is 杨二嫂. A three-character candidate whose last two are
    // a name of their own, written mostly without its first character, is that name plus a
    // stray character (说闰土).
    let after_one: HashMap<&str, bool> = candidates
        .iter()
        .zip(&stats.per_name)
        .map(|((name, _), o)| (*name, o.mostly_after_one()))
        .collect();
    let set: HashMap<String, usize> = names.iter().cloned().collect();
    names.retain(|(name, _)| {
        let chars: Vec<char> = name.chars().collect();
        match chars.len() {
            2 => !after_one.get(name.as_str()).copied().unwrap_or(false),
            _ => {
                let tail: String = chars[1..].iter().collect();
                !set.contains_key(&tail) || after_one.get(tail.as_str()).copied().unwrap_or(false)
            }
        }
    });
    names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    names.truncate(MAX_RECURRING);
    names.sort();
    names
}

/// How the candidates of [`recurring`] occur in the text, counted in one pass.
struct Occurrences {
    per_name: Vec<Occurring>,
    /// How often each character of the candidates occurs.
    chars: HashMap<char, usize>,
}

#[derive(Default)]
struct Occurring {
    total: usize,
    /// The Han character right before each occurrence, counted.
    before: HashMap<char, usize>,
}

impl Occurring {
    /// Whether at least four in five occurrences follow the same Han character.
    fn mostly_after_one(&self) -> bool {
        self.before.values().any(|&n| n * 5 >= self.total * 4)
    }
}

impl Occurrences {
    fn count(text: &str, candidates: &[(&str, usize)]) -> Self {
        let mut per_name: Vec<Occurring> = Vec::new();
        per_name.resize_with(candidates.len(), Occurring::default);
        let names: Vec<&str> = candidates.iter().map(|(n, _)| *n).collect();
        if let Ok(matcher) = aho_corasick::AhoCorasick::new(&names) {
            for m in matcher.find_overlapping_iter(text) {
                let o = &mut per_name[m.pattern().as_usize()];
                o.total += 1;
                if let Some(c) = text[..m.start()].chars().next_back().filter(|&c| is_han(c)) {
                    *o.before.entry(c).or_default() += 1;
                }
            }
        }
        // Every character of the text is looked at: a table by code point, not a hash map.
        let wanted: Vec<char> = names.iter().flat_map(|n| n.chars()).collect();
        let mut counts = vec![0usize; 0x10000];
        let mut marked = vec![false; 0x10000];
        let mut astral: HashMap<char, usize> = HashMap::new();
        for &c in &wanted {
            match u32::from(c) as usize {
                i if i < 0x10000 => marked[i] = true,
                _ => {
                    astral.insert(c, 0);
                }
            }
        }
        for c in text.chars() {
            let i = u32::from(c) as usize;
            if i < 0x10000 {
                if marked[i] {
                    counts[i] += 1;
                }
            } else if let Some(n) = astral.get_mut(&c) {
                *n += 1;
            }
        }
        let chars = wanted
            .iter()
            .map(|&c| match u32::from(c) as usize {
                i if i < 0x10000 => (c, counts[i]),
                _ => (c, astral.get(&c).copied().unwrap_or(0)),
            })
            .collect();
        Self { per_name, chars }
    }

    /// Whether `name`, written `total` times, holds together: one of its characters is
    /// written mostly inside it ([`COHESION`]): 闰 in 闰土, 杨 in 杨二嫂; two common characters
    /// that happen to meet often (子河) are not a name.
    fn holds_together(&self, name: &str, total: usize) -> bool {
        name.chars().any(|c| {
            let n = self.chars.get(&c).copied().unwrap_or(0).max(1);
            total as f64 >= COHESION * n as f64
        })
    }
}

/// Adds each accepted name as a found entity with every place it is written that no other
/// entity's mention covers.
fn add_everywhere(
    text: &str,
    accepted: Vec<(String, EntityKind, String)>,
    entities: &mut Vec<Entity>,
) {
    if accepted.is_empty() {
        return;
    }
    // A known place inside one of these names gives way to it (drop_places_inside_names).
    let taken: Vec<Mention> = {
        let mut v: Vec<Mention> = entities
            .iter()
            .filter(|e| e.kind != EntityKind::Place)
            .flat_map(|e| e.mentions.iter().copied())
            .collect();
        v.sort();
        v
    };
    let places = {
        let mut v: Vec<Mention> = entities
            .iter()
            .filter(|e| e.kind == EntityKind::Place)
            .flat_map(|e| e.mentions.iter().copied())
            .collect();
        v.sort();
        v
    };
    let names: Vec<&str> = accepted.iter().map(|(n, _, _)| n.as_str()).collect();
    let mentions = super::occurrences::everywhere(text, &names, |m| {
        !overlaps(&taken, m) && !overlaps_except_inside(&places, m) && latin_edges_ok(text, m)
    });
    for ((name, kind, reason), mentions) in accepted.into_iter().zip(mentions) {
        if mentions.is_empty() {
            continue;
        }
        entities.push(Entity {
            name,
            kind,
            tier: Tier::Found,
            reason: Some(reason),
            owner: None,
            mentions,
        });
    }
}

/// Every mention of `entities`, sorted.
fn taken(entities: &[Entity]) -> Vec<Mention> {
    let mut v: Vec<Mention> = entities
        .iter()
        .flat_map(|e| e.mentions.iter().copied())
        .collect();
    v.sort();
    v
}

/// Whether `m` overlaps a mention of `taken` (sorted by start; mentions do not nest much).
fn overlaps(taken: &[Mention], m: Mention) -> bool {
    let i = taken.partition_point(|t| t.end <= m.start);
    taken[i..]
        .iter()
        .take_while(|t| t.start < m.end)
        .any(|t| t.start < m.end && m.start < t.end)
}

/// Whether `m` overlaps a mention of `taken` that it does not contain.
fn overlaps_except_inside(taken: &[Mention], m: Mention) -> bool {
    let i = taken.partition_point(|t| t.end <= m.start);
    taken[i..]
        .iter()
        .take_while(|t| t.start < m.end)
        .any(|t| !(m.start <= t.start && t.end <= m.end))
}

/// A Latin name is not part of a longer Latin word.
fn latin_edges_ok(text: &str, m: Mention) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric();
    let glued_before = text[m.start..].chars().next().is_some_and(word)
        && text[..m.start].chars().next_back().is_some_and(word);
    let glued_after = text[..m.end].chars().next_back().is_some_and(word)
        && text[m.end..].chars().next().is_some_and(word);
    !(glued_before || glued_after)
}

/// A person's given name used alone after the full name counts as them: 一生 after 王一生,
/// 乔布斯 after 史蒂夫·乔布斯. Only for names the article established (found or possible),
/// named in full at least twice.
fn given_names(text: &str, entities: &mut Vec<Entity>) {
    // The given name found as a name of its own (智深 beside 鲁智深) is the same person.
    let mut absorbed: Vec<usize> = Vec::new();
    for i in 0..entities.len() {
        let e = &entities[i];
        if e.kind != EntityKind::Person || e.tier == Tier::Known {
            continue;
        }
        let Some(given) = given_name(&e.name).filter(|g| !ADDRESS_TERMS.contains(&g.as_str()))
        else {
            continue;
        };
        // Only a full name written often enough to be the name (not 陈魏延, a tagging slip
        // once beside 魏延 ×320).
        let full = e.mentions.len();
        if let Some(j) = entities.iter().position(|o| {
            o.name == given
                && o.kind == EntityKind::Person
                && o.tier != Tier::Known
                && full >= 3
                && full * 20 >= o.mentions.len()
        }) && !absorbed.contains(&j)
        {
            let moved = std::mem::take(&mut entities[j].mentions);
            let e = &mut entities[i];
            e.mentions.extend(moved);
            e.mentions.sort();
            e.mentions.dedup();
            absorbed.push(j);
        }
    }
    let mut index = 0;
    entities.retain(|_| {
        index += 1;
        !absorbed.contains(&(index - 1))
    });
    // The persons whose given name is looked for, with it; found in one pass for all.
    let names: HashMap<&str, usize> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.as_str(), i))
        .collect();
    let wanted: Vec<(usize, String)> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.kind == EntityKind::Person && e.tier != Tier::Known && e.mentions.len() >= 2
        })
        .filter_map(|(i, e)| Some((i, given_name(&e.name)?)))
        // 李天王 is not every 天王, nor 唐老爷 every 老爷; another entity of that name speaks
        // for itself.
        .filter(|(_, g)| !ADDRESS_TERMS.contains(&g.as_str()) && !names.contains_key(g.as_str()))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let givens: Vec<&str> = wanted.iter().map(|(_, g)| g.as_str()).collect();
    let starts = super::occurrences::occurrences(text, &givens);
    let mut taken = taken(entities);
    for ((i, given), starts) in wanted.iter().zip(starts) {
        let i = *i;
        let first = entities[i].mentions[0].start;
        let mut more = Vec::new();
        for at in starts.into_iter().filter(|&at| at >= first) {
            let m = Mention {
                start: at,
                end: at + given.len(),
            };
            if !overlaps(&taken, m) && latin_edges_ok(text, m) {
                more.push(m);
            }
        }
        if more.is_empty() {
            continue;
        }
        taken.extend(more.iter().copied());
        taken.sort();
        let e = &mut entities[i];
        e.mentions.extend(more);
        e.mentions.sort();
    }
}

/// The part of a full name used alone: after the last `·` (two characters at least), or the
/// two characters after a one-character surname in a three-character Han name.
fn given_name(name: &str) -> Option<String> {
    if let Some((_, last)) = name.rsplit_once(['·', '•', '・', '‧']) {
        return (last.chars().count() >= 2).then(|| last.to_string());
    }
    if DOUBLE_SURNAMES.iter().any(|d| name.starts_with(d)) {
        return None;
    }
    let chars: Vec<char> = name.chars().collect();
    (chars.len() == 3 && chars.iter().all(|&c| is_han(c)) && is_surname(name))
        .then(|| chars[1..].iter().collect())
}

/// A known place written inside a longer name the article establishes (伦敦 in 杰克·伦敦, 宁波
/// in 宁波银行) is part of that name, not a mention of the place.
fn drop_places_inside_names(entities: &mut Vec<Entity>) {
    let mut names: Vec<Mention> = entities
        .iter()
        .filter(|e| e.tier != Tier::Known && e.kind != EntityKind::Place && e.kind.is_named())
        .flat_map(|e| e.mentions.iter().copied())
        .collect();
    names.sort();
    if names.is_empty() {
        return;
    }
    for e in entities.iter_mut().filter(|e| e.kind == EntityKind::Place) {
        e.mentions.retain(|m| {
            let i = names.partition_point(|n| n.start <= m.start);
            !names[..i]
                .iter()
                .rev()
                .take(4)
                .any(|n| n.start <= m.start && m.end <= n.end && n != m)
        });
    }
    entities.retain(|e| !e.mentions.is_empty());
}

#[cfg(test)]
mod tests;
