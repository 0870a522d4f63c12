//! Keys and pastes in: the context they go to (derived in one place), the line input or note
//! editor where one is open, then that context's keymap, then the action.

use super::line_input::{Edit, LineInput};
use super::list_nav::{self, Nav};
use super::panel::Tab;
use super::{Action, App, Context, Key, Mode};
use crate::keys::{Lookup, Unbound};

impl App {
    /// Where keys go now. The one place that decides it: keys, paste, help's hints and the
    /// status line all ask here.
    pub fn context(&self) -> Context {
        if self.unsaved_at_quit.is_some() {
            return Context::Unsaved;
        }
        match &self.mode {
            Mode::Normal if self.panel.focused && self.panel_visible() => match self.panel.tab {
                Tab::Notes if self.panel.notes.filtering => Context::Filter,
                Tab::Notes => Context::Notes,
                Tab::Entities if self.panel.filtering => Context::Filter,
                Tab::Entities if self.panel.prompt.is_some() => Context::EntityPrompt,
                Tab::Entities => Context::Entities,
            },
            Mode::Normal => Context::Reader,
            Mode::Search(_) => Context::Search,
            Mode::Help { .. } if self.help_search.typing => Context::HelpSearch,
            Mode::Help { .. } => Context::Help,
            Mode::Visual { .. } => Context::Visual,
            Mode::Tags(_) => Context::Tags,
            Mode::Note(edit) if edit.confirm_discard => Context::Discard,
            Mode::Note(_) => Context::Note,
            Mode::Export(dialog) if dialog.confirm_overwrite => Context::Overwrite,
            Mode::Export(_) => Context::Export,
            Mode::Outline(outline) if outline.filtering => Context::Filter,
            Mode::Outline(_) => Context::Outline,
        }
    }

    /// Key hints for the status line and dialogs, from the live bindings: `Enter saves ·
    /// Esc cancels`. An action with no key is left out.
    pub fn hints(&self, context: Context, actions: &[(Action, &str)]) -> String {
        actions
            .iter()
            .filter_map(|&(action, what)| {
                let key = self.keymap.first_key(context, action)?;
                Some(format!("{key} {what}"))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The line being typed in `context`, if it has one.
    fn line_input(&mut self, context: Context) -> Option<&mut LineInput> {
        match (context, &mut self.mode) {
            (Context::Search, Mode::Search(prompt)) => Some(&mut prompt.input),
            (Context::Tags, Mode::Tags(prompt)) => Some(&mut prompt.input),
            (Context::Export, Mode::Export(dialog)) => Some(&mut dialog.path),
            (Context::HelpSearch, _) => Some(&mut self.help_search.query),
            (Context::EntityPrompt, _) => self.panel.prompt.as_mut().map(|p| &mut p.input),
            (Context::Filter, Mode::Outline(outline)) => Some(&mut outline.filter),
            (Context::Filter, _) if self.panel.tab == Tab::Notes => {
                Some(&mut self.panel.notes.filter)
            }
            (Context::Filter, _) => Some(&mut self.panel.filter),
            _ => None,
        }
    }

    /// The line in `context` changed: what follows from it (the search runs again, a list
    /// filter starts from the top, the export path is the user's now).
    fn line_changed(&mut self, context: Context) {
        match (context, &mut self.mode) {
            (Context::Search, _) => self.search_incremental(),
            (Context::Tags, Mode::Tags(prompt)) => prompt.selected = 0,
            (Context::Export, Mode::Export(dialog)) => dialog.edited = true,
            (Context::Filter, Mode::Outline(_)) => self.outline_move(0),
            (Context::Filter, _) if self.panel.tab == Tab::Notes => self.panel.notes.selected = 0,
            (Context::Filter, _) => self.panel.selected = 0,
            _ => {}
        }
    }

    /// A key: an open line input or the note editor takes it if it edits; otherwise the
    /// context's keymap (keys in sequence wait for the next) and the action; otherwise the
    /// context says what unbound keys do.
    pub(super) fn key(&mut self, key: Key) {
        if let Some(waiting) = self.awaiting_mark.take() {
            // `m`, `'` or `` ` `` wait for a mark's letter (or `'` for the jump back).
            self.message = None;
            return self.pending_key(waiting, key);
        }
        let context = self.context();
        if self.pending.is_empty() {
            if context.has_line_input() {
                self.message = None;
                let edit = self
                    .line_input(context)
                    .map_or(Edit::NotMine, |input| input.key(key));
                match edit {
                    Edit::Changed => return self.line_changed(context),
                    Edit::Moved => return,
                    Edit::NotMine => {}
                }
            }
            if context.takes_counts() && self.count_digit(context, key) {
                return;
            }
        }
        self.pending.push(key);
        match self.keymap.lookup(context, &self.pending) {
            Lookup::Pending => self.message = None,
            Lookup::Action(action) => {
                self.pending.clear();
                let count = self.count.take();
                if context != Context::Visual {
                    self.message = None;
                }
                self.act(context, action, count);
            }
            Lookup::Unbound => {
                let keys = Key::show_sequence(&std::mem::take(&mut self.pending));
                self.count = None;
                if context == Context::Note && self.note_text_key(key) {
                    return;
                }
                self.unbound(context, &keys);
            }
        }
    }

    /// Digits before a motion make a count (digits bound on their own, like `0`, are keys).
    fn count_digit(&mut self, context: Context, key: Key) -> bool {
        let Some(d) = key.typed_char().and_then(|c| c.to_digit(10)) else {
            return false;
        };
        if (d == 0 && self.count.is_none()) || self.keymap.binds(context, key) && d != 0 {
            return false;
        }
        self.count = Some((self.count.unwrap_or(0) * 10 + d as usize).min(100_000));
        true
    }

    fn unbound(&mut self, context: Context, keys: &str) {
        match context.unbound() {
            Unbound::Say => {
                let here = match context {
                    Context::Reader => "",
                    Context::Visual => " while selecting",
                    Context::Entities => " in the entity panel",
                    Context::Notes => " in the notes list",
                    _ => " here",
                };
                let help = self
                    .keymap
                    .first_key(Context::Reader, Action::Help)
                    .map(|k| format!(": {k} for help"))
                    .unwrap_or_default();
                self.message = Some(format!("{keys} does nothing{here}{help}"));
            }
            Unbound::Close => self.close_help(),
            Unbound::Dismiss => match &mut self.mode {
                Mode::Note(edit) => edit.confirm_discard = false,
                Mode::Export(dialog) => dialog.confirm_overwrite = false,
                _ => {}
            },
            Unbound::Ignore => {}
        }
    }

    /// Pasted text goes where typed text would: the open line or the note being written.
    pub(super) fn paste(&mut self, text: &str) {
        let context = self.context();
        if let Some(input) = self.line_input(context) {
            if input.paste(text) == Edit::Changed {
                self.line_changed(context);
            }
            return;
        }
        match context {
            Context::Note => self.paste_into_note(text),
            Context::Reader | Context::Visual | Context::Entities | Context::Notes => {
                self.message = Some("Nothing to paste into: paste goes into prompts".into());
            }
            _ => {}
        }
    }

    /// Carries out `action` as `context` means it.
    pub(super) fn act(&mut self, context: Context, action: Action, count: Option<usize>) {
        match context {
            Context::Reader => self.apply(action, count),
            Context::Visual => self.visual_action(action, count),
            Context::Search => match action {
                Action::Accept => self.accept_search(),
                Action::Cancel => self.cancel_search(),
                _ => {}
            },
            Context::Help => self.help_action(action),
            Context::HelpSearch => self.help_search_action(action),
            Context::Tags => self.tags_action(action),
            Context::Note => match action {
                Action::Save => self.save_note(),
                Action::Cancel => self.leave_note(),
                _ => {}
            },
            Context::Discard => {
                if action == Action::Confirm {
                    self.discard_note();
                }
            }
            Context::Export => self.export_action(action),
            Context::Overwrite => {
                if action == Action::Confirm {
                    self.write_export(true);
                }
            }
            Context::Entities => self.entities_action(action),
            Context::EntityPrompt => self.entity_prompt_action(action),
            Context::Notes => self.notes_action(action),
            Context::Filter => self.filter_action(action),
            Context::Unsaved => self.unsaved_action(action),
            Context::Outline => self.outline_action(action),
        }
    }

    /// At the "Not saved" prompt: retry quits again (the event loop saves first), quit anyway
    /// quits without saving, Cancel goes back to reading.
    fn unsaved_action(&mut self, action: Action) {
        match action {
            Action::Retry => self.quit = true,
            Action::QuitAnyway => (self.quit, self.quit_unsaved) = (true, true),
            Action::Cancel => {}
            _ => return,
        }
        self.unsaved_at_quit = None;
    }

    /// Enter keeps a list filter, Esc (or Backspace on an empty one) clears it.
    fn filter_action(&mut self, action: Action) {
        if let Mode::Outline(outline) = &mut self.mode {
            match action {
                Action::Accept => outline.filtering = false,
                Action::Cancel => {
                    outline.filtering = false;
                    outline.filter.clear();
                }
                _ => {}
            }
            return self.outline_move(0);
        }
        let notes = self.panel.tab == Tab::Notes;
        let (filter, filtering, selected) = if notes {
            let n = &mut self.panel.notes;
            (&mut n.filter, &mut n.filtering, &mut n.selected)
        } else {
            let p = &mut self.panel;
            (&mut p.filter, &mut p.filtering, &mut p.selected)
        };
        match action {
            Action::Accept => *filtering = false,
            Action::Cancel => {
                *filtering = false;
                filter.clear();
                *selected = 0;
            }
            _ => {}
        }
    }

    /// Starts typing a filter over the panel's current list.
    pub(super) fn start_filter(&mut self) {
        if self.panel.tab == Tab::Notes {
            let n = &mut self.panel.notes;
            n.filtering = true;
            n.filter.clear();
            n.selected = 0;
        } else {
            self.panel.filtering = true;
            self.panel.filter.clear();
            self.panel.selected = 0;
        }
    }

    /// Moves a list selection for a list action (Down, PageUp, Top, …).
    pub(super) fn list_step(selected: &mut usize, len: usize, action: Action, page: usize) -> bool {
        match Nav::of(action, page) {
            Some(nav) => {
                *selected = list_nav::step(*selected, len, nav);
                true
            }
            None => false,
        }
    }

    /// The note editor's own text keys, where the keymap has nothing.
    fn note_text_key(&mut self, key: Key) -> bool {
        let width = self.note_width();
        let ambiguous = self.ambiguous();
        match &mut self.mode {
            Mode::Note(edit) => edit.editor.key(key, width, ambiguous),
            _ => false,
        }
    }
}
