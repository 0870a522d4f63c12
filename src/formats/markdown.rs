//! Markdown (CommonMark + GFM tables, strikethrough, task lists, footnotes) to a [`Document`].
//!
//! The text a person reads, with none of the markup:
//!
//! - Front matter (`---` YAML or `+++` TOML at the very start) is read by a small hand parser
//!   for the simple `key: value` and list forms; it gives the title, author, date and tags
//!   (into [`crate::document::Info`] and as `Meta` lines under the title) and is never shown.
//!   Without a front-matter title, a level-1 heading that opens the document is the title; a
//!   level-1 heading that repeats the front-matter title is not shown twice.
//! - A line break inside a paragraph (Chinese Markdown is hard-wrapped) vanishes between two
//!   CJK characters and is a space otherwise; curly quotes, `…`, `—` and `·` count as CJK
//!   when the text on their side is (`“好。”⏎“再见”` joins, `“yes”⏎“no”` does not). A hard
//!   break is a line break.
//! - List items start with their marker (`• `, `◦ `, `▪ ` by depth, `3. `, `☐ `/`☑ `). A
//!   further paragraph of the same item joins the item after a line break (so it hangs under
//!   the item's text); text of an item that comes after a nested list, quote or code block is
//!   a `ListItem` block of marker width 0.
//! - Footnote references read `[1]`, numbered in order of first reference (then unreferenced
//!   definitions); the definitions follow the text under a `注释` heading.
//! - Raw HTML is dropped but its text kept: tags stripped, entities decoded, `<br>` a line
//!   break, `<script>`/`<style>` contents and comments gone; `<b>`, `<i>`, `<code>`, `<a>` …
//!   keep their styles and `<img alt>` reads like a Markdown image.
//! - Images read `[图: alt]` (`[图]` without alt), styled as images. Horizontal rules leave
//!   nothing. Lists, code blocks and tables inside a quote lose the quote.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::document::{BlockKind, Builder, Document, Inline};
use crate::layout::width::{AmbiguousWidth, str_width};

/// Reads a Markdown document.
pub fn read(text: &str) -> Document {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = split_front_matter(text);
    let front = front
        .map(|(sep, inner)| parse_front_matter(sep, inner))
        .unwrap_or_default();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let events: Vec<Event<'_>> = Parser::new_ext(body, options).collect();
    Reader::new(&events, front).run()
}

// ---------------------------------------------------------------------------------------------
// Front matter

/// What the front matter says.
#[derive(Debug, Default, PartialEq, Eq)]
struct FrontMatter {
    title: Option<String>,
    authors: Vec<String>,
    date: Option<String>,
    tags: Vec<String>,
}

/// A front-matter value: one string or a list.
#[derive(Debug, PartialEq, Eq)]
enum Value {
    One(String),
    List(Vec<String>),
}

impl Value {
    fn items(&self) -> Vec<String> {
        match self {
            Self::One(s) => vec![s.clone()],
            Self::List(items) => items.clone(),
        }
    }
}

const TITLE_KEYS: &[&str] = &["title", "标题", "標題"];
const AUTHOR_KEYS: &[&str] = &["author", "authors", "作者", "creator"];
/// In order of preference.
const DATE_KEYS: &[&str] = &[
    "date",
    "published",
    "publishdate",
    "publish_date",
    "published_at",
    "pubdate",
    "发布时间",
    "發布時間",
    "发布日期",
    "發布日期",
    "日期",
    "时间",
    "時間",
    "created",
];
const TAG_KEYS: &[&str] = &[
    "tags",
    "tag",
    "categories",
    "category",
    "标签",
    "標籤",
    "分类",
    "分類",
];
/// Used for tags only when there are no tags or categories.
const KEYWORD_KEYS: &[&str] = &["keywords", "关键词", "關鍵詞", "關鍵字"];

/// Splits `---` (YAML, `:`) or `+++` (TOML, `=`) front matter off the start of the text:
/// `(Some((separator, inside)), rest)`. It must close and open on a field line; anything else
/// is left to the Markdown parser (a `---` at the top is also a rule).
fn split_front_matter(text: &str) -> (Option<(char, &str)>, &str) {
    for (fence, sep) in [("---", ':'), ("+++", '=')] {
        let Some(rest) = text.strip_prefix(fence) else {
            continue;
        };
        let rest = rest.trim_start_matches([' ', '\t']);
        let Some(rest) = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
        else {
            continue;
        };
        let mut at = 0;
        for line in rest.split_inclusive('\n') {
            let t = line.trim_end();
            if t == fence || (sep == ':' && t == "...") {
                let inner = &rest[..at];
                let opens_on_a_field = inner
                    .lines()
                    .next()
                    .is_some_and(|l| field(sep, l).is_some());
                if opens_on_a_field {
                    return (Some((sep, inner)), &rest[at + line.len()..]);
                }
                break;
            }
            at += line.len();
        }
    }
    (None, text)
}

/// `key: value` (or `key = value`) at the start of a line: the key, lowercased, and the raw
/// value, trimmed.
fn field(sep: char, line: &str) -> Option<(String, &str)> {
    if line.starts_with([' ', '\t', '#', '-', '[']) {
        return None;
    }
    let (key, value) = line.split_once(sep)?;
    // YAML wants a space after the colon (`http://x` is no key).
    if sep == ':' && !(value.is_empty() || value.starts_with([' ', '\t', '\r'])) {
        return None;
    }
    let key = unquote(key.trim());
    if key.is_empty() || key.contains(' ') {
        return None;
    }
    Some((key.to_lowercase(), value.trim()))
}

fn parse_front_matter(sep: char, inner: &str) -> FrontMatter {
    let lines: Vec<&str> = inner.lines().collect();
    let mut fields: Vec<(String, Value)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((key, raw)) = field(sep, lines[i]) else {
            i += 1;
            continue;
        };
        i += 1;
        let raw = strip_comment(raw);
        let value = if raw.starts_with('[') {
            // A flow list, perhaps over several lines.
            let mut list = raw.to_string();
            while !list.contains(']') && i < lines.len() {
                list.push(' ');
                list.push_str(strip_comment(lines[i].trim()));
                i += 1;
            }
            let inside = list[1..].split(']').next().unwrap_or("");
            Value::List(split_flow(inside))
        } else if sep == ':' && (raw.is_empty() || raw.starts_with(['|', '>'])) {
            // A block list (`- a`), a block scalar (`|`, `>`) or a mapping (`name: 张三`).
            let scalar = !raw.is_empty();
            let mut items = Vec::new();
            let mut text: Vec<&str> = Vec::new();
            let mut name = None;
            while i < lines.len() {
                let line = lines[i];
                let t = line.trim();
                let indented = line.starts_with([' ', '\t']);
                if t.is_empty() {
                } else if scalar && indented {
                    text.push(t);
                } else if !scalar && (t == "-" || t.starts_with("- ")) {
                    items.push(unquote(strip_comment(t[1..].trim())));
                } else if !scalar && indented {
                    if let Some((k, v)) = field(':', t)
                        && k == "name"
                    {
                        name = Some(unquote(strip_comment(v)));
                    }
                } else {
                    break;
                }
                i += 1;
            }
            if scalar {
                Value::One(join_lines(&text))
            } else if let Some(name) = name {
                Value::One(name)
            } else {
                Value::List(items)
            }
        } else {
            Value::One(unquote(raw))
        };
        fields.push((key, value));
    }

    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| fields.iter().find(|(key, _)| key == k).map(|(_, v)| v))
    };
    let one = |keys: &[&str]| {
        first(keys)
            .and_then(|v| v.items().into_iter().find(|s| !s.is_empty()))
            .map(|s| crate::text::sanitize_line(&s))
            .filter(|s| !s.is_empty())
    };
    // Every value under any of the keys, a string split at commas, without repeats.
    let all = |keys: &[&str]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for k in keys {
            for (_, v) in fields.iter().filter(|(key, _)| key == k) {
                let items = match v {
                    Value::One(s) => s
                        .split([',', '，', '、'])
                        .map(|t| unquote(t.trim()))
                        .collect(),
                    Value::List(items) => items.clone(),
                };
                for item in items {
                    let item = crate::text::sanitize_line(&item);
                    if !item.is_empty() && !out.contains(&item) {
                        out.push(item);
                    }
                }
            }
        }
        out
    };
    let mut tags = all(TAG_KEYS);
    if tags.is_empty() {
        tags = all(KEYWORD_KEYS);
    }
    let authors = first(AUTHOR_KEYS)
        .map(Value::items)
        .unwrap_or_default()
        .iter()
        .map(|s| crate::text::sanitize_line(s))
        .filter(|s| !s.is_empty())
        .collect();
    FrontMatter {
        title: one(TITLE_KEYS),
        authors,
        date: one(DATE_KEYS),
        tags,
    }
}

/// Lines as one line: nothing between two CJK characters, a space otherwise.
fn join_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        if let (Some(a), Some(b)) = (out.chars().last(), line.chars().next())
            && !(is_cjk(a) && is_cjk(b))
        {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// A value without its trailing ` # comment` (outside quotes).
fn strip_comment(value: &str) -> &str {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in value.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (prev == ' ' || prev == '\t') => return value[..i].trim_end(),
            None => {}
        }
        prev = c;
    }
    value
}

/// The items of a flow list's inside: `a, "b, c", 'd'`.
fn split_flow(inside: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in inside.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ',' => {
                items.push(unquote(inside[start..i].trim()));
                start = i + 1;
            }
            None => {}
        }
    }
    items.push(unquote(inside[start..].trim()));
    items.retain(|s| !s.is_empty());
    items
}

/// A scalar without its quotes: `"a \"b\""` → `a "b"`, `'it''s'` → `it's`.
fn unquote(s: &str) -> String {
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        let mut out = String::new();
        let mut chars = s[1..s.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 't') => out.push(' '),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    } else if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') {
        s[1..s.len() - 1].replace("''", "'")
    } else {
        s.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Raw HTML

/// What a piece of raw HTML stands for.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// `<br>`.
    Break,
    /// A tag that starts or ends a block (`<p>`, `<div>`, `<li>` …).
    Block,
    /// A tag between words (`<td>`).
    Space,
    /// `<img>`, with its alt text.
    Image(String),
    Open(Inline),
    Close(Inline),
    OpenLink(String),
    CloseLink,
}

/// Where a tag stripper is in the HTML it is fed, which may come a line at a time.
#[derive(Debug, Default, PartialEq, Eq)]
enum HtmlState {
    #[default]
    Text,
    /// Inside `<…`, collecting the tag, perhaps inside a quoted attribute value.
    Tag { tag: String, quote: Option<char> },
    /// Inside `<!-- … -->`.
    Comment,
    /// Inside `<script>` or `<style>`, skipping to its end tag.
    Raw(&'static str),
}

impl HtmlState {
    /// Takes in a chunk of HTML, giving its text and tags as pieces.
    fn feed(&mut self, chunk: &str, out: &mut Vec<Piece>) {
        let mut rest = chunk;
        while !rest.is_empty() {
            match self {
                Self::Text => match rest.find('<') {
                    None => {
                        out.push(Piece::Text(rest.to_string()));
                        rest = "";
                    }
                    Some(p) => {
                        if p > 0 {
                            out.push(Piece::Text(rest[..p].to_string()));
                        }
                        let after = &rest[p + 1..];
                        if let Some(comment) = after.strip_prefix("!--") {
                            *self = Self::Comment;
                            rest = comment;
                        } else if after.starts_with(|c: char| {
                            c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?')
                        }) {
                            *self = Self::Tag {
                                tag: String::new(),
                                quote: None,
                            };
                            rest = after;
                        } else {
                            out.push(Piece::Text("<".to_string()));
                            rest = after;
                        }
                    }
                },
                Self::Comment => match rest.find("-->") {
                    Some(p) => {
                        *self = Self::Text;
                        rest = &rest[p + 3..];
                    }
                    None => rest = "",
                },
                Self::Raw(name) => {
                    let end_tag = format!("</{name}");
                    match rest.to_ascii_lowercase().find(&end_tag) {
                        Some(p) => {
                            *self = Self::Tag {
                                tag: String::new(),
                                quote: None,
                            };
                            rest = &rest[p + 1..];
                        }
                        None => rest = "",
                    }
                }
                Self::Tag { tag, quote } => {
                    let mut end = None;
                    for (i, c) in rest.char_indices() {
                        match *quote {
                            Some(q) if c == q => *quote = None,
                            Some(_) => {}
                            None if c == '"' || c == '\'' => *quote = Some(c),
                            None if c == '>' => {
                                end = Some(i);
                                break;
                            }
                            None => {}
                        }
                    }
                    match end {
                        Some(i) => {
                            tag.push_str(&rest[..i]);
                            let tag = std::mem::take(tag);
                            *self = Self::Text;
                            self.tag(&tag, out);
                            rest = &rest[i + 1..];
                        }
                        None => {
                            tag.push_str(rest);
                            rest = "";
                        }
                    }
                }
            }
        }
    }

    /// A whole tag (what was between its `<` and `>`).
    fn tag(&mut self, tag: &str, out: &mut Vec<Piece>) {
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let style = |style| {
            if closing {
                Piece::Close(style)
            } else {
                Piece::Open(style)
            }
        };
        let piece = match name.as_str() {
            "script" | "style" if !closing && !tag.ends_with('/') => {
                *self = Self::Raw(if name == "script" { "script" } else { "style" });
                return;
            }
            "br" => Piece::Break,
            "img" => Piece::Image(attribute(tag, "alt").unwrap_or_default()),
            "b" | "strong" => style(Inline::Strong),
            "i" | "em" | "cite" => style(Inline::Emphasis),
            "s" | "del" | "strike" => style(Inline::Strike),
            "code" | "kbd" | "samp" | "tt" => style(Inline::Code),
            "a" if closing => Piece::CloseLink,
            "a" => match attribute(tag, "href") {
                Some(href) => Piece::OpenLink(href),
                None => return,
            },
            "td" | "th" => Piece::Space,
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "ul" | "ol" | "dl"
            | "dt" | "dd" | "tr" | "table" | "thead" | "tbody" | "blockquote" | "pre" | "hr"
            | "section" | "article" | "header" | "footer" | "aside" | "nav" | "main" | "figure"
            | "figcaption" | "details" | "summary" | "center" | "address" => Piece::Block,
            _ => return,
        };
        out.push(piece);
    }
}

/// The decoded value of attribute `name` in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    // Past the tag's name.
    let mut rest = tag
        .trim_end_matches('/')
        .trim_start_matches(|c: char| !c.is_whitespace());
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return None;
        }
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = rest[key_end..].trim_start();
        let mut value = "";
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    value = &inner[..end];
                    rest = inner.get(end + 1..).unwrap_or("");
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    value = &after[..end];
                    rest = &after[end..];
                }
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(decode_entities(value).trim().to_string());
        }
    }
}

/// Decodes the common named entities and all numeric ones; others stay as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let decoded = rest[1..]
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&rest[1..=end]).map(|c| (c, end + 2)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity's name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return Some(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{fffd}'),
        );
    }
    Some(match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "copy" => '©',
        "times" => '×',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Events to blocks

/// Han, kana, CJK punctuation and full-width forms: no space between two of them.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFF}')
}

/// Punctuation that Chinese and Western text share: it takes the side of its neighbours.
fn is_shared_punctuation(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// Whether `s` reads as CJK from its start: whether its first character that is not shared
/// punctuation is CJK (`None` if there is none).
fn starts_cjk(s: &str) -> Option<bool> {
    s.chars().find(|&c| !is_shared_punctuation(c)).map(is_cjk)
}

/// `• ` at depth 1, `◦ ` at depth 2, `▪ ` deeper.
fn bullet(depth: u8) -> &'static str {
    match depth {
        0 | 1 => "• ",
        2 => "◦ ",
        _ => "▪ ",
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `[图: alt]`, or `[图]` without alt text.
fn image_text(alt: &str) -> String {
    let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
    if alt.is_empty() {
        "[图]".to_string()
    } else {
        format!("[图: {alt}]")
    }
}

/// A container the reader is inside.
#[derive(Clone, Copy, Debug)]
enum Container {
    Quote,
    List {
        /// The next item's number, for an ordered list.
        next: Option<u64>,
        tight: bool,
        depth: u8,
        first: bool,
    },
    /// A list item: `block` is the number of the block its marker started.
    Item {
        block: u64,
        depth: u8,
        tight: bool,
    },
    /// A footnote definition at the end: `block` started with its `[n] `.
    Note {
        block: u64,
    },
}

/// What a first pass over the events finds.
#[derive(Debug, Default)]
struct Outline {
    /// Start event of each loose list (its items hold paragraphs).
    loose: HashSet<usize>,
    /// Footnote definitions: the events inside each, by lowercased label; the first wins.
    notes: HashMap<String, Range<usize>>,
    /// End event of each footnote definition, by its start event.
    note_ends: HashMap<usize, usize>,
    /// Footnote numbers by lowercased label, and the labels in number order.
    numbers: HashMap<String, usize>,
    order: Vec<String>,
}

impl Outline {
    fn new(events: &[Event<'_>]) -> Self {
        let mut outline = Self::default();
        let mut stack: Vec<(usize, &Tag<'_>)> = Vec::new();
        let mut references: Vec<String> = Vec::new();
        let mut defined: Vec<String> = Vec::new();
        for (i, event) in events.iter().enumerate() {
            match event {
                Event::Start(tag) => {
                    if matches!(tag, Tag::Paragraph)
                        && matches!(stack.last(), Some((_, Tag::Item)))
                        && let Some((list, Tag::List(_))) = stack.iter().rev().nth(1)
                    {
                        outline.loose.insert(*list);
                    }
                    stack.push((i, tag));
                }
                Event::End(_) => {
                    if let Some((start, Tag::FootnoteDefinition(label))) = stack.pop() {
                        let label = label.to_lowercase();
                        outline.note_ends.insert(start, i);
                        if !outline.notes.contains_key(&label) {
                            outline.notes.insert(label.clone(), start + 1..i);
                            defined.push(label);
                        }
                    }
                }
                Event::FootnoteReference(label) => references.push(label.to_lowercase()),
                _ => {}
            }
        }
        for label in references.into_iter().chain(defined) {
            if outline.notes.contains_key(&label) && !outline.numbers.contains_key(&label) {
                outline.order.push(label.clone());
                outline.numbers.insert(label, outline.order.len());
            }
        }
        outline
    }
}

/// The reader: walks the events once, writing blocks.
struct Reader<'e, 'a> {
    events: &'e [Event<'a>],
    outline: Outline,
    b: Builder,
    front: FrontMatter,
    stack: Vec<Container>,
    quote: u8,
    lists: u8,
    /// Blocks started so far, and the number of the one being written, if any.
    blocks: u64,
    current: Option<u64>,
    /// The current block has text of its own (more than a list marker or note number).
    content: bool,
    /// The last character written in this block, and whether the last one that was not
    /// shared punctuation was CJK (to tell `中文”` from `word”`).
    last: Option<char>,
    last_cjk: bool,
    /// Whitespace waiting to be written before the next text: `Some(true)` if it held a line
    /// break (which vanishes between CJK characters).
    space: Option<bool>,
    /// Inside a code block.
    code: bool,
    /// Inside a table.
    table: bool,
    /// The alt text of the image being read, and how many images deep.
    image: Option<String>,
    image_depth: usize,
    /// Open Markdown links: their style, characters written when they opened, target.
    links: Vec<(Inline, usize, String)>,
    written: usize,
    html: HtmlState,
    /// Styles opened by HTML tags, closed at the end of their block at the latest.
    html_styles: Vec<Inline>,
    /// The title and meta lines are out (or there are none).
    head_done: bool,
    /// The block being written is the title taken from a heading.
    title_open: bool,
    /// Blocks the front matter wrote (its title and meta lines).
    head_blocks: u64,
}

impl<'e, 'a> Reader<'e, 'a> {
    fn new(events: &'e [Event<'a>], front: FrontMatter) -> Self {
        Self {
            events,
            outline: Outline::new(events),
            b: Builder::new("markdown"),
            front,
            stack: Vec::new(),
            quote: 0,
            lists: 0,
            blocks: 0,
            current: None,
            content: false,
            last: None,
            last_cjk: false,
            space: None,
            code: false,
            table: false,
            image: None,
            image_depth: 0,
            links: Vec::new(),
            written: 0,
            html: HtmlState::default(),
            html_styles: Vec::new(),
            head_done: false,
            title_open: false,
            head_blocks: 0,
        }
    }

    fn run(mut self) -> Document {
        let author = (!self.front.authors.is_empty()).then(|| self.front.authors.join("、"));
        let info = self.b.info_mut();
        info.author = author;
        info.date = self.front.date.clone();
        info.tags = self.front.tags.clone();
        if let Some(title) = self.front.title.clone() {
            self.b.start(BlockKind::Title);
            self.b.push(&title);
            self.blocks += 1;
            self.meta();
            self.head_blocks = self.blocks;
        }
        self.walk(0..self.events.len());
        self.block_break();
        if !self.head_done {
            self.meta();
        }
        self.notes();
        self.b.finish()
    }

    /// The meta lines from the front matter, joined under the title.
    fn meta(&mut self) {
        self.head_done = true;
        let mut lines = Vec::new();
        if !self.front.authors.is_empty() {
            lines.push(format!("作者：{}", self.front.authors.join("、")));
        }
        if let Some(date) = &self.front.date {
            lines.push(date.clone());
        }
        if !self.front.tags.is_empty() {
            lines.push(format!("标签：{}", self.front.tags.join("、")));
        }
        for line in lines {
            self.b.start_joined(BlockKind::Meta);
            self.b.push(&line);
            self.blocks += 1;
        }
        self.b.end();
    }

    /// The footnote definitions, under their heading.
    fn notes(&mut self) {
        let order = std::mem::take(&mut self.outline.order);
        if order.is_empty() {
            return;
        }
        self.start(BlockKind::Heading { level: 2 }, true);
        self.b.push("注释");
        for (n, label) in order.iter().enumerate() {
            let Some(range) = self.outline.notes.get(label).cloned() else {
                continue;
            };
            self.start(BlockKind::Paragraph, true);
            self.b.push(&format!("[{}] ", n + 1));
            self.stack.push(Container::Note { block: self.blocks });
            self.walk(range);
            self.stack.pop();
            self.block_break();
        }
    }

    // --- blocks ---------------------------------------------------------------------------

    /// Starts a block (after the meta lines, if they are still to come).
    fn start(&mut self, kind: BlockKind, gap: bool) {
        if !self.head_done && kind != BlockKind::Title {
            self.meta();
        }
        self.close_html_styles();
        if gap {
            self.b.start(kind);
        } else {
            self.b.start_joined(kind);
        }
        self.blocks += 1;
        self.current = Some(self.blocks);
        self.content = false;
        self.last = None;
        self.last_cjk = false;
        self.space = None;
    }

    /// Ends the block being written; what comes next starts a new one.
    fn block_break(&mut self) {
        self.close_html_styles();
        self.b.end();
        self.current = None;
        self.space = None;
        self.last = None;
    }

    /// The innermost list item or footnote: the block it started, the kind for more of its
    /// text after that block has ended, and whether that joins without a gap.
    fn lead(&self) -> Option<(u64, BlockKind, bool)> {
        match *self.stack.last()? {
            Container::Item {
                block,
                depth,
                tight,
            } => Some((block, BlockKind::ListItem { depth, marker: 0 }, tight)),
            Container::Note { block } => Some((block, BlockKind::Paragraph, false)),
            _ => None,
        }
    }

    /// Whether the block being written is the innermost list item's or footnote's own.
    fn in_lead_block(&self) -> bool {
        self.lead()
            .is_some_and(|(block, _, _)| self.current == Some(block))
    }

    /// A paragraph (or a heading, outside quotes and lists) begins.
    fn prose(&mut self, kind: BlockKind) {
        if let Some((block, continued, tight)) = self.lead() {
            if self.current == Some(block) {
                if self.content {
                    self.b.line_break();
                    self.last = Some('\n');
                    self.space = None;
                }
            } else {
                self.start(continued, !tight);
            }
        } else if self.quote > 0 {
            self.start(BlockKind::Quote { depth: self.quote }, true);
        } else {
            self.start(kind, true);
        }
    }

    /// A paragraph (or heading) ends; a list item's own block stays open for more of it.
    fn prose_end(&mut self) {
        if self.in_lead_block() {
            self.close_html_styles();
        } else {
            self.block_break();
        }
    }

    fn ensure_block(&mut self) {
        if self.current.is_none() {
            self.prose(BlockKind::Paragraph);
        }
    }

    // --- text -----------------------------------------------------------------------------

    /// Writes the pending whitespace, if `next` (the text about to follow) wants it.
    fn resolve_space(&mut self, next: &str) {
        let Some(newline) = self.space else {
            return;
        };
        let Some(first) = next.chars().next() else {
            return;
        };
        self.space = None;
        let before_cjk = self
            .last
            .is_some_and(|c| is_cjk(c) || (is_shared_punctuation(c) && self.last_cjk));
        let joins = newline && before_cjk && starts_cjk(next).unwrap_or(true);
        let after_space = self.last.is_none_or(char::is_whitespace);
        if !joins && self.content && !after_space && !first.is_whitespace() {
            self.b.push(" ");
            self.note_written(" ");
        }
    }

    fn note_written(&mut self, s: &str) {
        for c in s.chars() {
            self.last = Some(c);
            if !is_shared_punctuation(c) && !c.is_whitespace() {
                self.last_cjk = is_cjk(c);
            }
        }
        self.written += s.chars().count();
    }

    /// Writes Markdown text, unless it sits inside an inline `<script>` or comment.
    fn markdown_text(&mut self, s: &str) {
        if self.code || self.html == HtmlState::Text {
            self.text(s);
        }
    }

    /// Writes text, its spaces kept (but none at the start of a block).
    fn text(&mut self, s: &str) {
        self.ensure_block();
        if self.code {
            self.b.push(s);
            return;
        }
        let s = if self.content { s } else { s.trim_start() };
        if s.is_empty() {
            return;
        }
        self.resolve_space(s);
        self.b.push(s);
        self.note_written(s);
        self.content = true;
    }

    /// Writes a run in one style (inline code, an image), or plain (a footnote number).
    fn styled(&mut self, s: &str, style: Option<Inline>) {
        self.ensure_block();
        self.resolve_space(s);
        if let Some(style) = style {
            self.b.open(style);
        }
        self.b.push(s);
        self.note_written(s);
        self.content = true;
        if let Some(style) = style {
            self.b.close(style);
        }
    }

    /// The first text that follows event `i`, through styles that open or close before it:
    /// what a pending space at `i` will stand before.
    fn next_text(&self, i: usize) -> Option<String> {
        for event in self.events.get(i..)? {
            match event {
                Event::Text(s) | Event::Code(s) if !s.is_empty() => return Some(s.to_string()),
                Event::FootnoteReference(_) | Event::Start(Tag::Image { .. }) => {
                    return Some("[".to_string());
                }
                Event::Start(
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. },
                )
                | Event::End(
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
                ) => {}
                _ => return None,
            }
        }
        None
    }

    /// Opens a style before the text after event `i`; a pending space goes before it.
    fn open(&mut self, style: Inline, i: usize) {
        self.ensure_block();
        if let Some(next) = self.next_text(i + 1) {
            self.resolve_space(&next);
        }
        self.b.open(style);
    }

    fn line_break(&mut self) {
        if self.table {
            self.space = Some(false);
        } else if self.current.is_some() && self.content {
            self.b.line_break();
            self.last = Some('\n');
            self.space = None;
        }
    }

    // --- HTML -----------------------------------------------------------------------------

    /// Raw HTML: a block's line (`block`) or an inline tag.
    fn html(&mut self, chunk: &str, block: bool) {
        let mut pieces = Vec::new();
        self.html.feed(chunk, &mut pieces);
        for piece in pieces {
            match piece {
                Piece::Text(raw) => self.html_text(&raw),
                Piece::Break => self.line_break(),
                // In a list item's own block, what follows goes on a new line of it.
                Piece::Block if block && self.in_lead_block() => self.line_break(),
                Piece::Block if block => self.block_break(),
                Piece::Block | Piece::Space => {
                    self.space.get_or_insert(false);
                }
                Piece::Image(alt) => self.styled(&image_text(&alt), Some(Inline::Image)),
                Piece::Open(style) => {
                    self.ensure_block();
                    self.b.open(style);
                    self.html_styles.push(style);
                }
                Piece::Close(style) => {
                    if let Some(at) = self.html_styles.iter().rposition(|s| *s == style) {
                        self.html_styles.remove(at);
                        self.b.close(style);
                    }
                }
                Piece::OpenLink(href) => {
                    self.ensure_block();
                    let style = self.b.link(&href);
                    self.b.open(style);
                    self.html_styles.push(style);
                }
                Piece::CloseLink => {
                    let link = self
                        .html_styles
                        .iter()
                        .rposition(|s| matches!(s, Inline::Link(_)));
                    if let Some(at) = link {
                        let style = self.html_styles.remove(at);
                        self.b.close(style);
                    }
                }
            }
        }
    }

    /// HTML text: a run of whitespace is one space (none at a line break between CJK).
    fn html_text(&mut self, raw: &str) {
        let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
        let mut rest = raw;
        while !rest.is_empty() {
            let blank = rest.find(|c| !is_space(c)).unwrap_or(rest.len());
            if blank > 0 {
                let broke = rest[..blank].contains('\n');
                self.space = Some(self.space.unwrap_or(false) || broke);
                rest = &rest[blank..];
                continue;
            }
            let word = rest.find(is_space).unwrap_or(rest.len());
            self.text(&decode_entities(&rest[..word]));
            rest = &rest[word..];
        }
    }

    fn close_html_styles(&mut self) {
        for style in std::mem::take(&mut self.html_styles).into_iter().rev() {
            self.b.close(style);
        }
    }

    // --- the walk -------------------------------------------------------------------------

    /// The plain text of the heading starting at event `i`, and its end event.
    fn heading_text(&self, i: usize) -> (String, usize) {
        let mut text = String::new();
        for (j, event) in self.events.iter().enumerate().skip(i + 1) {
            match event {
                Event::Text(s) | Event::Code(s) => text.push_str(s),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                Event::End(TagEnd::Heading(_)) => return (text, j),
                _ => {}
            }
        }
        (text, self.events.len())
    }

    fn walk(&mut self, range: Range<usize>) {
        let mut i = range.start;
        while i < range.end {
            let event = &self.events[i];
            if self.image.is_some() {
                self.in_image(event);
                i += 1;
                continue;
            }
            match event {
                Event::Start(tag) => {
                    if let Some(skip_to) = self.start_tag(tag, i) {
                        i = skip_to;
                    }
                }
                Event::End(tag) => self.end_tag(*tag),
                Event::Text(s) => self.markdown_text(s),
                Event::Code(s) => self.styled(s, Some(Inline::Code)),
                Event::InlineMath(s) | Event::DisplayMath(s) => self.text(s),
                Event::Html(s) => self.html(s, true),
                Event::InlineHtml(s) => self.html(s, false),
                Event::FootnoteReference(label) => {
                    match self.outline.numbers.get(&label.to_lowercase()) {
                        Some(n) => self.styled(&format!("[{n}]"), None),
                        None => self.text(&format!("[^{label}]")),
                    }
                }
                Event::SoftBreak => {
                    if self.current.is_some() {
                        self.space = Some(!self.table);
                    }
                }
                Event::HardBreak => self.line_break(),
                Event::Rule => self.block_break(),
                Event::TaskListMarker(_) => {}
            }
            i += 1;
        }
    }

    /// Inside an image, everything is its alt text.
    fn in_image(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Image { .. }) => self.image_depth += 1,
            Event::End(TagEnd::Image) => {
                self.image_depth -= 1;
                if self.image_depth == 0 {
                    let alt = self.image.take().unwrap_or_default();
                    self.styled(&image_text(&alt), Some(Inline::Image));
                }
            }
            Event::Text(s) | Event::Code(s) => {
                if let Some(alt) = &mut self.image {
                    alt.push_str(s);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(alt) = &mut self.image {
                    alt.push(' ');
                }
            }
            _ => {}
        }
    }

    /// Handles the start tag at event `i`; returns the event to go on from when it skips.
    fn start_tag(&mut self, tag: &Tag<'_>, i: usize) -> Option<usize> {
        match tag {
            Tag::Paragraph => self.prose(BlockKind::Paragraph),
            Tag::Heading { level, .. } => {
                let level = heading_level(*level);
                let top = self.stack.is_empty();
                if top && level == 1 && self.blocks == self.head_blocks {
                    if let Some(title) = &self.front.title {
                        let (text, end) = self.heading_text(i);
                        if text.trim() == title.trim() {
                            return Some(end);
                        }
                    } else if !self.head_done {
                        self.start(BlockKind::Title, true);
                        self.title_open = true;
                        return None;
                    }
                }
                self.prose(BlockKind::Heading { level });
            }
            Tag::BlockQuote(_) => {
                self.block_break();
                self.quote = self.quote.saturating_add(1);
                self.stack.push(Container::Quote);
            }
            Tag::CodeBlock(_) => {
                self.start(BlockKind::Code, true);
                self.code = true;
            }
            Tag::HtmlBlock => {
                if self.in_lead_block() {
                    self.line_break();
                } else {
                    self.block_break();
                }
                self.html = HtmlState::Text;
            }
            Tag::List(start) => {
                self.block_break();
                self.lists = self.lists.saturating_add(1);
                self.stack.push(Container::List {
                    next: *start,
                    tight: !self.outline.loose.contains(&i),
                    depth: self.lists,
                    first: true,
                });
            }
            Tag::Item => self.item(i),
            Tag::FootnoteDefinition(_) => {
                return Some(self.outline.note_ends.get(&i).copied().unwrap_or(i));
            }
            Tag::Table(_) => {
                self.block_break();
                if !self.head_done {
                    self.meta();
                }
                self.b.start_table();
                self.table = true;
            }
            Tag::TableHead => self.start(BlockKind::TableRow { header: true }, false),
            Tag::TableRow => self.start(BlockKind::TableRow { header: false }, false),
            Tag::TableCell => {
                self.close_html_styles();
                self.b.cell();
                self.last = None;
                self.space = None;
                self.content = false;
            }
            Tag::Emphasis => self.open(Inline::Emphasis, i),
            Tag::Strong => self.open(Inline::Strong, i),
            Tag::Strikethrough => self.open(Inline::Strike, i),
            Tag::Link { dest_url, .. } => {
                self.ensure_block();
                if let Some(next) = self.next_text(i + 1) {
                    self.resolve_space(&next);
                }
                let style = self.b.link(dest_url);
                self.b.open(style);
                self.links.push((style, self.written, dest_url.to_string()));
            }
            Tag::Image { .. } => {
                self.image = Some(String::new());
                self.image_depth = 1;
            }
            Tag::Superscript
            | Tag::Subscript
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
        None
    }

    /// A list item starts (event `i`): its block, with its marker.
    fn item(&mut self, i: usize) {
        let task = match (self.events.get(i + 1), self.events.get(i + 2)) {
            (Some(Event::TaskListMarker(done)), _)
            | (Some(Event::Start(Tag::Paragraph)), Some(Event::TaskListMarker(done))) => {
                Some(*done)
            }
            _ => None,
        };
        // The item this list is nested in, if it sits right in one.
        let parent_tight = match self.stack.iter().rev().nth(1) {
            Some(Container::Item { tight, .. }) => *tight,
            _ => false,
        };
        let Some(Container::List {
            next,
            tight,
            depth,
            first,
        }) = self.stack.last_mut()
        else {
            return;
        };
        let marker = match (task, next.as_mut()) {
            (Some(true), _) => "☑ ".to_string(),
            (Some(false), _) => "☐ ".to_string(),
            (None, Some(n)) => {
                let marker = format!("{n}. ");
                *n += 1;
                marker
            }
            (None, None) => bullet(*depth).to_string(),
        };
        // Items of a tight list follow each other without a gap; so does the first item of a
        // list nested in an item of a tight list.
        let joined = if *first { parent_tight } else { *tight };
        *first = false;
        let (depth, tight) = (*depth, *tight);
        let width = str_width(&marker, AmbiguousWidth::Narrow).min(u8::MAX.into()) as u8;
        self.start(
            BlockKind::ListItem {
                depth,
                marker: width,
            },
            !joined,
        );
        self.b.push(&marker);
        self.stack.push(Container::Item {
            block: self.blocks,
            depth,
            tight,
        });
    }

    fn end_tag(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.html = HtmlState::Text;
                self.prose_end();
            }
            TagEnd::Heading(_) => {
                self.html = HtmlState::Text;
                self.prose_end();
                if std::mem::take(&mut self.title_open) {
                    self.meta();
                }
            }
            TagEnd::BlockQuote(_) => {
                self.block_break();
                self.quote = self.quote.saturating_sub(1);
                self.stack.pop();
            }
            TagEnd::CodeBlock => {
                self.code = false;
                self.block_break();
            }
            TagEnd::HtmlBlock => {
                self.html = HtmlState::Text;
                self.prose_end();
            }
            TagEnd::List(_) => {
                self.block_break();
                self.lists = self.lists.saturating_sub(1);
                self.stack.pop();
            }
            TagEnd::Item => {
                self.block_break();
                self.stack.pop();
            }
            TagEnd::Table => {
                self.block_break();
                self.b.end_table();
                self.table = false;
            }
            TagEnd::Emphasis => self.b.close(Inline::Emphasis),
            TagEnd::Strong => self.b.close(Inline::Strong),
            TagEnd::Strikethrough => self.b.close(Inline::Strike),
            TagEnd::Link => {
                if let Some((style, at, url)) = self.links.pop() {
                    if self.written == at {
                        self.text(&url);
                    }
                    self.b.close(style);
                }
            }
            TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BlockKind::*;

    /// Each block's kind and text.
    fn blocks(md: &str) -> Vec<(BlockKind, String)> {
        let doc = read(md);
        (0..doc.blocks().len())
            .map(|i| (doc.blocks()[i].kind, doc.block_text(i).to_string()))
            .collect()
    }

    fn texts(md: &str) -> Vec<String> {
        blocks(md).into_iter().map(|(_, t)| t).collect()
    }

    /// Each styled run's style and text.
    fn spans(doc: &Document) -> Vec<(Inline, &str)> {
        doc.spans()
            .iter()
            .map(|s| (s.style, &doc.text()[s.start..s.end]))
            .collect()
    }

    fn item(depth: u8, marker: u8) -> BlockKind {
        ListItem { depth, marker }
    }

    #[test]
    fn a_line_break_vanishes_between_cjk_and_is_a_space_elsewhere() {
        assert_eq!(texts("中文\n中文"), ["中文中文"]);
        assert_eq!(
            texts("第一行，\n第二行\nand English\nwords\n再中文。"),
            ["第一行，第二行 and English words 再中文。"]
        );
        // Curly quotes take the side of the text around them.
        assert_eq!(texts("他说：“好。”\n“再见。”"), ["他说：“好。”“再见。”"]);
        assert_eq!(texts("He said “yes”\n“no”"), ["He said “yes” “no”"]);
        // Also when the next line opens with a style, a link or code: the space (if any)
        // stays outside the span.
        let doc = read("中文\n**粗体**\n`code`\n[链接](http://x)");
        assert_eq!(doc.text(), "中文粗体 code 链接");
        assert_eq!(
            spans(&doc),
            [
                (Inline::Strong, "粗体"),
                (Inline::Code, "code"),
                (Inline::Link(0), "链接")
            ]
        );
    }

    #[test]
    fn hard_breaks_are_line_breaks() {
        assert_eq!(texts("一行  \n二行\\\n三行"), ["一行\n二行\n三行"]);
    }

    #[test]
    fn yaml_front_matter_gives_the_title_and_meta_lines() {
        let md = "---\ntitle: \"Rust: 入門\"  # 注释\nauthor: [張三, '李四']\n\
            date: 2024-05-01\ntags:\n  - Rust\n  - 終端\ncategories: Rust, 工具\n---\n\n正文。\n";
        let doc = read(md);
        assert_eq!(
            blocks(md),
            [
                (Title, "Rust: 入門".to_string()),
                (Meta, "作者：張三、李四".to_string()),
                (Meta, "2024-05-01".to_string()),
                (Meta, "标签：Rust、終端、工具".to_string()),
                (Paragraph, "正文。".to_string()),
            ]
        );
        assert!(!doc.blocks()[1].gap_before && !doc.blocks()[3].gap_before);
        assert!(doc.blocks()[4].gap_before);
        assert_eq!(doc.title(), Some("Rust: 入門"));
        let info = doc.info();
        assert_eq!(info.author.as_deref(), Some("張三、李四"));
        assert_eq!(doc.author(), Some("張三、李四"));
        assert_eq!(info.date.as_deref(), Some("2024-05-01"));
        assert_eq!(info.tags, ["Rust", "終端", "工具"]);
        assert!(!doc.text().contains("title") && !doc.text().contains("---"));
    }

    #[test]
    fn front_matter_forms() {
        // Chinese keys, a quoted date, keywords when there are no tags, a mapping author.
        let fm = parse_front_matter(
            ':',
            "标题: 标题\n作者:\n  name: 王五\n  url: https://x\n发布时间: '2024年5月1日'\n\
             keywords: 甲, 乙、丙\n",
        );
        assert_eq!(
            fm,
            FrontMatter {
                title: Some("标题".into()),
                authors: vec!["王五".into()],
                date: Some("2024年5月1日".into()),
                tags: vec!["甲".into(), "乙".into(), "丙".into()],
            }
        );
        // A block list of authors, a folded title over lines, a flow list over lines.
        let fm = parse_front_matter(
            ':',
            "title: >\n  很长的\n  标题\nauthors:\n- 甲\n- \"乙\"\ntags: [a,\n  b]\n",
        );
        assert_eq!(fm.title.as_deref(), Some("很长的标题"));
        assert_eq!(fm.authors, ["甲", "乙"]);
        assert_eq!(fm.tags, ["a", "b"]);
        // TOML, with a table header and a multi-line array.
        let md = "+++\ntitle = \"TOML 標題\"\nauthors = [\"甲\", \"乙\"]\ndate = 2024-01-02\n\
            [taxonomies]\ntags = [\n  \"a\",\n  \"b\",\n]\n+++\n正文\n";
        assert_eq!(
            texts(md),
            [
                "TOML 標題",
                "作者：甲、乙",
                "2024-01-02",
                "标签：a、b",
                "正文"
            ]
        );
    }

    #[test]
    fn only_real_front_matter_is_taken() {
        // A rule, a paragraph, a rule: no fields, so Markdown.
        assert_eq!(
            texts("---\n\n不是前言\n\n---\n\n正文\n"),
            ["不是前言", "正文"]
        );
        // Never closed: a rule and a setext heading's text.
        assert_eq!(split_front_matter("---\ntitle: x\n正文").0, None);
        // Not at the very start.
        assert_eq!(split_front_matter("\n---\ntitle: x\n---\n").0, None);
        assert_eq!(
            split_front_matter("---\r\ntitle: x\r\n---\r\nbody"),
            (Some((':', "title: x\r\n")), "body")
        );
        assert_eq!(
            read("\u{feff}---\ntitle: 标题\n---\n").title(),
            Some("标题")
        );
    }

    #[test]
    fn the_title_is_the_front_matter_title_or_an_opening_level_one_heading() {
        // The heading repeats the front-matter title: shown once.
        assert_eq!(
            blocks("---\ntitle: 标题\nauthor: 张三\n---\n\n# 标题\n\n正文。"),
            [
                (Title, "标题".to_string()),
                (Meta, "作者：张三".to_string()),
                (Paragraph, "正文。".to_string())
            ]
        );
        // A different heading stays.
        assert_eq!(
            blocks("---\ntitle: 标题\n---\n\n# 另一个\n")[1],
            (Heading { level: 1 }, "另一个".to_string())
        );
        // No front-matter title: the opening heading is the title, meta lines under it.
        assert_eq!(
            blocks("---\nauthor: 张三\n---\n<!-- 注释 -->\n\n# 大标题\n\n## 小节\n\n正文。"),
            [
                (Title, "大标题".to_string()),
                (Meta, "作者：张三".to_string()),
                (Heading { level: 2 }, "小节".to_string()),
                (Paragraph, "正文。".to_string())
            ]
        );
        assert_eq!(texts("设定标题\n====\n\n正文")[0], "设定标题");
        assert_eq!(blocks("设定标题\n====\n")[0].0, Title);
        // The document does not open with it: no title, meta lines first.
        assert_eq!(
            blocks("---\nauthor: 张三\n---\n\n正文在前。\n\n# 一级\n"),
            [
                (Meta, "作者：张三".to_string()),
                (Paragraph, "正文在前。".to_string()),
                (Heading { level: 1 }, "一级".to_string())
            ]
        );
        assert_eq!(read("## 二级开头\n\n正文").title(), None);
        // A later level-1 heading is a heading.
        assert_eq!(
            blocks("# 一\n\n# 二\n")[1],
            (Heading { level: 1 }, "二".to_string())
        );
    }

    #[test]
    fn headings_keep_their_levels() {
        let kinds: Vec<BlockKind> = blocks("正文\n\n## 二\n\n### 三\n\n###### 六\n")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            kinds,
            [
                Paragraph,
                Heading { level: 2 },
                Heading { level: 3 },
                Heading { level: 6 }
            ]
        );
    }

    #[test]
    fn inline_styles_links_and_images() {
        let doc = read(
            "**粗**和*斜*、~~删~~、`代码`、[链接](http://a.b)、<https://x.y>、[](http://empty)\n\n\
             ![一张图](a.png)\n\n文中![](b.png)图",
        );
        assert_eq!(
            doc.text(),
            "粗和斜、删、代码、链接、https://x.y、http://empty\n\n[图: 一张图]\n\n文中[图]图"
        );
        assert_eq!(
            spans(&doc),
            [
                (Inline::Strong, "粗"),
                (Inline::Emphasis, "斜"),
                (Inline::Strike, "删"),
                (Inline::Code, "代码"),
                (Inline::Link(0), "链接"),
                (Inline::Link(1), "https://x.y"),
                (Inline::Link(2), "http://empty"),
                (Inline::Image, "[图: 一张图]"),
                (Inline::Image, "[图]"),
            ]
        );
        assert_eq!(doc.links(), ["http://a.b", "https://x.y", "http://empty"]);
        // The image alone is a paragraph of its own.
        assert_eq!(doc.blocks()[1].kind, Paragraph);
    }

    #[test]
    fn list_markers_by_depth_number_and_task() {
        let md = "- 一\n- 二\n  - 甲\n    - 丙\n      - 丁\n- 三\n\n\
                  3. 三号\n4. 四号\n\n- [ ] 待办\n- [x] 完成\n";
        let got = blocks(md);
        assert_eq!(
            got,
            [
                (item(1, 2), "• 一".to_string()),
                (item(1, 2), "• 二".to_string()),
                (item(2, 2), "◦ 甲".to_string()),
                (item(3, 2), "▪ 丙".to_string()),
                (item(4, 2), "▪ 丁".to_string()),
                (item(1, 2), "• 三".to_string()),
                (item(1, 3), "3. 三号".to_string()),
                (item(1, 3), "4. 四号".to_string()),
                (item(1, 2), "☐ 待办".to_string()),
                (item(1, 2), "☑ 完成".to_string()),
            ]
        );
        // Tight lists: every item after a list's first (and a nested list's first) is joined.
        let gaps: Vec<bool> = read(md).blocks().iter().map(|b| b.gap_before).collect();
        assert_eq!(
            gaps,
            [
                false, false, false, false, false, false, true, false, true, false
            ]
        );
        // Markers are measured: `10. ` is four columns.
        let ten = blocks("10. 十\n11. 十一\n");
        assert_eq!(ten[0], (item(1, 4), "10. 十".to_string()));
    }

    #[test]
    fn loose_list_items_keep_their_paragraphs_together() {
        let md = "1. 第一项\n\n   第一项的第二段\n\n   - 子项\n\n   子项之后\n\n2. 第二项\n";
        let doc = read(md);
        assert_eq!(
            blocks(md),
            [
                (item(1, 3), "1. 第一项\n第一项的第二段".to_string()),
                (item(2, 2), "◦ 子项".to_string()),
                (item(1, 0), "子项之后".to_string()),
                (item(1, 3), "2. 第二项".to_string()),
            ]
        );
        assert!(doc.blocks().iter().all(|b| b.gap_before || b.start == 0));
        // A loose task item.
        assert_eq!(texts("- [x] 做完\n\n- [ ] 没做\n"), ["☑ 做完", "☐ 没做"]);
    }

    #[test]
    fn quotes_nest_deeper() {
        let md = "> 一层\n> 继续\n>\n> > 两层\n> > > 三层\n>\n> 回来\n\n正文";
        assert_eq!(
            blocks(md),
            [
                (Quote { depth: 1 }, "一层继续".to_string()),
                (Quote { depth: 2 }, "两层".to_string()),
                (Quote { depth: 3 }, "三层".to_string()),
                (Quote { depth: 1 }, "回来".to_string()),
                (Paragraph, "正文".to_string()),
            ]
        );
        // A heading in a quote is part of the quote.
        assert_eq!(
            blocks("> ## 标题\n")[0],
            (Quote { depth: 1 }, "标题".to_string())
        );
    }

    #[test]
    fn code_blocks_are_kept_verbatim() {
        let md = "```rust title=\"x\"\nfn main() {\n    println!(\"**不是粗体**\");\n}\n```\n\n    缩进代码\n      第二行\n";
        assert_eq!(
            blocks(md),
            [
                (
                    Code,
                    "fn main() {\n    println!(\"**不是粗体**\");\n}".to_string()
                ),
                (Code, "缩进代码\n  第二行".to_string()),
            ]
        );
    }

    #[test]
    fn table_rows_and_cells() {
        let md = "| 名 | 值 |\n|---|:-:|\n|  | 空的第一格 |\n| **粗** `c` | 一<br>二 |\n";
        let doc = read(md);
        assert_eq!(
            blocks(md),
            [
                (TableRow { header: true }, "名\t值".to_string()),
                (TableRow { header: false }, "\t空的第一格".to_string()),
                (TableRow { header: false }, "粗 c\t一 二".to_string()),
            ]
        );
        assert_eq!(doc.tables().len(), 1);
        assert_eq!(doc.tables()[0].rows, 3);
        assert_eq!(spans(&doc), [(Inline::Strong, "粗"), (Inline::Code, "c")]);
    }

    #[test]
    fn footnotes_are_numbered_and_collected_at_the_end() {
        let md = "正文[^b]，又[^a]，再[^b]。\n\n[^a]: 甲注，\n    有两段。\n\n    第二段。\n[^b]: 乙注。\n\
                  [^unused]: 没人引用。\n\n未定义[^zz]。\n";
        assert_eq!(
            blocks(md),
            [
                (Paragraph, "正文[1]，又[2]，再[1]。".to_string()),
                (Paragraph, "未定义[^zz]。".to_string()),
                (Heading { level: 2 }, "注释".to_string()),
                (Paragraph, "[1] 乙注。".to_string()),
                (Paragraph, "[2] 甲注，有两段。\n第二段。".to_string()),
                (Paragraph, "[3] 没人引用。".to_string()),
            ]
        );
        assert!(!texts("无注。").contains(&"注释".to_string()));
    }

    #[test]
    fn raw_html_keeps_only_its_text() {
        let md = "<div align=\"center\">\n  <p>置中&nbsp;文字 &amp; &lt;标签&gt; &#20013;&#x6587;<br>下一行</p>\n\
                  <img src=\"x.png\" alt=\"标志\">\n</div>\n\n<!-- 注释\n\n还是注释 -->\n\n<script>\nvar x = \"<b>\";\n</script>\n\
                  <style>p { color: red }</style>\n\n文字<b>粗</b>和<span class=\"x\">普通</span><!-- 不见 -->结束<br/>换行。\n";
        let doc = read(md);
        assert_eq!(
            texts(md),
            [
                "置中 文字 & <标签> 中文\n下一行",
                "[图: 标志]",
                "文字粗和普通结束\n换行。"
            ]
        );
        assert_eq!(
            spans(&doc),
            [(Inline::Image, "[图: 标志]"), (Inline::Strong, "粗")]
        );
        // A style left open by HTML ends with its paragraph.
        let doc = read("<i>斜体没关\n\n下一段");
        assert_eq!(spans(&doc), [(Inline::Emphasis, "斜体没关")]);
        // HTML links are links.
        let doc = read("看<a href=\"http://x?a=1&amp;b=2\">这里</a>。");
        assert_eq!(
            doc.link_at(doc.text().find("这里").unwrap()),
            Some("http://x?a=1&b=2")
        );
    }

    #[test]
    fn the_tag_stripper_works_across_lines() {
        let mut state = HtmlState::default();
        let mut out = Vec::new();
        state.feed("甲<img\n", &mut out);
        state.feed(" alt='a > b'>乙 <!--", &mut out);
        state.feed("-->丙 < 3", &mut out);
        assert_eq!(
            out,
            [
                Piece::Text("甲".into()),
                Piece::Image("a > b".into()),
                Piece::Text("乙 ".into()),
                Piece::Text("丙 ".into()),
                Piece::Text("<".into()),
                Piece::Text(" 3".into()),
            ]
        );
        assert_eq!(
            decode_entities("&amp;&#x41;&#66;&bogus;&;&"),
            "&AB&bogus;&;&"
        );
        assert_eq!(
            attribute("a href=x title=\"t\"", "title").as_deref(),
            Some("t")
        );
        assert_eq!(attribute("img alt", "alt").as_deref(), Some(""));
        assert_eq!(attribute("img src=x", "alt"), None);
    }

    #[test]
    fn horizontal_rules_leave_nothing() {
        assert_eq!(texts("甲\n\n---\n\n乙\n\n***\n"), ["甲", "乙"]);
    }

    #[test]
    fn windows_line_endings() {
        let md = "---\r\ntitle: 标题\r\n---\r\n\r\n中文\r\n中文\r\n\r\n```\r\na\r\nb\r\n```\r\n";
        assert_eq!(texts(md), ["标题", "中文中文", "a\nb"]);
    }

    proptest::proptest! {
        /// Whatever the input, blocks are in order inside the text, spans inside their text,
        /// every offset on a character boundary, and tabs only in table rows.
        #[test]
        fn any_input_reads_into_a_sound_document(
            md in proptest::collection::vec(proptest::sample::select(vec![
                "中文", "。", "“", "English", " ", "\n", "\n\n", "  \n", "\\\n", "# ", "## ", "> ",
                "- ", "1. ", "  ", "    ", "* ", "[ ] ", "[x] ", "**", "*", "_", "~~", "`", "```\n",
                "---\n", "+++\n", "title: t\n", "tags: [a, b]\n", "[链接](http://x)", "![图](y)",
                "[", "]", "(", ")", "!", "|", "|---|\n", "[^n]", "[^n]: ", "<br>", "<p>", "</p>",
                "<b>", "<script>", "</script>", "<!--", "-->", "&amp;", "&#x4e2d;", "&", "<",
                "\t", "\r\n", "\u{3000}",
            ]), 0..60)
        ) {
            let md: String = md.concat();
            let doc = read(&md);
            let text = doc.text();
            let mut prev_end = 0;
            for (i, b) in doc.blocks().iter().enumerate() {
                proptest::prop_assert!(prev_end <= b.start && b.start <= b.end && b.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(b.start) && text.is_char_boundary(b.end));
                if !matches!(b.kind, TableRow { .. }) {
                    proptest::prop_assert!(!doc.block_text(i).contains('\t'), "{:?}", doc.dump());
                }
                prev_end = b.end;
            }
            for s in doc.spans() {
                proptest::prop_assert!(s.start < s.end && s.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            }
        }
    }
}
