//! The document model: normalized text cut into blocks (title, metadata, headings, paragraphs,
//! quotes, list items, code, table rows, the related-links tail), with inline styles and links.
//! Every input format becomes one of these; nothing after the reader knows the format.
//! Positions everywhere are byte offsets into [`Document::text`].

mod build;

use std::sync::Arc;

pub use build::Builder;

use crate::text;

/// What a block is, which decides how it is drawn and how `]`/`[` and `}`/`{` move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Title,
    /// Byline, timestamp, source: the short lines under the title.
    Meta,
    Heading {
        level: u8,
    },
    Paragraph,
    /// A paragraph inside `depth` block quotes.
    Quote {
        depth: u8,
    },
    /// A list item whose text starts with its marker (`• `, `1. `, `☐ `): continuation rows
    /// hang under the text after the marker, `marker` columns in; nested `depth` lists deep.
    ListItem {
        depth: u8,
        marker: u8,
    },
    /// Preformatted text (a code block): its lines are kept as they are, never reflowed.
    Code,
    /// A row of a table: cells separated by `\t`.
    TableRow {
        header: bool,
    },
    /// The line (`相关内容`, `热门资讯` …) that starts the links a web page leaves behind.
    RelatedHeading,
    /// A line of that trailing block; drawn dimmed.
    Related,
}

impl BlockKind {
    pub fn is_heading(self) -> bool {
        matches!(self, Self::Heading { .. } | Self::RelatedHeading)
    }
}

/// A line of the document: `start..end` is its text, without a Markdown `#` marker and without
/// trailing spaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub start: usize,
    pub end: usize,
    /// Drawn with a blank row above it.
    pub gap_before: bool,
}

/// A line of the outline: block `block`, `level` deep (1 is the top).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutlineEntry {
    pub block: usize,
    pub level: u8,
}

/// How a run of text inside a block is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Inline {
    Emphasis,
    Strong,
    Strike,
    /// Inline code.
    Code,
    /// A link: index into [`Document::links`].
    Link(u32),
    /// The alt text of an image, as `[图: alt]`.
    Image,
}

/// A styled run: `start..end` in the document text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub style: Inline,
}

/// A table: `rows` consecutive [`BlockKind::TableRow`] blocks from block `first`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Table {
    pub first: usize,
    pub rows: usize,
}

/// What the source said about itself, beyond its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Info {
    /// The input format that read it: `text`, `markdown`, `html` or `epub`.
    pub format: &'static str,
    pub author: Option<String>,
    pub date: Option<String>,
    pub tags: Vec<String>,
    /// A remark for the status line (a web page without a recognisable article, say).
    pub note: Option<String>,
}

/// A loaded article.
#[derive(Clone, Debug)]
pub struct Document {
    /// Shared, so a thread that reads the whole text (the entity extraction) needs no copy.
    text: Arc<String>,
    blocks: Vec<Block>,
    /// Number of paragraph blocks before each block, for "paragraph x/y".
    paragraphs_before: Vec<u32>,
    paragraph_count: usize,
    hash: String,
    spans: Vec<Span>,
    links: Vec<String>,
    tables: Vec<Table>,
    /// Blocks that start a chapter (an EPUB's spine documents), in order.
    chapters: Vec<usize>,
    info: Info,
}

/// Lines that start the related-links tail of a scraped web page.
const RELATED_MARKERS: &[&str] = &[
    "相关内容",
    "相关阅读",
    "相关文章",
    "相关推荐",
    "相关新闻",
    "热门资讯",
    "热门推荐",
    "热门文章",
    "推荐阅读",
    "延伸阅读",
    "猜你喜欢",
    "更多精彩",
    "更多推荐",
    "往期回顾",
    "往期推荐",
];

/// Words that start a byline or source line under a title.
const META_PREFIXES: &[&str] = &[
    "作者",
    "来源",
    "编辑",
    "责编",
    "责任编辑",
    "记者",
    "发布",
    "时间",
    "日期",
    "原创",
    "撰文",
    "文/",
    "文|",
    "文 |",
    "图/",
    "出品",
    "供稿",
    "校对",
    "审核",
    "By ",
    "by ",
    "原标题",
];

impl Document {
    /// Builds a document from decoded text; sanitizes it first.
    pub fn new(raw: &str) -> Self {
        Self::from_string(raw.to_string())
    }

    /// As [`Document::new`], taking ownership so clean text is not copied.
    pub fn from_string(raw: String) -> Self {
        let text = match text::sanitize(&raw) {
            std::borrow::Cow::Borrowed(_) => raw,
            std::borrow::Cow::Owned(clean) => clean,
        };
        let blocks = split_blocks(&text);
        Self::assemble(
            text,
            blocks,
            Parts {
                info: Info {
                    format: "text",
                    ..Info::default()
                },
                ..Parts::default()
            },
        )
    }

    /// Puts a document together from clean text and its blocks (sorted, inside the text).
    fn assemble(text: String, blocks: Vec<Block>, parts: Parts) -> Self {
        let mut paragraphs_before = Vec::with_capacity(blocks.len());
        let mut count = 0u32;
        for block in &blocks {
            paragraphs_before.push(count);
            if block.kind == BlockKind::Paragraph {
                count += 1;
            }
        }
        let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()));
        Self {
            text: Arc::new(text),
            blocks,
            paragraphs_before,
            paragraph_count: count as usize,
            hash,
            spans: parts.spans,
            links: parts.links,
            tables: parts.tables,
            chapters: parts.chapters,
            info: parts.info,
        }
    }

    /// A readable listing of the blocks and styled runs, one per line, for tests and
    /// snapshots: `Heading { level: 2 } | 小节`, then `  Strong "粗体"`.
    pub fn dump(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let info = &self.info;
        let _ = writeln!(out, "format: {}", info.format);
        for (label, value) in [
            ("author", &info.author),
            ("date", &info.date),
            ("note", &info.note),
        ] {
            if let Some(v) = value {
                let _ = writeln!(out, "{label}: {v}");
            }
        }
        if !info.tags.is_empty() {
            let _ = writeln!(out, "tags: {}", info.tags.join(", "));
        }
        for (i, block) in self.blocks.iter().enumerate() {
            let chapter = if self.chapters.contains(&i) {
                "[chapter] "
            } else {
                ""
            };
            let gap = if block.gap_before || i == 0 {
                ""
            } else {
                "(joined) "
            };
            let _ = writeln!(
                out,
                "{chapter}{gap}{:?} | {}",
                block.kind,
                self.text[block.start..block.end]
                    .replace('\n', "⏎")
                    .replace('\t', "⇥")
            );
            for span in self
                .spans
                .iter()
                .filter(|s| s.start >= block.start && s.start < block.end.max(block.start + 1))
            {
                let target = match span.style {
                    Inline::Link(i) => format!(" -> {}", self.links[i as usize]),
                    _ => String::new(),
                };
                let _ = writeln!(
                    out,
                    "    {:?} {:?}{target}",
                    span.style,
                    &self.text[span.start..span.end]
                );
            }
        }
        out
    }

    /// The title, chapters and headings in reading order, each with its depth: the title
    /// and a book's chapters are level 1; a heading is one level below the chapter it is in.
    pub fn outline(&self) -> Vec<OutlineEntry> {
        let book = !self.chapters.is_empty();
        self.blocks
            .iter()
            .enumerate()
            .filter_map(|(block, b)| {
                let level = match b.kind {
                    BlockKind::Title => 1,
                    _ if self.chapters.contains(&block) => 1,
                    BlockKind::Heading { level } if book => level.saturating_add(1).min(7),
                    BlockKind::Heading { level } => level,
                    BlockKind::RelatedHeading => 2,
                    _ => return None,
                };
                Some(OutlineEntry { block, level })
            })
            .collect()
    }

    /// What the source said about itself (format, author, date, tags).
    pub fn info(&self) -> &Info {
        &self.info
    }

    /// Styled runs, sorted by start; they may nest (a link inside strong text).
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// Link targets, indexed by [`Inline::Link`].
    pub fn links(&self) -> &[String] {
        &self.links
    }

    /// The target of the link covering `offset`, if any.
    pub fn link_at(&self, offset: usize) -> Option<&str> {
        let end = self.spans.partition_point(|s| s.start <= offset);
        self.spans[..end].iter().rev().find_map(|s| match s.style {
            Inline::Link(i) if offset < s.end => self.links.get(i as usize).map(String::as_str),
            _ => None,
        })
    }

    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// The table that block `b` is a row of.
    pub fn table_of(&self, b: usize) -> Option<Table> {
        let i = self
            .tables
            .partition_point(|t| t.first <= b)
            .checked_sub(1)?;
        let t = self.tables[i];
        (b < t.first + t.rows).then_some(t)
    }

    /// Blocks that start a chapter, in reading order (empty unless the source has chapters).
    pub fn chapters(&self) -> &[usize] {
        &self.chapters
    }

    /// The title of the chapter holding `offset`, for books.
    pub fn chapter_at(&self, offset: usize) -> Option<&str> {
        let block = self.block_at(offset);
        let i = self
            .chapters
            .partition_point(|&c| c <= block)
            .checked_sub(1)?;
        Some(self.block_text(self.chapters[i]))
    }

    /// The normalized (sanitized) text that all offsets point into.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// [`Document::text`] for another thread to read (the reader's entity extraction): the
    /// same text, not a copy of what may be a whole book.
    pub fn shared_text(&self) -> Arc<String> {
        Arc::clone(&self.text)
    }

    /// The text, the rest of the document dropped: a copy only while a
    /// [`Document::shared_text`] of it is still held.
    pub fn into_text(self) -> String {
        Arc::try_unwrap(self.text).unwrap_or_else(|shared| shared.as_ref().clone())
    }

    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    pub fn block_text(&self, index: usize) -> &str {
        let b = &self.blocks[index];
        &self.text[b.start..b.end]
    }

    /// Content hash of the normalized text: identifies the document across paths.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The title block's text, if the document has one.
    pub fn title(&self) -> Option<&str> {
        self.blocks
            .iter()
            .position(|b| b.kind == BlockKind::Title)
            .map(|i| self.block_text(i))
    }

    /// The byline's name, when a metadata line under the title names the author outright:
    /// `作者：张三`, `文/李四`, `撰文 | 王五`, `记者 赵六`, `By Jane Doe`. The name runs to the end
    /// of the line or to what follows it there (another field such as `来源：…`, a date, a
    /// `|`); a bare line such as `创始人` (an account or a role, not clearly a byline) is
    /// not taken for one.
    pub fn author(&self) -> Option<&str> {
        if let Some(author) = self.info.author.as_deref() {
            return Some(author);
        }
        self.blocks
            .iter()
            .take_while(|b| matches!(b.kind, BlockKind::Title | BlockKind::Meta))
            .filter(|b| b.kind == BlockKind::Meta)
            .find_map(|b| byline_name(&self.text[b.start..b.end]))
    }

    /// Index of the block holding `offset` (or the nearest block before it).
    pub fn block_at(&self, offset: usize) -> usize {
        self.blocks
            .partition_point(|b| b.start <= offset)
            .saturating_sub(1)
    }

    pub fn paragraph_count(&self) -> usize {
        self.paragraph_count
    }

    /// 1-based number of the paragraph holding `offset`, or of the last paragraph before it.
    pub fn paragraph_number(&self, offset: usize) -> usize {
        if self.blocks.is_empty() {
            return 0;
        }
        let i = self.block_at(offset);
        self.paragraphs_before[i] as usize
            + usize::from(self.blocks[i].kind == BlockKind::Paragraph)
    }
}

/// The parts of a document besides its text and blocks.
#[derive(Debug, Default)]
struct Parts {
    spans: Vec<Span>,
    links: Vec<String>,
    tables: Vec<Table>,
    chapters: Vec<usize>,
    info: Info,
}

/// Prefixes that say a line names the author (longest first where one starts another).
const BYLINE_PREFIXES: &[&str] = &[
    "作者", "撰文", "文/", "文／", "文|", "文｜", "文 |", "文 ｜", "记者", "By ", "by ", "BY ",
];

/// The name in a byline line (see [`Document::author`]).
fn byline_name(line: &str) -> Option<&str> {
    let line = line.trim_matches([' ', '\u{3000}']);
    let rest = BYLINE_PREFIXES.iter().find_map(|p| line.strip_prefix(p))?;
    let rest = rest.trim_start_matches([' ', '\u{3000}', ':', '：', '|', '｜', '/', '／']);
    // The name ends at a separator, or at a word that starts another field or a date.
    let mut end = rest
        .find(['|', '｜', '丨', '\u{3000}', '，', ',', '；', ';', '(', '（'])
        .unwrap_or(rest.len());
    let mut at = 0;
    for word in rest[..end].split(' ') {
        let starts_field = META_PREFIXES.iter().any(|p| match p.strip_suffix(' ') {
            // `By ` is a word of its own (`Byron` is a name).
            Some(word_prefix) => word == word_prefix,
            None => word.starts_with(p),
        }) || word.starts_with(|c: char| c.is_ascii_digit());
        if at > 0 && (word.is_empty() || starts_field) {
            end = at - 1;
            break;
        }
        at += word.len() + 1;
    }
    let name = rest[..end].trim_end_matches([' ', ':', '：']);
    let chars = name.chars().count();
    // A name, not a sentence: short, and no sentence punctuation.
    let plausible = (1..=30).contains(&chars)
        && !name.chars().any(is_sentence_punctuation)
        && !name.starts_with(|c: char| c.is_ascii_digit());
    plausible.then_some(name)
}

/// A source line: its text range with trailing whitespace trimmed.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

fn split_blocks(text: &str) -> Vec<Block> {
    let mut lines: Vec<Option<Line>> = Vec::new();
    let mut offset = 0;
    for raw in text.split('\n') {
        let trimmed = raw.trim_end_matches([' ', '\u{3000}']);
        let blank = trimmed.trim_start_matches([' ', '\u{3000}']).is_empty();
        lines.push((!blank).then_some(Line {
            start: offset,
            end: offset + trimmed.len(),
        }));
        offset += raw.len() + 1;
    }
    let line_text = |l: &Line| &text[l.start..l.end];
    let nonblank: Vec<(usize, Line)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.map(|l| (i, l)))
        .collect();

    let mut kinds: Vec<BlockKind> = vec![BlockKind::Paragraph; nonblank.len()];
    let mut starts: Vec<usize> = nonblank.iter().map(|(_, l)| l.start).collect();

    // Markdown headings anywhere.
    for (k, (_, line)) in nonblank.iter().enumerate() {
        if let Some((level, skip)) = markdown_heading(line_text(line)) {
            kinds[k] = BlockKind::Heading { level };
            starts[k] = line.start + skip;
        }
    }

    // Title: the first line, unless it reads like a long paragraph.
    let mut body_from = 0;
    if let Some((_, first)) = nonblank.first() {
        let t = line_text(first);
        if t.chars().count() <= 120 || nonblank.len() == 1 {
            kinds[0] = BlockKind::Title;
            body_from = 1;
            // Metadata: up to four short lines right under the title.
            let mut prev_index = nonblank[0].0;
            for k in 1..nonblank.len().min(5) {
                let (index, line) = nonblank[k];
                let adjacent = index == prev_index + 1;
                if index > prev_index + 2 || !is_meta_line(line_text(&line), adjacent) {
                    break;
                }
                kinds[k] = BlockKind::Meta;
                body_from = k + 1;
                prev_index = index;
            }
        }
    }

    // The related-links tail: from a marker line in the second half of the text to the end.
    let related_from = (body_from..nonblank.len())
        .find(|&k| {
            let line = nonblank[k].1;
            line.start * 2 >= text.len() && RELATED_MARKERS.contains(&line_text(&line).trim())
        })
        .unwrap_or(nonblank.len());
    for k in related_from..nonblank.len() {
        kinds[k] = if RELATED_MARKERS.contains(&line_text(&nonblank[k].1).trim()) {
            BlockKind::RelatedHeading
        } else {
            BlockKind::Related
        };
    }

    // Stand-alone short lines between paragraphs are headings.
    let candidate: Vec<bool> = (0..nonblank.len())
        .map(|k| {
            k >= body_from
                && k < related_from
                && kinds[k] == BlockKind::Paragraph
                && is_heading_like(line_text(&nonblank[k].1))
        })
        .collect();
    for k in body_from..related_from {
        let next_is_paragraph = k + 1 < related_from && !candidate[k + 1];
        let prev_is_not_candidate = k == 0 || !candidate[k - 1];
        if candidate[k] && next_is_paragraph && prev_is_not_candidate {
            kinds[k] = BlockKind::Heading { level: 2 };
        }
    }

    let mut blocks = Vec::with_capacity(nonblank.len());
    for (k, (_, line)) in nonblank.iter().enumerate() {
        let kind = kinds[k];
        let prev = k.checked_sub(1).map(|p| kinds[p]);
        let gap_before = !matches!(
            (prev, kind),
            (None, _)
                | (Some(BlockKind::Title | BlockKind::Meta), BlockKind::Meta)
                | (
                    Some(BlockKind::RelatedHeading | BlockKind::Related),
                    BlockKind::Related
                )
        );
        blocks.push(Block {
            kind,
            start: starts[k],
            end: line.end.max(starts[k]),
            gap_before,
        });
    }
    blocks
}

/// `## text` → (2, bytes to skip).
fn markdown_heading(line: &str) -> Option<(u8, usize)> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    let body = rest.trim_start_matches(' ');
    if body.len() == rest.len() || body.is_empty() {
        return None;
    }
    Some((hashes as u8, line.len() - body.len()))
}

fn is_meta_line(line: &str, adjacent_to_title: bool) -> bool {
    let line = line.trim();
    let chars = line.chars().count();
    if chars > 40 {
        return false;
    }
    if META_PREFIXES.iter().any(|p| line.starts_with(p)) || has_date_or_time(line) {
        return true;
    }
    adjacent_to_title && chars <= 12 && !line.chars().any(is_sentence_punctuation)
}

/// `2026-01-30`, `2026/1/30`, `2026年1月30日`, `2026.01.30`, `00:37`.
fn has_date_or_time(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    let digits_at = |i: usize, n: usize| {
        i + n <= chars.len() && chars[i..i + n].iter().all(|c| c.is_ascii_digit())
    };
    (0..chars.len()).any(|i| {
        (digits_at(i, 4)
            && chars
                .get(i + 4)
                .is_some_and(|c| matches!(c, '-' | '/' | '.' | '年'))
            && digits_at(i + 5, 1))
            || (digits_at(i, 2) && chars.get(i + 2) == Some(&':') && digits_at(i + 3, 2))
    })
}

fn is_sentence_punctuation(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | '；' | ';' | '…' | '，' | ',' | '：' | ':' | '、'
    )
}

fn is_heading_like(line: &str) -> bool {
    let line = line.trim();
    let chars = line.chars().count();
    if !(2..=30).contains(&chars) {
        return false;
    }
    let ends_open = line
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '，' | ',' | '、' | '：' | ':' | '—' | '“' | '「' | '（'));
    let sentence = line
        .chars()
        .any(|c| matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '…'));
    let has_letters = line.chars().any(|c| c.is_alphabetic());
    !ends_open && !sentence && has_letters
}

#[cfg(test)]
mod tests {
    use super::*;
    use BlockKind::*;

    fn kinds(doc: &Document) -> Vec<(BlockKind, &str)> {
        (0..doc.blocks().len())
            .map(|i| (doc.blocks()[i].kind, doc.block_text(i)))
            .collect()
    }

    #[test]
    fn the_shared_text_is_the_text_itself() {
        let doc = Document::new("标题\n\n正文。");
        let shared = doc.shared_text();
        assert_eq!(shared.as_str(), doc.text());
        assert!(std::ptr::eq(shared.as_str(), doc.text()), "not a copy");
        // Still shared: a copy comes back.
        assert_eq!(doc.clone().into_text(), "标题\n\n正文。");
        drop(shared);
        let at = doc.text().as_ptr();
        let text = doc.into_text();
        assert_eq!(text, "标题\n\n正文。");
        assert_eq!(text.as_ptr(), at, "not a copy");
    }

    #[test]
    fn title_meta_paragraphs_headings() {
        let text = "标题在这里,还有问题吗?\n创始人\n2026-01-30 00:37:22\n\n\
            第一段很长的正文，说了很多话。\n\nAI正在颠覆知识类行业\n\n第二段正文，也说了很多话。\n";
        let doc = Document::new(text);
        assert_eq!(
            kinds(&doc),
            [
                (Title, "标题在这里,还有问题吗?"),
                (Meta, "创始人"),
                (Meta, "2026-01-30 00:37:22"),
                (Paragraph, "第一段很长的正文，说了很多话。"),
                (Heading { level: 2 }, "AI正在颠覆知识类行业"),
                (Paragraph, "第二段正文，也说了很多话。"),
            ]
        );
        assert!(!doc.blocks()[1].gap_before);
        assert!(doc.blocks()[3].gap_before);
        assert_eq!(doc.paragraph_count(), 2);
    }

    #[test]
    fn the_author_is_a_byline_that_says_so() {
        let author = |meta: &str| {
            let doc = Document::new(&format!("标题\n{meta}\n\n正文，说了很多话。\n"));
            doc.author().map(str::to_string)
        };
        assert_eq!(author("作者：张三").as_deref(), Some("张三"));
        assert_eq!(author("作者: 张三  来源：新华社").as_deref(), Some("张三"));
        assert_eq!(
            author("作者 张三 2026-01-30 10:00").as_deref(),
            Some("张三")
        );
        assert_eq!(author("文/李四").as_deref(), Some("李四"));
        assert_eq!(author("文 | 李四｜编辑：王五").as_deref(), Some("李四"));
        assert_eq!(author("撰文｜王五").as_deref(), Some("王五"));
        assert_eq!(author("记者 赵六").as_deref(), Some("赵六"));
        assert_eq!(author("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            author("By Jane Doe 2026-01-30").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(author("By Lord Byron").as_deref(), Some("Lord Byron"));
        // Not clearly a byline: a bare name or role, a source, a date.
        assert_eq!(author("创始人"), None);
        assert_eq!(author("来源：新华社"), None);
        assert_eq!(author("2026-01-30 00:37:22"), None);
        assert_eq!(author("作者："), None);
        // The sample's meta lines name no author.
        let sample = std::str::from_utf8(crate::load::SAMPLE).unwrap();
        assert_eq!(Document::new(sample).author(), None);
        // Only under the title: a byline-looking paragraph further down is not one.
        let doc = Document::new("标题\n\n正文，说了很多话。\n\n作者：张三\n");
        assert_eq!(doc.author(), None);
    }

    #[test]
    fn markdown_headings_drop_their_marker() {
        let doc = Document::new("# 标题\n\n正文。\n\n## 小节\n\n更多正文。");
        assert_eq!(kinds(&doc)[0], (Title, "标题"));
        assert_eq!(kinds(&doc)[2], (Heading { level: 2 }, "小节"));
    }

    #[test]
    fn related_tail_is_marked() {
        let body = "正文段落，内容足够长，占据文章的大部分篇幅。".repeat(10);
        let text = format!("标题\n\n{body}\n\n相关内容\n\n热门资讯\n链接一...\n链接二...");
        let doc = Document::new(&text);
        let k = kinds(&doc);
        assert_eq!(k[2], (RelatedHeading, "相关内容"));
        assert_eq!(k[3], (RelatedHeading, "热门资讯"));
        assert_eq!(k[4], (Related, "链接一..."));
        assert!(!doc.blocks()[4].gap_before);
    }

    #[test]
    fn a_marker_early_in_the_text_is_not_the_tail() {
        let body = "正文段落，内容足够长，占据文章的大部分篇幅。".repeat(10);
        let doc = Document::new(&format!("标题\n\n相关内容\n\n{body}"));
        assert!(doc.blocks().iter().all(|b| b.kind != Related));
    }

    #[test]
    fn consecutive_short_lines_are_verse_not_headings() {
        let doc = Document::new("静夜思\n\n床前明月光\n疑是地上霜\n举头望明月\n低头思故乡");
        assert!(doc.blocks()[1..].iter().all(|b| b.kind == Paragraph));
    }

    #[test]
    fn offsets_and_paragraph_numbers() {
        let doc = Document::new("标题\n\n甲段。\n\n乙段。");
        let second = doc.blocks()[2].start;
        assert_eq!(doc.block_at(second + 3), 2);
        assert_eq!(doc.paragraph_number(second), 2);
        assert_eq!(doc.paragraph_number(0), 0);
    }

    #[test]
    fn hash_depends_on_normalized_text_only() {
        assert_eq!(
            Document::new("甲\r\n乙").hash(),
            Document::new("甲\n乙").hash()
        );
        assert_ne!(Document::new("甲").hash(), Document::new("乙").hash());
    }

    #[test]
    fn empty_document_has_no_blocks() {
        let doc = Document::new("");
        assert!(doc.blocks().is_empty());
        assert_eq!(doc.paragraph_count(), 0);
        assert_eq!(doc.title(), None);
    }
}
