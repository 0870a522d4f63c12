//! Property tests of annotation anchoring (DESIGN.md §5): edits around, inside and instead of an
//! annotated passage.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pizhu::annotations::anchor::{FUZZY_THRESHOLD, Found, locate, quote_at, reanchor_all};
use pizhu::annotations::{Annotation, Colour};
use proptest::prelude::*;
use proptest::sample::Index;

/// Pieces of Chinese-ish text: rare and common characters, words that repeat, punctuation,
/// Latin words, whitespace.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0x4E00u32..0x9FA5).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        3 => prop::sample::select(vec!["的", "是", "在", "广告", "小红书", "用户", "我们", "了"])
            .prop_map(String::from),
        2 => prop::sample::select(vec!["，", "。", "、", "：", "“", "”"]).prop_map(String::from),
        1 => "[a-zA-Z]{1,6}",
        1 => "[0-9]{1,3}",
        1 => prop::sample::select(vec![" ", "\n", "\u{3000}", "\n\n", "  "]).prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 1..160).prop_map(|t| t.concat())
}

fn whitespace() -> impl Strategy<Value = String> {
    prop::sample::select(vec![" ", "\n", "\u{3000}", "\t", "\n\n", " \n "]).prop_map(String::from)
}

/// Delete some characters at a place and insert some text there.
#[derive(Clone, Debug)]
struct Edit {
    at: Index,
    delete: usize,
    insert: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        any::<Index>(),
        0usize..4,
        prop::collection::vec(token(), 0..4),
    )
        .prop_map(|(at, delete, insert)| Edit {
            at,
            delete,
            insert: insert.concat(),
        })
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(edit(), 0..4)
}

/// Character boundaries of `s`, its end included.
fn bounds(s: &str) -> Vec<usize> {
    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect()
}

fn apply(s: &str, edits: &[Edit]) -> String {
    let mut s = s.to_string();
    for e in edits {
        let b = bounds(&s);
        let k = e.at.index(b.len());
        let (from, to) = (b[k], b[(k + e.delete).min(b.len() - 1)]);
        s = format!("{}{}{}", &s[..from], e.insert, &s[to..]);
    }
    s
}

/// A passage of `text` (`len` characters from a place) that holds something besides whitespace.
fn passage(text: &str, at: Index, len: usize) -> Option<(usize, usize)> {
    let b = bounds(text);
    let i = at.index(b.len());
    let (s, e) = (b[i], b[(i + len).min(b.len() - 1)]);
    text[s..e]
        .chars()
        .any(|c| !c.is_whitespace())
        .then_some((s, e))
}

/// Occurrences of `needle`, overlapping ones too.
fn occurrences(text: &str, needle: &str) -> usize {
    (0..text.len())
        .filter(|&i| text.is_char_boundary(i) && text[i..].starts_with(needle))
        .count()
}

fn non_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Plain Levenshtein similarity of the non-whitespace characters, as the fuzzy step defines it.
fn similarity(a: &str, b: &str) -> f32 {
    let (a, b): (Vec<char>, Vec<char>) = (
        non_space(a).chars().collect(),
        non_space(b).chars().collect(),
    );
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    1.0 - row[b.len()] as f32 / a.len().max(b.len()).max(1) as f32
}

fn check_range(text: &str, start: usize, end: usize) -> Result<(), TestCaseError> {
    prop_assert!(
        start <= end && end <= text.len(),
        "{}..{} of {}",
        start,
        end,
        text.len()
    );
    prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
    ))]

    /// (a) Edits before and after the passage, even right next to it, leave its text as it was:
    /// it is found exactly, and where it is when it is the only occurrence.
    #[test]
    fn edits_outside_keep_it_exact(
        text in text(), at in any::<Index>(), len in 1usize..12, before in edits(), after in edits(),
    ) {
        let Some((s, e)) = passage(&text, at, len) else { return Ok(()) };
        let quote = quote_at(&text, s, e);
        let head = apply(&text[..s], &before);
        let new = format!("{head}{}{}", &quote.exact, apply(&text[e..], &after));
        let (s2, e2, how) = locate(&new, s, e, &quote).expect("still there");
        check_range(&new, s2, e2)?;
        prop_assert_eq!(&new[s2..e2], quote.exact.as_str());
        prop_assert!(matches!(how, Found::Same | Found::Exact), "{:?}", how);
        if occurrences(&new, &quote.exact) == 1 {
            prop_assert_eq!(s2, head.len());
        }
        if s2 == s && e2 == e {
            prop_assert_eq!(how, Found::Same);
        }
    }

    /// (a) Edits away from the passage and its stored context: found exactly, at its own place
    /// whenever context and passage together occur once.
    #[test]
    fn edits_beyond_the_context_keep_its_place(
        text in text(), at in any::<Index>(), len in 1usize..12, before in edits(), after in edits(),
    ) {
        let Some((s, e)) = passage(&text, at, len) else { return Ok(()) };
        let quote = quote_at(&text, s, e);
        let (ps, se) = (s - quote.prefix.len(), e + quote.suffix.len());
        let head = apply(&text[..ps], &before);
        let new = format!("{head}{}{}", &text[ps..se], apply(&text[se..], &after));
        let mut all = vec![Annotation::new(&text, s, e, Colour::Yellow)];
        let report = reanchor_all(&new, &mut all);
        prop_assert_eq!(report.unchanged + report.moved, 1, "{:?}", report);
        let a = &all[0];
        prop_assert_eq!(&new[a.start..a.end], quote.exact.as_str());
        let whole = format!("{}{}{}", quote.prefix, quote.exact, quote.suffix);
        if occurrences(&new, &whole) == 1 {
            prop_assert_eq!(a.start, head.len() + quote.prefix.len());
        }
    }

    /// (b) Whatever the edits (before, inside and after the passage) and whatever the old
    /// positions, a result is a range of the text on character boundaries, and what it says it
    /// found is what is there.
    #[test]
    fn results_are_ranges_on_boundaries(
        text in text(), at in any::<Index>(), len in 0usize..12,
        before in edits(), inside in edits(), after in edits(),
        old_start in 0usize..700, old_len in 0usize..40, use_old in any::<bool>(),
    ) {
        let b = bounds(&text);
        let i = at.index(b.len());
        let (s, e) = (b[i], b[(i + len).min(b.len() - 1)]);
        let quote = quote_at(&text, s, e);
        let new = format!(
            "{}{}{}",
            apply(&text[..s], &before),
            apply(&text[s..e], &inside),
            apply(&text[e..], &after)
        );
        let (os, oe) = if use_old { (s, e) } else { (old_start, old_start + old_len) };
        if let Some((s2, e2, how)) = locate(&new, os, oe, &quote) {
            check_range(&new, s2, e2)?;
            prop_assert!(!quote.exact.is_empty());
            match how {
                Found::Same => prop_assert_eq!((s2, e2), (os, oe)),
                Found::Exact => prop_assert_eq!(&new[s2..e2], quote.exact.as_str()),
                Found::Loose => prop_assert_eq!(non_space(&new[s2..e2]), non_space(&quote.exact)),
                Found::Fuzzy(sim) => {
                    prop_assert!((FUZZY_THRESHOLD..=1.0).contains(&sim));
                    prop_assert!((similarity(&quote.exact, &new[s2..e2]) - sim).abs() < 1e-4);
                }
            }
        }
    }

    /// (c) Re-anchoring keeps every annotation: each is placed on its quote or an orphan with
    /// its old quote; the report counts each once.
    #[test]
    fn reanchoring_keeps_every_annotation(
        text in text(),
        spans in prop::collection::vec((any::<Index>(), 0usize..10), 1..8),
        changes in prop::collection::vec(edit(), 0..6),
        orphans in prop::collection::vec(any::<bool>(), 8),
    ) {
        let b = bounds(&text);
        let mut all: Vec<Annotation> = spans
            .iter()
            .zip(&orphans)
            .map(|((at, len), &orphan)| {
                let i = at.index(b.len());
                let mut a = Annotation::new(&text, b[i], b[(i + len).min(b.len() - 1)], Colour::Green);
                a.orphan = orphan && !a.quote.exact.is_empty();
                a
            })
            .collect();
        let old = all.clone();
        let new = apply(&text, &changes);
        let report = reanchor_all(&new, &mut all);
        prop_assert_eq!(all.len(), old.len());
        prop_assert_eq!(
            report.unchanged + report.moved + report.fuzzy + report.orphaned + report.recovered,
            old.len()
        );
        prop_assert_eq!(report.orphaned, all.iter().filter(|a| a.orphan).count());
        for (a, was) in all.iter().zip(&old) {
            prop_assert_eq!(&a.id, &was.id);
            prop_assert_eq!(&a.modified, &was.modified);
            if a.orphan {
                prop_assert_eq!(&a.quote, &was.quote);
                prop_assert_eq!((a.start, a.end), (was.start, was.end));
            } else {
                check_range(&new, a.start, a.end)?;
                prop_assert_eq!(&a.quote, &quote_at(&new, a.start, a.end));
                prop_assert!(!was.quote.exact.is_empty());
            }
        }
    }

    /// (d) With the passage and its context deleted, it becomes an orphan, unless its text (or
    /// something at least as similar as the threshold) legitimately occurs elsewhere.
    #[test]
    fn deleted_passage_is_orphaned_or_legitimately_found(
        text in text(), at in any::<Index>(), len in 1usize..12,
    ) {
        let Some((s, e)) = passage(&text, at, len) else { return Ok(()) };
        let quote = quote_at(&text, s, e);
        let new = format!("{}{}", &text[..s - quote.prefix.len()], &text[e + quote.suffix.len()..]);
        let mut all = vec![Annotation::new(&text, s, e, Colour::Pink)];
        let report = reanchor_all(&new, &mut all);
        let a = &all[0];
        if a.orphan {
            prop_assert_eq!(report.orphaned, 1);
            prop_assert_eq!(&a.quote, &quote);
        } else {
            let found = &new[a.start..a.end];
            prop_assert!(
                found == quote.exact
                    || non_space(found) == non_space(&quote.exact)
                    || similarity(&quote.exact, found) >= FUZZY_THRESHOLD,
                "{:?} found as {:?}", quote.exact, found
            );
        }
    }

    /// (e) Whitespace inserted anywhere, inside the passage too, never loses it.
    #[test]
    fn whitespace_insertions_never_lose_it(
        text in text(), at in any::<Index>(), len in 1usize..12,
        spaces in prop::collection::vec((any::<Index>(), whitespace()), 1..6),
    ) {
        let Some((s, e)) = passage(&text, at, len) else { return Ok(()) };
        let quote = quote_at(&text, s, e);
        let changes: Vec<Edit> = spaces
            .into_iter()
            .map(|(at, insert)| Edit { at, delete: 0, insert })
            .collect();
        let new = apply(&text, &changes);
        let (s2, e2, how) = locate(&new, s, e, &quote).expect("whitespace cannot lose a passage");
        check_range(&new, s2, e2)?;
        prop_assert!(!matches!(how, Found::Fuzzy(_)), "{:?}", how);
        prop_assert_eq!(non_space(&new[s2..e2]), non_space(&quote.exact));
    }
}
