//! The outline popup: the headings indented by level, the one the reader is in marked `▸`,
//! the selected one reversed, the filter on the last row while there is one.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};

use super::put_str;
use super::theme::Theme;
use crate::app::App;
use crate::app::outline::Outline;
use crate::layout::{str_width, truncate};

/// Widest the popup gets: headings are short, and a narrow list reads faster.
const MAX_WIDTH: u16 = 72;
/// Marks the heading the reader is in (neutral width, so it lines up in either width mode).
const CURRENT: &str = "▸ ";

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, outline: &Outline) {
    let screen = frame.area();
    // Above the status line, which stays in sight.
    let area = Rect {
        height: screen.height.saturating_sub(1),
        ..screen
    };
    if area.width < 12 || area.height < 3 {
        return;
    }
    let amb = app.ambiguous();
    let doc = app.doc();
    let shown = outline.shown(doc);
    let prompt = u16::from(outline.has_prompt());
    let at = shown.iter().position(|&i| i == outline.selected);
    let title = match at {
        Some(at) => format!(" 目录 Outline {}/{} ", at + 1, shown.len()),
        None => " 目录 Outline ".to_string(),
    };
    // Room for the widest heading: marker, indent, text, a column of padding each side.
    let widest = shown
        .iter()
        .map(|&i| outline.indent(i) + str_width(doc.block_text(outline.entries[i].block), amb))
        .max()
        .unwrap_or(0)
        .max(str_width(&outline.filter, amb) + 1)
        .max(str_width(&title, amb));
    let width = (widest + str_width(CURRENT, amb) + 4).min(usize::from(MAX_WIDTH)) as u16;
    let width = width.max(24).min(area.width);
    let rows = (shown.len().max(1) as u16).saturating_add(prompt + 2);
    let popup = super::centered(area, width, rows.min(area.height));
    let inner = super::popup_frame(frame, popup, &title, theme);
    let inner = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    let list_rows = usize::from(inner.height - prompt);
    let buf = frame.buffer_mut();
    let right = inner.right();
    if shown.is_empty() {
        put_str(
            buf,
            (inner.x, inner.y),
            right,
            "no heading matches",
            theme.meta,
            amb,
        );
    }
    // The selection on screen even if the screen shrank since the list last moved.
    let top = match at {
        Some(at) => outline.top.min(at).max((at + 1).saturating_sub(list_rows)),
        None => 0,
    };
    for (row, &i) in shown.iter().skip(top).take(list_rows).enumerate() {
        let y = inner.y + row as u16;
        let mut style = Style::new();
        if Some(i) == outline.current {
            style = style.add_modifier(Modifier::BOLD);
        }
        if i == outline.selected {
            style = style.add_modifier(Modifier::REVERSED);
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        }
        let marker = if Some(i) == outline.current {
            CURRENT
        } else {
            "  "
        };
        let x = put_str(buf, (inner.x, y), right, marker, style, amb);
        let x = x + outline.indent(i).min(usize::from(right - x)) as u16;
        let room = usize::from(right - x);
        let text = truncate(doc.block_text(outline.entries[i].block), room, amb);
        put_str(buf, (x, y), right, &text, style, amb);
    }
    if prompt > 0 && inner.height > 0 {
        let y = inner.bottom() - 1;
        let shown_filter = format!("/{}", outline.filter);
        let room = usize::from(inner.width).saturating_sub(1);
        let end = put_str(
            buf,
            (inner.x, y),
            right,
            &truncate(&shown_filter, room, amb),
            theme.help_key,
            amb,
        );
        if outline.filtering {
            frame.set_cursor_position(Position::new(end.min(right.saturating_sub(1)), y));
        }
    }
}
