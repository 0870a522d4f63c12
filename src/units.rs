//! Words and sentences: what `w`/`b`/`e` and `(`/`)` move by and `V` selects. Chinese has no
//! spaces, so words come from segmentation (with entity names kept whole) and sentences from
//! the full-width stops.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// What a stretch of text is, for word motions (as in vim: a run of punctuation is a word of
/// its own; spaces are skipped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Space,
    Punct,
    /// Letters, digits and CJK characters.
    Word,
}

pub fn class_of(c: char) -> Class {
    if c.is_whitespace() {
        Class::Space
    } else if c.is_alphanumeric() || c == '_' {
        Class::Word
    } else {
        Class::Punct
    }
}

/// Whether `c` belongs to a run that is never cut inside: Latin words and numbers.
fn is_latin_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || (c.is_alphanumeric() && !is_cjk(c))
}

/// Han, kana, hangul: characters that segmentation decides about.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The words of `text` (spaces left out), in order. `cuts` are word boundaries from a
/// segmenter (byte offsets into `text`; empty means "none available": every CJK character is
/// then a word). No word is cut inside a `whole` range (entity mentions) or inside a Latin
/// word or number (`ChatGPT`, `3.5`, `2025`).
pub fn words(text: &str, cuts: &[usize], whole: &[Range<usize>]) -> Vec<Range<usize>> {
    // Whole grapheme clusters, each standing for its first character: an accent, a
    // variation selector or a skin tone never becomes a word of its own.
    let chars: Vec<(usize, char)> = text
        .grapheme_indices(true)
        .filter_map(|(i, g)| g.chars().next().map(|c| (i, c)))
        .collect();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut start: Option<usize> = None;
    let inside_whole = |at: usize| whole.iter().any(|r| r.start < at && at < r.end);
    let is_cut = |at: usize| cuts.binary_search(&at).is_ok();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let class = class_of(c);
        let prev = i.checked_sub(1).map(|j| chars[j].1);
        let boundary = match prev {
            None => true,
            Some(p) => {
                let pc = class_of(p);
                if pc != class {
                    // 3.5 and 1,000: a point between digits stays in the number.
                    let in_number = class == Class::Punct
                        && matches!(c, '.' | ',')
                        && p.is_ascii_digit()
                        && chars.get(i + 1).is_some_and(|n| n.1.is_ascii_digit());
                    let after_number_point = pc == Class::Punct
                        && matches!(p, '.' | ',')
                        && c.is_ascii_digit()
                        && i >= 2
                        && chars[i - 2].1.is_ascii_digit();
                    !(in_number || after_number_point)
                } else if class == Class::Word {
                    if is_latin_word(p) && is_latin_word(c) {
                        false
                    } else if is_latin_word(p) != is_latin_word(c) {
                        // Script change (B站, 618大促): a cut unless the segmenter joins them.
                        cuts.is_empty() || is_cut(at)
                    } else if cuts.is_empty() {
                        true
                    } else {
                        is_cut(at)
                    }
                } else {
                    class == Class::Punct && !same_punct_run(p, c)
                }
            }
        };
        let boundary = boundary && !inside_whole(at);
        if boundary {
            if let Some(s) = start.take() {
                out.push(s..at);
            }
            if class != Class::Space {
                start = Some(at);
            }
        } else if start.is_none() && class != Class::Space {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// The run of one script around byte `at` of `text`: Han (kana, hangul) characters, or a
/// Latin word or number, else the grapheme cluster at `at` alone (punctuation, a space). What
/// a double click selects while there is no segmenter to find the word.
pub fn script_run(text: &str, at: usize) -> Range<usize> {
    #[derive(PartialEq)]
    enum Script {
        Cjk,
        Latin,
        Other,
    }
    let script = |g: &str| match g.chars().next() {
        Some(c) if is_cjk(c) => Script::Cjk,
        Some(c) if is_latin_word(c) => Script::Latin,
        _ => Script::Other,
    };
    let graphemes: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
    let Some(i) = graphemes
        .iter()
        .rposition(|&(start, _)| start <= at)
        .filter(|&i| at < graphemes[i].0 + graphemes[i].1.len())
    else {
        return at..at;
    };
    let end_of = |i: usize| graphemes[i].0 + graphemes[i].1.len();
    let here = script(graphemes[i].1);
    if here == Script::Other {
        return graphemes[i].0..end_of(i);
    }
    let same = |j: &usize| script(graphemes[*j].1) == here;
    let first = (0..i).rev().take_while(same).last().unwrap_or(i);
    let last = (i + 1..graphemes.len())
        .take_while(same)
        .last()
        .unwrap_or(i);
    graphemes[first].0..end_of(last)
}

/// Where the last grapheme cluster of `range` in `text` starts (the cursor's place for "the
/// end" of a word or sentence).
pub fn last_grapheme(text: &str, range: Range<usize>) -> usize {
    text[range.clone()]
        .grapheme_indices(true)
        .next_back()
        .map_or(range.start, |(i, _)| range.start + i)
}

/// Punctuation that reads as one mark: …… —— and a stop with its closing quote (。”).
fn same_punct_run(p: char, c: char) -> bool {
    p == c || is_closer(c) || (is_stop(p) && is_stop(c))
}

/// Sentence-ending marks.
pub fn is_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | '…' | '｡')
}

/// Closing quotes and brackets that belong to the sentence before them.
pub fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | '》' | '〉' | '】' | '〕' | '"' | '\'' | ')' | ']'
    )
}

/// The sentences of `text` (one block), without leading spaces. A sentence ends after
/// 。！？；!? or …… and any closing quotes or brackets that follow; ASCII `.` ends one only
/// before a space or the end; the rest of the text is the last sentence.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        let ascii_period = c == '.'
            && chars
                .get(i + 1)
                .is_none_or(|n| n.1.is_whitespace() || is_closer(n.1));
        let stop = match c {
            '…' => chars.get(i + 1).is_some_and(|n| n.1 == '…'),
            _ => is_stop(c) || ascii_period,
        };
        if !stop {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && (is_stop(chars[j].1) || is_closer(chars[j].1)) {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |n| n.0);
        push_trimmed(&mut out, text, start, end);
        start = end;
        i = j;
    }
    push_trimmed(&mut out, text, start, text.len());
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, start: usize, end: usize) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if start + lead < end - trail {
        out.push(start + lead..end - trail);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_run_is_the_han_run_or_latin_word_around_a_byte() {
        let text = "我们用ChatGPT_4写了，很快。 ok";
        let run = |needle: &str| {
            let r = super::script_run(text, text.find(needle).unwrap());
            &text[r]
        };
        assert_eq!(run("们"), "我们用");
        assert_eq!(run("GPT"), "ChatGPT_4");
        assert_eq!(run("写"), "写了");
        assert_eq!(run("，"), "，");
        assert_eq!(run("很"), "很快");
        assert_eq!(run(" "), " ");
        assert_eq!(run("ok"), "ok");
        // Past the end: nothing.
        assert_eq!(super::script_run(text, text.len()), text.len()..text.len());
    }

    use super::*;

    fn texts<'a>(text: &'a str, spans: &[Range<usize>]) -> Vec<&'a str> {
        spans.iter().map(|r| &text[r.clone()]).collect()
    }

    fn cuts_at(text: &str, words: &[&str]) -> Vec<usize> {
        let mut cuts = vec![0];
        let mut at = 0;
        for w in words {
            at += w.len();
            cuts.push(at);
        }
        assert_eq!(at, text.len());
        cuts
    }

    #[test]
    fn segmentation_cuts_cjk_and_keeps_latin_and_numbers_whole() {
        let text = "字节跳动发布ChatGPT对手，投入3.5亿";
        let cuts = cuts_at(
            text,
            &[
                "字节", "跳动", "发布", "ChatGPT", "对手", "，", "投入", "3.5", "亿",
            ],
        );
        let whole = vec![0..12, 12..12];
        assert_eq!(
            texts(text, &words(text, &cuts, &whole)),
            [
                "字节跳动",
                "发布",
                "ChatGPT",
                "对手",
                "，",
                "投入",
                "3.5",
                "亿"
            ]
        );
    }

    #[test]
    fn combining_marks_and_emoji_modifiers_stay_in_their_word() {
        let text = "cafe\u{301} abc 好👍🏽 ❤️x";
        let w = words(text, &[], &[]);
        assert_eq!(
            texts(text, &w),
            ["cafe\u{301}", "abc", "好", "👍🏽", "❤️", "x"]
        );
        assert_eq!(last_grapheme(text, 0..6), 3);
    }

    #[test]
    fn without_a_segmenter_each_cjk_character_is_a_word() {
        let text = "用户 B站";
        assert_eq!(texts(text, &words(text, &[], &[])), ["用", "户", "B", "站"]);
    }

    #[test]
    fn punctuation_runs_stay_together() {
        let text = "他说：“好。”……然后";
        let spans = words(text, &[], &[]);
        let t = texts(text, &spans);
        assert!(t.contains(&"。”") && t.contains(&"……"), "{t:?}");
    }

    #[test]
    fn sentences_end_at_stops_with_their_closing_quotes() {
        let text = "他说：“种草不等于交易。”她笑了！真的？是的…… 好吧；end. Next";
        assert_eq!(
            texts(text, &sentences(text)),
            [
                "他说：“种草不等于交易。”",
                "她笑了！",
                "真的？",
                "是的……",
                "好吧；",
                "end.",
                "Next"
            ]
        );
    }

    #[test]
    fn a_single_ellipsis_or_decimal_point_does_not_end_a_sentence() {
        let text = "涨了3.5倍…还在涨。";
        assert_eq!(texts(text, &sentences(text)), [text]);
    }

    #[test]
    fn empty_and_space_only_text_has_no_sentences() {
        assert!(sentences("").is_empty());
        assert!(sentences("   ").is_empty());
    }
}
