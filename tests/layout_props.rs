//! Property tests of the layout invariants in LAYOUT-RULES.md.

use pizhu::layout::{AmbiguousWidth, Row, WrapOptions, str_width, wrap};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// Pieces of Chinese (and mixed) text, including every troublesome kind of character.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec!["中", "文", "字", "节", "跳", "动", "小", "红", "书", "的"]).prop_map(String::from),
        2 => prop::sample::select(vec!["，", "。", "、", "；", "：", "？", "！", "%"]).prop_map(String::from),
        1 => prop::sample::select(vec!["（", "《", "「", "『", "【", "“", "‘"]).prop_map(String::from),
        1 => prop::sample::select(vec!["）", "》", "」", "』", "】", "”", "’"]).prop_map(String::from),
        1 => prop::sample::select(vec!["……", "——", "·", "・"]).prop_map(String::from),
        1 => "[a-zA-Z]{1,5}",
        1 => "[0-9]{1,4}",
        1 => prop::sample::select(vec![" ", "  ", "\u{3000}"]).prop_map(String::from),
        1 => prop::sample::select(vec!["👨‍👩‍👧", "🇨🇳", "e\u{301}", "①", "℃", "か\u{3099}", "\u{200B}"]).prop_map(String::from),
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..60).prop_map(|t| t.concat())
}

fn modes() -> impl Strategy<Value = AmbiguousWidth> {
    prop_oneof![Just(AmbiguousWidth::Narrow), Just(AmbiguousWidth::Wide)]
}

fn options(width: usize, ambiguous: AmbiguousWidth) -> WrapOptions {
    WrapOptions {
        width,
        ambiguous,
        first_indent: 0,
    }
}

fn is_boundary(text: &str, at: usize) -> bool {
    at == 0 || at == text.len() || text.grapheme_indices(true).any(|(i, _)| i == at)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(600)
    ))]

    /// No row is wider than the width, except a lone grapheme wider than the whole line.
    #[test]
    fn no_row_is_wider_than_the_width(text in paragraph(), width in 1usize..=200, amb in modes()) {
        for row in wrap(&text, &options(width, amb)) {
            let row_text = &text[row.start..row.end];
            let w = str_width(row_text, amb);
            prop_assert_eq!(w, row.width);
            if w > width {
                prop_assert_eq!(row_text.graphemes(true).count(), 1, "row {:?} at width {}", row_text, width);
            }
        }
    }

    /// Nothing but spaces at breaks (and at the very end) is dropped; clusters stay whole.
    #[test]
    fn text_is_preserved(text in paragraph(), width in 1usize..=200, amb in modes()) {
        let rows = wrap(&text, &options(width, amb));
        prop_assert!(!rows.is_empty());
        prop_assert_eq!(rows[0].start, 0);
        let mut prev_end = 0;
        for row in &rows {
            prop_assert!(row.start >= prev_end && row.end >= row.start);
            prop_assert!(text[prev_end..row.start].chars().all(|c| c == ' '), "dropped {:?}", &text[prev_end..row.start]);
            prop_assert!(is_boundary(&text, row.start) && is_boundary(&text, row.end));
            prev_end = row.end;
        }
        prop_assert!(text[prev_end..].chars().all(|c| c == ' '));
    }

    /// With room for the longest unbreakable piece, no forbidden mark starts or ends a row and
    /// …… / —— are never split.
    #[test]
    fn prohibitions_hold_when_the_width_allows(text in paragraph(), width in 24usize..=120, amb in modes()) {
        let rows = wrap(&text, &options(width, amb));
        // A zero-width space is an author's explicit break opportunity (UAX #14 LB8).
        // Where a piece is wider than the line, the width leaves no choice (rule 7).
        if text.contains('\u{200B}') || widest_piece(&text, amb) > width {
            return Ok(());
        }
        for pair in rows.windows(2) {
            let (a, b): (&Row, &Row) = (&pair[0], &pair[1]);
            let first = text[b.start..].chars().next();
            let last = text[..a.end].chars().next_back();
            if let Some(c) = first {
                prop_assert!(!"，。、；：？！）》」』】〉〕”’%·・".contains(c), "row starts with {:?}: {:?}", c, &text[b.start..b.end]);
            }
            if let Some(c) = last {
                prop_assert!(!"（《「『【〈〔“‘".contains(c), "row ends with {:?}", c);
            }
            for pair in ["……", "——"] {
                let half = &pair[..pair.len() / 2];
                let split = a.end == b.start && text[..a.end].ends_with(half) && text[b.start..].starts_with(half);
                prop_assert!(!split, "split {}", pair);
            }
        }
    }

    /// The first-line indent never pushes a row over the width.
    #[test]
    fn indent_respects_the_width(text in paragraph(), width in 1usize..=100) {
        let opts = WrapOptions { first_indent: 4, ..options(width, AmbiguousWidth::Narrow) };
        for row in wrap(&text, &opts) {
            if row.indent + row.width > width {
                prop_assert_eq!(text[row.start..row.end].graphemes(true).count(), 1);
                prop_assert_eq!(row.indent, 0);
            }
        }
    }
}

/// Width of the widest run between break opportunities (trailing spaces excluded).
fn widest_piece(text: &str, amb: AmbiguousWidth) -> usize {
    let mut prev = 0;
    pizhu::layout::breaks::opportunities(text)
        .map(|at| {
            let w = str_width(text[prev..at].trim_end_matches(' '), amb);
            prev = at;
            w
        })
        .max()
        .unwrap_or(0)
}
