//! Keys to actions. Help lists what is bound here, so it cannot drift from the real keys.

use super::action::Action;
use super::keys::{Key, KeyCode};

/// Bindings of the reader's normal mode.
#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: Vec<(Key, Action)>,
}

/// The default bindings: vim keys (there is a cursor) plus the less keys people expect.
const DEFAULT: &[(&str, Action)] = &[
    ("j", Action::Down),
    ("↓", Action::Down),
    ("k", Action::Up),
    ("↑", Action::Up),
    ("h", Action::Left),
    ("←", Action::Left),
    ("l", Action::Right),
    ("→", Action::Right),
    ("0", Action::RowStart),
    ("^", Action::RowStart),
    ("$", Action::RowEnd),
    ("Space", Action::PageDown),
    ("C-f", Action::PageDown),
    ("PgDn", Action::PageDown),
    ("C-b", Action::PageUp),
    ("PgUp", Action::PageUp),
    ("C-d", Action::HalfPageDown),
    ("C-u", Action::HalfPageUp),
    ("C-e", Action::ScrollDown),
    ("C-y", Action::ScrollUp),
    ("H", Action::ScreenTop),
    ("M", Action::ScreenMiddle),
    ("L", Action::ScreenBottom),
    ("g", Action::Top),
    ("Home", Action::Top),
    ("G", Action::Bottom),
    ("End", Action::Bottom),
    ("%", Action::Percent),
    ("}", Action::NextParagraph),
    ("{", Action::PrevParagraph),
    ("]", Action::NextHeading),
    ("[", Action::PrevHeading),
    ("w", Action::WordForward),
    ("b", Action::WordBackward),
    ("e", Action::WordEnd),
    (")", Action::SentenceForward),
    ("(", Action::SentenceBackward),
    ("T", Action::Outline),
    ("m", Action::SetMark),
    ("'", Action::JumpMark),
    ("`", Action::JumpMark),
    ("v", Action::Select),
    ("V", Action::SelectSentence),
    ("t", Action::EditTags),
    ("a", Action::EditNote),
    ("A", Action::DocumentNote),
    ("c", Action::ChangeColour),
    ("x", Action::DeleteHighlight),
    ("u", Action::Undo),
    ("C-r", Action::Redo),
    ("o", Action::NotesList),
    ("O", Action::NotesFull),
    ("E", Action::Export),
    ("/", Action::Search),
    ("n", Action::NextHit),
    ("N", Action::PrevHit),
    ("Esc", Action::ClearHighlight),
    ("p", Action::TogglePanel),
    ("Tab", Action::FocusPanel),
    ("+", Action::AddEntity),
    ("?", Action::Help),
    ("F1", Action::Help),
    ("q", Action::Quit),
    ("C-c", Action::Quit),
];

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULT
            .iter()
            .filter_map(|&(k, a)| Key::parse(k).map(|k| (k, a)))
            .collect();
        Self { bindings }
    }
}

impl Keymap {
    pub fn lookup(&self, key: Key) -> Option<Action> {
        // Terminals report Shift-letters inconsistently; the upper-case char is what counts.
        self.bindings
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, a)| a)
    }

    /// Keys bound to `action`, in binding order.
    pub fn keys_for(&self, action: Action) -> impl Iterator<Item = Key> + '_ {
        self.bindings
            .iter()
            .filter(move |(_, a)| *a == action)
            .map(|&(k, _)| k)
    }

    /// Whether a digit would start a count (digits that are not bound themselves).
    pub fn is_count_digit(&self, key: Key, have_count: bool) -> bool {
        match key.code {
            KeyCode::Char('1'..='9') => !key.ctrl && !key.alt,
            KeyCode::Char('0') => have_count && !key.ctrl && !key.alt,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_binding_parses() {
        assert_eq!(Keymap::default().bindings.len(), DEFAULT.len());
    }

    #[test]
    fn every_action_has_a_key() {
        let map = Keymap::default();
        for action in Action::ALL {
            assert!(
                map.keys_for(action).next().is_some(),
                "{action:?} has no key"
            );
        }
    }

    #[test]
    fn lookup() {
        let map = Keymap::default();
        assert_eq!(map.lookup(Key::ch('G')), Some(Action::Bottom));
        assert_eq!(map.lookup(Key::ctrl('f')), Some(Action::PageDown));
        assert_eq!(map.lookup(Key::ch('z')), None);
        assert_eq!(map.lookup(Key::ch('T')), Some(Action::Outline));
        assert_eq!(map.lookup(Key::ch('m')), Some(Action::SetMark));
        assert_eq!(map.lookup(Key::ch('\'')), Some(Action::JumpMark));
        assert_eq!(map.lookup(Key::ch('`')), Some(Action::JumpMark));
        assert_eq!(map.lookup(Key::ch('%')), Some(Action::Percent));
    }
}
