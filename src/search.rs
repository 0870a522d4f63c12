//! Finding a phrase in the unwrapped text, so a phrase split across two rows is still found.

use std::ops::Range;

/// Whether a pattern is matched ignoring ASCII case: "smart case", as in vim and less -i.
/// A pattern with an upper-case letter matches case exactly.
pub fn ignores_case(pattern: &str) -> bool {
    pattern.chars().any(|c| c.is_ascii_lowercase()) && !pattern.chars().any(char::is_uppercase)
}

/// Every non-overlapping occurrence of `pattern` in `text`, in order.
///
/// `folded` must be `text` with ASCII letters lower-cased (same byte offsets); it is used when
/// [`ignores_case`] says so. Callers keep it around because folding 10 MB costs milliseconds.
pub fn find_all(text: &str, folded: Option<&str>, pattern: &str) -> Vec<Range<usize>> {
    if pattern.is_empty() {
        return Vec::new();
    }
    let (haystack, needle) = match folded {
        Some(folded) if ignores_case(pattern) => (folded, pattern.to_ascii_lowercase()),
        _ => (text, pattern.to_string()),
    };
    memchr::memmem::find_iter(haystack.as_bytes(), needle.as_bytes())
        .filter(|&at| text.is_char_boundary(at))
        .map(|at| at..at + needle.len())
        .fold(Vec::new(), |mut hits: Vec<Range<usize>>, hit| {
            if hits.last().is_none_or(|last| last.end <= hit.start) {
                hits.push(hit);
            }
            hits
        })
}

/// Whether two occurrences of `pattern` can overlap (`aa` in `aaa`). When they cannot, the
/// non-overlapping hits are all the occurrences, so a longer pattern typed after it can only
/// match where it matched.
pub fn self_overlaps(pattern: &str) -> bool {
    let p = pattern.to_ascii_lowercase();
    let b = p.as_bytes();
    (1..b.len()).any(|k| b[k..] == b[..b.len() - k])
}

/// Index of the first hit that starts after `offset`, wrapping to the first hit.
/// Returns the index and whether it wrapped.
pub fn next_hit(hits: &[Range<usize>], offset: usize) -> Option<(usize, bool)> {
    if hits.is_empty() {
        return None;
    }
    let i = hits.partition_point(|h| h.start <= offset);
    Some(if i < hits.len() {
        (i, false)
    } else {
        (0, true)
    })
}

/// Index of the last hit that starts before `offset`, wrapping to the last hit.
pub fn prev_hit(hits: &[Range<usize>], offset: usize) -> Option<(usize, bool)> {
    if hits.is_empty() {
        return None;
    }
    let i = hits.partition_point(|h| h.start < offset);
    Some(if i > 0 {
        (i - 1, false)
    } else {
        (hits.len() - 1, true)
    })
}

/// Index of the first hit starting at or after `offset`, wrapping.
pub fn hit_from(hits: &[Range<usize>], offset: usize) -> Option<usize> {
    if hits.is_empty() {
        return None;
    }
    let i = hits.partition_point(|h| h.start < offset);
    Some(if i < hits.len() { i } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_chinese_phrases_in_order() {
        let text = "小红书的广告，广告广告。";
        let hits = find_all(text, None, "广告");
        assert_eq!(hits.len(), 3);
        assert_eq!(&text[hits[0].clone()], "广告");
        assert!(hits.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn smart_case() {
        let text = "DeepSeek and deepseek";
        let folded = text.to_ascii_lowercase();
        assert_eq!(find_all(text, Some(&folded), "deepseek").len(), 2);
        assert_eq!(find_all(text, Some(&folded), "DeepSeek").len(), 1);
        assert!(!ignores_case("中文"));
    }

    #[test]
    fn overlapping_matches_are_not_double_counted() {
        assert_eq!(find_all("aaaa", None, "aa"), [0..2, 2..4]);
    }

    #[test]
    fn self_overlap() {
        assert!(self_overlaps("aa"));
        assert!(self_overlaps("abab"));
        assert!(!self_overlaps("小红书"));
        assert!(!self_overlaps("ab"));
    }

    #[test]
    fn next_and_previous_wrap() {
        let hits = [2..4, 10..12];
        assert_eq!(next_hit(&hits, 2), Some((1, false)));
        assert_eq!(next_hit(&hits, 10), Some((0, true)));
        assert_eq!(prev_hit(&hits, 10), Some((0, false)));
        assert_eq!(prev_hit(&hits, 2), Some((1, true)));
        assert_eq!(hit_from(&hits, 3), Some(1));
        assert_eq!(next_hit(&[], 0), None);
    }
}
