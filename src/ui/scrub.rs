//! The last line of defence between text and the terminal: every drawn frame is scrubbed of
//! control and bidi characters before ratatui sends it.
//!
//! Articles are cleaned when loaded and imported annotations when imported, but a frame is
//! built from many strings (notes, tags, file names, error messages, prompts). Cleaning the
//! finished buffer makes "nothing from a document reaches the terminal as a control sequence"
//! hold for every one of them, including ones added later.

use ratatui::buffer::Buffer;

use crate::text::sanitize::is_unsafe;

/// Removes unsafe characters from every cell of `buf`. A cell left empty becomes a space, so
/// the cell keeps its width and nothing after it shifts.
pub fn scrub(buf: &mut Buffer) {
    for cell in &mut buf.content {
        let symbol = cell.symbol();
        if symbol.chars().any(is_unsafe) {
            let clean: String = symbol.chars().filter(|&c| !is_unsafe(c)).collect();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn controls_and_bidi_are_removed_from_cells() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        buf[(0, 0)].set_symbol("\u{1b}");
        buf[(1, 0)].set_symbol("a\u{9b}");
        buf[(2, 0)].set_symbol("\u{202e}b");
        buf[(3, 0)].set_symbol("中");
        buf[(5, 0)].set_symbol("\u{7}");
        scrub(&mut buf);
        let symbols: Vec<&str> = buf.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(symbols, [" ", "a", "b", "中", " ", " "]);
    }
}
