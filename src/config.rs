//! The user's settings (`config.ron`). Every field is optional; unknown fields are errors so a
//! typo does not silently do nothing.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Reader settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Scroll with the mouse wheel. Capturing the mouse means the terminal's own text
    /// selection needs Shift held.
    pub mouse: bool,
    /// Rows kept visible above and below the cursor.
    pub scroll_off: u16,
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

/// The default configuration, with comments, as `pizhu --print-config` prints it.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/config.ron");

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
        ron::from_str(text).map_err(|e| ConfigError::Parse {
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
        assert_eq!(
            Config::parse(DEFAULT_CONFIG, Path::new("x")).unwrap(),
            Config::default()
        );
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
