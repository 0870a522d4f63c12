//! Exports (Markdown, W3C Web Annotation, Readwise CSV, pizhu JSON) of a fixed set of
//! annotations on the bundled sample, and imports of them back: snapshots, the W3C model
//! checked field by field, the CSV read back with a CSV parser, and round trips through an
//! empty data dir.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use pizhu::annotations::{Annotation, Colour, Quote, anchor};
use pizhu::document::Document;
use pizhu::entities::correction::Correction;
use pizhu::entities::{Entity, EntityKind, Mention, Tier};
use pizhu::export::{self, ExportInput, Format};
use pizhu::import::{self, ImportSummary};
use pizhu::store::Store;
use serde_json::Value;

const EXPORTED: &str = "2026-11-27T08:00:00.000Z";
const PATH: &str = "/home/reader/文章/小红书 电商.txt";

/// A quote with “” and a comma, tags, a multi-line note with Markdown-looking lines.
const QUOTE_A: &str = "小红书的核心用户心智是 “生活搜索引擎” 与 “种草平台”,而非交易平台";
const NOTE_A: &str = "平台心智，不是交易。\n# 这一行不是标题\n- 也不是列表\n他说 \"好\", 然后走了";
/// Across two paragraphs.
const QUOTE_B: &str =
    "但是经过几年的发展,小红书电商并未跻身到一线电商平台。\n\n手握中国互联网一线的流量";
/// In the title.
const QUOTE_C: &str = "小红书还有机会成为大厂吗?";
const QUOTE_D: &str = "字节跳动就在不断的让业内看到流量的价值";
/// Not in the article.
const QUOTE_E: &str = "这一段在新版文章里已经删除了";

fn sample() -> Document {
    Document::new(std::str::from_utf8(pizhu::load::SAMPLE).expect("the sample is UTF-8"))
}

fn placed(doc: &Document, id: &str, exact: &str, colour: Colour, n: i64) -> Annotation {
    let text = doc.text();
    let start = text
        .find(exact)
        .unwrap_or_else(|| panic!("{exact:?} in the sample"));
    let end = start + exact.len();
    let stamp = pizhu::clock::format_millis(1_795_629_306_000 + n * 60_000);
    Annotation {
        id: id.to_string(),
        start,
        end,
        quote: anchor::quote_at(text, start, end),
        colour,
        tags: Vec::new(),
        note: String::new(),
        created: stamp.clone(),
        modified: stamp,
        orphan: false,
    }
}

/// Five annotations, given out of document order: four placed, one orphan.
fn fixture(doc: &Document) -> Vec<Annotation> {
    let mut a = placed(doc, "00000000000000a1", QUOTE_A, Colour::Green, 1);
    a.tags = vec!["电商".into(), "用户心智".into()];
    a.note = NOTE_A.into();
    a.modified = "2026-11-26T09:00:00.000Z".into();
    let mut b = placed(doc, "00000000000000b2", QUOTE_B, Colour::Blue, 2);
    b.tags = vec!["user mind".into()];
    let c = placed(doc, "00000000000000c3", QUOTE_C, Colour::Yellow, 3);
    let mut d = placed(doc, "00000000000000d4", QUOTE_D, Colour::Purple, 4);
    d.note = "Note, with a comma".into();
    let e = Annotation {
        id: "00000000000000e5".into(),
        start: 10,
        end: 20,
        quote: Quote {
            exact: QUOTE_E.into(),
            prefix: "上一段的结尾。\n\n".into(),
            suffix: "。\n\n下一段".into(),
        },
        colour: Colour::Pink,
        tags: vec!["电商".into()],
        note: "原文已删除".into(),
        created: "2026-11-25T16:00:00.000Z".into(),
        modified: "2026-11-25T16:00:00.000Z".into(),
        orphan: true,
    };
    vec![d, e, a, c, b]
}

fn mentions(text: &str, words: &[&str]) -> Vec<Mention> {
    let mut found: Vec<Mention> = Vec::new();
    for w in words {
        for (start, m) in text.match_indices(w) {
            let m = Mention {
                start,
                end: start + m.len(),
            };
            if !found.iter().any(|f| f.start < m.end && m.start < f.end) {
                found.push(m);
            }
        }
    }
    found.sort();
    found
}

/// A fixed entity list, so the snapshots do not change with the gazetteer.
fn entities(doc: &Document) -> Vec<Entity> {
    let text = doc.text();
    let entity = |name: &str, kind, tier, words: &[&str], reason: Option<&str>| Entity {
        name: name.into(),
        kind,
        tier,
        reason: reason.map(str::to_string),
        owner: None,
        mentions: mentions(text, words),
    };
    vec![
        entity(
            "小红书",
            EntityKind::Company,
            Tier::Known,
            &["小红书"],
            None,
        ),
        entity(
            "字节跳动",
            EntityKind::Company,
            Tier::Known,
            &["字节跳动", "字节"],
            None,
        ),
        entity(
            "汽水音乐",
            EntityKind::Product,
            Tier::Possible,
            &["汽水音乐"],
            Some("listed with 豆包"),
        ),
    ]
}

fn corrections() -> Vec<Correction> {
    vec![
        Correction::Reject {
            name: "中厂".into(),
        },
        Correction::Kind {
            name: "B站".into(),
            kind: EntityKind::Media,
        },
    ]
}

fn render(doc: &Document, annotations: &[Annotation], format: Format) -> String {
    let entities = entities(doc);
    let corrections = corrections();
    export::render(
        format,
        &ExportInput {
            doc,
            path: Some(PATH),
            annotations,
            document_notes: &[],
            entities: &entities,
            corrections: &corrections,
            exported: EXPORTED,
            zone: &jiff::tz::TimeZone::UTC,
        },
    )
}

/// The fixture's annotations in document order: placed by position, the orphan last.
fn in_order(doc: &Document) -> Vec<Annotation> {
    let mut list = fixture(doc);
    list.sort_by_key(|a| (a.orphan, a.start));
    list
}

fn code_points(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

// ---------------------------------------------------------------------------------------------
// Snapshots.

#[test]
fn markdown_snapshot() {
    let doc = sample();
    insta::assert_snapshot!(render(&doc, &fixture(&doc), Format::Markdown));
}

#[test]
fn w3c_snapshot() {
    let doc = sample();
    insta::assert_snapshot!(render(&doc, &fixture(&doc), Format::W3c));
}

#[test]
fn csv_snapshot() {
    let doc = sample();
    // CRLF record ends are checked in `csv_reads_back_field_by_field`.
    insta::assert_snapshot!(render(&doc, &fixture(&doc), Format::Csv).replace("\r\n", "\n"));
}

#[test]
fn json_snapshot() {
    let doc = sample();
    insta::assert_snapshot!(render(&doc, &fixture(&doc), Format::Json));
}

// ---------------------------------------------------------------------------------------------
// Markdown.

#[test]
fn markdown_is_safe_for_obsidian() {
    let doc = sample();
    let md = render(&doc, &fixture(&doc), Format::Markdown);
    let front = md.split("---\n").nth(1).expect("front matter");
    assert!(front.contains("source: \"/home/reader/文章/小红书 电商.txt\"\n"));
    // In order of first use, in document order.
    assert!(front.contains("tags:\n  - \"user_20_mind\"\n  - \"电商\"\n  - \"用户心智\"\n"));
    assert!(front.contains(&format!("document_hash: \"{}\"", doc.hash())));
    // The note's lines stay text.
    assert!(md.contains("\\# 这一行不是标题"), "{md}");
    assert!(md.contains("\\- 也不是列表"), "{md}");
    assert!(!md.lines().any(|l| l.starts_with("# 这一行")));
    // Every line of a multi-line quote is quoted.
    assert!(md.contains(
        "> 但是经过几年的发展,小红书电商并未跻身到一线电商平台。\n>\n> 手握中国互联网一线的流量\n"
    ));
    assert!(md.contains("#电商 #用户心智\n"));
    // A space is not a tag character: encoded so that `user mind` and `user-mind` stay apart.
    assert!(md.contains("#user_20_mind\n"));
    // Document order, the orphan in its own section after the placed ones.
    let pos = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s:?} in {md}"));
    assert!(pos("> 小红书还有机会成为大厂吗?") < pos("> 字节跳动就在"));
    assert!(pos("> 字节跳动就在") < pos("> 但是经过几年"));
    assert!(pos("> 但是经过几年") < pos("> 小红书的核心用户心智"));
    assert!(pos("## 孤立批注 Orphans (1)") < pos("> 这一段在新版文章里已经删除了"));
    assert!(pos("> 小红书的核心用户心智") < pos("## 孤立批注 Orphans"));
    assert!(md.contains("### 篇首 · 0%"), "the title highlight: {md}");
    assert!(md.contains("- 字节跳动 (字节) ×"));
    assert!(md.contains("- 汽水音乐? ×1 — possible: listed with 豆包"));
}

// ---------------------------------------------------------------------------------------------
// W3C Web Annotation Data Model.

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn w3c_follows_the_model_field_by_field() {
    let doc = sample();
    let text = doc.text();
    let chars: Vec<char> = text.chars().collect();
    let out = render(&doc, &fixture(&doc), Format::W3c);
    let v: Value = serde_json::from_str(&out).expect("valid JSON");

    assert_eq!(v["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(v["type"], "AnnotationCollection");
    assert_eq!(v["label"], doc.title().expect("the sample has a title"));
    assert_eq!(v["total"], 5);
    let collection_id = v["id"].as_str().expect("collection id");
    let page = &v["first"];
    assert_eq!(page["type"], "AnnotationPage");
    assert_eq!(page["partOf"], collection_id);
    assert_eq!(page["startIndex"], 0);
    assert_eq!(v["last"], page["id"]);
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);

    let expected = in_order(&doc);
    let source = "file:///home/reader/%E6%96%87%E7%AB%A0/%E5%B0%8F%E7%BA%A2%E4%B9%A6%20%E7%94%B5%E5%95%86.txt";
    for (item, a) in items.iter().zip(&expected) {
        let what = &a.id;
        assert_eq!(item["id"], format!("urn:pizhu:annotation:{}", a.id));
        assert_eq!(item["type"], "Annotation");
        assert_eq!(item["created"], a.created.as_str());
        assert_eq!(item["modified"], a.modified.as_str());
        let motivation = if a.note.is_empty() {
            "highlighting"
        } else {
            "commenting"
        };
        assert_eq!(item["motivation"], motivation, "{what}");

        // Bodies: the note (commenting), then one per tag (tagging).
        let bodies: Vec<&Value> = item["body"]
            .as_array()
            .map(|b| b.iter().collect())
            .unwrap_or_default();
        assert_eq!(
            bodies.len(),
            usize::from(!a.note.is_empty()) + a.tags.len(),
            "{what}"
        );
        let mut bodies = bodies.into_iter();
        if !a.note.is_empty() {
            let b = bodies.next().expect("note body");
            assert_eq!(b["type"], "TextualBody");
            assert_eq!(b["purpose"], "commenting");
            assert_eq!(b["value"], a.note.as_str());
            assert_eq!(b["format"], "text/plain");
            let chinese = a
                .note
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert_eq!(b["language"].as_str(), chinese.then_some("zh"), "{what}");
        }
        for (b, tag) in bodies.zip(&a.tags) {
            assert_eq!(b["type"], "TextualBody");
            assert_eq!(b["purpose"], "tagging");
            assert_eq!(b["value"], tag.as_str());
        }

        // Target: the document's IRI, a quote selector, a position selector (not for orphans).
        let target = &item["target"];
        assert_eq!(target["source"], source);
        assert_eq!(target["styleClass"], format!("pizhu-{}", a.colour.as_str()));
        assert_eq!(item["stylesheet"]["type"], "CssStylesheet");
        assert!(
            item["stylesheet"]["value"]
                .as_str()
                .is_some_and(|css| css.starts_with(&format!(".pizhu-{} {{", a.colour.as_str())))
        );
        let selectors = target["selector"].as_array().expect("selector array");
        let quote = &selectors[0];
        assert_eq!(quote["type"], "TextQuoteSelector");
        assert_eq!(quote["exact"], a.quote.exact.as_str());
        assert_eq!(quote["prefix"], a.quote.prefix.as_str());
        assert_eq!(quote["suffix"], a.quote.suffix.as_str());
        if a.orphan {
            assert_eq!(selectors.len(), 1, "an orphan has no position: {what}");
            continue;
        }
        assert_eq!(selectors.len(), 2);
        let position = &selectors[1];
        assert_eq!(position["type"], "TextPositionSelector");
        let start = position["start"].as_u64().expect("start") as usize;
        let end = position["end"].as_u64().expect("end") as usize;
        assert_eq!(start, code_points(text, a.start));
        assert_eq!(end, code_points(text, a.end));
        let cut: String = chars[start..end].iter().collect();
        assert_eq!(cut, quote["exact"].as_str().unwrap_or_default(), "{what}");
        // The prefix and suffix are what surrounds it.
        let before: String = chars[..start].iter().collect();
        let after: String = chars[end..].iter().collect();
        assert!(before.ends_with(quote["prefix"].as_str().unwrap_or_default()));
        assert!(after.starts_with(quote["suffix"].as_str().unwrap_or_default()));
    }
    // Only anno.jsonld terms: nothing outside the model's vocabulary.
    let keys: HashSet<&str> = [
        "@context",
        "id",
        "type",
        "label",
        "total",
        "generated",
        "generator",
        "name",
        "first",
        "last",
        "partOf",
        "startIndex",
        "items",
        "created",
        "modified",
        "motivation",
        "body",
        "purpose",
        "value",
        "format",
        "language",
        "target",
        "source",
        "styleClass",
        "selector",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "stylesheet",
    ]
    .into();
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    out.push(k);
                    walk(x, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut used = Vec::new();
    walk(&v, &mut used);
    for k in used {
        assert!(keys.contains(k), "{k} is not an anno.jsonld term");
    }
}

#[test]
fn w3c_of_no_annotations_is_an_empty_collection() {
    let doc = sample();
    let v: Value = serde_json::from_str(&render(&doc, &[], Format::W3c)).expect("JSON");
    assert_eq!(v["total"], 0);
    assert!(v.get("first").is_none());
    let parsed = import::parse("empty.jsonld", render(&doc, &[], Format::W3c).as_bytes())
        .expect("an empty collection imports");
    assert!(parsed.annotations.is_empty());
}

#[test]
fn positions_cut_exact_text_with_fullwidth_punctuation_and_astral_characters() {
    // The sample has ASCII commas only; this article has ， “” and a character outside the
    // Basic Multilingual Plane before the quote (one code point, four bytes, two UTF-16 units).
    let doc =
        Document::new("标题\n\n𠮷野家说：“我们，不做外卖。”然后呢？\n\n第二段，“引号”，逗号。\n");
    let quote = "“我们，不做外卖。”";
    let mut a = placed(&doc, "f1", quote, Colour::Yellow, 0);
    a.note = "全角，逗号".into();
    a.tags = vec!["外卖".into()];
    let annotations = vec![a.clone()];
    let v: Value = serde_json::from_str(&render(&doc, &annotations, Format::W3c)).expect("JSON");
    let selectors = &v["first"]["items"][0]["target"]["selector"];
    let (start, end) = (
        selectors[1]["start"].as_u64().expect("start") as usize,
        selectors[1]["end"].as_u64().expect("end") as usize,
    );
    let cut: String = doc.text().chars().skip(start).take(end - start).collect();
    assert_eq!(cut, quote);
    assert_eq!(start, code_points(doc.text(), a.start));

    let csv = render(&doc, &annotations, Format::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let row = reader.records().next().expect("a row").expect("parses");
    assert_eq!(&row[0], quote);
    assert_eq!(&row[4], ".外卖\n全角，逗号");
    assert_eq!(&row[5], start.to_string());
}

// ---------------------------------------------------------------------------------------------
// Readwise CSV.

#[test]
fn csv_reads_back_field_by_field() {
    let doc = sample();
    let out = render(&doc, &fixture(&doc), Format::Csv);
    assert!(!out.starts_with('\u{feff}'), "no byte order mark");
    assert!(out.starts_with("Highlight,Title,Author,URL,Note,Location,Location Type,Date\r\n"));
    // Every record ends in CRLF; line breaks inside fields are the notes' own.
    assert!(out.ends_with("\r\n"));
    assert_eq!(out.matches("\r\n").count(), 1 + 5);

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(out.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "Highlight",
            "Title",
            "Author",
            "URL",
            "Note",
            "Location",
            "Location Type",
            "Date"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("every row parses");
    let expected = in_order(&doc);
    assert_eq!(rows.len(), expected.len());
    let title = doc.title().expect("title");
    for (row, a) in rows.iter().zip(&expected) {
        assert_eq!(row.len(), 8);
        assert_eq!(&row[0], a.quote.exact);
        assert_eq!(&row[1], title);
        assert_eq!(&row[2], "");
        assert_eq!(&row[3], "");
        let tags: Vec<String> = a
            .tags
            .iter()
            .map(|t| format!(".{}", t.replace(' ', "-")))
            .collect();
        let note = match (tags.is_empty(), a.note.is_empty()) {
            (true, _) => a.note.clone(),
            (false, true) => tags.join(" "),
            (false, false) => format!("{}\n{}", tags.join(" "), a.note),
        };
        assert_eq!(&row[4], note, "{}", a.id);
        if a.orphan {
            assert_eq!(&row[5], "");
            assert_eq!(&row[6], "");
        } else {
            assert_eq!(&row[5], code_points(doc.text(), a.start).to_string());
            assert_eq!(&row[6], "order");
        }
        let date = a.created[..19].replace('T', " ");
        assert_eq!(&row[7], date);
    }
    // The Chinese tags and the multi-line note with quotes and commas survived.
    assert_eq!(&rows[3][4], format!(".电商 .用户心智\n{NOTE_A}"));
}

/// An article with a byline under its title: `作者：…` and a source.
const BYLINED: &str = "编辑部的故事\n作者：张三  来源：新华社\n2026-01-30 00:37\n\n\
    第一段正文，小红书的故事从这里开始。\n\n第二段正文。\n";

#[test]
fn the_byline_is_the_author_in_csv_and_markdown() {
    let doc = Document::new(BYLINED);
    assert_eq!(doc.author(), Some("张三"));
    let list = [placed(
        &doc,
        "00000000000000a1",
        "小红书的故事",
        Colour::Yellow,
        1,
    )];
    let csv = render(&doc, &list, Format::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1], "编辑部的故事");
    assert_eq!(&rows[0][2], "张三");
    let md = render(&doc, &list, Format::Markdown);
    assert!(
        md.starts_with("---\ntitle: \"编辑部的故事\"\nauthor: \"张三\"\n"),
        "{md}"
    );
    // The sample names no author (its meta line 创始人 is not clearly a byline): no field.
    let sample = sample();
    assert!(!render(&sample, &[], Format::Markdown).contains("\nauthor:"));
}

#[test]
fn markdown_names_each_highlights_colour() {
    let doc = sample();
    let md = render(&doc, &fixture(&doc), Format::Markdown);
    // In document order: C (yellow), D (purple), B (blue), A (green), then the orphan (pink).
    let colours: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("colour: "))
        .collect();
    assert_eq!(colours, ["yellow", "purple", "blue", "green", "pink"]);
    // Right under its quote.
    assert!(
        md.contains("> 小红书还有机会成为大厂吗?\n\ncolour: yellow\n\n"),
        "{md}"
    );
}

#[test]
fn no_entities_leaves_out_the_markdown_section_and_the_json_list() {
    let doc = sample();
    let list = fixture(&doc);
    let entities = entities(&doc);
    let input = ExportInput {
        doc: &doc,
        path: Some(PATH),
        annotations: &list,
        document_notes: &[],
        entities: &entities,
        corrections: &[],
        exported: EXPORTED,
        zone: &jiff::tz::TimeZone::UTC,
    };
    let off = export::Options { entities: false };
    let full = export::render(Format::Markdown, &input);
    let md = export::render_with(Format::Markdown, &input, off);
    assert!(full.contains("## 实体 Entities"));
    assert!(
        !md.contains("实体") && !md.contains("字节跳动 (字节)"),
        "{md}"
    );
    // Everything before the section is as it was.
    let cut = full.find("\n\n## 实体 Entities").expect("the section");
    assert_eq!(md, format!("{}\n", &full[..cut]));
    assert!(md.ends_with("原文已删除\n"), "{md}");

    let json: Value =
        serde_json::from_str(&export::render_with(Format::Json, &input, off)).expect("JSON");
    assert_eq!(json["entities"], serde_json::json!([]));
    assert_eq!(json["annotations"].as_array().map(Vec::len), Some(5));
    // W3C and CSV carry no entities either way.
    for format in [Format::W3c, Format::Csv] {
        assert_eq!(
            export::render_with(format, &input, off),
            export::render(format, &input)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// JSON.

#[test]
fn json_has_every_field() {
    let doc = sample();
    let v: Value = serde_json::from_str(&render(&doc, &fixture(&doc), Format::Json)).expect("JSON");
    assert_eq!(v["format"], "pizhu");
    assert_eq!(v["version"], 1);
    assert_eq!(v["exported"], EXPORTED);
    assert_eq!(v["document"]["hash"], doc.hash());
    assert_eq!(v["document"]["path"], PATH);
    assert_eq!(v["document"]["paragraphs"], doc.paragraph_count());
    assert_eq!(v["document"]["length_chars"], doc.text().chars().count());
    let list = v["annotations"].as_array().expect("annotations");
    for (j, a) in list.iter().zip(in_order(&doc)) {
        assert_eq!(j["id"], a.id.as_str());
        assert_eq!(j["colour"], a.colour.as_str());
        assert_eq!(j["orphan"], a.orphan);
        if a.orphan {
            assert!(j["start"].is_null() && j["end"].is_null());
        } else {
            assert_eq!(j["start"], code_points(doc.text(), a.start));
            assert_eq!(j["end"], code_points(doc.text(), a.end));
        }
    }
    assert_eq!(v["entities"][1]["name"], "字节跳动");
    assert_eq!(
        strs(&v["entities"][1]["aliases"])
            .into_iter()
            .collect::<HashSet<_>>(),
        HashSet::from(["字节跳动", "字节"])
    );
    assert_eq!(v["entities"][2]["tier"], "possible");
    assert_eq!(v["corrections"][0]["reject"]["name"], "中厂");
}

// ---------------------------------------------------------------------------------------------
// Import.

/// Imports `file` into `doc`'s record in `dir`, saves, and returns the report.
fn import_into(dir: &std::path::Path, doc: &Document, name: &str, file: &str) -> ImportSummary {
    let parsed = import::parse(name, file.as_bytes()).expect("parses");
    let store = Store::open(dir).expect("store");
    let mut record = store
        .load(doc.hash(), None, doc.title().unwrap_or_default())
        .expect("load")
        .record;
    let report = import::merge(
        doc.text(),
        &mut record.annotations,
        &record.deleted,
        parsed.annotations,
    );
    store.save(&mut record).expect("save");
    report
}

fn saved(dir: &std::path::Path, doc: &Document) -> Vec<Annotation> {
    Store::open(dir)
        .expect("store")
        .load(doc.hash(), None, "")
        .expect("load")
        .record
        .annotations
}

#[test]
fn json_and_w3c_round_trip_through_an_empty_data_dir() {
    let doc = sample();
    for format in [Format::Json, Format::W3c] {
        let first = render(&doc, &fixture(&doc), format);
        let dir = tempfile::tempdir().expect("temp dir");
        let report = import_into(dir.path(), &doc, "export", &first);
        assert_eq!(
            report,
            ImportSummary {
                added: 4,
                merged: 0,
                orphaned: 1,
                duplicates: 0,
                skipped: 0,
                document_notes: 0,
            },
            "{format}"
        );
        let again = render(&doc, &saved(dir.path(), &doc), format);
        assert_eq!(again, first, "{format} round trip");

        // Importing the same file again adds nothing and leaves the saved record as it was.
        let before = saved(dir.path(), &doc);
        let report = import_into(dir.path(), &doc, "export", &first);
        assert_eq!(
            report,
            ImportSummary {
                duplicates: 5,
                ..ImportSummary::default()
            }
        );
        assert_eq!(saved(dir.path(), &doc), before);
    }
}

#[test]
fn import_into_a_changed_article_re_anchors_and_orphans() {
    let doc = sample();
    let file = render(&doc, &fixture(&doc), Format::Json);
    // A paragraph added near the top (everything after it moves), D's sentence rewritten.
    let edited = doc
        .text()
        .replacen(
            "作为一款月活超3亿",
            "这是新加的一段,所有批注都要往后移。\n\n作为一款月活超3亿",
            1,
        )
        .replacen(QUOTE_D, "字节跳动一直在向业内展示流量能换来什么", 1);
    let changed = Document::new(&edited);
    let dir = tempfile::tempdir().expect("temp dir");
    let report = import_into(dir.path(), &changed, "x.json", &file);
    assert_eq!(
        report,
        ImportSummary {
            added: 3,
            merged: 0,
            orphaned: 2,
            duplicates: 0,
            skipped: 0,
            document_notes: 0,
        }
    );
    let list = saved(dir.path(), &changed);
    let text = changed.text();
    for a in &list {
        match a.id.as_str() {
            "00000000000000d4" | "00000000000000e5" => assert!(a.orphan, "{}", a.id),
            _ => {
                assert!(!a.orphan, "{}", a.id);
                assert_eq!(&text[a.start..a.end], a.quote.exact);
            }
        }
    }
    let a = list.iter().find(|a| a.id == "00000000000000a1").expect("A");
    assert_eq!(a.quote.exact, QUOTE_A);
    assert_eq!(a.note, NOTE_A);
    assert_eq!(a.colour, Colour::Green);
    // The orphan kept its quote; D's quote is the one it was exported with.
    let d = list.iter().find(|a| a.id == "00000000000000d4").expect("D");
    assert_eq!(d.quote.exact, QUOTE_D);
}

#[test]
fn newer_versions_and_the_same_passage_merge() {
    let doc = sample();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut list = fixture(&doc);
    import_into(
        dir.path(),
        &doc,
        "first",
        &render(&doc, &list, Format::Json),
    );
    // A newer edit of A, an older one of B (ignored), and C highlighted again by someone else.
    for a in &mut list {
        match a.id.as_str() {
            "00000000000000a1" => {
                a.note = "改过的笔记".into();
                a.modified = "2026-11-27T00:00:00.000Z".into();
            }
            "00000000000000b2" => {
                a.note = "旧的".into();
                a.modified = "2020-01-01T00:00:00.000Z".into();
            }
            "00000000000000c3" => {
                a.id = "someone-elses-id".into();
                a.tags = vec!["标题".into()];
            }
            _ => {}
        }
    }
    let report = import_into(
        dir.path(),
        &doc,
        "second",
        &render(&doc, &list, Format::W3c),
    );
    assert_eq!(
        report,
        ImportSummary {
            added: 0,
            merged: 2,
            orphaned: 0,
            duplicates: 3,
            skipped: 0,
            document_notes: 0,
        }
    );
    let now = saved(dir.path(), &doc);
    assert_eq!(now.len(), 5);
    let by_id = |id: &str| now.iter().find(|a| a.id == id).expect("present");
    assert_eq!(by_id("00000000000000a1").note, "改过的笔记");
    assert_eq!(by_id("00000000000000b2").note, "");
    assert_eq!(by_id("00000000000000c3").tags, ["标题"]);
}

#[test]
fn a_foreign_w3c_annotation_imports() {
    // As another tool might write it: one Annotation, a single selector object, a plain
    // string body, no styleClass.
    let doc = sample();
    let file = r#"{
      "@context": "http://www.w3.org/ns/anno.jsonld",
      "id": "http://example.org/anno/1",
      "type": "Annotation",
      "created": "2026-01-01T00:00:00Z",
      "body": [{"type": "TextualBody", "value": "好句子"},
               {"type": "TextualBody", "purpose": "tagging", "value": "收藏"}],
      "target": {"source": "http://example.org/article",
                 "selector": {"type": "TextQuoteSelector", "exact": "国民APP"}}
    }"#;
    let dir = tempfile::tempdir().expect("temp dir");
    let report = import_into(dir.path(), &doc, "foreign.jsonld", file);
    assert_eq!(report.added, 1);
    let a = &saved(dir.path(), &doc)[0];
    assert_eq!(a.id, "http://example.org/anno/1");
    assert_eq!(&doc.text()[a.start..a.end], "国民APP");
    assert_eq!(a.note, "好句子");
    assert_eq!(a.tags, ["收藏"]);
    assert_eq!(a.modified, "2026-01-01T00:00:00.000Z", "stored normalized");
}

#[test]
fn bad_files_are_refused_before_anything_changes() {
    let cases: &[(&str, &str)] = &[
        ("[1, 2", "x.json: not JSON ("),
        (
            r#"{"hello": "world"}"#,
            r#"x.json: not a pizhu or W3C annotation export (no "items"/"annotations")"#,
        ),
        (
            r#"{"format": "pizhu", "version": 1, "annotations": [{"id": "a"}]}"#,
            "x.json: annotations[0]: missing field `quote`",
        ),
        (
            r#"{"type": "AnnotationCollection", "total": 1, "first": {"type": "AnnotationPage",
               "items": [{"type": "Annotation", "id": "u:1", "target": "http://x"}]}}"#,
            "x.json: annotation 1 (u:1): its target has no selector",
        ),
        (
            r#"{"type": "AnnotationCollection", "total": 9, "first": "http://x/page1"}"#,
            "x.json: the collection links to its pages",
        ),
        (
            r#"{"format": "pizhu", "version": 2, "annotations": []}"#,
            "x.json: written by a newer pizhu (version 2)",
        ),
    ];
    for (file, want) in cases {
        let e = import::parse("x.json", file.as_bytes())
            .expect_err(file)
            .to_string();
        assert!(e.starts_with(want), "{e:?} should start with {want:?}");
        assert!(!e.contains('\n'), "one line: {e:?}");
    }
}
