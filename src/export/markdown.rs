//! Markdown for Obsidian: YAML front matter (title, author when the article has a byline,
//! source, document hash, export time, every tag used), one section per highlight in document
//! order (where it is, the quote as a blockquote, a `colour: yellow` line, its tags as
//! `#tags`, the note), the orphans in their own section, and the entities with their counts,
//! grouped by kind (left out with [`Options::entities`] off).
//!
//! Quotes, notes, the title and entity names are plain text that may come from anyone (an
//! article, an imported file), so they are escaped until Markdown and Obsidian read them as
//! text and nothing else: no HTML (`<` is written `&lt;`), no links, images, `[[wikilinks]]`
//! or `![[embeds]]`, no emphasis, code, math, highlights, comments or inline `#tags`, and no
//! line start read as a heading, list, quote, table or code block (see [`escape_line`]).
//!
//! Obsidian tags take letters (Chinese included), digits, `_`, `-` and `/`; other characters
//! are encoded so that different tags stay different (see [`obsidian_tag`]).

use std::borrow::Cow;
use std::fmt::Write;

use super::{ExportInput, Item, Options, all_tags, clean, clean_line, items, percent};
use crate::entities::{EntityKind, Tier};

pub fn render(input: &ExportInput) -> String {
    render_with(input, Options::default())
}

/// [`render`], with the entity section only when `options.entities` is set.
pub fn render_with(input: &ExportInput, options: Options) -> String {
    let doc = input.doc;
    let text = doc.text();
    let items = items(text, input.annotations);
    let total_chars = text.chars().count();
    let mut out = String::with_capacity(1024 + items.len() * 256);

    // Front matter.
    out.push_str("---\n");
    if let Some(title) = doc.title() {
        let _ = writeln!(out, "title: {}", yaml_quote(&clean_line(title)));
    }
    if let Some(author) = doc.author() {
        let _ = writeln!(out, "author: {}", yaml_quote(&clean_line(author)));
    }
    if let Some(path) = input.path {
        let _ = writeln!(out, "source: {}", yaml_quote(&clean_line(path)));
    }
    let _ = writeln!(
        out,
        "document_hash: {}",
        yaml_quote(&clean_line(doc.hash()))
    );
    let exported = crate::clock::local_rfc3339_in(input.exported, input.zone);
    let _ = writeln!(out, "exported: {}", yaml_quote(&clean_line(&exported)));
    let tags: Vec<String> = {
        let mut seen = std::collections::HashSet::new();
        all_tags(&items)
            .into_iter()
            .map(obsidian_tag)
            .filter(|t| !t.is_empty() && seen.insert(t.clone()))
            .collect()
    };
    if tags.is_empty() {
        out.push_str("tags: []\n");
    } else {
        out.push_str("tags:\n");
        for t in &tags {
            let _ = writeln!(out, "  - {}", yaml_quote(t));
        }
    }
    out.push_str("---\n\n");

    let title = doc.title().unwrap_or("批注");
    let _ = writeln!(out, "# {}\n", escape_inline_heading(title));
    if !input.document_notes.is_empty() {
        let _ = writeln!(out, "## 整篇笔记 Document notes\n");
        for note in input.document_notes {
            note_text(&mut out, &note.text);
        }
    }

    let (placed, orphans): (Vec<&Item>, Vec<&Item>) = items.iter().partition(|i| i.bytes.is_some());

    // A book's highlights go under their chapters, a level deeper.
    let book = !doc.chapters().is_empty() && !placed.is_empty();
    if book {
        let _ = writeln!(out, "批注 Highlights ({}), by chapter.\n", placed.len());
    } else {
        let _ = writeln!(out, "## 批注 Highlights ({})\n", placed.len());
    }
    if placed.is_empty() {
        out.push_str("No highlights.\n\n");
    }
    let mut chapter_seen: Option<&str> = None;
    for item in &placed {
        if book {
            let (start, _) = item.bytes.unwrap_or_default();
            let chapter = doc.chapter_at(start).unwrap_or("篇首");
            if chapter_seen != Some(chapter) {
                let _ = writeln!(out, "## {}\n", escape_inline_heading(chapter));
                chapter_seen = Some(chapter);
            }
        }
        let (start, _) = item.bytes.unwrap_or_default();
        let (cstart, _) = item.chars.unwrap_or_default();
        let paragraph = doc.paragraph_number(start);
        let place = if paragraph == 0 {
            "篇首".to_string()
        } else {
            format!("第 {paragraph} 段")
        };
        let _ = writeln!(out, "### {place} · {}%\n", percent(cstart, total_chars));
        section(&mut out, item, text);
    }

    if !orphans.is_empty() {
        let _ = writeln!(out, "## 孤立批注 Orphans ({})\n", orphans.len());
        out.push_str(
            "Their text is no longer in the article; pizhu keeps them with their quote.\n\n",
        );
        for (n, item) in orphans.iter().enumerate() {
            let _ = writeln!(out, "### 孤立 {}\n", n + 1);
            section(&mut out, item, text);
        }
    }

    if options.entities {
        entities(&mut out, input);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The entities with their counts, by kind.
fn entities(out: &mut String, input: &ExportInput) {
    let text = input.doc.text();
    let _ = writeln!(out, "## 实体 Entities\n");
    if input.entities.is_empty() {
        out.push_str("None found.\n");
    }
    for kind in EntityKind::ALL {
        let mut of_kind: Vec<_> = input.entities.iter().filter(|e| e.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        of_kind.sort_by(|a, b| b.count().cmp(&a.count()).then_with(|| a.name.cmp(&b.name)));
        let _ = writeln!(out, "### {}\n", kind.label());
        for e in of_kind {
            let mut label = e.name.clone();
            if e.tier == Tier::Possible {
                label.push('?');
            }
            let others: Vec<&str> = e
                .aliases(text)
                .into_iter()
                .filter(|a| *a != e.name)
                .collect();
            if !others.is_empty() {
                let _ = write!(label, " ({})", others.join(", "));
            }
            let _ = write!(out, "- {} ×{}", escape_line(&clean_line(&label)), e.count());
            if let Some(reason) = &e.reason {
                let _ = write!(out, " — possible: {}", escape_inline(&clean_line(reason)));
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

/// The quote, its colour, tags and note of one annotation, each followed by a blank line.
fn section(out: &mut String, item: &Item, text: &str) {
    blockquote(out, &clean(item.exact(text)));
    out.push('\n');
    let _ = writeln!(out, "colour: {}\n", item.a.colour.as_str());
    let tags: Vec<String> = item
        .a
        .tags
        .iter()
        .map(|t| obsidian_tag(t))
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        let line: Vec<String> = tags.iter().map(|t| format!("#{t}")).collect();
        out.push_str(&line.join(" "));
        out.push_str("\n\n");
    }
    note_text(out, &item.a.note);
}

/// A note as Markdown text: cleaned, escaped, its line breaks kept.
fn note_text(out: &mut String, note: &str) {
    let note = clean(note);
    let note = note.trim_matches('\n');
    if !note.trim().is_empty() {
        // Each line its own paragraph line; a two-space break keeps single newlines.
        let lines: Vec<&str> = note.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let line = line.trim_end();
            if line.is_empty() {
                out.push('\n');
                continue;
            }
            out.push_str(&escape_line(line));
            let next_blank = lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
            if !next_blank {
                // Obsidian keeps single line breaks by default, CommonMark needs a hard break.
                out.push_str("  ");
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

/// `text` as a blockquote: every line prefixed `> `, empty lines `>`.
fn blockquote(out: &mut String, text: &str) {
    let text = text.trim_matches(['\n', '\r']);
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(">\n");
            continue;
        }
        out.push_str("> ");
        out.push_str(&escape_line(line));
        let next_blank = lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
        if !next_blank {
            out.push_str("  ");
        }
        out.push('\n');
    }
    if lines.is_empty() {
        out.push_str(">\n");
    }
}

/// A heading's text: one line, escaped inside (which also keeps a trailing `#` from being
/// taken for a closing sequence).
fn escape_inline_heading(s: &str) -> String {
    escape_inline(clean_line(s).trim()).into_owned()
}

/// One line of plain text, escaped inside ([`escape_inline`]) and where Markdown (CommonMark
/// plus Obsidian's additions) would read its start as structure:
///
/// - `>` (quote); `#`, `[`, `|`, `` ` ``, `~`, `$`, `%%`, `*`, `_` and `<` are already
///   escaped inside the line;
/// - `-`, `+` before a space or at the end (list item), and lines of three or more `-`
///   (thematic break, setext underline) or of `=` (setext underline);
/// - digits followed by `.` or `)` and a space (ordered list);
/// - four or more columns of indentation (indented code): the spaces become `&nbsp;`.
///
/// A backslash before ASCII punctuation always reads as that character, so each escape
/// shows exactly the original text.
pub fn escape_line(line: &str) -> Cow<'_, str> {
    let body = line.trim_start_matches([' ', '\t']);
    let indent = &line[..line.len() - body.len()];
    let columns: usize = indent.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
    let inline = escape_inline(body);
    let escaped = match escape_start(&inline) {
        Cow::Borrowed(_) => inline,
        Cow::Owned(s) => Cow::Owned(s),
    };
    if columns < 4 && matches!(escaped, Cow::Borrowed(_)) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    if columns >= 4 {
        for _ in 0..columns {
            out.push_str("&nbsp;");
        }
    } else {
        out.push_str(indent);
    }
    out.push_str(&escaped);
    Cow::Owned(out)
}

/// The line-start escapes [`escape_inline`] leaves to do (see [`escape_line`]).
fn escape_start(body: &str) -> Cow<'_, str> {
    let mut chars = body.chars();
    let Some(first) = chars.next() else {
        return Cow::Borrowed(body);
    };
    let second = chars.next();
    let rest_is = |c: char| body.chars().all(|x| x == c || x == ' ' || x == '\t');
    let count = |c: char| body.chars().filter(|&x| x == c).count();
    let spaced = second.is_none_or(|c| c == ' ' || c == '\t');
    let escape_first = match first {
        '>' => true,
        '-' | '+' => spaced || (first == '-' && rest_is('-') && count('-') >= 3),
        '=' => rest_is('='),
        _ => false,
    };
    if escape_first {
        return Cow::Owned(format!("\\{body}"));
    }
    // Ordered list: up to 9 digits, then `.` or `)`, then a space or the end.
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let after = &body[digits..];
        let mut rest = after.chars();
        if let Some(p @ ('.' | ')')) = rest.next()
            && rest.next().is_none_or(|c| c == ' ' || c == '\t')
        {
            return Cow::Owned(format!("{}\\{p}{}", &body[..digits], &after[1..]));
        }
    }
    Cow::Borrowed(body)
}

/// Text inside a line escaped so that Markdown and Obsidian read no syntax in it:
///
/// - `\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `~`, `#`, `$`, `&` always get a backslash (code,
///   emphasis, links, images, `[[wikilinks]]` and `![[embeds]]`, tables, strikethrough,
///   inline tags, math, entities), as do `=` and `%` next to another one (`==highlight==`,
///   `%%comment%%`);
/// - `<` becomes `&lt;`: no HTML or autolink, and plugins that read the raw file (Templater's
///   `<% %>`) find nothing either.
///
/// A `[x](javascript:…)` link thus stays text, as does everything else.
pub fn escape_inline(s: &str) -> Cow<'_, str> {
    let chars: Vec<char> = s.chars().collect();
    let special = |i: usize| match chars[i] {
        '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '$' | '&' | '<' => true,
        c @ ('=' | '%') => (i > 0 && chars[i - 1] == c) || chars.get(i + 1) == Some(&c),
        _ => false,
    };
    if !(0..chars.len()).any(special) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => out.push_str("&lt;"),
            c if special(i) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A tag as Obsidian takes it (letters, digits, `_`, `-`, `/`, not digits only), with
/// different tags kept different (`+t`, `-t`, `@t` and `t` are four tags): letters, digits,
/// `-` and `/` stay, `_` is doubled, and any other character is written `_<hex>_`, its code
/// point in lowercase hex (`+t` → `_2b_t`, `user mind` → `user_20_mind`). A tag of digits
/// only gets its first digit written that way (`2026` → `_32_026`). The tag is cleaned
/// first, like every text from the record.
pub fn obsidian_tag(tag: &str) -> String {
    let tag = clean_line(tag);
    let mut out = String::with_capacity(tag.len() + 8);
    for c in tag.chars() {
        push_tag_char(&mut out, c);
    }
    if let Some(first) = out.chars().next()
        && out.chars().all(char::is_numeric)
    {
        let rest = out.split_off(first.len_utf8());
        out.clear();
        let _ = write!(out, "_{:x}_{rest}", first as u32);
    }
    out
}

fn push_tag_char(out: &mut String, c: char) {
    match c {
        '_' => out.push_str("__"),
        c if c.is_alphanumeric() || matches!(c, '-' | '/') => out.push(c),
        c => {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
}

/// A YAML double-quoted scalar: `\` and `"` escaped, control and other non-printable
/// characters as escapes, everything else (Chinese included) as it is.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
                ) =>
            {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_that_markdown_would_read_as_structure_are_escaped() {
        let cases = [
            ("# 标题", "\\# 标题"),
            ("#话题#", "\\#话题\\#"),
            ("> 引用", "\\> 引用"),
            ("- 一", "\\- 一"),
            ("-5%的增长", "-5%的增长"),
            ("* 星", "\\* 星"),
            ("+ 加", "\\+ 加"),
            ("+", "\\+"),
            ("---", "\\---"),
            ("* * *", "\\* \\* \\*"),
            ("___", "\\_\\_\\_"),
            ("===", "\\=\\=\\="),
            ("=", "\\="),
            ("1. 第一", "1\\. 第一"),
            ("2026) 年", "2026\\) 年"),
            ("2026年", "2026年"),
            ("3.5亿", "3.5亿"),
            ("```rust", "\\`\\`\\`rust"),
            ("~~~", "\\~\\~\\~"),
            ("[!note] 提示", "\\[!note\\] 提示"),
            ("[1]: http://x", "\\[1\\]: http://x"),
            ("<div>", "&lt;div>"),
            ("<3 爱", "&lt;3 爱"),
            ("$$", "\\$\\$"),
            ("%%注释%%", "\\%\\%注释\\%\\%"),
            ("5% 与 10%", "5% 与 10%"),
            ("a = b", "a = b"),
            ("==高亮==", "\\=\\=高亮\\=\\="),
            (
                "![[嵌入]] [x](javascript:alert(1))",
                "!\\[\\[嵌入\\]\\] \\[x\\](javascript:alert(1))",
            ),
            (
                "*强调* _斜_ `代码` a\\b",
                "\\*强调\\* \\_斜\\_ \\`代码\\` a\\\\b",
            ),
            ("&amp; #标签", "\\&amp; \\#标签"),
            ("  # x", "  \\# x"),
            ("    代码", "&nbsp;&nbsp;&nbsp;&nbsp;代码"),
            ("普通的一行", "普通的一行"),
            ("“引号”，逗号", "“引号”，逗号"),
        ];
        for (line, want) in cases {
            assert_eq!(escape_line(line), want, "{line:?}");
        }
    }

    #[test]
    fn tags_become_obsidian_tags() {
        assert_eq!(obsidian_tag("用户心智"), "用户心智");
        assert_eq!(obsidian_tag("user-mind"), "user-mind");
        assert_eq!(obsidian_tag("user mind"), "user_20_mind");
        assert_eq!(obsidian_tag("#a/b_c"), "_23_a/b__c");
        assert_eq!(obsidian_tag("电商：直播"), "电商_ff1a_直播");
        assert_eq!(obsidian_tag("2026"), "_32_026");
        assert_eq!(obsidian_tag("2026年"), "2026年");
        let four = ["+t", "-t", "@t", "t"].map(obsidian_tag);
        assert_eq!(four, ["_2b_t", "-t", "_40_t", "t"]);
    }

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(yaml_quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(yaml_quote("标题: 是? #"), "\"标题: 是? #\"");
        assert_eq!(yaml_quote("\u{7}"), "\"\\u0007\"");
    }
}
