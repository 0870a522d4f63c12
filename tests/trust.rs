//! Annotation files from other people and tools are untrusted input (issue: trust): what they
//! carry is cleaned like an article, their times are times, and a different text at an old
//! path does not take the old annotations away.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use pizhu::annotations::Annotation;
use pizhu::annotations::AnnotationSet;
use pizhu::annotations::Snapshot;
use pizhu::app::{App, Event, Key};
use pizhu::config::Config;
use pizhu::document::Document;
use pizhu::session::{Place, Session};
use pizhu::ui::{self, Theme};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const BIN: &str = env!("CARGO_BIN_EXE_pizhu");
const ARTICLE: &str = "测试文章标题\n\n第一段：小红书的核心用户心智是“种草”，而非交易。\n\n第二段：广告很多，广告也很贵。\n";

/// C0, C1, DEL and the bidi embeddings, overrides and isolates.
fn is_unsafe(c: char) -> bool {
    matches!(c, '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn unsafe_in(s: &str, allow_newline: bool) -> Option<char> {
    s.chars()
        .find(|&c| is_unsafe(c) && !(allow_newline && c == '\n'))
}

fn run(args: &[&str], data: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("PIZHU_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run pizhu")
}

/// A temp dir with a data dir path (not created) and ARTICLE written to `name` in it.
fn sandbox(name: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join(name);
    std::fs::write(&file, ARTICLE).unwrap();
    (dir, data, file)
}

/// `pizhu import FILE --from FROM` with the data dir `data`.
fn import_file(data: &Path, file: &Path, from: &Path) -> Output {
    let (file, from) = (file.to_str().unwrap(), from.to_str().unwrap());
    run(&["import", file, "--from", from], data)
}

/// A W3C annotation of `quote` with `note`, `tag`, `id` and `modified` as given.
fn w3c(id: &str, quote: &str, note: &str, tag: &str, modified: &str) -> serde_json::Value {
    serde_json::json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": id,
        "created": "2026-01-01T00:00:00Z",
        "modified": modified,
        "body": [
            {"type": "TextualBody", "value": note, "purpose": "commenting"},
            {"type": "TextualBody", "value": tag, "purpose": "tagging"}
        ],
        "target": {"selector": [{"type": "TextQuoteSelector", "exact": quote}]}
    })
}

fn page(items: Vec<serde_json::Value>) -> Vec<u8> {
    serde_json::to_vec_pretty(&serde_json::json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": items
    }))
    .unwrap()
}

/// `from.jsonld` in `dir`: a page with one annotation, made by [`w3c`].
fn w3c_file(
    dir: &Path,
    id: &str,
    quote: &str,
    note: &str,
    tag: &str,
    modified: &str,
) -> std::path::PathBuf {
    let from = dir.join("from.jsonld");
    std::fs::write(&from, page(vec![w3c(id, quote, note, tag, modified)])).unwrap();
    from
}

const OSC52: &str = "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}";

#[test]
fn imported_text_is_cleaned_like_an_article() {
    let hostile = w3c(
        &format!("id{OSC52}\u{9b}2J"),
        "核心用户\u{202e}心智",
        &format!("笔记{OSC52}\u{1b}[2J\u{1b}P+q\u{1b}\\第二行\n\u{2066}隔离\u{2069}"),
        "标签\u{9b}31m\u{85}",
        "2026-01-02T00:00:00Z",
    );
    let parsed = pizhu::import::parse("x.jsonld", &page(vec![hostile])).unwrap();
    let a = &parsed.annotations[0].annotation;
    assert_eq!(a.note, "笔记第二行\n隔离");
    assert_eq!(a.tags, ["标签"]);
    assert_eq!(a.quote.exact, "核心用户心智");
    assert_eq!(a.id, "id");
    let doc = Document::new(ARTICLE);
    let mut list = Vec::new();
    let report = pizhu::import::merge(doc.text(), &mut list, &[], parsed.annotations);
    assert_eq!(report.added, 1);
    assert_eq!(&doc.text()[list[0].start..list[0].end], "核心用户心智");
}

#[test]
fn times_are_parsed_normalized_and_clamped() {
    let items = vec![
        w3c("a", "核心用户心智", "", "", "2026-01-02T08:00:00+08:00"),
        w3c("b", "广告很多", "", "", "2099-01-01T00:00:00Z"),
    ];
    let parsed = pizhu::import::parse("x.jsonld", &page(items)).unwrap();
    let a = &parsed.annotations[0].annotation;
    assert_eq!(a.modified, "2026-01-02T00:00:00.000Z");
    assert_eq!(a.created, "2026-01-01T00:00:00.000Z");
    let b = &parsed.annotations[1].annotation;
    let now = pizhu::clock::now_millis();
    let b_ms = pizhu::clock::parse_millis(&b.modified).unwrap();
    assert!(
        b_ms <= now && now - b_ms < 60_000,
        "clamped to now: {}",
        b.modified
    );
}

#[test]
fn junk_times_are_refused_with_their_line() {
    let items = vec![
        w3c("a", "核心用户心智", "", "", "2026-01-02T00:00:00Z"),
        w3c("b", "广告很多", "", "", "next tuesday\u{1b}[2J"),
    ];
    let bytes = page(items);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("next tuesday"))
        .unwrap()
        + 1;
    // The good annotation is imported; the bad one is refused, naming its line.
    let parsed = pizhu::import::parse("x.jsonld", &bytes).unwrap();
    assert_eq!(parsed.annotations.len(), 1);
    let [why] = parsed.skipped.as_slice() else {
        panic!("{:?}", parsed.skipped);
    };
    assert!(why.contains(&format!("line {line}")), "{why}");
    assert!(why.contains("\"modified\" is not a time"), "{why}");
    assert_eq!(unsafe_in(why, false), None, "{why:?}");
    // Alone, it refuses the file.
    let bytes = page(vec![w3c("b", "广告很多", "", "", "next tuesday")]);
    let err = pizhu::import::parse("x.jsonld", &bytes)
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"modified\" is not a time"), "{err}");
}

#[test]
fn empty_highlights_are_refused() {
    let empty = w3c("a", "  ", "note", "", "2026-01-02T00:00:00Z");
    let err = pizhu::import::parse("x.jsonld", &page(vec![empty]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("empty highlight"), "{err}");
    let zero = serde_json::json!({
        "type": "Annotation", "id": "z",
        "target": {"selector": {"type": "TextPositionSelector", "start": 3, "end": 3}}
    });
    let err = pizhu::import::parse("x.jsonld", &page(vec![zero]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("empty highlight"), "{err}");
}

/// Opens `file` in `data`, runs `edit` on its annotations, saves, and returns them.
fn edit_in_reader(data: &Path, file: &Path, edit: impl FnOnce(&mut Vec<Annotation>)) {
    let doc = Document::new(&std::fs::read_to_string(file).unwrap());
    let mut opened = Session::open(Some(data), &doc, Some(file));
    let mut list = opened.annotations.list.clone();
    edit(&mut list);
    let snapshot = Snapshot {
        generation: 1,
        list,
        deleted: Vec::new(),
        corrections: Vec::new(),
        document_notes: Vec::new(),
    };
    opened
        .session
        .save(Some(&snapshot), &Place::at(0))
        .expect("save");
}

fn saved(data: &Path, file: &Path) -> Vec<Annotation> {
    let doc = Document::new(&std::fs::read_to_string(file).unwrap());
    Session::open(Some(data), &doc, Some(file)).annotations.list
}

#[test]
fn an_import_from_the_future_does_not_beat_a_later_edit() {
    let (dir, data, file) = sandbox("文章.txt");
    let from = w3c_file(
        dir.path(),
        "x",
        "核心用户心智",
        "导入的笔记",
        "",
        "2099-12-31T23:59:59+08:00",
    );
    let out = import_file(&data, &file, &from);
    assert!(out.status.success(), "{out:?}");
    edit_in_reader(&data, &file, |list| {
        list[0].note = "我后来改的".into();
        list[0].touch();
    });
    let list = saved(&data, &file);
    assert_eq!(list[0].note, "我后来改的");
    // Importing the same file again does not bring the old note back either.
    let out = import_file(&data, &file, &from);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(saved(&data, &file)[0].note, "我后来改的");
}

#[test]
fn a_legacy_record_claiming_the_future_does_not_beat_a_later_edit() {
    let (_dir, data, file) = sandbox("文章.txt");
    edit_in_reader(&data, &file, |list| {
        let doc = Document::new(ARTICLE);
        let at = doc.text().find("广告很多").unwrap();
        let mut a = Annotation::new(doc.text(), at, at + "广告很多".len(), Default::default());
        a.modified = "2099-01-01T00:00:00.000Z".into();
        a.note = "旧".into();
        list.push(a);
    });
    edit_in_reader(&data, &file, |list| {
        list[0].note = "新".into();
        list[0].touch();
    });
    assert_eq!(saved(&data, &file)[0].note, "新");
}

#[test]
fn a_different_text_at_the_old_path_leaves_the_old_annotations_alone() {
    let (dir, data, file) = sandbox("article.txt");
    edit_in_reader(&data, &file, |list| {
        let doc = Document::new(ARTICLE);
        for q in ["核心用户心智", "广告很多", "广告也很贵"] {
            let at = doc.text().find(q).unwrap();
            list.push(Annotation::new(
                doc.text(),
                at,
                at + q.len(),
                Default::default(),
            ));
        }
    });
    let old_hash = Document::new(ARTICLE).hash().to_string();

    // Overwritten with an unrelated article.
    let other = "另一篇文章\n\n今天天气很好，我们去公园散步。\n";
    std::fs::write(&file, other).unwrap();
    let doc = Document::new(other);
    let mut opened = Session::open(Some(&data), &doc, Some(&file));
    assert!(
        opened.annotations.list.is_empty(),
        "the new text starts empty"
    );
    let message = opened.message.clone().unwrap();
    assert!(message.contains("pizhu import"), "{message}");
    assert!(message.contains("--previous"), "{message}");
    // Saving the new document keeps the old record.
    opened.session.save(None, &Place::at(5)).unwrap();
    assert!(data.join(format!("{old_hash}.ron")).exists());

    // An identical copy of the old article elsewhere still shows all of them.
    let copy = dir.path().join("copy.txt");
    std::fs::write(&copy, ARTICLE).unwrap();
    assert_eq!(saved(&data, &copy).len(), 3);

    // The command the message names brings them over (all orphans here: other text).
    let record = data.join(format!("{old_hash}.ron"));
    let out = import_file(&data, &file, &record);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("3 orphaned"), "{said}");
}

#[test]
fn a_small_edit_still_moves_the_annotations() {
    let (_dir, data, file) = sandbox("article.txt");
    edit_in_reader(&data, &file, |list| {
        let doc = Document::new(ARTICLE);
        let at = doc.text().find("广告很多").unwrap();
        list.push(Annotation::new(
            doc.text(),
            at,
            at + "广告很多".len(),
            Default::default(),
        ));
    });
    let edited = ARTICLE.replace("第二段：", "第二段（修订）：");
    std::fs::write(&file, &edited).unwrap();
    let list = saved(&data, &file);
    assert_eq!(list.len(), 1);
    assert!(!list[0].orphan);
}

#[test]
fn list_and_errors_print_no_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join(format!("evil{}.txt", "\u{1b}[2J"));
    std::fs::write(&file, format!("标题{OSC52}\n\n正文里有核心用户心智。\n")).unwrap();
    let from = w3c_file(
        dir.path(),
        "a",
        "核心用户心智",
        OSC52,
        OSC52,
        "2026-01-02T00:00:00Z",
    );
    let out = import_file(&data, &file, &from);
    assert!(out.status.success(), "{out:?}");
    let out = run(&["list"], &data);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("    1 highlight     0 notes"), "{text}");
    assert_eq!(unsafe_in(&text, true), None, "{text:?}");
    // An error message naming a hostile file name.
    let out = run(
        &[
            "export",
            "-f",
            "json",
            "/nonexistent/\u{1b}]0;title\u{7}x.txt",
        ],
        &data,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(unsafe_in(&err, true), None, "{err:?}");
}

/// Draws `app` and returns the cell symbols.
fn drawn(app: &App) -> String {
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| ui::draw(f, app, &Theme::default()))
        .unwrap();
    terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect()
}

fn hostile_string() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\u{1b}]52;c;ZXZpbA==\u{7}".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\u{1b}P+q\u{1b}\\".to_string()),
        Just("\u{9b}31m".to_string()),
        Just("\u{9d}0;t\u{9c}".to_string()),
        Just("广告".to_string()),
        Just("核心".to_string()),
        Just("=cmd|".to_string()),
        Just("# ".to_string()),
        proptest::char::range('\0', '\u{a0}').prop_map(String::from),
        proptest::char::range('\u{2028}', '\u{206f}').prop_map(String::from),
        "[a-z中文 ]{0,4}",
    ];
    proptest::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Whatever strings a W3C file holds, the reader's screen (text, Notes tab, note editor)
    /// and every text export show no control character.
    #[test]
    fn hostile_strings_never_reach_the_screen_or_a_text_export(
        note in hostile_string(),
        tag in hostile_string(),
        id in hostile_string(),
        quote in hostile_string(),
    ) {
        let text = format!("标题\n\n核心广告{}。\n", pizhu::text::sanitize(&quote));
        let doc = Document::new(&text);
        let item = w3c(&id, &format!("核心广告{quote}"), &note, &tag, "2026-01-02T00:00:00Z");
        let Ok(parsed) = pizhu::import::parse("x.jsonld", &page(vec![item])) else {
            return Ok(());
        };
        for i in &parsed.annotations {
            let a = &i.annotation;
            for s in [&a.id, &a.quote.exact, &a.quote.prefix, &a.quote.suffix, &a.note] {
                prop_assert_eq!(unsafe_in(s, true), None, "{:?}", s);
            }
            for t in &a.tags {
                prop_assert_eq!(unsafe_in(t, false), None, "{:?}", t);
            }
        }
        let mut list = Vec::new();
        pizhu::import::merge(doc.text(), &mut list, &[], parsed.annotations);
        let exported = "2026-01-03T00:00:00.000Z";
        for format in [pizhu::export::Format::Markdown, pizhu::export::Format::Csv] {
            let input = pizhu::export::ExportInput {
                doc: &doc,
                path: None,
                annotations: &list,
                document_notes: &[],
                entities: &[],
                corrections: &[],
                exported,
                zone: &jiff::tz::TimeZone::UTC,
            };
            let out = pizhu::export::render(format, &input).replace("\r\n", "\n");
            prop_assert_eq!(unsafe_in(&out, true), None, "{:?}", out);
        }
        let mut app = App::new(doc, "x.txt", Config::default(), (60, 16));
        app.set_annotations(AnnotationSet::new(list, Vec::new(), Vec::new(), Vec::new(), Vec::new()));
        prop_assert_eq!(unsafe_in(&drawn(&app), false), None);
        for k in ["o", "a"] {
            app.handle(Event::Key(Key::parse(k).unwrap()));
            prop_assert_eq!(unsafe_in(&drawn(&app), false), None);
        }
    }
}

/// Runs `args` with standard output on `stdout`; returns the exit code and stderr.
fn run_to(args: &[&str], data: &Path, stdout: std::process::Stdio) -> (Option<i32>, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .stdout(stdout)
        .output()
        .expect("run pizhu");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn output_errors_never_panic() {
    let (dir, data, file) = sandbox("a.txt");
    let from = w3c_file(
        dir.path(),
        "a",
        "核心用户心智",
        "n",
        "t",
        "2026-01-02T00:00:00Z",
    );
    let f = file.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["export", "-f", "markdown", f],
        vec!["export", "-f", "csv", f],
        vec!["cat", f],
        vec!["entities", f],
        vec!["--print-config"],
        vec!["import", f, "--from", from.to_str().unwrap()],
    ];
    for args in &commands {
        // A full device: one line, exit 1.
        let full = std::fs::File::create("/dev/full").unwrap();
        let (code, err) = run_to(args, &data, full.into());
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("cannot write to standard output: no space left on device"),
            "{args:?}: {err}"
        );
        // A closed pipe: a normal end.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let (code, err) = run_to(args, &data, writer.into());
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
    // The empty data dir's message too.
    let full = std::fs::File::create("/dev/full").unwrap();
    let (code, err) = run_to(&["list"], &dir.path().join("none"), full.into());
    assert_eq!(code, Some(1), "{err}");
}

#[test]
fn exports_never_overwrite_the_article_the_data_or_a_special_file() {
    let (dir, data, file) = sandbox("a.txt");
    std::fs::create_dir_all(&data).unwrap();
    let f = file.to_str().unwrap();
    let refused = |target: &Path, needle: &str| {
        let out = run(
            &[
                "export",
                "-f",
                "markdown",
                f,
                "-o",
                target.to_str().unwrap(),
            ],
            &data,
        );
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{target:?}: {err}");
        assert!(err.contains(needle), "{target:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), ARTICLE);
    };
    // The article by a hard link and by another spelling of its path.
    let link = dir.path().join("hard.txt");
    std::fs::hard_link(&file, &link).unwrap();
    refused(&link, "is the article itself");
    refused(&dir.path().join(".").join("a.txt"), "is the article itself");
    // A symbolic link to the article.
    let sym = dir.path().join("sym.md");
    std::os::unix::fs::symlink(&file, &sym).unwrap();
    refused(&sym, "is the article itself");
    // Inside the data dir.
    refused(&data.join("notes.md"), "data dir");
    // A FIFO (opening it for writing would block) and a device.
    let fifo = dir.path().join("fifo.md");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    refused(&fifo, "not a regular file");
    refused(Path::new("/dev/null"), "not a regular file");

    // A symbolic link to another file is replaced by the export; that file is untouched.
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "别人的文件").unwrap();
    let to_other = dir.path().join("to-other.md");
    std::os::unix::fs::symlink(&other, &to_other).unwrap();
    let out = run(
        &[
            "export",
            "-f",
            "markdown",
            f,
            "-o",
            to_other.to_str().unwrap(),
        ],
        &data,
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "别人的文件");
    let meta = std::fs::symlink_metadata(&to_other).unwrap();
    assert!(meta.file_type().is_file(), "the link was replaced");
    assert!(
        std::fs::read_to_string(&to_other)
            .unwrap()
            .starts_with("---")
    );
    // No temp file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".tmp-")), "{names:?}");
}

#[test]
fn the_export_dialog_refuses_the_article_and_the_data_dir_and_writes_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, ARTICLE).unwrap();
    let hard = dir.path().join("same.md");
    std::fs::hard_link(&file, &hard).unwrap();
    let mut app = App::new(Document::new(ARTICLE), "a.txt", Config::default(), (80, 24));
    app.set_source_path(Some(file.to_string_lossy().into_owned()));
    app.set_data_dir(Some(data.clone()));
    // The app asks for the file to be written; the terminal layer writes it, as the reader's
    // event loop does, and answers.
    let run = |app: &mut App, event: Event| {
        for effect in app.handle(event) {
            if let pizhu::app::Effect::WriteExport {
                path,
                bytes,
                overwrite,
            } = effect
            {
                let written = pizhu::term::write_export(app, &path, &bytes, overwrite);
                app.handle(Event::Written(written));
            }
        }
    };
    let key = |app: &mut App, k: &str| run(app, Event::Key(Key::parse(k).unwrap()));
    let export_to = |app: &mut App, target: &Path| {
        key(app, "E");
        key(app, "C-u");
        run(app, Event::Paste(target.to_string_lossy().into_owned()));
        key(app, "Enter");
        // A file that exists asks first: say yes.
        if matches!(app.mode(), pizhu::app::Mode::Export(d) if d.confirm_overwrite) {
            key(app, "y");
        }
    };
    for (target, needle) in [
        (hard.clone(), "is the article itself"),
        (data.join("x.md"), "data dir"),
    ] {
        export_to(&mut app, &target);
        let pizhu::app::Mode::Export(dialog) = app.mode() else {
            panic!("the dialog stays open with its error");
        };
        let error = dialog.error.clone().unwrap_or_default();
        assert!(error.contains(needle), "{target:?}: {error}");
        key(&mut app, "Esc");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), ARTICLE);
    assert!(!data.join("x.md").exists());

    let good = dir.path().join("notes.md");
    std::fs::write(&good, "旧的导出").unwrap();
    export_to(&mut app, &good);
    assert!(
        matches!(app.mode(), pizhu::app::Mode::Normal),
        "{:?}",
        app.message()
    );
    assert!(std::fs::read_to_string(&good).unwrap().starts_with("---"));
    let temps = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp-")
        })
        .count();
    assert_eq!(temps, 0);
}

#[test]
fn the_markdown_export_shows_the_readers_local_time() {
    let doc = Document::new(ARTICLE);
    let zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let input = pizhu::export::ExportInput {
        doc: &doc,
        path: None,
        annotations: &[],
        document_notes: &[],
        entities: &[],
        corrections: &[],
        exported: "2026-01-02T23:30:00.000Z",
        zone: &zone,
    };
    let md = pizhu::export::render(pizhu::export::Format::Markdown, &input);
    assert!(
        md.contains("exported: \"2026-01-03T07:30:00+08:00\""),
        "{md}"
    );
    // Machine formats stay in UTC.
    let w3c = pizhu::export::render(pizhu::export::Format::W3c, &input);
    assert!(w3c.contains("2026-01-02T23:30:00.000Z"), "{w3c}");
}

#[test]
fn io_errors_have_one_wording() {
    let (dir, data, file) = sandbox("a.txt");
    let f = file.to_str().unwrap();
    let missing = dir.path().join("none.ron");
    let cases: Vec<Vec<&str>> = vec![
        vec!["--config", missing.to_str().unwrap(), "cat", f],
        vec!["--config", dir.path().to_str().unwrap(), "cat", f],
        vec!["import", f, "--from", missing.to_str().unwrap()],
        vec!["export", "-f", "csv", f, "-o", "/proc/no/such/dir.csv"],
        vec!["cat", missing.to_str().unwrap()],
    ];
    for args in cases {
        let out = run(&args, &data);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("os error"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    /// The same through the real binary: whatever a W3C file and the article's title hold,
    /// `import`, `list` and the text exports to stdout print no control character.
    #[test]
    fn hostile_imports_leave_cli_output_clean(
        note in hostile_string(),
        tag in hostile_string(),
        id in hostile_string(),
        title in hostile_string(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let file = dir.path().join("a.txt");
        std::fs::write(&file, format!("题{title}\n\n正文：核心用户心智。\n")).unwrap();
        let from = dir.path().join("from.jsonld");
        let item = w3c(&id, "核心用户心智", &note, &tag, "2026-01-02T00:00:00Z");
        std::fs::write(&from, page(vec![item])).unwrap();
        let f = file.to_str().unwrap();
        let runs = [
            run(&["import", f, "--from", from.to_str().unwrap()], &data),
            run(&["list"], &data),
            run(&["export", "-f", "markdown", f], &data),
            run(&["export", "-f", "csv", f], &data),
        ];
        for out in &runs {
            let stdout = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
            let stderr = String::from_utf8_lossy(&out.stderr);
            prop_assert_eq!(unsafe_in(&stdout, true), None, "{:?}", stdout);
            prop_assert_eq!(unsafe_in(&stderr, true), None, "{:?}", stderr);
        }
    }
}
