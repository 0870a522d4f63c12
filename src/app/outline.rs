//! `T`: the outline. A list of the article's title and headings, the one the reader is in
//! marked and selected; Enter goes to the selected one, `/` filters the list.

use super::line_input::LineInput;
use super::{Action, App, Mode};
use crate::document::{Document, OutlineEntry};

/// The outline's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outline {
    /// Every heading, in reading order.
    pub entries: Vec<OutlineEntry>,
    /// The level drawn without indent (the shallowest there is).
    pub top_level: u8,
    /// The heading the cursor was under when the outline opened (index in `entries`).
    pub current: Option<usize>,
    /// The selected heading (index in `entries`); one of those shown, when any is.
    pub selected: usize,
    /// The first row shown, counted in the filtered list.
    pub top: usize,
    pub filter: LineInput,
    /// The filter is being typed.
    pub filtering: bool,
}

impl Outline {
    /// The outline of `doc` with the heading holding `cursor` selected; `None` without
    /// headings.
    pub fn new(doc: &Document, cursor: usize) -> Option<Self> {
        let entries = doc.outline();
        let top_level = entries.iter().map(|e| e.level).min()?;
        let here = doc.block_at(cursor);
        let current = entries.iter().rposition(|e| e.block <= here);
        Some(Self {
            entries,
            top_level,
            current,
            selected: current.unwrap_or(0),
            top: 0,
            filter: LineInput::default(),
            filtering: false,
        })
    }

    /// Columns entry `i` is indented by: two per level below the top one.
    pub fn indent(&self, i: usize) -> usize {
        2 * usize::from(self.entries[i].level.saturating_sub(self.top_level))
    }

    /// Indices (in `entries`) of the headings the filter lets through, in order: those
    /// holding it, ignoring case.
    pub fn shown(&self, doc: &Document) -> Vec<usize> {
        let filter = self.filter.to_lowercase();
        (0..self.entries.len())
            .filter(|&i| {
                filter.is_empty()
                    || doc
                        .block_text(self.entries[i].block)
                        .to_lowercase()
                        .contains(&filter)
            })
            .collect()
    }

    /// Whether the filter has a row of its own (typed, or kept).
    pub fn has_prompt(&self) -> bool {
        self.filtering || !self.filter.is_empty()
    }

    /// Keeps the selection among `shown` (the first shown when it was filtered out) and its row
    /// among the `rows` on screen.
    fn fit(&mut self, shown: &[usize], rows: usize) {
        let at = match shown.iter().position(|&i| i == self.selected) {
            Some(at) => at,
            None => {
                self.selected = shown.first().copied().unwrap_or(self.selected);
                0
            }
        };
        self.top = self.top.min(at).max((at + 1).saturating_sub(rows));
    }
}

/// Rows of headings the outline shows at once on a screen `height` rows high: the status
/// line, the popup's border and the filter's row take the rest.
pub fn visible_rows(height: u16, outline: &Outline) -> usize {
    usize::from(height.saturating_sub(3))
        .saturating_sub(usize::from(outline.has_prompt()))
        .max(1)
}

impl App {
    /// `T`: opens the outline on the heading the cursor is under, or says there is none.
    pub(super) fn open_outline(&mut self) {
        let Some(mut outline) = Outline::new(&self.doc, self.cursor) else {
            self.message = Some("No headings in this document".into());
            return;
        };
        // The current heading in the middle of the list, when the list is long.
        let rows = visible_rows(self.size.1, &outline);
        outline.top = outline.selected.saturating_sub(rows / 2);
        outline.top = outline.top.min(outline.entries.len().saturating_sub(rows));
        self.mode = Mode::Outline(outline);
    }

    /// Actions in the outline.
    pub(super) fn outline_action(&mut self, action: Action) {
        let Mode::Outline(outline) = &mut self.mode else {
            return;
        };
        let page = visible_rows(self.size.1, outline) as isize;
        match action {
            Action::Quit => self.quit = true,
            Action::Down => self.outline_move(1),
            Action::Up => self.outline_move(-1),
            Action::Top => self.outline_move(isize::MIN),
            Action::Bottom => self.outline_move(isize::MAX),
            Action::PageDown => self.outline_move(page),
            Action::PageUp => self.outline_move(-page),
            Action::Accept => self.outline_jump(),
            Action::Search => self.outline_filter(),
            Action::Cancel if !outline.filter.is_empty() => {
                outline.filter.clear();
                self.outline_move(0);
            }
            Action::Cancel | Action::Outline => self.close_outline(),
            _ => {}
        }
    }

    /// Moves the selection `delta` rows through the headings shown, stopping at the ends.
    pub(super) fn outline_move(&mut self, delta: isize) {
        let Mode::Outline(outline) = &mut self.mode else {
            return;
        };
        let shown = outline.shown(&self.doc);
        let rows = visible_rows(self.size.1, outline);
        outline.fit(&shown, rows);
        let Some(at) = shown.iter().position(|&i| i == outline.selected) else {
            return;
        };
        let to = at.saturating_add_signed(delta).min(shown.len() - 1);
        outline.selected = shown[to];
        outline.fit(&shown, rows);
    }

    /// Goes to the selected heading, brought to the top of the screen as `]` does, and closes.
    pub(super) fn outline_jump(&mut self) {
        let Mode::Outline(outline) = &self.mode else {
            return;
        };
        if outline.shown(&self.doc).is_empty() {
            self.message = Some(format!("No heading holds {:?}", outline.filter));
            return;
        }
        let block = outline.entries[outline.selected].block;
        let start = self.doc.blocks()[block].start;
        self.close_outline();
        self.remember_jump();
        self.set_cursor(start);
        self.scroll_cursor_to_top();
    }

    /// `/`: starts typing a filter (a new one).
    pub(super) fn outline_filter(&mut self) {
        if let Mode::Outline(outline) = &mut self.mode {
            outline.filtering = true;
            outline.filter.clear();
        }
        self.outline_move(0);
    }

    pub(super) fn close_outline(&mut self) {
        self.mode = Mode::Normal;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Event, Key};
    use crate::config::Config;
    use crate::layout::Visual;

    /// A Markdown article: a title, two sections, the second with two subsections; each
    /// section long enough that a jump scrolls.
    fn article() -> String {
        let body: String = (0..12)
            .map(|i| format!("第{i}段的正文，说了很多话。\n\n"))
            .collect();
        format!(
            "# 文章标题\n\n{body}## 第一节 Alpha\n\n{body}## 第二节 Beta\n\n{body}\
             ### 小节甲\n\n{body}### 小节乙\n\n{body}"
        )
    }

    fn app(text: &str, w: u16, h: u16) -> App {
        use crate::formats::{InputFormat, read};
        let doc = read(text.as_bytes(), InputFormat::Markdown, None)
            .expect("Markdown reads")
            .doc;
        App::new(doc, "test.md", Config::default(), (w, h))
    }

    fn press(app: &mut App, keys: &str) {
        for k in keys.split_whitespace() {
            let key = Key::parse(k).unwrap_or_else(|| panic!("bad key {k}"));
            app.handle(Event::Key(key));
        }
    }

    fn outline(app: &App) -> &Outline {
        match app.mode() {
            Mode::Outline(o) => o,
            other => panic!("the outline is not open: {other:?}"),
        }
    }

    /// The rows as (indent, title), with the selected one.
    fn listing(app: &App) -> (Vec<(usize, String)>, String) {
        let o = outline(app);
        let rows = o
            .shown(app.doc())
            .into_iter()
            .map(|i| (o.indent(i), app.doc().block_text(o.entries[i].block).into()))
            .collect();
        let selected = app.doc().block_text(o.entries[o.selected].block).into();
        (rows, selected)
    }

    fn start_of(app: &App, s: &str) -> usize {
        app.doc().text().find(s).expect("in the text")
    }

    #[test]
    fn lists_the_headings_by_level_with_the_current_one_selected() {
        let mut a = app(&article(), 80, 24);
        a.restore_position(start_of(&a, "第二节") + 30);
        press(&mut a, "T");
        let (rows, selected) = listing(&a);
        let expected = [
            (0, "文章标题"),
            (2, "第一节 Alpha"),
            (2, "第二节 Beta"),
            (4, "小节甲"),
            (4, "小节乙"),
        ];
        let expected: Vec<(usize, String)> =
            expected.iter().map(|&(i, t)| (i, t.to_string())).collect();
        assert_eq!(rows, expected);
        assert_eq!(selected, "第二节 Beta");
        assert_eq!(outline(&a).current, Some(2));
        press(&mut a, "j");
        assert_eq!(listing(&a).1, "小节甲");
        press(&mut a, "G");
        assert_eq!(listing(&a).1, "小节乙");
        press(&mut a, "j");
        assert_eq!(listing(&a).1, "小节乙", "stops at the end");
        press(&mut a, "Home");
        assert_eq!(listing(&a).1, "文章标题");
        press(&mut a, "q");
        assert_eq!(a.mode(), &Mode::Normal);
    }

    #[test]
    fn enter_goes_to_the_heading_at_the_top_of_the_screen_and_closes() {
        let mut a = app(&article(), 80, 24);
        press(&mut a, "T j j Enter");
        assert_eq!(a.mode(), &Mode::Normal);
        assert_eq!(a.cursor(), start_of(&a, "第二节 Beta"));
        let so = usize::from(Config::default().scroll_off);
        let row = a.screen().iter().position(
            |r| matches!(r.visual, Visual::Text(row) if a.row_text(&row) == "第二节 Beta"),
        );
        assert_eq!(row, Some(so), "the heading starts the screen");
        // A jump: '' comes back.
        press(&mut a, "' '");
        assert_eq!(a.cursor(), 0);
    }

    #[test]
    fn a_filter_narrows_the_list_and_esc_clears_it() {
        let mut a = app(&article(), 80, 24);
        press(&mut a, "T / B E T");
        assert!(outline(&a).filtering);
        assert_eq!(listing(&a).0, [(2, "第二节 Beta".to_string())]);
        assert_eq!(
            listing(&a).1,
            "第二节 Beta",
            "the selection follows the filter"
        );
        press(&mut a, "Backspace Backspace Backspace");
        assert_eq!(listing(&a).0.len(), 5);
        a.handle(Event::Paste("小节\n".into()));
        assert_eq!(listing(&a).0.len(), 2);
        press(&mut a, "Enter");
        assert!(!outline(&a).filtering, "Enter keeps the filter");
        assert_eq!(outline(&a).filter, "小节");
        press(&mut a, "j");
        assert_eq!(listing(&a).1, "小节乙");
        press(&mut a, "Esc");
        assert_eq!(listing(&a).0.len(), 5, "Esc clears a kept filter first");
        assert_eq!(listing(&a).1, "小节乙");
        press(&mut a, "/ z z z");
        assert!(listing(&a).0.is_empty());
        press(&mut a, "Esc");
        assert_eq!(listing(&a).0.len(), 5, "Esc while typing clears it");
        press(&mut a, "Esc");
        assert_eq!(a.mode(), &Mode::Normal);
    }

    #[test]
    fn a_long_list_keeps_the_selection_on_screen() {
        let text: String = (0..40)
            .map(|i| format!("## 第{i}节\n\n正文。\n\n"))
            .collect();
        let mut a = app(&text, 80, 12);
        press(&mut a, "T");
        let rows = visible_rows(12, outline(&a));
        for _ in 0..25 {
            press(&mut a, "j");
            let o = outline(&a);
            assert!((o.top..o.top + rows).contains(&o.selected), "{o:?}");
        }
        press(&mut a, "PgUp");
        let o = outline(&a);
        assert_eq!(o.selected, 25 - rows);
        assert!((o.top..o.top + rows).contains(&o.selected), "{o:?}");
    }

    #[test]
    fn no_headings_says_so_and_stays_in_the_text() {
        // Markdown without a `#` line or front matter: no title either.
        let mut a = app("只是一段正文，没有标题。\n\n第二段，也没有小节。\n", 80, 24);
        assert!(a.doc().outline().is_empty());
        press(&mut a, "T");
        assert_eq!(a.mode(), &Mode::Normal);
        assert_eq!(a.message(), Some("No headings in this document"));
    }
}
