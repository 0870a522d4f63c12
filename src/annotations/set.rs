//! The annotations of one document and everything saved with them: the highlights, the notes
//! on the whole document, the entity corrections, what was deleted here (so a merge does not
//! bring it back), and undo and redo. The reader holds one; what it hands over to be saved is
//! a [`Snapshot`].

use super::{Annotation, DocumentNote};
use crate::entities::correction::Correction;

/// What `u` (or Ctrl-r) puts back, as the undo and redo stacks keep it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undo {
    /// Highlight `id` goes back to `before` (`None`: the change made it, so it goes).
    Highlight {
        before: Option<Annotation>,
        id: String,
    },
    /// Document note `id` likewise.
    DocumentNote {
        before: Option<DocumentNote>,
        id: String,
    },
    /// The correction is taken back (logged as undone), or with `again`, made again.
    Correction { correction: Correction, again: bool },
}

/// What happened to a highlight or document note that was put back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The one the change made is gone again.
    Removed,
    /// It is as it was before.
    Replaced,
    /// A deleted one is back, under the new `id`: the old one is a tombstone that merging
    /// honours.
    Restored { id: String },
}

/// What [`AnnotationSet::undo`] or [`AnnotationSet::redo`] did, for the reader to word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reverted {
    Highlight(Outcome),
    DocumentNote(Outcome),
    /// The correction was taken back (its undo logged), or with `again`, made again: the
    /// entity list is to be built again, or the correction carried out on it.
    Correction {
        correction: Correction,
        again: bool,
    },
}

/// A change to the annotations, as [`AnnotationSet::apply`] carries it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new highlight.
    Add(Annotation),
    /// Highlight `id` becomes this version (its id is the one changed).
    Edit(Annotation),
    /// Highlight `id` is deleted; its id is kept as a tombstone so merges do not bring it back.
    Delete(String),
    /// A new note on the whole document, or document note `id` with this text.
    PutDocumentNote(DocumentNote),
    /// Document note `id` is deleted (a tombstone kept, as for highlights).
    DeleteDocumentNote(String),
    /// An entity correction, logged so it is replayed over every later extraction.
    Correct(Correction),
}

/// What [`revert_in`] works on: highlights and document notes alike.
trait Item: Clone {
    fn id(&self) -> &str;
    fn set_id(&mut self, id: String);
    fn touch_at(&mut self, now_ms: i64);
}

impl Item for Annotation {
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
    fn touch_at(&mut self, now_ms: i64) {
        Annotation::touch_at(self, now_ms);
    }
}

impl Item for DocumentNote {
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
    fn touch_at(&mut self, now_ms: i64) {
        self.modified = crate::clock::after_at(&self.modified, now_ms);
    }
}

/// Puts item `id` of `list` back as `before` (absent: removed); the inverse (`before`, id)
/// and what happened, or `None` when there was nothing to put back.
fn revert_in<T: Item>(
    list: &mut Vec<T>,
    deleted: &mut Vec<String>,
    before: Option<T>,
    id: String,
    now_ms: i64,
) -> Option<(Option<T>, String, Outcome)> {
    let existing = list.iter().position(|x| x.id() == id);
    match (before, existing) {
        (None, Some(i)) => {
            let gone = list.remove(i);
            deleted.push(id.clone());
            Some((Some(gone), id, Outcome::Removed))
        }
        (Some(mut before), Some(i)) => {
            // The id may have changed since (a delete undone comes back under a new one).
            before.set_id(id.clone());
            before.touch_at(now_ms);
            let current = std::mem::replace(&mut list[i], before);
            Some((Some(current), id, Outcome::Replaced))
        }
        (Some(mut before), None) => {
            let new_id = super::new_id_at(now_ms);
            before.set_id(new_id.clone());
            before.touch_at(now_ms);
            list.push(before);
            let restored = Outcome::Restored { id: new_id.clone() };
            Some((None, new_id, restored))
        }
        (None, None) => None,
    }
}

/// The undo (or redo) stack: every kind of change in one order, so `u` takes back the latest.
#[derive(Clone, Debug, Default)]
struct Stack(Vec<Undo>);

impl Stack {
    /// Removes the last entry that made highlight `id` (one that had no earlier version).
    fn forget_made(&mut self, id: &str) {
        let made = |u: &Undo| matches!(u, Undo::Highlight { before: None, id: i } if i == id);
        if let Some(i) = self.0.iter().rposition(made) {
            self.0.remove(i);
        }
    }

    /// Entries for what was under the id `from` now follow it under `to`.
    fn rename(&mut self, from: &str, to: &str) {
        for u in &mut self.0 {
            match u {
                Undo::Highlight { id, .. } | Undo::DocumentNote { id, .. } if id == from => {
                    *id = to.to_string();
                }
                _ => {}
            }
        }
    }
}

/// The document's annotations and everything that is saved with them.
#[derive(Clone, Debug, Default)]
pub struct AnnotationSet {
    /// Sorted by (start, end); orphans keep their last position and are not drawn.
    pub list: Vec<Annotation>,
    /// Ids deleted here, so a merge with another instance's save does not bring them back.
    pub deleted: Vec<String>,
    pub corrections: Vec<Correction>,
    /// Notes about the whole document.
    pub document_notes: Vec<DocumentNote>,
    /// Every tag used in any document, most used first: what the tag prompt completes from.
    pub known_tags: Vec<String>,
    /// Bumped on every change that must be saved; read it, change the set through
    /// [`AnnotationSet::apply`].
    pub generation: u64,
    undo: Stack,
    redo: Stack,
}

impl AnnotationSet {
    /// Saved state, ready for the app (no undo history, generation 0).
    pub fn new(
        list: Vec<Annotation>,
        deleted: Vec<String>,
        corrections: Vec<Correction>,
        document_notes: Vec<DocumentNote>,
        known_tags: Vec<String>,
    ) -> Self {
        let mut a = Self {
            list,
            deleted,
            corrections,
            document_notes,
            known_tags,
            ..Self::default()
        };
        a.sort();
        a
    }

    pub(crate) fn sort(&mut self) {
        self.list
            .sort_by(|a, b| (a.start, a.end, &a.created).cmp(&(b.start, b.end, &b.created)));
    }

    pub(crate) fn index_of(&self, id: &str) -> Option<usize> {
        self.list.iter().position(|a| a.id == id)
    }

    pub fn get(&self, id: &str) -> Option<&Annotation> {
        self.list.iter().find(|a| a.id == id)
    }

    pub fn document_note(&self, id: &str) -> Option<&DocumentNote> {
        self.document_notes.iter().find(|n| n.id == id)
    }

    /// Placed (not orphaned) annotations overlapping `start..end`.
    pub fn overlapping(&self, start: usize, end: usize) -> impl Iterator<Item = &Annotation> {
        self.list
            .iter()
            .take_while(move |a| a.start < end)
            .filter(move |a| !a.orphan && a.end > start)
    }

    pub fn orphans(&self) -> usize {
        self.list.iter().filter(|a| a.orphan).count()
    }

    /// Tags used in this document and elsewhere, most used first.
    pub(crate) fn remember_tags(&mut self, tags: &[String]) {
        for t in tags {
            if !self.known_tags.contains(t) {
                self.known_tags.push(t.clone());
            }
        }
    }
}

impl AnnotationSet {
    /// Carries out `change` as a new change (nothing is left to redo), remembers how to undo it
    /// and returns that; `None` when it changed nothing (no such highlight or note, or the
    /// same version). Edits are stamped `now_ms` (after the version they replace).
    pub fn apply(&mut self, change: Change, now_ms: i64) -> Option<Undo> {
        let undo = match change {
            Change::Add(a) => {
                let id = a.id.clone();
                self.list.push(a);
                self.sort();
                Undo::Highlight { before: None, id }
            }
            Change::Edit(mut after) => {
                let i = self.index_of(&after.id)?;
                if self.list[i] == after {
                    return None;
                }
                after.touch_at(now_ms);
                let before = std::mem::replace(&mut self.list[i], after);
                self.sort();
                Undo::Highlight {
                    id: before.id.clone(),
                    before: Some(before),
                }
            }
            Change::Delete(id) => {
                let i = self.index_of(&id)?;
                let before = self.list.remove(i);
                self.deleted.push(before.id.clone());
                Undo::Highlight {
                    id,
                    before: Some(before),
                }
            }
            Change::PutDocumentNote(mut note) => {
                match self.document_notes.iter().position(|n| n.id == note.id) {
                    Some(i) => {
                        let current = &self.document_notes[i];
                        if current.text == note.text {
                            return None;
                        }
                        note.modified = crate::clock::after_at(&current.modified, now_ms);
                        let before = std::mem::replace(&mut self.document_notes[i], note);
                        Undo::DocumentNote {
                            id: before.id.clone(),
                            before: Some(before),
                        }
                    }
                    None => {
                        if self.deleted.contains(&note.id) {
                            note.id = super::new_id_at(now_ms);
                        }
                        note.modified = crate::clock::after_at(&note.created, now_ms);
                        let id = note.id.clone();
                        self.document_notes.push(note);
                        Undo::DocumentNote { before: None, id }
                    }
                }
            }
            Change::DeleteDocumentNote(id) => {
                let i = self.document_notes.iter().position(|n| n.id == id)?;
                let before = self.document_notes.remove(i);
                self.deleted.push(id.clone());
                Undo::DocumentNote {
                    id,
                    before: Some(before),
                }
            }
            Change::Correct(correction) => {
                self.corrections.push(correction.clone());
                Undo::Correction {
                    correction,
                    again: false,
                }
            }
        };
        self.redo.0.clear();
        self.undo.0.push(undo.clone());
        self.generation += 1;
        Some(undo)
    }

    /// `u`: takes back the latest change still standing and says what that did; `None` when
    /// there is nothing to take back.
    pub fn undo(&mut self, now_ms: i64) -> Option<Reverted> {
        let entry = self.undo.0.pop()?;
        let (inverse, reverted) = self.revert(entry, now_ms)?;
        self.redo.0.push(inverse);
        Some(reverted)
    }

    /// Ctrl-r: puts back what `u` took back.
    pub fn redo(&mut self, now_ms: i64) -> Option<Reverted> {
        let entry = self.redo.0.pop()?;
        let (inverse, reverted) = self.revert(entry, now_ms)?;
        self.undo.0.push(inverse);
        Some(reverted)
    }

    /// Carries out `entry`; the entry that reverses this and what happened, or `None` when
    /// there was nothing to put back (the highlight or note is gone another way).
    fn revert(&mut self, entry: Undo, now_ms: i64) -> Option<(Undo, Reverted)> {
        let done = match entry {
            Undo::Highlight { before, id } => {
                let old = before.as_ref().map(|b| b.id.clone());
                let (before, id, outcome) =
                    revert_in(&mut self.list, &mut self.deleted, before, id, now_ms)?;
                self.sort();
                self.follow_restored(old, &outcome);
                (Undo::Highlight { before, id }, Reverted::Highlight(outcome))
            }
            Undo::DocumentNote { before, id } => {
                let old = before.as_ref().map(|b| b.id.clone());
                let (before, id, outcome) = revert_in(
                    &mut self.document_notes,
                    &mut self.deleted,
                    before,
                    id,
                    now_ms,
                )?;
                self.follow_restored(old, &outcome);
                (
                    Undo::DocumentNote { before, id },
                    Reverted::DocumentNote(outcome),
                )
            }
            Undo::Correction { correction, again } => {
                self.corrections.push(if again {
                    correction.clone()
                } else {
                    Correction::Undo(Box::new(correction.clone()))
                });
                let inverse = Undo::Correction {
                    correction: correction.clone(),
                    again: !again,
                };
                (inverse, Reverted::Correction { correction, again })
            }
        };
        self.generation += 1;
        Some(done)
    }

    /// After a deleted item came back under a new id, the entries left for its old id follow.
    fn follow_restored(&mut self, old: Option<String>, outcome: &Outcome) {
        if let (Some(old), Outcome::Restored { id }) = (old, outcome) {
            self.undo.rename(&old, id);
            self.redo.rename(&old, id);
        }
    }

    /// Takes back the highlight `id` a prompt made and then cancelled, with its undo entry,
    /// as if it had never been made (remembered as deleted, in case a save has it).
    pub fn unmake(&mut self, id: &str) {
        if let Some(i) = self.index_of(id) {
            let gone = self.list.remove(i);
            self.deleted.push(gone.id);
            self.generation += 1;
        }
        self.undo.forget_made(id);
    }
}

/// What a save brought in from another instance's save of the same document, for the
/// reader's set to take in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    pub list: Vec<Annotation>,
    pub deleted: Vec<String>,
    pub document_notes: Vec<DocumentNote>,
}

/// The saved part of an [`AnnotationSet`], copied so another thread can save it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub generation: u64,
    pub list: Vec<Annotation>,
    pub deleted: Vec<String>,
    pub corrections: Vec<Correction>,
    pub document_notes: Vec<DocumentNote>,
}

impl AnnotationSet {
    /// What is saved now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            generation: self.generation,
            list: self.list.clone(),
            deleted: self.deleted.clone(),
            corrections: self.corrections.clone(),
            document_notes: self.document_notes.clone(),
        }
    }

    /// Takes in a merged save: annotations and document notes another instance added,
    /// changed or deleted.
    pub fn merge_saved(&mut self, merged: Merged) {
        self.list = merged.list;
        self.deleted = merged.deleted;
        self.document_notes = merged.document_notes;
        self.sort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::Colour;
    use crate::entities::EntityKind;

    fn made(id: &str) -> Undo {
        Undo::Highlight {
            before: None,
            id: id.to_string(),
        }
    }

    #[test]
    fn apply_records_how_to_undo_and_keeps_tombstones() {
        let text = "字节跳动旗下有抖音。";
        let mut set = AnnotationSet::default();
        let a = Annotation::new_at(text, 0, 12, Colour::Yellow, 1_000);
        let id = a.id.clone();
        assert_eq!(set.apply(Change::Add(a.clone()), 1_000), Some(made(&id)));
        assert_eq!((set.list.len(), set.generation), (1, 1));

        // The same version is no change: nothing to undo, nothing to save.
        assert_eq!(set.apply(Change::Edit(set.list[0].clone()), 2_000), None);
        assert_eq!(set.generation, 1);

        let mut green = set.list[0].clone();
        green.colour = Colour::Green;
        let Some(Undo::Highlight { before, .. }) = set.apply(Change::Edit(green), 2_000) else {
            panic!("an edit");
        };
        assert_eq!(before.map(|b| b.colour), Some(Colour::Yellow));
        assert_eq!(set.list[0].colour, Colour::Green);
        // Stamped after the version it replaced.
        assert!(crate::clock::cmp(&set.list[0].modified, &a.modified).is_gt());

        let Some(Undo::Highlight { before, .. }) = set.apply(Change::Delete(id.clone()), 3_000)
        else {
            panic!("a delete");
        };
        assert_eq!(before.map(|b| b.colour), Some(Colour::Green));
        assert!(set.list.is_empty());
        assert_eq!(set.deleted, vec![id.clone()]);
        assert_eq!(set.apply(Change::Delete(id), 4_000), None);
        assert_eq!(set.undo.0.len(), 3);
        assert_eq!(set.generation, 3);
    }

    #[test]
    fn undo_and_redo_take_each_change_back_and_forth() {
        let text = "字节跳动旗下有抖音。";
        let mut set = AnnotationSet::default();
        let a = Annotation::new_at(text, 0, 12, Colour::Yellow, 1_000);
        let id = a.id.clone();
        set.apply(Change::Add(a), 1_000);
        // Undo the add: removed (a tombstone kept).
        assert_eq!(set.undo(2_000), Some(Reverted::Highlight(Outcome::Removed)));
        assert!(set.list.is_empty() && set.deleted.contains(&id));
        assert_eq!(set.undo(2_000), None, "nothing left to undo");
        // Redo: the deleted highlight comes back under a new id.
        let Some(Reverted::Highlight(Outcome::Restored { id: new_id })) = set.redo(3_000) else {
            panic!("restored");
        };
        assert_eq!(set.list.len(), 1);
        assert_eq!(set.list[0].id, new_id);
        assert_ne!(new_id, id, "the old id is a tombstone");
        // An edit taken back puts the old version in place, stamped later than both.
        let mut pink = set.list[0].clone();
        pink.colour = Colour::Pink;
        set.apply(Change::Edit(pink), 4_000);
        assert_eq!(set.redo(4_500), None, "a new change leaves nothing to redo");
        assert_eq!(
            set.undo(5_000),
            Some(Reverted::Highlight(Outcome::Replaced))
        );
        assert_eq!(set.list[0].colour, Colour::Yellow);
        assert!(crate::clock::parse_millis(&set.list[0].modified) >= Some(5_000));
        assert_eq!(
            set.redo(6_000),
            Some(Reverted::Highlight(Outcome::Replaced))
        );
        assert_eq!(set.list[0].colour, Colour::Pink);
        assert_eq!(set.generation, 6, "add, undo, redo, edit, undo, redo");
    }

    #[test]
    fn a_deleted_highlight_restored_keeps_its_later_undo_entries() {
        let text = "字节跳动旗下有抖音。";
        let mut set = AnnotationSet::default();
        let a = Annotation::new_at(text, 0, 12, Colour::Yellow, 1_000);
        let id = a.id.clone();
        set.apply(Change::Add(a), 1_000);
        let mut blue = set.list[0].clone();
        blue.colour = Colour::Blue;
        set.apply(Change::Edit(blue), 2_000);
        set.apply(Change::Delete(id.clone()), 3_000);
        // Undo the delete: back under a new id; undoing the colour then follows it.
        let Some(Reverted::Highlight(Outcome::Restored { id: new_id })) = set.undo(4_000) else {
            panic!("restored");
        };
        assert_eq!(
            set.undo(5_000),
            Some(Reverted::Highlight(Outcome::Replaced))
        );
        assert_eq!(set.list[0].id, new_id);
        assert_eq!(set.list[0].colour, Colour::Yellow);
        // And undoing the add removes it.
        assert_eq!(set.undo(6_000), Some(Reverted::Highlight(Outcome::Removed)));
        assert!(set.list.is_empty());
    }

    #[test]
    fn a_highlight_gone_another_way_is_nothing_to_undo() {
        let mut set = AnnotationSet::default();
        let a = Annotation::new_at("一二三", 0, 6, Colour::Blue, 5);
        set.apply(Change::Add(a), 5);
        // A merge from another window dropped it.
        set.merge_saved(Merged {
            list: Vec::new(),
            deleted: Vec::new(),
            document_notes: Vec::new(),
        });
        assert_eq!(set.undo(6), None);
        assert_eq!(set.generation, 1);
    }

    #[test]
    fn document_notes_are_changed_through_apply_and_undone() {
        let mut set = AnnotationSet::default();
        let note = DocumentNote::new_at("", 1_000);
        let id = note.id.clone();
        // New: stamped when saved, not when the editor opened.
        let first = DocumentNote {
            text: "读后感".into(),
            ..note.clone()
        };
        set.apply(Change::PutDocumentNote(first.clone()), 2_000);
        assert_eq!(set.document_notes.len(), 1);
        assert_eq!(
            crate::clock::parse_millis(&set.document_notes[0].modified),
            Some(2_000)
        );
        // The same text is no change.
        assert_eq!(set.apply(Change::PutDocumentNote(first), 2_500), None);
        let second = DocumentNote {
            text: "改过的读后感".into(),
            ..set.document_notes[0].clone()
        };
        set.apply(Change::PutDocumentNote(second), 3_000);
        assert_eq!(set.document_notes[0].text, "改过的读后感");
        set.apply(Change::DeleteDocumentNote(id.clone()), 4_000);
        assert!(set.document_notes.is_empty() && set.deleted.contains(&id));
        assert_eq!(set.generation, 3);

        // Undo the delete: back under a new id, with the text it had.
        let Some(Reverted::DocumentNote(Outcome::Restored { id: new_id })) = set.undo(5_000) else {
            panic!("restored");
        };
        assert_ne!(new_id, id);
        assert_eq!(set.document_notes[0].text, "改过的读后感");
        // Undo the edit, then the note itself.
        assert_eq!(
            set.undo(6_000),
            Some(Reverted::DocumentNote(Outcome::Replaced))
        );
        assert_eq!(set.document_notes[0].text, "读后感");
        assert_eq!(
            set.undo(7_000),
            Some(Reverted::DocumentNote(Outcome::Removed))
        );
        assert!(set.document_notes.is_empty());

        // A note whose id became a tombstone while its editor was open is saved under a new id.
        let late = DocumentNote {
            text: "迟到的".into(),
            ..note
        };
        set.apply(Change::PutDocumentNote(late), 8_000);
        assert_ne!(set.document_notes[0].id, id);
    }

    #[test]
    fn corrections_are_logged_and_their_undo_is_logged_too() {
        let mut set = AnnotationSet::default();
        let rename = Correction::Rename {
            from: "字节".into(),
            to: "字节跳动".into(),
        };
        let add = Correction::Add {
            name: "抖音".into(),
            kind: EntityKind::Product,
            surface: "抖音".into(),
        };
        set.apply(Change::Correct(rename.clone()), 1);
        set.apply(Change::Correct(add.clone()), 2);
        assert_eq!(set.corrections, [rename.clone(), add.clone()]);
        // Undo logs the undo (replayed over every later extraction), newest first.
        assert_eq!(
            set.undo(3),
            Some(Reverted::Correction {
                correction: add.clone(),
                again: false
            })
        );
        assert_eq!(
            set.corrections.last(),
            Some(&Correction::Undo(Box::new(add.clone())))
        );
        // Redo logs it again.
        assert_eq!(
            set.redo(4),
            Some(Reverted::Correction {
                correction: add.clone(),
                again: true
            })
        );
        assert_eq!(set.corrections.len(), 4);
        assert_eq!(set.corrections.last(), Some(&add));
        assert_eq!(set.generation, 4);
        // Highlights and corrections share one order.
        let a = Annotation::new_at("一二三", 0, 6, Colour::Blue, 5);
        set.apply(Change::Add(a), 5);
        assert!(matches!(set.undo(6), Some(Reverted::Highlight(_))));
        assert!(matches!(set.undo(7), Some(Reverted::Correction { .. })));
        assert!(matches!(set.undo(8), Some(Reverted::Correction { .. })));
        assert_eq!(set.undo(9), None);
    }

    #[test]
    fn a_cancelled_highlight_leaves_no_undo_entry() {
        let mut set = AnnotationSet::default();
        let a = Annotation::new_at("一二三", 0, 6, Colour::Blue, 5);
        let id = a.id.clone();
        set.apply(Change::Add(a), 5);
        set.unmake(&id);
        assert!(set.list.is_empty() && set.undo.0.is_empty());
        assert_eq!(set.deleted, vec![id]);
        let snapshot = set.snapshot();
        assert_eq!((snapshot.generation, snapshot.list.len()), (2, 0));
    }
}
