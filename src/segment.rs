//! Word segmentation (jieba), used to check that a name found in the text is a word there:
//! `阿里` in `阿里山` is not 阿里巴巴. Building the dictionary takes ~150 ms, so callers build
//! one [`Segmenter`] off the UI thread and keep it.

use jieba_rs::Jieba;

/// A jieba segmenter with the gazetteer's names added as words.
pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    /// The default dictionary plus `words` (entity names and aliases), so they are cut whole.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut jieba = Jieba::new();
        for word in words {
            if !jieba.has_word(word) {
                jieba.add_word(word, None, None);
            }
        }
        Self { jieba }
    }

    /// Whether `word` is in the dictionary.
    pub fn has_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// Whether a dictionary word of up to six characters crosses byte offset `at` (one to three
    /// characters on each side). When none does, `at` is a word boundary whatever the
    /// segmentation, and the costly cut can be skipped.
    pub fn may_straddle(&self, text: &str, at: usize) -> bool {
        // Called for most names found in a text: no allocation.
        let right = || {
            text[at..]
                .char_indices()
                .skip(1)
                .map(|(i, _)| at + i)
                .chain(std::iter::once(text.len()))
                .take(3)
        };
        text[..at]
            .char_indices()
            .rev()
            .take(3)
            .any(|(l, _)| right().any(|r| self.jieba.has_word(&text[l..r])))
    }

    /// Byte offsets where words start or end in `text`, ascending (0 and `text.len()` included).
    pub fn boundaries(&self, text: &str) -> Vec<usize> {
        let mut out = vec![0];
        for token in self.jieba.cut(text, false) {
            out.push(token.byte_end);
        }
        out
    }

    /// The words of `text` with their offsets and part-of-speech tags (`n`, `ns`, `v`, `c` …).
    pub fn tagged<'a>(&'a self, text: &'a str) -> Vec<(usize, &'a str, &'a str)> {
        let mut offset = 0;
        self.jieba
            .tag(text, false)
            .into_iter()
            .map(|t| {
                let at = offset;
                offset += t.word.len();
                (at, t.word, t.tag)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_words_are_cut_whole() {
        let seg = Segmenter::new(["值接Talk", "小红书"]);
        let b = seg.boundaries("值接Talk认为小红书很好");
        assert!(b.contains(&0) && b.contains(&"值接Talk".len()));
        let start = "值接Talk认为".len();
        assert!(b.contains(&start) && b.contains(&(start + "小红书".len())));
    }

    /// Every pair of one to three characters either side of `at`, written out.
    fn straddles(seg: &Segmenter, text: &str, at: usize) -> bool {
        let left: Vec<usize> = text[..at]
            .char_indices()
            .rev()
            .take(3)
            .map(|c| c.0)
            .collect();
        let mut right: Vec<usize> = text[at..]
            .char_indices()
            .skip(1)
            .map(|c| at + c.0)
            .collect();
        right.push(text.len());
        right.truncate(3);
        left.iter()
            .any(|&l| right.iter().any(|&r| seg.has_word(&text[l..r])))
    }

    #[test]
    fn may_straddle_tries_every_word_across_the_offset() {
        let seg = Segmenter::new(["阿里"]);
        for text in ["台湾阿里山风景", "阿里", "我们在北京大学读书。", "a中b", ""]
        {
            let mut straddled = 0;
            for at in (0..=text.len()).filter(|&b| text.is_char_boundary(b)) {
                let expected = straddles(&seg, text, at);
                assert_eq!(seg.may_straddle(text, at), expected, "{text:?} at {at}");
                straddled += usize::from(expected);
            }
            assert!(text.chars().count() < 4 || straddled > 0, "{text:?}");
        }
    }

    #[test]
    fn a_name_inside_a_longer_word_is_not_a_word() {
        let seg = Segmenter::new(["阿里"]);
        let text = "台湾阿里山风景";
        let b = seg.boundaries(text);
        let at = text.find("阿里").unwrap();
        assert!(!b.contains(&(at + "阿里".len())), "{b:?}");
    }
}
