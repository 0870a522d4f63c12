//! Greedy line filling over break opportunities (LAYOUT-RULES.md rules 5–10).

use super::breaks;
use super::width::{AmbiguousWidth, graphemes, str_width};

/// How to fill the rows of one paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrapOptions {
    /// Columns per row; anything below 1 is treated as 1.
    pub width: usize,
    pub ambiguous: AmbiguousWidth,
    /// Blank columns before the first row (the Chinese first-line indent). Dropped when the
    /// column is too narrow for it to leave room for text.
    pub first_indent: usize,
    /// Blank columns before every row after the first (the text of a list item hangs under
    /// the text after its marker). Dropped when it would leave less than half the width.
    pub hanging: usize,
}

impl WrapOptions {
    pub fn new(width: usize) -> Self {
        Self {
            width,
            ambiguous: AmbiguousWidth::Narrow,
            first_indent: 0,
            hanging: 0,
        }
    }
}

/// One display row: `start..end` is the drawn text (byte offsets into the wrapped text);
/// spaces hanging at a break lie between one row's `end` and the next row's `start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub start: usize,
    pub end: usize,
    /// Blank columns drawn before the text.
    pub indent: usize,
    /// Columns taken by the text, without the indent.
    pub width: usize,
    /// How the row is drawn, beyond its text.
    pub kind: RowKind,
}

/// Rows that are more than a run of text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RowKind {
    #[default]
    Text,
    /// A table row set as aligned cells: each `\t` in the text moves to the next column of
    /// table `table` (an index into the document's tables).
    Cells { table: u32 },
    /// A table cell set as a `列：值` line: the header text at `start..end` of the document
    /// is drawn, dimmed, in the indent before the value.
    Label { start: u32, end: u32 },
}

/// Lays one paragraph out into rows. Never drops text, never loops, never panics; no row is
/// wider than `width` except a lone grapheme that is wider than the whole line.
pub fn wrap(text: &str, options: &WrapOptions) -> Vec<Row> {
    let mut rows = Vec::new();
    wrap_into(text, options, &mut rows);
    rows
}

/// As [`wrap`], appending to `rows` (offsets still relative to `text`).
pub fn wrap_into(text: &str, options: &WrapOptions, rows: &mut Vec<Row>) {
    let width = options.width.max(1);
    let indent = if options.first_indent > 0 && width >= options.first_indent * 3 {
        options.first_indent
    } else {
        0
    };
    let first_row = rows.len();
    let hanging = if options.hanging * 2 <= width {
        options.hanging
    } else {
        0
    };
    let mut line = Line::new(0, indent);
    let mut prev = 0;
    for at in breaks::opportunities(text) {
        let piece = &text[prev..at];
        let content = if prev == 0 {
            // Spaces at the very start of a paragraph are content, not a hanging break.
            piece.trim_end_matches(' ').len().max(leading_spaces(piece))
        } else {
            piece.trim_end_matches(' ').len()
        };
        let content_end = prev + content;
        let content_width = str_width(&text[prev..content_end], options.ambiguous);
        let spaces = piece.len() - content;

        if line.used + content_width <= width {
            line.take(content_end, content_width, spaces);
        } else {
            if line.has_content {
                rows.push(line.row());
                line = Line::new(prev, hanging);
            } else if rows.len() == first_row && line.indent > 0 && content_width <= width {
                // The indent alone would push this piece over: give up the indent.
                line = Line::new(prev, 0);
            }
            if line.used + content_width <= width {
                line.take(content_end, content_width, spaces);
            } else {
                let fill = WrapOptions {
                    width,
                    hanging,
                    ..*options
                };
                line = cut(text, prev, content_end, &fill, line, rows);
                line.used += spaces;
            }
        }
        prev = at;
    }
    if line.has_content || rows.len() == first_row {
        rows.push(line.row());
    }
}

/// Number of leading ASCII spaces.
fn leading_spaces(s: &str) -> usize {
    s.len() - s.trim_start_matches(' ').len()
}

/// The row being filled.
struct Line {
    start: usize,
    end: usize,
    indent: usize,
    /// Columns used so far, including the indent and any pending (hanging) spaces.
    used: usize,
    /// Columns up to `end`, excluding the indent.
    width: usize,
    has_content: bool,
}

impl Line {
    fn new(start: usize, indent: usize) -> Self {
        Self {
            start,
            end: start,
            indent,
            used: indent,
            width: 0,
            has_content: false,
        }
    }

    fn take(&mut self, content_end: usize, content_width: usize, spaces: usize) {
        if content_end > self.end {
            self.end = content_end;
            self.width = self.used + content_width - self.indent;
            self.has_content = true;
        }
        self.used += content_width + spaces;
    }

    fn row(&self) -> Row {
        Row {
            start: self.start,
            end: self.end,
            indent: self.indent,
            width: self.width,
            kind: RowKind::Text,
        }
    }
}

/// Emergency break: cuts `text[from..to]`, a piece with no break opportunity that is wider than
/// a line, at grapheme boundaries. Returns the last, partly filled line.
///
/// Each row takes as many graphemes as fit, except that a cut never puts a closing mark at the
/// start of a row or an opening mark at its end (rule 4): the last grapheme(s) before the mark
/// come down with it, when the next row has room for them up to the next allowed cut.
fn cut(
    text: &str,
    from: usize,
    to: usize,
    fill: &WrapOptions,
    mut line: Line,
    rows: &mut Vec<Row>,
) -> Line {
    let (width, ambiguous, hanging) = (fill.width, fill.ambiguous, fill.hanging);
    // (start, width) per grapheme; grapheme `i` ends where `i + 1` starts, the last at `to`.
    let clusters: Vec<(usize, usize)> = graphemes(&text[from..to], ambiguous)
        .map(|(offset, _, w)| (from + offset, w))
        .collect();
    let end_of = |i: usize| clusters.get(i + 1).map_or(to, |&(start, _)| start);
    // Whether the row may end before grapheme `k` (0 < k < clusters.len()).
    let may_cut = |k: usize| {
        breaks::cut_allowed(
            &text[clusters[k - 1].0..clusters[k].0],
            &text[clusters[k].0..end_of(k)],
        )
    };
    let mut i = 0;
    while i < clusters.len() {
        // Greedy: as many graphemes as fit, at least one on an empty row.
        let mut j = i;
        let mut used = line.used;
        while j < clusters.len() && (used + clusters[j].1 <= width || (j == i && !line.has_content))
        {
            used += clusters[j].1;
            j += 1;
        }
        if j == i {
            // The line holds text from before the piece and not one grapheme more fits: end
            // it at the piece's start, a real break opportunity.
            rows.push(line.row());
            line = Line::new(clusters[i].0, hanging);
            continue;
        }
        let k = if j == clusters.len() {
            j
        } else {
            // The row after a cut hangs: what comes down must fit beside the hanging indent.
            pull_back(i, j, width.saturating_sub(hanging), &clusters, may_cut)
        };
        for (g, &(_, w)) in clusters.iter().enumerate().take(k).skip(i) {
            line.take(end_of(g), w, 0);
        }
        if k == clusters.len() {
            break;
        }
        rows.push(line.row());
        line = Line::new(clusters[k].0, hanging);
        i = k;
    }
    line
}

/// Where a row of graphemes `i..j` (the most that fit; `j` < the count) should end: `j` when a
/// cut is allowed there, else the latest allowed cut `k` in `i + 1..j` such that the next row,
/// `k..` up to the next allowed cut, fits in `room` columns. When none does the width leaves no
/// choice and the row ends at `j` anyway.
fn pull_back(
    i: usize,
    j: usize,
    room: usize,
    clusters: &[(usize, usize)],
    may_cut: impl Fn(usize) -> bool,
) -> usize {
    if may_cut(j) {
        return j;
    }
    let mut next = j + 1;
    while next < clusters.len() && !may_cut(next) {
        next += 1;
    }
    let mut carried: usize = clusters[j..next].iter().map(|&(_, w)| w).sum();
    for k in (i + 1..j).rev() {
        carried += clusters[k].1;
        if carried > room {
            break;
        }
        if may_cut(k) {
            return k;
        }
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, width: usize) -> Vec<&str> {
        rows(text, &WrapOptions::new(width))
            .into_iter()
            .map(|(row, _)| row)
            .collect()
    }

    /// Each row's text and indent; every row's width is the width of its text.
    #[track_caller]
    fn rows<'t>(text: &'t str, options: &WrapOptions) -> Vec<(&'t str, usize)> {
        wrap(text, options)
            .iter()
            .map(|r| {
                let row = &text[r.start..r.end];
                assert_eq!(r.width, str_width(row, options.ambiguous), "{row:?}");
                (row, r.indent)
            })
            .collect()
    }

    #[test]
    fn layout_rules_examples() {
        assert_eq!(lines("一二三四五，六七", 10), ["一二三四", "五，六七"]);
        assert_eq!(lines("一二三四《书名》", 10), ["一二三四", "《书名》"]);
        assert_eq!(lines("他说了一句话……然后", 12), ["他说了一句", "话……然后"]);
        assert_eq!(lines("一二三四——五六", 9), ["一二三四", "——五六"]);
        assert_eq!(
            lines("截至2025年12月31日的数据", 10),
            ["截至2025年", "12月31日的", "数据"]
        );
        assert_eq!(
            lines("私は ratatui が本当に便利だと思います", 20),
            ["私は ratatui が本当", "に便利だと思います"]
        );
        assert_eq!(lines("a中b", 2), ["a", "中", "b"]);
        assert_eq!(lines("中文", 1), ["中", "文"]);
    }

    #[test]
    fn empty_paragraph_is_one_empty_row() {
        assert_eq!(lines("", 10), [""]);
    }

    #[test]
    fn exactly_full_line_has_no_extra_row() {
        assert_eq!(lines("一二三四五", 10), ["一二三四五"]);
    }

    #[test]
    fn spaces_hang_at_breaks_but_lead_a_paragraph() {
        assert_eq!(lines("hello world", 5), ["hello", "world"]);
        assert_eq!(lines("  开头", 6), ["  开头"]);
        assert_eq!(lines("　　全角缩进", 8), ["　　全角", "缩进"]);
    }

    #[test]
    fn long_words_are_cut_at_graphemes() {
        assert_eq!(lines("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(
            lines("看https://example.com/a", 8),
            ["看", "https://", "example.", "com/a"]
        );
        assert_eq!(lines("👨‍👩‍👧👨‍👩‍👧", 3), ["👨‍👩‍👧", "👨‍👩‍👧"]);
    }

    /// Issue 11 item 11: a closing mark after a force-broken URL never starts a row; the last
    /// grapheme(s) of the URL come down with it (rule 4 holds for emergency breaks too).
    #[test]
    fn closing_mark_after_a_cut_url_never_starts_a_row() {
        // ICU breaks after the slashes; the last path segment (30 columns) has no opportunity.
        let url = "https://example.com/abcdefghijklmnopqrstuvwxyz0123";
        for (text, widths) in [
            (format!("{url}。"), [3, 4, 8, 10, 15, 29, 30, 31]),
            (format!("看{url}，下"), [3, 4, 8, 10, 15, 29, 30, 31]),
            (format!("{url}。」"), [5, 6, 10, 15, 30, 31, 32, 33]),
            (format!("{url}）。”"), [6, 7, 10, 15, 30, 33, 34, 35]),
        ] {
            for width in widths {
                let rows = lines(&text, width);
                for (i, row) in rows.iter().enumerate().skip(1) {
                    assert!(
                        !row.starts_with(['。', '，', '」', '）', '”']),
                        "{text:?} at width {width}: row {i} starts with a closing mark: {rows:?}"
                    );
                }
                assert_eq!(rows.concat(), text, "{rows:?}");
                assert!(
                    rows.iter()
                        .all(|r| str_width(r, AmbiguousWidth::Narrow) <= width)
                );
            }
        }
        let text = format!("{url}。");
        assert_eq!(
            lines(&text, 30),
            [
                "https://example.com/",
                "abcdefghijklmnopqrstuvwxyz012",
                "3。"
            ]
        );
        assert_eq!(
            lines(&text, 31),
            [
                "https://example.com/",
                "abcdefghijklmnopqrstuvwxyz012",
                "3。"
            ]
        );
        assert_eq!(
            lines(&text, 10),
            [
                "https://",
                "example.co",
                "m/",
                "abcdefghij",
                "klmnopqrst",
                "uvwxyz012",
                "3。"
            ]
        );
        assert_eq!(
            lines(&format!("{url}。」"), 30),
            [
                "https://example.com/",
                "abcdefghijklmnopqrstuvwxyz012",
                "3。」"
            ]
        );
        // Several marks: as many graphemes come down as the marks need (here none: one is enough).
        assert_eq!(
            lines(&format!("{url}）。”"), 30),
            [
                "https://example.com/",
                "abcdefghijklmnopqrstuvwxyz012",
                "3）。”"
            ]
        );
    }

    /// The symmetric case: an opening mark inside a force-broken run never ends a row.
    #[test]
    fn opening_mark_inside_a_cut_run_never_ends_a_row() {
        assert_eq!(lines("abcdefg“hij”", 8), ["abcdefg", "“hij”"]);
        assert_eq!(lines("abcdefghij“k”", 11), ["abcdefghij", "“k”"]);
        assert_eq!(lines("abcdefghij“k”", 3), ["abc", "def", "ghi", "j", "“k”"]);
    }

    /// Width 1 and 2: when the mark and the grapheme before it do not fit together, the mark
    /// still stands alone; nothing is dropped, nothing loops.
    #[test]
    fn narrow_widths_still_cut_a_url_and_its_mark() {
        assert_eq!(lines("ab。", 1), ["a", "b", "。"]);
        assert_eq!(lines("ab。", 2), ["ab", "。"]);
        assert_eq!(lines("abc。", 3), ["ab", "c。"]);
        assert_eq!(lines("abc。。", 3), ["abc", "。", "。"]);
        assert_eq!(lines("abc。。", 5), ["ab", "c。。"]);
        assert_eq!(lines("。。。", 1), ["。", "。", "。"]);
        assert_eq!(lines("a“b", 1), ["a", "“", "b"]);
    }

    #[test]
    fn first_line_indent() {
        let text = "一二三四五六七八九十";
        let options = WrapOptions {
            first_indent: 4,
            ..WrapOptions::new(12)
        };
        let rows = wrap(text, &options);
        assert_eq!(rows[0].indent, 4);
        assert_eq!(&text[rows[0].start..rows[0].end], "一二三四");
        assert_eq!(rows[1].indent, 0);
        // Too narrow for an indent.
        let narrow = WrapOptions {
            first_indent: 4,
            ..WrapOptions::new(8)
        };
        assert_eq!(wrap(text, &narrow)[0].indent, 0);
    }

    #[test]
    fn ambiguous_wide_mode_counts_quotes_as_two() {
        let text = "他说“好”";
        let wide = WrapOptions {
            ambiguous: AmbiguousWidth::Wide,
            ..WrapOptions::new(8)
        };
        let rows = wrap(text, &wide);
        assert!(rows.iter().all(|r| r.width <= 8), "{rows:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(lines(text, 8), ["他说“好”"]);
    }

    /// Spaces that lead a paragraph are its text: a piece that does not fit after them goes to
    /// the next row, as after any other text.
    #[test]
    fn leading_spaces_are_text_that_a_long_piece_wraps_after() {
        assert_eq!(lines("  中文", 2), ["  ", "中", "文"]);
        assert_eq!(lines("  abcdef", 4), ["  ", "abcd", "ef"]);
        assert_eq!(lines("   abc", 4), ["   ", "abc"]);
    }

    /// The width of a row counts the spaces inside it, also after a piece that had to be cut.
    #[test]
    fn a_row_after_a_cut_counts_the_spaces_before_its_next_word() {
        assert_eq!(lines("abcdefg hij", 6), ["abcdef", "g hij"]);
        assert_eq!(lines("abcdefg  hi", 6), ["abcdef", "g  hi"]);
    }

    #[test]
    fn hanging_indent_is_kept_unless_it_leaves_less_than_half_the_width() {
        let text = "一二三四五六七八九十";
        let hanging = |hanging| WrapOptions {
            hanging,
            ..WrapOptions::new(10)
        };
        assert_eq!(
            rows(text, &hanging(5)),
            [("一二三四五", 0), ("六七", 5), ("八九", 5), ("十", 5)]
        );
        assert_eq!(
            rows(text, &hanging(6)),
            [("一二三四五", 0), ("六七八九十", 0)]
        );
        // A word cut at graphemes hangs the same way.
        let word = "abcdefghijklmnopqrstuvwxyz";
        assert_eq!(
            rows(word, &hanging(4)),
            [("abcdefghij", 0), ("klmnop", 4), ("qrstuv", 4), ("wxyz", 4)]
        );
        assert_eq!(
            rows(word, &hanging(6)),
            [("abcdefghij", 0), ("klmnopqrst", 0), ("uvwxyz", 0)]
        );
    }

    /// Only the first row gives up its indent for a piece that would fit the width without it;
    /// a hanging row cuts the piece instead.
    #[test]
    fn the_first_indent_is_given_up_for_a_piece_that_fits_without_it() {
        let first = WrapOptions {
            first_indent: 4,
            ..WrapOptions::new(12)
        };
        assert_eq!(
            rows("abcdefghij 一二三", &first),
            [("abcdefghij", 0), ("一二三", 0)]
        );
        assert_eq!(rows("一二三四五", &first), [("一二三四", 4), ("五", 0)]);
        let hanging = WrapOptions {
            hanging: 2,
            ..WrapOptions::new(10)
        };
        assert_eq!(
            rows("一二三四五 abcdefghij", &hanging),
            [("一二三四五", 0), ("abcdefgh", 2), ("ij", 2)]
        );
    }

    /// The graphemes a closing mark pulls down must fit beside the hanging indent of the row
    /// they go to; when they cannot, the mark stands alone rather than taking one more row.
    #[test]
    fn a_pulled_back_row_fits_beside_the_hanging_indent() {
        let hanging = |width, hanging| WrapOptions {
            hanging,
            ..WrapOptions::new(width)
        };
        assert_eq!(
            rows("一二ab。", &hanging(4, 2)),
            [("一二", 0), ("ab", 2), ("。", 2)]
        );
        assert_eq!(rows("ab“c。", &hanging(4, 2)), [("ab“c", 0), ("。", 2)]);
        assert_eq!(
            rows("一二三四 abcdef%", &hanging(10, 4)),
            [("一二三四", 0), ("abcde", 4), ("f%", 4)]
        );
        assert_eq!(
            rows("一二三四 abcdef%", &hanging(10, 2)),
            [("一二三四", 0), ("abcdef%", 2)]
        );
    }

    /// A run that may be cut nowhere before the width (opening marks) ends the row where the
    /// width does, on the indented first row too; the row is never left empty.
    #[test]
    fn a_run_with_no_allowed_cut_ends_where_the_width_does() {
        let first = WrapOptions {
            first_indent: 4,
            ..WrapOptions::new(12)
        };
        assert_eq!(
            rows("““““““““abcdefghijk", &first),
            [("““““““““", 4), ("abcdefghijk", 0)]
        );
    }

    /// A piece too wide for any row that is full just before closing marks it may not be cut
    /// from: no cut is allowed up to the piece's end, so the row ends where the width does, and
    /// nothing beyond the piece is looked at.
    #[test]
    fn closing_marks_at_the_end_of_a_piece_wider_than_the_row() {
        assert_eq!(lines("字。」", 4), ["字。", "」"]);
        assert_eq!(lines("abcdefgh。」", 8), ["abcdefg", "h。」"]);
    }
}
