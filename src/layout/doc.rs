//! Whole-document layout, computed lazily per block and cached for one set of parameters.
//!
//! Only what is looked at gets wrapped: opening a 10 MB book lays out a screenful, `G` lays
//! out the last blocks, and a resize throws the cache away.

use super::width::{AmbiguousWidth, graphemes, str_width};
use super::wrap::{Row, RowKind, WrapOptions, wrap_into};
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
    /// Per table of the document: its column widths, once a row of it was laid out.
    tables: Vec<Option<Columns>>,
}

/// How a table is set at the current width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    /// Widest cell of each column.
    pub widths: Box<[usize]>,
    /// All columns fit side by side; otherwise each cell is a line of its own.
    pub fits: bool,
    /// Cells that do not fit side by side are labelled with their header (`列：值`): the
    /// table has a header row and records, and its labels take at most half the width.
    pub labelled: bool,
}

/// Columns between two table cells set side by side.
pub const CELL_GAP: usize = 2;

impl DocLayout {
    pub fn new(doc: &Document, params: LayoutParams) -> Self {
        Self {
            params,
            blocks: vec![None; doc.blocks().len()],
            tables: vec![None; doc.tables().len()],
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
        self.tables.iter_mut().for_each(|t| *t = None);
        true
    }

    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// Rows of block `b`, laying it out if needed.
    pub fn rows(&mut self, doc: &Document, b: usize) -> &[Row] {
        if self.blocks[b].is_none() {
            let table = self.table_columns(doc, b);
            let rows = layout_block(doc, b, &self.params, table.as_ref());
            self.blocks[b] = Some(rows.into_boxed_slice());
        }
        self.blocks[b].as_deref().unwrap_or_default()
    }

    /// The columns of the table block `b` belongs to, with the table's index.
    fn table_columns(&mut self, doc: &Document, b: usize) -> Option<(u32, Columns)> {
        if !matches!(doc.blocks()[b].kind, BlockKind::TableRow { .. }) {
            return None;
        }
        let table = doc.table_of(b)?;
        let index = doc.tables().partition_point(|t| t.first < table.first);
        if self.tables.len() < doc.tables().len() {
            self.tables.resize(doc.tables().len(), None);
        }
        if self.tables[index].is_none() {
            let mut widths: Vec<usize> = Vec::new();
            for row in table.first..table.first + table.rows {
                for (k, cell) in doc.block_text(row).split('\t').enumerate() {
                    let w = str_width(cell, self.params.ambiguous);
                    match widths.get_mut(k) {
                        Some(max) => *max = (*max).max(w),
                        None => widths.push(w),
                    }
                }
            }
            let total = widths.iter().sum::<usize>() + CELL_GAP * widths.len().saturating_sub(1);
            let header = matches!(
                doc.blocks()[table.first].kind,
                BlockKind::TableRow { header: true }
            );
            let widest_label = doc
                .block_text(table.first)
                .split('\t')
                .map(|c| str_width(c, self.params.ambiguous))
                .max()
                .unwrap_or(0);
            self.tables[index] = Some(Columns {
                fits: total <= self.params.width.max(1),
                labelled: header
                    && table.rows > 1
                    && widest_label + LABEL_SEP_WIDTH <= self.params.width / 2,
                widths: widths.into_boxed_slice(),
            });
        }
        self.tables[index].clone().map(|c| (index as u32, c))
    }

    /// The columns of table `table` (an index into the document's tables), if laid out.
    pub fn columns(&self, table: u32) -> Option<&Columns> {
        self.tables.get(table as usize)?.as_ref()
    }

    /// Where each grapheme of `row` goes: (byte offset in the document, grapheme, width,
    /// column counted from the row's left edge). Every drawer and every cursor computation
    /// goes through this, so aligned table cells are placed the same everywhere.
    pub fn placed<'a>(
        &'a self,
        doc: &'a Document,
        row: &Row,
    ) -> impl Iterator<Item = (usize, &'a str, usize, usize)> + 'a {
        let stops: Option<&[usize]> = match row.kind {
            RowKind::Cells { table } => self.columns(table).map(|c| &c.widths[..]),
            _ => None,
        };
        let start = row.start;
        let mut x = row.indent;
        let mut column = 0usize;
        let mut column_x = row.indent;
        graphemes(&doc.text()[row.start..row.end], self.params.ambiguous).filter_map(
            move |(offset, g, w)| {
                if g == "\t" {
                    if let Some(stops) = stops {
                        column_x += stops.get(column).copied().unwrap_or(0) + CELL_GAP;
                        column += 1;
                        x = column_x;
                    }
                    return None;
                }
                let at = x;
                x += w;
                Some((start + offset, g, w, at))
            },
        )
    }

    /// Rows of block `b` if already laid out; never computes.
    pub fn cached(&self, b: usize) -> Option<&[Row]> {
        self.blocks.get(b)?.as_deref()
    }

    fn gap(&mut self, doc: &Document, b: usize) -> usize {
        let block = doc.blocks()[b];
        let mut gap = block.gap_before;
        if let BlockKind::TableRow { header } = block.kind
            && self
                .table_columns(doc, b)
                .is_some_and(|(_, c)| !c.fits && c.labelled)
        {
            // A table set as `列：值` lines keeps its records apart; the header row, whose
            // texts became the labels, is the blank row before the first.
            let after_header = b > 0
                && doc.table_of(b).is_some_and(|t| t.first + 1 == b)
                && matches!(
                    doc.blocks()[b - 1].kind,
                    BlockKind::TableRow { header: true }
                );
            gap = !header && !after_header;
        }
        usize::from(self.params.spacing && gap)
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

fn layout_block(
    doc: &Document,
    b: usize,
    params: &LayoutParams,
    table: Option<&(u32, Columns)>,
) -> Vec<Row> {
    let block = doc.blocks()[b];
    let text = doc.block_text(b);
    let mut rows = Vec::new();
    match (block.kind, table) {
        (BlockKind::Code, _) => code_rows(text, params, &mut rows),
        (BlockKind::TableRow { header }, Some((index, columns))) => {
            table_rows(doc, b, header, *index, columns, params, &mut rows)
        }
        (kind, _) => {
            let (margin, hanging) = match kind {
                BlockKind::Quote { depth } => (QUOTE_STEP * usize::from(depth), 0),
                BlockKind::ListItem { depth, marker } => (
                    LIST_STEP * usize::from(depth.saturating_sub(1)),
                    usize::from(marker),
                ),
                _ => (0, 0),
            };
            let margin = fit_margin(margin, params.width);
            let options = WrapOptions {
                width: params.width.saturating_sub(margin).max(1),
                ambiguous: params.ambiguous,
                first_indent: block_indent(doc, b, params),
                hanging,
            };
            // A hard line break (`<br>`, a Markdown backslash) starts a new row.
            let mut at = 0;
            for (i, line) in text.split('\n').enumerate() {
                let first = rows.len();
                let options = if i == 0 {
                    options
                } else {
                    WrapOptions {
                        first_indent: hanging,
                        ..options
                    }
                };
                wrap_into(line, &options, &mut rows);
                for row in &mut rows[first..] {
                    row.start += at;
                    row.end += at;
                }
                at += line.len() + 1;
            }
            for row in &mut rows {
                row.indent += margin;
            }
        }
    }
    for row in &mut rows {
        row.start += block.start;
        row.end += block.start;
    }
    rows
}

/// Columns a quote level, or a nested list level, moves the text right.
pub const QUOTE_STEP: usize = 2;
pub const LIST_STEP: usize = 2;

/// A left margin, cut back so at least half the width (and at least 10 columns) is left for
/// text: deep nesting on a narrow screen never squeezes the text to nothing.
fn fit_margin(margin: usize, width: usize) -> usize {
    let keep = (width / 2).max(10.min(width));
    margin.min(width.saturating_sub(keep))
}

/// Preformatted text: each line as it is, cut where it meets the edge (never reflowed), two
/// columns in from the left when there is room.
fn code_rows(text: &str, params: &LayoutParams, rows: &mut Vec<Row>) {
    let margin = fit_margin(2, params.width);
    let width = params.width.saturating_sub(margin).max(1);
    let mut at = 0;
    for line in text.split('\n') {
        let mut start = at;
        let mut used = 0;
        let mut any = false;
        for (offset, _, w) in graphemes(line, params.ambiguous) {
            if used + w > width && used > 0 {
                rows.push(Row {
                    start,
                    end: at + offset,
                    indent: margin,
                    width: used,
                    kind: RowKind::Text,
                });
                start = at + offset;
                used = 0;
            }
            used += w;
            any = true;
        }
        if any || start == at {
            rows.push(Row {
                start,
                end: at + line.len(),
                indent: margin,
                width: used,
                kind: RowKind::Text,
            });
        }
        at += line.len() + 1;
    }
}

/// A table row: one row of aligned cells when the table fits; otherwise a `列：值` line per
/// cell (the header row then shows nothing of its own: its texts label the values).
fn table_rows(
    doc: &Document,
    b: usize,
    header: bool,
    index: u32,
    columns: &Columns,
    params: &LayoutParams,
    rows: &mut Vec<Row>,
) {
    let text = doc.block_text(b);
    if columns.fits {
        rows.push(Row {
            start: 0,
            end: text.len(),
            indent: 0,
            width: columns.widths.iter().sum::<usize>()
                + CELL_GAP * columns.widths.len().saturating_sub(1),
            kind: RowKind::Cells { table: index },
        });
        return;
    }
    let header_block = doc.table_of(b).map(|t| t.first).filter(|&h| {
        columns.labelled && matches!(doc.blocks()[h].kind, BlockKind::TableRow { header: true })
    });
    if header && header_block == Some(b) {
        // The labels carry the header; an empty row keeps the block's place.
        rows.push(Row {
            start: 0,
            end: 0,
            indent: 0,
            width: 0,
            kind: RowKind::Text,
        });
        return;
    }
    let labels: Vec<(usize, usize)> = match header_block.filter(|&h| h != b) {
        Some(h) => cell_ranges(doc.block_text(h))
            .map(|(s, e)| (doc.blocks()[h].start + s, doc.blocks()[h].start + e))
            .collect(),
        None => Vec::new(),
    };
    let block_start = doc.blocks()[b].start;
    for (k, (start, end)) in cell_ranges(text).enumerate() {
        let label = labels.get(k).copied().filter(|(s, e)| s < e);
        let label_width = label.map_or(0, |(s, e)| {
            str_width(&doc.text()[s..e], params.ambiguous) + LABEL_SEP_WIDTH
        });
        let indent = label_width.min(params.width / 2);
        let options = WrapOptions {
            width: params.width.saturating_sub(indent).max(1),
            ambiguous: params.ambiguous,
            first_indent: 0,
            hanging: 0,
        };
        let first = rows.len();
        wrap_into(&text[start..end], &options, rows);
        for (i, row) in rows[first..].iter_mut().enumerate() {
            row.start += start;
            row.end += start;
            row.indent += indent;
            if i == 0
                && let Some((s, e)) = label
            {
                row.kind = RowKind::Label {
                    start: s.min(u32::MAX as usize) as u32,
                    end: e.min(u32::MAX as usize) as u32,
                };
            }
        }
        let _ = block_start;
    }
}

/// What is drawn in a row's indent besides blank: the bars of a quote (`│` per level) and
/// the label of a table cell set as `列：值`, each with the column it starts at.
pub fn decorations(
    doc: &Document,
    b: usize,
    row: &Row,
    ambiguous: AmbiguousWidth,
) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    if let BlockKind::Quote { depth } = doc.blocks()[b].kind {
        let levels = usize::from(depth).min(row.indent / QUOTE_STEP);
        out.extend((0..levels).map(|d| (d * QUOTE_STEP, QUOTE_BAR.to_string())));
    }
    if let RowKind::Label { start, end } = row.kind {
        let label = &doc.text()[start as usize..end as usize];
        let room = row.indent.saturating_sub(LABEL_SEP_WIDTH);
        let mut text = String::new();
        let mut used = 0;
        for (_, g, w) in graphemes(label, ambiguous) {
            if used + w > room {
                break;
            }
            text.push_str(g);
            used += w;
        }
        if row.indent >= LABEL_SEP_WIDTH {
            text.push_str(LABEL_SEP);
        }
        out.push((0, text));
    }
    out
}

/// The bar left of quoted text.
pub const QUOTE_BAR: &str = "│";

/// What follows a cell's label: `名称：`.
pub const LABEL_SEP: &str = "：";
const LABEL_SEP_WIDTH: usize = 2;

/// Byte ranges of the cells of a table row's text (cells are separated by tabs).
fn cell_ranges(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    text.split('\t').map(move |cell| {
        let range = (at, at + cell.len());
        at += cell.len() + 1;
        range
    })
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

    use crate::document::{Builder, Inline};

    /// Rows of every block as (indent, text, kind), gaps as `None`.
    fn rows_of(doc: &Document, width: usize) -> Vec<Option<(usize, String, RowKind)>> {
        let mut layout = DocLayout::new(doc, LayoutParams::new(width));
        let mut out = Vec::new();
        for b in 0..doc.blocks().len() {
            for r in 0..layout.height(doc, b) {
                out.push(match layout.visual(doc, Pos { block: b, row: r }) {
                    Visual::Gap => None,
                    Visual::Text(row) => Some((
                        row.indent,
                        doc.text()[row.start..row.end].to_string(),
                        row.kind,
                    )),
                });
            }
        }
        out
    }

    fn texts(rows: &[Option<(usize, String, RowKind)>]) -> Vec<String> {
        rows.iter()
            .map(|r| {
                r.as_ref()
                    .map_or(String::new(), |(i, t, _)| format!("{}{t}", " ".repeat(*i)))
            })
            .collect()
    }

    #[test]
    fn code_keeps_its_lines_and_cuts_only_at_the_edge() {
        let mut b = Builder::new("markdown");
        b.start(BlockKind::Code);
        b.push("fn main() {\n\n    let s = \"很长的中文字符串\";\n}");
        let doc = b.finish();
        assert_eq!(
            texts(&rows_of(&doc, 16)),
            [
                "  fn main() {",
                "  ",
                "      let s = \"",
                "  很长的中文字符",
                "  串\";",
                "  }"
            ]
        );
    }

    #[test]
    fn list_items_hang_and_quotes_step_in() {
        let mut b = Builder::new("html");
        b.start(BlockKind::ListItem {
            depth: 1,
            marker: 2,
        });
        b.push("• 一二三四五六七八九十");
        b.start_joined(BlockKind::ListItem {
            depth: 2,
            marker: 3,
        });
        b.push("1. 甲乙丙丁戊己庚辛");
        b.start(BlockKind::Quote { depth: 2 });
        b.push("引文引文引文引文引文引文引文引文");
        let doc = b.finish();
        assert_eq!(
            texts(&rows_of(&doc, 12))[..5],
            [
                "• 一二三四五",
                "  六七八九十",
                "  1. 甲乙丙",
                "     丁戊己",
                "     庚辛"
            ]
        );
        let wide = texts(&rows_of(&doc, 20));
        assert_eq!(
            wide[wide.len() - 3..],
            ["", "    引文引文引文引文", "    引文引文引文引文"]
        );
        // Too narrow for two levels of margin: the text keeps at least 10 columns.
        assert_eq!(texts(&rows_of(&doc, 12))[6], "  引文引文引");
        let mut layout = DocLayout::new(&doc, LayoutParams::new(20));
        let Visual::Text(first) = layout.visual(&doc, Pos { block: 2, row: 1 }) else {
            panic!("a quote row");
        };
        let bars: Vec<(usize, String)> = decorations(&doc, 2, &first, AmbiguousWidth::Narrow);
        assert_eq!(bars, [(0, "│".to_string()), (2, "│".to_string())]);
    }

    fn table() -> Document {
        let mut b = Builder::new("markdown");
        b.start(BlockKind::Paragraph);
        b.push("前文。");
        b.start_table();
        for (header, cells) in [(true, ["公司", "营收"]), (false, ["字节跳动", "1100亿"])]
        {
            b.start_joined(BlockKind::TableRow { header });
            for cell in cells {
                b.cell();
                b.push(cell);
            }
        }
        b.end_table();
        b.finish()
    }

    #[test]
    fn a_table_that_fits_is_aligned() {
        let doc = table();
        let rows = rows_of(&doc, 30);
        assert!(matches!(rows[2], Some((0, _, RowKind::Cells { table: 0 }))));
        let mut layout = DocLayout::new(&doc, LayoutParams::new(30));
        let Visual::Text(row) = layout.visual(&doc, Pos { block: 1, row: 1 }) else {
            panic!("a table row");
        };
        let cols: Vec<(&str, usize)> = layout
            .placed(&doc, &row)
            .map(|(_, g, _, x)| (g, x))
            .collect();
        // 字节跳动 is 8 columns wide, plus the gap: the second column starts at 10.
        assert_eq!(cols[..3], [("公", 0), ("司", 2), ("营", 10)]);
        let mut out = Vec::new();
        crate::plain::cat(&doc, LayoutParams::new(30), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{3000}\u{3000}前文。\n\n公司      营收\n字节跳动  1100亿\n"
        );
    }

    #[test]
    fn a_table_too_wide_becomes_labelled_lines() {
        let doc = table();
        let mut out = Vec::new();
        crate::plain::cat(&doc, LayoutParams::new(14), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{3000}\u{3000}前文。\n\n公司：字节跳动\n营收：1100亿\n"
        );
        let rows = rows_of(&doc, 14);
        assert!(matches!(rows[3], Some((6, _, RowKind::Label { .. }))));
    }

    #[test]
    fn a_hard_break_starts_a_row() {
        let mut b = Builder::new("markdown");
        b.start(BlockKind::Paragraph);
        b.push("床前明月光，");
        b.line_break();
        b.open(Inline::Strong);
        b.push("疑是地上霜。");
        b.close(Inline::Strong);
        let doc = b.finish();
        assert_eq!(
            texts(&rows_of(&doc, 40)),
            ["    床前明月光，", "疑是地上霜。"]
        );
    }
}
