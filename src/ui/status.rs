//! The status line: title or message on the left, position on the right; the search prompt
//! while searching.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::truncate;
use crate::app::{Action, App, Mode};
use crate::layout::str_width;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = usize::from(area.width);
    let ambiguous = app.ambiguous();
    match app.mode() {
        Mode::Search(prompt) => {
            let right = if prompt.input.is_empty() {
                String::new()
            } else if app.search().hits.is_empty() {
                "no match ".to_string()
            } else {
                format!("{} hits ", app.search().hits.len())
            };
            let room = width.saturating_sub(str_width(&right, ambiguous) + 2);
            let input = tail(&prompt.input, room, ambiguous);
            let left = format!("/{input}");
            let line = Line::from(vec![
                Span::raw(left.clone()),
                Span::raw(pad(
                    width,
                    str_width(&left, ambiguous) + str_width(&right, ambiguous),
                )),
                Span::raw(right),
            ]);
            frame.render_widget(Paragraph::new(line).style(theme.prompt), area);
            let x = area.x + str_width(&left, ambiguous).min(width - 1) as u16;
            frame.set_cursor_position(Position::new(x, area.y));
        }
        _ => {
            let help_key = app
                .keymap()
                .keys_for(Action::Help)
                .next()
                .map(|k| format!("  {k} help"))
                .unwrap_or_default();
            let doc = app.doc();
            let position = format!(
                "¶ {}/{}  {}%{help_key} ",
                doc.paragraph_number(app.cursor()),
                doc.paragraph_count(),
                app.percent()
            );
            let right = if str_width(&position, ambiguous) + 8 <= width {
                position
            } else {
                format!("{}% ", app.percent())
            };
            let right_width = str_width(&right, ambiguous);
            let left_text = app
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| doc.title().unwrap_or(app.name()).to_string());
            let room = width.saturating_sub(right_width + 2);
            let left = format!(" {}", truncate(&left_text, room, ambiguous));
            let line = if right_width + 1 > width {
                Line::from(truncate(&right, width, ambiguous))
            } else {
                Line::from(vec![
                    Span::raw(left.clone()),
                    Span::raw(pad(width, str_width(&left, ambiguous) + right_width)),
                    Span::raw(right),
                ])
            };
            frame.render_widget(Paragraph::new(line).style(theme.status), area);
        }
    }
}

fn pad(width: usize, used: usize) -> String {
    " ".repeat(width.saturating_sub(used))
}

/// The end of `s` that fits in `width` columns (the part being typed).
fn tail(s: &str, width: usize, ambiguous: crate::layout::AmbiguousWidth) -> String {
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
