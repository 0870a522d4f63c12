//! Tests of the search's parts: the stored context, the context scores, the windows and the
//! index, the fuzzy step and its prefilter. Each pins a rule a surviving mutant showed no test
//! held (`cargo mutants --file src/annotations/anchor.rs`).

use super::tests::{annotate, filler, nth, sample};
use super::*;
use crate::annotations::Colour;

/// Byte offset of the `n`th character of `text` (its length past the end).
fn char_at(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

#[test]
fn a_quote_keeps_32_characters_of_context_either_side() {
    let text = filler(100, 7);
    let at = |n| char_at(&text, n);
    let q = quote_at(&text, at(50), at(53));
    assert_eq!(q.exact, text[at(50)..at(53)]);
    assert_eq!(q.prefix, text[at(50 - CONTEXT_CHARS)..at(50)]);
    assert_eq!(q.suffix, text[at(53)..at(53 + CONTEXT_CHARS)]);
    // Near the ends, all there is.
    let q = quote_at(&text, at(5), at(95));
    assert_eq!(q.prefix, text[..at(5)]);
    assert_eq!(q.suffix, text[at(95)..]);
}

/// Among repeats whose context is the same, the shift of the annotation before decides: the
/// repeat that moved with the rest of the text comes back, not the one nearest its old offset.
#[test]
fn the_shift_of_the_annotation_before_picks_among_identical_repeats() {
    let text = format!("开头说一句。{}结尾。", "广告很多。".repeat(20));
    let s = nth(&text, "广告", 9);
    let mut all = vec![
        annotate(&text, "开头说一句"),
        Annotation::new(&text, s, s + "广告".len(), Colour::Blue),
    ];
    // 12 bytes: less than one repeat (15), so the repeat before ends up nearer the old offset.
    let edited = format!("插入四字{text}");
    let report = reanchor_all(&edited, &mut all);
    assert_eq!(
        report,
        Report {
            moved: 2,
            ..Report::default()
        }
    );
    assert_eq!(all[0].start, "插入四字".len());
    assert_eq!(all[1].start, nth(&edited, "广告", 9));
}

#[test]
fn a_fuzzy_match_is_counted_as_fuzzy() {
    let text = sample();
    let passage = "当然广告可以理解,但是尺度一定要把握好,否则真的很容易成为另一个百度。";
    let changed = "当然广告可以理解，但是尺度一定要把握好，否则很容易成为另一个百度。";
    let mut all = vec![annotate(&text, passage)];
    let edited = text.replacen(passage, changed, 1);
    assert_eq!(
        reanchor_all(&edited, &mut all),
        Report {
            fuzzy: 1,
            ..Report::default()
        }
    );
    assert_eq!(&edited[all[0].start..all[0].end], changed);
}

/// `Same` means both ends are where they were; a stored range that does not span the quote (a
/// record saved inconsistent) is found as moved.
#[test]
fn same_means_both_ends_where_they_were() {
    let text = sample();
    let s = nth(&text, "广告", 3);
    let e = s + "广告".len();
    let q = quote_at(&text, s, e);
    assert_eq!(locate(&text, s, e, &q), Some((s, e, Found::Same)));
    assert_eq!(locate(&text, s, e - 3, &q), Some((s, e, Found::Exact)));
}

#[test]
fn the_index_is_built_after_the_first_few_whole_text_searches() {
    let text = sample();
    let hay = Haystack::new(&text, 2);
    assert!(hay.whole_text_search().is_none());
    assert!(hay.whole_text_search().is_none());
    assert!(hay.whole_text_search().is_some());
    assert!(hay.whole_text_search().is_some());
    assert_eq!(hay.whole_text_searches.get(), 4);
}

/// One group per low 16 bits: 𤸁 (U+24E01) shares 丁's (U+4E01), an emoji has its own. What the
/// index finds is what scanning finds.
#[test]
fn the_index_groups_characters_by_their_low_16_bits() {
    let text = "丁一😀𤸁丁 𤸁丁😀 丁\n一";
    let index = CharIndex::new(text).expect("a short text");
    let offsets = |c: char| -> Vec<u32> {
        text.char_indices()
            .filter(|&(_, x)| x == c)
            .map(|(i, _)| i as u32)
            .collect()
    };
    assert_eq!(index.group('一'), offsets('一'));
    assert_eq!(index.group('😀'), offsets('😀'));
    let mut shared = [offsets('丁'), offsets('𤸁')].concat();
    shared.sort_unstable();
    assert_eq!(index.group('丁'), shared);
    assert_eq!(index.group('𤸁'), shared);
    assert!(index.group('乙').is_empty());
    for exact in ["𤸁丁", "丁", "😀", "丁一", "𤸁", "丁 𤸁"] {
        let mut got = Vec::new();
        assert!(exact_by_index(text, &index, exact, &mut got), "{exact}");
        let want: Vec<(usize, usize)> = text
            .match_indices(exact)
            .map(|(s, m)| (s, s + m.len()))
            .collect();
        assert_eq!(got, want, "{exact}");
    }
    let needle: Vec<char> = "丁一".chars().collect();
    let mut got = Vec::new();
    assert!(loose_by_index(text, &index, &needle, &mut got));
    let first = text.find("丁一").expect("丁一");
    let last = text.rfind('丁').expect("丁");
    assert_eq!(got, [(first, first + 6), (last, text.len())]);
}

/// A quote found near where it was costs a scan of the text around it, never one of the whole
/// text: the windows stop at the first that holds it with its context.
#[test]
fn the_whole_text_is_searched_only_when_the_windows_find_nothing() {
    let passage = "这是一段被人划了线的文字，后面还有几个字";
    let (before, after) = (filler(100, 1), filler(40_000, 2));
    let text = format!("{before}{passage}{after}");
    let (s, e) = (before.len(), before.len() + passage.len());
    let q = quote_at(&text, s, e);
    let searches = |edited: &str| {
        let hay = Haystack::new(edited, SCANS_BEFORE_INDEX);
        let found = find(&hay, s, e, s, &q);
        (found, hay.whole_text_searches.get())
    };
    // 30 KB further: the exact quote, in the 64 KB window.
    let shift = filler(10_000, 3);
    let moved = format!("{shift}{text}");
    let (s2, e2) = (s + shift.len(), e + shift.len());
    assert_eq!(searches(&text), (Some((s, e, Found::Same)), 0));
    assert_eq!(searches(&moved), (Some((s2, e2, Found::Exact)), 0));
    // Spaces added inside: one whole-text search for the exact quote, then the loose one is
    // found in its 64 KB window.
    let spaced = moved.replacen("划了线", "划 了 线", 1);
    assert_eq!(
        searches(&spaced),
        (Some((s2, e2 + 2, Found::Loose)), 1),
        "{:?}",
        &spaced[s2..e2 + 2]
    );
    // A character changed, 1 KB further: the exact and loose steps search the whole text, the
    // fuzzy one finds it in its window.
    let near = format!("{}{text}", filler(340, 4)).replacen("划了线", "画了线", 1);
    let shift = filler(340, 4).len();
    let (found, whole) = searches(&near);
    assert!(
        matches!(found, Some((a, b, Found::Fuzzy(_))) if (a, b) == (s + shift, e + shift)),
        "{found:?}"
    );
    assert_eq!(whole, 2);
}

/// Per side: the run of intact characters next to the passage, and (for a context of two
/// characters or more) the Dice similarity of its character pairs, half and half.
#[test]
fn context_scores_weigh_the_intact_run_and_the_pairs() {
    let text = filler(200, 11);
    let (s, e) = (char_at(&text, 100), char_at(&text, 104));
    let q = quote_at(&text, s, e);
    let t = Target::new(&q);
    assert_eq!(t.cheap_score(&text, s, e), 2.0);
    assert_eq!(t.score(&text, s, e), 2.0);
    // The character right before the passage changed: no run on that side, 30 of 31 pairs.
    let edited = format!("{}x{}", &text[..char_at(&text, 99)], &text[s..]);
    let (s, e) = (s - 2, e - 2);
    assert_eq!(t.cheap_score(&edited, s, e), 1.0);
    let want = 0.5 * (60.0 / 62.0) + 1.0;
    let got = t.score(&edited, s, e);
    assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    // Run 11 of 32 before (the 12th character back changed), the suffix intact.
    let edited = format!(
        "{}x{}",
        &text[..char_at(&text, 88)],
        &text[char_at(&text, 89)..]
    );
    let (s, e) = (char_at(&text, 100) - 2, char_at(&text, 104) - 2);
    assert!((t.cheap_score(&edited, s, e) - (11.0 / 32.0 + 1.0)).abs() < 1e-6);
    let want = 0.5 * (11.0 / 32.0) + 0.5 * (58.0 / 62.0) + 1.0;
    let got = t.score(&edited, s, e);
    assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    // Contexts of two characters and of one: pairs count from two on.
    let text = "甲乙一二三四丙";
    let (s, e) = (6, 18);
    let q = quote_at(text, s, e);
    let t = Target::new(&q);
    assert_eq!(t.score(text, s, e), 2.0);
    // 乙 still before it (run 1 of 2, no pair in common); 丙 gone after it.
    assert_eq!(t.score("丁乙一二三四戊", s, e), 0.5 * 0.5 + 0.0);
    // No context at all counts as intact.
    let q = quote_at("一二三四", 0, 12);
    assert_eq!(Target::new(&q).score("一二三四", 0, 12), 2.0);
}

#[test]
fn the_context_helpers() {
    assert_eq!(pairs("abca"), [('a', 'b'), ('b', 'c'), ('c', 'a')]);
    assert!(pairs("a").is_empty());
    assert_eq!(dice(&[], &[]), 1.0);
    assert_eq!(dice(&pairs("ab"), &[]), 0.0);
    assert_eq!(dice(&[], &pairs("ab")), 0.0);
    assert_eq!(dice(&pairs("abcd"), &pairs("abcd")), 1.0);
    assert_eq!(dice(&pairs("abcd"), &pairs("abce")), 4.0 / 6.0);
    assert_eq!(dice(&pairs("xabcd"), &pairs("abcd")), 6.0 / 7.0);
    assert_eq!(dice(&pairs("abcd"), &pairs("xyabcd")), 6.0 / 8.0);
    assert_eq!(dice(&pairs("bcd"), &pairs("abcd")), 4.0 / 5.0);
    // Multisets: a pair counts as often as it occurs in both.
    assert_eq!(dice(&pairs("aaa"), &pairs("aa")), 2.0 / 3.0);
    assert_eq!(
        dice(&pairs("aa"), &pairs("aaa")),
        2.0 / 3.0,
        "and either way round"
    );
    assert_eq!(dice(&pairs("aaaa"), &pairs("aaab")), 4.0 / 6.0);
    assert_eq!(fraction(3, 4), 0.75);
    assert_eq!(fraction(0, 4), 0.0);
    assert_eq!(fraction(0, 0), 1.0);
    assert_eq!(last_chars("一二三四", 2), "三四");
    assert_eq!(last_chars("一二三四", 9), "一二三四");
    assert_eq!(last_chars("一二三四", 0), "");
    assert_eq!(first_chars("一二三四", 2), "一二");
    assert_eq!(first_chars("一二三四", 9), "一二三四");
    assert_eq!(first_chars("一二三四", 0), "");
    // 中 is 3 bytes: inside it, back to its start; past the end, the end.
    assert_eq!(floor_char("a中b", 2), 1);
    assert_eq!(floor_char("a中b", 3), 1);
    assert_eq!(floor_char("a中b", 4), 4);
    assert_eq!(floor_char("a中b", 99), 5);
}

/// A quote of up to `MAX_FUZZY_CHARS` characters is matched fuzzily; a longer one is not.
#[test]
fn only_quotes_up_to_the_limit_are_matched_fuzzily() {
    let text = filler(MAX_FUZZY_CHARS + 200, 21);
    for (len, found) in [(MAX_FUZZY_CHARS, true), (MAX_FUZZY_CHARS + 1, false)] {
        let (s, e) = (char_at(&text, 100), char_at(&text, 100 + len));
        let q = quote_at(&text, s, e);
        let middle = char_at(&text, 100 + len / 2);
        let edited = format!("{}x{}", &text[..middle], &text[middle + 3..]);
        let got = locate(&edited, s, e, &q);
        assert_eq!(
            got.map(|(s, e, how)| (s, e, matches!(how, Found::Fuzzy(_)))),
            found.then_some((s, e - 2, true)),
            "{len} characters"
        );
    }
}

/// A similar passage near where the quote was wins over a more similar one far away: the
/// prefilter is asked only when the window around the old place has none.
#[test]
fn a_near_fuzzy_match_wins_over_a_better_one_far_away() {
    let passage = "一段被划线的文字在这里面";
    let twice = "一段被画线的文字在那里面";
    let once = "一段被划线的文字在那里面";
    let (before, middle) = (filler(200, 31), filler(50_000, 32));
    let text = format!("{before}{passage}{middle}");
    let s = before.len();
    let q = quote_at(&text, s, s + passage.len());
    let edited = format!("{before}{twice}{middle}{once}。");
    let got = locate(&edited, s, s + passage.len(), &q);
    assert!(
        matches!(got, Some((a, b, Found::Fuzzy(sim))) if (a, b) == (s, s + twice.len()) && sim < 0.9),
        "{got:?}"
    );
}

/// A passage near the end that moved to the start and was edited: the prefilter finds it
/// before the window around its old place.
#[test]
fn a_passage_moved_from_the_end_to_the_start_is_found_by_the_prefilter() {
    let passage = "小红书的搜索功能已经成为很多年轻人获取信息的重要入口";
    let changed = "小红书的搜索功能已经成为许多年轻人获取信息的主要入口";
    let (middle, end) = (filler(100_000, 41), filler(300, 42));
    let text = format!("{middle}{passage}{end}");
    let s = middle.len();
    let q = quote_at(&text, s, s + passage.len());
    let edited = format!("{changed}。{middle}{end}");
    let got = locate(&edited, s, s + passage.len(), &q);
    assert!(
        matches!(got, Some((0, e, Found::Fuzzy(_))) if e == changed.len()),
        "{got:?}"
    );
}

/// Insertions count in the length: 12 characters with 4 more inside are 1 − 4/16 = 0.75
/// similar, just enough.
#[test]
fn a_passage_with_insertions_at_the_threshold_is_found() {
    let needle: Vec<char> = "一二三四五六七八九十甲乙".chars().collect();
    let text = "前后一二三子四五六丑七八寅九十卯甲乙前后";
    let mut out = Vec::new();
    similar_passages(text, 0, text.len(), &needle, &mut out);
    let whole = (6, text.len() - 6);
    assert!(out.contains(&(whole.0, whole.1, 0.75)), "{out:?}");
}

/// Each end with a passage similar enough, the start whose distance is smallest: on a tie the
/// substitution before the insertion before the deletion.
#[test]
fn similar_passages_report_each_end_once_with_its_best_start() {
    let needle: Vec<char> = "一二三四".chars().collect();
    let text = "一二二三四五一三四";
    let mut out = Vec::new();
    similar_passages(text, 0, text.len(), &needle, &mut out);
    let spans: Vec<(&str, f32)> = out.iter().map(|&(s, e, sim)| (&text[s..e], sim)).collect();
    assert_eq!(spans, [("二二三四", 0.75), ("一三四", 0.75)]);
    let needle: Vec<char> = "一二三四五六七八".chars().collect();
    let text = "八七一二三四五六七丙八九一二三丁五六七八";
    let mut out = Vec::new();
    similar_passages(text, 0, text.len(), &needle, &mut out);
    let spans: Vec<(&str, f32)> = out.iter().map(|&(s, e, sim)| (&text[s..e], sim)).collect();
    assert_eq!(
        spans,
        [
            ("一二三四五六", 0.75),
            ("一二三四五六七", 0.875),
            ("一二三四五六七丙", 0.875),
            ("一二三四五六七丙八", 0.8888889),
            ("一二三四五六七丙八九", 0.8),
            ("一二三丁五六七", 0.75),
            ("一二三丁五六七八", 0.875),
        ]
    );
}

/// What the prefilter returns for `exact` in `text`, by scanning and with the index (which
/// look for different pairs).
fn prefiltered(text: &str, exact: &str, expected: usize) -> [Vec<(usize, usize)>; 2] {
    let q = Quote {
        exact: exact.into(),
        ..Quote::default()
    };
    let target = Target::new(&q);
    [usize::MAX, 0]
        .map(|scans| prefilter(&Haystack::new(text, scans), expected, &target, exact.len()))
}

/// A region of the prefilter holds the passage at `at` and is at most four buckets (a quarter
/// of the quote, 64 bytes at least), the quote and the slack either side wide (and a character
/// more, as its ends are moved to character boundaries).
#[track_caller]
fn covers(region: (usize, usize), at: usize, len: usize) {
    let (lo, hi) = region;
    let bucket = (len / 4).max(64);
    let slack = len / 2 + 64;
    assert!(
        lo <= at && at + len <= hi,
        "{region:?} misses {at}..{}",
        at + len
    );
    assert!(
        hi - lo <= 4 * bucket + len + 2 * slack + 3,
        "{region:?} is too wide"
    );
}

const FAR_PASSAGE: &str = "小红书的搜索功能已经成为很多年轻人获取信息的重要入口";
const FAR_CHANGED: &str = "小红书的搜索功能已经成为许多年轻人获取信息的主要入口";

/// A long quote: its pairs still agree on one place, a few of its wider buckets around it.
#[test]
fn the_prefilter_points_to_a_long_quote_edited() {
    let quote = filler(200, 61);
    let middle = char_at(&quote, 100);
    let changed = format!("{}x{}", &quote[..middle], &quote[middle + 3..]);
    let text = format!("{}{changed}{}", filler(20_000, 62), filler(20_000, 63));
    let at = text.find(&changed).expect("placed");
    for regions in prefiltered(&text, &quote, 0) {
        assert_eq!(regions.len(), 1, "{regions:?}");
        covers(regions[0], at, quote.len());
    }
}

/// One or two of the quote's pairs here and there are no place to look: several must agree.
#[test]
fn scattered_pairs_of_the_quote_point_nowhere() {
    let noise: String = (0..40)
        .map(|i| format!("{}小红{}入口", filler(300, 70 + i), filler(300, 170 + i)))
        .collect();
    let text = format!("{noise}{}{FAR_CHANGED}{}", filler(300, 64), filler(300, 65));
    let at = text.find(FAR_CHANGED).expect("placed");
    for regions in prefiltered(&text, FAR_PASSAGE, 0) {
        assert_eq!(regions.len(), 1, "{regions:?}");
        covers(regions[0], at, FAR_PASSAGE.len());
    }
}

/// Of many places where as many pairs agree, the eight nearest the expected position.
#[test]
fn the_prefilter_keeps_the_nearest_of_equal_places() {
    let text: String = (0..10)
        .map(|i| format!("{}{FAR_CHANGED}", filler(2_000, 80 + i)))
        .collect();
    let places: Vec<usize> = text.match_indices(FAR_CHANGED).map(|(i, _)| i).collect();
    for regions in prefiltered(&text, FAR_PASSAGE, places[3]) {
        assert_eq!(regions.len(), PREFILTER_REGIONS, "{regions:?}");
        for (&region, &at) in regions.iter().zip(&places[..PREFILTER_REGIONS]) {
            covers(region, at, FAR_PASSAGE.len());
        }
    }
}

/// Pairs of one passage whose starts fall either side of a bucket's edge vote together: one
/// pair in each of two neighbouring buckets is two votes, enough for a region.
#[test]
fn votes_in_neighbouring_buckets_add_up() {
    let quote = "一二三四五六七八九十甲乙";
    // 一二 says the passage starts at 6460 (bucket 100 of 64 bytes); 九十, 24 bytes into the
    // quote, placed 36 bytes later, says 6472 (bucket 101).
    let x = 64 * 100 + 60;
    let text = format!(
        "{}一二{}九十{}",
        "a".repeat(x),
        "b".repeat(30),
        "c".repeat(400)
    );
    // Each of the two buckets has both votes, so the region runs from a bucket before the
    // first to a bucket (and the quote) after the second, with the slack either side.
    let slack = quote.len() / 2 + 64;
    let expected = (99 * 64 - slack, 103 * 64 + quote.len() + slack);
    for regions in prefiltered(&text, quote, 0) {
        assert_eq!(regions, [expected]);
        assert!(expected.0 <= x && x + 42 <= expected.1);
    }
    // Two buckets apart, they are two places with one vote each: nowhere to look.
    let text = format!(
        "{}一二{}九十{}",
        "a".repeat(x),
        "b".repeat(100),
        "c".repeat(400)
    );
    for regions in prefiltered(&text, quote, 0) {
        assert!(regions.is_empty(), "{regions:?}");
    }
}

/// Two places close together make one region.
#[test]
fn the_prefilter_merges_regions_that_overlap() {
    let text = format!(
        "{}{FAR_CHANGED}{}{FAR_CHANGED}{}",
        filler(20_000, 91),
        filler(30, 92),
        filler(20_000, 93)
    );
    let places: Vec<usize> = text.match_indices(FAR_CHANGED).map(|(i, _)| i).collect();
    for regions in prefiltered(&text, FAR_PASSAGE, 0) {
        assert_eq!(regions.len(), 1, "{regions:?}");
        let (lo, hi) = regions[0];
        assert!(
            lo <= places[0] && places[1] + FAR_CHANGED.len() <= hi,
            "{regions:?}"
        );
    }
}

/// The prefilter points to where several of the quote's pairs occur together, a few buckets
/// wide, by scanning and with the index alike; places far apart stay apart.
#[test]
fn the_prefilter_points_to_where_the_pairs_are() {
    let text = format!(
        "{}{FAR_CHANGED}{}{FAR_CHANGED}{}",
        filler(30_000, 51),
        filler(30_000, 52),
        filler(30_000, 53)
    );
    let places: Vec<usize> = text.match_indices(FAR_CHANGED).map(|(i, _)| i).collect();
    for regions in prefiltered(&text, FAR_PASSAGE, 0) {
        assert_eq!(regions.len(), 2, "{regions:?}");
        for (&region, &at) in regions.iter().zip(&places) {
            covers(region, at, FAR_PASSAGE.len());
        }
    }
}

/// Sellers' matching with the whole distance matrix, no cut-off, the same ties: for each end
/// whose best passage is similar enough, that passage.
fn every_row(text: &str, needle: &[char]) -> Vec<(usize, usize, f32)> {
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    let m = needle.len();
    let mut dist: Vec<u32> = (0..=m as u32).collect();
    let mut from: Vec<u32> = vec![0; m + 1];
    let mut out = Vec::new();
    for (j, &(at, c)) in chars.iter().enumerate() {
        let (mut diag, mut diag_from) = (dist[0], from[0]);
        dist[0] = 0;
        from[0] = j as u32 + 1;
        for i in 1..=m {
            let (up, up_from) = (dist[i], from[i]);
            let (mut d, mut f) = (diag + u32::from(needle[i - 1] != c), diag_from);
            if up + 1 < d {
                (d, f) = (up + 1, up_from);
            }
            if dist[i - 1] + 1 < d {
                (d, f) = (dist[i - 1] + 1, from[i - 1]);
            }
            (dist[i], from[i]) = (d, f);
            (diag, diag_from) = (up, up_from);
        }
        let start = from[m] as usize;
        let sim = 1.0 - dist[m] as f32 / m.max(j + 1 - start) as f32;
        if sim >= FUZZY_THRESHOLD {
            out.push((chars[start].0, at + c.len_utf8(), sim));
        }
    }
    out
}

proptest::proptest! {
    /// The cut-off (only rows that can still reach the threshold are computed) changes no
    /// passage found.
    #[test]
    fn the_cut_off_changes_no_passage(needle in "[abc]{4,12}", text in "[abcd ]{0,48}") {
        let needle: Vec<char> = needle.chars().collect();
        let mut out = Vec::new();
        similar_passages(&text, 0, text.len(), &needle, &mut out);
        proptest::prop_assert_eq!(out, every_row(&text, &needle));
    }
}

/// What the exact and loose steps scan to find `passage` (as `shown`) moved by `shift`
/// characters of filler; the text is as long whatever the shift.
fn scanned_for_move(shown: &str, shift: usize) -> usize {
    let passage = "这是一段被人划了线的文字，后面还有几个字";
    let (before, after) = (filler(20_000, 5), filler(20_000, 6));
    let original = format!("{before}{passage}{after}");
    let (s, e) = (before.len(), before.len() + passage.len());
    let q = quote_at(&original, s, e);
    // Moved with its context, as when text is added before it.
    let shifted = filler(shift, 7);
    let moved = format!(
        "{shifted}{before}{shown}{after}{}",
        filler(20_000 - shift, 8)
    );
    // Scanning only: the index would hide the whole-text searches' cost.
    let hay = Haystack::new(&moved, usize::MAX);
    let found = find(&hay, s, e, s, &q);
    let at = shifted.len() + before.len();
    assert_eq!(found.map(|(a, _, _)| a), Some(at), "{shown} moved {shift}");
    hay.scanned.get()
}

/// The windows keep the work near the quote: moved 1 KB, the exact quote is found in the
/// 4 KB window and the spaced one in the loose step's first window (4 KB either side), so
/// neither scans the 64 KB window (some 130 KB) that a move of 30 KB needs.
#[test]
fn a_quote_moved_a_little_is_found_by_scanning_around_it() {
    let exact = "这是一段被人划了线的文字，后面还有几个字";
    let spaced = "这是一段被人划 了 线的文字，后面还有几个字";
    // The exact one: the 256-byte window, then the 4 KB one, each either side of the quote.
    let near = scanned_for_move(exact, 340);
    assert!(near <= 2 * (256 + 4096 + exact.len()), "{near}");
    for shown in [exact, spaced] {
        let (near, far) = (
            scanned_for_move(shown, 340),
            scanned_for_move(shown, 10_000),
        );
        assert!(
            far >= near + 100_000,
            "{shown}: {near} bytes scanned near, {far} far"
        );
    }
}

/// Ukkonen's cut-off computes only the rows that can still reach the threshold: about
/// `max_edits` + 2 per character, not the quote's length.
#[test]
fn the_cut_off_computes_a_band_not_the_whole_matrix() {
    let needle: Vec<char> = filler(30, 9).chars().collect();
    let edited: String = needle
        .iter()
        .enumerate()
        .map(|(i, &c)| if i % 10 == 5 { '改' } else { c })
        .collect();
    let text = format!("{}{edited}{}", filler(1_000, 10), filler(1_000, 11));
    let chars = text.chars().count();
    let mut out = Vec::new();
    let cells = similar_passages(&text, 0, text.len(), &needle, &mut out);
    assert!(!out.is_empty(), "the edited passage is found");
    // 30 characters at 0.75: at most 10 edits.
    let max_edits = 10;
    assert!(
        cells <= chars * (max_edits + 2),
        "{cells} cells for {chars} characters"
    );
    assert!(cells > chars, "the band is computed");
}
