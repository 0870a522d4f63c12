//! Parts of a text that are not prose and name nobody: URLs, e-mail addresses, `@handles` and
//! code. Names are neither looked for nor counted inside them (issue 13, item 5).
//!
//! Plain text has no markup, so code is recognized by its look, conservatively: a fenced block
//! between ``` lines, `inline code` between backticks on one line, and indented lines that are
//! mostly ASCII with code punctuation. A [`Document`] from a marked-up format also says where
//! its code blocks and inline code are. Link text stays: the link's URL is not in the text.

use std::borrow::Cow;
use std::ops::Range;

use super::Entity;
use crate::document::{BlockKind, Document, Inline};

/// Top-level domains that make `word.tld/path` a web address.
const TLDS: &[&str] = &[
    "com", "cn", "net", "org", "edu", "gov", "io", "dev", "ai", "me", "co", "app", "info", "tv",
    "cc", "xyz", "top", "site", "tech", "hk", "tw", "jp", "kr", "sg", "uk", "de", "fr", "us", "ru",
    "eu", "ly", "gl", "gg", "so", "fm", "im", "to", "mo", "in", "au", "ca", "news", "blog", "wiki",
    "link", "page", "club", "online", "shop", "store",
];

/// Domains that are web addresses even without a path (`github.com`); the others (`x.ai`,
/// `socket.io`) are as often a name as an address, so they need a path.
const BARE_TLDS: &[&str] = &["com", "cn", "net", "org", "edu", "gov"];

/// Longest `@中文昵称`, in characters.
const NICKNAME_MAX: usize = 15;

/// Byte ranges of `text` that are URLs, e-mail addresses, handles or code, sorted and merged.
/// `doc` (whose text must be `text`, else it is ignored) adds its code blocks and inline code.
pub fn excluded(text: &str, doc: Option<&Document>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    urls(text, &mut out);
    mails_and_handles(text, &mut out);
    fenced(text, &mut out);
    backticks(text, &mut out);
    indented_code(text, &mut out);
    if let Some(doc) = doc.filter(|d| d.text() == text) {
        for b in doc.blocks().iter().filter(|b| b.kind == BlockKind::Code) {
            out.push(b.start..b.end);
        }
        for s in doc.spans().iter().filter(|s| s.style == Inline::Code) {
            out.push(s.start..s.end);
        }
    }
    merge(out)
}

/// `text` with every excluded byte made a space, so offsets stay put and nothing is found there.
pub(super) fn mask<'a>(text: &'a str, excluded: &[Range<usize>]) -> Cow<'a, str> {
    if excluded.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut masked = text.to_string();
    for r in excluded {
        let (start, end) = (r.start.min(text.len()), r.end.min(text.len()));
        if start < end && text.is_char_boundary(start) && text.is_char_boundary(end) {
            masked.replace_range(start..end, &" ".repeat(end - start));
        }
    }
    Cow::Owned(masked)
}

/// Drops the mentions that overlap an excluded range, and the entities left without any.
pub(super) fn drop_mentions(entities: &mut Vec<Entity>, excluded: &[Range<usize>]) {
    if excluded.is_empty() {
        return;
    }
    for e in entities.iter_mut() {
        e.mentions.retain(|m| !overlaps(excluded, m.start, m.end));
    }
    entities.retain(|e| !e.mentions.is_empty());
}

/// Whether `start..end` overlaps one of `ranges` (sorted, merged).
pub(super) fn overlaps(ranges: &[Range<usize>], start: usize, end: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= start);
    ranges.get(i).is_some_and(|r| r.start < end)
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// A byte that can be part of a URL written in running text.
fn url_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'\'' | b'`' | b'\\' | b'^')
}

/// Where a URL starting at `start` ends: over URL bytes, less trailing punctuation (a `)` only
/// when it closes nothing inside).
fn url_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = start;
    while end < bytes.len() && url_byte(bytes[end]) {
        end += 1;
    }
    while end > start {
        let last = bytes[end - 1];
        let open = bytes[start..end].iter().filter(|&&b| b == b'(').count();
        let close = bytes[start..end].iter().filter(|&&b| b == b')').count();
        if matches!(last, b'.' | b',' | b';' | b':' | b'!' | b'?' | b']' | b'*')
            || (last == b')' && close > open)
        {
            end -= 1;
        } else {
            break;
        }
    }
    end
}

/// `https://…`, `www.…` and bare `domain.tld/path`.
fn urls(text: &str, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let word_before = |at: usize| {
        at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || matches!(bytes[at - 1], b'.' | b'-'))
    };
    for (at, _) in text.match_indices("://") {
        let scheme = bytes[..at]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
            .count();
        let start = at - scheme;
        if !(2..=12).contains(&scheme) || !bytes[start].is_ascii_alphabetic() {
            continue;
        }
        let end = url_end(text, at + 3);
        if end > at + 3 {
            out.push(start..end);
        }
    }
    // `www.` in any case, without a lowercase copy of what may be a whole book.
    let www = memchr::memchr2_iter(b'w', b'W', bytes).filter(|&at| {
        bytes
            .get(at..at + 4)
            .is_some_and(|b| b.eq_ignore_ascii_case(b"www."))
    });
    for at in www {
        if word_before(at) || bytes.get(at + 4).is_none_or(|b| !b.is_ascii_alphanumeric()) {
            continue;
        }
        out.push(at..url_end(text, at));
    }
    // Bare domains: a run of URL bytes starting with labels and a known top-level domain.
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() || (i > 0 && url_byte(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let run_end = url_end(text, i);
        if let Some(end) = bare_domain(&text[i..run_end]) {
            out.push(i..i + end);
        }
        i = run_end.max(i + 1);
    }
}

/// The length of the web address at the start of `run` (`github.com/x`), if it is one.
fn bare_domain(run: &str) -> Option<usize> {
    let host_end = run.find(['/', ':', '?', '#']).unwrap_or(run.len());
    let host = &run[..host_end];
    let labels: Vec<&str> = host.split('.').collect();
    let tld = *labels.last()?;
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        || !labels[0].bytes().any(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let path = run[host_end..].starts_with('/') && run.len() > host_end + 1;
    let lowercase = !host.bytes().any(|b| b.is_ascii_uppercase());
    // `Booking.com` written as a name keeps its capital; an address is usually lowercase.
    let known = if path {
        TLDS.contains(&tld)
    } else {
        lowercase && BARE_TLDS.contains(&tld)
    };
    known.then_some(if path { run.len() } else { host_end })
}

/// `name@example.com`, `@handle` and Weibo's `@中文昵称`.
fn mails_and_handles(text: &str, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let local_byte =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    for (at, sign) in text.match_indices(['@', '＠']) {
        let local = bytes[..at]
            .iter()
            .rev()
            .take_while(|&&b| local_byte(b))
            .count();
        let after = at + sign.len();
        if local > 0 {
            let mut end = after;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'-'))
            {
                end += 1;
            }
            while end > after && matches!(bytes[end - 1], b'.' | b'-') {
                end -= 1;
            }
            let domain = &text[after..end];
            let tld_ok = domain.rsplit_once('.').is_some_and(|(_, tld)| {
                tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())
            });
            if tld_ok {
                out.push(at - local..end);
            }
            continue;
        }
        let rest = &text[after..];
        let Some(first) = rest.chars().next() else {
            continue;
        };
        let len = if first.is_ascii_alphanumeric() || first == '_' {
            rest.bytes()
                .take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                .count()
        } else if super::is_han(first) {
            let nick: Vec<(usize, char)> = rest
                .char_indices()
                .take_while(|&(_, c)| {
                    super::is_han(c) || c.is_ascii_alphanumeric() || c == '_' || c == '-'
                })
                .take(NICKNAME_MAX)
                .collect();
            nick.last().map_or(0, |&(i, c)| i + c.len_utf8())
        } else {
            0
        };
        if len > 0 {
            out.push(at..after + len);
        }
    }
}

/// Lines of `text` as (start, end without the newline).
fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    text.split_inclusive('\n').map(move |l| {
        let s = start;
        start += l.len();
        (s, s + l.trim_end_matches(['\n', '\r']).len())
    })
}

/// The fence a line opens or closes (```` ``` ```` or `~~~`, up to three spaces in): its
/// character and length.
fn fence(line: &str) -> Option<(char, usize)> {
    let body = line.trim_start_matches(' ');
    if line.len() - body.len() > 3 {
        return None;
    }
    let c = body.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = body.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

/// Blocks between fence lines, fences included; an unclosed fence excludes nothing.
fn fenced(text: &str, out: &mut Vec<Range<usize>>) {
    let mut open: Option<(usize, char, usize)> = None;
    for (start, end) in lines(text) {
        let line = &text[start..end];
        match (open, fence(line)) {
            (None, Some((c, n))) => open = Some((start, c, n)),
            (Some((from, c, n)), Some((c2, n2)))
                if c2 == c && n2 >= n && line.trim().chars().all(|x| x == c) =>
            {
                out.push(from..end);
                open = None;
            }
            _ => {}
        }
    }
}

/// `inline code` between matching runs of backticks on one line (not on fence lines).
fn backticks(text: &str, out: &mut Vec<Range<usize>>) {
    for (start, end) in lines(text) {
        let line = &text[start..end];
        if fence(line).is_some() {
            continue;
        }
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'`' {
                i += 1;
                continue;
            }
            let n = b[i..].iter().take_while(|&&x| x == b'`').count();
            let inner = i + n;
            // The next run of exactly n backticks closes it.
            let mut j = inner;
            let mut close = None;
            while j < b.len() {
                if b[j] == b'`' {
                    let m = b[j..].iter().take_while(|&&x| x == b'`').count();
                    if m == n {
                        close = Some(j);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            match close {
                Some(c) if c > inner => {
                    out.push(start + i..start + c + n);
                    i = c + n;
                }
                _ => i = inner,
            }
        }
    }
}

/// Runs of lines indented four spaces or a tab where at least one line looks like code: those
/// lines of the run that are mostly ASCII or comments.
fn indented_code(text: &str, out: &mut Vec<Range<usize>>) {
    let all: Vec<(usize, usize)> = lines(text).collect();
    let indented = |l: &str| l.starts_with("    ") || l.starts_with('\t');
    let mut i = 0;
    while i < all.len() {
        let line = &text[all[i].0..all[i].1];
        if !indented(line) || line.trim().is_empty() {
            i += 1;
            continue;
        }
        // The run: indented lines, with blank lines between them.
        let mut j = i;
        let mut last = i;
        while j < all.len() {
            let l = &text[all[j].0..all[j].1];
            if l.trim().is_empty() {
                j += 1;
            } else if indented(l) {
                last = j;
                j += 1;
            } else {
                break;
            }
        }
        let run = &all[i..=last];
        if run.iter().any(|&(s, e)| looks_like_code(text[s..e].trim())) {
            for &(s, e) in run {
                let body = text[s..e].trim();
                if !body.is_empty() && (ascii_share(body) >= 0.5 || is_comment(body)) {
                    out.push(s..e);
                }
            }
        }
        i = last + 1;
    }
}

/// The share of ASCII among the characters of `s` that are not spaces.
fn ascii_share(s: &str) -> f32 {
    let (mut ascii, mut all) = (0, 0);
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        all += 1;
        if c.is_ascii() {
            ascii += 1;
        }
    }
    if all == 0 {
        0.0
    } else {
        ascii as f32 / all as f32
    }
}

fn is_comment(s: &str) -> bool {
    ["//", "/*", "* ", "# ", "--", "<!--"]
        .iter()
        .any(|p| s.starts_with(p))
}

/// A line (trimmed) that is mostly ASCII and has code punctuation: `;`, braces, `=`, `->`,
/// `::`, or a call `name(`.
fn looks_like_code(s: &str) -> bool {
    if s.is_empty() || ascii_share(s) < 0.7 {
        return false;
    }
    let call = s
        .as_bytes()
        .windows(2)
        .any(|w| (w[0].is_ascii_alphanumeric() || w[0] == b'_') && w[1] == b'(');
    s.contains([';', '{', '}', '='])
        || s.contains("->")
        || s.contains("::")
        || call
        || is_comment(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excluded pieces of `text`, as strings.
    fn cut(text: &str) -> Vec<&str> {
        excluded(text, None).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn urls_with_a_scheme_www_or_a_known_domain() {
        assert_eq!(
            cut("项目地址是 https://github.com/pizhu-dev/pizhu ，欢迎提issue。"),
            ["https://github.com/pizhu-dev/pizhu"]
        );
        assert_eq!(cut("见https://x.com/a_b?c=1。"), ["https://x.com/a_b?c=1"]);
        assert_eq!(cut("官网www.Douyin.com上有。"), ["www.Douyin.com"]);
        assert_eq!(cut("官网WWW.Baidu.Com上有。"), ["WWW.Baidu.Com"]);
        assert!(cut("见wwww.Baidu.Com。").is_empty());
        assert_eq!(
            cut("代码在github.com/DeepSeek/x里"),
            ["github.com/DeepSeek/x"]
        );
        assert_eq!(cut("打开baidu.com搜索"), ["baidu.com"]);
        assert_eq!(cut("(见 https://a.cn/x)"), ["https://a.cn/x"]);
        assert_eq!(
            cut("https://zh.wikipedia.org/wiki/A_(B)"),
            ["https://zh.wikipedia.org/wiki/A_(B)"]
        );
    }

    #[test]
    fn names_that_look_like_domains_stay() {
        for prose in [
            "Booking.com和Amazon.com都是公司。",
            "他用Node.js和Vue.js写前端。",
            "Character.ai推出了新功能。",
            "版本v1.2.3修复了问题。",
            "例如e.g.这样。",
        ] {
            assert!(cut(prose).is_empty(), "{prose}: {:?}", cut(prose));
        }
    }

    #[test]
    fn mail_addresses_and_handles() {
        assert_eq!(
            cut("邮件联系 support@pizhu.dev ，或者找 @TechNewsCN 。"),
            ["support@pizhu.dev", "@TechNewsCN"]
        );
        assert_eq!(cut("@陈一帆 你把PR rebase一下"), ["@陈一帆"]);
        assert_eq!(cut("//@科技ABC:转发微博"), ["@科技ABC"]);
        assert_eq!(cut("user@localhost 不是地址"), Vec::<&str>::new());
    }

    #[test]
    fn inline_code_and_fenced_blocks() {
        assert_eq!(
            cut("先运行 `cargo build --release`，再看``a`b``。"),
            ["`cargo build --release`", "``a`b``"]
        );
        assert!(cut("只有一个`反引号。").is_empty());
        let text = "正文。\n```rust\nlet 北京 = 1;\n```\n后文。";
        assert_eq!(cut(text), ["```rust\nlet 北京 = 1;\n```"]);
        // Unclosed: nothing.
        assert!(cut("正文\n```\n北京\n").is_empty());
    }

    #[test]
    fn indented_code_but_not_indented_prose() {
        let text = "例子：\n    let x = foo(1);\n    // 注释\n    return x\n正文说小红书。";
        assert_eq!(
            cut(text),
            ["    let x = foo(1);", "    // 注释", "    return x"]
        );
        for prose in [
            "    小红书(XHS)是一家公司，它的估值=多少？\n    腾讯也是。",
            "    Hello world, this is prose.",
        ] {
            assert!(cut(prose).is_empty(), "{prose}");
        }
    }

    #[test]
    fn a_documents_code_blocks_and_inline_code() {
        use crate::document::Builder;
        let mut b = Builder::new("markdown");
        b.start(BlockKind::Paragraph);
        b.push("看");
        b.open(Inline::Code);
        b.push("北京");
        b.close(Inline::Code);
        b.push("和");
        let link = b.link("https://shanghai.example.com/");
        b.open(link);
        b.push("上海");
        b.close(link);
        b.start(BlockKind::Code);
        b.push("广州");
        let doc = b.finish();
        let text = doc.text();
        let cut: Vec<&str> = excluded(text, Some(&doc))
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(cut, ["北京", "广州"]);
        // Another text: the document is ignored.
        assert!(excluded("看北京和上海", Some(&doc)).is_empty());
    }

    #[test]
    fn masking_keeps_offsets() {
        let text = "看https://a.cn/北京";
        let ex = excluded(text, None);
        let masked = mask(text, &ex);
        assert_eq!(masked.len(), text.len());
        assert!(masked.starts_with("看 ") && masked.ends_with("北京"));
    }
}
