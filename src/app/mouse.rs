//! The mouse. In the text a click puts the cursor on the character under the pointer, a drag
//! selects, a double click selects the word and a triple click the sentence; in the panel a
//! click picks a tab, an entity or a note, and dragging its border resizes it. The wheel
//! scrolls the pane under the pointer. Click counts come from `term.rs`, which has the clock.

use std::ops::Range;

use ratatui::layout::Position;
use unicode_segmentation::UnicodeSegmentation;

use super::panel::{Panel, PanelAreas, Tab};
use super::{App, Mode};
use crate::layout::{Pos, Visual};
use crate::units;

/// A left-button event at a screen cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub x: u16,
    pub y: u16,
}

/// What the left button did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MouseKind {
    /// Pressed. `clicks` counts quick presses on one place: 1, then 2 (a word), 3 (a sentence),
    /// then 1 again.
    Down { clicks: u8 },
    /// Moved while held.
    Drag,
    /// Released.
    Up,
}

/// What the held button is dragging.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Drag {
    /// A selection from the character pressed on: it starts once the pointer leaves that
    /// character, so a shaky click stays a click.
    Text { anchor: usize },
    /// The panel's left border.
    Border,
}

impl App {
    pub(super) fn mouse(&mut self, m: Mouse) {
        match m.kind {
            MouseKind::Down { clicks } => self.mouse_down(clicks, m.x, m.y),
            MouseKind::Drag => match self.drag {
                Some(Drag::Text { anchor }) => self.drag_text(anchor, m.x, m.y),
                Some(Drag::Border) => self.drag_border(m.x),
                None => {}
            },
            // The selection a drag made stays, for the keys that act on it.
            MouseKind::Up => self.drag = None,
        }
    }

    /// The mouse acts while reading or selecting, not while a prompt, dialog or help is open.
    fn mouse_ready(&self) -> bool {
        self.unsaved_at_quit.is_none() && matches!(self.mode, Mode::Normal | Mode::Visual { .. })
    }

    fn mouse_down(&mut self, clicks: u8, x: u16, y: u16) {
        self.drag = None;
        if !self.mouse_ready() {
            return;
        }
        let g = self.geometry();
        if g.panel.contains(Position { x, y }) {
            let areas = PanelAreas::new(g.panel, self.panel_full());
            if areas.border == Some(x) {
                self.drag = Some(Drag::Border);
            } else if clicks == 1 {
                // A second click on the same row would undo the first (a group folds back).
                self.panel_click(&areas, x, y);
            }
            return;
        }
        let Some(offset) = self.offset_at_cell(x, y) else {
            return;
        };
        if self.panel.focused {
            // Clicking the text gives it the keys, as Tab does.
            self.leave_panel();
        }
        // A click ends a selection, as Esc does; a double or triple click makes a new one.
        self.mode = Mode::Normal;
        self.message = None;
        self.count = None;
        match clicks {
            1 => {
                self.point_cursor(offset);
                self.drag = Some(Drag::Text { anchor: offset });
            }
            2 => {
                let word = self.word_at(offset);
                self.select_range(word);
            }
            _ => {
                self.cursor = offset;
                match self.sentence_at_cursor() {
                    Some(sentence) => self.select_range(sentence),
                    None => self.point_cursor(offset),
                }
            }
        }
    }

    /// The character drawn at screen cell (`x`, `y`) of the reading column: wide characters
    /// and the centred column included; left of a row's text (its indent) its first
    /// character, right of it its last. `None` off the column and on blank rows.
    fn offset_at_cell(&self, x: u16, y: u16) -> Option<usize> {
        let area = self.geometry().text;
        if !area.contains(Position { x, y }) {
            return None;
        }
        let Some(Visual::Text(row)) = self.screen.get(usize::from(y - area.y)).map(|r| r.visual)
        else {
            return None;
        };
        let col = usize::from(x - area.x);
        let mut target = None;
        for (offset, _, w, at) in self.placed(&row) {
            if target.is_some() && col < at {
                break;
            }
            target = Some(offset);
            if col < at + w.max(1) {
                break;
            }
        }
        target
    }

    /// Puts the cursor on `offset`, scrolling only when it is off screen: the text must not
    /// move under the pointer (a second click would land elsewhere).
    fn point_cursor(&mut self, offset: usize) {
        let (first, last) = self.visible_range();
        if (first..last).contains(&offset) {
            self.cursor = offset;
            self.goal = None;
        } else {
            self.set_cursor(offset);
        }
    }

    /// Selects `range`, as `v` from its start to its last character does.
    fn select_range(&mut self, range: Range<usize>) {
        let last = units::last_grapheme(self.doc.text(), range.clone());
        self.mode = Mode::Visual {
            anchor: range.start,
        };
        self.point_cursor(last);
    }

    /// The word at `at` for a double click: by segmentation (entity names and Latin words
    /// whole, as `w` and `e` go) once the segmenter is loaded, before that the run of Han
    /// characters or the Latin word; a space or a mark alone.
    fn word_at(&self, at: usize) -> Range<usize> {
        let b = self.doc.block_at(at);
        let block = self.doc.blocks()[b];
        let text = self.doc.text();
        let word = if self.segmenter.is_some() {
            self.block_words(b, at)
                .into_iter()
                .find(|w| w.contains(&at))
        } else {
            let run = units::script_run(&text[block.start..block.end], at - block.start);
            Some(run.start + block.start..run.end + block.start).filter(|r| !r.is_empty())
        };
        // Segmented words leave spaces out: a space is selected alone.
        word.unwrap_or_else(|| {
            at..text[at..]
                .graphemes(true)
                .next()
                .map_or(at, |g| at + g.len())
        })
    }

    /// A drag in the text: the selection runs from the character pressed on to the one under
    /// the pointer; below the text the text scrolls a row per movement, and so on its top row
    /// when coming from below (the terminal reports nothing above the screen).
    fn drag_text(&mut self, anchor: usize, x: u16, y: u16) {
        if !self.mouse_ready() {
            self.drag = None;
            return;
        }
        let area = self.geometry().text;
        if area.is_empty() {
            return;
        }
        let x = x.clamp(area.left(), area.right() - 1);
        let y = if y >= area.bottom() {
            self.scroll(1);
            self.refresh();
            area.bottom() - 1
        } else if y <= area.top() && self.top != Pos::default() && !self.on_top_row(anchor) {
            self.scroll(-1);
            self.refresh();
            area.top()
        } else {
            y
        };
        let Some(target) = self.offset_at_cell(x, y) else {
            return;
        };
        if self.mode == Mode::Normal {
            if target == anchor {
                return;
            }
            self.mode = Mode::Visual { anchor };
        }
        self.point_cursor(target);
    }

    /// Whether `offset` is on the screen's top row: a drag that started there selects along
    /// it rather than scrolling.
    fn on_top_row(&self, offset: usize) -> bool {
        matches!(self.screen.first().map(|r| r.visual),
            Some(Visual::Text(row)) if (row.start..row.end).contains(&offset))
    }

    /// Dragging the panel's border: the panel is as wide as from the pointer to the right
    /// edge, within its limits, and the text is laid out again for the room left.
    fn drag_border(&mut self, x: u16) {
        let width = self.size.0;
        if !self.mouse_ready() || !self.panel.is_beside(width) || self.panel_full() {
            self.drag = None;
            return;
        }
        let asked = Panel::clamp_width(width.saturating_sub(x), width);
        if asked != self.panel.width_beside(width) {
            self.panel.user_width = Some(asked);
            self.relayout();
        }
    }

    /// A click in the panel (not on its border): on a tab's name, that tab; on an entity, it
    /// lights up as Enter does there; on a note, the text goes to it as Enter does there.
    fn panel_click(&mut self, areas: &PanelAreas, x: u16, y: u16) {
        if self.panel.prompt.is_some() {
            // A name is being typed: the click must not pick something else meanwhile.
            return;
        }
        self.mode = Mode::Normal;
        self.message = None;
        // A filter being typed is kept, as Enter keeps it.
        self.panel.filtering = false;
        self.panel.notes.filtering = false;
        let at = Position { x, y };
        if areas.title.contains(at) {
            if let Some(tab) = self.panel_title().tab_at(usize::from(x - areas.title.x)) {
                self.panel.tab = tab;
                self.panel.focused = true;
            }
            return;
        }
        if !areas.list.contains(at) {
            return;
        }
        let (dy, height) = (
            usize::from(y - areas.list.y),
            usize::from(areas.list.height),
        );
        match self.panel.tab {
            Tab::Entities => {
                if let Some(row) = self.panel.row_at(height, dy) {
                    self.panel.selected = row;
                    self.panel.focused = true;
                    self.activate_selected();
                }
            }
            Tab::Notes => {
                let entry = if self.panel_full() {
                    self.notes_full_entry_at(usize::from(areas.list.width), dy)
                } else {
                    self.notes_side(height).entry_at(dy)
                };
                if let Some(k) = entry {
                    self.panel.notes.selected = k;
                    self.panel.focused = true;
                    self.jump_to_selected_note();
                }
            }
        }
    }
}

impl App {
    /// The wheel scrolls the pane under the pointer: the text by three rows, the entity list
    /// by three entries, the notes list by one note.
    pub(super) fn wheel(&mut self, n: i8, x: u16, y: u16) {
        if !matches!(self.mode, Mode::Normal | Mode::Visual { .. }) {
            return;
        }
        let panel = self.geometry().panel;
        if panel.contains(Position { x, y }) {
            match self.panel.tab {
                Tab::Entities => self.panel.move_selection(isize::from(n) * 3),
                Tab::Notes => {
                    let count = self.notes_entries().len();
                    let sel = &mut self.panel.notes.selected;
                    *sel = sel
                        .saturating_add_signed(isize::from(n))
                        .min(count.saturating_sub(1));
                }
            }
            return;
        }
        self.scroll(isize::from(n) * 3);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::entity_panel_support::app_with_entities;
    use super::super::{App, Event, Key, Mode, Mouse, MouseKind};
    use crate::config::Config;
    use crate::document::Document;
    use crate::layout::Visual;

    fn app(text: &str, width: u16) -> App {
        let mut app = App::new(Document::new(text), "t", Config::default(), (width, 10));
        app.handle(Event::Resize(width, 10));
        app
    }

    fn mouse(app: &mut App, kind: MouseKind, x: u16, y: u16) {
        app.handle(Event::Mouse(Mouse { kind, x, y }));
    }

    /// A press and release of the left button, `clicks` being its count.
    fn clicks(app: &mut App, clicks: u8, x: u16, y: u16) {
        mouse(app, MouseKind::Down { clicks }, x, y);
        mouse(app, MouseKind::Up, x, y);
    }

    fn click(app: &mut App, x: u16, y: u16) {
        clicks(app, 1, x, y);
    }

    /// The screen cell where the character at byte `offset` is drawn.
    fn cell_of(app: &App, offset: usize) -> (u16, u16) {
        let area = app.geometry().text;
        for (i, r) in app.screen().iter().enumerate() {
            if let crate::layout::Visual::Text(row) = r.visual {
                for (o, _, _, at) in app.placed(&row) {
                    if o == offset {
                        return (area.x + at as u16, area.y + i as u16);
                    }
                }
            }
        }
        panic!("{offset} is not on screen");
    }

    #[test]
    fn a_click_puts_the_cursor_on_the_character_under_it() {
        let text = "标题\n\n第一段有中文和English混排的文字，足够长，可以折成好几行来看看效果如何。\n\n第二段。";
        // Wide enough that the column is centred with a margin.
        let mut app = app(text, 120);
        for needle in ["中", "E", "g", "效", "第二"] {
            let offset = text.find(needle).unwrap();
            let (x, y) = cell_of(&app, offset);
            click(&mut app, x, y);
            assert_eq!(app.cursor(), offset, "{needle}");
            // The right half of a wide character is the same character.
            if needle != "E" && needle != "g" {
                click(&mut app, x + 1, y);
                assert_eq!(app.cursor(), offset, "{needle}, right half");
            }
        }
    }

    #[test]
    fn clicks_beside_the_text_take_the_nearest_character_of_the_row_or_nothing() {
        let text = "标题\n\n短段。\n\n第二段。";
        let mut app = app(text, 100);
        let first = text.find("短").unwrap();
        let (x, y) = cell_of(&app, first);
        // In the indent: the first character.
        click(&mut app, x - 2, y);
        assert_eq!(app.cursor(), first);
        // Past the end of the row: its last character.
        click(&mut app, x + 30, y);
        assert_eq!(app.cursor(), text.find("。").unwrap());
        // A blank row between paragraphs, the margin, the status line: nothing moves.
        let before = app.cursor();
        click(&mut app, x, y + 1);
        click(&mut app, 0, y);
        click(&mut app, x, 9);
        assert_eq!(app.cursor(), before);
    }

    #[test]
    fn the_wheel_scrolls_the_pane_under_the_pointer() {
        use crate::entities::{Entity, EntityKind, Mention, Tier};
        let text = "标题\n\n".to_string() + &"很长的一段文字，用来滚动。".repeat(200);
        let mut app = app(&text, 140);
        let entities: Vec<Entity> = (0..20)
            .map(|i| Entity {
                name: format!("名字{i}"),
                kind: EntityKind::Person,
                tier: Tier::Known,
                reason: None,
                owner: None,
                mentions: vec![Mention { start: 0, end: 3 }],
            })
            .collect();
        app.handle(Event::Entities(super::super::EntitiesUpdate::Done(
            entities,
        )));
        let g = app.geometry();
        assert!(g.panel.width > 0, "the panel is shown at 140 columns");
        let (top, selected) = (app.screen()[0], app.panel().selected);
        app.handle(Event::Wheel(1, g.panel.x + 2, 3));
        assert_eq!(app.screen()[0], top, "the text did not move");
        assert_ne!(app.panel().selected, selected, "the list did");
        app.handle(Event::Wheel(1, g.text.x + 2, 3));
        assert_ne!(app.screen()[0], top, "the text scrolled");
    }

    fn press(app: &mut App, keys: &str) {
        for k in keys.split_whitespace() {
            app.handle(Event::Key(Key::parse(k).unwrap()));
        }
    }

    fn selected_text(app: &App) -> &str {
        &app.doc().text()[app.selection().expect("a selection")]
    }

    #[test]
    fn a_drag_selects_from_the_character_pressed_to_the_one_under_the_pointer() {
        let text = "标题\n\n第一段有中文和English混排的文字，足够长，可以折成好几行来看看效果如何。\n\n第二段。";
        let mut app = app(text, 60);
        let from = text.find("中文").unwrap();
        let to = text.find("lish").unwrap();
        let (x, y) = cell_of(&app, from);
        mouse(&mut app, MouseKind::Down { clicks: 1 }, x, y);
        // Within the same character (its right half): still a click.
        mouse(&mut app, MouseKind::Drag, x + 1, y);
        assert_eq!(app.mode(), &Mode::Normal);
        let (x2, y2) = cell_of(&app, to);
        mouse(&mut app, MouseKind::Drag, x2, y2);
        mouse(&mut app, MouseKind::Up, x2, y2);
        assert_eq!(app.mode(), &Mode::Visual { anchor: from });
        assert_eq!(app.cursor(), to);
        assert_eq!(selected_text(&app), "中文和Engl");
        // The selection stays for the keys: Enter highlights it.
        press(&mut app, "Enter");
        let list = &app.annotations().list;
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].quote.exact, "中文和Engl");
        // Backwards, onto the next row and past the right edge (over the panel column).
        let (x, y) = cell_of(&app, text.find("效").unwrap());
        let back = text.find("段").unwrap();
        let (bx, by) = cell_of(&app, back);
        mouse(&mut app, MouseKind::Down { clicks: 1 }, x, y);
        mouse(&mut app, MouseKind::Drag, bx, by);
        assert_eq!(selected_text(&app), &text[back..text.find("果").unwrap()]);
        mouse(&mut app, MouseKind::Drag, 59, y);
        mouse(&mut app, MouseKind::Up, 59, y);
        let row_end = app.cursor();
        assert!(row_end > text.find("效").unwrap(), "the end of the row");
        // A drag after the button is up does nothing.
        mouse(&mut app, MouseKind::Drag, bx, by);
        assert_eq!(app.cursor(), row_end);
    }

    #[test]
    fn a_click_while_selecting_ends_the_selection_there() {
        let text = "标题\n\n第一段有中文和English混排的文字。\n\n第二段。";
        let mut app = app(text, 60);
        press(&mut app, "j v l l");
        assert!(matches!(app.mode(), Mode::Visual { .. }));
        let at = text.find("第二").unwrap();
        let (x, y) = cell_of(&app, at);
        click(&mut app, x, y);
        assert_eq!(app.mode(), &Mode::Normal);
        assert_eq!(app.cursor(), at);
    }

    #[test]
    fn dragging_below_the_text_scrolls_a_row_per_movement() {
        let text = "标题\n\n".to_string() + &"很长的一段文字，用来滚动和选择。".repeat(40);
        let mut app = app(&text, 40);
        let g = app.geometry();
        let start = text.find("很").unwrap();
        let (x, y) = cell_of(&app, start);
        mouse(&mut app, MouseKind::Down { clicks: 1 }, x, y);
        let top = app.screen()[0];
        // The status row is below the text.
        mouse(&mut app, MouseKind::Drag, x, g.status.y);
        let once = app.screen()[0];
        assert_ne!(once, top, "scrolled");
        mouse(&mut app, MouseKind::Drag, x + 2, g.status.y);
        assert_ne!(app.screen()[0], once, "scrolled again");
        mouse(&mut app, MouseKind::Up, x + 2, g.status.y);
        assert_eq!(app.mode(), &Mode::Visual { anchor: start });
        // The cursor is on the last row of the screen.
        let (_, row) = app.cursor_cell().unwrap();
        assert_eq!(row, g.text.height - 1);
        // Up to the top row from below: it scrolls back (nothing is reported above the screen).
        let scrolled = app.screen()[0];
        mouse(&mut app, MouseKind::Down { clicks: 1 }, x, 3);
        mouse(&mut app, MouseKind::Drag, x, 0);
        let back = app.screen()[0];
        assert_ne!(back, scrolled);
        mouse(&mut app, MouseKind::Up, x, 0);
        // Along the top row from a character on it: a selection there, no scrolling.
        press(&mut app, "Esc C-e C-e");
        assert!(matches!(app.screen()[0].visual, Visual::Text(_)));
        let back = app.screen()[0];
        mouse(&mut app, MouseKind::Down { clicks: 1 }, x, 0);
        mouse(&mut app, MouseKind::Drag, x + 4, 0);
        mouse(&mut app, MouseKind::Up, x + 4, 0);
        assert_eq!(app.screen()[0], back);
        assert_eq!(app.cursor_cell().map(|(_, y)| y), Some(0));
        assert_eq!(selected_text(&app).chars().count(), 3);
    }

    #[test]
    fn a_double_click_selects_the_han_run_or_latin_word_without_a_segmenter() {
        let text = "标题\n\n我们今天用ChatGPT写文章，很快。";
        let mut app = app(text, 60);
        let (x, y) = cell_of(&app, text.find("天").unwrap());
        clicks(&mut app, 1, x, y);
        clicks(&mut app, 2, x, y);
        assert_eq!(selected_text(&app), "我们今天用");
        assert_eq!(
            app.mode(),
            &Mode::Visual {
                anchor: text.find("我").unwrap()
            }
        );
        assert_eq!(app.cursor(), text.find("用").unwrap());
        let (x, y) = cell_of(&app, text.find("GPT").unwrap());
        clicks(&mut app, 2, x, y);
        assert_eq!(selected_text(&app), "ChatGPT");
        let (x, y) = cell_of(&app, text.find("，").unwrap());
        clicks(&mut app, 2, x, y);
        assert_eq!(selected_text(&app), "，");
    }

    #[test]
    fn a_double_click_selects_the_segmented_word_with_a_segmenter() {
        // The app holds the segmenter of the extraction, and the entities.
        let mut app = app_with_entities(60, 12);
        let text = app.doc().text().to_string();
        let (x, y) = cell_of(&app, text.find("跳").unwrap());
        clicks(&mut app, 2, x, y);
        assert_eq!(selected_text(&app), "字节跳动");
        let (x, y) = cell_of(&app, text.find("旗").unwrap());
        clicks(&mut app, 2, x, y);
        assert_eq!(selected_text(&app), "旗下", "jieba's word, not the Han run");
    }

    #[test]
    fn a_triple_click_selects_the_sentence() {
        let text = "标题\n\n第一句话。第二句话很长，说了“好几件事”！第三句。";
        let mut app = app(text, 60);
        let (x, y) = cell_of(&app, text.find("很").unwrap());
        clicks(&mut app, 1, x, y);
        clicks(&mut app, 2, x, y);
        clicks(&mut app, 3, x, y);
        assert_eq!(selected_text(&app), "第二句话很长，说了“好几件事”！");
        assert_eq!(
            app.mode(),
            &Mode::Visual {
                anchor: text.find("第二").unwrap()
            }
        );
        // The count starts again: a plain click.
        clicks(&mut app, 1, x, y);
        assert_eq!(app.mode(), &Mode::Normal);
        assert_eq!(app.cursor(), text.find("很").unwrap());
    }

    #[test]
    fn dragging_the_border_resizes_the_panel_and_the_text() {
        let text = "标题\n\n".to_string() + &"很长的一段文字，用来看看折行的变化。".repeat(30);
        let mut app = app(&text, 140);
        let g = app.geometry();
        assert!(g.panel.width > 0);
        let first = app.visible_range().0;
        mouse(&mut app, MouseKind::Down { clicks: 1 }, g.panel.x, 4);
        mouse(&mut app, MouseKind::Drag, g.panel.x - 30, 6);
        mouse(&mut app, MouseKind::Up, g.panel.x - 30, 6);
        let wider = app.geometry();
        assert_eq!(wider.panel.width, g.panel.width + 30);
        assert_eq!(
            wider.panel.x,
            g.panel.x - 30,
            "the border is under the pointer"
        );
        assert!(
            wider.text.width < g.text.width,
            "{:?} {:?}",
            wider.text,
            g.text
        );
        for r in app.screen() {
            if let Visual::Text(row) = r.visual {
                assert!(row.indent + row.width <= usize::from(wider.text.width));
            }
        }
        let (top, _) = app.visible_range();
        assert!(top <= first, "the first text on screen stays on screen");
        assert_eq!(app.mode(), &Mode::Normal, "no selection");
        // Within limits: the text keeps 20 columns, the panel 20.
        mouse(&mut app, MouseKind::Down { clicks: 1 }, wider.panel.x, 4);
        mouse(&mut app, MouseKind::Drag, 3, 4);
        assert_eq!(app.geometry().panel.width, 120);
        mouse(&mut app, MouseKind::Drag, 139, 4);
        mouse(&mut app, MouseKind::Up, 139, 4);
        assert_eq!(app.geometry().panel.width, 20);
        assert_eq!(app.panel().user_width, Some(20));
        // A narrower window keeps the text its 20 columns.
        app.panel.user_width = Some(70);
        app.panel.shown = Some(true);
        app.handle(Event::Resize(80, 10));
        assert_eq!(app.geometry().panel.width, 60);
    }

    #[test]
    fn without_mouse_in_the_config_the_mouse_does_nothing() {
        let text = "标题\n\n".to_string() + &"很长的一段文字，用来滚动。".repeat(40);
        let config = Config {
            mouse: false,
            ..Config::default()
        };
        let mut app = App::new(Document::new(&text), "t", config, (60, 10));
        app.handle(Event::Resize(60, 10));
        let (cursor, top) = (app.cursor(), app.screen()[0]);
        let (x, y) = cell_of(&app, text.find("文字").unwrap());
        clicks(&mut app, 1, x, y);
        clicks(&mut app, 2, x, y);
        mouse(&mut app, MouseKind::Down { clicks: 1 }, x, y);
        mouse(&mut app, MouseKind::Drag, x + 6, y + 1);
        app.handle(Event::Wheel(1, x, y));
        assert_eq!(app.cursor(), cursor);
        assert_eq!(app.screen()[0], top);
        assert_eq!(app.mode(), &Mode::Normal);
    }

    /// The entity list remembers how far it is scrolled: moving back up inside the rows shown
    /// does not scroll, and a click selects the row clicked without moving the list.
    #[test]
    fn the_entity_list_scrolls_only_as_far_as_the_selection_needs() {
        let mut a = app_with_entities(140, 4);
        press_keys(&mut a, &["Tab"]);
        let list = super::PanelAreas::new(a.geometry().panel, a.panel_full()).list;
        let height = usize::from(list.height);
        let rows = a.panel().rows().len();
        assert!(rows > height + 1, "{rows} rows in a list {height} tall");
        let tops = |a: &App| a.panel().list_offset(height);
        // Down to the last row: the list follows.
        for _ in 0..rows {
            press_keys(&mut a, &["j"]);
        }
        assert_eq!(a.panel().selected, rows - 1);
        let bottom_top = rows - height;
        assert_eq!(tops(&a), bottom_top);
        // Up within the rows shown: the list stays; one more and it follows.
        for _ in 0..height - 1 {
            press_keys(&mut a, &["k"]);
        }
        assert_eq!(tops(&a), bottom_top);
        press_keys(&mut a, &["k"]);
        assert_eq!(tops(&a), bottom_top - 1);
        // A click on the last row shown selects that row; the list does not move.
        let top = tops(&a);
        click(&mut a, list.x + 2, list.y + list.height - 1);
        assert_eq!(a.panel().selected, top + height - 1);
        assert_eq!(tops(&a), top, "the clicked row stays under the mouse");
    }

    fn press_keys(app: &mut App, keys: &[&str]) {
        for k in keys {
            app.handle(Event::Key(Key::parse(k).unwrap()));
        }
    }
}
