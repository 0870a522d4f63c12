//! Turns untrusted document text into text that is safe to put on a terminal.
//!
//! An article may carry escape sequences (copied from a terminal log, or planted on purpose).
//! Nothing from a document may reach the terminal as a control sequence, so this runs before
//! any text is laid out or drawn, and everything downstream can assume clean text.

use std::borrow::Cow;

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
/// 8-bit String Terminator.
const ST8: char = '\u{9c}';

/// Removes escape sequences whole, every other control character except `\n`, and bidi
/// overrides.
///
/// `\r\n` and lone `\r` become `\n`, U+2028/U+2029 become `\n`, a tab becomes four spaces.
/// Returns the input unchanged (borrowed) when there is nothing to do, which is the common case.
pub fn sanitize(input: &str) -> Cow<'_, str> {
    if !needs_work(input.as_bytes()) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    sanitize_into(input, &mut out, |_, _| {});
    Cow::Owned(out)
}

/// [`sanitize`] for one-line text (a tag, an id, a file name, an error message): line breaks
/// become spaces and the ends are trimmed, so the text cannot start a new line on a terminal
/// or in a one-line field of an export.
pub fn sanitize_line(input: &str) -> String {
    let clean = sanitize(input);
    if clean.contains('\n') {
        clean.replace('\n', " ").trim().to_string()
    } else {
        clean.trim().to_string()
    }
}

/// Maps byte offsets of sanitized text back to the text it came from, so positions can be
/// reported in the user's file (`entities --json` gives character offsets of the decoded file).
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    /// (sanitized byte, original byte) where copying resumed after an edit; between two
    /// anchors the texts are identical.
    anchors: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// Sanitizes `input` and records where the result's bytes came from. Clean input (the
    /// common case) is borrowed, not copied: it may be a whole book.
    pub fn build(input: &str) -> (Cow<'_, str>, Self) {
        let mut anchors = vec![(0, 0)];
        if !needs_work(input.as_bytes()) {
            return (Cow::Borrowed(input), Self { anchors });
        }
        let mut out = String::with_capacity(input.len());
        sanitize_into(input, &mut out, |o, i| anchors.push((o, i)));
        (Cow::Owned(out), Self { anchors })
    }

    /// Original byte offset of sanitized byte offset `at`.
    pub fn original_byte(&self, at: usize) -> usize {
        let i = self
            .anchors
            .partition_point(|&(o, _)| o <= at)
            .saturating_sub(1);
        let (o, orig) = self.anchors.get(i).copied().unwrap_or((0, 0));
        orig + (at - o)
    }
}

/// The sanitizing loop. `anchor(out_len, input_byte)` is called whenever verbatim copying
/// resumes after an edit.
fn sanitize_into(input: &str, out: &mut String, mut anchor: impl FnMut(usize, usize)) {
    let mut chars = input.char_indices().peekable();
    let mut edited = false;
    while let Some((at, c)) = chars.next() {
        match c {
            '\n' => {
                if edited {
                    anchor(out.len(), at);
                    edited = false;
                }
                out.push('\n');
                continue;
            }
            '\r' => {
                if chars.peek().map(|p| p.1) == Some('\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push_str("    "),
            ESC => skip_escape(&mut chars),
            // 8-bit CSI.
            '\u{9b}' => skip_csi_body(&mut chars),
            // 8-bit OSC, DCS, SOS, PM, APC: strings ended by BEL or ST.
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_control(c) || is_bidi_override(c) => {}
            c => {
                if edited {
                    anchor(out.len(), at);
                    edited = false;
                }
                out.push(c);
                continue;
            }
        }
        edited = true;
    }
}

/// Whether the UTF-8 text holds a control character other than `\n`, or U+2028/U+2029.
/// A byte scan: this runs over every document, and most need nothing. Blocks of bytes are
/// first looked at all at once (which the compiler does with vector instructions) for a byte
/// that may start such a character; only a block that has one is looked at closely.
fn needs_work(bytes: &[u8]) -> bool {
    const BLOCK: usize = 32;
    let suspect = |b: u8| (b < 0x20 && b != b'\n') | (b == 0x7f) | (b == 0xc2) | (b == 0xe2);
    let mut at = 0;
    let mut blocks = bytes.chunks_exact(BLOCK);
    for block in &mut blocks {
        if block.iter().fold(false, |any, &b| any | suspect(b))
            && (at..at + BLOCK).any(|i| needs_work_at(bytes, i))
        {
            return true;
        }
        at += BLOCK;
    }
    (at..bytes.len()).any(|i| needs_work_at(bytes, i))
}

/// Whether the character starting at byte `i` is one [`needs_work`] looks for.
fn needs_work_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' => false,
        0..=0x1f | 0x7f => true,
        // U+0080–U+009F (C1) are C2 80–C2 9F.
        0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        // U+2028, U+2029 are E2 80 A8, E2 80 A9.
        // U+2028, U+2029 and the bidi embeddings/overrides U+202A–U+202E: E2 80 A8–AE;
        // the bidi isolates U+2066–U+2069: E2 81 A6–A9.
        0xe2 => match bytes.get(i + 1) {
            Some(0x80) => matches!(bytes.get(i + 2), Some(0xa8..=0xae)),
            Some(0x81) => matches!(bytes.get(i + 2), Some(0xa6..=0xa9)),
            _ => false,
        },
        _ => false,
    }
}

/// Whether `c` must never reach a terminal: C0, DEL and C1 controls (ESC, the 8-bit CSI
/// U+009B …) and bidi embeddings, overrides and isolates. What [`sanitize`] removes, less the
/// line breaks it keeps or rewrites.
pub fn is_unsafe(c: char) -> bool {
    is_control(c) || is_bidi_override(c)
}

/// Bidi embeddings, overrides and isolates: invisible, and on terminals that do bidi they
/// reorder what is shown (the "Trojan Source" trick), so they are dropped like controls.
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// C0, DEL and C1 controls.
fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// Skips what follows an ESC: a CSI, a string sequence, or a short `ESC x` sequence.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek().map(|p| p.1) {
        Some('[') => {
            chars.next();
            skip_csi_body(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        Some(' '..='/') => {
            // nF: intermediates, then one final byte.
            while matches!(chars.peek().map(|p| p.1), Some(' '..='/')) {
                chars.next();
            }
            if matches!(chars.peek().map(|p| p.1), Some('0'..='~')) {
                chars.next();
            }
        }
        Some('0'..='~') => {
            chars.next();
        }
        _ => {}
    }
}

/// Skips CSI parameters and intermediates up to and including the final byte. Stops early
/// (keeping the text) at anything that cannot be part of a CSI, so a stray `ESC[` does not
/// swallow the article.
fn skip_csi_body(chars: &mut Chars<'_>) {
    while let Some(c) = chars.peek().map(|p| p.1) {
        match c {
            '0'..='?' | ' '..='/' => {
                chars.next();
            }
            '@'..='~' => {
                chars.next();
                return;
            }
            _ => return,
        }
    }
}

/// Skips an OSC/DCS/SOS/PM/APC body up to BEL or ST (`ESC \` or 8-bit ST). An unterminated
/// string ends at the end of the line, so the rest of the document survives.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.peek().map(|p| p.1) {
        match c {
            BEL | ST8 => {
                chars.next();
                return;
            }
            ESC => {
                chars.next();
                if chars.peek().map(|p| p.1) == Some('\\') {
                    chars.next();
                }
                return;
            }
            '\n' | '\r' => return,
            _ => {
                chars.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{OffsetMap, sanitize};

    #[track_caller]
    fn check(input: &str, expected: &str) {
        assert_eq!(sanitize(input), expected, "input {input:?}");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_dropped_marks_kept() {
        check("a\u{202E}cba\u{202C}d", "acbad");
        check("x\u{2066}y\u{2069}z", "xyz");
        check("中\u{200F}文", "中\u{200F}文");
        let (text, map) = OffsetMap::build("ab\u{202E}cd");
        assert_eq!(text, "abcd");
        assert_eq!(map.original_byte(2), 5);
    }

    #[test]
    fn one_line_text_has_no_line_breaks() {
        assert_eq!(
            super::sanitize_line(" 标签\r\n第二行\x1b]52;c;ZXZpbA==\x07\u{9b}2J "),
            "标签 第二行"
        );
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            sanitize("红色文字\n第二行"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn csi_sequences_are_removed_whole() {
        check("\x1b[31m红色\x1b[0m文字", "红色文字");
        check("a\x1b[38;5;196mb\x1b[1;2;3Hc", "abc");
        check("清屏\x1b[2J\x1b[?1049h了", "清屏了");
        check("\u{9b}31m八位", "八位");
    }

    #[test]
    fn osc_and_string_sequences_are_removed_whole() {
        check("标题\x1b]0;evil title\x07正文", "标题正文");
        check("链接\x1b]8;;http://x\x1b\\文字\x1b]8;;\x1b\\", "链接文字");
        check("a\x1bPqpayload\x1b\\b", "ab");
        check("a\u{9d}0;t\u{9c}b", "ab");
    }

    #[test]
    fn unterminated_sequences_do_not_swallow_the_document() {
        check("a\x1b]0;never ends\n第二段", "a\n第二段");
        check("a\x1b[", "a");
        check("a\x1b", "a");
        check("a\x1b[中文", "a中文");
    }

    #[test]
    fn other_escapes_and_controls_are_removed() {
        check("a\x1bcb", "ab");
        check("a\x1b(Bb", "ab");
        check("响\x07铃\x08退\x7f格\x00空\u{85}下", "响铃退格空下");
    }

    #[test]
    fn line_ends_and_tabs_are_normalized() {
        check("一\r\n二\r三\n四", "一\n二\n三\n四");
        check("a\tb", "a    b");
        check("甲\u{2028}乙\u{2029}丙", "甲\n乙\n丙");
    }

    #[test]
    fn offset_map_points_back_into_the_original() {
        let input = "甲\r\n乙\x1b[31m丙\t丁";
        let (out, map) = OffsetMap::build(input);
        assert_eq!(out, "甲\n乙丙    丁");
        for needle in ["乙", "丙", "丁"] {
            let at = out.find(needle).unwrap();
            assert_eq!(&input[map.original_byte(at)..][..needle.len()], needle);
        }
        let (clean, map) = OffsetMap::build("没有控制字符");
        assert!(matches!(clean, std::borrow::Cow::Borrowed(_)));
        assert_eq!(map.original_byte(clean.len()), clean.len());
        assert_eq!(map.original_byte(3), 3);
    }

    /// The scan by blocks finds what a scan byte by byte finds, wherever it is.
    #[test]
    fn the_block_scan_misses_nothing() {
        let plain = |b: &[u8]| (0..b.len()).any(|i| super::needs_work_at(b, i));
        let unsafe_chars = [
            "\u{1b}", "\t", "\r", "\u{85}", "\u{9b}", "\u{2028}", "\u{202e}", "\u{2069}",
        ];
        let harmless = [
            "\n", "\u{a0}", "\u{2014}", "\u{201c}", "\u{2060}", "“", "，",
        ];
        for len in [0, 1, 31, 32, 33, 64, 100] {
            for at in 0..=len {
                for c in unsafe_chars.iter().chain(&harmless) {
                    let s = format!("{}{c}{}", "x".repeat(at), "y".repeat(len - at));
                    let bytes = s.as_bytes();
                    assert_eq!(super::needs_work(bytes), plain(bytes), "{s:?}");
                    assert_eq!(super::needs_work(bytes), unsafe_chars.contains(c), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn printable_text_survives() {
        let s = "全角　空格 “引号” ①℃ 👨‍👩‍👧 é";
        check(s, s);
    }
}
