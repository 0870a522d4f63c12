//! Keys to actions, one map per context. Help, the status line's hints and the printed config
//! list what is bound here, so none of them can drift from the real keys.

use std::collections::BTreeMap;

use super::action::Action;
use super::context::Context;
use super::key::Key;

/// A key, or keys in sequence, and what they do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
}

/// What a key (with the keys pending before it) means in a context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    Action(Action),
    /// The start of a sequence: wait for the next key.
    Pending,
    Unbound,
}

/// The bindings of every context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    maps: BTreeMap<Context, Vec<Binding>>,
}

use Action as A;
use Context as C;

/// Keys and what they do by default, as written in help.
type Defaults = &'static [(&'static str, Action)];

/// Moving through a list: the entity and notes lists and the outline.
const LIST: Defaults = &[
    ("j", A::Down),
    ("Down", A::Down),
    ("k", A::Up),
    ("Up", A::Up),
    ("g", A::Top),
    ("Home", A::Top),
    ("G", A::Bottom),
    ("End", A::Bottom),
    ("Space", A::PageDown),
    ("PgDn", A::PageDown),
    ("PgUp", A::PageUp),
];

/// Both tabs of the side panel.
const PANEL: Defaults = &[
    ("u", A::Undo),
    ("C-r", A::Redo),
    ("h", A::SwitchTab),
    ("l", A::SwitchTab),
    ("Left", A::SwitchTab),
    ("Right", A::SwitchTab),
    ("O", A::NotesFull),
    ("Esc", A::Cancel),
    ("Tab", A::FocusPanel),
    ("p", A::TogglePanel),
    ("?", A::Help),
    ("F1", A::Help),
    ("q", A::Quit),
    ("C-c", A::Quit),
];

/// A line being typed: Enter takes it, Esc or Ctrl-c drops it.
const LINE: Defaults = &[("Enter", A::Accept), ("Esc", A::Cancel), ("C-c", A::Cancel)];

/// The default bindings: vim keys (there is a cursor) plus the less keys people expect. Each
/// context's list is made of shared parts and its own.
const DEFAULTS: &[(Context, &[Defaults])] = &[
    (
        C::Reader,
        &[&[
            ("j", A::Down),
            ("Down", A::Down),
            ("k", A::Up),
            ("Up", A::Up),
            ("h", A::Left),
            ("Left", A::Left),
            ("l", A::Right),
            ("Right", A::Right),
            ("0", A::RowStart),
            ("^", A::RowStart),
            ("$", A::RowEnd),
            ("}", A::NextParagraph),
            ("{", A::PrevParagraph),
            ("]", A::NextHeading),
            ("[", A::PrevHeading),
            ("w", A::WordForward),
            ("b", A::WordBackward),
            ("e", A::WordEnd),
            (")", A::SentenceForward),
            ("(", A::SentenceBackward),
            ("g", A::Top),
            ("Home", A::Top),
            ("G", A::Bottom),
            ("End", A::Bottom),
            ("%", A::Percent),
            ("H", A::ScreenTop),
            ("M", A::ScreenMiddle),
            ("L", A::ScreenBottom),
            ("Space", A::PageDown),
            ("C-f", A::PageDown),
            ("PgDn", A::PageDown),
            ("C-b", A::PageUp),
            ("PgUp", A::PageUp),
            ("C-d", A::HalfPageDown),
            ("C-u", A::HalfPageUp),
            ("C-e", A::ScrollDown),
            ("C-y", A::ScrollUp),
            ("zt", A::CursorToTop),
            ("zz", A::CursorToMiddle),
            ("zb", A::CursorToBottom),
            ("T", A::Outline),
            ("m", A::SetMark),
            ("'", A::JumpMark),
            ("`", A::JumpMark),
            ("/", A::Search),
            ("n", A::NextHit),
            ("N", A::PrevHit),
            ("Esc", A::ClearHighlight),
            ("p", A::TogglePanel),
            ("Tab", A::FocusPanel),
            ("+", A::AddEntity),
            ("v", A::Select),
            ("V", A::SelectSentence),
            ("t", A::EditTags),
            ("a", A::EditNote),
            ("A", A::DocumentNote),
            ("c", A::ChangeColour),
            ("x", A::DeleteHighlight),
            ("u", A::Undo),
            ("C-r", A::Redo),
            ("o", A::NotesList),
            ("O", A::NotesFull),
            ("E", A::Export),
            ("?", A::Help),
            ("F1", A::Help),
            ("q", A::Quit),
            ("C-c", A::Quit),
        ]],
    ),
    (
        C::Visual,
        &[&[
            ("Enter", A::Highlight),
            ("1", A::HighlightYellow),
            ("2", A::HighlightGreen),
            ("3", A::HighlightBlue),
            ("4", A::HighlightPink),
            ("5", A::HighlightPurple),
            ("t", A::EditTags),
            ("a", A::EditNote),
            ("+", A::AddEntity),
            ("o", A::SwapEnds),
            ("Esc", A::Cancel),
            ("v", A::Cancel),
            ("C-c", A::Cancel),
        ]],
    ),
    (C::Search, &[LINE, &[("Backspace", A::Cancel)]]),
    (
        C::Entities,
        &[
            LIST,
            &[
                ("Enter", A::Accept),
                ("n", A::NextHit),
                ("N", A::PrevHit),
                ("/", A::Search),
                ("a", A::AcceptEntity),
                ("x", A::RejectEntity),
                ("r", A::RenameEntity),
                ("m", A::MergeEntity),
                ("K", A::ChangeKind),
                ("+", A::AddEntity),
                ("o", A::NotesList),
            ],
            PANEL,
        ],
    ),
    (C::EntityPrompt, &[LINE, &[("Tab", A::NextOption)]]),
    (
        C::Notes,
        &[
            LIST,
            &[
                ("Enter", A::Accept),
                ("/", A::Search),
                ("t", A::EditTags),
                ("a", A::EditNote),
                ("c", A::ChangeColour),
                ("x", A::DeleteHighlight),
                ("A", A::DocumentNote),
                ("o", A::NotesList),
            ],
            PANEL,
        ],
    ),
    (C::Filter, &[LINE, &[("Backspace", A::Cancel)]]),
    (
        C::Tags,
        &[
            LINE,
            &[
                ("Tab", A::Complete),
                ("Down", A::NextOption),
                ("Up", A::PrevOption),
                ("S-Tab", A::PrevOption),
            ],
        ],
    ),
    (
        C::Note,
        &[&[("C-s", A::Save), ("Esc", A::Cancel), ("C-c", A::Cancel)]],
    ),
    (C::Discard, &[&[("y", A::Confirm), ("Y", A::Confirm)]]),
    (
        C::Export,
        &[
            LINE,
            &[
                ("Tab", A::NextOption),
                ("Down", A::NextOption),
                ("S-Tab", A::PrevOption),
                ("Up", A::PrevOption),
            ],
        ],
    ),
    (
        C::Overwrite,
        &[&[("y", A::Confirm), ("Y", A::Confirm), ("Enter", A::Confirm)]],
    ),
    (
        C::Help,
        &[&[
            ("j", A::Down),
            ("Down", A::Down),
            ("k", A::Up),
            ("Up", A::Up),
            ("Space", A::PageDown),
            ("PgDn", A::PageDown),
            ("C-f", A::PageDown),
            ("PgUp", A::PageUp),
            ("C-b", A::PageUp),
            ("g", A::Top),
            ("Home", A::Top),
            ("G", A::Bottom),
            ("End", A::Bottom),
            ("/", A::Search),
            ("n", A::NextHit),
            ("N", A::PrevHit),
            ("q", A::Cancel),
            ("Esc", A::Cancel),
            ("C-c", A::Quit),
        ]],
    ),
    (C::HelpSearch, &[LINE, &[("Backspace", A::Cancel)]]),
    (
        C::Outline,
        &[
            LIST,
            &[
                ("Enter", A::Accept),
                ("/", A::Search),
                ("Esc", A::Cancel),
                ("q", A::Outline),
                ("T", A::Outline),
                ("C-c", A::Quit),
            ],
        ],
    ),
    (
        C::Unsaved,
        &[&[("r", A::Retry), ("q", A::QuitAnyway), ("Esc", A::Cancel)]],
    ),
];

fn parse_default(keys: &str) -> Vec<Key> {
    Key::parse_sequence(keys).unwrap_or_default()
}

/// The default bindings of `context`, its parts in order.
fn defaults(context: Context) -> impl Iterator<Item = &'static (&'static str, Action)> {
    DEFAULTS
        .iter()
        .filter(move |(c, _)| *c == context)
        .flat_map(|(_, parts)| parts.iter().flat_map(|part| part.iter()))
}

/// One is the other or starts it: both cannot be bound in one context.
fn clash(a: &[Key], b: &[Key]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

impl Default for Keymap {
    fn default() -> Self {
        let maps = DEFAULTS
            .iter()
            .map(|&(context, _)| {
                let list = defaults(context)
                    .map(|&(keys, action)| Binding {
                        keys: parse_default(keys),
                        action,
                    })
                    .collect();
                (context, list)
            })
            .collect();
        Self { maps }
    }
}

impl Keymap {
    /// The defaults with the user's bindings over them: a user binding replaces every default
    /// binding of the same keys (or of keys that start them, or that they start).
    pub fn with(overrides: &KeyOverrides) -> Self {
        let mut map = Self::default();
        for (context, bindings) in &overrides.0 {
            let list = map.maps.entry(*context).or_default();
            for (keys, action) in bindings {
                list.retain(|b| !clash(&b.keys, keys));
                if let Some(action) = action {
                    list.push(Binding {
                        keys: keys.clone(),
                        action: *action,
                    });
                }
            }
        }
        map
    }

    /// The bindings of `context`, in the order help lists them.
    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.maps.get(&context).map_or(&[], Vec::as_slice)
    }

    /// What `keys` (the pending keys and the one just pressed) do in `context`, falling back
    /// to the parent context's motions.
    pub fn lookup(&self, context: Context, keys: &[Key]) -> Lookup {
        match self.find(context, keys, |_| true) {
            Lookup::Unbound => match context.parent() {
                Some(parent) => self.find(parent, keys, Action::is_motion),
                None => Lookup::Unbound,
            },
            found => found,
        }
    }

    fn find(&self, context: Context, keys: &[Key], allowed: impl Fn(Action) -> bool) -> Lookup {
        let mut pending = false;
        for b in self.bindings(context).iter().filter(|b| allowed(b.action)) {
            if b.keys == keys {
                return Lookup::Action(b.action);
            }
            pending |= b.keys.len() > keys.len() && b.keys.starts_with(keys);
        }
        if pending {
            Lookup::Pending
        } else {
            Lookup::Unbound
        }
    }

    /// Whether `key` is bound on its own in `context` (so a digit there is not a count).
    pub fn binds(&self, context: Context, key: Key) -> bool {
        self.lookup(context, &[key]) != Lookup::Unbound
    }

    /// The keys bound to `action` in `context` as help shows them, in binding order.
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<String> {
        self.bindings(context)
            .iter()
            .filter(|b| b.action == action)
            .map(|b| Key::show_sequence(&b.keys))
            .collect()
    }

    /// The first key of `action` in `context`, for hints (`Enter saves`).
    pub fn first_key(&self, context: Context, action: Action) -> Option<String> {
        self.keys_for(context, action).into_iter().next()
    }

    /// The actions bound in `context`, each once, in binding order.
    pub fn actions(&self, context: Context) -> Vec<Action> {
        let mut out: Vec<Action> = Vec::new();
        for b in self.bindings(context) {
            if !out.contains(&b.action) {
                out.push(b.action);
            }
        }
        out
    }
}

/// Whether `action` can be bound in `context`: it is one of that context's own (bound there
/// by default) or, for a context with a parent, one of the parent's motions.
pub fn usable(context: Context, action: Action) -> bool {
    let own = |c: Context| defaults(c).any(|&(_, a)| a == action);
    own(context)
        || context
            .parent()
            .is_some_and(|p| own(p) && action.is_motion())
}

/// The actions `context` can bind, for error messages and the printed config.
pub fn usable_actions(context: Context) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|&a| usable(context, a))
        .collect()
}

/// The user's bindings from the config, per context: keys to an action, or to nothing
/// (`"none"` unbinds them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyOverrides(pub BTreeMap<Context, Vec<Rebinding>>);

/// Keys and what the config binds them to (`None`: unbound).
pub type Rebinding = (Vec<Key>, Option<Action>);

impl KeyOverrides {
    /// Checks and adds one binding of the config, as the file wrote it; the error is the
    /// message the config reports at the binding's place.
    pub fn add(&mut self, context: Context, keys: &str, action: &str) -> Result<(), String> {
        let parsed = Key::parse_sequence(keys).ok_or_else(|| {
            format!(
                "{keys:?} is not a key: write keys like \"j\", \"G\", \"ctrl-f\", \"alt-x\", \
                 \"Space\", \"Enter\", \"PgDn\", \"F1\", or a sequence like \"zz\" or \"g Enter\""
            )
        })?;
        let action = if action.trim().eq_ignore_ascii_case("none") {
            None
        } else {
            let a = Action::from_name(action).ok_or_else(|| {
                format!(
                    "{action:?} is not an action: `pizhu --print-config` lists them, e.g. \
                     \"PageDown\", or \"none\" to unbind"
                )
            })?;
            if !usable(context, a) {
                return Err(format!(
                    "{} does nothing in {}: there, bind one of {}",
                    a.name(),
                    context.name(),
                    usable_actions(context)
                        .iter()
                        .map(|a| a.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            Some(a)
        };
        let list = self.0.entry(context).or_default();
        if let Some((other, _)) = list.iter().find(|(k, _)| clash(k, &parsed)) {
            return Err(format!(
                "{keys:?} conflicts with {:?}, also bound in {}: a key (or the start of a \
                 sequence) can mean only one thing in a context",
                Key::show_sequence(other),
                context.name()
            ));
        }
        list.push((parsed, action));
        Ok(())
    }
}

/// The `keys: (…)` section of the printed default config: every default binding, with what
/// it does.
pub fn default_config_section(indent: &str) -> String {
    let map = Keymap::default();
    let mut out = String::new();
    out.push_str(&format!("{indent}keys: (\n"));
    for context in Context::ALL {
        out.push_str(&format!(
            "{indent}    // {}\n{indent}    {}: {{\n",
            context.title(),
            context.name()
        ));
        for b in map.bindings(context) {
            let keys = format!("{:?}:", Key::show_sequence(&b.keys));
            out.push_str(&format!(
                "{indent}        {keys:<12} {:<20} // {}\n",
                format!("{:?},", b.action.name()),
                b.action.describe(context)
            ));
        }
        out.push_str(&format!("{indent}    }},\n"));
    }
    out.push_str(&format!("{indent}),\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_binding_parses_and_none_clash() {
        for &(context, _) in DEFAULTS {
            let list: Vec<_> = defaults(context).collect();
            for (i, (keys, action)) in list.iter().enumerate() {
                let parsed = Key::parse_sequence(keys);
                assert!(parsed.is_some(), "{context:?}: {keys}");
                let parsed = parsed.unwrap_or_default();
                for (other, _) in &list[..i] {
                    assert!(
                        !clash(&parse_default(other), &parsed),
                        "{context:?}: {keys} clashes with {other}"
                    );
                }
                assert!(usable(context, *action));
            }
        }
    }

    #[test]
    fn every_context_has_bindings_and_every_reading_action_a_key() {
        let map = Keymap::default();
        for c in Context::ALL {
            assert!(!map.bindings(c).is_empty(), "{c:?}");
        }
        for &a in Action::ALL
            .iter()
            .filter(|a| a.group() != super::super::Group::Prompt)
        {
            assert!(
                !map.keys_for(Context::Reader, a).is_empty(),
                "{a:?} has no key"
            );
        }
    }

    #[test]
    fn lookup_with_sequences_and_the_parent() {
        let map = Keymap::default();
        let look = |c, keys: &str| map.lookup(c, &Key::parse_sequence(keys).unwrap_or_default());
        assert_eq!(look(C::Reader, "G"), Lookup::Action(A::Bottom));
        assert_eq!(look(C::Reader, "C-f"), Lookup::Action(A::PageDown));
        assert_eq!(look(C::Reader, "z"), Lookup::Pending);
        assert_eq!(look(C::Reader, "zz"), Lookup::Action(A::CursorToMiddle));
        assert_eq!(look(C::Reader, "zq"), Lookup::Unbound);
        assert_eq!(look(C::Reader, "Z"), Lookup::Unbound);
        // A selection takes the reader's motions, not its other keys.
        assert_eq!(look(C::Visual, "j"), Lookup::Action(A::Down));
        assert_eq!(look(C::Visual, "zz"), Lookup::Action(A::CursorToMiddle));
        assert_eq!(look(C::Visual, "E"), Lookup::Unbound);
        assert_eq!(look(C::Visual, "t"), Lookup::Action(A::EditTags));
    }

    #[test]
    fn overrides_replace_unbind_and_check() {
        let mut o = KeyOverrides::default();
        o.add(C::Reader, "J", "PageDown").unwrap();
        o.add(C::Reader, "ctrl-n", "down").unwrap();
        o.add(C::Reader, "j", "none").unwrap();
        o.add(C::Reader, "z", "Top").unwrap();
        let map = Keymap::with(&o);
        let look = |c, k: &str| map.lookup(c, &Key::parse_sequence(k).unwrap_or_default());
        assert_eq!(look(C::Reader, "J"), Lookup::Action(A::PageDown));
        assert_eq!(look(C::Reader, "C-n"), Lookup::Action(A::Down));
        assert_eq!(look(C::Reader, "j"), Lookup::Unbound);
        // The other keys of an action stay.
        assert_eq!(look(C::Reader, "Down"), Lookup::Action(A::Down));
        // `z` on its own now: the sequences it started are gone.
        assert_eq!(look(C::Reader, "z"), Lookup::Action(A::Top));
        assert_eq!(
            map.keys_for(C::Reader, A::CursorToMiddle),
            Vec::<String>::new()
        );
        // Other contexts keep their defaults.
        assert_eq!(look(C::Entities, "j"), Lookup::Action(A::Down));

        let err = |c, k: &str, a: &str| KeyOverrides::default().add(c, k, a).unwrap_err();
        assert!(err(C::Reader, "j", "Fly").contains("not an action"));
        assert!(err(C::Reader, "nokey x", "Down").contains("not a key"));
        assert!(err(C::Reader, "j", "HighlightGreen").contains("does nothing in reader"));
        let mut o = KeyOverrides::default();
        o.add(C::Entities, "J", "Down").unwrap();
        let clash = o.add(C::Entities, "J", "Up").unwrap_err();
        assert!(clash.contains("conflicts"), "{clash}");
        let prefix = o.add(C::Entities, "JJ", "Up").unwrap_err();
        assert!(prefix.contains("conflicts"), "{prefix}");
    }
}
