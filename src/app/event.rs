//! What goes into the reader (events) and what it asks the loop to do (effects): the app
//! reads no clock and touches no file, so both travel as values.

use super::{Key, Mouse};
use crate::entities::Entity;

/// An input the reader reacts to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Key(Key),
    Resize(u16, u16),
    /// Mouse wheel over a screen cell (column, row): positive scrolls down.
    Wheel(i8, u16, u16),
    /// The left mouse button: pressed (with its click count), dragged, released.
    Mouse(Mouse),
    Paste(String),
    /// News from the background entity extraction.
    Entities(EntitiesUpdate),
    /// A save of the annotations as they were at `generation` ended: `error` says why not;
    /// `merged` is what it brought in from another instance's save, to take in.
    Saved {
        generation: u64,
        error: Option<String>,
        merged: Option<crate::annotations::Merged>,
    },
    /// The time now, in milliseconds since the epoch: the app never reads the clock.
    Tick {
        now_ms: i64,
    },
    /// An [`Effect::WriteExport`] ended: the file written (as the user will find it), or why
    /// not.
    Written(Result<String, WriteError>),
    /// The save of an [`Effect::Quit`] failed (why, as the store says it): the reader stays
    /// and asks whether to retry or quit anyway.
    NotSavedAtQuit(String),
}

/// Why an export was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// The file is there and overwriting was not asked for: the dialog asks.
    Exists,
    /// Anything else, one line for the dialog.
    Failed(String),
}

/// What the app asks the event loop to do: the app itself touches no file, environment or
/// clock, so every handler can be tested with a plain `App`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The annotations changed: save this (the loop waits a moment for more changes, and a
    /// signal saves the last one handed over).
    Save(crate::annotations::Snapshot),
    /// Write an export to `path` as typed (`~/` is the home directory), unless the file
    /// exists and `overwrite` is false; the answer comes back as [`Event::Written`].
    WriteExport {
        path: String,
        bytes: Vec<u8>,
        overwrite: bool,
    },
    /// Leave the reader. `Some`: save this first (the annotations with the note being typed);
    /// if that fails, stay and hear it as [`Event::NotSavedAtQuit`]. `None`: the user chose to
    /// quit without saving after such a failure.
    Quit(Option<crate::annotations::Snapshot>),
}

/// Where the annotations stand on disk, for the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing to save: no highlights or notes, no change.
    Nothing,
    Saved,
    /// Changed; the save is on its way (it waits a moment for more changes).
    Saving,
    /// The last save failed, and why (one line).
    Failed(String),
}

/// Progress or the result of entity extraction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntitiesUpdate {
    /// The word segmenter is built: `+` can find the word at the cursor.
    Segmenter(SharedSegmenter),
    /// Per mille done.
    Progress(u16),
    Done(Vec<Entity>),
}

/// A segmenter handed from the extraction thread to the reader.
#[derive(Clone)]
pub struct SharedSegmenter(pub std::sync::Arc<crate::segment::Segmenter>);

impl PartialEq for SharedSegmenter {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SharedSegmenter {}

impl std::fmt::Debug for SharedSegmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedSegmenter")
    }
}
