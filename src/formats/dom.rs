//! An HTML element tree (a web page's article, an EPUB chapter) written into a
//! [`Builder`]: headings, paragraphs, quotes, lists, `<pre>`, tables and inline styles.
//!
//! The walk is iterative, so a hostile page nested a hundred thousand levels deep cannot
//! overflow the stack.

use dom_query::NodeRef;

use crate::document::{BlockKind, Builder, Inline};
use crate::layout::AmbiguousWidth;
use crate::layout::width::str_width;

/// Elements whose content is never text a reader reads.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "iframe", "svg", "math",
    "button", "form", "select", "input", "textarea", "object", "embed", "canvas", "video",
    "audio", "rt", "rp", "map",
];

/// Elements that end the paragraph before them and start a new one after them.
const BLOCKS: &[&str] = &[
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "figure",
    "figcaption", "center", "address", "details", "summary", "dl", "dt", "dd", "hr", "body",
    "html", "caption", "fieldset", "legend", "hgroup", "tbody", "thead", "tfoot",
];

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
    /// Styles this element opened, closed again when it ends.
    opened: Vec<(usize, Inline)>,
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
    let mut stack: Vec<(NodeRef, bool)> = vec![(root, false)];
    let mut depth_id = 0usize;
    while let Some((node, entered)) = stack.pop() {
        if entered {
            w.exit(&node, b);
            continue;
        }
        depth_id += 1;
        if node.is_text() {
            w.text(&node.text(), b);
            continue;
        }
        if !(node.is_element() || node.is_document() || node.is_fragment()) {
            continue;
        }
        if !w.enter(&node, b) {
            continue;
        }
        stack.push((node, true));
        let children: Vec<NodeRef> = node.children_it(true).collect();
        stack.extend(children.into_iter().map(|c| (c, false)));
    }
    let _ = depth_id;
    b.end();
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
            b.push(raw);
            return;
        }
        let mut out = String::with_capacity(raw.len());
        for c in raw.chars() {
            let c = if c == '\u{a0}' { ' ' } else { c };
            if c.is_whitespace() && c != '\u{3000}' {
                let newline = c == '\n' || c == '\r';
                self.space = Some(self.space.unwrap_or(false) || newline);
                continue;
            }
            if let Some(newline) = self.space.take() {
                let started = self.pending.is_none() && b.kind().is_some() && !b.is_empty()
                    || !out.is_empty();
                let joins_cjk = newline && self.last.is_some_and(is_cjk) && is_cjk(c);
                if started && !joins_cjk && self.last.is_some_and(|l| l != '\n') {
                    out.push(' ');
                }
            }
            out.push(c);
            self.last = Some(c);
        }
        if !out.is_empty() {
            self.ensure_block(b);
            b.push(&out);
        }
    }

    fn open(&mut self, style: Inline, depth: usize, b: &mut Builder) {
        b.open(style);
        self.opened.push((depth, style));
    }

    /// Handles an element's start tag; `false` skips its content.
    fn enter(&mut self, node: &NodeRef, b: &mut Builder) -> bool {
        let tag = name(node);
        if SKIPPED.contains(&tag.as_str()) {
            return false;
        }
        if node
            .attr("hidden")
            .is_some()
            || node
                .attr("style")
                .is_some_and(|s| s.replace(' ', "").contains("display:none"))
            || node.attr("aria-hidden").is_some_and(|v| &*v == "true")
        {
            return false;
        }
        let depth = self.opened.len();
        match tag.as_str() {
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
                        (marker, list.items == 1)
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
            "strong" | "b" => self.open(Inline::Strong, depth, b),
            "em" | "i" | "cite" | "dfn" => self.open(Inline::Emphasis, depth, b),
            "s" | "del" | "strike" => self.open(Inline::Strike, depth, b),
            "code" | "kbd" | "samp" | "tt" if self.pre == 0 => self.open(Inline::Code, depth, b),
            "a" => {
                if let Some(href) = node.attr("href")
                    && !href.trim().is_empty()
                    && !href.trim_start().to_ascii_lowercase().starts_with("javascript:")
                {
                    let link = b.link(href.trim());
                    self.open(link, depth, b);
                }
            }
            "img" => {
                let alt = node.attr("alt").map(|a| normalize_space(&a)).unwrap_or_default();
                if !alt.is_empty() {
                    if self.space.take().is_some() && self.last.is_some() {
                        self.text(" ", b);
                    }
                    self.ensure_block(b);
                    b.open(Inline::Image);
                    b.push(&format!("[图: {alt}]"));
                    b.close(Inline::Image);
                    self.last = Some(']');
                }
                return false;
            }
            _ => {
                if BLOCKS.contains(&tag.as_str()) {
                    self.block_break(b);
                }
            }
        }
        true
    }

    fn exit(&mut self, node: &NodeRef, b: &mut Builder) {
        let tag = name(node);
        // Styles opened by this element close with it.
        let depth = self.opened.len();
        if let Some(&(d, style)) = self.opened.last()
            && d + 1 == depth
            && is_style_tag(&tag, style)
        {
            b.close(style);
            self.opened.pop();
        }
        match tag.as_str() {
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
                if BLOCKS.contains(&tag.as_str()) {
                    self.block_break(b);
                    // Inside a list item, text after a nested block continues the item as
                    // a paragraph of its own.
                }
            }
        }
    }
}

fn is_style_tag(tag: &str, style: Inline) -> bool {
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
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("{}深{}", "<div>".repeat(5_000), "</div>".repeat(5_000));
        let out = dump(&html);
        assert!(out.contains("Paragraph | 深"));
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
