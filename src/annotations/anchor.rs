//! Finding an annotation's text again after the article changed (DESIGN.md §5).
//!
//! An annotation keeps its byte range and a [`Quote`]: the exact text plus up to
//! [`CONTEXT_CHARS`] characters either side. When the document's hash changed, [`locate`] looks
//! for the quote in the new text, in this order:
//!
//! 1. the exact quote at the old position (or where the shift of the annotations before it puts
//!    it), with its context intact;
//! 2. the exact quote elsewhere: every occurrence is scored by how well the text just before and
//!    after it matches the stored prefix and suffix, then by distance to the expected position.
//!    Occurrences are looked for in widening windows around the expected position first; one
//!    whose context is intact ends the search, as no occurrence further away could beat it;
//! 3. the same text ignoring whitespace (spaces, newlines, full-width spaces added or removed
//!    inside or around the passage), scored the same way;
//! 4. a fuzzy match, see [`FUZZY_THRESHOLD`]: first in a few KB around the expected position,
//!    then in the few places of the whole text where several of the quote's character pairs
//!    occur close together.
//!
//! Failing all, the annotation is an orphan. [`reanchor_all`] does this for every annotation of
//! a document, in order of position, carrying the shift of one annotation over to the next so
//! that after an edit nearly every annotation is found by the first check.
//!
//! Cost: an annotation whose quote and context are intact at the expected position costs a few
//! string comparisons. One that is not costs a scan of up to 64 KB around it, and if that finds
//! nothing with intact context, searches of the whole text (exact, then whitespace-insensitive,
//! then the fuzzy prefilter). The first few of those scan the text; after that (a large edit
//! that orphaned many annotations) [`reanchor_all`] indexes where each character occurs, once,
//! and looks up the quote's rarest characters instead.

use std::cell::{Cell, OnceCell};

use aho_corasick::AhoCorasick;
use memchr::memmem;

use super::{Annotation, Quote};

/// Characters of context kept either side of a quote.
pub const CONTEXT_CHARS: usize = 32;

/// The similarity a fuzzy match must reach: `1 − d / max(m, l)`, with `d` the character-level
/// edit distance (Levenshtein) between the quote and a passage of the new text, `m` and `l`
/// their lengths in characters, whitespace ignored on both sides.
///
/// Why 0.75: it keeps a quote when about one character in four was changed, which covers what
/// an article revision does to a sentence (a corrected character, a replaced word, punctuation
/// changed), e.g. an 8-character quote survives 2 edits, a 12-character one 3; at 0.9 an
/// 8-character quote would already be lost to a single changed character. Lower than 0.75, a
/// quote starts to match a different sentence built from the same common words (的, 是, 在 …),
/// or, for Latin text with its 26 letters, a different word. Edit distance works on characters,
/// so it needs no word boundaries and suits Chinese as it is.
pub const FUZZY_THRESHOLD: f32 = 0.75;

/// A quote needs at least this weight (2 per non-ASCII character, 1 per ASCII one, whitespace
/// not counted) to be matched fuzzily: four Chinese characters or eight Latin letters. Shorter
/// quotes (in particular of one or two characters) would match unrelated text by chance; they
/// are found exactly or not at all.
const MIN_FUZZY_WEIGHT: usize = 8;

/// Quotes longer than this (in non-whitespace characters) are not matched fuzzily: the edit
/// distance costs the quote's length times the window's.
const MAX_FUZZY_CHARS: usize = 4096;

/// Radii (bytes) of the windows searched for the exact quote before the whole text.
const EXACT_RADII: [usize; 3] = [256, 4 << 10, 64 << 10];

/// The same for the whitespace-insensitive match.
const LOOSE_RADII: [usize; 2] = [4 << 10, 64 << 10];

/// Radius (bytes) around the expected position of the fuzzy search's first window.
const FUZZY_RADIUS: usize = 4 << 10;

/// When a quote occurs very often, only this many nearest occurrences and this many with the
/// longest intact context are scored fully.
const FULL_SCORED: usize = 64;

/// Character pairs of the quote looked for by the fuzzy prefilter (at most 16: a `u16` mask).
const PREFILTER_PATTERNS: usize = 16;

/// Places of the whole text the fuzzy prefilter hands to the edit distance.
const PREFILTER_REGIONS: usize = 8;

/// The prefilter stops collecting pair occurrences after this many.
const PREFILTER_MAX_HITS: usize = 1 << 20;

/// Whole-text searches done by scanning before the text's [`CharIndex`] is built.
const SCANS_BEFORE_INDEX: usize = 4;

/// How an annotation was found in the new text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Found {
    /// The exact quote is still at the old position.
    Same,
    /// The exact quote elsewhere (the nearest; prefix and suffix decide among repeats).
    Exact,
    /// The same text ignoring whitespace differences.
    Loose,
    /// A passage similar to the quote, with this similarity (see [`FUZZY_THRESHOLD`]).
    Fuzzy(f32),
}

/// What [`reanchor_all`] did; every annotation is counted in exactly one field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Found at the same position.
    pub unchanged: usize,
    /// Found elsewhere, exactly or ignoring whitespace.
    pub moved: usize,
    /// Found by a fuzzy match.
    pub fuzzy: usize,
    /// Not found (new orphans and orphans still not found).
    pub orphaned: usize,
    /// Were orphans, found again.
    pub recovered: usize,
}

/// The quote selector for `start..end` of `text`.
pub fn quote_at(text: &str, start: usize, end: usize) -> Quote {
    let prefix_start = text[..start]
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let suffix_end = text[end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(text.len(), |(i, _)| end + i);
    Quote {
        exact: text[start..end].to_string(),
        prefix: text[prefix_start..start].to_string(),
        suffix: text[end..suffix_end].to_string(),
    }
}

/// Where `quote` is in `text` now, given where it was (`old_start..old_end`, which may be out of
/// range or not on character boundaries in the new text). The range returned is on character
/// boundaries; an empty quote is never found.
pub fn locate(
    text: &str,
    old_start: usize,
    old_end: usize,
    quote: &Quote,
) -> Option<(usize, usize, Found)> {
    find(
        &Haystack::new(text, SCANS_BEFORE_INDEX),
        old_start,
        old_end,
        old_start,
        quote,
    )
}

/// Re-anchors every annotation to `text` (after the document's hash changed). Found ones get
/// their new range, `orphan = false` and their quote refreshed from the new text; the others get
/// `orphan = true` and keep their quote and range. Orphans are tried again. `modified` is not
/// changed, and no annotation is ever dropped.
pub fn reanchor_all(text: &str, annotations: &mut [Annotation]) -> Report {
    let mut order: Vec<usize> = (0..annotations.len()).collect();
    order.sort_by_key(|&i| {
        let a = &annotations[i];
        (a.orphan, a.start, a.end)
    });
    let hay = Haystack::new(text, SCANS_BEFORE_INDEX);
    let mut report = Report::default();
    // How far the previous placed annotation moved: where this one most likely is now.
    let mut delta: isize = 0;
    for i in order {
        let a = &mut annotations[i];
        let was_orphan = a.orphan;
        let expected = if was_orphan {
            a.start
        } else {
            a.start.saturating_add_signed(delta)
        };
        match find(&hay, a.start, a.end, expected, &a.quote) {
            Some((start, end, how)) => {
                if !was_orphan {
                    delta = (start as isize).wrapping_sub(a.start as isize);
                }
                match (was_orphan, how) {
                    (true, _) => report.recovered += 1,
                    (false, Found::Same) => report.unchanged += 1,
                    (false, Found::Exact | Found::Loose) => report.moved += 1,
                    (false, Found::Fuzzy(_)) => report.fuzzy += 1,
                }
                a.start = start;
                a.end = end;
                a.orphan = false;
                a.quote = quote_at(text, start, end);
            }
            None => {
                a.orphan = true;
                report.orphaned += 1;
            }
        }
    }
    report
}

/// [`locate`], with the position where the quote is expected (which may differ from the old
/// one: the annotations before it moved).
fn find(
    hay: &Haystack,
    old_start: usize,
    old_end: usize,
    expected: usize,
    quote: &Quote,
) -> Option<(usize, usize, Found)> {
    let (text, exact) = (hay.text, quote.exact.as_str());
    if exact.is_empty() {
        return None;
    }
    let expected = floor_char(text, expected);
    let kind = |s: usize, e: usize| {
        if s == old_start && e == old_end {
            Found::Same
        } else {
            Found::Exact
        }
    };
    // 1. Where it was, or where the shift of the annotations before it puts it.
    for s in [old_start, expected] {
        if let Some(e) = s.checked_add(exact.len())
            && text.get(s..e) == Some(exact)
            && context_is_intact(text, s, e, quote)
        {
            return Some((s, e, kind(s, e)));
        }
    }
    let target = Target::new(quote);
    // 2. The exact quote elsewhere.
    let finder = memmem::Finder::new(exact.as_bytes());
    let exact_hits = |lo: usize, hi: usize, out: &mut Vec<(usize, usize)>| {
        // Overlapping ones too: 广告广告 occurs twice in 广告广告广告.
        let bytes = &text.as_bytes()[lo..hi];
        let mut from = 0;
        while let Some(i) = finder.find(&bytes[from..]) {
            let s = lo + from + i;
            out.push((s, s + exact.len()));
            from += i + 1;
        }
    };
    let exact_indexed =
        |index: &CharIndex, out: &mut Vec<(usize, usize)>| exact_by_index(text, index, exact, out);
    if let Some((s, e)) = widening(
        hay,
        expected,
        exact.len(),
        &EXACT_RADII,
        &target,
        exact_hits,
        exact_indexed,
    ) {
        return Some((s, e, kind(s, e)));
    }
    // 3. The same characters, whitespace aside.
    let first = target.needle.first()?;
    let mut buf = [0; 4];
    let first = memmem::Finder::new(first.encode_utf8(&mut buf).as_bytes()).into_owned();
    let loose_hits = |lo: usize, hi: usize, out: &mut Vec<(usize, usize)>| {
        for i in first.find_iter(&text.as_bytes()[lo..hi]) {
            if let Some(e) = loose_match_at(text, lo + i, &target.needle) {
                out.push((lo + i, e));
            }
        }
    };
    let loose_indexed = |index: &CharIndex, out: &mut Vec<(usize, usize)>| {
        loose_by_index(text, index, &target.needle, out)
    };
    if let Some((s, e)) = widening(
        hay,
        expected,
        exact.len(),
        &LOOSE_RADII,
        &target,
        loose_hits,
        loose_indexed,
    ) {
        return Some((s, e, Found::Loose));
    }
    // 4. Something similar.
    fuzzy(hay, expected, &target).map(|(s, e, sim)| (s, e, Found::Fuzzy(sim)))
}

/// A quote prepared for scoring candidates.
struct Target<'q> {
    quote: &'q Quote,
    /// The quote's characters without whitespace, for the loose and fuzzy steps.
    needle: Vec<char>,
    prefix_chars: usize,
    suffix_chars: usize,
    /// Sorted character pairs of the prefix and suffix.
    prefix_pairs: Vec<(char, char)>,
    suffix_pairs: Vec<(char, char)>,
}

impl<'q> Target<'q> {
    fn new(quote: &'q Quote) -> Self {
        Self {
            quote,
            needle: quote.exact.chars().filter(|c| !c.is_whitespace()).collect(),
            prefix_chars: quote.prefix.chars().count(),
            suffix_chars: quote.suffix.chars().count(),
            prefix_pairs: pairs(&quote.prefix),
            suffix_pairs: pairs(&quote.suffix),
        }
    }

    /// How much of the stored context is intact right next to `s..e`, from each side: 0..=2.
    fn cheap_score(&self, text: &str, s: usize, e: usize) -> f32 {
        let before = run_before(self.quote.prefix.as_bytes(), &text.as_bytes()[..s]);
        let after = run_after(self.quote.suffix.as_bytes(), &text.as_bytes()[e..]);
        fraction(before, self.prefix_chars) + fraction(after, self.suffix_chars)
    }

    /// How well the text around `s..e` matches the stored context: 0..=2, 2 when both are
    /// intact. Per side, half the intact run next to the passage, half the character-pair
    /// similarity (Dice) of the whole context, which survives an edit right next to it.
    fn score(&self, text: &str, s: usize, e: usize) -> f32 {
        let side = |n: usize, stored_pairs: &[(char, char)], actual: &str, run| {
            let run = fraction(run, n);
            if n < 2 {
                run
            } else {
                0.5 * run + 0.5 * dice(stored_pairs, &pairs(actual))
            }
        };
        let before = &text[..s];
        let after = &text[e..];
        side(
            self.prefix_chars,
            &self.prefix_pairs,
            last_chars(before, self.prefix_chars),
            run_before(self.quote.prefix.as_bytes(), before.as_bytes()),
        ) + side(
            self.suffix_chars,
            &self.suffix_pairs,
            first_chars(after, self.suffix_chars),
            run_after(self.quote.suffix.as_bytes(), after.as_bytes()),
        )
    }

    /// Weight for [`MIN_FUZZY_WEIGHT`].
    fn weight(&self) -> usize {
        self.needle
            .iter()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum()
    }
}

/// Looks for the quote with `hits` (which appends the matches starting in `lo..hi`) in windows
/// of `radii` around `expected`, returning the nearest one with intact context as soon as a
/// window has one; else the best of the whole text by context, then distance. The whole text
/// is searched with `indexed` (which appends all matches, or returns false if it cannot) when
/// there is an index.
fn widening(
    hay: &Haystack,
    expected: usize,
    len: usize,
    radii: &[usize],
    target: &Target,
    hits: impl Fn(usize, usize, &mut Vec<(usize, usize)>),
    indexed: impl Fn(&CharIndex, &mut Vec<(usize, usize)>) -> bool,
) -> Option<(usize, usize)> {
    let text = hay.text;
    let mut found = Vec::new();
    for &radius in radii {
        let lo = expected.saturating_sub(radius);
        let hi = expected
            .saturating_add(len)
            .saturating_add(radius)
            .min(text.len());
        found.clear();
        hay.scanned.set(hay.scanned.get() + (hi - lo));
        hits(lo, hi, &mut found);
        let intact = found
            .iter()
            .filter(|&&(s, e)| context_is_intact(text, s, e, target.quote))
            .min_by_key(|&&(s, _)| (s.abs_diff(expected), s));
        if let Some(&best) = intact {
            return Some(best);
        }
        if lo == 0 && hi == text.len() {
            return pick(text, expected, target, &found);
        }
    }
    found.clear();
    if !hay
        .whole_text_search()
        .is_some_and(|index| indexed(index, &mut found))
    {
        found.clear();
        hits(0, text.len(), &mut found);
    }
    pick(text, expected, target, &found)
}

/// All occurrences of `exact` (which must hold a character other than whitespace), found from
/// those of its rarest character.
fn exact_by_index(
    text: &str,
    index: &CharIndex,
    exact: &str,
    out: &mut Vec<(usize, usize)>,
) -> bool {
    let Some((at, c)) = exact
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .min_by_key(|&(_, c)| index.group(c).len())
    else {
        return false;
    };
    for &p in index.group(c) {
        if let Some(s) = (p as usize).checked_sub(at)
            && text.as_bytes()[s..].starts_with(exact.as_bytes())
        {
            out.push((s, s + exact.len()));
        }
    }
    true
}

/// All whitespace-insensitive occurrences of `needle`, found from those of its rarest character.
fn loose_by_index(
    text: &str,
    index: &CharIndex,
    needle: &[char],
    out: &mut Vec<(usize, usize)>,
) -> bool {
    let Some((k, &c)) = needle
        .iter()
        .enumerate()
        .min_by_key(|&(_, &c)| index.group(c).len())
    else {
        return false;
    };
    for &p in index.group(c) {
        let p = p as usize;
        if !text[p..].starts_with(c) {
            continue;
        }
        // Back to where the needle's first character would be.
        let start = match k {
            0 => Some(p),
            _ => text[..p]
                .char_indices()
                .rev()
                .filter(|(_, c)| !c.is_whitespace())
                .nth(k - 1)
                .map(|(i, _)| i),
        };
        if let Some(s) = start
            && let Some(e) = loose_match_at(text, s, needle)
        {
            out.push((s, e));
        }
    }
    true
}

/// The text searched, with an index of its characters built once enough whole-text searches
/// were needed (after a large edit, when many annotations become orphans).
struct Haystack<'t> {
    text: &'t str,
    whole_text_searches: Cell<usize>,
    /// Bytes the exact and loose steps scanned in their windows (the whole-text searches are
    /// counted above): what the widening saves.
    scanned: Cell<usize>,
    scans_before_index: usize,
    index: OnceCell<Option<CharIndex>>,
}

impl<'t> Haystack<'t> {
    fn new(text: &'t str, scans_before_index: usize) -> Self {
        Self {
            text,
            whole_text_searches: Cell::new(0),
            scanned: Cell::new(0),
            scans_before_index,
            index: OnceCell::new(),
        }
    }

    /// Counts a search of the whole text; the index, if it is time to use one.
    fn whole_text_search(&self) -> Option<&CharIndex> {
        let n = self.whole_text_searches.get();
        self.whole_text_searches.set(n + 1);
        if n < self.scans_before_index {
            return None;
        }
        self.index
            .get_or_init(|| CharIndex::new(self.text))
            .as_ref()
    }
}

/// Where each character other than whitespace occurs in a text: byte offsets, ascending, in
/// groups by the character's low 16 bits (so one group per character of the BMP; the rare
/// characters beyond it share groups, and users check which character they got).
struct CharIndex {
    /// Group `g` is `offsets[starts[g]..starts[g + 1]]`.
    starts: Vec<u32>,
    offsets: Vec<u32>,
}

impl CharIndex {
    const GROUPS: usize = 1 << 16;

    fn group_of(c: char) -> usize {
        c as usize & (Self::GROUPS - 1)
    }

    /// None for a text of 4 GB or more.
    fn new(text: &str) -> Option<Self> {
        u32::try_from(text.len()).ok()?;
        let mut starts = vec![0u32; Self::GROUPS + 1];
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            starts[Self::group_of(c) + 1] += 1;
        }
        for g in 1..=Self::GROUPS {
            starts[g] += starts[g - 1];
        }
        let mut next = starts[..Self::GROUPS].to_vec();
        let mut offsets = vec![0u32; starts[Self::GROUPS] as usize];
        for (i, c) in text.char_indices().filter(|(_, c)| !c.is_whitespace()) {
            let g = Self::group_of(c);
            offsets[next[g] as usize] = i as u32;
            next[g] += 1;
        }
        Some(Self { starts, offsets })
    }

    /// Offsets of `c`, and of the characters sharing its group.
    fn group(&self, c: char) -> &[u32] {
        let g = Self::group_of(c);
        &self.offsets[self.starts[g] as usize..self.starts[g + 1] as usize]
    }
}

/// The best of `found` by context score, then distance to `expected`, then position. Very
/// frequent quotes have only their nearest occurrences and those with the longest intact
/// context scored fully.
fn pick(
    text: &str,
    expected: usize,
    target: &Target,
    found: &[(usize, usize)],
) -> Option<(usize, usize)> {
    let dist = |&(s, _): &(usize, usize)| s.abs_diff(expected);
    let mut pool = found.to_vec();
    if pool.len() > 2 * FULL_SCORED {
        pool.select_nth_unstable_by_key(FULL_SCORED, dist);
        pool.truncate(FULL_SCORED);
        let mut by_context: Vec<(f32, usize, (usize, usize))> = found
            .iter()
            .map(|h| (target.cheap_score(text, h.0, h.1), dist(h), *h))
            .collect();
        by_context
            .select_nth_unstable_by(FULL_SCORED, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        pool.extend(by_context[..FULL_SCORED].iter().map(|x| x.2));
        pool.sort_unstable();
        pool.dedup();
    }
    pool.into_iter()
        .map(|h| (target.score(text, h.0, h.1), dist(&h), h))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)))
        .map(|x| x.2)
}

/// Whether the stored prefix ends right at `s` and the stored suffix starts right at `e`.
fn context_is_intact(text: &str, s: usize, e: usize, quote: &Quote) -> bool {
    text[..s].ends_with(&quote.prefix) && text[e..].starts_with(&quote.suffix)
}

/// Where the characters of `needle` follow one another from `s` on, whitespace aside: the end
/// of the last one.
fn loose_match_at(text: &str, s: usize, needle: &[char]) -> Option<usize> {
    let mut chars = text[s..].char_indices().filter(|(_, c)| !c.is_whitespace());
    let mut end = s;
    for &want in needle {
        let (i, c) = chars.next()?;
        if c != want {
            return None;
        }
        end = s + i + c.len_utf8();
    }
    Some(end)
}

/// Step 4: the best passage at least [`FUZZY_THRESHOLD`] similar to the quote near `expected`,
/// else anywhere the prefilter points to.
fn fuzzy(hay: &Haystack, expected: usize, target: &Target) -> Option<(usize, usize, f32)> {
    let text = hay.text;
    let m = target.needle.len();
    if m > MAX_FUZZY_CHARS || target.weight() < MIN_FUZZY_WEIGHT {
        return None;
    }
    let exact_len = target.quote.exact.len();
    let radius = FUZZY_RADIUS.max(exact_len / 2);
    let lo = floor_char(text, expected.saturating_sub(radius));
    let hi = floor_char(
        text,
        expected.saturating_add(exact_len).saturating_add(radius),
    );
    let mut found = Vec::new();
    similar_passages(text, lo, hi, &target.needle, &mut found);
    if found.is_empty() && (lo > 0 || hi < text.len()) {
        for (rlo, rhi) in prefilter(hay, expected, target, exact_len) {
            if rlo < lo || rhi > hi {
                similar_passages(text, rlo, rhi, &target.needle, &mut found);
            }
        }
    }
    let best = found.iter().map(|x| x.2).max_by(f32::total_cmp)?;
    found
        .into_iter()
        .filter(|x| x.2 == best)
        .map(|(s, e, sim)| (target.score(text, s, e), s.abs_diff(expected), s, e, sim))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)))
        .map(|(_, _, s, e, sim)| (s, e, sim))
}

/// Appends to `out` the passages of `text[lo..hi]` (on character boundaries) at least
/// [`FUZZY_THRESHOLD`] similar to `needle`, whitespace ignored: for each end, the start with the
/// smallest edit distance (Sellers' approximate matching, with Ukkonen's cut-off so that only
/// the rows that can still reach the threshold are computed). Returns how many cells of the
/// distance matrix it computed: what the cut-off saves.
fn similar_passages(
    text: &str,
    lo: usize,
    hi: usize,
    needle: &[char],
    out: &mut Vec<(usize, usize, f32)>,
) -> usize {
    const FAR: u32 = u32::MAX / 2;
    let m = needle.len();
    if m == 0 || lo >= hi {
        return 0;
    }
    let mut cells = 0;
    // sim ≥ T needs d ≤ (1 − T)·max(m, l) ≤ (1 − T)·(m + d), i.e. d ≤ m·(1 − T)/T.
    let max_edits = ((m as f32) * (1.0 - FUZZY_THRESHOLD) / FUZZY_THRESHOLD + 1e-4) as usize;
    let chars: Vec<(usize, char)> = text[lo..hi]
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .map(|(i, c)| (lo + i, c))
        .collect();
    // Column of the distance matrix: `dist[i]` is the edit distance between `needle[..i]` and
    // the best passage ending at the current character, which starts at character `from[i]`.
    let mut dist: Vec<u32> = (0..=m as u32).collect();
    let mut from: Vec<u32> = vec![0; m + 1];
    // The last row whose distance is within `max_edits`.
    let mut top = max_edits.min(m);
    for (j, &(_, c)) in chars.iter().enumerate() {
        let last = (top + 1).min(m);
        let (mut diag, mut diag_from) = (dist[0], from[0]);
        dist[0] = 0;
        from[0] = j as u32 + 1;
        cells += last;
        for i in 1..=last {
            let (up, up_from) = (dist[i], from[i]);
            let (mut d, mut f) = (diag + u32::from(needle[i - 1] != c), diag_from);
            if up + 1 < d {
                (d, f) = (up + 1, up_from);
            }
            if dist[i - 1] + 1 < d {
                (d, f) = (dist[i - 1] + 1, from[i - 1]);
            }
            dist[i] = d;
            from[i] = f;
            (diag, diag_from) = (up, up_from);
        }
        if last < m {
            dist[last + 1] = FAR;
        }
        top = last;
        while top > 0 && dist[top] as usize > max_edits {
            top -= 1;
        }
        if top == m {
            let start = from[m] as usize;
            let l = j + 1 - start;
            let sim = 1.0 - dist[m] as f32 / m.max(l) as f32;
            if sim >= FUZZY_THRESHOLD {
                out.push((chars[start].0, chars[j].0 + c.len_utf8(), sim));
            }
        }
    }
    cells
}

/// Byte ranges of the whole text where several of the quote's character pairs (evenly spread
/// ones when scanning, those starting with the rarest characters with the index) occur about as
/// far apart as in the quote: where a fuzzy match that moved far could be. The places where the
/// most pairs agree (the nearest among equals), in text order, overlapping ones merged.
fn prefilter(
    hay: &Haystack,
    expected: usize,
    target: &Target,
    exact_len: usize,
) -> Vec<(usize, usize)> {
    let (text, needle) = (hay.text, &target.needle);
    if needle.len() < 2 {
        return Vec::new();
    }
    let mut offsets = Vec::with_capacity(needle.len());
    let mut needle_len = 0;
    for c in needle {
        offsets.push(needle_len);
        needle_len += c.len_utf8();
    }
    // Where each occurrence says the passage starts, in buckets of a quarter of its length,
    // with the pattern that said it as a bit.
    let bucket = (needle_len / 4).max(64);
    let mut hits: Vec<(usize, u16)> = Vec::new();
    let patterns = match hay.whole_text_search() {
        Some(index) => {
            // Pairs whose first character is rarest, each once.
            let mut pairs: Vec<(usize, char, char, usize)> = needle
                .windows(2)
                .zip(&offsets)
                .map(|(w, &at)| (index.group(w[0]).len(), w[0], w[1], at))
                .collect();
            pairs.sort_unstable();
            pairs.dedup_by_key(|x| (x.1, x.2));
            pairs.truncate(PREFILTER_PATTERNS);
            'all: for (p, &(_, first, second, at)) in pairs.iter().enumerate() {
                for &i in index.group(first) {
                    let i = i as usize;
                    let mut next = text[i..].chars();
                    if next.next() == Some(first) && next.next() == Some(second) {
                        hits.push((i.saturating_sub(at) / bucket, 1 << p));
                        if hits.len() >= PREFILTER_MAX_HITS {
                            break 'all;
                        }
                    }
                }
            }
            pairs.len()
        }
        None => {
            let pair_count = needle.len() - 1;
            let step = pair_count.div_ceil(PREFILTER_PATTERNS).max(1);
            let mut patterns: Vec<String> = Vec::new();
            let mut pattern_offsets = Vec::new();
            for i in (0..pair_count).step_by(step) {
                let pattern: String = [needle[i], needle[i + 1]].iter().collect();
                if !patterns.contains(&pattern) {
                    patterns.push(pattern);
                    pattern_offsets.push(offsets[i]);
                }
            }
            let Ok(ac) = AhoCorasick::new(&patterns) else {
                return Vec::new();
            };
            for m in ac.find_overlapping_iter(text) {
                let p = m.pattern().as_usize();
                hits.push((
                    m.start().saturating_sub(pattern_offsets[p]) / bucket,
                    1 << p,
                ));
                if hits.len() >= PREFILTER_MAX_HITS {
                    break;
                }
            }
            patterns.len()
        }
    };
    hits.sort_unstable();
    let mut buckets: Vec<(usize, u16)> = Vec::new();
    for (b, mask) in hits {
        match buckets.last_mut() {
            Some(last) if last.0 == b => last.1 |= mask,
            _ => buckets.push((b, mask)),
        }
    }
    let need = if patterns >= 3 { 2 } else { 1 };
    let mut candidates: Vec<(u32, usize, usize)> = Vec::new();
    for (i, &(b, mut mask)) in buckets.iter().enumerate() {
        if i > 0 && buckets[i - 1].0 + 1 == b {
            mask |= buckets[i - 1].1;
        }
        if let Some(next) = buckets.get(i + 1)
            && next.0 == b + 1
        {
            mask |= next.1;
        }
        let votes = mask.count_ones();
        if votes >= need {
            candidates.push((votes, (b * bucket).abs_diff(expected), b));
        }
    }
    candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates.truncate(PREFILTER_REGIONS);
    let slack = exact_len / 2 + 64;
    let mut regions: Vec<(usize, usize)> = candidates
        .into_iter()
        .map(|(_, _, b)| {
            let lo = (b.saturating_sub(1) * bucket).saturating_sub(slack);
            let hi = ((b + 2) * bucket + exact_len + slack).min(text.len());
            (floor_char(text, lo), floor_char(text, hi))
        })
        .collect();
    regions.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (lo, hi) in regions {
        match merged.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    merged
}

/// Sorted character pairs of `s`.
fn pairs(s: &str) -> Vec<(char, char)> {
    let mut p: Vec<(char, char)> = s.chars().zip(s.chars().skip(1)).collect();
    p.sort_unstable();
    p
}

/// Dice coefficient of two sorted multisets.
fn dice(a: &[(char, char)], b: &[(char, char)]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
}

/// `run` characters of `n`, as a fraction; an empty stored context counts as intact.
fn fraction(run: usize, n: usize) -> f32 {
    if n == 0 { 1.0 } else { run as f32 / n as f32 }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Whole characters at the end of `stored` that `before` also ends with.
fn run_before(stored: &[u8], before: &[u8]) -> usize {
    let bytes = stored
        .iter()
        .rev()
        .zip(before.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    stored[stored.len() - bytes..]
        .iter()
        .filter(|&&b| !is_continuation(b))
        .count()
}

/// Whole characters at the start of `stored` that `after` also starts with.
fn run_after(stored: &[u8], after: &[u8]) -> usize {
    let bytes = stored.iter().zip(after).take_while(|(a, b)| a == b).count();
    let chars = stored[..bytes]
        .iter()
        .filter(|&&b| !is_continuation(b))
        .count();
    // A character whose first bytes matched but not all of them.
    if bytes < stored.len() && is_continuation(stored[bytes]) {
        chars - 1
    } else {
        chars
    }
}

/// The last `n` characters of `s` (all of it if shorter).
fn last_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    s.char_indices()
        .rev()
        .nth(n - 1)
        .map_or(s, |(i, _)| &s[i..])
}

/// The first `n` characters of `s` (all of it if shorter).
fn first_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// `at`, clamped to the text and moved back to a character boundary.
fn floor_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod search_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::Colour;
    use crate::document::Document;

    pub(super) fn sample() -> String {
        Document::new(std::str::from_utf8(crate::load::SAMPLE).unwrap())
            .text()
            .to_string()
    }

    /// Byte offset of the `n`th occurrence of `needle` in `text`.
    pub(super) fn nth(text: &str, needle: &str, n: usize) -> usize {
        text.match_indices(needle).nth(n).unwrap().0
    }

    pub(super) fn annotate(text: &str, needle: &str) -> Annotation {
        let s = text.find(needle).unwrap();
        Annotation::new(text, s, s + needle.len(), Colour::Yellow)
    }

    /// Text that repeats nothing of the sample: distinct CJK characters from a simple generator.
    pub(super) fn filler(chars: usize, seed: u32) -> String {
        let mut x = seed;
        (0..chars)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                char::from_u32(0x5000 + (x >> 16) % 0x3000).unwrap()
            })
            .collect()
    }

    #[test]
    fn unchanged_text_is_found_in_place() {
        let text = sample();
        let s = nth(&text, "广告", 3);
        let q = quote_at(&text, s, s + "广告".len());
        assert_eq!(
            locate(&text, s, s + "广告".len(), &q),
            Some((s, s + "广告".len(), Found::Same))
        );
    }

    #[test]
    fn exact_quote_moved_by_an_insertion() {
        let text = sample();
        let passage = "目前的数码、家电、母婴、美食、化妆品等品类都是广告的重灾区。";
        let s = text.find(passage).unwrap();
        let q = quote_at(&text, s, s + passage.len());
        let edited = format!("新加的一段话。\n{text}");
        let shift = "新加的一段话。\n".len();
        assert_eq!(
            locate(&edited, s, s + passage.len(), &q),
            Some((s + shift, s + shift + passage.len(), Found::Exact))
        );
    }

    #[test]
    fn each_repeat_of_a_word_comes_back_on_its_own_occurrence() {
        let text = sample();
        let count = text.matches("广告").count();
        assert!(count >= 10, "the sample repeats 广告");
        let inserted = "【编者按：此处新增一句话】";
        for n in 0..count {
            let s = nth(&text, "广告", n);
            let e = s + "广告".len();
            let q = quote_at(&text, s, e);
            // Far before it, right before it (prefix broken), right after it (suffix broken).
            for at in [0, s, e] {
                let edited = format!("{}{inserted}{}", &text[..at], &text[at..]);
                let want = nth(&edited, "广告", n);
                let got = locate(&edited, s, e, &q);
                assert_eq!(
                    got.map(|g| g.0),
                    Some(want),
                    "occurrence {n}, inserted at {at}"
                );
                assert!(matches!(got, Some((_, _, Found::Exact | Found::Same))));
            }
        }
    }

    #[test]
    fn repeats_annotated_together_follow_an_insertion() {
        let text = sample();
        let mut all: Vec<Annotation> = text
            .match_indices("广告")
            .map(|(s, w)| Annotation::new(&text, s, s + w.len(), Colour::Green))
            .collect();
        // Between the second and third of 广告广告广告: right after one, right before the other.
        let at = nth(&text, "广告", 4);
        assert_eq!(&text[at - 6..at + 6], "广告广告");
        let edited = format!("{}插入{}", &text[..at], &text[at..]);
        let report = reanchor_all(&edited, &mut all);
        assert_eq!(report.unchanged, 4);
        assert_eq!(report.moved, all.len() - 4);
        let want: Vec<usize> = edited.match_indices("广告").map(|(s, _)| s).collect();
        let got: Vec<usize> = all.iter().map(|a| a.start).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn whitespace_only_change_is_a_loose_match() {
        let text = sample();
        let passage = "数码、家电、母婴、美食";
        let a = annotate(&text, passage);
        let edited = text.replacen(passage, "数码、家电、\n母婴、　美食", 1);
        let (s, e, how) = locate(&edited, a.start, a.end, &a.quote).unwrap();
        assert_eq!(how, Found::Loose);
        assert_eq!(&edited[s..e], "数码、家电、\n母婴、　美食");
    }

    #[test]
    fn whitespace_around_a_quote_is_ignored_too() {
        let text = "第一段。\n\n 小红书的广告越来越多 \n\n第三段。";
        let s = text.find(" 小红书").unwrap();
        let e = text.find("多 ").unwrap() + "多 ".len();
        let q = quote_at(text, s, e);
        let edited = "第一段。\n小红书的广告 越来越多\n第三段。";
        let (s2, e2, how) = locate(edited, s, e, &q).unwrap();
        assert_eq!(how, Found::Loose);
        assert_eq!(&edited[s2..e2], "小红书的广告 越来越多");
    }

    #[test]
    fn edited_passage_is_a_fuzzy_match() {
        let text = sample();
        let passage = "当然广告可以理解,但是尺度一定要把握好,否则真的很容易成为另一个百度。";
        let a = annotate(&text, passage);
        let changed = "当然广告可以理解，但是尺度一定要把握好，否则很容易成为另一个百度。";
        let edited = text.replacen(passage, changed, 1);
        let (s, e, how) = locate(&edited, a.start, a.end, &a.quote).unwrap();
        let Found::Fuzzy(sim) = how else {
            panic!("{how:?}")
        };
        assert!((FUZZY_THRESHOLD..1.0).contains(&sim), "{sim}");
        assert_eq!(&edited[s..e], changed);
    }

    #[test]
    fn long_passage_survives_several_edits() {
        let text = sample();
        let passage = text.lines().max_by_key(|l| l.chars().count()).unwrap();
        assert!(passage.chars().count() > 100);
        let a = annotate(&text, passage);
        let changed = passage
            .replacen("小红书", "小红薯", 1)
            .replacen(",", "，", 3)
            .replacen("的", "", 2);
        let edited = text.replacen(passage, &changed, 1);
        let (s, e, how) = locate(&edited, a.start, a.end, &a.quote).unwrap();
        assert!(matches!(how, Found::Fuzzy(sim) if sim > 0.9), "{how:?}");
        assert_eq!(&edited[s..e], changed);
    }

    #[test]
    fn exact_match_elsewhere_wins_over_a_fuzzy_one_in_place() {
        let passage = "这是一段可以被找到的文字";
        let text = format!("{}{passage}{}", filler(50, 1), filler(3000, 2));
        let s = text.find(passage).unwrap();
        let q = quote_at(&text, s, s + passage.len());
        let edited = format!(
            "{}这是一段可以被找回的文字{}{passage}",
            filler(50, 1),
            filler(3000, 2)
        );
        let (s2, e2, how) = locate(&edited, s, s + passage.len(), &q).unwrap();
        assert_eq!(how, Found::Exact);
        assert_eq!(&edited[s2..e2], passage);
        assert_eq!(e2, edited.len());
    }

    #[test]
    fn passage_moved_far_and_edited_is_found_by_the_prefilter() {
        let passage = "小红书的搜索功能已经成为很多年轻人获取信息的重要入口";
        let before = filler(300, 3);
        let middle = filler(100_000, 4);
        let text = format!("{before}{passage}{middle}");
        let s = before.len();
        let q = quote_at(&text, s, s + passage.len());
        let changed = "小红书的搜索功能已经成为许多年轻人获取信息的主要入口";
        let edited = format!("{before}{middle}{changed}。");
        let (s2, e2, how) = locate(&edited, s, s + passage.len(), &q).unwrap();
        assert!(matches!(how, Found::Fuzzy(_)), "{how:?}");
        assert_eq!(&edited[s2..e2], changed);
    }

    #[test]
    fn overlapping_repeats_are_told_apart() {
        let text = "满屏的广告广告广告，点进去";
        let s = text.find("广告广告，").unwrap();
        let e = s + "广告广告".len();
        let q = quote_at(text, s, e);
        let edited = format!("开头{text}");
        assert_eq!(
            locate(&edited, s, e, &q),
            Some((s + "开头".len(), e + "开头".len(), Found::Exact))
        );
    }

    #[test]
    fn the_index_finds_what_scanning_finds() {
        let text = sample();
        // The article, edited, after 120 KB of filler: every search of a quote expected where it
        // was goes on to the whole text.
        let edited = format!(
            "{}{}",
            filler(40_000, 9),
            text.replacen("数码、家电、母婴", "数码、家电、\n母婴", 1)
                .replacen("当然广告可以理解", "当然，广告可以理解", 1)
                .replace("小红书", "小 红书")
        );
        let scanning = Haystack::new(&edited, usize::MAX);
        let indexed = Haystack::new(&edited, 0);
        let mut seen = [false; 4];
        for (s, _) in text.char_indices().step_by(11) {
            for len in [1, 2, 5, 12] {
                let e = text[s..]
                    .char_indices()
                    .nth(len)
                    .map_or(text.len(), |(i, _)| s + i);
                let q = quote_at(&text, s, e);
                let want = find(&scanning, s, e, s, &q);
                let got = find(&indexed, s, e, s, &q);
                match want {
                    Some((_, _, Found::Fuzzy(_))) => assert!(got.is_some()),
                    _ => assert_eq!(got, want, "{:?}", q.exact),
                }
                seen[match want {
                    Some((_, _, Found::Exact)) => 0,
                    Some((_, _, Found::Loose)) => 1,
                    Some((_, _, Found::Fuzzy(_))) => 2,
                    _ => 3,
                }] = true;
            }
        }
        assert_eq!(
            seen,
            [true, true, true, false],
            "exact, loose and fuzzy were compared"
        );
        assert!(indexed.index.get().is_some_and(Option::is_some));
        assert!(scanning.index.get().is_none());
    }

    #[test]
    fn a_large_edit_orphans_many_and_keeps_the_rest() {
        // Filler, then the article; the first half of the article is deleted and the second
        // moves to the front with a word changed: many orphans, searched with the index.
        let article = sample();
        let half = article.find("目前的数码").unwrap();
        let filler = filler(100_000, 8);
        let text = format!("{filler}{article}");
        let mut all: Vec<Annotation> = article
            .char_indices()
            .step_by(50)
            .map(|(i, _)| {
                let s = filler.len() + i;
                let e = text[s..]
                    .char_indices()
                    .nth(6)
                    .map_or(text.len(), |(j, _)| s + j);
                Annotation::new(&text, s, e, Colour::Purple)
            })
            .collect();
        let kept = article[half..].replacen("免费没有广告", "免费、没有广告", 1);
        let edited = format!("{kept}{filler}");
        let report = reanchor_all(&edited, &mut all);
        assert!(report.orphaned >= 20, "{report:?}");
        for a in &all {
            if a.orphan {
                assert!(!edited.contains(&a.quote.exact));
            } else {
                assert_eq!(&edited[a.start..a.end], a.quote.exact);
            }
        }
        let moved = all.iter().filter(|a| !a.orphan).count();
        assert!(
            moved >= article[half..].chars().count() / 50 - 1,
            "{report:?}"
        );
    }

    #[test]
    fn short_quotes_are_never_fuzzy() {
        let text = format!("{}广告{}", filler(40, 5), filler(40, 6));
        let s = text.find("广告").unwrap();
        let q = quote_at(&text, s, s + "广告".len());
        let edited = text.replace("广告", "广吿");
        assert_eq!(locate(&edited, s, s + "广告".len(), &q), None);
        // Four ASCII letters are too few as well.
        let text = "the word cats is here";
        let q = quote_at(text, 9, 13);
        assert_eq!(locate("the word rats is here", 9, 13, &q), None);
    }

    #[test]
    fn deleted_passage_becomes_an_orphan_and_stays() {
        let text = sample();
        let gone = "拿小朋友生长痛来说,值接Talk在小红书搜索后,很多科普贴其实都是广告贴,这种内容形式其实很难留住用户。";
        let mut all = vec![
            annotate(&text, "阿里千问的广告"),
            annotate(&text, "很多科普贴其实都是广告贴"),
            annotate(&text, "补齐基础设施短板"),
        ];
        let before = all.clone();
        let edited = text.replacen(gone, "", 1);
        let report = reanchor_all(&edited, &mut all);
        assert_eq!(all.len(), 3);
        assert_eq!(
            report,
            Report {
                unchanged: 1,
                moved: 1,
                orphaned: 1,
                ..Report::default()
            }
        );
        assert!(all[1].orphan);
        assert_eq!(all[1].quote, before[1].quote);
        assert_eq!(all[1].modified, before[1].modified);
        for a in [&all[0], &all[2]] {
            assert!(!a.orphan);
            assert_eq!(&edited[a.start..a.end], a.quote.exact);
        }
    }

    #[test]
    fn orphan_is_recovered_when_its_text_returns() {
        let text = sample();
        let gone = "目前的数码、家电、母婴、美食、化妆品等品类都是广告的重灾区。";
        let mut all = vec![annotate(&text, "化妆品等品类")];
        let edited = text.replacen(gone, "", 1);
        assert_eq!(reanchor_all(&edited, &mut all).orphaned, 1);
        assert!(all[0].orphan);
        let report = reanchor_all(&text, &mut all);
        assert_eq!(report.recovered, 1);
        assert!(!all[0].orphan);
        assert_eq!(&text[all[0].start..all[0].end], "化妆品等品类");
        assert_eq!(all[0].quote, annotate(&text, "化妆品等品类").quote);
    }

    #[test]
    fn every_annotation_follows_an_insertion_near_the_start() {
        let text = sample();
        let mut all: Vec<Annotation> = text
            .char_indices()
            .step_by(37)
            .skip(1)
            .map(|(s, _)| {
                let e = text[s..]
                    .char_indices()
                    .nth(5)
                    .map_or(text.len(), |(i, _)| s + i);
                Annotation::new(&text, s, e, Colour::Blue)
            })
            .collect();
        let edited = format!("{}新增的内容，{}", &text[..6], &text[6..]);
        let report = reanchor_all(&edited, &mut all);
        assert_eq!(report.moved, all.len());
        for a in &all {
            assert!(!a.orphan);
            assert_eq!(&edited[a.start..a.end], a.quote.exact);
        }
    }

    #[test]
    fn bad_old_positions_do_not_panic() {
        let text = sample();
        let q = quote_at(&text, 30, 36);
        let short = &text[..100];
        for (s, e) in [
            (1, 2),
            (31, 35),
            (36, 30),
            (10_000_000, 10_000_010),
            (usize::MAX - 1, usize::MAX),
            (usize::MAX, 0),
        ] {
            let got = locate(&text, s, e, &q);
            assert_eq!(got.map(|g| (g.0, g.1)), Some((30, 36)));
            if let Some((s, e, _)) = locate(short, s, e, &q) {
                assert!(short.is_char_boundary(s) && short.is_char_boundary(e) && s <= e);
            }
            assert_eq!(locate("", s, e, &q), None);
        }
    }

    #[test]
    fn empty_quote_is_never_found() {
        let text = sample();
        assert_eq!(locate(&text, 0, 0, &Quote::default()), None);
        let mut a = Annotation::new(&text, 3, 3, Colour::Pink);
        let report = reanchor_all(&text, std::slice::from_mut(&mut a));
        assert_eq!(report.orphaned, 1);
        assert!(a.orphan);
    }

    #[test]
    fn context_runs_count_whole_characters() {
        // 中 is E4 B8 AD, 丫 is E4 B8 AB: the first two bytes agree.
        assert_eq!(run_after("中文".as_bytes(), "丫文".as_bytes()), 0);
        assert_eq!(run_after("中文".as_bytes(), "中丫".as_bytes()), 1);
        assert_eq!(run_before("文中".as_bytes(), "文丫".as_bytes()), 0);
        assert_eq!(run_before("一文中".as_bytes(), "二文中".as_bytes()), 2);
    }

    #[test]
    fn similarity_is_one_minus_edits_over_length() {
        let needle: Vec<char> = "一二三四五六七八".chars().collect();
        let mut out = Vec::new();
        similar_passages("甲乙一二三丙五六七八丁", 0, 33, &needle, &mut out);
        let best = out.iter().map(|x| x.2).fold(0.0, f32::max);
        assert_eq!(best, 0.875);
        let text = "甲乙一二三丙五六七八丁";
        assert!(
            out.iter()
                .any(|&(s, e, sim)| sim == 0.875 && &text[s..e] == "一二三丙五六七八")
        );
    }
}
