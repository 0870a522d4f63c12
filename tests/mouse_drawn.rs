//! Mouse clicks land on what is drawn: the cell under the pointer is the character, entity,
//! tab or note the screen shows there. These tests draw with `pizhu::ui`, so they live here
//! and not beside the mouse handling in `src/app/` (which never uses `ui`).

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pizhu::app::{
    App, EntitiesUpdate, Event, Key, Mouse, MouseKind, PanelAreas, SharedSegmenter, Tab, Walk,
};
use pizhu::config::Config;
use pizhu::document::{BlockKind, Document};
use pizhu::entities::{Entity, Extractor, Gazetteer};
use pizhu::layout::Visual;
use pizhu::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

fn app(text: &str, width: u16) -> App {
    let mut app = App::new(Document::new(text), "t", Config::default(), (width, 10));
    app.handle(Event::Resize(width, 10));
    app
}

/// Three companies, one named by its short form too, with the segmenter the reader gets.
fn app_with_entities(w: u16, h: u16) -> App {
    const GAZETTEER: &str =
        "字节跳动\tcompany\t字节\t\t\n抖音\tcompany\t\t字节跳动\t\n小红书\tcompany\t\t\t\n";
    let text = "标题\n\n字节跳动旗下有抖音。小红书很好。\n\n字节的速度很快。\n\n抖音和字节。";
    let mut a = App::new(Document::new(text), "test", Config::default(), (w, h));
    let extractor = Extractor::new(Gazetteer::parse(GAZETTEER).expect("valid gazetteer"));
    let entities = extractor.extract(a.doc().text(), &mut |_| {});
    a.handle(Event::Entities(EntitiesUpdate::Segmenter(SharedSegmenter(
        extractor.shared_segmenter(),
    ))));
    a.handle(Event::Entities(EntitiesUpdate::Done(entities)));
    a
}

fn entity<'a>(a: &'a App, name: &str) -> Option<&'a Entity> {
    a.panel().entities.iter().find(|e| e.name == name)
}

fn press(app: &mut App, keys: &str) {
    for k in keys.split_whitespace() {
        app.handle(Event::Key(Key::parse(k).expect("valid key")));
    }
}

fn mouse(app: &mut App, kind: MouseKind, x: u16, y: u16) {
    app.handle(Event::Mouse(Mouse { kind, x, y }));
}

/// A press and release of the left button.
fn click(app: &mut App, x: u16, y: u16) {
    mouse(app, MouseKind::Down { clicks: 1 }, x, y);
    mouse(app, MouseKind::Up, x, y);
}

/// The screen cell where the character at byte `offset` is drawn.
fn cell_of(app: &App, offset: usize) -> (u16, u16) {
    let area = app.geometry().text;
    for (i, r) in app.screen().iter().enumerate() {
        if let Visual::Text(row) = r.visual {
            for (o, _, _, at) in app.placed(&row) {
                if o == offset {
                    return (area.x + at as u16, area.y + i as u16);
                }
            }
        }
    }
    panic!("{offset} is not on screen");
}

fn render(app: &App) -> Buffer {
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| ui::draw(f, app, &Theme::default()))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// Where `needle` is drawn at or right of column `from`: its first cell.
fn find_drawn(buf: &Buffer, needle: &str, from: u16) -> Option<(u16, u16)> {
    for y in 0..buf.area.height {
        // The symbols of the row with the column each starts at (a wide character's
        // second cell holds nothing of its own).
        let mut line = String::new();
        let mut starts = Vec::new();
        let mut x = from;
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            starts.push((line.len(), x));
            line.push_str(symbol);
            x += symbol.width().max(1) as u16;
        }
        if let Some(i) = line.find(needle) {
            let (_, x) = starts.iter().rev().find(|(b, _)| *b <= i).unwrap();
            return Some((*x, y));
        }
    }
    None
}

/// Wide and narrow characters, a list item and a quote (indented rows), each wrapped at
/// 80 columns.
const MIXED: &str = "# 标题\n\n第一段有中文和English混排的文字，足够长，可以折成好几行看看效果abc。\n\n\
    - 列表项里有ASCII和中文，也要够长才能折行，看看缩进对不对xyz，再加上一些words和\
    更多的汉字，让它在八十列宽的时候也一定会折到第二行去。\n\n\
    > 引文里也有Latin字母和汉字，同样要够长才能折到第二行上去看看，再加上一些letters\
    和更多的汉字，让它在八十列宽的时候也折行。\n";

#[test]
fn every_cell_of_a_row_takes_the_character_drawn_there() {
    // At 120 columns the column is centred, at 140 it is beside the panel.
    for (width, panel) in [(40, false), (80, false), (120, false), (140, true)] {
        let markdown = pizhu::formats::InputFormat::Markdown;
        let doc = pizhu::formats::read(MIXED.as_bytes(), markdown, None)
            .unwrap()
            .doc;
        let mut app = App::new(doc, "t", Config::default(), (width, 30));
        app.handle(Event::Resize(width, 30));
        if (app.geometry().panel.width > 0) != panel {
            // `p` shows or hides the panel.
            press(&mut app, "p");
        }
        assert_eq!(app.geometry().panel.width > 0, panel);
        let area = app.geometry().text;
        let buf = render(&app);
        let screen = app.screen().to_vec();
        let mut indented = [false; 2];
        for (i, r) in screen.iter().enumerate() {
            let Visual::Text(row) = r.visual else {
                continue;
            };
            let y = area.y + i as u16;
            let placed: Vec<(usize, String, usize, usize)> = app
                .placed(&row)
                .map(|(o, g, w, at)| (o, g.to_string(), w, at))
                .filter(|p| p.2 > 0)
                .collect();
            let (first, last) = (&placed[0], &placed[placed.len() - 1]);
            match r.kind {
                BlockKind::ListItem { .. } => indented[0] |= row.indent > 0,
                BlockKind::Quote { .. } => indented[1] |= row.indent > 0,
                _ => {}
            }
            for x in area.left()..area.right() {
                let col = usize::from(x - area.x);
                let expected = if col < first.3 {
                    first
                } else {
                    placed.iter().find(|p| col < p.3 + p.2).unwrap_or(last)
                };
                if (expected.3..expected.3 + expected.2).contains(&col) {
                    // The character under the pointer is the one drawn there.
                    let drawn = buf[(area.x + expected.3 as u16, y)].symbol();
                    assert_eq!(drawn, expected.1, "width {width}, row {i}, column {col}");
                }
                click(&mut app, x, y);
                assert_eq!(
                    app.cursor(),
                    expected.0,
                    "width {width}, row {i}, column {col}: {:?}",
                    expected.1
                );
                assert_eq!(app.screen(), &screen[..], "a click does not scroll");
            }
        }
        assert_eq!(
            indented,
            [true, true],
            "indented list and quote rows at {width}"
        );
        if width == 120 {
            assert!(area.x > 10, "the column is centred at 120: {area:?}");
        }
    }
}

#[test]
fn a_click_on_an_entity_lights_it_up_as_enter_does() {
    let mut app = app_with_entities(140, 20);
    let g = app.geometry();
    assert!(g.panel.width > 0, "the panel is beside the text");
    // Where the list draws it.
    let (x, y) = find_drawn(&render(&app), "字节跳动", g.panel.x).expect("drawn");
    click(&mut app, x + 1, y);
    let i = app
        .panel()
        .entities
        .iter()
        .position(|e| e.name == "字节跳动")
        .unwrap();
    assert_eq!(app.panel().active, Some(i));
    let mentions = entity(&app, "字节跳动").unwrap().mentions.len();
    assert_eq!(app.active_mentions().len(), mentions);
    assert!(mentions >= 3, "{mentions}");
    assert_eq!(
        app.message(),
        Some(format!("字节跳动  1/{mentions}").as_str())
    );
    assert_eq!(app.walk(), Walk::Entity);
    assert_eq!(app.cursor(), app.active_mentions()[0].start);
    // Another one, further down.
    let (x, y) = find_drawn(&render(&app), "小红书", g.panel.x).expect("drawn");
    click(&mut app, x, y);
    let name = &app.panel().entities[app.panel().active.unwrap()].name;
    assert_eq!(name, "小红书");
    // A click in the text gives the keys back to the text.
    assert!(app.panel().focused);
    let (x, y) = cell_of(&app, 0);
    click(&mut app, x, y);
    assert!(!app.panel().focused);
    assert_eq!(app.cursor(), 0);
}

#[test]
fn a_click_on_a_tab_name_switches_tabs() {
    let mut app = app_with_entities(140, 20);
    let g = app.geometry();
    let (x, y) = find_drawn(&render(&app), "批注", g.panel.x).expect("drawn");
    click(&mut app, x, y);
    assert_eq!(app.panel().tab, Tab::Notes);
    let (x, y) = find_drawn(&render(&app), "实体", g.panel.x).expect("drawn");
    click(&mut app, x + 1, y);
    assert_eq!(app.panel().tab, Tab::Entities);
    // Between the names: nothing.
    let title = app.panel_title();
    let gap = title.tabs[0].1.end;
    let areas = PanelAreas::new(g.panel, false);
    click(&mut app, areas.title.x + gap as u16, areas.title.y);
    assert_eq!(app.panel().tab, Tab::Entities);
}

/// Two highlights, the Notes tab beside the text.
fn app_with_notes() -> (App, String) {
    let text = "标题\n\n".to_string()
        + &"第一段的文字。".repeat(5)
        + "\n\n"
        + &"第二段另有内容。".repeat(5)
        + "\n\n第三段讲完了。";
    let mut app = app(&text, 140);
    app.handle(Event::Resize(140, 24));
    press(&mut app, "j V Enter } V 2 } V 3");
    assert_eq!(app.annotations().list.len(), 3);
    press(&mut app, "g o");
    assert_eq!(app.panel().tab, Tab::Notes);
    (app, text)
}

#[test]
fn a_click_on_a_note_goes_to_its_passage() {
    let (mut app, text) = app_with_notes();
    let g = app.geometry();
    let second = text.find("第二段").unwrap();
    // Any row of the entry: its quote, its place.
    let (x, y) = find_drawn(&render(&app), "第二段另有", g.panel.x).expect("drawn");
    click(&mut app, x, y + 2);
    assert_eq!(app.cursor(), second);
    assert_eq!(app.walk(), Walk::Highlight);
    assert!(!app.panel().focused, "back in the text");
    assert_eq!(app.panel().notes.selected, 1);
    assert!(app.message().unwrap().starts_with("highlight 2/3"));
    // Full width (O): the panel closes on the text at the passage.
    press(&mut app, "O");
    assert!(app.panel_full());
    let (x, y) = find_drawn(&render(&app), "第三段", 0).expect("drawn");
    click(&mut app, x, y);
    assert!(!app.panel_full());
    assert_eq!(app.cursor(), text.find("第三段").unwrap());
    assert!(app.message().unwrap().starts_with("highlight 3/3"));
}
