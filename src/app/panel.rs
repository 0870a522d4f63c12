//! The entity side panel: what it lists, what is selected and active, and its filter.

use std::collections::HashSet;
use std::ops::Range;

use ratatui::layout::Rect;

use crate::entities::{Entity, EntityKind};
use crate::layout::str_width;

/// Where the entity list stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Extraction {
    /// Not started (no extractor attached, e.g. in tests of the reader alone).
    #[default]
    Idle,
    /// Running in the background; the fraction done.
    Running(f32),
    Done,
}

/// A row of the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelRow {
    Group {
        kind: EntityKind,
        count: usize,
        collapsed: bool,
    },
    Entity(usize),
    /// The entities the user rejected, last in the list, folded until opened.
    RejectedGroup {
        count: usize,
        collapsed: bool,
    },
    /// A rejected entity (`a` restores it).
    Rejected(usize),
}

/// What a panel prompt is asking for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// A new name for entity `.0`.
    Rename(usize),
    /// The entity to merge entity `.0` into.
    Merge(usize),
    /// The canonical name of a new entity for the text `start..end`.
    Add { start: usize, end: usize },
}

/// A one-line prompt at the top of the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelPrompt {
    pub kind: PromptKind,
    pub input: super::LineInput,
    /// The kind a new entity gets (Tab changes it).
    pub entity_kind: EntityKind,
}

impl PanelPrompt {
    pub fn label(&self) -> String {
        match self.kind {
            PromptKind::Rename(_) => "rename to: ".into(),
            PromptKind::Merge(_) => "merge into: ".into(),
            PromptKind::Add { .. } => format!("+{} (Tab): ", self.entity_kind.as_str()),
        }
    }
}

/// The named kinds, in the order `K` and Tab cycle through them.
pub fn next_named_kind(kind: EntityKind) -> EntityKind {
    let named: Vec<EntityKind> = EntityKind::ALL
        .into_iter()
        .filter(|k| k.is_named())
        .collect();
    let i = named
        .iter()
        .position(|k| *k == kind)
        .map_or(0, |i| (i + 1) % named.len());
    named[i]
}

/// The side panel's tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Entities,
    Notes,
}

/// Panel state.
#[derive(Clone, Debug, Default)]
pub struct Panel {
    /// The extraction with the corrections replayed over it.
    pub entities: Vec<Entity>,
    /// The extraction as it came, for replaying the corrections again after an undo.
    pub extracted: Vec<Entity>,
    pub extraction: Extraction,
    /// Narrowest window in which the panel is shown before the user chooses: where the text
    /// beside it keeps its full reading width (see [`Panel::open_width`]).
    pub open_from: u16,
    /// The user's choice (`p`); `None` until they make one, which means shown from
    /// `open_from` columns. Under
    /// [`AUTO_HIDE_BELOW`] columns the panel is never beside the text: it is hidden whatever
    /// the choice, and comes back when the window widens.
    pub shown: Option<bool>,
    /// Opened by hand under [`AUTO_HIDE_BELOW`] columns: the panel takes the whole width in
    /// place of the text (which is not drawn), focused, until the user goes back to the text.
    /// Becomes the side panel when the window widens, unless `wide`.
    pub full: bool,
    /// Opened full width with `O` (the Notes tab to read): full width at any size, also
    /// where the side panel would fit, until the user goes back to the text.
    pub wide: bool,
    pub focused: bool,
    pub selected: usize,
    /// Index into `entities` of the entity whose mentions are lit up.
    pub active: Option<usize>,
    pub filter: super::LineInput,
    pub filtering: bool,
    pub collapsed: HashSet<EntityKind>,
    /// Names the user rejected with `x`: hidden and no longer matched.
    pub rejected: HashSet<String>,
    /// The "rejected" group is unfolded.
    pub rejected_open: bool,
    pub prompt: Option<PanelPrompt>,
    pub tab: Tab,
    pub notes: super::notes::NotesList,
    /// The width the user dragged the border to (for this session only): used beside the
    /// text in place of the default, kept within [`MIN_WIDTH`] and the text's
    /// [`MIN_TEXT_WIDTH`].
    pub user_width: Option<u16>,
    /// The first row of the entity list drawn, as last drawn: the list scrolls only as far
    /// as the selection needs, so a click does not move the row clicked.
    pub list_top: usize,
}

/// Below this many columns the panel is never beside the text, which would be too narrow to
/// read: it hides itself, and opened by hand it takes the whole width instead.
pub const AUTO_HIDE_BELOW: u16 = 70;

/// The narrowest the user can drag the panel.
pub const MIN_WIDTH: u16 = 20;

/// What dragging the panel wider leaves to the text, at least.
pub const MIN_TEXT_WIDTH: u16 = 20;

impl Panel {
    pub fn new() -> Self {
        Self {
            collapsed: [EntityKind::Money, EntityKind::Date, EntityKind::Number]
                .into_iter()
                .collect(),
            ..Self::default()
        }
    }

    /// Whether a window `width` columns wide has room for the panel beside the text.
    pub fn fits(width: u16) -> bool {
        width >= AUTO_HIDE_BELOW
    }

    /// Whether the panel is beside the text.
    pub fn is_beside(&self, width: u16) -> bool {
        Self::fits(width) && self.shown.unwrap_or(width >= self.open_from)
    }

    /// The narrowest window in which the text beside the panel is still `max_width` columns
    /// wide, so opening the panel by default never narrows the article.
    pub fn open_width(max_width: u16) -> u16 {
        (AUTO_HIDE_BELOW..=1000)
            .find(|&w| {
                super::geometry(w, 24, max_width, Self::beside(w))
                    .text
                    .width
                    >= max_width
            })
            .unwrap_or(1000)
    }

    /// The width beside the text, from the terminal's `width`, as [`Panel::width_beside`]
    /// gives it when the panel is shown.
    fn beside(width: u16) -> u16 {
        (width / 3).clamp(20, 34).min(width.saturating_sub(10))
    }

    /// Whether to remind the user that there is a panel: it is hidden although they never
    /// hid it (the window is too narrow for it to open by itself).
    pub fn hint(&self, width: u16) -> bool {
        self.shown.is_none() && !self.is_visible(width)
    }

    /// Whether the panel takes the whole width in place of the text.
    pub fn is_full(&self, width: u16) -> bool {
        self.full && (self.wide || !Self::fits(width))
    }

    /// Whether the panel is on screen, beside the text or in its place.
    pub fn is_visible(&self, width: u16) -> bool {
        self.is_beside(width) || self.is_full(width)
    }

    /// Width of the panel for a terminal `width` columns wide: all of it when the panel is
    /// full width.
    pub fn width(&self, width: u16) -> u16 {
        if self.is_full(width) {
            return width;
        }
        self.width_beside(width)
    }

    /// Width the panel takes from the text: the text is laid out for this, also while the
    /// full-width panel hides it, so it is ready when the panel closes.
    pub fn width_beside(&self, width: u16) -> u16 {
        if !self.is_beside(width) {
            return 0;
        }
        match self.user_width {
            Some(w) => Self::clamp_width(w, width),
            None => Self::beside(width),
        }
    }

    /// A width the user asks for, within what a window `width` columns wide allows.
    pub fn clamp_width(asked: u16, width: u16) -> u16 {
        asked
            .min(width.saturating_sub(MIN_TEXT_WIDTH))
            .max(MIN_WIDTH)
            .min(width)
    }

    fn matches_filter(&self, e: &Entity) -> bool {
        self.filter.is_empty()
            || e.name.to_lowercase().contains(&self.filter.to_lowercase())
            || e.kind.as_str().contains(self.filter.as_str())
    }

    /// The rows shown, in order: a header per kind, then its entities unless collapsed.
    pub fn rows(&self) -> Vec<PanelRow> {
        let mut rows = Vec::new();
        for kind in EntityKind::ALL {
            let members: Vec<usize> = self
                .entities
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.kind == kind && !self.rejected.contains(&e.name) && self.matches_filter(e)
                })
                .map(|(i, _)| i)
                .collect();
            if members.is_empty() {
                continue;
            }
            let collapsed = self.collapsed.contains(&kind) && self.filter.is_empty();
            rows.push(PanelRow::Group {
                kind,
                count: members.len(),
                collapsed,
            });
            if !collapsed {
                rows.extend(members.into_iter().map(PanelRow::Entity));
            }
        }
        let rejected: Vec<usize> = self
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| self.rejected.contains(&e.name) && self.matches_filter(e))
            .map(|(i, _)| i)
            .collect();
        if !rejected.is_empty() {
            let collapsed = !self.rejected_open && self.filter.is_empty();
            rows.push(PanelRow::RejectedGroup {
                count: rejected.len(),
                collapsed,
            });
            if !collapsed {
                rows.extend(rejected.into_iter().map(PanelRow::Rejected));
            }
        }
        rows
    }

    pub fn selected_row(&self) -> Option<PanelRow> {
        self.rows().get(self.selected).copied()
    }

    /// The first row of the entity list drawn in a list `height` rows tall: where it was,
    /// scrolled just enough to show the selected row, and no further than the list's end.
    pub fn list_offset(&self, height: usize) -> usize {
        let height = height.max(1);
        let n = self.rows().len();
        let top = self
            .list_top
            .min(self.selected)
            .max((self.selected + 1).saturating_sub(height));
        top.min(n.saturating_sub(height))
    }

    /// The row of [`Panel::rows`] drawn `y` rows down a list `height` rows tall, if any.
    pub fn row_at(&self, height: usize, y: usize) -> Option<usize> {
        let row = self.list_offset(height) + y;
        (y < height && row < self.rows().len()).then_some(row)
    }

    pub fn move_selection(&mut self, delta: isize) {
        let n = self.rows().len();
        if n == 0 {
            self.selected = 0;
            return;
        }
        self.selected = (self.selected as isize + delta).clamp(0, n as isize - 1) as usize;
    }

    pub fn toggle_group(&mut self, kind: EntityKind) {
        if !self.collapsed.remove(&kind) {
            self.collapsed.insert(kind);
        }
    }
}

/// Where the parts of the panel are in its area, for drawing and for mouse clicks alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PanelAreas {
    /// The border column that sets the panel off from the text (none at full width).
    pub border: Option<u16>,
    /// The title row: the tabs, or the filter or prompt being typed.
    pub title: Rect,
    /// The list under the title.
    pub list: Rect,
}

impl PanelAreas {
    /// The parts of a panel drawn in `area`; `full`: in place of the text.
    pub fn new(area: Rect, full: bool) -> Self {
        let indent = if full { 1 } else { 2 }.min(area.width);
        let inner = Rect::new(area.x + indent, area.y, area.width - indent, area.height);
        Self {
            border: (!full && area.width > 0).then_some(area.x),
            title: Rect::new(inner.x, inner.y, inner.width, inner.height.min(1)),
            list: Rect::new(
                inner.x,
                inner.y + inner.height.min(1),
                inner.width,
                inner.height.saturating_sub(1),
            ),
        }
    }
}

/// The panel's title row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelTitle {
    pub text: String,
    /// Where each tab's name is in `text`, in columns, when the tabs are shown (not while a
    /// filter or prompt is).
    pub tabs: Vec<(Tab, Range<usize>)>,
}

impl PanelTitle {
    /// The tab whose name is at column `col` of the title.
    pub fn tab_at(&self, col: usize) -> Option<Tab> {
        self.tabs
            .iter()
            .find(|(_, r)| r.contains(&col))
            .map(|(tab, _)| *tab)
    }
}

impl super::App {
    /// The title row as drawn: the two tabs with the current one in brackets, or the filter
    /// or prompt being typed. Focus also shows as text (`> `), for NO_COLOR terminals and
    /// screen readers.
    pub fn panel_title(&self) -> PanelTitle {
        let panel = &self.panel;
        let focus = if panel.focused { "> " } else { "" };
        let text = |text: String| PanelTitle {
            text,
            tabs: Vec::new(),
        };
        let typed = match panel.tab {
            Tab::Notes if panel.notes.filtering || !panel.notes.filter.is_empty() => {
                Some(format!("{focus}/{}", panel.notes.filter))
            }
            Tab::Notes => None,
            Tab::Entities => match &panel.prompt {
                Some(prompt) => Some(format!("{}{}", prompt.label(), prompt.input)),
                None if panel.filtering || !panel.filter.is_empty() => {
                    Some(format!("{focus}/{}", panel.filter))
                }
                None => None,
            },
        };
        if let Some(typed) = typed {
            return text(typed);
        }
        let count = self.annotations.list.len() + self.annotations.document_notes.len();
        let (entities, notes) = match panel.tab {
            Tab::Entities => ("[实体 Entities]".to_string(), format!("批注 {count}")),
            Tab::Notes => ("实体".to_string(), format!("[批注 Notes {count}]")),
        };
        let amb = self.ambiguous();
        let start = str_width(focus, amb);
        let mid = start + str_width(&entities, amb);
        let end = mid + 1 + str_width(&notes, amb);
        PanelTitle {
            text: format!("{focus}{entities} {notes}"),
            tabs: vec![(Tab::Entities, start..mid), (Tab::Notes, mid + 1..end)],
        }
    }
}
