//! Screen snapshots of the reader on the sample article (TestBackend + insta).

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use pizhu::annotations::Colour;
use pizhu::app::{App, EntitiesUpdate, Event, Key};
use pizhu::config::Config;
use pizhu::document::Document;
use pizhu::entities::{Extractor, Gazetteer};
use pizhu::load::{SAMPLE, SAMPLE_NAME};
use pizhu::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

fn sample_app(w: u16, h: u16) -> App {
    let text = std::str::from_utf8(SAMPLE).expect("sample is UTF-8");
    let mut app = App::new(Document::new(text), SAMPLE_NAME, Config::default(), (w, h));
    let entities = extractor().extract(app.doc().text(), &mut |_| {});
    app.handle(Event::Entities(EntitiesUpdate::Done(entities)));
    app
}

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Gazetteer::builtin()))
}

fn press(app: &mut App, keys: &str) {
    for k in keys.split_whitespace() {
        app.handle(Event::Key(Key::parse(k).expect("valid key")));
    }
}

/// The screen as text: wide characters once, without the cells they cover, so snapshots read
/// like the terminal looks.
fn screen(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            out.push_str(if symbol.is_empty() { " " } else { symbol });
            x += (symbol.width() as u16).max(1);
        }
        out.push('\n');
    }
    out
}

fn render(app: &App) -> Terminal<TestBackend> {
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    terminal
        .draw(|f| ui::draw(f, app, &Theme::default()))
        .expect("draw");
    terminal
}

#[test]
fn reader_40x15() {
    let app = sample_app(40, 15);
    insta::assert_snapshot!(screen(&render(&app)));
}

#[test]
fn reader_80x24() {
    let app = sample_app(80, 24);
    insta::assert_snapshot!(screen(&render(&app)));
}

#[test]
fn reader_120x40() {
    let app = sample_app(120, 40);
    insta::assert_snapshot!(screen(&render(&app)));
}

#[test]
fn reader_80x24_at_the_end() {
    let mut app = sample_app(80, 24);
    press(&mut app, "G");
    insta::assert_snapshot!(screen(&render(&app)));
}

#[test]
fn help_80x24() {
    let mut app = sample_app(80, 24);
    press(&mut app, "?");
    insta::assert_snapshot!(screen(&render(&app)));
}

/// Help at a small and a large size: long descriptions wrap (nothing ends mid-word), the box
/// takes the width up to its maximum, and the end of the help can be scrolled to.
#[test]
fn help_40x15_and_120x40() {
    for (w, h) in [(40, 15), (120, 40)] {
        let mut app = sample_app(w, h);
        press(&mut app, "?");
        let top = screen(&render(&app));
        press(&mut app, "G");
        let end = screen(&render(&app));
        assert!(end.contains("print-config"), "{end}");
        insta::assert_snapshot!(format!("help_{w}x{h}"), format!("{top}\n{end}"));
    }
    // Search: the match is shown and marked.
    let mut app = sample_app(40, 15);
    press(&mut app, "? / R e a d w i s e Enter");
    let found = screen(&render(&app));
    assert!(found.contains("Readwise"), "{found}");
    assert!(found.contains("/Readwise"), "{found}");
}

#[test]
fn search_prompt_and_hits_80x24() {
    let mut app = sample_app(80, 24);
    press(&mut app, "/ 阿 里");
    let terminal = render(&app);
    insta::assert_snapshot!(screen(&terminal));
    // Every visible 阿 of a hit is drawn highlighted; the status row is the prompt.
    let buf = terminal.backend().buffer();
    let text = app.geometry().text;
    let cells = move || {
        (text.top()..text.bottom())
            .flat_map(move |y| (text.left()..text.right()).map(move |x| (x, y)))
    };
    let highlighted = cells()
        .filter(|&(x, y)| buf[(x, y)].symbol() == "阿")
        .filter(|&(x, y)| {
            buf[(x, y)].bg == Theme::default().hit.bg.unwrap_or_default()
                || buf[(x, y)].bg == Theme::default().current_hit.bg.unwrap_or_default()
        })
        .count();
    let all = cells()
        .filter(|&(x, y)| buf[(x, y)].symbol() == "阿")
        .count();
    assert!(all > 0);
    assert_eq!(highlighted, all);
}

#[test]
fn cursor_cell_is_reversed_on_the_wide_character() {
    let mut app = sample_app(80, 24);
    press(&mut app, "j j j l l");
    let terminal = render(&app);
    let buf = terminal.backend().buffer();
    let (col, row) = app.cursor_cell().expect("cursor on screen");
    let x = app.geometry().text.x + col;
    let cell = &buf[(x, row)];
    assert!(cell.modifier.contains(Modifier::REVERSED));
    let ch = &app.doc().text()[app.cursor()..];
    assert!(
        ch.starts_with(cell.symbol()),
        "{:?} vs {:?}",
        cell.symbol(),
        &ch[..3]
    );
}

/// Every row of the screen is at most as wide as the terminal (wide characters counted once,
/// with their width), and the terminal cursor, when one is shown, is inside it.
#[track_caller]
fn assert_fits(terminal: &Terminal<TestBackend>, (w, h): (u16, u16), what: &str) {
    let backend = terminal.backend();
    let area = backend.buffer().area;
    assert_eq!((area.width, area.height), (w, h), "{what}");
    let shown = screen(terminal);
    for (y, row) in shown.lines().enumerate() {
        assert!(
            row.width() <= usize::from(w),
            "{what} at {w}x{h}: row {y} is {} columns wide: {row:?}",
            row.width()
        );
    }
    assert_eq!(shown.lines().count(), usize::from(h), "{what}");
    if backend.cursor_visible() {
        let at = backend.cursor_position();
        assert!(
            at.x < w && at.y < h,
            "{what} at {w}x{h}: the cursor is at {at:?}\n{shown}"
        );
    }
}

#[test]
fn tiny_terminals_render() {
    for (w, h) in [(1, 1), (2, 2), (5, 3), (10, 4)] {
        let mut app = sample_app(w, h);
        press(&mut app, "j G ?");
        assert_fits(&render(&app), (w, h), "help");
        // A prompt shows the terminal cursor: it stays on the screen however long the input.
        let mut app = sample_app(w, h);
        press(&mut app, "/");
        typed(&mut app, "核心用户心智");
        assert_fits(&render(&app), (w, h), "search prompt");
    }
}

#[test]
fn every_popup_renders_at_every_small_size() {
    for (w, h) in [
        (1, 1),
        (2, 1),
        (5, 3),
        (8, 4),
        (11, 5),
        (12, 6),
        (19, 7),
        (20, 8),
        (30, 2),
    ] {
        for keys in ["V t", "V a", "E", "o", "V Enter o /", "v", "T", "T / x"] {
            let mut app = sample_app(w, h);
            let mut annotations = app.annotations().clone();
            annotations.known_tags = vec!["电商".into(), "一个很长的标签名字".into()];
            app.set_annotations(annotations);
            press(&mut app, "j j j j");
            press(&mut app, keys);
            assert_fits(&render(&app), (w, h), keys);
        }
    }
}

#[test]
fn entity_panel_with_an_active_entity_100x30() {
    let mut app = sample_app(100, 30);
    press(&mut app, "Tab j j j Enter");
    let terminal = render(&app);
    insta::assert_snapshot!(screen(&terminal));
    // The active entity's mentions on screen are drawn in the mention styles.
    let buf = terminal.backend().buffer();
    let theme = Theme::default();
    let lit = (0..29)
        .flat_map(|y| (0..100).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            buf[(x, y)].bg == theme.mention.bg.unwrap_or_default()
                || buf[(x, y)].bg == theme.current_mention.bg.unwrap_or_default()
        })
        .count();
    assert!(lit >= 2, "{lit} cells lit");
}

/// The panel with the keys says so: its border and title drawn highlighted, and `entities`
/// (or `notes`) in the status line (issue 11, item 12).
#[test]
fn focused_panel_is_highlighted_100x30() {
    use ratatui::style::Color;
    let mut app = sample_app(100, 30);
    let status = |t: &Terminal<TestBackend>| screen(t).lines().last().unwrap_or("").to_string();
    // At 100 columns the panel starts hidden (the article keeps its width); `p` shows it.
    press(&mut app, "p");
    let unfocused = render(&app);
    assert!(!status(&unfocused).contains("entities"));
    press(&mut app, "Tab");
    let terminal = render(&app);
    let shown = screen(&terminal);
    assert!(status(&terminal).contains("entities"), "{shown}");
    insta::assert_snapshot!(shown);
    let theme = Theme::default();
    let panel = app.geometry().panel;
    let buf = terminal.backend().buffer();
    let old = unfocused.backend().buffer();
    for y in 0..panel.height {
        let (cell, before) = (&buf[(panel.x, y)], &old[(panel.x, y)]);
        assert_ne!(
            cell.fg,
            theme.border.fg.unwrap_or_default(),
            "border row {y}"
        );
        assert_ne!(
            (cell.fg, cell.modifier),
            (before.fg, before.modifier),
            "row {y}"
        );
    }
    // The whole title row stands out, not only its text.
    let mut x = panel.x + 1;
    while x < panel.right() {
        assert_ne!(buf[(x, 0)].bg, Color::Reset, "title column {x}");
        x += (buf[(x, 0)].symbol().width() as u16).max(1);
    }
    press(&mut app, "l");
    assert!(status(&render(&app)).contains("notes"));
    press(&mut app, "Tab");
    let back = render(&app);
    assert!(!status(&back).contains("entities") && !status(&back).contains("notes"));
    assert_eq!(
        back.backend().buffer()[(panel.x, 5)].fg,
        old[(panel.x, 5)].fg
    );
}

#[test]
fn narrow_terminals_hide_the_panel_40x15() {
    let app = sample_app(40, 15);
    assert_eq!(app.geometry().panel.width, 0);
}

/// Opened beside the text, then the window narrowed under 70 columns: the panel hides and the
/// text takes the width (it is never beside the text there).
#[test]
fn panel_opened_then_narrowed_hides_60x20() {
    let mut app = sample_app(100, 20);
    press(&mut app, "Tab");
    app.handle(Event::Resize(60, 20));
    let terminal = render(&app);
    let shown = screen(&terminal);
    assert!(!shown.contains("实体"), "panel drawn:\n{shown}");
    insta::assert_snapshot!(shown);
    // `p` then opens it full width, in place of the text; Esc goes back to the text.
    press(&mut app, "p");
    let full = screen(&render(&app));
    assert!(full.contains("[实体 Entities]"), "{full}");
    assert!(
        !full.contains("作为一款月活"),
        "text drawn under the panel:\n{full}"
    );
    press(&mut app, "Esc");
    assert_eq!(screen(&render(&app)), shown);
}

/// Under 70 columns `o` shows the Notes tab full width in place of the text, with the keys
/// back to the text in the status line; Enter goes back to the text at the highlight.
#[test]
fn notes_tab_full_width_40x15() {
    let mut app = sample_app(40, 15);
    press(&mut app, "/");
    typed(&mut app, "核心用户心智");
    press(&mut app, "Enter Esc V t");
    typed(&mut app, "电商");
    press(&mut app, "Enter a");
    typed(&mut app, "种草≠交易");
    press(&mut app, "C-s g");
    let mut annotations = app.annotations().clone();
    for a in &mut annotations.list {
        a.modified = "2026-11-25T09:30:00.000Z".into();
    }
    app.set_annotations(annotations);
    app.set_now(1_795_601_520_000);
    press(&mut app, "o");
    let shown = screen(&render(&app));
    assert!(shown.contains("#电商"), "{shown}");
    assert!(shown.contains("Esc back"), "{shown}");
    insta::assert_snapshot!(shown);
    press(&mut app, "Enter");
    let back = screen(&render(&app));
    assert!(!back.contains("[批注 Notes 1]"), "{back}");
    assert!(back.contains("核心用户心智"), "{back}");
    let status = back.lines().last().unwrap_or_default();
    assert!(status.contains("highlight 1/1"), "{back}");
}

/// Where highlights and the selection are, one character per cell: `1`–`5` a highlight's
/// colour (by its background), `s` the selection, `.` anything else. Wide characters once.
fn highlight_mask(terminal: &Terminal<TestBackend>) -> String {
    use ratatui::style::Color;
    let theme = Theme::colour();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let cell = &buf[(x, y)];
            let bg = cell.bg;
            let mark = theme
                .highlights
                .iter()
                .position(|s| s.bg == Some(bg) && bg != Color::Reset)
                .map(|i| char::from(b'1' + i as u8))
                .unwrap_or(if Some(bg) == theme.selection.bg {
                    's'
                } else {
                    '.'
                });
            out.push(mark);
            x += (cell.symbol().width() as u16).max(1);
        }
        out.push('\n');
    }
    out
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle(Event::Key(Key::ch(c)));
    }
}

/// The sample at 100×30 with the search for 核心用户心智 accepted (cursor on the hit).
fn at_core_sentence() -> App {
    let mut app = sample_app(100, 30);
    press(&mut app, "/");
    typed(&mut app, "核心用户心智");
    press(&mut app, "Enter Esc");
    app
}

#[test]
fn highlights_overlap_and_notes_have_a_margin_marker_100x30() {
    let mut app = at_core_sentence();
    // The sentence in yellow (1) with a note, 书的核心 inside it in blue (3), and 核心 inside
    // that in purple (5).
    press(&mut app, "V a");
    typed(&mut app, "种草≠交易");
    press(&mut app, "C-s l l v l l l 3 w w v e 5");
    let made: Vec<(&str, Colour, bool)> = app
        .annotations()
        .list
        .iter()
        .map(|a| (a.quote.exact.as_str(), a.colour, !a.note.is_empty()))
        .collect();
    assert_eq!(made.len(), 3, "{made:?}");
    assert!(made[0].0.starts_with("小红书的核心用户心智是"), "{made:?}");
    assert_eq!((made[0].1, made[0].2), (Colour::Yellow, true), "{made:?}");
    assert_eq!(
        made[1..],
        [
            ("书的核心", Colour::Blue, false),
            ("核心", Colour::Purple, false)
        ]
    );
    let terminal = Terminal::new(TestBackend::new(100, 30)).expect("test backend");
    let mut terminal = terminal;
    terminal
        .draw(|f| ui::draw(f, &app, &Theme::colour()))
        .expect("draw");
    let screen = screen(&terminal);
    assert!(screen.contains('✎'), "{screen}");
    // Where they overlap the innermost shows its colour: 小红 1, 书的 3, 核心 5, 用户… 1.
    let mask = highlight_mask(&terminal);
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("小红书的核心"))
        .expect("the sentence is on screen");
    let col = line.chars().position(|c| c == '小').unwrap_or_default();
    let marks: String = mask
        .lines()
        .nth(row)
        .unwrap_or_default()
        .chars()
        .skip(col)
        .take(8)
        .collect();
    assert_eq!(marks, "11335511", "{mask}");
    insta::assert_snapshot!(format!("{screen}\n{mask}"));
}

#[test]
fn selection_in_progress_100x30() {
    let mut app = at_core_sentence();
    press(&mut app, "v )");
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("test backend");
    terminal
        .draw(|f| ui::draw(f, &app, &Theme::colour()))
        .expect("draw");
    insta::assert_snapshot!(format!(
        "{}\n{}",
        screen(&terminal),
        highlight_mask(&terminal)
    ));
}

#[test]
fn tag_prompt_with_completions_80x24() {
    let mut app = sample_app(80, 24);
    let mut annotations = app.annotations().clone();
    annotations.known_tags = ["电商", "用户心智", "广告", "AI", "电子书"]
        .map(String::from)
        .to_vec();
    app.set_annotations(annotations);
    press(&mut app, "/");
    typed(&mut app, "核心用户心智");
    press(&mut app, "Enter Esc V t");
    typed(&mut app, "广告 电");
    insta::assert_snapshot!(screen(&render(&app)));
}

#[test]
fn note_editor_80x24() {
    let mut app = sample_app(80, 24);
    press(&mut app, "/");
    typed(&mut app, "核心用户心智");
    press(&mut app, "Enter Esc V a");
    typed(&mut app, "种草≠交易：用户在小红书看笔记，去淘宝下单。");
    press(&mut app, "Enter");
    typed(&mut app, "第二行 second line");
    let terminal = render(&app);
    let cursor = terminal.backend().cursor_position();
    insta::assert_snapshot!(format!("{}\ncursor {cursor:?}", screen(&terminal)));
}

#[test]
fn notes_list_with_an_orphan_100x30() {
    let mut app = at_core_sentence();
    press(&mut app, "V t");
    typed(&mut app, "电商 用户心智");
    press(&mut app, "Enter a");
    typed(&mut app, "种草≠交易");
    press(&mut app, "C-s ) ) V 2 g j j V 4");
    let mut annotations = app.annotations().clone();
    // One whose text was deleted from the article.
    let mut orphan = annotations.list[0].clone();
    orphan.id = "orphan".into();
    orphan.orphan = true;
    orphan.quote.exact = "这段话已经从文章里删掉了".into();
    orphan.tags = vec!["旧".into()];
    orphan.note = String::new();
    annotations.list.push(orphan);
    for a in &mut annotations.list {
        // Fixed times, so the snapshot does not change with the clock.
        a.modified = "2026-11-25T09:30:00.000Z".into();
    }
    app.set_annotations(annotations);
    // 2026-11-25T10:12:00Z: 42 minutes after the highlights were made.
    app.set_now(1_795_601_520_000);
    press(&mut app, "o");
    let shown = screen(&render(&app));
    // The orphans' header is wider than the panel: clipped, it says so with an ellipsis.
    let header = shown
        .lines()
        .find_map(|l| {
            l.split_once("孤立 Orphans (1)")
                .map(|(_, rest)| rest.trim_end())
        })
        .expect("the orphans' header");
    assert!(header.ends_with('…'), "{shown}");
    insta::assert_snapshot!(shown);
}

/// `O` at 120×30: the Notes tab full width, the document note first, each highlight's whole
/// quote and every line of its note; Enter goes back to the text at the highlight.
#[test]
fn notes_full_width_with_capital_o_120x30() {
    let mut app = sample_app(120, 30);
    press(&mut app, "/");
    typed(&mut app, "核心用户心智");
    press(&mut app, "Enter Esc V t");
    typed(&mut app, "电商 用户心智");
    press(&mut app, "Enter a");
    let lines = [
        "种草≠交易：用户在小红书看笔记，去淘宝下单。",
        "第二行 second line",
        "第三行：这一行很长，要在全宽的笔记列表里折成好几行才放得下，一个字也不能少，所以这里多写一些字，再多写一些字，直到超过一行为止。",
        "最后一行",
    ];
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            press(&mut app, "Enter");
        }
        typed(&mut app, line);
    }
    press(&mut app, "C-s A");
    typed(&mut app, "整篇：平台的流量入口之争。");
    press(&mut app, "C-s");
    let mut annotations = app.annotations().clone();
    for a in &mut annotations.list {
        a.modified = "2026-11-25T09:30:00.000Z".into();
    }
    for n in &mut annotations.document_notes {
        n.modified = "2026-11-25T09:30:00.000Z".into();
    }
    app.set_annotations(annotations);
    app.set_now(1_795_601_520_000);
    press(&mut app, "g O");
    assert!(app.panel_full());
    let shown = screen(&render(&app));
    for line in lines {
        let line = line.split('，').next().unwrap_or(line);
        assert!(shown.contains(line), "{line} missing:\n{shown}");
    }
    assert!(shown.contains("直到超过一行为止。"), "{shown}");
    assert!(shown.contains("整篇笔记 Document notes (1)"), "{shown}");
    assert!(shown.contains("#电商 #用户心智"), "{shown}");
    let doc_title = shown.find("整篇笔记").unwrap_or(usize::MAX);
    let highlight = shown.find("#电商").unwrap_or(0);
    assert!(doc_title < highlight, "document notes first:\n{shown}");
    insta::assert_snapshot!(shown);
    press(&mut app, "Enter");
    let back = screen(&render(&app));
    assert!(!app.panel_full(), "{back}");
    let status = back.lines().last().unwrap_or_default();
    assert!(status.contains("highlight 1/1"), "{back}");
    assert!(back.contains("核心用户心智"), "{back}");
}

/// A note longer than the screen can be read to its end in the full-width Notes view: `j`
/// scrolls through the entry before moving to the next one, `k` back up.
#[test]
fn a_note_taller_than_the_screen_scrolls_40x15() {
    let mut app = sample_app(40, 15);
    press(&mut app, "V a");
    for i in 1..=20 {
        typed(&mut app, &format!("第{i}行"));
        press(&mut app, "Enter");
    }
    typed(&mut app, "最后一行");
    press(&mut app, "C-s g O");
    let first = screen(&render(&app));
    assert!(first.contains("第1行"), "{first}");
    assert!(!first.contains("最后一行"), "{first}");
    let mut seen_end = false;
    for _ in 0..40 {
        press(&mut app, "j");
        let now = screen(&render(&app));
        if now.contains("最后一行") {
            seen_end = true;
            break;
        }
    }
    assert!(seen_end, "the end of the note is never shown");
    for _ in 0..40 {
        press(&mut app, "k");
    }
    assert!(screen(&render(&app)).contains("第1行"));
}

/// A Markdown article with three levels of headings, the last too long for the popup.
const CITY_NOTES: &str = "# 城市笔记\n\n\
写给第一次去的朋友。\n\n\
## 北京\n\n北京的秋天最好。\n\n\
### 胡同\n\n胡同里有很多小店。\n\n\
### 故宫\n\n故宫要留一整天。\n\n\
## 上海\n\n上海的早饭很丰富。\n\n\
### 外滩\n\n外滩的夜景值得一看。\n\n\
## 一个很长很长的标题，长到弹窗放不下，后面还有很多很多的字，一直写下去，直到超过弹窗的宽度为止\n\n\
最后一段。\n";

/// The outline at 80×24: levels indented, the heading the cursor is in (故宫) marked and bold,
/// the selection (one row down, 上海) reversed, the long title cut with an ellipsis.
#[test]
fn outline_80x24() {
    let doc = pizhu::formats::read(
        CITY_NOTES.as_bytes(),
        pizhu::formats::InputFormat::Markdown,
        None,
    )
    .expect("Markdown reads")
    .doc;
    let at = doc.text().find("故宫要留").expect("in the text");
    let mut app = App::new(doc, "city.md", Config::default(), (80, 24));
    app.restore_position(at);
    press(&mut app, "T j");
    let terminal = render(&app);
    let shown = screen(&terminal);
    insta::assert_snapshot!(shown);
    let buf = terminal.backend().buffer();
    let row_of = |needle: &str| {
        shown
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not on screen:\n{shown}")) as u16
    };
    let (current, selected) = (row_of("▸ "), row_of("上海"));
    assert_eq!(current, row_of("故宫"));
    // The popup's columns, inside its border.
    let top = row_of("目录");
    let corner = |c: &str| {
        (0..80)
            .find(|&x| buf[(x, top)].symbol() == c)
            .expect("a corner")
    };
    let (left, right) = (corner("┌") + 1, corner("┐"));
    let text_cells = move |y: u16| {
        (left..right)
            .map(move |x| (x, y))
            .filter(|&p| buf[p].symbol() != " ")
    };
    assert!(text_cells(selected).all(|p| buf[p].modifier.contains(Modifier::REVERSED)));
    assert!(text_cells(current).all(|p| buf[p].modifier.contains(Modifier::BOLD)));
    assert!(text_cells(current).all(|p| !buf[p].modifier.contains(Modifier::REVERSED)));
}

/// Cells of the text `area` by the state they show, one character per cell (wide characters
/// once): `1`–`5` a
/// highlight's colour, `h` a search hit, `H` the current hit, `m` a mention, `M` the current
/// mention, `.` anything else. A cell shows a state when it has every colour and modifier of
/// that state's style; the most specific state wins.
fn state_mask(
    terminal: &Terminal<TestBackend>,
    theme: &Theme,
    area: ratatui::layout::Rect,
) -> String {
    use ratatui::style::Style;
    let has = |cell: &ratatui::buffer::Cell, s: &Style| {
        let set = s.add_modifier;
        (s.fg.is_none() || s.fg == Some(cell.fg))
            && (s.bg.is_none() || s.bg == Some(cell.bg))
            && cell.modifier.contains(set)
            && (s.fg.is_some() || s.bg.is_some() || !set.is_empty())
    };
    let mut states: Vec<(char, Style)> = vec![
        ('H', theme.current_hit),
        ('M', theme.current_mention),
        ('h', theme.hit),
        ('m', theme.mention),
    ];
    for (i, s) in theme.highlights.iter().enumerate() {
        states.push((char::from(b'1' + i as u8), *s));
    }
    // Styles with more to match first, so a plainer one does not claim a richer cell.
    let weight = |s: &Style| {
        usize::from(s.fg.is_some())
            + usize::from(s.bg.is_some())
            + s.add_modifier.bits().count_ones() as usize
    };
    states.sort_by_key(|(_, s)| std::cmp::Reverse(weight(s)));
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let cell = &buf[(x, y)];
            let mark = states
                .iter()
                .find(|(_, s)| has(cell, s))
                .map_or('.', |(c, _)| *c);
            out.push(mark);
            x += (cell.symbol().width() as u16).max(1);
        }
        out.push('\n');
    }
    out
}

/// The light and the mono (`NO_COLOR`) themes with a yellow highlight, a green one, search
/// hits and an active entity's mentions: each state is drawn in its own style, asserted cell
/// by cell, and the mono theme tells them apart without colour.
#[test]
fn light_and_mono_themes_show_every_state() {
    for (name, theme) in [("light", Theme::light()), ("mono", Theme::no_colour())] {
        let mut app = at_core_sentence();
        // The sentence in yellow, a later one in green, then a search and an entity.
        press(&mut app, "V Enter ) ) V 2");
        press(&mut app, "/");
        typed(&mut app, "流量");
        press(&mut app, "Enter");
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("test backend");
        terminal.draw(|f| ui::draw(f, &app, &theme)).expect("draw");
        let mask = state_mask(&terminal, &theme, app.geometry().text);
        for state in ['1', '2', 'h', 'H'] {
            assert!(mask.contains(state), "{name}: no {state} cell\n{mask}");
        }
        // The entity: 小红书 lit up in the text, the cursor on one of its mentions.
        press(&mut app, "Esc Tab");
        while !app
            .panel()
            .selected_row()
            .and_then(|r| match r {
                pizhu::app::PanelRow::Entity(i) => Some(app.panel().entities[i].name == "小红书"),
                _ => None,
            })
            .unwrap_or(false)
        {
            press(&mut app, "j");
        }
        press(&mut app, "Enter");
        terminal.draw(|f| ui::draw(f, &app, &theme)).expect("draw");
        let entity_mask = state_mask(&terminal, &theme, app.geometry().text);
        for state in ['m', 'M'] {
            assert!(
                entity_mask.contains(state),
                "{name}: no {state} cell\n{entity_mask}"
            );
        }
        // Every state's style differs from every other's.
        let styles = [
            theme.hit,
            theme.current_hit,
            theme.mention,
            theme.current_mention,
            theme.highlights[0],
            theme.highlights[1],
        ];
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a, b, "{name}: two states look alike");
            }
        }
        insta::assert_snapshot!(
            format!("themes_{name}_100x30"),
            format!("{}\n{mask}\n{entity_mask}", screen(&terminal))
        );
    }
}
