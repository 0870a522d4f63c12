//! Ties a reader to its saved state: loads the document's record from the store (re-anchoring
//! its annotations when the article changed), and saves the app's annotations, corrections,
//! reading position and marks back. No terminal here; the event loop decides when to call
//! [`Session::save`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::annotations::{Annotation, anchor};
use crate::annotations::{AnnotationSet, Merged, Snapshot};
use crate::document::Document;
use crate::store::{Record, RecordMatch, Store, StoreError};

/// An open document's record and where it is saved. `store` is `None` when nothing can be
/// saved (an unwritable data dir, a record from a newer pizhu): the reader still works.
pub struct Session {
    store: Option<Store>,
    record: Record,
    /// The app's annotation generation at the last save.
    saved_generation: u64,
    saved_place: Place,
}

/// Where the reader is in the document, saved with its record: the cursor and the marks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The cursor, a byte offset.
    pub position: usize,
    /// Marks set with `m`, by letter: byte offsets.
    pub marks: BTreeMap<char, usize>,
}

impl Place {
    /// A position without marks.
    pub fn at(position: usize) -> Self {
        Self {
            position,
            marks: BTreeMap::new(),
        }
    }
}

/// What the user should hear about on opening, if anything.
pub struct Opened {
    pub session: Session,
    pub annotations: AnnotationSet,
    pub position: usize,
    /// The saved marks, fitted to the text.
    pub marks: BTreeMap<char, usize>,
    pub message: Option<String>,
    /// The data directory did not exist: the first start, which shows where to begin.
    pub first_start: bool,
}

/// The absolute path a document is kept under in the store.
pub fn stored_path(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// A saved record, fitted to the document's current text.
pub struct Fitted {
    pub record: Record,
    /// How the annotations were re-anchored, when the record was found by path because the
    /// article changed since it was saved.
    pub changed: Option<anchor::Report>,
    /// Where an unreadable record was moved.
    pub moved_aside: Option<std::path::PathBuf>,
    /// What could still be read of an unreadable record.
    pub recovered: Option<crate::store::Recovery>,
    /// The record found by path belongs to a different text: it was left where it is and the
    /// document starts empty.
    pub left_apart: Option<LeftApart>,
}

/// Annotations left with the text they were made on, because the file at their path now
/// holds a different one (see [`load_record`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftApart {
    /// The hash of that text: its record stays `<old_hash>.ron` in the data dir.
    pub old_hash: String,
    pub annotations: usize,
    /// How many of them the new text holds.
    pub placed: usize,
}

impl LeftApart {
    /// What to tell the user: where the annotations are and how to bring them over.
    pub fn message(&self, article: &str) -> String {
        let n = self.annotations;
        format!(
            "A different text now: {} kept with the old one; pizhu import {} --previous",
            crate::wording::counted(n, "highlight"),
            shell_word(article),
        )
    }
}

/// `s` with its first letter upper-case, for a message that starts a status line.
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// `s` quoted for a POSIX shell when it needs it, so a printed command can be pasted.
fn shell_word(s: &str) -> String {
    let plain =
        |c: char| c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ':' | ',');
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The reading position saved for the document last opened from `path`, if any: where a long
/// book's first frame should show it, before the book is read whole and its record found.
pub fn saved_position(data_dir: Option<&Path>, path: &Path) -> Option<usize> {
    let dir = data_dir
        .map(Path::to_path_buf)
        .or_else(Store::default_dir)?;
    let store = Store::open(&dir).ok()?;
    store
        .find_by_path("", &stored_path(path))
        .map(|(_, record)| record.position)
}

/// Loads `doc`'s record from `store` and fits its annotations to the text: re-anchored when
/// the article changed (found by path), and also when a record found by hash does not fit
/// the text exactly (edited by hand, or written by a buggy build) rather than trusted.
///
/// A record found by path whose annotations mostly do not re-anchor (fewer than half) was
/// made on a different text that now has the same name: it stays under its own hash, where
/// that text (a copy elsewhere, or the file restored) finds all of it again, and the document
/// starts empty ([`Fitted::left_apart`]).
pub fn load_record(
    store: &Store,
    doc: &Document,
    path: Option<&str>,
) -> Result<Fitted, StoreError> {
    let loaded = store.load(doc.hash(), path, doc.title().unwrap_or_default())?;
    let mut record = loaded.record;
    let text = doc.text();
    let fits =
        |a: &Annotation| a.orphan || text.get(a.start..a.end) == Some(a.quote.exact.as_str());
    let now = crate::clock::now_millis();
    for a in &mut record.annotations {
        // An old import or a clock ahead may have stored a future time.
        for stamp in [&mut a.created, &mut a.modified] {
            if let Some(t) = crate::clock::normalize(stamp, now) {
                *stamp = t;
            }
        }
    }
    let mut left_apart = None;
    let changed = if let RecordMatch::ByPath { old_hash } = &loaded.found {
        let saved = record.annotations.clone();
        let report = anchor::reanchor_all(text, &mut record.annotations);
        let total = record.annotations.len();
        let placed = total - report.orphaned.min(total);
        let was_placed = saved.iter().filter(|a| !a.orphan).count();
        if was_placed > 0 && placed * 2 < was_placed {
            left_apart = Some(LeftApart {
                old_hash: old_hash.clone(),
                annotations: total,
                placed,
            });
            record = Record::new(
                doc.hash(),
                path.map(str::to_string),
                doc.title().unwrap_or_default(),
            );
            None
        } else {
            Some(report)
        }
    } else {
        if !record.annotations.iter().all(fits) {
            anchor::reanchor_all(text, &mut record.annotations);
        }
        None
    };
    // Marks are plain offsets: in a changed (shorter) text they stay at the same offset, at
    // most its end, and never inside a character.
    for at in record.marks.values_mut() {
        *at = floor_char_boundary(text, *at);
    }
    Ok(Fitted {
        record,
        changed,
        moved_aside: loaded.moved_aside,
        recovered: loaded.recovered,
        left_apart,
    })
}

impl Session {
    /// Opens the record of `doc` (read from `path`, if it came from a file) in `data_dir`.
    pub fn open(data_dir: Option<&Path>, doc: &Document, path: Option<&Path>) -> Opened {
        let title = doc.title().unwrap_or_default().to_string();
        let path_text = path.map(stored_path);
        let fresh = |store: Option<Store>, message: Option<String>| Opened {
            session: Session {
                store,
                record: Record::new(doc.hash().to_string(), path_text.clone(), title.clone()),
                saved_generation: 0,
                saved_place: Place::default(),
            },
            annotations: AnnotationSet::default(),
            position: 0,
            marks: BTreeMap::new(),
            message,
            first_start: false,
        };
        let Some(dir) = data_dir.map(Path::to_path_buf).or_else(Store::default_dir) else {
            return fresh(
                None,
                Some("No data directory: annotations are not saved (pass --data-dir DIR)".into()),
            );
        };
        // The first start: the data directory is made now.
        let first_start = !dir.exists();
        let store = match Store::open(&dir) {
            Ok(store) => store,
            Err(e) => return fresh(None, Some(format!("Annotations are not saved: {e}"))),
        };
        let fitted = match load_record(&store, doc, path_text.as_deref()) {
            Ok(fitted) => fitted,
            Err(e @ StoreError::Newer { .. }) => {
                return fresh(None, Some(format!("Read-only: {e}")));
            }
            Err(e) => return fresh(None, Some(format!("Annotations are not saved: {e}"))),
        };
        let record = fitted.record;
        // A data dir that can be read but not written: show what is saved, save nothing.
        let read_only = store.read_only().then(|| {
            let e = StoreError::ReadOnly {
                dir: store.dir().to_path_buf(),
                reason: "read-only".into(),
            };
            format!("Read-only: {e}")
        });
        let mut message = match (&fitted.recovered, &fitted.moved_aside) {
            (Some(recovery), aside) => Some(capitalized(&recovery.describe(aside.as_deref()))),
            (None, Some(p)) => Some(format!(
                "The saved annotations could not be read and were moved to {}",
                p.display()
            )),
            (None, None) => None,
        };
        if let Some(apart) = &fitted.left_apart {
            let article = path.map_or_else(String::new, |p| p.display().to_string());
            message = Some(apart.message(&article));
        }
        if let Some(report) = fitted.changed
            && !record.annotations.is_empty()
        {
            message = Some(format!(
                "The article changed: {} in place, {} moved, {} orphaned (o lists them)",
                crate::wording::counted(report.unchanged, "highlight"),
                report.moved + report.fuzzy + report.recovered,
                report.orphaned
            ));
        }
        let orphans = record.annotations.iter().filter(|a| a.orphan).count();
        if message.is_none() && orphans > 0 {
            message = Some(format!(
                "{} lost {} text in an earlier edit: o lists them as orphans",
                crate::wording::counted(orphans, "highlight"),
                if orphans == 1 { "its" } else { "their" }
            ));
        }
        if read_only.is_some() {
            message = read_only;
        }
        let known_tags = store.tags().into_iter().map(|(tag, _)| tag).collect();
        let annotations = AnnotationSet::new(
            record.annotations.clone(),
            record.deleted.clone(),
            record.corrections.clone(),
            record.document_notes.clone(),
            known_tags,
        );
        let position = record.position.min(doc.text().len());
        let saved_place = Place {
            position: record.position,
            marks: record.marks.clone(),
        };
        Opened {
            session: Session {
                store: (!store.read_only()).then_some(store),
                record,
                saved_generation: 0,
                saved_place: saved_place.clone(),
            },
            annotations,
            position,
            marks: saved_place.marks,
            message,
            first_start,
        }
    }

    /// Whether saves go anywhere: not without a (writable) data directory.
    pub fn saves(&self) -> bool {
        self.store.is_some()
    }

    /// Saves the annotations in `snapshot` (if any changed) and the reading position and
    /// marks, merging with what another instance may have saved meanwhile. Returns the merged
    /// annotations and deletions when they differ from what was saved, for the app to take in.
    pub fn save(
        &mut self,
        snapshot: Option<&Snapshot>,
        place: &Place,
    ) -> Result<Option<Merged>, StoreError> {
        let Some(store) = &self.store else {
            return Ok(None);
        };
        let changed = snapshot.is_some_and(|s| s.generation != self.saved_generation);
        if !changed && *place == self.saved_place {
            return Ok(None);
        }
        if let Some(s) = snapshot {
            self.record.annotations.clone_from(&s.list);
            self.record.deleted.clone_from(&s.deleted);
            self.record.corrections.clone_from(&s.corrections);
            self.record.document_notes.clone_from(&s.document_notes);
        }
        self.record.position = place.position;
        self.record.marks.clone_from(&place.marks);
        let outcome = store.save(&mut self.record)?;
        if let Some(s) = snapshot {
            self.saved_generation = s.generation;
        }
        self.saved_place.clone_from(place);
        Ok((outcome.merged_in > 0).then(|| Merged {
            list: self.record.annotations.clone(),
            deleted: self.record.deleted.clone(),
            document_notes: self.record.document_notes.clone(),
        }))
    }

    /// Whether saving is possible at all.
    pub fn can_save(&self) -> bool {
        self.store.is_some()
    }
}

/// `offset`, at most `text`'s length, moved back to the start of the character it is in.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
