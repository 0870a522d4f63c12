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
}

impl WrapOptions {
    pub fn new(width: usize) -> Self {
        Self {
            width,
            ambiguous: AmbiguousWidth::Narrow,
            first_indent: 0,
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
                line = Line::new(prev, 0);
            } else if rows.len() == first_row && line.indent > 0 && content_width <= width {
                // The indent alone would push this piece over: give up the indent.
                line = Line::new(prev, 0);
            }
            if line.used + content_width <= width {
                line.take(content_end, content_width, spaces);
            } else {
                line = cut(
                    text,
                    prev,
                    content_end,
                    width,
                    options.ambiguous,
                    line,
                    rows,
                );
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
        }
    }
}

/// Emergency break: cuts `text[from..to]`, a piece with no break opportunity that is wider than
/// a line, at grapheme boundaries. Returns the last, partly filled line.
fn cut(
    text: &str,
    from: usize,
    to: usize,
    width: usize,
    ambiguous: AmbiguousWidth,
    mut line: Line,
    rows: &mut Vec<Row>,
) -> Line {
    for (offset, g, w) in graphemes(&text[from..to], ambiguous) {
        let at = from + offset;
        if line.used + w > width && line.has_content {
            rows.push(line.row());
            line = Line::new(at, 0);
        }
        line.take(at + g.len(), w, 0);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, width: usize) -> Vec<&str> {
        wrap(text, &WrapOptions::new(width))
            .iter()
            .map(|r| &text[r.start..r.end])
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
}
