//! The gazetteer: known names, their kinds, aliases and owners, as data (assets/gazetteer.tsv).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::kind::EntityKind;

/// The bundled gazetteer.
pub const BUILTIN: &str = include_str!("../../assets/gazetteer.tsv");

/// One known entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub kind: EntityKind,
    /// The name first, then the aliases.
    pub forms: Vec<String>,
    /// Per form: also an ordinary word (快手, 元宝), so a mention needs a second signal.
    pub common: Vec<bool>,
    /// Index of the owning entry (抖音 → 字节跳动).
    pub owner: Option<usize>,
}

/// A line of the gazetteer that could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("gazetteer line {line}: {message}")]
pub struct GazetteerError {
    pub line: usize,
    pub message: String,
}

/// Entries plus a matcher over every form.
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// Pattern id → (entry, form).
    patterns: Vec<(usize, usize)>,
    matcher: AhoCorasick,
}

impl Gazetteer {
    /// The gazetteer shipped in the binary.
    #[allow(
        clippy::expect_used,
        reason = "compiled in, not input; a test parses it"
    )]
    pub fn builtin() -> Self {
        Self::parse(BUILTIN).expect("the bundled gazetteer is valid (tested)")
    }

    /// Parses `name<TAB>kind<TAB>aliases<TAB>owner<TAB>common` lines (`|` separates lists).
    pub fn parse(tsv: &str) -> Result<Self, GazetteerError> {
        let mut entries = Vec::new();
        let mut owners = Vec::new();
        for (i, line) in tsv.lines().enumerate() {
            let line_no = i + 1;
            let err = |message: String| GazetteerError {
                line: line_no,
                message,
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 5 {
                return Err(err(format!("expected 5 columns, found {}", cols.len())));
            }
            let kind = EntityKind::parse(cols[1])
                .ok_or_else(|| err(format!("unknown kind {:?}", cols[1])))?;
            let mut forms = vec![cols[0].to_string()];
            forms.extend(list(cols[2]).map(str::to_string));
            let common_forms: Vec<&str> = list(cols[4]).collect();
            if let Some(c) = common_forms.iter().find(|c| !forms.iter().any(|f| f == *c)) {
                return Err(err(format!("common form {c:?} is not a name or alias")));
            }
            let common = forms
                .iter()
                .map(|f| common_forms.contains(&f.as_str()))
                .collect();
            owners.push((line_no, cols[3].trim().to_string()));
            entries.push(Entry {
                name: cols[0].to_string(),
                kind,
                forms,
                common,
                owner: None,
            });
        }
        for (i, (line, owner)) in owners.into_iter().enumerate() {
            if owner.is_empty() {
                continue;
            }
            let index = entries
                .iter()
                .position(|e| e.name == owner)
                .ok_or(GazetteerError {
                    line,
                    message: format!("owner {owner:?} is not an entry"),
                })?;
            entries[i].owner = Some(index);
        }
        Self::from_entries(entries)
    }

    /// Builds the matcher over `entries`' forms.
    pub fn from_entries(entries: Vec<Entry>) -> Result<Self, GazetteerError> {
        let mut patterns = Vec::new();
        let mut forms = Vec::new();
        for (e, entry) in entries.iter().enumerate() {
            for (f, form) in entry.forms.iter().enumerate() {
                patterns.push((e, f));
                forms.push(form.as_str());
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&forms)
            .map_err(|e| GazetteerError {
                line: 0,
                message: e.to_string(),
            })?;
        Ok(Self {
            entries,
            patterns,
            matcher,
        })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every form, for the segmenter's dictionary.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .flat_map(|e| e.forms.iter().map(String::as_str))
    }

    /// Non-overlapping matches, longest first: (start, end, entry, form).
    pub fn find<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, usize, usize, usize)> + 'a {
        self.matcher.find_iter(text).map(|m| {
            let (e, f) = self.patterns[m.pattern().as_usize()];
            (m.start(), m.end(), e, f)
        })
    }
}

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|x| !x.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_owners_and_common_forms() {
        let g = Gazetteer::parse(
            "# comment\n字节跳动\tcompany\t字节|ByteDance\t\t\n豆包\tproduct\t字节豆包\t字节跳动\t豆包\n",
        )
        .unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g.entries()[1].owner, Some(0));
        assert_eq!(g.entries()[1].common, [true, false]);
        let found: Vec<_> = g.find("字节豆包和bytedance").map(|m| (m.2, m.3)).collect();
        assert_eq!(found, [(1, 1), (0, 2)]);
    }

    #[test]
    fn errors_name_the_line() {
        let err = Gazetteer::parse("a\tcompany\t\t\t\nb\tthing\t\t\t\n")
            .err()
            .unwrap();
        assert_eq!(err.line, 2);
        let err = Gazetteer::parse("a\tcompany\t\tnobody\t\n").err().unwrap();
        assert!(err.message.contains("nobody"));
    }

    #[test]
    fn builtin_gazetteer_is_valid_and_large() {
        let g = Gazetteer::builtin();
        assert!(g.len() >= 1500, "{} entries", g.len());
        let mut seen = std::collections::HashMap::new();
        for e in g.entries() {
            for f in &e.forms {
                if let Some(other) = seen.insert(f.to_lowercase(), &e.name) {
                    panic!("{f:?} is a form of both {other} and {}", e.name);
                }
            }
        }
    }
}
