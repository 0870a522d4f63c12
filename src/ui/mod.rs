//! Drawing. Reads the app state, never changes it.

pub mod help;
pub mod reader;
pub mod status;
pub mod theme;

use ratatui::Frame;

pub use theme::Theme;

use crate::app::{App, Mode};
use crate::layout::{AmbiguousWidth, str_width};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let g = app.geometry();
    let area = frame.area();
    let text = g.text.intersection(area);
    reader::draw(app, theme, text, frame.buffer_mut());
    status::draw(frame, app, theme, g.status.intersection(area));
    if let Mode::Help { scroll } = app.mode() {
        help::draw(frame, app, theme, *scroll);
    }
}

/// Blanks a wide character just left of `area` whose right half would show through the
/// popup's left border (the popup itself is cleared by the caller).
pub fn clear_wide_edges(buf: &mut ratatui::buffer::Buffer, area: ratatui::layout::Rect) {
    use unicode_width::UnicodeWidthStr;
    if area.x == 0 {
        return;
    }
    for y in area.top()..area.bottom() {
        let left = &mut buf[(area.x - 1, y)];
        if left.symbol().width() > 1 {
            left.set_symbol(" ");
        }
    }
}

/// `s` cut to `width` columns, with `…` when cut.
pub fn truncate(s: &str, width: usize, ambiguous: AmbiguousWidth) -> String {
    if str_width(s, ambiguous) <= width {
        return s.to_string();
    }
    let ellipsis = str_width("…", ambiguous);
    let mut out = String::new();
    let mut used = 0;
    for (_, g, w) in crate::layout::width::graphemes(s, ambiguous) {
        if used + w + ellipsis > width {
            break;
        }
        used += w;
        out.push_str(g);
    }
    if width >= ellipsis {
        out.push('…');
    }
    out
}
