//! Keys of the entity panel, and walking an entity's mentions.

use super::panel::PanelRow;
use super::{Action, App, Walk};
use crate::entities::Tier;
use crate::entities::correction::Correction;

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

    /// Actions in the Entities tab.
    pub(super) fn entities_action(&mut self, action: Action) {
        let selected = match self.panel.selected_row() {
            Some(PanelRow::Entity(i)) => Some(i),
            _ => None,
        };
        let rows = self.panel.rows().len();
        if Self::list_step(&mut self.panel.selected, rows, action, 10) {
            return;
        }
        match action {
            Action::Accept => self.activate_selected(),
            Action::NextHit => self.jump_mention(true, 1),
            Action::PrevHit => self.jump_mention(false, 1),
            Action::Search => self.start_filter(),
            Action::AcceptEntity => self.accept_selected(),
            Action::RejectEntity => self.reject_selected(),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::RenameEntity => selected.into_iter().for_each(|i| self.start_rename(i)),
            Action::MergeEntity => selected.into_iter().for_each(|i| self.start_merge(i)),
            Action::ChangeKind => selected.into_iter().for_each(|i| self.cycle_kind(i)),
            Action::AddEntity => self.start_add_entity(),
            Action::SwitchTab => self.panel.tab = super::panel::Tab::Notes,
            Action::NotesList => self.open_notes_list(),
            Action::NotesFull => self.open_notes_full(),
            // A kept filter goes first: the full list again.
            Action::Cancel if !self.panel.filter.is_empty() => {
                self.panel.filter.clear();
                self.panel.selected = 0;
            }
            Action::Cancel | Action::FocusPanel => self.leave_panel(),
            Action::TogglePanel => self.toggle_panel(),
            Action::Help => self.open_help(),
            Action::Quit => self.quit = true,
            _ => {}
        }
    }

    pub(super) fn activate_selected(&mut self) {
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
        let Some((to, wrapped)) = super::list_nav::walk(&starts, self.cursor, forward, n) else {
            return;
        };
        self.set_cursor(to);
        let summary = self.mention_summary();
        self.message = Some(if wrapped {
            format!("{summary}  (wrapped around)")
        } else {
            summary
        });
    }

    /// `字节跳动 3/7`
    pub(super) fn mention_summary(&self) -> String {
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
