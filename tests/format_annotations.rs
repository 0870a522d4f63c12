//! Annotations, search and export on documents read from Markdown and HTML: a highlight made
//! in the rendered text survives an edit of the file's markup, as it does for plain text.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::sandbox::Sandbox;

use pizhu::annotations::Annotation;
use pizhu::annotations::Snapshot;
use pizhu::document::Document;
use pizhu::formats;
use pizhu::session::{Place, Session};

const POST: &str = "---\ntitle: 终端里的中文阅读\nauthor: 林一\ndate: 2024-05-01\ntags: [阅读, 终端]\n---\n\n\
# 终端里的中文阅读\n\n第一段介绍**终端阅读**的好处，见[项目主页](https://example.com/pizhu)。\n\n\
## 排版\n\n第二段谈中文排版：标点不能出现在行首，引号不能留在行尾。\n\n\
```rust\nfn main() {}\n```\n\n第三段是结尾，说明批注可以导出。\n";

fn read(path: &Path) -> Document {
    let bytes = std::fs::read(path).unwrap();
    let format = formats::detect(Some(path), &bytes);
    formats::read(&bytes, format, None).unwrap().doc
}

/// `pizhu export PATH -f FORMAT` with a fixed export time: its stdout.
fn export(sandbox: &Sandbox, path: &Path, format: &str) -> String {
    let out = sandbox
        .command([
            "export".as_ref(),
            path.as_os_str(),
            "-f".as_ref(),
            std::ffi::OsStr::new(format),
        ])
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .expect("run pizhu");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Highlights `quote` in the document read from `path`, and saves it in `data`.
fn highlight(data: &Path, path: &Path, quote: &str) {
    let doc = read(path);
    let mut opened = Session::open(Some(data), &doc, Some(path));
    let start = doc.text().find(quote).expect("quote in the document");
    let mut list = opened.annotations.list.clone();
    let mut a = Annotation::new(doc.text(), start, start + quote.len(), Default::default());
    a.note = "要记住".into();
    list.push(a);
    let snapshot = Snapshot {
        generation: 1,
        list,
        deleted: Vec::new(),
        corrections: Vec::new(),
        document_notes: Vec::new(),
    };
    opened
        .session
        .save(Some(&snapshot), &Place::at(start))
        .expect("save");
}

#[test]
fn a_markdown_highlight_survives_an_edit_above_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("post.md");
    std::fs::write(&file, POST).unwrap();
    let doc = read(&file);
    assert_eq!(doc.info().format, "markdown");
    assert!(
        !doc.text().contains("**"),
        "markup is not text: {}",
        doc.text()
    );
    highlight(&data, &file, "标点不能出现在行首");

    // Edit the markup above the passage: a new paragraph with a link and emphasis.
    let edited = POST.replace(
        "## 排版",
        "新加的一段，*强调*一下，再放一个[链接](https://example.com/new)。\n\n## 排版",
    );
    std::fs::write(&file, &edited).unwrap();
    let doc = read(&file);
    let opened = Session::open(Some(&data), &doc, Some(&file));
    let list = &opened.annotations.list;
    assert_eq!(list.len(), 1);
    let a = &list[0];
    assert!(!a.orphan, "still anchored after the edit");
    assert_eq!(&doc.text()[a.start..a.end], "标点不能出现在行首");
}

#[test]
fn exports_of_a_markdown_post_quote_the_text_not_the_markup() {
    let sandbox = Sandbox::new();
    let file = sandbox.file("post.md", POST);
    highlight(&sandbox.data, &file, "终端阅读");
    let md = export(&sandbox, &file, "markdown");
    assert!(md.contains("title: \"终端里的中文阅读\""), "{md}");
    assert!(md.contains("author: \"林一\""), "{md}");
    assert!(md.contains("> 终端阅读"), "{md}");
    assert!(!md.contains("**终端阅读**"), "{md}");
}

#[test]
fn input_format_forces_a_reader() {
    let sandbox = Sandbox::new();
    let file = sandbox.file("post.txt", POST);
    let cat = |extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = extra.iter().map(std::ffi::OsStr::new).collect();
        args.extend([
            "cat".as_ref(),
            "-w".as_ref(),
            "60".as_ref(),
            file.as_os_str(),
        ]);
        sandbox.pizhu(args)
    };
    // A .txt is plain text: the markup shows.
    assert!(cat(&[]).contains("title: 终端里的中文阅读"));
    let forced = cat(&["--input-format", "markdown"]);
    assert!(!forced.contains("title:"), "{forced}");
    assert!(!forced.contains("**"), "{forced}");
    assert!(!forced.contains("```"), "{forced}");
    assert!(forced.starts_with("终端里的中文阅读\n"), "{forced}");
    assert!(forced.contains("  fn main() {}"), "{forced}");
    // An unknown format is a clear error.
    let out = sandbox.output([
        "--input-format".as_ref(),
        "pdf".as_ref(),
        "cat".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("expected text, markdown, html or epub"),
        "{err}"
    );
}

#[test]
fn stdin_is_sniffed_like_a_file() {
    use std::io::Write;
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .command(["cat", "-w", "60", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let page = "<!DOCTYPE html><html><head><title>页面</title></head><body>\
                <p>第一段&nbsp;正文&#x4e2d;文。</p><script>var x = '<p>脚本</p>';</script></body></html>";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("第一段 正文中文。"), "{text}");
    assert!(!text.contains("脚本"), "{text}");
    assert!(!text.contains("<"), "{text}");
}

#[test]
fn exports_of_an_epub_highlight_name_its_chapter() {
    let sandbox = Sandbox::new();
    let book = sandbox.file(
        "book.epub",
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/epub/sample.epub"),
        )
        .unwrap(),
    );
    let doc = read(&book);
    assert_eq!(doc.info().format, "epub");
    // A passage of the second chapter, as the reader shows it.
    let quote = "下雨的夜里最适合听故事";
    let at = doc.text().find(quote).expect("the passage is in the book");
    let chapter = doc.chapter_at(at).expect("a chapter").to_string();
    assert_eq!(chapter, "第二章 雨夜");
    highlight(&sandbox.data, &book, quote);
    let export = |format: &str| export(&sandbox, &book, format);
    let md = export("markdown");
    let heading = md.find("## 第二章 雨夜").expect("a chapter heading");
    assert!(md[heading..].contains(quote), "{md}");
    let w3c: serde_json::Value = serde_json::from_str(&export("w3c")).unwrap();
    let selectors = &w3c["first"]["items"][0]["target"]["selector"];
    let fragment = selectors
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "FragmentSelector")
        .expect("a chapter selector");
    assert_eq!(fragment["value"], "第二章 雨夜");
    assert_eq!(fragment["refinedBy"]["exact"], quote);
    let csv = export("csv");
    assert!(csv.contains("【第二章 雨夜】"), "{csv}");
}
