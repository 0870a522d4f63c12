//! The Notes tab of the side panel: every highlight in document order, orphans last, with a
//! filter by tag or text.

use super::panel::Tab;
use super::{App, Key, KeyCode, Mode};
use crate::annotations::Annotation;

/// The Notes tab's keys, for help. `notes_key` handles exactly these.
pub const NOTES_KEYS: &[(&str, &str)] = &[
    ("j k g G", "move in the list"),
    (
        "Enter",
        "go to the passage; then n / N walk the highlights in the text",
    ),
    (
        "/",
        "filter by tag (#电商 or 电商) or text; Enter keeps, Esc clears",
    ),
    (
        "t a c x u",
        "tags, note, colour, delete, undo of the selected highlight (Ctrl-r redoes)",
    ),
    ("h l ← →", "switch between the Entities and Notes tabs"),
    ("Tab Esc o", "back to the text; a full-width panel closes"),
    ("p", "hide the panel"),
];

/// Where the Notes tab stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotesList {
    /// Index into [`App::notes_items`].
    pub selected: usize,
    pub filter: String,
    pub filtering: bool,
}

impl NotesList {
    /// Whether `a` passes the filter: a tag (with or without `#`), the quote or the note.
    pub fn matches(&self, a: &Annotation) -> bool {
        let f = self.filter.trim();
        if f.is_empty() {
            return true;
        }
        let lower = f.to_lowercase();
        if let Some(tag) = lower.strip_prefix('#') {
            return a.tags.iter().any(|t| t.to_lowercase().starts_with(tag));
        }
        a.tags.iter().any(|t| t.to_lowercase().contains(&lower))
            || a.quote.exact.to_lowercase().contains(&lower)
            || a.note.to_lowercase().contains(&lower)
    }
}

impl App {
    /// Indices into the annotation list shown in the Notes tab: placed ones in document
    /// order, then orphans.
    pub fn notes_items(&self) -> Vec<usize> {
        let list = &self.annotations.list;
        let notes = &self.panel.notes;
        let placed = (0..list.len()).filter(|&i| !list[i].orphan && notes.matches(&list[i]));
        let orphans = (0..list.len()).filter(|&i| list[i].orphan && notes.matches(&list[i]));
        placed.chain(orphans).collect()
    }

    pub(super) fn open_notes_list(&mut self) {
        let on_notes = self.panel.tab == Tab::Notes && self.panel.focused && self.panel_visible();
        if on_notes {
            self.leave_panel();
            return;
        }
        self.show_panel();
        self.panel.tab = Tab::Notes;
        self.panel.focused = true;
        // Start at the highlight nearest the cursor.
        let items = self.notes_items();
        let list = &self.annotations.list;
        self.panel.notes.selected = items
            .iter()
            .position(|&i| !list[i].orphan && list[i].end > self.cursor)
            .unwrap_or(0);
        if items.is_empty() {
            self.message = Some("No highlights yet: select with v or V, then Enter".into());
        }
    }

    fn selected_note(&self) -> Option<&Annotation> {
        let items = self.notes_items();
        items
            .get(self.panel.notes.selected)
            .map(|&i| &self.annotations.list[i])
    }

    pub(super) fn notes_key(&mut self, key: Key) {
        if self.panel.notes.filtering {
            return self.notes_filter_key(key);
        }
        let count = self.notes_items().len();
        let sel = &mut self.panel.notes.selected;
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => *sel = (*sel + 1).min(count.saturating_sub(1)),
            KeyCode::Char('k') | KeyCode::Up => *sel = sel.saturating_sub(1),
            KeyCode::Char('g') | KeyCode::Home => *sel = 0,
            KeyCode::Char('G') | KeyCode::End => *sel = count.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => {
                *sel = (*sel + 5).min(count.saturating_sub(1))
            }
            KeyCode::PageUp => *sel = sel.saturating_sub(5),
            KeyCode::Enter => self.jump_to_selected_note(),
            KeyCode::Char('/') => {
                self.panel.notes.filtering = true;
                self.panel.notes.filter.clear();
                self.panel.notes.selected = 0;
            }
            KeyCode::Char('t' | 'a' | 'c' | 'x') if !key.ctrl => {
                let Some(a) = self.selected_note() else {
                    return;
                };
                let (id, orphan, start) = (a.id.clone(), a.orphan, a.start);
                if !orphan {
                    // The editing keys work on the highlight under the cursor.
                    self.set_cursor(start);
                }
                match key.code {
                    KeyCode::Char('t') => self.open_tags_for(id),
                    KeyCode::Char('a') => self.open_note_for(id),
                    KeyCode::Char('c') => self.cycle_colour(&id),
                    KeyCode::Char('x') => {
                        self.delete(&id);
                        self.clamp_note_selection();
                    }
                    _ => {}
                }
            }
            KeyCode::Char('u') => {
                self.undo();
                self.clamp_note_selection();
            }
            KeyCode::Char('r') if key.ctrl => {
                self.redo();
                self.clamp_note_selection();
            }
            KeyCode::Char('h' | 'l') | KeyCode::Left | KeyCode::Right => {
                self.panel.tab = Tab::Entities
            }
            KeyCode::Tab | KeyCode::Esc | KeyCode::Char('o') => self.leave_panel(),
            KeyCode::Char('p') => self.toggle_panel(),
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Char('c') if key.ctrl => self.quit = true,
            KeyCode::Char('?') | KeyCode::F(1) => self.mode = Mode::Help { scroll: 0 },
            _ => self.message = Some(format!("{key} does nothing in the notes list: ? for help")),
        }
    }

    fn clamp_note_selection(&mut self) {
        let n = self.notes_items().len();
        self.panel.notes.selected = self.panel.notes.selected.min(n.saturating_sub(1));
    }

    fn jump_to_selected_note(&mut self) {
        let Some(a) = self.selected_note() else {
            return;
        };
        if a.orphan {
            self.message = Some(format!(
                "Orphan: 「{}」 is no longer in the article",
                crate::ui::truncate(&a.quote.exact, 30, self.ambiguous())
            ));
            return;
        }
        let start = a.start;
        self.leave_panel();
        self.set_cursor(start);
        self.walk = super::Walk::Highlight;
        self.message = self.highlight_summary();
    }

    /// `n`/`N` after picking a highlight in the Notes tab: the next or previous highlight in
    /// the text, wrapping around.
    pub(super) fn jump_highlight(&mut self, forward: bool, n: usize) {
        let starts: Vec<std::ops::Range<usize>> = self
            .annotations
            .list
            .iter()
            .filter(|a| !a.orphan)
            .map(|a| a.start..a.end)
            .collect();
        if starts.is_empty() {
            self.message = Some("No highlights".into());
            return;
        }
        for _ in 0..n {
            let found = if forward {
                crate::search::next_hit(&starts, self.cursor)
            } else {
                crate::search::prev_hit(&starts, self.cursor)
            };
            if let Some((i, _)) = found {
                self.set_cursor(starts[i].start);
            }
        }
        self.message = self.highlight_summary();
    }

    /// `highlight 3/12  #电商  种草≠交易`
    fn highlight_summary(&self) -> Option<String> {
        let placed: Vec<usize> = self
            .annotations
            .list
            .iter()
            .filter(|a| !a.orphan)
            .map(|a| a.start)
            .collect();
        let i = placed.partition_point(|&s| s < self.cursor);
        let summary = self.annotation_summary().unwrap_or_default();
        Some(format!(
            "highlight {}/{}  {summary}",
            (i + 1).min(placed.len()),
            placed.len()
        ))
    }

    fn notes_filter_key(&mut self, key: Key) {
        let notes = &mut self.panel.notes;
        super::keys::filter_key(&mut notes.filter, &mut notes.filtering, key);
        notes.selected = 0;
    }
}
