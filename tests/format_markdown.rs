//! The Markdown reader on whole documents: snapshots of the blocks and styles it makes of the
//! fixtures, and `pizhu cat` showing them without a trace of markup. Every run of the binary
//! gets its own empty config and data dir.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::sandbox::Sandbox;
use std::process::Output;

use pizhu::document::BlockKind;
use pizhu::formats::{self, InputFormat};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/markdown");

/// Markup that must never reach the reader.
const MARKUP: &[&str] = &[
    "---", "title:", "**", "](", "```", "<p", "<br", "[^", "- [x]",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn dump(name: &str) -> String {
    let bytes = std::fs::read(fixture(name)).expect("read fixture");
    let read = formats::read(&bytes, InputFormat::Markdown, None).expect("read as Markdown");
    read.doc.dump()
}

#[test]
fn blog_snapshot() {
    insta::assert_snapshot!("blog", dump("blog.md"));
}

#[test]
fn novel_snapshot() {
    insta::assert_snapshot!("novel", dump("novel.md"));
}

#[test]
fn the_format_is_detected_from_the_name() {
    let path = fixture("blog.md");
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(formats::detect(Some(&path), &bytes), InputFormat::Markdown);
    let doc = formats::read(&bytes, InputFormat::Markdown, None)
        .unwrap()
        .doc;
    assert_eq!(doc.title(), Some("用 Rust 寫一個終端機閱讀器"));
    assert_eq!(doc.author(), Some("林小雨"));
    assert_eq!(doc.info().tags, ["Rust", "終端機", "中文排版"]);
    // The heading that repeats the title is not shown twice.
    let titles = doc
        .blocks()
        .iter()
        .enumerate()
        .filter(|(i, _)| doc.block_text(*i) == "用 Rust 寫一個終端機閱讀器")
        .count();
    assert_eq!(titles, 1);
    assert_eq!(
        doc.blocks()
            .iter()
            .filter(|b| b.kind == BlockKind::Code)
            .count(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// The binary

impl Sandbox {
    /// `pizhu <args> --config C --data-dir D`, with the pizhu environment cleared (the
    /// global options last, as in tests/cli.rs).
    fn run(&self, args: &[&str]) -> Output {
        self.output(args)
    }

    /// `pizhu cat -w <width> <path>`: its stdout, after checking it succeeded quietly.
    fn cat(&self, width: u16, path: &Path, extra: &[&str]) -> String {
        let width = width.to_string();
        let mut args = vec!["cat", "-w", &width];
        args.extend_from_slice(extra);
        args.push(path.to_str().expect("UTF-8 path"));
        let out = self.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "pizhu failed: {stderr}");
        assert_eq!(stderr, "", "unexpected stderr");
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }
}

fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[track_caller]
fn assert_no_markup(out: &str) {
    for markup in MARKUP {
        assert!(!out.contains(markup), "{markup:?} in the output:\n{out}");
    }
}

/// Asserts that every one of `lines` is in `out`, however the rows were wrapped.
#[track_caller]
fn assert_has(out: &str, lines: &[&str]) {
    // Rows joined up again, without the quote bars drawn in their margins.
    let rows: String = out
        .lines()
        .map(|l| l.trim_start_matches(['│', ' ', '\u{3000}']))
        .collect();
    let flat = without_whitespace(&rows);
    for line in lines {
        assert!(
            flat.contains(&without_whitespace(line)),
            "{line:?} missing from the output:\n{out}"
        );
    }
}

#[test]
fn cat_shows_the_blog_without_markup() {
    let sb = Sandbox::new();
    for width in [40, 80] {
        let out = sb.cat(width, &fixture("blog.md"), &[]);
        assert_no_markup(&out);
        assert!(!out.contains("draft"), "front matter shown:\n{out}");
        assert!(!out.contains("註解"), "an HTML comment shown:\n{out}");
        assert_eq!(out.lines().next(), Some("用 Rust 寫一個終端機閱讀器"));
        assert_eq!(out.matches("用 Rust 寫一個終端機閱讀器").count(), 1);
        assert_has(
            &out,
            &[
                "作者：林小雨",
                "2024-05-01",
                "标签：Rust、終端機、中文排版",
                // Hard-wrapped lines joined, styles dropped.
                "終端機安靜又專注，正好適合慢慢讀完一篇文章。",
                "use unicode_width::UnicodeWidthStr;",
                "fn main() {",
                "let line = \"你好，world\";",
                "println!(\"{}\", line.width());",
                "• 快：開啟檔案不到一秒",
                "◦ 不需要圖形介面",
                "☑ 依顯示寬度換行",
                "☐ 支援直書",
                "3. 最後才讓它快",
                "[图: 終端機截圖：左邊是目錄，右邊是正文]",
                "字元範例寬度",
                "只算字元數[1]",
                "[1] 嚴格來說",
                "別忘了 <Tab> 字元。",
                "https://example.org/reader",
            ],
        );
    }
}

#[test]
fn cat_shows_the_novel_without_markup() {
    let sb = Sandbox::new();
    for width in [40, 80] {
        let out = sb.cat(width, &fixture("novel.md"), &[]);
        assert_no_markup(&out);
        assert!(!out.contains('#'), "heading marks shown:\n{out}");
        assert!(!out.contains("> "), "quote marks shown:\n{out}");
        assert_eq!(out.lines().next(), Some("灯塔守夜人"));
        assert_has(
            &out,
            &[
                "第一章　雾",
                "第三章　灯",
                // A paragraph hard-wrapped over three lines reads as one.
                "每天傍晚，他都要沿着一百零八级石阶爬上塔顶，擦亮那面铜镜，再点起灯。",
                "「周伯！周伯！」是邮差小林的声音，「有您的信！」",
                "“是急件！”小林说，“从城里寄来的，说一定要今天交到您手上。”",
                "我下个月回来。这次带着您的外孙女，她今年八岁了，整天问外公住的灯塔到底有多高。",
                "下个月，得把石阶再扫一遍。",
            ],
        );
    }
    // At 80 columns a joined line is not broken where the file broke it.
    let out = sb.cat(80, &fixture("novel.md"), &[]);
    assert!(out.contains("一百零八级石阶"), "{out}");
}

#[test]
fn input_format_forces_the_markdown_reader() {
    let sb = Sandbox::new();
    let md = std::fs::read_to_string(fixture("blog.md")).unwrap();
    let txt = sb.file("blog.txt", &md);
    // A .txt is plain text: the markup is shown as written.
    let plain = sb.cat(80, &txt, &[]);
    assert!(plain.contains("title:") && plain.contains("```"), "{plain}");
    // Unless Markdown is asked for.
    let out = sb.cat(80, &txt, &["--input-format", "markdown"]);
    assert_no_markup(&out);
    assert_eq!(out.lines().next(), Some("用 Rust 寫一個終端機閱讀器"));
    assert_has(&out, &["fn main() {", "作者：林小雨"]);
}
