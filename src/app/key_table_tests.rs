//! Keys in every context, as a table: the line with the cursor marked `|`, the keys (and any
//! rebinding from a config), and what follows: the line with the cursor or the selection
//! `[…]`, the context, and the highlights.

use std::path::Path;

use super::tests::entity_panel_support::app_with_entities;
use super::{App, Context, Effect, Event, Key, Keymap};
use crate::config::Config;

/// `text` with the cursor (or the selection) marked, the line it is on only.
fn marked_line(app: &App) -> String {
    let text = app.doc().text();
    let (start, end) = match app.selection() {
        Some(r) => (r.start, r.end),
        None => (app.cursor(), app.cursor()),
    };
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    if app.selection().is_some() {
        format!(
            "{}[{}]{}",
            &text[line_start..start],
            &text[start..end],
            &text[end..line_end]
        )
    } else {
        format!("{}|{}", &text[line_start..start], &text[start..line_end])
    }
}

/// What a row of the table checks: the marked line, the context, the highlights (quote,
/// colour, tags, note) and, in the entity panel, the selected row.
fn state(app: &App) -> String {
    let mut out = format!("{}  <{}>", marked_line(app), app.context().name());
    for a in &app.annotations().list {
        out.push_str(&format!(" [{}:{}", a.quote.exact, a.colour.as_str()));
        for t in &a.tags {
            out.push_str(&format!(" #{t}"));
        }
        if !a.note.is_empty() {
            out.push_str(&format!(" \"{}\"", a.note));
        }
        out.push(']');
    }
    if matches!(app.context(), Context::Entities | Context::EntityPrompt) {
        out.push_str(&format!(" row {}", app.panel().selected));
    }
    out
}

fn run(start: &str, keys: &str, rebind: &str) -> String {
    let mut app = app_with_entities(140, 20);
    if !rebind.is_empty() {
        let config = Config::parse(&format!("(keys: ({rebind}))"), Path::new("t.ron"))
            .unwrap_or_else(|e| panic!("{e}"));
        app.keymap = Keymap::with(&config.keys);
    }
    let plain = start.replace('|', "");
    let line = app
        .doc()
        .text()
        .find(&plain)
        .unwrap_or_else(|| panic!("{plain:?} is not a line of the text"));
    app.set_cursor(line + start.find('|').unwrap_or(0));
    app.handle(Event::Resize(140, 20));
    for k in keys.split_whitespace() {
        let key = Key::parse(k).unwrap_or_else(|| panic!("bad key {k}"));
        app.handle(Event::Key(key));
    }
    state(&app)
}

#[test]
fn keys_in_every_context() {
    #[rustfmt::skip]
    let table: Vec<(&str, &str, &str, String)> = vec![
        // Reading.
        ("字节|跳动旗下有抖音。小红书很好。", "l", "", "字节跳|动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "3 l", "", "字节跳动旗|下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "$", "", "字节跳动旗下有抖音。小红书很好|。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "0", "", "|字节跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "G", "", "抖音和字节|。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "z z", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", ")", "", "字节跳动旗下有抖音。|小红书很好。  <reader>".into()),
        // Rebound: J to the end, j unbound, z on its own (its sequences go).
        ("字节|跳动旗下有抖音。小红书很好。", "J", "reader: { \"J\": \"Bottom\" }", "抖音和字节|。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "j", "reader: { \"j\": \"none\" }", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "z", "reader: { \"z\": \"RowEnd\" }", "字节跳动旗下有抖音。小红书很好|。  <reader>".into()),
        // Marks and the jump back.
        ("字节|跳动旗下有抖音。小红书很好。", "m a G ' a", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "G ' '", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "G ' ' ' '", "", "抖音和字节|。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "M a G ' a", "reader: { \"M\": \"SetMark\" }", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        // The outline: the title is the only heading here.
        ("字节|跳动旗下有抖音。小红书很好。", "T", "", "字节|跳动旗下有抖音。小红书很好。  <outline>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "T Enter", "", "|标题  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "T /", "", "字节|跳动旗下有抖音。小红书很好。  <filter>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "T / x Esc", "", "字节|跳动旗下有抖音。小红书很好。  <outline>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "T q", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "T x", "outline: { \"x\": \"Cancel\" }", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        // Selecting.
        ("字节|跳动旗下有抖音。小红书很好。", "v l l", "", "字节[跳动旗]下有抖音。小红书很好。  <visual>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l l o", "", "字节[跳动旗]下有抖音。小红书很好。  <visual>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l l o h", "", "字[节跳动旗]下有抖音。小红书很好。  <visual>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l Esc", "", "字节跳|动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l 2", "", "字节|跳动旗下有抖音。小红书很好。  <reader> [跳动:green]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l Enter", "", "字节|跳动旗下有抖音。小红书很好。  <reader> [跳动:yellow]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l y", "visual: { \"y\": \"HighlightBlue\" }", "字节|跳动旗下有抖音。小红书很好。  <reader> [跳动:blue]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v E", "", "字节[跳]动旗下有抖音。小红书很好。  <visual>".into()),
        // The search prompt and its line input.
        ("字节|跳动旗下有抖音。小红书很好。", "/ 小 红 Enter", "", "字节跳动旗下有抖音。|小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "/ 小 红 Esc", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "/ 小", "", "字节跳动旗下有抖音。|小红书很好。  <search>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "/ 小 BS BS", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "/ 红 C-a 小 Enter", "", "字节跳动旗下有抖音。|小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "/ 小 C-j", "search: { \"ctrl-j\": \"Accept\" }", "字节跳动旗下有抖音。|小红书很好。  <reader>".into()),
        // Tags.
        ("字节|跳动旗下有抖音。小红书很好。", "v l t", "", "字节|跳动旗下有抖音。小红书很好。  <tags> [跳动:yellow]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l t a Space b Enter", "", "字节|跳动旗下有抖音。小红书很好。  <reader> [跳动:yellow #a #b]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l t a Esc", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        // The note editor and its question.
        ("字节|跳动旗下有抖音。小红书很好。", "v l a h i C-s", "", "字节|跳动旗下有抖音。小红书很好。  <reader> [跳动:yellow \"hi\"]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l a h Enter i C-s", "", "字节|跳动旗下有抖音。小红书很好。  <reader> [跳动:yellow \"h\ni\"]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l a h i Esc", "", "字节|跳动旗下有抖音。小红书很好。  <discard> [跳动:yellow]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l a h i Esc x", "", "字节|跳动旗下有抖音。小红书很好。  <note> [跳动:yellow]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l a h i Esc y", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l a h i C-w", "note: { \"ctrl-w\": \"Save\" }", "字节|跳动旗下有抖音。小红书很好。  <reader> [跳动:yellow \"hi\"]".into()),
        // Export.
        ("字节|跳动旗下有抖音。小红书很好。", "E", "", "字节|跳动旗下有抖音。小红书很好。  <export>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "E Tab Esc", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        // Help.
        ("字节|跳动旗下有抖音。小红书很好。", "? j", "", "字节|跳动旗下有抖音。小红书很好。  <help>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "? x", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "? / a", "", "字节|跳动旗下有抖音。小红书很好。  <help_search>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "? / a BS BS", "", "字节|跳动旗下有抖音。小红书很好。  <help>".into()),
        // The entity panel, its prompt and filter.
        ("字节|跳动旗下有抖音。小红书很好。", "Tab", "", "字节|跳动旗下有抖音。小红书很好。  <entities> row 0".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "Tab j j", "", "字节|跳动旗下有抖音。小红书很好。  <entities> row 2".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "Tab J", "entities: { \"J\": \"Down\" }", "字节|跳动旗下有抖音。小红书很好。  <entities> row 1".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "Tab j r", "", "字节|跳动旗下有抖音。小红书很好。  <entity_prompt> row 1".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "Tab /", "", "字节|跳动旗下有抖音。小红书很好。  <filter>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "Tab / x Enter", "", "字节|跳动旗下有抖音。小红书很好。  <entities> row 0".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "Tab Esc", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "Tab l", "", "字节|跳动旗下有抖音。小红书很好。  <notes>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "Tab l /", "", "字节|跳动旗下有抖音。小红书很好。  <filter>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "Tab l Tab", "", "字节|跳动旗下有抖音。小红书很好。  <reader>".into()),
        // The notes tab works on the selected highlight.
        ("字节|跳动旗下有抖音。小红书很好。", "v l Enter o c", "", "字节|跳动旗下有抖音。小红书很好。  <notes> [跳动:green]".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l Enter o x", "", "字节|跳动旗下有抖音。小红书很好。  <notes>".into()),
        ("字节|跳动旗下有抖音。小红书很好。", "v l Enter 0 o Enter", "", "字节|跳动旗下有抖音。小红书很好。  <reader> [跳动:yellow]".into()),
    ];
    let mut failures = Vec::new();
    for (start, keys, rebind, want) in &table {
        let got = run(start, keys, rebind);
        if &got != want {
            failures.push(format!(
                "{start} + {keys} ({rebind}):\n  got  {got}\n  want {want}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_failed_save_answers_only_to_its_keys() {
    let mut app = app_with_entities(140, 20);
    app.quit_failed("disk full");
    assert_eq!(app.context(), Context::Unsaved);
    app.handle(Event::Key(Key::ch('j')));
    assert_eq!(
        app.context(),
        Context::Unsaved,
        "a stray key does not answer"
    );
    let effects = app.handle(Event::Key(Key::ch('q')));
    assert_eq!(effects, [Effect::Quit(None)], "q quits without saving");
}
