//! The reading column: rows of text with block styles, search hits and the cursor.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::annotations::Annotation;
use crate::app::App;
use crate::document::BlockKind;
use crate::layout::Visual;
use crate::layout::width::graphemes;
use crate::layout::wrap::RowKind;

pub fn draw(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let search = app.search();
    let hits = if search.visible {
        &search.hits[..]
    } else {
        &[]
    };
    let current = app.current_hit();
    let mentions = app.active_mentions();
    let right = area.right();
    let selection = app.selection();
    let (first, last) = app.visible_range();
    let visible: Vec<&Annotation> = app
        .annotations()
        .overlapping(first, last.max(first + 1))
        .collect();
    for (i, screen_row) in app.screen().iter().enumerate() {
        let y = area.y + i as u16;
        if y >= area.bottom() {
            break;
        }
        let Visual::Text(row) = screen_row.visual else {
            continue;
        };
        let base = theme.block(screen_row.kind);
        let doc = app.doc();
        let block_start = doc.blocks()[screen_row.block].start;
        let spans = doc.spans();
        let spans = &spans[spans.partition_point(|s| s.start < block_start)
            ..spans.partition_point(|s| s.start < row.end.max(row.start + 1))];
        let spans: Vec<_> = spans.iter().filter(|s| s.end > row.start).collect();
        for (dx, piece) in app.decorations(screen_row.block, &row) {
            let style = match row.kind {
                RowKind::Label { .. } => theme.cell_label,
                _ => theme.quote_bar,
            };
            let x = area.x.saturating_add(dx.min(usize::from(u16::MAX)) as u16);
            let mut x = x;
            for (_, g, w) in graphemes(&piece, app.ambiguous()) {
                if w == 0 || usize::from(right.saturating_sub(x)) < w {
                    break;
                }
                put(buf, x, y, g, w, style);
                x += w as u16;
            }
        }
        let row_highlights: Vec<&Annotation> = visible
            .iter()
            .copied()
            .filter(|a| a.start < row.end.max(row.start + 1) && a.end > row.start)
            .collect();
        if area.x > 0
            && row_highlights.iter().any(|a| {
                a.note_line().is_some()
                    && a.start >= row.start
                    && a.start < row.end.max(row.start + 1)
            })
        {
            // A note's marker in the margin, on the row where its highlight starts.
            buf[(area.x - 1, y)]
                .set_symbol("✎")
                .set_style(theme.note_marker);
        }
        let mut hit_index = hits.partition_point(|h| h.end <= row.start);
        let mut mention_index = mentions.partition_point(|m| m.end <= row.start);
        let marker_end = match screen_row.kind {
            BlockKind::ListItem { .. } => row.start.max(
                doc.blocks()[screen_row.block].start
                    + doc
                        .block_text(screen_row.block)
                        .find(' ')
                        .map_or(0, |i| i + 1),
            ),
            _ => 0,
        };
        for (at, g, w, col) in app.placed(&row) {
            if w == 0 {
                continue;
            }
            let x = area.x.saturating_add(col.min(usize::from(u16::MAX)) as u16);
            while hit_index < hits.len() && hits[hit_index].end <= at {
                hit_index += 1;
            }
            let mut style = base;
            if at < marker_end {
                style = style.patch(theme.list_marker);
            }
            for span in spans.iter().filter(|s| s.start <= at && at < s.end) {
                style = style.patch(theme.inline(span.style));
            }
            let mut covering = row_highlights
                .iter()
                .filter(|a| a.start <= at && at < a.end);
            if let Some(first) = covering.next() {
                let mut inner = *first;
                let mut layers = 1;
                for a in covering {
                    layers += 1;
                    if a.end - a.start <= inner.end - inner.start {
                        inner = a;
                    }
                }
                style = style.patch(theme.highlights[inner.colour.digit() as usize - 1]);
                if layers > 1 {
                    style = style.patch(theme.overlap);
                }
            }
            if selection.as_ref().is_some_and(|r| r.contains(&at)) {
                style = style.patch(theme.selection);
            }
            while mention_index < mentions.len() && mentions[mention_index].end <= at {
                mention_index += 1;
            }
            if let Some(m) = mentions.get(mention_index).filter(|m| m.start <= at) {
                let under_cursor = m.start <= app.cursor() && app.cursor() < m.end;
                style = style.patch(if under_cursor {
                    theme.current_mention
                } else {
                    theme.mention
                });
            }
            if hits.get(hit_index).is_some_and(|h| h.start <= at) {
                style = style.patch(if current == Some(hit_index) {
                    theme.current_hit
                } else {
                    theme.hit
                });
            }
            if x >= right {
                break;
            }
            if usize::from(right - x) < w {
                // Rule 7's lone over-wide grapheme: clip it, but show that something is there.
                buf[(x, y)].set_symbol(">").set_style(style);
                break;
            }
            put(buf, x, y, g, w, style);
        }
    }
    if let Some((col, row)) = app.cursor_cell() {
        let (x, y) = (area.x.saturating_add(col), area.y + row);
        if x < right && y < area.bottom() {
            let cell = &mut buf[(x, y)];
            if cell.symbol().is_empty() {
                cell.set_symbol(" ");
            }
            cell.set_style(cell.style().patch(theme.cursor));
        }
    }
}

/// Writes one grapheme `w` columns wide and clears the cells it covers. Where our width differs
/// from ratatui's own idea of it (ambiguous-wide mode draws “ as two columns), the width is
/// forced so the diff neither overdraws the glyph nor misplaces the next cell.
pub(super) fn put(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    g: &str,
    w: usize,
    style: ratatui::style::Style,
) {
    let cell = &mut buf[(x, y)];
    cell.set_symbol(g).set_style(style);
    if g.width() != w
        && let Some(forced) = u16::try_from(w).ok().and_then(NonZeroU16::new)
    {
        cell.set_diff_option(CellDiffOption::ForcedWidth(forced));
    }
    for k in 1..w {
        buf[(x + k as u16, y)].reset();
    }
}
