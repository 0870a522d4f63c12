//! Reading annotations back from an export: pizhu's own JSON dump or a W3C Web Annotation
//! document (an `AnnotationCollection` with its first page embedded, as `pizhu export
//! --format w3c` writes, an `AnnotationPage`, a single `Annotation`, or an array of them).
//!
//! Importing is two steps, so that a file that fails to parse changes nothing:
//!
//! 1. [`parse`] reads and checks the whole file, or fails with an [`ImportError`] that names
//!    the file and what is wrong with it;
//! 2. [`merge`] places each annotation in the target document, which may differ from the one
//!    exported: its code point positions become byte offsets, then its quote is looked for
//!    there as when an article changed ([`anchor::reanchor_all`], which runs
//!    [`anchor::locate`]'s search for each annotation in order of position, carrying the shift
//!    of one to the next). Found, it takes its place; not found, it is kept as an orphan with
//!    its quote. Then it is merged with the annotations already there; see [`ImportSummary`]
//!    for how each one is counted.
//!
//! The caller saves the record once, afterwards.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::annotations::{Annotation, Colour, DocumentNote, Quote, anchor, new_id};
use crate::export::{json as pizhu_json, w3c};

/// What an import did. Every annotation of the file is counted in exactly one field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// New, and placed in the document.
    pub added: usize,
    /// Changed one already there: a newer version of the same id (the later `modified`
    /// wins), or a highlight of the same passage whose tags and note were combined with it.
    pub merged: usize,
    /// New, but its text is not in the document: kept as an orphan, with its quote.
    pub orphaned: usize,
    /// Already there (same id, not newer; or the same passage, nothing to add).
    pub duplicates: usize,
    /// Given only by a position that is not in this text: no quote to keep, so not imported.
    pub skipped: usize,
    /// Notes about the whole document, new or newer than the one here.
    pub document_notes: usize,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} added, {} merged, {} orphaned, {} already there",
            self.added, self.merged, self.orphaned, self.duplicates
        )?;
        match self.document_notes {
            0 => {}
            1 => write!(f, ", 1 document note")?,
            n => write!(f, ", {n} document notes")?,
        }
        if self.skipped > 0 {
            write!(
                f,
                ", {} skipped (a position outside this text and no quote)",
                self.skipped
            )?;
        }
        Ok(())
    }
}

/// Which kind of file was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pizhu,
    W3c,
    /// A record file from the data dir (`<hash>.ron`): how annotations left with an earlier
    /// version of an article are brought to the new one.
    Record,
}

/// One annotation read from a file, not yet placed.
#[derive(Clone, Debug)]
pub struct Incoming {
    /// `start`/`end` are meaningless here; `quote` may have an empty `exact` when the file
    /// gave only a position.
    pub annotation: Annotation,
    /// Code point range in the exported document, if the file gave one.
    pub position: Option<(usize, usize)>,
    /// Its `modified` claimed a time after the import (clamped to then): such a version is
    /// no evidence of being newer, so it never replaces one already here.
    pub from_the_future: bool,
}

/// A parsed file.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub kind: Kind,
    pub annotations: Vec<Incoming>,
    /// Notes about the whole document: W3C annotations whose target is the page itself (as
    /// Hypothesis and other tools export page notes).
    pub document_notes: Vec<DocumentNote>,
    /// What could not be imported, each as `which: why`; the rest of the file still is.
    pub skipped: Vec<String>,
}

/// Why a file cannot be imported. Each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "{name}: not JSON ({reason}); give a file written by `pizhu export --format json` or `--format w3c`"
    )]
    NotJson { name: String, reason: String },
    #[error("{name}: not a pizhu or W3C annotation export ({what})")]
    Shape { name: String, what: String },
    #[error("{name}: written by a newer pizhu (version {version}); upgrade pizhu")]
    Newer { name: String, version: u64 },
    #[error("{name}: {what}")]
    Invalid { name: String, what: String },
}

/// Reads `bytes` (the file `name`): pizhu's JSON dump or W3C Web Annotation JSON-LD.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Parsed, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let now = crate::clock::now_millis();
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(e) => {
            if let Some(parsed) = parse_record(name, bytes, now)? {
                return Ok(parsed);
            }
            return Err(ImportError::NotJson {
                name: name.to_string(),
                reason: crate::text::sanitize_line(&e.to_string()),
            });
        }
    };
    let shape = |what: &str| ImportError::Shape {
        name: name.to_string(),
        what: what.to_string(),
    };
    let invalid = |what: String| ImportError::Invalid {
        name: name.to_string(),
        what,
    };
    if let Some(obj) = value.as_object()
        && obj.contains_key("format")
    {
        if obj.get("format").and_then(Value::as_str) != Some(pizhu_json::FORMAT) {
            return Err(shape("its \"format\" is not \"pizhu\""));
        }
        let (annotations, mut skipped) = parse_pizhu(name, bytes, obj, now)?;
        let mut document_notes = Vec::new();
        for (i, v) in one_or_many(obj.get("document_notes"))
            .into_iter()
            .enumerate()
        {
            let note = serde_json::from_value::<DocumentNote>(v.clone())
                .map_err(|e| crate::text::sanitize_line(&e.to_string()))
                .and_then(|n| finish_note(n, bytes, now));
            match note {
                Ok(note) => document_notes.push(note),
                Err(e) => skipped.push(format!("document_notes[{i}]: {e}")),
            }
        }
        return some_or_refused(
            name,
            Parsed {
                kind: Kind::Pizhu,
                annotations,
                document_notes,
                skipped,
            },
        );
    }
    let items: Vec<&Value> = match &value {
        Value::Array(list) => list.iter().collect(),
        Value::Object(obj) if has_type(&value, "AnnotationCollection") => match obj.get("first") {
            None | Some(Value::Null) => {
                if obj.get("total").and_then(Value::as_u64).unwrap_or(0) > 0 {
                    return Err(shape("a collection with annotations but no \"first\" page"));
                }
                Vec::new()
            }
            Some(Value::String(_)) => {
                return Err(invalid(
                    "the collection links to its pages instead of embedding them; \
                     only a collection with its first page inline can be imported"
                        .into(),
                ));
            }
            Some(page) => page_items(page).map_err(|w| shape(&w))?,
        },
        Value::Object(_) if has_type(&value, "AnnotationPage") => {
            page_items(&value).map_err(|w| shape(&w))?
        }
        Value::Object(_) if has_type(&value, "Annotation") => vec![&value],
        _ => return Err(shape("no \"items\"/\"annotations\"")),
    };
    let mut parsed = Parsed {
        kind: Kind::W3c,
        annotations: Vec::with_capacity(items.len()),
        document_notes: Vec::new(),
        skipped: Vec::new(),
    };
    for (i, item) in items.into_iter().enumerate() {
        let label = || {
            let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
            let id = crate::text::sanitize_line(id);
            if id.is_empty() {
                format!("annotation {}", i + 1)
            } else {
                format!("annotation {} ({})", i + 1, shorten(&id))
            }
        };
        match parse_w3c_annotation(item) {
            Ok(W3cItem::Highlight(one)) => match finish(one, bytes, now) {
                Ok(one) => parsed.annotations.push(one),
                Err(e) => parsed.skipped.push(format!("{}: {e}", label())),
            },
            Ok(W3cItem::PageNote(note)) => match finish_note(note, bytes, now) {
                Ok(note) => parsed.document_notes.push(note),
                Err(e) => parsed.skipped.push(format!("{}: {e}", label())),
            },
            Err(e) => parsed.skipped.push(format!("{}: {e}", label())),
        }
    }
    some_or_refused(name, parsed)
}

/// `parsed`, or the reason nothing in it could be imported.
fn some_or_refused(name: &str, parsed: Parsed) -> Result<Parsed, ImportError> {
    if parsed.annotations.is_empty()
        && parsed.document_notes.is_empty()
        && let Some(first) = parsed.skipped.first()
    {
        let more = match parsed.skipped.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return Err(ImportError::Invalid {
            name: name.to_string(),
            what: format!("{first}{more}"),
        });
    }
    Ok(parsed)
}

fn has_type(v: &Value, t: &str) -> bool {
    match v.get("type").or_else(|| v.get("@type")) {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(list)) => list.iter().any(|x| x.as_str() == Some(t)),
        _ => false,
    }
}

/// The `items` of an embedded `AnnotationPage`.
fn page_items(page: &Value) -> Result<Vec<&Value>, String> {
    if !page.is_object() {
        return Err("its \"first\" page is not an object".into());
    }
    if page.get("next").is_some_and(|n| !n.is_null()) {
        return Err(
            "the collection has more than one page (\"next\"); only a single page can be imported"
                .into(),
        );
    }
    match page.get("items") {
        Some(Value::Array(list)) => Ok(list.iter().collect()),
        Some(_) => Err("its page's \"items\" is not an array".into()),
        None => Err("no \"items\" in its page".into()),
    }
}

fn parse_pizhu(
    name: &str,
    bytes: &[u8],
    obj: &serde_json::Map<String, Value>,
    now: i64,
) -> Result<(Vec<Incoming>, Vec<String>), ImportError> {
    let invalid = |what: String| ImportError::Invalid {
        name: name.to_string(),
        what,
    };
    match obj.get("version").and_then(Value::as_u64) {
        Some(v) if v > u64::from(pizhu_json::VERSION) => {
            return Err(ImportError::Newer {
                name: name.to_string(),
                version: v,
            });
        }
        Some(_) => {}
        None => return Err(invalid("no \"version\" number".into())),
    }
    let Some(list) = obj.get("annotations") else {
        return Err(ImportError::Shape {
            name: name.to_string(),
            what: "no \"annotations\"".into(),
        });
    };
    let Some(list) = list.as_array() else {
        return Err(invalid("\"annotations\" is not an array".into()));
    };
    let mut out = Vec::with_capacity(list.len());
    let mut skipped = Vec::new();
    for (i, v) in list.iter().enumerate() {
        match pizhu_annotation(v).and_then(|one| finish(one, bytes, now)) {
            Ok(one) => out.push(one),
            Err(e) => skipped.push(format!("annotations[{i}]: {e}")),
        }
    }
    Ok((out, skipped))
}

/// One annotation of pizhu's JSON dump; the error says what is wrong with it.
fn pizhu_annotation(v: &Value) -> Result<Incoming, String> {
    let p: pizhu_json::ParsedAnnotation = serde_json::from_value(v.clone())
        .map_err(|e| crate::text::sanitize_line(&e.to_string()))?;
    let position = match (p.start, p.end) {
        (Some(s), Some(e)) if s <= e => Some((s, e)),
        (None, None) => None,
        _ => return Err("bad \"start\"/\"end\"".into()),
    };
    if p.id.trim().is_empty() {
        return Err("empty \"id\"".into());
    }
    if p.quote.exact.is_empty() && position.is_none() {
        return Err("neither a quote nor a position".into());
    }
    let modified = p.modified.unwrap_or_else(|| p.created.clone());
    Ok(Incoming {
        from_the_future: false,
        position: if p.orphan { None } else { position },
        annotation: Annotation {
            id: p.id,
            start: 0,
            end: 0,
            quote: p.quote,
            colour: p.colour,
            tags: p.tags,
            note: p.note,
            created: p.created,
            modified,
            orphan: p.orphan,
        },
    })
}

/// A record file of the data dir, if `bytes` is one.
fn parse_record(name: &str, bytes: &[u8], now: i64) -> Result<Option<Parsed>, ImportError> {
    let Ok(record) = ron::de::from_bytes::<crate::store::Record>(bytes) else {
        return Ok(None);
    };
    if record.version > crate::store::VERSION {
        return Err(ImportError::Newer {
            name: name.to_string(),
            version: u64::from(record.version),
        });
    }
    let mut annotations = Vec::with_capacity(record.annotations.len());
    let mut skipped = Vec::new();
    for (i, a) in record.annotations.into_iter().enumerate() {
        // Its offsets are into the text it was saved with: only the quote can be trusted.
        let one = Incoming {
            annotation: a,
            position: None,
            from_the_future: false,
        };
        match finish(one, bytes, now) {
            Ok(one) => annotations.push(one),
            Err(e) => skipped.push(format!("annotation {}: {e}", i + 1)),
        }
    }
    let document_notes = record
        .document_notes
        .into_iter()
        .filter_map(|n| finish_note(n, bytes, now).ok())
        .collect();
    some_or_refused(
        name,
        Parsed {
            kind: Kind::Record,
            annotations,
            document_notes,
            skipped,
        },
    )
    .map(Some)
}

/// Cleans an annotation read from a file as an article is cleaned (a shared file is as
/// untrusted as an article: no control character, escape sequence or bidi override gets
/// through), normalizes its times to UTC no later than `now`, and refuses what cannot be a
/// highlight. The error names the line of a bad time in `bytes` when it can be found.
fn finish(mut one: Incoming, bytes: &[u8], now: i64) -> Result<Incoming, String> {
    use crate::text::{sanitize, sanitize_line};
    let a = &mut one.annotation;
    a.id = sanitize_line(&a.id);
    if a.id.is_empty() {
        a.id = new_id();
    }
    for text in [&mut a.quote.exact, &mut a.quote.prefix, &mut a.quote.suffix] {
        *text = sanitize(text).into_owned();
    }
    a.note = sanitize(&a.note).into_owned();
    a.tags = dedup(
        a.tags
            .iter()
            .map(|t| sanitize_line(t))
            .filter(|t| !t.is_empty())
            .collect(),
    );
    one.from_the_future = crate::clock::parse_millis(&a.modified).is_some_and(|t| t > now);
    for (field, stamp) in [("created", &mut a.created), ("modified", &mut a.modified)] {
        *stamp = normalized(field, stamp, bytes, now)?;
    }
    if crate::clock::cmp(&a.modified, &a.created).is_lt() {
        a.modified.clone_from(&a.created);
    }
    let empty_range = one.position.is_none_or(|(s, e)| s == e);
    if a.quote.exact.trim().is_empty() && empty_range {
        return Err(
            "an empty highlight (no quoted text and no range); remove it from the file".into(),
        );
    }
    if let Some((s, e)) = one.position
        && s == e
    {
        one.position = None;
        one.annotation.orphan = true;
    }
    Ok(one)
}

/// `stamp` (the field `field`) in stored form, or why it is not a time, naming its line in
/// `bytes` when it can be found.
fn normalized(field: &str, stamp: &str, bytes: &[u8], now: i64) -> Result<String, String> {
    crate::clock::normalize(stamp, now).ok_or_else(|| {
        let at = line_of(bytes, stamp).map_or_else(String::new, |n| format!("line {n}: "));
        format!(
            "{at}\"{field}\" is not a time ({:?}); RFC 3339 is expected, e.g. 2026-11-25T17:55:06Z",
            shorten(&crate::text::sanitize_line(stamp))
        )
    })
}

/// The 1-based line of `bytes` where `value` first appears as a JSON string.
fn line_of(bytes: &[u8], value: &str) -> Option<usize> {
    let needle = serde_json::to_string(value).ok()?;
    let at = memchr::memmem::find(bytes, needle.as_bytes())?;
    Some(memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1)
}

/// At most 40 characters of `s`, for messages.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// What a W3C annotation is to pizhu.
enum W3cItem {
    /// A passage of the text, by a quote or position selector.
    Highlight(Incoming),
    /// A note whose target is the whole document.
    PageNote(DocumentNote),
}

/// One W3C annotation; the error says why it cannot be imported.
fn parse_w3c_annotation(v: &Value) -> Result<W3cItem, String> {
    if !v.is_object() {
        return Err("not an object".into());
    }
    if !has_type(v, "Annotation") {
        return Err("its \"type\" is not \"Annotation\"".into());
    }
    let id = match v.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => {
            id.strip_prefix(w3c::ID_PREFIX).unwrap_or(id).to_string()
        }
        _ => new_id(),
    };
    let created = v
        .get("created")
        .and_then(Value::as_str)
        .map_or_else(crate::clock::now, str::to_string);
    let modified = v
        .get("modified")
        .and_then(Value::as_str)
        .map_or_else(|| created.clone(), str::to_string);
    let (notes, tags) = bodies(v);

    let targets = one_or_many(v.get("target"));
    if targets.is_empty() {
        return Err("no \"target\"".into());
    }
    let Some(target) = targets
        .iter()
        .copied()
        .find(|t| t.get("selector").is_some())
    else {
        // A target that is the document itself (an IRI, or a resource without a selector):
        // a page note, if it says anything.
        if notes.is_empty() {
            return Err(
                "its target has no selector (TextQuoteSelector or TextPositionSelector) and \
                 it has no note"
                    .into(),
            );
        }
        return Ok(W3cItem::PageNote(DocumentNote {
            id,
            text: notes.join("\n\n"),
            created,
            modified,
        }));
    };
    let mut quote: Option<Quote> = None;
    let mut position = None;
    for s in selectors(target.get("selector")) {
        if has_type(s, "TextQuoteSelector") && quote.is_none() {
            let exact = s
                .get("exact")
                .and_then(Value::as_str)
                .ok_or("a TextQuoteSelector without \"exact\"")?;
            let text = |k: &str| {
                s.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            quote = Some(Quote {
                exact: exact.to_string(),
                prefix: text("prefix"),
                suffix: text("suffix"),
            });
        } else if has_type(s, "TextPositionSelector") && position.is_none() {
            let num = |k: &str| s.get(k).and_then(Value::as_u64).map(|n| n as usize);
            match (num("start"), num("end")) {
                (Some(start), Some(end)) if start <= end => position = Some((start, end)),
                _ => return Err("a TextPositionSelector without a valid \"start\"/\"end\"".into()),
            }
        }
    }
    let quote = match (quote, position) {
        (Some(q), _) if !q.exact.is_empty() => q,
        (_, Some(_)) => Quote::default(),
        _ => return Err("no text selector (TextQuoteSelector or TextPositionSelector)".into()),
    };
    let colour = one_or_many(target.get("styleClass"))
        .iter()
        .filter_map(|c| c.as_str()?.strip_prefix(w3c::STYLE_PREFIX))
        .find_map(|name| Colour::ALL.into_iter().find(|c| c.as_str() == name))
        .unwrap_or_default();
    Ok(W3cItem::Highlight(Incoming {
        position,
        from_the_future: false,
        annotation: Annotation {
            id,
            start: 0,
            end: 0,
            quote,
            colour,
            tags: dedup(tags),
            note: notes.join("\n\n"),
            created,
            modified,
            orphan: position.is_none(),
        },
    }))
}

/// The notes and tags of an annotation's bodies: `bodyValue`, textual bodies (tags by their
/// `tagging` purpose), a plain string body (a note), and a body that is only a link (kept in
/// the note as the link).
fn bodies(v: &Value) -> (Vec<String>, Vec<String>) {
    let mut notes: Vec<String> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    if let Some(text) = v.get("bodyValue").and_then(Value::as_str) {
        notes.push(text.to_string());
    }
    for body in one_or_many(v.get("body")) {
        if let Some(text) = body.as_str() {
            notes.push(text.to_string());
            continue;
        }
        let purposes = one_or_many(body.get("purpose"));
        match body.get("value").and_then(Value::as_str) {
            Some(value) if purposes.iter().any(|p| p.as_str() == Some("tagging")) => {
                let tag = value.trim();
                if !tag.is_empty() {
                    tags.push(tag.to_string());
                }
            }
            Some(value) => notes.push(value.to_string()),
            None => {
                // An external resource: keep where it is.
                if let Some(link) = body
                    .get("id")
                    .or_else(|| body.get("source"))
                    .and_then(Value::as_str)
                {
                    notes.push(link.to_string());
                }
            }
        }
    }
    notes.retain(|n| !n.trim().is_empty());
    (notes, tags)
}

/// A target's selectors, with those that refine them (`refinedBy`, a few levels deep).
fn selectors(v: Option<&Value>) -> Vec<&Value> {
    fn walk<'a>(v: Option<&'a Value>, depth: usize, out: &mut Vec<&'a Value>) {
        if depth > 4 {
            return;
        }
        for s in one_or_many(v) {
            out.push(s);
            walk(s.get("refinedBy"), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(v, 0, &mut out);
    out
}

/// A page note cleaned and its times normalized as [`finish`] does for highlights.
fn finish_note(mut note: DocumentNote, bytes: &[u8], now: i64) -> Result<DocumentNote, String> {
    use crate::text::{sanitize, sanitize_line};
    note.id = sanitize_line(&note.id);
    if note.id.is_empty() {
        note.id = new_id();
    }
    note.text = sanitize(&note.text).trim().to_string();
    if note.text.is_empty() {
        return Err("an empty note".into());
    }
    for (field, stamp) in [
        ("created", &mut note.created),
        ("modified", &mut note.modified),
    ] {
        *stamp = normalized(field, stamp, bytes, now)?;
    }
    Ok(note)
}

/// A JSON-LD value that may be one item or an array of them.
fn one_or_many(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
    }
}

fn dedup(tags: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    tags.into_iter()
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

/// Places `incoming` in `text` and merges it into `existing` (a document's annotations;
/// `deleted` its deleted ids). Touches nothing else; the caller saves.
pub fn merge(
    text: &str,
    existing: &mut Vec<Annotation>,
    deleted: &[String],
    incoming: Vec<Incoming>,
) -> ImportSummary {
    let from_the_future: HashSet<String> = incoming
        .iter()
        .filter(|i| i.from_the_future)
        .map(|i| i.annotation.id.clone())
        .collect();
    let placed = place(text, incoming);
    let mut report = ImportSummary::default();
    let mut by_id: HashMap<String, usize> = existing
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut by_place: HashMap<Place, usize> = HashMap::new();
    for (i, a) in existing.iter().enumerate() {
        by_place.entry(Place::of(a)).or_insert(i);
    }
    let deleted: HashSet<&str> = deleted.iter().map(String::as_str).collect();
    for mut a in placed {
        if a.quote.exact.is_empty() {
            report.skipped += 1;
            continue;
        }
        if let Some(&i) = by_id.get(&a.id) {
            let old = &mut existing[i];
            if !from_the_future.contains(&a.id)
                && crate::clock::cmp(&a.modified, &old.modified).is_gt()
            {
                if a.orphan && !old.orphan {
                    // The newer version could not be placed here; the old one is.
                    a.start = old.start;
                    a.end = old.end;
                    a.quote = old.quote.clone();
                    a.orphan = false;
                }
                by_place.remove(&Place::of(old));
                *old = a;
                by_place.entry(Place::of(old)).or_insert(i);
                report.merged += 1;
            } else {
                report.duplicates += 1;
            }
            continue;
        }
        if let Some(&i) = by_place.get(&Place::of(&a)) {
            if combine(&mut existing[i], &a) {
                report.merged += 1;
            } else {
                report.duplicates += 1;
            }
            continue;
        }
        if deleted.contains(a.id.as_str()) {
            // Deleted here before: saving would drop it again under its old id.
            a.id = new_id();
        }
        if a.orphan {
            report.orphaned += 1;
        } else {
            report.added += 1;
        }
        let i = existing.len();
        by_id.insert(a.id.clone(), i);
        by_place.entry(Place::of(&a)).or_insert(i);
        existing.push(a);
    }
    report
}

/// Adds the page notes `incoming` to a document's notes `existing` (`deleted`: its deleted
/// ids): by id, a newer version replaces the one here (never one claiming a future time);
/// a note with the same text as one here adds nothing. Returns how many were added or
/// replaced.
pub fn merge_document_notes(
    existing: &mut Vec<DocumentNote>,
    deleted: &[String],
    incoming: Vec<DocumentNote>,
    now: i64,
) -> usize {
    let mut changed = 0;
    for mut note in incoming {
        if let Some(old) = existing.iter_mut().find(|o| o.id == note.id) {
            let trusted = crate::clock::parse_millis(&note.modified).is_some_and(|t| t < now);
            if trusted && crate::clock::cmp(&note.modified, &old.modified).is_gt() {
                *old = note;
                changed += 1;
            }
            continue;
        }
        if existing.iter().any(|o| o.text == note.text) {
            continue;
        }
        if deleted.contains(&note.id) {
            note.id = new_id();
        }
        existing.push(note);
        changed += 1;
    }
    changed
}

/// Where an annotation is, for finding a highlight of the same passage: its range, or for an
/// orphan its whole quote.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Place {
    At(usize, usize),
    Orphan(String, String, String),
}

impl Place {
    fn of(a: &Annotation) -> Self {
        if a.orphan {
            Self::Orphan(
                a.quote.exact.clone(),
                a.quote.prefix.clone(),
                a.quote.suffix.clone(),
            )
        } else {
            Self::At(a.start, a.end)
        }
    }
}

/// Adds `other`'s tags and note to `a` (a highlight of the same passage); whether anything
/// changed.
fn combine(a: &mut Annotation, other: &Annotation) -> bool {
    let mut changed = false;
    for t in &other.tags {
        if !a.tags.contains(t) {
            a.tags.push(t.clone());
            changed = true;
        }
    }
    let note = other.note.trim();
    if !note.is_empty() && !a.note.contains(note) {
        if a.note.trim().is_empty() {
            a.note = other.note.clone();
        } else {
            a.note = format!("{}\n\n{}", a.note.trim_end(), note);
        }
        changed = true;
    }
    if changed {
        a.touch();
        if crate::clock::cmp(&other.modified, &a.modified).is_gt() {
            a.modified.clone_from(&other.modified);
        }
    }
    changed
}

/// The incoming annotations with their byte ranges in `text`, found or orphaned.
fn place(text: &str, incoming: Vec<Incoming>) -> Vec<Annotation> {
    let offsets = ByteOffsets::new(
        text,
        incoming
            .iter()
            .filter_map(|i| i.position)
            .flat_map(|(s, e)| [s, e]),
    );
    let mut list: Vec<Annotation> = incoming
        .into_iter()
        .map(
            |Incoming {
                 mut annotation,
                 position,
                 ..
             }| {
                let bytes = position.map(|(s, e)| (offsets.get(s), offsets.get(e)));
                match bytes {
                    Some((Some(s), Some(e))) => {
                        annotation.start = s;
                        annotation.end = e;
                        annotation.orphan = false;
                        if annotation.quote.exact.is_empty() {
                            // Only a position: take the text there.
                            annotation.quote = anchor::quote_at(text, s, e);
                        }
                    }
                    Some(_) => {
                        // Beyond the end of this text: look for the quote anywhere.
                        annotation.start = text.len();
                        annotation.end = text.len();
                        annotation.orphan = false;
                    }
                    None => {
                        annotation.start = 0;
                        annotation.end = 0;
                        annotation.orphan = true;
                    }
                }
                annotation
            },
        )
        .collect();
    anchor::reanchor_all(text, &mut list);
    list
}

/// Byte offsets of a set of code point offsets into one text, found in one pass.
struct ByteOffsets {
    chars: Vec<usize>,
    bytes: Vec<Option<usize>>,
}

impl ByteOffsets {
    fn new(text: &str, chars: impl IntoIterator<Item = usize>) -> Self {
        let mut chars: Vec<usize> = chars.into_iter().collect();
        chars.sort_unstable();
        chars.dedup();
        let mut bytes = Vec::with_capacity(chars.len());
        let mut iter = text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()));
        // Code point index of what `iter` yields next; `None` once it is exhausted.
        let mut next = Some(0);
        for &c in &chars {
            let found = next.and_then(|n| iter.nth(c - n));
            next = found.map(|_| c + 1);
            bytes.push(found);
        }
        Self { chars, bytes }
    }

    fn get(&self, c: usize) -> Option<usize> {
        self.chars
            .binary_search(&c)
            .ok()
            .and_then(|i| self.bytes[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_become_bytes() {
        let text = "a中b文";
        let o = ByteOffsets::new(text, [0, 1, 2, 3, 4, 9]);
        assert_eq!(
            [0, 1, 2, 3, 4, 9].map(|c| o.get(c)),
            [Some(0), Some(1), Some(4), Some(5), Some(8), None]
        );
    }

    fn incoming(id: &str, exact: &str, modified: &str) -> Incoming {
        Incoming {
            from_the_future: false,
            annotation: Annotation {
                id: id.into(),
                start: 0,
                end: 0,
                quote: Quote {
                    exact: exact.into(),
                    ..Quote::default()
                },
                colour: Colour::Blue,
                tags: vec!["t".into()],
                note: "n".into(),
                created: "2026-01-01T00:00:00.000Z".into(),
                modified: modified.into(),
                orphan: true,
            },
            position: None,
        }
    }

    #[test]
    fn a_deleted_id_comes_back_under_a_new_one() {
        let text = "甲乙丙丁戊己庚辛";
        let mut list = Vec::new();
        let report = merge(
            text,
            &mut list,
            &["x".to_string()],
            vec![incoming("x", "丙丁", "2026-01-01T00:00:00.000Z")],
        );
        assert_eq!(report.added, 1);
        assert_ne!(list[0].id, "x");
        assert_eq!(&text[list[0].start..list[0].end], "丙丁");
    }

    #[test]
    fn a_newer_orphan_keeps_the_place_of_the_version_here() {
        let text = "甲乙丙丁戊己庚辛";
        let mut list = Vec::new();
        merge(
            text,
            &mut list,
            &[],
            vec![incoming("x", "丙丁", "2026-01-01T00:00:00.000Z")],
        );
        let report = merge(
            text,
            &mut list,
            &[],
            vec![incoming("x", "不在这里", "2026-02-01T00:00:00.000Z")],
        );
        assert_eq!(report.merged, 1);
        assert_eq!(list.len(), 1);
        assert!(!list[0].orphan);
        assert_eq!(&text[list[0].start..list[0].end], "丙丁");
        assert_eq!(list[0].modified, "2026-02-01T00:00:00.000Z");
    }

    #[test]
    fn positions_alone_place_an_annotation() {
        let text = "甲乙丙丁戊己庚辛";
        let mut one = incoming("p", "", "2026-01-01T00:00:00.000Z");
        one.position = Some((2, 4));
        let mut list = Vec::new();
        let report = merge(text, &mut list, &[], vec![one]);
        assert_eq!(report.added, 1);
        assert_eq!(list[0].quote.exact, "丙丁");
    }

    #[test]
    fn wrong_shapes_are_named() {
        let e = parse("x.json", b"{\"a\":1}").unwrap_err().to_string();
        assert_eq!(
            e,
            "x.json: not a pizhu or W3C annotation export (no \"items\"/\"annotations\")"
        );
        let e = parse("x.json", b"not json").unwrap_err().to_string();
        assert!(e.starts_with("x.json: not JSON ("), "{e}");
        let e = parse(
            "x.json",
            b"{\"format\":\"pizhu\",\"version\":9,\"annotations\":[]}",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("newer pizhu"), "{e}");
    }
}
