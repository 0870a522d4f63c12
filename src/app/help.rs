//! The help screen's content and its keys: every action with the keys bound to it (from the
//! keymap, so it never drifts), the keys of the other modes, wrapped to the screen's width so
//! nothing is cut, scrolled with j/k/Space and searched with `/`.

use super::{App, Key, KeyCode, Mode};
use crate::app::Action;
use crate::layout::{AmbiguousWidth, WrapOptions, str_width, wrap};

/// Widest the help gets: wider lines are harder to read.
pub const MAX_WIDTH: u16 = 100;

/// What a row of the help screen is, for its style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Title,
    Entry,
    Blank,
    Text,
}

/// One row of the help screen: the keys column (empty on continuation rows) and a piece of
/// the description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpRow {
    pub kind: RowKind,
    pub keys: String,
    pub text: String,
    /// Index of the entry the row belongs to, for search.
    pub entry: usize,
}

/// The help search: what is being typed, or the last pattern looked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelpSearch {
    pub query: String,
    pub typing: bool,
    /// Set when the last search found nothing.
    pub missed: bool,
}

/// Entries of the help: (kind, keys, description).
fn entries(app: &App) -> Vec<(RowKind, String, String)> {
    let mut out = Vec::new();
    let mut group = None;
    for action in Action::ALL {
        if group != Some(action.group()) {
            if group.is_some() {
                out.push((RowKind::Blank, String::new(), String::new()));
            }
            group = Some(action.group());
            out.push((RowKind::Title, String::new(), action.group().title().into()));
        }
        let keys: Vec<String> = app
            .keymap()
            .keys_for(action)
            .map(|k| k.to_string())
            .collect();
        out.push((RowKind::Entry, keys.join(" "), action.description().into()));
    }
    let sections: [(&str, &[(&str, &str)]); 5] = [
        ("While selecting (after v or V)", super::SELECTION_KEYS),
        ("Outline (after T)", super::OUTLINE_KEYS),
        ("Tag prompt and note editor", super::EDITING_KEYS),
        ("Side panel: Entities tab", super::PANEL_KEYS),
        ("Side panel: Notes tab", super::NOTES_KEYS),
    ];
    for (title, keys) in sections {
        out.push((RowKind::Blank, String::new(), String::new()));
        out.push((RowKind::Title, String::new(), title.into()));
        for (key, what) in keys {
            out.push((RowKind::Entry, (*key).into(), (*what).into()));
        }
    }
    out.push((RowKind::Blank, String::new(), String::new()));
    for text in [
        "A number before a motion repeats it; NG goes to paragraph N.",
        "Search ignores case unless the pattern has capitals.",
        "In this help: j/k or ↑/↓ scroll, Space/PgDn and PgUp page, g/G top and end, \
         / searches, n/N find again; any other key closes it.",
    ] {
        out.push((RowKind::Text, String::new(), text.into()));
    }
    out
}

/// The help laid out for `width` columns: descriptions wrapped after a keys column (or under
/// the keys when the screen is too narrow for two columns).
pub fn rows(app: &App, width: usize) -> Vec<HelpRow> {
    layout(app, width).0
}

/// [`rows`], and the width of the keys column (0 when keys stand on rows of their own).
pub fn layout(app: &App, width: usize) -> (Vec<HelpRow>, usize) {
    let width = width.max(1);
    let entries = entries(app);
    let key_col = entries
        .iter()
        .filter(|e| e.0 == RowKind::Entry)
        .map(|e| str_width(&e.1, AmbiguousWidth::Narrow))
        .max()
        .unwrap_or(0)
        // Narrow screens keep more room for the text; longer keys get a row of their own.
        .min(if width < 60 { 10 } else { 18 })
        + 4;
    let two_columns = width >= key_col + 16;
    let mut out = Vec::new();
    for (i, (kind, keys, text)) in entries.into_iter().enumerate() {
        let row = |keys: String, text: &str| HelpRow {
            kind,
            keys,
            text: text.to_string(),
            entry: i,
        };
        match kind {
            RowKind::Blank => out.push(row(String::new(), "")),
            RowKind::Title | RowKind::Text => {
                for piece in pieces(&text, width.saturating_sub(2)) {
                    out.push(row(String::new(), piece));
                }
            }
            RowKind::Entry if two_columns => {
                let keys_fit = str_width(&keys, AmbiguousWidth::Narrow) + 4 <= key_col;
                let mut first = if keys_fit {
                    Some(keys)
                } else {
                    out.push(row(keys, ""));
                    None
                };
                for piece in pieces(&text, width - key_col) {
                    out.push(row(first.take().unwrap_or_default(), piece));
                }
            }
            RowKind::Entry => {
                out.push(row(keys, ""));
                for piece in pieces(&text, width.saturating_sub(4)) {
                    out.push(row(String::new(), piece));
                }
            }
        }
    }
    (out, if two_columns { key_col } else { 0 })
}

/// `text` wrapped to `width` by the reader's own line breaking, as string slices.
fn pieces(text: &str, width: usize) -> Vec<&str> {
    if text.is_empty() {
        return vec![""];
    }
    wrap(text, &WrapOptions::new(width.max(1)))
        .into_iter()
        .map(|r| &text[r.start..r.end])
        .collect()
}

/// Rows of help shown at once on a screen `height` rows high: the box's border and, while
/// there is a search, its prompt row take the rest.
pub fn visible_rows(height: u16, search: &HelpSearch) -> usize {
    let prompt = usize::from(search.typing || !search.query.is_empty());
    usize::from(height.saturating_sub(2))
        .saturating_sub(prompt)
        .max(1)
}

/// Inner width of the help popup on a screen `width` columns wide.
pub fn inner_width(width: u16) -> usize {
    usize::from(width.min(MAX_WIDTH).saturating_sub(2))
}

impl App {
    /// The help search state, for drawing.
    pub fn help_search(&self) -> &HelpSearch {
        &self.help_search
    }

    pub(super) fn help_key(&mut self, key: Key) {
        let Mode::Help { scroll } = self.mode else {
            return;
        };
        if self.help_search.typing {
            self.help_typing_key(key, scroll);
            return;
        }
        let rows = rows(self, inner_width(self.size.0));
        let page = visible_rows(self.size.1, &self.help_search);
        let last = rows.len().saturating_sub(page);
        let scroll = scroll.min(last);
        let new = match key.code {
            KeyCode::Char('j') | KeyCode::Down => scroll + 1,
            KeyCode::Char('k') | KeyCode::Up => scroll.saturating_sub(1),
            KeyCode::Char(' ') | KeyCode::PageDown => scroll + page,
            KeyCode::PageUp => scroll.saturating_sub(page),
            KeyCode::Char('g') | KeyCode::Home => 0,
            KeyCode::Char('G') | KeyCode::End => last,
            KeyCode::Char('/') => {
                self.help_search = HelpSearch {
                    typing: true,
                    ..HelpSearch::default()
                };
                scroll
            }
            KeyCode::Char('n') => self.help_find(&rows, scroll, true),
            KeyCode::Char('N') => self.help_find(&rows, scroll, false),
            _ if key == Key::ctrl('c') => {
                self.quit = true;
                scroll
            }
            _ => {
                self.help_search = HelpSearch::default();
                self.mode = Mode::Normal;
                return;
            }
        };
        self.mode = Mode::Help {
            scroll: new.min(last),
        };
    }

    fn help_typing_key(&mut self, key: Key, scroll: usize) {
        match key.code {
            KeyCode::Esc => self.help_search = HelpSearch::default(),
            KeyCode::Enter => {
                self.help_search.typing = false;
                let rows = rows(self, inner_width(self.size.0));
                // From the top row shown, inclusive.
                let found = self.help_find(&rows, scroll.wrapping_sub(1), true);
                if !self.help_search.missed {
                    let page = visible_rows(self.size.1, &self.help_search);
                    self.mode = Mode::Help {
                        scroll: found.min(rows.len().saturating_sub(page)),
                    };
                }
            }
            KeyCode::Backspace => {
                self.help_search.query.pop();
            }
            KeyCode::Char(c) if !key.ctrl && super::keys::is_input_char(c) => {
                self.help_search.query.push(c);
            }
            _ => {}
        }
    }

    /// The row of the next (or previous) entry after `from` matching the query, wrapping
    /// around; `from` itself when nothing matches (and `missed` is set).
    fn help_find(&mut self, rows: &[HelpRow], from: usize, forward: bool) -> usize {
        let query = self.help_search.query.to_lowercase();
        if query.is_empty() {
            return from;
        }
        // Match whole entries, so a phrase split by a wrap is still found.
        let mut texts: Vec<(usize, String)> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            match texts.last_mut() {
                Some((_, t)) if rows[i - 1].entry == r.entry => {
                    t.push(' ');
                    t.push_str(&r.text);
                }
                _ => texts.push((i, format!("{} {}", r.keys, r.text))),
            }
        }
        let hits: Vec<usize> = texts
            .iter()
            .filter(|(_, t)| t.to_lowercase().contains(&query))
            .map(|(i, _)| *i)
            .collect();
        self.help_search.missed = hits.is_empty();
        let next = if forward {
            hits.iter().find(|&&i| i > from).or(hits.first())
        } else {
            hits.iter().rev().find(|&&i| i < from).or(hits.last())
        };
        next.copied().unwrap_or(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::document::Document;

    fn app(w: u16, h: u16) -> App {
        App::new(
            Document::new("标题\n\n正文。"),
            "x.txt",
            Config::default(),
            (w, h),
        )
    }

    fn press(app: &mut App, keys: &str) {
        for k in keys.split_whitespace() {
            app.handle(super::super::Event::Key(Key::parse(k).unwrap()));
        }
    }

    /// Every description is shown whole at every width: the pieces join back to it.
    #[test]
    fn nothing_is_cut_at_any_width() {
        let a = app(80, 24);
        let whole: Vec<String> = entries(&a).into_iter().map(|e| e.2).collect();
        for width in [10, 20, 38, 60, 98] {
            let rows = rows(&a, width);
            for r in &rows {
                let w = str_width(&r.text, AmbiguousWidth::Narrow);
                assert!(w <= width, "{width}: {r:?}");
            }
            for (i, text) in whole.iter().enumerate() {
                let joined: String = rows
                    .iter()
                    .filter(|r| r.entry == i)
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let squash = |s: &str| s.split_whitespace().collect::<String>();
                assert_eq!(squash(&joined), squash(text), "{width}");
            }
        }
    }

    /// Rows (first of their entry) whose entry mentions `query`.
    fn hits(rows: &[HelpRow], query: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let entry: String = rows
                .iter()
                .filter(|x| x.entry == r.entry)
                .map(|x| format!("{} {} ", x.keys, x.text))
                .collect();
            let first = i == 0 || rows[i - 1].entry != r.entry;
            if first && entry.to_lowercase().contains(query) {
                out.push(i);
            }
        }
        out
    }

    fn scroll(a: &App) -> usize {
        match a.mode() {
            Mode::Help { scroll } => *scroll,
            other => panic!("help closed: {other:?}"),
        }
    }

    #[test]
    fn search_shows_each_match_in_turn() {
        let mut a = app(60, 12);
        let page = 12 - 3;
        let rows = rows(&a, inner_width(60));
        let hits = hits(&rows, "search");
        assert!(hits.len() >= 3, "{hits:?}");
        press(&mut a, "?");
        for c in "/ s e a r c h Enter".split_whitespace() {
            press(&mut a, c);
        }
        let visible = |a: &App, row: usize| (scroll(a)..scroll(a) + page).contains(&row);
        assert!(visible(&a, hits[0]), "{} {hits:?}", scroll(&a));
        press(&mut a, "n");
        assert!(visible(&a, hits[1]), "{} {hits:?}", scroll(&a));
        press(&mut a, "N");
        assert!(visible(&a, hits[0]), "{} {hits:?}", scroll(&a));
        // Nothing found: the view stays and the prompt says so.
        let before = scroll(&a);
        for c in "/ z z z q Enter".split_whitespace() {
            press(&mut a, c);
        }
        assert_eq!(scroll(&a), before);
        assert!(a.help_search().missed);
        press(&mut a, "q");
        assert_eq!(a.mode(), &Mode::Normal);
        assert_eq!(a.help_search(), &HelpSearch::default());
    }

    #[test]
    fn scrolling_stops_at_the_end() {
        let mut a = app(40, 15);
        press(&mut a, "? G");
        let Mode::Help { scroll } = a.mode().clone() else {
            panic!("help stays open");
        };
        let rows = rows(&a, inner_width(40));
        assert_eq!(scroll, rows.len() - 13);
        press(&mut a, "j");
        assert_eq!(a.mode(), &Mode::Help { scroll });
    }
}
