//! The annotations of one document and everything saved with them: the highlights, the notes
//! on the whole document, the entity corrections, what was deleted here (so a merge does not
//! bring it back), and undo and redo. The reader holds one; what it hands over to be saved is
//! a [`Snapshot`].

use super::{Annotation, DocumentNote};
use crate::entities::correction::Correction;

/// What `u` puts back: highlight `id` as it was before a change (`None`: the change made it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undo {
    /// The annotation before the change; `None` when the change created it.
    pub before: Option<Annotation>,
    pub id: String,
}

/// What [`AnnotationSet::revert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reverted {
    /// The highlight the change made is gone again.
    Removed,
    /// The highlight is as it was before.
    Replaced,
    /// A deleted highlight is back (under a new id), at `start`; `orphan` when its text is
    /// not in the article.
    Restored { start: usize, orphan: bool },
}

/// A change to the highlights, as [`AnnotationSet::apply`] carries it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new highlight.
    Add(Annotation),
    /// Highlight `id` becomes this version (its id is the one changed).
    Edit(Annotation),
    /// Highlight `id` is deleted; its id is kept as a tombstone so merges do not bring it back.
    Delete(String),
}

/// One change `u` takes back: to a highlight, or to the entity list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    Highlight(Undo),
    Correction(Correction),
}

/// The undo (or redo) stack: highlight changes and entity corrections in one order, so `u`
/// takes back the latest change of either kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stack(pub(crate) Vec<Entry>);

impl Stack {
    pub(crate) fn push(&mut self, undo: Undo) {
        self.0.push(Entry::Highlight(undo));
    }
    pub(crate) fn pop(&mut self) -> Option<Entry> {
        self.0.pop()
    }
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
    /// Removes the last entry that made highlight `id` (one that had no earlier version).
    pub(crate) fn forget_made(&mut self, id: &str) {
        let made = |e: &Entry| matches!(e, Entry::Highlight(u) if u.id == id && u.before.is_none());
        if let Some(i) = self.0.iter().rposition(made) {
            self.0.remove(i);
        }
    }
    /// The highlight entries.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Undo> {
        self.0.iter_mut().filter_map(|e| match e {
            Entry::Highlight(u) => Some(u),
            Entry::Correction(_) => None,
        })
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
    /// Bumped on every change that must be saved.
    pub generation: u64,
    pub(crate) undo: Stack,
    pub(crate) redo: Stack,
}

impl AnnotationSet {
    /// Saved state, ready for the app (no undo history, generation 0).
    pub fn new(
        list: Vec<Annotation>,
        deleted: Vec<String>,
        corrections: Vec<Correction>,
        known_tags: Vec<String>,
    ) -> Self {
        let mut a = Self {
            list,
            deleted,
            corrections,
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
    /// and returns that; `None` when it changed nothing (no such highlight, or the same
    /// version). Edits are stamped `now_ms` (after the version they replace).
    pub fn apply(&mut self, change: Change, now_ms: i64) -> Option<Undo> {
        let undo = match change {
            Change::Add(a) => {
                let id = a.id.clone();
                self.list.push(a);
                self.sort();
                Undo { before: None, id }
            }
            Change::Edit(mut after) => {
                let i = self.index_of(&after.id)?;
                if self.list[i] == after {
                    return None;
                }
                after.touch_at(now_ms);
                let before = std::mem::replace(&mut self.list[i], after);
                self.sort();
                Undo {
                    id: before.id.clone(),
                    before: Some(before),
                }
            }
            Change::Delete(id) => {
                let i = self.index_of(&id)?;
                let before = self.list.remove(i);
                self.deleted.push(before.id.clone());
                Undo {
                    id,
                    before: Some(before),
                }
            }
        };
        self.redo.clear();
        self.undo.push(undo.clone());
        self.generation += 1;
        Some(undo)
    }

    /// Puts highlight `entry.id` back as `entry.before` (absent: removed), for undo and
    /// redo. Returns the entry that reverses this and what happened; `None` when there was
    /// nothing to put back. A deleted highlight comes back under a new id, because the old
    /// one is a tombstone that merging honours.
    pub fn revert(&mut self, entry: Undo, now_ms: i64) -> Option<(Undo, Reverted)> {
        let existing = self.index_of(&entry.id);
        let done = match (entry.before, existing) {
            (None, Some(i)) => {
                let gone = self.list.remove(i);
                self.deleted.push(gone.id.clone());
                let undo = Undo {
                    id: gone.id.clone(),
                    before: Some(gone),
                };
                (undo, Reverted::Removed)
            }
            (Some(mut before), Some(i)) => {
                // The id may have changed since (a delete undone comes back under a new one).
                before.id.clone_from(&entry.id);
                before.touch_at(now_ms);
                let current = std::mem::replace(&mut self.list[i], before);
                self.sort();
                let undo = Undo {
                    id: entry.id,
                    before: Some(current),
                };
                (undo, Reverted::Replaced)
            }
            (Some(mut before), None) => {
                let new_id = super::new_id_at(now_ms);
                for u in self.undo.iter_mut().chain(self.redo.iter_mut()) {
                    if u.id == before.id {
                        u.id.clone_from(&new_id);
                    }
                }
                before.id.clone_from(&new_id);
                before.touch_at(now_ms);
                let (start, orphan) = (before.start, before.orphan);
                self.list.push(before);
                self.sort();
                let undo = Undo {
                    before: None,
                    id: new_id,
                };
                (undo, Reverted::Restored { start, orphan })
            }
            (None, None) => return None,
        };
        self.generation += 1;
        Some(done)
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

    #[test]
    fn apply_records_how_to_undo_and_keeps_tombstones() {
        let text = "字节跳动旗下有抖音。";
        let mut set = AnnotationSet::default();
        let a = Annotation::new_at(text, 0, 12, Colour::Yellow, 1_000);
        let id = a.id.clone();
        let undo = set.apply(Change::Add(a.clone()), 1_000);
        assert_eq!(
            undo,
            Some(Undo {
                before: None,
                id: id.clone()
            })
        );
        assert_eq!((set.list.len(), set.generation), (1, 1));

        // The same version is no change: nothing to undo, nothing to save.
        assert_eq!(set.apply(Change::Edit(set.list[0].clone()), 2_000), None);
        assert_eq!(set.generation, 1);

        let mut green = set.list[0].clone();
        green.colour = Colour::Green;
        let undo = set.apply(Change::Edit(green), 2_000).expect("an edit");
        assert_eq!(undo.before.as_ref().map(|b| b.colour), Some(Colour::Yellow));
        assert_eq!(set.list[0].colour, Colour::Green);
        // Stamped after the version it replaced.
        assert!(crate::clock::cmp(&set.list[0].modified, &a.modified).is_gt());

        let undo = set
            .apply(Change::Delete(id.clone()), 3_000)
            .expect("a delete");
        assert_eq!(undo.before.map(|b| b.colour), Some(Colour::Green));
        assert!(set.list.is_empty());
        assert_eq!(set.deleted, vec![id.clone()]);
        assert_eq!(set.apply(Change::Delete(id), 4_000), None);
        assert_eq!(set.undo.0.len(), 3);
        assert_eq!(set.generation, 3);
    }

    #[test]
    fn revert_takes_each_change_back_and_gives_its_inverse() {
        let text = "字节跳动旗下有抖音。";
        let mut set = AnnotationSet::default();
        let a = Annotation::new_at(text, 0, 12, Colour::Yellow, 1_000);
        let id = a.id.clone();
        let made = set.apply(Change::Add(a), 1_000).expect("add");
        // Undo the add: removed (a tombstone kept); its inverse makes it again.
        let (again, what) = set.revert(made, 2_000).expect("revert the add");
        assert_eq!(what, Reverted::Removed);
        assert!(set.list.is_empty() && set.deleted.contains(&id));
        // Redo: the deleted highlight comes back under a new id, and the stacks follow it.
        let (_, what) = set.revert(again, 3_000).expect("revert the removal");
        assert_eq!(
            what,
            Reverted::Restored {
                start: 0,
                orphan: false
            }
        );
        assert_eq!(set.list.len(), 1);
        assert_ne!(set.list[0].id, id, "the old id is a tombstone");
        // An edit taken back puts the old version in place, stamped later than both.
        let mut pink = set.list[0].clone();
        pink.colour = Colour::Pink;
        let edited = set.apply(Change::Edit(pink), 4_000).expect("edit");
        let (_, what) = set.revert(edited, 5_000).expect("revert the edit");
        assert_eq!(what, Reverted::Replaced);
        assert_eq!(set.list[0].colour, Colour::Yellow);
        assert!(crate::clock::parse_millis(&set.list[0].modified) >= Some(5_000));
        // Nothing to put back: an add whose highlight is gone.
        let ghost = Undo {
            before: None,
            id: "gone".into(),
        };
        assert_eq!(set.revert(ghost, 6_000), None);
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
