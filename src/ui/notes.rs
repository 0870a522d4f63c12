//! The Notes tab: each highlight as three lines (colour and quote, tags and note, place and
//! time), orphans in their own section at the end.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::theme::Theme;
use super::{put_str, truncate};
use crate::app::App;

/// Lines per listed highlight.
const ITEM_ROWS: usize = 3;

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let amb = app.ambiguous();
    let right = area.right();
    let items = app.notes_items();
    let list = &app.annotations().list;
    let panel = app.panel();
    if items.is_empty() {
        let msg = if list.is_empty() {
            "no highlights yet: v or V selects, Enter highlights"
        } else {
            "nothing matches"
        };
        let width = usize::from(area.width);
        for (i, line) in wrap_words(msg, width)
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
    let width = usize::from(area.width);
    let selected = panel.notes.selected.min(items.len() - 1);
    let first_orphan = items.iter().position(|&i| list[i].orphan);
    // Rows: ITEM_ROWS per item, plus a header row before the orphans.
    let row_of = |k: usize| k * ITEM_ROWS + usize::from(first_orphan.is_some_and(|o| k >= o));
    let h = usize::from(area.height);
    let sel_bottom = row_of(selected) + ITEM_ROWS;
    let scroll = sel_bottom.saturating_sub(h);
    let view = View { area, scroll, amb };
    let doc = app.doc();
    for (k, &i) in items.iter().enumerate() {
        let a = &list[i];
        let top = row_of(k);
        if Some(k) == first_orphan {
            let n = items.len() - k;
            view.put(
                buf,
                top - 1,
                &format!("孤立 Orphans ({n}): text no longer found"),
                theme.help_group,
            );
        }
        let is_selected = k == selected;
        let mark = if is_selected && panel.focused {
            ">"
        } else {
            " "
        };
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
        let mut quote_style = Style::new();
        if is_selected {
            quote_style = quote_style.add_modifier(if panel.focused {
                Modifier::REVERSED
            } else {
                Modifier::UNDERLINED
            });
        }
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
