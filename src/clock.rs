//! Wall-clock time as RFC 3339 text (UTC, milliseconds): what the store and the exports write.
//! Fixed-width UTC strings also sort in time order, which merging relies on.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, e.g. `2026-11-25T17:55:06.123Z`.
pub fn now() -> String {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    format_millis(ms)
}

/// Milliseconds since the Unix epoch as RFC 3339 UTC.
pub fn format_millis(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// `2026-11-25T17:55:06.123Z` → `2026-11-25 17:55` (for lists, where seconds are noise).
pub fn short(stamp: &str) -> String {
    stamp.get(..16).unwrap_or(stamp).replacen('T', " ", 1)
}

/// Milliseconds since the epoch of a stamp in [`format_millis`]'s form (or without the
/// fraction); `None` if it is not one.
pub fn parse_millis(stamp: &str) -> Option<i64> {
    let b = stamp.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> { stamp.get(r)?.parse::<i64>().ok() };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let ms = if b.get(19) == Some(&b'.') {
        num(20..23).unwrap_or(0)
    } else {
        0
    };
    let days = days_from_civil(y, m, d);
    Some(((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + ms)
}

/// How long ago `stamp` was, for lists: `just now`, `5 min ago`, `3 h ago`, then the date.
pub fn ago(stamp: &str, now_ms: i64) -> String {
    let Some(then) = parse_millis(stamp) else {
        return stamp.to_string();
    };
    let secs = (now_ms - then) / 1000;
    match secs {
        ..60 => "just now".into(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        _ => stamp.get(..10).unwrap_or(stamp).to_string(),
    }
}

/// Now in milliseconds since the epoch.
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// (year, month, day) to days since 1970-01-01 (the inverse of `civil_from_days`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_millis(1_795_629_306_123), "2026-11-25T17:55:06.123Z");
    }

    #[test]
    fn parse_inverts_format() {
        for ms in [0, 951_782_400_000, 1_795_629_306_123, -86_400_000] {
            assert_eq!(parse_millis(&format_millis(ms)), Some(ms));
        }
        assert_eq!(
            parse_millis("2026-11-25T17:55:06Z"),
            Some(1_795_629_306_000)
        );
        assert_eq!(parse_millis("yesterday"), None);
    }

    #[test]
    fn ago_is_relative_for_a_day_then_a_date() {
        let now = 1_795_629_306_123;
        let at = |back_ms: i64| format_millis(now - back_ms);
        assert_eq!(ago(&at(5_000), now), "just now");
        assert_eq!(ago(&at(5 * 60_000), now), "5 min ago");
        assert_eq!(ago(&at(3 * 3_600_000), now), "3 h ago");
        assert_eq!(ago(&at(3 * 86_400_000), now), "2026-11-22");
    }

    #[test]
    fn short_drops_seconds() {
        assert_eq!(short("2026-11-25T17:55:06.123Z"), "2026-11-25 17:55");
    }
}
