//! Ties a reader to its saved state: loads the document's record from the store (re-anchoring
//! its annotations when the article changed), and saves the app's annotations, corrections and
//! reading position back. No terminal here; the event loop decides when to call [`Session::save`].

use std::path::Path;

use crate::annotations::anchor;
use crate::app::{Annotations, App};
use crate::document::Document;
use crate::store::{Found, Record, Store, StoreError};

/// An open document's record and where it is saved. `store` is `None` when nothing can be
/// saved (an unwritable data dir, a record from a newer pizhu): the reader still works.
pub struct Session {
    store: Option<Store>,
    record: Record,
    /// The app's annotation generation at the last save.
    saved_generation: u64,
    saved_position: usize,
}

/// What the user should hear about on opening, if anything.
pub struct Opened {
    pub session: Session,
    pub annotations: Annotations,
    pub position: usize,
    pub message: Option<String>,
}

impl Session {
    /// Opens the record of `doc` (read from `path`, if it came from a file) in `data_dir`.
    pub fn open(data_dir: Option<&Path>, doc: &Document, path: Option<&Path>) -> Opened {
        let title = doc.title().unwrap_or_default().to_string();
        let path_text = path.map(|p| {
            std::fs::canonicalize(p)
                .unwrap_or_else(|_| p.to_path_buf())
                .to_string_lossy()
                .into_owned()
        });
        let fresh = |store: Option<Store>, message: Option<String>| Opened {
            session: Session {
                store,
                record: Record::new(doc.hash().to_string(), path_text.clone(), title.clone()),
                saved_generation: 0,
                saved_position: 0,
            },
            annotations: Annotations::default(),
            position: 0,
            message,
        };
        let Some(dir) = data_dir.map(Path::to_path_buf).or_else(Store::default_dir) else {
            return fresh(
                None,
                Some("No data directory: annotations are not saved (pass --data-dir DIR)".into()),
            );
        };
        let store = match Store::open(&dir) {
            Ok(store) => store,
            Err(e) => return fresh(None, Some(format!("Annotations are not saved: {e}"))),
        };
        let loaded = match store.load(doc.hash(), path_text.as_deref(), &title) {
            Ok(loaded) => loaded,
            Err(e @ StoreError::Newer { .. }) => {
                return fresh(None, Some(format!("Read-only: {e}")));
            }
            Err(e) => return fresh(None, Some(format!("Annotations are not saved: {e}"))),
        };
        let mut record = loaded.record;
        let mut message = loaded.moved_aside.as_ref().map(|p| {
            format!(
                "The saved annotations could not be read and were moved to {}",
                p.display()
            )
        });
        if let Found::ByPath { .. } = loaded.found {
            let report = anchor::reanchor_all(doc.text(), &mut record.annotations);
            if !record.annotations.is_empty() {
                message = Some(format!(
                    "The article changed: {} highlights in place, {} moved, {} orphaned (o lists them)",
                    report.unchanged,
                    report.moved + report.fuzzy + report.recovered,
                    report.orphaned
                ));
            }
        }
        let orphans = record.annotations.iter().filter(|a| a.orphan).count();
        if message.is_none() && orphans > 0 {
            message = Some(format!(
                "{orphans} highlights lost their text in an earlier edit: o lists them as orphans"
            ));
        }
        let known_tags = store.tags().into_iter().map(|(tag, _)| tag).collect();
        let annotations = Annotations {
            list: record.annotations.clone(),
            deleted: record.deleted.clone(),
            corrections: record.corrections.clone(),
            known_tags,
            ..Annotations::default()
        };
        let position = record.position.min(doc.text().len());
        let saved_position = record.position;
        Opened {
            session: Session {
                store: Some(store),
                record,
                saved_generation: 0,
                saved_position,
            },
            annotations,
            position,
            message,
        }
    }

    /// Whether the app has changes that are not saved yet.
    pub fn is_dirty(&self, app: &App) -> bool {
        self.store.is_some() && app.annotations().generation != self.saved_generation
    }

    /// Saves now, merging with what another instance may have saved meanwhile; the app takes
    /// in the merged result. `Ok(false)` when there is nowhere to save.
    pub fn save(&mut self, app: &mut App) -> Result<bool, StoreError> {
        let Some(store) = &self.store else {
            return Ok(false);
        };
        let generation = app.annotations().generation;
        let position = app.cursor();
        if generation == self.saved_generation && position == self.saved_position {
            return Ok(true);
        }
        let a = app.annotations();
        self.record.annotations = a.list.clone();
        self.record.deleted = a.deleted.clone();
        self.record.corrections = a.corrections.clone();
        self.record.position = position;
        let outcome = store.save(&mut self.record)?;
        self.saved_generation = generation;
        self.saved_position = position;
        if outcome.merged_in > 0 {
            app.merge_saved(self.record.annotations.clone(), self.record.deleted.clone());
        }
        Ok(true)
    }
}
