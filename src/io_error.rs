//! One wording for I/O errors in messages: the system's reason, lower-case, on one line, and
//! without the ` (os error N)` tail that only some of Rust's messages carry.

use std::io;

/// `No space left on device (os error 28)` → `no space left on device`.
pub fn brief(e: &io::Error) -> String {
    let text = e.to_string().replace(['\n', '\r'], " ");
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => text.as_str(),
    };
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        // Lower-case a capitalized word ("Permission"), not an acronym ("EOF").
        (Some(first), Some(second))
            if first.is_ascii_uppercase() && !second.is_ascii_uppercase() =>
        {
            first.to_ascii_lowercase().to_string() + &text[1..]
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::brief;
    use std::io;

    #[test]
    fn one_wording_for_os_and_custom_errors() {
        assert_eq!(
            brief(&io::Error::from_raw_os_error(28)),
            "no space left on device"
        );
        assert_eq!(
            brief(&io::Error::from_raw_os_error(13)),
            "permission denied"
        );
        assert_eq!(brief(&io::Error::other("EOF\nhere")), "EOF here");
    }
}
