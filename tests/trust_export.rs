//! Exports treat annotations as untrusted input (issue 10): notes, tags and quotes may come
//! from other people and other tools, so no export may carry something that acts when the
//! file is opened: spreadsheet formulas (CSV), HTML, links, embeds or structure (Markdown),
//! terminal controls (Markdown, CSV), raw C1 or bidi controls (JSON, W3C).

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
            document_notes: &[],
            entities: &[],
            corrections: &[],
            exported: EXPORTED,
            zone: &jiff::tz::TimeZone::UTC,
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

// ---------------------------------------------------------------------------------------------
// Markdown: HTML, links, embeds, structure, front matter, tags.

const HOSTILE_TITLE: &str =
    "<script>alert(1)</script> [x](javascript:alert(1)) ![[秘密]] **粗** _斜_ \"引\": --- #标签 #";
const HOSTILE_LINES: &str = "<img src=x onerror=alert(1)>\n# 标题\n- 列表\n> 引用\n[[维基链接]] ![[嵌入.png]]\n[点我](javascript:alert(1)) <javascript:alert(1)> <a href=\"javascript:x\">a</a>\n*强调* __粗__ ==高亮== ~~删除~~ %%注释%% $数学$ `代码` <%* tp.user.x() %>\n| 表 | 格 |\n---|---";

/// The Markdown body after the front matter.
fn body(md: &str) -> &str {
    let rest = md.strip_prefix("---\n").expect("front matter");
    &rest[rest.find("\n---\n").expect("front matter end") + 5..]
}

/// Characters of `text` that Markdown would read as syntax: not after a backslash escape.
fn unescaped(text: &str) -> Vec<char> {
    let mut found = Vec::new();
    let mut escaped = false;
    for c in text.chars() {
        if !escaped && matches!(c, '[' | ']' | '*' | '`' | '~' | '<' | '|' | '$') {
            found.push(c);
        }
        escaped = !escaped && c == '\\';
    }
    found
}

#[test]
fn markdown_escapes_html_links_embeds_and_emphasis_in_quotes_titles_and_notes() {
    let doc = Document::new(&format!("{HOSTILE_TITLE}\n\n正文第一段。\n"));
    assert_eq!(doc.title(), Some(HOSTILE_TITLE));
    let list = [orphan("a", HOSTILE_LINES, HOSTILE_LINES, &[])];
    let md = render(Format::Markdown, &doc, None, &list);
    let body = body(&md);
    assert_eq!(unescaped(body), [] as [char; 0], "{body}");
    for bad in ["<", "[[", "==", "%%", "**", "__"] {
        assert!(!body.contains(bad), "{bad:?} in {body}");
    }
    // Line starts: only pizhu's own headings and quote marks.
    for line in body.lines() {
        let line = line.strip_prefix("> ").unwrap_or(line);
        assert!(
            !(line.starts_with(['#', '>', '|', '`']) || line.starts_with("- ") || line == "---")
                || line.starts_with("## ")
                || line.starts_with("### ")
                || line.starts_with("# &lt;script"),
            "{line:?} in {body}"
        );
    }
    assert!(body.contains("# &lt;script>alert(1)&lt;/script> \\[x\\](javascript:alert(1)) !\\[\\[秘密\\]\\] \\*\\*粗\\*\\* \\_斜\\_ \"引\": --- \\#标签 \\#\n"), "{body}");
    assert!(
        body.contains("> \\# 标题  \n> \\- 列表  \n> \\> 引用  \n"),
        "{body}"
    );
    assert!(
        body.contains("\n\\# 标题  \n\\- 列表  \n\\> 引用  \n"),
        "{body}"
    );
    assert!(
        body.contains("\\[点我\\](javascript:alert(1)) &lt;javascript:alert(1)> &lt;a href="),
        "{body}"
    );
}

/// A YAML double-quoted value as pizhu writes it (`\"`, `\\`, `\n`, `\uXXXX`: JSON's escapes).
fn yaml_value(line: &str, key: &str) -> Option<String> {
    let v = line.strip_prefix(key)?;
    serde_json::from_str(v).ok()
}

#[test]
fn markdown_front_matter_values_cannot_break_out() {
    let title = "标题: \"引号\" --- \\ #x";
    let doc = Document::new(&format!("{title}\n\n正文第一段。\n"));
    let path = "/tmp/a\"b: c\n---\ntitle: 伪造\n.txt";
    let list = [orphan("a", "引文", "", &["t\"\n---", "x: y"])];
    let md = render(Format::Markdown, &doc, Some(path), &list);
    let front: Vec<&str> = md.lines().skip(1).take_while(|l| *l != "---").collect();
    assert_eq!(front.len(), 7, "{md}");
    assert_eq!(yaml_value(front[0], "title: ").as_deref(), Some(title));
    assert_eq!(
        yaml_value(front[1], "source: ").as_deref(),
        Some("/tmp/a\"b: c --- title: 伪造 .txt")
    );
    assert!(yaml_value(front[2], "document_hash: ").is_some());
    assert_eq!(
        yaml_value(front[3], "exported: ").as_deref(),
        // Shown in the reader's zone, UTC in these tests.
        Some(EXPORTED.replace(".000Z", "+00:00").as_str())
    );
    assert_eq!(front[4], "tags:");
    for line in &front[5..] {
        let tag = yaml_value(line, "  - ").expect("a quoted tag");
        assert!(is_obsidian_tag(&tag), "{tag:?}");
    }
}

/// What Obsidian takes as a tag: letters, digits, `_`, `-`, `/`, not digits only.
fn is_obsidian_tag(t: &str) -> bool {
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'))
        && !t.chars().all(|c| c.is_numeric())
}

#[test]
fn markdown_tags_stay_distinct_and_valid() {
    let doc = Document::new("标题\n\n正文第一段。\n");
    let tags = [
        "+t",
        "-t",
        "@t",
        "t",
        "#t",
        "user mind",
        "user-mind",
        "user_mind",
        "a_20_b",
        "a b",
        "2026",
        "电商：直播",
        "电商-直播",
    ];
    let list = [orphan("a", "引文", "", &tags)];
    let md = render(Format::Markdown, &doc, None, &list);
    let front: Vec<String> = md.lines().filter_map(|l| yaml_value(l, "  - ")).collect();
    let inline: Vec<&str> = body(&md)
        .lines()
        .find(|l| l.starts_with('#') && !l.starts_with("# ") && !l.starts_with("##"))
        .expect("a tag line")
        .split(' ')
        .map(|t| t.strip_prefix('#').expect("#tag"))
        .collect();
    assert_eq!(front, inline, "{md}");
    let distinct: std::collections::HashSet<&str> = inline.iter().copied().collect();
    assert_eq!(distinct.len(), tags.len(), "{inline:?}");
    for t in inline {
        assert!(is_obsidian_tag(t), "{t:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// JSON and W3C: C1 and bidi controls escaped.

/// A character JSON and W3C exports must not carry raw: C0, DEL, C1, ESC, bidi controls.
fn is_raw_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

#[test]
fn json_and_w3c_escape_c1_and_bidi_controls_and_round_trip() {
    let doc = Document::new("标题\n\n正文第一段。\n");
    let nasty = "a\u{9b}31m\u{202E}b\u{2066}c\u{0085}d\x1b[2J\u{2028}e";
    let list = [orphan(nasty, nasty, nasty, &[nasty])];
    for format in [Format::Json, Format::W3c] {
        let out = render(format, &doc, Some(nasty), &list);
        assert!(
            !out.chars().any(|c| is_raw_forbidden(c) && c != '\n'),
            "{format}: {out:?}"
        );
        for escaped in ["\\u009b", "\\u202e", "\\u2066", "\\u0085", "\\u001b"] {
            assert!(out.contains(escaped), "{format}: {escaped} in {out}");
        }
        let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        let (note, tag, exact) = match format {
            Format::Json => {
                let a = &v["annotations"][0];
                assert_eq!(a["id"], nasty);
                assert_eq!(v["document"]["path"], nasty);
                (&a["note"], &a["tags"][0], &a["quote"]["exact"])
            }
            _ => {
                let a = &v["first"]["items"][0];
                (
                    &a["body"][0]["value"],
                    &a["body"][1]["value"],
                    &a["target"]["selector"][0]["exact"],
                )
            }
        };
        assert_eq!(note, nasty, "{format}");
        assert_eq!(tag, nasty, "{format}");
        assert_eq!(exact, nasty, "{format}");
    }
}

#[test]
fn json_and_w3c_of_clean_input_escape_nothing_more() {
    // The export snapshots pin clean output byte for byte; Chinese and “” stay as they are.
    let doc = Document::new("标题\n\n正文第一段。\n");
    let list = [orphan("a", "引文 “中文”", "笔记\n第二行", &["电商"])];
    for format in [Format::Json, Format::W3c] {
        let out = render(format, &doc, None, &list);
        assert!(!out.contains("\\u"), "{format}: {out}");
        assert!(out.contains("引文 “中文”"), "{format}: {out}");
    }
}

// ---------------------------------------------------------------------------------------------
// Property: whatever the record holds, the exports stay inert.

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Every C0 and C1 control, DEL, the bidi controls and the line separators, one by one.
    fn controls() -> Vec<String> {
        let mut all: Vec<char> = ('\0'..='\u{1f}').chain('\u{7f}'..='\u{9f}').collect();
        all.extend(['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}']);
        all.extend(['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']);
        all.extend(['\u{200E}', '\u{200F}', '\u{61C}', '\u{2028}', '\u{2029}']);
        all.into_iter().map(String::from).collect()
    }

    /// Pieces of hostile text: controls, whole escape sequences, CJK, formula and Markdown
    /// starts, HTML, links, embeds.
    fn piece() -> impl Strategy<Value = String> {
        let sequences = vec![
            "\x1b]52;c;ZXZpbA==\x07",
            "\x1b[2J",
            "\x1bPqpayload\x1b\\",
            "\x1b]0;t\x1b\\",
            "\u{9b}31m",
            "\u{9d}8;;x\u{9c}",
            "\x1b[",
            "\x1b",
            "\r\n",
        ];
        let text = vec![
            "中",
            "文",
            "电商",
            "“引号”",
            "，",
            "。",
            "a",
            "Z",
            "7",
            " ",
            "\n",
            "\t",
            "\"",
            "'",
            ",",
            ":",
            "---",
            "=",
            "+",
            "-",
            "@",
            "#",
            ">",
            "*",
            "_",
            "`",
            "~",
            "|",
            "$",
            "%",
            "&",
            "!",
            "[",
            "]",
            "(",
            ")",
            "<",
            "\\",
            "/",
            "[[x]]",
            "![[y]]",
            "[a](javascript:alert(1))",
            "<script>",
            "<img onerror=x>",
            "<%",
            "==",
            "%%",
            "1. ",
            "- ",
            "    ",
        ];
        prop_oneof![
            3 => prop::sample::select(controls()),
            2 => prop::sample::select(sequences).prop_map(String::from),
            6 => prop::sample::select(text).prop_map(String::from),
        ]
    }

    fn hostile() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..12).prop_map(|v| v.concat())
    }

    /// A one-line field as the text exports clean it.
    fn clean_line(s: &str) -> String {
        pizhu::text::sanitize(s).replace('\n', " ")
    }

    fn guarded(cell: &str) -> String {
        if cell.starts_with(FORMULA_STARTS) {
            format!("'{cell}")
        } else {
            cell.to_string()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn exports_of_hostile_records_stay_inert(
            id in hostile(),
            exact in hostile(),
            note in hostile(),
            tags in prop::collection::vec(hostile(), 0..4),
            title in hostile(),
            path in hostile(),
        ) {
            let doc = Document::new(&format!("{title}\n\n正文第一段。\n"));
            let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
            let list = [orphan(&id, &exact, &note, &tag_refs)];

            // Markdown: no controls, no HTML, no unescaped syntax; tags distinct and valid.
            let md = render(Format::Markdown, &doc, Some(&path), &list);
            assert_clean(Format::Markdown, &md);
            let body = body(&md);
            prop_assert!(!body.contains('<'), "{}", body);
            prop_assert_eq!(unescaped(body), Vec::<char>::new(), "{}", body);
            let exported: Vec<String> = md
                .split("\n---\n")
                .next()
                .unwrap_or_default()
                .lines()
                .filter_map(|l| yaml_value(l, "  - "))
                .collect();
            let mut expected: Vec<String> = tags
                .iter()
                .map(|t| clean_line(t))
                .filter(|t| !t.is_empty())
                .collect();
            expected.sort();
            expected.dedup();
            prop_assert_eq!(exported.len(), expected.len(), "{:?} → {:?}", expected, exported);
            for t in &exported {
                prop_assert!(is_obsidian_tag(t), "{:?}", t);
            }

            // CSV: no controls but the record ends, no formulas, the highlight as cleaned.
            let out = render(Format::Csv, &doc, Some(&path), &list);
            assert_clean(Format::Csv, &out);
            prop_assert!(!out.replace("\r\n", "").contains('\r'));
            let rows = csv_rows(&out);
            prop_assert_eq!(rows.len(), 1);
            for cell in &rows[0] {
                prop_assert!(!cell.starts_with(FORMULA_STARTS), "{:?}", cell);
            }
            prop_assert_eq!(&rows[0][0], guarded(&pizhu::text::sanitize(&exact)));
            if tags.is_empty() {
                let clean = pizhu::text::sanitize(&note);
                prop_assert_eq!(&rows[0][4], guarded(clean.trim()));
            }

            // JSON and W3C: nothing invisible raw, every string back as it was.
            for format in [Format::Json, Format::W3c] {
                let out = render(format, &doc, Some(&path), &list);
                prop_assert!(
                    !out.chars().any(|c| is_raw_forbidden(c) && c != '\n'),
                    "{}: {:?}", format, out
                );
                let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
                if format == Format::Json {
                    let a = &v["annotations"][0];
                    prop_assert_eq!(&a["id"], &id);
                    prop_assert_eq!(&a["note"], &note);
                    prop_assert_eq!(&a["quote"]["exact"], &exact);
                    prop_assert_eq!(&v["document"]["path"], &path);
                    let back: Vec<String> = serde_json::from_value(a["tags"].clone()).expect("tags");
                    prop_assert_eq!(&back, &tags);
                } else {
                    let a = &v["first"]["items"][0];
                    prop_assert_eq!(&a["target"]["selector"][0]["exact"], &exact);
                    prop_assert_eq!(&a["id"], &format!("urn:pizhu:annotation:{id}"));
                }
            }
        }
    }
}
