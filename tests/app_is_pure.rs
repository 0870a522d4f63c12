//! The reader's state machine (`src/app/`) touches no file, no environment and no clock: time
//! comes in with events and writes go out as effects, so every key handler can be tested
//! with a plain `App`. This test reads the sources and fails, naming the file and line, when
//! one of them reaches out. Test modules are left out.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// What reaches the file system, the environment or the clock.
const FORBIDDEN: &[&str] = &[
    "std::fs",
    "fs::",
    "std::env",
    "env::var",
    "SystemTime",
    "Instant::now",
    "Timestamp::now",
    "TimeZone::system",
    "clock::now",
    "clock::after(",
    "now_millis()",
    "canonicalize",
    ".exists()",
    ".is_dir()",
    ".is_file()",
    "File::",
    "OpenOptions",
    "Annotation::new(",
    "DocumentNote::new(",
    ".touch()",
    "new_id()",
    "std::process",
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/app") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_app_reads_no_file_environment_or_clock() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(files.len() > 10, "{files:?}");
    let mut found = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            let code = line.split("//").next().unwrap_or_default();
            for bad in FORBIDDEN {
                // `self.now_millis()` is the app's own time, from events.
                if code.contains(bad)
                    && !code.contains(&format!("self.{}", bad.trim_start_matches('.')))
                {
                    found.push(format!(
                        "{}:{}: {bad}: {}",
                        file.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "src/app reaches out:\n{}",
        found.join("\n")
    );
}
