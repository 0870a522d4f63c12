//! The reader's own key type: the terminal layer converts into it, so the app, its tests and
//! the config do not depend on crossterm.

use std::fmt;

/// A key without modifiers. Shifted letters arrive as upper-case `Char`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Backspace,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Delete,
    F(u8),
}

/// A key press.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

/// Names of the keys that are not characters, as the config and help write them. The first
/// name of each is the one shown; the others are accepted (case does not matter).
const NAMED: &[(&[&str], KeyCode)] = &[
    (&["Space"], KeyCode::Char(' ')),
    (&["Enter", "Return", "CR"], KeyCode::Enter),
    (&["Esc", "Escape"], KeyCode::Esc),
    (&["Backspace", "BS"], KeyCode::Backspace),
    (&["Tab"], KeyCode::Tab),
    (&["Shift-Tab", "S-Tab", "BackTab"], KeyCode::BackTab),
    (&["Up", "↑"], KeyCode::Up),
    (&["Down", "↓"], KeyCode::Down),
    (&["Left", "←"], KeyCode::Left),
    (&["Right", "→"], KeyCode::Right),
    (&["Home"], KeyCode::Home),
    (&["End"], KeyCode::End),
    (&["PgUp", "PageUp"], KeyCode::PageUp),
    (&["PgDn", "PageDown"], KeyCode::PageDown),
    (&["Del", "Delete"], KeyCode::Delete),
    (&["Minus"], KeyCode::Char('-')),
];

impl Key {
    pub const fn new(code: KeyCode) -> Self {
        Self {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn ch(c: char) -> Self {
        Self::new(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// Parses one key as tests, help and the config write it: `j`, `G`, `C-f` or `ctrl-f`,
    /// `alt-x`, `Space`, `Enter`, `Esc`, `PgDn`, `F1`, `↓`. Names ignore case; a single
    /// character is itself (`G` is Shift-g).
    pub fn parse(s: &str) -> Option<Self> {
        let mut key = Self::new(KeyCode::Esc);
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = ["ctrl-", "c-", "alt-", "a-", "m-"]
                .into_iter()
                .find(|p| lower.starts_with(p) && rest.len() > p.len());
            match prefix {
                Some("ctrl-" | "c-") => key.ctrl = true,
                Some(_) => key.alt = true,
                None => break,
            }
            rest = &rest[prefix.map_or(0, str::len)..];
        }
        key.code = code_of(rest)?;
        if key.ctrl
            && let KeyCode::Char(c) = key.code
        {
            // Terminals send Ctrl-F and Ctrl-f alike.
            key.code = KeyCode::Char(c.to_ascii_lowercase());
        }
        Some(key)
    }

    /// Parses a binding: one key, or a sequence of keys separated by spaces (`z z`, `g Enter`),
    /// or characters written together (`zz`, `''`).
    pub fn parse_sequence(s: &str) -> Option<Vec<Self>> {
        let s = s.trim();
        if s == " " {
            return Some(vec![Self::ch(' ')]);
        }
        if let Some(key) = Self::parse(s) {
            return Some(vec![key]);
        }
        let tokens: Vec<&str> = s.split_whitespace().collect();
        if tokens.len() > 1 {
            return tokens.into_iter().map(Self::parse).collect();
        }
        // A few characters written together (`zz`, `''`): each its own key. Longer words, or
        // ones with a dash, are a misspelt key name, not a sequence.
        let keys: Vec<Self> = s.chars().map(Self::ch).collect();
        let together = (2..=3).contains(&keys.len())
            && s.chars()
                .all(|c| !c.is_control() && !c.is_whitespace() && c != '-');
        together.then_some(keys)
    }

    /// `z z` → `zz`, `g Enter` → `g Enter`: how help shows a sequence.
    pub fn show_sequence(keys: &[Self]) -> String {
        let plain = keys
            .iter()
            .all(|k| matches!(k.code, KeyCode::Char(c) if c != ' ') && !k.ctrl && !k.alt);
        let shown: Vec<String> = keys.iter().map(Self::to_string).collect();
        shown.join(if plain { "" } else { " " })
    }

    /// A printable character typed without Ctrl or Alt.
    pub fn typed_char(self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }
}

fn code_of(s: &str) -> Option<KeyCode> {
    let mut chars = s.chars();
    let first = chars.next()?;
    if chars.next().is_none() {
        return Some(match first {
            '↑' => KeyCode::Up,
            '↓' => KeyCode::Down,
            '←' => KeyCode::Left,
            '→' => KeyCode::Right,
            c => KeyCode::Char(c),
        });
    }
    if let Some((_, code)) = NAMED
        .iter()
        .find(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(s)))
    {
        return Some(*code);
    }
    let n = s.strip_prefix(['F', 'f'])?.parse().ok()?;
    (1..=24).contains(&n).then_some(KeyCode::F(n))
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(c) if c != ' ' && c != '-' => write!(f, "{c}"),
            // Words, not arrows: arrows are East Asian Ambiguous and would misalign help in
            // terminals that draw them two columns wide.
            KeyCode::F(n) => write!(f, "F{n}"),
            code => {
                let name = NAMED
                    .iter()
                    .find(|(_, c)| *c == code)
                    .map_or("?", |(names, _)| names[0]);
                f.write_str(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        for (text, shown) in [
            ("j", "j"),
            ("C-f", "Ctrl-f"),
            ("ctrl-f", "Ctrl-f"),
            ("Ctrl-F", "Ctrl-f"),
            ("alt-x", "Alt-x"),
            ("Space", "Space"),
            ("space", "Space"),
            ("PgDn", "PgDn"),
            ("pagedown", "PgDn"),
            ("F1", "F1"),
            ("↓", "Down"),
            ("S-Tab", "Shift-Tab"),
            ("-", "Minus"),
        ] {
            let key = Key::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(key.to_string(), shown);
            assert_eq!(Key::parse(shown), Some(key), "{shown}");
        }
        assert_eq!(Key::parse("jj"), None);
        assert_eq!(Key::parse("F99"), None);
        assert_eq!(Key::parse("ctrl-"), None);
    }

    #[test]
    fn sequences() {
        let zz = Key::parse_sequence("zz").unwrap();
        assert_eq!(zz, vec![Key::ch('z'), Key::ch('z')]);
        assert_eq!(Key::parse_sequence("z z").unwrap(), zz);
        assert_eq!(Key::show_sequence(&zz), "zz");
        let g_enter = Key::parse_sequence("g Enter").unwrap();
        assert_eq!(Key::show_sequence(&g_enter), "g Enter");
        assert_eq!(Key::parse_sequence("Enter").unwrap().len(), 1);
        assert_eq!(Key::parse_sequence("ctrl-x k").unwrap()[0], Key::ctrl('x'));
        assert_eq!(Key::parse_sequence("nokey x"), None);
        assert_eq!(Key::parse_sequence("Ctrl-Banana"), None);
        assert_eq!(Key::parse_sequence("Enterr"), None);
        assert_eq!(Key::parse_sequence(""), None);
    }
}
