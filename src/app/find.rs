//! `/` and `?`: the incremental search, its hits and `n`/`N` over them.

use std::ops::Range;

use super::{App, LineInput, Mode, Prompt, Walk, list_nav};
use crate::search;

/// The last search: its pattern and every hit in the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    pub pattern: String,
    pub hits: Vec<Range<usize>>,
    /// Hits are drawn highlighted (Esc hides them until the next search or `n`).
    pub visible: bool,
}

/// Search helpers that need the folded text.
impl App {
    pub(super) fn find(&mut self, pattern: &str) -> Vec<Range<usize>> {
        if search::ignores_case(pattern) && self.folded.is_none() {
            self.folded = Some(self.doc.text().to_ascii_lowercase());
        }
        search::find_all(self.doc.text(), self.folded.as_deref(), pattern)
    }

    pub(super) fn start_search(&mut self) {
        self.mode = Mode::Search(Prompt {
            input: LineInput::default(),
            origin_cursor: self.cursor,
            origin_top: self.top,
            saved: self.search.clone(),
        });
    }

    /// Runs the search as typed: highlight every hit, put the cursor on the first one from
    /// where the search started.
    pub(super) fn search_incremental(&mut self) {
        let Mode::Search(prompt) = &self.mode else {
            return;
        };
        let (pattern, origin_cursor, origin_top) = (
            prompt.input.to_string(),
            prompt.origin_cursor,
            prompt.origin_top,
        );
        let previous = &self.search;
        let narrows = !previous.pattern.is_empty()
            && pattern.starts_with(previous.pattern.as_str())
            && search::ignores_case(&pattern) == search::ignores_case(&previous.pattern)
            && !search::self_overlaps(&previous.pattern);
        let hits = if narrows {
            // Typing extends the pattern: only the previous hits can still match.
            let text = self.doc.text();
            let ignore = search::ignores_case(&pattern);
            let pattern_bytes = pattern.as_bytes();
            previous
                .hits
                .iter()
                .filter(|h| {
                    text.as_bytes()
                        .get(h.start..h.start + pattern_bytes.len())
                        .is_some_and(|b| {
                            if ignore {
                                b.eq_ignore_ascii_case(pattern_bytes)
                            } else {
                                b == pattern_bytes
                            }
                        })
                })
                .map(|h| h.start..h.start + pattern_bytes.len())
                .collect()
        } else {
            self.find(&pattern)
        };
        self.top = origin_top;
        self.cursor = origin_cursor;
        if let Some(i) = search::hit_from(&hits, origin_cursor) {
            self.set_cursor(hits[i].start);
        }
        self.search = Search {
            pattern,
            hits,
            visible: true,
        };
        self.walk = Walk::Search;
    }

    pub(super) fn accept_search(&mut self) {
        let Mode::Search(prompt) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        if prompt.input.is_empty() {
            // A bare Enter repeats the previous search, as in vim and less.
            self.search = prompt.saved;
            if self.search.pattern.is_empty() {
                return;
            }
            self.search.visible = true;
            return self.jump_hit(true, 1);
        }
        if self.search.hits.is_empty() {
            self.message = Some(format!("Pattern not found: {}", self.search.pattern));
        } else {
            self.remember_jump_from(prompt.origin_cursor);
            self.message = Some(self.hit_summary());
        }
    }

    pub(super) fn cancel_search(&mut self) {
        if let Mode::Search(prompt) = std::mem::replace(&mut self.mode, Mode::Normal) {
            self.cursor = prompt.origin_cursor;
            self.top = prompt.origin_top;
            self.search = prompt.saved;
        }
    }

    pub(super) fn jump_hit(&mut self, forward: bool, n: usize) {
        if self.search.pattern.is_empty() {
            self.message = Some("No previous search: press / to search".into());
            return;
        }
        self.search.visible = true;
        if !self.search.hits.is_empty() {
            self.remember_jump();
        }
        let Some((to, wrapped)) = list_nav::walk(&self.search.hits, self.cursor, forward, n) else {
            self.message = Some(format!("Pattern not found: {}", self.search.pattern));
            return;
        };
        self.set_cursor(to);
        let summary = self.hit_summary();
        self.message = Some(match (wrapped, forward) {
            (true, true) => format!("{summary}  search hit BOTTOM, continuing at TOP"),
            (true, false) => format!("{summary}  search hit TOP, continuing at BOTTOM"),
            _ => summary,
        });
    }

    /// `/广告 [3/17]`
    pub fn hit_summary(&self) -> String {
        let hits = &self.search.hits;
        let i = hits.partition_point(|h| h.start < self.cursor);
        if hits.is_empty() {
            format!("/{}  no match", self.search.pattern)
        } else {
            format!(
                "/{}  [{}/{}]",
                self.search.pattern,
                (i + 1).min(hits.len()),
                hits.len()
            )
        }
    }

    /// The index of the hit under the cursor, if any: drawn as the current hit.
    pub fn current_hit(&self) -> Option<usize> {
        let hits = &self.search.hits;
        let i = hits.partition_point(|h| h.end <= self.cursor);
        (i < hits.len() && hits[i].start <= self.cursor).then_some(i)
    }
}
