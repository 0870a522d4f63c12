//! Drawing. Reads the app state, never changes it.

pub mod annotate;
pub mod export;
pub mod help;
pub mod notes;
pub mod outline;
pub mod panel;
pub mod reader;
pub mod scrub;
pub mod status;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::Rect;

pub use theme::{Palette, Theme};

use crate::app::{App, Mode};
use crate::layout::AmbiguousWidth;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let g = app.geometry();
    let area = frame.area();
    // A full-width panel (under 70 columns) is drawn in place of the text.
    if !app.panel_full() {
        let text = g.text.intersection(area);
        reader::draw(app, theme, text, frame.buffer_mut());
        panel::scrollbar(
            app,
            theme,
            g.scrollbar.intersection(area),
            frame.buffer_mut(),
        );
    }
    if g.panel.width > 0 {
        panel::draw(app, theme, g.panel.intersection(area), frame.buffer_mut());
    }
    status::draw(frame, app, theme, g.status.intersection(area));
    match app.mode() {
        Mode::Help { scroll } => help::draw(frame, app, theme, *scroll),
        Mode::Tags(prompt) => annotate::tag_completions(frame, app, theme, prompt),
        Mode::Note(edit) => annotate::note_editor(frame, app, theme, edit),
        Mode::Export(dialog) => export::draw(frame, app, theme, dialog),
        Mode::Outline(o) => outline::draw(frame, app, theme, o),
        _ => {}
    }
    scrub::scrub(frame.buffer_mut());
}

/// A `width`×`height` rectangle centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let (width, height) = (width.min(area.width), height.min(area.height));
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// Clears `popup` (and a wide character its left edge would cut), draws its border with
/// `title`, and returns the area inside the border.
pub fn popup_frame(frame: &mut Frame, popup: Rect, title: &str, theme: &Theme) -> Rect {
    use ratatui::widgets::{Block, Borders, Clear};
    frame.render_widget(Clear, popup);
    clear_wide_edges(frame.buffer_mut(), popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    inner
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

/// Draws `s` from `x` on row `y`, grapheme by grapheme with the app's width rules, stopping
/// before `right`. Returns the column after the last drawn grapheme.
pub fn put_str(
    buf: &mut ratatui::buffer::Buffer,
    (x, y): (u16, u16),
    right: u16,
    s: &str,
    style: ratatui::style::Style,
    ambiguous: AmbiguousWidth,
) -> u16 {
    let mut x = x;
    for (_, g, w) in crate::layout::width::graphemes(s, ambiguous) {
        if w == 0 {
            continue;
        }
        if usize::from(right.saturating_sub(x)) < w {
            break;
        }
        reader::put(buf, x, y, g, w, style);
        x += w as u16;
    }
    x
}
