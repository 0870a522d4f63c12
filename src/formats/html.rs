//! Saved web pages (a news site, a WeChat article saved from a browser, a blog) to a
//! [`Document`].
//!
//! The page's character set comes from a byte-order mark, the user's `--encoding`, the page's
//! own declaration or detection, in that order. The article is found by dom_smoothie (a port of
//! Readability) or, for a WeChat article, taken from its known container; it is written under a
//! title without the site's suffix and meta lines for the byline, the source and the date. A
//! page without a recognisable article is shown whole, less its menus, sidebars, comments and
//! footer, with a note saying so.

use dom_query::{Document as Page, NodeRef};
use dom_smoothie::{Article, Config, Metadata, Readability};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

use super::{FormatError, Read, dom};
use crate::document::{BlockKind, Builder, Document};
use crate::text::{self, DecodeError};

/// How much of the file is searched for a `<meta charset>` (as the HTML standard's prescan).
const SNIFF_LEN: usize = 4096;

/// Pages nested deeper than this, or with more elements, are not given to dom_smoothie (parts
/// of it recurse, and its cleaning is quadratic in the nesting depth); they are shown whole.
const MAX_DEPTH: usize = 256;
const MAX_ELEMENTS: usize = 60_000;

/// dom_smoothie retries with looser rules while the article it found is shorter than this
/// many characters, keeping the longest attempt. Its default (500) is tuned for English, where
/// 500 characters are under a hundred words; a Chinese article says as much in far fewer
/// characters, and each retry lets in more of the page around it.
const CHAR_THRESHOLD: usize = 200;

/// An extraction with less prose than this (characters outside links, not counting spaces) is
/// not taken for an article.
const MIN_PROSE: usize = 60;

pub const NO_ARTICLE_NOTE: &str = "No article found in this page: showing all its text";

/// Reads a saved web page.
pub fn read(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Read, FormatError> {
    let (html, encoding) = decode(bytes, forced)?;
    Ok(Read {
        doc: parse(&html),
        encoding,
    })
}

// ---------------------------------------------------------------------------------------------
// Character set

/// A BOM wins, then the user's choice, then what the page declares, then detection.
fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<(String, &'static Encoding), DecodeError> {
    if forced.is_none()
        && Encoding::for_bom(bytes).is_none()
        && let Some(declared) = declared_encoding(&bytes[..bytes.len().min(SNIFF_LEN)])
        && let Some(decoded) = decode_declared(bytes, declared)
    {
        return Ok(decoded);
    }
    let decoded = text::decode(bytes, forced)?;
    Ok((decoded.text, decoded.encoding))
}

/// Decodes with the page's declared charset; `None` when the declaration is plainly wrong
/// (the bytes do not decode), so detection gets its turn.
fn decode_declared(
    bytes: &[u8],
    declared: &'static Encoding,
) -> Option<(String, &'static Encoding)> {
    // A browser that saves a page as UTF-8 may leave the declaration of the charset it was
    // served in; non-ASCII text that is valid UTF-8 is almost never GBK or Big5.
    if declared != UTF_8
        && !bytes.is_ascii()
        && let Ok(utf8) = std::str::from_utf8(bytes)
    {
        return Some((utf8.to_string(), UTF_8));
    }
    let (decoded, _) = declared.decode_without_bom_handling(bytes);
    let errors = decoded.matches('\u{FFFD}').count();
    if errors * 100 > decoded.chars().count().max(1) {
        return None;
    }
    Some((decoded.into_owned(), declared))
}

/// The charset a page declares in its first bytes: an XML declaration's `encoding`, or a
/// `<meta charset>` / `<meta http-equiv="Content-Type" content="…; charset=…">`. The bytes are
/// read as ASCII, which every encoding a page can declare this way agrees on.
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let label = xml_encoding(&lower).or_else(|| meta_charset(&lower))?;
    let encoding = Encoding::for_label(label)?;
    // As the HTML standard says: a page that reached this point is not UTF-16, and
    // x-user-defined means windows-1252.
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    })
}

fn xml_encoding(lower: &[u8]) -> Option<&[u8]> {
    let start = lower.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = lower[start..].strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(rest, b"?>")?;
    value_after(&rest[..end], b"encoding")
}

fn meta_charset(lower: &[u8]) -> Option<&[u8]> {
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&lower[at..], b"<meta") {
        let start = at + found + b"<meta".len();
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        if let Some(label) = value_after(&lower[start..end], b"charset") {
            return Some(label);
        }
        at = end;
    }
    None
}

/// The value after `key` `=` in a tag's text, unquoted: `charset="gbk"`, `charset=gbk`.
fn value_after<'a>(tag: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&tag[at..], key) {
        let mut i = at + found + key.len();
        while tag.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if tag.get(i) != Some(&b'=') {
            at = i;
            continue;
        }
        i += 1;
        while tag
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\''))
        {
            i += 1;
        }
        let start = i;
        while tag
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        {
            i += 1;
        }
        if i > start {
            return Some(&tag[start..i]);
        }
        at = i;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The page

/// What the page says about itself in its head and around its title.
#[derive(Debug, Default)]
struct Facts {
    og_title: Option<String>,
    title_tag: Option<String>,
    /// `<h1>` texts (and WeChat's title element), in page order.
    headings: Vec<String>,
    author: Option<String>,
    date: Option<String>,
    site: Option<String>,
    /// A WeChat article: the content is `#js_content`.
    wechat: bool,
}

fn parse(html: &str) -> Document {
    let page = Page::from(flatten_deep(html).as_ref());
    // What the page says about itself, read from it whole.
    let mut facts = Facts::gather(&page);
    // The page without its furniture is what dom_smoothie looks at, and what is shown when it
    // finds no article: a long comment thread or a sidebar cannot win over a short article.
    let cleaned = page.clone();
    let body = cleaned.body().unwrap_or_else(|| cleaned.root());
    remove_chrome(&body);

    let (metadata, article) = if tractable(&page) {
        match Readability::with_document(cleaned.clone(), None, Some(config())) {
            Ok(mut r) => {
                let metadata = r.get_article_metadata(r.parse_json_ld());
                (Some(metadata), r.parse().ok())
            }
            Err(_) => (None, None),
        }
    } else {
        (None, None)
    };
    facts.merge(metadata.as_ref(), article.as_ref());

    // The article: WeChat's content element, or what dom_smoothie found if it reads as one.
    let wechat = cleaned
        .select_single("#js_content")
        .nodes()
        .first()
        .copied()
        .filter(|c| facts.wechat && prose_chars(c) >= MIN_PROSE);
    let extracted = match (&wechat, &article) {
        (None, Some(article)) => Some(Page::from(article.content.clone())),
        _ => None,
    };
    let content = match (wechat, &extracted) {
        (Some(node), _) => Some(node),
        (None, Some(extracted)) => {
            let root = extracted.root();
            remove_chrome(&root);
            is_article(&root, &body).then_some(root)
        }
        (None, None) => None,
    };
    if let Some(root) = &content
        && !facts.wechat
    {
        // The line of date, source and author under the title: its facts go into the meta
        // lines, and it leaves the article so it is not said twice.
        if let Some(line) = take_info_line(root) {
            facts.info_line(&line);
        }
        let title = facts.title(metadata.as_ref());
        if let Some(line) = info_line_under_title(&page, title.as_deref()) {
            facts.info_line(&line);
        }
    }

    let mut b = Builder::new("html");
    let title = facts.title(metadata.as_ref());
    write_head(&mut b, &facts, title.as_deref());
    let skip = title.as_deref();
    match content {
        Some(root) => dom::append(root, &mut b, skip),
        None => {
            // No article: everything a reader could read, less the page's furniture.
            b.info_mut().note = Some(NO_ARTICLE_NOTE.to_string());
            dom::append(body, &mut b, skip);
        }
    }
    b.finish()
}

fn config() -> Config {
    Config {
        char_threshold: CHAR_THRESHOLD,
        // Classes stay so `remove_chrome` can recognise a share bar left inside the article.
        keep_classes: true,
        ..Config::default()
    }
}

/// The title block and the meta lines under it.
fn write_head(b: &mut Builder, facts: &Facts, title: Option<&str>) {
    if let Some(title) = title {
        b.start(BlockKind::Title);
        b.push(title);
    }
    let mut lines = Vec::new();
    if let Some(author) = &facts.author {
        lines.push(format!("作者：{author}"));
        b.info_mut().author = Some(author.clone());
    }
    if let Some(site) = &facts.site
        && facts.author.as_ref() != Some(site)
    {
        lines.push(format!("来源：{site}"));
    }
    if let Some(date) = &facts.date {
        lines.push(format!("时间：{date}"));
        b.info_mut().date = Some(date.clone());
    }
    for line in lines {
        b.start_joined(BlockKind::Meta);
        b.push(&line);
    }
    b.end();
}

/// Wrappers nested deeper than this are taken out before parsing: the HTML parser's work
/// grows with the square of the nesting, so a page of 100 000 nested `<div>`s would take
/// minutes. Real pages stay far below it.
const MAX_PARSE_DEPTH: usize = 1000;

/// Elements that pages close (so counting their tags tracks the nesting), and that hold no
/// meaning a reader would miss when a hostile page nests them absurdly deep.
#[rustfmt::skip]
const WRAPPERS: &[&str] = &[
    "div", "span", "section", "article", "main", "header", "footer", "nav", "aside", "center",
    "font", "b", "i", "u", "s", "em", "strong", "small", "big", "sub", "sup", "a", "label",
    "blockquote", "ul", "ol", "dl", "table", "form", "fieldset", "figure",
];

/// `html` without the wrapper tags nested deeper than [`MAX_PARSE_DEPTH`] (their text stays).
fn flatten_deep(html: &str) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0;
    for lt in memchr::memchr_iter(b'<', bytes) {
        if lt < copied {
            continue;
        }
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        if name_len == 0 || !WRAPPERS.contains(&name.as_str()) {
            continue;
        }
        let too_deep = if closing {
            let deep = depth > MAX_PARSE_DEPTH;
            depth = depth.saturating_sub(1);
            deep
        } else {
            depth += 1;
            depth > MAX_PARSE_DEPTH
        };
        if too_deep {
            let end = memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |e| lt + e + 1);
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..lt]);
            copied = end;
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            std::borrow::Cow::Owned(out)
        }
    }
}

/// Whether the page is small and shallow enough to give to dom_smoothie.
fn tractable(page: &Page) -> bool {
    let mut stack = vec![(page.root(), 0usize)];
    let mut elements = 0usize;
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return false;
        }
        elements += 1;
        if elements > MAX_ELEMENTS {
            return false;
        }
        stack.extend(
            node.children_it(false)
                .filter(NodeRef::is_element)
                .map(|c| (c, depth + 1)),
        );
    }
    true
}

/// Whether what dom_smoothie found reads as an article: enough prose, and not mostly links
/// (a list of headlines, a menu).
fn is_article(content: &NodeRef, body: &NodeRef) -> bool {
    let (all, linked) = text_chars(content);
    let prose = all - linked;
    if prose < MIN_PROSE || linked * 2 > all {
        return false;
    }
    // Almost nothing of a page with a lot to read is a fragment, not the article.
    let visible = text_chars(body).0;
    prose * 20 >= visible || prose >= 500
}

fn prose_chars(node: &NodeRef) -> usize {
    let (all, linked) = text_chars(node);
    all - linked
}

/// Elements whose text nobody reads.
#[rustfmt::skip]
const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe",
    "textarea", "select", "button",
];

/// Non-space characters of readable text under `root`, and how many of them are inside links.
fn text_chars(root: &NodeRef) -> (usize, usize) {
    let (mut all, mut linked) = (0, 0);
    let mut stack = vec![(*root, false)];
    while let Some((node, in_link)) = stack.pop() {
        if node.is_text() {
            let n = node.text().chars().filter(|c| !c.is_whitespace()).count();
            all += n;
            if in_link {
                linked += n;
            }
            continue;
        }
        let name = tag(&node);
        if INVISIBLE.contains(&name.as_str()) {
            continue;
        }
        let in_link = in_link || name == "a";
        stack.extend(node.children_it(false).map(|c| (c, in_link)));
    }
    (all, linked)
}

fn tag(node: &NodeRef) -> String {
    node.node_name()
        .map(|n| n.to_ascii_lowercase())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Chrome: menus, sidebars, comments, share buttons, ads, footers

/// Elements that are a page's furniture by their tag.
const CHROME_TAGS: &[&str] = &["nav", "header", "footer", "aside"];

/// ARIA roles of a page's furniture.
#[rustfmt::skip]
const CHROME_ROLES: &[&str] = &[
    "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search",
];

/// Words in a class or id that mark furniture, matched whole.
#[rustfmt::skip]
const CHROME_WORDS: &[&str] = &[
    "nav", "navbar", "navigation", "menu", "menus", "submenu", "ad", "ads", "adv", "advert",
    "adverts", "advertisement", "footer", "foot", "comment", "comments", "cmt", "reply",
    "replies", "pinglun", "discuss", "share", "sharing", "social", "sidebar", "recommend",
    "recommends", "recommended", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "copyright",
];

/// Beginnings of such words run together with another (`sharebar`, `commentlist`).
#[rustfmt::skip]
const CHROME_PREFIXES: &[&str] = &[
    "share", "comment", "sidebar", "recommend", "advert", "navbar", "breadcrumb", "footer",
];

/// Removes the furniture under `root` (not `root` itself).
fn remove_chrome(root: &NodeRef) {
    let total = text_chars(root).0;
    let mut doomed = Vec::new();
    let mut stack: Vec<NodeRef> = root
        .children_it(false)
        .filter(NodeRef::is_element)
        .collect();
    while let Some(node) = stack.pop() {
        if is_chrome(&node) && !holds_the_article(&node, total) {
            doomed.push(node);
            continue;
        }
        stack.extend(node.children_it(false).filter(NodeRef::is_element));
    }
    for node in doomed {
        node.remove_from_parent();
    }
}

/// A wrapper with a name like furniture (`ad-free`, `nav-content`) that holds most of the
/// text and a heading is the page itself. A comment thread longer than the article has no
/// heading inside it and still goes.
fn holds_the_article(node: &NodeRef, total: usize) -> bool {
    total >= 200
        && text_chars(node).0 * 10 >= total * 6
        && node
            .descendants_it()
            .any(|d| d.is_element() && matches!(tag(&d).as_str(), "h1" | "h2" | "h3" | "article"))
}

fn is_chrome(node: &NodeRef) -> bool {
    if CHROME_TAGS.contains(&tag(node).as_str()) {
        return true;
    }
    if node
        .attr("role")
        .is_some_and(|r| CHROME_ROLES.contains(&r.trim().to_ascii_lowercase().as_str()))
    {
        return true;
    }
    ["class", "id"].iter().any(|attr| {
        node.attr(attr).is_some_and(|value| {
            words(&value).iter().any(|w| {
                CHROME_WORDS.contains(&w.as_str())
                    || CHROME_PREFIXES.iter().any(|p| w.starts_with(p))
            })
        })
    })
}

/// The words of a class or id: split at anything not a letter or digit and where camelCase
/// turns upper, lowercased (`js_cmt_area` → js, cmt, area; `shareBox` → share, box).
fn words(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in value.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The info line under a title: `2024-06-12 09:30 来源：江岸网 作者：林晓`

/// How many elements are looked at for the info line before giving up.
const INFO_LOOKAHEAD: usize = 60;

/// Labelled fields of an info line.
const SOURCE_LABELS: &[&str] = &["来源", "出处"];
const AUTHOR_LABELS: &[&str] = &["作者", "记者", "撰文", "文/", "文／"];
const DATE_LABELS: &[&str] = &["发布时间", "时间", "日期", "发布于"];

/// Whether `text` reads as the info line under a title: short, not a sentence, with a date
/// or a labelled source or author.
fn is_info_line(text: &str) -> bool {
    let chars = text.chars().count();
    let labelled = |labels: &[&str]| {
        labels.iter().any(|l| {
            text.match_indices(l).any(|(at, _)| {
                let rest = &text[at + l.len()..];
                l.ends_with(['/', '／']) || rest.starts_with([':', '：'])
            })
        })
    };
    (4..=100).contains(&chars)
        && !text.contains(['。', '！', '？', '，', '；'])
        && (parse_date(text).is_some()
            || labelled(SOURCE_LABELS)
            || labelled(AUTHOR_LABELS)
            || labelled(DATE_LABELS))
}

/// Words that start the next field of an info line written without spaces.
const FIELD_STOPS: &[&str] = &[
    "来源", "作者", "记者", "编辑", "时间", "日期", "字号", "阅读",
];

/// The value after a label: `来源：江岸网 作者：林晓` (or `来源:江岸网作者:林晓`) gives `江岸网`
/// for `来源`.
fn field<'a>(text: &'a str, labels: &[&str]) -> Option<&'a str> {
    labels.iter().find_map(|label| {
        let at = text.find(label)?;
        let rest = text[at + label.len()..].trim_start_matches([':', '：', ' ', '\u{3000}']);
        let end = FIELD_STOPS
            .iter()
            .filter_map(|stop| rest.find(stop))
            .chain(rest.find(|c: char| c.is_whitespace() || "|｜丨".contains(c)))
            .min()
            .unwrap_or(rest.len());
        Some(&rest[..end]).filter(|v| !v.is_empty())
    })
}

/// Removes the info line from the start of an extracted article and returns its text: the
/// first short element, before any real paragraph, that reads as one.
fn take_info_line(root: &NodeRef) -> Option<String> {
    let mut stack: Vec<NodeRef> = root.children_it(true).collect();
    let mut seen = 0;
    while let Some(node) = stack.pop() {
        if node.is_text() {
            if node.text().chars().filter(|c| !c.is_whitespace()).count() >= 40 {
                return None;
            }
            continue;
        }
        let name = tag(&node);
        if !node.is_element() || INVISIBLE.contains(&name.as_str()) || is_heading(&name) {
            continue;
        }
        seen += 1;
        if seen > INFO_LOOKAHEAD {
            return None;
        }
        if node.normalized_char_count() <= 120 && !has_heading(&node) {
            let text = clean(&node.text());
            if is_info_line(&text) {
                node.remove_from_parent();
                return Some(text);
            }
        }
        stack.extend(node.children_it(true));
    }
    None
}

/// The info line that closely follows the title on the page: after the `<h1>` that says
/// the title, else after the text that does (an old page's `<b>` or `<td>`), else after the
/// first `<h1>`.
fn info_line_under_title(page: &Page, title: Option<&str>) -> Option<String> {
    let h1s = page.select("h1");
    let anchor = title
        .and_then(|title| {
            h1s.nodes()
                .iter()
                .find(|h| clean(&h.text()) == title)
                .copied()
                .or_else(|| title_text(page, title))
        })
        .or_else(|| h1s.nodes().first().copied())?;
    let mut node = next_in_order(&anchor, true);
    let mut seen = 0;
    while let Some(n) = node {
        seen += 1;
        if seen > INFO_LOOKAHEAD {
            return None;
        }
        if n.is_text() && n.text().chars().filter(|c| !c.is_whitespace()).count() >= 40 {
            return None;
        }
        let name = tag(&n);
        let skip_inside = !n.is_element() || INVISIBLE.contains(&name.as_str());
        if n.is_element() && !skip_inside {
            if is_heading(&name) {
                return None;
            }
            if n.normalized_char_count() <= 120 && !has_heading(&n) {
                let text = clean(&n.text());
                if is_info_line(&text) {
                    return Some(text);
                }
            }
        }
        node = next_in_order(&n, skip_inside);
    }
    None
}

/// The element whose own text is `title`, the first in the body.
fn title_text<'a>(page: &'a Page, title: &str) -> Option<NodeRef<'a>> {
    page.body()?
        .descendants_it()
        .find(|n| {
            n.is_text() && {
                let text = n.text();
                text.len() <= title.len() * 2 + 16 && clean(&text) == title
            }
        })
        .and_then(|n| n.parent())
}

/// The node after `node` in document order; past its children when `skip_children`.
fn next_in_order<'a>(node: &NodeRef<'a>, skip_children: bool) -> Option<NodeRef<'a>> {
    if !skip_children && let Some(child) = node.first_child() {
        return Some(child);
    }
    let mut at = *node;
    loop {
        if let Some(next) = at.next_sibling() {
            return Some(next);
        }
        at = at.parent()?;
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn has_heading(node: &NodeRef) -> bool {
    node.descendants_it()
        .any(|d| d.is_element() && is_heading(&tag(&d)))
}

// ---------------------------------------------------------------------------------------------
// Title, byline, date, source

impl Facts {
    fn gather(page: &Page) -> Self {
        let mut facts = Self::default();
        let mut twitter_title = None;
        let mut meta_author = None;
        let mut meta_date = None;
        for node in page.select("meta").nodes() {
            let Some(key) = node
                .attr("property")
                .or_else(|| node.attr("name"))
                .or_else(|| node.attr("itemprop"))
            else {
                continue;
            };
            let Some(content) = node
                .attr("content")
                .map(|c| clean(&c))
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            match key.trim().to_ascii_lowercase().as_str() {
                "og:title" => set_once(&mut facts.og_title, content),
                "twitter:title" => set_once(&mut twitter_title, content),
                "author" | "article:author" | "dc.creator" | "dc:creator" | "byline"
                    if !content.contains("://") =>
                {
                    set_once(&mut meta_author, content);
                }
                "article:published_time"
                | "pubdate"
                | "publishdate"
                | "publish_date"
                | "publication_date"
                | "datepublished"
                | "dc.date"
                | "dc.date.issued"
                | "og:release_date"
                | "weibo:article:create_at"
                | "date" => {
                    set_once(&mut meta_date, content);
                }
                "og:site_name" => set_once(&mut facts.site, content),
                _ => {}
            }
        }
        facts.og_title = facts.og_title.or(twitter_title);
        facts.title_tag = page
            .select_single("title")
            .nodes()
            .first()
            .map(|t| clean(&t.text()))
            .filter(|t| !t.is_empty());

        let text_of = |selector: &str| {
            page.select_single(selector)
                .nodes()
                .first()
                .map(|n| clean(&n.text()))
                .filter(|t| !t.is_empty())
        };
        facts.wechat = page.select_single("#js_content").exists();
        if facts.wechat {
            if let Some(title) = text_of("#activity-name").or_else(|| text_of(".rich_media_title"))
            {
                facts.headings.push(title);
            }
            facts.author = text_of("#js_author_name").and_then(|a| byline(&a));
            facts.site = text_of("#js_name").or(facts.site);
            facts.date = text_of("#publish_time").map(|d| normal_date(&d));
        }
        for h1 in page.select("h1").nodes().iter().take(8) {
            let text = clean(&h1.text());
            if !text.is_empty() && !facts.headings.contains(&text) {
                facts.headings.push(text);
            }
        }
        facts.author = facts
            .author
            .or_else(|| meta_author.and_then(|a| byline(&a)));
        facts.date = facts.date.or_else(|| meta_date.map(|d| normal_date(&d)));
        facts
    }

    /// Fills what the page's own tags left open from dom_smoothie's findings (JSON-LD, Dublin
    /// Core, a byline element).
    fn merge(&mut self, metadata: Option<&Metadata>, article: Option<&Article>) {
        if self.author.is_none() {
            self.author = article
                .and_then(|a| a.byline.as_deref())
                .or_else(|| metadata.and_then(|m| m.byline.as_deref()))
                .and_then(byline);
        }
        if self.date.is_none() {
            self.date = metadata
                .and_then(|m| m.published_time.as_deref())
                .map(normal_date)
                .filter(|d| !d.is_empty());
        }
        if self.site.is_none() {
            self.site = metadata
                .and_then(|m| m.site_name.as_deref())
                .map(clean)
                .filter(|s| !s.is_empty());
        }
    }

    /// Fills what is still open from the info line under the title.
    fn info_line(&mut self, line: &str) {
        if self.date.is_none() {
            self.date = parse_date(line);
        }
        if self.site.is_none() {
            self.site = field(line, SOURCE_LABELS).map(str::to_string);
        }
        if self.author.is_none() {
            self.author = field(line, AUTHOR_LABELS).and_then(byline);
        }
    }

    /// The article's title: the `<title>` or `og:title` cut where a heading agrees with it,
    /// else with the site's suffix removed.
    fn title(&self, metadata: Option<&Metadata>) -> Option<String> {
        let site = self.site.as_deref();
        // A short heading that names a site (the logo in an `<h1>`) confirms nothing.
        let usable = |r: &&str| {
            let chars = r.chars().count();
            chars >= 2 && !(chars <= 8 && looks_like_site(r, site))
        };
        let headings: Vec<&str> = self
            .headings
            .iter()
            .map(String::as_str)
            .filter(usable)
            .collect();
        let refs: Vec<&str> = self
            .og_title
            .as_deref()
            .filter(usable)
            .into_iter()
            .chain(headings.iter().copied())
            .collect();
        if let Some(full) = &self.title_tag
            && let Some(r) = agreeing(full, &refs)
        {
            return Some(r.to_string());
        }
        if let Some(og) = &self.og_title {
            if let Some(h) = agreeing(og, &headings) {
                return Some(h.to_string());
            }
            return Some(strip_site(og, site, false).to_string());
        }
        if let Some(full) = &self.title_tag {
            return Some(strip_site(full, site, true).to_string());
        }
        self.headings
            .first()
            .cloned()
            .or_else(|| {
                metadata
                    .map(|m| clean(&m.title))
                    .filter(|t| !t.is_empty())
                    .map(|t| strip_site(&t, site, false).to_string())
            })
            .filter(|t| !t.is_empty())
    }
}

fn set_once(slot: &mut Option<String>, value: String) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// Text as one clean line: whitespace runs as one space, no control characters.
fn clean(s: &str) -> String {
    text::sanitize_line(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Separators between a title and its site's name, longest first where one holds another.
#[rustfmt::skip]
const TITLE_SEPARATORS: &[&str] = &[
    "——", " - ", " – ", " — ", "--", "-", " | ", "|", "｜", "_", " :: ", " » ",
];

/// Endings of a site's or channel's name: `某某网`, `财经频道`, `滨江日报`, `example.com`.
#[rustfmt::skip]
const SITE_ENDINGS: &[&str] = &[
    "网", "网站", "频道", "新闻", "报", "站", "在线", "客户端", "官网", "门户", "平台",
    "中心", "博客", "专栏", "首页", "资讯", "论坛", "社区", "电视台", "杂志", "周刊", "政府",
    ".com", ".cn", ".net", ".org", "Online", "News", "Blog",
];

fn looks_like_site(tail: &str, site: Option<&str>) -> bool {
    site.is_some_and(|site| tail == site || tail.starts_with(site) || tail.ends_with(site))
        || SITE_ENDINGS.iter().any(|e| tail.ends_with(e))
}

/// Where the last separator in `title` is, and which one.
fn last_separator(title: &str) -> Option<(usize, &'static str)> {
    TITLE_SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|at| (at, *sep)))
        // Of overlapping matches (` - ` and `-`), the one that ends last, then the longest.
        .max_by_key(|&(at, sep)| (at + sep.len(), sep.len()))
}

/// The first of `parts` that `full` is, or that `full` is with a site's name after it
/// (`标题 - 某某网`), else before it (`某某网 | 标题`).
fn agreeing<'a>(full: &str, parts: &[&'a str]) -> Option<&'a str> {
    let starts_with_sep = |s: &str| {
        let s = s.trim_start();
        TITLE_SEPARATORS.iter().any(|sep| s.starts_with(sep.trim()))
    };
    let ends_with_sep = |s: &str| {
        let s = s.trim_end();
        TITLE_SEPARATORS.iter().any(|sep| s.ends_with(sep.trim()))
    };
    parts
        .iter()
        .find(|p| full == **p || full.strip_prefix(**p).is_some_and(starts_with_sep))
        .or_else(|| {
            parts
                .iter()
                .find(|p| full.strip_suffix(**p).is_some_and(ends_with_sep))
        })
        .copied()
}

/// `title` without the site (and channel) names after its last separators: `标题_财经频道_某某网`,
/// `标题 - 某某网`, `标题 | Site`, `标题——新华网` all give `标题`. The first segment goes when
/// it names a site, or (`lenient`, for a `<title>` nothing else confirms) when it is shorter
/// than what stays; further segments only when they name a site or channel, so a title with a
/// dash of its own (`守护绿水青山——记某地的护林员——某某网`) keeps it.
fn strip_site<'a>(title: &'a str, site: Option<&str>, lenient: bool) -> &'a str {
    let mut current = title.trim();
    let mut cuts = 0;
    while let Some((at, sep)) = last_separator(current) {
        let head = current[..at].trim_end_matches(['-', '—', ' ']).trim();
        let tail = current[at + sep.len()..].trim();
        let (head_chars, tail_chars) = (head.chars().count(), tail.chars().count());
        if head_chars < 4 || tail_chars > 30 {
            break;
        }
        let sitey = tail.is_empty() || looks_like_site(tail, site);
        // A bare hyphen is as often part of the title (`京沪-高铁`, a date) as a separator.
        let cut = sitey || (sep != "-" && cuts == 0 && lenient && tail_chars < head_chars);
        if !cut {
            break;
        }
        current = head;
        cuts += 1;
    }
    current
}

/// The name in a byline (`作者：林晓`, `文/李四`, `By Jane Doe`, `林晓`), if it is one.
fn byline(raw: &str) -> Option<String> {
    let line = clean(raw);
    let mut rest = line.as_str();
    for prefix in ["作者", "撰文", "文/", "文／", "记者", "By ", "by ", "BY "] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r;
            break;
        }
    }
    let name = rest
        .trim_matches([' ', '\u{3000}', ':', '：', '|', '｜', '/', '／'])
        .to_string();
    let chars = name.chars().count();
    ((1..=40).contains(&chars) && !name.contains("://")).then_some(name)
}

/// A date as `2024-05-01 10:00` (or `2024-05-01`) when it can be read as one —
/// `2024-05-01T10:00:00+08:00`, `2024年5月1日 08:30`, `2024/5/1 10:00` — else as it was given.
fn normal_date(raw: &str) -> String {
    let raw = clean(raw);
    parse_date(&raw).unwrap_or(raw)
}

fn parse_date(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let number = |at: &mut usize, max_len: usize| -> Option<u32> {
        let start = *at;
        while *at < chars.len() && *at - start < max_len && chars[*at].is_ascii_digit() {
            *at += 1;
        }
        if *at == start {
            return None;
        }
        chars[start..*at].iter().collect::<String>().parse().ok()
    };
    let skip = |at: &mut usize, set: &[char]| {
        while *at < chars.len() && set.contains(&chars[*at]) {
            *at += 1;
        }
    };
    // The first four-digit year.
    let mut at = (0..chars.len()).find(|&i| {
        chars[i..].len() >= 4
            && chars[i..i + 4].iter().all(char::is_ascii_digit)
            && (i == 0 || !chars[i - 1].is_ascii_digit())
    })?;
    let year = number(&mut at, 4)?;
    if chars.get(at).is_some_and(char::is_ascii_digit) {
        return None;
    }
    skip(&mut at, &['-', '/', '.', '年', ' ']);
    let month = number(&mut at, 2)?;
    skip(&mut at, &['-', '/', '.', '月', ' ']);
    let day = number(&mut at, 2)?;
    if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    skip(&mut at, &['日', '号', 'T', ' ', '\u{3000}']);
    let mut time_at = at;
    if let Some(hour) = number(&mut time_at, 2)
        && chars
            .get(time_at)
            .is_some_and(|c| matches!(c, ':' | '：' | '时'))
    {
        time_at += 1;
        if let Some(minute) = number(&mut time_at, 2)
            && hour < 24
            && minute < 60
        {
            return Some(format!("{date} {hour:02}:{minute:02}"));
        }
    }
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_declarations_are_found() {
        let gbk = declared_encoding(b"<html><head><meta charset=\"GB2312\">").unwrap();
        assert_eq!(gbk.name(), "GBK");
        let equiv = declared_encoding(
            b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=big5\">",
        );
        assert_eq!(equiv.unwrap().name(), "Big5");
        assert_eq!(declared_encoding(b"<meta charset='utf-16'>"), Some(UTF_8));
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding=\"gb18030\"?><html>")
                .unwrap()
                .name(),
            "gb18030"
        );
        assert_eq!(
            declared_encoding(b"<meta name=\"charset\" content=\"x\">"),
            None
        );
        assert_eq!(declared_encoding(b"<p>charset=gbk</p>"), None);
        assert_eq!(declared_encoding(b"<meta charset=klingon>"), None);
    }

    #[test]
    fn a_page_saved_as_utf8_keeps_utf8_whatever_it_declares() {
        let page = "<meta charset=\"gbk\"><p>中文</p>".as_bytes();
        let (text, encoding) = decode(page, None).unwrap();
        assert_eq!(encoding, UTF_8);
        assert!(text.contains("中文"));
    }

    #[test]
    fn site_suffixes_are_removed() {
        assert_eq!(
            strip_site("标题很长一点_财经频道_某某网", None, true),
            "标题很长一点"
        );
        assert_eq!(
            strip_site("一篇文章的标题 - 某某网", None, true),
            "一篇文章的标题"
        );
        assert_eq!(
            strip_site("Rust 1.80 released | The Blog", None, true),
            "Rust 1.80 released"
        );
        assert_eq!(
            strip_site("一篇文章的标题——新华网", None, true),
            "一篇文章的标题"
        );
        assert_eq!(
            strip_site("一篇文章的标题｜某某", Some("某某"), false),
            "一篇文章的标题"
        );
        // A dash of the title's own stays.
        assert_eq!(
            strip_site("守护绿水青山——记某地的护林员——某某网", None, true),
            "守护绿水青山——记某地的护林员"
        );
        assert_eq!(
            strip_site("北京 - 上海：两城记", None, true),
            "北京 - 上海：两城记"
        );
        for (title, want) in [
            ("县里召开春耕会议--滨江县人民政府", "县里召开春耕会议"),
            ("县里召开春耕会议-滨江新闻网", "县里召开春耕会议"),
            ("京沪高铁-北京段提速", "京沪高铁-北京段提速"),
            ("会议纪要 2024-05-01", "会议纪要 2024-05-01"),
            ("Self-driving cars - Site", "Self-driving cars"),
        ] {
            assert_eq!(strip_site(title, None, true), want);
        }
        // Not confirmed by anything and not a site's name: kept (og:title).
        assert_eq!(
            strip_site("改革 - 一场漫长的试验", None, false),
            "改革 - 一场漫长的试验"
        );
    }

    #[test]
    fn headings_that_agree_with_the_title_win() {
        let facts = Facts {
            title_tag: Some("上海 - 北京 双城记 - 某某网".into()),
            headings: vec!["某某网".into(), "上海 - 北京 双城记".into()],
            site: Some("某某网".into()),
            ..Facts::default()
        };
        assert_eq!(facts.title(None).as_deref(), Some("上海 - 北京 双城记"));
        // The site's logo in an <h1> is not the title, whichever end of <title> it matches.
        let facts = Facts {
            title_tag: Some("老街改造完成 - 江岸网".into()),
            headings: vec!["江岸网".into(), "老街改造完成".into()],
            ..Facts::default()
        };
        assert_eq!(facts.title(None).as_deref(), Some("老街改造完成"));
        let facts = Facts {
            title_tag: Some("江岸网 - 首页".into()),
            headings: vec!["江岸网".into()],
            ..Facts::default()
        };
        assert_eq!(facts.title(None).as_deref(), Some("江岸网 - 首页"));
    }

    #[test]
    fn dates_are_normalized() {
        assert_eq!(normal_date("2024-05-01T10:00:00+08:00"), "2024-05-01 10:00");
        assert_eq!(normal_date("2024年5月1日 08:30"), "2024-05-01 08:30");
        assert_eq!(normal_date("发布时间：2024/5/1"), "2024-05-01");
        assert_eq!(normal_date("昨天"), "昨天");
    }

    #[test]
    fn info_line_fields() {
        let line = "2024-06-12 09:30 来源：江岸网 作者：林晓";
        assert!(is_info_line(line));
        assert_eq!(field(line, SOURCE_LABELS), Some("江岸网"));
        assert_eq!(field(line, AUTHOR_LABELS), Some("林晓"));
        assert_eq!(
            field("来源:江岸网作者:林晓|编辑:王敏", SOURCE_LABELS),
            Some("江岸网")
        );
        assert_eq!(
            field("来源:江岸网作者:林晓|编辑:王敏", AUTHOR_LABELS),
            Some("林晓")
        );
        assert!(is_info_line("发布时间：2024-03-15　来源：县农业农村局"));
        assert_eq!(
            field("来源：滨江发布 2024-03-15", SOURCE_LABELS),
            Some("滨江发布")
        );
        // A sentence with a date is not an info line.
        assert!(!is_info_line("2024年6月12日，城南老街改造完成。"));
        assert!(!is_info_line("城南老街改造完成"));
    }

    #[test]
    fn bylines_give_names() {
        assert_eq!(byline("作者：林晓").as_deref(), Some("林晓"));
        assert_eq!(byline("文/李四").as_deref(), Some("李四"));
        assert_eq!(byline("林晓").as_deref(), Some("林晓"));
        assert_eq!(byline("https://example.com/author/x"), None);
    }

    #[test]
    fn absurd_nesting_is_flattened_before_parsing() {
        let deep = format!(
            "{}<p>正文</p>{}",
            "<div>".repeat(3000),
            "</div>".repeat(3000)
        );
        let flat = flatten_deep(&deep);
        assert_eq!(flat.matches("<div>").count(), MAX_PARSE_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_PARSE_DEPTH);
        assert!(flat.contains("<p>正文</p>"));
        let normal = "<div class=a><span>文</span></div><p>段<br>落";
        assert!(matches!(
            flatten_deep(normal),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn class_words() {
        assert_eq!(
            words("js_cmt_area shareBox"),
            ["js", "cmt", "area", "share", "box"]
        );
        assert!(
            !words("article-content")
                .iter()
                .any(|w| CHROME_WORDS.contains(&w.as_str()))
        );
    }
}
