//! Traditional Chinese read as Simplified: the gazetteer, the segmenter and the rules all speak
//! Simplified, so a Traditional text (騰訊, 華為, 臺積電) is matched through a Simplified copy
//! (腾讯, 华为, 台积电) and every offset found in the copy is mapped back to the original.
//!
//! The conversion is character by character, with OpenCC's `t2s` table (built into the binary
//! by `build.rs`): one character always becomes one character, so the copy has the same
//! characters in the same order. Only the UTF-8 length can change (a few rare characters of the
//! supplementary planes become BMP ones), which the offset map records.

use std::borrow::Cow;

use super::{Entity, Tier};

include!(concat!(env!("OUT_DIR"), "/t2s.rs"));

/// Traditional forms that OpenCC also lists as Simplified ones (乾隆, 於 the surname, 徵 the
/// note), and 崑 of Simplified personal names (梁靖崑): converted in a Traditional text, but no
/// sign of one.
const SHARED: [char; 8] = ['乾', '剋', '夥', '徵', '於', '薹', '麽', '崑'];
/// Characters that Simplified names keep although OpenCC converts them (昇腾, 哪吒): never
/// converted, so such gazetteer names match in both scripts.
const KEPT: [char; 2] = ['昇', '吒'];

/// The BMP characters that are converted, one bit each.
static CONVERTIBLE: [u64; 1024] = bmp_set(&KEPT, &[]);
/// The characters one of which makes a text Traditional.
static TRADITIONAL: [u64; 1024] = bmp_set(&KEPT, &SHARED);

/// The BMP characters of the table less those of `a` and `b`.
const fn bmp_set(a: &[char], b: &[char]) -> [u64; 1024] {
    let mut set = [0u64; 1024];
    let mut i = 0;
    while i < T2S.len() {
        let c = T2S[i].0;
        if (c as u32) < 0x10000 && !holds(a, c) && !holds(b, c) {
            set[(c as u32 >> 6) as usize] |= 1 << (c as u32 & 63);
        }
        i += 1;
    }
    set
}

const fn holds(set: &[char], c: char) -> bool {
    let mut i = 0;
    while i < set.len() {
        if set[i] == c {
            return true;
        }
        i += 1;
    }
    false
}

/// A text as the entity finders see it: the original when it has no Traditional character
/// (borrowed, offsets unchanged), else its Simplified copy.
#[derive(Debug)]
pub struct Normalized<'a> {
    pub text: Cow<'a, str>,
    /// `(normalized, original)` byte offsets just after each converted character whose UTF-8
    /// length changed, in order: from there on the two texts differ by a new constant. Empty
    /// for nearly every text, where offsets are the same in both.
    shifts: Vec<(usize, usize)>,
}

/// `text` with every Traditional character in Simplified form. No copy when it has none.
pub fn normalize(text: &str) -> Normalized<'_> {
    if next_in(text, 0, &TRADITIONAL).is_none() {
        return Normalized {
            text: Cow::Borrowed(text),
            shifts: Vec::new(),
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let mut copied = 0;
    while let Some((at, from)) = next_in(text, copied, &CONVERTIBLE) {
        out.push_str(&text[copied..at]);
        let to = simplified(from);
        out.push(to);
        copied = at + from.len_utf8();
        if to.len_utf8() != from.len_utf8() {
            shifts.push((out.len(), copied));
        }
    }
    out.push_str(&text[copied..]);
    Normalized {
        text: Cow::Owned(out),
        shifts,
    }
}

impl Normalized<'_> {
    /// Whether the text was converted (had Traditional characters).
    pub fn is_converted(&self) -> bool {
        matches!(self.text, Cow::Owned(_))
    }

    /// The original byte offset of `byte`, a byte offset into the normalized text. Exact at
    /// character boundaries (the only offsets mentions have).
    pub fn to_original(&self, byte: usize) -> usize {
        match self.shifts.partition_point(|&(n, _)| n <= byte) {
            0 => byte,
            i => {
                let (n, o) = self.shifts[i - 1];
                o + (byte - n)
            }
        }
    }

    /// Carries entities found in the normalized text over to `original`: mentions get original
    /// offsets, and names take the article's own spelling: names the rules or the tagger took
    /// from the text the first as written, gazetteer names the commonest written form of that
    /// very name (台積電 for 台积电; 鴻海 for 富士康 stays an alias), owners renamed alike.
    pub(super) fn restore(&self, original: &str, entities: &mut [Entity]) {
        if !self.is_converted() {
            return;
        }
        let mut renamed: Vec<(String, String)> = Vec::new();
        for e in entities.iter_mut().filter(|e| e.tier == Tier::Known) {
            let mut forms: Vec<(&str, usize)> = Vec::new();
            for m in &e.mentions {
                if self.text.get(m.start..m.end) != Some(e.name.as_str()) {
                    continue;
                }
                let written = &original[self.to_original(m.start)..self.to_original(m.end)];
                match forms.iter_mut().find(|(f, _)| *f == written) {
                    Some((_, n)) => *n += 1,
                    None => forms.push((written, 1)),
                }
            }
            // The commonest, the first written on a tie.
            let best = forms.iter().rev().max_by_key(|(_, n)| *n).map(|(f, _)| *f);
            if let Some(best) = best.filter(|b| *b != e.name) {
                let old = std::mem::replace(&mut e.name, best.to_string());
                renamed.push((old, e.name.clone()));
            }
        }
        for e in entities.iter_mut() {
            if let Some(owner) = &mut e.owner
                && let Some((_, new)) = renamed.iter().find(|(old, _)| old == owner)
            {
                *owner = new.clone();
            }
        }
        for e in entities.iter_mut() {
            if e.tier != Tier::Known
                && let Some(m) = e
                    .mentions
                    .iter()
                    .find(|m| self.text.get(m.start..m.end) == Some(e.name.as_str()))
            {
                e.name = original[self.to_original(m.start)..self.to_original(m.end)].to_string();
            }
            for m in &mut e.mentions {
                m.start = self.to_original(m.start);
                m.end = self.to_original(m.end);
            }
        }
        super::sort(entities);
    }
}

/// The Simplified form of `c` (itself when it has none, or is kept).
fn simplified(c: char) -> char {
    if holds(&KEPT, c) {
        return c;
    }
    T2S.binary_search_by_key(&c, |p| p.0)
        .map_or(c, |i| T2S[i].1)
}

/// The first character at or after byte `from` (a character boundary) that is in `bmp`, or,
/// beyond the BMP, in the table; with its byte offset. Reads UTF-8 lead bytes directly: this
/// runs over every text, Simplified ones included.
fn next_in(text: &str, from: usize, bmp: &[u64; 1024]) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0xE0 {
            // ASCII, or a two-byte character: nothing to convert.
            i += if b < 0x80 { 1 } else { 2 };
        } else if b < 0xF0 {
            let cp = (u32::from(b & 0x0F) << 12)
                | (u32::from(bytes[i + 1] & 0x3F) << 6)
                | u32::from(bytes[i + 2] & 0x3F);
            if bmp[(cp >> 6) as usize] >> (cp & 63) & 1 == 1 {
                return char::from_u32(cp).map(|c| (i, c));
            }
            i += 3;
        } else {
            let c = text[i..].chars().next()?;
            if T2S.binary_search_by_key(&c, |p| p.0).is_ok() {
                return Some((i, c));
            }
            i += 4;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character boundary of the normalized text maps to a boundary of the original,
    /// and the characters between two boundaries correspond (the original one converts to the
    /// normalized one).
    fn assert_round_trip(original: &str) {
        let n = normalize(original);
        let norm: Vec<(usize, char)> = n.text.char_indices().collect();
        let orig: Vec<(usize, char)> = original.char_indices().collect();
        assert_eq!(norm.len(), orig.len(), "one character for one");
        for (&(nb, nc), &(ob, oc)) in norm.iter().zip(&orig) {
            assert_eq!(n.to_original(nb), ob, "start of {oc:?} in {original:?}");
            assert_eq!(
                n.to_original(nb + nc.len_utf8()),
                ob + oc.len_utf8(),
                "end of {oc:?} in {original:?}"
            );
            let expected = if n.is_converted() { simplified(oc) } else { oc };
            assert_eq!(nc, expected);
        }
        assert_eq!(n.to_original(n.text.len()), original.len());
    }

    /// Pairs of the table whose Simplified side is longer in UTF-8 (㑮 → 𫝈), and shorter
    /// (𡞵 → 㛟).
    fn length_changing() -> [(char, char); 2] {
        let find = |longer: bool| {
            *T2S.iter()
                .find(|(f, t)| {
                    (t.len_utf8() > f.len_utf8()) == longer && f.len_utf8() != t.len_utf8()
                })
                .expect("the table has characters whose UTF-8 length changes")
        };
        [find(true), find(false)]
    }

    #[test]
    fn the_table_is_sorted_and_converts_the_common_characters() {
        assert!(T2S.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(T2S.len() > 3000);
        let converted: String = "騰訊字節跳動華為臺積電鴻海國泰航空滙豐匯豐"
            .chars()
            .map(simplified)
            .collect();
        assert_eq!(converted, "腾讯字节跳动华为台积电鸿海国泰航空汇丰汇丰");
        // Simplified characters and the ones shared by both scripts stay.
        for c in "腾讯台积电的是了着".chars() {
            assert_eq!(simplified(c), c);
        }
    }

    #[test]
    fn simplified_text_is_borrowed_with_identical_offsets() {
        for text in [
            "",
            "小红书还有机会成为大厂吗？腾讯、字节跳动和华为都在看。",
            "ASCII only, with é and ß and 😀 emoji.",
            // Shared and kept forms alone do not make a text Traditional.
            "乾隆年间，於姓人家在此定居。",
            "昇腾芯片、《哪吒之魔童闹海》和梁靖崑。",
        ] {
            let n = normalize(text);
            assert!(!n.is_converted(), "{text:?}");
            assert!(std::ptr::eq(n.text.as_ref(), text), "no copy");
            for b in 0..=text.len() {
                assert_eq!(n.to_original(b), b);
            }
        }
    }

    #[test]
    fn traditional_text_is_converted_character_by_character() {
        let text = "騰訊、字節跳動和華為都在談臺積電。";
        let n = normalize(text);
        assert!(n.is_converted());
        assert_eq!(n.text, "腾讯、字节跳动和华为都在谈台积电。");
        // All three-byte characters: the offsets are the same.
        for b in 0..=text.len() {
            assert_eq!(n.to_original(b), b);
        }
        assert_round_trip(text);
        // Once a text is Traditional, the shared forms are converted too; kept ones never.
        assert_eq!(normalize("乾淨的國家").text, "干净的国家");
        assert_eq!(normalize("華為昇騰與哪吒").text, "华为昇腾与哪吒");
    }

    #[test]
    fn offsets_survive_characters_whose_length_changes() {
        let [(grows, grown), (shrinks, shrunk)] = length_changing();
        let text = format!("{grows}臺北{shrinks}{grows}，A{shrinks}{shrinks}é😀國家{grows}");
        let n = normalize(&text);
        assert_eq!(
            n.text,
            format!("{grown}台北{shrunk}{grown}，A{shrunk}{shrunk}é😀国家{grown}")
        );
        assert_round_trip(&text);
        // A length-changing character alone makes a text Traditional too.
        for (from, to) in [(grows, grown), (shrinks, shrunk)] {
            let alone = from.to_string();
            assert_eq!(normalize(&alone).text, to.to_string());
            assert_round_trip(&alone);
            assert_round_trip(&format!("{from}{from}{from}"));
        }
    }

    #[test]
    fn mixed_text_round_trips() {
        let [(from, _), (other, _)] = length_changing();
        for text in [
            "Apple 與 蘋果日報 reported 華為's Q3: 營收 +12%（約 3.5 億美元）😀👍🏽",
            "簡體中文里夹着几个繁體字：騰訊",
            &format!("😀{from}😀騰訊😀{other}é{from}"),
            "\u{20000}𠀀 é ü 華",
            "國",
        ] {
            assert_round_trip(text);
        }
    }

    #[test]
    fn names_get_the_article_spelling_and_mentions_original_offsets() {
        use super::super::{EntityKind, Mention};
        let [(from, _), (other, _)] = length_changing();
        let original = format!("{from}台積電{other}與鴻海集團");
        let n = normalize(&original);
        let at = |s: &str| n.text.find(s).unwrap();
        let mut entities = vec![
            Entity {
                name: "台积电".into(),
                kind: EntityKind::Company,
                tier: Tier::Known,
                reason: None,
                owner: None,
                mentions: vec![Mention {
                    start: at("台积电"),
                    end: at("台积电") + "台积电".len(),
                }],
            },
            Entity {
                name: "鸿海集团".into(),
                kind: EntityKind::Company,
                tier: Tier::Possible,
                reason: Some("suffix 集团".into()),
                owner: Some("台积电".into()),
                mentions: vec![Mention {
                    start: at("鸿海集团"),
                    end: n.text.len(),
                }],
            },
        ];
        n.restore(&original, &mut entities);
        // A gazetteer name as the article writes it, and owners renamed alike.
        let known = entities.iter().find(|e| e.tier == Tier::Known).unwrap();
        assert_eq!(known.name, "台積電");
        assert_eq!(known.aliases(&original), ["台積電"]);
        let possible = entities.iter().find(|e| e.tier == Tier::Possible).unwrap();
        assert_eq!(possible.name, "鴻海集團");
        assert_eq!(possible.owner.as_deref(), Some("台積電"));
        assert_eq!(possible.aliases(&original), ["鴻海集團"]);
    }

    /// The gazetteer is matched against normalized text: a form that normalization would
    /// change could never match.
    #[test]
    fn gazetteer_forms_are_in_normalized_form() {
        let g = super::super::Gazetteer::builtin();
        let traditional: Vec<&str> = g
            .forms()
            .filter(|f| f.chars().any(|c| simplified(c) != c))
            .collect();
        assert!(
            traditional.is_empty(),
            "forms that never match: {traditional:?}"
        );
    }
}
