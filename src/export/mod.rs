//! Exports of a document's annotations: Markdown for Obsidian, W3C Web Annotation JSON-LD, a
//! Readwise CSV and pizhu's own JSON dump. Each format is a pure function of an
//! [`ExportInput`] to a `String`; the CLI (`pizhu export`) and the reader's export dialog
//! both go through [`render`] and [`default_file_name`].
//!
//! Positions leave pizhu as Unicode code point offsets into the normalized text
//! ([`Document::text`]), end exclusive, as the W3C `TextPositionSelector` defines them.
//! Annotations come out in document order, orphans (whose text is gone from the article)
//! after the placed ones; orphans carry their quote but no position.

pub mod csv;
pub mod json;
pub mod markdown;
pub mod w3c;

use std::borrow::Cow;
use std::fmt::Write;

use crate::annotations::Annotation;
use crate::document::Document;
use crate::entities::Entity;
use crate::entities::correction::Correction;

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Markdown with YAML front matter, for Obsidian.
    Markdown,
    /// W3C Web Annotation Data Model: one `AnnotationCollection` in JSON-LD.
    W3c,
    /// Readwise's CSV import.
    Csv,
    /// pizhu's own complete, versioned JSON dump (importable with `pizhu import`).
    Json,
}

impl Format {
    pub const ALL: [Format; 4] = [Self::Markdown, Self::W3c, Self::Csv, Self::Json];

    /// The CLI name (`markdown`, `w3c`, `csv`, `json`); also accepts `md`, `jsonld` and
    /// `readwise`, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Some(Self::Markdown),
            "w3c" | "jsonld" | "json-ld" => Some(Self::W3c),
            "csv" | "readwise" => Some(Self::Csv),
            "json" | "pizhu" => Some(Self::Json),
            _ => None,
        }
    }

    /// The CLI name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Markdown => "markdown",
            Self::W3c => "w3c",
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }

    /// File extension, without the dot. W3C gets `jsonld`, the registered extension of
    /// `application/ld+json` (the Web Annotation media type is that with the anno.jsonld
    /// profile): JSON-LD aware tools recognise it, and it keeps the W3C export and pizhu's
    /// own `.json` dump of the same article from overwriting each other.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::W3c => "jsonld",
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }

    /// A short description for menus.
    pub fn label(self) -> &'static str {
        match self {
            Self::Markdown => "Markdown (Obsidian)",
            Self::W3c => "W3C Web Annotation (JSON-LD)",
            Self::Csv => "Readwise CSV",
            Self::Json => "pizhu JSON (complete, re-importable)",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything an export is made from.
#[derive(Clone, Copy)]
pub struct ExportInput<'a> {
    pub doc: &'a Document,
    /// Absolute path of the source file; `None` for the sample and stdin.
    pub path: Option<&'a str>,
    /// In any order; orphans included.
    pub annotations: &'a [Annotation],
    /// Notes about the whole document, in the order they were made.
    pub document_notes: &'a [crate::annotations::DocumentNote],
    /// Already corrected, rejected ones removed.
    pub entities: &'a [Entity],
    pub corrections: &'a [Correction],
    /// When the export was made (RFC 3339); passed in so tests are deterministic.
    pub exported: &'a str,
    /// The reader's time zone, for times a person reads (the Markdown export); machine
    /// formats stay in UTC.
    pub zone: &'a jiff::tz::TimeZone,
}

/// Choices of what an export holds, beyond [`ExportInput`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// The entities: the Markdown export's section and the JSON dump's list (`pizhu export
    /// --no-entities` turns them off). W3C and CSV never carry entities.
    pub entities: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { entities: true }
    }
}

/// The export of `input` in `format`, with the default [`Options`].
pub fn render(format: Format, input: &ExportInput) -> String {
    render_with(format, input, Options::default())
}

/// One export as both `pizhu export` and the reader's dialog make it, so the two give the same
/// bytes for the same state: the saved corrections replayed over the `extracted` entities, the
/// rejected ones left out, then [`render_with`].
#[allow(clippy::too_many_arguments)]
pub fn prepare(
    doc: &Document,
    path: Option<&str>,
    set: &crate::annotations::AnnotationSet,
    extracted: &[Entity],
    exported: &str,
    zone: &jiff::tz::TimeZone,
    format: Format,
    options: Options,
) -> String {
    let mut entities = extracted.to_vec();
    let mut rejected = std::collections::HashSet::new();
    crate::entities::correction::replay(&set.corrections, &mut entities, &mut rejected, doc.text());
    entities.retain(|e| !rejected.contains(&e.name));
    let input = ExportInput {
        doc,
        path,
        annotations: &set.list,
        document_notes: &set.document_notes,
        entities: &entities,
        corrections: &set.corrections,
        exported,
        zone,
    };
    render_with(format, &input, options)
}

/// The export of `input` in `format`.
pub fn render_with(format: Format, input: &ExportInput, options: Options) -> String {
    let without;
    let input = if options.entities {
        input
    } else {
        without = ExportInput {
            entities: &[],
            ..*input
        };
        &without
    };
    match format {
        Format::Markdown => markdown::render_with(input, options),
        Format::W3c => w3c::render(input),
        Format::Csv => csv::render(input),
        Format::Json => json::render(input),
    }
}

/// Suffix of default export file names: 批注 = annotations.
pub const FILE_SUFFIX: &str = "-批注";

/// Longest file name most file systems take, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// `<title>-批注.<ext>` (`fallback` when there is no usable title), keeping Chinese as it is:
/// only characters no file system takes (`/ \ : * ? " < > |` and control characters) are
/// replaced by `_` (runs of them by one), and spaces, dots and `_` are trimmed off both ends.
/// The title is cut (at a character boundary) so that the name fits in 255 bytes.
pub fn default_file_name(title: Option<&str>, fallback: &str, format: Format) -> String {
    let tail = format!("{FILE_SUFFIX}.{}", format.extension());
    let stem = [title.unwrap_or_default(), fallback, "pizhu"]
        .into_iter()
        .map(clean_file_stem)
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    let mut stem = stem.as_str();
    let room = MAX_NAME_BYTES - tail.len();
    if stem.len() > room {
        let mut cut = room;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem = stem[..cut].trim_end_matches(|c: char| c.is_whitespace() || c == '.' || c == '_');
    }
    format!("{stem}{tail}")
}

fn clean_file_stem(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bad =
            c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|');
        if bad {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_matches(|c: char| c.is_whitespace() || c == '.' || c == '_')
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Shared by the formats.

/// Text from an annotation or the record (note, tag, quote, title, path, id) made safe for a
/// text export (Markdown, CSV): such files are read with `cat` and in editors, and notes may
/// come from anyone, so they are cleaned like an article ([`crate::text::sanitize`]: escape
/// sequences, controls but `\n`, and bidi overrides go; CR becomes `\n`).
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    crate::text::sanitize(s)
}

/// [`clean`] for one-line fields (title, tag, path, id): line breaks become spaces.
pub(crate) fn clean_line(s: &str) -> Cow<'_, str> {
    match clean(s) {
        Cow::Borrowed(b) if !b.contains('\n') => Cow::Borrowed(b),
        c => Cow::Owned(c.replace('\n', " ")),
    }
}

/// An annotation with its place in the document, as the exports show it.
pub(crate) struct Item<'a> {
    pub a: &'a Annotation,
    /// Byte range into the text; `None` for an orphan (or a range that does not fit the
    /// text, which is treated as one).
    pub bytes: Option<(usize, usize)>,
    /// Code point range; `None` for an orphan.
    pub chars: Option<(usize, usize)>,
}

impl Item<'_> {
    /// The quoted text: the document's own for a placed annotation, the stored quote for an
    /// orphan.
    pub fn exact<'t>(&'t self, text: &'t str) -> &'t str {
        match self.bytes {
            Some((s, e)) => &text[s..e],
            None => &self.a.quote.exact,
        }
    }
}

/// The annotations in document order (placed ones by position, then orphans by creation),
/// with their code point ranges.
pub(crate) fn items<'a>(text: &str, annotations: &'a [Annotation]) -> Vec<Item<'a>> {
    let placed = |a: &Annotation| {
        (!a.orphan
            && a.start <= a.end
            && a.end <= text.len()
            && text.is_char_boundary(a.start)
            && text.is_char_boundary(a.end))
        .then_some((a.start, a.end))
    };
    let mut list: Vec<(Option<(usize, usize)>, &Annotation)> =
        annotations.iter().map(|a| (placed(a), a)).collect();
    list.sort_by(|(pa, a), (pb, b)| match (pa, pb) {
        (Some(x), Some(y)) => (x, &a.created, &a.id).cmp(&(y, &b.created, &b.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => (&a.created, &a.id).cmp(&(&b.created, &b.id)),
    });
    let offsets = CharOffsets::new(
        text,
        list.iter()
            .filter_map(|(p, _)| *p)
            .flat_map(|(s, e)| [s, e]),
    );
    list.into_iter()
        .map(|(bytes, a)| Item {
            a,
            bytes,
            chars: bytes.map(|(s, e)| (offsets.get(s), offsets.get(e))),
        })
        .collect()
}

/// Code point offsets of a set of byte offsets of one text, counted in one pass.
pub(crate) struct CharOffsets {
    bytes: Vec<usize>,
    chars: Vec<usize>,
}

impl CharOffsets {
    /// `offsets` must be on character boundaries of `text` (and at most its length).
    pub fn new(text: &str, offsets: impl IntoIterator<Item = usize>) -> Self {
        let mut bytes: Vec<usize> = offsets.into_iter().collect();
        bytes.sort_unstable();
        bytes.dedup();
        let mut chars = Vec::with_capacity(bytes.len());
        let (mut at, mut count) = (0, 0);
        for &b in &bytes {
            count += text[at..b].chars().count();
            at = b;
            chars.push(count);
        }
        Self { bytes, chars }
    }

    /// The code point offset of byte offset `b` (one given to [`CharOffsets::new`]).
    pub fn get(&self, b: usize) -> usize {
        match self.bytes.binary_search(&b) {
            Ok(i) => self.chars[i],
            Err(_) => unreachable!("byte offset {b} was not counted"),
        }
    }
}

/// `json` (as serde_json writes it) with the invisible controls serde_json leaves raw
/// written as `\uXXXX`: DEL, C1 (U+0080–U+009F, U+009B is an 8-bit CSI), the line and
/// paragraph separators, and the bidi marks, embeddings, overrides and isolates. A terminal
/// would act on them (`cat export.json`) and they hide or reorder text in editors; escaped,
/// the file parses back to the same strings. They can only occur inside JSON strings, so a
/// pass over the text is enough; clean output comes back as it was.
pub(crate) fn escape_invisible(json: String) -> String {
    let Some(first) = first_invisible(json.as_bytes()) else {
        return json;
    };
    let mut out = String::with_capacity(json.len() + 64);
    out.push_str(&json[..first]);
    for c in json[first..].chars() {
        if is_invisible(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Byte offset of the first character [`is_invisible`] matches. A vectorized scan for the
/// three lead bytes they have: exports run to megabytes, and most have none.
fn first_invisible(bytes: &[u8]) -> Option<usize> {
    memchr::memchr3_iter(0x7f, 0xc2, 0xe2, bytes).find(|&i| {
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        match bytes[i] {
            0x7f => true,
            // U+0080–U+009F: C2 80–9F.
            0xc2 => (0x80..=0x9f).contains(&next(1)),
            // U+200E/F: E2 80 8E/8F; U+2028–U+202E: E2 80 A8–AE; U+2066–U+2069: E2 81 A6–A9.
            _ => match next(1) {
                0x80 => matches!(next(2), 0x8e | 0x8f | 0xa8..=0xae),
                0x81 => matches!(next(2), 0xa6..=0xa9),
                _ => false,
            },
        }
    })
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}')
}

/// Tags used in `items`, each once, in order of first use.
pub(crate) fn all_tags<'a>(items: &[Item<'a>]) -> Vec<&'a str> {
    let mut seen = std::collections::HashSet::new();
    let mut tags = Vec::new();
    for item in items {
        for t in &item.a.tags {
            if seen.insert(t.as_str()) {
                tags.push(t.as_str());
            }
        }
    }
    tags
}

/// Whether `s` has a Han character (the note is then tagged as Chinese).
pub(crate) fn has_han(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
    })
}

/// `file://` URL of an absolute path: every byte but unreserved ASCII and `/`
/// percent-encoded (RFC 8089, RFC 3986).
pub fn file_url(path: &str) -> String {
    let mut url = String::from("file://");
    if !path.starts_with('/') {
        url.push('/');
    }
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The IRI that identifies the document: its `file://` URL when its path is known, else
/// `urn:pizhu:doc:<hash>`.
pub fn document_iri(path: Option<&str>, hash: &str) -> String {
    match path {
        Some(p) => file_url(p),
        None => format!("urn:pizhu:doc:{hash}"),
    }
}

/// Percent of the way through a text of `total` code points that `at` is, rounded down.
pub(crate) fn percent(at: usize, total: usize) -> usize {
    (at * 100).checked_div(total).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_back_from_their_names() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(f));
            assert_eq!(Format::parse(&f.as_str().to_uppercase()), Some(f));
        }
        assert_eq!(Format::parse("md"), Some(Format::Markdown));
        assert_eq!(Format::parse("pdf"), None);
        assert_eq!(Format::W3c.extension(), "jsonld");
    }

    #[test]
    fn file_names_keep_chinese_and_drop_only_illegal_characters() {
        assert_eq!(
            default_file_name(
                Some("电商业务依旧未跻身一线阵营,小红书还有机会成为大厂吗?"),
                "x",
                Format::Markdown
            ),
            "电商业务依旧未跻身一线阵营,小红书还有机会成为大厂吗-批注.md"
        );
        assert_eq!(
            default_file_name(Some(" a/b\\c:d*e?f\"g<h>i|j\u{7}k "), "x", Format::Csv),
            "a_b_c_d_e_f_g_h_i_j_k-批注.csv"
        );
        assert_eq!(
            default_file_name(Some("《三体》：黑暗森林"), "x", Format::Json),
            "《三体》：黑暗森林-批注.json"
        );
        assert_eq!(
            default_file_name(None, "文章.txt", Format::W3c),
            "文章.txt-批注.jsonld"
        );
        assert_eq!(
            default_file_name(Some(" ?? "), "", Format::Markdown),
            "pizhu-批注.md"
        );
        let long = "长".repeat(200);
        let name = default_file_name(Some(&long), "x", Format::W3c);
        assert!(
            name.len() <= 255 && name.ends_with("-批注.jsonld"),
            "{name}"
        );
    }

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url("/home/u/文章 1#.txt"),
            "file:///home/u/%E6%96%87%E7%AB%A0%201%23.txt"
        );
        assert_eq!(document_iri(None, "ab"), "urn:pizhu:doc:ab");
    }

    #[test]
    fn clean_lines_have_no_line_breaks_or_controls() {
        assert_eq!(clean_line("a\r\nb\x1b[2J\u{9b}1mc\u{202E}"), "a bc");
        assert!(matches!(clean_line("干净"), Cow::Borrowed(_)));
        assert_eq!(clean("a\rb\x07"), "a\nb");
    }

    #[test]
    fn invisible_characters_in_json_are_escaped() {
        let json =
            serde_json::to_string("a\u{9b}b\u{202e}c\u{2066}d\u{85}e\u{7f}\u{200f}").unwrap();
        let out = escape_invisible(json);
        assert_eq!(out, r#""a\u009bb\u202ec\u2066d\u0085e\u007f\u200f""#);
        let clean = serde_json::to_string("中文 “引号”").unwrap();
        assert_eq!(escape_invisible(clean.clone()), clean);
        // The byte scan finds exactly the characters `is_invisible` names.
        for c in ('\u{0}'..='\u{2100}').filter(|c| !c.is_control() || *c >= '\u{7f}') {
            let s = format!("中{c}");
            let at = first_invisible(s.as_bytes());
            assert_eq!(at.is_some(), is_invisible(c), "{:04x}", c as u32);
        }
    }

    #[test]
    fn char_offsets_count_code_points() {
        let text = "a中b文c";
        let o = CharOffsets::new(text, [0, 1, 4, 5, 8, 9]);
        assert_eq!([0, 1, 4, 5, 8, 9].map(|b| o.get(b)), [0, 1, 2, 3, 4, 5]);
    }
}
