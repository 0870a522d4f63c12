//! `E`: export the annotations from the reader. Pick a format, edit the path, confirm before
//! overwriting; the status line says where the file went.

use std::path::{Path, PathBuf};

use super::line_input::LineInput;
use super::{Action, App, Mode};
use crate::export::{self, ExportInput, Format};

/// The formats, in the order Tab cycles through them.
pub const FORMATS: [Format; 4] = [Format::Markdown, Format::W3c, Format::Csv, Format::Json];

/// The export dialog's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportDialog {
    pub format: Format,
    pub path: LineInput,
    /// The user typed in the path: changing the format no longer rewrites it.
    pub edited: bool,
    /// The file exists: Enter again (or y) overwrites.
    pub confirm_overwrite: bool,
    pub error: Option<String>,
}

impl App {
    /// Where the article came from (an absolute path), for exports; `None` for the sample
    /// and stdin.
    pub fn set_source_path(&mut self, path: Option<String>) {
        self.source_path = path;
    }

    /// The data dir, so an export is never written into it.
    pub fn set_data_dir(&mut self, dir: Option<PathBuf>) {
        self.data_dir = dir;
    }

    fn default_export_path(&self, format: Format) -> String {
        export::default_file_name(self.doc.title(), &self.name, format)
    }

    pub(super) fn open_export(&mut self) {
        let format = Format::Markdown;
        self.mode = Mode::Export(ExportDialog {
            format,
            path: LineInput::new(&self.default_export_path(format)),
            edited: false,
            confirm_overwrite: false,
            error: None,
        });
    }

    /// Actions of the export dialog (the path is typed in its line input).
    pub(super) fn export_action(&mut self, action: Action) {
        let Mode::Export(dialog) = &mut self.mode else {
            return;
        };
        dialog.error = None;
        match action {
            Action::Cancel => self.mode = Mode::Normal,
            Action::Accept => self.write_export(false),
            Action::NextOption | Action::PrevOption => {
                let i = FORMATS
                    .iter()
                    .position(|f| *f == dialog.format)
                    .unwrap_or(0);
                let format =
                    FORMATS[super::list_nav::cycle(i, FORMATS.len(), action == Action::NextOption)];
                dialog.format = format;
                if !dialog.edited {
                    let path = export::default_file_name(self.doc.title(), &self.name, format);
                    if let Mode::Export(d) = &mut self.mode {
                        d.path = LineInput::new(&path);
                    }
                }
            }
            _ => {}
        }
    }

    /// Writes the export; asks first when the file exists and `overwrite` is not given.
    pub(super) fn write_export(&mut self, overwrite: bool) {
        let Mode::Export(dialog) = &self.mode else {
            return;
        };
        let (format, raw) = (dialog.format, dialog.path.trim().to_string());
        if raw.is_empty() {
            self.set_export_error("Type a file name".into());
            return;
        }
        let path = expand_home(&raw);
        let article = self.source_path.as_deref().map(Path::new);
        if let Err(e) = crate::output::check_target(&path, article, self.data_dir.as_deref()) {
            self.set_export_error(e.to_string());
            return;
        }
        if path.exists() && !overwrite {
            if let Mode::Export(d) = &mut self.mode {
                d.confirm_overwrite = true;
            }
            return;
        }
        let entities: Vec<crate::entities::Entity> = self
            .panel
            .entities
            .iter()
            .filter(|e| !self.panel.rejected.contains(&e.name))
            .cloned()
            .collect();
        let exported = crate::clock::now();
        let input = ExportInput {
            doc: &self.doc,
            path: self.source_path.as_deref(),
            annotations: &self.annotations.list,
            document_notes: &self.annotations.document_notes,
            entities: &entities,
            corrections: &self.annotations.corrections,
            exported: &exported,
            zone: &jiff::tz::TimeZone::system(),
        };
        let text = export::render(format, &input);
        match crate::output::write_export(&path, text.as_bytes(), article, self.data_dir.as_deref())
        {
            Ok(()) => {
                self.mode = Mode::Normal;
                let shown = std::fs::canonicalize(&path).unwrap_or(path);
                let n = self.annotations.list.len();
                self.message = Some(format!(
                    "Exported {n} highlight{} as {} to {}",
                    if n == 1 { "" } else { "s" },
                    format.as_str(),
                    shown.display()
                ));
            }
            Err(e) => self.set_export_error(e.to_string()),
        }
    }

    fn set_export_error(&mut self, error: String) {
        if let Mode::Export(d) = &mut self.mode {
            d.error = Some(error);
        }
    }
}

/// `~/x` is the home directory's `x`, as in a shell.
fn expand_home(path: &str) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(|h| Path::new(&h).join(rest))
            .unwrap_or_else(|| PathBuf::from(path)),
        None => PathBuf::from(path),
    }
}
