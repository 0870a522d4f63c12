//! Importing W3C Web Annotation files as other tools write them: take every annotation that
//! can be anchored, keep page notes as document notes, and skip (and count) the rest.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use pizhu::document::Document;
use pizhu::import::{Kind, parse};

const BIN: &str = env!("CARGO_BIN_EXE_pizhu");
const ARTICLE: &str = "测试文章标题\n\n第一段：小红书的核心用户心智是“种草”，而非交易。\n\n第二段：广告很多，广告也很贵。\n";

fn collection(items: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec_pretty(&serde_json::json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "total": items.as_array().map_or(0, Vec::len),
        "first": {"type": "AnnotationPage", "items": items}
    }))
    .unwrap()
}

/// A quote target.
fn quote(exact: &str) -> serde_json::Value {
    serde_json::json!({
        "source": "http://example.org/article",
        "selector": {"type": "TextQuoteSelector", "exact": exact}
    })
}

#[test]
fn a_mixed_collection_imports_what_it_can() {
    let bytes = collection(serde_json::json!([
        {"type": "Annotation", "id": "http://x/1", "bodyValue": "好句子",
         "target": quote("核心用户心智")},
        {"type": "Annotation", "id": "http://x/2",
         "body": {"type": "TextualBody", "value": "整篇的评论：写得清楚"},
         "target": "http://example.org/article"},
        {"type": "Annotation", "id": "http://x/3", "target": "http://example.org/article"},
        {"type": "Annotation", "id": "http://x/4",
         "target": {"source": "http://example.org/article",
                    "selector": {"type": "CssSelector", "value": "#p2"}}},
    ]));
    let parsed = parse("mixed.jsonld", &bytes).unwrap();
    assert_eq!(parsed.kind, Kind::W3c);
    assert_eq!(parsed.annotations.len(), 1);
    assert_eq!(parsed.annotations[0].annotation.note, "好句子");
    assert_eq!(parsed.document_notes.len(), 1);
    assert_eq!(parsed.document_notes[0].text, "整篇的评论：写得清楚");
    assert_eq!(parsed.skipped.len(), 2, "{:?}", parsed.skipped);
    assert!(parsed.skipped[0].starts_with("annotation 3 (http://x/3)"));
    assert!(
        parsed.skipped[1].contains("no text selector"),
        "{:?}",
        parsed.skipped
    );

    // Through the CLI: one line saying what happened, exit 0, and the note is kept.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, ARTICLE).unwrap();
    let from = dir.path().join("mixed.jsonld");
    std::fs::write(&from, &bytes).unwrap();
    let data = dir.path().join("data");
    let out = Command::new(BIN)
        .args([
            "import",
            file.to_str().unwrap(),
            "--from",
            from.to_str().unwrap(),
        ])
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(said.contains("1 added"), "{said}");
    assert!(said.contains("1 document note"), "{said}");
    assert!(
        said.contains("2 skipped (annotation 3 (http://x/3)"),
        "{said}"
    );
    let store = pizhu::store::Store::open(&data).unwrap();
    let doc = Document::new(ARTICLE);
    let path = pizhu::session::stored_path(&file);
    let record = pizhu::session::load_record(&store, &doc, Some(&path))
        .unwrap()
        .record;
    assert_eq!(record.document_notes.len(), 1);
    assert_eq!(record.annotations.len(), 1);
}

#[test]
fn the_models_body_and_selector_shapes_are_read() {
    let bytes = collection(serde_json::json!([
        // A plain string body is a note.
        {"type": "Annotation", "id": "s", "body": "字符串正文", "target": quote("广告很多")},
        // A body that is only a link is kept as the link.
        {"type": "Annotation", "id": "iri", "body": {"id": "http://example.org/comment/1"},
         "target": quote("广告也很贵")},
        // A list of selectors, and one refined by a quote selector.
        {"type": "Annotation", "id": "list", "bodyValue": "列表",
         "target": {"source": "http://example.org/article", "selector": [
            {"type": "FragmentSelector", "value": "para=2"},
            {"type": "TextQuoteSelector", "exact": "种草"}]}},
        {"type": "Annotation", "id": "refined", "bodyValue": "细化",
         "target": {"source": "http://example.org/article", "selector": {
            "type": "FragmentSelector", "value": "para=1",
            "refinedBy": {"type": "TextQuoteSelector", "exact": "而非交易"}}}},
    ]));
    let parsed = parse("shapes.jsonld", &bytes).unwrap();
    assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
    let by_id = |id: &str| {
        parsed
            .annotations
            .iter()
            .map(|i| &i.annotation)
            .find(|a| a.id == id)
            .unwrap_or_else(|| panic!("{id} imported"))
    };
    assert_eq!(by_id("s").note, "字符串正文");
    assert_eq!(by_id("iri").note, "http://example.org/comment/1");
    assert_eq!(by_id("list").quote.exact, "种草");
    assert_eq!(by_id("refined").quote.exact, "而非交易");
    let doc = Document::new(ARTICLE);
    let mut list = Vec::new();
    let report = pizhu::import::merge(doc.text(), &mut list, &[], parsed.annotations);
    assert_eq!(report.added, 4, "{report}");
}

#[test]
fn a_file_with_nothing_importable_is_refused() {
    let bytes = collection(serde_json::json!([
        {"type": "Annotation", "id": "u:1", "target": "http://x"},
    ]));
    let err = parse("x.jsonld", &bytes).unwrap_err().to_string();
    assert!(
        err.starts_with("x.jsonld: annotation 1 (u:1): its target has no selector"),
        "{err}"
    );
}

/// `pizhu ARGS --data-dir DATA`, which must succeed; its standard output.
fn pizhu(args: &[&str], data: &std::path::Path) -> String {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn document_notes_are_listed_exported_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, ARTICLE).unwrap();
    let f = file.to_str().unwrap();
    let from = dir.path().join("page.jsonld");
    std::fs::write(
        &from,
        collection(serde_json::json!([
            {"type": "Annotation", "id": "page", "bodyValue": "整篇的评论：=写得清楚",
             "created": "2026-01-02T00:00:00Z", "target": "http://example.org/article"},
        ])),
    )
    .unwrap();
    let data = dir.path().join("data");
    let said = pizhu(&["import", f, "--from", from.to_str().unwrap()], &data);
    assert!(said.contains("1 document note"), "{said}");
    let listed = pizhu(&["list"], &data);
    assert!(listed.contains("1 document note"), "{listed}");

    let md = pizhu(&["export", "-f", "markdown", f], &data);
    let notes_at = md.find("## 整篇笔记 Document notes").expect(&md);
    assert!(md[notes_at..].contains("整篇的评论："), "{md}");
    assert!(notes_at < md.find("## 批注 Highlights").unwrap());
    let csv = pizhu(&["export", "-f", "csv", f], &data);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "", "no highlight");
    assert_eq!(&row[4], "整篇的评论：=写得清楚");
    let json = pizhu(&["export", "-f", "json", f], &data);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["document_notes"][0]["text"], "整篇的评论：=写得清楚");

    // W3C out, then into an empty data dir: the note comes back as a document note.
    let w3c = pizhu(&["export", "-f", "w3c", f], &data);
    let out = dir.path().join("out.jsonld");
    std::fs::write(&out, w3c).unwrap();
    let fresh = dir.path().join("fresh");
    let said = pizhu(&["import", f, "--from", out.to_str().unwrap()], &fresh);
    assert!(said.contains("1 document note"), "{said}");
    let again = pizhu(&["export", "-f", "json", f], &fresh);
    let v: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(v["document_notes"][0]["text"], "整篇的评论：=写得清楚");
    assert_eq!(v["document_notes"][0]["id"], "page");
}
