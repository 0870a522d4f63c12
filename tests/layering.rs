//! The layers hold: every `.rs` file under `src/` is read, and each path into a module its
//! layer must not use (`crate::ui`, `crate::{app, …}`, `super::super::term`, `pizhu::session`)
//! fails the test with the file and line. Comments count too: a doc link into an upper layer
//! is a dependency in the making.
//!
//! The layers, from the bottom:
//! - the library (everything not named below, `config.rs` and `keys/` included) uses none
//!   of `app`, `ui`, `term`, `session`;
//! - `app` (state and update, no terminal, no files) uses the library only;
//! - `ui` (drawing) uses `app` and the library, never `term` or `session`;
//! - `session` (the reader's record on disk) uses the library only;
//! - `term` (the terminal and the event loop) and `main.rs` use anything.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

/// The modules whose use is restricted.
const UPPER: [&str; 4] = ["app", "ui", "term", "session"];

/// Uses that break the rules today, each to be removed, as (file, module). The test fails
/// while an exception is no longer needed.
const KNOWN_EXCEPTIONS: &[(&str, &str)] = &[];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layer {
    Library,
    App,
    Ui,
    Session,
    Term,
    Main,
}

impl Layer {
    /// The layer of `file`, whose module path is `module` (see [`module_path`]).
    fn of(module: &[String], file: &Path) -> Self {
        if file == Path::new("src/main.rs") {
            return Self::Main;
        }
        match module.first().map(String::as_str) {
            Some("app") => Self::App,
            Some("ui") => Self::Ui,
            Some("session") => Self::Session,
            Some("term") => Self::Term,
            _ => Self::Library,
        }
    }

    /// Whether a file of this layer may use the top-level module `name` (its own included).
    fn may_use(self, name: &str) -> bool {
        let own = match self {
            Self::App => "app",
            Self::Ui => "ui",
            Self::Session => "session",
            Self::Term => "term",
            Self::Library | Self::Main => "",
        };
        if name == own {
            return true;
        }
        match self {
            Self::Library | Self::App | Self::Session => !UPPER.contains(&name),
            Self::Ui => !matches!(name, "term" | "session"),
            Self::Term | Self::Main => true,
        }
    }
}

/// The module path of a file under `src/`: `src/app/mouse.rs` → `[app, mouse]`,
/// `src/layout/mod.rs` → `[layout]`, `src/lib.rs` → `[]`.
fn module_path(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix("src").unwrap_or(file);
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "mod" | "lib" | "main") {
            parts.push(stem.to_string());
        }
    }
    parts
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !is_ident_char(c)).unwrap_or(s.len());
    &s[..end]
}

/// The top-level names after `root::` at the start of `rest`: one name, or each item of a
/// `{ … }` group (`crate::{app::App, ui}` → `app`, `ui`).
fn names_after(rest: &str) -> Vec<&str> {
    let rest = rest.trim_start();
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident_at(rest)];
    };
    let mut names = Vec::new();
    let mut depth = 1;
    let mut item_start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => item_start = true,
            c if depth == 1 && item_start && is_ident_char(c) => {
                names.push(ident_at(&group[i..]));
                item_start = false;
            }
            _ => {}
        }
    }
    names
}

/// Every use of a top-level module in `source`, with its 1-based line: paths from `crate::`
/// or `pizhu::`, and `super::` chains long enough to reach the crate root from `module`.
fn uses(source: &str, module: &[String]) -> Vec<(usize, String)> {
    let line_of = |at: usize| source[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    let starts_word = |at: usize| {
        !source[..at]
            .chars()
            .next_back()
            .is_some_and(|c| is_ident_char(c) || c == '$')
    };
    for root in ["crate::", "pizhu::"] {
        for (at, _) in source.match_indices(root) {
            if starts_word(at) {
                for name in names_after(&source[at + root.len()..]) {
                    found.push((line_of(at), name.to_string()));
                }
            }
        }
    }
    for (at, _) in source.match_indices("super::") {
        // Only from the first `super::` of a chain.
        if !starts_word(at) || source[..at].ends_with("super::") {
            continue;
        }
        let mut rest = &source[at..];
        let mut climbs = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = r;
        }
        // From inside an inline `mod` the chain climbs less far than this, so a chain this
        // long may reach the root; shorter ones cannot.
        if climbs >= module.len() {
            for name in names_after(rest) {
                found.push((line_of(at), name.to_string()));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_a_layer_above_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut broken = Vec::new();
    let mut exceptions_used = vec![false; KNOWN_EXCEPTIONS.len()];
    let mut layers_seen = Vec::new();
    for path in &files {
        let file = path.strip_prefix(root).expect("under the crate");
        let module = module_path(file);
        let layer = Layer::of(&module, file);
        layers_seen.push(layer);
        let source = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (line, name) in uses(&source, &module) {
            if layer.may_use(&name) {
                continue;
            }
            let exception = KNOWN_EXCEPTIONS
                .iter()
                .position(|&(f, m)| Path::new(f) == file && m == name);
            match exception {
                Some(i) => exceptions_used[i] = true,
                None => broken.push(format!(
                    "{}:{line}: {layer:?} uses crate::{name}",
                    file.display()
                )),
            }
        }
    }
    for layer in [
        Layer::Library,
        Layer::App,
        Layer::Ui,
        Layer::Session,
        Layer::Term,
        Layer::Main,
    ] {
        assert!(
            layers_seen.contains(&layer),
            "no file of {layer:?} found: update Layer::of to the new file names"
        );
    }
    assert!(
        broken.is_empty(),
        "uses across the layers (see the top of tests/layering.rs and README.md, Layout of \
         the code):\n{}",
        broken.join("\n")
    );
    for (i, used) in exceptions_used.iter().enumerate() {
        let (file, name) = KNOWN_EXCEPTIONS[i];
        assert!(
            used,
            "{file} no longer uses crate::{name}: remove it from KNOWN_EXCEPTIONS"
        );
    }
}

#[test]
fn every_form_of_path_is_seen() {
    let module = |s: &str| module_path(Path::new(s));
    let names = |source: &str, file: &str| -> Vec<String> {
        uses(source, &module(file))
            .into_iter()
            .map(|(_, n)| n)
            .collect()
    };
    assert_eq!(module("src/app/mouse.rs"), ["app", "mouse"]);
    assert_eq!(module("src/layout/mod.rs"), ["layout"]);
    assert!(module("src/lib.rs").is_empty());
    assert_eq!(names("use crate::ui::Theme;", "src/app/mouse.rs"), ["ui"]);
    assert_eq!(
        names(
            "use crate::{\n    app::{App, Mode},\n    layout,\n};",
            "src/x.rs"
        ),
        ["app", "layout"]
    );
    assert_eq!(names("let t = pizhu::term::run;", "src/x.rs"), ["term"]);
    // `super::super` from src/app/mouse.rs is the crate root; `super` alone is `app`.
    assert_eq!(names("use super::super::ui;", "src/app/mouse.rs"), ["ui"]);
    assert!(names("use super::ui;", "src/app/mouse.rs").is_empty());
    assert_eq!(names("use super::session;", "src/store.rs"), ["session"]);
    // Longer names and other crates are not the modules.
    assert_eq!(names("crate::application", "src/x.rs"), ["application"]);
    assert!(names("mycrate::app", "src/x.rs").is_empty());
    assert!(names("$crate::app", "src/x.rs").is_empty());
    let line = uses("//! doc\n\nuse crate::term;", &[]);
    assert_eq!(line, [(3, "term".to_string())]);
}

#[test]
fn the_rules_are_the_documented_ones() {
    use Layer::*;
    for name in UPPER {
        assert!(!Library.may_use(name), "library → {name}");
        assert_eq!(Session.may_use(name), name == "session", "session → {name}");
        assert!(Term.may_use(name) && Main.may_use(name));
    }
    assert!(!App.may_use("ui") && !App.may_use("term") && !App.may_use("session"));
    assert!(App.may_use("app") && Ui.may_use("ui"));
    assert!(Ui.may_use("app") && !Ui.may_use("term") && !Ui.may_use("session"));
    assert!(Library.may_use("layout") && App.may_use("keys"));
    assert_eq!(
        Layer::of(
            &module_path(Path::new("src/keys/keymap.rs")),
            Path::new("src/keys/keymap.rs")
        ),
        Library
    );
    assert_eq!(
        Layer::of(
            &module_path(Path::new("src/config.rs")),
            Path::new("src/config.rs")
        ),
        Library
    );
}
