//! A small multi-line text editor for notes. The cursor moves by grapheme, so a Chinese
//! character (or an emoji sequence) is one step, and it is placed by display width, so it sits
//! right after wide characters. Text from an IME arrives as ordinary characters.

use unicode_segmentation::GraphemeCursor;

use crate::keys::{Key, KeyCode};
use crate::layout::AmbiguousWidth;
use crate::layout::width::graphemes;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Editor {
    text: String,
    /// Byte offset, on a grapheme boundary.
    cursor: usize,
    /// Display column that Up/Down try to keep.
    goal: Option<usize>,
}

/// One screen row of the wrapped text: `start..end` of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EditorRow {
    pub start: usize,
    pub end: usize,
}

impl Editor {
    /// The editor's text keys: typing, Enter for a new line, Backspace, Delete, the arrows,
    /// Home and End, Ctrl-a/e/u. Whether the key was one of them.
    pub fn key(&mut self, key: Key, width: usize, ambiguous: AmbiguousWidth) -> bool {
        let ctrl = |c: char| key.ctrl && !key.alt && key.code == KeyCode::Char(c);
        match key.code {
            _ if ctrl('a') => self.home(),
            _ if ctrl('e') => self.end(),
            _ if ctrl('u') => self.kill_line_start(),
            KeyCode::Enter => self.insert("\n"),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Up => self.vertical(-1, width, ambiguous),
            KeyCode::Down => self.vertical(1, width, ambiguous),
            KeyCode::Home => self.home(),
            KeyCode::End => self.end(),
            _ => match key.typed_char() {
                Some(c) if !c.is_control() => {
                    let mut buf = [0u8; 4];
                    self.insert(c.encode_utf8(&mut buf));
                }
                _ => return false,
            },
        }
        true
    }

    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            cursor: text.len(),
            goal: None,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn insert(&mut self, s: &str) {
        // Tabs become spaces, CR and CRLF (as pasted from many terminals) become newlines,
        // other controls and bidi overrides are dropped: a note is plain text.
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        let clean: String = s
            .chars()
            .filter_map(|c| match c {
                '\t' => Some(' '),
                '\n' => Some('\n'),
                c if c.is_control() || is_bidi_control(c) => None,
                c => Some(c),
            })
            .collect();
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
        self.goal = None;
    }

    fn prev_boundary(&self, at: usize) -> Option<usize> {
        GraphemeCursor::new(at, self.text.len(), true)
            .prev_boundary(&self.text, 0)
            .ok()
            .flatten()
    }

    fn next_boundary(&self, at: usize) -> Option<usize> {
        GraphemeCursor::new(at, self.text.len(), true)
            .next_boundary(&self.text, 0)
            .ok()
            .flatten()
    }

    pub fn backspace(&mut self) {
        if let Some(p) = self.prev_boundary(self.cursor) {
            self.text.replace_range(p..self.cursor, "");
            self.cursor = p;
        }
        self.goal = None;
    }

    pub fn delete(&mut self) {
        if let Some(n) = self.next_boundary(self.cursor) {
            self.text.replace_range(self.cursor..n, "");
        }
        self.goal = None;
    }

    pub fn left(&mut self) {
        if let Some(p) = self.prev_boundary(self.cursor) {
            self.cursor = p;
        }
        self.goal = None;
    }

    pub fn right(&mut self) {
        if let Some(n) = self.next_boundary(self.cursor) {
            self.cursor = n;
        }
        self.goal = None;
    }

    fn line_start(&self) -> usize {
        self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1)
    }

    fn line_end(&self) -> usize {
        self.text[self.cursor..]
            .find('\n')
            .map_or(self.text.len(), |i| self.cursor + i)
    }

    pub fn home(&mut self) {
        self.cursor = self.line_start();
        self.goal = None;
    }

    pub fn end(&mut self) {
        self.cursor = self.line_end();
        self.goal = None;
    }

    /// Deletes from the start of the line to the cursor (Ctrl-u).
    pub fn kill_line_start(&mut self) {
        let start = self.line_start();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Rows of the text wrapped at `width` columns: a new row at every newline and wherever
    /// the next grapheme would not fit.
    pub fn rows(&self, width: usize, ambiguous: AmbiguousWidth) -> Vec<EditorRow> {
        let width = width.max(2);
        let mut rows = Vec::new();
        let mut line_start = 0;
        for line in self.text.split('\n') {
            let mut start = line_start;
            let mut used = 0;
            for (offset, _, w) in graphemes(line, ambiguous) {
                if used + w > width && used > 0 {
                    rows.push(EditorRow {
                        start,
                        end: line_start + offset,
                    });
                    start = line_start + offset;
                    used = 0;
                }
                used += w;
            }
            rows.push(EditorRow {
                start,
                end: line_start + line.len(),
            });
            line_start += line.len() + 1;
        }
        rows
    }

    /// (row, column) of the cursor in [`Self::rows`]. At a wrap point the cursor shows at the
    /// start of the next row.
    pub fn cursor_cell(&self, width: usize, ambiguous: AmbiguousWidth) -> (usize, usize) {
        let rows = self.rows(width, ambiguous);
        let i = rows
            .iter()
            .rposition(|r| r.start <= self.cursor)
            .unwrap_or(0);
        let row = rows[i];
        let col = crate::layout::str_width(&self.text[row.start..self.cursor], ambiguous);
        (i, col)
    }

    /// Up or down one screen row, keeping the column.
    pub fn vertical(&mut self, delta: isize, width: usize, ambiguous: AmbiguousWidth) {
        let rows = self.rows(width, ambiguous);
        let (i, col) = self.cursor_cell(width, ambiguous);
        let goal = *self.goal.get_or_insert(col);
        let target = i as isize + delta;
        if target < 0 || target as usize >= rows.len() {
            self.cursor = if delta < 0 { 0 } else { self.text.len() };
            return;
        }
        let t = target as usize;
        let row = rows[t];
        let mut x = 0;
        // Past the end of a row that wraps on (no newline after it), the cursor stays on its
        // last character: `row.end` would be the start of the next row.
        let wraps_on = rows.get(t + 1).is_some_and(|next| next.start == row.end);
        let mut at = if wraps_on {
            graphemes(&self.text[row.start..row.end], ambiguous)
                .last()
                .map_or(row.start, |(offset, _, _)| row.start + offset)
        } else {
            row.end
        };
        for (offset, _, w) in graphemes(&self.text[row.start..row.end], ambiguous) {
            if x + w > goal {
                at = row.start + offset;
                break;
            }
            x += w;
        }
        self.cursor = at;
    }
}

/// Characters that reorder the text around them when displayed.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: AmbiguousWidth = AmbiguousWidth::Narrow;

    #[test]
    fn typing_chinese_moves_by_character_and_width() {
        let mut e = Editor::new("");
        for c in "种草≠交易".chars() {
            e.insert(&c.to_string());
        }
        assert_eq!(e.text(), "种草≠交易");
        assert_eq!(e.cursor_cell(40, N), (0, 9));
        e.left();
        e.left();
        assert_eq!(e.cursor_cell(40, N), (0, 5));
        e.backspace();
        assert_eq!(e.text(), "种草交易");
        assert_eq!(e.cursor_cell(40, N), (0, 4));
    }

    #[test]
    fn emoji_sequences_are_one_step() {
        let mut e = Editor::new("a👍🏽b");
        e.left();
        e.left();
        assert_eq!(e.cursor(), 1);
        e.delete();
        assert_eq!(e.text(), "ab");
    }

    #[test]
    fn newlines_and_wrapping() {
        let mut e = Editor::new("第一行\n一二三四五六");
        let rows = e.rows(8, N);
        let texts: Vec<&str> = rows.iter().map(|r| &e.text()[r.start..r.end]).collect();
        assert_eq!(texts, ["第一行", "一二三四", "五六"]);
        assert_eq!(e.cursor_cell(8, N), (2, 4));
        e.vertical(-1, 8, N);
        assert_eq!(e.cursor_cell(8, N), (1, 4));
        e.vertical(-1, 8, N);
        assert_eq!(e.cursor_cell(8, N), (0, 4));
        e.home();
        assert_eq!(e.cursor(), 0);
        e.end();
        assert_eq!(e.cursor_cell(8, N), (0, 6));
    }

    #[test]
    fn up_and_down_cross_full_wrapped_rows() {
        let mut e = Editor::new("abcdefghijklmnop");
        assert_eq!(e.cursor_cell(8, N), (1, 8));
        e.vertical(-1, 8, N);
        assert_eq!(e.cursor_cell(8, N).0, 0);
        let mut e = Editor::new("abcdefghijklmnopqrstuvwx");
        assert_eq!(e.cursor_cell(8, N), (2, 8));
        let mut seen = Vec::new();
        for delta in [-1, -1, 1, 1] {
            e.vertical(delta, 8, N);
            seen.push(e.cursor_cell(8, N).0);
        }
        assert_eq!(seen, [1, 0, 1, 2], "one row per key, both ways");
    }

    #[test]
    fn controls_are_dropped_from_input() {
        let mut e = Editor::new("");
        e.insert("a\u{1b}[31mb\tc\r\nd\re\u{202E}f");
        assert_eq!(e.text(), "a[31mb c\nd\nef");
    }
}
