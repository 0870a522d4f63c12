//! The Notes tab of the side panel: the notes on the whole document first, then every
//! highlight in document order, orphans last, with a filter by tag or text. Beside the text
//! each entry is three truncated lines; full width (`O`, or under 70 columns) every quote and
//! note is shown whole, wrapped.

use super::panel::{PanelAreas, Tab};
use super::{Action, App, Context};
use crate::annotations::{Annotation, DocumentNote};
use crate::layout::{WrapOptions, str_width, wrap};

/// Where the Notes tab stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotesList {
    /// Index into [`App::notes_entries`].
    pub selected: usize,
    pub filter: super::LineInput,
    pub filtering: bool,
    /// First row of [`App::notes_full_rows`] shown in the full-width view (kept in
    /// `refresh` so that the selected entry is on screen).
    pub scroll: usize,
    /// The same for the list beside the text: its first row drawn.
    pub side_scroll: usize,
}

/// An entry of the Notes tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotesEntry {
    /// Index into `document_notes`.
    Document(usize),
    /// Index into the annotation list.
    Highlight(usize),
}

/// What a row of the full-width Notes view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteRowKind {
    /// A section title: document notes, highlights, orphans.
    Section,
    Quote,
    Tags,
    Note,
    /// Place and time.
    Meta,
    /// Between entries.
    Blank,
}

/// One row of the full-width Notes view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteRow {
    /// Index into [`App::notes_entries`] of the entry the row belongs to.
    pub entry: Option<usize>,
    pub kind: NoteRowKind,
    /// The entry's first row: the selection mark and the colour swatch go before it.
    pub first: bool,
    /// Drawn from [`NOTE_TEXT_COLUMN`] (a section title from column 0).
    pub text: String,
}

/// Where the text of an entry starts in the full-width view: after the mark, the swatch and
/// a space.
pub const NOTE_TEXT_COLUMN: usize = 3;

/// Rows per entry in the list beside the text.
pub const NOTE_ITEM_ROWS: usize = 3;

/// The Notes tab beside the text, laid out: where each entry and section title goes, in rows
/// of the whole list, and how far the list is scrolled. Drawing and mouse clicks both use it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotesSide {
    /// The first row of each entry of [`App::notes_entries`] ([`NOTE_ITEM_ROWS`] each).
    pub tops: Vec<usize>,
    /// Section titles and their rows.
    pub titles: Vec<(usize, String)>,
    /// The first row shown.
    pub scroll: usize,
}

impl NotesSide {
    /// The entry drawn `y` rows down the list, if any (a section title is none).
    pub fn entry_at(&self, y: usize) -> Option<usize> {
        let row = self.scroll + y;
        let k = self
            .tops
            .partition_point(|&top| top <= row)
            .checked_sub(1)?;
        (row < self.tops[k] + NOTE_ITEM_ROWS).then_some(k)
    }
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

    /// Whether document note `n` passes the filter: it has no tags, so only by its text.
    pub fn matches_document(&self, n: &DocumentNote) -> bool {
        let f = self.filter.trim();
        f.is_empty() || (!f.starts_with('#') && n.text.to_lowercase().contains(&f.to_lowercase()))
    }
}

/// `¶42 · 55%`, or `orphan`, or `whole article`: where an entry is.
fn place(app: &App, entry: NotesEntry) -> String {
    let NotesEntry::Highlight(i) = entry else {
        return "整篇 whole article".into();
    };
    let a = &app.annotations.list[i];
    if a.orphan {
        return "orphan".into();
    }
    let doc = &app.doc;
    let percent = a.start * 100 / doc.text().len().max(1);
    match doc.paragraph_number(a.start) {
        0 => format!("{percent}%"),
        p => format!("¶{p} · {percent}%"),
    }
}

/// `text` wrapped at `width` columns with the project's line breaking, each of its lines on
/// rows of their own (an empty line stays as an empty row).
fn wrap_lines(text: &str, width: usize, amb: crate::layout::AmbiguousWidth) -> Vec<String> {
    let mut options = WrapOptions::new(width.max(2));
    options.ambiguous = amb;
    let mut rows = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        let wrapped = wrap(line, &options);
        if wrapped.is_empty() {
            rows.push(String::new());
        }
        rows.extend(wrapped.iter().map(|r| line[r.start..r.end].to_string()));
    }
    rows
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

    /// Everything the Notes tab lists, in order: the document notes that pass the filter,
    /// then [`Self::notes_items`]. `panel.notes.selected` indexes this.
    pub fn notes_entries(&self) -> Vec<NotesEntry> {
        let notes = &self.panel.notes;
        let documents = self.annotations.document_notes.iter().enumerate();
        documents
            .filter(|(_, n)| notes.matches_document(n))
            .map(|(i, _)| NotesEntry::Document(i))
            .chain(self.notes_items().into_iter().map(NotesEntry::Highlight))
            .collect()
    }

    /// The Notes tab beside the text for a list `height` rows tall: [`NOTE_ITEM_ROWS`] per
    /// entry, a title row before each section (before the highlights only when there are
    /// document notes above them), scrolled just enough to show the selected entry.
    pub fn notes_side(&self, height: usize) -> NotesSide {
        let entries = self.notes_entries();
        if entries.is_empty() {
            return NotesSide::default();
        }
        let list = &self.annotations.list;
        let selected = self.panel.notes.selected.min(entries.len() - 1);
        let is_orphan = |e: &NotesEntry| matches!(e, NotesEntry::Highlight(i) if list[*i].orphan);
        let first_orphan = entries.iter().position(is_orphan);
        let doc_count = entries
            .iter()
            .filter(|e| matches!(e, NotesEntry::Document(_)))
            .count();
        let mut side = NotesSide::default();
        let mut row = 0;
        for k in 0..entries.len() {
            if k == 0 && doc_count > 0 {
                let title = format!("整篇笔记 Document notes ({doc_count})");
                side.titles.push((row, title));
                row += 1;
            }
            if k == doc_count && doc_count > 0 && first_orphan != Some(k) {
                let placed = first_orphan.unwrap_or(entries.len()) - doc_count;
                side.titles
                    .push((row, format!("批注 Highlights ({placed})")));
                row += 1;
            }
            if Some(k) == first_orphan {
                let n = entries.len() - k;
                let title = format!("孤立 Orphans ({n}): text no longer found");
                side.titles.push((row, title));
                row += 1;
            }
            side.tops.push(row);
            row += NOTE_ITEM_ROWS;
        }
        // From where it was, just far enough to show the selected entry (and the section
        // title right above it), never past the end.
        let mut top = side.tops[selected];
        if side.titles.iter().any(|&(r, _)| r + 1 == top) {
            top -= 1;
        }
        let bottom = side.tops[selected] + NOTE_ITEM_ROWS;
        let mut scroll = self.panel.notes.side_scroll.min(row.saturating_sub(height));
        if bottom > scroll + height {
            scroll = bottom.saturating_sub(height);
        }
        if top < scroll {
            scroll = top;
        }
        side.scroll = scroll;
        side
    }

    /// The first row of the full-width view shown, of `rows` rows in all.
    pub fn notes_full_scroll(&self, rows: usize) -> usize {
        self.panel.notes.scroll.min(rows.saturating_sub(1))
    }

    /// The entry drawn `y` rows down the full-width view of a list `width` columns wide.
    pub fn notes_full_entry_at(&self, width: usize, y: usize) -> Option<usize> {
        let rows = self.notes_full_rows(width);
        let row = rows.get(self.notes_full_scroll(rows.len()) + y)?;
        // The blank row after an entry belongs to none.
        row.entry.filter(|_| row.kind != NoteRowKind::Blank)
    }

    /// The full-width Notes view for a list `width` columns wide (wrapped at most at the
    /// reading column's width): section titles, then per entry its whole quote, its tags, its
    /// whole note and its place and time, and a blank row.
    pub fn notes_full_rows(&self, width: usize) -> Vec<NoteRow> {
        let amb = self.ambiguous();
        let width = width
            .min(usize::from(self.config.max_width) + NOTE_TEXT_COLUMN)
            .saturating_sub(NOTE_TEXT_COLUMN)
            .max(4);
        let entries = self.notes_entries();
        let list = &self.annotations.list;
        let documents = entries
            .iter()
            .filter(|e| matches!(e, NotesEntry::Document(_)))
            .count();
        let first_orphan = entries
            .iter()
            .position(|e| matches!(e, NotesEntry::Highlight(i) if list[*i].orphan));
        let mut rows = Vec::new();
        let section = |rows: &mut Vec<NoteRow>, text: String| {
            rows.push(NoteRow {
                entry: None,
                kind: NoteRowKind::Section,
                first: false,
                text,
            })
        };
        let now = self.now_millis();
        for (k, &entry) in entries.iter().enumerate() {
            if k == 0 && documents > 0 {
                section(&mut rows, format!("整篇笔记 Document notes ({documents})"));
            }
            if k == documents && documents > 0 && first_orphan != Some(k) {
                let placed = first_orphan.unwrap_or(entries.len()) - documents;
                section(&mut rows, format!("批注 Highlights ({placed})"));
            }
            if first_orphan == Some(k) {
                let n = entries.len() - k;
                section(
                    &mut rows,
                    format!("孤立 Orphans ({n}): text no longer found"),
                );
            }
            let start = rows.len();
            let mut push = |kind: NoteRowKind, text: String| {
                rows.push(NoteRow {
                    entry: Some(k),
                    kind,
                    first: false,
                    text,
                })
            };
            let (note, modified) = match entry {
                NotesEntry::Document(d) => {
                    let n = &self.annotations.document_notes[d];
                    (n.text.as_str(), n.modified.as_str())
                }
                NotesEntry::Highlight(i) => {
                    let a = &list[i];
                    for line in wrap_lines(&a.quote.exact, width, amb) {
                        push(NoteRowKind::Quote, line);
                    }
                    if !a.tags.is_empty() {
                        let tags: Vec<String> = a.tags.iter().map(|t| format!("#{t}")).collect();
                        for line in wrap_lines(&tags.join(" "), width, amb) {
                            push(NoteRowKind::Tags, line);
                        }
                    }
                    (a.note.as_str(), a.modified.as_str())
                }
            };
            let pen = "✎ ";
            let pen_width = str_width(pen, amb);
            for (j, line) in wrap_lines(note.trim_end(), width - pen_width, amb)
                .into_iter()
                .enumerate()
            {
                let lead = if j == 0 { pen } else { "  " };
                push(NoteRowKind::Note, format!("{lead}{line}"));
            }
            let meta = format!(
                "{}  {}",
                place(self, entry),
                crate::clock::ago(modified, now)
            );
            push(NoteRowKind::Meta, meta);
            rows[start].first = true;
            rows.push(NoteRow {
                entry: Some(k),
                kind: NoteRowKind::Blank,
                first: false,
                text: String::new(),
            });
        }
        rows
    }

    /// Rows of the full-width Notes view's list, and its width: the panel's inner area less
    /// its title row (as `ui::panel` draws it).
    fn notes_full_area(&self) -> (usize, usize) {
        let (w, h) = self.size;
        (
            usize::from(w.saturating_sub(1)),
            usize::from(h.saturating_sub(2)),
        )
    }

    /// Keeps the selected entry of the full-width Notes view on screen, scrolling as little
    /// as needed (to its top when it is taller than the screen).
    pub(super) fn scroll_notes(&mut self) {
        if self.panel.tab != Tab::Notes {
            return;
        }
        if !self.panel_full() {
            let g = self.geometry();
            let height = PanelAreas::new(g.panel, false).list.height;
            if height > 0 {
                self.panel.notes.side_scroll = self.notes_side(usize::from(height)).scroll;
            }
            return;
        }
        let (width, height) = self.notes_full_area();
        let rows = self.notes_full_rows(width);
        let selected = self.panel.notes.selected;
        let mut top = rows.iter().position(|r| r.entry == Some(selected));
        // The section title just above the first entry of a section comes with it.
        if let Some(t) = top
            && t > 0
            && rows[t - 1].kind == NoteRowKind::Section
        {
            top = Some(t - 1);
        }
        let bottom = rows
            .iter()
            .rposition(|r| r.entry == Some(selected) && r.kind != NoteRowKind::Blank)
            .map(|b| b + 1);
        let scroll = &mut self.panel.notes.scroll;
        *scroll = (*scroll).min(rows.len().saturating_sub(height));
        if let (Some(top), Some(bottom)) = (top, bottom) {
            if bottom - top > height {
                // Taller than the screen: anywhere from its top to its end (j/k scroll it).
                *scroll = (*scroll).clamp(top, bottom - height);
                return;
            }
            if bottom > *scroll + height {
                *scroll = bottom - height;
            }
            if top < *scroll {
                *scroll = top;
            }
        }
    }

    /// Selects `entry` in the Notes tab, if it is listed.
    pub(super) fn select_note_entry(&mut self, entry: NotesEntry) {
        if let Some(k) = self.notes_entries().iter().position(|e| *e == entry) {
            self.panel.notes.selected = k;
        }
    }

    /// `O`: the Notes tab full width, in place of the text, at any size; again, the side
    /// panel (or the text, where there is no room for the side panel).
    pub(super) fn open_notes_full(&mut self) {
        let on_notes = self.panel.tab == Tab::Notes && self.panel.focused && self.panel_visible();
        if on_notes && self.panel_full() {
            if super::Panel::fits(self.size.0) && self.panel.is_beside(self.size.0) {
                self.panel.full = false;
                self.panel.wide = false;
            } else {
                self.leave_panel();
            }
            return;
        }
        self.panel.full = true;
        self.panel.wide = true;
        self.panel.focused = true;
        self.panel.tab = Tab::Notes;
        self.panel.notes.scroll = 0;
        if !on_notes {
            self.select_nearest_note();
        }
    }

    /// Starts the list at the highlight nearest the cursor.
    fn select_nearest_note(&mut self) {
        let entries = self.notes_entries();
        let list = &self.annotations.list;
        self.panel.notes.selected = entries
            .iter()
            .position(|e| matches!(*e, NotesEntry::Highlight(i) if !list[i].orphan && list[i].end > self.cursor))
            .unwrap_or(0);
        if entries.is_empty() {
            let key = |c, a| self.keymap.first_key(c, a).unwrap_or_default();
            self.message = Some(format!(
                "No highlights yet: select with {}, then {} ({} notes the whole article)",
                key(Context::Reader, Action::Select),
                key(Context::Visual, Action::Highlight),
                key(Context::Reader, Action::DocumentNote),
            ));
        }
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
        self.select_nearest_note();
    }

    fn selected_entry(&self) -> Option<NotesEntry> {
        self.notes_entries().get(self.panel.notes.selected).copied()
    }

    fn selected_note(&self) -> Option<&Annotation> {
        match self.selected_entry()? {
            NotesEntry::Highlight(i) => Some(&self.annotations.list[i]),
            NotesEntry::Document(_) => None,
        }
    }

    /// The selected document note's id.
    fn selected_document_note(&self) -> Option<String> {
        match self.selected_entry()? {
            NotesEntry::Document(d) => Some(self.annotations.document_notes[d].id.clone()),
            NotesEntry::Highlight(_) => None,
        }
    }

    /// `t a c x` on a document note: only editing and deleting mean something.
    fn document_note_action(&mut self, action: Action, id: String) {
        match action {
            Action::EditNote => self.open_document_note(Some(&id)),
            Action::DeleteHighlight => {
                self.delete_document_note(&id);
                self.clamp_note_selection();
            }
            _ => {
                self.message =
                    Some("A document note has no tags or colour (a edits it, x deletes it)".into())
            }
        }
    }

    /// In the full-width view, `j`/`k` on an entry taller than the screen scroll through it
    /// before moving on, so all of a long note can be read. Whether the key was used so.
    fn scroll_within_entry(&mut self, down: bool) -> bool {
        if !(self.panel_full() && self.panel.tab == Tab::Notes) {
            return false;
        }
        let (width, height) = self.notes_full_area();
        let rows = self.notes_full_rows(width);
        let selected = self.panel.notes.selected;
        let Some(top) = rows.iter().position(|r| r.entry == Some(selected)) else {
            return false;
        };
        let bottom = rows
            .iter()
            .rposition(|r| r.entry == Some(selected) && r.kind != NoteRowKind::Blank)
            .map_or(top, |b| b + 1);
        let scroll = &mut self.panel.notes.scroll;
        if down && bottom > *scroll + height {
            *scroll += 1;
            true
        } else if !down && top < *scroll {
            *scroll -= 1;
            true
        } else {
            false
        }
    }

    /// Actions in the Notes tab.
    pub(super) fn notes_action(&mut self, action: Action) {
        let along = match action {
            Action::Down => Some(true),
            Action::Up => Some(false),
            _ => None,
        };
        if along.is_some_and(|down| self.scroll_within_entry(down)) {
            return;
        }
        let count = self.notes_entries().len();
        if Self::list_step(&mut self.panel.notes.selected, count, action, 5) {
            return;
        }
        match action {
            Action::Accept => self.jump_to_selected_note(),
            Action::Search => self.start_filter(),
            Action::EditTags
            | Action::EditNote
            | Action::ChangeColour
            | Action::DeleteHighlight => {
                if let Some(id) = self.selected_document_note() {
                    return self.document_note_action(action, id);
                }
                let Some(a) = self.selected_note() else {
                    return;
                };
                let (id, orphan, start) = (a.id.clone(), a.orphan, a.start);
                if !orphan {
                    // The editing keys work on the highlight under the cursor.
                    self.set_cursor(start);
                }
                match action {
                    Action::EditTags => self.open_tags_for(id),
                    Action::EditNote => self.open_note_for(id),
                    Action::ChangeColour => self.cycle_colour(&id),
                    _ => {
                        self.delete(&id);
                        self.clamp_note_selection();
                    }
                }
            }
            Action::Undo => {
                self.undo();
                self.clamp_note_selection();
            }
            Action::Redo => {
                self.redo();
                self.clamp_note_selection();
            }
            Action::SwitchTab => self.panel.tab = Tab::Entities,
            Action::DocumentNote => self.open_document_note(None),
            Action::NotesFull => self.open_notes_full(),
            // A kept filter goes first: the full list again.
            Action::Cancel if !self.panel.notes.filter.is_empty() => {
                self.panel.notes.filter.clear();
                self.panel.notes.selected = 0;
            }
            Action::Cancel | Action::FocusPanel | Action::NotesList => self.leave_panel(),
            Action::TogglePanel => self.toggle_panel(),
            Action::Help => self.open_help(),
            Action::Quit => self.quit = true,
            _ => {}
        }
    }

    fn clamp_note_selection(&mut self) {
        let n = self.notes_entries().len();
        self.panel.notes.selected = self.panel.notes.selected.min(n.saturating_sub(1));
    }

    pub(super) fn jump_to_selected_note(&mut self) {
        if self.selected_document_note().is_some() {
            self.message =
                Some("A document note has no place in the text: a edits it, x deletes it".into());
            return;
        }
        let Some(a) = self.selected_note() else {
            return;
        };
        if a.orphan {
            self.message = Some(format!(
                "Orphan: 「{}」 is no longer in the article",
                crate::layout::truncate(&a.quote.exact, 30, self.ambiguous())
            ));
            return;
        }
        let start = a.start;
        self.leave_panel();
        self.remember_jump();
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
        self.remember_jump();
        if let Some((to, _)) = super::list_nav::walk(&starts, self.cursor, forward, n) {
            self.set_cursor(to);
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
}
