//! An HTML element tree (a web page's article, an EPUB chapter) written into a
//! [`Builder`]: headings, paragraphs, quotes, lists, `<pre>`, tables and inline styles.
//!
//! The walk is iterative, so a hostile page nested a hundred thousand levels deep cannot
//! overflow the stack.

use std::borrow::Cow;

use dom_query::{Element, NodeData, NodeRef};

use crate::document::{BlockKind, Builder, Inline};
use crate::layout::AmbiguousWidth;
use crate::layout::width::str_width;

/// Elements whose content is never text a reader reads.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "iframe", "svg", "math", "button",
    "form", "select", "input", "textarea", "object", "embed", "canvas", "video", "audio", "rt",
    "rp", "map",
];

/// Elements that end the paragraph before them and start a new one after them.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "center",
    "address",
    "details",
    "summary",
    "dl",
    "dt",
    "dd",
    "hr",
    "body",
    "html",
    "caption",
    "fieldset",
    "legend",
    "hgroup",
    "tbody",
    "thead",
    "tfoot",
];

/// A style an element opened: what it wants, and the style once started in the builder.
struct Opened {
    depth: usize,
    want: Want,
    live: Option<Inline>,
}

enum Want {
    Style(Inline),
    Link(String),
}

#[derive(Clone, Copy)]
struct List {
    ordered: bool,
    next: u64,
    /// Items written so far: the first stands apart, the rest join it.
    items: usize,
}

/// What the walk knows about where it is.
#[derive(Default)]
struct Walker {
    quote: u8,
    lists: Vec<List>,
    pre: usize,
    table: usize,
    heading: Option<u8>,
    /// The block the next text goes into, started on the first text so empty elements leave
    /// nothing behind; with the text that begins it (a list marker).
    pending: Option<(BlockKind, String, bool)>,
    /// Whitespace seen since the last text; `true` when it held a line break.
    space: Option<bool>,
    last: Option<char>,
    /// Styles elements opened, closed again when they end. A style starts in the builder at
    /// the element's first text, so it never covers a list marker or the space before it, and
    /// a link without text leaves nothing behind.
    opened: Vec<Opened>,
    /// The first heading with this text is not written (it is already the title).
    skip_title: Option<String>,
}

/// Writes the element tree under `root` into `b`. A first heading equal to `skip_title` is
/// left out, since the reader already made it the document's title or chapter heading.
pub fn append(root: NodeRef, b: &mut Builder, skip_title: Option<&str>) {
    let mut w = Walker {
        skip_title: skip_title.map(normalize_space),
        ..Walker::default()
    };
    // Nodes to visit, and elements entered (with their name) to leave.
    let mut stack: Vec<(NodeRef, Option<Tag>)> = vec![(root, None)];
    while let Some((node, entered)) = stack.pop() {
        if let Some(tag) = entered {
            w.exit(tag.as_str(), b);
            continue;
        }
        // A text node is written from the tree as it is; an element is looked at once.
        let seen = node.query_or(Seen::Other, |n| match &n.data {
            NodeData::Text { contents } => {
                w.text(contents, b);
                Seen::Other
            }
            NodeData::Element(e) => Seen::Element(Tag::of(&e.name.local), is_hidden(e)),
            NodeData::Document | NodeData::Fragment => Seen::Element(Tag::NONE, false),
            _ => Seen::Other,
        });
        let Seen::Element(tag, hidden) = seen else {
            continue;
        };
        if hidden || !w.enter(&node, tag.as_str(), b) {
            continue;
        }
        stack.push((node, Some(tag)));
        stack.extend(node.children_it(true).map(|c| (c, None)));
    }
    b.end();
}

/// What the walk found at a node.
enum Seen {
    /// An element (or the document), with its name and whether it is hidden.
    Element(Tag, bool),
    /// Text (written already), or a comment or the like.
    Other,
}

/// An element's name in lowercase, kept without allocating; `""` for the document or
/// fragment, and for a name longer than any the walk knows (which it treats the same).
#[derive(Clone, Copy)]
struct Tag {
    name: [u8; 16],
    len: u8,
}

impl Tag {
    const NONE: Self = Self {
        name: [0; 16],
        len: 0,
    };

    fn of(name: &str) -> Self {
        let mut tag = Self::NONE;
        if let Some(lower) = tag.name.get_mut(..name.len()) {
            lower.copy_from_slice(name.as_bytes());
            lower.make_ascii_lowercase();
            tag.len = name.len() as u8;
        }
        tag
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.name[..usize::from(self.len)]).unwrap_or("")
    }
}

/// Whether an element says it is not shown (`hidden`, `display: none`, `aria-hidden`).
fn is_hidden(e: &Element) -> bool {
    let attr = |name: &str| {
        e.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value)
    };
    attr("hidden").is_some()
        || attr("style").is_some_and(|s| s.replace(' ', "").contains("display:none"))
        || attr("aria-hidden") == Some("true")
}

fn name(node: &NodeRef) -> String {
    node.node_name()
        .map(|n| n.to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFF}')
}

/// White space that the walk collapses: all of Unicode's but the ideographic space (U+3000),
/// which Chinese text indents with.
fn is_space(c: char) -> bool {
    c.is_whitespace() && c != '\u{3000}'
}

/// The next character of `s` from byte `from` on that [`is_space`], and where it is. A scan of
/// bytes: only ASCII white space and characters starting with 0xC2 (U+0085, U+00A0), 0xE1
/// (U+1680) or 0xE2 (U+2000–U+205F) need a closer look. Blocks of bytes without any of these
/// (most of a Chinese text) are passed over all at once, with vector instructions.
fn next_space(s: &str, from: usize) -> Option<(usize, char)> {
    const BLOCK: usize = 32;
    /// Whether a block has `\t` to `\r`, a space, or the first byte of other white space.
    /// Not inlined, so that the compiler keeps it a few vector instructions.
    #[inline(never)]
    fn suspect(block: &[u8; BLOCK]) -> bool {
        block.iter().fold(false, |any, &b| {
            any | (b.wrapping_sub(b'\t') < 5)
                | (b == b' ')
                | (b == 0xc2)
                | (b == 0xe1)
                | (b == 0xe2)
        })
    }
    let bytes = s.as_bytes();
    let mut i = from;
    loop {
        while let Some(block) = bytes.get(i..).and_then(<[u8]>::first_chunk::<BLOCK>) {
            if suspect(block) {
                break;
            }
            i += BLOCK;
        }
        // A block with something in it (or the last bytes), one byte after the other.
        let end = bytes.len().min(i + BLOCK);
        if i >= end {
            return None;
        }
        for (j, &byte) in bytes.iter().enumerate().take(end).skip(i) {
            match byte {
                b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => return Some((j, char::from(byte))),
                // Never a continuation byte, so `j` is where a character starts.
                0xc2 | 0xe1 | 0xe2 => {
                    if let Some(c) = s[j..].chars().next()
                        && is_space(c)
                    {
                        return Some((j, c));
                    }
                }
                _ => {}
            }
        }
        i = end;
    }
}

/// Appends `piece` to `out`, borrowing it while `out` is empty.
fn add<'a>(out: &mut Cow<'a, str>, piece: &'a str) {
    if out.is_empty() {
        *out = Cow::Borrowed(piece);
    } else {
        out.to_mut().push_str(piece);
    }
}

/// Runs of whitespace as one space, trimmed.
fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Walker {
    /// The kind a paragraph gets where the walk is.
    fn prose(&self) -> BlockKind {
        if self.quote > 0 {
            BlockKind::Quote { depth: self.quote }
        } else {
            BlockKind::Paragraph
        }
    }

    /// Ends the block being written; the next text starts a new one.
    fn block_break(&mut self, b: &mut Builder) {
        if self.pending.is_none() {
            b.end();
        }
        self.space = None;
        self.last = None;
    }

    fn expect(&mut self, kind: BlockKind, prefix: String, gap: bool, b: &mut Builder) {
        b.end();
        self.pending = Some((kind, prefix, gap));
        self.space = None;
        self.last = None;
    }

    /// Starts the pending block, or a paragraph when no block is open.
    fn ensure_block(&mut self, b: &mut Builder) {
        if let Some((kind, prefix, gap)) = self.pending.take() {
            if gap {
                b.start(kind);
            } else {
                b.start_joined(kind);
            }
            if !prefix.is_empty() {
                b.push(&prefix);
                self.last = prefix.chars().last();
            }
        } else if b.kind().is_none() {
            b.start(self.prose());
        }
    }

    fn text(&mut self, raw: &str, b: &mut Builder) {
        if self.pre > 0 {
            self.ensure_block(b);
            self.start_styles(b);
            b.push(raw);
            return;
        }
        // A line break between two elements (`<span>星期三</span>\n<span>多云</span>`) separates
        // them like a space; only a break inside running text joins Chinese characters.
        let between_elements = raw.chars().all(is_space);
        // The text with each run of white space made one space or none; the runs of other
        // characters between them are taken whole (the text itself when it is one run).
        let mut out: Cow<'_, str> = Cow::Borrowed("");
        let mut at = 0;
        while at < raw.len() {
            let space = next_space(raw, at);
            let end = space.map_or(raw.len(), |(i, _)| i);
            let word = &raw[at..end];
            if let (Some(first), Some(last)) = (word.chars().next(), word.chars().next_back()) {
                if let Some(newline) = self.space.take() {
                    let started = self.pending.is_none() && b.kind().is_some() && !b.is_empty()
                        || !out.is_empty();
                    let joins_cjk = newline && self.last.is_some_and(is_cjk) && is_cjk(first);
                    if started && !joins_cjk && self.last.is_some_and(|l| l != '\n') {
                        add(&mut out, " ");
                    }
                }
                add(&mut out, word);
                self.last = Some(last);
            }
            at = end;
            if let Some((_, c)) = space {
                // A no-break space is a space like any other here.
                let newline = !between_elements && (c == '\n' || c == '\r');
                self.space = Some(self.space.unwrap_or(false) || newline);
                at += c.len_utf8();
            }
        }
        if !out.is_empty() {
            self.ensure_block(b);
            match out.strip_prefix(' ') {
                Some(rest) if self.opened.iter().any(|o| o.live.is_none()) => {
                    b.push(" ");
                    self.start_styles(b);
                    b.push(rest);
                }
                _ => {
                    self.start_styles(b);
                    b.push(&out);
                }
            }
        }
    }

    fn open(&mut self, want: Want, depth: usize) {
        self.opened.push(Opened {
            depth,
            want,
            live: None,
        });
    }

    /// Starts in the builder the styles opened since the last text, just before the text.
    fn start_styles(&mut self, b: &mut Builder) {
        for o in &mut self.opened {
            if o.live.is_none() {
                let style = match &o.want {
                    Want::Style(style) => *style,
                    Want::Link(url) => b.link(url),
                };
                b.open(style);
                o.live = Some(style);
            }
        }
    }

    /// Handles the start tag of element `tag` (lowercase; `""` for the document), unless the
    /// element is hidden; `false` skips its content.
    fn enter(&mut self, node: &NodeRef, tag: &str, b: &mut Builder) -> bool {
        if SKIPPED.contains(&tag) {
            return false;
        }
        let depth = self.opened.len();
        match tag {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = tag.as_bytes()[1] - b'0';
                if let Some(title) = &self.skip_title
                    && normalize_space(&node.text()) == *title
                {
                    self.skip_title = None;
                    return false;
                }
                self.skip_title = None;
                self.heading = Some(level);
                self.expect(BlockKind::Heading { level }, String::new(), true, b);
            }
            "blockquote" => {
                self.quote = self.quote.saturating_add(1);
                self.block_break(b);
            }
            "ul" | "ol" | "menu" => {
                let start = node
                    .attr("start")
                    .and_then(|s| s.trim().parse::<u64>().ok())
                    .unwrap_or(1);
                self.lists.push(List {
                    ordered: tag == "ol",
                    next: start,
                    items: 0,
                });
                self.block_break(b);
            }
            "li" => {
                let depth = self.lists.len().max(1);
                let (marker, gap) = match self.lists.last_mut() {
                    Some(list) => {
                        let marker = if list.ordered {
                            list.next += 1;
                            format!("{}. ", list.next - 1)
                        } else {
                            format!("{} ", ["•", "◦", "▪"][(depth - 1).min(2)])
                        };
                        list.items += 1;
                        (marker, list.items == 1 && depth == 1)
                    }
                    None => ("• ".to_string(), true),
                };
                let width = str_width(&marker, AmbiguousWidth::Narrow).min(255) as u8;
                self.expect(
                    BlockKind::ListItem {
                        depth: depth.min(255) as u8,
                        marker: width,
                    },
                    marker,
                    gap,
                    b,
                );
            }
            "pre" | "listing" | "xmp" | "plaintext" => {
                self.pre += 1;
                if self.pre == 1 {
                    self.expect(BlockKind::Code, String::new(), true, b);
                }
            }
            "br" => {
                if self.pre > 0 {
                    self.ensure_block(b);
                    b.push("\n");
                } else if self.pending.is_none() {
                    b.line_break();
                    self.last = Some('\n');
                    self.space = None;
                }
            }
            "table" => {
                self.table += 1;
                if self.table == 1 {
                    self.block_break(b);
                    b.start_table();
                }
            }
            "tr" if self.table == 1 => {
                let header = node.ancestors_it(Some(2)).any(|a| name(&a) == "thead")
                    || (node.element_children().iter().all(|c| name(c) == "th")
                        && !node.element_children().is_empty());
                self.expect(BlockKind::TableRow { header }, String::new(), false, b);
            }
            "td" | "th" if self.table == 1 => {
                self.ensure_block(b);
                b.cell();
                self.space = None;
                self.last = None;
            }
            "strong" | "b" => self.open(Want::Style(Inline::Strong), depth),
            "em" | "i" | "cite" | "dfn" => self.open(Want::Style(Inline::Emphasis), depth),
            "s" | "del" | "strike" => self.open(Want::Style(Inline::Strike), depth),
            "code" | "kbd" | "samp" | "tt" if self.pre == 0 => {
                self.open(Want::Style(Inline::Code), depth);
            }
            "a" => {
                if let Some(href) = node.attr("href")
                    && !href.trim().is_empty()
                    && !href
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:")
                {
                    self.open(Want::Link(href.trim().to_string()), depth);
                }
            }
            "img" => {
                let alt = node
                    .attr("alt")
                    .map(|a| normalize_space(&a))
                    .unwrap_or_default();
                if !alt.is_empty() {
                    let space = self.space.take().is_some()
                        && self.pending.is_none()
                        && !b.is_empty()
                        && self.last.is_some_and(|l| l != '\n');
                    self.ensure_block(b);
                    if space {
                        b.push(" ");
                    }
                    self.start_styles(b);
                    b.open(Inline::Image);
                    b.push(&format!("[图: {alt}]"));
                    b.close(Inline::Image);
                    self.last = Some(']');
                }
                return false;
            }
            _ => {
                if BLOCKS.contains(&tag) {
                    self.block_break(b);
                }
            }
        }
        true
    }

    /// Handles the end tag of element `tag`.
    fn exit(&mut self, tag: &str, b: &mut Builder) {
        // Styles opened by this element close with it.
        let depth = self.opened.len();
        if let Some(o) = self.opened.last()
            && o.depth + 1 == depth
            && is_style_tag(tag, &o.want)
        {
            if let Some(style) = o.live {
                b.close(style);
            }
            self.opened.pop();
        }
        match tag {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.heading = None;
                self.pending = None;
                self.block_break(b);
            }
            "blockquote" => {
                self.quote = self.quote.saturating_sub(1);
                self.block_break(b);
            }
            "ul" | "ol" | "menu" => {
                self.lists.pop();
                self.pending = None;
                self.block_break(b);
            }
            "li" => {
                self.pending = None;
                self.block_break(b);
            }
            "pre" | "listing" | "xmp" | "plaintext" => {
                self.pre = self.pre.saturating_sub(1);
                if self.pre == 0 {
                    self.pending = None;
                    self.block_break(b);
                }
            }
            "table" => {
                self.table = self.table.saturating_sub(1);
                if self.table == 0 {
                    self.pending = None;
                    b.end_table();
                }
            }
            "tr" if self.table == 1 => {
                self.pending = None;
                b.end();
            }
            _ => {
                if BLOCKS.contains(&tag) {
                    self.block_break(b);
                    // Inside a list item, text after a nested block continues the item as
                    // a paragraph of its own.
                }
            }
        }
    }
}

fn is_style_tag(tag: &str, want: &Want) -> bool {
    let style = match want {
        Want::Style(style) => *style,
        Want::Link(_) => return tag == "a",
    };
    match style {
        Inline::Strong => matches!(tag, "strong" | "b"),
        Inline::Emphasis => matches!(tag, "em" | "i" | "cite" | "dfn"),
        Inline::Strike => matches!(tag, "s" | "del" | "strike"),
        Inline::Code => matches!(tag, "code" | "kbd" | "samp" | "tt"),
        Inline::Link(_) => tag == "a",
        Inline::Image => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(html: &str) -> String {
        let page = dom_query::Document::from(html);
        let mut b = Builder::new("html");
        append(page.root(), &mut b, None);
        b.finish().dump()
    }

    #[test]
    fn blocks_and_styles() {
        let out = dump(
            "<html><head><title>t</title><style>p{}</style></head><body>\
             <h2>小节</h2><p>第一段，<b>粗体</b>和<a href='https://a.cn/x'>链接</a>。</p>\
             <blockquote><p>引文</p></blockquote>\
             <ul><li>甲</li><li>乙<ol start=3><li>丙</li></ol></li></ul>\
             <pre>fn main() {\n    x();\n}</pre>\
             <table><thead><tr><th>名称</th><th>价格</th></tr></thead>\
             <tbody><tr><td>苹果</td><td>3</td></tr></tbody></table>\
             <p>图：<img src=a.png alt='一只猫'></p><script>alert(1)</script></body></html>",
        );
        insta::assert_snapshot!(out);
    }

    #[test]
    fn line_breaks_between_chinese_characters_vanish() {
        let out = dump("<p>中文在源文件里\n  换了行，English\nwords keep a space.</p>");
        assert!(out.contains("Paragraph | 中文在源文件里换了行，English words keep a space."));
        let out = dump("<div><span>五月一日</span>\n  <span>多云</span></div>");
        assert!(out.contains("Paragraph | 五月一日 多云"), "{out}");
    }

    #[test]
    fn the_byte_scan_finds_every_white_space_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("字{c}字");
            let found = next_space(&s, 0);
            assert_eq!(found.is_some(), is_space(c), "U+{:04X}", c as u32);
            if let Some(found) = found {
                assert_eq!(found, ("字".len(), c));
            }
        }
        assert_eq!(next_space("a b\u{a0}c", 2), Some((3, '\u{a0}')));
        assert_eq!(next_space("全角\u{3000}空格", 0), None);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("{}深{}", "<div>".repeat(5_000), "</div>".repeat(5_000));
        let out = dump(&html);
        assert!(out.contains("Paragraph | 深"));
    }

    #[test]
    fn styles_start_at_their_text() {
        let page = dom_query::Document::from(
            "<ul><li><a href='/a'>甲</a></li></ul><p>看 <a href='/b'>这里</a> 和 <b>那里</b>\
             <a href='/empty'><img src=x.png></a></p>",
        );
        let mut b = Builder::new("html");
        append(page.root(), &mut b, None);
        let doc = b.finish();
        let runs: Vec<&str> = doc
            .spans()
            .iter()
            .map(|s| &doc.text()[s.start..s.end])
            .collect();
        // Not the list marker, not the space before the link; a link with no text is no link.
        assert_eq!(runs, ["甲", "这里", "那里"]);
        assert_eq!(doc.links(), ["/a", "/b"]);
        assert_eq!(doc.text(), "• 甲\n\n看 这里 和 那里");
    }

    #[test]
    fn hidden_and_skipped_content_is_left_out() {
        let out = dump(
            "<p>看得见</p><p hidden>藏起来</p><div style='display: none'>也藏</div>\
             <ruby>汉<rt>hàn</rt></ruby><button>分享</button>",
        );
        assert!(out.contains("看得见"));
        assert!(!out.contains("藏"));
        assert!(!out.contains("hàn"));
        assert!(!out.contains("分享"));
    }
}
