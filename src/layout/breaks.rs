//! Where a line may break: UAX #14 (Unicode 17 rules) plus the clreq tailoring.

use icu_segmenter::LineSegmenter;
use icu_segmenter::LineSegmenterBorrowed;
use icu_segmenter::options::LineBreakOptions;

/// The Unicode 17 rules, for LB19a: a curly quote next to a Chinese character may break on its
/// Chinese side. Earlier rule sets glue every quote to both neighbours.
const SEGMENTER: LineSegmenterBorrowed<'static> =
    LineSegmenter::new_17_for_non_complex_scripts(LineBreakOptions::default());

/// Interpuncts that clreq keeps off a line start: `埃隆·马斯克` must not start a row with `·`.
fn is_interpunct(c: char) -> bool {
    matches!(c, '\u{00B7}' | '\u{2027}' | '\u{30FB}')
}

/// Byte offsets where a line may break, ascending, excluding 0 and ending with `text.len()`
/// (when the text is not empty).
pub fn opportunities(text: &str) -> impl Iterator<Item = usize> + '_ {
    SEGMENTER.segment_str(text).filter(move |&at| {
        at > 0 && (at == text.len() || !text[at..].chars().next().is_some_and(is_interpunct))
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
    fn empty_text_has_no_opportunities() {
        assert_eq!(opportunities("").count(), 0);
    }
}
