//! EPUB books: the sample fixture read into the document model (a snapshot), chapters in
//! spine order with titles from the navigation document, and broken, missing and encrypted
//! books refused by the real binary with one clear line.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::sandbox::Sandbox;
use std::process::Output;

use common::epub::{self, Book};
use pizhu::document::{BlockKind, Document};
use pizhu::formats::{self, InputFormat};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/epub/sample.epub"
);

fn read(bytes: &[u8]) -> Document {
    assert_eq!(formats::detect(None, bytes), InputFormat::Epub);
    formats::read(bytes, InputFormat::Epub, None)
        .expect("the book reads")
        .doc
}

fn fixture() -> Vec<u8> {
    std::fs::read(FIXTURE)
        .expect("tests/fixtures/epub/sample.epub (PIZHU_WRITE_FIXTURES=1 writes it)")
}

fn chapter_titles(doc: &Document) -> Vec<&str> {
    doc.chapters().iter().map(|&c| doc.block_text(c)).collect()
}

#[test]
fn the_sample_book_as_blocks() {
    insta::assert_snapshot!(read(&fixture()).dump());
}

/// `PIZHU_WRITE_FIXTURES=1 cargo test --test format_epub` rewrites the fixture from the
/// helper; either way, the committed file and a freshly built one read the same.
#[test]
fn the_fixture_is_what_the_helper_builds() {
    let built = epub::sample().bytes();
    if std::env::var_os("PIZHU_WRITE_FIXTURES").is_some() {
        std::fs::write(FIXTURE, &built).expect("write the fixture");
    }
    let (committed, fresh) = (read(&fixture()), read(&built));
    assert_eq!(committed.dump(), fresh.dump());
    assert_eq!(committed.chapters(), fresh.chapters());
    assert_eq!(committed.text(), fresh.text());
}

#[test]
fn chapters_follow_the_spine_with_titles_from_the_navigation_document() {
    let doc = read(&fixture());
    // The files are ch_a, ch_b, ch_c; the spine reads ch_b, ch_c, ch_a.
    assert_eq!(chapter_titles(&doc), epub::SAMPLE_CHAPTERS);
    for &c in doc.chapters() {
        assert_eq!(doc.blocks()[c].kind, BlockKind::Heading { level: 1 });
    }
    // The second chapter has no heading of its own: its title is the navigation label.
    let xhtml = &epub::sample().chapters[3].xhtml;
    let body = xhtml.split("<body>").nth(1).unwrap();
    assert!(!body.contains("雨夜") && !body.contains("<h1"));
    // Each chapter's text is under its title.
    let at = doc.text().find("哑叔").unwrap();
    assert_eq!(doc.chapter_at(at), Some("第二章 雨夜"));
    let at = doc.text().find("表哥").unwrap();
    assert_eq!(doc.chapter_at(at), Some("第三章 归舟"));
    assert_eq!(doc.title(), Some(epub::SAMPLE_TITLE));
    assert_eq!(doc.author(), Some(epub::SAMPLE_AUTHOR));
}

#[test]
fn an_epub2_book_takes_its_titles_from_the_ncx() {
    let doc = read(&epub::sample_epub2().bytes());
    assert_eq!(chapter_titles(&doc), epub::SAMPLE_CHAPTERS);
}

#[test]
fn a_book_from_a_few_xhtml_strings() {
    let doc = read(
        &Book::of(&[
            ("序", "<p>短序。</p>"),
            (
                "正文",
                "<h1>正文</h1><ul><li>一</li><li>二</li></ul><pre>a  b</pre>",
            ),
        ])
        .bytes(),
    );
    assert_eq!(chapter_titles(&doc), ["序", "正文"]);
    assert_eq!(doc.text().matches("正文").count(), 1);
}

// ---------------------------------------------------------------------------------------------
// The binary.

impl Sandbox {
    fn run(&self, args: &[&str], path: &Path) -> Output {
        let mut args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        args.push(path.as_os_str());
        self.output(args)
    }
}

/// Exit code 2, nothing on stdout, one line on stderr: `NAME: message`, no panic.
#[track_caller]
fn refused(out: &Output, path: &Path, message: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty());
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    let expected = format!("{}: {message}", path.display());
    assert!(
        err.contains(&expected),
        "{err:?} should contain {expected:?}"
    );
}

#[test]
fn a_broken_zip_is_refused() {
    let sb = Sandbox::new();
    let bytes = fixture();
    let path = sb.file("broken.epub", &bytes[..bytes.len() * 2 / 3]);
    refused(
        &sb.run(&["cat"], &path),
        &path,
        "not a readable EPUB: the ZIP archive is damaged (",
    );
}

#[test]
fn a_book_without_its_package_document_is_refused() {
    let sb = Sandbox::new();
    let path = sb.file(
        "no-opf.epub",
        epub::sample().without("OEBPS/content.opf").bytes(),
    );
    refused(
        &sb.run(&["cat"], &path),
        &path,
        "not a readable EPUB: no package document (OPF): OEBPS/content.opf",
    );
}

#[test]
fn an_encrypted_book_is_refused() {
    let sb = Sandbox::new();
    let mut book = epub::sample();
    let encrypted: Vec<String> = book
        .chapters
        .iter()
        .map(|c| format!("OEBPS/{}", c.path))
        .collect();
    let encrypted: Vec<&str> = encrypted.iter().map(String::as_str).collect();
    book = book.file(
        "META-INF/encryption.xml",
        epub::encryption_xml(&encrypted, &[]),
    );
    // What DRM leaves in a chapter: bytes that are not markup.
    for c in &mut book.chapters {
        c.xhtml = "\u{1}\u{7f}ÿ\u{2}".repeat(64);
    }
    let path = sb.file("drm.epub", book.bytes());
    refused(
        &sb.run(&["cat"], &path),
        &path,
        "is protected by DRM (encrypted content); pizhu can only open DRM-free books",
    );
}

#[test]
fn cat_shows_text_without_markup_and_every_chapter_title_in_order() {
    let sb = Sandbox::new();
    let path = sb.file("江村杂记.epub", fixture());
    for width in ["40", "80"] {
        let out = sb.run(&["cat", "-w", width], &path);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert_eq!(err, "");
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        for markup in ["<p", "</", "xmlns", "&#", "&amp;", "<?xml"] {
            assert!(
                !text.contains(markup),
                "{markup:?} in output at width {width}:\n{text}"
            );
        }
        let mut from = 0;
        for title in epub::SAMPLE_CHAPTERS {
            let at = text[from..]
                .find(title)
                .unwrap_or_else(|| panic!("{title} after byte {from} at width {width}:\n{text}"));
            from += at + title.len();
        }
        assert!(text.contains("江村杂记"));
        assert!(text.contains("「周伯，今天水大不大？」"));
    }
}
