//! Marks (`m{a-z}`, `'{a-z}`), the jump back (`''`) and `{n}%`: places to go back to.
//!
//! A jump is a move that can land far away: `g`/`G`/`NG`, `N%`, accepting a search, `n`/`N`,
//! an entity's or a highlight's place picked in the panel, the outline, a mark. Each calls
//! [`App::remember_jump`] first, so `''` can return; `]`/`[` and the other motions do not.

use std::collections::BTreeMap;

use super::{App, Key, KeyCode};

/// A key that waits for the next one: the letter of a mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pending {
    /// After `m`.
    SetMark,
    /// After `'` or `` ` ``.
    JumpMark,
}

impl App {
    /// Marks set with `m`, by letter: byte offsets into the text.
    pub fn marks(&self) -> &BTreeMap<char, usize> {
        &self.marks
    }

    /// The marks saved with the document (offsets already fitted to its text).
    pub fn set_marks(&mut self, marks: BTreeMap<char, usize>) {
        self.marks = marks;
    }

    /// The key that waits for a mark's letter, if one does.
    pub fn pending(&self) -> Option<Pending> {
        self.awaiting_mark
    }

    pub(super) fn start_pending(&mut self, pending: Pending) {
        self.awaiting_mark = Some(pending);
        self.message = Some(match pending {
            Pending::SetMark => "m: a letter a–z sets a mark here".into(),
            Pending::JumpMark => "': a mark's letter a–z goes there, ' goes back".into(),
        });
    }

    /// The key after `m`, `'` or `` ` ``: a letter completes it; anything else cancels it.
    pub(super) fn pending_key(&mut self, pending: Pending, key: Key) {
        let letter = match key.code {
            KeyCode::Char(c @ 'a'..='z') if !key.ctrl && !key.alt => Some(c),
            _ => None,
        };
        match (pending, letter, key.code) {
            (Pending::SetMark, Some(c), _) => self.set_mark(c),
            (Pending::JumpMark, Some(c), _) => self.jump_to_mark(c),
            (Pending::JumpMark, None, KeyCode::Char('\'' | '`')) if !key.ctrl && !key.alt => {
                self.jump_back()
            }
            (_, None, KeyCode::Esc) => self.message = Some("Cancelled".into()),
            (_, None, _) => {
                self.message = Some(format!("{key}: marks are letters a–z (cancelled)"));
            }
        }
    }

    /// `m{c}`: marks the cursor's place.
    pub(super) fn set_mark(&mut self, c: char) {
        self.marks.insert(c, self.cursor);
        self.message = Some(format!("Mark {c} set"));
    }

    /// `'{c}`: the cursor to mark `c`, scrolled into view.
    pub(super) fn jump_to_mark(&mut self, c: char) {
        let Some(&offset) = self.marks.get(&c) else {
            self.message = Some(format!("Mark not set: {c}"));
            return;
        };
        self.remember_jump();
        let at = self.cursor_place(offset);
        self.set_cursor(at);
    }

    /// `''`: back to where the last jump left from; again, back to where it went, as in vim.
    pub(super) fn jump_back(&mut self) {
        let Some(to) = self.last_jump else {
            self.message = Some("No jump to go back from yet (G, /, n, a mark, T …)".into());
            return;
        };
        self.remember_jump();
        let at = self.cursor_place(to);
        self.set_cursor(at);
    }

    /// Notes the cursor as the place `''` returns to, before a jump.
    pub(super) fn remember_jump(&mut self) {
        self.remember_jump_from(self.cursor);
    }

    /// [`App::remember_jump`] for a jump that already moved the cursor (a search, which moves
    /// it as the pattern is typed): `from` is where it was before.
    pub(super) fn remember_jump_from(&mut self, from: usize) {
        self.last_jump = Some(from);
    }

    /// `g`/`Home` (`end` false) or `G`/`End`; with a count N, paragraph N.
    pub(super) fn jump_to_end(&mut self, end: bool, count: Option<usize>) {
        self.remember_jump();
        match count {
            Some(n) => self.goto_paragraph(n),
            None if end => self.goto_end(),
            None => self.goto_start(),
        }
    }

    /// `N%`: the start of the row holding the byte `N` percent of the way through the text;
    /// 100 and more, the last character.
    pub(super) fn goto_percent(&mut self, n: usize) {
        if self.doc.blocks().is_empty() {
            return;
        }
        self.remember_jump();
        if n >= 100 {
            return self.goto_end();
        }
        let at = self.cursor_place(self.doc.text().len() * n / 100);
        let pos = self.layout.locate(&self.doc, at);
        let start = match self.layout.visual(&self.doc, pos) {
            crate::layout::Visual::Text(row) => row.start,
            crate::layout::Visual::Gap => at,
        };
        self.set_cursor(start);
    }

    /// `offset` (saved, maybe stale) as a place the cursor can be: on a character boundary,
    /// inside a block (an offset between two blocks goes to the last character of the first).
    pub(super) fn cursor_place(&self, offset: usize) -> usize {
        let text = self.doc.text();
        let mut at = offset.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let Some(&block) = self.doc.blocks().get(self.doc.block_at(at)) else {
            return at;
        };
        let last = text[block.start..block.end]
            .char_indices()
            .last()
            .map_or(block.start, |(i, _)| block.start + i);
        at.clamp(block.start, last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Event;
    use crate::config::Config;
    use crate::document::Document;

    /// A title, then 100 paragraphs of the same length, the last one `结尾。`.
    fn app() -> App {
        let body: String = (0..99)
            .map(|i| format!("第{i:02}段的正文内容，说了一些话。\n\n"))
            .collect();
        let text = format!("标题\n\n{body}结尾。");
        App::new(Document::new(&text), "test", Config::default(), (40, 12))
    }

    fn press(app: &mut App, keys: &str) {
        for k in keys.split_whitespace() {
            let key = Key::parse(k).unwrap_or_else(|| panic!("bad key {k}"));
            app.handle(Event::Key(key));
        }
    }

    fn at(app: &App, s: &str) -> usize {
        app.doc().text().find(s).expect("in the text")
    }

    #[test]
    fn a_mark_is_set_and_jumped_to_with_either_quote() {
        let mut a = app();
        press(&mut a, "5 G");
        let marked = a.cursor();
        assert_eq!(marked, at(&a, "第04段"));
        press(&mut a, "m a");
        assert_eq!(a.message(), Some("Mark a set"));
        assert_eq!(a.marks().get(&'a'), Some(&marked));
        press(&mut a, "G ' a");
        assert_eq!(a.cursor(), marked);
        assert!(a.cursor_cell().is_some(), "scrolled into view");
        press(&mut a, "g ` a");
        assert_eq!(a.cursor(), marked);
    }

    #[test]
    fn an_unknown_mark_or_a_key_that_is_no_letter_says_so_and_does_nothing() {
        let mut a = app();
        press(&mut a, "j ' b");
        let here = a.cursor();
        assert_eq!(a.message(), Some("Mark not set: b"));
        press(&mut a, "m 1");
        assert!(
            a.message().is_some_and(|m| m.contains("a–z")),
            "{:?}",
            a.message()
        );
        assert!(a.marks().is_empty());
        assert_eq!(a.pending(), None);
        // The key after a cancelled mark is an ordinary key again.
        press(&mut a, "' Esc j");
        assert_ne!(a.cursor(), here);
        assert_eq!(a.pending(), None);
        press(&mut a, "m");
        assert_eq!(a.pending(), Some(Pending::SetMark));
        press(&mut a, "Esc");
        assert_eq!(a.message(), Some("Cancelled"));
    }

    #[test]
    fn quote_quote_goes_back_and_forth_between_the_last_two_places() {
        let mut a = app();
        press(&mut a, "' '");
        assert!(a.message().is_some_and(|m| m.starts_with("No jump")));
        press(&mut a, "j j");
        let start = a.cursor();
        press(&mut a, "G");
        let end = a.cursor();
        press(&mut a, "' '");
        assert_eq!(a.cursor(), start);
        press(&mut a, "' '");
        assert_eq!(a.cursor(), end);
        press(&mut a, "` `");
        assert_eq!(a.cursor(), start);
        // `]` and `}` are motions, not jumps: '' still knows the end.
        press(&mut a, "} }");
        press(&mut a, "' '");
        assert_eq!(a.cursor(), end);
    }

    #[test]
    fn a_search_and_n_are_jumps() {
        let mut a = app();
        press(&mut a, "j");
        let before = a.cursor();
        press(&mut a, "/ 结 尾 Enter");
        assert_eq!(a.cursor(), at(&a, "结尾"));
        press(&mut a, "' '");
        assert_eq!(a.cursor(), before, "back to where the search started");
        press(&mut a, "g n");
        assert_eq!(a.cursor(), at(&a, "结尾"));
        press(&mut a, "' '");
        assert_eq!(a.cursor(), 0);
    }

    #[test]
    fn a_count_and_percent_go_that_far_through_the_article() {
        let mut a = app();
        let len = a.doc().text().len();
        press(&mut a, "5 0 %");
        let c = a.cursor();
        // The start of the row holding the middle byte: a row is at most 40 columns.
        assert!((len / 2 - 60..=len / 2).contains(&c), "{c} of {len}");
        let (_, row) = a.cursor_cell().expect("on screen");
        let crate::layout::Visual::Text(r) = a.screen()[usize::from(row)].visual else {
            panic!("the cursor is on a gap");
        };
        assert_eq!(r.start, c, "at the start of its row");
        press(&mut a, "' '");
        assert_eq!(a.cursor(), 0, "a jump");
        press(&mut a, "1 0 0 %");
        assert_eq!(a.cursor(), len - "。".len(), "the last character");
    }

    #[test]
    fn percent_without_a_count_asks_for_one() {
        let mut a = app();
        press(&mut a, "j");
        let here = a.cursor();
        press(&mut a, "%");
        assert_eq!(a.cursor(), here);
        assert_eq!(a.message(), Some("Type a number first, e.g. 50%"));
    }

    #[test]
    fn a_saved_mark_past_the_end_lands_on_the_last_character() {
        let mut a = app();
        let len = a.doc().text().len();
        a.set_marks(BTreeMap::from([
            ('z', len + 100),
            ('y', at(&a, "标题") + 1),
        ]));
        press(&mut a, "' z");
        assert_eq!(&a.doc().text()[a.cursor()..], "。");
        press(&mut a, "' y");
        assert_eq!(a.cursor(), 0, "inside a character: its start");
    }
}
