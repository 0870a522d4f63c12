//! Exports treat annotations as untrusted input (issue 10): notes, tags and quotes may come
//! from other people and other tools, so no export may carry something that acts when the
//! file is opened: spreadsheet formulas (CSV), HTML, links, embeds or structure (Markdown),
//! terminal controls (Markdown, CSV), raw C1 or bidi controls (JSON, W3C).

use pizhu::annotations::{Annotation, Colour, Quote};
use pizhu::document::Document;
use pizhu::export::{self, ExportInput, Format};

const EXPORTED: &str = "2026-11-27T08:00:00.000Z";
const STAMP: &str = "2026-11-25T17:55:06.000Z";

/// An orphan: its quote comes from the record, not the (sanitized) article.
fn orphan(id: &str, exact: &str, note: &str, tags: &[&str]) -> Annotation {
    Annotation {
        id: id.into(),
        start: 0,
        end: 0,
        quote: Quote {
            exact: exact.into(),
            prefix: String::new(),
            suffix: String::new(),
        },
        colour: Colour::Yellow,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        note: note.into(),
        created: STAMP.into(),
        modified: STAMP.into(),
        orphan: true,
    }
}

fn render(format: Format, doc: &Document, path: Option<&str>, list: &[Annotation]) -> String {
    export::render(
        format,
        &ExportInput {
            doc,
            path,
            annotations: list,
            entities: &[],
            corrections: &[],
            exported: EXPORTED,
        },
    )
}

fn csv_rows(csv: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("the CSV parses")
}

// ---------------------------------------------------------------------------------------------
// CSV: formula injection.

/// Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

#[test]
fn csv_cells_that_look_like_formulas_are_prefixed_with_a_quote() {
    let doc = Document::new("=HYPERLINK(\"http://evil\",\"标题\")\n\n正文第一段。\n");
    assert!(doc.title().is_some_and(|t| t.starts_with('=')));
    let list = [
        orphan("a", "=1+1", "@SUM(A1:A9)", &[]),
        orphan("b", "+cmd|' /C calc'!A0", "-2+3", &[]),
        orphan("c", "-5%的增长", "", &["=t"]),
        orphan("d", "@x", "\tindented", &[]),
    ];
    let out = render(Format::Csv, &doc, None, &list);
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 4);
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(FORMULA_STARTS),
                "{cell:?} would be a formula in {out}"
            );
        }
    }
    let cells: Vec<(&str, &str)> = rows.iter().map(|r| (&r[0], &r[4])).collect();
    assert_eq!(
        cells,
        [
            ("'=1+1", "'@SUM(A1:A9)"),
            ("'+cmd|' /C calc'!A0", "'-2+3"),
            ("'-5%的增长", ".=t"),
            ("'@x", "indented"),
        ]
    );
    assert_eq!(&rows[0][1], "'=HYPERLINK(\"http://evil\",\"标题\")");
}

#[test]
fn csv_title_from_the_file_name_is_guarded_too() {
    // No title (a first line this long reads as a paragraph): the file name stands in.
    let doc = Document::new(&format!("{}\n\n第二段。\n", "长".repeat(130)));
    let list = [orphan("a", "引文", "", &[])];
    let out = render(Format::Csv, &doc, Some("/tmp/+1 文章.txt"), &list);
    let rows = csv_rows(&out);
    assert_eq!(doc.title(), None);
    assert_eq!(&rows[0][1], "'+1 文章.txt");
}

// ---------------------------------------------------------------------------------------------
// Markdown and CSV: terminal controls.

/// A control character a text export must not carry: C0 but `\n`, DEL, C1, and the bidi
/// embeddings, overrides and isolates.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `out` as a text export may be: CSV's own record ends aside, no forbidden character.
#[track_caller]
fn assert_clean(format: Format, out: &str) {
    let body = if format == Format::Csv {
        out.replace("\r\n", "\n")
    } else {
        out.to_string()
    };
    if let Some(c) = body.chars().find(|&c| is_forbidden(c)) {
        panic!("{format} export carries {c:?}:\n{out}");
    }
}

const NASTY: &str = "前\x1b]52;c;ZXZpbA==\x07中\x1b[2J后\x1bPq#0\x1b\\\u{9b}31m红\u{9d}0;t\u{9c}\u{85}\u{202E}cba\u{202C}\u{2066}x\u{2069}\x00\x08\x7f\r\n第二行\r第三行";

#[test]
fn text_exports_carry_no_control_characters() {
    let doc = Document::new("标题\n\n正文第一段。\n");
    let list = [orphan(
        "id\x1b[31m\u{9b}1",
        NASTY,
        NASTY,
        &[NASTY, "a\nb", "\u{202E}t"],
    )];
    let path = "/tmp/a\x1b]0;title\x07\u{9b}b\nc\u{202E}.txt";
    for format in [Format::Markdown, Format::Csv] {
        assert_clean(format, &render(format, &doc, Some(path), &list));
    }
}

#[test]
fn csv_cells_are_sanitized_and_one_line_fields_stay_on_one_line() {
    let doc = Document::new(&format!("{}\n\n第二段。\n", "长".repeat(130)));
    let list = [orphan("a", NASTY, NASTY, &["a\nb\x1b[2J", "\u{202E}t"])];
    let rows = csv_rows(&render(
        Format::Csv,
        &doc,
        Some("/tmp/x\ny\u{9b}2J.txt"),
        &list,
    ));
    let clean = "前中后红cbax\n第二行\n第三行";
    assert_eq!(&rows[0][0], clean);
    assert_eq!(&rows[0][1], "x y.txt");
    assert_eq!(&rows[0][4], format!(".a-b .t\n{clean}"));
}

#[test]
fn markdown_fields_are_sanitized_and_one_line_fields_stay_on_one_line() {
    let doc = Document::new("标题\n\n正文第一段。\n");
    let list = [orphan("a", NASTY, NASTY, &["t\x1b[2J"])];
    let md = render(Format::Markdown, &doc, Some("/tmp/x\ny\u{9b}2J.txt"), &list);
    assert!(md.contains("source: \"/tmp/x y.txt\"\n"), "{md}");
    assert!(md.contains("  - \"t\"\n"), "{md}");
    assert!(
        md.contains("> 前中后红cbax  \n> 第二行  \n> 第三行\n"),
        "{md}"
    );
    assert!(md.contains("\n前中后红cbax  \n第二行  \n第三行\n"), "{md}");
}
