//! The export dialog popup.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};

use super::put_str;
use super::theme::Theme;
use crate::app::export_dialog::{ExportDialog, FORMATS};
use crate::app::{Action, App, Context};
use crate::layout::truncate;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, dialog: &ExportDialog) {
    let area = frame.area();
    if area.width < 20 || area.height < 8 {
        return;
    }
    let amb = app.ambiguous();
    let width = area.width.saturating_sub(4).clamp(20, 72);
    let height = 8;
    let framed = super::popup_frame(
        frame,
        super::centered(area, width, height),
        " 导出 Export ",
        theme,
    );
    // One column of padding either side.
    let inner = Rect::new(framed.x + 1, framed.y, framed.width - 2, framed.height);
    let right = inner.right();
    let buf = frame.buffer_mut();
    // Formats, the chosen one marked (also as text, for NO_COLOR).
    // Narrow screens drop the label so every format stays visible.
    let label = if inner.width >= 40 { "format: " } else { "" };
    let mut x = put_str(buf, (inner.x, inner.y), right, label, theme.meta, amb);
    for format in FORMATS {
        let chosen = format == dialog.format;
        let label = if chosen {
            format!("[{}]", format.as_str())
        } else {
            format!(" {} ", format.as_str())
        };
        let style = if chosen {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        x = put_str(buf, (x, inner.y), right, &label, style, amb);
        x = put_str(buf, (x, inner.y), right, " ", Style::new(), amb);
    }
    put_str(buf, (inner.x, inner.y + 2), right, "file:", theme.meta, amb);
    let (path, cursor) = dialog.path.view(usize::from(inner.width), amb);
    put_str(buf, (inner.x, inner.y + 3), right, path, Style::new(), amb);
    let (footer, style) = if dialog.confirm_overwrite {
        (
            format!(
                "File exists: {}, any other key goes back",
                app.hints(Context::Overwrite, &[(Action::Confirm, "overwrites")])
            ),
            theme.current_hit,
        )
    } else if let Some(e) = &dialog.error {
        (e.clone(), theme.current_hit)
    } else {
        (
            app.hints(
                Context::Export,
                &[
                    (Action::NextOption, "format"),
                    (Action::Accept, "exports"),
                    (Action::Cancel, "cancels"),
                ],
            ),
            theme.meta,
        )
    };
    put_str(
        buf,
        (inner.x, inner.y + 5),
        right,
        &truncate(&footer, usize::from(inner.width), amb),
        style,
        amb,
    );
    if !dialog.confirm_overwrite {
        let x = inner.x + (cursor as u16).min(inner.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, inner.y + 3));
    }
}
