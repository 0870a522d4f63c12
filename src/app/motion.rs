//! Cursor motions and scrolling. The cursor is a byte offset on a grapheme boundary inside a
//! block; rows come from the lazily built layout.

use unicode_segmentation::GraphemeCursor;

use super::App;
use crate::document::BlockKind;
use crate::layout::width::graphemes;
use crate::layout::{Pos, Row, Visual};
use crate::units;

impl App {
    fn text_height(&self) -> usize {
        usize::from(self.geometry().text.height).max(1)
    }

    pub(super) fn page_rows(&self) -> isize {
        (self.text_height() as isize - 2).max(1)
    }

    pub(super) fn half_page(&self) -> isize {
        (self.text_height() as isize / 2).max(1)
    }

    fn scroll_off(&self) -> usize {
        usize::from(self.config.scroll_off).min(self.text_height().saturating_sub(1) / 2)
    }

    /// Display column of `offset` in `row`, counting the indent.
    pub(super) fn col_of(&self, row: &Row, offset: usize) -> usize {
        let upto = offset.clamp(row.start, row.end);
        let mut col = row.indent;
        for (at, _, w, x) in self.layout.placed(&self.doc, row) {
            if at >= upto {
                return x;
            }
            col = x + w;
        }
        col
    }

    /// The grapheme of `row` under display column `col` (the last one when `col` is past the
    /// end of the row).
    fn offset_at(&self, row: &Row, col: usize) -> usize {
        let mut last = row.start;
        for (at, _, w, x) in self.layout.placed(&self.doc, row) {
            last = at;
            if col < x + w {
                return last;
            }
        }
        last
    }

    fn text_row(&mut self, pos: Pos) -> Option<Row> {
        match self.layout.visual(&self.doc, pos) {
            Visual::Text(row) => Some(row),
            Visual::Gap => None,
        }
    }

    fn cursor_pos(&mut self) -> Pos {
        self.layout.locate(&self.doc, self.cursor)
    }

    fn current_col(&mut self) -> usize {
        let pos = self.cursor_pos();
        self.text_row(pos)
            .map_or(0, |row| self.col_of(&row, self.cursor))
    }

    /// Moves the cursor to `offset` and scrolls it into view; forgets the goal column.
    pub(super) fn set_cursor(&mut self, offset: usize) {
        // Offsets from saved data may be stale: never inside a character or past the end.
        let text = self.doc.text();
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        self.cursor = offset;
        self.goal = None;
        self.scroll_to_cursor();
    }

    /// Moves `n` text rows (gaps do not count), keeping the goal column.
    pub(super) fn move_rows(&mut self, n: isize) {
        if self.layout.block_count() == 0 {
            return;
        }
        let col = match self.goal {
            Some(col) => col,
            None => self.current_col(),
        };
        let here = self.cursor_pos();
        let target = self.rows_from(here, n);
        if let Some(row) = self.text_row(target) {
            self.cursor = self.offset_at(&row, col);
        }
        self.goal = Some(col);
        self.scroll_to_cursor();
    }

    /// The text row `n` text rows away from `pos`, stopping at the ends.
    fn rows_from(&mut self, mut pos: Pos, n: isize) -> Pos {
        let mut left = n.unsigned_abs();
        let mut last_text = pos;
        while left > 0 {
            let (next, moved) = self.layout.step(&self.doc, pos, n.signum());
            if moved == 0 {
                break;
            }
            pos = next;
            if self.text_row(pos).is_some() {
                last_text = pos;
                left -= 1;
            }
        }
        last_text
    }

    pub(super) fn move_grapheme(&mut self, forward: bool) {
        let Some(block) = self
            .doc
            .blocks()
            .get(self.doc.block_at(self.cursor))
            .copied()
        else {
            return;
        };
        let text = &self.doc.text()[block.start..block.end];
        let mut gc = GraphemeCursor::new(self.cursor - block.start, text.len(), true);
        let next = if forward {
            gc.next_boundary(text, 0)
                .ok()
                .flatten()
                .filter(|&b| b < text.len())
        } else {
            gc.prev_boundary(text, 0).ok().flatten()
        };
        if let Some(b) = next {
            self.set_cursor(block.start + b);
        }
    }

    pub(super) fn row_edge(&mut self, end: bool) {
        let pos = self.cursor_pos();
        let Some(row) = self.text_row(pos) else {
            return;
        };
        let target = if end {
            let text = &self.doc.text()[row.start..row.end];
            graphemes(text, self.ambiguous())
                .last()
                .map_or(row.start, |(o, _, _)| row.start + o)
        } else {
            row.start
        };
        self.set_cursor(target);
        if end {
            self.goal = Some(usize::MAX);
        }
    }

    /// Scrolls the view `n` rows and moves the cursor along, so it keeps its place on screen;
    /// at an end of the article the cursor goes to the first or last row.
    pub(super) fn page(&mut self, n: isize) {
        if self.layout.block_count() == 0 {
            return;
        }
        let before = self.top;
        let (top, _) = self.layout.step(&self.doc, self.top, n);
        self.top = top;
        self.clamp_top();
        let moved = self.distance(before, self.top);
        if moved == 0 {
            if n > 0 {
                self.goto_end();
            } else {
                self.goto_start();
            }
            return;
        }
        let col = match self.goal {
            Some(col) => col,
            None => self.current_col(),
        };
        let here = self.cursor_pos();
        let (mut pos, _) = self.layout.step(&self.doc, here, moved);
        if self.text_row(pos).is_none() {
            pos = self.rows_from(pos, n.signum());
        }
        if let Some(row) = self.text_row(pos) {
            self.cursor = self.offset_at(&row, col);
        }
        self.goal = Some(col);
        self.cursor_into_view();
    }

    /// Scrolls the view without moving the cursor, unless it would leave the screen.
    pub(super) fn scroll(&mut self, n: isize) {
        if self.layout.block_count() == 0 {
            return;
        }
        self.top = self.layout.step(&self.doc, self.top, n).0;
        self.clamp_top();
        self.cursor_into_view();
    }

    /// `H`, `M`, `L`: a row of the screen, as a fraction from top to bottom.
    pub(super) fn screen_row(&mut self, fraction: f32) {
        if self.layout.block_count() == 0 {
            return;
        }
        let so = self.scroll_off();
        let at_start = self.top == Pos::default();
        let last = self.layout.last(&self.doc);
        let visible = (self.distance(self.top, last) as usize + 1).min(self.text_height());
        let first = if at_start { 0 } else { so };
        let bottom_end = self
            .layout
            .step(&self.doc, self.top, visible as isize - 1)
            .0
            == last;
        let lastrow = if bottom_end {
            visible - 1
        } else {
            visible - 1 - so.min(visible - 1)
        };
        let target = first + ((lastrow.saturating_sub(first)) as f32 * fraction).round() as usize;
        let (pos, _) = self.layout.step(&self.doc, self.top, target as isize);
        let pos = if self.text_row(pos).is_some() {
            pos
        } else {
            self.rows_from(pos, if fraction > 0.5 { -1 } else { 1 })
        };
        if let Some(row) = self.text_row(pos) {
            self.cursor = row.start;
            self.goal = None;
        }
    }

    pub(super) fn goto_start(&mut self) {
        self.top = Pos::default();
        if let Some(b) = self.doc.blocks().first() {
            self.set_cursor(b.start);
        }
    }

    pub(super) fn goto_end(&mut self) {
        let Some(&block) = self.doc.blocks().last() else {
            return;
        };
        let text = &self.doc.text()[block.start..block.end];
        let last = graphemes(text, self.ambiguous())
            .last()
            .map_or(0, |(o, _, _)| o);
        self.set_cursor(block.start + last);
    }

    /// `NG`: the start of paragraph N (counted as in the status line).
    pub(super) fn goto_paragraph(&mut self, n: usize) {
        let doc = &self.doc;
        let target = doc
            .blocks()
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
            .nth(n.saturating_sub(1))
            .or_else(|| {
                doc.blocks()
                    .iter()
                    .rev()
                    .find(|b| b.kind == BlockKind::Paragraph)
            })
            .map(|b| b.start);
        if let Some(offset) = target {
            self.set_cursor(offset);
        }
    }

    pub(super) fn next_block(&mut self, wanted: impl Fn(BlockKind) -> bool) {
        if self.doc.blocks().is_empty() {
            return;
        }
        match self.block_start(true, wanted) {
            Some(start) => self.set_cursor(start),
            None => self.message = Some("No more below".into()),
        }
    }

    pub(super) fn prev_block(&mut self, wanted: impl Fn(BlockKind) -> bool) {
        if self.doc.blocks().is_empty() {
            return;
        }
        match self.block_start(false, wanted) {
            Some(start) => self.set_cursor(start),
            None => self.message = Some("No more above".into()),
        }
    }

    /// Where `}` (forward) or `{` goes: the start of the next `wanted` block, or of this one or
    /// the one before.
    fn block_start(&self, forward: bool, wanted: impl Fn(BlockKind) -> bool) -> Option<usize> {
        let blocks = self.doc.blocks();
        if blocks.is_empty() {
            return None;
        }
        let here = self.doc.block_at(self.cursor);
        let found = if forward {
            blocks[here + 1..].iter().find(|b| wanted(b.kind))
        } else {
            let upto = if self.cursor > blocks[here].start {
                here + 1
            } else {
                here
            };
            blocks[..upto].iter().rev().find(|b| wanted(b.kind))
        };
        found.map(|b| b.start)
    }

    /// Where `}` or `{` takes the cursor: the start of a block, or with `end` its last
    /// character (the end of a selection, so that it holds whole paragraphs).
    pub(super) fn paragraph_target(&self, forward: bool, end: bool) -> Option<usize> {
        if !end {
            return self.block_start(forward, |_| true);
        }
        let blocks = self.doc.blocks();
        if blocks.is_empty() {
            return None;
        }
        let (here, b) = (self.cursor, self.doc.block_at(self.cursor));
        let text = self.doc.text();
        let last = |block: &crate::document::Block| {
            (block.start < block.end).then(|| units::last_grapheme(text, block.start..block.end))
        };
        if forward {
            blocks[b..].iter().filter_map(last).find(|&e| e > here)
        } else {
            blocks[..=b]
                .iter()
                .rev()
                .filter_map(last)
                .find(|&e| e < here)
        }
    }

    /// Signed number of visual rows from `a` to `b`.
    fn distance(&mut self, a: Pos, b: Pos) -> isize {
        if a > b {
            return -self.distance(b, a);
        }
        let mut d = 0;
        let mut p = a;
        while p.block < b.block {
            d += self.layout.height(&self.doc, p.block) - p.row;
            p = Pos {
                block: p.block + 1,
                row: 0,
            };
        }
        (d + b.row - p.row) as isize
    }

    /// The lowest `top` that still fills the screen.
    fn max_top(&mut self) -> Pos {
        let last = self.layout.last(&self.doc);
        let h = self.text_height() as isize;
        self.layout.step(&self.doc, last, -(h - 1)).0
    }

    pub(super) fn clamp_top(&mut self) {
        let max = self.max_top();
        if self.top > max {
            self.top = max;
        }
    }

    /// Scrolls so the cursor's row is near the top (`scroll_off` rows below it), as a reader
    /// expects when jumping to a section: the heading starts the screen, its text follows.
    pub(super) fn scroll_cursor_to_top(&mut self) {
        if self.layout.block_count() == 0 {
            return;
        }
        let pos = self.cursor_pos();
        let so = self.scroll_off() as isize;
        self.top = self.layout.step(&self.doc, pos, -so).0;
        self.clamp_top();
    }

    /// `zz` and `zb`: scrolls so the cursor's row is in the middle (`fraction` 0.5) or at the
    /// bottom (1.0) of the screen, `scroll_off` rows kept below it.
    pub(super) fn scroll_cursor_to(&mut self, fraction: f32) {
        if self.layout.block_count() == 0 {
            return;
        }
        let pos = self.cursor_pos();
        let h = self.text_height() as isize;
        let so = self.scroll_off() as isize;
        let above = ((h - 1) as f32 * fraction).round() as isize;
        let above = above.min(h - 1 - so).max(0);
        self.top = self.layout.step(&self.doc, pos, -above).0;
        self.clamp_top();
    }

    /// Scrolls so the cursor is on screen with `scroll_off` rows around it.
    pub(super) fn scroll_to_cursor(&mut self) {
        if self.layout.block_count() == 0 {
            return;
        }
        let pos = self.cursor_pos();
        let h = self.text_height() as isize;
        let so = self.scroll_off() as isize;
        let highest = self.layout.step(&self.doc, pos, -so).0;
        let lowest = self.layout.step(&self.doc, pos, -(h - 1 - so)).0;
        if self.top > highest {
            self.top = highest;
        } else if self.top < lowest {
            self.top = lowest;
        }
        self.clamp_top();
    }

    /// Moves the cursor onto the screen when scrolling left it behind.
    pub(super) fn cursor_into_view(&mut self) {
        if self.layout.block_count() == 0 {
            return;
        }
        let h = self.text_height() as isize;
        let so = self.scroll_off() as isize;
        let last = self.layout.last(&self.doc);
        let first_ok = if self.top == Pos::default() {
            self.top
        } else {
            self.layout.step(&self.doc, self.top, so).0
        };
        let bottom = self.layout.step(&self.doc, self.top, h - 1).0;
        let last_ok = if bottom == last {
            bottom
        } else {
            self.layout.step(&self.doc, self.top, h - 1 - so).0
        };
        let pos = self.cursor_pos();
        let target = if pos < first_ok {
            self.nearest_text_row(first_ok, 1)
        } else if pos > last_ok {
            self.nearest_text_row(last_ok, -1)
        } else {
            return;
        };
        let col = match self.goal {
            Some(col) => col,
            None => self.current_col(),
        };
        if let Some(row) = self.text_row(target) {
            self.cursor = self.offset_at(&row, col);
            self.goal = Some(col);
        }
    }

    fn nearest_text_row(&mut self, pos: Pos, direction: isize) -> Pos {
        if self.text_row(pos).is_some() {
            pos
        } else {
            self.rows_from(pos, direction)
        }
    }
}
