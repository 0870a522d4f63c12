//! Issue 10, "no file a user owns is ever lost or overwritten by surprise", for the store and
//! the article loader: a read-only data dir can still be read, endless or blocking inputs are
//! refused before they are read, and one bad annotation does not hide the others.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::sandbox::Sandbox;
use pizhu::annotations::{Annotation, Colour};
use pizhu::document::Document;
use pizhu::store::{RecordMatch, Store, StoreError};

const BIN: &str = env!("CARGO_BIN_EXE_pizhu");
const SAMPLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/xiaohongshu.txt");
const H1: &str = "0123456789abcdef0123456789abcdef";
const H2: &str = "fedcba9876543210fedcba9876543210";
/// Set for [`read_only_store_child`]: the data dir it finds read-only.
const CHILD_DIR: &str = "PIZHU_TEST_READ_ONLY_DIR";
const CHILD_DONE: &str = "read-only child checked everything";

fn sample_doc() -> Document {
    Document::new(&std::fs::read_to_string(SAMPLE_PATH).expect("read the sample"))
}

impl Sandbox {
    /// [`Sandbox::command`] with a fixed clock and no stdin.
    fn store_command(&self, args: &[&str]) -> Command {
        let mut cmd = self.command(args);
        cmd.env("SOURCE_DATE_EPOCH", "1795629306")
            .stdin(Stdio::null());
        cmd
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Saves two annotations of the sample in `data`, as the reader would.
fn seed_sample(data: &Path) -> Document {
    let doc = sample_doc();
    let store = Store::open(data).expect("open store");
    let mut record = store
        .load(doc.hash(), None, doc.title().unwrap_or_default())
        .expect("load")
        .record;
    let start = doc.text().find("小红书的核心用户心智是").expect("quote");
    let mut a = Annotation::new(doc.text(), start, start + "小红书".len(), Colour::Blue);
    a.tags = vec!["电商".into()];
    a.note = "只读也能导出".into();
    let start = start + "小红书的".len();
    let mut b = Annotation::new(doc.text(), start, start + "核心".len(), Colour::Pink);
    b.note = "第二条批注".into();
    record.annotations = vec![a, b];
    store.save(&mut record).expect("save");
    doc
}

/// Every file in `dir` with its bytes.
fn dir_bytes(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.expect("dir entry");
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A read-only data dir (item 4)

/// Runs `cmd` while `dir` cannot be written: by its permission bits, or, where those do not
/// count (root), by a read-only bind mount in a private mount namespace (`unshare`), which
/// the rest of the machine never sees. `None`, after saying why, where neither works.
fn run_read_only(dir: &Path, mut cmd: Command) -> Option<Output> {
    use std::os::unix::fs::PermissionsExt;
    let mode = |m| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(m));
    mode(0o555).expect("chmod");
    let probe = dir.join(".can-i-write");
    let bits_count = std::fs::write(&probe, b"").is_err();
    let _ = std::fs::remove_file(&probe);
    if bits_count {
        let out = cmd.output().expect("run");
        mode(0o755).expect("chmod back");
        return Some(out);
    }
    mode(0o755).expect("chmod back");
    // Permission bits do not bind root: mount the dir read-only over itself instead.
    const SETUP: i32 = 97;
    let script = format!(
        "d=\"$1\"; shift; mount --bind \"$d\" \"$d\" && mount -o remount,bind,ro \"$d\" \"$d\" \
         || exit {SETUP}; exec \"$@\""
    );
    let mut wrapped = Command::new("unshare");
    wrapped
        .args([
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            &script,
            "sh",
        ])
        .arg(dir)
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(Stdio::null());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => wrapped.env(key, v),
            None => wrapped.env_remove(key),
        };
    }
    match wrapped.output() {
        Ok(out) if out.status.code() != Some(SETUP) => Some(out),
        result => {
            eprintln!(
                "skipped: running as root and cannot mount {} read-only here ({:?})",
                dir.display(),
                result.map(|o| stderr(&o))
            );
            None
        }
    }
}

/// This test binary running only [`read_only_store_child`] on `dir`.
fn child(dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args(["--exact", "read_only_store_child", "--nocapture"])
        .env(CHILD_DIR, dir);
    cmd
}

#[test]
fn a_read_only_data_dir_opens_read_only_and_is_never_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let store = Store::open(&data).unwrap();
    assert!(!store.read_only());
    let mut record = pizhu::store::Record::new(H1, Some("/甲.txt".into()), "甲文");
    let mut a = Annotation::new("小红书的电商", 0, 9, Colour::Green);
    a.tags = vec!["电商".into()];
    record.annotations = vec![a];
    store.save(&mut record).unwrap();
    std::fs::write(data.join(format!("{H2}.ron")), b"not a record").unwrap();
    // Reading must not need a lock file, or an index to update.
    for (name, _) in dir_bytes(&data) {
        if name.ends_with(".lock") || name == "index.ron" {
            std::fs::remove_file(data.join(name)).unwrap();
        }
    }
    let before = dir_bytes(&data);
    let Some(out) = run_read_only(&data, child(&data)) else {
        return;
    };
    assert!(
        out.status.success() && stdout(&out).contains(CHILD_DONE),
        "child failed: {}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(dir_bytes(&data), before, "the read-only dir was changed");
}

/// The child of [`a_read_only_data_dir_opens_read_only_and_is_never_changed`]: does nothing
/// unless started by it, on a dir it cannot write.
#[test]
fn read_only_store_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let store = Store::open(&dir).expect("a read-only dir opens");
    assert!(store.read_only());
    let loaded = store.load(H1, None, "").expect("loads");
    assert_eq!(loaded.found, RecordMatch::ByHash);
    assert_eq!(loaded.record.annotations.len(), 1);
    let list = store.list().expect("lists");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].title, "甲文");
    assert_eq!(store.tags(), [("电商".to_string(), 1)]);
    // An unreadable record is neither moved aside nor found by path instead.
    let other = store.load(H2, Some("/甲.txt"), "").expect("loads");
    assert_eq!(other.found, RecordMatch::New);
    assert_eq!(other.moved_aside, None);

    let mut record = loaded.record;
    let err = store.save(&mut record).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    let message = err.to_string();
    assert!(!message.contains('\n'), "{message}");
    assert!(message.contains(&dir.display().to_string()), "{message}");
    assert!(message.contains("not saved"), "{message}");
    assert!(message.contains("--data-dir"), "{message}");
    assert!(!message.contains("os error"), "{message}");
    // A dir that does not exist and cannot be created is still an error.
    let err = Store::open(&dir.join("新")).unwrap_err();
    assert!(matches!(err, StoreError::Unwritable { .. }), "{err:?}");
    println!("{CHILD_DONE}");
}

#[test]
fn list_and_export_work_on_a_read_only_data_dir() {
    let sb = Sandbox::new();
    seed_sample(&sb.data);
    let before = dir_bytes(&sb.data);
    let Some(list) = run_read_only(&sb.data, sb.store_command(&["list"])) else {
        return;
    };
    assert!(list.status.success(), "list failed: {}", stderr(&list));
    assert_eq!(stderr(&list), "");
    assert!(stdout(&list).contains("2 highlights"), "{}", stdout(&list));

    let export = run_read_only(&sb.data, sb.store_command(&["export", "-f", "json"])).unwrap();
    assert!(
        export.status.success(),
        "export failed: {}",
        stderr(&export)
    );
    assert_eq!(stderr(&export), "");
    assert!(
        stdout(&export).contains("只读也能导出"),
        "{}",
        stdout(&export)
    );
    let _ = &sb.dir;
    assert_eq!(dir_bytes(&sb.data), before, "the read-only dir was changed");
}

// ---------------------------------------------------------------------------------------------
// Endless and blocking inputs (item 6)

/// Runs `cmd`, killing it after `secs` seconds: a regression fails instead of hanging.
fn run_with_timeout(mut cmd: Command, secs: u64) -> Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pizhu");
    wait_with_timeout(child, secs)
}

fn wait_with_timeout(mut child: std::process::Child, secs: u64) -> Output {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pizhu still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// Exit code 2, nothing on stdout, one clean line on stderr containing each of `needles`.
#[track_caller]
fn refused(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(out));
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(
        !err.contains("os error") && !err.contains("panicked"),
        "{err}"
    );
    for needle in needles {
        assert!(
            err.contains(needle),
            "stderr should contain {needle:?}: {err}"
        );
    }
}

#[test]
fn devices_are_refused_without_being_read() {
    let sb = Sandbox::new();
    for device in ["/dev/zero", "/dev/urandom"] {
        for sub in ["cat", "entities"] {
            let out = run_with_timeout(sb.store_command(&[sub, device]), 20);
            refused(&out, &[device, "character device", "text file"]);
        }
    }
    let out = run_with_timeout(sb.store_command(&["export", "-f", "json", "/dev/zero"]), 20);
    refused(&out, &["/dev/zero", "character device"]);
}

#[test]
fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
    let sb = Sandbox::new();
    let fifo = sb.dir.path().join("管道.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let name = fifo.to_str().unwrap();
    let out = run_with_timeout(sb.store_command(&["cat", name]), 10);
    refused(&out, &[name, "named pipe", "standard input"]);
    let out = run_with_timeout(sb.store_command(&[name]), 10);
    refused(&out, &[name, "named pipe"]);
}

#[test]
fn a_socket_is_refused() {
    let sb = Sandbox::new();
    let path = sb.dir.path().join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&path).expect("bind");
    let name = path.to_str().unwrap();
    let out = run_with_timeout(sb.store_command(&["cat", name]), 10);
    refused(&out, &[name, "socket"]);
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let sb = Sandbox::new();
    // Sparse: 3 GiB on paper, nothing on disk. Read whole, it would take seconds and 3 GiB.
    let big = sb.dir.path().join("大.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let name = big.to_str().unwrap();
    let out = run_with_timeout(sb.store_command(&["cat", name]), 20);
    refused(
        &out,
        &[name, "is 3 GiB, over the 512 MiB limit", "--max-size"],
    );

    let small = sb.dir.path().join("小.txt");
    std::fs::write(&small, "小红书\n".repeat(200)).unwrap();
    let name = small.to_str().unwrap();
    let out = run_with_timeout(sb.store_command(&["cat", name, "--max-size", "1K"]), 20);
    refused(&out, &[name, "is 2 KiB, over the 1 KiB limit"]);
    let mut cmd = sb.store_command(&["cat", name]);
    cmd.env("PIZHU_MAX_FILE_SIZE", "1999");
    let out = run_with_timeout(cmd, 20);
    refused(
        &out,
        &[
            name,
            "is 2000 bytes, over the 1999 bytes limit",
            "PIZHU_MAX_FILE_SIZE",
        ],
    );
    let out = run_with_timeout(sb.store_command(&["cat", name, "--max-size", "2K"]), 20);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run_with_timeout(sb.store_command(&["cat", name, "--max-size", "lots"]), 20);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn stdin_is_read_only_up_to_the_size_limit() {
    let sb = Sandbox::new();
    let run = |limit: &str| {
        let mut child = sb
            .store_command(&["cat", "-", "--max-size", limit])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut pipe = child.stdin.take().unwrap();
        // An endless writer: only the limit ends the read.
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let chunk = "小红书的电商业务\n".repeat(100);
            while pipe.write_all(chunk.as_bytes()).is_ok() {}
        });
        let out = wait_with_timeout(child, 20);
        writer.join().unwrap();
        out
    };
    refused(&run("64K"), &["(stdin)", "larger than the 64 KiB limit"]);
}

#[test]
fn help_shows_the_size_limit() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = stdout(&out);
    assert!(help.contains("--max-size <BYTES>"), "{help}");
    assert!(help.contains("PIZHU_MAX_FILE_SIZE"), "{help}");
    assert!(help.contains("512M"), "{help}");
}

// ---------------------------------------------------------------------------------------------
// One bad annotation does not hide the others (item 7)

/// The sample's record file in `data`.
fn sample_record(data: &Path, doc: &Document) -> PathBuf {
    data.join(format!("{}.ron", doc.hash()))
}

#[test]
fn export_keeps_the_annotations_that_can_be_read_and_says_so() {
    let sb = Sandbox::new();
    let doc = seed_sample(&sb.data);
    let file = sample_record(&sb.data, &doc);
    let text = std::fs::read_to_string(&file).unwrap();
    let damaged = text.replacen("note: \"第二条批注\"", "note: 2", 1);
    assert_ne!(damaged, text);
    std::fs::write(&file, &damaged).unwrap();
    let out = run_with_timeout(sb.store_command(&["export", "-f", "json"]), 20);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("只读也能导出"), "{}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("1 of 2 saved annotations recovered; the original was moved to "),
        "{err}"
    );
    assert!(err.contains(".ron.corrupt-"), "{err}");
}

#[test]
fn export_fails_when_no_saved_annotation_can_be_read() {
    let sb = Sandbox::new();
    let doc = seed_sample(&sb.data);
    std::fs::write(
        sample_record(&sb.data, &doc),
        "(version: 1, annotations: [ 坏",
    )
    .unwrap();
    let out = run_with_timeout(sb.store_command(&["export", "-f", "json"]), 20);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("none of the saved annotations could be read"),
        "{err}"
    );
    assert!(err.contains(".ron.corrupt-"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}
