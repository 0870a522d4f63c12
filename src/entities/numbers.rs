//! Amounts of money, dates and counts: 260亿美元, 2025年12月31日, 去年6月5日, 30%, 3亿.

use std::collections::BTreeMap;

use super::{Entity, EntityKind, Mention, Tier};

/// Bytes of text read at a time (the piece then runs on to the end of its line): the rules
/// work on a table of characters, 16 bytes each, which for a whole book would be five times
/// the book.
const PIECE: usize = 1 << 16;
/// How many characters before a match the rules look at (a money word within ten).
const LOOK_BACK: usize = 10;

/// Money, date and number entities of `text`, grouped by their normalized value.
pub fn find(text: &str) -> Vec<Entity> {
    find_in_pieces(text, PIECE)
}

/// [`find`], reading pieces of at least `piece` bytes.
fn find_in_pieces(text: &str, piece: usize) -> Vec<Entity> {
    let year = article_year(text);
    let mut groups: BTreeMap<(EntityKind, String), Vec<Mention>> = BTreeMap::new();
    let mut chars: Vec<(usize, char)> = Vec::new();
    let mut start = 0;
    // No rule reads across a line break, so a piece that ends after one starts afresh where
    // a reading of the whole text would be, and finds the same; only the look back at a
    // money word needs the characters before the piece.
    while start < text.len() {
        let end = piece_end(text, start, piece);
        let from = text[..start]
            .char_indices()
            .rev()
            .take(LOOK_BACK)
            .last()
            .map_or(start, |(i, _)| i);
        chars.clear();
        chars.extend(text[from..end].char_indices().map(|(i, c)| (from + i, c)));
        let first = chars.partition_point(|c| c.0 < start);
        scan(text, &chars, first, year, &mut |kind, name, m| {
            groups.entry((kind, name)).or_default().push(m);
        });
        start = end;
    }
    groups
        .into_iter()
        .map(|((kind, name), mentions)| Entity {
            name,
            kind,
            tier: Tier::Known,
            reason: None,
            owner: None,
            mentions,
        })
        .collect()
}

/// Where the piece of `text` starting at `start` ends: just after the first line break at
/// least `piece` bytes on, or at the end.
fn piece_end(text: &str, start: usize, piece: usize) -> usize {
    let from = start + piece;
    if from >= text.len() {
        return text.len();
    }
    memchr::memchr(b'\n', &text.as_bytes()[from..]).map_or(text.len(), |i| from + i + 1)
}

/// Runs the rules from `chars[first]` to the end of `chars` (characters of `text` with their
/// byte offsets), passing each match to `found` in text order.
fn scan(
    text: &str,
    chars: &[(usize, char)],
    first: usize,
    year: Option<i32>,
    found: &mut dyn FnMut(EntityKind, String, Mention),
) {
    let mut i = first;
    while i < chars.len() {
        if !may_start(chars[i].1) {
            i += 1;
            continue;
        }
        if let Some((kind, name, len)) =
            date_at(chars, i, year).or_else(|| amount_at(text, chars, i))
        {
            let start = chars[i].0;
            let end = chars.get(i + len).map_or(text.len(), |c| c.0);
            found(kind, name, Mention { start, end });
            i += len;
        } else {
            // Skip the rest of a number so `12345` is not also read as `2345`.
            if is_digit(chars[i].1) {
                while i < chars.len() && (is_digit(chars[i].1) || chars[i].1 == '.') {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
    }
}

/// Whether a match can start with `c`: a digit, a relative year (去年), a vague amount (大几,
/// 数) or a bare unit (百亿). Most characters cannot, and are passed over without trying the
/// rules.
fn may_start(c: char) -> bool {
    matches!(
        c,
        '0'..='9'
            | '前'
            | '去'
            | '今'
            | '明'
            | '大'
            | '几'
            | '数'
            | '上'
            | '万'
            | '千'
            | '百'
            | '十'
    )
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// The year of the article's own timestamp (the first `YYYY-MM-DD` or `YYYY年M月D日` in its
/// first lines), for resolving 去年6月5日.
pub fn article_year(text: &str) -> Option<i32> {
    let head: String = text.lines().take(6).collect::<Vec<_>>().join("\n");
    let chars: Vec<(usize, char)> = head.char_indices().collect();
    (0..chars.len()).find_map(|i| match date_at(&chars, i, None) {
        Some((_, name, _)) if name.len() >= 10 => name[..4].parse().ok(),
        _ => None,
    })
}

/// Reads digits at `i`: (value, number of chars).
fn digits(chars: &[(usize, char)], i: usize, max: usize) -> Option<(u32, usize)> {
    let mut n = 0;
    let mut value: u32 = 0;
    while i + n < chars.len() && n < max && is_digit(chars[i + n].1) {
        value = value * 10 + chars[i + n].1.to_digit(10).unwrap_or(0);
        n += 1;
    }
    (n > 0).then_some((value, n))
}

fn ch(chars: &[(usize, char)], i: usize) -> Option<char> {
    chars.get(i).map(|c| c.1)
}

/// A date starting at `i`: (date kind, normalized name, length in chars).
fn date_at(
    chars: &[(usize, char)],
    i: usize,
    year: Option<i32>,
) -> Option<(EntityKind, String, usize)> {
    if i > 0 && is_digit(chars[i - 1].1) {
        return None;
    }
    // 去年6月5日, 今年3月
    let relative = [('前', -2), ('去', -1), ('今', 0), ('明', 1)];
    for (first, delta) in relative {
        if ch(chars, i) == Some(first) && ch(chars, i + 1) == Some('年') {
            let (month, day, len) = month_day(chars, i + 2)?;
            let name = match year {
                Some(y) => full_date(y + delta, month, day),
                None => chars[i..i + 2 + len].iter().map(|c| c.1).collect(),
            };
            return Some((EntityKind::Date, name, 2 + len));
        }
    }
    let (y, n) = digits(chars, i, 5)?;
    if n == 4 && (1900..=2100).contains(&y) {
        let y = y as i32;
        match ch(chars, i + 4) {
            Some('-' | '/' | '.') => {
                let (m, mn) = digits(chars, i + 5, 2)?;
                if !matches!(ch(chars, i + 5 + mn), Some('-' | '/' | '.')) {
                    return None;
                }
                let (d, dn) = digits(chars, i + 6 + mn, 2)?;
                if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                    return None;
                }
                let mut len = 6 + mn + dn;
                let mut name = format!("{y:04}-{m:02}-{d:02}");
                // 2026-01-30 00:37:22
                if ch(chars, i + len) == Some(' ')
                    && let Some((h, 2)) = digits(chars, i + len + 1, 2)
                    && ch(chars, i + len + 3) == Some(':')
                    && let Some((min, 2)) = digits(chars, i + len + 4, 2)
                {
                    let mut time = format!("T{h:02}:{min:02}");
                    len += 6;
                    if ch(chars, i + len) == Some(':')
                        && let Some((s, 2)) = digits(chars, i + len + 1, 2)
                    {
                        time.push_str(&format!(":{s:02}"));
                        len += 3;
                    }
                    name.push_str(&time);
                }
                Some((EntityKind::Date, name, len))
            }
            Some(' ') if ch(chars, i + 5) == Some('年') => year_tail(chars, i, y, 6),
            Some('年') => year_tail(chars, i, y, 5),
            _ => None,
        }
    } else if n <= 2 {
        let (m, d, len) = month_day(chars, i)?;
        let name = match year {
            Some(y) => full_date(y, m, d),
            None => chars[i..i + len].iter().map(|c| c.1).collect(),
        };
        Some((EntityKind::Date, name, len))
    } else {
        None
    }
}

/// After `YYYY年`: a month and day, a month, a part of the year, or just the year.
fn year_tail(
    chars: &[(usize, char)],
    i: usize,
    y: i32,
    after: usize,
) -> Option<(EntityKind, String, usize)> {
    if let Some((m, d, len)) = month_day(chars, i + after) {
        return Some((EntityKind::Date, full_date(y, m, d), after + len));
    }
    if let Some((m, mn)) = digits(chars, i + after, 2)
        && ch(chars, i + after + mn) == Some('月')
        && (1..=12).contains(&m)
    {
        return Some((EntityKind::Date, format!("{y:04}-{m:02}"), after + mn + 1));
    }
    for (part, label) in [
        ("初", "early"),
        ("底", "end"),
        ("末", "end"),
        ("上半年", "H1"),
        ("下半年", "H2"),
    ] {
        if part
            .chars()
            .enumerate()
            .all(|(k, c)| ch(chars, i + after + k) == Some(c))
        {
            return Some((
                EntityKind::Date,
                format!("{y:04} ({label})"),
                after + part.chars().count(),
            ));
        }
    }
    Some((EntityKind::Date, format!("{y:04}"), after))
}

/// `6月5日` at `i`: (month, day, length).
fn month_day(chars: &[(usize, char)], i: usize) -> Option<(u32, u32, usize)> {
    let (m, mn) = digits(chars, i, 2)?;
    if ch(chars, i + mn) != Some('月') {
        return None;
    }
    let (d, dn) = digits(chars, i + mn + 1, 2)?;
    if !matches!(ch(chars, i + mn + 1 + dn), Some('日' | '号')) {
        return None;
    }
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((m, d, mn + dn + 2))
}

fn full_date(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

const CURRENCIES: &[(&str, &str)] = &[
    ("美元", "USD"),
    ("人民币", "CNY"),
    ("元", "CNY"),
    ("块", "CNY"),
    ("港元", "HKD"),
    ("港币", "HKD"),
    ("欧元", "EUR"),
    ("日元", "JPY"),
    ("英镑", "GBP"),
];

const UNITS: &[(&str, u64)] = &[
    ("万亿", 1_000_000_000_000),
    ("千亿", 100_000_000_000),
    ("百亿", 10_000_000_000),
    ("亿", 100_000_000),
    ("千万", 10_000_000),
    ("百万", 1_000_000),
    ("万", 10_000),
];

/// Words before an amount that make a bare 百亿 an amount of money.
const MONEY_CUES: &[&str] = &[
    "资金",
    "投资",
    "融资",
    "估值",
    "营收",
    "收入",
    "利润",
    "市值",
    "金额",
    "花费",
    "投入",
    "成本",
    "亏损",
    "销售额",
    "GMV",
    "补贴",
    "罚款",
];

/// Vague amounts: 大几百亿, 数十亿, 几千万.
const VAGUE: &[&str] = &["大几", "几", "数", "上"];

/// Units that are an amount without a number after a money word: 投入百亿.
const BARE_UNITS: &[&str] = &["万亿", "千亿", "百亿", "十亿", "千万", "百万"];

/// An amount at `i`: money with a currency (or a money word before it), a percentage, or a
/// count with 万/亿.
fn amount_at(text: &str, chars: &[(usize, char)], i: usize) -> Option<(EntityKind, String, usize)> {
    if i > 0 && (is_digit(chars[i - 1].1) || chars[i - 1].1 == '.') {
        return None;
    }
    let rest = |k: usize| chars.get(k).map_or("", |c| &text[c.0..]);
    // The number: digits (with . and ,) or a vague word.
    let (value, mut len, vague) = if let Some((_, n)) = digits(chars, i, 20) {
        let mut len = n;
        while matches!(ch(chars, i + len), Some('.' | ','))
            && ch(chars, i + len + 1).is_some_and(is_digit)
        {
            len += 1;
            len += digits(chars, i + len, 20).map_or(0, |d| d.1);
        }
        let s: String = chars[i..i + len]
            .iter()
            .map(|c| c.1)
            .filter(|c| *c != ',')
            .collect();
        (s.parse::<f64>().ok(), len, None)
    } else if let Some(v) = VAGUE.iter().find(|v| rest(i).starts_with(**v)) {
        (None, v.chars().count(), Some(*v))
    } else {
        // A bare 百亿 after a money word: 投入百亿.
        let unit = BARE_UNITS.iter().find(|u| rest(i).starts_with(**u))?;
        let prev = if i > 0 { chars[i - 1].1 } else { ' ' };
        if "零一二两三四五六七八九十几数大".contains(prev) {
            return None;
        }
        let before = &text[chars[i.saturating_sub(10)].0..chars[i].0];
        if !MONEY_CUES.iter().any(|c| before.contains(c)) {
            return None;
        }
        let n = unit.chars().count();
        let surface: String = chars[i..i + n].iter().map(|c| c.1).collect();
        return Some((EntityKind::Money, format!("CNY {surface}"), n));
    };
    if let Some(v) = vague {
        // A vague word must be followed by a unit: 大几百亿.
        let after = rest(i + len);
        if !UNITS.iter().any(|(u, _)| after.starts_with(u)) {
            return None;
        }
        let _ = v;
    }
    // Percent.
    if vague.is_none() && matches!(ch(chars, i + len), Some('%' | '％')) {
        let name: String = chars[i..i + len].iter().map(|c| c.1).collect();
        return Some((EntityKind::Number, format!("{name}%"), len + 1));
    }
    let mut multiplier = 1u64;
    let mut has_unit = false;
    if let Some((u, m)) = UNITS.iter().find(|(u, _)| rest(i + len).starts_with(u)) {
        multiplier = *m;
        len += u.chars().count();
        has_unit = true;
    }
    let currency = CURRENCIES
        .iter()
        .find(|(c, _)| rest(i + len).starts_with(c))
        .map(|(c, code)| {
            len += c.chars().count();
            *code
        });
    let surface: String = chars[i..i + len].iter().map(|c| c.1).collect();
    let before = &text[chars[i.saturating_sub(10)].0..chars[i].0];
    let cued = MONEY_CUES.iter().any(|c| before.contains(c));
    match (currency, has_unit) {
        (Some(code), _) => Some((
            EntityKind::Money,
            money_name(code, value, multiplier, &surface),
            len,
        )),
        (None, true) if cued => Some((
            EntityKind::Money,
            money_name("CNY", value, multiplier, &surface),
            len,
        )),
        (None, true) => Some((EntityKind::Number, surface, len)),
        (None, false) => None,
    }
}

/// `USD 26,000,000,000` for exact amounts; the text itself for vague ones.
fn money_name(code: &str, value: Option<f64>, multiplier: u64, surface: &str) -> String {
    match value {
        Some(v) if (v * multiplier as f64) < 1e18 => {
            let total = (v * multiplier as f64).round() as u64;
            format!("{code} {}", group_thousands(total))
        }
        _ => format!("{code} {surface}"),
    }
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(EntityKind, String)> {
        find(text).into_iter().map(|e| (e.kind, e.name)).collect()
    }

    #[test]
    fn money_with_currency_is_normalized() {
        let n = names("估值已狂飙至260亿美元，较2025年初的200亿美元增长30%。");
        assert!(
            n.contains(&(EntityKind::Money, "USD 26,000,000,000".into())),
            "{n:?}"
        );
        assert!(n.contains(&(EntityKind::Money, "USD 20,000,000,000".into())));
        assert!(n.contains(&(EntityKind::Number, "30%".into())));
        assert!(n.contains(&(EntityKind::Date, "2025 (early)".into())));
    }

    #[test]
    fn vague_money_needs_a_money_word() {
        let n = names("投入的资金至少大几百亿，月活超3亿。");
        assert!(
            n.contains(&(EntityKind::Money, "CNY 大几百亿".into())),
            "{n:?}"
        );
        assert!(n.contains(&(EntityKind::Number, "3亿".into())));
    }

    #[test]
    fn a_bare_unit_after_a_money_word_is_money() {
        let n = names("大厂都会投入百亿甚至更高的资金。");
        assert!(n.contains(&(EntityKind::Money, "CNY 百亿".into())), "{n:?}");
        assert!(names("百亿级别的市场").is_empty());
    }

    #[test]
    fn dates_absolute_and_relative() {
        let text = "标题\n2026-01-30 00:37:22\n\n截至2025年12月31日，去年6月5日，2026年大概率。";
        let n = names(text);
        for want in ["2026-01-30T00:37:22", "2025-12-31", "2025-06-05", "2026"] {
            assert!(
                n.contains(&(EntityKind::Date, want.into())),
                "{want} in {n:?}"
            );
        }
        assert_eq!(article_year(text), Some(2026));
    }

    /// Reading a line at a time (or any number of lines) finds what a reading of the whole
    /// text finds: with money words, numbers and dates at the ends of lines.
    #[test]
    fn pieces_find_what_the_whole_text_has() {
        let text = "标题\n2026-01-30 00:37:22\n融资\n3亿，估值\n260亿美元。1234\n5678\n\
                    30%\n2025年\n12月31日去年6月5日\n投入\n百亿。\n\n大几百亿\n数十亿元2025-01-02\n\
                    12.5\n万，末尾100亿美元";
        let whole = find_in_pieces(text, text.len());
        assert!(whole.len() >= 8, "{whole:?}");
        for piece in [0, 1, 5, 17, 64] {
            assert_eq!(
                find_in_pieces(text, piece),
                whole,
                "pieces of {piece} bytes"
            );
        }
        assert_eq!(find(text), whole);
    }

    /// Every word a rule starts with passes [`may_start`].
    #[test]
    fn every_start_of_a_match_may_start_one() {
        let words = VAGUE.iter().chain(BARE_UNITS).copied();
        for first in words.chain(["前年", "去年", "今年", "明年", "0123456789"]) {
            for c in first
                .chars()
                .take(if first.starts_with('0') { 10 } else { 1 })
            {
                assert!(may_start(c), "{c}");
            }
        }
        assert!(!may_start('年') && !may_start('的') && !may_start('a'));
    }

    #[test]
    fn plain_numbers_are_not_entities() {
        assert!(names("第12345号，共3个").is_empty());
    }
}
