//! Input formats: each reader turns a file's bytes into the same [`Document`].
//!
//! Plain text keeps its line-based reading ([`Document::from_string`]); Markdown, HTML and
//! EPUB are parsed and written through [`crate::document::Builder`], so layout, search,
//! entities, anchoring and export never need to know where a document came from.

mod dom;
pub mod epub;
mod html;
mod markdown;

use std::path::Path;

use encoding_rs::{Encoding, UTF_8};

use crate::document::Document;
use crate::text::{self, DecodeError};

/// The reader to use for a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputFormat {
    Text,
    Markdown,
    Html,
    Epub,
}

impl InputFormat {
    pub const ALL: [Self; 4] = [Self::Text, Self::Markdown, Self::Html, Self::Epub];

    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Epub => "epub",
        }
    }

    /// `text`, `markdown` (`md`), `html` (`htm`, `xhtml`), `epub`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Some(Self::Text),
            "markdown" | "md" => Some(Self::Markdown),
            "html" | "htm" | "xhtml" => Some(Self::Html),
            "epub" => Some(Self::Epub),
            _ => None,
        }
    }

    /// The format a file name's extension names, if it names one.
    pub fn from_extension(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" | "mdown" | "mkd" | "mkdn" => Some(Self::Markdown),
            "html" | "htm" | "xhtml" | "shtml" => Some(Self::Html),
            "epub" => Some(Self::Epub),
            "txt" | "text" => Some(Self::Text),
            _ => None,
        }
    }
}

/// Picks the reader: an EPUB or HTML signature in the bytes wins over the name (a saved page
/// called `.txt` is still a page); then the extension; then Markdown's signs (front matter, a
/// `#` heading, a fence, links) in the first lines; else plain text.
pub fn detect(path: Option<&Path>, bytes: &[u8]) -> InputFormat {
    if is_epub(bytes) {
        return InputFormat::Epub;
    }
    if looks_like_html(bytes) {
        return InputFormat::Html;
    }
    if let Some(format) = path.and_then(InputFormat::from_extension) {
        return format;
    }
    if looks_like_markdown(bytes) {
        InputFormat::Markdown
    } else {
        InputFormat::Text
    }
}

/// A ZIP whose first entry is `mimetype` holding `application/epub+zip` (the EPUB OCF rule).
fn is_epub(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && bytes.len() > 58
        && &bytes[30..38] == b"mimetype"
        && bytes[38..].starts_with(b"application/epub+zip")
}

/// The start of the file, as text, for sniffing: UTF-8, UTF-16 or an ASCII-compatible code
/// page all show their markup as ASCII.
fn head(bytes: &[u8]) -> String {
    let sample = &bytes[..bytes.len().min(4096)];
    match Encoding::for_bom(sample) {
        Some((encoding, bom)) if encoding != UTF_8 => encoding
            .decode_without_bom_handling(&sample[bom..])
            .0
            .into_owned(),
        Some((_, bom)) => String::from_utf8_lossy(&sample[bom..]).into_owned(),
        None => String::from_utf8_lossy(sample).into_owned(),
    }
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = head(bytes);
    let start = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let lower = start
        .get(..start.len().min(512))
        .unwrap_or(start)
        .to_ascii_lowercase();
    lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.starts_with("<?xml") && lower.contains("<html")
        || (lower.starts_with("<!--") || lower.starts_with("<head") || lower.starts_with("<meta"))
            && (lower.contains("<html") || lower.contains("<body") || lower.contains("<head"))
}

fn looks_like_markdown(bytes: &[u8]) -> bool {
    let head = head(bytes);
    let start = head.trim_start_matches('\u{feff}');
    if start.starts_with("---\n") || start.starts_with("---\r\n") {
        return true;
    }
    let mut signs = 0;
    for line in start.lines().take(60) {
        let line = line.trim_end();
        let heading = line.trim_start_matches('#');
        let hashes = line.len() - heading.len();
        if (1..=6).contains(&hashes) && heading.starts_with(' ') {
            signs += 2;
        }
        if line.starts_with("```") || line.starts_with("~~~") {
            signs += 2;
        }
        if line.contains("](") && line.contains('[') {
            signs += 1;
        }
        if line.starts_with("> ") || line.starts_with("- ") || line.starts_with("* ") {
            signs += 1;
        }
        if line.contains("**") {
            signs += 1;
        }
    }
    // Plain Chinese text often has one paragraph per line and no blank lines; Markdown would
    // run such lines together, so it takes clear signs and paragraphs set apart.
    let blank_lines = start.lines().take(60).any(|l| l.trim().is_empty());
    signs >= 3 && blank_lines
}

/// Why a file could not be read in its format.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{0}")]
    Decode(#[from] DecodeError),
    /// An EPUB that is broken, encrypted or not an EPUB at all; says what is wrong.
    #[error("{0}")]
    Book(String),
}

/// A document and how its bytes were decoded.
#[derive(Debug)]
pub struct Read {
    pub doc: Document,
    pub encoding: &'static Encoding,
}

/// [`read`] of bytes the caller gives up: plain text and Markdown in UTF-8 are decoded
/// without a copy, so a long text is not held twice while it is read.
pub fn read_owned(
    bytes: Vec<u8>,
    format: InputFormat,
    forced: Option<&'static Encoding>,
) -> Result<Read, FormatError> {
    match format {
        InputFormat::Text => {
            let decoded = text::decode_owned(bytes, forced)?;
            Ok(Read {
                doc: Document::from_string(decoded.text),
                encoding: decoded.encoding,
            })
        }
        InputFormat::Markdown => {
            let decoded = text::decode_owned(bytes, forced)?;
            Ok(Read {
                doc: markdown::read(&decoded.text),
                encoding: decoded.encoding,
            })
        }
        InputFormat::Html | InputFormat::Epub => read(&bytes, format, forced),
    }
}

/// Reads `bytes` as `format`; `forced` overrides the detected character set.
pub fn read(
    bytes: &[u8],
    format: InputFormat,
    forced: Option<&'static Encoding>,
) -> Result<Read, FormatError> {
    match format {
        InputFormat::Text => {
            let decoded = text::decode(bytes, forced)?;
            Ok(Read {
                doc: Document::from_string(decoded.text),
                encoding: decoded.encoding,
            })
        }
        InputFormat::Markdown => {
            let decoded = text::decode(bytes, forced)?;
            Ok(Read {
                doc: markdown::read(&decoded.text),
                encoding: decoded.encoding,
            })
        }
        InputFormat::Html => html::read(bytes, forced),
        InputFormat::Epub => Ok(Read {
            doc: epub::read(bytes)?,
            encoding: UTF_8,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_by_content_then_name() {
        let md = "---\ntitle: x\n---\n\n# 标题\n".as_bytes();
        let html = b"<!DOCTYPE html><html><body>x</body></html>";
        assert_eq!(detect(None, md), InputFormat::Markdown);
        assert_eq!(detect(Some(Path::new("a.txt")), html), InputFormat::Html);
        assert_eq!(detect(None, b"  <html lang=zh>"), InputFormat::Html);
        assert_eq!(
            detect(Some(Path::new("a.md")), "正文。".as_bytes()),
            InputFormat::Markdown
        );
        assert_eq!(detect(None, "标题\n\n正文。".as_bytes()), InputFormat::Text);
        assert_eq!(
            detect(None, "# 标题\n\n正文，见[这里](http://x)。".as_bytes()),
            InputFormat::Markdown
        );
        // One `#` line alone is not enough: a hashtag or a numbered note.
        assert_eq!(detect(None, "#话题# 正文。".as_bytes()), InputFormat::Text);
        assert_eq!(
            detect(None, "# 标题\n第一段。\n第二段。".as_bytes()),
            InputFormat::Text
        );
        // A `.txt` is never taken for Markdown: its lines would run together.
        assert_eq!(
            detect(
                Some(Path::new("a.txt")),
                "# 标题\n\n**粗**，[链](u)\n".as_bytes()
            ),
            InputFormat::Text
        );
        let mut epub = b"PK\x03\x04".to_vec();
        epub.extend([0u8; 22]);
        epub.extend(8u16.to_le_bytes());
        epub.extend(0u16.to_le_bytes());
        epub.extend(b"mimetypeapplication/epub+zip");
        epub.extend([0u8; 40]);
        assert_eq!(detect(None, &epub), InputFormat::Epub);
        assert_eq!(InputFormat::from_name("MD"), Some(InputFormat::Markdown));
        assert_eq!(InputFormat::from_name("pdf"), None);
    }
}
