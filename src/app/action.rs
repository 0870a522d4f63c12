//! Every command of the reader, by name. Keys map to these; help is built from them.

use serde::{Deserialize, Serialize};

/// A command the reader can carry out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Down,
    Up,
    Left,
    Right,
    RowStart,
    RowEnd,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    ScrollDown,
    ScrollUp,
    ScreenTop,
    ScreenMiddle,
    ScreenBottom,
    Top,
    Bottom,
    Percent,
    NextParagraph,
    PrevParagraph,
    NextHeading,
    PrevHeading,
    WordForward,
    WordBackward,
    WordEnd,
    SentenceForward,
    SentenceBackward,
    Outline,
    SetMark,
    JumpMark,
    Search,
    NextHit,
    PrevHit,
    ClearHighlight,
    TogglePanel,
    FocusPanel,
    AddEntity,
    Select,
    SelectSentence,
    EditTags,
    EditNote,
    DocumentNote,
    ChangeColour,
    DeleteHighlight,
    Undo,
    Redo,
    NotesList,
    NotesFull,
    Export,
    Help,
    Quit,
}

/// Where an action is listed in help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Move,
    Scroll,
    Jump,
    Search,
    Entities,
    Annotate,
    Other,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Self::Move => "Move",
            Self::Scroll => "Scroll",
            Self::Jump => "Outline and marks",
            Self::Search => "Search",
            Self::Entities => "Entities",
            Self::Annotate => "Highlights, tags and notes",
            Self::Other => "Other",
        }
    }
}

impl Action {
    /// Every action, in help order.
    pub const ALL: [Action; 51] = [
        Self::Down,
        Self::Up,
        Self::Left,
        Self::Right,
        Self::RowStart,
        Self::RowEnd,
        Self::NextParagraph,
        Self::PrevParagraph,
        Self::NextHeading,
        Self::PrevHeading,
        Self::WordForward,
        Self::WordBackward,
        Self::WordEnd,
        Self::SentenceForward,
        Self::SentenceBackward,
        Self::Top,
        Self::Bottom,
        Self::Percent,
        Self::ScreenTop,
        Self::ScreenMiddle,
        Self::ScreenBottom,
        Self::PageDown,
        Self::PageUp,
        Self::HalfPageDown,
        Self::HalfPageUp,
        Self::ScrollDown,
        Self::ScrollUp,
        Self::Outline,
        Self::SetMark,
        Self::JumpMark,
        Self::Search,
        Self::NextHit,
        Self::PrevHit,
        Self::ClearHighlight,
        Self::TogglePanel,
        Self::FocusPanel,
        Self::AddEntity,
        Self::Select,
        Self::SelectSentence,
        Self::EditTags,
        Self::EditNote,
        Self::DocumentNote,
        Self::ChangeColour,
        Self::DeleteHighlight,
        Self::Undo,
        Self::Redo,
        Self::NotesList,
        Self::NotesFull,
        Self::Export,
        Self::Help,
        Self::Quit,
    ];

    pub fn description(self) -> &'static str {
        match self {
            Self::Down => "next row",
            Self::Up => "previous row",
            Self::Left => "previous character",
            Self::Right => "next character",
            Self::RowStart => "start of row",
            Self::RowEnd => "end of row",
            Self::PageDown => "page down",
            Self::PageUp => "page up",
            Self::HalfPageDown => "half page down",
            Self::HalfPageUp => "half page up",
            Self::ScrollDown => "scroll one row down",
            Self::ScrollUp => "scroll one row up",
            Self::ScreenTop => "top of screen",
            Self::ScreenMiddle => "middle of screen",
            Self::ScreenBottom => "bottom of screen",
            Self::Top => "start of article",
            Self::Bottom => "end of article",
            Self::Percent => "with a count N: N percent of the way through the article",
            Self::Outline => "outline: the headings, Enter goes to one (/ filters)",
            Self::SetMark => "set a mark: m then a letter a–z (saved with the article)",
            Self::JumpMark => {
                "go to a mark: ' then its letter; '' goes back to where the last jump came from"
            }
            Self::NextParagraph => "next paragraph",
            Self::PrevParagraph => "previous paragraph",
            Self::NextHeading => "next heading",
            Self::PrevHeading => "previous heading",
            Self::WordForward => "next word (entity names are one word)",
            Self::WordBackward => "previous word",
            Self::WordEnd => "end of word",
            Self::SentenceForward => "next sentence",
            Self::SentenceBackward => "start of sentence / previous sentence",
            Self::Select => "start a selection; motions extend it",
            Self::SelectSentence => "select the sentence under the cursor",
            Self::EditTags => "tags of the highlight under the cursor",
            Self::EditNote => "note of the highlight under the cursor",
            Self::DocumentNote => "a note on the whole article (listed first in the Notes tab)",
            Self::ChangeColour => "next colour for the highlight under the cursor",
            Self::DeleteHighlight => "delete the highlight under the cursor",
            Self::Undo => "undo the last highlight change",
            Self::Redo => "redo what u undid",
            Self::NotesList => {
                "list of highlights and notes (side panel, full width under 70 cols)"
            }
            Self::NotesFull => {
                "the Notes tab full width, at any size: whole quotes and notes, wrapped"
            }
            Self::Export => "export the annotations (Markdown, W3C JSON-LD, Readwise CSV, JSON)",
            Self::Search => "search (Enter accepts, Esc cancels)",
            Self::NextHit => "next search hit (or entity mention, or highlight: the last walked)",
            Self::PrevHit => "previous search hit (or mention, or highlight)",
            Self::ClearHighlight => "hide search and entity highlights",
            Self::TogglePanel => "show / hide the side panel (full width under 70 columns)",
            Self::FocusPanel => "focus the side panel or the text (full width under 70 columns)",
            Self::AddEntity => "add the word at the cursor (or the search hit) as an entity",
            Self::Help => "this help",
            Self::Quit => "quit",
        }
    }

    /// Moves the cursor (and so extends a selection).
    pub fn is_motion(self) -> bool {
        matches!(self.group(), Group::Move | Group::Scroll)
            || matches!(self, Self::NextHit | Self::PrevHit)
    }

    pub fn group(self) -> Group {
        match self {
            Self::Down
            | Self::Up
            | Self::Left
            | Self::Right
            | Self::RowStart
            | Self::RowEnd
            | Self::Top
            | Self::Bottom
            | Self::Percent
            | Self::NextParagraph
            | Self::PrevParagraph
            | Self::NextHeading
            | Self::PrevHeading
            | Self::WordForward
            | Self::WordBackward
            | Self::WordEnd
            | Self::SentenceForward
            | Self::SentenceBackward
            | Self::ScreenTop
            | Self::ScreenMiddle
            | Self::ScreenBottom => Group::Move,
            Self::PageDown
            | Self::PageUp
            | Self::HalfPageDown
            | Self::HalfPageUp
            | Self::ScrollDown
            | Self::ScrollUp => Group::Scroll,
            Self::Outline | Self::SetMark | Self::JumpMark => Group::Jump,
            Self::Search | Self::NextHit | Self::PrevHit | Self::ClearHighlight => Group::Search,
            Self::TogglePanel | Self::FocusPanel | Self::AddEntity => Group::Entities,
            Self::Select
            | Self::SelectSentence
            | Self::EditTags
            | Self::EditNote
            | Self::ChangeColour
            | Self::DeleteHighlight
            | Self::Undo
            | Self::Redo
            | Self::NotesList
            | Self::NotesFull
            | Self::DocumentNote
            | Self::Export => Group::Annotate,
            Self::Help | Self::Quit => Group::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn all_lists_every_action_once_with_a_description() {
        let set: HashSet<_> = Action::ALL.iter().collect();
        assert_eq!(set.len(), Action::ALL.len());
        assert!(Action::ALL.iter().all(|a| !a.description().is_empty()));
    }
}
