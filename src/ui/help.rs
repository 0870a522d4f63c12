//! The help overlay: the rows of [`crate::app::help`], drawn in a box as wide as the screen
//! allows (up to a comfortable maximum), with the search prompt and matches shown.

use ratatui::Frame;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::help::{self, RowKind};
use crate::app::{Action, App, Context};
use crate::layout::str_width;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, scroll: usize) {
    let area = frame.area();
    if area.width < 4 || area.height < 3 {
        return;
    }
    let inner_width = help::inner_width(area.width);
    let (rows, key_col) = help::layout(app, inner_width);
    let search = app.help_search();
    let prompt_rows = usize::from(search.typing || !search.query.is_empty());
    let width = area.width.min(help::MAX_WIDTH);
    let height = area
        .height
        .min((rows.len() + 2 + prompt_rows).min(usize::from(u16::MAX)) as u16);
    let popup = super::centered(area, width, height);
    let inner_height = help::visible_rows(height, search);
    let max_scroll = rows.len().saturating_sub(inner_height);
    let scroll = scroll.min(max_scroll);
    // From the help's own bindings, so a rebinding shows here too.
    let key = |a: Action| app.keymap().first_key(Context::Help, a).unwrap_or_default();
    let (down, up, search_key, close) = (
        key(Action::Down),
        key(Action::Up),
        key(Action::Search),
        key(Action::Cancel),
    );
    let titles: Vec<String> = if max_scroll > 0 {
        vec![
            format!(" pizhu keys  ({down}/{up} scroll, {search_key} search, other keys close) "),
            format!(" keys  ({down}/{up}, {search_key} search, {close} close) "),
            " keys ".into(),
        ]
    } else {
        vec![
            format!(" pizhu keys  ({search_key} search, other keys close) "),
            " keys ".into(),
        ]
    };
    // The longest title that fits whole.
    let room = usize::from(width.saturating_sub(4));
    let title = titles
        .iter()
        .find(|t| str_width(t, app.ambiguous()) <= room)
        .map_or("", String::as_str);
    let inner = super::popup_frame(frame, popup, title, theme);
    let query = search.query.to_lowercase();
    let lines: Vec<Line> = rows
        .iter()
        .skip(scroll)
        .take(inner_height)
        .map(|r| {
            let hit = !query.is_empty()
                && format!("{} {}", r.keys, r.text)
                    .to_lowercase()
                    .contains(&query);
            let mut text_style = match r.kind {
                RowKind::Title => theme.help_group,
                _ => ratatui::style::Style::default(),
            };
            if hit {
                text_style = text_style.add_modifier(Modifier::REVERSED);
            }
            match r.kind {
                RowKind::Entry if r.text.is_empty() => {
                    Line::from(Span::styled(format!("  {}", r.keys), theme.help_key))
                }
                RowKind::Entry if key_col > 0 => Line::from(vec![
                    Span::styled(format!("  {:<w$}", r.keys, w = key_col - 2), theme.help_key),
                    Span::styled(r.text.clone(), text_style),
                ]),
                RowKind::Entry => Line::from(vec![
                    Span::raw("    "),
                    Span::styled(r.text.clone(), text_style),
                ]),
                _ => Line::from(Span::styled(format!("  {}", r.text), text_style)),
            }
        })
        .collect();
    let text_area = ratatui::layout::Rect {
        height: inner.height.saturating_sub(prompt_rows as u16),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), text_area);
    if prompt_rows > 0 && inner.height > 0 {
        let prompt = if search.typing {
            format!("/{}█", search.query)
        } else if search.missed {
            format!("/{}  not found", search.query)
        } else {
            format!("/{}  n/N: next/previous", search.query)
        };
        let at = ratatui::layout::Rect {
            y: inner.y + inner.height - 1,
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(Line::styled(prompt, theme.help_key)), at);
    }
}
