//! Display widths, measured per grapheme cluster as a terminal draws them.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How wide East Asian Ambiguous characters (“ ” … — · ① ℃) are drawn. Most Western
/// terminals draw them narrow; many Chinese terminal setups draw them wide.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmbiguousWidth {
    #[default]
    Narrow,
    Wide,
}

/// Width of a single character that is always its own grapheme cluster and whose width does
/// not depend on the ambiguous-width mode; `None` means "take the careful path".
///
/// This covers printable ASCII, CJK ideographs, kana, CJK punctuation and full-width forms:
/// nearly every character of a Chinese article, so most text skips grapheme segmentation.
#[inline]
fn simple_width(c: char) -> Option<usize> {
    match c {
        ' '..='~' => Some(1),
        '\u{4E00}'..='\u{9FFF}' => Some(2),
        // CJK symbols and punctuation, kana; the combining marks U+302A–302F and U+3099–309A
        // are left out because they join the previous character.
        '\u{3000}'..='\u{3029}'
        | '\u{3030}'..='\u{3098}'
        | '\u{309B}'..='\u{30FF}'
        // Full-width and half-width forms, except the half-width sound marks U+FF9E–FF9F.
        | '\u{FF01}'..='\u{FF9D}'
        | '\u{FFE0}'..='\u{FFEE}' => c.width(),
        _ => None,
    }
}

/// Width of one grapheme cluster.
#[inline]
pub fn grapheme_width(g: &str, ambiguous: AmbiguousWidth) -> usize {
    match ambiguous {
        AmbiguousWidth::Narrow => g.width(),
        AmbiguousWidth::Wide => g.width_cjk(),
    }
}

/// Width of a string as the sum of its grapheme clusters' widths.
pub fn str_width(s: &str, ambiguous: AmbiguousWidth) -> usize {
    let mut total = 0;
    for c in s.chars() {
        match simple_width(c) {
            Some(w) => total += w,
            None => return slow_width(s, ambiguous),
        }
    }
    total
}

fn slow_width(s: &str, ambiguous: AmbiguousWidth) -> usize {
    s.graphemes(true)
        .map(|g| grapheme_width(g, ambiguous))
        .sum()
}

/// Grapheme clusters of `s` with their byte offset and width.
pub fn graphemes(
    s: &str,
    ambiguous: AmbiguousWidth,
) -> impl Iterator<Item = (usize, &str, usize)> + '_ {
    s.grapheme_indices(true)
        .map(move |(i, g)| (i, g, grapheme_width(g, ambiguous)))
}

/// `s` cut to `width` columns, with `…` when cut.
pub fn truncate(s: &str, width: usize, ambiguous: AmbiguousWidth) -> String {
    if str_width(s, ambiguous) <= width {
        return s.to_string();
    }
    let mark = ellipsis(ambiguous);
    let ellipsis = str_width(mark, ambiguous);
    let mut out = String::new();
    let mut used = 0;
    for (_, g, w) in graphemes(s, ambiguous) {
        if used + w + ellipsis > width {
            break;
        }
        used += w;
        out.push_str(g);
    }
    if width >= ellipsis {
        out.push_str(mark);
    }
    out
}

/// `…` is ambiguous-width; where it would be drawn two columns wide, use dots.
fn ellipsis(ambiguous: AmbiguousWidth) -> &'static str {
    match ambiguous {
        AmbiguousWidth::Narrow => "…",
        AmbiguousWidth::Wide => "..",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmbiguousWidth::{Narrow, Wide};

    #[test]
    fn cjk_is_two_columns_ascii_one() {
        assert_eq!(str_width("中文abc", Narrow), 7);
        assert_eq!(str_width("，。「」《》", Narrow), 12);
        assert_eq!(str_width("　", Narrow), 2);
    }

    #[test]
    fn ambiguous_characters_follow_the_mode() {
        for s in ["“", "”", "…", "—", "·", "①", "℃", "‘"] {
            assert_eq!(str_width(s, Narrow), 1, "{s}");
            assert_eq!(str_width(s, Wide), 2, "{s}");
        }
    }

    #[test]
    fn clusters_are_measured_whole() {
        assert_eq!(str_width("👨‍👩‍👧", Narrow), 2);
        assert_eq!(str_width("🇨🇳", Narrow), 2);
        assert_eq!(str_width("👍🏽", Narrow), 2);
        assert_eq!(str_width("e\u{301}", Narrow), 1);
        assert_eq!(str_width("か\u{3099}", Narrow), 2);
    }

    #[test]
    fn truncate_cuts_whole_clusters_and_marks_the_cut() {
        assert_eq!(truncate("中文abc", 7, Narrow), "中文abc");
        assert_eq!(truncate("中文abc", 6, Narrow), "中文a…");
        assert_eq!(truncate("中文abc", 4, Narrow), "中…");
        // Where … is drawn two columns wide, two dots take its place.
        assert_eq!(truncate("中文abc", 6, Wide), "中文..");
        assert_eq!(truncate("👨‍👩‍👧x", 2, Narrow), "…");
        assert_eq!(truncate("中文", 0, Narrow), "");
    }

    #[test]
    fn fast_path_agrees_with_grapheme_path() {
        let text = "作为一款月活超3亿的国民APP，小红书！ＡＢＣ｡ｱｲｳ　カタカナ";
        assert_eq!(str_width(text, Narrow), slow_width(text, Narrow));
        assert_eq!(str_width(text, Wide), slow_width(text, Wide));
    }
}
