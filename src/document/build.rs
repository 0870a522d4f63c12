//! Building a [`Document`] block by block: what every structured reader (Markdown, HTML,
//! EPUB) writes into, so they all produce the same normalized text, blocks and spans.
//!
//! The normalized text is the document as a person reads it: block texts separated by a blank
//! line (or a single line break inside a run of meta lines, list items, table rows), with no
//! markup. Everything pushed is sanitized on the way in.

use super::{Block, BlockKind, Document, Info, Inline, Parts, Span, Table};
use crate::text;

/// Writes a document. Call [`Builder::start`] for each block, [`Builder::push`] its text, and
/// [`Builder::finish`] at the end; empty blocks vanish by themselves.
#[derive(Debug, Default)]
pub struct Builder {
    text: String,
    blocks: Vec<Block>,
    parts: Parts,
    /// The block being written: its kind, and where its separator and its text begin.
    current: Option<Current>,
    /// Styles opened and not yet closed, with where they opened.
    open: Vec<(Inline, usize)>,
    /// The next block starts a chapter.
    chapter_pending: bool,
    /// Rows of the table being written, from this block.
    table: Option<usize>,
    /// Whether the first block was started with a blank line above it (which the first block
    /// of a document does not show, but [`Builder::extend`] needs when this one goes after
    /// another).
    first_gap: bool,
}

/// Where a style opened outside any block starts: at the next block's text.
const OUTSIDE: usize = usize::MAX;

#[derive(Clone, Copy, Debug)]
struct Current {
    kind: BlockKind,
    separator_at: usize,
    start: usize,
    /// Started with a blank line above it (shown unless the block is the document's first).
    gap: bool,
    gap_before: bool,
    /// Cells started in this block (a table row).
    cells: u32,
}

impl Builder {
    pub fn new(format: &'static str) -> Self {
        let mut b = Self::default();
        b.parts.info.format = format;
        b
    }

    /// What the source says about itself (author, date, tags, a note for the status line).
    pub fn info_mut(&mut self) -> &mut Info {
        &mut self.parts.info
    }

    /// Starts a block with a blank line above it (ending the one being written).
    pub fn start(&mut self, kind: BlockKind) {
        self.begin(kind, true);
    }

    /// Starts a block that follows the previous one without a blank line (the next meta line,
    /// list item of a tight list, table row).
    pub fn start_joined(&mut self, kind: BlockKind) {
        self.begin(kind, false);
    }

    fn begin(&mut self, kind: BlockKind, gap: bool) {
        self.end();
        // A table's first row stands apart from what comes before it.
        let gap = gap || self.table == Some(self.blocks.len());
        let separator_at = self.text.len();
        let first = self.blocks.is_empty();
        if !first {
            self.text.push_str(if gap { "\n\n" } else { "\n" });
        }
        self.current = Some(Current {
            kind,
            separator_at,
            start: self.text.len(),
            gap,
            gap_before: gap && !first,
            cells: 0,
        });
        // Styles still open continue in the new block.
        let at = self.text.len();
        for (_, opened) in &mut self.open {
            *opened = at;
        }
    }

    /// The kind of the block being written.
    pub fn kind(&self) -> Option<BlockKind> {
        self.current.map(|c| c.kind)
    }

    /// Bytes of normalized text written so far.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Whether the block being written has no text yet.
    pub fn is_empty(&self) -> bool {
        self.current.is_none_or(|c| c.start == self.text.len())
    }

    /// Appends text to the current block (starting a paragraph if none is open). Outside code,
    /// line breaks become spaces, and spaces at the start of a block are dropped.
    pub fn push(&mut self, s: &str) {
        if self.current.is_none() {
            self.start(BlockKind::Paragraph);
        }
        let clean = text::sanitize(s);
        let code = self.kind() == Some(BlockKind::Code);
        if code {
            self.text.push_str(&clean);
            return;
        }
        let mut piece: &str = &clean;
        if self.is_empty() {
            piece = piece.trim_start_matches([' ', '\n', '\u{3000}']);
        }
        if piece.contains('\n') {
            self.text.push_str(&piece.replace('\n', " "));
        } else {
            self.text.push_str(piece);
        }
    }

    /// A hard line break inside a block (Markdown's trailing backslash, HTML's `<br>`): the
    /// layout starts a new row there. Ignored at the start of a block.
    pub fn line_break(&mut self) {
        if let Some(c) = self.current
            && !self.is_empty()
        {
            let trimmed = self.text.trim_end_matches(' ').len();
            self.cut_back(trimmed.max(c.start), c.start);
            if !self.text.ends_with('\n') {
                self.text.push('\n');
            }
        }
    }

    /// Cuts the text back to `len`, inside the block that starts at `from`: styles opened or
    /// closed in the part cut off stop at the new end (this block's spans are the last ones
    /// pushed).
    fn cut_back(&mut self, len: usize, from: usize) {
        self.text.truncate(len);
        for (_, at) in &mut self.open {
            if *at != OUTSIDE && *at > len {
                *at = len;
            }
        }
        let mut clamped = false;
        for span in self
            .parts
            .spans
            .iter_mut()
            .rev()
            .take_while(|s| s.start >= from)
        {
            if span.end > len {
                span.end = len;
                clamped = true;
            }
        }
        if clamped {
            self.parts.spans.retain(|s| s.start < s.end);
        }
    }

    /// Starts a table cell: a tab between cells of a [`BlockKind::TableRow`], so an empty cell
    /// still holds its column (only empty cells at the end of a row vanish).
    pub fn cell(&mut self) {
        if let Some(c) = &mut self.current
            && matches!(c.kind, BlockKind::TableRow { .. })
        {
            if c.cells > 0 {
                self.text.push('\t');
            }
            c.cells += 1;
        }
    }

    /// Opens a style at the current position.
    pub fn open(&mut self, style: Inline) {
        let at = if self.current.is_some() {
            self.text.len()
        } else {
            OUTSIDE
        };
        self.open.push((style, at));
    }

    /// Closes the most recently opened `style`.
    pub fn close(&mut self, style: Inline) {
        if let Some(i) = self.open.iter().rposition(|(s, _)| *s == style) {
            let (style, start) = self.open.remove(i);
            if start != OUTSIDE {
                self.span(style, start, self.text.len());
            }
        }
    }

    fn span(&mut self, style: Inline, start: usize, end: usize) {
        if start < end {
            self.parts.spans.push(Span { start, end, style });
        }
    }

    /// Registers a link target; open and close the returned style around the link's text.
    pub fn link(&mut self, url: &str) -> Inline {
        let url = text::sanitize_line(url);
        let index = match self.parts.links.iter().rposition(|u| *u == url) {
            Some(i) => i,
            None => {
                self.parts.links.push(url);
                self.parts.links.len() - 1
            }
        };
        Inline::Link(index as u32)
    }

    /// The next block begins a chapter (an EPUB spine document).
    pub fn chapter(&mut self) {
        self.end();
        self.chapter_pending = true;
    }

    /// The table rows that follow belong to one table, until [`Builder::end_table`].
    pub fn start_table(&mut self) {
        self.end();
        self.end_table();
        self.table = Some(self.blocks.len());
    }

    pub fn end_table(&mut self) {
        self.end();
        if let Some(first) = self.table.take() {
            let rows = self.blocks.len() - first;
            if rows > 0 {
                self.parts.tables.push(Table { first, rows });
            }
        }
    }

    /// Ends the block being written: trailing spaces go, and a block left empty (other than a
    /// code block) is taken back out.
    pub fn end(&mut self) {
        let Some(c) = self.current.take() else {
            return;
        };
        let code = c.kind == BlockKind::Code;
        let keep = if code {
            self.text.trim_end_matches('\n').len()
        } else {
            self.text
                .trim_end_matches([' ', '\n', '\t', '\u{3000}'])
                .len()
        };
        self.cut_back(keep.max(c.start), c.start);
        let end = self.text.len();
        // Styles that are still open stop at the block's end and go on in the next block.
        let open = std::mem::take(&mut self.open);
        for &(style, start) in &open {
            if start != OUTSIDE {
                self.span(style, start.min(end), end);
            }
        }
        self.open = open
            .into_iter()
            .map(|(style, _)| (style, OUTSIDE))
            .collect();
        if end == c.start && !code {
            self.text.truncate(c.separator_at);
            let cut = self.text.len();
            self.parts.spans.retain(|s| s.start < cut);
            return;
        }
        if std::mem::take(&mut self.chapter_pending) {
            self.parts.chapters.push(self.blocks.len());
        }
        if self.blocks.is_empty() {
            self.first_gap = c.gap;
        }
        self.blocks.push(Block {
            kind: c.kind,
            start: c.start,
            end,
            gap_before: c.gap_before,
        });
    }

    /// Appends the blocks written into `part` after this builder's, as if they had been
    /// written here: the same text, blocks, spans, tables and chapters (a chapter started here
    /// and not yet begun begins with `part`'s first block), links registered once. Both
    /// builders' open blocks and tables end first, so split a document only where no style is
    /// open (between chapters, say); then writing it in parts and joining them gives the
    /// document written in one go. What `part` says about the source fills in what this one
    /// does not say (author, date), adds its tags, and adds its note after this one's.
    pub fn extend(&mut self, mut part: Builder) {
        self.end_table();
        self.end();
        part.end_table();
        part.end();
        debug_assert!(
            self.open.is_empty() && part.open.is_empty(),
            "a document is split inside a style"
        );
        extend_info(&mut self.parts.info, std::mem::take(&mut part.parts.info));
        if part.blocks.is_empty() {
            self.chapter_pending |= part.chapter_pending;
            return;
        }
        let first = self.blocks.len();
        if first == 0 {
            self.first_gap = part.first_gap;
        } else {
            self.text
                .push_str(if part.first_gap { "\n\n" } else { "\n" });
            part.blocks[0].gap_before = part.first_gap;
        }
        let shift = self.text.len();
        if shift == 0 {
            self.text = part.text;
        } else {
            self.text.push_str(&part.text);
        }
        self.blocks.extend(part.blocks.iter().map(|b| Block {
            start: b.start + shift,
            end: b.end + shift,
            ..*b
        }));
        // A link the document already has keeps its index; a new one is added after.
        let links: Vec<u32> = if part.parts.links.is_empty() {
            Vec::new()
        } else {
            let mut known: std::collections::HashMap<&str, u32> = self
                .parts
                .links
                .iter()
                .enumerate()
                .map(|(i, url)| (url.as_str(), i as u32))
                .collect();
            let mut added = Vec::new();
            let mut next = self.parts.links.len() as u32;
            let map = part
                .parts
                .links
                .iter()
                .map(|url| {
                    *known.entry(url.as_str()).or_insert_with(|| {
                        added.push(url.clone());
                        next += 1;
                        next - 1
                    })
                })
                .collect();
            self.parts.links.extend(added);
            map
        };
        self.parts
            .spans
            .extend(part.parts.spans.iter().map(|s| Span {
                start: s.start + shift,
                end: s.end + shift,
                style: match s.style {
                    Inline::Link(i) => Inline::Link(links[i as usize]),
                    style => style,
                },
            }));
        self.parts
            .tables
            .extend(part.parts.tables.iter().map(|t| Table {
                first: t.first + first,
                rows: t.rows,
            }));
        if std::mem::take(&mut self.chapter_pending) && part.parts.chapters.first() != Some(&0) {
            self.parts.chapters.push(first);
        }
        self.parts
            .chapters
            .extend(part.parts.chapters.iter().map(|c| c + first));
        self.chapter_pending = part.chapter_pending;
    }

    /// The document, with spans in order of where they start.
    pub fn finish(mut self) -> Document {
        self.end_table();
        self.end();
        self.parts
            .spans
            .sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        Document::assemble(self.text, self.blocks, self.parts)
    }
}

/// What a later part of a document says about its source, added to what the earlier part said.
fn extend_info(info: &mut Info, later: Info) {
    if info.author.is_none() {
        info.author = later.author;
    }
    if info.date.is_none() {
        info.date = later.date;
    }
    for tag in later.tags {
        if !info.tags.contains(&tag) {
            info.tags.push(tag);
        }
    }
    info.note = match (info.note.take(), later.note) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use BlockKind::*;

    /// A table of `rows`, the first its header.
    fn table(b: &mut Builder, rows: &[&[&str]]) {
        b.start_table();
        for (i, row) in rows.iter().enumerate() {
            b.start_joined(TableRow { header: i == 0 });
            for cell in *row {
                b.cell();
                b.push(cell);
            }
        }
        b.end_table();
    }

    #[test]
    fn blocks_are_separated_and_empty_ones_vanish() {
        let mut b = Builder::new("markdown");
        b.start(Title);
        b.push("  标题 ");
        b.start_joined(Meta);
        b.push("作者：张三");
        b.start(Paragraph);
        b.push("   ");
        b.start(Paragraph);
        b.push("第一段\n第二行。");
        let doc = b.finish();
        assert_eq!(doc.text(), "标题\n作者：张三\n\n第一段 第二行。");
        assert_eq!(doc.blocks().len(), 3);
        assert_eq!(doc.title(), Some("标题"));
        assert!(!doc.blocks()[1].gap_before);
        assert!(doc.blocks()[2].gap_before);
        assert_eq!(doc.info().format, "markdown");
    }

    #[test]
    fn spans_links_chapters_and_tables() {
        let mut b = Builder::new("html");
        b.chapter();
        b.start(Heading { level: 1 });
        b.push("第一章");
        b.start(Paragraph);
        b.push("看");
        let link = b.link("https://example.com/\u{1b}[31m");
        b.open(link);
        b.open(Inline::Strong);
        b.push("这里");
        b.close(Inline::Strong);
        b.close(link);
        b.push("。");
        table(&mut b, &[&["名称", "价格"], &["苹果", "3"]]);
        b.chapter();
        b.start(Heading { level: 1 });
        b.push("第二章");
        b.start(Code);
        b.push("fn main() {\n    \u{1b}[2Jx\n}\n");
        let doc = b.finish();
        assert_eq!(
            doc.text(),
            "第一章\n\n看这里。\n\n名称\t价格\n苹果\t3\n\n第二章\n\nfn main() {\n    x\n}"
        );
        let at = doc.text().find("这里").unwrap();
        assert_eq!(doc.link_at(at), Some("https://example.com/"));
        assert_eq!(doc.link_at(at - 1), None);
        assert_eq!(doc.spans().len(), 2);
        assert_eq!(doc.chapters(), &[0, 4]);
        assert_eq!(doc.chapter_at(at), Some("第一章"));
        assert_eq!(doc.chapter_at(doc.text().len() - 1), Some("第二章"));
        assert_eq!(doc.tables(), &[Table { first: 2, rows: 2 }]);
        assert_eq!(doc.table_of(3), Some(Table { first: 2, rows: 2 }));
        assert_eq!(doc.table_of(4), None);
    }

    #[test]
    fn an_empty_first_cell_keeps_its_column() {
        let mut b = Builder::new("markdown");
        b.start_table();
        for (header, cells) in [(true, ["", "甲", "乙"]), (false, ["一", "", "3"])] {
            b.start_joined(TableRow { header });
            for cell in cells {
                b.cell();
                b.push(cell);
            }
        }
        b.end_table();
        assert_eq!(b.finish().text(), "\t甲\t乙\n一\t\t3");
    }

    #[test]
    fn a_style_closed_after_a_trailing_break_stays_inside_its_block() {
        let mut b = Builder::new("html");
        b.start(Paragraph);
        b.push("甲");
        b.open(Inline::Strong);
        b.push("乙");
        b.line_break();
        b.close(Inline::Strong);
        b.open(Inline::Emphasis);
        b.push(" ");
        b.close(Inline::Emphasis);
        b.start(Paragraph);
        b.push("丙");
        let doc = b.finish();
        assert_eq!(doc.text(), "甲乙\n\n丙");
        let spans: Vec<(Inline, &str)> = doc
            .spans()
            .iter()
            .map(|s| (s.style, &doc.text()[s.start..s.end]))
            .collect();
        assert_eq!(spans, [(Inline::Strong, "乙")]);
    }

    #[test]
    fn a_style_opened_in_spaces_a_break_trims_stays_on_the_text() {
        let mut b = Builder::new("markdown");
        b.start(Paragraph);
        b.push("甲     ");
        b.open(Inline::Strong);
        b.line_break();
        b.push("乙");
        b.close(Inline::Strong);
        let doc = b.finish();
        assert_eq!(doc.text(), "甲\n乙");
        let span = doc.spans()[0];
        assert_eq!(&doc.text()[span.start..span.end], "\n乙");
    }

    #[test]
    fn a_style_left_open_is_closed_at_the_end() {
        let mut b = Builder::new("html");
        b.open(Inline::Emphasis);
        b.push("斜体");
        b.start(Paragraph);
        b.push("还是斜体");
        let doc = b.finish();
        let spans: Vec<&str> = doc
            .spans()
            .iter()
            .map(|s| &doc.text()[s.start..s.end])
            .collect();
        assert_eq!(spans, ["斜体", "还是斜体"]);
    }

    /// Pieces of a book, each written from where the one before left off.
    const STEPS: usize = 9;

    fn step(b: &mut Builder, i: usize) {
        let strong_link = |b: &mut Builder, url: &str, text: &str| {
            let link = b.link(url);
            b.open(link);
            b.open(Inline::Strong);
            b.push(text);
            b.close(Inline::Strong);
            b.close(link);
        };
        match i {
            0 => {
                b.start(Title);
                b.push("书名");
                b.start_joined(Meta);
                b.push("作者：某人");
                b.info_mut().author = Some("某人".into());
            }
            1 => {
                b.chapter();
                b.start(Heading { level: 1 });
                b.push("第一章");
                b.start(Paragraph);
                b.push("看");
                strong_link(b, "https://a.cn/", "这里");
                b.push("和");
                strong_link(b, "https://b.cn/", "那里");
                b.info_mut().tags.push("甲".into());
            }
            2 => {
                // A table's first row stands apart although it is started joined.
                table(b, &[&["名称", "价格"], &["苹果"]]);
                b.info_mut().note = Some("说明".into());
            }
            // A chapter with nothing in it: the next block starts it.
            3 => b.chapter(),
            4 => {
                b.start_joined(ListItem {
                    depth: 1,
                    marker: 2,
                });
                b.push("• 甲");
                b.start_joined(ListItem {
                    depth: 1,
                    marker: 2,
                });
                b.push("• 乙");
            }
            5 => {
                b.chapter();
                b.start(Heading { level: 1 });
                b.push("第二章");
                b.start(Paragraph);
                strong_link(b, "https://c.cn/", "新的");
                b.push("，");
                strong_link(b, "https://a.cn/", "旧的");
                b.open(Inline::Emphasis);
                b.push("斜");
                b.line_break();
                b.push("体");
                b.close(Inline::Emphasis);
                b.info_mut().tags.push("乙".into());
            }
            6 => {
                // An empty code block stays; an empty paragraph vanishes.
                b.start(Code);
                b.start(Paragraph);
                b.push("  ");
                b.start_joined(Meta);
                b.push("日期：今天");
                b.info_mut().date = Some("今天".into());
            }
            7 => {
                b.chapter();
                b.start(Quote { depth: 1 });
                b.push("引文");
                strong_link(b, "https://b.cn/", "链接");
            }
            _ => {
                b.chapter();
                b.start(Paragraph);
                b.push("\u{1b}[31m末段\t结束");
            }
        }
    }

    /// A builder with steps `range` written into it.
    fn written(range: std::ops::Range<usize>) -> Builder {
        let mut b = Builder::new("epub");
        for i in range {
            step(&mut b, i);
        }
        b
    }

    #[track_caller]
    fn assert_same(joined: &Document, whole: &Document, how: &str) {
        assert_eq!(joined.text(), whole.text(), "{how}");
        assert_eq!(joined.dump(), whole.dump(), "{how}");
        assert_eq!(joined.hash(), whole.hash(), "{how}");
        assert_eq!(joined.blocks(), whole.blocks(), "{how}");
        assert_eq!(joined.spans(), whole.spans(), "{how}");
        assert_eq!(joined.links(), whole.links(), "{how}");
        assert_eq!(joined.tables(), whole.tables(), "{how}");
        assert_eq!(joined.chapters(), whole.chapters(), "{how}");
        assert_eq!(joined.info(), whole.info(), "{how}");
    }

    #[test]
    fn a_document_written_in_parts_is_the_one_written_in_one_go() {
        let whole = written(0..STEPS).finish();
        assert_eq!(whole.chapters().len(), 5);
        assert_eq!(whole.links().len(), 3);
        for cut in 0..=STEPS {
            let mut b = written(0..cut);
            b.extend(written(cut..STEPS));
            assert_same(&b.finish(), &whole, &format!("cut at {cut}"));
            for second in cut..=STEPS {
                let mut b = written(0..cut);
                b.extend(written(cut..second));
                b.extend(written(second..STEPS));
                assert_same(&b.finish(), &whole, &format!("cut at {cut} and {second}"));
            }
        }
        // Every step on its own.
        let mut b = Builder::new("epub");
        for i in 0..STEPS {
            b.extend(written(i..i + 1));
        }
        assert_same(&b.finish(), &whole, "every step apart");
    }

    #[test]
    fn joined_notes_and_tags_add_up() {
        let mut b = Builder::new("epub");
        b.info_mut().note = Some("一".into());
        b.info_mut().tags.push("甲".into());
        let mut part = Builder::new("html");
        part.info_mut().note = Some("二".into());
        part.info_mut().tags = vec!["甲".into(), "乙".into()];
        part.info_mut().author = Some("某人".into());
        part.start(Paragraph);
        part.push("正文");
        b.extend(part);
        let doc = b.finish();
        assert_eq!(doc.info().format, "epub");
        assert_eq!(doc.info().note.as_deref(), Some("一; 二"));
        assert_eq!(doc.info().tags, ["甲", "乙"]);
        assert_eq!(doc.info().author.as_deref(), Some("某人"));
        assert_eq!(doc.text(), "正文");
    }
}
