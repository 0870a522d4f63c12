//! Moving a selection through a list, the same in the entity panel, the notes tab, the tag
//! completions, the export formats and help; and walking the cursor through ranges of the
//! text (search hits, mentions, highlights).

use std::ops::Range;

use super::Action;

/// A move in a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    By(isize),
    First,
    Last,
}

impl Nav {
    /// The move a list makes for `action`, a page being `page` entries.
    pub fn of(action: Action, page: usize) -> Option<Self> {
        let page = page.max(1) as isize;
        Some(match action {
            Action::Down => Self::By(1),
            Action::Up => Self::By(-1),
            Action::PageDown => Self::By(page),
            Action::PageUp => Self::By(-page),
            Action::Top => Self::First,
            Action::Bottom => Self::Last,
            _ => return None,
        })
    }
}

/// The selection after `nav` in a list of `len` entries: it stops at the ends.
pub fn step(selected: usize, len: usize, nav: Nav) -> usize {
    let last = len.saturating_sub(1);
    match nav {
        Nav::By(d) => selected.saturating_add_signed(d).min(last),
        Nav::First => 0,
        Nav::Last => last,
    }
}

/// The next or previous of `len` choices, wrapping around (completions, formats).
pub fn cycle(selected: usize, len: usize, forward: bool) -> usize {
    match len {
        0 => 0,
        _ if forward => (selected + 1) % len,
        _ => (selected % len + len - 1) % len,
    }
}

/// Where `n` steps from `cursor` through `ranges` (sorted) land, and whether the walk wrapped
/// around an end. `None` when there is nothing to walk.
pub fn walk(
    ranges: &[Range<usize>],
    cursor: usize,
    forward: bool,
    n: usize,
) -> Option<(usize, bool)> {
    let mut at = cursor;
    let mut wrapped = false;
    for _ in 0..n.max(1) {
        let (i, w) = if forward {
            crate::search::next_hit(ranges, at)
        } else {
            crate::search::prev_hit(ranges, at)
        }?;
        wrapped |= w;
        at = ranges[i].start;
    }
    Some((at, wrapped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_stop_at_the_ends_and_cycles_wrap() {
        assert_eq!(step(0, 5, Nav::By(-1)), 0);
        assert_eq!(step(3, 5, Nav::By(10)), 4);
        assert_eq!(step(3, 5, Nav::First), 0);
        assert_eq!(step(1, 5, Nav::Last), 4);
        assert_eq!(step(2, 0, Nav::By(1)), 0);
        assert_eq!(cycle(4, 5, true), 0);
        assert_eq!(cycle(0, 5, false), 4);
        assert_eq!(cycle(0, 0, true), 0);
        assert_eq!(Nav::of(Action::PageDown, 7), Some(Nav::By(7)));
        assert_eq!(Nav::of(Action::Quit, 7), None);
    }

    #[test]
    fn walking_wraps_and_says_so() {
        let hits = [2..4, 10..12, 20..22];
        assert_eq!(walk(&hits, 0, true, 1), Some((2, false)));
        assert_eq!(walk(&hits, 2, true, 2), Some((20, false)));
        assert_eq!(walk(&hits, 20, true, 1), Some((2, true)));
        assert_eq!(walk(&hits, 2, false, 1), Some((20, true)));
        assert_eq!(walk(&[], 2, false, 1), None);
    }
}
