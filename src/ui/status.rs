//! The status line: title or message on the left, position on the right; the search prompt
//! while searching. Drawn grapheme by grapheme so titles with “ ” line up in either width mode.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};

use super::put_str;
use super::theme::Theme;
use crate::app::{Action, App, Context, Mode, SaveState};
use crate::layout::{AmbiguousWidth, str_width, truncate};

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = usize::from(area.width);
    let ambiguous = app.ambiguous();
    let mut cursor = None;
    let (left, right, style) = match app.mode() {
        _ if app.unsaved_at_quit().is_some() => {
            let error = app.unsaved_at_quit().unwrap_or_default();
            let (left, right) = unsaved_prompt(app, error, width, ambiguous);
            (left, right, theme.prompt)
        }
        Mode::Search(prompt) => {
            let right = if prompt.input.is_empty() {
                String::new()
            } else if app.search().hits.is_empty() {
                "no match ".to_string()
            } else {
                format!(
                    "{} ",
                    crate::wording::counted(app.search().hits.len(), "hit")
                )
            };
            let room = width.saturating_sub(str_width(&right, ambiguous) + 2);
            let (shown, col) = prompt.input.view(room, ambiguous);
            cursor = Some(1 + col);
            (format!("/{shown}"), right, theme.prompt)
        }
        Mode::Tags(prompt) => {
            let right = app.hints(
                Context::Tags,
                &[
                    (Action::Complete, "completes"),
                    (Action::Accept, "saves"),
                    (Action::Cancel, "cancels"),
                ],
            ) + " ";
            let right = if str_width(&right, ambiguous) + 20 <= width {
                right
            } else {
                String::new()
            };
            let room = width.saturating_sub(str_width(&right, ambiguous) + 8);
            let (shown, col) = prompt.input.view(room, ambiguous);
            cursor = Some(6 + col);
            (format!("tags: {shown}"), right, theme.prompt)
        }
        _ => {
            let help_key = app
                .keymap()
                .first_key(Context::Reader, Action::Help)
                .map(|k| format!("  {k} help"))
                .unwrap_or_default();
            let doc = app.doc();
            let progress = match &app.panel().extraction {
                crate::app::Extraction::Running(f) => format!("entities {:.0}%  ", f * 100.0),
                _ => String::new(),
            };
            let place = format!(
                "段 {}/{}  {}%",
                doc.paragraph_number(app.cursor()),
                doc.paragraph_count(),
                app.percent()
            );
            let selecting = app.selection().map(|r| {
                let chars = app.doc().text()[r].chars().count();
                let keys = app.hints(
                    Context::Visual,
                    &[
                        (Action::Highlight, "highlight"),
                        (Action::EditTags, "tags"),
                        (Action::EditNote, "note"),
                        (Action::Cancel, "cancels"),
                    ],
                );
                format!("-- SELECT {chars} 字 --  {keys}")
            });
            // Named here too, for screens too small to show the popup.
            let popup = match app.context() {
                Context::Note => Some(format!(
                    "editing a note: {}",
                    app.hints(
                        Context::Note,
                        &[(Action::Save, "saves"), (Action::Cancel, "cancels")]
                    )
                )),
                Context::Discard => Some(format!(
                    "discard the changes? {}",
                    app.hints(Context::Discard, &[(Action::Confirm, "discards")])
                )),
                Context::Export => Some(format!(
                    "export: {}",
                    app.hints(
                        Context::Export,
                        &[
                            (Action::NextOption, "format"),
                            (Action::Accept, "writes"),
                            (Action::Cancel, "cancels"),
                        ],
                    )
                )),
                Context::Outline if app.message().is_none() => Some(format!(
                    "outline: {}",
                    app.hints(
                        Context::Outline,
                        &[
                            (Action::Accept, "goes there"),
                            (Action::Search, "filters"),
                            (Action::Cancel, "closes"),
                        ],
                    )
                )),
                _ => None,
            };
            // The full-width panel hides the text: say how to get back to it.
            let hint = full_panel_hint(app);
            let told = popup.is_none()
                && selecting.is_none()
                && (app.message().is_some() || hint.is_some());
            let message = popup
                .or(selecting)
                .or_else(|| app.message().map(str::to_string))
                .or(hint)
                // The target of the link under the cursor, as a browser's status bar shows it.
                .or_else(|| doc.link_at(app.cursor()).map(|url| format!("→ {url}")))
                .or_else(|| app.annotation_summary())
                .unwrap_or_else(|| doc.title().unwrap_or(app.name()).to_string());
            let need = if told {
                str_width(&message, ambiguous) + 2
            } else {
                8
            };
            // Where the keys go, while it is not the text.
            let focus = focus_name(app).map_or(String::new(), |n| format!("{n}  "));
            let panel_key = app
                .keymap()
                .first_key(Context::Reader, Action::TogglePanel)
                // Only where it leaves the title some room.
                .filter(|_| width >= 60 && app.panel().hint(app.size().0))
                .map(|k| format!("  {k} panel"))
                .unwrap_or_default();
            // What `n` walks (`/广告 3/17`), the highlights and whether they are on disk.
            // Not while a selection is shown, nor twice when the message on the left is the
            // same summary (just after `n`).
            let walk = match app.walk_summary() {
                Some(w) if app.selection().is_none() => {
                    let name = w.rsplit_once(' ').map_or(w.as_str(), |(name, _)| name);
                    let said = app.message().is_some_and(|m| m.starts_with(name));
                    if said {
                        String::new()
                    } else {
                        format!("{w}  ")
                    }
                }
                _ => String::new(),
            };
            let count = app.annotations().list.len() + app.annotations().document_notes.len();
            let marks = if count > 0 {
                format!("✎{count} ")
            } else {
                String::new()
            };
            let (saved, saved_short) = match app.save_state() {
                SaveState::Nothing => (String::new(), String::new()),
                SaveState::Saved => (format!("{marks}saved  "), format!("{marks} ")),
                SaveState::Saving => (format!("{marks}saving…  "), format!("{marks} ")),
                SaveState::Failed(why) => (
                    format!("{marks}not saved: {}  ", truncate(&why, 40, ambiguous)),
                    format!("{marks}not saved  "),
                ),
            };
            let percent = format!("{}%", app.percent());
            // The longest that leaves room for some title, or for all of a message (an error,
            // why a key did nothing): progress and the panel key go first, then help, what
            // `n` walks and the save state, then the place.
            let right = [
                format!("{focus}{walk}{saved}{progress}{place}{panel_key}{help_key} "),
                format!("{focus}{walk}{saved}{place}{help_key} "),
                format!("{focus}{walk}{saved}{place} "),
                format!("{focus}{walk}{saved_short}{place} "),
                format!("{focus}{saved_short}{place} "),
                format!("{focus}{saved_short}{percent} "),
                format!("{focus}{percent} "),
                format!("{percent} "),
            ]
            .into_iter()
            .find(|r| str_width(r, ambiguous) + need <= width)
            .unwrap_or_else(|| format!("{percent} "));
            let room = width.saturating_sub(str_width(&right, ambiguous) + 2);
            (
                format!(" {}", truncate(&message, room, ambiguous)),
                right,
                theme.status,
            )
        }
    };
    let buf = frame.buffer_mut();
    buf.set_style(area, style);
    for x in area.left()..area.right() {
        buf[(x, area.y)].set_symbol(" ");
    }
    let end = put_str(buf, (area.x, area.y), area.right(), &left, style, ambiguous);
    let right_width = str_width(&right, ambiguous);
    if usize::from(end - area.x) + right_width <= width {
        let x = area.right() - right_width as u16;
        put_str(buf, (x, area.y), area.right(), &right, style, ambiguous);
    }
    if let Some(col) = cursor {
        let x = area.x + (col.min(usize::from(area.width) - 1)) as u16;
        frame.set_cursor_position(Position::new(x, area.y));
    }
}

/// `entities` or `notes` while the panel has the keys (a selection says so on the left).
fn focus_name(app: &App) -> Option<&'static str> {
    match app.context() {
        Context::Visual => None,
        Context::Filter if matches!(app.mode(), Mode::Outline(_)) => Some("outline"),
        Context::Filter => Some(match app.panel().tab {
            crate::app::Tab::Entities => "entities",
            crate::app::Tab::Notes => "notes",
        }),
        context => context.label(),
    }
}

/// The keys back to the text while the panel is full width and not typing (where Esc
/// clears the filter or cancels the prompt instead).
fn full_panel_hint(app: &App) -> Option<String> {
    let panel = app.panel();
    let typing = panel.filtering || panel.prompt.is_some() || panel.notes.filtering;
    (app.panel_full() && matches!(app.mode(), Mode::Normal) && !typing).then(|| {
        let context = app.context();
        app.hints(
            context,
            &[(Action::Accept, "goes to it"), (Action::Cancel, "back")],
        )
    })
}

/// The question after a failed save at quit. The answers are kept whole on the right; the
/// error gives way first.
fn unsaved_prompt(
    app: &App,
    error: &str,
    width: usize,
    ambiguous: AmbiguousWidth,
) -> (String, String) {
    let (retry, quit, back) = (
        (Action::Retry, "retry"),
        (Action::QuitAnyway, "quit anyway"),
        (Action::Cancel, "back"),
    );
    let right = [
        app.hints(Context::Unsaved, &[retry, quit, back]) + " ",
        app.hints(Context::Unsaved, &[retry, quit]) + " ",
        app.hints(Context::Unsaved, &[retry, (Action::QuitAnyway, "quit")]) + " ",
    ]
    .into_iter()
    .find(|r| str_width(r, ambiguous) + 16 <= width)
    .unwrap_or_else(|| app.hints(Context::Unsaved, &[retry, quit]));
    let right = right.as_str();
    let room = width.saturating_sub(str_width(right, ambiguous) + 2);
    let left = format!(" Not saved: {error}.");
    (truncate(&left, room, ambiguous), right.to_string())
}
