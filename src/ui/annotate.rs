//! Popups for annotating: tag completions above the status line and the note editor.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};

use super::put_str;
use super::theme::Theme;
use crate::app::annotate::note_popup_width;
use crate::app::{Action, App, Context, NoteEdit, TagPrompt};
use crate::layout::str_width;

/// At most this many completions are listed.
const MAX_COMPLETIONS: usize = 8;

pub fn tag_completions(frame: &mut Frame, app: &App, theme: &Theme, prompt: &TagPrompt) {
    let area = frame.area();
    let options = prompt.completions(&app.annotations().known_tags);
    if options.is_empty() || area.height < 4 || area.width < 8 {
        return;
    }
    let amb = app.ambiguous();
    let shown = options
        .len()
        .min(MAX_COMPLETIONS)
        .min(usize::from(area.height - 3));
    let start = prompt.selected.saturating_sub(shown - 1);
    let widest = options.iter().map(|t| str_width(t, amb)).max().unwrap_or(0);
    let width = (widest as u16 + 4).max(12).min(area.width);
    let height = shown as u16 + 2;
    let popup = Rect::new(area.x, area.bottom() - 1 - height, width, height);
    super::popup_frame(frame, popup, " tags ", theme);
    let buf = frame.buffer_mut();
    for (row, (i, tag)) in options
        .iter()
        .enumerate()
        .skip(start)
        .take(shown)
        .enumerate()
    {
        let y = popup.y + 1 + row as u16;
        let selected = i == prompt.selected.min(options.len() - 1);
        let (mark, style) = if selected {
            (">", Style::new().add_modifier(Modifier::REVERSED))
        } else {
            (" ", Style::new())
        };
        let x = put_str(buf, (popup.x + 1, y), popup.right() - 1, mark, style, amb);
        put_str(buf, (x, y), popup.right() - 1, tag, style, amb);
    }
}

pub fn note_editor(frame: &mut Frame, app: &App, theme: &Theme, edit: &NoteEdit) {
    let area = frame.area();
    if area.width < 12 || area.height < 6 {
        return;
    }
    let amb = app.ambiguous();
    let width = note_popup_width(area.width);
    let inner_width = usize::from(width - 2);
    let height = (area.height - 2).clamp(6, 16);
    let key = |a: Action| app.keymap().first_key(Context::Note, a).unwrap_or_default();
    let (save, cancel) = (key(Action::Save), key(Action::Cancel));
    let long = format!(" 批注 note · {save} saves · {cancel} cancels ");
    let title = if str_width(&long, amb) <= inner_width {
        long
    } else {
        format!(" note · {save} · {cancel} ")
    };
    let inner = super::popup_frame(frame, super::centered(area, width, height), &title, theme);
    let buf = frame.buffer_mut();
    // The passage being annotated, one line, dimmed.
    let quote = if edit.is_document() {
        "整篇笔记: a note on the whole article".to_string()
    } else {
        let quote = app
            .annotations()
            .get(&edit.id)
            .map(|a| a.quote.exact.replace('\n', " "))
            .unwrap_or_default();
        format!("「{quote}」")
    };
    let quote = crate::layout::truncate(&quote, inner_width, amb);
    put_str(
        buf,
        (inner.x, inner.y),
        inner.right(),
        &quote,
        theme.meta,
        amb,
    );
    let text_area = Rect::new(
        inner.x,
        inner.y + 1,
        inner.width,
        inner.height.saturating_sub(2),
    );
    let editor = &edit.editor;
    let rows = editor.rows(inner_width, amb);
    let (cursor_row, cursor_col) = editor.cursor_cell(inner_width, amb);
    let h = usize::from(text_area.height).max(1);
    let scroll = cursor_row.saturating_sub(h - 1);
    for (i, row) in rows.iter().enumerate().skip(scroll).take(h) {
        let y = text_area.y + (i - scroll) as u16;
        put_str(
            buf,
            (text_area.x, y),
            text_area.right(),
            &editor.text()[row.start..row.end],
            Style::new(),
            amb,
        );
    }
    let footer_y = inner.bottom() - 1;
    let footer = if edit.confirm_discard {
        format!(
            "Discard your changes? {}, any other key goes back",
            app.hints(Context::Discard, &[(Action::Confirm, "discards")])
        )
    } else if editor.text().is_empty() {
        "Type the note; Enter starts a new line".to_string()
    } else {
        String::new()
    };
    let style = if edit.confirm_discard {
        theme.current_hit
    } else {
        theme.meta
    };
    put_str(buf, (inner.x, footer_y), inner.right(), &footer, style, amb);
    if !edit.confirm_discard {
        let x = text_area.x + (cursor_col as u16).min(text_area.width.saturating_sub(1));
        let y = text_area.y + (cursor_row - scroll) as u16;
        frame.set_cursor_position(Position::new(x, y));
    }
}
