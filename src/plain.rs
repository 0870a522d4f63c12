//! Plain-text output for `pizhu cat` and `pizhu wrap`: the same layout as the reader, as lines.

use std::io::{self, Write};

use crate::document::Document;
use crate::layout::doc::block_indent;
use crate::layout::{AmbiguousWidth, LayoutParams, WrapOptions, wrap_into};

/// Writes the laid-out article: blocks with a blank line between them, Chinese paragraphs
/// indented with two full-width spaces.
pub fn cat(doc: &Document, params: LayoutParams, out: &mut impl Write) -> io::Result<()> {
    let mut rows = Vec::new();
    for (b, block) in doc.blocks().iter().enumerate() {
        if params.spacing && block.gap_before {
            out.write_all(b"\n")?;
        }
        let options = WrapOptions {
            width: params.width,
            ambiguous: params.ambiguous,
            first_indent: block_indent(doc, b, &params),
        };
        let text = doc.block_text(b);
        rows.clear();
        wrap_into(text, &options, &mut rows);
        for row in &rows {
            for _ in 0..row.indent / 2 {
                out.write_all("\u{3000}".as_bytes())?;
            }
            if row.indent % 2 == 1 {
                out.write_all(b" ")?;
            }
            out.write_all(&text.as_bytes()[row.start..row.end])?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
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
