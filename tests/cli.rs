//! The command line as a user meets it: exit codes, error messages, `cat`, `wrap`, encodings,
//! escape sequences and pipes. Every run gets its own empty config and data dir.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::sandbox::Sandbox;
use encoding_rs::{BIG5, GB18030};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

const BIN: &str = env!("CARGO_BIN_EXE_pizhu");
const SAMPLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/xiaohongshu.txt");
const TITLE: &str = "电商业务依旧未跻身一线阵营";

impl Sandbox {
    fn run(&self, args: &[&str], stdin: &[u8]) -> Output {
        run_with_stdin(self.command(args), stdin)
    }

    fn run_path(&self, args: &[&str], path: &Path) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        all.push(path.to_str().expect("temp paths are UTF-8"));
        self.run(&all, b"")
    }
}

fn run_with_stdin(mut cmd: Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pizhu");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    // Write from another thread so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for pizhu");
    writer.join().expect("stdin writer");
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sample() -> String {
    std::fs::read_to_string(SAMPLE_PATH).expect("read the bundled sample")
}

fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A successful run with nothing on stderr; returns stdout.
#[track_caller]
fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "pizhu failed with {:?}: {}",
        out.status,
        stderr(out)
    );
    assert_eq!(stderr(out), "", "unexpected stderr");
    stdout(out)
}

/// Exit code 2, nothing on stdout, and exactly one line on stderr that mentions `needle`
/// and shows no panic or backtrace.
#[track_caller]
fn bad_input(out: &Output, needle: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(
        out.stdout.is_empty(),
        "stdout should be empty: {:?}",
        stdout(out)
    );
    assert_one_clean_line(&err, needle);
    err
}

#[track_caller]
fn assert_one_clean_line(err: &str, needle: &str) {
    assert!(!err.contains("panicked"), "panic: {err}");
    assert!(!err.contains("backtrace"), "backtrace: {err}");
    assert!(
        err.ends_with('\n'),
        "stderr should be a whole line: {err:?}"
    );
    assert_eq!(err.lines().count(), 1, "stderr should be one line: {err:?}");
    assert!(
        err.contains(needle),
        "stderr should name {needle:?}: {err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 1. Bad input

#[test]
fn missing_file_is_bad_input() {
    let sb = Sandbox::new();
    let missing = sb.dir.path().join("没有这个文件.txt");
    let name = missing.to_str().unwrap();
    for args in [&["cat"][..], &[]] {
        let out = sb.run_path(args, &missing);
        bad_input(&out, name);
    }
}

#[test]
fn directory_is_bad_input() {
    let sb = Sandbox::new();
    let out = sb.run_path(&["cat"], sb.dir.path());
    let err = bad_input(&out, sb.dir.path().to_str().unwrap());
    assert!(err.contains("directory"), "{err}");
}

#[test]
fn binary_file_is_bad_input() {
    let sb = Sandbox::new();
    let png = sb.file(
        "picture.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x1f\x15\xc4\x89",
    );
    for args in [&["cat"][..], &[]] {
        let out = sb.run_path(args, &png);
        let err = bad_input(&out, png.to_str().unwrap());
        assert!(err.contains("binary"), "{err}");
    }
}

#[test]
fn undecodable_noise_is_bad_input() {
    let sb = Sandbox::new();
    // Deterministic high-byte noise with no NUL bytes, so the NUL check cannot catch it.
    let mut x: u32 = 0x2545_f491;
    let noise: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x as u8) | 0x80
        })
        .collect();
    assert!(!noise.contains(&0));
    let path = sb.file("noise.txt", &noise);
    let out = sb.run_path(&["cat"], &path);
    bad_input(&out, path.to_str().unwrap());
}

#[test]
fn unknown_encoding_is_bad_input() {
    let sb = Sandbox::new();
    let out = sb.run(&["cat", SAMPLE_PATH, "--encoding", "klingon"], b"");
    // The message names the encoding that is wrong (the file itself is fine).
    let err = bad_input(&out, "klingon");
    assert!(
        err.contains("gb18030"),
        "should suggest real encodings: {err}"
    );
}

#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;

    let sb = Sandbox::new();
    let path = sb.file("locked.txt", sample().as_bytes());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = sb.run_path(&["cat"], &path);
    if std::fs::read(&path).is_ok() {
        // Running as root (common in containers and CI): mode 000 does not stop reads, so
        // there is no error to check. The file must then simply be printed.
        assert!(ok(&out).starts_with(TITLE));
        return;
    }
    // A file the user named but cannot read is their input at fault: exit 2 like the other
    // bad paths (DESIGN.md §3). Only checkable when not root.
    let err = bad_input(&out, path.to_str().unwrap());
    assert!(err.contains("permission denied"), "{err}");
}

#[test]
fn bad_config_names_file_line_and_column() {
    let sb = Sandbox::new();
    let bad = sb.file("bad.ron", b"(max_width: \"wide\")\n");
    let mut cmd = Command::new(BIN);
    cmd.args(["cat", SAMPLE_PATH, "--config"])
        .arg(&bad)
        .arg("--data-dir")
        .arg(&sb.data)
        .env_remove("PIZHU_CONFIG")
        .env_remove("PIZHU_DATA_DIR");
    let out = run_with_stdin(cmd, b"");
    let err = bad_input(&out, bad.to_str().unwrap());
    assert!(
        err.contains(&format!("{}:1:", bad.display())),
        "should give line and column: {err}"
    );
    let after = err.split(&format!("{}:1:", bad.display())).nth(1).unwrap();
    assert!(
        after.starts_with(|c: char| c.is_ascii_digit()),
        "should give the column: {err}"
    );

    // A later line is reported as that line.
    let bad3 = sb.file(
        "bad3.ron",
        b"// settings\n(\n    indent: true,\n    max_width: \"wide\",\n)\n",
    );
    let mut cmd = Command::new(BIN);
    cmd.args(["cat", SAMPLE_PATH, "--config"])
        .arg(&bad3)
        .env_remove("PIZHU_CONFIG")
        .env_remove("PIZHU_DATA_DIR");
    let out = run_with_stdin(cmd, b"");
    bad_input(&out, &format!("{}:4:", bad3.display()));
}

#[test]
fn missing_config_is_bad_input() {
    let sb = Sandbox::new();
    let missing = sb.dir.path().join("nope.ron");
    let mut cmd = Command::new(BIN);
    cmd.args(["cat", SAMPLE_PATH, "--config"])
        .arg(&missing)
        .env_remove("PIZHU_CONFIG")
        .env_remove("PIZHU_DATA_DIR");
    let out = run_with_stdin(cmd, b"");
    bad_input(&out, missing.to_str().unwrap());
}

#[test]
fn config_from_the_environment_is_used() {
    let sb = Sandbox::new();
    let bad = sb.file("env-bad.ron", b"(max_width: \"wide\")");
    let mut cmd = Command::new(BIN);
    cmd.args(["cat", SAMPLE_PATH])
        .env("PIZHU_CONFIG", &bad)
        .env("PIZHU_DATA_DIR", &sb.data);
    let out = run_with_stdin(cmd, b"");
    bad_input(&out, bad.to_str().unwrap());
}

/// `pizhu --config FILE cat …` (global options before the subcommand) is the usual way to
/// write it, but clap then takes `cat` for the FILE argument.
#[test]
fn global_options_before_the_subcommand() {
    let sb = Sandbox::new();
    let mut cmd = Command::new(BIN);
    cmd.arg("--config")
        .arg(&sb.config)
        .args(["cat", "--width", "40", SAMPLE_PATH])
        .env_remove("PIZHU_CONFIG")
        .env_remove("PIZHU_DATA_DIR");
    let out = run_with_stdin(cmd, b"");
    assert!(ok(&out).starts_with(TITLE));

    let mut cmd = Command::new(BIN);
    cmd.args(["--ambiguous-wide", "wrap", "--width", "8"]);
    let out = run_with_stdin(cmd, "他说“好”\n".as_bytes());
    assert_eq!(ok(&out), "他说\n“好”\n");
}

// ---------------------------------------------------------------------------------------------
// 2. cat: widths and nothing dropped

#[test]
fn cat_rows_fit_the_width_and_keep_every_character() {
    let sb = Sandbox::new();
    let article = without_whitespace(&sample());
    for width in [1usize, 2, 3, 5, 9, 16, 33, 40, 60, 80, 121] {
        let out = sb.run(&["cat", "--width", &width.to_string(), SAMPLE_PATH], b"");
        let text = ok(&out);
        assert!(text.ends_with('\n'), "width {width}");
        for row in text.lines() {
            let w = row.width();
            // Rule 7: a lone grapheme wider than the whole line is the only overflow allowed.
            let lone = row.graphemes(true).count() == 1;
            assert!(
                w <= width || lone,
                "width {width}: row {row:?} is {w} columns"
            );
        }
        assert_eq!(
            without_whitespace(&text),
            article,
            "width {width}: text was dropped or changed"
        );
    }
}

#[test]
fn cat_indents_paragraphs_with_ideographic_spaces() {
    let sb = Sandbox::new();
    let text = ok(&sb.run(&["cat", "--width", "60", SAMPLE_PATH], b""));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "电商业务依旧未跻身一线阵营,小红书还有机会成为大厂吗?"
    );
    assert_eq!(lines[1], "创始人");
    assert_eq!(lines[2], "2026-01-30 00:37:22");
    assert_eq!(lines[3], "");
    assert!(
        lines[4].starts_with("\u{3000}\u{3000}作为一款月活超3亿的国民APP"),
        "{:?}",
        lines[4]
    );
}

#[test]
fn cat_of_stdin_matches_cat_of_the_file() {
    let sb = Sandbox::new();
    let from_file = ok(&sb.run(&["cat", "--width", "50", SAMPLE_PATH], b""));
    let from_stdin = ok(&sb.run(&["cat", "--width", "50", "-"], sample().as_bytes()));
    assert_eq!(from_stdin, from_file);
}

// ---------------------------------------------------------------------------------------------
// 3. Encodings

fn cat60(sb: &Sandbox, path: &Path) -> Vec<u8> {
    let out = sb.run_path(&["cat", "--width", "60"], path);
    ok(&out);
    out.stdout
}

#[test]
fn gb18030_utf16_and_bom_files_print_like_utf8() {
    let sb = Sandbox::new();
    let text = sample();
    let expected = cat60(&sb, Path::new(SAMPLE_PATH));
    assert!(expected.starts_with(TITLE.as_bytes()));

    let (gb, _, unmappable) = GB18030.encode(&text);
    assert!(!unmappable);
    assert_ne!(&gb[..], text.as_bytes(), "the fixture must not be UTF-8");
    let gb_path = sb.file("gb18030.txt", &gb);
    assert!(
        cat60(&sb, &gb_path) == expected,
        "GB18030 output differs from UTF-8"
    );

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let utf16_path = sb.file("utf16le.txt", &utf16);
    assert!(
        cat60(&sb, &utf16_path) == expected,
        "UTF-16LE output differs from UTF-8"
    );

    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let bom_path = sb.file("utf8bom.txt", &bom);
    let with_bom = cat60(&sb, &bom_path);
    assert!(
        with_bom == expected,
        "UTF-8 with BOM output differs: starts {:?}",
        String::from_utf8_lossy(&with_bom[..with_bom.len().min(40)])
    );
}

#[test]
fn forced_gbk_encoding_reads_gb18030_bytes() {
    let sb = Sandbox::new();
    let text = sample();
    let (gb, _, _) = GB18030.encode(&text);
    let path = sb.file("forced.txt", &gb);
    let forced = sb.run(
        &[
            "cat",
            "--width",
            "60",
            "--encoding",
            "gbk",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert!(ok(&forced).starts_with(TITLE));
}

#[test]
fn big5_round_trips_through_cat() {
    let sb = Sandbox::new();
    let title = "繁體中文測試";
    let paragraph = "作為一款月活躍用戶超過三億的國民應用程式，小紅書近幾年的發展並沒有走出「位元組速度」，\
        這也讓這家公司的未來變得模糊起來。相信最近大家都能看到阿里巴巴的廣告，雖然引起了部分網友的反感，\
        但這也預示著阿里對人工智慧時代超級入口的期待。";
    let article = format!("{title}\n\n{paragraph}\n");
    let (big5, _, unmappable) = BIG5.encode(&article);
    assert!(!unmappable, "the fixture must be pure Big5");
    let path = sb.file("big5.txt", &big5);
    let utf8_path = sb.file("big5-as-utf8.txt", article.as_bytes());

    let from_big5 = ok(&sb.run_path(&["cat", "--width", "30"], &path));
    let from_utf8 = ok(&sb.run_path(&["cat", "--width", "30"], &utf8_path));
    assert_eq!(from_big5, from_utf8);
    assert!(from_big5.starts_with(title), "{from_big5}");
    assert_eq!(without_whitespace(&from_big5), without_whitespace(&article));
}

// ---------------------------------------------------------------------------------------------
// 4. wrap

#[track_caller]
fn wrap(sb: &Sandbox, input: &str, width: usize, extra: &[&str]) -> String {
    let w = width.to_string();
    let mut args = vec!["wrap", "--width", &w];
    args.extend_from_slice(extra);
    ok(&sb.run(&args, input.as_bytes()))
}

#[test]
fn wrap_prints_exactly_the_rows() {
    let sb = Sandbox::new();
    assert_eq!(
        wrap(&sb, "一二三四五，六七\n", 10, &[]),
        "一二三四\n五，六七\n"
    );
}

/// The examples table of LAYOUT-RULES.md.
#[test]
fn wrap_follows_the_layout_rules_examples() {
    let sb = Sandbox::new();
    let table: &[(&str, usize, &[&str])] = &[
        ("一二三四五，六七", 10, &["一二三四", "五，六七"]),
        ("一二三四《书名》", 10, &["一二三四", "《书名》"]),
        ("他说了一句话……然后", 12, &["他说了一句", "话……然后"]),
        ("一二三四——五六", 9, &["一二三四", "——五六"]),
        (
            "截至2025年12月31日的数据",
            10,
            &["截至2025年", "12月31日的", "数据"],
        ),
        (
            "私は ratatui が本当に便利だと思います",
            20,
            &["私は ratatui が本当", "に便利だと思います"],
        ),
        ("a中b", 2, &["a", "中", "b"]),
        ("中文", 1, &["中", "文"]),
        ("\x1b[31m红色\x1b[0m文字", 20, &["红色文字"]),
    ];
    for &(input, width, rows) in table {
        let expected: String = rows.iter().map(|r| format!("{r}\n")).collect();
        assert_eq!(
            wrap(&sb, &format!("{input}\n"), width, &[]),
            expected,
            "input {input:?} at width {width}"
        );
    }
}

#[test]
fn wrap_treats_each_line_as_a_paragraph() {
    let sb = Sandbox::new();
    assert_eq!(
        wrap(&sb, "一二三四五，六七\n\n中文\r\n", 10, &[]),
        "一二三四\n五，六七\n\n中文\n"
    );
}

#[test]
fn wrap_ambiguous_wide_counts_quotes_as_two_columns() {
    let sb = Sandbox::new();
    let input = "他说“好”\n";
    assert_eq!(wrap(&sb, input, 8, &[]), "他说“好”\n");
    let wide = wrap(&sb, input, 8, &["--ambiguous-wide"]);
    assert_eq!(wide.lines().count(), 2, "{wide:?}");
    assert_eq!(without_whitespace(&wide), "他说“好”");
    for row in wide.lines() {
        assert!(row.width_cjk() <= 8, "{row:?}");
    }
}

#[test]
fn wrap_ambiguous_wide_from_the_config_file() {
    let sb = Sandbox::new();
    std::fs::write(&sb.config, "(ambiguous_wide: true)").unwrap();
    assert_eq!(wrap(&sb, "他说“好”\n", 8, &[]).lines().count(), 2);
}

#[test]
fn wrap_rejects_a_zero_width() {
    let sb = Sandbox::new();
    let out = sb.run(&["wrap", "--width", "0"], "中文\n".as_bytes());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(!stderr(&out).contains("panicked"));
}

// ---------------------------------------------------------------------------------------------
// 5. Escape sequences never reach the output

const HOSTILE: &str = "恶意标题\x1b]0;evil title\x07\n\n\
    第一段\x1b[31m红色\x1b[0m文字\x1b[2J\x1b[?1049h清屏\x1bP1;2|payload\x1b\\结束\n\n\
    八位\u{9b}31m控制\u{9d}0;title\u{9c}序列\u{90}dcs\u{9c}还有\u{85}\u{80}字\u{9f}apc\u{9c}\n\n\
    原始\x07\x08\x7f\x01\x0b\x0c\x0e\x1f控制字符\r\n\n\
    链接\x1b]8;;http://example.com\x1b\\文字\x1b]8;;\x1b\\与\x1bc\x1b(B\x1b7重置\n\n\
    未结束\x1b]0;never ends\n\n末尾\x1b[\n";

/// The visible text of HOSTILE, in order.
const HOSTILE_TEXT: &str = "恶意标题第一段红色文字清屏结束八位控制序列还有字原始控制字符\
    链接文字与重置未结束末尾";

#[track_caller]
fn assert_terminal_safe(out: &[u8], what: &str) {
    assert!(!out.contains(&0x1b), "{what}: ESC in output: {out:?}");
    let text = std::str::from_utf8(out).expect("output is UTF-8");
    for c in text.chars() {
        assert!(
            c == '\n' || !(c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c)),
            "{what}: control {c:?} in output {text:?}"
        );
    }
}

#[test]
fn escape_sequences_never_reach_cat_or_wrap_output() {
    let sb = Sandbox::new();
    let path = sb.file("hostile.txt", HOSTILE.as_bytes());
    for width in ["8", "20", "80"] {
        let out = sb.run_path(&["cat", "--width", width], &path);
        let text = ok(&out);
        assert_terminal_safe(&out.stdout, "cat");
        assert_eq!(
            without_whitespace(&text),
            HOSTILE_TEXT,
            "cat --width {width}"
        );

        let out = sb.run(&["wrap", "--width", width], HOSTILE.as_bytes());
        let text = ok(&out);
        assert_terminal_safe(&out.stdout, "wrap");
        assert_eq!(
            without_whitespace(&text),
            HOSTILE_TEXT,
            "wrap --width {width}"
        );
    }
    // Not on a terminal, the plain `pizhu FILE` form prints too: it must be just as clean.
    let out = sb.run_path(&[], &path);
    ok(&out);
    assert_terminal_safe(&out.stdout, "pizhu FILE");
}

// ---------------------------------------------------------------------------------------------
// 6. stdin, --print-config, --version, broken pipes

#[test]
fn print_config_is_a_commented_valid_config() {
    let sb = Sandbox::new();
    let text = ok(&sb.run(&["--print-config"], b""));
    assert!(text.starts_with("//"), "{text}");
    assert!(text.contains("max_width"), "{text}");
    // What it prints is a config pizhu accepts.
    std::fs::write(&sb.config, &text).unwrap();
    let out = sb.run(&["cat", "--width", "40", SAMPLE_PATH], b"");
    assert!(ok(&out).starts_with("电商业务依旧未跻身一线阵营,小红书还有机"));
}

#[test]
fn version_and_help_exit_zero() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    let version = String::from_utf8(out.stdout).unwrap();
    assert!(
        version.starts_with(&format!("pizhu {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );

    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for word in ["cat", "wrap", "--config", "--data-dir"] {
        assert!(help.contains(word), "--help should mention {word}: {help}");
    }
}

#[test]
fn usage_errors_exit_two() {
    let out = Command::new(BIN).arg("--no-such-flag").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn a_closed_pipe_is_a_normal_end() {
    let sb = Sandbox::new();
    // Far more than a pipe buffer holds, so pizhu is still writing when the reader goes away.
    let big = sample().repeat(100);
    let path = sb.file("big.txt", big.as_bytes());
    let mut child = sb
        .command(["cat", "--width", "60", path.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    {
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        reader.read_line(&mut first).unwrap();
    } // `head -1`: the read end closes here.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with(TITLE), "{first:?}");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{:?}: {err}", out.status);
    assert_eq!(err, "");
}

// ---------------------------------------------------------------------------------------------
// 7. Not on a terminal, `pizhu FILE` prints like cat

#[test]
fn reader_prints_the_article_when_stdout_is_not_a_terminal() {
    let sb = Sandbox::new();
    let plain = ok(&sb.run(&[SAMPLE_PATH], b""));
    assert!(plain.starts_with(TITLE), "{plain}");
    let cat = ok(&sb.run(&["cat", "--width", "80", SAMPLE_PATH], b""));
    assert_eq!(plain, cat);

    // `pizhu -` reads stdin the same way.
    let from_stdin = ok(&sb.run(&["-"], sample().as_bytes()));
    assert_eq!(from_stdin, cat);
    // (No FILE with stdin a terminal opens the sample: see e2e_tmux `no_file_opens_the_sample`.)
}

#[test]
fn no_file_and_stdin_not_a_terminal_reads_stdin_like_less() {
    let sb = Sandbox::new();
    let article = "管道里的文章\n\n第一段，不是样例文章。\n";
    let path = sb.file("piped.txt", article.as_bytes());
    let want = ok(&sb.run(&["cat", "--width", "80", path.to_str().unwrap()], b""));
    assert!(want.starts_with("管道里的文章"), "{want}");

    // `pizhu < piped.txt | …`: stdin redirected from a file.
    let out = sb
        .command::<[&str; 0], &str>([])
        .stdin(std::fs::File::open(&path).unwrap())
        .output()
        .expect("run pizhu");
    assert_eq!(ok(&out), want);
    assert!(!stdout(&out).contains(TITLE), "the sample was printed");

    // `cat piped.txt | pizhu | …`: a pipe.
    assert_eq!(ok(&sb.run(&[], article.as_bytes())), want);
}

// ---------------------------------------------------------------------------------------------
// 8. export and import

/// `SOURCE_DATE_EPOCH` for exports: 2026-11-25T17:55:06Z.
const EPOCH: &str = "1795629306";

fn run_export(sb: &Sandbox, args: &[&str]) -> Output {
    let mut cmd = sb.command(args);
    cmd.env("SOURCE_DATE_EPOCH", EPOCH);
    run_with_stdin(cmd, b"")
}

/// Saves two annotations of the sample's text (one placed with tags and a note, one orphan)
/// in the sandbox's store, for the document read from `path` (`None`: the bundled sample).
fn seed(sb: &Sandbox, path: Option<&Path>) -> pizhu::document::Document {
    use pizhu::annotations::{Annotation, Colour, Quote, anchor};
    let doc = pizhu::document::Document::new(&sample());
    let text = doc.text();
    let exact = "小红书的核心用户心智是";
    let start = text.find(exact).expect("quote in the sample");
    let end = start + exact.len();
    let stamp = "2026-11-25T17:55:06.000Z".to_string();
    let placed = Annotation {
        id: "00000000000000a1".into(),
        start,
        end,
        quote: anchor::quote_at(text, start, end),
        colour: Colour::Green,
        tags: vec!["电商".into(), "用户心智".into()],
        note: "第一行\n# 第二行".into(),
        created: stamp.clone(),
        modified: stamp.clone(),
        orphan: false,
    };
    let orphan = Annotation {
        id: "00000000000000b2".into(),
        start: 0,
        end: 0,
        quote: Quote {
            exact: "早已删除的一句话".into(),
            ..Quote::default()
        },
        colour: Colour::Pink,
        tags: Vec::new(),
        note: String::new(),
        created: stamp.clone(),
        modified: stamp,
        orphan: true,
    };
    let store = pizhu::store::Store::open(&sb.data).expect("store");
    let path = path.map(|p| {
        std::fs::canonicalize(p)
            .expect("canonical path")
            .to_string_lossy()
            .into_owned()
    });
    let mut record = store
        .load(doc.hash(), path.as_deref(), doc.title().unwrap_or_default())
        .expect("load")
        .record;
    record.annotations = vec![placed, orphan];
    store.save(&mut record).expect("save");
    doc
}

/// Every file of `dir` with its bytes.
fn dir_bytes(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("read data dir")
        .map(|e| {
            let e = e.expect("dir entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

#[test]
fn export_prints_each_format_to_stdout() {
    let sb = Sandbox::new();
    seed(&sb, None);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&run_export(&sb, &["export", "--format", "json"])))
            .expect("JSON on stdout");
    assert_eq!(json["format"], "pizhu");
    assert_eq!(json["exported"], "2026-11-25T17:55:06.000Z");
    assert!(json["document"]["path"].is_null(), "the sample has no path");
    let list = json["annotations"].as_array().expect("annotations");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["tags"], serde_json::json!(["电商", "用户心智"]));
    assert_eq!(list[1]["orphan"], true);
    // Entities were extracted from the article.
    assert!(
        json["entities"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["name"] == "小红书"))
    );

    let md = ok(&run_export(&sb, &["export", "--format", "markdown"]));
    assert!(
        md.starts_with("---\ntitle: \"电商业务依旧未跻身一线阵营"),
        "{md}"
    );
    assert!(md.contains("\\# 第二行"));
    let w3c: serde_json::Value =
        serde_json::from_str(&ok(&run_export(&sb, &["export", "--format", "w3c"])))
            .expect("JSON-LD");
    assert_eq!(w3c["type"], "AnnotationCollection");
    assert_eq!(w3c["total"], 2);
    let csv = ok(&run_export(&sb, &["export", "-f", "csv"]));
    assert!(csv.starts_with("Highlight,Title,Author,URL,Note,Location,Location Type,Date\r\n"));
    assert_eq!(csv.matches("\r\n").count(), 3);
}

#[test]
fn export_writes_the_same_to_a_file_with_o() {
    let sb = Sandbox::new();
    seed(&sb, None);
    for format in ["markdown", "w3c", "csv", "json"] {
        let printed = ok(&run_export(&sb, &["export", "--format", format]));
        let path = sb.dir.path().join(format!("out.{format}"));
        let said = ok(&run_export(
            &sb,
            &["export", "--format", format, "-o", path.to_str().unwrap()],
        ));
        assert_eq!(
            said,
            format!("exported 2 annotations ({format}) to {}\n", path.display())
        );
        assert_eq!(std::fs::read_to_string(&path).expect("written"), printed);
        // `-o -` is standard output.
        assert_eq!(
            ok(&run_export(&sb, &["export", "--format", format, "-o", "-"])),
            printed
        );
    }
}

#[test]
fn export_of_a_file_names_it_and_follows_its_edits() {
    let sb = Sandbox::new();
    let article = sb.file("小红书 文章.txt", sample().as_bytes());
    seed(&sb, Some(&article));
    let file = article.to_str().unwrap();
    let w3c: serde_json::Value =
        serde_json::from_str(&ok(&run_export(&sb, &["export", file, "--format", "w3c"])))
            .expect("JSON-LD");
    let source = w3c["first"]["items"][0]["target"]["source"]
        .as_str()
        .expect("source");
    assert!(
        source.starts_with("file:///")
            && source.ends_with("/%E5%B0%8F%E7%BA%A2%E4%B9%A6%20%E6%96%87%E7%AB%A0.txt"),
        "{source}"
    );
    let start = |json: &str| {
        let v: serde_json::Value = serde_json::from_str(json).expect("JSON");
        v["annotations"][0]["start"].as_u64().expect("placed")
    };
    let before = start(&ok(&run_export(&sb, &["export", file, "--format", "json"])));
    // The article is edited: the record is found by its path, the highlight moves with its text.
    let added = "新加的一段。\n\n";
    let edited = sample().replacen("作为一款月活超3亿", &format!("{added}作为一款月活超3亿"), 1);
    std::fs::write(&article, edited).expect("edit");
    let after = start(&ok(&run_export(&sb, &["export", file, "--format", "json"])));
    assert_eq!(after, before + added.chars().count() as u64);
}

#[test]
fn export_with_nothing_saved_is_empty_and_creates_nothing() {
    let sb = Sandbox::new();
    let json = ok(&run_export(&sb, &["export", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["annotations"], serde_json::json!([]));
    // A data dir that does not exist is not created by an export.
    let missing = sb.dir.path().join("no-data-yet");
    let mut cmd = Command::new(BIN);
    cmd.args(["export", "--format", "csv", "--config"])
        .arg(&sb.config)
        .arg("--data-dir")
        .arg(&missing)
        .env_remove("PIZHU_CONFIG")
        .env_remove("PIZHU_DATA_DIR");
    let out = ok(&run_with_stdin(cmd, b""));
    assert_eq!(
        out,
        "Highlight,Title,Author,URL,Note,Location,Location Type,Date\r\n"
    );
    assert!(!missing.exists());
}

#[test]
fn export_to_a_place_it_cannot_write_is_bad_input() {
    let sb = Sandbox::new();
    seed(&sb, None);
    let missing_dir = sb.dir.path().join("no/such/dir/x.md");
    let a_file = sb.file("plain.txt", b"x");
    let under_file = a_file.join("x.md");
    let article = sb.file("article.txt", sample().as_bytes());
    let cases: [(Vec<&str>, &Path, &str); 4] = [
        (vec![], &missing_dir, "does not exist"),
        (vec![], sb.dir.path(), "is a directory"),
        (vec![], &under_file, "not a directory"),
        (
            vec![article.to_str().unwrap()],
            &article,
            "is the article itself",
        ),
    ];
    for (file, out, why) in cases {
        let mut args = vec!["export"];
        args.extend(file);
        args.extend(["--format", "markdown", "-o", out.to_str().unwrap()]);
        let result = run_export(&sb, &args);
        let err = bad_input(&result, &out.display().to_string());
        assert!(err.contains(why), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&article).unwrap(), sample());
    assert_eq!(std::fs::read(&a_file).unwrap(), b"x");
}

#[test]
fn export_defaults_to_markdown_and_takes_format_aliases() {
    let sb = Sandbox::new();
    seed(&sb, None);
    let markdown = ok(&run_export(&sb, &["export", "--format", "markdown"]));
    assert_eq!(ok(&run_export(&sb, &["export"])), markdown);
    for (alias, name) in [
        ("md", "markdown"),
        ("jsonld", "w3c"),
        ("json-ld", "w3c"),
        ("readwise", "csv"),
    ] {
        assert_eq!(
            ok(&run_export(&sb, &["export", "-f", alias])),
            ok(&run_export(&sb, &["export", "-f", name])),
            "-f {alias}"
        );
    }
    // The colour of each highlight is in the Markdown, and `--no-entities` drops the
    // entity section (and only that).
    assert!(markdown.contains("\ncolour: green\n"), "{markdown}");
    assert!(markdown.contains("## 实体 Entities"), "{markdown}");
    let without = ok(&run_export(&sb, &["export", "--no-entities"]));
    assert!(!without.contains("实体"), "{without}");
    let cut = markdown.find("\n## 实体 Entities").expect("the section");
    assert_eq!(without, &markdown[..cut]);
    let json: serde_json::Value = serde_json::from_str(&ok(&run_export(
        &sb,
        &["export", "-f", "json", "--no-entities"],
    )))
    .expect("JSON");
    assert_eq!(json["entities"], serde_json::json!([]));
    assert_eq!(json["annotations"].as_array().map(Vec::len), Some(2));
}

#[test]
fn help_summaries_are_whole_and_fit_80_columns() {
    let out = Command::new(BIN)
        .arg("--help")
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    let names: Vec<&str> = commands
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        names,
        [
            "cat", "entities", "export", "import", "list", "outline", "wrap", "help"
        ],
        "one line per command, none wrapped onto a second:\n{help}"
    );
    for line in &commands {
        assert!(line.width() <= 80, "{line:?}");
        let summary = line
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ");
        // A sentence: a verb first, capitalized; no dangling end.
        assert!(summary.starts_with(char::is_uppercase), "{line:?}");
        assert!(!summary.ends_with(['\'', ',', ':', '-']), "{line:?}");
    }
    let export = Command::new(BIN)
        .args(["export", "--help"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let export = String::from_utf8(export.stdout).unwrap();
    assert!(export.contains("[default: markdown]"), "{export}");
    assert!(export.contains("--no-entities"), "{export}");
}

#[test]
fn list_counts_read_right_for_one() {
    let sb = Sandbox::new();
    let one = r#"{"format": "pizhu", "version": 1, "annotations": [
      {"id": "i1", "quote": {"exact": "国民APP"}, "note": "一条笔记",
       "created": "2026-11-25T10:00:00.000Z"}]}"#;
    let from = sb.file("one.json", one.as_bytes());
    ok(&sb.run(&["import", "--from", from.to_str().unwrap()], b""));
    let list = ok(&sb.run(&["list"], b""));
    // Singular, and the columns padded as for the plural.
    assert!(list.starts_with("    1 highlight     1 note   "), "{list}");
    let path = sb.dir.path().join("one.md");
    let said = ok(&run_export(&sb, &["export", "-o", path.to_str().unwrap()]));
    assert_eq!(
        said,
        format!("exported 1 annotation (markdown) to {}\n", path.display())
    );
}

#[test]
fn export_rejects_an_unknown_format() {
    let sb = Sandbox::new();
    let out = sb.run(&["export", "--format", "pdf"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("markdown"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

/// A pizhu JSON export with three annotations of the sample: two in its text, one not.
const IMPORT_JSON: &str = r#"{"format": "pizhu", "version": 1, "annotations": [
  {"id": "i1", "start": null, "end": null, "quote": {"exact": "国民APP"}, "tags": ["用户"],
   "note": "导入的笔记", "created": "2026-11-25T10:00:00.000Z"},
  {"id": "i2", "quote": {"exact": "字节跳动就在不断的让业内看到流量的价值"}, "colour": "blue",
   "created": "2026-11-25T10:01:00.000Z", "modified": "2026-11-25T10:02:00.000Z"},
  {"id": "i3", "quote": {"exact": "这句话不在文章里"}, "created": "2026-11-25T10:03:00.000Z"}
]}"#;

#[test]
fn import_reports_what_it_did_and_adds_nothing_twice() {
    let sb = Sandbox::new();
    let from = sb.file("notes.json", IMPORT_JSON.as_bytes());
    let from_arg = from.to_str().unwrap();
    let first = ok(&sb.run(&["import", "--from", from_arg], b""));
    assert_eq!(
        first,
        format!("imported from {from_arg}: 2 added, 0 merged, 1 orphaned, 0 already there\n")
    );
    let again = ok(&sb.run(&["import", "--from", from_arg], b""));
    assert_eq!(
        again,
        format!("imported from {from_arg}: 0 added, 0 merged, 0 orphaned, 3 already there\n")
    );
    let list = ok(&sb.run(&["list"], b""));
    assert!(
        list.contains("    3 highlights    1 note   1 orphaned"),
        "{list}"
    );

    // What was imported exports again; a W3C export of it imports as already there.
    let w3c = ok(&run_export(&sb, &["export", "--format", "w3c"]));
    assert!(w3c.contains("\"value\": \"导入的笔记\""));
    let w3c_file = sb.file("notes.jsonld", w3c.as_bytes());
    let w3c_arg = w3c_file.to_str().unwrap();
    assert_eq!(
        ok(&sb.run(&["import", "--from", w3c_arg], b"")),
        format!("imported from {w3c_arg}: 0 added, 0 merged, 0 orphaned, 3 already there\n")
    );
}

#[test]
fn import_into_a_file_keeps_it_apart_from_the_sample() {
    let sb = Sandbox::new();
    let article = sb.file("a.txt", "标题\n\n国民APP的故事。\n".as_bytes());
    let from = sb.file("notes.json", IMPORT_JSON.as_bytes());
    let out = ok(&sb.run(
        &[
            "import",
            article.to_str().unwrap(),
            "--from",
            from.to_str().unwrap(),
        ],
        b"",
    ));
    assert!(
        out.ends_with(": 1 added, 0 merged, 2 orphaned, 0 already there\n"),
        "{out}"
    );
    let md = ok(&run_export(
        &sb,
        &["export", article.to_str().unwrap(), "--format", "markdown"],
    ));
    assert!(md.contains("> 国民APP\n"), "{md}");
    // The sample has none.
    let sample_md = ok(&run_export(&sb, &["export", "--format", "markdown"]));
    assert!(sample_md.contains("## 批注 Highlights (0)"), "{sample_md}");
}

#[test]
fn a_failed_import_is_bad_input_and_changes_nothing() {
    let sb = Sandbox::new();
    let good = sb.file("good.json", IMPORT_JSON.as_bytes());
    ok(&sb.run(&["import", "--from", good.to_str().unwrap()], b""));
    let before = dir_bytes(&sb.data);
    assert!(
        before.keys().any(|k| k.ends_with(".ron")),
        "{:?}",
        before.keys()
    );

    let not_json = sb.file("notes.txt", "这不是 JSON".as_bytes());
    let wrong_shape = sb.file("shape.json", br#"{"title": "x", "notes": []}"#);
    let half = sb.file(
        "half.json",
        r#"{"format": "pizhu", "version": 1, "annotations": [
            {"id": "ok", "quote": {"exact": "国民APP"}, "created": "2026-11-25T10:00:00.000Z"},
            {"id": "bad", "created": "2026-11-25T10:00:00.000Z"}]}"#
            .as_bytes(),
    );
    let missing = sb.dir.path().join("missing.json");
    let cases: [(&Path, &str); 4] = [
        (&not_json, "not JSON"),
        (
            &wrong_shape,
            "not a pizhu or W3C annotation export (no \"items\"/\"annotations\")",
        ),
        (&missing, "no such file"),
        (sb.dir.path(), "is a directory"),
    ];
    for (from, why) in cases {
        let out = sb.run(&["import", "--from", from.to_str().unwrap()], b"");
        let err = bad_input(&out, &from.display().to_string());
        assert!(err.contains(why), "{err}");
        assert_eq!(dir_bytes(&sb.data), before, "the store changed after {err}");
    }
    // One bad annotation among good ones: the good ones are imported, the bad one named.
    let out = ok(&sb.run(&["import", "--from", half.to_str().unwrap()], b""));
    assert!(
        out.contains("1 skipped (annotations[1]: missing field `quote`)"),
        "{out}"
    );
}
