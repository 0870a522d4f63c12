//! Time. What is stored and exported for machines (the record, W3C and JSON exports) is
//! RFC 3339 UTC with milliseconds, `2026-11-25T17:55:06.123Z`: fixed width, so such stamps also
//! sort in time order. What is shown to a person (the Notes tab, `list`, the Markdown export) is
//! in the machine's local time zone. Stamps that come from elsewhere (an import, an old record)
//! are [`normalize`]d first, and comparisons go by instant ([`cmp`]), never by text.

use std::cmp::Ordering;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Now, e.g. `2026-11-25T17:55:06.123Z`.
pub fn now() -> String {
    format_millis(now_millis())
}

/// Now in milliseconds since the epoch.
pub fn now_millis() -> i64 {
    Timestamp::now().as_millisecond()
}

/// Milliseconds since the Unix epoch as RFC 3339 UTC (clamped to what the years -9999–9999
/// can hold).
pub fn format_millis(ms: i64) -> String {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    });
    let t = TimeZone::UTC.to_datetime(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// The instant of an RFC 3339 stamp with any offset (`Z`, `+08:00`); `None` if it is not one.
pub fn parse(stamp: &str) -> Option<Timestamp> {
    let stamp = stamp.trim();
    // jiff also takes a bracketed zone annotation; a stamp here is plain RFC 3339.
    if stamp.is_empty() || stamp.len() > 64 || stamp.contains('[') {
        return None;
    }
    stamp.parse::<Timestamp>().ok()
}

/// Milliseconds since the epoch of an RFC 3339 stamp; `None` if it is not one.
pub fn parse_millis(stamp: &str) -> Option<i64> {
    parse(stamp).map(|t| t.as_millisecond())
}

/// A stamp from elsewhere in this module's stored form: UTC, milliseconds, and never later
/// than `now_ms` (a clock ahead, or a file claiming 2099, must not outrank every later edit).
pub fn normalize(stamp: &str, now_ms: i64) -> Option<String> {
    parse_millis(stamp).map(|ms| format_millis(ms.min(now_ms)))
}

/// Orders two stamps by the instants they name. A stamp that is not a time sorts first (it
/// loses every comparison), and equal instants compare equal whatever their spelling.
pub fn cmp(a: &str, b: &str) -> Ordering {
    let at = |s: &str| parse_millis(s).unwrap_or(i64::MIN);
    at(a).cmp(&at(b))
}

/// The stamp for an edit of something last modified at `previous`: now, or a millisecond
/// after `previous` if that is later, so an edit always outranks the version it changed
/// (clocks can step back, and two edits can fall in the same millisecond).
pub fn after(previous: &str) -> String {
    after_at(previous, now_millis())
}

/// [`after`] with now handed in (milliseconds since the epoch).
pub fn after_at(previous: &str, now_ms: i64) -> String {
    let ms = parse_millis(previous).map_or(now_ms, |p| now_ms.max(p.saturating_add(1)));
    format_millis(ms)
}

/// `2026-11-25T17:55:06.123Z` → `2026-11-26 01:55` at UTC+8: local time for lists, where
/// seconds are noise. A stamp that is not a time is shown as it is.
pub fn short(stamp: &str) -> String {
    short_in(stamp, &TimeZone::system())
}

/// [`short`] in the zone `tz`.
pub fn short_in(stamp: &str, tz: &TimeZone) -> String {
    match parse(stamp) {
        Some(t) => tz.to_datetime(t).strftime("%Y-%m-%d %H:%M").to_string(),
        None => stamp.to_string(),
    }
}

/// The stamp in local time with its offset, `2026-11-26T01:55:06+08:00`, for documents a
/// person reads (the Markdown export).
pub fn local_rfc3339(stamp: &str) -> String {
    local_rfc3339_in(stamp, &TimeZone::system())
}

/// [`local_rfc3339`] in the zone `tz`.
pub fn local_rfc3339_in(stamp: &str, tz: &TimeZone) -> String {
    match parse(stamp) {
        Some(t) => t
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        None => stamp.to_string(),
    }
}

/// How long ago `stamp` was, for lists: `just now`, `5 min ago`, `3 h ago`, then the local date.
pub fn ago(stamp: &str, now_ms: i64) -> String {
    ago_in(stamp, now_ms, &TimeZone::system())
}

/// [`ago`] with the date in the zone `tz`.
pub fn ago_in(stamp: &str, now_ms: i64, tz: &TimeZone) -> String {
    let Some(then) = parse(stamp) else {
        return stamp.to_string();
    };
    let secs = (now_ms - then.as_millisecond()) / 1000;
    match secs {
        ..60 => "just now".into(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        _ => tz.to_datetime(then).strftime("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc8() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(8))
    }

    #[test]
    fn known_instants() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_millis(1_795_629_306_123), "2026-11-25T17:55:06.123Z");
        assert!(
            format_millis(i64::MAX).starts_with("9999-12-"),
            "{}",
            format_millis(i64::MAX)
        );
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
        assert_eq!(parse_millis("2026-13-01T00:00:00Z"), None);
        assert_eq!(parse_millis("2026-11-25T17:55:06Z[Asia/Shanghai]"), None);
    }

    #[test]
    fn offsets_are_instants_and_normalize_to_utc() {
        let now = 1_800_000_000_000;
        assert_eq!(
            normalize("2026-11-26T01:55:06.123+08:00", now).as_deref(),
            Some("2026-11-25T17:55:06.123Z")
        );
        assert_eq!(
            cmp("2026-11-26T01:55:06+08:00", "2026-11-25T17:55:06Z"),
            Ordering::Equal
        );
        // As text the +08:00 stamp sorts later; as an instant it is earlier.
        assert_eq!(
            cmp("2026-11-26T01:00:00+08:00", "2026-11-25T18:00:00Z"),
            Ordering::Less
        );
        assert_eq!(cmp("junk", "1970-01-01T00:00:00Z"), Ordering::Less);
    }

    #[test]
    fn the_future_is_clamped_to_now() {
        let now = 1_800_000_000_000;
        assert_eq!(
            normalize("2099-01-01T00:00:00Z", now),
            Some(format_millis(now))
        );
        assert_eq!(normalize("not a time", now), None);
    }

    #[test]
    fn an_edit_outranks_the_version_it_changed() {
        let far = "9000-01-01T00:00:00.000Z";
        let next = after(far);
        assert_eq!(cmp(&next, far), Ordering::Greater);
        let before = now_millis();
        assert!(parse_millis(&after("junk")).unwrap() >= before);
        assert!(parse_millis(&after("1970-01-01T00:00:00Z")).unwrap() >= before);
    }

    #[test]
    fn ago_is_relative_for_a_day_then_a_local_date() {
        let now = 1_795_629_306_123;
        let at = |back_ms: i64| format_millis(now - back_ms);
        let utc = TimeZone::UTC;
        assert_eq!(ago_in(&at(5_000), now, &utc), "just now");
        assert_eq!(ago_in(&at(5 * 60_000), now, &utc), "5 min ago");
        assert_eq!(ago_in(&at(3 * 3_600_000), now, &utc), "3 h ago");
        assert_eq!(ago_in(&at(3 * 86_400_000), now, &utc), "2026-11-22");
    }

    #[test]
    fn a_morning_note_at_utc_plus_8_shows_that_morning() {
        // 08:30 in Shanghai on 26 November is 00:30 UTC the same day, 23:30 UTC the day before
        // for 07:30.
        let stamp = "2026-11-25T23:30:00.000Z";
        assert_eq!(short_in(stamp, &utc8()), "2026-11-26 07:30");
        assert_eq!(short_in(stamp, &TimeZone::UTC), "2026-11-25 23:30");
        let two_days_later = parse_millis(stamp).unwrap() + 2 * 86_400_000;
        assert_eq!(ago_in(stamp, two_days_later, &utc8()), "2026-11-26");
        assert_eq!(
            local_rfc3339_in(stamp, &utc8()),
            "2026-11-26T07:30:00+08:00"
        );
    }
}
