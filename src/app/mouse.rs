//! Mouse clicks in the text: the cursor goes where the user points.

use ratatui::layout::Position;

use super::{App, Mode};
use crate::layout::Visual;

impl App {
    /// A left click at screen cell (`x`, `y`): in the reading column, the cursor goes to the
    /// character drawn there, wide characters and the centred column included; a click left of
    /// a row's text (its indent) takes its first character, right of it its last. Elsewhere,
    /// or while a prompt or dialog is open, nothing happens.
    pub(super) fn click(&mut self, x: u16, y: u16) {
        if !matches!(self.mode, Mode::Normal | Mode::Visual { .. }) {
            return;
        }
        let area = self.geometry().text;
        if !area.contains(Position { x, y }) {
            return;
        }
        let Some(Visual::Text(row)) = self.screen.get(usize::from(y - area.y)).map(|r| r.visual)
        else {
            return;
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
        if let Some(offset) = target {
            self.set_cursor(offset);
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
                super::panel::Tab::Entities => self.panel.move_selection(isize::from(n) * 3),
                super::panel::Tab::Notes => {
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
    use super::super::{App, Event};
    use crate::config::Config;
    use crate::document::Document;

    fn app(text: &str, width: u16) -> App {
        let mut app = App::new(Document::new(text), "t", Config::default(), (width, 10));
        app.handle(Event::Resize(width, 10));
        app
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
            app.handle(Event::Click(x, y));
            assert_eq!(app.cursor(), offset, "{needle}");
            // The right half of a wide character is the same character.
            if needle != "E" && needle != "g" {
                app.handle(Event::Click(x + 1, y));
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
        app.handle(Event::Click(x - 2, y));
        assert_eq!(app.cursor(), first);
        // Past the end of the row: its last character.
        app.handle(Event::Click(x + 30, y));
        assert_eq!(app.cursor(), text.find("。").unwrap());
        // A blank row between paragraphs, the margin, the status line: nothing moves.
        let before = app.cursor();
        app.handle(Event::Click(x, y + 1));
        app.handle(Event::Click(0, y));
        app.handle(Event::Click(x, 9));
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
}
