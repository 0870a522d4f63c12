//! The user's settings (`config.ron`). Every field is optional; unknown fields are errors so a
//! typo does not silently do nothing.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Reader settings.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Treat East Asian Ambiguous characters (“ ” … — · ①) as two columns wide, as many
    /// Chinese terminal setups draw them.
    pub ambiguous_wide: bool,
    /// Widest reading column in terminal columns; the column is centered on wider screens.
    #[serde(deserialize_with = "narrowest_column")]
    pub max_width: u16,
    /// Indent the first line of Chinese paragraphs by two full-width spaces.
    pub indent: bool,
    /// Leave a blank row between paragraphs.
    pub paragraph_spacing: bool,
    /// Use the mouse: click to move the cursor, drag or double or triple click to select,
    /// scroll with the wheel, resize the panel by its border. Capturing the mouse means the
    /// terminal's own text selection needs Shift held.
    pub mouse: bool,
    /// Rows kept visible above and below the cursor.
    pub scroll_off: u16,
    /// The built-in colours to start from.
    pub theme: ThemeName,
    /// Colours that replace the theme's, by what they colour.
    pub colors: Colors,
    /// Key bindings over the defaults, by context.
    pub keys: crate::keys::KeyOverrides,
}

/// The built-in themes, written as strings: `theme: "light"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeName {
    /// For dark terminal backgrounds.
    #[default]
    Dark,
    /// For light terminal backgrounds.
    Light,
    /// No colour: bold, underline, italic and reverse only (as under `NO_COLOR`).
    Mono,
}

impl ThemeName {
    const ALL: [(&'static str, ThemeName); 3] = [
        ("dark", Self::Dark),
        ("light", Self::Light),
        ("mono", Self::Mono),
    ];
}

impl<'de> Deserialize<'de> for ThemeName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::ALL
            .iter()
            .find(|(name, _)| *name == text.trim())
            .map(|&(_, theme)| theme)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "{text:?} is not a theme: use \"dark\", \"light\" or \"mono\""
                ))
            })
    }
}

impl Serialize for ThemeName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let name = Self::ALL
            .iter()
            .find(|(_, t)| t == self)
            .map_or("dark", |(n, _)| n);
        s.serialize_str(name)
    }
}

/// A colour as the config writes it: a name (`cyan`, `light-red`), `#rrggbb`, or a number of
/// the 256-colour palette (`"229"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColorValue(pub ratatui::style::Color);

impl<'de> Deserialize<'de> for ColorValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.trim()
            .parse::<ratatui::style::Color>()
            .map(ColorValue)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "{text:?} is not a colour: use a name such as \"cyan\" or \"light-red\", \
                     \"#rrggbb\", or a number from 0 to 255"
                ))
            })
    }
}

impl Serialize for ColorValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

/// Colour overrides; each names the foreground of its text, except the highlights, mentions,
/// hits and the selection, which are backgrounds (their text is drawn black).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Colors {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_marker: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub border: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_key: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note_marker: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_hit: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mention: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_mention: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight_yellow: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight_green: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight_blue: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight_pink: Option<ColorValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight_purple: Option<ColorValue>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            ambiguous_wide: false,
            max_width: 80,
            indent: true,
            paragraph_spacing: true,
            mouse: true,
            scroll_off: 2,
            theme: ThemeName::Dark,
            colors: Colors::default(),
            keys: crate::keys::KeyOverrides::default(),
        }
    }
}

/// Fewest columns `max_width` may ask for: below this a line holds too few characters to read.
pub const MIN_MAX_WIDTH: u16 = 10;

/// Reads `max_width`, refusing values under [`MIN_MAX_WIDTH`] here so the parser's error names
/// the file, line and column like any other mistake.
fn narrowest_column<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    let width = u16::deserialize(d)?;
    if width < MIN_MAX_WIDTH {
        return Err(serde::de::Error::custom(format!(
            "max_width must be at least {MIN_MAX_WIDTH}, not {width}"
        )));
    }
    Ok(width)
}

/// The settings part of the default configuration, with comments.
const DEFAULT_SETTINGS: &str = include_str!("../assets/config.ron");

/// The default configuration, with comments, as `pizhu --print-config` prints it: the
/// settings, then every default key binding with what it does.
pub fn default_config() -> String {
    let settings = DEFAULT_SETTINGS.trim_end();
    let body = settings.strip_suffix(')').unwrap_or(settings);
    format!(
        "{body}{}{})\n",
        KEYS_INTRO,
        crate::keys::default_config_section("    ")
    )
}

const KEYS_INTRO: &str =
    "    // Keys, by context: a key, or keys in sequence (\"zz\"), to an action; \"none\" unbinds.
    // Bindings here replace the defaults for the same keys; the other defaults stay. Key
    // names: \"j\", \"G\", \"ctrl-f\", \"alt-x\", \"Space\", \"Enter\", \"Esc\", \"Tab\",
    // \"Shift-Tab\", \"Backspace\", \"Up\", \"Down\", \"Left\", \"Right\", \"Home\", \"End\",
    // \"PgUp\", \"PgDn\", \"Del\", \"F1\". Only what you change needs to be here, e.g.
    //     keys: (reader: { \"J\": \"PageDown\", \"ctrl-n\": \"Down\", \"x\": \"none\" }),
";

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "{}: cannot read config: {} (create one with `pizhu --print-config > FILE`)",
        path.display(),
        crate::io_error::brief(source)
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message} (see `pizhu --print-config` for every field)", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Config {
    /// Layout parameters these settings give for a reading column `width` columns wide.
    pub fn layout_params(&self, width: usize) -> crate::layout::LayoutParams {
        crate::layout::LayoutParams {
            width: width.max(1),
            ambiguous: if self.ambiguous_wide {
                crate::layout::AmbiguousWidth::Wide
            } else {
                crate::layout::AmbiguousWidth::Narrow
            },
            indent: if self.indent { 4 } else { 0 },
            spacing: self.paragraph_spacing,
        }
    }

    /// Parses config text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        // `colors: (heading: "red")` without `Some(…)` around each colour.
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        options.from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })
    }

    /// Reads a config file. A missing file is an error here: callers decide whether a missing
    /// default file simply means defaults.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_default_is_the_default() {
        let printed = Config::parse(&default_config(), Path::new("x")).unwrap();
        // Every default binding is printed, and reading them back changes nothing.
        let keymap = crate::keys::Keymap::with(&printed.keys);
        assert_eq!(keymap, crate::keys::Keymap::default());
        let bound: usize = printed.keys.0.values().map(Vec::len).sum();
        let defaults: usize = crate::keys::Context::ALL
            .iter()
            .map(|&c| keymap.bindings(c).len())
            .sum();
        assert_eq!(bound, defaults);
        assert_eq!(
            Config {
                keys: Default::default(),
                ..printed
            },
            Config::default()
        );
    }

    #[test]
    fn key_bindings() {
        use crate::keys::{Action, Context, Key, Keymap, Lookup};
        let c = Config::parse(
            "(\n  keys: (\n    reader: { \"J\": \"PageDown\", \"ctrl-n\": \"Down\", \"j\": \"none\" },\n    entities: { \"ctrl-j\": \"down\" },\n  ),\n)",
            Path::new("c.ron"),
        )
        .unwrap();
        let map = Keymap::with(&c.keys);
        let look = |ctx, k: &str| map.lookup(ctx, &[Key::parse(k).unwrap()]);
        assert_eq!(look(Context::Reader, "J"), Lookup::Action(Action::PageDown));
        assert_eq!(look(Context::Reader, "C-n"), Lookup::Action(Action::Down));
        assert_eq!(look(Context::Reader, "j"), Lookup::Unbound);
        assert_eq!(look(Context::Entities, "C-j"), Lookup::Action(Action::Down));
        // Every mistake names the file, its line and column, and what is wrong.
        for (text, line, wrong) in [
            (
                "(\n keys: (reader: {\n \"J\": \"PageDwn\" }))",
                3,
                "PageDwn",
            ),
            (
                "(\n keys: (reader: {\n \"Ctrl-Banana\": \"Down\" }))",
                3,
                "Ctrl-Banana",
            ),
            (
                "(keys: (reader: {\n \"J\": \"Down\",\n \"J\": \"Up\" }))",
                3,
                "conflicts",
            ),
            ("(keys: (\n\n readr: { \"J\": \"Down\" }))", 3, "readr"),
            ("(keys: (visual: {\n \"J\": \"Export\" }))", 2, "Export"),
        ] {
            let err = Config::parse(text, Path::new("c.ron"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(&format!("c.ron:{line}:")), "{err}");
            assert!(err.contains(wrong), "{err}");
        }
    }

    #[test]
    fn themes_and_colours() {
        let c = Config::parse(
            r##"(theme: "light", colors: (heading: "magenta", highlight_yellow: "#fff3a0", hit: "229"))"##,
            Path::new("c.ron"),
        )
        .unwrap();
        use ratatui::style::Color;
        assert_eq!(c.theme, ThemeName::Light);
        assert_eq!(c.colors.heading, Some(ColorValue(Color::Magenta)));
        assert_eq!(
            c.colors.highlight_yellow,
            Some(ColorValue(Color::Rgb(0xff, 0xf3, 0xa0)))
        );
        assert_eq!(c.colors.hit, Some(ColorValue(Color::Indexed(229))));
        // A wrong colour, a wrong name, a wrong theme: the file, line and column.
        let err = Config::parse(
            "(\n  colors: (heading: \"teal-ish\"),\n)",
            Path::new("c.ron"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("c.ron:2:") && err.contains("teal-ish"),
            "{err}"
        );
        let err = Config::parse("(colors: (headline: \"red\"))", Path::new("c.ron"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("c.ron:1:") && err.contains("headline"),
            "{err}"
        );
        let err = Config::parse("(theme: \"solarized\")", Path::new("c.ron"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("solarized"), "{err}");
    }

    #[test]
    fn every_field_is_optional() {
        let c = Config::parse("(ambiguous_wide: true)", Path::new("x")).unwrap();
        assert!(c.ambiguous_wide);
        assert_eq!(c.max_width, 80);
        assert_eq!(
            Config::parse("", Path::new("x")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let err = Config::parse("(\n  max_width: \"wide\",\n)", Path::new("c.ron")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("c.ron:2:"), "{msg}");
        let err = Config::parse("(colour: 1)", Path::new("c.ron")).unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn narrow_max_width_is_refused_with_its_position() {
        let err = Config::parse("(\n  indent: true,\n  max_width: 9,\n)", Path::new("c.ron"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.ron:3:"), "{err}");
        assert!(err.contains("max_width") && err.contains("10"), "{err}");
        assert_eq!(
            Config::parse("(max_width: 10)", Path::new("c.ron"))
                .unwrap()
                .max_width,
            10
        );
    }
}
