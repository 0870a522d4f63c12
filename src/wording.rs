//! Counts and articles in English messages, so they read right for one as for many.

/// `1 highlight`, `2 highlights`: the count and the word, plural unless there is exactly one.
pub fn counted(n: usize, word: &str) -> String {
    format!("{n} {}", plural(n, word))
}

/// `word`, with an `s` unless there is exactly one.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// `a person`, `an organization`: the indefinite article for `word`, by its first letter.
pub fn a(word: &str) -> String {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u'));
    format!("{} {word}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_many() {
        assert_eq!(counted(1, "note"), "1 note");
        assert_eq!(counted(0, "note"), "0 notes");
        assert_eq!(a("organization"), "an organization");
        assert_eq!(a("person"), "a person");
    }
}
