//! Opening a document's saved state as the reader does: an edited file at the same path, the
//! same text at another path, a corrupt store, an unwritable data dir, and `pizhu list`.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use pizhu::annotations::Annotation;
use pizhu::annotations::Snapshot;
use pizhu::app::App;
use pizhu::config::Config;
use pizhu::document::Document;
use pizhu::session::{Place, Session};

const BIN: &str = env!("CARGO_BIN_EXE_pizhu");
const ARTICLE: &str = "测试文章标题\n\n第一段：小红书的核心用户心智是“种草”，而非交易。\n\n第二段：广告很多，广告也很贵。\n\n第三段：这一段会被删掉。\n";

/// Opens `path` in `data` and adds highlights of `quotes` (first occurrence each), saved.
fn annotate(data: &Path, path: &Path, quotes: &[&str]) -> Vec<Annotation> {
    let doc = Document::new(&std::fs::read_to_string(path).unwrap());
    let mut opened = Session::open(Some(data), &doc, Some(path));
    let mut list = opened.annotations.list.clone();
    for q in quotes {
        let start = doc.text().find(q).expect("quote in the text");
        let mut a = Annotation::new(doc.text(), start, start + q.len(), Default::default());
        a.tags = vec!["电商".into()];
        a.note = format!("关于{q}");
        list.push(a);
    }
    let snapshot = Snapshot {
        generation: 1,
        list: list.clone(),
        deleted: Vec::new(),
        corrections: Vec::new(),
        document_notes: Vec::new(),
    };
    opened
        .session
        .save(Some(&snapshot), &Place::at(start_of(&doc, "第二段")))
        .expect("save");
    list
}

fn start_of(doc: &Document, s: &str) -> usize {
    doc.text().find(s).unwrap()
}

fn reopen(data: &Path, path: &Path) -> (Document, pizhu::session::Opened) {
    let doc = Document::new(&std::fs::read_to_string(path).unwrap());
    let opened = Session::open(Some(data), &doc, Some(path));
    (doc, opened)
}

#[test]
fn an_edited_file_at_the_same_path_finds_its_annotations_and_orphans_the_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("文章.txt");
    std::fs::write(&file, ARTICLE).unwrap();
    annotate(
        &data,
        &file,
        &["核心用户心智", "广告也很贵", "这一段会被删掉"],
    );

    // Edit: text inserted before, the third paragraph deleted.
    let edited = ARTICLE
        .replace("第一段：", "第一段（更新）：新加了一句话。")
        .replace("\n\n第三段：这一段会被删掉。", "");
    std::fs::write(&file, &edited).unwrap();
    let (doc, opened) = reopen(&data, &file);
    let list = &opened.annotations.list;
    assert_eq!(list.len(), 3, "nothing is dropped");
    for a in list.iter().filter(|a| !a.orphan) {
        assert_eq!(&doc.text()[a.start..a.end], a.quote.exact);
    }
    let orphans: Vec<&str> = list
        .iter()
        .filter(|a| a.orphan)
        .map(|a| a.quote.exact.as_str())
        .collect();
    assert_eq!(orphans, ["这一段会被删掉"]);
    let message = opened.message.unwrap();
    assert!(message.contains("1 orphaned"), "{message}");
    // The reading position is restored (clamped into the new text).
    assert!(opened.position <= doc.text().len());
}

/// Marks come back with the document; when the file got shorter, the ones past its end go to
/// its end, and none is left inside a character.
#[test]
fn marks_come_back_and_fit_an_edited_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("a.txt");
    std::fs::write(&file, ARTICLE).unwrap();
    annotate(&data, &file, &["核心用户心智"]);
    let (doc, mut opened) = reopen(&data, &file);
    assert!(opened.marks.is_empty());
    let place = Place {
        position: start_of(&doc, "第二段"),
        marks: [
            ('a', start_of(&doc, "广告也很贵")),
            ('b', start_of(&doc, "第三段")),
            ('c', doc.text().len()),
        ]
        .into_iter()
        .collect(),
    };
    opened.session.save(None, &place).unwrap();
    let (_, opened) = reopen(&data, &file);
    assert_eq!(opened.marks, place.marks);

    // One byte inserted near the start, the third paragraph cut: the marks would point into
    // characters, or past the end.
    let edited = ARTICLE
        .replace("第一段：", "第一段x：")
        .replace("\n\n第三段：这一段会被删掉。", "");
    std::fs::write(&file, &edited).unwrap();
    let (doc, opened) = reopen(&data, &file);
    assert_eq!(
        opened.annotations.list.len(),
        1,
        "re-anchored, not left apart"
    );
    let text = doc.text();
    assert_eq!(opened.marks.len(), 3);
    for (c, &at) in &opened.marks {
        assert!(at <= text.len() && text.is_char_boundary(at), "{c}: {at}");
    }
    assert!(
        place.marks[&'a'] > opened.marks[&'a'],
        "moved back to a character's start"
    );
    assert_eq!(opened.marks[&'c'], text.len());
}

#[test]
fn the_same_text_at_another_path_is_found_by_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = dir.path().join("a.txt");
    std::fs::write(&first, ARTICLE).unwrap();
    annotate(&data, &first, &["核心用户心智"]);
    let moved = dir.path().join("moved.txt");
    std::fs::rename(&first, &moved).unwrap();
    let (doc, opened) = reopen(&data, &moved);
    assert_eq!(opened.annotations.list.len(), 1);
    assert_eq!(opened.position, start_of(&doc, "第二段"));
    assert!(opened.message.is_none());
}

#[test]
fn a_corrupt_store_is_moved_aside_and_the_reader_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("a.txt");
    std::fs::write(&file, ARTICLE).unwrap();
    annotate(&data, &file, &["核心用户心智"]);
    let doc = Document::new(ARTICLE);
    let store_file = data.join(format!("{}.ron", doc.hash()));
    std::fs::write(&store_file, "(version: 1, annotations: [ garbage").unwrap();
    let (_, opened) = reopen(&data, &file);
    assert!(opened.annotations.list.is_empty());
    let message = opened.message.unwrap();
    assert!(message.contains("moved to"), "{message}");
    let aside: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("corrupt"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read_to_string(aside[0].path()).unwrap(),
        "(version: 1, annotations: [ garbage"
    );
}

#[test]
fn an_unwritable_data_dir_still_opens_the_reader_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let doc = Document::new(ARTICLE);
    let mut opened = Session::open(Some(&blocker.join("data")), &doc, None);
    let message = opened.message.clone().unwrap();
    assert!(message.contains("not saved"), "{message}");
    assert!(!opened.session.can_save());
    // The reader works, and saving is a no-op rather than an error.
    let mut app = App::new(doc, "a", Config::default(), (80, 24));
    app.set_annotations(opened.annotations);
    let snapshot = app.annotations().snapshot();
    assert!(
        opened
            .session
            .save(Some(&snapshot), &Place::at(0))
            .unwrap()
            .is_none()
    );
}

#[test]
fn list_prints_annotated_documents_with_counts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("a.txt");
    std::fs::write(&file, ARTICLE).unwrap();
    let run = || {
        Command::new(BIN)
            .args(["--data-dir", data.to_str().unwrap(), "list"])
            .env_remove("PIZHU_CONFIG")
            .output()
            .unwrap()
    };
    let empty = run();
    assert!(empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stdout).contains("No annotations yet"));
    annotate(&data, &file, &["核心用户心智", "广告也很贵"]);
    let out = run();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("2 highlights"), "{stdout}");
    assert!(stdout.contains("2 notes"), "{stdout}");
    assert!(stdout.contains("测试文章标题"), "{stdout}");
    assert!(stdout.contains("a.txt"), "{stdout}");
}

#[test]
fn a_hand_edited_record_with_bad_offsets_is_re_anchored_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("a.txt");
    std::fs::write(&file, ARTICLE).unwrap();
    annotate(&data, &file, &["核心用户心智", "广告也很贵"]);
    let doc = Document::new(ARTICLE);
    let store_file = data.join(format!("{}.ron", doc.hash()));
    let ron = std::fs::read_to_string(&store_file).unwrap();
    // Offsets past the end and inside a character.
    let broken = ron
        .replacen("start: ", "start: 99999", 1)
        .replacen("end: ", "end: 1", 1);
    std::fs::write(&store_file, broken).unwrap();
    let (doc, opened) = reopen(&data, &file);
    assert_eq!(opened.annotations.list.len(), 2);
    for a in &opened.annotations.list {
        assert!(!a.orphan);
        assert_eq!(&doc.text()[a.start..a.end], a.quote.exact);
    }
}

#[test]
fn a_document_note_being_written_is_saved_when_the_window_closes() {
    let mut app = App::new(Document::new(ARTICLE), "a.txt", Config::default(), (80, 24));
    for k in ["A", "整", "篇"] {
        app.handle(pizhu::app::Event::Key(pizhu::app::Key::parse(k).unwrap()));
    }
    let snapshot = app.snapshot_at_exit();
    assert_eq!(snapshot.document_notes.len(), 1);
    assert_eq!(snapshot.document_notes[0].text, "整篇");
    assert_ne!(snapshot.generation, app.annotations().generation);
    // Nothing typed: nothing saved.
    let mut app = App::new(Document::new(ARTICLE), "a.txt", Config::default(), (80, 24));
    app.handle(pizhu::app::Event::Key(pizhu::app::Key::parse("A").unwrap()));
    assert!(app.snapshot_at_exit().document_notes.is_empty());
}

#[test]
fn another_windows_document_note_comes_into_an_open_reader() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("文章.txt");
    std::fs::write(&file, ARTICLE).unwrap();
    let doc = Document::new(ARTICLE);
    let mut one = Session::open(Some(&data), &doc, Some(&file));
    let mut two = Session::open(Some(&data), &doc, Some(&file));
    let note = pizhu::annotations::DocumentNote::new("另一个窗口写的");
    let snapshot = |notes: Vec<pizhu::annotations::DocumentNote>, generation| Snapshot {
        generation,
        list: Vec::new(),
        deleted: Vec::new(),
        corrections: Vec::new(),
        document_notes: notes,
    };
    one.session
        .save(Some(&snapshot(vec![note.clone()], 1)), &Place::at(0))
        .unwrap();
    let merged = two
        .session
        .save(Some(&snapshot(Vec::new(), 1)), &Place::at(5))
        .unwrap()
        .expect("the other window's note merged in");
    assert_eq!(merged.document_notes, [note]);
}
