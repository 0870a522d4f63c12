use super::*;
use crate::search;

fn app(text: &str, w: u16, h: u16) -> App {
    App::new(Document::new(text), "test", Config::default(), (w, h))
}

/// Presses `keys` (space-separated key names); the effects they asked for.
fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for k in keys.split_whitespace() {
        effects.extend(app.handle(Event::Key(
            Key::parse(k).unwrap_or_else(|| panic!("bad key {k}")),
        )));
    }
    effects
}

/// What the quit among `effects` asks: `Some(true)` to save first, `Some(false)` to quit
/// unsaved, `None` if there is no quit.
fn quit_of(effects: &[Effect]) -> Option<bool> {
    effects.iter().find_map(|e| match e {
        Effect::Quit(save) => Some(save.is_some()),
        _ => None,
    })
}

fn cursor_char(app: &App) -> char {
    app.doc().text()[app.cursor()..].chars().next().unwrap()
}

#[test]
fn starts_at_the_title() {
    let a = app("标题\n\n正文。", 40, 10);
    assert_eq!(a.cursor(), 0);
    assert_eq!(a.screen()[0].kind, BlockKind::Title);
}

#[test]
fn j_and_k_move_by_rows_keeping_the_column() {
    let mut a = app("标题\n\n一二三四五六七八九十甲乙丙丁戊己庚辛壬癸。", 24, 10);
    press(&mut a, "j");
    // Column 20 wide: indent 4 + 8 chars on the first row.
    assert_eq!(cursor_char(&a), '一');
    press(&mut a, "l l j");
    assert_eq!(a.cursor_cell(), Some((8, 3)));
    press(&mut a, "k");
    assert_eq!(cursor_char(&a), '三');
}

#[test]
fn search_finds_a_phrase_split_across_rows_and_n_walks_hits() {
    let text = "标题\n\n一二三四五六七八小红书九十。\n\n再说小红书。";
    let mut a = app(text, 24, 10);
    press(&mut a, "/ 小 红 书");
    assert_eq!(a.search().hits.len(), 2);
    press(&mut a, "Enter");
    assert_eq!(&text[a.cursor()..a.cursor() + 9], "小红书");
    assert_eq!(a.mode(), &Mode::Normal);
    let first = a.cursor();
    press(&mut a, "n");
    assert!(a.cursor() > first);
    press(&mut a, "n");
    assert_eq!(a.cursor(), first);
    assert!(a.message().unwrap().contains("BOTTOM"));
}

#[test]
fn esc_cancels_a_search_and_restores_the_view() {
    let mut a = app("标题\n\n正文里有广告。", 40, 10);
    press(&mut a, "/ 广 告 Esc");
    assert_eq!(a.cursor(), 0);
    assert!(a.search().pattern.is_empty());
}

#[test]
fn g_and_shift_g_reach_both_ends() {
    let body: String = (0..50)
        .map(|i| format!("第{i}段的正文内容。\n\n"))
        .collect();
    let mut a = app(&format!("标题\n\n{body}结尾。"), 40, 10);
    press(&mut a, "G");
    assert_eq!(cursor_char(&a), '。');
    let last = a.screen().last().unwrap();
    assert!(matches!(last.visual, Visual::Text(r) if a.row_text(&r) == "结尾。"));
    assert_eq!(a.percent(), 100);
    press(&mut a, "g");
    assert_eq!(a.cursor(), 0);
}

#[test]
fn paragraphs_and_headings() {
    let text = "标题\n\n第一段正文，说了很多话。\n\n小节标题\n\n第二段正文，说了很多话。";
    let mut a = app(text, 40, 20);
    press(&mut a, "}");
    assert_eq!(cursor_char(&a), '第');
    press(&mut a, "]");
    assert_eq!(cursor_char(&a), '小');
    press(&mut a, "} {");
    assert_eq!(cursor_char(&a), '小');
    press(&mut a, "[");
    assert_eq!(a.cursor(), 0);
}

#[test]
fn a_heading_jumped_to_starts_the_screen() {
    let body: String = (0..30)
        .map(|i| format!("第{i}段的正文内容。\n\n"))
        .collect();
    let text = format!("标题\n\n{body}小节标题\n\n{body}另一小节\n\n{body}");
    let mut a = app(&text, 40, 12);
    let so = usize::from(Config::default().scroll_off);
    let heading_row = |a: &App, name: &str| {
        a.screen()
            .iter()
            .position(|r| matches!(r.visual, Visual::Text(row) if a.row_text(&row) == name))
    };
    press(&mut a, "]");
    assert_eq!(cursor_char(&a), '小');
    assert_eq!(heading_row(&a, "小节标题"), Some(so), "not near the top");
    press(&mut a, "]");
    assert_eq!(heading_row(&a, "另一小节"), Some(so));
    press(&mut a, "[");
    assert_eq!(heading_row(&a, "小节标题"), Some(so));
}

#[test]
fn page_down_keeps_the_cursor_on_screen() {
    let body: String = (0..80).map(|i| format!("第{i}段。\n")).collect();
    let mut a = app(&format!("标题\n{body}"), 40, 12);
    // The cursor is on a visible row, and its offset is within the text on screen.
    let on_screen = |a: &App| {
        let (first, last) = a.visible_range();
        a.cursor_cell().is_some() && first <= a.cursor() && a.cursor() < last
    };
    let mut pages = vec![a.visible_range()];
    for n in 1..=5 {
        let (first, last) = a.visible_range();
        let cursor = a.cursor();
        press(&mut a, "Space");
        let (new_first, _) = a.visible_range();
        assert!(
            new_first > first,
            "page {n} did not scroll: {first} → {new_first}"
        );
        // A page keeps the last rows in view: no text is skipped.
        assert!(
            new_first < last,
            "page {n} skipped text: {last} → {new_first}"
        );
        assert!(a.cursor() > cursor, "page {n} left the cursor behind");
        assert!(on_screen(&a), "page {n}: cursor {} off screen", a.cursor());
        pages.push(a.visible_range());
    }
    // C-b goes back exactly one page.
    press(&mut a, "C-b");
    assert_eq!(a.visible_range(), pages[4]);
    assert!(on_screen(&a));
    // Half a page up, then down again: between two pages, and back where it was.
    press(&mut a, "C-u");
    let (half, _) = a.visible_range();
    assert!(
        pages[3].0 < half && half < pages[4].0,
        "{half} not between pages {pages:?}"
    );
    assert!(on_screen(&a));
    press(&mut a, "C-d");
    assert_eq!(a.visible_range(), pages[4]);
    assert!(on_screen(&a));
}

#[test]
fn resize_keeps_the_first_visible_text() {
    let body: String = (0..40)
        .map(|i| format!("第{i}段的正文内容比较长，需要换行才能放下。\n\n"))
        .collect();
    let mut a = app(&format!("标题\n\n{body}"), 80, 20);
    press(&mut a, "C-f C-f");
    let first = |a: &App| {
        a.screen()
            .iter()
            .find_map(|r| match r.visual {
                Visual::Text(row) => Some(row.start),
                Visual::Gap => None,
            })
            .unwrap()
    };
    let anchor = first(&a);
    a.handle(Event::Resize(30, 20));
    let rows_have_anchor = a.screen().iter().any(|r| {
        matches!(r.visual, Visual::Text(row) if row.start <= anchor && anchor < row.end.max(row.start + 1))
    });
    assert!(rows_have_anchor);
    assert!(a.cursor_cell().is_some());
}

#[test]
fn tiny_sizes_do_not_panic_and_still_answer() {
    for (w, h) in [(1, 1), (1, 2), (2, 1), (3, 3), (0, 0)] {
        let mut a = app("标题\n\n中文正文，“引号”与——破折号……省略号。", w, h);
        press(&mut a, "j j l G g / 正 Enter n N ?");
        assert!(matches!(a.mode(), Mode::Help { .. }));
        assert_eq!(quit_of(&press(&mut a, "Esc q")), Some(true));
    }
}

#[test]
fn counts_repeat_motions() {
    let body: String = (0..10).map(|i| format!("第{i}段。\n")).collect();
    let mut a = app(&format!("标题\n{body}"), 40, 30);
    press(&mut a, "3 j");
    assert_eq!(&a.doc().text()[a.cursor()..a.cursor() + 4], "第2");
    press(&mut a, "5 G");
    assert_eq!(&a.doc().text()[a.cursor()..a.cursor() + 4], "第4");
}

#[test]
fn unbound_keys_say_so() {
    let mut a = app("标题", 40, 10);
    press(&mut a, "Z");
    assert_eq!(a.message(), Some("Z does nothing: ? for help"));
    // A sequence waits for its next key, then says what was typed.
    press(&mut a, "z");
    assert_eq!(a.message(), None);
    let effects = press(&mut a, "q");
    assert_eq!(a.message(), Some("zq does nothing: ? for help"));
    assert_eq!(
        quit_of(&effects),
        None,
        "the q ended the sequence; it did not quit"
    );
}

#[test]
fn empty_document_is_safe() {
    let mut a = app("", 40, 10);
    for key in "j k h l G g Space C-b } { ] [".split_whitespace() {
        press(&mut a, key);
        assert_eq!(a.cursor(), 0, "{key}");
        assert_eq!(a.mode(), &Mode::Normal, "{key}");
        assert_eq!(a.message(), None, "{key}");
        assert!(a.screen().is_empty(), "{key}");
        assert_eq!(a.cursor_cell(), None, "{key}");
        assert_eq!(a.percent(), 100, "{key}");
    }
    // A search says it found nothing, and so does n.
    press(&mut a, "/ x Enter");
    assert_eq!(a.mode(), &Mode::Normal);
    assert_eq!(a.message(), Some("Pattern not found: x"));
    press(&mut a, "Esc");
    assert_eq!(a.message(), None);
    press(&mut a, "n");
    assert_eq!(a.message(), Some("Pattern not found: x"));
    assert!(a.search().hits.is_empty());
    assert_eq!(a.cursor(), 0);
    assert_eq!(a.doc().paragraph_count(), 0);
    assert!(a.screen().is_empty());
}

#[test]
fn typing_a_longer_pattern_matches_a_fresh_search() {
    let text = "标题\n\naaab 小红书小红 小红书";
    for typed in ["/ a a a b", "/ 小 红 书"] {
        let mut a = app(text, 40, 10);
        press(&mut a, typed);
        let pattern = a.search().pattern.clone();
        assert_eq!(
            a.search().hits,
            search::find_all(text, None, &pattern),
            "{typed}"
        );
        assert!(!a.search().hits.is_empty());
    }
}

pub(super) mod entity_panel_support {
    pub(crate) use super::entity_panel::{app_with_entities, entity, select, type_text};
}

mod entity_panel {
    use super::*;
    use crate::entities::{Extractor, Gazetteer};

    const GAZETTEER: &str =
        "字节跳动\tcompany\t字节\t\t\n抖音\tcompany\t\t字节跳动\t\n小红书\tcompany\t\t\t\n";
    pub(crate) const TEXT_FOR_TESTS: &str = TEXT;
    const TEXT: &str =
        "标题\n\n字节跳动旗下有抖音。小红书很好。\n\n字节的速度很快。\n\n抖音和字节。";

    pub(crate) fn app_with_entities(w: u16, h: u16) -> App {
        let mut a = app(TEXT, w, h);
        let extractor = Extractor::new(Gazetteer::parse(GAZETTEER).unwrap());
        let entities = extractor.extract(a.doc().text(), &mut |_| {});
        a.handle(Event::Entities(EntitiesUpdate::Segmenter(SharedSegmenter(
            extractor.shared_segmenter(),
        ))));
        a.handle(Event::Entities(EntitiesUpdate::Done(entities)));
        a
    }

    pub(crate) fn entity<'a>(a: &'a App, name: &str) -> Option<&'a crate::entities::Entity> {
        a.panel().entities.iter().find(|e| e.name == name)
    }

    pub(crate) fn type_text(a: &mut App, text: &str) {
        for c in text.chars() {
            a.handle(Event::Key(Key::ch(c)));
        }
    }

    pub(crate) fn select(a: &mut App, name: &str) {
        let rows = a.panel().rows();
        let i = rows
            .iter()
            .position(|r| matches!(r, PanelRow::Entity(e) if a.panel().entities[*e].name == name))
            .unwrap();
        while a.panel().selected < i {
            press(a, "j");
        }
    }

    #[test]
    fn panel_shows_on_wide_screens_and_p_hides_it() {
        let mut wide = app_with_entities(140, 20);
        assert!(wide.geometry().panel.width > 0);
        press(&mut wide, "p");
        assert_eq!(wide.geometry().panel.width, 0);
        press(&mut wide, "p");
        assert!(wide.geometry().panel.width > 0);
    }

    /// The panel opens by itself only where the article keeps its full reading width beside
    /// it; narrower, it starts hidden, the status line says once how to open it, and `p`
    /// opens it beside the text.
    #[test]
    fn the_panel_starts_hidden_when_it_would_narrow_the_article() {
        let max = Config::default().max_width;
        let from = Panel::open_width(max);
        assert!((100..=130).contains(&from), "{from}");
        let wide = app_with_entities(from, 24);
        assert!(wide.geometry().panel.width > 0);
        assert_eq!(
            wide.geometry().text.width,
            max,
            "full reading width beside the panel"
        );
        let mut a = app_with_entities(80, 24);
        assert_eq!(a.geometry().panel.width, 0);
        assert_eq!(
            a.geometry(),
            super::geometry(80, 24, max, 0),
            "all of it for the text"
        );
        assert!(a.panel().hint(80), "the status line says p opens it");
        press(&mut a, "p");
        assert!(a.geometry().panel.width > 0);
        assert!(!a.panel().hint(80));
        // Once chosen, the choice holds across resizes.
        a.handle(Event::Resize(160, 24));
        assert!(a.geometry().panel.width > 0);
    }

    /// Under 70 columns the panel is never beside the text: opened, it takes the whole width
    /// in place of the text (the status line stays), focused.
    fn assert_full_width(a: &App, keys: &str) {
        let g = a.geometry();
        assert!(a.panel_full(), "{keys}");
        assert!(a.panel().focused, "{keys}");
        assert_eq!(g.panel, Rect::new(0, 0, 60, 19), "{keys}");
        assert_eq!(g.text.width, 0, "{keys}: the text is not drawn");
        assert_eq!(g.status, Rect::new(0, 19, 60, 1), "{keys}");
    }

    #[test]
    fn under_70_columns_p_tab_o_and_plus_open_the_panel_full_width() {
        let mut narrow = app_with_entities(60, 20);
        assert_eq!(narrow.geometry().panel.width, 0);
        let (laid_out, params) = (narrow.geometry(), narrow.layout.params());
        for (keys, back) in [
            ("p", "p"),
            ("Tab", "Tab"),
            ("o", "o"),
            ("/ 速 度 Enter +", "Esc Esc"),
        ] {
            press(&mut narrow, keys);
            assert_full_width(&narrow, keys);
            assert!(
                !narrow.message().is_some_and(|m| m.contains("columns")),
                "{keys}: {:?}",
                narrow.message()
            );
            // The text keeps its layout for when it comes back.
            assert_eq!(narrow.layout.params(), params, "{keys}");
            let before = narrow.cursor();
            press(&mut narrow, "j");
            assert_eq!(narrow.cursor(), before, "{keys}: j moves in the panel");
            press(&mut narrow, back);
            assert!(!narrow.panel_full(), "{keys} then {back}");
            assert!(!narrow.panel().focused, "{keys} then {back}");
            assert_eq!(narrow.geometry(), laid_out, "{keys} then {back}");
            // Keys move the text again.
            press(&mut narrow, "j");
            assert_ne!(narrow.cursor(), before, "{keys} then {back}");
        }
    }

    #[test]
    fn plus_from_the_notes_tab_opens_the_add_prompt_on_the_entities_tab() {
        for width in [100, 60] {
            let mut a = app_with_entities(width, 20);
            press(&mut a, "o Esc / 速 度 Enter +");
            assert_eq!(a.panel().tab, Tab::Entities, "{width}");
            press(&mut a, "C-u");
            type_text(&mut a, "速度");
            press(&mut a, "Enter");
            assert!(entity(&a, "速度").is_some(), "{width}");
        }
    }

    #[test]
    fn p_then_esc_at_60_columns_returns_to_the_text() {
        let mut a = app_with_entities(60, 20);
        press(&mut a, "p");
        assert_full_width(&a, "p");
        assert_eq!(a.panel().tab, Tab::Entities);
        press(&mut a, "Esc");
        assert!(!a.panel_full());
        assert_eq!(a.geometry().panel.width, 0);
        assert!(a.cursor_cell().is_some(), "the cursor is on screen");
        let before = a.cursor();
        press(&mut a, "j");
        assert_ne!(a.cursor(), before, "keys go to the text");
    }

    #[test]
    fn full_width_filter_and_prompts_take_esc_before_the_panel_does() {
        let mut a = app_with_entities(60, 20);
        press(&mut a, "Tab /");
        type_text(&mut a, "小红");
        press(&mut a, "Esc");
        assert_full_width(&a, "Esc clears the filter");
        select(&mut a, "小红书");
        press(&mut a, "r");
        type_text(&mut a, "书");
        press(&mut a, "Esc");
        assert_full_width(&a, "Esc cancels the rename");
        assert!(entity(&a, "小红书").is_some());
        press(&mut a, "r");
        press(&mut a, "C-u");
        type_text(&mut a, "RED");
        press(&mut a, "Enter");
        assert_full_width(&a, "Enter renames");
        assert!(entity(&a, "RED").is_some());
        press(&mut a, "Esc");
        assert!(!a.panel_full());
    }

    #[test]
    fn at_60_columns_enter_on_an_entity_shows_the_text_at_its_first_mention_and_n_walks() {
        let mut a = app_with_entities(60, 20);
        press(&mut a, "Tab");
        select(&mut a, "字节跳动");
        press(&mut a, "Enter");
        let mentions: Vec<usize> = a.active_mentions().iter().map(|m| m.start).collect();
        assert_eq!(mentions.len(), 3);
        assert!(!a.panel_full());
        assert!(!a.panel().focused);
        assert_eq!(a.geometry().panel.width, 0);
        assert_eq!(a.cursor(), mentions[0]);
        assert!(a.cursor_cell().is_some(), "the mention is on screen");
        press(&mut a, "n");
        assert_eq!(a.cursor(), mentions[1]);
    }

    #[test]
    fn a_resize_under_70_hides_the_panel_and_a_resize_back_restores_it() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        a.handle(Event::Resize(60, 20));
        assert_eq!(a.geometry().panel.width, 0);
        assert!(!a.panel_full(), "beside the text it hides, not full width");
        assert_eq!(
            a.geometry(),
            geometry(60, 20, 80, 0),
            "the text takes the width"
        );
        let before = a.cursor();
        press(&mut a, "j");
        assert_ne!(a.cursor(), before, "keys go to the text");
        a.handle(Event::Resize(100, 20));
        assert!(a.geometry().panel.width > 0);
        assert!(a.panel().focused);
        // Hidden by hand, it stays hidden when the window widens again.
        press(&mut a, "Tab p");
        a.handle(Event::Resize(60, 20));
        a.handle(Event::Resize(100, 20));
        assert_eq!(a.geometry().panel.width, 0);
    }

    #[test]
    fn a_full_width_panel_resized_to_70_becomes_the_side_panel() {
        let mut a = app_with_entities(60, 20);
        press(&mut a, "o");
        a.handle(Event::Resize(50, 20));
        assert!(a.panel_full(), "narrower still, it stays full width");
        a.handle(Event::Resize(100, 20));
        assert!(!a.panel_full());
        assert_eq!(a.geometry(), geometry(100, 20, 80, 33));
        assert!(a.panel().focused);
        assert_eq!(a.panel().tab, Tab::Notes);
        // Back under 70 it hides like any side panel, and comes back.
        a.handle(Event::Resize(60, 20));
        assert_eq!(a.geometry().panel.width, 0);
        a.handle(Event::Resize(100, 20));
        assert!(a.geometry().panel.width > 0);
    }

    #[test]
    fn enter_activates_and_n_walks_mentions() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        assert!(a.panel().focused);
        select(&mut a, "字节跳动");
        press(&mut a, "Enter");
        let mentions: Vec<usize> = a.active_mentions().iter().map(|m| m.start).collect();
        assert_eq!(mentions.len(), 3);
        assert_eq!(a.cursor(), mentions[0]);
        press(&mut a, "Tab n");
        assert_eq!(a.cursor(), mentions[1]);
        press(&mut a, "n n");
        assert_eq!(a.cursor(), mentions[0], "wraps around");
        press(&mut a, "N");
        assert_eq!(a.cursor(), mentions[2]);
        assert!(a.message().unwrap().starts_with("字节跳动"));
    }

    #[test]
    fn n_walks_whatever_was_set_last() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        select(&mut a, "抖音");
        press(&mut a, "Enter Tab / 很 Enter");
        assert_eq!(a.walk(), Walk::Search);
        let hit = a.cursor();
        press(&mut a, "n");
        assert_eq!(&a.doc().text()[a.cursor()..a.cursor() + 3], "很");
        assert_ne!(a.cursor(), hit);
    }

    #[test]
    fn filter_narrows_the_list() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab / 小 红 Enter");
        let names: Vec<String> = a
            .panel()
            .rows()
            .iter()
            .filter_map(|r| match r {
                PanelRow::Entity(e) => Some(a.panel().entities[*e].name.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["小红书"]);
    }

    #[test]
    fn reject_hides_an_entity() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        select(&mut a, "小红书");
        press(&mut a, "x");
        assert!(
            a.panel().rows().iter().all(
                |r| !matches!(r, PanelRow::Entity(e) if a.panel().entities[*e].name == "小红书")
            )
        );
    }

    #[test]
    fn keys_still_answer_while_extraction_runs() {
        let mut a = app(TEXT, 100, 20);
        a.handle(Event::Entities(EntitiesUpdate::Progress(300)));
        press(&mut a, "j");
        assert_eq!(a.panel().extraction, Extraction::Running(0.3));
        assert_ne!(a.cursor(), 0);
    }
}

mod corrections {
    use super::entity_panel_support::*;
    use super::*;
    use crate::entities::EntityKind;

    #[test]
    fn rename_changes_the_name_and_keeps_the_mentions() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        select(&mut a, "小红书");
        press(&mut a, "r C-u");
        type_text(&mut a, "RedNote");
        press(&mut a, "Enter");
        assert!(entity(&a, "小红书").is_none());
        assert_eq!(entity(&a, "RedNote").unwrap().count(), 1);
    }

    #[test]
    fn merge_moves_mentions_into_the_other_entity() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        select(&mut a, "抖音");
        press(&mut a, "m");
        type_text(&mut a, "字节");
        press(&mut a, "Enter");
        assert!(entity(&a, "抖音").is_none());
        assert_eq!(entity(&a, "字节跳动").unwrap().count(), 5);
        assert!(a.message().unwrap().contains("merged into 字节跳动"));
    }

    #[test]
    fn shift_k_cycles_the_kind() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        select(&mut a, "小红书");
        press(&mut a, "K");
        assert_eq!(entity(&a, "小红书").unwrap().kind, EntityKind::Product);
    }

    #[test]
    fn plus_adds_the_search_hit_with_every_mention() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "/ 速 度 Enter +");
        assert!(a.panel().prompt.is_some());
        press(&mut a, "Tab Enter");
        let e = entity(&a, "速度").unwrap();
        assert_eq!(e.kind, EntityKind::Product);
        assert_eq!(e.count(), 1);
        assert_eq!(a.active_mentions().len(), 1);
    }

    #[test]
    fn plus_takes_the_word_at_the_cursor() {
        let mut a = app_with_entities(100, 20);
        // On 旗下 in 字节跳动旗下有抖音.
        press(&mut a, "} 4 l");
        assert!(a.doc().text()[a.cursor()..].starts_with("旗下"));
        press(&mut a, "+");
        let prompt = a.panel().prompt.clone().expect("prompt open");
        assert_eq!(prompt.input, "旗下");
        press(&mut a, "Esc");
        assert!(a.panel().prompt.is_none());
        assert!(entity(&a, "旗下").is_none());
    }
}

/// Issue 11, items 4 and 5: what `+` takes, and undoing corrections.
mod correction_undo {
    use super::entity_panel_support::*;
    use super::*;
    use crate::entities::correction::Correction;
    use crate::entities::{EntityKind, Tier};

    /// The entity list as the user sees it: name, kind, tier, mentions, rejected.
    fn listing(a: &App) -> Vec<(String, EntityKind, bool, usize, bool)> {
        let p = a.panel();
        let mut out: Vec<_> = p
            .entities
            .iter()
            .map(|e| {
                let rejected = p.rejected.contains(&e.name);
                let known = e.tier == Tier::Known;
                (e.name.clone(), e.kind, known, e.count(), rejected)
            })
            .collect();
        out.sort();
        out
    }

    /// 字节跳动旗下有抖音。: the cursor on the full stop.
    fn on_the_full_stop(a: &mut App) {
        press(a, "} 9 l");
        assert!(a.doc().text()[a.cursor()..].starts_with('。'));
    }

    #[test]
    fn plus_on_a_full_stop_says_there_is_no_word_and_adds_nothing() {
        let mut a = app_with_entities(100, 20);
        let before = listing(&a);
        on_the_full_stop(&mut a);
        press(&mut a, "+");
        let message = a.message().unwrap_or_default().to_string();
        assert!(message.contains("No word"), "{message}");
        press(&mut a, "Enter");
        assert_eq!(listing(&a), before);
        assert!(a.annotations().corrections.is_empty());
    }

    #[test]
    fn a_name_of_punctuation_or_a_common_character_is_refused() {
        for name in ["。", "的", "——", "a"] {
            let mut a = app_with_entities(100, 20);
            let before = listing(&a);
            press(&mut a, "/ 速 度 Enter + C-u");
            type_text(&mut a, name);
            press(&mut a, "Enter");
            let message = a.message().unwrap_or_default().to_string();
            assert!(message.starts_with("Not an entity"), "{name}: {message}");
            assert_eq!(listing(&a), before, "{name}");
            assert!(a.annotations().corrections.is_empty(), "{name}");
        }
    }

    #[test]
    fn plus_with_a_typed_name_matches_the_name_confirmed() {
        let mut a = app_with_entities(100, 20);
        // On 旗下; the user types 速度 instead.
        press(&mut a, "} 4 l +");
        assert_eq!(a.panel().prompt.as_ref().unwrap().input, "旗下");
        press(&mut a, "C-u");
        type_text(&mut a, "速度");
        press(&mut a, "Enter");
        let e = entity(&a, "速度").expect("added");
        let text = a.doc().text();
        let surfaces: Vec<&str> = e.mentions.iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(surfaces, ["速度"]);
        assert!(matches!(
            a.annotations().corrections.last(),
            Some(Correction::Add { surface, .. }) if surface == "速度"
        ));
        assert!(a.message().unwrap().contains("1 mention"));
        assert!(!a.message().unwrap().contains("1 mentions"));
    }

    #[test]
    fn plus_takes_the_selection() {
        let mut a = app_with_entities(100, 20);
        // 有抖音 selected.
        press(&mut a, "} 6 l v l l +");
        assert_eq!(a.panel().prompt.as_ref().unwrap().input, "有抖音");
        assert_eq!(a.mode(), &Mode::Normal);
    }

    /// `keys` make a correction; `u` gives the list before it, `C-r` the list after.
    fn undo_and_redo(mut a: App, keys: &str, typed: &str, then: &str) {
        let before = listing(&a);
        press(&mut a, keys);
        type_text(&mut a, typed);
        press(&mut a, then);
        let after = listing(&a);
        assert_ne!(after, before, "{keys} {typed} changed nothing");
        press(&mut a, "u");
        assert_eq!(listing(&a), before, "{keys} {typed}: u");
        assert!(a.message().unwrap().starts_with("Undone"), "{keys}");
        press(&mut a, "C-r");
        assert_eq!(listing(&a), after, "{keys} {typed}: C-r");
        press(&mut a, "u");
        assert_eq!(listing(&a), before, "{keys} {typed}: u again");
        // The saved log replays to the same list.
        let mut replayed = a.panel().extracted.clone();
        let mut rejected = std::collections::HashSet::new();
        crate::entities::correction::replay(
            &a.annotations().corrections,
            &mut replayed,
            &mut rejected,
            a.doc().text(),
        );
        assert_eq!(replayed, a.panel().entities, "{keys} {typed}: replayed");
    }

    fn in_panel_on(name: &str) -> App {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        select(&mut a, name);
        a
    }

    #[test]
    fn u_and_ctrl_r_undo_and_redo_every_correction() {
        undo_and_redo(
            app_with_entities(100, 20),
            "/ 速 度 Enter + C-u",
            "速度",
            "Enter Esc",
        );
        undo_and_redo(in_panel_on("小红书"), "r C-u", "RedNote", "Enter");
        undo_and_redo(in_panel_on("小红书"), "r C-u", "字节跳动", "Enter");
        undo_and_redo(in_panel_on("抖音"), "m", "字节", "Enter");
        undo_and_redo(in_panel_on("小红书"), "K", "", "");
        undo_and_redo(in_panel_on("小红书"), "x", "", "");
        // A possible entity to accept.
        let mut a = app(super::entity_panel::TEXT_FOR_TESTS, 100, 20);
        let mut entities = app_with_entities(100, 20).panel().entities.clone();
        for e in &mut entities {
            if e.name == "小红书" {
                e.tier = Tier::Possible;
                e.reason = Some("test".into());
            }
        }
        a.handle(Event::Entities(EntitiesUpdate::Done(entities)));
        press(&mut a, "Tab");
        select(&mut a, "小红书");
        undo_and_redo(a, "a", "", "");
    }

    #[test]
    fn u_takes_back_the_latest_change_of_either_kind() {
        let mut a = in_panel_on("小红书");
        press(&mut a, "Tab } V Enter Tab");
        select(&mut a, "小红书");
        press(&mut a, "x");
        assert_eq!(a.annotations().list.len(), 1);
        press(&mut a, "u");
        assert!(!a.panel().rejected.contains("小红书"), "the reject first");
        assert_eq!(a.annotations().list.len(), 1);
        press(&mut a, "u");
        assert!(a.annotations().list.is_empty(), "then the highlight");
    }

    #[test]
    fn rejected_entities_are_listed_folded_and_can_be_restored() {
        let mut a = in_panel_on("小红书");
        press(&mut a, "x");
        let rows = a.panel().rows();
        assert_eq!(
            rows.last(),
            Some(&PanelRow::RejectedGroup {
                count: 1,
                collapsed: true
            })
        );
        press(&mut a, "G Enter");
        let rows = a.panel().rows();
        let i = a.panel().entities.iter().position(|e| e.name == "小红书");
        assert_eq!(rows.last(), Some(&PanelRow::Rejected(i.unwrap())));
        press(&mut a, "j a");
        assert!(a.message().unwrap().contains("restored"));
        assert!(!a.panel().rejected.contains("小红书"));
        let rows = a.panel().rows();
        assert!(
            rows.iter().any(
                |r| matches!(r, PanelRow::Entity(e) if a.panel().entities[*e].name == "小红书")
            )
        );
        assert!(
            !rows
                .iter()
                .any(|r| matches!(r, PanelRow::RejectedGroup { .. }))
        );
        // Restoring is a correction too: u rejects it again.
        press(&mut a, "u");
        assert!(a.panel().rejected.contains("小红书"));
    }
}

/// Issue 11, item 12: a filter does not outlive the panel's focus.
mod panel_filter {
    use super::entity_panel_support::*;
    use super::*;

    fn names(a: &App) -> Vec<String> {
        a.panel()
            .rows()
            .iter()
            .filter_map(|r| match r {
                PanelRow::Entity(e) => Some(a.panel().entities[*e].name.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn esc_from_a_filter_restores_the_full_list_and_leaving_clears_it() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        let all = names(&a);
        assert!(all.len() > 1);
        // Kept with Enter, then Esc: the full list, still in the panel.
        press(&mut a, "/ 小 红 Enter");
        assert_eq!(names(&a), ["小红书"]);
        press(&mut a, "Esc");
        assert_eq!(names(&a), all);
        assert!(a.panel().focused);
        assert!(a.panel().filter.is_empty());
        // Kept, then back to the text: the filter goes with the focus.
        press(&mut a, "/ 小 红 Enter Tab");
        assert!(!a.panel().focused);
        assert!(a.panel().filter.is_empty());
        assert!(!a.panel().filtering);
        assert_eq!(names(&a), all);
        // Typing a filter at full width, the panel hidden by a resize: a paste goes nowhere.
        press(&mut a, "Tab /");
        a.handle(Event::Resize(60, 20));
        a.handle(Event::Paste("小".into()));
        a.handle(Event::Resize(100, 20));
        assert!(a.panel().filter.is_empty(), "{:?}", a.panel().filter);
    }
}

/// One-line inputs refuse controls and bidi controls, typed or pasted.
mod unsafe_input {
    use super::entity_panel_support::*;
    use super::*;

    /// Bidi embeddings, overrides and isolates, C0 and C1 controls.
    const TYPED: &str = "\u{202A}\u{202E}\u{2066}\u{2069}\u{1b}\u{7}\u{85}\u{9b}";
    /// Kept: `x`, `y`, `z`; the escape sequence goes whole.
    const PASTED: &str = "x\u{202E}y\u{2066}\u{1b}[31mz\u{85}\u{2069}\r\n";

    /// Types `a`, every character of [`TYPED`] and `b`, then pastes [`PASTED`].
    fn type_and_paste(a: &mut App) {
        type_text(a, &format!("a{TYPED}b"));
        a.handle(Event::Paste(PASTED.into()));
    }

    #[test]
    fn search_prompt() {
        let mut a = app("标题\n\n正文。", 40, 10);
        press(&mut a, "/");
        type_and_paste(&mut a);
        let Mode::Search(prompt) = a.mode() else {
            panic!("not searching");
        };
        assert_eq!(prompt.input, "abxyz");
    }

    #[test]
    fn tag_prompt() {
        let mut a = app("标题\n\n正文。", 40, 10);
        press(&mut a, "j V t");
        type_and_paste(&mut a);
        let Mode::Tags(prompt) = a.mode() else {
            panic!("no tag prompt");
        };
        assert_eq!(prompt.input, "abxyz");
    }

    #[test]
    fn panel_prompt_and_entity_filter() {
        let mut a = app_with_entities(100, 20);
        press(&mut a, "Tab");
        select(&mut a, "小红书");
        press(&mut a, "r C-u");
        type_and_paste(&mut a);
        assert_eq!(a.panel().prompt.as_ref().unwrap().input, "abxyz");
        press(&mut a, "Esc /");
        type_and_paste(&mut a);
        assert_eq!(a.panel().filter, "abxyz");
    }

    #[test]
    fn notes_filter() {
        let mut a = app("标题\n\n正文。", 100, 20);
        press(&mut a, "o /");
        type_and_paste(&mut a);
        assert_eq!(a.panel().notes.filter, "abxyz");
    }

    #[test]
    fn export_file_name() {
        let mut a = app("标题\n\n正文。", 100, 20);
        press(&mut a, "E C-u");
        type_and_paste(&mut a);
        let Mode::Export(dialog) = a.mode() else {
            panic!("no export dialog");
        };
        assert_eq!(dialog.path, "abxyz");
    }
}

#[test]
fn a_failed_save_at_quit_asks_to_retry_or_quit_anyway() {
    let mut a = app("标题\n\n正文。", 40, 10);
    press(&mut a, "j v l Enter");
    let effects = press(&mut a, "q");
    let Some(Effect::Quit(Some(snapshot))) = effects.last() else {
        panic!("q asks to save and quit: {effects:?}");
    };
    assert_eq!(snapshot.list.len(), 1, "the quit saves the highlight");
    a.handle(Event::NotSavedAtQuit(
        "cannot write /d/x.ron: Not a directory\n(os error 20)".into(),
    ));
    assert_eq!(
        a.unsaved_at_quit(),
        Some("cannot write /d/x.ron: Not a directory (os error 20)")
    );
    // Other keys neither quit nor lose the question.
    assert_eq!(quit_of(&press(&mut a, "j G")), None);
    assert!(a.unsaved_at_quit().is_some());
    assert_eq!(quit_of(&press(&mut a, "r")), Some(true));
    a.handle(Event::NotSavedAtQuit("still failing".into()));
    assert_eq!(quit_of(&press(&mut a, "q")), Some(false));
    // Esc goes back to reading, the changes still pending.
    let mut b = app("标题\n\n正文。", 40, 10);
    press(&mut b, "q");
    b.handle(Event::NotSavedAtQuit("failing".into()));
    assert_eq!(quit_of(&press(&mut b, "Esc j")), None);
    assert!(b.unsaved_at_quit().is_none());
}

#[test]
fn status_knows_the_save_state_and_what_n_walks() {
    let mut a = app("标题\n\n正文里有广告，还有广告。", 60, 10);
    assert_eq!(a.save_state(), SaveState::Nothing);
    assert_eq!(a.walk_summary(), None);
    press(&mut a, "/ 广 告 Enter");
    assert_eq!(a.walk_summary().as_deref(), Some("/广告 1/2"));
    press(&mut a, "n");
    assert_eq!(a.walk_summary().as_deref(), Some("/广告 2/2"));
    press(&mut a, "Esc");
    assert_eq!(a.walk_summary(), None, "hidden hits are not walked");
    press(&mut a, "v l Enter");
    assert_eq!(a.save_state(), SaveState::Saving);
    let generation = a.annotations().generation;
    a.handle(Event::Saved {
        generation,
        error: None,
        merged: None,
    });
    assert_eq!(a.save_state(), SaveState::Saved);
    a.handle(Event::Saved {
        generation,
        error: Some("No space left\non device".into()),
        merged: None,
    });
    assert_eq!(
        a.save_state(),
        SaveState::Failed("No space left on device".into())
    );
    assert_eq!(a.message(), Some("Could not save: No space left on device"));
    // A later save that works clears the failure.
    a.handle(Event::Saved {
        generation,
        error: None,
        merged: None,
    });
    assert_eq!(a.save_state(), SaveState::Saved);
    assert_eq!(a.welcome(), "? help · p entities · T outline");
}
