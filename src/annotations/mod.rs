//! Highlights with tags and notes, and how they stay attached to their text when the article
//! changes. Positions are byte offsets into [`Document::text`](crate::document::Document::text);
//! exports convert them at the edge.

pub mod anchor;
pub(crate) mod set;

pub use set::{AnnotationSet, Change, Merged, Outcome, Reverted, Snapshot, Undo};

use serde::{Deserialize, Serialize};

/// The text an annotation was made on, with some context either side: what lets it find its
/// place again after the article is edited (W3C `TextQuoteSelector`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub exact: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
}

/// The five highlight colours (keys `1`–`5`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    #[default]
    Yellow,
    Green,
    Blue,
    Pink,
    Purple,
}

impl Colour {
    pub const ALL: [Colour; 5] = [
        Self::Yellow,
        Self::Green,
        Self::Blue,
        Self::Pink,
        Self::Purple,
    ];

    /// Colour for key `1`–`5`.
    pub fn from_digit(d: u32) -> Option<Self> {
        Self::ALL.get((d as usize).checked_sub(1)?).copied()
    }

    /// 1–5, as on the keys.
    pub fn digit(self) -> u32 {
        Self::ALL.iter().position(|c| *c == self).unwrap_or(0) as u32 + 1
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yellow => "yellow",
            Self::Green => "green",
            Self::Blue => "blue",
            Self::Pink => "pink",
            Self::Purple => "purple",
        }
    }

    /// The next colour, for `c`.
    pub fn next(self) -> Self {
        Self::ALL[self.digit() as usize % Self::ALL.len()]
    }
}

/// One highlight, with optional tags and note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Unique across documents and instances; merging two saves goes by it.
    pub id: String,
    /// Byte offsets into the document text. Meaningless while `orphan`.
    pub start: usize,
    pub end: usize,
    pub quote: Quote,
    #[serde(default)]
    pub colour: Colour,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub note: String,
    /// RFC 3339 UTC with milliseconds, see [`crate::clock`]; compared with [`crate::clock::cmp`].
    pub created: String,
    pub modified: String,
    /// Its text could not be found in the current version of the article: kept and listed,
    /// never dropped.
    #[serde(default)]
    pub orphan: bool,
}

impl Annotation {
    /// A new highlight of `start..end` of `text`.
    pub fn new(text: &str, start: usize, end: usize, colour: Colour) -> Self {
        Self::new_at(text, start, end, colour, crate::clock::now_millis())
    }

    /// [`Annotation::new`] made at `now_ms` (milliseconds since the epoch): for callers that
    /// are handed the time rather than reading the clock.
    pub fn new_at(text: &str, start: usize, end: usize, colour: Colour, now_ms: i64) -> Self {
        let now = crate::clock::format_millis(now_ms);
        Self {
            id: new_id_at(now_ms),
            start,
            end,
            quote: anchor::quote_at(text, start, end),
            colour,
            tags: Vec::new(),
            note: String::new(),
            created: now.clone(),
            modified: now,
            orphan: false,
        }
    }

    /// The first line of the note, if there is a note.
    pub fn note_line(&self) -> Option<&str> {
        self.note.lines().map(str::trim).find(|l| !l.is_empty())
    }

    /// Marks an edit: the new `modified` outranks the version edited even when that one
    /// claims a later time (a clock ahead), so merging never prefers the older version.
    pub fn touch(&mut self) {
        self.touch_at(crate::clock::now_millis());
    }

    /// [`Annotation::touch`] at `now_ms`.
    pub fn touch_at(&mut self, now_ms: i64) {
        self.modified = crate::clock::after_at(&self.modified, now_ms);
    }
}

/// A note about the whole document rather than a passage (`A` in the reader, or a page note
/// imported from another tool, whose target is the document itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentNote {
    pub id: String,
    pub text: String,
    /// RFC 3339 UTC, as [`Annotation::created`].
    pub created: String,
    pub modified: String,
}

impl DocumentNote {
    pub fn new(text: impl Into<String>) -> Self {
        Self::new_at(text, crate::clock::now_millis())
    }

    /// [`DocumentNote::new`] made at `now_ms`.
    pub fn new_at(text: impl Into<String>, now_ms: i64) -> Self {
        let now = crate::clock::format_millis(now_ms);
        Self {
            id: new_id_at(now_ms),
            text: text.into(),
            created: now.clone(),
            modified: now,
        }
    }
}

/// A fresh id: time, process and a counter, so two instances never make the same one.
pub fn new_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    id_from(nanos)
}

/// A fresh id for something made at `now_ms`: as [`new_id`], with the time handed in.
pub fn new_id_at(now_ms: i64) -> String {
    id_from((now_ms as u64).wrapping_mul(1_000_000))
}

fn id_from(nanos: u64) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mix = xxhash_rust::xxh3::xxh3_64(
        &[
            nanos.to_le_bytes(),
            u64::from(std::process::id()).to_le_bytes(),
            n.to_le_bytes(),
        ]
        .concat(),
    );
    format!("{mix:016x}")
}

/// Whether `c` ends a tag as the user types them: white space, commas (，、 too), semicolons
/// (；too) or `#`.
pub fn is_tag_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；' | '#')
}

/// Splits what the user typed into tags (see [`is_tag_separator`]), each once.
pub fn parse_tags(input: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in input.split(is_tag_separator) {
        let t = t.trim();
        if !t.is_empty() && !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        let ids: std::collections::HashSet<String> = (0..10_000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 10_000);
    }

    #[test]
    fn tags_split_on_chinese_and_ascii_separators() {
        assert_eq!(
            parse_tags("电商，用户心智 #ads, ads"),
            ["电商", "用户心智", "ads"]
        );
        assert!(parse_tags("  ,， ").is_empty());
    }

    #[test]
    fn colours_by_digit() {
        assert_eq!(Colour::from_digit(1), Some(Colour::Yellow));
        assert_eq!(Colour::from_digit(5), Some(Colour::Purple));
        assert_eq!(Colour::from_digit(6), None);
        assert_eq!(Colour::from_digit(0), None);
        assert_eq!(Colour::Purple.next(), Colour::Yellow);
    }
}
