//! `pizhu entities` output: a readable list, or JSON with character offsets into the file.

use std::io::{self, Write};

use serde::Serialize;

use super::{Entity, Tier};
use crate::layout::{AmbiguousWidth, str_width};
use crate::text::OffsetMap;

#[derive(Serialize)]
struct JsonEntity<'a, M: Serialize> {
    name: &'a str,
    kind: super::EntityKind,
    tier: Tier,
    aliases: Vec<&'a str>,
    count: usize,
    mentions: M,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonMention<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// A list written as it is made, item by item: a long book has millions of mentions, and a
/// list of them all made first to be written out would hold them a second time.
struct Streamed<F>(F);

impl<I: Iterator<Item: Serialize>, F: Fn() -> I> Serialize for Streamed<F> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// Writes the JSON array of DESIGN.md §3. `text` is the sanitized text the entities were
/// found in, `original` the decoded file text and `map` the way between them; offsets are
/// Unicode scalar offsets into `original`, end exclusive.
pub fn json(
    entities: &[Entity],
    text: &str,
    original: &str,
    map: &OffsetMap,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut bytes: Vec<usize> = entities
        .iter()
        .flat_map(|e| e.mentions.iter().flat_map(|m| [m.start, m.end]))
        .map(|b| map.original_byte(b))
        .collect();
    bytes.sort_unstable();
    bytes.dedup();
    let chars = char_offsets(original, &bytes);
    let to_char = |b: usize| {
        let ob = map.original_byte(b);
        chars[bytes.partition_point(|&x| x < ob)]
    };
    let list = Streamed(|| {
        entities.iter().map(|e| JsonEntity {
            name: &e.name,
            kind: e.kind,
            tier: e.tier,
            aliases: e.aliases(text),
            count: e.count(),
            mentions: Streamed(|| {
                e.mentions.iter().map(|m| JsonMention {
                    text: &text[m.start..m.end],
                    start: to_char(m.start),
                    end: to_char(m.end),
                })
            }),
            reason: e.reason.as_deref(),
        })
    });
    serde_json::to_writer(&mut *out, &list)?;
    out.write_all(b"\n")
}

/// Character offsets of ascending byte offsets, in one pass.
fn char_offsets(text: &str, sorted_bytes: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted_bytes.len());
    let (mut byte, mut chars) = (0, 0);
    for &b in sorted_bytes {
        let b = b.min(text.len());
        chars += text[byte..b].chars().count();
        byte = b;
        out.push(chars);
    }
    out
}

/// A readable list grouped by kind; possible entities marked `?` with their reason.
pub fn plain(entities: &[Entity], text: &str, out: &mut impl Write) -> io::Result<()> {
    let mut kind = None;
    for e in entities {
        if kind != Some(e.kind) {
            if kind.is_some() {
                writeln!(out)?;
            }
            kind = Some(e.kind);
            writeln!(out, "{}", e.kind.label())?;
        }
        let others: Vec<&str> = e
            .aliases(text)
            .into_iter()
            .filter(|a| *a != e.name)
            .collect();
        let mut label = e.name.clone();
        if e.tier == Tier::Possible {
            label.push('?');
        }
        if !others.is_empty() {
            label.push_str(&format!(" ({})", others.join(", ")));
        }
        let pad = 28usize.saturating_sub(str_width(&label, AmbiguousWidth::Narrow));
        write!(out, "  {label}{} ×{}", " ".repeat(pad), e.count())?;
        if let Some(reason) = &e.reason {
            let tier = if e.tier == Tier::Found {
                "found"
            } else {
                "possible"
            };
            write!(out, "   {tier}: {reason}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
