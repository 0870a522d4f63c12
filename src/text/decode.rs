//! Bytes to text: Chinese files come as UTF-8, GB18030/GBK, Big5 or UTF-16, often unlabeled.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Why a file's bytes could not be taken as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("looks like a binary file, not text")]
    Binary,
    #[error("unknown encoding {0:?} (try utf-8, gb18030, gbk, big5, utf-16le, utf-16be)")]
    UnknownEncoding(String),
}

/// Decoded text and the encoding it was read with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// Looks up an encoding by a label such as `gbk`, `GB18030`, `big5`, `utf-16le`.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, DecodeError> {
    Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| DecodeError::UnknownEncoding(label.to_string()))
}

/// Decodes bytes, detecting the encoding unless `forced` is given.
///
/// Order: a byte-order mark wins; then `forced`; then NUL bytes mean binary (or BOM-less
/// UTF-16); then valid (or almost valid) UTF-8; then chardetng's guess. Text that decodes with
/// many errors under the guess is reported as binary rather than shown as mojibake.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(decode_with(encoding, &bytes[bom_len..]).0);
    }
    if let Some(encoding) = forced {
        return Ok(decode_with(encoding, bytes).0);
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if memchr::memchr(0, sample).is_some() {
        return match utf16_without_bom(sample) {
            Some(encoding) => checked(decode_with(encoding, bytes)),
            None => Err(DecodeError::Binary),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            encoding: UTF_8,
        }),
        Err(_) => {
            let (utf8, errors) = decode_with(UTF_8, bytes);
            if errors * 1000 <= utf8.text.chars().count() {
                // A cut-off last character or a stray byte in an otherwise UTF-8 file.
                return Ok(utf8);
            }
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            checked(decode_with(
                detector.guess(None, chardetng::Utf8Detection::Allow),
                bytes,
            ))
        }
    }
}

/// [`decode`] of bytes the caller gives up: a UTF-8 file (most are) becomes the text without
/// a copy, so a long book is not held twice while it is read.
pub fn decode_owned(
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    // The cases `decode` looks at before it takes valid UTF-8 as it is.
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if Encoding::for_bom(&bytes).is_some()
        || forced.is_some()
        || memchr::memchr(0, sample).is_some()
    {
        return decode(&bytes, forced);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: UTF_8,
        }),
        Err(e) => decode(e.as_bytes(), forced),
    }
}

/// Rejects a decoding where more than 1% of characters were undecodable or are control
/// characters no text file has (single-byte encodings decode any noise without errors).
fn checked((decoded, errors): (Decoded, usize)) -> Result<Decoded, DecodeError> {
    let odd = decoded
        .text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b'))
        .count();
    if (errors + odd) * 100 > decoded.text.chars().count().max(1) {
        Err(DecodeError::Binary)
    } else {
        Ok(decoded)
    }
}

/// Decodes without BOM sniffing; returns the text and the number of replaced sequences.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> (Decoded, usize) {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let errors = text
        .matches('\u{FFFD}')
        .count()
        .saturating_sub(count_literal_replacement(encoding, bytes));
    (
        Decoded {
            text: text.into_owned(),
            encoding,
        },
        errors,
    )
}

/// U+FFFD characters that were in the file itself (UTF-8 only) are not decoding errors.
fn count_literal_replacement(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    if encoding != UTF_8 {
        return 0;
    }
    memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count()
}

/// UTF-16 text without a BOM shows NUL in every other byte for Latin text; for CJK text it
/// does not, so this only rescues mostly-ASCII UTF-16.
fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let (mut even_zero, mut odd_zero) = (0, 0);
    for pair in sample.chunks_exact(2) {
        even_zero += usize::from(pair[0] == 0);
        odd_zero += usize::from(pair[1] == 0);
    }
    if odd_zero * 10 >= pairs * 4 && even_zero * 20 < pairs {
        Some(UTF_16LE)
    } else if even_zero * 10 >= pairs * 4 && odd_zero * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{BIG5, GB18030, GBK};

    const SAMPLE: &str = "作为一款月活超3亿的国民APP，小红书近几年的发展并没有走出字节速度，\
        这也让这家公司的未来变得模糊起来。相信最近大家都能刷到阿里千问的广告。";

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(SAMPLE.as_bytes(), None).unwrap().text, SAMPLE);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&bom, None).unwrap();
        assert_eq!(d.text, SAMPLE);
        assert_eq!(d.encoding, UTF_8);
    }

    /// Owned bytes decode as borrowed ones do, in every case `decode` tells apart.
    #[test]
    fn owned_bytes_decode_the_same() {
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let mut cut = SAMPLE.as_bytes().to_vec();
        cut.pop();
        let utf16: Vec<u8> = "Hello, world. This is a plain English text."
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let gbk = Some(encoding_for_label("gbk").unwrap());
        for (bytes, forced) in [
            (SAMPLE.as_bytes().to_vec(), None),
            (bom, None),
            (cut, None),
            (utf16, None),
            (encode(GB18030, SAMPLE), None),
            (encode(GBK, SAMPLE), gbk),
            (SAMPLE.as_bytes().to_vec(), gbk),
            (b"\x00\x01\x02binary".to_vec(), None),
            (Vec::new(), None),
        ] {
            assert_eq!(
                decode_owned(bytes.clone(), forced),
                decode(&bytes, forced),
                "{bytes:?}"
            );
        }
        assert_eq!(decode_owned(SAMPLE.into(), None).unwrap().text, SAMPLE);
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        for (bom, little) in [(&b"\xFF\xFE"[..], true), (&b"\xFE\xFF"[..], false)] {
            let mut bytes = bom.to_vec();
            for unit in SAMPLE.encode_utf16() {
                let b = if little {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend_from_slice(&b);
            }
            assert_eq!(decode(&bytes, None).unwrap().text, SAMPLE);
        }
    }

    #[test]
    fn utf16_le_without_bom_when_mostly_latin() {
        let text = "Hello, world. This is a plain English text.";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&bytes, None).unwrap().text, text);
    }

    #[test]
    fn gb18030_and_gbk_are_detected() {
        let d = decode(&encode(GB18030, SAMPLE), None).unwrap();
        assert_eq!(d.text, SAMPLE);
        assert!(
            d.encoding == GBK || d.encoding == GB18030,
            "{}",
            d.encoding.name()
        );
    }

    #[test]
    fn big5_is_detected() {
        let traditional = "作為一款月活超過三億的國民應用程式，小紅書近幾年的發展並沒有走出位元組速度，\
            這也讓這家公司的未來變得模糊起來。相信最近大家都能看到阿里巴巴的廣告。";
        let d = decode(&encode(BIG5, traditional), None).unwrap();
        assert_eq!(d.encoding, BIG5);
        assert_eq!(d.text, traditional);
    }

    #[test]
    fn forced_encoding_is_used() {
        let bytes = encode(GBK, SAMPLE);
        let d = decode(&bytes, Some(encoding_for_label("gbk").unwrap())).unwrap();
        assert_eq!(d.text, SAMPLE);
        assert!(encoding_for_label("klingon").is_err());
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
        assert_eq!(decode(png, None), Err(DecodeError::Binary));
    }

    #[test]
    fn undecodable_noise_is_binary() {
        // Deterministic high-byte noise without NULs.
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                ((x >> 16) as u8) | 0x80
            })
            .collect();
        assert_eq!(decode(&noise, None), Err(DecodeError::Binary));
    }

    #[test]
    fn a_cut_off_last_character_keeps_utf8() {
        let mut bytes = SAMPLE.repeat(20).into_bytes();
        bytes.extend_from_slice(&"字".as_bytes()[..2]);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.starts_with(SAMPLE));
    }

    #[test]
    fn empty_input_is_empty_text() {
        assert_eq!(decode(b"", None).unwrap().text, "");
    }
}
