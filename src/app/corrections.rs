//! The user's corrections to the entity list: add, rename, merge, change kind (reject and
//! accept live with the panel keys). Kept in memory; the store makes them last.

use super::line_input::LineInput;
use super::panel::{PanelPrompt, PromptKind, next_named_kind};
use super::{Action, App, Walk};
use crate::annotations::Change;
use crate::entities::correction::Correction;
use crate::entities::{self, EntityKind};

impl App {
    /// `+`: the search hit under the cursor, else the selection, else the word there,
    /// becomes a new entity after the user confirms its name and kind. On punctuation or
    /// spaces there is no word to add.
    pub(super) fn start_add_entity(&mut self) {
        let found = self.word_at_cursor();
        if matches!(self.mode, super::Mode::Visual { .. }) {
            self.mode = super::Mode::Normal;
        }
        let (start, end) = match found {
            Ok(range) => range,
            Err(why) => {
                self.message = Some(why);
                return;
            }
        };
        self.show_panel();
        // The prompt is on the Entities tab (from the Notes tab, keys went to the notes list).
        self.panel.tab = super::panel::Tab::Entities;
        self.panel.focused = true;
        self.panel.prompt = Some(PanelPrompt {
            kind: PromptKind::Add { start, end },
            input: LineInput::new(&self.doc.text()[start..end]),
            entity_kind: EntityKind::Company,
        });
    }

    /// The search hit under the cursor, or the selection, or the word (by segmentation)
    /// holding the cursor; why there is none.
    fn word_at_cursor(&self) -> Result<(usize, usize), String> {
        let text = self.doc.text();
        let (start, end) = if self.search.visible
            && let Some(i) = self.current_hit()
        {
            let hit = &self.search.hits[i];
            (hit.start, hit.end)
        } else if let Some(range) = self.selection() {
            let slice = &text[range.clone()];
            let start = range.start + (slice.len() - slice.trim_start().len());
            (
                start,
                start.max(range.end - (slice.len() - slice.trim_end().len())),
            )
        } else {
            self.segmented_word()
                .ok_or("Word segmentation is still loading; try again in a moment")?
        };
        let word = &text[start..end];
        if !word.chars().any(char::is_alphanumeric) {
            let shown = word.trim();
            return Err(if shown.is_empty() {
                "No word at the cursor to add as an entity".to_string()
            } else {
                format!("No word at the cursor to add as an entity: {shown} is punctuation")
            });
        }
        Ok((start, end))
    }

    /// The word (by segmentation) holding the cursor.
    fn segmented_word(&self) -> Option<(usize, usize)> {
        let segmenter = self.segmenter.as_ref()?;
        let text = self.doc.text();
        let block = self.doc.blocks().get(self.doc.block_at(self.cursor))?;
        if block.start == block.end {
            return Some((self.cursor, self.cursor));
        }
        let from = entities::clause_start(text, self.cursor).max(block.start);
        let to = entities::clause_end(text, self.cursor)
            .min(block.end)
            .max(self.cursor + 1);
        let to = (to..=block.end).find(|&i| text.is_char_boundary(i))?;
        let bounds = segmenter.boundaries(&text[from..to]);
        let at = self.cursor - from;
        let i = bounds.partition_point(|&b| b <= at);
        let (s, e) = (bounds.get(i.checked_sub(1)?)?, bounds.get(i)?);
        Some((from + s, from + e))
    }

    pub(super) fn start_rename(&mut self, i: usize) {
        self.panel.prompt = Some(PanelPrompt {
            kind: PromptKind::Rename(i),
            input: LineInput::new(&self.panel.entities[i].name),
            entity_kind: self.panel.entities[i].kind,
        });
    }

    pub(super) fn start_merge(&mut self, i: usize) {
        self.panel.prompt = Some(PanelPrompt {
            kind: PromptKind::Merge(i),
            input: LineInput::default(),
            entity_kind: self.panel.entities[i].kind,
        });
    }

    /// `K`: the next named kind.
    pub(super) fn cycle_kind(&mut self, i: usize) {
        let e = &self.panel.entities[i];
        let (name, kind) = (e.name.clone(), next_named_kind(e.kind));
        self.correct(Correction::Kind {
            name: name.clone(),
            kind,
        });
        self.message = Some(format!(
            "{name} is now {}",
            crate::wording::a(kind.as_str())
        ));
    }

    /// Actions of the rename, merge and add prompt.
    pub(super) fn entity_prompt_action(&mut self, action: Action) {
        let Some(prompt) = &mut self.panel.prompt else {
            return;
        };
        match action {
            Action::Cancel => self.panel.prompt = None,
            Action::Accept => {
                if let Some(prompt) = self.panel.prompt.take() {
                    self.apply_prompt(prompt);
                }
            }
            Action::NextOption => prompt.entity_kind = next_named_kind(prompt.entity_kind),
            _ => {}
        }
    }

    fn apply_prompt(&mut self, prompt: PanelPrompt) {
        let input = prompt.input.trim().to_string();
        if input.is_empty() {
            return;
        }
        match prompt.kind {
            PromptKind::Rename(i) => {
                let old = self.panel.entities[i].name.clone();
                self.correct(Correction::Rename {
                    from: old.clone(),
                    to: input.clone(),
                });
                self.message = Some(format!("{old} renamed to {input}"));
            }
            PromptKind::Merge(i) => match self.find_entity(&input, i) {
                Some(j) => {
                    let (from, into) = (
                        self.panel.entities[i].name.clone(),
                        self.panel.entities[j].name.clone(),
                    );
                    self.correct(Correction::Merge {
                        from: from.clone(),
                        into: into.clone(),
                    });
                    self.message = Some(format!("{from} merged into {into}"));
                }
                None => self.message = Some(format!("No entity named {input}")),
            },
            PromptKind::Add { .. } => {
                // What is matched is the name as confirmed, not the word the prompt began with.
                if let Some(why) = entities::correction::refusal(&input) {
                    self.message = Some(why);
                    self.panel.prompt = Some(prompt);
                    return;
                }
                let kind = prompt.entity_kind;
                self.correct(Correction::Add {
                    name: input.clone(),
                    kind,
                    surface: input.clone(),
                });
                self.panel.collapsed.remove(&kind);
                self.walk = Walk::Entity;
                let count = self.active_mentions().len();
                self.message = Some(format!(
                    "{input} added as {}: {}",
                    kind.as_str(),
                    crate::wording::counted(count, "mention")
                ));
            }
        }
    }

    /// Carries out a correction, keeps it in the log that is saved, and selects its result.
    /// `u` takes it back.
    pub(super) fn correct(&mut self, correction: Correction) {
        let change = Change::Correct(correction.clone());
        if self.annotations.apply(change, self.now_ms).is_some() {
            self.correct_panel(&correction);
        }
    }

    /// Carries out a logged correction on the entity list.
    pub(super) fn correct_panel(&mut self, correction: &Correction) {
        let focus = correction.apply(
            &mut self.panel.entities,
            &mut self.panel.rejected,
            self.doc.text(),
        );
        self.resort(focus.as_deref());
    }

    /// After correction `c` was taken back (its undo logged): the list is built again from
    /// the extraction, since a merge cannot be reversed in place.
    pub(super) fn uncorrect_panel(&mut self, c: &Correction) {
        let active = self
            .panel
            .active
            .and_then(|i| self.panel.entities.get(i))
            .map(|e| e.name.clone());
        self.replay_corrections();
        let find = |name: &str| self.panel.entities.iter().position(|e| e.name == name);
        self.panel.active = active.as_deref().and_then(find);
        let focus = match c {
            Correction::Rename { from, .. } => Some(from),
            Correction::Merge { from, .. } => Some(from),
            Correction::Kind { name, .. }
            | Correction::Reject { name }
            | Correction::Accept { name } => Some(name),
            Correction::Add { .. } | Correction::Undo(_) => None,
        };
        self.resort(focus.map(String::as_str));
    }

    /// Replays the saved corrections over the fresh extraction.
    pub(super) fn replay_corrections(&mut self) {
        self.panel.entities = self.panel.extracted.clone();
        self.panel.rejected.clear();
        entities::correction::replay(
            &self.annotations.corrections,
            &mut self.panel.entities,
            &mut self.panel.rejected,
            self.doc.text(),
        );
    }

    /// An entity named exactly `name` (ignoring ASCII case), else the only one starting with it.
    fn find_entity(&self, name: &str, except: usize) -> Option<usize> {
        let entities = &self.panel.entities;
        let candidates = || {
            entities
                .iter()
                .enumerate()
                .filter(move |(j, _)| *j != except)
        };
        candidates()
            .find(|(_, e)| e.name.eq_ignore_ascii_case(name))
            .or_else(|| {
                let mut starts = candidates().filter(|(_, e)| e.name.starts_with(name));
                let first = starts.next();
                first.filter(|_| starts.next().is_none())
            })
            .map(|(j, _)| j)
    }

    /// Sorts the list again after a change, keeping `focus` (by name) active and selected.
    pub(super) fn resort(&mut self, focus: Option<&str>) {
        let active = self
            .panel
            .active
            .and_then(|i| self.panel.entities.get(i))
            .map(|e| e.name.clone());
        entities::sort(&mut self.panel.entities);
        let find = |name: &str| self.panel.entities.iter().position(|e| e.name == name);
        self.panel.active = focus
            .and_then(find)
            .or_else(|| active.as_deref().and_then(find));
        if let Some(i) = focus.and_then(find) {
            let rows = self.panel.rows();
            if let Some(r) = rows.iter().position(|row| {
                *row == super::PanelRow::Entity(i) || *row == super::PanelRow::Rejected(i)
            }) {
                self.panel.selected = r;
            }
        }
        self.panel.move_selection(0);
    }
}
