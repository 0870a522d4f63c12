//! Whole-document layout, computed lazily per block and cached for one set of parameters.
//!
//! Only what is looked at gets wrapped: opening a 10 MB book lays out a screenful, `G` lays
//! out the last blocks, and a resize throws the cache away.

use super::width::AmbiguousWidth;
use super::wrap::{Row, WrapOptions, wrap_into};
use crate::document::{BlockKind, Document};

/// Everything that changes where rows break. A change invalidates the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayoutParams {
    pub width: usize,
    pub ambiguous: AmbiguousWidth,
    /// First-line indent of Chinese paragraphs, in columns (two full-width spaces = 4).
    pub indent: usize,
    /// A blank row between blocks.
    pub spacing: bool,
}

impl LayoutParams {
    pub fn new(width: usize) -> Self {
        Self {
            width,
            ambiguous: AmbiguousWidth::Narrow,
            indent: 4,
            spacing: true,
        }
    }
}

/// A visual row of the document: `block`, and `row` counted from the block's top including
/// its gap row (if it has one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub block: usize,
    pub row: usize,
}

/// What a visual row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visual {
    Gap,
    Text(Row),
}

/// Per-block rows (absolute offsets into the document text) for one [`LayoutParams`].
#[derive(Clone, Debug)]
pub struct DocLayout {
    params: LayoutParams,
    blocks: Vec<Option<Box<[Row]>>>,
}

impl DocLayout {
    pub fn new(doc: &Document, params: LayoutParams) -> Self {
        Self {
            params,
            blocks: vec![None; doc.blocks().len()],
        }
    }

    pub fn params(&self) -> LayoutParams {
        self.params
    }

    /// Switches parameters; returns whether anything was thrown away.
    pub fn set_params(&mut self, params: LayoutParams) -> bool {
        if params == self.params {
            return false;
        }
        self.params = params;
        self.blocks.iter_mut().for_each(|b| *b = None);
        true
    }

    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// Rows of block `b`, laying it out if needed.
    pub fn rows(&mut self, doc: &Document, b: usize) -> &[Row] {
        if self.blocks[b].is_none() {
            self.blocks[b] = Some(layout_block(doc, b, &self.params).into_boxed_slice());
        }
        self.blocks[b].as_deref().unwrap_or_default()
    }

    /// Rows of block `b` if already laid out; never computes.
    pub fn cached(&self, b: usize) -> Option<&[Row]> {
        self.blocks.get(b)?.as_deref()
    }

    fn gap(&self, doc: &Document, b: usize) -> usize {
        usize::from(self.params.spacing && doc.blocks()[b].gap_before)
    }

    /// Visual rows of block `b`, its gap included.
    pub fn height(&mut self, doc: &Document, b: usize) -> usize {
        self.gap(doc, b) + self.rows(doc, b).len()
    }

    pub fn visual(&mut self, doc: &Document, pos: Pos) -> Visual {
        let gap = self.gap(doc, pos.block);
        if pos.row < gap {
            Visual::Gap
        } else {
            self.rows(doc, pos.block)
                .get(pos.row - gap)
                .copied()
                .map_or(Visual::Gap, Visual::Text)
        }
    }

    /// Moves `delta` visual rows from `pos`, stopping at either end. Returns the new position
    /// and how many rows it actually moved (negative when moving up).
    pub fn step(&mut self, doc: &Document, mut pos: Pos, delta: isize) -> (Pos, isize) {
        if self.blocks.is_empty() {
            return (pos, 0);
        }
        let mut left = delta.unsigned_abs();
        let mut moved = 0usize;
        if delta >= 0 {
            while left > 0 {
                let room = self.height(doc, pos.block) - 1 - pos.row;
                if left <= room {
                    pos.row += left;
                    moved += left;
                    break;
                }
                if pos.block + 1 >= self.blocks.len() {
                    pos.row += room;
                    moved += room;
                    break;
                }
                left -= room + 1;
                moved += room + 1;
                pos = Pos {
                    block: pos.block + 1,
                    row: 0,
                };
            }
            (pos, moved as isize)
        } else {
            while left > 0 {
                if left <= pos.row {
                    pos.row -= left;
                    moved += left;
                    break;
                }
                if pos.block == 0 {
                    moved += pos.row;
                    pos.row = 0;
                    break;
                }
                left -= pos.row + 1;
                moved += pos.row + 1;
                let block = pos.block - 1;
                pos = Pos {
                    block,
                    row: self.height(doc, block) - 1,
                };
            }
            (pos, -(moved as isize))
        }
    }

    /// The text row holding byte `offset`.
    pub fn locate(&mut self, doc: &Document, offset: usize) -> Pos {
        if self.blocks.is_empty() {
            return Pos::default();
        }
        let block = doc.block_at(offset);
        let gap = self.gap(doc, block);
        let rows = self.rows(doc, block);
        let row = rows
            .partition_point(|r| r.start <= offset)
            .saturating_sub(1);
        Pos {
            block,
            row: gap + row,
        }
    }

    /// The last visual row of the document.
    pub fn last(&mut self, doc: &Document) -> Pos {
        match self.blocks.len() {
            0 => Pos::default(),
            n => Pos {
                block: n - 1,
                row: self.height(doc, n - 1) - 1,
            },
        }
    }
}

/// The first-line indent a block gets: Chinese paragraphs that are not already indented.
pub fn block_indent(doc: &Document, b: usize, params: &LayoutParams) -> usize {
    if doc.blocks()[b].kind != BlockKind::Paragraph || params.indent == 0 {
        return 0;
    }
    let text = doc.block_text(b);
    let already = text.starts_with([' ', '\u{3000}']);
    if !already && text.chars().take(32).any(is_cjk_text) {
        params.indent
    } else {
        0
    }
}

/// Han ideographs and kana: text that is set with a first-line indent.
fn is_cjk_text(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

fn layout_block(doc: &Document, b: usize, params: &LayoutParams) -> Vec<Row> {
    let block = doc.blocks()[b];
    let options = WrapOptions {
        width: params.width,
        ambiguous: params.ambiguous,
        first_indent: block_indent(doc, b, params),
    };
    let mut rows = Vec::new();
    wrap_into(doc.block_text(b), &options, &mut rows);
    for row in &mut rows {
        row.start += block.start;
        row.end += block.start;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document::new("标题\n\n一二三四五六七八九十。\n\n甲乙丙丁。")
    }

    /// Width 10 and no indent, so rows are easy to count.
    fn unindented(doc: &Document) -> DocLayout {
        DocLayout::new(
            doc,
            LayoutParams {
                indent: 0,
                ..LayoutParams::new(10)
            },
        )
    }

    #[test]
    fn lays_out_lazily_and_steps_across_gaps() {
        let doc = doc();
        let mut layout = unindented(&doc);
        assert!(layout.cached(1).is_none());
        // Title (1 row), gap + 3 rows, gap + 1 row.
        assert_eq!(layout.height(&doc, 0), 1);
        assert_eq!(layout.height(&doc, 1), 4);
        let (pos, moved) = layout.step(&doc, Pos::default(), 100);
        assert_eq!(pos, Pos { block: 2, row: 1 });
        assert_eq!(moved, 6);
        assert_eq!(layout.step(&doc, pos, -100), (Pos::default(), -6));
        assert_eq!(layout.visual(&doc, Pos { block: 1, row: 0 }), Visual::Gap);
    }

    #[test]
    fn locate_finds_the_row_of_an_offset() {
        let doc = doc();
        let mut layout = unindented(&doc);
        let offset = doc.text().find('六').unwrap();
        assert_eq!(layout.locate(&doc, offset), Pos { block: 1, row: 2 });
        assert_eq!(layout.last(&doc), Pos { block: 2, row: 1 });
    }

    #[test]
    fn chinese_paragraphs_are_indented_once() {
        let doc = Document::new("标题\n\n中文段落。\n\nEnglish paragraph.\n\n　　已缩进。");
        let params = LayoutParams::new(40);
        assert_eq!(block_indent(&doc, 0, &params), 0);
        assert_eq!(block_indent(&doc, 1, &params), 4);
        assert_eq!(block_indent(&doc, 2, &params), 0);
        assert_eq!(block_indent(&doc, 3, &params), 0);
    }

    #[test]
    fn new_params_drop_the_cache() {
        let doc = doc();
        let mut layout = DocLayout::new(&doc, LayoutParams::new(10));
        layout.rows(&doc, 1);
        assert!(layout.set_params(LayoutParams::new(20)));
        assert!(layout.cached(1).is_none());
        assert!(!layout.set_params(LayoutParams::new(20)));
    }
}
