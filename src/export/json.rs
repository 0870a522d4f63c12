//! pizhu's own JSON dump: everything it knows about a document's annotations, stable and
//! versioned, and read back by `pizhu import`.
//!
//! ```json
//! { "format": "pizhu", "version": 1, "exported": "2026-11-25T17:55:06.000Z",
//!   "document": { "title": "…", "path": "/abs/file.txt", "hash": "…", "paragraphs": 60,
//!                 "length_chars": 3813 },
//!   "annotations": [ { "id": "…", "start": 120, "end": 135, "paragraph": 4,
//!                      "quote": { "exact": "…", "prefix": "…", "suffix": "…" },
//!                      "colour": "yellow", "tags": ["电商"], "note": "…",
//!                      "created": "…", "modified": "…", "orphan": false } ],
//!   "entities": [ { "name": "字节跳动", "kind": "company", "tier": "known", "count": 7,
//!                   "aliases": ["字节跳动", "字节"] } ],
//!   "corrections": [ { "reject": { "name": "…" } } ] }
//! ```
//!
//! `start`/`end` are Unicode code point offsets into the normalized text, end exclusive;
//! `null` for an orphan (as is `paragraph`). `path` is `null` for the sample and stdin.
//! Annotations are in document order, orphans last. A later version may add fields; a reader
//! of version 1 ignores fields it does not know.

use serde::{Deserialize, Serialize};

use super::{ExportInput, escape_invisible, items};
use crate::annotations::{Colour, Quote};
use crate::entities::correction::Correction;
use crate::entities::{EntityKind, Tier};

/// The value of `"format"`.
pub const FORMAT: &str = "pizhu";
/// The version this build writes (and the highest it reads).
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Dump<'a> {
    format: &'static str,
    version: u32,
    exported: &'a str,
    document: DocumentInfo<'a>,
    annotations: Vec<JsonAnnotation<'a>>,
    entities: Vec<JsonEntity<'a>>,
    corrections: &'a [Correction],
    /// Notes about the whole document; left out when there are none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    document_notes: &'a [crate::annotations::DocumentNote],
}

#[derive(Serialize)]
struct DocumentInfo<'a> {
    title: Option<&'a str>,
    path: Option<&'a str>,
    hash: &'a str,
    paragraphs: usize,
    length_chars: usize,
}

#[derive(Serialize)]
struct JsonAnnotation<'a> {
    id: &'a str,
    start: Option<usize>,
    end: Option<usize>,
    paragraph: Option<usize>,
    quote: QuoteRef<'a>,
    colour: Colour,
    tags: &'a [String],
    note: &'a str,
    created: &'a str,
    modified: &'a str,
    orphan: bool,
}

#[derive(Serialize)]
struct QuoteRef<'a> {
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

#[derive(Serialize)]
struct JsonEntity<'a> {
    name: &'a str,
    kind: EntityKind,
    tier: Tier,
    count: usize,
    aliases: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
}

pub fn render(input: &ExportInput) -> String {
    let doc = input.doc;
    let text = doc.text();
    let items = items(text, input.annotations);
    let annotations = items
        .iter()
        .map(|item| {
            let a = item.a;
            JsonAnnotation {
                id: &a.id,
                start: item.chars.map(|c| c.0),
                end: item.chars.map(|c| c.1),
                paragraph: item.bytes.map(|b| doc.paragraph_number(b.0)),
                quote: QuoteRef {
                    exact: item.exact(text),
                    prefix: &a.quote.prefix,
                    suffix: &a.quote.suffix,
                },
                colour: a.colour,
                tags: &a.tags,
                note: &a.note,
                created: &a.created,
                modified: &a.modified,
                orphan: item.bytes.is_none(),
            }
        })
        .collect();
    let entities = input
        .entities
        .iter()
        .map(|e| JsonEntity {
            name: &e.name,
            kind: e.kind,
            tier: e.tier,
            count: e.count(),
            aliases: e.aliases(text),
            reason: e.reason.as_deref(),
            owner: e.owner.as_deref(),
        })
        .collect();
    let dump = Dump {
        format: FORMAT,
        version: VERSION,
        exported: input.exported,
        document: DocumentInfo {
            title: doc.title(),
            path: input.path,
            hash: doc.hash(),
            paragraphs: doc.paragraph_count(),
            length_chars: text.chars().count(),
        },
        annotations,
        entities,
        corrections: input.corrections,
        document_notes: input.document_notes,
    };
    let mut json = serde_json::to_string_pretty(&dump)
        .unwrap_or_else(|e| unreachable!("serializing plain structs cannot fail: {e}"));
    json.push('\n');
    escape_invisible(json)
}

/// One annotation as [`render`] writes it, for reading a dump back.
#[derive(Clone, Debug, Deserialize)]
pub struct ParsedAnnotation {
    pub id: String,
    #[serde(default)]
    pub start: Option<usize>,
    #[serde(default)]
    pub end: Option<usize>,
    pub quote: Quote,
    #[serde(default)]
    pub colour: Colour,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub note: String,
    pub created: String,
    #[serde(default)]
    pub modified: Option<String>,
    #[serde(default)]
    pub orphan: bool,
}
