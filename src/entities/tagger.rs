//! A learned character-level name tagger (people, organisations, places, works).
//!
//! The model is an averaged structured perceptron trained offline by `tools/ner/train.py` and
//! bundled as `assets/ner-model.bin` (format and data in `tools/ner/README.md`; licence in
//! `assets/NER-MODEL-LICENSE`). This module only runs it, with the standard library alone:
//!
//! * the text is cut into chunks after 。！？!?；; and at line breaks, at most 256 characters
//!   each, so the work is linear in the document's length;
//! * each character gets 13 hashed features (the character, its neighbours at -2..+2, four
//!   bigrams and a skip-bigram, a class trigram, a surname flag), specified in
//!   `tools/ner/features.py` and reproduced here byte for byte: FNV-1a 64 over the feature's
//!   bytes, hashed incrementally without building strings;
//! * integer Viterbi over 9 BIO tags, where I-X may only follow B-X or I-X; ties go to the lower
//!   tag index, as in numpy's `argmax`, so Rust and Python agree exactly
//!   (`tests/ner_parity.rs`).
//!
//! **Confidence.** For a span s..e of the best path, the margin m is the best path's score minus
//! the best score of any path that does not contain exactly this span (its start tagged other
//! than B-X, a later character other than I-X, or the span running on into the next
//! character), found from max-marginals (forward + backward Viterbi scores), times the weight
//! scale. The confidence is the logistic `1 / (1 + exp(-(a·m + b)))`, with `a` and `b` fitted
//! on the UNER dev split to whether a predicted span was exactly right. The margin is never
//! negative; on the pizhu test split spans at ≥ 0.7 are right about nine times in ten.

use std::sync::OnceLock;

use super::EntityKind;

const BUILTIN: &[u8] = include_bytes!("../../assets/ner-model.bin");

const MAGIC: &[u8; 8] = b"PZNERMDL";
const VERSION: u32 = 1;
const FEATURE_SET: u32 = 1;
const TAG_NAMES: [&str; N_TAGS] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-WORK", "I-WORK",
];
const N_TAGS: usize = 9;
const N_FEATURES: usize = 13;
const O: usize = 0;
/// Longest chunk, in characters.
pub const MAX_CHUNK: usize = 256;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;
/// Below every real path score (|score| < 256 × (2²⁰ + 13 × 127)) and far from overflow.
const NEG: i32 = i32::MIN / 4;

/// A name the tagger found: byte offsets into the text given to [`Tagger::tag`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tagged {
    pub start: usize,
    pub end: usize,
    /// [`EntityKind::Person`], [`EntityKind::Organization`], [`EntityKind::Place`] or
    /// [`EntityKind::Work`].
    pub kind: EntityKind,
    /// 0..1, from the path-score margin (see the module docs).
    pub confidence: f32,
}

/// Why model bytes were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    Truncated,
    BadMagic,
    Version(u32),
    FeatureSet(u32),
    Tags,
    Surnames,
    Size,
    Checksum,
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Truncated => write!(f, "the model file is truncated"),
            Self::BadMagic => write!(f, "not a pizhu name-tagger model"),
            Self::Version(v) => write!(f, "unsupported model format version {v}"),
            Self::FeatureSet(v) => write!(f, "unsupported feature set {v}"),
            Self::Tags => write!(f, "unexpected tag list"),
            Self::Surnames => write!(f, "the surname list is not UTF-8"),
            Self::Size => write!(f, "the model's sizes do not add up"),
            Self::Checksum => write!(f, "the model's checksum does not match"),
        }
    }
}

impl std::error::Error for ModelError {}

pub struct Tagger {
    buckets: u64,
    scale: f64,
    conf_a: f64,
    conf_b: f64,
    /// `[from][to]`; row `N_TAGS` is the start row. `NEG` where not `ALLOWED`.
    trans: [[i32; N_TAGS]; N_TAGS + 1],
    weights: Vec<[i8; N_TAGS]>,
    /// Surname flags of the Basic Multilingual Plane, one bit a code point.
    surname_bmp: Vec<u64>,
    surname_astral: Vec<char>,
}

/// May tag `to` follow tag `from` (`from == N_TAGS`: the chunk's start)?
const fn allowed(from: usize, to: usize) -> bool {
    // I-X tags are the even indices 2, 4, 6, 8; their B-X is the index before.
    if to == 0 || to % 2 == 1 {
        return true;
    }
    from == to || from + 1 == to
}

const ALLOWED: [[bool; N_TAGS]; N_TAGS + 1] = {
    let mut a = [[false; N_TAGS]; N_TAGS + 1];
    let mut f = 0;
    while f <= N_TAGS {
        let mut t = 0;
        while t < N_TAGS {
            a[f][t] = allowed(f, t);
            t += 1;
        }
        f += 1;
    }
    a
};

fn kind_of(tag: usize) -> EntityKind {
    match tag {
        1 | 2 => EntityKind::Person,
        3 | 4 => EntityKind::Organization,
        5 | 6 => EntityKind::Place,
        _ => EntityKind::Work,
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(n).ok_or(ModelError::Truncated)?;
        let s = self.bytes.get(self.pos..end).ok_or(ModelError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        self.u32().map(f32::from_bits)
    }
}

/// FNV-1a over one character's UTF-8 bytes, packed by [`pack`], unrolled by length.
#[inline(always)]
fn fnv_char(h: u64, packed: u64) -> u64 {
    let step = |h: u64, b: u64| (h ^ (b & 0xff)).wrapping_mul(FNV_PRIME);
    match packed >> 32 {
        3 => step(step(step(h, packed), packed >> 8), packed >> 16),
        1 => step(h, packed),
        2 => step(step(h, packed), packed >> 8),
        _ => step(
            step(step(step(h, packed), packed >> 8), packed >> 16),
            packed >> 24,
        ),
    }
}

/// A character's UTF-8 bytes in the low 32 bits (first byte lowest), its length above.
fn pack(c: char) -> u64 {
    let mut buf = [0u8; 4];
    let len = c.encode_utf8(&mut buf).len();
    u64::from(u32::from_le_bytes(buf)) | (len as u64) << 32
}

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

impl Tagger {
    /// The model bundled with pizhu, parsed once. Should the bundled bytes ever be refused
    /// (a test makes sure they are not), this is an inert tagger that finds nothing.
    pub fn builtin() -> &'static Tagger {
        static TAGGER: OnceLock<Tagger> = OnceLock::new();
        TAGGER.get_or_init(|| Tagger::from_bytes(BUILTIN).unwrap_or_else(|_| Tagger::inert()))
    }

    /// A tagger that finds nothing.
    fn inert() -> Tagger {
        Tagger {
            buckets: 0,
            scale: 0.0,
            conf_a: 0.0,
            conf_b: 0.0,
            trans: [[0; N_TAGS]; N_TAGS + 1],
            weights: Vec::new(),
            surname_bmp: Vec::new(),
            surname_astral: Vec::new(),
        }
    }

    /// Parses a model file (format in `tools/ner/train.py`). Never panics on bad input.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        if bytes.len() < 8 + 8 {
            return Err(ModelError::Truncated);
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        let mut r = Reader {
            bytes: body,
            pos: 0,
        };
        if r.take(8)? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let expected = u64::from_le_bytes(sum.try_into().map_err(|_| ModelError::Truncated)?);
        if fnv(FNV_OFFSET, body) != expected {
            return Err(ModelError::Checksum);
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(ModelError::Version(version));
        }
        let feature_set = r.u32()?;
        if feature_set != FEATURE_SET {
            return Err(ModelError::FeatureSet(feature_set));
        }
        let buckets = r.u32()? as usize;
        if r.u32()? as usize != N_TAGS || buckets == 0 {
            return Err(ModelError::Size);
        }
        let (scale, conf_a, conf_b) = (r.f32()?, r.f32()?, r.f32()?);
        if ![scale, conf_a, conf_b].iter().all(|x| x.is_finite()) {
            return Err(ModelError::Size);
        }
        let len = r.u32()? as usize;
        let names = std::str::from_utf8(r.take(len)?).map_err(|_| ModelError::Tags)?;
        if !names.split('\n').eq(TAG_NAMES.iter().copied()) {
            return Err(ModelError::Tags);
        }
        let len = r.u32()? as usize;
        let surnames = std::str::from_utf8(r.take(len)?).map_err(|_| ModelError::Surnames)?;
        let mut surname_bmp = vec![0u64; 0x1_0000 / 64];
        let mut surname_astral = Vec::new();
        for c in surnames.chars() {
            let o = c as usize;
            if o < 0x1_0000 {
                surname_bmp[o / 64] |= 1 << (o % 64);
            } else {
                surname_astral.push(c);
            }
        }
        surname_astral.sort_unstable();
        let mut trans = [[0i32; N_TAGS]; N_TAGS + 1];
        for (from, row) in trans.iter_mut().enumerate() {
            for (to, v) in row.iter_mut().enumerate() {
                let b = r.take(4)?;
                let x = i32::from_le_bytes([b[0], b[1], b[2], b[3]]).clamp(-(1 << 20), 1 << 20);
                *v = if ALLOWED[from][to] { x } else { NEG };
            }
        }
        let raw = r.take(buckets.checked_mul(N_TAGS).ok_or(ModelError::Size)?)?;
        if r.pos != body.len() {
            return Err(ModelError::Size);
        }
        let weights = raw
            .chunks_exact(N_TAGS)
            .map(|c| std::array::from_fn(|t| c[t] as i8))
            .collect();
        Ok(Tagger {
            buckets: buckets as u64,
            scale: f64::from(scale),
            conf_a: f64::from(conf_a),
            conf_b: f64::from(conf_b),
            trans,
            weights,
            surname_bmp,
            surname_astral,
        })
    }

    /// [`Tagger::tag`] on up to `threads` threads, each taking a part of `text` that ends at a
    /// line break. Chunks never span a line break, so the result is the same.
    pub fn tag_on(&self, text: &str, threads: usize) -> Vec<Tagged> {
        let parts = split_at_lines(text, threads.max(1));
        if parts.len() < 2 {
            return self.tag(text);
        }
        let tagged: Vec<Vec<Tagged>> = std::thread::scope(|s| {
            let handles: Vec<_> = parts[1..]
                .iter()
                .map(|r| {
                    let part = &text[r.clone()];
                    std::thread::Builder::new()
                        .name("pizhu-tagger".into())
                        .spawn_scoped(s, move || self.tag(part))
                })
                .collect();
            let mut out = vec![self.tag(&text[parts[0].clone()])];
            for (r, h) in parts[1..].iter().zip(handles) {
                out.push(match h {
                    Ok(h) => h.join().unwrap_or_else(|_| self.tag(&text[r.clone()])),
                    Err(_) => self.tag(&text[r.clone()]),
                });
            }
            out
        });
        parts
            .iter()
            .zip(tagged)
            .flat_map(|(r, spans)| {
                let base = r.start;
                spans.into_iter().map(move |t| Tagged {
                    start: t.start + base,
                    end: t.end + base,
                    ..t
                })
            })
            .collect()
    }

    /// People, organisations, places and works in `text`, in order, with byte offsets.
    pub fn tag(&self, text: &str) -> Vec<Tagged> {
        let mut out = Vec::new();
        if self.weights.is_empty() {
            return out;
        }
        let mut work = Work::default();
        for_each_chunk(text, |start, chunk| {
            work.load(chunk, start, self);
            self.decode(&mut work, &mut out);
        });
        out
    }

    fn is_surname(&self, c: char) -> bool {
        let o = c as usize;
        if o < 0x1_0000 {
            self.surname_bmp[o / 64] >> (o % 64) & 1 == 1
        } else {
            self.surname_astral.binary_search(&c).is_ok()
        }
    }

    #[inline]
    fn bucket(&self, h: u64) -> usize {
        (((h >> 32) * self.buckets) >> 32) as usize
    }

    /// Emission scores of every position of the loaded chunk.
    fn emissions(&self, w: &mut Work) {
        let n = w.offsets.len();
        w.emit.clear();
        // Hash states after [template byte] for the templates that start with a character.
        let seed: [u64; 11] = std::array::from_fn(|t| fnv(FNV_OFFSET, &[t as u8]));
        let bias = self.bucket(seed[0]);
        for i in 0..n {
            // Padded positions i..i+5 are characters -2..+2 of position i.
            let (Some(c), Some(cls), Some(sur)) = (
                w.chars.get(i..i + 5),
                w.class.get(i..i + 5),
                w.sur.get(i..i + 5),
            ) else {
                break;
            };
            let mut b = [0usize; N_FEATURES];
            b[0] = bias;
            b[1] = self.bucket(fnv_char(seed[1], c[2]));
            b[2] = self.bucket(fnv_char(seed[2], c[1]));
            b[3] = self.bucket(fnv_char(seed[3], c[3]));
            b[4] = self.bucket(fnv_char(seed[4], c[0]));
            b[5] = self.bucket(fnv_char(seed[5], c[4]));
            b[6] = self.bucket(fnv_char(fnv_char(seed[6], c[1]), c[2]));
            b[7] = self.bucket(fnv_char(fnv_char(seed[7], c[2]), c[3]));
            b[8] = self.bucket(fnv_char(fnv_char(seed[8], c[0]), c[1]));
            b[9] = self.bucket(fnv_char(fnv_char(seed[9], c[3]), c[4]));
            b[10] = self.bucket(fnv_char(fnv_char(seed[10], c[1]), c[3]));
            b[11] = self.bucket(fnv(FNV_OFFSET, &[11, cls[1], cls[2], cls[3]]));
            b[12] = self.bucket(fnv(FNV_OFFSET, &[12, sur[1], sur[2], cls[2]]));
            let mut acc = [0i32; N_TAGS];
            for &bi in &b {
                let row = &self.weights[bi];
                for t in 0..N_TAGS {
                    acc[t] += i32::from(row[t]);
                }
            }
            w.emit.push(acc);
        }
    }

    /// Viterbi, then spans with their margins.
    fn decode(&self, w: &mut Work, out: &mut Vec<Tagged>) {
        let n = w.offsets.len();
        if n == 0 {
            return;
        }
        self.emissions(w);
        let (emit, tr) = (&w.emit, &self.trans);
        w.alpha.clear();
        w.back.clear();
        // Disallowed moves score NEG: never the maximum, since O and B-X are always allowed
        // and I-X always has its B-X; so no test is needed in the loops.
        let first: [i32; N_TAGS] = std::array::from_fn(|t| tr[N_TAGS][t] + emit[0][t]);
        w.alpha.push(first);
        w.back.push([0; N_TAGS]);
        let mut prev = first;
        for em in &emit[1..] {
            let mut cur = [NEG; N_TAGS];
            let mut bp = [0u8; N_TAGS];
            for t in 0..N_TAGS {
                let (best, arg) = if t % 2 == 0 && t > 0 {
                    // I-X: only B-X (t - 1) and I-X itself may come before.
                    let (b, i) = (prev[t - 1] + tr[t - 1][t], prev[t] + tr[t][t]);
                    if i > b { (i, t) } else { (b, t - 1) }
                } else {
                    let mut best = prev[0] + tr[0][t];
                    let mut arg = 0;
                    for p in 1..N_TAGS {
                        let s = prev[p] + tr[p][t];
                        if s > best {
                            best = s;
                            arg = p;
                        }
                    }
                    (best, arg)
                };
                cur[t] = best + em[t];
                bp[t] = arg as u8;
            }
            w.alpha.push(cur);
            w.back.push(bp);
            prev = cur;
        }
        let last = &w.alpha[n - 1];
        let mut tag = 0;
        for t in 1..N_TAGS {
            if last[t] > last[tag] {
                tag = t;
            }
        }
        let best = last[tag];
        w.path.clear();
        w.path.resize(n, 0);
        for i in (0..n).rev() {
            w.path[i] = tag as u8;
            tag = w.back[i][tag] as usize;
        }
        if !w.path.iter().any(|&t| t != O as u8) {
            return;
        }
        // Backward scores: beta[i][t] = best score of i..n given tag t at i.
        w.beta.clear();
        w.beta.resize(n, [0; N_TAGS]);
        w.beta[n - 1] = emit[n - 1];
        for i in (0..n - 1).rev() {
            let next = w.beta[i + 1];
            w.beta[i] = std::array::from_fn(|t| {
                let mut m = i32::MIN;
                for u in 0..N_TAGS {
                    m = m.max(tr[t][u] + next[u]);
                }
                m + emit[i][t]
            });
        }
        let mut i = 0;
        while i < n {
            let t = w.path[i] as usize;
            if t == O || t.is_multiple_of(2) {
                i += 1;
                continue;
            }
            let mut e = i + 1;
            while e < n && w.path[e] as usize == t + 1 {
                e += 1;
            }
            // The best path without exactly this span: i is not B-X, or a later character of
            // it is not I-X, or the character after it is I-X; max-marginals give each.
            let mut other = i64::MIN;
            let columns = w.alpha.iter().zip(&w.beta).zip(emit);
            for (k, ((a, b), em)) in columns.enumerate().take(e + 1).skip(i) {
                for u in 0..N_TAGS {
                    let differs = if k == i {
                        u != t
                    } else if k < e {
                        u != t + 1
                    } else {
                        u == t + 1
                    };
                    if differs {
                        other = other.max(i64::from(a[u]) + i64::from(b[u]) - i64::from(em[u]));
                    }
                }
            }
            let margin = (i64::from(best) - other) as f64 * self.scale;
            let z = self.conf_a * margin + self.conf_b;
            let end = w.offsets.get(e).copied().unwrap_or(w.end);
            out.push(Tagged {
                start: w.offsets[i],
                end,
                kind: kind_of(t),
                confidence: (1.0 / (1.0 + (-z).exp())) as f32,
            });
            i = e;
        }
    }
}

/// Calls `f(byte_start, chunk)` for each chunk of `text`: cut after 。！？!?；; and after
/// `MAX_CHUNK` characters, and at line breaks, which belong to no chunk. Mirrors
/// `chunks()` in `tools/ner/convert.py`.
fn for_each_chunk(text: &str, mut f: impl FnMut(usize, &str)) {
    let mut start = 0;
    let mut count = 0;
    for (i, c) in text.char_indices() {
        if matches!(
            c,
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{0b}' | '\u{0c}' | '\u{85}'
        ) {
            if i > start {
                f(start, &text[start..i]);
            }
            start = i + c.len_utf8();
            count = 0;
        } else {
            count += 1;
            if matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';') || count >= MAX_CHUNK {
                let end = i + c.len_utf8();
                f(start, &text[start..end]);
                start = end;
                count = 0;
            }
        }
    }
    if start < text.len() {
        f(start, &text[start..]);
    }
}

/// Buffers reused from chunk to chunk.
#[derive(Default)]
struct Work {
    /// Byte offset of each character of the chunk in the whole text, and the chunk's end.
    offsets: Vec<usize>,
    end: usize,
    /// Per padded position (two before, two after): normalised UTF-8, class letter, surname.
    chars: Vec<u64>,
    class: Vec<u8>,
    sur: Vec<u8>,
    emit: Vec<[i32; N_TAGS]>,
    alpha: Vec<[i32; N_TAGS]>,
    back: Vec<[u8; N_TAGS]>,
    beta: Vec<[i32; N_TAGS]>,
    path: Vec<u8>,
}

impl Work {
    fn load(&mut self, chunk: &str, start: usize, tagger: &Tagger) {
        self.offsets.clear();
        self.chars.clear();
        self.class.clear();
        self.sur.clear();
        self.end = start + chunk.len();
        let mut push = |c: char, class: u8, sur: bool| {
            self.chars.push(pack(c));
            self.class.push(class);
            self.sur.push(if sur { b'1' } else { b'0' });
        };
        push('\u{2}', b'B', false);
        push('\u{2}', b'B', false);
        for (i, c) in chunk.char_indices() {
            self.offsets.push(start + i);
            let c = norm(c);
            push(c, class_of(c), tagger.is_surname(c));
        }
        push('\u{3}', b'B', false);
        push('\u{3}', b'B', false);
    }
}

/// Full-width ASCII to ASCII, ideographic space and tab to a space.
fn norm(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' | '\t' => ' ',
        _ => c,
    }
}

/// The class letter of `char_class()` in `tools/ner/features.py`.
fn class_of(c: char) -> u8 {
    match c as u32 {
        0x4e00..=0x9fff | 0x3400..=0x4dbf | 0xf900..=0xfaff | 0x2_0000..=0x3_134f | 0x3007 => b'H',
        0x41..=0x5a => b'U',
        0x61..=0x7a => b'L',
        o @ 0xc0..=0x24f if o != 0xd7 && o != 0xf7 => b'L',
        0x30..=0x39 => b'D',
        0xb7 | 0x30fb | 0x2027 | 0x2022 | 0xff65 | 0x2219 | 0x16eb => b'M',
        0x20 | 0x09 | 0xa0 => b'S',
        0x21..=0x7e
        | 0x2000..=0x206f
        | 0x3000..=0x303f
        | 0xff00..=0xffef
        | 0xfe10..=0xfe1f
        | 0xfe30..=0xfe4f => b'P',
        0x3040..=0x30ff | 0xac00..=0xd7af => b'K',
        0x2 | 0x3 => b'B',
        _ => b'O',
    }
}

/// `text` cut into up to `n` parts of about the same size, each ending after a line break (or
/// at the end).
fn split_at_lines(text: &str, n: usize) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..n {
        let mut target = (text.len() * k / n).max(start);
        while !text.is_char_boundary(target) {
            target += 1;
        }
        let Some(nl) = text[target..].find('\n') else {
            break;
        };
        let end = target + nl + 1;
        if end > start && end < text.len() {
            parts.push(start..end);
            start = end;
        }
    }
    parts.push(start..text.len());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagging_on_threads_gives_the_same_spans() {
        let text =
            "腾讯总部在深圳。\n马化腾说，王一生在北京下棋。\n\n华为的任正非去了上海。\n".repeat(20);
        let tagger = Tagger::builtin();
        let one = tagger.tag(&text);
        assert!(!one.is_empty());
        for threads in [2, 3, 7, 100] {
            assert_eq!(tagger.tag_on(&text, threads), one, "{threads}");
        }
        let whole = split_at_lines("没有换行", 4);
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0], 0.."没有换行".len());
    }

    #[test]
    fn builtin_model_parses() {
        Tagger::from_bytes(BUILTIN).expect("the bundled model parses");
        assert!(!Tagger::builtin().weights.is_empty());
    }

    #[test]
    fn corrupt_models_are_refused() {
        assert_eq!(Tagger::from_bytes(b"").err(), Some(ModelError::Truncated));
        let mut bad = BUILTIN.to_vec();
        bad[0] = b'X';
        assert_eq!(Tagger::from_bytes(&bad).err(), Some(ModelError::BadMagic));
        let mut bad = BUILTIN.to_vec();
        let mid = bad.len() / 2;
        bad[mid] ^= 1;
        assert_eq!(Tagger::from_bytes(&bad).err(), Some(ModelError::Checksum));
        for cut in [9, 40, 100, BUILTIN.len() / 2, BUILTIN.len() - 1] {
            assert!(Tagger::from_bytes(&BUILTIN[..cut]).is_err());
        }
    }

    /// `BUILTIN` with `edit` applied and the checksum redone, so the other checks are reached.
    fn edited(edit: impl FnOnce(&mut Vec<u8>)) -> Result<Tagger, ModelError> {
        let mut body = BUILTIN[..BUILTIN.len() - 8].to_vec();
        edit(&mut body);
        let sum = fnv(FNV_OFFSET, &body);
        body.extend_from_slice(&sum.to_le_bytes());
        Tagger::from_bytes(&body)
    }

    #[test]
    fn inconsistent_headers_are_refused() {
        assert!(edited(|_| ()).is_ok());
        let put =
            |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
        assert_eq!(edited(|b| put(b, 8, 2)).err(), Some(ModelError::Version(2)));
        assert_eq!(
            edited(|b| put(b, 12, 7)).err(),
            Some(ModelError::FeatureSet(7))
        );
        for buckets in [0, 1, 196_607, 196_609, u32::MAX] {
            assert!(
                edited(|b| put(b, 16, buckets)).is_err(),
                "{buckets} buckets"
            );
        }
        assert_eq!(edited(|b| put(b, 20, 8)).err(), Some(ModelError::Size));
        assert_eq!(
            edited(|b| put(b, 24, f32::NAN.to_bits())).err(),
            Some(ModelError::Size)
        );
        assert!(edited(|b| put(b, 36, u32::MAX)).is_err());
        assert_eq!(edited(|b| b[40] = b'X').err(), Some(ModelError::Tags));
        assert!(edited(|b| b.truncate(b.len() - 1)).is_err());
        assert!(edited(|b| b.push(0)).is_err());
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let mut state = 0x1234_5678_9abc_def0u64;
        let pool: Vec<char> =
            "张王李赵北京上海公司大学《》·。！？\n\r\t ＡＢ１ab9\u{2}\u{3}\u{3000}𠀀é"
                .chars()
                .collect();
        for _ in 0..200 {
            let len = (state >> 58) as usize * 9;
            let text: String = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    pool[(state >> 33) as usize % pool.len()]
                })
                .collect();
            for t in Tagger::builtin().tag(&text) {
                assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
                assert!(t.start < t.end && t.end <= text.len());
            }
        }
    }

    #[test]
    fn chunks_cut_like_the_python_side() {
        let mut got = Vec::new();
        for_each_chunk("甲。乙\n\n丙！?丁", |s, c| {
            got.push((s, c.to_string()))
        });
        let want = [(0, "甲。"), (6, "乙"), (11, "丙！"), (17, "?"), (18, "丁")];
        assert_eq!(got, want.map(|(s, c)| (s, c.to_string())));
        let long = "字".repeat(MAX_CHUNK + 3);
        let mut lens = Vec::new();
        for_each_chunk(&long, |_, c| lens.push(c.chars().count()));
        assert_eq!(lens, [MAX_CHUNK, 3]);
    }

    #[test]
    fn spans_are_on_char_boundaries_with_sane_confidence() {
        let text = "张伟昨天在北京见到了李娜。\r\nTim Cook 來到臺北，ＡＢＣ\t𠀀𠀁";
        for t in Tagger::builtin().tag(text) {
            assert!(t.start < t.end && text.is_char_boundary(t.start));
            assert!(text.is_char_boundary(t.end));
            assert!((0.0..=1.0).contains(&t.confidence));
        }
        assert!(Tagger::builtin().tag("").is_empty());
    }

    #[test]
    fn finds_common_names() {
        let text = "张伟昨天在北京见到了李娜。";
        let found: Vec<_> = Tagger::builtin()
            .tag(text)
            .into_iter()
            .map(|t| (&text[t.start..t.end], t.kind))
            .collect();
        assert!(found.contains(&("北京", EntityKind::Place)), "{found:?}");
    }
}
