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
            self.start_styles(b);
            b.push(raw);
            return;
        }
        // A line break between two elements (`<span>星期三</span>\n<span>多云</span>`) separates
        // them like a space; only a break inside running text joins Chinese characters.
        let between_elements = raw.chars().all(|c| c.is_whitespace() && c != '\u{3000}');
        let mut out = String::with_capacity(raw.len());
        for c in raw.chars() {
            let c = if c == '\u{a0}' { ' ' } else { c };
            if c.is_whitespace() && c != '\u{3000}' {
                let newline = !between_elements && (c == '\n' || c == '\r');
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

    /// Handles an element's start tag; `false` skips its content.
    fn enter(&mut self, node: &NodeRef, b: &mut Builder) -> bool {
        let tag = name(node);
        if SKIPPED.contains(&tag.as_str()) {
            return false;
        }
        if node.attr("hidden").is_some()
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
        if let Some(o) = self.opened.last()
            && o.depth + 1 == depth
            && is_style_tag(&tag, &o.want)
        {
            if let Some(style) = o.live {
                b.close(style);
            }
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
