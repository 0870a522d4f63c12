//! Selecting, highlighting, tagging and noting: the annotation half of the reader. Changes bump
//! a generation counter; the terminal layer saves when it moves (debounced) and on exit.

use super::editor::Editor;
use super::line_input::LineInput;
use super::{Action, App, Mode};
use crate::annotations::{
    Annotation, AnnotationSet, Change, Colour, DocumentNote, is_tag_separator, parse_tags,
};
use crate::layout::width::graphemes;

/// The tag prompt: what is typed, and which completion is picked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagPrompt {
    pub id: String,
    /// The selection that opened the prompt made the highlight: Esc takes it back.
    pub made_here: bool,
    /// The highlight as it was when the prompt opened: if another instance deletes it
    /// meanwhile, saving brings it back rather than losing the tags.
    pub highlight: Annotation,
    pub input: LineInput,
    pub selected: usize,
}

/// What the note editor writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteTarget {
    /// The note of a highlight, as it was when the editor opened (see
    /// [`TagPrompt::highlight`]).
    Highlight(Annotation),
    /// A note on the whole document, as it was when the editor opened; a new one is empty and
    /// not in the list until saved.
    Document(DocumentNote),
}

/// The note editor popup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteEdit {
    /// The highlight's or the document note's id.
    pub id: String,
    /// The selection that opened the editor made the highlight: cancelling takes it back.
    pub made_here: bool,
    pub target: NoteTarget,
    pub editor: Editor,
    pub original: String,
    /// Esc with unsaved edits asks first.
    pub confirm_discard: bool,
}

impl NoteEdit {
    pub fn is_dirty(&self) -> bool {
        self.editor.text() != self.original
    }

    /// The editor writes a note on the whole document, not on a highlight.
    pub fn is_document(&self) -> bool {
        matches!(self.target, NoteTarget::Document(_))
    }
}

impl TagPrompt {
    /// The tag being typed (after the last separator).
    pub fn current(&self) -> &str {
        let before = &self.input[..self.input.cursor()];
        let at = before.rfind(is_tag_separator).map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
        &before[at..]
    }

    /// Known tags that complete the current one and are not typed yet.
    pub fn completions<'a>(&self, known: &'a [String]) -> Vec<&'a str> {
        let current = self.current().to_lowercase();
        let typed = parse_tags(&self.input);
        let mut starts = Vec::new();
        let mut contains = Vec::new();
        for tag in known {
            if typed.iter().any(|t| t == tag) && tag.to_lowercase() != current {
                continue;
            }
            let lower = tag.to_lowercase();
            if lower.starts_with(&current) {
                starts.push(tag.as_str());
            } else if !current.is_empty() && lower.contains(&current) {
                contains.push(tag.as_str());
            }
        }
        starts.extend(contains);
        starts
    }
}

impl App {
    pub fn annotations(&self) -> &AnnotationSet {
        &self.annotations
    }

    /// Loads saved annotations (after the store re-anchored them).
    pub fn set_annotations(&mut self, annotations: AnnotationSet) {
        let generation = self.annotations.generation;
        self.annotations = annotations;
        self.annotations.generation = generation;
        self.annotations.sort();
    }

    /// What is saved on the way out: the annotations, plus the text of a note being edited,
    /// so closing the window (SIGHUP) or quitting mid-note does not lose it.
    pub fn snapshot_at_exit(&self) -> crate::annotations::Snapshot {
        let mut snapshot = self.annotations.snapshot();
        let Mode::Note(edit) = &self.mode else {
            return snapshot;
        };
        if !edit.is_dirty() {
            return snapshot;
        }
        let text = edit.editor.text().trim_end().to_string();
        match &edit.target {
            NoteTarget::Highlight(_) => {
                let Some(a) = snapshot.list.iter_mut().find(|a| a.id == edit.id) else {
                    return snapshot;
                };
                a.note = text;
                a.touch_at(self.now_ms);
            }
            NoteTarget::Document(before) => {
                match snapshot.document_notes.iter_mut().find(|n| n.id == edit.id) {
                    Some(n) => {
                        n.text = text;
                        n.modified = crate::clock::after_at(&n.modified, self.now_ms);
                    }
                    None if !text.is_empty() => {
                        let mut n = before.clone();
                        n.modified = crate::clock::after_at(&n.created, self.now_ms);
                        n.text = text;
                        snapshot.document_notes.push(n);
                    }
                    None => return snapshot,
                }
            }
        }
        snapshot.generation = snapshot.generation.wrapping_add(1);
        snapshot
    }

    /// The selection as a byte range (the character under the cursor included), in visual mode.
    pub fn selection(&self) -> Option<std::ops::Range<usize>> {
        let Mode::Visual { anchor } = self.mode else {
            return None;
        };
        let (lo, hi) = (anchor.min(self.cursor), anchor.max(self.cursor));
        let text = self.doc.text();
        let hi_end = graphemes(&text[hi..], self.ambiguous())
            .next()
            .map_or(text.len(), |(_, g, _)| hi + g.len());
        Some(lo..hi_end)
    }

    /// The innermost highlight under the cursor (the newest when two are equally small).
    pub fn annotation_at_cursor(&self) -> Option<&Annotation> {
        let at = self.cursor;
        self.annotations
            .overlapping(at, at + 1)
            .filter(|a| a.start <= at)
            .min_by(|a, b| {
                (a.end - a.start)
                    .cmp(&(b.end - b.start))
                    .then_with(|| b.created.cmp(&a.created))
            })
    }

    pub(super) fn start_selection(&mut self) {
        self.mode = Mode::Visual {
            anchor: self.cursor,
        };
        // The status line shows the selection for as long as it lasts.
        self.message = None;
    }

    pub(super) fn select_sentence(&mut self) {
        let Some(sentence) = self.sentence_at_cursor() else {
            self.message = Some("No sentence here".into());
            return;
        };
        let last = crate::units::last_grapheme(self.doc.text(), sentence.clone());
        self.mode = Mode::Visual {
            anchor: sentence.start,
        };
        self.set_cursor(last);
        self.message = None;
    }

    /// Actions while selecting: the highlight actions, else the reader's motions.
    pub(super) fn visual_action(&mut self, action: Action, count: Option<usize>) {
        let colour = match action {
            Action::HighlightYellow => Some(Colour::Yellow),
            Action::HighlightGreen => Some(Colour::Green),
            Action::HighlightBlue => Some(Colour::Blue),
            Action::HighlightPink => Some(Colour::Pink),
            Action::HighlightPurple => Some(Colour::Purple),
            _ => None,
        };
        if colour.is_some() {
            self.highlight(colour);
            return;
        }
        match action {
            Action::Highlight => {
                self.highlight(None);
            }
            Action::EditTags => {
                if let Some((id, made)) = self.highlight(None) {
                    self.open_tags(id, made);
                }
            }
            Action::EditNote => {
                if let Some((id, made)) = self.highlight(None) {
                    self.open_note(id, made);
                }
            }
            Action::AddEntity => self.start_add_entity(),
            Action::SwapEnds => {
                if let Mode::Visual { anchor } = &mut self.mode {
                    let other = *anchor;
                    *anchor = self.cursor;
                    self.set_cursor(other);
                }
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.message = None;
            }
            motion if motion.is_motion() => {
                self.message = None;
                if !(count.is_none() && self.unit_motion(motion)) {
                    self.apply(motion, count);
                }
            }
            _ => {}
        }
    }

    /// `)` `(` `}` `{` while selecting, so that the selection holds whole sentences or
    /// paragraphs: where the cursor ends the selection (at or after the anchor) it goes to the
    /// last character of a sentence or paragraph (its closing quotes included), where it
    /// starts the selection to the first. Of the two places in the motion's direction, the
    /// nearer one that suits the side of the anchor it lands on. Returns false for other
    /// motions.
    fn unit_motion(&mut self, action: Action) -> bool {
        let Mode::Visual { anchor } = self.mode else {
            return false;
        };
        let (forward, sentence) = match action {
            Action::SentenceForward => (true, true),
            Action::SentenceBackward => (false, true),
            Action::NextParagraph => (true, false),
            Action::PrevParagraph => (false, false),
            _ => return false,
        };
        let target = |end: bool| {
            if sentence {
                self.sentence_target(forward, end)
            } else {
                self.paragraph_target(forward, end)
            }
        };
        let (start, end) = (target(false), target(true));
        let here = self.cursor;
        let nearest = |candidates: [Option<usize>; 2]| {
            candidates
                .into_iter()
                .flatten()
                .min_by_key(|t| t.abs_diff(here))
        };
        let suits = [start.filter(|&s| s <= anchor), end.filter(|&e| e >= anchor)];
        let to = nearest(suits).or_else(|| nearest([start, end]));
        if let Some(to) = to {
            self.set_cursor(to);
        }
        true
    }

    /// Makes the selection a highlight, in `colour` (the default when `None`). Spaces at its
    /// ends are left out. When a highlight already covers exactly that span, it is the one
    /// acted on: recoloured if a colour was asked for, never doubled. Returns the highlight's
    /// id and whether it was made now.
    fn highlight(&mut self, colour: Option<Colour>) -> Option<(String, bool)> {
        let range = self.selection()?;
        self.mode = Mode::Normal;
        let text = self.doc.text();
        let slice = &text[range.clone()];
        let start = range.start + (slice.len() - slice.trim_start().len());
        let end = range.end - (slice.len() - slice.trim_end().len());
        if start >= end {
            self.message = Some("Nothing to highlight: the selection is only spaces".into());
            return None;
        }
        if let Some(id) = self.same_span(start, end) {
            self.set_cursor(start);
            self.already_highlighted(&id, colour);
            return Some((id, false));
        }
        let chars = text[start..end].chars().count();
        let annotation =
            Annotation::new_at(text, start, end, colour.unwrap_or_default(), self.now_ms);
        let id = annotation.id.clone();
        self.annotations.apply(Change::Add(annotation), self.now_ms);
        self.set_cursor(start);
        self.message = Some(format!(
            "Highlighted {}: t tags, a note, c colour, x delete, u undo",
            crate::wording::counted(chars, "character")
        ));
        Some((id, true))
    }

    /// The highlight covering exactly `start..end` (the newest, should there be twins).
    fn same_span(&self, start: usize, end: usize) -> Option<String> {
        self.annotations
            .overlapping(start, end)
            .filter(|a| a.start == start && a.end == end)
            .max_by(|a, b| a.created.cmp(&b.created))
            .map(|a| a.id.clone())
    }

    /// A highlight key on a span that is highlighted already: recolour it, or say so.
    fn already_highlighted(&mut self, id: &str, colour: Option<Colour>) {
        let Some(old) = self.annotations.get(id).map(|a| a.colour) else {
            return;
        };
        self.message = Some(match colour {
            Some(new) if new != old => {
                self.edit(id, |a| a.colour = new);
                format!(
                    "Already highlighted: colour now {} ({}), u undoes",
                    new.as_str(),
                    new.digit()
                )
            }
            _ => format!(
                "Already highlighted in {}: t tags, a note, c colour, x delete",
                old.as_str()
            ),
        });
    }

    /// Takes back highlight `id` that a selection made for a prompt now cancelled, with its
    /// undo entry, as if it had never been made. It is remembered as deleted, in case a save
    /// made while the prompt was open has it.
    fn unmake(&mut self, id: &str) {
        self.annotations.unmake(id);
        self.message = Some("Cancelled: no highlight made".into());
    }

    /// Changes annotation `id` with `f`, remembering the old version for `u`.
    pub(super) fn edit(&mut self, id: &str, f: impl FnOnce(&mut Annotation)) {
        let Some(mut after) = self.annotations.get(id).cloned() else {
            return;
        };
        f(&mut after);
        self.annotations.apply(Change::Edit(after), self.now_ms);
    }

    /// Changes the highlight `backup` stands for; if it is gone (deleted by another instance
    /// while the prompt was open), adds it back under a new id with the change. Returns
    /// whether it had to be restored.
    fn edit_or_restore(&mut self, backup: Annotation, f: impl FnOnce(&mut Annotation)) -> bool {
        if self.annotations.index_of(&backup.id).is_some() {
            self.edit(&backup.id, f);
            return false;
        }
        let mut a = backup;
        a.id = crate::annotations::new_id_at(self.now_ms);
        f(&mut a);
        a.touch_at(self.now_ms);
        self.annotations.apply(Change::Add(a), self.now_ms);
        true
    }

    fn under_cursor_or_say(&mut self, what: &str) -> Option<String> {
        match self.annotation_at_cursor() {
            Some(a) => Some(a.id.clone()),
            None => {
                self.message = Some(format!(
                    "No highlight under the cursor to {what}: select with v or V first"
                ));
                None
            }
        }
    }

    pub(super) fn edit_tags_at_cursor(&mut self) {
        if let Some(id) = self.under_cursor_or_say("tag") {
            self.open_tags_for(id);
        }
    }

    pub(super) fn edit_note_at_cursor(&mut self) {
        if let Some(id) = self.under_cursor_or_say("annotate") {
            self.open_note_for(id);
        }
    }

    pub(super) fn cycle_colour_at_cursor(&mut self) {
        if let Some(id) = self.under_cursor_or_say("recolour") {
            self.cycle_colour(&id);
        }
    }

    /// `c`: the next colour for highlight `id`.
    pub(super) fn cycle_colour(&mut self, id: &str) {
        self.edit(id, |a| a.colour = a.colour.next());
        if let Some(a) = self.annotations.get(id) {
            self.message = Some(format!(
                "Colour: {} ({})",
                a.colour.as_str(),
                a.colour.digit()
            ));
        }
    }

    pub(super) fn delete_at_cursor(&mut self) {
        let Some(id) = self.under_cursor_or_say("delete") else {
            return;
        };
        self.delete(&id);
    }

    pub(super) fn delete(&mut self, id: &str) {
        if self
            .annotations
            .apply(Change::Delete(id.to_string()), self.now_ms)
            .is_some()
        {
            self.message = Some("Highlight deleted: u brings it back".into());
        }
    }

    pub(super) fn open_tags_for(&mut self, id: String) {
        self.open_tags(id, false);
    }

    /// The tag prompt for highlight `id`; `made_here` when the selection opening it made it.
    fn open_tags(&mut self, id: String, made_here: bool) {
        let Some(a) = self.annotations.get(&id) else {
            return;
        };
        let mut tags = a.tags.join(" ");
        if !tags.is_empty() {
            tags.push(' ');
        }
        let input = LineInput::new(&tags);
        let highlight = a.clone();
        self.mode = Mode::Tags(TagPrompt {
            id,
            made_here,
            highlight,
            input,
            selected: 0,
        });
    }

    pub(super) fn tags_action(&mut self, action: Action) {
        let Mode::Tags(prompt) = &mut self.mode else {
            return;
        };
        match action {
            Action::Cancel => self.cancel_prompt(),
            Action::Accept => {
                let Mode::Tags(prompt) = std::mem::replace(&mut self.mode, Mode::Normal) else {
                    return;
                };
                let tags = parse_tags(&prompt.input);
                self.annotations.remember_tags(&tags);
                let shown = tags
                    .iter()
                    .map(|t| format!("#{t}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let restored = self.edit_or_restore(prompt.highlight, |a| a.tags = tags);
                self.message = Some(match (shown.is_empty(), restored) {
                    (_, true) => format!(
                        "The highlight was deleted in another window; restored with tags {shown}"
                    ),
                    (true, false) => "No tags".into(),
                    (false, false) => format!("Tags: {shown}"),
                });
            }
            Action::Complete => {
                let options = prompt.completions(&self.annotations.known_tags);
                if let Some(pick) =
                    options.get(prompt.selected.min(options.len().saturating_sub(1)))
                {
                    let from = prompt.input.cursor() - prompt.current().len();
                    prompt
                        .input
                        .replace_before_cursor(from, &format!("{pick} "));
                    prompt.selected = 0;
                }
            }
            Action::NextOption | Action::PrevOption => {
                let n = prompt.completions(&self.annotations.known_tags).len();
                prompt.selected =
                    super::list_nav::cycle(prompt.selected, n, action == Action::NextOption);
            }
            _ => {}
        }
    }

    pub(super) fn open_note_for(&mut self, id: String) {
        self.open_note(id, false);
    }

    /// The note editor for highlight `id`; `made_here` when the selection opening it made it.
    fn open_note(&mut self, id: String, made_here: bool) {
        let Some(a) = self.annotations.get(&id) else {
            return;
        };
        let original = a.note.clone();
        let highlight = a.clone();
        self.mode = Mode::Note(NoteEdit {
            id,
            made_here,
            target: NoteTarget::Highlight(highlight),
            editor: Editor::new(&original),
            original,
            confirm_discard: false,
        });
    }

    /// Columns inside the note editor popup (the editor wraps there).
    pub fn note_width(&self) -> usize {
        usize::from(note_popup_width(self.size.0).saturating_sub(2))
    }

    /// Esc in the note editor: a changed note asks first.
    pub(super) fn leave_note(&mut self) {
        if let Mode::Note(edit) = &mut self.mode {
            if edit.is_dirty() {
                edit.confirm_discard = true;
            } else {
                self.cancel_prompt();
            }
        }
    }

    /// "Discard your changes?" answered yes.
    pub(super) fn discard_note(&mut self) {
        let Mode::Note(edit) = &self.mode else {
            return;
        };
        let made_here = edit.made_here;
        self.cancel_prompt();
        if !made_here {
            self.message = Some("Note not changed".into());
        }
    }

    /// Leaves the tag prompt or note editor without saving. A highlight the selection made
    /// for it goes too; one that was there before stays.
    fn cancel_prompt(&mut self) {
        let made = match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Tags(p) if p.made_here => Some(p.id),
            Mode::Note(e) if e.made_here => Some(e.id),
            _ => None,
        };
        if let Some(id) = made {
            self.unmake(&id);
        }
    }

    pub(super) fn paste_into_note(&mut self, text: &str) {
        if let Mode::Note(edit) = &mut self.mode {
            edit.editor.insert(text);
        }
    }

    pub(super) fn save_note(&mut self) {
        let Mode::Note(edit) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        let note = edit.editor.text().trim_end().to_string();
        let highlight = match edit.target {
            NoteTarget::Highlight(highlight) => highlight,
            NoteTarget::Document(before) => return self.save_document_note(before, note),
        };
        let restored = self.edit_or_restore(highlight, |a| a.note = note);
        self.message = Some(if restored {
            "The highlight was deleted in another window; restored with your note".into()
        } else {
            "Note saved".into()
        });
    }

    /// A line for the status bar about the highlight under the cursor: its tags and note.
    pub fn annotation_summary(&self) -> Option<String> {
        let a = self.annotation_at_cursor()?;
        let mut parts: Vec<String> = a.tags.iter().map(|t| format!("#{t}")).collect();
        if let Some(line) = a.note_line() {
            parts.push(line.to_string());
        }
        if parts.is_empty() {
            parts.push(format!(
                "{} highlight: t tags, a note, c colour, x delete",
                a.colour.as_str()
            ));
        }
        Some(parts.join("  "))
    }
}

/// Width of the note editor popup on a terminal `width` columns wide.
pub fn note_popup_width(width: u16) -> u16 {
    width.saturating_sub(4).clamp(10, 64).min(width)
}
