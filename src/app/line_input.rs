//! One-line text input, the same in every prompt and filter: a cursor that moves by grapheme,
//! the readline keys people know, paste, and no control or bidi characters.

use std::fmt;
use std::ops::Deref;

use unicode_segmentation::UnicodeSegmentation;

use super::{Key, KeyCode};
use crate::layout::{AmbiguousWidth, str_width};

/// What a key did to the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved (or the key was an edit with nothing to do).
    Moved,
    /// Not an editing key: the context's keymap has it.
    NotMine,
}

/// A line being typed: the text and the cursor (a byte offset on a grapheme boundary).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    cursor: usize,
}

impl LineInput {
    /// An input holding `text` (cleaned as a paste is), the cursor at its end.
    pub fn new(text: &str) -> Self {
        let mut input = Self::default();
        input.paste(text);
        input
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The cursor as a byte offset into the text.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Replaces the text before the cursor from byte `from` with `with`.
    pub fn replace_before_cursor(&mut self, from: usize, with: &str) {
        let from = from.min(self.cursor);
        self.text.replace_range(from..self.cursor, with);
        self.cursor = from + with.len();
    }

    /// Handles an editing key: characters, Backspace, Delete, Left, Right, Home, End and
    /// Ctrl-a/e/b/f/w/u/k. Backspace on an empty line is not an edit (a prompt closes).
    pub fn key(&mut self, key: Key) -> Edit {
        if key.alt {
            return Edit::NotMine;
        }
        if let Some(c) = key.typed_char() {
            if !is_input_char(c) {
                return Edit::Moved;
            }
            self.text.insert(self.cursor, c);
            self.cursor += c.len_utf8();
            return Edit::Changed;
        }
        let ctrl = |c: char| key.ctrl && key.code == KeyCode::Char(c);
        let (prev, next) = (self.prev_boundary(), self.next_boundary());
        match key.code {
            KeyCode::Backspace if !key.ctrl && self.text.is_empty() => Edit::NotMine,
            KeyCode::Backspace if !key.ctrl => self.delete(prev..self.cursor),
            KeyCode::Delete => self.delete(self.cursor..next),
            KeyCode::Left => self.move_to(prev),
            KeyCode::Right => self.move_to(next),
            KeyCode::Home => self.move_to(0),
            KeyCode::End => self.move_to(self.text.len()),
            _ if ctrl('b') => self.move_to(prev),
            _ if ctrl('f') => self.move_to(next),
            _ if ctrl('a') => self.move_to(0),
            _ if ctrl('e') => self.move_to(self.text.len()),
            _ if ctrl('u') => self.delete(0..self.cursor),
            _ if ctrl('k') => self.delete(self.cursor..self.text.len()),
            _ if ctrl('w') => self.delete(self.word_start()..self.cursor),
            _ => Edit::NotMine,
        }
    }

    /// Inserts pasted text at the cursor: escape sequences dropped whole (as in articles),
    /// then line breaks, other controls and bidi controls.
    pub fn paste(&mut self, text: &str) -> Edit {
        let clean: String = crate::text::sanitize(text)
            .chars()
            .filter(|&c| is_input_char(c))
            .collect();
        if clean.is_empty() {
            return Edit::Moved;
        }
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
        Edit::Changed
    }

    /// The part of the line to show in `width` columns, and the cursor's column in it: the
    /// line scrolls so that the cursor is always in view.
    pub fn view(&self, width: usize, ambiguous: AmbiguousWidth) -> (&str, usize) {
        let width = width.max(1);
        let before = &self.text[..self.cursor];
        let mut start = 0;
        // Keep the cursor's cell inside: drop graphemes from the left until it fits.
        while str_width(&before[start..], ambiguous) >= width {
            start += before[start..]
                .graphemes(true)
                .next()
                .map_or(before.len() - start, str::len);
        }
        let mut end = start;
        for g in self.text[start..].graphemes(true) {
            if str_width(&self.text[start..end + g.len()], ambiguous) > width {
                break;
            }
            end += g.len();
        }
        (
            &self.text[start..end],
            str_width(&before[start..], ambiguous),
        )
    }

    fn delete(&mut self, range: std::ops::Range<usize>) -> Edit {
        if range.is_empty() {
            return Edit::Moved;
        }
        self.cursor = range.start;
        self.text.replace_range(range, "");
        Edit::Changed
    }

    fn move_to(&mut self, at: usize) -> Edit {
        self.cursor = at;
        Edit::Moved
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }

    /// Where Ctrl-w deletes back to: the spaces before the cursor, then the word before them.
    fn word_start(&self) -> usize {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8())
    }
}

impl Deref for LineInput {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl PartialEq<&str> for LineInput {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl fmt::Display for LineInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Whether `c` may go into a one-line input. Controls and bidi controls never do: the input is
/// echoed to the terminal and may end up in names, tags and file names, where an invisible
/// override would make text read other than it is.
pub fn is_input_char(c: char) -> bool {
    !c.is_control() && !super::editor::is_bidi_control(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Types `keys` (test notation, space separated) into `start` with the cursor at `|`,
    /// and returns the text with the cursor marked.
    fn after(start: &str, keys: &str) -> String {
        let at = start.find('|').unwrap_or(start.len());
        let mut input = LineInput {
            text: start.replace('|', ""),
            cursor: at,
        };
        for k in keys.split_whitespace() {
            let key = Key::parse(k).unwrap_or_else(|| panic!("{k}"));
            input.key(key);
        }
        let mut shown = input.text.clone();
        shown.insert(input.cursor, '|');
        shown
    }

    #[test]
    fn editing_keys_move_by_grapheme() {
        let cases = [
            ("字节|", "Left Left 跳", "跳|字节"),
            ("字节|", "Home X End Y", "X字节Y|"),
            ("字节跳动|", "Left Backspace", "字节|动"),
            ("字节跳动|", "C-a C-f C-f Del", "字节|动"),
            ("字节跳动|", "C-b C-b C-k", "字节|"),
            ("字节跳动|", "Left C-u", "|动"),
            ("abc def  |", "C-w", "abc |"),
            ("abc def|", "C-w C-w", "|"),
            // A flag is one grapheme of two code points: one Left, one Backspace.
            ("a🇨🇳|", "Backspace", "a|"),
            ("a🇨🇳|", "Left Right x", "a🇨🇳x|"),
            ("e\u{301}|", "Left", "|e\u{301}"),
        ];
        for (start, keys, want) in cases {
            assert_eq!(after(start, keys), want, "{start} + {keys}");
        }
    }

    #[test]
    fn controls_and_bidi_never_go_in() {
        let mut input = LineInput::default();
        assert_eq!(input.key(Key::ch('\u{202e}')), Edit::Moved);
        assert_eq!(input.paste("a\u{1b}[31mb\nc\u{2066}d\u{7}"), Edit::Changed);
        assert_eq!(input.as_str(), "abcd");
        // Backspace on an empty line is the prompt's to handle.
        assert_eq!(
            LineInput::default().key(Key::parse("BS").unwrap()),
            Edit::NotMine
        );
        assert_eq!(input.key(Key::parse("Enter").unwrap()), Edit::NotMine);
        assert_eq!(input.key(Key::ctrl('c')), Edit::NotMine);
    }

    #[test]
    fn paste_goes_in_at_the_cursor() {
        let mut input = LineInput::new("字动");
        input.key(Key::parse("Left").unwrap());
        input.paste("节跳");
        assert_eq!(input.as_str(), "字节跳动");
        assert_eq!(input.cursor(), "字节跳".len());
    }

    #[test]
    fn view_keeps_the_cursor_in_sight() {
        let narrow = AmbiguousWidth::Narrow;
        let input = LineInput::new("一二三四五六七八九十");
        // Ten wide characters, six columns: the end shows, and a cell for the cursor after it.
        let (shown, col) = input.view(6, narrow);
        assert_eq!((shown, col), ("九十", 4));
        let mut input = input;
        input.key(Key::parse("Home").unwrap());
        let (shown, col) = input.view(6, narrow);
        assert_eq!((shown, col), ("一二三", 0));
        for width in 1..12 {
            let (shown, col) = input.view(width, narrow);
            assert!(str_width(shown, narrow) <= width && col < width.max(1));
        }
    }
}
