//! Property tests of the layout invariants in LAYOUT-RULES.md.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pizhu::layout::{AmbiguousWidth, Row, WrapOptions, str_width, wrap};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
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
        hanging: 0,
    }
}

/// A long URL (UAX #14 breaks it after some slashes at most, so its path leaves pieces wider
/// than narrow lines), maybe after an opening mark, followed by 1–3 closing marks: the text of
/// issue 11 item 11.
fn url_with_marks() -> impl Strategy<Value = String> {
    (
        prop::option::weighted(0.25, prop::sample::select(vec!["（", "《", "「", "“", "‘"])),
        "[a-z0-9/._-]{20,120}",
        prop::collection::vec(prop::sample::select(CLOSING.to_vec()), 1..=3),
    )
        .prop_map(|(open, path, marks)| {
            format!(
                "{}https://example.com/{path}{}",
                open.unwrap_or(""),
                marks.concat()
            )
        })
}

const CLOSING: &[&str] = &[
    "，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "』", "】", "”", "’", "%",
];

/// Chinese text with long URLs followed by closing marks.
fn url_paragraph() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => prop::sample::select(vec!["中", "文", "字", "见", "链", "接", "的"]).prop_map(String::from),
        1 => prop::sample::select(CLOSING.to_vec()).prop_map(String::from),
        1 => Just(" ".to_string()),
        2 => url_with_marks(),
    ];
    prop::collection::vec(token, 1..16).prop_map(|t| t.concat())
}

/// Marks that never start a row, and marks that never end one (LAYOUT-RULES rule 4).
const NEVER_STARTS: &str = "，。、；：？！）》」』】〉〕”’%％‰℃·‧・";
const NEVER_ENDS: &str = "（《「『【〈〔“‘";

fn starts_with_any(s: &str, set: &str) -> bool {
    s.chars().next().is_some_and(|c| set.contains(c))
}

fn ends_with_any(s: &str, set: &str) -> bool {
    s.chars().next_back().is_some_and(|c| set.contains(c))
}

/// Grapheme clusters of `text` as (start, end) byte offsets.
fn clusters(text: &str) -> Vec<(usize, usize)> {
    text.grapheme_indices(true)
        .map(|(i, g)| (i, i + g.len()))
        .collect()
}

/// Rows match their measured width and no row is wider than the width, except a lone grapheme
/// wider than the whole line.
fn check_widths(
    text: &str,
    rows: &[Row],
    width: usize,
    amb: AmbiguousWidth,
) -> Result<(), TestCaseError> {
    for row in rows {
        let row_text = &text[row.start..row.end];
        let w = str_width(row_text, amb);
        prop_assert_eq!(w, row.width);
        if w > width {
            prop_assert_eq!(
                row_text.graphemes(true).count(),
                1,
                "row {:?} at width {}",
                row_text,
                width
            );
        }
    }
    Ok(())
}

/// Nothing but spaces at breaks (and at the very end) is dropped; clusters stay whole.
/// `boundaries` are the grapheme starts of `text`, ascending.
fn check_preserved(text: &str, rows: &[Row], boundaries: &[usize]) -> Result<(), TestCaseError> {
    let is_boundary = |at: usize| at == text.len() || boundaries.binary_search(&at).is_ok();
    prop_assert!(!rows.is_empty());
    prop_assert_eq!(rows[0].start, 0);
    let mut prev_end = 0;
    for row in rows {
        prop_assert!(row.start >= prev_end && row.end >= row.start);
        prop_assert!(
            text[prev_end..row.start].chars().all(|c| c == ' '),
            "dropped {:?}",
            &text[prev_end..row.start]
        );
        prop_assert!(is_boundary(row.start) && is_boundary(row.end));
        prev_end = row.end;
    }
    prop_assert!(text[prev_end..].chars().all(|c| c == ' '));
    Ok(())
}

/// At a forced break, a closing mark starts a row, an opening mark ends one or `……` / `——`
/// are split only when the width leaves no choice: when the span around the row start between
/// the nearest grapheme boundaries where rule 4 allows a break is wider than the line.
fn check_marks_at_cuts(
    text: &str,
    rows: &[Row],
    width: usize,
    amb: AmbiguousWidth,
    clusters: &[(usize, usize)],
) -> Result<(), TestCaseError> {
    let g = |i: usize| &text[clusters[i].0..clusters[i].1];
    // Whether rule 4 allows a break before grapheme `i`.
    let allowed = |i: usize| {
        i == 0
            || i == clusters.len()
            || !(starts_with_any(g(i), NEVER_STARTS)
                || ends_with_any(g(i - 1), NEVER_ENDS)
                || (g(i - 1) == g(i) && (g(i) == "…" || g(i) == "—")))
    };
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let Ok(first) = clusters.binary_search_by_key(&b.start, |&(s, _)| s) else {
            continue;
        };
        if allowed(first) {
            continue;
        }
        let lo = (0..first).rev().find(|&i| allowed(i)).unwrap_or(0);
        let hi = (first + 1..=clusters.len())
            .find(|&i| allowed(i))
            .unwrap_or(clusters.len());
        let span_end = if hi == clusters.len() {
            text.len()
        } else {
            clusters[hi].0
        };
        let span = &text[clusters[lo].0..span_end];
        prop_assert!(
            str_width(span, amb) > width,
            "rule 4 broken at width {}: {:?} / {:?} (could keep {:?} together)",
            width,
            &text[a.start..a.end],
            &text[b.start..b.end],
            span
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(600)
    ))]

    /// No row is wider than the width, except a lone grapheme wider than the whole line.
    #[test]
    fn no_row_is_wider_than_the_width(text in paragraph(), width in 1usize..=200, amb in modes()) {
        check_widths(&text, &wrap(&text, &options(width, amb)), width, amb)?;
    }

    /// Nothing but spaces at breaks (and at the very end) is dropped; clusters stay whole.
    #[test]
    fn text_is_preserved(text in paragraph(), width in 1usize..=200, amb in modes()) {
        let boundaries: Vec<usize> = clusters(&text).iter().map(|&(s, _)| s).collect();
        check_preserved(&text, &wrap(&text, &options(width, amb)), &boundaries)?;
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
                prop_assert!(!NEVER_STARTS.contains(c), "row starts with {:?}: {:?}", c, &text[b.start..b.end]);
            }
            if let Some(c) = last {
                prop_assert!(!NEVER_ENDS.contains(c), "row ends with {:?}", c);
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

proptest! {
    // Every case wraps at 200 widths: keep the count modest (PROPTEST_CASES raises it).
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(200)
    ))]

    /// Issue 11 item 11: long URLs followed by closing marks, at every width 1–200. A forced
    /// break never leaves a closing mark at a row start (or an opening mark at a row end) when
    /// the width allows, and the usual invariants hold.
    #[test]
    fn closing_marks_after_long_urls_stay_with_them(text in url_paragraph(), amb in modes()) {
        let clusters = clusters(&text);
        let boundaries: Vec<usize> = clusters.iter().map(|&(s, _)| s).collect();
        for width in 1..=200 {
            let rows = wrap(&text, &options(width, amb));
            check_widths(&text, &rows, width, amb)?;
            check_preserved(&text, &rows, &boundaries)?;
            check_marks_at_cuts(&text, &rows, width, amb, &clusters)?;
        }
    }

    /// The same at every width on the general mix (quotes, ……, ——, emoji, spaces): wherever a
    /// piece is cut, rule 4 holds unless the width leaves no choice.
    #[test]
    fn forced_breaks_keep_rule_4_when_the_width_allows(text in paragraph(), amb in modes()) {
        let clusters = clusters(&text);
        for width in 1..=200 {
            let rows = wrap(&text, &options(width, amb));
            check_marks_at_cuts(&text, &rows, width, amb, &clusters)?;
        }
    }
}

/// One block of a structured document (Markdown, HTML, EPUB): its kind and text.
fn structured_block() -> impl Strategy<Value = (u8, u8, String)> {
    (0u8..7, 1u8..5, paragraph())
}

/// Writes blocks of every kind through the document builder, tables included.
fn structured_doc(blocks: &[(u8, u8, String)]) -> pizhu::document::Document {
    use pizhu::document::{BlockKind, Builder};
    let mut b = Builder::new("markdown");
    for (kind, depth, text) in blocks {
        match kind {
            0 => b.start(BlockKind::Paragraph),
            1 => b.start(BlockKind::Quote { depth: *depth }),
            2 => b.start(BlockKind::ListItem {
                depth: *depth,
                marker: 2,
            }),
            3 => b.start(BlockKind::Code),
            4 => b.start(BlockKind::Heading { level: *depth }),
            _ => {
                b.start_table();
                for row in 0..*depth {
                    b.start_joined(BlockKind::TableRow { header: row == 0 });
                    for cell in text.split('，').take(4) {
                        b.cell();
                        b.push(cell);
                    }
                }
                b.end_table();
                continue;
            }
        }
        if *kind == 2 {
            b.push("• ");
        }
        // Code keeps line breaks; elsewhere a few hard breaks.
        for (i, line) in text.split('。').enumerate() {
            if i > 0 {
                if *kind == 3 {
                    b.push("\n");
                } else {
                    b.line_break();
                }
            }
            b.push(line);
        }
    }
    b.finish()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Every row of a structured document, decorations included, fits the width (but for a
    /// lone grapheme wider than the whole line), and every visible character of every block
    /// is on exactly one row.
    #[test]
    fn structured_documents_fit_and_keep_their_text(
        blocks in prop::collection::vec(structured_block(), 1..8),
        width in 1usize..=100,
        amb in modes(),
    ) {
        use pizhu::layout::{DocLayout, LayoutParams, Pos, Visual};
        let doc = structured_doc(&blocks);
        let params = LayoutParams { ambiguous: amb, ..LayoutParams::new(width) };
        let mut layout = DocLayout::new(&doc, params);
        let mut covered = vec![false; doc.text().len()];
        for b in 0..doc.blocks().len() {
            for r in 0..layout.height(&doc, b) {
                let Visual::Text(row) = layout.visual(&doc, Pos { block: b, row: r }) else {
                    continue;
                };
                let placed: Vec<_> = layout.placed(&doc, &row).collect();
                let right = placed.iter().map(|&(_, _, w, x)| x + w).max().unwrap_or(row.indent);
                let lone = placed.iter().filter(|p| p.2 > 0).count() == 1;
                prop_assert!(right <= width || lone, "row {:?} ends at {right} > {width}", &doc.text()[row.start..row.end]);
                for (x, piece) in pizhu::layout::doc::decorations(&doc, b, &row, amb) {
                    prop_assert!(x + str_width(&piece, amb) <= row.indent.max(x + str_width(&piece, amb).min(width)));
                    prop_assert!(x + str_width(&piece, amb) <= width.max(2));
                }
                // A header cell drawn as the label of a value (`列：值`) counts as drawn.
                let mut labelled = vec![false; covered.len()];
                if let pizhu::layout::wrap::RowKind::Label { start, end } = row.kind {
                    labelled[start as usize..end as usize].iter_mut().for_each(|l| *l = true);
                }
                for (c, l) in covered.iter_mut().zip(&labelled) {
                    *c |= *l;
                }
                for &(at, g, _, _) in &placed {
                    for (i, seen) in covered.iter_mut().enumerate().skip(at).take(g.len()) {
                        prop_assert!(!*seen, "byte {i} drawn twice");
                        *seen = true;
                    }
                }
            }
        }
        for (i, c) in doc.text().char_indices() {
            let block = doc.blocks().iter().any(|bl| bl.start <= i && i < bl.end);
            if block && !c.is_whitespace() && str_width(c.encode_utf8(&mut [0; 4]), amb) > 0 {
                prop_assert!(covered[i], "{c:?} at {i} never drawn in {:?}", doc.text());
            }
        }
    }
}
