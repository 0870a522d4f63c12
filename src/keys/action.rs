//! Every command of the reader, by name. Keys map to these in each context; help, the status
//! line's hints and `--print-config` are built from them.

use super::context::Context;

/// Where a reading action is listed in help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Move,
    Scroll,
    Jump,
    Search,
    Entities,
    Annotate,
    Other,
    /// Actions of prompts, dialogs and lists, described by their context.
    Prompt,
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
            Self::Prompt => "Prompts",
        }
    }
}

macro_rules! actions {
    ($($name:ident: $group:ident, $description:literal;)*) => {
        /// A command the reader can carry out.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($name,)*
        }

        impl Action {
            /// Every action, in help order.
            pub const ALL: &'static [Action] = &[$(Self::$name,)*];

            /// The name the config uses: `PageDown`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$name => stringify!($name),)*
                }
            }

            /// What the action does while reading (see [`Action::describe`] for the others).
            pub fn description(self) -> &'static str {
                match self {
                    $(Self::$name => $description,)*
                }
            }

            pub fn group(self) -> Group {
                match self {
                    $(Self::$name => Group::$group,)*
                }
            }
        }
    };
}

actions! {
    Down: Move, "next row";
    Up: Move, "previous row";
    Left: Move, "previous character";
    Right: Move, "next character";
    RowStart: Move, "start of row";
    RowEnd: Move, "end of row";
    NextParagraph: Move, "next paragraph";
    PrevParagraph: Move, "previous paragraph";
    NextHeading: Move, "next heading";
    PrevHeading: Move, "previous heading";
    WordForward: Move, "next word (entity names are one word)";
    WordBackward: Move, "previous word";
    WordEnd: Move, "end of word";
    SentenceForward: Move, "next sentence";
    SentenceBackward: Move, "start of sentence / previous sentence";
    Top: Move, "start of article (with a count N: paragraph N)";
    Bottom: Move, "end of article (with a count N: paragraph N)";
    Percent: Move, "with a count N: N percent of the way through the article";
    ScreenTop: Move, "top of screen";
    ScreenMiddle: Move, "middle of screen";
    ScreenBottom: Move, "bottom of screen";
    PageDown: Scroll, "page down";
    PageUp: Scroll, "page up";
    HalfPageDown: Scroll, "half page down";
    HalfPageUp: Scroll, "half page up";
    ScrollDown: Scroll, "scroll one row down";
    ScrollUp: Scroll, "scroll one row up";
    CursorToTop: Scroll, "scroll the cursor's row to the top of the screen";
    CursorToMiddle: Scroll, "scroll the cursor's row to the middle of the screen";
    CursorToBottom: Scroll, "scroll the cursor's row to the bottom of the screen";
    Outline: Jump, "outline: the headings, Enter goes to one (/ filters)";
    SetMark: Jump, "set a mark: m then a letter a–z (saved with the article)";
    JumpMark: Jump, "go to a mark: ' then its letter; '' goes back to where the last jump came from";
    Search: Search, "search (Enter accepts, Esc cancels)";
    NextHit: Search, "next search hit (or entity mention, or highlight: the last walked)";
    PrevHit: Search, "previous search hit (or mention, or highlight)";
    ClearHighlight: Search, "hide search and entity highlights";
    TogglePanel: Entities, "show / hide the side panel (full width under 70 columns)";
    FocusPanel: Entities, "focus the side panel or the text (full width under 70 columns)";
    AddEntity: Entities, "add the word at the cursor (or the search hit) as an entity";
    Select: Annotate, "start a selection; motions extend it";
    SelectSentence: Annotate, "select the sentence under the cursor";
    EditTags: Annotate, "tags of the highlight under the cursor";
    EditNote: Annotate, "note of the highlight under the cursor";
    DocumentNote: Annotate, "a note on the whole article (listed first in the Notes tab)";
    ChangeColour: Annotate, "next colour for the highlight under the cursor";
    DeleteHighlight: Annotate, "delete the highlight under the cursor";
    Undo: Annotate, "undo the last change to a highlight or note";
    Redo: Annotate, "redo what u undid";
    NotesList: Annotate, "list of highlights and notes (side panel, full width under 70 cols)";
    NotesFull: Annotate, "the Notes tab full width, at any size: whole quotes and notes, wrapped";
    Export: Annotate, "export the annotations (Markdown, W3C JSON-LD, Readwise CSV, JSON)";
    Help: Other, "this help";
    Quit: Other, "quit";
    Accept: Prompt, "accept";
    Cancel: Prompt, "cancel";
    Complete: Prompt, "complete";
    NextOption: Prompt, "next choice";
    PrevOption: Prompt, "previous choice";
    Highlight: Prompt, "highlight the selection (yellow)";
    HighlightYellow: Prompt, "highlight the selection in yellow";
    HighlightGreen: Prompt, "highlight the selection in green";
    HighlightBlue: Prompt, "highlight the selection in blue";
    HighlightPink: Prompt, "highlight the selection in pink";
    HighlightPurple: Prompt, "highlight the selection in purple";
    SwapEnds: Prompt, "go to the other end of the selection";
    Save: Prompt, "save";
    Confirm: Prompt, "yes";
    AcceptEntity: Prompt, "accept a possible (dimmed) or found entity; on a rejected one: restore it";
    RejectEntity: Prompt, "reject: move it to the folded \"rejected\" group at the end";
    RenameEntity: Prompt, "rename it (onto an existing name: merge)";
    MergeEntity: Prompt, "merge it into another entity (type its name)";
    ChangeKind: Prompt, "change its kind (company, product, person …)";
    SwitchTab: Prompt, "switch between the Entities and Notes tabs";
    Retry: Prompt, "try to save again and quit";
    QuitAnyway: Prompt, "quit without saving";
}

impl Action {
    /// The action the config names: `PageDown`, `page_down` and `page-down` all work.
    pub fn from_name(name: &str) -> Option<Self> {
        let squash = |s: &str| {
            s.chars()
                .filter(|c| !matches!(c, '_' | '-' | ' '))
                .flat_map(char::to_lowercase)
                .collect::<String>()
        };
        let wanted = squash(name);
        Self::ALL
            .iter()
            .copied()
            .find(|a| squash(a.name()) == wanted)
    }

    /// Moves the cursor (and so extends a selection).
    pub fn is_motion(self) -> bool {
        matches!(self.group(), Group::Move | Group::Scroll)
            || matches!(self, Self::NextHit | Self::PrevHit)
    }

    /// What the action does in `context`, for help and `--print-config`.
    pub fn describe(self, context: Context) -> &'static str {
        use Context as C;
        let list = matches!(context, C::Entities | C::Notes | C::Outline);
        match (context, self) {
            (C::Help, Self::Down) => "scroll down",
            (C::Help, Self::Up) => "scroll up",
            (C::Help, Self::PageDown) => "page down",
            (C::Help, Self::PageUp) => "page up",
            (C::Help, Self::Top) => "top of the help",
            (C::Help, Self::Bottom) => "end of the help",
            (_, Self::Down) if list => "next entry",
            (_, Self::Up) if list => "previous entry",
            (_, Self::Top) if list => "first entry",
            (_, Self::Bottom) if list => "last entry",
            (_, Self::PageDown) if list => "a page down the list",
            (_, Self::PageUp) if list => "a page up the list",
            (C::Help, Self::Search) => "search the help",
            (C::Help, Self::NextHit) => "next match in the help",
            (C::Help, Self::PrevHit) => "previous match in the help",
            (C::Help, Self::Cancel) => "close the help (so does any key not bound here)",
            (C::Entities | C::Notes | C::Outline, Self::Search) => {
                "filter the list (Enter keeps, Esc clears)"
            }
            (C::Outline, Self::Accept) => "go to the heading (brought to the top of the screen)",
            (C::Outline, Self::Cancel) => "clear the filter; without one, close the outline",
            (C::Outline, Self::Outline) => "close the outline",
            (C::Entities, Self::Accept) => {
                "light up its mentions and go to the first (on a group: fold or unfold)"
            }
            (C::Entities, Self::NextHit) => "next mention of the active entity",
            (C::Entities, Self::PrevHit) => "previous mention of the active entity",
            (C::Entities | C::Notes, Self::Undo) => "undo a correction, highlight or note change",
            (C::Entities | C::Notes, Self::Redo) => "redo what u undid",
            (C::Entities | C::Notes, Self::Cancel) => {
                "clear the filter; without one, back to the text"
            }
            (C::Entities | C::Notes, Self::FocusPanel) => "back to the text",
            (C::Entities, Self::AddEntity) => "add an entity (type its name)",
            (C::Notes, Self::Accept) => "go to the highlight in the text",
            (C::Notes, Self::EditTags) => "tags of the selected highlight",
            (C::Notes, Self::EditNote) => "edit the note of the selected entry",
            (C::Notes, Self::ChangeColour) => "next colour for the selected highlight",
            (C::Notes, Self::DeleteHighlight) => "delete the selected highlight or note",
            (C::Notes, Self::NotesList) => "back to the text",
            (C::Visual, Self::Cancel) => "end the selection",
            (C::Visual, Self::EditTags) => "highlight the selection and tag it",
            (C::Visual, Self::EditNote) => "highlight the selection and write a note",
            (C::Visual, Self::AddEntity) => "add the selected text as an entity",
            (C::Search, Self::Accept) => "go to the hit",
            (C::Search, Self::Cancel) => "back to where the search started",
            (C::HelpSearch, Self::Accept) => "find it",
            (C::Tags, Self::Accept) => "save the tags",
            (C::Tags, Self::Complete) => "take the chosen completion",
            (C::Tags, Self::NextOption) => "next completion (tags used before, any document)",
            (C::Tags, Self::PrevOption) => "previous completion",
            (C::Tags | C::Note, Self::Cancel) => {
                "cancel (a highlight the selection just made goes too)"
            }
            (C::Note, Self::Save) => "save the note",
            (C::Discard, Self::Confirm) => "discard the changes (any other key goes back)",
            (C::Export, Self::Accept) => "write the file",
            (C::Export, Self::NextOption) => "next format",
            (C::Export, Self::PrevOption) => "previous format",
            (C::Overwrite, Self::Confirm) => "overwrite the file (any other key goes back)",
            (C::EntityPrompt, Self::Accept) => "carry it out",
            (C::EntityPrompt, Self::NextOption) => "next kind (when adding an entity)",
            (C::Filter, Self::Accept) => "keep the filter and go back to the list",
            (C::Filter, Self::Cancel) => "clear the filter",
            (C::Unsaved, Self::Cancel) => "back to reading (other keys are ignored here)",
            (_, Self::Cancel) if context.has_line_input() => {
                "cancel (Backspace on an empty line too)"
            }
            _ => self.description(),
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

    #[test]
    fn names_round_trip_in_every_spelling() {
        for &a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
        assert_eq!(Action::from_name("page_down"), Some(Action::PageDown));
        assert_eq!(Action::from_name("page-down"), Some(Action::PageDown));
        assert_eq!(Action::from_name("PageDwn"), None);
    }
}
