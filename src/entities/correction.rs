//! The user's corrections to the entity list, as a log that is saved with the document and
//! replayed over every fresh extraction.

use serde::{Deserialize, Serialize};

use super::EntityKind;

/// One correction, by entity name (indices change with every extraction).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// `surface` (the text as written) is the entity `name` of `kind`.
    Add {
        name: String,
        kind: EntityKind,
        surface: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Merge {
        from: String,
        into: String,
    },
    Kind {
        name: String,
        kind: EntityKind,
    },
    Reject {
        name: String,
    },
    Accept {
        name: String,
    },
}
