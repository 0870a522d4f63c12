//! The app's own key type: the terminal layer converts into it, so the app and its tests do
//! not depend on crossterm.

use std::fmt;

/// A key without modifiers. Shifted letters arrive as upper-case `Char`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

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

    /// Parses the notation used in tests and help: `j`, `G`, `C-f`, `Space`, `Enter`, `Esc`,
    /// `PgDn`, `F1`, `↓`.
    pub fn parse(s: &str) -> Option<Self> {
        if let Some(rest) = s.strip_prefix("C-") {
            let mut chars = rest.chars();
            let c = chars.next()?;
            return chars.next().is_none().then_some(Self::ctrl(c));
        }
        let code = match s {
            "Space" => KeyCode::Char(' '),
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "BS" | "Backspace" => KeyCode::Backspace,
            "Tab" => KeyCode::Tab,
            "S-Tab" => KeyCode::BackTab,
            "Up" | "↑" => KeyCode::Up,
            "Down" | "↓" => KeyCode::Down,
            "Left" | "←" => KeyCode::Left,
            "Right" | "→" => KeyCode::Right,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "PgUp" => KeyCode::PageUp,
            "PgDn" => KeyCode::PageDown,
            "Del" => KeyCode::Delete,
            _ => {
                if let Some(n) = s.strip_prefix('F').and_then(|n| n.parse().ok()) {
                    KeyCode::F(n)
                } else {
                    let mut chars = s.chars();
                    let c = chars.next()?;
                    if chars.next().is_some() {
                        return None;
                    }
                    KeyCode::Char(c)
                }
            }
        };
        Some(Self::new(code))
    }
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
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            // Words, not arrows: arrows are East Asian Ambiguous and would misalign help in
            // terminals that draw them two columns wide.
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::F(n) => write!(f, "F{n}"),
        }
    }
}

/// Whether `c` may go into a one-line input. Controls and bidi controls never do: the input is
/// echoed to the terminal and may end up in names, tags and file names, where an invisible
/// override would make text read other than it is.
pub fn is_input_char(c: char) -> bool {
    !c.is_control() && !super::editor::is_bidi_control(c)
}

/// Pasted text for a one-line input: escape sequences dropped whole (as in articles), then line
/// breaks, other controls and bidi controls.
pub fn paste_line(input: &mut String, text: &str) {
    let clean = crate::text::sanitize(text);
    input.extend(clean.chars().filter(|&c| is_input_char(c)));
}

/// A key in a list filter that is being typed: Enter keeps the filter, Esc clears it,
/// Backspace on an empty filter leaves it, Ctrl-u clears, characters are typed.
pub fn filter_key(filter: &mut String, filtering: &mut bool, key: Key) {
    match key.code {
        KeyCode::Enter => *filtering = false,
        KeyCode::Esc => {
            *filtering = false;
            filter.clear();
        }
        KeyCode::Backspace if filter.pop().is_none() => *filtering = false,
        KeyCode::Char('u') if key.ctrl => filter.clear(),
        KeyCode::Char(c) if !key.ctrl && is_input_char(c) => filter.push(c),
        _ => {}
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
            ("Space", "Space"),
            ("PgDn", "PgDn"),
            ("F1", "F1"),
        ] {
            assert_eq!(Key::parse(text).unwrap().to_string(), shown);
        }
        assert_eq!(Key::parse("jj"), None);
    }
}
