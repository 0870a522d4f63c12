//! `w` `b` `e` by word and `(` `)` by sentence, across blocks, and the sentence `V` selects.

use std::ops::Range;

use super::App;
use crate::units;

/// Words are found in a window this many bytes either side of the cursor, so a huge
/// single-paragraph file costs no more than a normal one.
const WINDOW: usize = 3000;

impl App {
    /// The words of block `b` near `around` (document offsets).
    pub(super) fn block_words(&self, b: usize, around: usize) -> Vec<Range<usize>> {
        let block = self.doc.blocks()[b];
        let text = self.doc.text();
        let mut from = around.saturating_sub(WINDOW).max(block.start);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (around + WINDOW).min(block.end);
        while !text.is_char_boundary(to) {
            to += 1;
        }
        let slice = &text[from..to];
        let cuts = self
            .segmenter
            .as_ref()
            .map(|s| s.boundaries(slice))
            .unwrap_or_default();
        // Entity names are words even where the segmenter would cut them.
        let mut whole: Vec<Range<usize>> = Vec::new();
        for e in &self.panel.entities {
            let i = e.mentions.partition_point(|m| m.end <= from);
            for m in e.mentions[i..].iter().take_while(|m| m.start < to) {
                if m.start >= from && m.end <= to {
                    whole.push(m.start - from..m.end - from);
                }
            }
        }
        units::words(slice, &cuts, &whole)
            .into_iter()
            .map(|r| r.start + from..r.end + from)
            .collect()
    }

    fn text_blocks(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.doc.blocks().len()).filter(|&b| {
            let block = self.doc.blocks()[b];
            block.start < block.end
        })
    }

    /// Start of the next word (`w`), crossing into later blocks.
    pub(super) fn word_forward(&mut self) {
        if self.doc.blocks().is_empty() {
            return;
        }
        let here = self.cursor;
        let b = self.doc.block_at(here);
        let next = self
            .block_words(b, here)
            .into_iter()
            .find(|w| w.start > here)
            .map(|w| w.start)
            .or_else(|| {
                self.text_blocks()
                    .find(|&n| n > b)
                    .and_then(|n| {
                        self.block_words(n, self.doc.blocks()[n].start)
                            .first()
                            .cloned()
                    })
                    .map(|w| w.start)
            });
        if let Some(at) = next {
            self.set_cursor(at);
        }
    }

    /// Start of this word, or of the previous one when already there (`b`).
    pub(super) fn word_backward(&mut self) {
        if self.doc.blocks().is_empty() {
            return;
        }
        let here = self.cursor;
        let b = self.doc.block_at(here);
        let prev = self
            .block_words(b, here)
            .into_iter()
            .rev()
            .find(|w| w.start < here)
            .map(|w| w.start)
            .or_else(|| {
                let p = self.text_blocks().filter(|&p| p < b).last()?;
                let end = self.doc.blocks()[p].end;
                self.block_words(p, end).last().map(|w| w.start)
            });
        if let Some(at) = prev {
            self.set_cursor(at);
        }
    }

    /// Last character of this word, or of the next one when already there (`e`).
    pub(super) fn word_end(&mut self) {
        if self.doc.blocks().is_empty() {
            return;
        }
        let here = self.cursor;
        let b = self.doc.block_at(here);
        let last_char = |w: &Range<usize>, text: &str| units::last_grapheme(text, w.clone());
        let text = self.doc.text();
        let found = self
            .block_words(b, here)
            .iter()
            .map(|w| last_char(w, text))
            .find(|&end| end > here)
            .or_else(|| {
                let n = self.text_blocks().find(|&n| n > b)?;
                let first = self.block_words(n, self.doc.blocks()[n].start);
                first.first().map(|w| last_char(w, text))
            });
        if let Some(at) = found {
            self.set_cursor(at);
        }
    }

    /// The sentences of block `b`, in document offsets.
    fn block_sentences(&self, b: usize) -> Vec<Range<usize>> {
        let block = self.doc.blocks()[b];
        units::sentences(&self.doc.text()[block.start..block.end])
            .into_iter()
            .map(|r| r.start + block.start..r.end + block.start)
            .collect()
    }

    /// The sentence holding the cursor (or the nearest one in its block).
    pub(super) fn sentence_at_cursor(&self) -> Option<Range<usize>> {
        if self.doc.blocks().is_empty() {
            return None;
        }
        let sentences = self.block_sentences(self.doc.block_at(self.cursor));
        let i = sentences.partition_point(|s| s.end <= self.cursor);
        sentences.get(i).or_else(|| sentences.last()).cloned()
    }

    /// `)`: start of the next sentence; `(`: start of this one, or the previous.
    pub(super) fn sentence_move(&mut self, forward: bool) {
        if let Some(at) = self.sentence_target(forward, false) {
            self.set_cursor(at);
        }
    }

    /// Where `)` or `(` takes the cursor: the start of a sentence, or with `end` its last
    /// character with the closing quotes (the end of a selection, so that it holds whole
    /// sentences).
    pub(super) fn sentence_target(&self, forward: bool, end: bool) -> Option<usize> {
        if self.doc.blocks().is_empty() {
            return None;
        }
        let here = self.cursor;
        let b = self.doc.block_at(here);
        let text = self.doc.text();
        let point = |s: Range<usize>| {
            if end {
                units::last_grapheme(text, s)
            } else {
                s.start
            }
        };
        if forward {
            self.block_sentences(b)
                .into_iter()
                .map(point)
                .find(|&s| s > here)
                .or_else(|| {
                    let n = self.text_blocks().find(|&n| n > b)?;
                    self.block_sentences(n).into_iter().next().map(point)
                })
        } else {
            self.block_sentences(b)
                .into_iter()
                .map(point)
                .rev()
                .find(|&s| s < here)
                .or_else(|| {
                    let p = self.text_blocks().filter(|&p| p < b).last()?;
                    self.block_sentences(p).pop().map(point)
                })
        }
    }
}
