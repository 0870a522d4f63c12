//! The annotation store on disk: round trips, schema evolution, corrupt and newer files,
//! finding a changed document by its path, two instances saving the same document, and saves
//! killed at random moments.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pizhu::annotations::{Annotation, Colour, Quote};
use pizhu::entities::EntityKind;
use pizhu::entities::correction::Correction;
use pizhu::store::{Record, RecordMatch, Store, StoreError, VERSION};
use tempfile::TempDir;

const H1: &str = "0123456789abcdef0123456789abcdef";
const H2: &str = "fedcba9876543210fedcba9876543210";
const H3: &str = "00000000000000000000000000000003";
const QUOTE: &str = "小红书的电商业务依旧未跻身一线阵营";

fn annotation(id: &str, start: usize) -> Annotation {
    Annotation {
        id: id.to_string(),
        start,
        end: start + QUOTE.len(),
        quote: Quote {
            exact: QUOTE.to_string(),
            prefix: "虽然种草社区的流量入口价值很高，但是".to_string(),
            suffix: "。\n资本市场对它的判断也因此摇摆不定，".to_string(),
        },
        colour: Colour::Green,
        tags: Vec::new(),
        note: String::new(),
        created: "2026-11-25T17:55:06.123Z".to_string(),
        modified: "2026-11-25T17:55:06.123Z".to_string(),
        orphan: false,
    }
}

fn tagged(id: &str, start: usize, tags: &[&str]) -> Annotation {
    Annotation {
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..annotation(id, start)
    }
}

fn setup() -> (TempDir, PathBuf, Store) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("data");
    let store = Store::open(&dir).expect("open store");
    (tmp, dir, store)
}

fn ids(record: &Record) -> Vec<&str> {
    record.annotations.iter().map(|a| a.id.as_str()).collect()
}

fn doc_file(dir: &Path, hash: &str) -> PathBuf {
    dir.join(format!("{hash}.ron"))
}

#[test]
fn save_then_load_gives_the_same_record() {
    let (_tmp, dir, store) = setup();
    let loaded = store.load(H1, Some("/文章/小红书.txt"), "小红书").unwrap();
    assert_eq!(loaded.found, RecordMatch::New);
    assert!(loaded.moved_aside.is_none());
    let mut record = loaded.record;
    assert_eq!(record.version, VERSION);
    record.position = 1234;
    record.annotations = vec![annotation("b", 90), tagged("a", 30, &["电商", "AI"])];
    record.annotations[0].note = "第一行\n第二行 \"引号\" \\ 反斜杠".to_string();
    record.annotations[1].orphan = true;
    record.deleted = vec!["gone".to_string()];
    record.corrections = vec![
        Correction::Add {
            name: "小红书".to_string(),
            kind: EntityKind::Company,
            surface: "小红书".to_string(),
        },
        Correction::Reject {
            name: "一线".to_string(),
        },
    ];
    let outcome = store.save(&mut record).unwrap();
    assert_eq!(outcome.merged_in, 0);
    assert!(!record.saved.is_empty());
    assert_eq!(ids(&record), ["a", "b"], "sorted by start");

    let again = Store::open(&dir).unwrap();
    let loaded = again.load(H1, Some("/文章/小红书.txt"), "小红书").unwrap();
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert_eq!(loaded.record, record);

    // Readable: Chinese as is, one annotation per line.
    let text = std::fs::read_to_string(doc_file(&dir, H1)).unwrap();
    assert!(text.contains("title: \"小红书\""), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(&"    annotations: ["), "{text}");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("        (id: "))
            .count(),
        2,
        "{text}"
    );
}

#[test]
fn a_minimal_file_loads_with_defaults() {
    let (_tmp, dir, store) = setup();
    std::fs::write(
        doc_file(&dir, H1),
        format!("(version: 1, hash: \"{H1}\")\n"),
    )
    .unwrap();
    let loaded = store.load(H1, Some("/a.txt"), "标题").unwrap();
    assert_eq!(loaded.found, RecordMatch::ByHash);
    let r = loaded.record;
    assert_eq!(r.version, 1);
    assert_eq!(
        (r.path.as_deref(), r.title.as_str()),
        (Some("/a.txt"), "标题")
    );
    assert_eq!(r.position, 0);
    assert!(r.annotations.is_empty() && r.deleted.is_empty() && r.corrections.is_empty());
    assert_eq!(r.saved, "");
}

#[test]
fn marks_are_saved_and_loaded_and_left_out_when_there_are_none() {
    let (_tmp, dir, store) = setup();
    let mut record = store.load(H1, Some("/a.txt"), "标题").unwrap().record;
    store.save(&mut record).unwrap();
    let text = std::fs::read_to_string(doc_file(&dir, H1)).unwrap();
    assert!(!text.contains("marks"), "no marks, no field:\n{text}");

    record.marks = [('a', 12), ('q', 3456), ('z', 0)].into_iter().collect();
    store.save(&mut record).unwrap();
    let text = std::fs::read_to_string(doc_file(&dir, H1)).unwrap();
    assert!(text.contains("marks:"), "{text}");
    let loaded = Store::open(&dir).unwrap().load(H1, None, "").unwrap();
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert_eq!(loaded.record.marks, record.marks);
    assert_eq!(loaded.record, record);
}

/// A record written before marks existed (no `marks` field) loads, with none.
#[test]
fn a_record_from_before_marks_loads_without_them() {
    let (_tmp, dir, store) = setup();
    let text = format!(
        r#"(
    version: 1,
    hash: "{H1}",
    path: Some("/a.txt"),
    title: "标题",
    saved: "2026-01-01T00:00:00.000Z",
    position: 42,
    annotations: [],
    deleted: [],
    corrections: [],
    document_notes: [],
)
"#
    );
    std::fs::write(doc_file(&dir, H1), text).unwrap();
    let loaded = store.load(H1, Some("/a.txt"), "标题").unwrap();
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert!(loaded.recovered.is_none() && loaded.moved_aside.is_none());
    assert_eq!(loaded.record.position, 42);
    assert!(loaded.record.marks.is_empty());
}

#[test]
fn unknown_fields_are_ignored() {
    let (_tmp, dir, store) = setup();
    let text = format!(
        r#"(
    version: 1,
    hash: "{H1}",
    sparkles: [1, 2, 3],
    annotations: [
        (id: "x", start: 0, end: 3, quote: (exact: "小红书", hue: 7), created: "2026-01-01T00:00:00.000Z", modified: "2026-01-01T00:00:00.000Z", shimmer: Some("新")),
    ],
    future: (nested: ["是"]),
)"#
    );
    std::fs::write(doc_file(&dir, H1), text).unwrap();
    let loaded = store.load(H1, None, "").unwrap();
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert_eq!(ids(&loaded.record), ["x"]);
    assert_eq!(loaded.record.annotations[0].quote.exact, "小红书");
    assert_eq!(loaded.record.annotations[0].colour, Colour::Yellow);
}

#[test]
fn a_file_from_a_newer_pizhu_is_refused_and_left_alone() {
    let (_tmp, dir, store) = setup();
    let file = doc_file(&dir, H1);
    // Parses as a version 1 record, and a format this build cannot read at all.
    for text in [
        format!("(version: 99, hash: \"{H1}\")"),
        format!("(version: 99, hash: \"{H1}\", annotations: {{\"new\": \"layout\"}})"),
    ] {
        std::fs::write(&file, &text).unwrap();
        let err = store.load(H1, Some("/a.txt"), "").unwrap_err();
        assert!(
            matches!(err, StoreError::Newer { version: 99, .. }),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(!message.contains('\n'));
        assert!(message.contains(&file.display().to_string()), "{message}");
        assert!(
            message.contains("version 99") && message.contains("upgrade"),
            "{message}"
        );

        let mut record = Record::new(H1, None, "");
        record.annotations.push(annotation("a", 0));
        let err = store.save(&mut record).unwrap_err();
        assert!(matches!(err, StoreError::Newer { .. }), "{err:?}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    }
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("corrupt")), "{names:?}");
}

#[test]
fn a_corrupt_file_is_moved_aside_and_never_touched_again() {
    let (_tmp, dir, store) = setup();
    let file = doc_file(&dir, H1);
    let garbage = b"(version: 1, hash: \"oops\", annotations: [(id: \xff\xfe".to_vec();
    std::fs::write(&file, &garbage).unwrap();
    let loaded = store.load(H1, Some("/a.txt"), "标题").unwrap();
    assert_eq!(loaded.found, RecordMatch::New);
    assert!(loaded.record.annotations.is_empty());
    let aside = loaded.moved_aside.expect("moved aside");
    assert!(!file.exists());
    assert_eq!(std::fs::read(&aside).unwrap(), garbage);
    let name = aside.file_name().unwrap().to_str().unwrap();
    let stamp = name
        .strip_prefix(&format!("{H1}.ron.corrupt-"))
        .expect("named after the file");
    assert_eq!(stamp.len(), "20261125T175506Z".len(), "{name}");
    assert!(
        stamp.ends_with('Z') && stamp.as_bytes()[8] == b'T',
        "{name}"
    );
    assert!(store.list().unwrap().is_empty());

    let mut record = loaded.record;
    record.annotations.push(annotation("a", 0));
    store.save(&mut record).unwrap();
    assert_eq!(std::fs::read(&aside).unwrap(), garbage);

    // Corrupt again within the same second: a second name, the first one untouched.
    std::fs::write(&file, b"not ron at all").unwrap();
    let loaded = store.load(H1, None, "").unwrap();
    let second = loaded.moved_aside.expect("moved aside again");
    assert_ne!(second, aside);
    assert_eq!(std::fs::read(&aside).unwrap(), garbage);
    assert_eq!(std::fs::read(&second).unwrap(), b"not ron at all");

    // Corrupt at save time: moved aside, then written.
    std::fs::write(&file, b"(((").unwrap();
    let outcome = store.save(&mut record).unwrap();
    let third = outcome.moved_aside.expect("moved aside at save");
    assert_eq!(std::fs::read(&third).unwrap(), b"(((");
    assert_eq!(store.load(H1, None, "").unwrap().found, RecordMatch::ByHash);
    assert_eq!(store.list().unwrap().len(), 1);
}

#[test]
fn a_changed_document_is_found_by_its_path() {
    let (_tmp, dir, store) = setup();
    // Decoys: a longer path that contains ours, and a note quoting our path.
    let mut decoy = Record::new(H3, Some("/书/文章.txt.bak".to_string()), "备份");
    decoy.annotations.push(annotation("decoy", 0));
    decoy.annotations[0].note = "\"/书/文章.txt\"".to_string();
    store.save(&mut decoy).unwrap();

    let mut old = Record::new(H1, Some("/书/文章.txt".to_string()), "旧标题");
    old.annotations = vec![annotation("a", 10), annotation("b", 20)];
    store.save(&mut old).unwrap();

    let loaded = store.load(H2, Some("/书/文章.txt"), "新标题").unwrap();
    assert_eq!(
        loaded.found,
        RecordMatch::ByPath {
            old_hash: H1.to_string()
        }
    );
    let mut record = loaded.record;
    assert_eq!(record.hash, H2);
    assert_eq!(record.title, "新标题");
    assert_eq!(record.replaces(), Some(H1));
    assert_eq!(ids(&record), ["a", "b"]);
    assert_eq!(
        record.annotations, old.annotations,
        "the store does not re-anchor"
    );
    assert!(
        doc_file(&dir, H1).exists(),
        "kept until the new hash is saved"
    );

    record.annotations[0].start = 11;
    store.save(&mut record).unwrap();
    assert!(!doc_file(&dir, H1).exists());
    assert!(doc_file(&dir, H2).exists());
    assert_eq!(record.replaces(), None);
    let loaded = store.load(H2, Some("/书/文章.txt"), "新标题").unwrap();
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert_eq!(loaded.record.annotations[0].start, 11);
    let listed: Vec<String> = store.list().unwrap().into_iter().map(|s| s.hash).collect();
    assert_eq!(listed.len(), 2);
    assert!(!listed.contains(&H1.to_string()));

    // No path (stdin) never matches by path.
    assert_eq!(store.load(H1, None, "").unwrap().found, RecordMatch::New);
}

#[test]
fn the_same_document_is_found_by_hash_from_another_path() {
    let (_tmp, _dir, store) = setup();
    let mut record = Record::new(H1, Some("/old/a.txt".to_string()), "标题");
    record.annotations.push(annotation("a", 0));
    store.save(&mut record).unwrap();

    let loaded = store.load(H1, Some("/new/a.txt"), "标题").unwrap();
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert_eq!(loaded.record.path.as_deref(), Some("/new/a.txt"));
    assert_eq!(ids(&loaded.record), ["a"]);

    // From stdin the path it was last opened from stays.
    let loaded = store.load(H1, None, "").unwrap();
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert_eq!(loaded.record.path.as_deref(), Some("/old/a.txt"));
    assert_eq!(loaded.record.title, "标题");
}

#[test]
fn two_instances_keep_each_others_work() {
    let (_tmp, dir, one) = setup();
    let two = Store::open(&dir).unwrap();
    let mut a = one.load(H1, Some("/a.txt"), "").unwrap().record;
    let mut b = two.load(H1, Some("/a.txt"), "").unwrap().record;

    a.annotations = vec![annotation("a1", 0), annotation("a2", 10)];
    assert_eq!(one.save(&mut a).unwrap().merged_in, 0);
    b.annotations.push(annotation("b1", 5));
    assert_eq!(two.save(&mut b).unwrap().merged_in, 2);
    assert_eq!(ids(&b), ["a1", "b1", "a2"]);

    // The second instance deletes one of the first one's, which still has it in memory.
    assert!(b.delete("a1").is_some());
    two.save(&mut b).unwrap();
    a.annotations.push(annotation("a3", 20));
    let outcome = one.save(&mut a).unwrap();
    assert_eq!(outcome.merged_in, 2, "b1 came in, a1 went");
    assert_eq!(ids(&a), ["b1", "a2", "a3"]);
    assert!(a.deleted.contains(&"a1".to_string()));

    let fresh = Store::open(&dir).unwrap();
    let loaded = fresh.load(H1, Some("/a.txt"), "").unwrap().record;
    assert_eq!(ids(&loaded), ["b1", "a2", "a3"]);

    // Both edit b1: the later edit wins, whichever instance saves last. (Each round's edits
    // are later than the version both started from, as `touch` makes them.)
    two.save(&mut b).unwrap();
    for (first_saver_is_late, label, early, late) in [
        (
            true,
            "late saved first",
            "2026-11-26T08:00:00.000Z",
            "2026-11-26T09:00:00.000Z",
        ),
        (
            false,
            "late saved last",
            "2026-11-26T10:00:00.000Z",
            "2026-11-26T11:00:00.000Z",
        ),
    ] {
        let mut x = one.load(H1, None, "").unwrap().record;
        let mut y = two.load(H1, None, "").unwrap().record;
        let edit = |r: &mut Record, note: &str, modified: &str| {
            let b1 = r.annotations.iter_mut().find(|a| a.id == "b1").unwrap();
            b1.note = note.to_string();
            b1.modified = modified.to_string();
        };
        edit(&mut x, &format!("早 {label}"), early);
        edit(&mut y, &format!("晚 {label}"), late);
        if first_saver_is_late {
            two.save(&mut y).unwrap();
            one.save(&mut x).unwrap();
        } else {
            one.save(&mut x).unwrap();
            two.save(&mut y).unwrap();
        }
        let loaded = fresh.load(H1, None, "").unwrap().record;
        let b1 = loaded.annotations.iter().find(|a| a.id == "b1").unwrap();
        assert_eq!(b1.note, format!("晚 {label}"));
        // Whoever saved last holds the merged result.
        let last = if first_saver_is_late { &x } else { &y };
        assert_eq!(last.annotations, loaded.annotations);
    }

    // Corrections: ours, then theirs that ours lacks.
    let mut x = one.load(H1, None, "").unwrap().record;
    let mut y = two.load(H1, None, "").unwrap().record;
    let reject = |name: &str| Correction::Reject {
        name: name.to_string(),
    };
    x.corrections = vec![reject("甲"), reject("乙")];
    y.corrections = vec![reject("丙"), reject("甲")];
    y.position = 77;
    one.save(&mut x).unwrap();
    assert_eq!(two.save(&mut y).unwrap().merged_in, 1);
    assert_eq!(y.corrections, [reject("丙"), reject("甲"), reject("乙")]);
    assert_eq!(fresh.load(H1, None, "").unwrap().record.position, 77);
}

#[test]
fn an_unwritable_data_dir_is_reported_when_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, "a regular file").unwrap();
    for dir in [file.join("data"), file.clone()] {
        let err = Store::open(&dir).unwrap_err();
        assert!(matches!(err, StoreError::Unwritable { .. }), "{err:?}");
        let message = err.to_string();
        assert!(!message.contains('\n'), "{message}");
        assert!(message.contains(&dir.display().to_string()), "{message}");
        assert!(message.contains("--data-dir"), "{message}");
        assert!(!message.contains("os error"), "{message}");
    }
}

#[test]
fn list_and_tags_cover_every_readable_document() {
    let (_tmp, dir, store) = setup();
    let mut d1 = Record::new(H1, Some("/a.txt".to_string()), "甲文");
    d1.annotations = vec![
        tagged("1", 0, &["电商", "AI"]),
        tagged("2", 10, &["电商"]),
        annotation("3", 20),
    ];
    d1.annotations[1].note = "要点".to_string();
    d1.annotations[2].orphan = true;
    store.save(&mut d1).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    let mut d2 = Record::new(H2, None, "乙文");
    d2.annotations = vec![tagged("4", 0, &["社区", "电商"])];
    store.save(&mut d2).unwrap();
    let mut empty = Record::new(H3, None, "空");
    store.save(&mut empty).unwrap();
    // Not documents: a corrupt one, a moved-aside one, locks, temp files, strays.
    std::fs::write(doc_file(&dir, "abcabc"), "garbage").unwrap();
    std::fs::write(dir.join(format!("{H1}.ron.corrupt-20260101T000000Z")), "x").unwrap();
    std::fs::write(dir.join(format!(".{H1}.ron.tmp-99999")), "(version: 1, ").unwrap();
    std::fs::write(dir.join("notes.txt"), "hello").unwrap();

    let check = |store: &Store| {
        let list = store.list().unwrap();
        let summary: Vec<(&str, &str, usize, usize, usize)> = list
            .iter()
            .map(|s| {
                (
                    s.hash.as_str(),
                    s.title.as_str(),
                    s.annotations,
                    s.orphans,
                    s.notes,
                )
            })
            .collect();
        assert_eq!(summary, [(H2, "乙文", 1, 0, 0), (H1, "甲文", 3, 1, 1)]);
        assert_eq!(list[1].path.as_deref(), Some("/a.txt"));
        assert_eq!(list[0].saved, d2.saved);
        let tags = store.tags();
        let expected = [("电商", 3), ("AI", 1), ("社区", 1)].map(|(t, n)| (t.to_string(), n));
        assert_eq!(tags, expected);
    };
    check(&store);
    // The index is a cache: without it, or with garbage in it, the same answers.
    std::fs::remove_file(dir.join("index.ron")).unwrap();
    check(&Store::open(&dir).unwrap());
    std::fs::write(dir.join("index.ron"), "garbage").unwrap();
    check(&Store::open(&dir).unwrap());
    check(&store);

    // Another instance's save shows in this one's list.
    let other = Store::open(&dir).unwrap();
    let mut d3 = other.load(H3, None, "空").unwrap().record;
    d3.annotations.push(tagged("5", 0, &["AI"]));
    other.save(&mut d3).unwrap();
    let list = store.list().unwrap();
    assert_eq!(list[0].hash, H3);
    assert_eq!(
        store.tags()[..2],
        [("电商".to_string(), 3), ("AI".to_string(), 2)]
    );
    // A document changed behind the index's back (same size, by hand) is read again. (Its
    // modification time must differ: file times move in clock ticks of a few ms.)
    std::thread::sleep(Duration::from_millis(50));
    let file = doc_file(&dir, H3);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("\"AI\"", "\"IA\"")).unwrap();
    assert!(store.tags().contains(&("IA".to_string(), 1)));

    // The temp file a killed save left behind goes with the next save of that document.
    store.save(&mut d1).unwrap();
    assert!(!dir.join(format!(".{H1}.ron.tmp-99999")).exists());
}

#[test]
fn hashes_that_are_not_hex_are_refused() {
    let (_tmp, _dir, store) = setup();
    let err = store.load("../etc/passwd", None, "").unwrap_err();
    assert!(matches!(err, StoreError::BadHash { .. }), "{err:?}");
    let mut record = Record::new("index", None, "");
    assert!(store.save(&mut record).is_err());
}

#[test]
fn the_default_dir_is_named_after_pizhu() {
    if let Some(dir) = Store::default_dir() {
        assert!(
            dir.to_string_lossy().to_lowercase().contains("pizhu"),
            "{dir:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Saves killed at random moments.

const CHILD_DIR: &str = "PIZHU_CRASH_CHILD";
const CHILD_ROUND: &str = "PIZHU_CRASH_ROUND";
const CRASH_HASH: &str = "c4a5c4a5c4a5c4a5c4a5c4a5c4a5c4a5";
const ROUNDS: u64 = 200;
const READY: &str = "crash-child-ready";
const SAVED: &str = "crash-child-saved ";

/// The child of [`killed_saves_never_lose_a_saved_annotation`]: does nothing unless started
/// by it; then saves one more annotation at a time, forever, saying so after each save.
#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let round = std::env::var(CHILD_ROUND).unwrap_or_default();
    let store = Store::open(Path::new(&dir)).expect("child opens the store");
    let loaded = store
        .load(CRASH_HASH, None, "崩溃测试")
        .expect("child loads");
    let mut record = loaded.record;
    let mut out = std::io::stdout().lock();
    writeln!(out, "\n{READY}").unwrap();
    out.flush().unwrap();
    for i in 0.. {
        let id = format!("r{round}-{i}");
        let mut a = annotation(&id, (i * 7) % 500);
        a.tags = vec![format!("第{}轮", round)];
        if i % 3 == 0 {
            a.note = format!("第{i}条\n批注");
        }
        record.annotations.push(a);
        store.save(&mut record).expect("child saves");
        writeln!(out, "\n{SAVED}{id}").unwrap();
        out.flush().unwrap();
    }
}

/// A deterministic pseudo-random number for `seed` (SplitMix64).
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[test]
fn killed_saves_never_lose_a_saved_annotation() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let file = doc_file(&dir, CRASH_HASH);
    let exe = std::env::current_exe().unwrap();
    let start = Instant::now();
    // Every annotation a child said it saved, over all rounds: the same file grows.
    let mut confirmed: HashSet<String> = HashSet::new();
    let (mut killed_with_saves, mut killed_mid_write, mut most) = (0, 0, 0);
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_DIR, &dir)
            .env(CHILD_ROUND, round.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut saved_now = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|e| panic!("round {round}: no ready line from the child: {e}"));
            if line.contains(READY) {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(mix(round) % 61));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the child stopped by itself"
        );
        reader.join().unwrap();
        for line in rx.try_iter() {
            if let Some(id) = line.split(SAVED).nth(1) {
                saved_now.push(id.trim().to_string());
            }
        }
        killed_with_saves += usize::from(!saved_now.is_empty());
        killed_mid_write += usize::from(std::fs::read_dir(&dir).unwrap().any(|e| {
            let name = e.unwrap().file_name();
            name.to_string_lossy()
                .starts_with(&format!(".{CRASH_HASH}.ron.tmp-"))
        }));
        confirmed.extend(saved_now);

        // The file always parses and holds every annotation reported saved.
        if confirmed.is_empty() && !file.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("round {round}: {}: {e}", file.display()));
        let record: Record = ron::from_str(&text)
            .unwrap_or_else(|e| panic!("round {round}: the file does not parse: {e}"));
        let on_disk: HashSet<&str> = record.annotations.iter().map(|a| a.id.as_str()).collect();
        let missing: Vec<&String> = confirmed
            .iter()
            .filter(|id| !on_disk.contains(id.as_str()))
            .collect();
        assert!(missing.is_empty(), "round {round}: lost {missing:?}");
        most = most.max(record.annotations.len());
    }
    let elapsed = start.elapsed();
    println!(
        "{ROUNDS} rounds in {:.1} s; {killed_with_saves} killed after at least one save, \
         {killed_mid_write} while writing the file; {} annotations saved, file holds {most}",
        elapsed.as_secs_f64(),
        confirmed.len()
    );
    assert!(
        killed_with_saves >= ROUNDS as usize / 2,
        "most rounds should save something"
    );
    assert!(
        killed_mid_write > 0,
        "no kill landed while a save was writing"
    );

    // What the killed saves left behind does not get in the way.
    let store = Store::open(&dir).unwrap();
    let loaded = store.load(CRASH_HASH, None, "").unwrap();
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert!(loaded.moved_aside.is_none());
    let mut record = loaded.record;
    record.annotations.push(annotation("parent", 0));
    store.save(&mut record).unwrap();
    let list = store.list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].annotations, record.annotations.len());
    let tags = store.tags();
    assert!(tags.iter().all(|(t, _)| t.ends_with('轮')), "{tags:?}");
    let tagged: usize = tags.iter().map(|(_, n)| n).sum();
    assert_eq!(tagged, record.annotations.len() - 1);
    let temps: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") && n.contains(CRASH_HASH))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
    assert!(
        elapsed < Duration::from_secs(40),
        "the crash test took {elapsed:?}"
    );
}

/// Runs `f` on another thread and fails if it takes more than ten seconds: a store that waits
/// on a named pipe fails the test instead of hanging it.
fn within_seconds<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("{what} blocked"))
}

#[test]
fn a_named_pipe_where_a_record_should_be_is_moved_aside_without_blocking() {
    let (tmp, dir, store) = setup();
    let mut record = Record::new(H2, None, "乙");
    record.annotations = vec![annotation("a", 0)];
    store.save(&mut record).unwrap();
    let file = doc_file(&dir, H1);
    std::fs::remove_file(dir.join("index.ron")).unwrap();
    for fifo in [&file, &dir.join("index.ron")] {
        let made = Command::new("mkfifo").arg(fifo).status().expect("mkfifo");
        assert!(made.success());
    }
    let store = std::sync::Arc::new(store);
    let s = store.clone();
    let list = within_seconds("list", move || s.list().unwrap());
    assert_eq!(list.len(), 1);
    assert!(std::fs::metadata(dir.join("index.ron")).unwrap().is_file());
    let s = store.clone();
    let loaded = within_seconds("load", move || s.load(H1, None, "").unwrap());
    assert_eq!(loaded.found, RecordMatch::New);
    let aside = loaded.moved_aside.expect("moved aside");
    assert!(!file.exists());
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&aside)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    let s = store.clone();
    let mut record = Record::new(H1, None, "甲");
    record.annotations = vec![annotation("b", 0)];
    within_seconds("save", move || s.save(&mut record).unwrap());
    assert_eq!(
        store.load(H1, None, "").unwrap().record.annotations.len(),
        1
    );
    drop(tmp);
}

/// Saves annotations a, b and c of `H1` (title 甲文, position 42) and returns the file's text.
fn saved_abc(store: &Store, dir: &Path) -> String {
    let mut record = Record::new(H1, Some("/甲.txt".to_string()), "甲文");
    record.position = 42;
    record.annotations = vec![
        annotation("a", 0),
        annotation("b", 60),
        annotation("c", 120),
    ];
    record.annotations[2].note = "第三条\n两行".to_string();
    store.save(&mut record).unwrap();
    std::fs::read_to_string(doc_file(dir, H1)).unwrap()
}

/// Loads `H1` from a file holding `text` (a fresh store: nothing remembered) and checks that
/// the original was moved aside as it was.
fn load_damaged(dir: &Path, text: &str) -> pizhu::store::Loaded {
    std::fs::write(doc_file(dir, H1), text).unwrap();
    let loaded = Store::open(dir).unwrap().load(H1, None, "").unwrap();
    let aside = loaded.moved_aside.as_ref().expect("moved aside");
    assert_eq!(std::fs::read_to_string(aside).unwrap(), text);
    assert!(!doc_file(dir, H1).exists());
    loaded
}

#[test]
fn one_bad_annotation_does_not_hide_the_others() {
    let (_tmp, dir, store) = setup();
    let text = saved_abc(&store, &dir);
    let line = |id: &str| {
        let needle = format!("(id: \"{id}\"");
        text.lines()
            .find(|l| l.contains(&needle))
            .unwrap()
            .to_string()
    };

    // A wrong type in one field of b.
    let bad = line("b").replace("start: 60", "start: \"六十\"");
    let loaded = load_damaged(&dir, &text.replace(&line("b"), &bad));
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert_eq!(ids(&loaded.record), ["a", "c"]);
    assert_eq!(loaded.record.annotations[1].note, "第三条\n两行");
    assert_eq!(
        (loaded.record.title.as_str(), loaded.record.position),
        ("甲文", 42)
    );
    let recovery = loaded.recovered.expect("recovery");
    assert_eq!((recovery.kept, recovery.lost), (2, 1));
    let message = recovery.describe(loaded.moved_aside.as_deref());
    assert!(message.starts_with("2 of 3 saved annotations recovered; the original was moved to "));

    // A colour a newer pizhu added: kept, in the default colour.
    let orange = line("b").replace("colour: green", "colour: orange");
    assert_ne!(orange, line("b"), "the colour is written as {}", line("b"));
    let loaded = load_damaged(&dir, &text.replace(&line("b"), &orange));
    assert_eq!(ids(&loaded.record), ["a", "b", "c"]);
    assert_eq!(loaded.record.annotations[1].colour, Colour::default());
    assert_eq!(loaded.record.annotations[0].colour, Colour::Green);
    let recovery = loaded.recovered.unwrap();
    assert_eq!((recovery.kept, recovery.lost), (3, 0));

    // Cut off in the middle of c: a and b.
    let cut = text.find("第三条").unwrap();
    let loaded = load_damaged(&dir, &text[..cut]);
    assert_eq!(ids(&loaded.record), ["a", "b"]);
    assert_eq!(loaded.record.position, 42);
    let recovery = loaded.recovered.unwrap();
    assert_eq!((recovery.kept, recovery.lost), (2, 1));

    // Cut off right after c: all three.
    let cut = text.find(&line("c")).unwrap() + line("c").len();
    let loaded = load_damaged(&dir, &text[..cut]);
    assert_eq!(ids(&loaded.record), ["a", "b", "c"]);

    // Saving what was recovered writes a whole file again.
    let mut record = loaded.record;
    store.save(&mut record).unwrap();
    let again = store.load(H1, None, "").unwrap();
    assert_eq!(again.recovered, None);
    assert_eq!(ids(&again.record), ["a", "b", "c"]);

    // Nothing readable: a new record, as before.
    let loaded = load_damaged(&dir, "(version: 1, annotations: [ garbage");
    assert_eq!(loaded.found, RecordMatch::New);
    assert!(loaded.record.annotations.is_empty());
    let recovery = loaded.recovered.unwrap();
    assert_eq!(recovery.kept, 0);
    assert!(
        recovery
            .describe(None)
            .starts_with("none of the saved annotations could be read")
    );
}

#[test]
fn a_cut_off_file_from_a_newer_pizhu_is_still_refused() {
    let (_tmp, dir, store) = setup();
    let text = saved_abc(&store, &dir).replacen("version: 1,", "version: 9,", 1);
    let cut = &text[..text.len() / 2];
    std::fs::write(doc_file(&dir, H1), cut).unwrap();
    let err = Store::open(&dir).unwrap().load(H1, None, "").unwrap_err();
    assert!(
        matches!(err, StoreError::Newer { version: 9, .. }),
        "{err:?}"
    );
    assert_eq!(std::fs::read_to_string(doc_file(&dir, H1)).unwrap(), cut);
}
