//! Where a line may break: UAX #14 (Unicode 17 rules) plus the clreq tailoring.

use icu_segmenter::LineSegmenter;
use icu_segmenter::LineSegmenterBorrowed;
use icu_segmenter::options::LineBreakOptions;

/// The Unicode 17 rules, for LB19a: a curly quote next to a Chinese character may break on its
/// Chinese side. Earlier rule sets glue every quote to both neighbours.
const SEGMENTER: LineSegmenterBorrowed<'static> =
    LineSegmenter::new_17_for_non_complex_scripts(LineBreakOptions::default());

/// clreq §3.1.7: marks that never start a line. UAX #14 already keeps most of them glued to
/// what precedes, but not after a space (`中 ；`, `说 ”好`), not the interpuncts (`埃隆·马斯克`),
/// and not a % after punctuation; this closes those gaps.
fn never_starts_a_line(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '、' | '；' | '：' | '？' | '！' | '）' | '》' | '」' | '』' | '】' | '〉' | '〕'
            | '\u{201D}' // ”
            | '\u{2019}' // ’
            | '%' | '％' | '‰' | '℃'
            | '\u{00B7}' | '\u{2027}' | '\u{30FB}' // · ‧ ・
    )
}

/// clreq §3.1.7: marks that never end a line. In Chinese “ and ‘ always open (UAX #14 cannot
/// know that: a German „…“ closes with “).
fn never_ends_a_line(c: char) -> bool {
    matches!(
        c,
        '（' | '《' | '「' | '『' | '【' | '〈' | '〔' | '\u{201C}' | '\u{2018}'
    )
}

/// Whether an emergency cut (rule 7) between the grapheme clusters `before` and `after` keeps
/// rule 4: no mark that never starts a line begins the next row, no mark that never ends a
/// line ends this one, and `……` / `——` stay whole.
pub fn cut_allowed(before: &str, after: &str) -> bool {
    let (Some(prev), Some(next)) = (before.chars().next_back(), after.chars().next()) else {
        return true;
    };
    let splits_a_pair = prev == next && matches!(prev, '…' | '—');
    !(never_starts_a_line(next) || never_ends_a_line(prev) || splits_a_pair)
}

/// Byte offsets where a line may break, ascending, excluding 0 and ending with `text.len()`
/// (when the text is not empty).
pub fn opportunities(text: &str) -> impl Iterator<Item = usize> + '_ {
    SEGMENTER.segment_str(text).filter(move |&at| {
        if at == 0 {
            return false;
        }
        if at == text.len() {
            return true;
        }
        let next = text[at..].chars().next();
        // Spaces at a break hang, so the mark that would end the row is the one before them.
        let prev = text[..at].trim_end_matches(' ').chars().next_back();
        !next.is_some_and(never_starts_a_line) && !prev.is_some_and(never_ends_a_line)
    })
}

#[cfg(test)]
mod tests {
    use super::opportunities;

    fn pieces(text: &str) -> Vec<&str> {
        let mut prev = 0;
        opportunities(text)
            .map(|at| {
                let piece = &text[prev..at];
                prev = at;
                piece
            })
            .collect()
    }

    #[test]
    fn quotes_break_on_their_chinese_side_only() {
        assert_eq!(pieces("的“生活”与"), ["的", "“生", "活”", "与"]);
        assert_eq!(pieces("用“DeepSeek”发布"), ["用“DeepSeek”发", "布"]);
    }

    #[test]
    fn closing_marks_stay_with_what_they_close() {
        assert_eq!(pieces("五，六"), ["五，", "六"]);
        assert_eq!(pieces("《书名》"), ["《书", "名》"]);
        assert_eq!(pieces("话……然"), ["话……", "然"]);
        assert_eq!(pieces("四——五"), ["四", "——", "五"]);
        assert_eq!(pieces("增长30%。"), ["增", "长", "30%。"]);
    }

    #[test]
    fn no_break_before_interpuncts() {
        assert_eq!(pieces("埃隆·马斯克"), ["埃", "隆·", "马", "斯", "克"]);
        assert_eq!(
            pieces("ジョン・スミス")
                .iter()
                .filter(|p| p.starts_with('・'))
                .count(),
            0
        );
    }

    #[test]
    fn chinese_quotes_never_dangle_even_after_spaces() {
        assert!(pieces("说 ”好").iter().all(|p| !p.starts_with('”')));
        assert!(pieces("说“ 好").iter().all(|p| !p.ends_with('“')));
    }

    #[test]
    fn cuts_keep_the_prohibitions() {
        use super::cut_allowed;
        assert!(cut_allowed("a", "b"));
        assert!(!cut_allowed("j", "。"));
        assert!(!cut_allowed("j", "%"));
        assert!(!cut_allowed("“", "k"));
        assert!(!cut_allowed("…", "…"));
        assert!(!cut_allowed("—", "—"));
        assert!(cut_allowed("。", "“"));
        assert!(cut_allowed("", "。"));
    }

    #[test]
    fn empty_text_has_no_opportunities() {
        assert_eq!(opportunities("").count(), 0);
    }
}
