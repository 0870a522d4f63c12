//! Where the keys go: each context has its own keymap (the app derives the context from its
//! state in one place, `App::context`).

/// What the keyboard is talking to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Reader,
    /// Selecting: the reader's motions plus the selection's own keys.
    Visual,
    Search,
    Help,
    HelpSearch,
    Tags,
    Note,
    /// "Discard your changes?" after Esc in a changed note.
    Discard,
    Export,
    /// "File exists" in the export dialog.
    Overwrite,
    Entities,
    /// Rename, merge or add an entity: a name being typed.
    EntityPrompt,
    Notes,
    /// A filter being typed over the entity or notes list.
    Filter,
    /// A save failed while quitting.
    Unsaved,
    /// The outline of headings (`T`).
    Outline,
}

/// What a key bound to nothing does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unbound {
    /// The status line says the key does nothing here.
    Say,
    /// Closes what is open (help, like a pager's any-key).
    Close,
    /// Goes back from a question: only its own keys answer it.
    Dismiss,
    /// Nothing: a stray key must not answer for the user.
    Ignore,
}

impl Context {
    /// Every context, in the order help lists them.
    pub const ALL: [Context; 16] = [
        Self::Reader,
        Self::Visual,
        Self::Search,
        Self::Outline,
        Self::Entities,
        Self::EntityPrompt,
        Self::Notes,
        Self::Filter,
        Self::Tags,
        Self::Note,
        Self::Discard,
        Self::Export,
        Self::Overwrite,
        Self::Help,
        Self::HelpSearch,
        Self::Unsaved,
    ];

    /// Its name in the config's `keys: (…)`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Visual => "visual",
            Self::Search => "search",
            Self::Help => "help",
            Self::HelpSearch => "help_search",
            Self::Tags => "tags",
            Self::Note => "note",
            Self::Discard => "discard",
            Self::Export => "export",
            Self::Overwrite => "overwrite",
            Self::Entities => "entities",
            Self::EntityPrompt => "entity_prompt",
            Self::Notes => "notes",
            Self::Filter => "filter",
            Self::Unsaved => "unsaved",
            Self::Outline => "outline",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Its heading in help.
    pub fn title(self) -> &'static str {
        match self {
            Self::Reader => "Reading",
            Self::Visual => "Selecting (after v or V, or a mouse drag)",
            Self::Search => "Search prompt (after /)",
            Self::Help => "This help",
            Self::HelpSearch => "Searching this help (after /)",
            Self::Tags => "Tag prompt",
            Self::Note => "Note editor",
            Self::Discard => "Discard a changed note?",
            Self::Export => "Export dialog",
            Self::Overwrite => "Export: the file exists",
            Self::Entities => "Side panel: Entities tab",
            Self::EntityPrompt => "Entity name prompt (rename, merge, add)",
            Self::Notes => "Side panel: Notes tab",
            Self::Filter => "Filtering a list (after / in the panel or the outline)",
            Self::Unsaved => "Quitting when the save failed",
            Self::Outline => "Outline (after T)",
        }
    }

    /// The context whose bindings this one also takes, where its own have nothing for a key:
    /// only the parent's motions (a selection is extended by the reader's motions).
    pub fn parent(self) -> Option<Context> {
        (self == Self::Visual).then_some(Self::Reader)
    }

    pub fn unbound(self) -> Unbound {
        match self {
            Self::Help => Unbound::Close,
            Self::Discard | Self::Overwrite => Unbound::Dismiss,
            Self::Unsaved => Unbound::Ignore,
            _ => Unbound::Say,
        }
    }

    /// A one-line input is open: it takes the keys that edit it before the keymap.
    pub fn has_line_input(self) -> bool {
        matches!(
            self,
            Self::Search
                | Self::HelpSearch
                | Self::Tags
                | Self::Export
                | Self::EntityPrompt
                | Self::Filter
        )
    }

    /// Digits before a key repeat it.
    pub fn takes_counts(self) -> bool {
        matches!(self, Self::Reader | Self::Visual)
    }

    /// How the status line names it, where it is not the text.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Self::Visual => Some("-- SELECT --"),
            Self::Entities | Self::EntityPrompt => Some("entities"),
            Self::Notes => Some("notes"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for c in Context::ALL {
            assert_eq!(Context::from_name(c.name()), Some(c));
        }
        let names: std::collections::HashSet<_> = Context::ALL.map(Context::name).into();
        assert_eq!(names.len(), Context::ALL.len());
    }
}
