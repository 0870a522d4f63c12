//! Keys of selecting, highlighting, tagging, noting and the Notes tab.

use super::*;
use crate::annotations::Colour;
use crate::app::notes::{NoteRowKind, NotesEntry};

const TEXT: &str = "标题\n\n小红书的核心用户心智是“种草”，而非交易。字节跳动也在做电商！广告很多。\n\n第二段讲广告。";

/// Under 70 columns: the Notes tab opens full width in place of the text.
fn app(text: &str) -> App {
    App::new(Document::new(text), "test", Config::default(), (60, 20))
}

fn press(app: &mut App, keys: &str) {
    for k in keys.split_whitespace() {
        app.handle(Event::Key(
            Key::parse(k).unwrap_or_else(|| panic!("bad key {k}")),
        ));
    }
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle(Event::Key(Key::ch(c)));
    }
}

fn at(app: &App) -> &str {
    &app.doc().text()[app.cursor()..]
}

fn quotes(app: &App) -> Vec<&str> {
    app.annotations()
        .list
        .iter()
        .map(|a| a.quote.exact.as_str())
        .collect()
}

fn goto(app: &mut App, needle: &str) {
    let at = app.doc().text().find(needle).unwrap();
    app.set_cursor(at);
    app.refresh();
}

#[test]
fn sentence_motions_and_v_select_the_sentence_with_its_stop() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V");
    let sel = a.selection().unwrap();
    assert_eq!(&TEXT[sel], "小红书的核心用户心智是“种草”，而非交易。");
    press(&mut a, "Esc");
    assert_eq!(a.mode(), &Mode::Normal);
    press(&mut a, ")");
    assert!(at(&a).starts_with("字节跳动也在做电商！"));
    press(&mut a, ")");
    assert!(at(&a).starts_with("广告很多"), "{}", at(&a));
    press(&mut a, ")");
    assert!(at(&a).starts_with("第二段"), "{}", at(&a));
    press(&mut a, "(");
    assert!(at(&a).starts_with("广告很多"), "{}", at(&a));
    press(&mut a, "l l (");
    assert!(at(&a).starts_with("广告很多"), "{}", at(&a));
    press(&mut a, "(");
    assert!(at(&a).starts_with("字节跳动"), "{}", at(&a));
}

#[test]
fn word_motions_fall_back_to_characters_before_segmentation_loads() {
    let mut a = app("标题\n\nAI时代2025年。");
    goto(&mut a, "AI");
    press(&mut a, "w");
    assert!(at(&a).starts_with("时代"));
    press(&mut a, "w w");
    assert!(at(&a).starts_with("2025"));
    press(&mut a, "e");
    assert!(at(&a).starts_with("5年"));
    press(&mut a, "b b");
    assert!(at(&a).starts_with("代"), "{}", at(&a));
}

#[test]
fn word_motions_use_segmentation_and_keep_entity_names_whole() {
    let seg = crate::segment::Segmenter::new(["字节跳动"]);
    let mut a = app(TEXT);
    a.handle(Event::Entities(EntitiesUpdate::Segmenter(SharedSegmenter(
        std::sync::Arc::new(seg),
    ))));
    goto(&mut a, "字节跳动");
    press(&mut a, "w");
    assert!(at(&a).starts_with("也"), "{}", at(&a));
    press(&mut a, "b");
    assert!(at(&a).starts_with("字节跳动"));
    press(&mut a, "v e Enter");
    assert_eq!(quotes(&a), ["字节跳动"]);
}

#[test]
fn v_motions_extend_and_enter_highlights_including_end_punctuation() {
    let mut a = app(TEXT);
    goto(&mut a, "而非");
    press(&mut a, "v $");
    // $ goes to the row end; shrink back to the stop with h.
    let text = a.doc().text().to_string();
    let stop = text.find("。字节").unwrap();
    a.set_cursor(stop);
    press(&mut a, "Enter");
    assert_eq!(quotes(&a), ["而非交易。"]);
    assert_eq!(a.mode(), &Mode::Normal);
    assert_eq!(a.annotation_at_cursor().unwrap().colour, Colour::Yellow);
}

#[test]
fn digits_pick_colours_and_c_cycles_them() {
    let mut a = app(TEXT);
    goto(&mut a, "广告很多");
    press(&mut a, "V 3");
    assert_eq!(a.annotations().list[0].colour, Colour::Blue);
    press(&mut a, "c");
    assert_eq!(a.annotations().list[0].colour, Colour::Pink);
    press(&mut a, "u");
    assert_eq!(a.annotations().list[0].colour, Colour::Blue);
}

#[test]
fn tags_prompt_completes_from_known_tags_and_saves_several() {
    let mut a = app(TEXT);
    let mut anns = a.annotations().clone();
    anns.known_tags = vec!["用户心智".into(), "电商".into(), "广告".into()];
    a.set_annotations(anns);
    goto(&mut a, "核心");
    press(&mut a, "V t");
    assert!(matches!(a.mode(), Mode::Tags(_)));
    typed(&mut a, "电");
    press(&mut a, "Tab");
    typed(&mut a, "用户");
    press(&mut a, "Tab Enter");
    let ann = &a.annotations().list[0];
    assert_eq!(ann.tags, ["电商", "用户心智"]);
    assert_eq!(a.annotation_summary().unwrap(), "#电商  #用户心智");
    // t on the highlight edits the same tags; Esc keeps them.
    press(&mut a, "t");
    typed(&mut a, "新");
    press(&mut a, "Esc");
    assert_eq!(a.annotations().list[0].tags, ["电商", "用户心智"]);
}

#[test]
fn note_editor_saves_with_ctrl_s_and_asks_before_discarding() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V a");
    assert!(matches!(a.mode(), Mode::Note(_)));
    typed(&mut a, "种草≠交易");
    press(&mut a, "Enter");
    typed(&mut a, "第二行");
    press(&mut a, "C-s");
    assert_eq!(a.annotations().list[0].note, "种草≠交易\n第二行");
    assert_eq!(a.annotation_summary().unwrap(), "种草≠交易");
    // Edit, then Esc: asked; n goes back to editing; Esc y discards.
    press(&mut a, "a");
    typed(&mut a, "！");
    press(&mut a, "Esc");
    match a.mode() {
        Mode::Note(edit) => assert!(edit.confirm_discard),
        other => panic!("{other:?}"),
    }
    press(&mut a, "n");
    assert!(matches!(a.mode(), Mode::Note(e) if !e.confirm_discard));
    press(&mut a, "Esc y");
    assert_eq!(a.mode(), &Mode::Normal);
    assert_eq!(a.annotations().list[0].note, "种草≠交易\n第二行");
}

#[test]
fn delete_and_undo_bring_a_highlight_back_under_a_new_id() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V Enter");
    let id = a.annotations().list[0].id.clone();
    press(&mut a, "x");
    assert!(a.annotations().list.is_empty());
    assert_eq!(a.annotations().deleted, std::slice::from_ref(&id));
    press(&mut a, "u");
    assert_eq!(a.annotations().list.len(), 1);
    assert_ne!(a.annotations().list[0].id, id);
    // Undo of the creation itself.
    press(&mut a, "u u");
    assert!(a.annotations().list.is_empty());
    assert_eq!(a.message(), Some("Nothing to undo"));
}

#[test]
fn overlapping_highlights_stay_separate_and_the_innermost_is_under_the_cursor() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V Enter");
    goto(&mut a, "用户心智");
    press(&mut a, "v l l l 2");
    assert_eq!(quotes(&a).len(), 2);
    assert_eq!(a.annotation_at_cursor().unwrap().quote.exact, "用户心智");
    press(&mut a, "x");
    assert_eq!(quotes(&a), ["小红书的核心用户心智是“种草”，而非交易。"]);
}

#[test]
fn keys_on_no_highlight_say_what_to_do() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "t");
    assert!(a.message().unwrap().contains("v or V"));
    press(&mut a, "x");
    assert!(a.message().unwrap().contains("v or V"));
    assert!(a.annotations().list.is_empty());
}

#[test]
fn notes_tab_lists_filters_and_jumps() {
    let mut a = app(TEXT);
    goto(&mut a, "第二段");
    press(&mut a, "V t");
    typed(&mut a, "广告");
    press(&mut a, "Enter");
    goto(&mut a, "核心");
    press(&mut a, "V t");
    typed(&mut a, "电商");
    press(&mut a, "Enter g");
    press(&mut a, "o");
    assert_eq!(a.panel().tab, Tab::Notes);
    assert!(a.panel().focused);
    let items = a.notes_items();
    assert_eq!(items.len(), 2);
    // Document order.
    assert!(
        a.annotations().list[items[0]]
            .quote
            .exact
            .starts_with("小红书")
    );
    press(&mut a, "/");
    typed(&mut a, "#广");
    press(&mut a, "Enter");
    assert_eq!(a.notes_items().len(), 1);
    press(&mut a, "Enter");
    assert!(!a.panel().focused);
    assert!(at(&a).starts_with("第二段"));
    // h/l switch tabs.
    press(&mut a, "o h");
    assert_eq!(a.panel().tab, Tab::Entities);
}

#[test]
fn orphans_are_listed_after_placed_highlights() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V Enter");
    goto(&mut a, "第二段");
    press(&mut a, "V Enter");
    let mut anns = a.annotations().clone();
    anns.list[0].orphan = true;
    a.set_annotations(anns);
    let items = a.notes_items();
    assert!(a.annotations().list[items[1]].orphan);
    assert!(!a.annotations().list[items[0]].orphan);
}

#[test]
fn every_change_bumps_the_generation_that_triggers_a_save() {
    let mut a = app(TEXT);
    let g0 = a.annotations().generation;
    goto(&mut a, "核心");
    press(&mut a, "V Enter");
    let g1 = a.annotations().generation;
    assert!(g1 > g0);
    press(&mut a, "c");
    assert!(a.annotations().generation > g1);
}

#[test]
fn after_picking_a_note_n_and_capital_n_walk_the_highlights() {
    let mut a = app(TEXT);
    for needle in ["核心", "字节跳动", "第二段"] {
        goto(&mut a, needle);
        press(&mut a, "V Enter");
    }
    press(&mut a, "g o Enter");
    assert!(at(&a).starts_with("小红书的核心"));
    assert!(a.message().unwrap().starts_with("highlight 1/3"));
    press(&mut a, "n");
    assert!(at(&a).starts_with("字节跳动"));
    press(&mut a, "n n");
    assert!(at(&a).starts_with("小红书的核心"), "wraps around");
    press(&mut a, "N");
    assert!(at(&a).starts_with("第二段"));
    // A new search takes n back.
    press(&mut a, "/ 广 告 Enter n");
    assert!(at(&a).starts_with("广告"));
}

#[test]
fn ctrl_r_redoes_what_u_undid_and_a_new_change_clears_it() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V Enter c c");
    assert_eq!(a.annotations().list[0].colour, Colour::Blue);
    press(&mut a, "u u");
    assert_eq!(a.annotations().list[0].colour, Colour::Yellow);
    press(&mut a, "C-r");
    assert_eq!(a.annotations().list[0].colour, Colour::Green);
    // Undo the colours and the highlight itself, then redo all three.
    press(&mut a, "u u");
    assert!(a.annotations().list.is_empty());
    press(&mut a, "C-r C-r C-r");
    assert_eq!(a.annotations().list[0].colour, Colour::Blue);
    press(&mut a, "x u");
    assert_eq!(a.annotations().list.len(), 1);
    press(&mut a, "C-r");
    assert!(a.annotations().list.is_empty(), "redo of the undone delete");
    press(&mut a, "u c");
    press(&mut a, "C-r");
    assert_eq!(a.message(), Some("Nothing to redo"));
}

#[test]
fn motions_and_selection_on_empty_or_blank_documents_do_nothing() {
    for text in ["", "   \n\n", "\n"] {
        let mut a = app(text);
        let start = a.cursor();
        for key in ["w", "b", "e", "(", ")"] {
            press(&mut a, key);
            assert_eq!(a.cursor(), start, "{key} moved the cursor in {text:?}");
            assert_eq!(a.mode(), &Mode::Normal, "{key} in {text:?}");
            assert_eq!(a.message(), None, "{key} in {text:?}");
        }
        // No sentence to select, and a selection of nothing but spaces makes no highlight.
        press(&mut a, "V");
        assert_eq!(a.mode(), &Mode::Normal, "V in {text:?}");
        assert_eq!(a.message(), Some("No sentence here"));
        press(&mut a, "v Enter");
        assert_eq!(a.mode(), &Mode::Normal, "v Enter in {text:?}");
        assert_eq!(
            a.message(),
            Some("Nothing to highlight: the selection is only spaces")
        );
        assert_eq!(a.selection(), None);
        // Nothing under the cursor to tag or note: no prompt opens.
        press(&mut a, "t");
        assert_eq!(a.mode(), &Mode::Normal, "t in {text:?}");
        assert!(
            a.message()
                .is_some_and(|m| m.starts_with("No highlight under the cursor to tag")),
            "{:?}",
            a.message()
        );
        press(&mut a, "a");
        assert_eq!(a.mode(), &Mode::Normal, "a in {text:?}");
        assert!(
            a.message()
                .is_some_and(|m| m.starts_with("No highlight under the cursor to annotate")),
            "{:?}",
            a.message()
        );
        press(&mut a, "Esc u");
        assert_eq!(a.message(), Some("Nothing to undo"));
        press(&mut a, "C-r");
        assert_eq!(a.message(), Some("Nothing to redo"));
        press(&mut a, "o");
        assert_eq!(a.panel().tab, Tab::Notes);
        assert!(
            a.message()
                .is_some_and(|m| m.starts_with("No highlights yet")),
            "{:?}",
            a.message()
        );
        assert!(a.annotations().list.is_empty(), "{text:?}");
        assert!(a.annotations().document_notes.is_empty(), "{text:?}");
        assert_eq!(a.cursor(), start, "{text:?}");
    }
}

#[test]
fn undoing_the_delete_of_an_orphan_does_not_move_the_cursor_into_nowhere() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V Enter");
    let mut anns = a.annotations().clone();
    anns.list[0].orphan = true;
    anns.list[0].start = 1; // inside 标
    anns.list[0].end = 99_999;
    a.set_annotations(anns);
    press(&mut a, "g o Enter x u");
    assert_eq!(a.annotations().list.len(), 1);
    assert!(a.doc().text().is_char_boundary(a.cursor()));
    press(&mut a, "Esc v Enter");
    assert_eq!(a.annotations().list.len(), 2);
}

#[test]
fn c_in_the_notes_tab_recolours_the_selected_entry_not_the_smallest_under_it() {
    let mut a = app(TEXT);
    goto(&mut a, "小红书的核心");
    press(&mut a, "V 2");
    goto(&mut a, "小红书的核心");
    press(&mut a, "v l l Enter");
    press(&mut a, "o");
    // Both start at 小; the list has the longer (created first) one where the cursor was.
    let items = a.notes_items();
    let long = items
        .iter()
        .position(|&i| a.annotations().list[i].quote.exact.len() > 9)
        .unwrap();
    a.panel.notes.selected = long;
    press(&mut a, "c");
    let colours: Vec<(usize, Colour)> = a
        .annotations()
        .list
        .iter()
        .map(|x| (x.quote.exact.len(), x.colour))
        .collect();
    assert!(colours.contains(&(9, Colour::Yellow)), "{colours:?}");
    assert!(
        colours.iter().any(|&(l, c)| l > 9 && c == Colour::Blue),
        "{colours:?}"
    );
}

#[test]
fn a_note_saved_after_another_window_deleted_the_highlight_restores_it() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V a");
    typed(&mut a, "我的笔记");
    let id = a.annotations().list[0].id.clone();
    a.handle(Event::Saved {
        generation: 0,
        error: None,
        merged: Some(crate::annotations::Merged {
            list: Vec::new(),
            deleted: vec![id.clone()],
            document_notes: Vec::new(),
        }),
    });
    press(&mut a, "C-s");
    let list = &a.annotations().list;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].note, "我的笔记");
    assert_ne!(list[0].id, id);
    assert!(a.message().unwrap().contains("restored"));
}

#[test]
fn pasted_carriage_returns_are_line_breaks_in_notes() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V a");
    a.handle(Event::Paste("第一行\r第二行\r\n第三行".into()));
    press(&mut a, "C-s");
    assert_eq!(a.annotations().list[0].note, "第一行\n第二行\n第三行");
}

#[test]
fn word_end_and_sentence_selection_stop_on_whole_emoji() {
    let mut a = app("标题\n\n好的👍🏽 不错。");
    goto(&mut a, "好的");
    press(&mut a, "e");
    assert!(at(&a).starts_with("的"));
    press(&mut a, "e");
    assert!(at(&a).starts_with("👍🏽"), "{}", at(&a));
    press(&mut a, "w");
    assert!(at(&a).starts_with("不"), "{}", at(&a));
}

#[test]
fn opening_the_notes_tab_on_a_narrow_screen_keeps_the_cursor_in_its_highlight() {
    let long = format!("标题\n\n{}\n\n{}", "前文很长。".repeat(60), TEXT);
    let mut a = App::new(Document::new(&long), "t", Config::default(), (40, 15));
    goto(&mut a, "核心");
    press(&mut a, "V Enter");
    let cursor = a.cursor();
    press(&mut a, "o");
    assert!(a.panel_full());
    assert_eq!(a.cursor(), cursor);
    press(&mut a, "Esc");
    assert_eq!(a.cursor(), cursor);
    assert!(a.annotation_summary().is_some());
    assert!(a.cursor_cell().is_some());
}

#[test]
fn at_60_columns_o_shows_the_notes_tab_full_width_and_enter_returns_to_the_highlight() {
    let long = format!("标题\n\n{}\n\n{}", "前文很长。".repeat(60), TEXT);
    let mut a = App::new(Document::new(&long), "t", Config::default(), (60, 20));
    goto(&mut a, "字节跳动");
    press(&mut a, "V Enter");
    goto(&mut a, "第二段");
    press(&mut a, "V Enter g");
    press(&mut a, "o");
    assert!(a.panel_full());
    assert_eq!(a.panel().tab, Tab::Notes);
    assert!(a.panel().focused);
    assert_eq!(a.geometry().panel.width, 60);
    assert_eq!(a.geometry().text.width, 0, "the text is not drawn");
    assert_eq!(a.notes_items().len(), 2);
    // Listed in document order: 字节跳动 first.
    press(&mut a, "j k Enter");
    assert!(!a.panel_full());
    assert!(!a.panel().focused);
    assert_eq!(a.geometry().panel.width, 0);
    let first = &a.annotations().list[a.notes_items()[0]];
    assert!((first.start..first.end).contains(&a.cursor()));
    assert!(at(&a).starts_with("字节跳动"));
    assert!(a.cursor_cell().is_some(), "the highlight is on screen");
    assert!(a.annotation_summary().is_some());
    // n walks the highlights from there.
    press(&mut a, "n");
    assert!(at(&a).starts_with("第二段"));
}

/// Two paragraphs of two sentences; the first sentence ends in 。」” and the second
/// paragraph starts with 迈.
const QUOTED: &str = "标题\n\n她说：“他讲「种草不等于交易。」”广告很多。\n\n迈入第二段。结尾。";
const FIRST: &str = "她说：“他讲「种草不等于交易。」”";
const PARAGRAPH: &str = "她说：“他讲「种草不等于交易。」”广告很多。";

#[test]
fn v_close_paren_selects_exactly_the_sentence_with_its_closing_quotes() {
    let mut a = app(QUOTED);
    goto(&mut a, "她说");
    press(&mut a, "v )");
    assert!(at(&a).starts_with("”广告"), "{}", at(&a));
    press(&mut a, "Enter");
    assert_eq!(quotes(&a), [FIRST]);
}

#[test]
fn v_close_brace_selects_exactly_the_paragraph_without_the_line_break() {
    let mut a = app(QUOTED);
    goto(&mut a, "她说");
    press(&mut a, "v } Enter");
    assert_eq!(quotes(&a), [PARAGRAPH]);
    // From the middle of a paragraph: the rest of it, not the next one's first character.
    goto(&mut a, "入第二段");
    press(&mut a, "v } Enter");
    assert!(quotes(&a).contains(&"入第二段。结尾。"), "{:?}", quotes(&a));
}

#[test]
fn capital_v_then_close_paren_adds_the_next_sentence_and_stops_at_the_paragraph_end() {
    let mut a = app(QUOTED);
    goto(&mut a, "她说");
    press(&mut a, "V ) Enter");
    assert_eq!(quotes(&a), [PARAGRAPH]);
    // V on the sentence that ends the paragraph: not the next paragraph's 迈.
    let mut a = app(QUOTED);
    goto(&mut a, "广告很多");
    press(&mut a, "V Enter");
    assert_eq!(quotes(&a), ["广告很多。"]);
    // ) past the paragraph end takes the whole next sentence, never just its first character.
    let mut a = app(QUOTED);
    goto(&mut a, "广告很多");
    press(&mut a, "V ) Enter");
    assert_eq!(quotes(&a), ["广告很多。\n\n迈入第二段。"]);
}

#[test]
fn sentence_and_paragraph_motions_shrink_a_selection_back_to_whole_units() {
    let mut a = app(QUOTED);
    goto(&mut a, "她说");
    press(&mut a, "v ) ) ( Enter");
    assert_eq!(quotes(&a), [FIRST]);
    let mut a = app(QUOTED);
    goto(&mut a, "她说");
    press(&mut a, "v } } { Enter");
    assert_eq!(quotes(&a), [PARAGRAPH]);
    // At the start end (after o) ) moves the start to the next sentence.
    let mut a = app(QUOTED);
    goto(&mut a, "她说");
    press(&mut a, "v } o ) Enter");
    assert_eq!(quotes(&a), ["广告很多。"]);
}

#[test]
fn highlighting_the_same_span_again_never_makes_a_twin() {
    let mut a = app(QUOTED);
    goto(&mut a, "广告很多");
    press(&mut a, "V Enter");
    press(&mut a, "V Enter");
    assert_eq!(quotes(&a), ["广告很多。"]);
    assert!(
        a.message().unwrap().contains("Already highlighted"),
        "{:?}",
        a.message()
    );
    assert_eq!(a.mode(), &Mode::Normal);
    // A colour key recolours the existing highlight, and u takes that back.
    press(&mut a, "V 3");
    assert_eq!(quotes(&a), ["广告很多。"]);
    assert_eq!(a.annotations().list[0].colour, Colour::Blue);
    press(&mut a, "u");
    assert_eq!(a.annotations().list[0].colour, Colour::Yellow);
    // t and a open the existing highlight's tags and note; Esc keeps it.
    press(&mut a, "V t");
    typed(&mut a, "广告");
    press(&mut a, "Enter");
    assert_eq!(a.annotations().list.len(), 1);
    assert_eq!(a.annotations().list[0].tags, ["广告"]);
    press(&mut a, "V t Esc");
    assert_eq!(a.annotations().list.len(), 1);
    press(&mut a, "V a Esc");
    assert_eq!(a.annotations().list.len(), 1);
    assert_eq!(a.annotations().list[0].tags, ["广告"]);
}

#[test]
fn escape_from_the_tag_prompt_a_selection_opened_removes_the_new_highlight() {
    let mut a = app(QUOTED);
    goto(&mut a, "她说");
    press(&mut a, "V Enter c");
    assert_eq!(a.annotations().list[0].colour, Colour::Green);
    goto(&mut a, "广告很多");
    press(&mut a, "V t");
    assert_eq!(a.annotations().list.len(), 2);
    typed(&mut a, "半截");
    press(&mut a, "Esc");
    assert_eq!(quotes(&a), [FIRST]);
    assert_eq!(a.mode(), &Mode::Normal);
    // No undo entry is left: u takes back the colour change before it.
    press(&mut a, "u");
    assert_eq!(quotes(&a), [FIRST]);
    assert_eq!(a.annotations().list[0].colour, Colour::Yellow);
    // Ctrl-c cancels the same way.
    goto(&mut a, "广告很多");
    press(&mut a, "V t C-c");
    assert_eq!(quotes(&a), [FIRST]);
}

#[test]
fn escape_from_the_note_editor_a_selection_opened_removes_the_new_highlight() {
    let mut a = app(QUOTED);
    goto(&mut a, "她说");
    press(&mut a, "V Enter c");
    goto(&mut a, "广告很多");
    press(&mut a, "V a Esc");
    assert_eq!(quotes(&a), [FIRST]);
    assert_eq!(a.mode(), &Mode::Normal);
    press(&mut a, "u");
    assert_eq!(quotes(&a), [FIRST]);
    assert_eq!(a.annotations().list[0].colour, Colour::Yellow);
    // A note typed and then discarded (Esc y) takes the new highlight with it.
    goto(&mut a, "迈入");
    press(&mut a, "V a");
    typed(&mut a, "不要了");
    press(&mut a, "Esc y");
    assert_eq!(quotes(&a), [FIRST]);
    // The discarded highlight cannot come back through a merge with a save made meanwhile.
    assert_eq!(a.annotations().deleted.len(), 2);
}

#[test]
fn capital_a_writes_a_document_note_saved_with_ctrl_s() {
    let mut a = app(TEXT);
    let g0 = a.annotations().generation;
    press(&mut a, "A");
    assert!(matches!(a.mode(), Mode::Note(e) if e.is_document()));
    typed(&mut a, "整篇讲种草");
    press(&mut a, "Enter");
    typed(&mut a, "第二行");
    press(&mut a, "C-s");
    assert_eq!(a.mode(), &Mode::Normal);
    let notes = &a.annotations().document_notes;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text, "整篇讲种草\n第二行");
    assert!(a.annotations().generation > g0, "saved");
    assert!(a.annotations().list.is_empty(), "no highlight made");
}

#[test]
fn capital_a_then_escape_makes_no_document_note() {
    let mut a = app(TEXT);
    let g0 = a.annotations().generation;
    press(&mut a, "A Esc");
    assert_eq!(a.mode(), &Mode::Normal);
    // Typed, then Esc: asked first; y discards.
    press(&mut a, "A");
    typed(&mut a, "不要了");
    press(&mut a, "Esc");
    assert!(matches!(a.mode(), Mode::Note(e) if e.confirm_discard));
    press(&mut a, "y");
    assert_eq!(a.mode(), &Mode::Normal);
    assert!(a.annotations().document_notes.is_empty());
    assert_eq!(a.annotations().generation, g0);
}

#[test]
fn document_notes_are_listed_first_and_a_edits_x_deletes_them() {
    let mut a = app(TEXT);
    goto(&mut a, "核心");
    press(&mut a, "V Enter");
    press(&mut a, "A");
    typed(&mut a, "整篇");
    press(&mut a, "C-s o");
    assert_eq!(a.panel().tab, Tab::Notes);
    let entries = a.notes_entries();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0], NotesEntry::Document(0));
    assert!(matches!(entries[1], NotesEntry::Highlight(_)));
    // The document note is drawn first, under its own title.
    press(&mut a, "g");
    assert_eq!(a.panel().notes.selected, 0);
    // Enter: it has no place in the text; the list stays.
    let cursor = a.cursor();
    press(&mut a, "Enter");
    assert!(a.message().unwrap().contains("no place in the text"));
    assert!(a.panel().focused);
    assert_eq!(a.cursor(), cursor);
    // a edits it.
    press(&mut a, "a");
    assert!(matches!(a.mode(), Mode::Note(e) if e.is_document()));
    typed(&mut a, "笔记");
    press(&mut a, "C-s");
    assert_eq!(a.annotations().document_notes[0].text, "整篇笔记");
    assert_eq!(
        a.annotations().list[0].note,
        "",
        "the highlight is untouched"
    );
    // x deletes it and remembers its id.
    let id = a.annotations().document_notes[0].id.clone();
    let g = a.annotations().generation;
    press(&mut a, "x");
    assert!(a.annotations().document_notes.is_empty());
    assert!(a.annotations().deleted.contains(&id));
    assert!(a.annotations().generation > g);
    assert_eq!(a.annotations().list.len(), 1, "the highlight stays");
    assert_eq!(a.notes_entries().len(), 1);
    assert_eq!(a.message(), Some("Document note deleted: u brings it back"));
    // u brings it back (under a new id: the old one is a tombstone), then takes back the edit.
    press(&mut a, "u");
    assert_eq!(a.message(), Some("Undone: document note restored"));
    assert_eq!(a.annotations().document_notes[0].text, "整篇笔记");
    assert_ne!(a.annotations().document_notes[0].id, id);
    assert_eq!(a.notes_entries().len(), 2);
    press(&mut a, "u");
    assert_eq!(a.annotations().document_notes[0].text, "整篇");
    press(&mut a, "C-r C-r");
    assert_eq!(a.message(), Some("Redone: document note removed"));
    assert!(a.annotations().document_notes.is_empty());
}

#[test]
fn capital_o_opens_the_notes_full_width_at_120_columns_and_enter_returns_to_the_highlight() {
    let long = format!("标题\n\n{}\n\n{}", "前文很长。".repeat(200), TEXT);
    let mut a = App::new(Document::new(&long), "t", Config::default(), (120, 30));
    for needle in ["字节跳动", "第二段"] {
        goto(&mut a, needle);
        press(&mut a, "V a");
        for i in 0..12 {
            typed(&mut a, &format!("第{i}行"));
            press(&mut a, "Enter");
        }
        press(&mut a, "C-s");
    }
    press(&mut a, "g O");
    assert!(a.panel_full());
    assert_eq!(a.panel().tab, Tab::Notes);
    assert!(a.panel().focused);
    assert_eq!(a.geometry().panel.width, 120);
    assert_eq!(a.geometry().text.width, 0, "the text is not drawn");
    // Resizing keeps it full width where the side panel would fit.
    a.handle(Event::Resize(120, 30));
    assert!(a.panel_full());
    // The second entry is 16 rows tall: selecting it scrolls it into view.
    press(&mut a, "j");
    let rows = a.notes_full_rows(119);
    let scroll = a.panel().notes.scroll;
    let last = rows
        .iter()
        .rposition(|r| r.entry == Some(1) && r.kind == NoteRowKind::Meta)
        .unwrap();
    assert!(last < scroll + 28, "the selected entry's end is on screen");
    assert!(rows.iter().any(|r| r.text.contains("第11行")));
    press(&mut a, "k Enter");
    assert!(!a.panel_full());
    assert!(!a.panel().focused);
    assert!(at(&a).starts_with("字节跳动"));
    assert!(a.cursor_cell().is_some(), "the highlight is on screen");
    // O again from the side panel, and O once more: back to the side panel.
    press(&mut a, "O");
    assert!(a.panel_full());
    press(&mut a, "O");
    assert!(!a.panel_full());
    assert!(a.panel().focused && a.panel_visible());
    press(&mut a, "Esc");
    assert!(!a.panel().focused);
}

#[test]
fn keys_work_in_the_full_width_notes_view() {
    let mut a = App::new(Document::new(TEXT), "t", Config::default(), (120, 30));
    goto(&mut a, "第二段");
    press(&mut a, "V t");
    typed(&mut a, "广告");
    press(&mut a, "Enter");
    goto(&mut a, "核心");
    press(&mut a, "V Enter g O");
    assert!(a.panel_full());
    // t tags the selected entry (the first, 核心…).
    press(&mut a, "t");
    typed(&mut a, "电商");
    press(&mut a, "Enter");
    let first = a.notes_items()[0];
    assert_eq!(a.annotations().list[first].tags, ["电商"]);
    assert!(a.panel_full(), "back in the full-width view");
    press(&mut a, "c");
    assert_eq!(a.annotations().list[first].colour, Colour::Green);
    press(&mut a, "/");
    typed(&mut a, "#广");
    press(&mut a, "Enter");
    assert_eq!(a.notes_entries().len(), 1);
    press(&mut a, "x");
    assert_eq!(a.annotations().list.len(), 1);
    press(&mut a, "u");
    assert_eq!(a.annotations().list.len(), 2);
    press(&mut a, "A");
    typed(&mut a, "全文");
    press(&mut a, "C-s");
    assert!(a.panel_full());
    assert_eq!(a.annotations().document_notes.len(), 1);
}

/// The Notes list beside the text remembers how far it is scrolled, as the entity list does:
/// moving back up inside the entries shown does not scroll it.
#[test]
fn the_notes_list_beside_the_text_scrolls_only_as_far_as_the_selection_needs() {
    let text: String = (0..8).map(|i| format!("第{i}段的文字。\n\n")).collect();
    let mut a = App::new(
        Document::new(&format!("标题\n\n{text}")),
        "t",
        Config::default(),
        (120, 12),
    );
    for i in 0..8 {
        goto(&mut a, &format!("第{i}段"));
        press(&mut a, "V Enter");
    }
    press(&mut a, "o");
    assert!(!a.panel_full() && a.panel().focused);
    let height = usize::from(
        super::PanelAreas::new(a.geometry().panel, false)
            .list
            .height,
    );
    let shown = height / super::NOTE_ITEM_ROWS;
    assert!((2..8).contains(&shown), "{shown} entries shown");
    let scroll = |a: &App| a.notes_side(height).scroll;
    press(&mut a, "G");
    assert_eq!(a.panel().notes.selected, 7);
    let at_end = scroll(&a);
    assert!(at_end > 0);
    for _ in 0..shown - 1 {
        press(&mut a, "k");
    }
    assert_eq!(scroll(&a), at_end, "still inside the entries shown");
    press(&mut a, "k");
    assert!(scroll(&a) < at_end);
    // Back to the top: the first entry's row is the first shown.
    press(&mut a, "g");
    assert_eq!(scroll(&a), 0);
}
