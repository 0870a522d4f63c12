//! EPUB books to a [`Document`].
//!
//! rbook opens the container and the package document (metadata, manifest, spine) and the
//! table of contents (the EPUB 3 navigation document, else the EPUB 2 NCX). Each spine
//! document is then unpacked on its own, parsed with the forgiving HTML5 parser and written
//! through [`dom::append`] as one chapter, so only one chapter's markup is held at a time by
//! each reader. A large book is read by one reader per core, each writing runs of consecutive
//! documents into a [`Builder`] of its own; the runs are joined in spine order
//! ([`Builder::extend`]) into the document one reader would have written.
//!
//! A book is untrusted input. Before rbook sees it, the ZIP central directory is read here to
//! refuse DRM and entries that would unpack beyond [`MAX_ENTRY`] bytes or, together, beyond
//! [`MAX_TEXT`]; the zip crate itself stops an entry that inflates past the size it declares;
//! and each chapter is unpacked into a capped buffer. Archive paths never reach the file
//! system: everything is read from the bytes in memory.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{self, Cursor, Write};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use dom_query::{NodeData, NodeRef};
use encoding_rs::Encoding;
use rbook::Epub;
use rbook::ebook::errors::{ArchiveError, EbookError, FormatError as ParseError};
use rbook::epub::errors::EpubError;
use rbook::epub::manifest::EpubManifestEntry;

use super::{FormatError, dom};
use crate::document::{BlockKind, Builder, Document};
use crate::text;
use crate::wording::counted;

/// The most one file of the book may unpack to.
const MAX_ENTRY: u64 = 128 * 1024 * 1024;
/// The most the book's text files may unpack to, together.
const MAX_TEXT: u64 = 512 * 1024 * 1024;
/// `META-INF/encryption.xml` is a list; more than this is not one.
const MAX_ENCRYPTION_XML: u64 = 16 * 1024 * 1024;

const DRM: &str = "is protected by DRM (encrypted content); pizhu can only open DRM-free books";

/// Reads an EPUB from its bytes: the title and a byline, then one chapter per spine document.
pub fn read(bytes: &[u8]) -> Result<Document, FormatError> {
    read_with(bytes, None, Limits::BOOK)
}

/// The beginning of a book, read on one thread, to show while the whole book is read.
#[derive(Debug)]
pub enum Opening {
    /// The chapters up to at least the text asked for (and no further than the chapter that
    /// reaches it): a prefix of the normalized text the whole book has.
    Part(Document),
    /// The book was read to its end: this is what [`read`] gives.
    Whole(Document),
    /// The text asked for lies beyond the unpacking budget.
    TooFar,
}

/// Reads the chapters of a book until `text` bytes of normalized text are written, unpacking
/// no more than `unpacked` bytes of markup; errors as [`read`] gives them, for what it reads.
///
/// Why: a long book takes longer to read than the first screen may wait; its first chapters
/// take a few milliseconds. Its text is the start of the whole book's text, so offsets into it
/// (a cursor, a saved position) stay valid in the whole book.
pub fn read_opening(bytes: &[u8], text: usize, unpacked: u64) -> Result<Opening, FormatError> {
    let extent = Extent::Opening { text, unpacked };
    let (doc, cut) = read_extent(bytes, extent, Limits::BOOK)?;
    Ok(match cut {
        Cut::Whole => Opening::Whole(doc),
        Cut::Reached => Opening::Part(doc),
        Cut::Budget => Opening::TooFar,
    })
}

/// How much of a book to read.
#[derive(Clone, Copy, Debug)]
enum Extent {
    /// All of it, on as many threads as given (by default, as suits the book).
    Whole(Option<Threads>),
    /// Its first chapters, on this thread (see [`read_opening`]).
    Opening { text: usize, unpacked: u64 },
}

/// Where the reading of a book stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cut {
    Whole,
    /// At the chapter where the text asked for was reached.
    Reached,
    /// The unpacking budget ran out first.
    Budget,
}

/// [`read`], on as many threads as `threads` says (by default, as suits the book).
fn read_with(
    bytes: &[u8],
    threads: Option<Threads>,
    limits: Limits,
) -> Result<Document, FormatError> {
    read_extent(bytes, Extent::Whole(threads), limits).map(|(doc, _)| doc)
}

fn read_extent(
    bytes: &[u8],
    extent: Extent,
    limits: Limits,
) -> Result<(Document, Cut), FormatError> {
    let entries = central_directory(bytes).map_err(|why| {
        book(format!(
            "not a readable EPUB: the ZIP archive is damaged ({why})"
        ))
    })?;
    check_entries(&entries)?;
    // rbook reads from bytes it owns; one copy serves every reader.
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let epub = open(&bytes)?;
    if let Some(entry) = entries
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case("META-INF/encryption.xml"))
    {
        check_encryption(&epub, &entry.name)?;
    }
    // What each file says it unpacks to, to size the buffers (the zip crate holds a file to it).
    let sizes: HashMap<String, u64> = entries.into_iter().map(|e| (e.name, e.size)).collect();
    write_book(&epub, &bytes, &sizes, extent, limits)
}

fn book(message: String) -> FormatError {
    FormatError::Book(one_line(&message))
}

/// Error texts from the libraries can hold line breaks; the message is one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// The ZIP central directory, read before anything is unpacked.

/// What the central directory says about one file of the archive.
#[derive(Debug)]
struct Entry {
    name: String,
    /// The size it says the file unpacks to.
    size: u64,
    /// ZIP encryption (a password), which no EPUB reader can open.
    encrypted: bool,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// The entries of a ZIP archive, from its central directory (ZIP64 included).
fn central_directory(b: &[u8]) -> Result<Vec<Entry>, &'static str> {
    const EOCD: &[u8] = b"PK\x05\x06";
    if b.len() < 22 {
        return Err("too short to be a ZIP file");
    }
    // The end record is the last 22 bytes, unless a comment of up to 64 KiB follows it.
    let lowest = b.len().saturating_sub(22 + 0xFFFF);
    let eocd = (lowest..=b.len() - 22)
        .rev()
        .find(|&at| &b[at..at + 4] == EOCD)
        .ok_or("no end of central directory")?;
    let truncated = "the central directory is cut short";
    let mut count = u64::from(u16_at(b, eocd + 10).ok_or(truncated)?);
    let mut size = u64::from(u32_at(b, eocd + 12).ok_or(truncated)?);
    let mut offset = u64::from(u32_at(b, eocd + 16).ok_or(truncated)?);
    if (count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF)
        && eocd >= 20
        && &b[eocd - 20..eocd - 16] == b"PK\x06\x07"
    {
        let record = u64_at(b, eocd - 12).ok_or(truncated)?;
        let record = usize::try_from(record).map_err(|_| truncated)?;
        if b.get(record..record.saturating_add(4)) == Some(b"PK\x06\x06") {
            count = u64_at(b, record + 32).ok_or(truncated)?;
            size = u64_at(b, record + 40).ok_or(truncated)?;
            offset = u64_at(b, record + 48).ok_or(truncated)?;
        }
    }
    const HEADER: &[u8] = b"PK\x01\x02";
    let at_offset = usize::try_from(offset)
        .ok()
        .filter(|&o| b.get(o..o.saturating_add(4)) == Some(HEADER));
    // An archive with something prepended (a self-extracting stub) has offsets that are short
    // by its length; the directory then ends where the end record begins.
    let before_end = usize::try_from(size)
        .ok()
        .and_then(|s| eocd.checked_sub(s))
        .filter(|&o| b.get(o..o.saturating_add(4)) == Some(HEADER));
    let mut at = match (at_offset, before_end) {
        (Some(o), _) | (None, Some(o)) => o,
        (None, None) if count == 0 => return Ok(Vec::new()),
        (None, None) => return Err("no central directory"),
    };
    let mut entries = Vec::with_capacity(count.min(b.len() as u64 / 46) as usize);
    for _ in 0..count {
        if b.get(at..at + 4) != Some(HEADER) {
            return Err(truncated);
        }
        let flags = u16_at(b, at + 8).ok_or(truncated)?;
        let mut unpacked = u64::from(u32_at(b, at + 24).ok_or(truncated)?);
        let name_len = usize::from(u16_at(b, at + 28).ok_or(truncated)?);
        let extra_len = usize::from(u16_at(b, at + 30).ok_or(truncated)?);
        let comment_len = usize::from(u16_at(b, at + 32).ok_or(truncated)?);
        let name = b.get(at + 46..at + 46 + name_len).ok_or(truncated)?;
        let extra = b
            .get(at + 46 + name_len..at + 46 + name_len + extra_len)
            .ok_or(truncated)?;
        if unpacked == 0xFFFF_FFFF {
            // The real size is in the ZIP64 extra field (id 1), first of its values.
            let mut x = 0;
            while let (Some(id), Some(len)) = (u16_at(extra, x), u16_at(extra, x + 2)) {
                if id == 1 {
                    unpacked = u64_at(extra, x + 4).ok_or(truncated)?;
                    break;
                }
                x += 4 + usize::from(len);
            }
        }
        entries.push(Entry {
            name: String::from_utf8_lossy(name).into_owned(),
            size: unpacked,
            encrypted: flags & 1 != 0,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(entries)
}

/// Files whose content pizhu never unpacks.
fn is_media(name: &str) -> bool {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "jpg"
            | "jpeg"
            | "png"
            | "gif"
            | "webp"
            | "svgz"
            | "bmp"
            | "tif"
            | "tiff"
            | "avif"
            | "jxl"
            | "ttf"
            | "otf"
            | "woff"
            | "woff2"
            | "eot"
            | "mp3"
            | "mp4"
            | "m4a"
            | "m4v"
            | "aac"
            | "ogg"
            | "oga"
            | "opus"
            | "wav"
            | "webm"
            | "mov"
            | "pdf"
    )
}

fn megabytes(n: u64) -> u64 {
    n.div_ceil(1024 * 1024)
}

/// DRM that shows in the archive's file list, and files too large to unpack.
fn check_entries(entries: &[Entry]) -> Result<(), FormatError> {
    let mut text = 0u64;
    for e in entries {
        let lower = e.name.to_ascii_lowercase();
        // Adobe ADEPT's rights.xml, Apple FairPlay's sinf.xml, or a password on the ZIP.
        if lower == "meta-inf/rights.xml" || lower == "meta-inf/sinf.xml" || e.encrypted {
            return Err(book(DRM.to_string()));
        }
        if is_media(&lower) || lower.ends_with('/') {
            continue;
        }
        if e.size > MAX_ENTRY {
            return Err(book(format!(
                "not a readable EPUB: {} would unpack to {} MB, more than the {} MB pizhu reads \
                 from one file (a damaged or hostile archive?)",
                e.name,
                megabytes(e.size),
                megabytes(MAX_ENTRY)
            )));
        }
        text = text.saturating_add(e.size);
    }
    if text > MAX_TEXT {
        return Err(book(too_much_text(MAX_TEXT)));
    }
    Ok(())
}

fn too_much_text(limit: u64) -> String {
    format!(
        "not a readable EPUB: its text would unpack to more than {} MB (a damaged or hostile \
         archive?)",
        megabytes(limit)
    )
}

/// The most the spine documents may unpack to, one and together.
#[derive(Clone, Copy, Debug)]
struct Limits {
    entry: u64,
    text: u64,
}

impl Limits {
    const BOOK: Self = Self {
        entry: MAX_ENTRY,
        text: MAX_TEXT,
    };
}

// ---------------------------------------------------------------------------------------------
// Opening with rbook.

fn open(bytes: &Arc<[u8]>) -> Result<Epub, FormatError> {
    match Epub::options().read(Cursor::new(Arc::clone(bytes))) {
        Ok(epub) => Ok(epub),
        // Nothing in the archive can be read: no second try.
        Err(e @ EbookError::Archive(ArchiveError::UnreadableArchive { .. })) => Err(describe(&e)),
        Err(first) => {
            // A broken or missing table of contents should not cost the whole book: without
            // it, chapter titles come from the chapters' headings.
            let mut options = Epub::options();
            options.skip_toc(true);
            options
                .read(Cursor::new(Arc::clone(bytes)))
                .map_err(|_| describe(&first))
        }
    }
}

/// The book opened again, for another thread to read its spine documents: the table of
/// contents, which only the first reader needs, is left out.
fn open_again(bytes: &Arc<[u8]>) -> Option<Epub> {
    let mut options = Epub::options();
    options.skip_toc(true);
    options.read(Cursor::new(Arc::clone(bytes))).ok()
}

/// The archive path a resource names, without the leading `/`.
fn resource_path(resource: &rbook::ebook::resource::Resource) -> String {
    resource
        .key()
        .value()
        .unwrap_or_default()
        .trim_start_matches('/')
        .to_string()
}

fn describe(e: &EbookError) -> FormatError {
    const NO_OPF: &str = "not a readable EPUB: no package document (OPF)";
    let message = match e {
        EbookError::Archive(ArchiveError::UnreadableArchive { source, .. }) => {
            format!("not a readable EPUB: the ZIP archive is damaged ({source})")
        }
        EbookError::Archive(
            ArchiveError::InvalidResource { resource, .. }
            | ArchiveError::CannotRead { resource, .. }
            | ArchiveError::InvalidUtf8Resource { resource, .. },
        ) => {
            let path = resource_path(resource);
            if path.eq_ignore_ascii_case("META-INF/container.xml") {
                format!("{NO_OPF}: META-INF/container.xml is missing or unreadable")
            } else {
                format!(
                    "{NO_OPF}: {path}, named in META-INF/container.xml, is missing or unreadable"
                )
            }
        }
        EbookError::Format(ParseError::Epub(EpubError::NoOpfReference)) => {
            format!("{NO_OPF}: META-INF/container.xml names none")
        }
        EbookError::Format(ParseError::Epub(e)) => {
            format!("not a readable EPUB: the package document (OPF) is broken ({e})")
        }
        EbookError::Format(e) => {
            format!("not a readable EPUB: its container or package file is not valid XML ({e})")
        }
        e => format!("not a readable EPUB: {e}"),
    };
    book(message)
}

/// Algorithms that only obfuscate embedded fonts (IDPF's and Adobe's): the text is plain.
const FONT_OBFUSCATION: &[&str] = &[
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
];

/// DRM that `META-INF/encryption.xml` declares: a content document encrypted with a real cipher.
fn check_encryption(epub: &Epub, name: &str) -> Result<(), FormatError> {
    let mut xml = Capped::new(MAX_ENCRYPTION_XML);
    if epub
        .copy_resource(format!("/{name}").as_str(), &mut xml)
        .is_err()
    {
        // An encryption list that cannot be read says nothing; the chapters will tell.
        return Ok(());
    }
    let xml = String::from_utf8_lossy(&xml.buf);
    if encrypted_resources(&xml)
        .iter()
        .any(|uri| may_hold_text(uri))
    {
        return Err(book(DRM.to_string()));
    }
    Ok(())
}

/// The resources `encryption.xml` lists as encrypted with something other than font
/// obfuscation.
fn encrypted_resources(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut algorithm: Option<&str> = None;
    for tag in tags(xml).filter(|t| !t.closing) {
        let local = tag.name.rsplit(':').next().unwrap_or(tag.name);
        match local {
            "EncryptedData" => algorithm = None,
            "EncryptionMethod" => algorithm = attribute(tag.attributes, "Algorithm"),
            "CipherReference" => {
                let obfuscation = algorithm.is_some_and(|a| FONT_OBFUSCATION.contains(&a.trim()));
                if let Some(uri) = attribute(tag.attributes, "URI")
                    && !obfuscation
                {
                    out.push(uri.to_string());
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether an encrypted resource could be text (anything but images, fonts, audio, video).
fn may_hold_text(uri: &str) -> bool {
    let path = uri.split(['#', '?']).next().unwrap_or(uri);
    !is_media(path)
}

// ---------------------------------------------------------------------------------------------
// Unpacking.

/// A buffer that refuses to grow past its cap (a write past it fails, which ends the copy).
struct Capped {
    buf: Vec<u8>,
    cap: u64,
    over: bool,
}

impl Capped {
    fn new(cap: u64) -> Self {
        Self {
            buf: Vec::new(),
            cap,
            over: false,
        }
    }
}

impl Write for Capped {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if (self.buf.len() + data.len()) as u64 > self.cap {
            self.over = true;
            return Err(io::Error::other("larger than pizhu reads"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Why a spine document was not read.
enum Unread {
    /// Not in the archive: the chapter is left out.
    Missing,
    /// Damaged or hostile: the book is not opened.
    Fatal(FormatError),
    /// It unpacks to more than one document may, or to more than the text left allowed: the
    /// book is not opened.
    OverLimit(FormatError),
}

/// Unpacks a spine document, counting it in `unpacked` (bytes of text unpacked so far, of the
/// `limits.text` allowed); `declared` is the size the archive gives for it.
fn unpack(
    item: &EpubManifestEntry,
    declared: u64,
    unpacked: &AtomicU64,
    limits: Limits,
) -> Result<Vec<u8>, Unread> {
    let budget = limits.text.saturating_sub(unpacked.load(Ordering::Relaxed));
    let mut out = Capped::new(limits.entry.min(budget));
    out.buf.reserve_exact(declared.min(out.cap) as usize);
    let path = item
        .href()
        .path()
        .decode()
        .trim_start_matches('/')
        .to_string();
    match item.copy_bytes(&mut out) {
        Ok(_) => {
            unpacked.fetch_add(out.buf.len() as u64, Ordering::Relaxed);
            Ok(out.buf)
        }
        Err(_) if out.over => Err(Unread::OverLimit(if budget < limits.entry {
            book(too_much_text(limits.text))
        } else {
            book(format!(
                "not a readable EPUB: {path} unpacks to more than {} MB (a damaged or hostile \
                 archive?)",
                megabytes(limits.entry)
            ))
        })),
        Err(ArchiveError::InvalidResource { source, .. })
            if source.kind() == io::ErrorKind::NotFound =>
        {
            Err(Unread::Missing)
        }
        Err(ArchiveError::CannotRead { source, .. }) => Err(Unread::Fatal(book(format!(
            "not a readable EPUB: the ZIP archive is damaged ({path}: {source})"
        )))),
        Err(ArchiveError::InvalidResource { source, .. }) => Err(Unread::Fatal(book(format!(
            "not a readable EPUB: cannot unpack {path} ({source})"
        )))),
        Err(e) => Err(Unread::Fatal(book(format!(
            "not a readable EPUB: cannot unpack {path} ({e})"
        )))),
    }
}

/// A content document's markup: UTF-8 (the EPUB rule; then the bytes themselves, checked with
/// vector instructions), else UTF-16 by its byte order mark, else the encoding its XML
/// declaration or `<meta charset>` names, else detected.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    const BOM: char = '\u{feff}';
    match encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(Cow::Borrowed(text)) => Cow::Borrowed(text.strip_prefix(BOM).unwrap_or(text)),
        Some(Cow::Owned(text)) => Cow::Owned(text.strip_prefix(BOM).unwrap_or(&text).into()),
        None => {
            let declared = declared_encoding(bytes);
            let mut text = match text::decode(bytes, declared) {
                Ok(d) => d.text,
                Err(_) => String::from_utf8_lossy(bytes).into_owned(),
            };
            if text.starts_with(BOM) {
                text.drain(..BOM.len_utf8());
            }
            Cow::Owned(text)
        }
    }
}

/// `encoding="gbk"` or `charset=gb2312` near the start of a document.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    ["encoding=", "charset="].iter().find_map(|key| {
        let at = head.find(key)? + key.len();
        let value = head[at..].trim_start_matches(['"', '\'', ' ']);
        let end = value
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(value.len());
        Encoding::for_label(&value.as_bytes()[..end])
    })
}

// ---------------------------------------------------------------------------------------------
// Markup helpers.

/// A tag in markup: `<name attributes>`, `<name …/>` or `</name>`, at `start..end`.
struct Tag<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    attributes: &'a str,
    /// Written `<name …/>`.
    empty: bool,
    /// An end tag, `</name>`.
    closing: bool,
}

/// The tags of `markup`, in order, skipping comments; attribute values may hold `>`.
fn tags(markup: &str) -> impl Iterator<Item = Tag<'_>> {
    let b = markup.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            let start = i + memchr::memchr(b'<', b.get(i..)?)?;
            i = start + 1;
            if b[i..].starts_with(b"!--") {
                i = start + 4 + memchr::memmem::find(&b[start + 4..], b"-->")? + 3;
                continue;
            }
            let closing = b.get(i) == Some(&b'/');
            let name_start = i + usize::from(closing);
            if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                continue;
            }
            let name_end = b[name_start..]
                .iter()
                .position(|c| {
                    !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b':' | b'_' | b'.'))
                })
                .map_or(b.len(), |p| name_start + p);
            let mut quote = None;
            let mut j = name_end;
            let end = loop {
                let c = *b.get(j)?;
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => break j,
                    None => {}
                }
                j += 1;
            };
            i = end + 1;
            let empty = !closing && end > name_end && b[end - 1] == b'/';
            let attributes = &markup[name_end..if empty { end - 1 } else { end }];
            return Some(Tag {
                start,
                end: end + 1,
                name: &markup[name_start..name_end],
                attributes,
                empty,
                closing,
            });
        }
    })
}

/// The value of attribute `name` in a tag's attribute text.
fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attributes;
    while let Some(at) = rest.find(name) {
        let before_ok = rest[..at].ends_with(|c: char| c.is_whitespace());
        let after = rest[at + name.len()..].trim_start();
        if before_ok && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let value = &value[1..];
                return value.find(quote).map(|end| &value[..end]);
            }
            let end = value
                .find(|c: char| c.is_whitespace())
                .unwrap_or(value.len());
            return Some(&value[..end]);
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// Elements HTML knows as empty; `<br/>` means the same to it as to XML. `lower` is the name
/// in lowercase.
fn is_void(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"basefont"
            | b"bgsound"
            | b"frame"
            | b"keygen"
    )
}

/// Elements the HTML5 parser ends by itself, or that cannot hold themselves: not counted as
/// nesting. `lower` is the name in lowercase.
fn ends_by_itself(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"p" | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"caption"
            | b"rb"
            | b"rt"
            | b"rtc"
            | b"rp"
            | b"html"
            | b"head"
            | b"body"
    )
}

/// Whether an element is empty ([`is_void`]), and whether it nests (neither empty nor
/// [`ends_by_itself`]), by its name in any case.
fn void_and_nests(name: &str) -> (bool, bool) {
    let mut buffer = [0u8; 16];
    // Longer than any name either knows.
    let Some(lower) = buffer.get_mut(..name.len()) else {
        return (false, true);
    };
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    let void = is_void(lower);
    (void, !void && !ends_by_itself(lower))
}

/// Elements nested deeper than this are unwrapped (their text kept) before parsing. The HTML5
/// parser checks scopes by walking the open elements, so its time grows with the square of
/// the depth: a chapter of 100,000 nested `<div>`s would take minutes. No book nests so deep.
const MAX_DEPTH: usize = 256;

/// Makes a content document safe and faithful for the HTML5 parser:
///
/// - XHTML writes an element with no content as `<a id="p3"/>` or `<title/>`, which the parser
///   takes for a start tag alone, opening the element for the rest of the document (all of it
///   the title, say); such tags are written out as `<a id="p3"></a>`;
/// - start and end tags beyond [`MAX_DEPTH`] levels of nesting are left out.
///
/// Returns the markup unchanged (borrowed) when there is nothing to do.
fn prepare_markup(html: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut depth = 0usize;
    // Start tags left out for depth, whose end tags go too.
    let mut unwrapped = 0usize;
    for tag in tags(html) {
        let (void, nests) = void_and_nests(tag.name);
        let replacement: Option<Cow<'_, str>> = if tag.closing {
            if nests && unwrapped > 0 {
                unwrapped -= 1;
                Some(Cow::Borrowed(""))
            } else {
                if nests {
                    depth = depth.saturating_sub(1);
                }
                None
            }
        } else if tag.empty && !void {
            Some(Cow::Owned(format!(
                "<{0}{1}></{0}>",
                tag.name, tag.attributes
            )))
        } else if nests && !tag.empty {
            if depth >= MAX_DEPTH {
                unwrapped += 1;
                Some(Cow::Borrowed(""))
            } else {
                depth += 1;
                None
            }
        } else {
            None
        };
        if let Some(replacement) = replacement {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 256));
            out.push_str(&html[copied..tag.start]);
            out.push_str(&replacement);
            copied = tag.end;
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Runs of whitespace as one space, trimmed (as [`dom::append`] compares titles).
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_named(node: &NodeRef, names: &[&str]) -> bool {
    node.qual_name_ref()
        .is_some_and(|n| names.iter().any(|x| str::eq_ignore_ascii_case(&n.local, x)))
}

/// Whether any text a reader would see is under `root` (image alt texts do not count).
fn has_text(root: &NodeRef) -> bool {
    root.descendants_it().any(|n| {
        n.query_or(
            false,
            |n| matches!(&n.data, NodeData::Text { contents } if !contents.trim().is_empty()),
        ) && !n
            .parent()
            .is_some_and(|p| is_named(&p, &["script", "style", "title", "template"]))
    })
}

/// A chapter's own heading: the first `<h1>`–`<h3>`.
struct OwnHeading {
    /// Its text as shown, a `<br>` read as a space: `第一章<br/>渡口` is `第一章 渡口`.
    shown: String,
    /// Its text as [`dom::append`] compares it to the title it leaves out (`第一章渡口`).
    text: String,
}

fn first_heading(root: &NodeRef) -> Option<OwnHeading> {
    let h = root
        .descendants_it()
        .find(|n| is_named(n, &["h1", "h2", "h3"]))?;
    let mut shown = String::new();
    for n in h.descendants_it() {
        if n.is_text() {
            shown.push_str(&n.text());
        } else if is_named(&n, &["br"]) {
            shown.push(' ');
        }
    }
    let heading = OwnHeading {
        shown: squash(&shown),
        text: squash(&h.text()),
    };
    (!heading.shown.is_empty()).then_some(heading)
}

/// Whether a chapter's own heading says no more than its title from the table of contents
/// (the same words however spaced, or a part of them: `渡口` under `第一章 渡口`), so it
/// need not follow the title.
fn says_no_more(own: &str, title: &str) -> bool {
    let compact = |s: &str| s.split_whitespace().collect::<String>();
    let own = compact(own);
    !own.is_empty() && compact(title).contains(&own)
}

/// Whether `text` says nothing but the title and the names already shown under it (a title
/// page): at most a few letters left once they are taken out (`著`, `作品`).
fn only_repeats(text: &str, title: &str, names: &[&str]) -> bool {
    let compact = |s: &str| s.split_whitespace().collect::<String>();
    let title = compact(title);
    let mut rest = compact(text);
    if title.is_empty() || !rest.contains(&title) {
        return false;
    }
    for known in std::iter::once(title.as_str()).chain(names.iter().copied()) {
        let known = compact(known);
        if !known.is_empty() {
            rest = rest.replace(&known, "");
        }
    }
    rest.chars().filter(|c| c.is_alphanumeric()).count() <= 4
}

// ---------------------------------------------------------------------------------------------
// The book.

/// Chapter titles from the table of contents, by the decoded path of the document they point
/// into: the first entry for each document.
fn toc_titles(epub: &Epub) -> HashMap<String, String> {
    let mut titles = HashMap::new();
    if let Some(root) = epub.toc().contents() {
        for entry in root.flatten() {
            let Some(href) = entry.href() else { continue };
            let label = squash(entry.label());
            if !label.is_empty() {
                titles
                    .entry(href.path().decode().into_owned())
                    .or_insert(label);
            }
        }
    }
    titles
}

/// `2021-06-01T00:00:00Z` → `2021-06-01`; other forms as they are.
fn short_date(value: &str) -> String {
    let value = value.trim();
    let iso = value.len() > 10
        && value.is_char_boundary(10)
        && value[..4].bytes().all(|c| c.is_ascii_digit())
        && value.as_bytes()[4] == b'-'
        && matches!(value.as_bytes()[10], b'T' | b' ');
    if iso {
        value[..10].to_string()
    } else {
        value.to_string()
    }
}

/// A creator's label by its MARC relator role: `作者` unless it says otherwise.
fn role_label(role: Option<&str>) -> &'static str {
    match role.map(str::to_ascii_lowercase).as_deref() {
        Some("trl") => "译者",
        Some("edt") => "编者",
        Some("ill") => "绘者",
        _ => "作者",
    }
}

fn is_html(item: &EpubManifestEntry) -> bool {
    let media = item.media_type().to_ascii_lowercase();
    let ext = item
        .href()
        .path()
        .extension()
        .unwrap_or_default()
        .to_ascii_lowercase();
    media.contains("html") || matches!(ext.as_str(), "xhtml" | "html" | "htm")
}

fn write_book(
    epub: &Epub,
    bytes: &Arc<[u8]>,
    sizes: &HashMap<String, u64>,
    extent: Extent,
    limits: Limits,
) -> Result<(Document, Cut), FormatError> {
    let mut b = Builder::new("epub");
    let meta = epub.metadata();
    let title = meta
        .title()
        .map(|t| squash(t.value()))
        .filter(|t| !t.is_empty());
    // Creators under their role, in order: 作者：甲、乙 / 译者：丙.
    let mut roles: Vec<(&str, Vec<String>)> = Vec::new();
    for creator in meta.creators() {
        let name = squash(creator.value());
        if name.is_empty() {
            continue;
        }
        let label = role_label(creator.main_role().map(|r| r.code()));
        match roles.iter_mut().find(|(l, _)| *l == label) {
            Some((_, names)) => names.push(name),
            None => roles.push((label, vec![name])),
        }
    }
    let publisher = meta
        .publishers()
        .map(|p| squash(p.value()))
        .find(|p| !p.is_empty());
    let date = meta
        .published_entry()
        .map(|d| short_date(d.value()))
        .filter(|d| !d.is_empty());

    if let Some(title) = &title {
        b.start(BlockKind::Title);
        b.push(title);
    }
    for (label, names) in &roles {
        b.start_joined(BlockKind::Meta);
        b.push(&format!("{label}：{}", names.join("、")));
        if *label == "作者" {
            b.info_mut().author = Some(names.join("、"));
        }
    }
    if let Some(publisher) = &publisher {
        b.start_joined(BlockKind::Meta);
        b.push(&format!("出版：{publisher}"));
    }
    if let Some(date) = &date {
        b.start_joined(BlockKind::Meta);
        b.push(&format!("日期：{date}"));
        b.info_mut().date = Some(date.clone());
    }
    let mut known: Vec<&str> = roles
        .iter()
        .flat_map(|(_, names)| names.iter().map(String::as_str))
        .collect();
    known.extend(publisher.as_deref());

    let titles = toc_titles(epub);
    let spine: Vec<_> = epub.spine().iter().collect();
    // Non-linear documents (notes, answers) are left out, unless nothing else is there.
    let any_linear = spine.iter().any(|s| s.is_linear());
    let mut seen = HashSet::new();
    let mut missing = 0usize;
    let mut jobs = Vec::new();
    for entry in spine.iter().filter(|s| s.is_linear() || !any_linear) {
        let Some(item) = entry.manifest_entry() else {
            missing += 1;
            continue;
        };
        // The navigation document is the table of contents, not a chapter.
        if !is_html(&item) || item.properties().has_property("nav") {
            continue;
        }
        let path = item.href().path().decode().into_owned();
        if !seen.insert(path.clone()) {
            continue;
        }
        let declared = sizes
            .get(path.trim_start_matches('/'))
            .copied()
            .unwrap_or(0);
        jobs.push(Job {
            id: item.id().to_string(),
            path,
            declared,
        });
    }
    let shared = Shared {
        title: title.as_deref(),
        known: &known,
        titles: &titles,
        unpacked: AtomicU64::new(0),
        limits,
        failed: AtomicUsize::new(usize::MAX),
        until: match extent {
            Extent::Opening { text, unpacked } => Some((text, unpacked)),
            Extent::Whole(_) => None,
        },
    };
    let threads = match extent {
        Extent::Whole(threads) => threads.unwrap_or_else(|| Threads::for_text(&jobs)),
        Extent::Opening { .. } => Threads::ONE,
    };
    let runs = split_runs(&jobs, threads.runs);
    // (One worker and several runs reads each run straight into the book, as tests do.)
    let (chapters, missing_in_runs) = if runs.len() > 1 {
        match read_in_parallel(epub, bytes, &jobs, &runs, threads.workers, &shared, &mut b) {
            Ok(counts) => counts,
            // Which document goes over the limit, and with what message, only reading them in
            // order tells (a hostile book: the time does not matter).
            Err(Stop::OverLimit(_)) => {
                let one = Extent::Whole(Some(Threads::ONE));
                return write_book(epub, bytes, sizes, one, limits);
            }
            Err(Stop::Fatal(e)) => return Err(e),
        }
    } else {
        let run = read_run(epub, &jobs, 0, &shared, Some(0), &mut b);
        if let Some(Stop::Fatal(e) | Stop::OverLimit(e)) = run.error {
            return Err(e);
        }
        if run.cut != Cut::Whole {
            return Ok((b.finish(), run.cut));
        }
        (run.chapters, run.missing)
    };
    let missing = missing + missing_in_runs;
    if missing > 0 {
        b.info_mut().note = Some(format!(
            "{} missing from the archive left out",
            counted(missing, "chapter")
        ));
    } else if chapters == 0 {
        b.info_mut().note = Some("no text in this book (only images?)".to_string());
    }
    Ok((b.finish(), Cut::Whole))
}

/// A spine document to read.
struct Job {
    /// Its id in the manifest, by which each reader finds it in its own copy of the book.
    id: String,
    /// Its decoded path, as the table of contents points to it.
    path: String,
    /// What the archive says it unpacks to.
    declared: u64,
}

/// What every document of the book is read with.
struct Shared<'a> {
    title: Option<&'a str>,
    /// The names under the title (creators, publisher), which a title page repeats.
    known: &'a [&'a str],
    /// Chapter titles from the table of contents, by path.
    titles: &'a HashMap<String, String>,
    /// Bytes of text unpacked so far, by every reader together (see [`unpack`]).
    unpacked: AtomicU64,
    limits: Limits,
    /// The first run that stopped on an error: the runs after it need not be read.
    failed: AtomicUsize,
    /// Reading only the opening: the text to reach, and the most markup to unpack for it.
    until: Option<(usize, u64)>,
}

/// How many threads read the spine documents, in how many runs of consecutive documents.
#[derive(Clone, Copy, Debug)]
struct Threads {
    workers: usize,
    runs: usize,
}

impl Threads {
    const ONE: Self = Self {
        workers: 1,
        runs: 1,
    };

    /// A book of less text than this is read on one thread: it takes a few milliseconds.
    const PARALLEL_FROM: u64 = 1024 * 1024;
    /// More threads gain little: each opens the book again, and they share the memory.
    const MAX_WORKERS: usize = 8;
    /// Runs per thread: a thread that the machine slows down holds up less than its share.
    const RUNS_PER_WORKER: usize = 4;

    /// One thread per core for a large book.
    fn for_text(jobs: &[Job]) -> Self {
        let text: u64 = jobs.iter().map(|j| j.declared).fold(0, u64::saturating_add);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if text < Self::PARALLEL_FROM || cores < 2 {
            return Self::ONE;
        }
        let workers = cores.min(Self::MAX_WORKERS);
        Self {
            workers,
            runs: workers * Self::RUNS_PER_WORKER,
        }
    }
}

/// `jobs` cut into at most `count` runs of consecutive documents, of about the same size.
fn split_runs(jobs: &[Job], count: usize) -> Vec<Range<usize>> {
    let weight = |j: &Job| u128::from(j.declared) + 1;
    let total: u128 = jobs.iter().map(weight).sum();
    let count = count.clamp(1, jobs.len().max(1));
    let mut runs = Vec::with_capacity(count);
    let (mut start, mut sum) = (0, 0u128);
    for (i, job) in jobs.iter().enumerate() {
        sum += weight(job);
        if runs.len() + 1 < count && sum * count as u128 >= total * (runs.len() as u128 + 1) {
            runs.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < jobs.len() || runs.is_empty() {
        runs.push(start..jobs.len());
    }
    runs
}

/// What reading a run of consecutive spine documents gave.
struct Run {
    chapters: usize,
    /// Documents before the run's first chapter that only repeat the book's title (a title
    /// page): left out if no chapter comes before the run, else chapters like the others.
    title_pages: Vec<Builder>,
    missing: usize,
    /// Why the run stopped short.
    error: Option<Stop>,
    /// Where it stopped, reading only the opening.
    cut: Cut,
}

/// Why a run of documents stopped short: the book is not read.
enum Stop {
    /// A document is damaged or hostile ([`Unread::Fatal`]).
    Fatal(FormatError),
    /// A document goes over a limit ([`Unread::OverLimit`]).
    OverLimit(FormatError),
}

/// Reads the documents of run `index` from `epub` (this thread's copy of the book) into `b`,
/// one after the other. `before` is the number of chapters written before the run, if known
/// (a run read on another thread does not know it): a title page before the first chapter is
/// then left out as the rule says, else kept apart.
fn read_run(
    epub: &Epub,
    jobs: &[Job],
    index: usize,
    shared: &Shared,
    before: Option<usize>,
    b: &mut Builder,
) -> Run {
    let manifest = epub.manifest();
    let mut run = Run {
        chapters: 0,
        title_pages: Vec::new(),
        missing: 0,
        error: None,
        cut: Cut::Whole,
    };
    for job in jobs {
        if let Some((text, unpacked)) = shared.until {
            if b.text_len() >= text {
                run.cut = Cut::Reached;
                break;
            }
            if shared.unpacked.load(Ordering::Relaxed) >= unpacked {
                run.cut = Cut::Budget;
                break;
            }
        }
        // A run before this one cannot be read: so neither can the book.
        if shared.failed.load(Ordering::Relaxed) < index {
            break;
        }
        // Every copy of the book has the same manifest (where the job was found).
        let Some(item) = manifest.by_id(&job.id) else {
            run.missing += 1;
            continue;
        };
        let bytes = match unpack(&item, job.declared, &shared.unpacked, shared.limits) {
            Ok(bytes) => bytes,
            Err(Unread::Missing) => {
                run.missing += 1;
                continue;
            }
            Err(Unread::Fatal(e)) => {
                shared.failed.fetch_min(index, Ordering::Relaxed);
                run.error = Some(Stop::Fatal(e));
                break;
            }
            Err(Unread::OverLimit(e)) => {
                shared.failed.fetch_min(index, Ordering::Relaxed);
                run.error = Some(Stop::OverLimit(e));
                break;
            }
        };
        let small = bytes.len() < 8 * 1024;
        let markup = decode(&bytes);
        let page = dom_query::Document::from(prepare_markup(&markup).as_ref());
        drop(markup);
        drop(bytes);
        let root = page.body().unwrap_or_else(|| page.root());
        if !has_text(&root) {
            continue;
        }
        if before.unwrap_or(0) + run.chapters == 0
            && small
            && let Some(title) = shared.title
            && only_repeats(&root.text(), title, shared.known)
        {
            if before.is_none() {
                let mut title_page = Builder::new("epub");
                write_chapter(&root, &job.path, shared, &mut title_page);
                run.title_pages.push(title_page);
            }
            continue;
        }
        write_chapter(&root, &job.path, shared, b);
        run.chapters += 1;
    }
    run
}

/// Writes a spine document into `b` as a chapter.
fn write_chapter(root: &NodeRef, path: &str, shared: &Shared, b: &mut Builder) {
    // The title, and the heading of the chapter's own that it stands for (left out).
    let own = first_heading(root);
    let (heading, skip) = match (shared.titles.get(path), own) {
        (Some(title), Some(own)) if says_no_more(&own.text, title) => {
            (Some(title.clone()), Some(own.text))
        }
        (Some(title), _) => (Some(title.clone()), Some(title.clone())),
        (None, Some(own)) => (Some(own.shown), Some(own.text)),
        (None, None) => (None, None),
    };
    b.chapter();
    if let Some(heading) = &heading {
        b.start(BlockKind::Heading { level: 1 });
        b.push(heading);
    }
    dom::append(*root, b, skip.as_deref());
}

/// Reads `runs` of `jobs` on `workers` threads: each thread takes the next run no thread has
/// taken. This one writes the first run into `b` (from `epub`); the other threads open the book
/// again from `bytes`, so that none waits for another to unpack (a thread that cannot leaves
/// its runs to the others), and read each run into a builder of its own. Between its runs,
/// this thread joins to `b` the runs read so far that follow the ones joined, in order (each
/// title page of a run after the book's first chapter as a chapter), and writes a run that
/// follows all those joined straight into `b`. Returns the chapters written and the documents
/// missing from the archive.
fn read_in_parallel(
    epub: &Epub,
    bytes: &Arc<[u8]>,
    jobs: &[Job],
    runs: &[Range<usize>],
    workers: usize,
    shared: &Shared,
    b: &mut Builder,
) -> Result<(usize, usize), Stop> {
    let read: Mutex<Vec<Option<(Builder, Run)>>> =
        Mutex::new(std::iter::repeat_with(|| None).take(runs.len()).collect());
    let next = AtomicUsize::new(1);
    // The next run to read, unless all are taken or a run before it stopped short.
    let claim = || {
        let i = next.fetch_add(1, Ordering::Relaxed);
        (i < runs.len() && shared.failed.load(Ordering::Relaxed) >= i).then_some(i)
    };
    let read_apart = |epub: &Epub, i: usize| {
        let mut part = Builder::new("epub");
        let run = read_run(epub, &jobs[runs[i].clone()], i, shared, None, &mut part);
        lock(&read)[i] = Some((part, run));
    };
    let mut joined = Joined {
        b,
        next: 0,
        chapters: 0,
        missing: 0,
        error: None,
    };
    std::thread::scope(|s| {
        // The same stack as the main thread's; a thread that cannot start leaves its runs to
        // the others.
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("pizhu-epub".into())
                    .stack_size(8 << 20)
                    .spawn_scoped(s, || {
                        if let Some(epub) = open_again(bytes) {
                            while let Some(i) = claim() {
                                read_apart(&epub, i);
                            }
                        }
                    })
                    .ok()
            })
            .collect();
        let first = read_run(epub, &jobs[runs[0].clone()], 0, shared, Some(0), joined.b);
        joined.add(first, None);
        while let Some(i) = claim() {
            joined.join_read(&read);
            if joined.next == i && joined.error.is_none() {
                let chapters = Some(joined.chapters);
                let run = read_run(epub, &jobs[runs[i].clone()], i, shared, chapters, joined.b);
                joined.add(run, None);
            } else {
                read_apart(epub, i);
            }
        }
        joined.join_read(&read);
        for helper in helpers {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    joined.join_read(&read);
    // Readers that went over the limit together may each have stayed within it.
    if shared.unpacked.load(Ordering::Relaxed) > shared.limits.text {
        return Err(Stop::OverLimit(book(too_much_text(shared.limits.text))));
    }
    debug_assert!(joined.error.is_some() || joined.next == runs.len());
    match joined.error {
        Some(e) => Err(e),
        None => Ok((joined.chapters, joined.missing)),
    }
}

/// The runs read on several threads, joined in order.
struct Joined<'a> {
    b: &'a mut Builder,
    /// The run to join next.
    next: usize,
    chapters: usize,
    missing: usize,
    /// Why the first run that stopped short did: the book is not read.
    error: Option<Stop>,
}

impl Joined<'_> {
    /// Joins the runs read so far that follow the ones joined, up to one that stopped short.
    fn join_read(&mut self, read: &Mutex<Vec<Option<(Builder, Run)>>>) {
        while self.error.is_none() {
            let Some((part, run)) = lock(read).get_mut(self.next).and_then(Option::take) else {
                return;
            };
            self.add(run, Some(part));
        }
    }

    /// Joins the next run, read into `part` (or, without one, straight into the book).
    fn add(&mut self, run: Run, part: Option<Builder>) {
        self.next += 1;
        if run.error.is_some() {
            self.error = run.error;
            return;
        }
        for title_page in run.title_pages {
            if self.chapters > 0 {
                self.b.extend(title_page);
                self.chapters += 1;
            }
        }
        if let Some(part) = part {
            self.b.extend(part);
        }
        self.chapters += run.chapters;
        self.missing += run.missing;
    }
}

/// Locks `mutex`, even if a thread panicked holding it (none does: it is held only to store
/// or take a run).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
#[path = "../../tests/common/epub.rs"]
#[allow(dead_code)]
mod fixture;

#[cfg(test)]
mod tests {
    use super::fixture::{self, Book, Chapter, xhtml};
    use super::*;

    /// Reads a book on one thread, and on several in runs of every length: the same
    /// document, or the same error, every way.
    fn read_book(book: &Book) -> Result<Document, String> {
        read_every_way(&book.bytes(), Limits::BOOK)
    }

    /// Ways to read a book on several threads: every document a run of its own, runs of
    /// several documents, more threads than runs; and in runs on this thread alone, each
    /// written straight into the book after the one before.
    const PARALLEL: [Threads; 7] = [
        Threads {
            workers: 1,
            runs: 5,
        },
        Threads {
            workers: 1,
            runs: usize::MAX,
        },
        Threads {
            workers: 2,
            runs: 2,
        },
        Threads {
            workers: 2,
            runs: 8,
        },
        Threads {
            workers: 3,
            runs: 7,
        },
        Threads {
            workers: 4,
            runs: usize::MAX,
        },
        Threads {
            workers: 8,
            runs: 3,
        },
    ];

    /// A book of `n` chapters of about 3 KB of text each, with a title page first.
    fn long_book(n: usize) -> Book {
        let mut book = Book::new("长河", "林半溪").chapter(Chapter::new(
            "title.xhtml",
            None,
            xhtml("长河", "<p>长河</p><p>林半溪　著</p>"),
        ));
        for i in 1..=n {
            let body = format!("<p>第{i}章的第一段。</p>").repeat(100);
            let title = format!("第{i}章");
            let path = format!("ch{i:03}.xhtml");
            book.chapters
                .push(Chapter::new(&path, Some(&title), xhtml(&title, &body)));
        }
        book
    }

    #[test]
    fn the_opening_is_the_start_of_the_whole_book() {
        let bytes = long_book(40).bytes();
        let whole = read(&bytes).unwrap();
        for want in [1, 5_000, 20_000, 60_000] {
            let Opening::Part(part) = read_opening(&bytes, want, u64::MAX).unwrap() else {
                panic!("{want} bytes of text are less than the book");
            };
            assert!(part.text().len() >= want, "{want}: {}", part.text().len());
            // No further than the chapter that reaches it (each is about 3 KB).
            assert!(
                part.text().len() < want + 4_000,
                "{want}: {}",
                part.text().len()
            );
            assert!(whole.text().starts_with(part.text()), "{want}");
            assert_eq!(part.title(), whole.title());
            assert_eq!(part.blocks(), &whole.blocks()[..part.blocks().len()]);
            let chapters = part.chapters().len();
            assert_eq!(part.chapters(), &whole.chapters()[..chapters]);
        }
    }

    #[test]
    fn an_opening_past_the_end_is_the_whole_book() {
        let bytes = long_book(3).bytes();
        let Opening::Whole(doc) = read_opening(&bytes, 1 << 30, u64::MAX).unwrap() else {
            panic!("the book is shorter than that");
        };
        assert_eq!(doc.dump(), read(&bytes).unwrap().dump());
    }

    #[test]
    fn an_opening_beyond_the_budget_is_not_read() {
        let bytes = long_book(40).bytes();
        assert!(matches!(
            read_opening(&bytes, 100_000, 20_000).unwrap(),
            Opening::TooFar
        ));
        // Errors come as reading the whole book gives them.
        let err = read_opening(b"PK\x03\x04 not a zip", 10, u64::MAX).unwrap_err();
        assert_eq!(
            err.to_string(),
            read(b"PK\x03\x04 not a zip").unwrap_err().to_string()
        );
    }

    fn read_every_way(bytes: &[u8], limits: Limits) -> Result<Document, String> {
        let one = read_with(bytes, Some(Threads::ONE), limits).map_err(|e| e.to_string());
        for threads in PARALLEL {
            let many = read_with(bytes, Some(threads), limits).map_err(|e| e.to_string());
            match (&one, &many) {
                (Ok(one), Ok(many)) => assert_same(many, one, &format!("{threads:?}")),
                (one, many) => assert_eq!(
                    many.as_ref().err(),
                    one.as_ref().err(),
                    "{threads:?}: {}",
                    one.as_ref().map_or("an error".into(), |d| d.dump())
                ),
            }
        }
        one
    }

    #[track_caller]
    fn assert_same(doc: &Document, expected: &Document, how: &str) {
        assert_eq!(doc.text(), expected.text(), "{how}");
        assert_eq!(doc.dump(), expected.dump(), "{how}");
        assert_eq!(doc.hash(), expected.hash(), "{how}");
        assert_eq!(doc.blocks(), expected.blocks(), "{how}");
        assert_eq!(doc.spans(), expected.spans(), "{how}");
        assert_eq!(doc.links(), expected.links(), "{how}");
        assert_eq!(doc.tables(), expected.tables(), "{how}");
        assert_eq!(doc.chapters(), expected.chapters(), "{how}");
        assert_eq!(doc.info(), expected.info(), "{how}");
    }

    /// A book of `n` chapters of every kind: with and without titles in the table of contents
    /// and headings of their own, links shared between chapters, tables, lists, quotes, code,
    /// title pages before the first chapter and among the others, a chapter whose text is all
    /// hidden, documents missing from the archive.
    fn varied_book(n: usize) -> Book {
        let mut book = Book::new("测试之书", "无名氏");
        book.publisher = Some("某出版社".into());
        for i in 0..n {
            let label = format!("第{i}章");
            let mut body = match i % 3 {
                0 => format!("<h1>第{i}章</h1>"),
                1 => format!("<h2>小节 {i}</h2>"),
                _ => String::new(),
            };
            if i == 1 || i == 2 || i % 37 == 5 {
                body = "<h1>测试之书</h1><p>无名氏　著</p><p>某出版社</p>".into();
            } else if i == 0 {
                body = "<div><img src='cover.png' alt='封面'/></div>".into();
            } else if i % 17 == 9 {
                body = "<p hidden>藏起来的字。</p>".into();
            } else {
                for p in 0..(i * 7) % 23 + 1 {
                    body.push_str(&format!(
                        "<p>第{i}章第{p}段，<a href='https://example.com/{}'>链接</a>和                         <b>粗体</b>，<em>斜体<a href='#n{i}'>注</a></em>。</p>\n",
                        (i + p) % 7
                    ));
                }
                match i % 5 {
                    0 => body.push_str("<table><tr><th>甲</th><th>乙</th></tr><tr><td>一</td><td></td></tr></table>"),
                    1 => body.push_str("<ul><li>项一</li><li>项二<ol><li>子项</li></ol></li></ul>"),
                    2 => body.push_str("<blockquote><p>引文。</p></blockquote><pre>代码\n  缩进</pre>"),
                    3 => body.push_str("<p>行一<br/>行二</p>"),
                    _ => {}
                }
            }
            let nav = (i % 10 != 3 && i % 17 != 9).then_some(label.as_str());
            let mut chapter =
                Chapter::new(&format!("Text/c{i:03}.xhtml"), nav, xhtml(&label, &body));
            chapter.linear = i % 41 != 20;
            book.chapters.push(chapter);
        }
        book.without("OEBPS/Text/c057.xhtml")
            .without("OEBPS/Text/c058.xhtml")
    }

    #[test]
    fn a_book_read_in_parallel_is_the_book_read_in_order() {
        let book = varied_book(200);
        let doc = read_book(&book).unwrap();
        // What the book holds, so that the comparison compares something.
        let titles = chapter_titles(&doc);
        // The title pages before the first chapter are left out; those among the chapters
        // (5, 42, 79, 116, 153, 190) are not.
        assert_eq!(titles[0], "第3章");
        assert_eq!(doc.text().matches("测试之书").count(), 7);
        assert!(titles.contains(&"第5章"));
        assert!(!doc.text().contains("藏起来"));
        assert!(doc.links().len() > 7);
        assert!(!doc.tables().is_empty());
        assert_eq!(
            doc.info().note.as_deref(),
            Some("2 chapters missing from the archive left out")
        );
        // The same on as many threads as the machine has.
        let auto = read(&book.bytes()).unwrap();
        assert_same(&auto, &doc, "auto");
        // The sample, and a book that is only title pages.
        read_book(&fixture::sample()).unwrap();
        read_book(&fixture::sample_epub2()).unwrap();
        let only = Book::of(&[("一", "<p>测试之书</p>"), ("二", "<p>测试之书 无名氏</p>")]);
        let doc = read_book(&only).unwrap();
        assert!(doc.chapters().is_empty(), "{}", doc.dump());
        assert_eq!(
            doc.info().note.as_deref(),
            Some("no text in this book (only images?)")
        );
    }

    #[test]
    fn the_limits_stop_the_same_document_on_every_thread() {
        let body = format!("<p>{}</p>", "字".repeat(10_000));
        let chapters: Vec<(String, String)> = (0..12)
            .map(|i| (format!("第{i}章"), body.clone()))
            .collect();
        let chapters: Vec<(&str, &str)> = chapters
            .iter()
            .map(|(l, b)| (l.as_str(), b.as_str()))
            .collect();
        let book = Book::of(&chapters).bytes();
        // Each document unpacks to about 30 KB.
        let limits = |entry: u64, text: u64| Limits { entry, text };
        let err = read_every_way(&book, limits(40_000, 200_000)).unwrap_err();
        assert!(
            err.contains("its text would unpack to more than 1 MB"),
            "{err}"
        );
        let err = read_every_way(&book, limits(20_000, 200_000)).unwrap_err();
        assert!(
            err.contains("OEBPS/ch01.xhtml unpacks to more than 1 MB"),
            "{err}"
        );
        let doc = read_every_way(&book, limits(40_000, 400_000)).unwrap();
        assert_eq!(doc.chapters().len(), 12);
    }

    #[test]
    fn damaged_archives_read_the_same_on_every_thread() {
        let sample = fixture::sample().bytes();
        let mut state = 0x5eed_u64;
        for _ in 0..300 {
            let mut bytes = sample.clone();
            for _ in 0..3 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let at = (state >> 33) as usize % bytes.len();
                bytes[at] = (state >> 20) as u8;
            }
            let _ = read_every_way(&bytes, Limits::BOOK);
        }
    }

    fn chapter_titles(doc: &Document) -> Vec<&str> {
        doc.chapters().iter().map(|&c| doc.block_text(c)).collect()
    }

    #[test]
    fn the_sample_reads_in_spine_order_with_nav_titles() {
        let doc = read_book(&fixture::sample()).unwrap();
        assert_eq!(doc.title(), Some(fixture::SAMPLE_TITLE));
        assert_eq!(doc.author(), Some(fixture::SAMPLE_AUTHOR));
        assert_eq!(doc.info().date.as_deref(), Some("2021-06-01"));
        assert_eq!(doc.info().format, "epub");
        assert_eq!(chapter_titles(&doc), fixture::SAMPLE_CHAPTERS);
        // Cover (an image), title page (the title again) and notes (non-linear) are left out.
        assert!(!doc.text().contains("封面"));
        assert!(!doc.text().contains("虚构"));
        assert_eq!(doc.text().matches("第一章 渡口").count(), 1);
        assert_eq!(doc.text().matches("归舟").count(), 1);
    }

    #[test]
    fn epub2_titles_come_from_the_ncx() {
        let doc = read_book(&fixture::sample_epub2()).unwrap();
        assert_eq!(chapter_titles(&doc), fixture::SAMPLE_CHAPTERS);
    }

    #[test]
    fn without_a_table_of_contents_the_first_heading_is_the_title() {
        let mut book = Book::of(&[
            ("一", "<h2>山上</h2><p>正文一。</p>"),
            ("二", "<p>正文二。</p>"),
        ]);
        book.chapters.iter_mut().for_each(|c| c.nav = None);
        book.ncx = false;
        let doc = read_book(&book).unwrap();
        assert_eq!(chapter_titles(&doc), ["山上", "正文二。"]);
        assert_eq!(doc.text().matches("山上").count(), 1);
        assert_eq!(doc.blocks()[doc.chapters()[1]].kind, BlockKind::Paragraph);
    }

    #[test]
    fn a_missing_navigation_document_does_not_cost_the_book() {
        let book = fixture::sample()
            .without("OEBPS/nav.xhtml")
            .without("OEBPS/toc.ncx");
        let doc = read_book(&book).unwrap();
        // Titles from the chapters' own headings; the second chapter has none.
        assert_eq!(chapter_titles(&doc)[0], "第一章 渡口");
        assert_eq!(chapter_titles(&doc)[2], "第三章 归舟");
        assert_eq!(doc.chapters().len(), 3);
    }

    #[test]
    fn missing_and_hostile_spine_items_are_left_out() {
        let book = Book::of(&[("一", "<p>正文一。</p>"), ("二", "<p>正文二。</p>")])
            .chapter(Chapter::new(
                "../../../etc/passwd",
                Some("逃逸"),
                String::new(),
            ))
            .without("OEBPS/ch02.xhtml");
        let doc = read_book(&book).unwrap();
        assert_eq!(chapter_titles(&doc), ["一"]);
        assert_eq!(
            doc.info().note.as_deref(),
            Some("2 chapters missing from the archive left out")
        );
    }

    #[test]
    fn a_heading_that_repeats_the_title_is_not_written_twice() {
        let book = Book::of(&[
            ("第一章 渡口", "<h1>第一章<br/>渡口</h1><p>一。</p>"),
            (
                "第二章 雨夜",
                "<h2><span>第二章</span> <span>雨夜</span></h2><p>二。</p>",
            ),
            (
                "第三章 归舟",
                "<p class='num'>第三章</p><h1>归舟</h1><p>三。</p>",
            ),
            ("第四章", "<h1>第四章 远行</h1><p>四。</p>"),
        ]);
        let doc = read_book(&book).unwrap();
        let headings: Vec<&str> = (0..doc.blocks().len())
            .filter(|&i| doc.blocks()[i].kind.is_heading())
            .map(|i| doc.block_text(i))
            .collect();
        // A heading that says more than the title stays.
        assert_eq!(
            headings,
            [
                "第一章 渡口",
                "第二章 雨夜",
                "第三章 归舟",
                "第四章",
                "第四章 远行"
            ]
        );
        // Without a table of contents, a `<br>` in the heading reads as a space.
        let mut book = book;
        book.chapters.iter_mut().for_each(|c| c.nav = None);
        book.ncx = false;
        let doc = read_book(&book).unwrap();
        assert_eq!(chapter_titles(&doc)[0], "第一章 渡口");
        assert_eq!(doc.text().matches("渡口").count(), 1);
    }

    #[test]
    fn only_non_linear_documents_are_still_read() {
        let mut book = Book::of(&[("一", "<p>正文一。</p>")]);
        book.chapters[0].linear = false;
        assert_eq!(chapter_titles(&read_book(&book).unwrap()), ["一"]);
    }

    #[test]
    fn broken_markup_and_xhtml_empty_elements() {
        let broken = "<?xml version='1.0'?><html><head><title/><script src='a.js'/></head>\
            <body><p>第一段<a id='p1'/>没有关<div/>闭<p>第二段 &amp; &nbsp;<b>粗</i></body>";
        let book =
            Book::new("书", "人").chapter(Chapter::new("a.xhtml", Some("章"), broken.into()));
        let doc = read_book(&book).unwrap();
        assert!(doc.text().contains("第一段没有关"), "{}", doc.dump());
        assert!(doc.text().contains("第二段 &"), "{}", doc.dump());
    }

    #[test]
    fn non_utf8_and_bom_documents_are_decoded() {
        let gbk =
            "<?xml version='1.0' encoding='gbk'?><html><body><p>简体中文的段落。</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(gbk);
        let bom = format!("\u{feff}{}", xhtml("二", "<p>带字节序标记。</p>"));
        let book = Book::of(&[("一", "<p>甲</p>")])
            .chapter(Chapter::new("bom.xhtml", Some("二"), bom))
            .chapter(Chapter::new("gbk.xhtml", Some("三"), String::new()))
            .file("OEBPS/gbk.xhtml", gbk.into_owned());
        let doc = read_book(&book).unwrap();
        assert_eq!(chapter_titles(&doc), ["一", "二", "三"]);
        assert!(doc.text().contains("带字节序标记。"));
        assert!(doc.text().contains("简体中文的段落。"), "{}", doc.dump());
        assert!(!doc.text().contains('\u{feff}'));
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        // A chapter that declares 100 bytes and inflates to 20 MB.
        let body = format!("<p>{}</p>", " ".repeat(20 << 20));
        let book = Book::of(&[("一", &body)]);
        let mut bytes = book.bytes();
        fixture::declare_size(&mut bytes, "OEBPS/ch01.xhtml", 100);
        let err = read(&bytes).unwrap_err().to_string();
        assert!(
            err.starts_with("not a readable EPUB: the ZIP archive is damaged (OEBPS/ch01.xhtml"),
            "{err}"
        );
        // A package document that says it unpacks to 4 GB is not unpacked at all.
        let mut bytes = book.bytes();
        fixture::declare_size(&mut bytes, "OEBPS/content.opf", u32::MAX - 1);
        let err = read(&bytes).unwrap_err().to_string();
        assert!(
            err.contains("OEBPS/content.opf would unpack to 4096 MB"),
            "{err}"
        );
    }

    #[test]
    fn drm_is_recognised_and_font_obfuscation_is_not_drm() {
        let drm = fixture::sample().file(
            "META-INF/encryption.xml",
            fixture::encryption_xml(&["OEBPS/Text/ch_a.xhtml"], &["OEBPS/fonts/a.ttf"]),
        );
        assert_eq!(read_book(&drm).unwrap_err(), DRM);
        let rights = fixture::sample().file("META-INF/rights.xml", "<rights/>");
        assert_eq!(read_book(&rights).unwrap_err(), DRM);
        let fonts = fixture::sample().file(
            "META-INF/encryption.xml",
            fixture::encryption_xml(&[], &["OEBPS/fonts/a.ttf"]),
        );
        assert!(read_book(&fonts).is_ok());
    }

    #[test]
    fn broken_archives_and_packages_say_what_is_wrong() {
        let err = |bytes: &[u8]| read(bytes).unwrap_err().to_string();
        let sample = fixture::sample().bytes();
        assert!(
            err(&sample[..sample.len() / 2])
                .starts_with("not a readable EPUB: the ZIP archive is damaged ("),
        );
        assert!(err(b"not a zip at all").starts_with("not a readable EPUB: the ZIP archive"));
        assert_eq!(
            err(&fixture::sample().without("OEBPS/content.opf").bytes()),
            "not a readable EPUB: no package document (OPF): OEBPS/content.opf, named in \
             META-INF/container.xml, is missing or unreadable"
        );
        assert_eq!(
            err(&fixture::sample().without("META-INF/container.xml").bytes()),
            "not a readable EPUB: no package document (OPF): META-INF/container.xml is missing \
             or unreadable"
        );
        let garbage = fixture::sample().file("OEBPS/content.opf", "<package><<<&&");
        assert!(err(&garbage.bytes()).starts_with("not a readable EPUB:"));
        for e in [err(&garbage.bytes()), err(&sample[..100])] {
            assert!(!e.contains('\n'), "{e}");
        }
    }

    /// Cut short anywhere, or with bytes changed anywhere, a book is read or refused, never a
    /// panic.
    #[test]
    fn damaged_archives_never_panic() {
        let sample = fixture::sample().bytes();
        for len in 0..sample.len() {
            let _ = read(&sample[..len]);
        }
        let mut state = 0x2026_u64;
        for _ in 0..3000 {
            let mut bytes = sample.clone();
            for _ in 0..3 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let at = (state >> 33) as usize % bytes.len();
                bytes[at] = (state >> 20) as u8;
            }
            if let Err(e) = read(&bytes) {
                assert!(!e.to_string().contains('\n'));
            }
        }
    }

    #[test]
    fn deeply_nested_chapters_do_not_overflow() {
        let deep = format!(
            "{}深处的一句话。{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let doc = read_book(&Book::of(&[("深", &deep)])).unwrap();
        assert!(doc.text().contains("深处的一句话。"));
    }

    #[test]
    fn empty_elements_are_closed_for_the_html_parser() {
        assert_eq!(
            prepare_markup("<title/><p>a<br/>b<a id=\"x\" title='1>2'/>c</p><!-- <i/> -->"),
            "<title></title><p>a<br/>b<a id=\"x\" title='1>2'></a>c</p><!-- <i/> -->"
        );
        assert!(matches!(
            prepare_markup("<p>无</p><img src='a'/>"),
            Cow::Borrowed(_)
        ));
        assert_eq!(prepare_markup("<p a='unclosed/>"), "<p a='unclosed/>");
    }

    #[test]
    fn element_names_in_any_case() {
        assert_eq!(void_and_nests("BR"), (true, false));
        assert_eq!(void_and_nests("Img"), (true, false));
        assert_eq!(void_and_nests("P"), (false, false));
        assert_eq!(void_and_nests("tBody"), (false, false));
        assert_eq!(void_and_nests("DIV"), (false, true));
        assert_eq!(void_and_nests("brr"), (false, true));
        assert_eq!(void_and_nests("a-name-longer-than-sixteen"), (false, true));
        assert_eq!(void_and_nests("svg:br"), (false, true));
    }

    #[test]
    fn nesting_beyond_the_limit_is_unwrapped() {
        let deep = |n: usize| format!("{}字{}", "<div>".repeat(n), "</div>".repeat(n));
        assert!(matches!(prepare_markup(&deep(MAX_DEPTH)), Cow::Borrowed(_)));
        assert_eq!(prepare_markup(&deep(MAX_DEPTH + 5)), deep(MAX_DEPTH));
        // Paragraphs and list items end by themselves: a thousand open ones are not nesting.
        let loose = format!("{}<div>末</div>", "<p>段<li>项".repeat(1000));
        assert!(matches!(prepare_markup(&loose), Cow::Borrowed(_)));
    }

    #[test]
    fn encryption_lists_name_what_is_encrypted() {
        let xml = fixture::encryption_xml(&["OEBPS/a.xhtml"], &["OEBPS/f.otf"]);
        assert_eq!(encrypted_resources(&xml), ["OEBPS/a.xhtml"]);
        assert!(may_hold_text("OEBPS/a.xhtml"));
        assert!(!may_hold_text("OEBPS/img/a.jpg"));
    }

    #[test]
    fn the_central_directory_lists_the_files() {
        let entries = central_directory(&fixture::sample().bytes()).unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names[0], "mimetype");
        assert!(names.contains(&"OEBPS/Text/ch_a.xhtml"));
        assert!(entries.iter().all(|e| !e.encrypted));
        assert_eq!(entries[0].size, 20);
        assert!(central_directory(b"PK\x05\x06").is_err());
    }

    #[test]
    fn title_pages_and_dates() {
        assert!(only_repeats("江村杂记 林半溪　著", "江村杂记", &["林半溪"]));
        assert!(!only_repeats(
            "江村杂记 第一章 很长的正文",
            "江村杂记",
            &["林半溪"]
        ));
        assert!(!only_repeats("献给母亲", "江村杂记", &[]));
        assert_eq!(short_date("2021-06-01T00:00:00Z"), "2021-06-01");
        assert_eq!(short_date("2021"), "2021");
        assert_eq!(short_date(" 2021年6月 "), "2021年6月");
    }
}
