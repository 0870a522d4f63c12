//! Readwise's CSV import: the header `Highlight,Title,Author,URL,Note,Location,Location
//! Type,Date`, one row per annotation in document order, orphans last.
//!
//! - `Highlight`: the quoted text. `Title`: the article's title (else its file name).
//!   `Author`: the byline's name when the article has one ([`Document::author`]), else empty.
//!   `URL` stays empty: a `file://` URL means nothing to Readwise.
//!
//! [`Document::author`]: crate::document::Document::author
//! - `Note`: the tags first, as Readwise's inline tags (a note starting with `.tag`; several
//!   separated by spaces, `.电商 .用户心智`, Chinese as it is; a tag cannot hold a space, so
//!   spaces become `-`), on a line of their own, then the note.
//! - `Location`: the highlight's start as a Unicode code point offset into the article, with
//!   `Location Type` `order`: Readwise sorts highlights by it and does not show it as a page,
//!   so the offset orders several highlights of one paragraph exactly, where a paragraph
//!   number would tie. Orphans have neither.
//! - In a book (an EPUB), the chapter of each highlight starts its `Note`, as `【第三章 …】` on
//!   a line of its own: Readwise's `Location` must be a number, and the offset there keeps
//!   highlights in reading order across chapters.
//! - `Date`: when the highlight was made, `YYYY-MM-DD HH:MM:SS` in UTC.
//!
//! RFC 4180: fields with `,` `"` CR or LF quoted, quotes doubled; records end in CRLF (line
//! breaks inside a note stay as they are, inside quotes). UTF-8 without a byte order mark:
//! Readwise reads UTF-8, and a BOM would become part of the first column's name
//! (`\u{feff}Highlight`) for parsers that do not strip it. (Excel wants a BOM to read UTF-8;
//! open the file through Data › From Text/CSV instead.)
//!
//! Highlights and notes may come from anyone. Every text from the record is cleaned like an
//! article (`super::clean`: no escape sequences, controls or bidi overrides), and a cell
//! starting with `=`, `+`, `-`, `@`, a tab or CR gets a leading `'` so that a spreadsheet
//! does not run it as a formula.

use super::{ExportInput, clean, clean_line, items};

pub const HEADER: [&str; 8] = [
    "Highlight",
    "Title",
    "Author",
    "URL",
    "Note",
    "Location",
    "Location Type",
    "Date",
];

pub fn render(input: &ExportInput) -> String {
    let doc = input.doc;
    let text = doc.text();
    let items = items(text, input.annotations);
    let title = doc
        .title()
        .map(|t| clean_line(t).into_owned())
        .or_else(|| {
            input
                .path
                .map(|p| {
                    std::path::Path::new(p)
                        .file_name()
                        .map_or_else(|| p.to_string(), |n| n.to_string_lossy().into_owned())
                })
                .map(|t| clean_line(&t).into_owned())
        })
        .unwrap_or_else(|| format!("pizhu {}", doc.hash().get(..8).unwrap_or(doc.hash())));
    let author = doc.author().map(clean_line).unwrap_or_default();
    let mut out = String::with_capacity(128 + items.len() * 200);
    row(&mut out, HEADER);
    // A note about the whole document: a row without a highlight.
    for note in input.document_notes {
        row(
            &mut out,
            [
                "",
                title.as_str(),
                &author,
                "",
                &clean(&note.text),
                "",
                "",
                &readwise_date(&note.created),
            ],
        );
    }
    for item in &items {
        let a = item.a;
        let mut note = readwise_note(&a.tags, &a.note);
        if let Some(chapter) = item.bytes.and_then(|(start, _)| doc.chapter_at(start)) {
            let chapter = format!("【{}】", clean_line(chapter));
            note = if note.is_empty() {
                chapter
            } else {
                format!("{chapter}\n{note}")
            };
        }
        let (location, kind) = match item.chars {
            Some((start, _)) => (start.to_string(), "order"),
            None => (String::new(), ""),
        };
        row(
            &mut out,
            [
                &clean(item.exact(text)),
                title.as_str(),
                &author,
                "",
                &note,
                &location,
                kind,
                &readwise_date(&a.created),
            ],
        );
    }
    out
}

/// The Note field: `.tag1 .tag2` on the first line, then the note; both cleaned.
pub fn readwise_note(tags: &[String], note: &str) -> String {
    let tags: Vec<String> = tags
        .iter()
        .map(|t| {
            let t: String = clean_line(t)
                .trim()
                .trim_start_matches('.')
                .chars()
                .map(|c| if c.is_whitespace() { '-' } else { c })
                .collect();
            t
        })
        .filter(|t| !t.is_empty())
        .map(|t| format!(".{t}"))
        .collect();
    let note = clean(note);
    let note = note.trim();
    match (tags.is_empty(), note.is_empty()) {
        (true, _) => note.to_string(),
        (false, true) => tags.join(" "),
        (false, false) => format!("{}\n{note}", tags.join(" ")),
    }
}

/// `2026-11-25T17:55:06.123Z` → `2026-11-25 17:55:06`; anything else → empty.
pub fn readwise_date(stamp: &str) -> String {
    let b = stamp.as_bytes();
    let shaped = b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && b[16] == b':'
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit());
    if shaped {
        format!("{} {}", &stamp[..10], &stamp[11..19])
    } else {
        String::new()
    }
}

/// First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
/// (which can run commands or leak data through `HYPERLINK`/`WEBSERVICE`); such a cell gets a
/// leading `'`, which they show as text (OWASP's CSV injection rule).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, f);
    }
    out.push_str("\r\n");
}

/// One RFC 4180 field, guarded against formula injection.
fn field(out: &mut String, f: &str) {
    let guarded;
    let f = if f.starts_with(FORMULA_STARTS) {
        guarded = format!("'{f}");
        guarded.as_str()
    } else {
        f
    };
    if f.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut out = String::new();
        row(&mut out, ["a", "b,c", "say \"hi\"", "x\ny", "“中文”，"]);
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",“中文”，\r\n");
    }

    #[test]
    fn formula_cells_get_a_quote() {
        let mut out = String::new();
        row(
            &mut out,
            ["=1+1", "+a", "-b", "@c", "\td", "\re,f", "a=b", "'x"],
        );
        assert_eq!(out, "'=1+1,'+a,'-b,'@c,'\td,\"'\re,f\",a=b,'x\r\n");
    }

    #[test]
    fn tags_lead_the_note() {
        let tags = vec!["电商".to_string(), "user mind".to_string()];
        assert_eq!(readwise_note(&tags, "好\n句"), ".电商 .user-mind\n好\n句");
        assert_eq!(readwise_note(&tags, " "), ".电商 .user-mind");
        assert_eq!(readwise_note(&[], "笔记"), "笔记");
    }

    #[test]
    fn dates_in_readwise_form() {
        assert_eq!(
            readwise_date("2026-11-25T17:55:06.123Z"),
            "2026-11-25 17:55:06"
        );
        assert_eq!(readwise_date("yesterday"), "");
    }
}
