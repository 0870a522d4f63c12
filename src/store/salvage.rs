//! Reading what can still be read of a record file that does not parse as a whole (a
//! wrong type in one field, a colour a newer pizhu added, a file cut off by a full disk), so
//! one bad annotation does not hide the others.

use super::{Record, Recovery};
use crate::annotations::Annotation;

/// What can still be read of a record file that does not parse as a whole, and how much of
/// it that is. The file is cut into its fields, and the annotations list into its
/// annotations, by their brackets (minding strings and comments); each piece is then read
/// on its own, so a bad one (a wrong type, an unknown colour, a cut-off end) costs only
/// itself. A field that cannot be read keeps its default.
pub(super) fn salvage(bytes: &[u8]) -> (Record, Recovery) {
    let text = String::from_utf8_lossy(bytes);
    let mut record = Record::new("", None, "");
    let mut recovery = Recovery { kept: 0, lost: 0 };
    for (name, value) in record_fields(&text) {
        let value = value.trim();
        match name {
            "hash" => set(&mut record.hash, value),
            "path" => set(&mut record.path, value),
            "title" => set(&mut record.title, value),
            "saved" => set(&mut record.saved, value),
            "position" => set(&mut record.position, value),
            "marks" => set(&mut record.marks, value),
            "deleted" => record.deleted = list_items(value).filter_map(from_ron).collect(),
            "corrections" => record.corrections = list_items(value).filter_map(from_ron).collect(),
            "document_notes" => {
                record.document_notes = list_items(value).filter_map(from_ron).collect();
            }
            "annotations" => {
                for item in list_items(value) {
                    match salvage_annotation(item) {
                        Some(a) => {
                            record.annotations.push(a);
                            recovery.kept += 1;
                        }
                        None => recovery.lost += 1,
                    }
                }
            }
            _ => {}
        }
    }
    (record, recovery)
}

/// One field of a record file that may not parse as a whole (see [`salvage`]).
pub(super) fn salvage_field<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    field: &str,
) -> Option<T> {
    let text = String::from_utf8_lossy(bytes);
    let (_, value) = record_fields(&text).find(|(name, _)| *name == field)?;
    from_ron(value)
}

fn from_ron<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    ron::from_str(text).ok()
}

/// Sets `field` to `text` read as RON, if it reads.
fn set<T: serde::de::DeserializeOwned>(field: &mut T, text: &str) {
    if let Some(value) = from_ron(text) {
        *field = value;
    }
}

/// An annotation on its own; failing that, without its colour (default), in case the colour
/// is one a newer pizhu added.
fn salvage_annotation(item: &str) -> Option<Annotation> {
    if let Some(a) = from_ron(item) {
        return Some(a);
    }
    let inner = item.trim().strip_prefix('(')?;
    let (fields, _) = split(inner);
    let kept: Vec<&str> = fields
        .into_iter()
        .filter(|f| field_name(f) != Some("colour"))
        .collect();
    from_ron(&format!("({})", kept.join(",")))
}

/// The `name: value` fields of the record in `text`, the last one perhaps cut off.
fn record_fields(text: &str) -> impl Iterator<Item = (&str, &str)> {
    // `Record(` or `(`, after any `#![enable(…)]` lines.
    let mut rest = text.trim_start();
    while let Some(attr) = rest.strip_prefix("#!") {
        rest = attr.split_once('\n').map_or("", |(_, r)| r).trim_start();
    }
    let body = rest
        .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
        .trim_start()
        .strip_prefix('(')
        .unwrap_or("");
    split(body).0.into_iter().filter_map(|field| {
        let name = field_name(field)?;
        let (_, value) = field.split_once(':')?;
        Some((name, value))
    })
}

/// The name of a `name: value` field.
fn field_name(field: &str) -> Option<&str> {
    let (name, _) = field.split_once(':')?;
    let name = name.trim();
    name.chars()
        .all(|c| c.is_alphanumeric() || c == '_')
        .then_some(name)
}

/// The items of a `[…]` list, the last one perhaps cut off.
fn list_items(value: &str) -> impl Iterator<Item = &str> {
    let inner = value.trim_start().strip_prefix('[').unwrap_or("");
    split(inner).0.into_iter()
}

/// Splits `text`, which follows an opening bracket, at its top-level commas up to the
/// matching closing bracket; the pieces (trimmed, empty ones left out) and whether that
/// bracket was found. Without it the text was cut off, and so perhaps is the last piece.
/// Brackets inside strings, characters and comments do not count. Scanning bytes is safe:
/// every byte it looks for is ASCII, and UTF-8 never uses those inside a character.
fn split(text: &str) -> (Vec<&str>, bool) {
    let b = text.as_bytes();
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = 0;
    let mut push = |from: usize, to: usize| {
        let piece = text[from..to].trim();
        if !piece.is_empty() {
            pieces.push(piece);
        }
    };
    while i < b.len() {
        match b[i] {
            b'"' => i = skip_string(b, i + 1),
            b'r' if (i == 0 || !is_ident(b[i - 1])) && raw_string(b, i).is_some() => {
                i = raw_string(b, i).unwrap_or(b.len());
            }
            b'\'' => i = skip_char(b, i + 1),
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |n| i + n + 4);
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' if depth == 0 => {
                push(start, i);
                return (pieces, true);
            }
            b')' | b']' | b'}' => {
                depth -= 1;
                i += 1;
            }
            b',' if depth == 0 => {
                push(start, i);
                start = i + 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    push(start, b.len());
    (pieces, false)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The index after the `"` that ends a string whose contents start at `i`.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The index after a `'x'` or `'\x'` character whose contents start at `i`.
fn skip_char(b: &[u8], i: usize) -> usize {
    let from = if b.get(i) == Some(&b'\\') {
        i + 2
    } else {
        i + 1
    };
    b[from.min(b.len())..]
        .iter()
        .position(|&c| c == b'\'')
        .map_or(b.len(), |n| from + n + 1)
}

/// The index after the raw string `r#"…"#` starting at `i`, if one does.
fn raw_string(b: &[u8], i: usize) -> Option<usize> {
    let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
    if b.get(i + 1 + hashes) != Some(&b'"') {
        return None;
    }
    let body = i + 2 + hashes;
    let mut end = Vec::with_capacity(hashes + 1);
    end.push(b'"');
    end.extend(std::iter::repeat_n(b'#', hashes));
    Some(memchr::memmem::find(&b[body..], &end).map_or(b.len(), |n| body + n + end.len()))
}
