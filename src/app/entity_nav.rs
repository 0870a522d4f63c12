//! Keys of the entity panel, and walking an entity's mentions.

use super::panel::PanelRow;
use super::{App, Key, KeyCode, Walk};
use crate::entities::Tier;
use crate::entities::correction::Correction;

/// The panel's keys, for help. `panel_key` below handles exactly these.
pub const PANEL_KEYS: &[(&str, &str)] = &[
    ("j k Down Up", "move in the list"),
    ("g G", "first / last row"),
    (
        "Enter",
        "light up its mentions and go to the first (on a group: fold or unfold)",
    ),
    ("n N", "next / previous mention"),
    ("/", "filter the list (Enter keeps, Esc clears)"),
    (
        "a",
        "accept a possible (dimmed) or found entity; on a rejected one: restore it",
    ),
    (
        "x",
        "reject: move it to the folded \"rejected\" group at the end",
    ),
    ("r", "rename it (onto an existing name: merge)"),
    ("m", "merge it into another entity (type its name)"),
    ("K", "change its kind (company, product, person …)"),
    (
        "u Ctrl-r",
        "undo / redo a correction (or a highlight change)",
    ),
    (
        "+ (in the text)",
        "add the word at the cursor or the search hit",
    ),
    (
        "Tab Esc",
        "back to the text (Esc first clears a filter); a full-width panel closes",
    ),
    ("p", "hide the panel"),
    ("h l ← →", "switch between the Entities and Notes tabs"),
];

impl App {
    pub(super) fn panel_visible(&self) -> bool {
        self.panel.is_visible(self.size.0)
    }

    /// The panel takes the whole width in place of the text (opened under 70 columns).
    pub fn panel_full(&self) -> bool {
        self.panel.is_full(self.size.0)
    }

    pub(super) fn toggle_panel(&mut self) {
        if !self.panel_visible() {
            self.show_panel();
            return;
        }
        self.panel.shown = Some(false);
        self.leave_panel();
        self.relayout();
    }

    /// Shows the panel (for `p`, `Tab`, `o`, `+`): beside the text where it fits, else full
    /// width in place of the text and focused, since the text is not on screen to read.
    pub(super) fn show_panel(&mut self) {
        if super::Panel::fits(self.size.0) {
            if !self.panel_visible() {
                self.panel.shown = Some(true);
                self.relayout();
            }
        } else if !self.panel.full {
            self.panel.full = true;
            self.panel.shown = Some(true);
            self.panel.focused = true;
        }
    }

    /// Back to the text: the panel loses focus, a full-width panel closes, and a filter or
    /// prompt being typed there is dropped (the keys go to the text now).
    pub(super) fn leave_panel(&mut self) {
        self.panel.focused = false;
        self.panel.full = false;
        self.panel.wide = false;
        self.clear_panel_filters();
    }

    /// Drops both tabs' filters and the entity prompt: the full lists again.
    fn clear_panel_filters(&mut self) {
        let panel = &mut self.panel;
        if panel.filtering || !panel.filter.is_empty() {
            panel.filtering = false;
            panel.filter.clear();
            panel.selected = 0;
        }
        panel.prompt = None;
        let notes = &mut panel.notes;
        if notes.filtering || !notes.filter.is_empty() {
            notes.filtering = false;
            notes.filter.clear();
            notes.selected = 0;
        }
    }

    pub(super) fn focus_panel(&mut self) {
        if !super::Panel::fits(self.size.0) {
            // From the text (the panel handles its own Tab): open it full width.
            return self.show_panel();
        }
        self.show_panel();
        self.panel.focused = !self.panel.focused;
    }

    pub(super) fn panel_key(&mut self, key: Key) {
        self.message = None;
        if self.panel.tab == super::panel::Tab::Notes {
            return self.notes_key(key);
        }
        if self.panel.filtering {
            return self.filter_key(key);
        }
        if self.panel.prompt.is_some() {
            return self.panel_prompt_key(key);
        }
        let selected = match self.panel.selected_row() {
            Some(PanelRow::Entity(i)) => Some(i),
            _ => None,
        };
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => self.panel.move_selection(1),
            KeyCode::Char('k') | KeyCode::Up => self.panel.move_selection(-1),
            KeyCode::Char('g') | KeyCode::Home => self.panel.selected = 0,
            KeyCode::Char('G') | KeyCode::End => self.panel.move_selection(isize::MAX / 2),
            KeyCode::PageDown | KeyCode::Char(' ') => self.panel.move_selection(10),
            KeyCode::PageUp => self.panel.move_selection(-10),
            KeyCode::Enter => self.activate_selected(),
            KeyCode::Char('n') => self.jump_mention(true, 1),
            KeyCode::Char('N') => self.jump_mention(false, 1),
            KeyCode::Char('/') => {
                self.panel.filtering = true;
                self.panel.filter.clear();
                self.panel.selected = 0;
            }
            KeyCode::Char('a') => self.accept_selected(),
            KeyCode::Char('x') => self.reject_selected(),
            KeyCode::Char('u') if !key.ctrl => self.undo(),
            KeyCode::Char('r') if key.ctrl => self.redo(),
            KeyCode::Char('r') => selected.into_iter().for_each(|i| self.start_rename(i)),
            KeyCode::Char('m') => selected.into_iter().for_each(|i| self.start_merge(i)),
            KeyCode::Char('K') => selected.into_iter().for_each(|i| self.cycle_kind(i)),
            KeyCode::Char('+') => self.start_add_entity(),
            KeyCode::Char('h' | 'l') | KeyCode::Left | KeyCode::Right => {
                self.panel.tab = super::panel::Tab::Notes
            }
            KeyCode::Char('o') => self.open_notes_list(),
            KeyCode::Char('O') => self.open_notes_full(),
            // A kept filter goes first: the full list again.
            KeyCode::Esc if !self.panel.filter.is_empty() => {
                self.panel.filter.clear();
                self.panel.selected = 0;
            }
            KeyCode::Tab | KeyCode::Esc => self.leave_panel(),
            KeyCode::Char('p') => self.toggle_panel(),
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Char('c') if key.ctrl => self.quit = true,
            KeyCode::Char('?') | KeyCode::F(1) => self.mode = super::Mode::Help { scroll: 0 },
            _ => {
                self.message = Some(format!(
                    "{key} does nothing in the entity panel: ? for help"
                ))
            }
        }
    }

    fn filter_key(&mut self, key: Key) {
        super::keys::filter_key(&mut self.panel.filter, &mut self.panel.filtering, key);
        self.panel.selected = 0;
    }

    fn activate_selected(&mut self) {
        match self.panel.selected_row() {
            Some(PanelRow::Group { kind, .. }) => self.panel.toggle_group(kind),
            Some(PanelRow::RejectedGroup { .. }) => {
                self.panel.rejected_open = !self.panel.rejected_open;
            }
            Some(PanelRow::Rejected(i)) => {
                let name = &self.panel.entities[i].name;
                self.message = Some(format!("{name} is rejected: a restores it"));
            }
            Some(PanelRow::Entity(i)) => {
                self.panel.active = Some(i);
                self.walk = Walk::Entity;
                if self.panel_full() {
                    // The text is hidden behind a full-width panel: show it at the mention.
                    self.leave_panel();
                }
                if let Some(first) = self.panel.entities[i].mentions.first() {
                    let start = first.start;
                    self.remember_jump();
                    self.set_cursor(start);
                }
                self.message = Some(self.mention_summary());
            }
            None => {}
        }
    }

    fn accept_selected(&mut self) {
        match self.panel.selected_row() {
            Some(PanelRow::Entity(i)) => {
                let e = &self.panel.entities[i];
                if e.tier != Tier::Known {
                    let name = e.name.clone();
                    self.correct(Correction::Accept { name: name.clone() });
                    self.message = Some(format!("{name} accepted"));
                }
            }
            Some(PanelRow::Rejected(i)) => {
                let name = self.panel.entities[i].name.clone();
                self.correct(Correction::Accept { name: name.clone() });
                self.message = Some(format!("{name} restored"));
            }
            _ => {}
        }
    }

    fn reject_selected(&mut self) {
        if let Some(PanelRow::Entity(i)) = self.panel.selected_row() {
            let name = self.panel.entities[i].name.clone();
            let active = self.panel.active == Some(i);
            self.correct(Correction::Reject { name: name.clone() });
            if active {
                self.panel.active = None;
            }
            self.panel.move_selection(0);
            self.message = Some(format!(
                "{name} rejected: hidden for this document (u undoes, listed under rejected)"
            ));
        }
    }

    /// `n`/`N` over the active entity's mentions, wrapping around.
    pub(super) fn jump_mention(&mut self, forward: bool, n: usize) {
        let Some(active) = self.panel.active else {
            self.message = Some("No active entity: pick one in the panel (Tab)".into());
            return;
        };
        let starts: Vec<std::ops::Range<usize>> = self.panel.entities[active]
            .mentions
            .iter()
            .map(|m| m.start..m.end)
            .collect();
        if !starts.is_empty() {
            self.remember_jump();
        }
        let mut wrapped = false;
        for _ in 0..n {
            let found = if forward {
                crate::search::next_hit(&starts, self.cursor)
            } else {
                crate::search::prev_hit(&starts, self.cursor)
            };
            let Some((i, w)) = found else {
                return;
            };
            wrapped |= w;
            self.set_cursor(starts[i].start);
        }
        let summary = self.mention_summary();
        self.message = Some(if wrapped {
            format!("{summary}  (wrapped around)")
        } else {
            summary
        });
    }

    /// `字节跳动 3/7`
    fn mention_summary(&self) -> String {
        let Some(e) = self.panel.active.and_then(|i| self.panel.entities.get(i)) else {
            return String::new();
        };
        let i = e.mentions.partition_point(|m| m.start < self.cursor);
        format!(
            "{}  {}/{}",
            e.name,
            (i + 1).min(e.mentions.len()),
            e.mentions.len()
        )
    }
}
