//! Finding an annotation's text again (DESIGN.md §5).

use super::Quote;

/// Characters of context kept either side of a quote.
pub const CONTEXT_CHARS: usize = 32;

/// The quote selector for `start..end` of `text`.
pub fn quote_at(text: &str, start: usize, end: usize) -> Quote {
    let prefix_start = text[..start]
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let suffix_end = text[end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(text.len(), |(i, _)| end + i);
    Quote {
        exact: text[start..end].to_string(),
        prefix: text[prefix_start..start].to_string(),
        suffix: text[end..suffix_end].to_string(),
    }
}
