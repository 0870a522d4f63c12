//! Who and what an article talks about: known names from the gazetteer (checked against word
//! segmentation), names discovered by rules (a dimmed "possible" tier), and amounts, dates and
//! counts.

pub mod correction;
pub mod discover;
pub mod exclude;
mod found;
pub mod gazetteer;
pub mod kind;
pub mod numbers;
mod occurrences;
pub mod report;
pub mod script;
pub mod tagger;

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

pub use gazetteer::Gazetteer;
pub use kind::EntityKind;

use crate::segment::Segmenter;

/// How sure we are that a name is an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// From the gazetteer or a user correction.
    Known,
    /// Established by the article itself: the name tagger is sure of it, or it recurs where a
    /// story's people stand (found.rs).
    Found,
    /// Proposed by a rule; shown dimmed until accepted.
    Possible,
}

/// Where an entity is mentioned: byte offsets into the document text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
}

/// An entity and its mentions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
    pub tier: Tier,
    /// Why a possible entity was proposed (`suffix 集团`).
    pub reason: Option<String>,
    /// The owning entity's name (抖音 → 字节跳动).
    pub owner: Option<String>,
    /// Sorted by position.
    pub mentions: Vec<Mention>,
}

impl Entity {
    pub fn count(&self) -> usize {
        self.mentions.len()
    }

    /// The distinct ways the text writes this entity, most frequent first.
    pub fn aliases<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for m in &self.mentions {
            let s = &text[m.start..m.end];
            match counts.iter_mut().find(|(t, _)| *t == s) {
                Some((_, n)) => *n += 1,
                None => counts.push((s, 1)),
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        counts.into_iter().map(|(s, _)| s).collect()
    }
}

/// Finds entities in documents. Building one loads the segmenter (~150 ms): do it once, off
/// the UI thread.
pub struct Extractor {
    gazetteer: Gazetteer,
    segmenter: std::sync::Arc<Segmenter>,
    /// Whether the found tier is looked for (the tagger run); off only to measure what it adds.
    found: bool,
}

/// Words near a name that say it is being used as a name (快手 the platform, not the adverb).
const CUES: &[&str] = &[
    "平台",
    "APP",
    "App",
    "app",
    "应用",
    "公司",
    "集团",
    "旗下",
    "用户",
    "推出",
    "上线",
    "发布",
    "手机",
    "汽车",
    "股价",
    "财报",
    "大模型",
    "模型",
    "短视频",
    "直播",
    "电商",
    "品牌",
    "官方",
    "创始人",
    "CEO",
    "软件",
    "市值",
    "融资",
    "上市",
    "下一个",
];

/// What the learned tagger finds in `text` as extraction reads it ([`exclude::mask`]ed and
/// [`script::normalize`]d), for [`Extractor::extract_tagged`]; needs no extractor.
pub fn tag(text: &str, excluded: &[Range<usize>]) -> Vec<tagger::Tagged> {
    let masked = exclude::mask(text, excluded);
    tag_simplified(&script::normalize(&masked).text)
}

/// The tagger on a text in Simplified form: on a thread per core for a long one.
fn tag_simplified(text: &str) -> Vec<tagger::Tagged> {
    let threads = if text.len() >= TAG_PARALLEL_FROM {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    } else {
        1
    };
    tagger::Tagger::builtin().tag_on(text, threads)
}

/// Texts from this long are tagged on several threads.
const TAG_PARALLEL_FROM: usize = 1 << 20;

/// Characters that separate items of a list: `抖音、快手` or `抖音B站快手微博`.
const LIST_SEPARATORS: &[char] = &['、', '，', ',', '和', '与', '及', '/', ' '];

impl Extractor {
    pub fn new(gazetteer: Gazetteer) -> Self {
        let segmenter = std::sync::Arc::new(Segmenter::new(gazetteer.forms()));
        Self {
            gazetteer,
            segmenter,
            found: true,
        }
    }

    /// Without the found tier (no tagger, no recurring names): gazetteer and rules alone, to
    /// measure what the found tier adds.
    pub fn without_found(mut self) -> Self {
        self.found = false;
        self
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    pub fn segmenter(&self) -> &Segmenter {
        &self.segmenter
    }

    /// The segmenter, for the reader's word-at-cursor once extraction has built it.
    pub fn shared_segmenter(&self) -> std::sync::Arc<Segmenter> {
        std::sync::Arc::clone(&self.segmenter)
    }

    /// Every entity of `text`, sorted by kind, then by count (most first), then by name.
    /// `progress` is called with the fraction done. URLs, e-mail addresses, handles and what
    /// looks like code are left out ([`exclude::excluded`]). A Traditional text is read
    /// through its Simplified form (script.rs); mentions are byte offsets into `text` all the
    /// same.
    pub fn extract(&self, text: &str, progress: &mut dyn FnMut(f32)) -> Vec<Entity> {
        self.extract_excluding(text, &exclude::excluded(text, None), progress)
    }

    /// As [`Extractor::extract`], leaving out the byte ranges `excluded` (sorted, merged: from
    /// [`exclude::excluded`], with the document's code): no mention overlaps them.
    pub fn extract_excluding(
        &self,
        text: &str,
        excluded: &[Range<usize>],
        progress: &mut dyn FnMut(f32),
    ) -> Vec<Entity> {
        self.extract_tagged(text, excluded, None, progress)
    }

    /// As [`Extractor::extract_excluding`], with the tagger's work begun before this
    /// extractor was ready: `tags` gives what [`tag`] gives for the same text and exclusions
    /// (a tenth of a second of a long text's tagging can run while the segmenter's dictionary
    /// is built).
    pub fn extract_tagged(
        &self,
        text: &str,
        excluded: &[Range<usize>],
        tags: Option<Box<dyn FnOnce() -> Vec<tagger::Tagged> + '_>>,
        progress: &mut dyn FnMut(f32),
    ) -> Vec<Entity> {
        // Offsets stay those of `text`: excluded bytes become spaces.
        let masked = exclude::mask(text, excluded);
        let normalized = script::normalize(&masked);
        let mut entities = self.extract_simplified(&normalized.text, tags, progress);
        normalized.restore(&masked, &mut entities);
        exclude::drop_mentions(&mut entities, excluded);
        sort(&mut entities);
        entities
    }

    /// `extract` on a text in Simplified form.
    fn extract_simplified(
        &self,
        text: &str,
        tags: Option<Box<dyn FnOnce() -> Vec<tagger::Tagged> + '_>>,
        progress: &mut dyn FnMut(f32),
    ) -> Vec<Entity> {
        let tag = || {
            if self.found {
                tag_simplified(text)
            } else {
                Vec::new()
            }
        };
        // The tagger, and the amounts and dates, on threads of their own beside the gazetteer
        // pass and the rules; joined when their results are needed.
        let (mut entities, tagged, numbers, recurring) = std::thread::scope(|s| {
            let found = self.found;
            let segmenter: &Segmenter = &self.segmenter;
            let tagging = match tags {
                Some(tags) => Err(Some(tags)),
                None => std::thread::Builder::new()
                    .name("pizhu-tagger".into())
                    .spawn_scoped(s, tag)
                    .map_err(|_| None),
            };
            // Amounts and dates, then the names a story keeps coming back to.
            let counting = move || {
                let numbers = numbers::find(text);
                let recurring = if found {
                    found::recurring(text, segmenter)
                } else {
                    Vec::new()
                };
                (numbers, recurring)
            };
            let counted = std::thread::Builder::new()
                .name("pizhu-numbers".into())
                .spawn_scoped(s, counting);
            let (mut entities, places) = self.known(text, progress);
            regional_groups(text, &mut entities);
            discover::reshape(
                text,
                &self.gazetteer,
                &self.segmenter,
                &places,
                &mut entities,
            );
            let taken: Vec<Mention> = {
                let mut v: Vec<Mention> = entities
                    .iter()
                    .flat_map(|e| e.mentions.iter().copied())
                    .collect();
                v.sort();
                v
            };
            entities.extend(discover::discover(text, &self.segmenter, &taken, &entities));
            let tagged = match tagging {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(Some(tags)) if found => tags(),
                Err(Some(_)) => Vec::new(),
                Err(None) => tag(),
            };
            let (numbers, recurring) = match counted {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => counting(),
            };
            (entities, tagged, numbers, recurring)
        });
        if self.found {
            found::establish(text, &tagged, recurring, &self.segmenter, &mut entities);
        }
        drop(tagged);
        entities.extend(numbers);
        sort(&mut entities);
        progress(1.0);
        entities
    }

    /// Gazetteer entities whose mentions agree with word boundaries; and every place the
    /// gazetteer matched, agreeing or not, for [`discover::reshape`] (which would otherwise
    /// match the whole text again).
    fn known(&self, text: &str, progress: &mut dyn FnMut(f32)) -> (Vec<Entity>, Vec<Mention>) {
        let entries = self.gazetteer.entries();
        let mut accepted: Vec<GazetteerHit> = Vec::new();
        let mut places: Vec<Mention> = Vec::new();
        let mut windows = WindowCache::default();
        let step = (text.len() / 50).max(1 << 16);
        let mut next_report = step;
        for (start, end, entry, form) in self.gazetteer.find(text) {
            if start >= next_report {
                progress(start as f32 / text.len().max(1) as f32 * 0.9);
                next_report = start + step;
            }
            if entries[entry].kind == EntityKind::Place {
                places.push(Mention { start, end });
            }
            if !latin_edges_ok(text, start, end)
                || !windows.is_word(text, start, end, &self.segmenter)
            {
                continue;
            }
            let common = entries[entry].common[form];
            accepted.push(GazetteerHit {
                mention: Mention { start, end },
                entry,
                common,
            });
            // A compound of owner and product (阿里千问) also mentions the owner (阿里).
            if let Some(owner) = entries[entry].owner {
                let matched = &text[start..end];
                if let Some(prefix) = entries[owner]
                    .forms
                    .iter()
                    .filter(|f| matched.len() > f.len() && starts_with_ignore_case(matched, f))
                    .max_by_key(|f| f.len())
                {
                    accepted.push(GazetteerHit {
                        mention: Mention {
                            start,
                            end: start + prefix.len(),
                        },
                        entry: owner,
                        common: false,
                    });
                }
            }
        }
        confirm_common(text, entries, &mut accepted);
        // Each entity's mentions in a vector of the right size: a long book has millions.
        let mut counts = vec![0usize; entries.len()];
        for f in &accepted {
            counts[f.entry] += 1;
        }
        let mut by_entry: HashMap<usize, Vec<Mention>> = HashMap::new();
        for f in accepted {
            by_entry
                .entry(f.entry)
                .or_insert_with(|| Vec::with_capacity(counts[f.entry]))
                .push(f.mention);
        }
        let entities = by_entry
            .into_iter()
            .map(|(e, mut mentions)| {
                mentions.sort();
                mentions.dedup();
                let entry = &entries[e];
                Entity {
                    name: entry.name.clone(),
                    kind: entry.kind,
                    tier: Tier::Known,
                    reason: None,
                    owner: entry.owner.map(|o| entries[o].name.clone()),
                    mentions,
                }
            })
            .collect();
        (entities, places)
    }
}

/// `郑州帮`, `潮汕帮`: a place name with 帮 is a regional group of people (merchants, traders),
/// not the place. Such mentions leave the place and become a possible organization.
fn regional_groups(text: &str, entities: &mut Vec<Entity>) {
    let mut groups: Vec<(String, Mention)> = Vec::new();
    for e in entities.iter_mut().filter(|e| e.kind == EntityKind::Place) {
        e.mentions.retain(|m| {
            let rest = &text[m.end..];
            let after = rest.strip_prefix('帮').map(|r| r.chars().next());
            match after {
                // 帮 followed by another Han character is a verb (帮助, 帮忙).
                Some(next) if !next.is_some_and(is_han) => {
                    let end = m.end + '帮'.len_utf8();
                    groups.push((
                        text[m.start..end].to_string(),
                        Mention {
                            start: m.start,
                            end,
                        },
                    ));
                    false
                }
                _ => true,
            }
        });
    }
    entities.retain(|e| !e.mentions.is_empty());
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, mentions) in groups
        .chunk_by(|a, b| a.0 == b.0)
        .map(|g| (g[0].0.clone(), g.iter().map(|x| x.1).collect()))
    {
        entities.push(Entity {
            name,
            kind: EntityKind::Organization,
            tier: Tier::Possible,
            reason: Some("place + 帮: a regional group".into()),
            owner: None,
            mentions,
        });
    }
}

/// A gazetteer match that passed the boundary checks.
#[derive(Clone, Copy, Debug)]
struct GazetteerHit {
    mention: Mention,
    entry: usize,
    /// Matched through a form that is also an ordinary word.
    common: bool,
}

/// Keeps mentions made through ordinary-word forms (快手, 元宝) only with a second signal: the
/// same entity named unambiguously elsewhere, its owner right before it (字节豆包), a list of
/// other names around it, or a cue word nearby. Once one such mention is confirmed, three or
/// more of them confirm each other; three without any signal are still the ordinary word
/// (社会大众 … 大众 … 大众). Drops the others from `found`.
fn confirm_common(text: &str, entries: &[gazetteer::Entry], found: &mut Vec<GazetteerHit>) {
    let mut strong = vec![false; entries.len()];
    let mut weak_count = vec![0usize; entries.len()];
    for f in found.iter() {
        if f.common {
            weak_count[f.entry] += 1;
        } else {
            strong[f.entry] = true;
        }
    }
    let mut firm: Vec<Mention> = found
        .iter()
        .filter(|f| !f.common)
        .map(|f| f.mention)
        .collect();
    firm.sort();
    let longest = firm.iter().map(|g| g.end - g.start).max().unwrap_or(0);
    let signalled: Vec<bool> = found
        .iter()
        .map(|f| {
            if !f.common || strong[f.entry] {
                return true;
            }
            let m = f.mention;
            // A firm mention that ends where this one starts starts at most `longest` before.
            let before = firm.partition_point(|g| g.start + longest < m.start);
            let owner_before = entries[f.entry].owner.is_some_and(|o| {
                firm[before..]
                    .iter()
                    .take_while(|g| g.start < m.start)
                    .any(|g| g.end == m.start)
                    && entries[o]
                        .forms
                        .iter()
                        .any(|form| text[..m.start].ends_with(form.as_str()))
            });
            // Only firm mentions within a separator's width can be next to it.
            let near = firm.partition_point(|g| g.start + longest + 4 < m.start);
            let in_list = firm[near..]
                .iter()
                .take_while(|g| g.start <= m.end + 4)
                .any(|g| adjacent(text, g.end, m.start) || adjacent(text, m.end, g.start));
            owner_before || in_list || has_cue(text, m)
        })
        .collect();
    let mut confirmed = vec![false; entries.len()];
    for (f, &ok) in found.iter().zip(&signalled) {
        if ok && f.common {
            confirmed[f.entry] = true;
        }
    }
    // In place: a long book has millions of mentions.
    let mut signalled = signalled.into_iter();
    found.retain(|f| {
        let ok = signalled.next().unwrap_or(true);
        ok || (weak_count[f.entry] >= 3 && confirmed[f.entry])
    });
}

/// Whether `a..b` is empty or one list separator.
fn adjacent(text: &str, a: usize, b: usize) -> bool {
    if a > b {
        return false;
    }
    let gap = &text[a..b];
    gap.is_empty()
        || (gap.len() <= 4 && gap.chars().count() == 1 && gap.starts_with(LIST_SEPARATORS))
}

/// A cue word within eight characters either side, in the same sentence.
fn has_cue(text: &str, m: Mention) -> bool {
    let before = tail_chars(&text[..m.start], 8);
    let after = head_chars(&text[m.end..], 8);
    let stop = |s: &str| s.contains(['。', '！', '？', '\n']);
    CUES.iter().any(|cue| {
        (before.contains(cue) && !stop(&before[before.rfind(cue).unwrap_or(0)..]))
            || (after.contains(cue) && !stop(&after[..after.find(cue).unwrap_or(0)]))
    })
}

fn tail_chars(s: &str, n: usize) -> &str {
    let start = s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    &s[start..]
}

pub(crate) fn head_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// A Latin name must not be part of a longer Latin word (`Meta` in `Metadata`).
fn latin_edges_ok(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric();
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let glued_before = first.is_some_and(word) && before.is_some_and(word);
    let glued_after = last.is_some_and(word) && after.is_some_and(word);
    !(glued_before || glued_after)
}

/// Segments the clause around a match once and answers "is start..end made of whole words".
#[derive(Default)]
struct WindowCache {
    window: (usize, usize),
    boundaries: Vec<usize>,
}

impl WindowCache {
    fn is_word(&mut self, text: &str, start: usize, end: usize, segmenter: &Segmenter) -> bool {
        // Only edges between two CJK characters are in doubt.
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let first = text[start..].chars().next();
        let last = text[..end].chars().next_back();
        let doubt_start = before.is_some_and(is_han)
            && first.is_some_and(is_han)
            && segmenter.may_straddle(text, start);
        let doubt_end = after.is_some_and(is_han)
            && last.is_some_and(is_han)
            && segmenter.may_straddle(text, end);
        if !doubt_start && !doubt_end {
            return true;
        }
        if !(self.window.0 <= start && end <= self.window.1) || self.boundaries.is_empty() {
            let ws = clause_start(text, start);
            let we = clause_end(text, end);
            self.window = (ws, we);
            self.boundaries = segmenter
                .boundaries(&text[ws..we])
                .into_iter()
                .map(|b| b + ws)
                .collect();
        }
        let has = |at: usize| self.boundaries.binary_search(&at).is_ok();
        (!doubt_start || has(start)) && (!doubt_end || has(end))
    }
}

pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Start of the clause holding `at`, at most 24 characters back.
pub(crate) fn clause_start(text: &str, at: usize) -> usize {
    let mut start = at;
    for (n, (i, c)) in text[..at].char_indices().rev().enumerate() {
        if n >= 24 || !is_han(c) && !c.is_alphanumeric() {
            break;
        }
        start = i;
    }
    start
}

/// End of the clause holding `at`, at most 24 characters on.
pub(crate) fn clause_end(text: &str, at: usize) -> usize {
    let mut end = at;
    for (n, (i, c)) in text[at..].char_indices().enumerate() {
        if n >= 24 || !is_han(c) && !c.is_alphanumeric() {
            break;
        }
        end = at + i + c.len_utf8();
    }
    end
}

/// Kind order, then most mentioned first, then name.
pub fn sort(entities: &mut [Entity]) {
    entities.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.count().cmp(&a.count()))
            .then(a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests;
