//! `E`: export the annotations from the reader. Pick a format, edit the path, confirm before
//! overwriting; the status line says where the file went.

use std::path::{Path, PathBuf};

use super::line_input::LineInput;
use super::{Action, App, Mode};
use crate::export::{self, Format};

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

    /// Asks for the export to be written; the event loop asks first when the file exists and
    /// `overwrite` is not given (see [`App::written`]).
    pub(super) fn write_export(&mut self, overwrite: bool) {
        let Mode::Export(dialog) = &mut self.mode else {
            return;
        };
        dialog.confirm_overwrite = false;
        let (format, path) = (dialog.format, dialog.path.trim().to_string());
        if path.is_empty() {
            self.set_export_error("Type a file name".into());
            return;
        }
        let exported = crate::clock::format_millis(self.now_ms);
        let text = export::prepare(
            &self.doc,
            self.source_path.as_deref(),
            &self.annotations,
            &self.panel.extracted,
            &exported,
            &self.zone,
            format,
            export::Options::default(),
        );
        self.effects.push(super::Effect::WriteExport {
            path,
            bytes: text.into_bytes(),
            overwrite,
        });
    }

    /// The answer to [`super::Effect::WriteExport`].
    pub(super) fn written(&mut self, result: Result<String, super::WriteError>) {
        let Mode::Export(dialog) = &mut self.mode else {
            return;
        };
        let format = dialog.format;
        match result {
            Ok(shown) => {
                self.mode = Mode::Normal;
                let n = self.annotations.list.len();
                self.message = Some(format!(
                    "Exported {n} highlight{} as {} to {shown}",
                    if n == 1 { "" } else { "s" },
                    format.as_str(),
                ));
            }
            Err(super::WriteError::Exists) => dialog.confirm_overwrite = true,
            Err(super::WriteError::Failed(e)) => self.set_export_error(e),
        }
    }

    /// The time zone for times a person reads in exports (the loop sets the system's).
    pub fn set_time_zone(&mut self, zone: jiff::tz::TimeZone) {
        self.zone = zone;
    }

    /// The data dir, which an export must not be written into.
    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    /// Where the article came from, which an export must not overwrite.
    pub fn source_path(&self) -> Option<&str> {
        self.source_path.as_deref()
    }

    fn set_export_error(&mut self, error: String) {
        if let Mode::Export(d) = &mut self.mode {
            d.error = Some(error);
        }
    }
}
