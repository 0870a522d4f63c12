//! `pizhu export` and the reader's export dialog go through one path (`export::prepare`): for
//! the same saved state, time and time zone they write the same bytes.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sandbox::Sandbox;
use pizhu::app::{App, Effect, EntitiesUpdate, Event, Key};
use pizhu::config::Config;
use pizhu::entities::{Extractor, Gazetteer};
use pizhu::session::{Place, Session};

const EPOCH_SECONDS: i64 = 1_790_000_000;

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for k in keys.split_whitespace() {
        effects.extend(app.handle(Event::Key(Key::parse(k).expect("key"))));
    }
    effects
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle(Event::Key(Key::ch(c)));
    }
}

#[test]
fn the_cli_and_the_dialog_export_the_same_bytes() {
    let sandbox = Sandbox::new();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/xiaohongshu.txt"
    ))
    .expect("sample");
    let file = sandbox.file("article.txt", &text);
    let stored = pizhu::session::stored_path(&file);
    let source = pizhu::load::Source::File(file.clone());
    let doc = pizhu::load::open(&source, None, u64::MAX, None)
        .expect("open the article")
        .doc;
    // The reader: the entities as the reader extracts them, a highlight with a tag and a note,
    // a document note, one entity rejected and one renamed.
    let extracted = {
        let excluded = pizhu::entities::exclude::excluded(doc.text(), Some(&doc));
        Extractor::new(Gazetteer::builtin()).extract_excluding(doc.text(), &excluded, &mut |_| {})
    };
    assert!(extracted.iter().any(|e| e.name == "字节跳动"));
    let mut app = App::new(doc.clone(), "article.txt", Config::default(), (120, 40));
    app.set_now(EPOCH_SECONDS * 1000);
    app.set_source_path(Some(stored.clone()));
    app.handle(Event::Entities(EntitiesUpdate::Done(extracted)));
    press(&mut app, "/");
    typed(&mut app, "核心用户心智");
    press(&mut app, "Enter Esc V t");
    typed(&mut app, "电商");
    press(&mut app, "Enter a");
    typed(&mut app, "种草≠交易");
    press(&mut app, "C-s A");
    typed(&mut app, "全文的笔记");
    press(&mut app, "C-s Tab");
    // Reject the selected entity, rename the next one.
    press(&mut app, "j x j r C-u");
    typed(&mut app, "新的名字");
    press(&mut app, "Enter Tab");
    assert_eq!(
        app.annotations().corrections.len(),
        2,
        "{:?}",
        app.message()
    );
    // Saved as the reader saves it.
    let mut session = Session::open(Some(&sandbox.data), &doc, Some(&file)).session;
    session
        .save(Some(&app.annotations().snapshot()), &Place::default())
        .expect("save");

    // The dialog: its bytes, as handed to the event loop to write.
    press(&mut app, "E C-u");
    typed(&mut app, "out.md");
    let effects = press(&mut app, "Enter");
    let Some(Effect::WriteExport { bytes: dialog, .. }) = effects.into_iter().next() else {
        panic!("the dialog asked for no write");
    };
    // The CLI, at the same time and in the same zone.
    let out = sandbox.dir.path().join("cli.md");
    let status = sandbox
        .command([
            "export",
            file.to_str().expect("path"),
            "-o",
            out.to_str().expect("path"),
        ])
        .env("SOURCE_DATE_EPOCH", EPOCH_SECONDS.to_string())
        .env("TZ", "UTC")
        .status()
        .expect("run pizhu export");
    assert!(status.success());
    let cli = std::fs::read(&out).expect("the CLI's export");
    let (cli, dialog) = (
        String::from_utf8_lossy(&cli),
        String::from_utf8_lossy(&dialog),
    );
    assert!(
        cli.contains("种草≠交易") && cli.contains("全文的笔记") && cli.contains("新的名字"),
        "{cli}"
    );
    assert_eq!(cli, dialog);
}
