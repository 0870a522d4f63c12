//! The Notes tab. Beside the text: each entry as three lines (colour and quote, tags and
//! note, place and time), the document notes in their own section first and the orphans in
//! theirs at the end. Full width: every entry whole, wrapped ([`App::notes_full_rows`]).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::put_str;
use super::theme::Theme;
use crate::app::{Action, App, Context, NOTE_TEXT_COLUMN, NoteRowKind, NotesEntry, NotesSide};
use crate::layout::truncate;

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let amb = app.ambiguous();
    let right = area.right();
    let entries = app.notes_entries();
    let list = &app.annotations().list;
    let documents = &app.annotations().document_notes;
    let panel = app.panel();
    if entries.is_empty() {
        let msg = if list.is_empty() && documents.is_empty() {
            let select = app.keymap().first_key(Context::Reader, Action::Select);
            let highlight = app.keymap().first_key(Context::Visual, Action::Highlight);
            format!(
                "no highlights yet: {} selects, {} highlights",
                select.unwrap_or_default(),
                highlight.unwrap_or_default()
            )
        } else {
            "nothing matches".to_string()
        };
        let width = usize::from(area.width);
        for (i, line) in wrap_words(&msg, width)
            .iter()
            .enumerate()
            .take(usize::from(area.height))
        {
            put_str(
                buf,
                (area.x, area.y + i as u16),
                right,
                line,
                theme.meta,
                amb,
            );
        }
        return;
    }
    if app.panel_full() {
        return draw_full(app, theme, area, buf);
    }
    let width = usize::from(area.width);
    let selected = panel.notes.selected.min(entries.len() - 1);
    // The same layout the mouse is matched against.
    let NotesSide {
        tops,
        titles,
        scroll,
    } = app.notes_side(usize::from(area.height));
    let view = View { area, scroll, amb };
    let doc = app.doc();
    for (row, title) in &titles {
        view.put(buf, *row, &truncate(title, width, amb), theme.help_group);
    }
    for (k, entry) in entries.iter().enumerate() {
        let top = tops[k];
        let is_selected = k == selected;
        let mark = if is_selected && panel.focused {
            ">"
        } else {
            " "
        };
        let i = match *entry {
            NotesEntry::Highlight(i) => i,
            NotesEntry::Document(d) => {
                let n = &documents[d];
                let style = selected_style(is_selected, panel.focused);
                let mut lines = n.text.lines().map(str::trim).filter(|l| !l.is_empty());
                let first = lines.next().unwrap_or_default();
                let rest: Vec<&str> = lines.collect();
                let x = view.put(buf, top, mark, Style::new());
                if view.visible(top) {
                    let y = area.y + (top - scroll) as u16;
                    let first = truncate(&format!("✎ {first}"), width.saturating_sub(2), amb);
                    put_str(buf, (x + 1, y), right, &first, style, amb);
                }
                let second = truncate(&format!("  {}", rest.join(" ")), width, amb);
                view.put(buf, top + 1, &second, Style::new());
                let third = format!(
                    "  整篇 whole article  {}",
                    crate::clock::ago(&n.modified, app.now_millis())
                );
                view.put(buf, top + 2, &truncate(&third, width, amb), theme.meta);
                continue;
            }
        };
        let a = &list[i];
        let swatch_style = if a.orphan {
            theme.meta
        } else {
            theme.swatches[a.colour.digit() as usize - 1]
        };
        let x = view.put(buf, top, mark, Style::new());
        let swatch = if theme.swatches[0] == Style::new() {
            a.colour.digit().to_string()
        } else {
            "█".to_string()
        };
        let quote = a.quote.exact.replace(['\n', '\r'], " ");
        let quote = truncate(&quote, width.saturating_sub(3), amb);
        let quote_style = selected_style(is_selected, panel.focused);
        if view.visible(top) {
            let y = area.y + (top - scroll) as u16;
            let x = put_str(buf, (x, y), right, &swatch, swatch_style, amb);
            put_str(buf, (x + 1, y), right, &quote, quote_style, amb);
        }
        let mut second: Vec<String> = a.tags.iter().map(|t| format!("#{t}")).collect();
        if let Some(line) = a.note_line() {
            second.push(format!("✎ {line}"));
        }
        let second = truncate(&format!("  {}", second.join(" ")), width, amb);
        view.put(buf, top + 1, &second, Style::new());
        let place = if a.orphan {
            "  orphan".to_string()
        } else {
            let percent = a.start * 100 / doc.text().len().max(1);
            match doc.paragraph_number(a.start) {
                0 => format!("  {percent}%"),
                p => format!("  ¶{p} · {percent}%"),
            }
        };
        let third = format!(
            "{place}  {}",
            crate::clock::ago(&a.modified, app.now_millis())
        );
        view.put(buf, top + 2, &truncate(&third, width, amb), theme.meta);
    }
}

/// The selected entry's quote (or document note): reversed when the list has the keys,
/// underlined when not.
fn selected_style(selected: bool, focused: bool) -> Style {
    match (selected, focused) {
        (false, _) => Style::new(),
        (true, true) => Style::new().add_modifier(Modifier::REVERSED),
        (true, false) => Style::new().add_modifier(Modifier::UNDERLINED),
    }
}

/// The full-width view: every entry whole, scrolled to keep the selected one on screen.
fn draw_full(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let amb = app.ambiguous();
    let panel = app.panel();
    let entries = app.notes_entries();
    let selected = panel.notes.selected.min(entries.len().saturating_sub(1));
    let rows = app.notes_full_rows(usize::from(area.width));
    let scroll = app.notes_full_scroll(rows.len());
    let list = &app.annotations().list;
    let right = area.right();
    let text_x = area.x + NOTE_TEXT_COLUMN as u16;
    for (n, row) in rows
        .iter()
        .skip(scroll)
        .take(usize::from(area.height))
        .enumerate()
    {
        let y = area.y + n as u16;
        if row.kind == NoteRowKind::Section {
            let title = truncate(&row.text, usize::from(area.width), amb);
            put_str(buf, (area.x, y), right, &title, theme.help_group, amb);
            continue;
        }
        let is_selected = row.entry == Some(selected);
        let entry = row.entry.and_then(|k| entries.get(k).copied());
        if row.first {
            let mark = if is_selected && panel.focused {
                ">"
            } else {
                " "
            };
            put_str(buf, (area.x, y), right, mark, Style::new(), amb);
            if let Some(NotesEntry::Highlight(i)) = entry {
                let a = &list[i];
                let (swatch, style) = if a.orphan {
                    ("·".to_string(), theme.meta)
                } else if theme.swatches[0] == Style::new() {
                    (a.colour.digit().to_string(), Style::new())
                } else {
                    (
                        "█".to_string(),
                        theme.swatches[a.colour.digit() as usize - 1],
                    )
                };
                put_str(buf, (area.x + 1, y), right, &swatch, style, amb);
            }
        }
        // The quote of the selected highlight, or the text of the selected document note.
        let lit = matches!(
            (row.kind, entry),
            (NoteRowKind::Quote, _) | (NoteRowKind::Note, Some(NotesEntry::Document(_)))
        );
        let style = match row.kind {
            NoteRowKind::Meta => theme.meta,
            _ if lit => selected_style(is_selected, panel.focused),
            _ => Style::new(),
        };
        put_str(buf, (text_x, y), right, &row.text, style, amb);
    }
}

/// The list area scrolled by `scroll` rows.
struct View {
    area: Rect,
    scroll: usize,
    amb: crate::layout::AmbiguousWidth,
}

impl View {
    fn visible(&self, row: usize) -> bool {
        row >= self.scroll && row - self.scroll < usize::from(self.area.height)
    }

    /// Draws `text` on list row `row` if it is in view; returns the column after it.
    fn put(&self, buf: &mut Buffer, row: usize, text: &str, style: Style) -> u16 {
        if !self.visible(row) {
            return self.area.x;
        }
        let y = self.area.y + (row - self.scroll) as u16;
        put_str(
            buf,
            (self.area.x, y),
            self.area.right(),
            text,
            style,
            self.amb,
        )
    }
}

/// Splits a short ASCII message into lines of at most `width` columns at spaces.
fn wrap_words(msg: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in msg.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}
