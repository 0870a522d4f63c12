//! Reader state and `update`: events in, state changes out. No terminal I/O here, so every
//! key can be tested with a plain `App` and a size.

pub mod annotate;
mod corrections;
mod document_notes;
pub mod editor;
mod entity_nav;
mod event;
pub mod export_dialog;
mod find;
pub mod help;
mod history;
mod input;
pub mod line_input;
pub mod list_nav;
pub mod marks;
mod motion;
mod mouse;
pub mod notes;
pub mod outline;
pub mod panel;
mod words;

use ratatui::layout::Rect;

pub use crate::keys::{Action, Context, Key, KeyCode, Keymap};
pub use annotate::{NoteEdit, NoteTarget, TagPrompt};
pub use event::{Effect, EntitiesUpdate, Event, SaveState, SharedSegmenter, WriteError};
pub use find::Search;
pub use line_input::LineInput;
pub use marks::Pending;
pub use mouse::{Mouse, MouseKind};
pub use notes::{
    NOTE_ITEM_ROWS, NOTE_TEXT_COLUMN, NoteRow, NoteRowKind, NotesEntry, NotesList, NotesSide,
};
pub use outline::Outline;
pub use panel::{Extraction, Panel, PanelAreas, PanelRow, PanelTitle, Tab};

use crate::config::Config;
use crate::document::{BlockKind, Document};
use crate::entities::Mention;
use crate::layout::{AmbiguousWidth, DocLayout, LayoutParams, Pos, Visual};

/// What `n`/`N` walk: the last thing set, a search or an entity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Walk {
    #[default]
    Search,
    Entity,
    /// The highlights, in document order (after picking one in the Notes tab).
    Highlight,
}

/// What the keyboard is talking to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Search(Prompt),
    Help {
        scroll: usize,
    },
    /// Selecting: from `anchor` to the cursor, both ends included.
    Visual {
        anchor: usize,
    },
    Tags(TagPrompt),
    Note(NoteEdit),
    Export(export_dialog::ExportDialog),
    /// `T`: the headings, one to go to.
    Outline(Outline),
}

/// The `/` prompt and what to go back to on Esc.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    pub input: LineInput,
    origin_cursor: usize,
    origin_top: Pos,
    saved: Search,
}

/// One row of the text area as `draw` shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScreenRow {
    pub block: usize,
    pub kind: BlockKind,
    pub visual: Visual,
}

/// Where things go on the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    /// The reading column.
    pub text: Rect,
    /// One column right of the reading area: position and mention markers.
    pub scrollbar: Rect,
    /// The entity panel (zero width when hidden).
    pub panel: Rect,
    pub status: Rect,
}

/// Splits the screen: the entity panel on the right (`panel_width`, 0 when hidden), a
/// scrollbar column, a centered reading column at most `max_width` wide, a status row.
pub fn geometry(width: u16, height: u16, max_width: u16, panel_width: u16) -> Geometry {
    let text_height = height.saturating_sub(1);
    let panel_width = panel_width.min(width);
    let rest = width - panel_width;
    let bar = u16::from(rest >= 20);
    let reading = rest - bar;
    let margin = match reading {
        60.. => 2,
        20.. => 1,
        _ => 0,
    };
    let column = (reading - 2 * margin).min(max_width.max(1));
    Geometry {
        text: Rect::new((reading - column) / 2, 0, column, text_height),
        scrollbar: Rect::new(reading, 0, bar, text_height),
        panel: Rect::new(rest, 0, panel_width, text_height),
        status: Rect::new(0, text_height, width, height.min(1)),
    }
}

/// The reader.
pub struct App {
    doc: Document,
    name: String,
    config: Config,
    keymap: Keymap,
    layout: DocLayout,
    size: (u16, u16),
    top: Pos,
    cursor: usize,
    /// Column that vertical motions try to keep.
    goal: Option<usize>,
    mode: Mode,
    search: Search,
    /// The text with ASCII lower-cased, made on the first case-insensitive search.
    folded: Option<String>,
    message: Option<String>,
    count: Option<usize>,
    /// Keys of a sequence typed so far (`z` of `zz`).
    pending: Vec<Key>,
    /// A quit was asked for while handling this event; handed over as [`Effect::Quit`].
    quit: bool,
    /// The save on the way out failed (its error, one line): the reader stays and asks.
    unsaved_at_quit: Option<String>,
    /// The user chose to quit although the changes could not be saved.
    quit_unsaved: bool,
    screen: Vec<ScreenRow>,
    cursor_cell: Option<(u16, u16)>,
    panel: Panel,
    walk: Walk,
    segmenter: Option<std::sync::Arc<crate::segment::Segmenter>>,
    annotations: crate::annotations::AnnotationSet,
    /// The article's absolute path, for exports.
    source_path: Option<String>,
    /// The data dir, which an export must not be written into.
    data_dir: Option<std::path::PathBuf>,
    help_search: help::HelpSearch,
    /// Now, in milliseconds since the epoch, as the last [`Event::Tick`] brought it: the
    /// app never reads the clock.
    now_ms: i64,
    /// The time zone for times a person reads (the Markdown export).
    zone: jiff::tz::TimeZone,
    /// Effects asked for while handling the current event.
    effects: Vec<Effect>,
    /// What the left mouse button is dragging, while it is held.
    drag: Option<mouse::Drag>,
    /// The generation of the annotations last saved, and the error of the last save.
    saved_generation: u64,
    save_error: Option<String>,
    /// Marks set with `m`: byte offsets, saved with the document.
    marks: std::collections::BTreeMap<char, usize>,
    /// Where the cursor was before the last jump, for `''`.
    last_jump: Option<usize>,
    /// `m`, `'` or `` ` `` waiting for a mark's letter.
    awaiting_mark: Option<Pending>,
}

impl App {
    /// `name` is shown when the document has no title (usually the file name).
    pub fn new(doc: Document, name: impl Into<String>, config: Config, size: (u16, u16)) -> Self {
        let mut panel = Panel::new();
        panel.open_from = Panel::open_width(config.max_width);
        let params = layout_params(&config, size, panel.width_beside(size.0));
        let layout = DocLayout::new(&doc, params);
        let cursor = doc.blocks().first().map_or(0, |b| b.start);
        let keymap = Keymap::with(&config.keys);
        let mut app = Self {
            doc,
            name: name.into(),
            config,
            keymap,
            layout,
            size,
            top: Pos::default(),
            cursor,
            goal: None,
            mode: Mode::Normal,
            search: Search::default(),
            folded: None,
            message: None,
            count: None,
            pending: Vec::new(),
            quit: false,
            unsaved_at_quit: None,
            quit_unsaved: false,
            screen: Vec::new(),
            cursor_cell: None,
            panel,
            walk: Walk::Search,
            segmenter: None,
            annotations: crate::annotations::AnnotationSet::default(),
            source_path: None,
            data_dir: None,
            help_search: help::HelpSearch::default(),
            now_ms: 0,
            zone: jiff::tz::TimeZone::UTC,
            effects: Vec::new(),
            drag: None,
            saved_generation: 0,
            save_error: None,
            marks: std::collections::BTreeMap::new(),
            last_jump: None,
            awaiting_mark: None,
        };
        app.refresh();
        app
    }

    pub fn doc(&self) -> &Document {
        &self.doc
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn config(&self) -> &Config {
        &self.config
    }
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }
    pub fn mode(&self) -> &Mode {
        &self.mode
    }
    pub fn search(&self) -> &Search {
        &self.search
    }
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    /// Byte offset of the cursor in the document text.
    pub fn cursor(&self) -> usize {
        self.cursor
    }
    /// The error of a failed save at quit while the reader asks what to do about it.
    pub fn unsaved_at_quit(&self) -> Option<&str> {
        self.unsaved_at_quit.as_deref()
    }

    /// The save on the way out failed: stay, rather than drop the changes, and ask whether
    /// to retry or quit anyway.
    fn quit_failed(&mut self, error: &str) {
        let line: Vec<&str> = error.split_whitespace().collect();
        self.unsaved_at_quit = Some(line.join(" "));
    }
    pub fn size(&self) -> (u16, u16) {
        self.size
    }
    pub fn geometry(&self) -> Geometry {
        geometry(
            self.size.0,
            self.size.1,
            self.config.max_width,
            self.panel.width(self.size.0),
        )
    }
    pub fn panel(&self) -> &Panel {
        &self.panel
    }
    pub fn walk(&self) -> Walk {
        self.walk
    }
    /// Mentions of the active entity, sorted.
    pub fn active_mentions(&self) -> &[Mention] {
        self.panel
            .active
            .and_then(|i| self.panel.entities.get(i))
            .map_or(&[], |e| &e.mentions[..])
    }
    /// The rows of the text area, top to bottom.
    pub fn screen(&self) -> &[ScreenRow] {
        &self.screen
    }
    /// The cursor's cell relative to the text area, when it is on screen.
    pub fn cursor_cell(&self) -> Option<(u16, u16)> {
        self.cursor_cell
    }
    pub fn ambiguous(&self) -> AmbiguousWidth {
        self.layout.params().ambiguous
    }

    /// Where each grapheme of an on-screen row goes: (offset, grapheme, width, column).
    pub fn placed(
        &self,
        row: &crate::layout::Row,
    ) -> impl Iterator<Item = (usize, &str, usize, usize)> {
        self.layout.placed(&self.doc, row)
    }

    /// Quote bars and cell labels drawn in a row's indent, with their columns.
    pub fn decorations(&self, block: usize, row: &crate::layout::Row) -> Vec<(usize, String)> {
        crate::layout::doc::decorations(&self.doc, block, row, self.ambiguous())
    }

    /// The text of a row that is on screen.
    pub fn row_text(&self, row: &crate::layout::Row) -> &str {
        &self.doc.text()[row.start..row.end]
    }

    /// Byte offsets of the first and last text on screen.
    pub fn visible_range(&self) -> (usize, usize) {
        let text_row = |r: &ScreenRow| match r.visual {
            Visual::Text(row) => Some(row),
            Visual::Gap => None,
        };
        let first = self.screen.iter().find_map(text_row);
        let last = self.screen.iter().rev().find_map(text_row);
        (first.map_or(0, |r| r.start), last.map_or(0, |r| r.end))
    }

    /// How far through the article the bottom of the screen is, in percent.
    pub fn percent(&self) -> u8 {
        let len = self.doc.text().len();
        let at_end = self.screen.last().is_some_and(|r| {
            r.block + 1 == self.layout.block_count() && self.screen_ends_document()
        });
        if len == 0 || at_end {
            return 100;
        }
        let bottom = self
            .screen
            .iter()
            .rev()
            .find_map(|r| match r.visual {
                Visual::Text(row) => Some(row.end),
                Visual::Gap => None,
            })
            .unwrap_or(0);
        (bottom * 100 / len).min(100) as u8
    }

    fn screen_ends_document(&self) -> bool {
        let Some(last) = self.screen.last() else {
            return true;
        };
        let Some(rows) = self.layout.cached(last.block) else {
            return false;
        };
        matches!(last.visual, Visual::Text(row) if Some(&row) == rows.last())
    }

    /// Puts the cursor back where the reader was (a saved byte offset), on a character
    /// boundary, and scrolls there.
    pub fn restore_position(&mut self, offset: usize) {
        if self.doc.blocks().is_empty() {
            return;
        }
        let at = self.cursor_place(offset);
        if at == 0 {
            return;
        }
        self.set_cursor(at);
        self.refresh();
    }

    /// Now, in milliseconds since the epoch, for "5 min ago" in lists and the times of
    /// edits: from the last [`Event::Tick`].
    pub fn now_millis(&self) -> i64 {
        self.now_ms
    }

    /// Sets the time, as an [`Event::Tick`] does (for tests and snapshots).
    pub fn set_now(&mut self, ms: i64) {
        self.now_ms = ms;
    }

    /// Where the annotations stand on disk.
    pub fn save_state(&self) -> SaveState {
        let a = &self.annotations;
        match &self.save_error {
            Some(e) => SaveState::Failed(e.clone()),
            None if a.generation > self.saved_generation => SaveState::Saving,
            None if a.generation > 0 || !a.list.is_empty() || !a.document_notes.is_empty() => {
                SaveState::Saved
            }
            None => SaveState::Nothing,
        }
    }

    /// What `n`/`N` walk now and where the cursor is in it: `/广告 3/17`, `字节跳动 2/7`.
    pub fn walk_summary(&self) -> Option<String> {
        match self.walk {
            Walk::Entity if self.panel.active.is_some() => Some(self.mention_summary()),
            Walk::Search if self.search.visible && !self.search.pattern.is_empty() => {
                let hits = &self.search.hits;
                let i = hits.partition_point(|h| h.start < self.cursor);
                Some(format!(
                    "/{} {}/{}",
                    self.search.pattern,
                    (i + 1).min(hits.len()),
                    hits.len()
                ))
            }
            _ => None,
        }
    }

    /// The first start: the status line says where to begin (`? help · p entities · T
    /// outline`).
    pub fn welcome(&self) -> String {
        self.hints(
            Context::Reader,
            &[
                (Action::Help, "help"),
                (Action::TogglePanel, "entities"),
                (Action::Outline, "outline"),
            ],
        )
    }

    /// Shows `message` in the status line until the next key.
    pub fn set_message(&mut self, message: impl Into<String>) {
        self.message = Some(message.into());
    }

    /// Handles one event and says what the outside world must do about it.
    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        if let Event::Tick { now_ms } = event {
            // Only the time: nothing on screen changes.
            self.now_ms = now_ms;
            return Vec::new();
        }
        let generation = self.annotations.generation;
        match event {
            Event::Key(key) => self.key(key),
            Event::Resize(w, h) => self.resize(w, h),
            // Without capture the terminal sends no mouse events; this holds for any that come.
            Event::Mouse(_) | Event::Wheel(..) if !self.config.mouse => {}
            Event::Mouse(m) => self.mouse(m),
            Event::Wheel(n, x, y) => self.wheel(n, x, y),
            Event::Entities(update) => match update {
                EntitiesUpdate::Segmenter(shared) => self.segmenter = Some(shared.0),
                EntitiesUpdate::Progress(permille) => {
                    self.panel.extraction = Extraction::Running(f32::from(permille) / 1000.0);
                }
                EntitiesUpdate::Done(entities) => {
                    self.panel.extracted = entities;
                    self.replay_corrections();
                    self.panel.extraction = Extraction::Done;
                    self.panel.active = None;
                    // Keep the user's place if they are already in the panel.
                    self.panel.move_selection(0);
                }
            },
            Event::Paste(text) => self.paste(&text),
            Event::Saved {
                generation,
                error,
                merged,
            } => match error {
                None => {
                    if let Some(merged) = merged {
                        self.annotations.merge_saved(merged);
                    }
                    self.saved_generation = self.saved_generation.max(generation);
                    self.save_error = None;
                }
                Some(e) => {
                    let line = e.split_whitespace().collect::<Vec<_>>().join(" ");
                    self.message = Some(format!("Could not save: {line}"));
                    self.save_error = Some(line);
                }
            },
            Event::Tick { .. } => {}
            Event::Written(result) => self.written(result),
            Event::NotSavedAtQuit(error) => self.quit_failed(&error),
        }
        self.refresh();
        if self.annotations.generation != generation {
            // Handed over before the change is drawn, so a signal can save it even if the
            // loop is stuck: what the user saw done is never lost.
            self.effects.push(Effect::Save(self.annotations.snapshot()));
        }
        if std::mem::take(&mut self.quit) {
            let save = !std::mem::take(&mut self.quit_unsaved);
            self.effects
                .push(Effect::Quit(save.then(|| self.snapshot_at_exit())));
        }
        std::mem::take(&mut self.effects)
    }

    /// Carries out an action, `count` times where that makes sense.
    pub fn apply(&mut self, action: Action, count: Option<usize>) {
        let n = count.unwrap_or(1).max(1);
        match action {
            Action::Down => self.move_rows(n as isize),
            Action::Up => self.move_rows(-(n as isize)),
            Action::Left => (0..n).for_each(|_| self.move_grapheme(false)),
            Action::Right => (0..n).for_each(|_| self.move_grapheme(true)),
            Action::RowStart => self.row_edge(false),
            Action::RowEnd => self.row_edge(true),
            Action::PageDown => self.page(n as isize * self.page_rows()),
            Action::PageUp => self.page(-(n as isize) * self.page_rows()),
            Action::HalfPageDown => self.page(n as isize * self.half_page()),
            Action::HalfPageUp => self.page(-(n as isize) * self.half_page()),
            Action::ScrollDown => self.scroll(n as isize),
            Action::ScrollUp => self.scroll(-(n as isize)),
            Action::CursorToTop => self.scroll_cursor_to_top(),
            Action::CursorToMiddle => self.scroll_cursor_to(0.5),
            Action::CursorToBottom => self.scroll_cursor_to(1.0),
            Action::ScreenTop => self.screen_row(0.0),
            Action::ScreenMiddle => self.screen_row(0.5),
            Action::ScreenBottom => self.screen_row(1.0),
            Action::Top => self.jump_to_end(false, count),
            Action::Bottom => self.jump_to_end(true, count),
            Action::Percent => match count {
                Some(n) => self.goto_percent(n),
                None => self.message = Some("Type a number first, e.g. 50%".into()),
            },
            Action::NextParagraph => (0..n).for_each(|_| self.next_block(|_| true)),
            Action::PrevParagraph => (0..n).for_each(|_| self.prev_block(|_| true)),
            Action::NextHeading => {
                (0..n).for_each(|_| self.next_block(BlockKind::is_heading));
                self.scroll_cursor_to_top();
            }
            Action::PrevHeading => {
                (0..n).for_each(|_| self.prev_block(|k| k.is_heading() || k == BlockKind::Title));
                self.scroll_cursor_to_top();
            }
            Action::WordForward => (0..n).for_each(|_| self.word_forward()),
            Action::WordBackward => (0..n).for_each(|_| self.word_backward()),
            Action::WordEnd => (0..n).for_each(|_| self.word_end()),
            Action::SentenceForward => (0..n).for_each(|_| self.sentence_move(true)),
            Action::SentenceBackward => (0..n).for_each(|_| self.sentence_move(false)),
            Action::Outline => self.open_outline(),
            Action::SetMark => self.start_pending(Pending::SetMark),
            Action::JumpMark => self.start_pending(Pending::JumpMark),
            Action::Select => self.start_selection(),
            Action::SelectSentence => self.select_sentence(),
            Action::EditTags => self.edit_tags_at_cursor(),
            Action::EditNote => self.edit_note_at_cursor(),
            Action::ChangeColour => self.cycle_colour_at_cursor(),
            Action::DeleteHighlight => self.delete_at_cursor(),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::NotesList => self.open_notes_list(),
            Action::NotesFull => self.open_notes_full(),
            Action::DocumentNote => self.open_document_note(None),
            Action::Export => self.open_export(),
            Action::Search => self.start_search(),
            Action::NextHit if self.walk == Walk::Highlight => self.jump_highlight(true, n),
            Action::PrevHit if self.walk == Walk::Highlight => self.jump_highlight(false, n),
            Action::NextHit if self.walk == Walk::Entity => self.jump_mention(true, n),
            Action::PrevHit if self.walk == Walk::Entity => self.jump_mention(false, n),
            Action::NextHit => self.jump_hit(true, n),
            Action::PrevHit => self.jump_hit(false, n),
            Action::TogglePanel => self.toggle_panel(),
            Action::AddEntity => self.start_add_entity(),
            Action::FocusPanel => self.focus_panel(),
            Action::ClearHighlight => {
                self.search.visible = false;
                self.panel.active = None;
            }
            Action::Help => self.open_help(),
            Action::Quit => self.quit = true,
            // The actions of other contexts.
            _ => {}
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        if self.panel.full && !self.panel.wide && Panel::fits(width) {
            // Room beside the text now: the full-width panel becomes the side panel.
            self.panel.full = false;
        }
        self.relayout();
    }

    /// Lays the text out again for the current size and panel, keeping the first visible text.
    fn relayout(&mut self) {
        let anchor = self
            .screen
            .iter()
            .find_map(|r| match r.visual {
                Visual::Text(row) => Some(row.start),
                Visual::Gap => None,
            })
            .unwrap_or(self.cursor);
        let params = layout_params(
            &self.config,
            self.size,
            self.panel.width_beside(self.size.0),
        );
        if self.layout.set_params(params) {
            self.top = self.layout.locate(&self.doc, anchor);
        }
        self.clamp_top();
        if self.cursor_cell.is_some() {
            // The cursor was on screen (it may be in a highlight being worked on): keep it,
            // scrolling as little as needed.
            self.scroll_to_cursor();
        } else {
            self.cursor_into_view();
        }
    }

    /// Recomputes what is on screen. Runs after every event, so `draw` only reads.
    fn refresh(&mut self) {
        self.scroll_notes();
        let list = PanelAreas::new(self.geometry().panel, self.panel_full()).list;
        if list.height > 0 {
            self.panel.list_top = self.panel.list_offset(usize::from(list.height));
        }
        let g = self.geometry();
        let height = usize::from(g.text.height);
        self.screen.clear();
        self.cursor_cell = None;
        if self.layout.block_count() == 0 {
            return;
        }
        let cursor_pos = self.layout.locate(&self.doc, self.cursor);
        let mut pos = self.top;
        for i in 0..height {
            let visual = self.layout.visual(&self.doc, pos);
            self.screen.push(ScreenRow {
                block: pos.block,
                kind: self.doc.blocks()[pos.block].kind,
                visual,
            });
            if pos == cursor_pos
                && let Visual::Text(row) = visual
            {
                let col = self.col_of(&row, self.cursor);
                self.cursor_cell = Some((col.min(usize::from(u16::MAX)) as u16, i as u16));
            }
            let (next, moved) = self.layout.step(&self.doc, pos, 1);
            if moved == 0 {
                break;
            }
            pos = next;
        }
    }
}

/// Layout parameters for a config, terminal size and panel width.
fn layout_params(config: &Config, size: (u16, u16), panel_width: u16) -> LayoutParams {
    let g = geometry(size.0, size.1, config.max_width, panel_width);
    config.layout_params(usize::from(g.text.width))
}

#[cfg(test)]
mod annotate_tests;
#[cfg(test)]
mod key_table_tests;
#[cfg(test)]
mod tests;
