//! Notes on the whole document (`A`): opened in the note editor, saved, emptied or deleted
//! through the annotation set like any other change.

use super::editor::Editor;
use super::{App, Mode, NoteEdit, NoteTarget};
use crate::annotations::{Change, DocumentNote};

impl App {
    /// `A`: the note editor for a new note on the whole document, or for document note `id`.
    pub(super) fn open_document_note(&mut self, id: Option<&str>) {
        let existing = id.and_then(|id| {
            let notes = &self.annotations.document_notes;
            notes.iter().find(|n| n.id == id).cloned()
        });
        let note = existing.unwrap_or_else(|| DocumentNote::new_at("", self.now_ms));
        let original = note.text.clone();
        self.mode = Mode::Note(NoteEdit {
            id: note.id.clone(),
            made_here: false,
            editor: Editor::new(&original),
            target: NoteTarget::Document(note),
            original,
            confirm_discard: false,
        });
    }

    /// Ctrl-s on a document note: adds or changes it; emptied, it goes.
    pub(super) fn save_document_note(&mut self, before: DocumentNote, text: String) {
        let exists = self.annotations.document_note(&before.id).is_some();
        match (exists, text.is_empty()) {
            (false, true) => {
                self.message = Some("Empty: no document note made".into());
            }
            (true, true) => {
                self.delete_document_note(&before.id);
                self.message = Some("Document note emptied and deleted: u brings it back".into());
            }
            (true, false) => {
                let note = DocumentNote { text, ..before };
                self.annotations
                    .apply(Change::PutDocumentNote(note), self.now_ms);
                self.message = Some("Document note saved".into());
            }
            (false, false) => {
                let note = DocumentNote { text, ..before };
                self.annotations
                    .apply(Change::PutDocumentNote(note), self.now_ms);
                self.select_note_entry(super::notes::NotesEntry::Document(
                    self.annotations.document_notes.len() - 1,
                ));
                self.message =
                    Some("Document note saved: listed first in the Notes tab (o or O)".into());
            }
        }
    }

    /// Deletes document note `id`, remembering the id so a merge does not bring it back.
    pub(super) fn delete_document_note(&mut self, id: &str) {
        let change = Change::DeleteDocumentNote(id.to_string());
        if self.annotations.apply(change, self.now_ms).is_some() {
            self.message = Some("Document note deleted: u brings it back".into());
        }
    }
}
