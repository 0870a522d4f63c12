//! Plain-text output for `pizhu cat` and `pizhu wrap`: the same layout as the reader, as lines.

use std::io::{self, Write};

use crate::document::{BlockKind, Document};
use crate::layout::doc::decorations;
use crate::layout::{
    AmbiguousWidth, DocLayout, LayoutParams, Pos, Visual, WrapOptions, str_width, wrap_into,
};

/// Writes the laid-out article: blocks with a blank line between them, Chinese paragraphs
/// indented with two full-width spaces, quotes with a bar, table cells aligned or labelled:
/// the rows the reader shows, as text.
pub fn cat(doc: &Document, params: LayoutParams, out: &mut impl Write) -> io::Result<()> {
    let mut layout = DocLayout::new(doc, params);
    let mut line = String::new();
    for b in 0..doc.blocks().len() {
        let height = layout.height(doc, b);
        for r in 0..height {
            let Visual::Text(row) = layout.visual(doc, Pos { block: b, row: r }) else {
                out.write_all(b"\n")?;
                continue;
            };
            line.clear();
            let mut col = 0;
            if doc.blocks()[b].kind == BlockKind::Paragraph {
                // The Chinese first-line indent, as the full-width spaces a typesetter uses.
                for _ in 0..row.indent / 2 {
                    line.push('\u{3000}');
                }
                col = row.indent / 2 * 2;
            }
            for (x, piece) in decorations(doc, b, &row, params.ambiguous) {
                pad(&mut line, &mut col, x);
                line.push_str(&piece);
                col += str_width(&piece, params.ambiguous);
            }
            for (_, g, w, x) in layout.placed(doc, &row) {
                pad(&mut line, &mut col, x);
                line.push_str(g);
                col += w;
            }
            out.write_all(line.trim_end_matches(' ').as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// Blank columns up to `x`.
fn pad(line: &mut String, col: &mut usize, x: usize) {
    while *col < x {
        line.push(' ');
        *col += 1;
    }
}

/// A CJK-correct `fold`: every line of `text` is a paragraph; prints its rows and nothing else.
pub fn wrap(
    text: &str,
    width: usize,
    ambiguous: AmbiguousWidth,
    out: &mut impl Write,
) -> io::Result<()> {
    let options = WrapOptions {
        width,
        ambiguous,
        first_indent: 0,
        hanging: 0,
    };
    let mut rows = Vec::new();
    for line in text.lines() {
        rows.clear();
        wrap_into(line, &options, &mut rows);
        for row in &rows {
            out.write_all(&line.as_bytes()[row.start..row.end])?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat_string(text: &str, width: usize) -> String {
        let mut out = Vec::new();
        cat(&Document::new(text), LayoutParams::new(width), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn cat_indents_chinese_paragraphs_and_separates_blocks() {
        let out = cat_string("标题\n作者\n\n一二三四五六七八九十。", 16);
        assert_eq!(
            out,
            "标题\n作者\n\n\u{3000}\u{3000}一二三四五六\n七八九十。\n"
        );
    }

    #[test]
    fn wrap_prints_rows_only() {
        let mut out = Vec::new();
        wrap(
            "一二三四五，六七\n\n中文",
            10,
            AmbiguousWidth::Narrow,
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "一二三四\n五，六七\n\n中文\n"
        );
    }
}
