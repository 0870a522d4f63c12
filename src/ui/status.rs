//! The status line: title or message on the left, position on the right; the search prompt
//! while searching. Drawn grapheme by grapheme so titles with “ ” line up in either width mode.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};

use super::theme::Theme;
use super::{put_str, truncate};
use crate::app::{Action, App, Mode};
use crate::layout::{AmbiguousWidth, str_width};

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = usize::from(area.width);
    let ambiguous = app.ambiguous();
    let (left, right, style) = match app.mode() {
        _ if app.unsaved_at_quit().is_some() => {
            let error = app.unsaved_at_quit().unwrap_or_default();
            let (left, right) = unsaved_prompt(error, width, ambiguous);
            (left, right, theme.prompt)
        }
        Mode::Search(prompt) => {
            let right = if prompt.input.is_empty() {
                String::new()
            } else if app.search().hits.is_empty() {
                "no match ".to_string()
            } else {
                format!(
                    "{} ",
                    crate::wording::counted(app.search().hits.len(), "hit")
                )
            };
            let room = width.saturating_sub(str_width(&right, ambiguous) + 2);
            let left = format!("/{}", tail(&prompt.input, room, ambiguous));
            (left, right, theme.prompt)
        }
        Mode::Tags(prompt) => {
            let right = "Tab completes  Enter saves  Esc cancels ".to_string();
            let right = if str_width(&right, ambiguous) + 20 <= width {
                right
            } else {
                String::new()
            };
            let room = width.saturating_sub(str_width(&right, ambiguous) + 8);
            let left = format!("tags: {}", tail(&prompt.input, room, ambiguous));
            (left, right, theme.prompt)
        }
        _ => {
            let help_key = app
                .keymap()
                .keys_for(Action::Help)
                .next()
                .map(|k| format!("  {k} help"))
                .unwrap_or_default();
            let doc = app.doc();
            let progress = match &app.panel().extraction {
                crate::app::Extraction::Running(f) => format!("entities {:.0}%  ", f * 100.0),
                _ => String::new(),
            };
            let place = format!(
                "段 {}/{}  {}%",
                doc.paragraph_number(app.cursor()),
                doc.paragraph_count(),
                app.percent()
            );
            let selecting = app.selection().map(|r| {
                let chars = app.doc().text()[r].chars().count();
                format!("-- SELECT {chars} 字 --  Enter/1–5 highlight · t tags · a note · Esc")
            });
            // Named here too, for screens too small to show the popup.
            let popup = match app.mode() {
                Mode::Note(_) => Some("editing a note: Ctrl-s saves, Esc cancels".to_string()),
                Mode::Export(_) => {
                    Some("export: Tab format, Enter writes, Esc cancels".to_string())
                }
                Mode::Outline(_) if app.message().is_none() => {
                    Some("outline: Enter goes there, / filters, Esc closes".to_string())
                }
                _ => None,
            };
            // The full-width panel hides the text: say how to get back to it.
            let hint = full_panel_hint(app);
            let told = popup.is_none()
                && selecting.is_none()
                && (app.message().is_some() || hint.is_some());
            let message = popup
                .or(selecting)
                .or_else(|| app.message().map(str::to_string))
                .or(hint)
                // The target of the link under the cursor, as a browser's status bar shows it.
                .or_else(|| doc.link_at(app.cursor()).map(|url| format!("→ {url}")))
                .or_else(|| app.annotation_summary())
                .unwrap_or_else(|| doc.title().unwrap_or(app.name()).to_string());
            let need = if told {
                str_width(&message, ambiguous) + 2
            } else {
                8
            };
            // Where the keys go, while it is not the text.
            let focus = focus_name(app).map_or(String::new(), |n| format!("{n}  "));
            // The longest that leaves room for some title, or for all of a message (an error,
            // why a key did nothing): progress goes first, then help, then the place.
            let panel_key = app
                .keymap()
                .keys_for(Action::TogglePanel)
                .next()
                // Only where it leaves the title some room.
                .filter(|_| width >= 60 && app.panel().hint(app.size().0))
                .map(|k| format!("  {k} panel"))
                .unwrap_or_default();
            let right = [
                format!("{focus}{progress}{place}{panel_key}{help_key} "),
                format!("{focus}{place}{help_key} "),
                format!("{focus}{place} "),
                format!("{focus}{}% ", app.percent()),
                format!("{}% ", app.percent()),
            ]
            .into_iter()
            .find(|r| str_width(r, ambiguous) + need <= width)
            .unwrap_or_else(|| format!("{}% ", app.percent()));
            let room = width.saturating_sub(str_width(&right, ambiguous) + 2);
            (
                format!(" {}", truncate(&message, room, ambiguous)),
                right,
                theme.status,
            )
        }
    };
    let buf = frame.buffer_mut();
    buf.set_style(area, style);
    for x in area.left()..area.right() {
        buf[(x, area.y)].set_symbol(" ");
    }
    let end = put_str(buf, (area.x, area.y), area.right(), &left, style, ambiguous);
    let right_width = str_width(&right, ambiguous);
    if usize::from(end - area.x) + right_width <= width {
        let x = area.right() - right_width as u16;
        put_str(buf, (x, area.y), area.right(), &right, style, ambiguous);
    }
    if matches!(app.mode(), Mode::Search(_) | Mode::Tags(_)) {
        frame.set_cursor_position(Position::new(end.min(area.right() - 1), area.y));
    }
}

/// `entities` or `notes` while the panel has the keys.
fn focus_name(app: &App) -> Option<&'static str> {
    let panel = app.panel();
    let focused = panel.focused && app.panel().is_visible(app.size().0);
    (focused && matches!(app.mode(), Mode::Normal)).then_some(match panel.tab {
        crate::app::Tab::Entities => "entities",
        crate::app::Tab::Notes => "notes",
    })
}

/// The keys back to the text while the panel is full width and not typing (where Esc
/// clears the filter or cancels the prompt instead).
fn full_panel_hint(app: &App) -> Option<String> {
    let panel = app.panel();
    let typing = panel.filtering || panel.prompt.is_some() || panel.notes.filtering;
    (app.panel_full() && matches!(app.mode(), Mode::Normal) && !typing)
        .then(|| "Enter: go to it · Esc: back".to_string())
}

/// The question after a failed save at quit. The answers are kept whole on the right; the
/// error gives way first.
fn unsaved_prompt(error: &str, width: usize, ambiguous: AmbiguousWidth) -> (String, String) {
    let right = [
        "r retry · q quit anyway · Esc back ",
        "r retry · q quit anyway ",
        "r retry · q quit ",
    ]
    .into_iter()
    .find(|r| str_width(r, ambiguous) + 16 <= width)
    .unwrap_or("r · q ");
    let room = width.saturating_sub(str_width(right, ambiguous) + 2);
    let left = format!(" Not saved: {error}.");
    (truncate(&left, room, ambiguous), right.to_string())
}

/// The end of `s` that fits in `width` columns (the part being typed).
fn tail(s: &str, width: usize, ambiguous: AmbiguousWidth) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = str_width(c.encode_utf8(&mut [0; 4]), ambiguous);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.into_iter().rev().collect()
}
