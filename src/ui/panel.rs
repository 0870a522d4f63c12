//! The entity panel and the scrollbar of mention markers.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::put_str;
use super::theme::Theme;
use crate::app::{App, Extraction, PanelAreas, PanelRow, Tab};
use crate::entities::Tier;
use crate::layout::str_width;

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.width < 3 || area.height == 0 {
        return;
    }
    super::clear_wide_edges(buf, area);
    let panel = app.panel();
    let amb = app.ambiguous();
    // Full width (in place of the text) it has no text to be set off from: no border.
    let full = app.panel_full();
    // The same areas the mouse is matched against.
    let areas = PanelAreas::new(area, full);
    buf.set_style(area, Style::reset());
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            buf[(x, y)].reset();
        }
        if let Some(border) = areas.border {
            // A heavier line would read as the scrollbar's thumb beside it: colour only.
            let style = if panel.focused {
                theme.focus_border
            } else {
                theme.border
            };
            buf[(border, y)].set_symbol("│").set_style(style);
        }
    }
    let right = areas.title.right();
    let title_style = if panel.focused {
        theme.focus_title
    } else {
        theme.help_group.add_modifier(Modifier::DIM)
    };
    let notes_tab = panel.tab == Tab::Notes;
    let title = app.panel_title().text;
    if panel.focused {
        // The whole title row, so the focus shows from across the room.
        let row = Rect::new(
            area.x + u16::from(!full),
            area.y,
            area.width - u16::from(!full),
            1,
        );
        buf.set_style(row, theme.focus_title);
    }
    let (x, y) = (areas.title.x, areas.title.y);
    let end = put_str(buf, (x, y), right, &title, title_style, amb);
    let typing = if notes_tab {
        panel.notes.filtering
    } else {
        panel.filtering || panel.prompt.is_some()
    };
    if typing {
        buf[(end.min(right - 1), y)].set_symbol("▏");
    }
    let list = areas.list;
    if list.height == 0 {
        return;
    }
    if notes_tab {
        return super::notes::draw(app, theme, list, buf);
    }
    match &panel.extraction {
        Extraction::Running(f) if panel.entities.is_empty() => {
            let msg = format!("finding entities… {:.0}%", f * 100.0);
            put_str(buf, (list.x, list.y), right, &msg, theme.meta, amb);
            return;
        }
        Extraction::Idle if panel.entities.is_empty() => return,
        _ => {}
    }
    let rows = panel.rows();
    if rows.is_empty() {
        let msg = if panel.filter.is_empty() {
            "no entities found"
        } else {
            "nothing matches"
        };
        put_str(buf, (list.x, list.y), right, msg, theme.meta, amb);
        return;
    }
    let h = usize::from(list.height);
    let offset = panel.list_offset(h);
    let text = app.doc().text();
    for (i, row) in rows.iter().enumerate().skip(offset).take(h) {
        let y = list.y + (i - offset) as u16;
        let selected = i == panel.selected;
        let (line, mut style) = match *row {
            PanelRow::Group {
                kind,
                count,
                collapsed,
            } => {
                let mark = if collapsed { "+" } else { "-" };
                (format!("{mark} {} {count}", kind.label()), theme.help_group)
            }
            PanelRow::RejectedGroup { count, collapsed } => {
                let mark = if collapsed { "+" } else { "-" };
                (
                    format!("{mark} 已排除 Rejected {count}"),
                    theme.help_group.add_modifier(Modifier::DIM),
                )
            }
            PanelRow::Rejected(e) => {
                let entity = &panel.entities[e];
                let mark = if selected && panel.focused { ">" } else { " " };
                let label = format!("{mark} {}", entity.name);
                let room = usize::from(list.width).saturating_sub(2);
                let label = crate::layout::truncate(&label, room, amb);
                let pad = usize::from(list.width).saturating_sub(str_width(&label, amb) + 1);
                (format!("{label}{}×", " ".repeat(pad)), theme.meta)
            }
            PanelRow::Entity(e) => {
                let entity = &panel.entities[e];
                let active = panel.active == Some(e);
                let aliases: Vec<&str> = entity
                    .aliases(text)
                    .into_iter()
                    .filter(|a| *a != entity.name)
                    .take(2)
                    .collect();
                let mark = match (active, selected && panel.focused) {
                    (true, _) => "●",
                    (false, true) => ">",
                    (false, false) => " ",
                };
                let mut label = format!("{mark} {}", entity.name);
                if entity.tier == Tier::Possible {
                    label.push('?');
                }
                if !aliases.is_empty() {
                    label.push_str(&format!(" ({})", aliases.join(" ")));
                }
                let count = format!(" {}", entity.count());
                let room = usize::from(list.width).saturating_sub(str_width(&count, amb));
                let label = crate::layout::truncate(&label, room, amb);
                let pad = room.saturating_sub(str_width(&label, amb));
                let style = match (entity.tier, active) {
                    (_, true) => theme.current_mention,
                    (Tier::Possible, _) => theme.meta,
                    (Tier::Known | Tier::Found, _) => Style::new(),
                };
                (format!("{label}{}{count}", " ".repeat(pad)), style)
            }
        };
        if selected {
            style = if panel.focused {
                style.add_modifier(Modifier::REVERSED)
            } else {
                style.add_modifier(Modifier::UNDERLINED)
            };
        }
        put_str(buf, (list.x, y), right, &line, style, amb);
    }
}

/// One column: where the screen is in the article, and where the active entity's mentions
/// (or the search hits) fall.
pub fn scrollbar(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let len = app.doc().text().len().max(1);
    let h = usize::from(area.height);
    let row_of = |offset: usize| (offset * h / len).min(h - 1);
    let (first, last) = app.visible_range();
    for y in 0..h {
        let cell = &mut buf[(area.x, area.y + y as u16)];
        let in_view = y >= row_of(first) && y <= row_of(last.max(first));
        cell.set_symbol(if in_view { "┃" } else { "│" })
            .set_style(theme.border);
    }
    // One binary search per row, not one step per mark: a search can have 50,000 hits.
    let mentions = app.active_mentions();
    let hits = &app.search().hits;
    let marked = |from: usize, to: usize| {
        if !mentions.is_empty() {
            let i = mentions.partition_point(|m| m.start < from);
            mentions.get(i).is_some_and(|m| m.start < to)
        } else if app.search().visible {
            let i = hits.partition_point(|r| r.start < from);
            hits.get(i).is_some_and(|r| r.start < to)
        } else {
            false
        }
    };
    for y in 0..h {
        // The offsets whose row_of is y.
        let from = (y * len).div_ceil(h);
        let to = if y + 1 == h {
            usize::MAX
        } else {
            ((y + 1) * len).div_ceil(h)
        };
        if marked(from, to) {
            buf[(area.x, area.y + y as u16)]
                .set_symbol("▪")
                .set_style(theme.marker);
        }
    }
}
