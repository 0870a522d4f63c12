//! The annotations of one document and everything saved with them: the highlights, the notes
//! on the whole document, the entity corrections, what was deleted here (so a merge does not
//! bring it back), and undo and redo. The reader holds one; what it hands over to be saved is
//! a [`Snapshot`].

use super::{Annotation, DocumentNote};
use crate::entities::correction::Correction;

/// What `u` puts back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Undo {
    /// The annotation before the change; `None` when the change created it.
    pub(crate) before: Option<Annotation>,
    pub(crate) id: String,
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
    pub fn merge_saved(
        &mut self,
        list: Vec<Annotation>,
        deleted: Vec<String>,
        document_notes: Vec<DocumentNote>,
    ) {
        self.list = list;
        self.deleted = deleted;
        self.document_notes = document_notes;
        self.sort();
    }
}
