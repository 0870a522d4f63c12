//! `u` and Ctrl-r: the set takes a change back or makes it again; the reader says what
//! happened, moves to a highlight brought back and keeps the entity list in step.

use super::App;
use crate::annotations::{Outcome, Reverted};

impl App {
    pub(super) fn undo(&mut self) {
        match self.annotations.undo(self.now_ms) {
            Some(reverted) => self.say_reverted(reverted, "Undone"),
            None => self.message = Some("Nothing to undo".into()),
        }
    }

    /// Ctrl-r: puts back what `u` took back.
    pub(super) fn redo(&mut self) {
        match self.annotations.redo(self.now_ms) {
            Some(reverted) => self.say_reverted(reverted, "Redone"),
            None => self.message = Some("Nothing to redo".into()),
        }
    }

    /// Words what an undo or redo did (`done` is which), moves to a highlight it restored,
    /// and brings the entity list in line with a correction taken back or made again.
    fn say_reverted(&mut self, reverted: Reverted, done: &str) {
        self.message = Some(match reverted {
            Reverted::Highlight(Outcome::Removed) => format!("{done}: highlight removed"),
            Reverted::Highlight(Outcome::Replaced) => done.to_string(),
            Reverted::Highlight(Outcome::Restored { id }) => {
                if let Some(a) = self.annotations.get(&id).filter(|a| !a.orphan) {
                    self.set_cursor(a.start);
                }
                format!("{done}: highlight restored")
            }
            Reverted::DocumentNote(Outcome::Removed) => format!("{done}: document note removed"),
            Reverted::DocumentNote(Outcome::Replaced) => format!("{done}: document note text"),
            Reverted::DocumentNote(Outcome::Restored { .. }) => {
                format!("{done}: document note restored")
            }
            Reverted::Correction { correction, again } => {
                if again {
                    self.correct_panel(&correction);
                } else {
                    self.uncorrect_panel(&correction);
                }
                format!("{done}: {}", correction.describe())
            }
        });
    }
}
