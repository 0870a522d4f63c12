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
