//! Small EPUB books for tests, built with the `zip` crate: the OCF container (a stored
//! `mimetype` first, `META-INF/container.xml`), a package document, an EPUB 3 navigation
//! document and an EPUB 2 NCX, and the chapters given as XHTML.
//!
//! [`sample`] is the book behind `tests/fixtures/epub/sample.epub`: 《江村杂记》, a cover page
//! holding only an image, a title page, three chapters whose spine order (`ch_b`, `ch_c`,
//! `ch_a`) is not their file-name order, and a non-linear notes page. The prose is written for
//! these tests.
//!
//! Shared by `tests/format_epub.rs` (as `mod common`) and the unit tests of
//! `src/formats/epub.rs` (by path), so it needs nothing but `std` and `zip`.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One document of the spine.
#[derive(Clone, Debug)]
pub struct Chapter {
    /// Path under `OEBPS/`.
    pub path: String,
    /// The navigation entry's label; `None` leaves the document out of the table of contents.
    pub nav: Option<String>,
    pub xhtml: String,
    pub linear: bool,
}

impl Chapter {
    pub fn new(path: &str, nav: Option<&str>, xhtml: String) -> Self {
        Self {
            path: path.to_string(),
            nav: nav.map(str::to_string),
            xhtml,
            linear: true,
        }
    }
}

/// A book to write: metadata, spine documents in reading order, other files.
#[derive(Clone, Debug)]
pub struct Book {
    pub title: String,
    pub creator: String,
    pub publisher: Option<String>,
    pub date: Option<String>,
    /// EPUB 2: no navigation document, the NCX is the table of contents.
    pub epub2: bool,
    /// Leave the NCX out (EPUB 3 only).
    pub ncx: bool,
    pub chapters: Vec<Chapter>,
    /// Other files, by their path in the archive (images under `OEBPS/`, `META-INF/…`); one
    /// at a generated file's path (a chapter, the package document) replaces it.
    pub files: Vec<(String, Vec<u8>)>,
    /// Archive paths not to write (to break a book on purpose).
    pub omit: Vec<String>,
}

impl Book {
    pub fn new(title: &str, creator: &str) -> Self {
        Self {
            title: title.to_string(),
            creator: creator.to_string(),
            publisher: None,
            date: None,
            epub2: false,
            ncx: true,
            chapters: Vec::new(),
            files: Vec::new(),
            omit: Vec::new(),
        }
    }

    /// A book whose chapters are `(nav label, body markup)`, in `OEBPS/chNN.xhtml`.
    pub fn of(chapters: &[(&str, &str)]) -> Self {
        let mut book = Self::new("测试之书", "无名氏");
        for (i, (label, body)) in chapters.iter().enumerate() {
            let path = format!("ch{:02}.xhtml", i + 1);
            book.chapters
                .push(Chapter::new(&path, Some(label), xhtml(label, body)));
        }
        book
    }

    pub fn chapter(mut self, chapter: Chapter) -> Self {
        self.chapters.push(chapter);
        self
    }

    pub fn file(mut self, path: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.retain(|(p, _)| p != path);
        self.files.push((path.to_string(), bytes.into()));
        self
    }

    pub fn without(mut self, path: &str) -> Self {
        self.omit.push(path.to_string());
        self
    }

    /// Every file of the book but `mimetype`, by archive path, in file-name order.
    pub fn entries(&self) -> Vec<(String, Vec<u8>)> {
        let mut entries: Vec<(String, Vec<u8>)> = vec![
            (
                "META-INF/container.xml".into(),
                CONTAINER.as_bytes().to_vec(),
            ),
            ("OEBPS/content.opf".into(), self.package().into_bytes()),
        ];
        if !self.epub2 {
            entries.push(("OEBPS/nav.xhtml".into(), self.nav().into_bytes()));
        }
        if self.ncx || self.epub2 {
            entries.push(("OEBPS/toc.ncx".into(), self.ncx().into_bytes()));
        }
        for c in &self.chapters {
            entries.push((format!("OEBPS/{}", c.path), c.xhtml.clone().into_bytes()));
        }
        // A file given outright replaces a generated one at the same path.
        entries.retain(|(p, _)| !self.files.iter().any(|(f, _)| f == p));
        entries.extend(self.files.iter().cloned());
        entries.retain(|(p, _)| !self.omit.contains(p));
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
    }

    /// The EPUB file: `mimetype` stored first, then everything else deflated, with fixed
    /// timestamps and permissions so the bytes depend only on the book (and the zip crate).
    pub fn bytes(&self) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let stored = options(CompressionMethod::Stored);
        let deflated = options(CompressionMethod::Deflated);
        if !self.omit.iter().any(|p| p == "mimetype") {
            zip.start_file("mimetype", stored).expect("zip: mimetype");
            zip.write_all(b"application/epub+zip").expect("zip: write");
        }
        for (path, bytes) in self.entries() {
            zip.start_file(path.as_str(), deflated)
                .expect("zip: start file");
            zip.write_all(&bytes).expect("zip: write");
        }
        zip.finish().expect("zip: finish").into_inner()
    }

    fn media_type(path: &str) -> &'static str {
        match path.rsplit('.').next().unwrap_or("") {
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "css" => "text/css",
            "ncx" => "application/x-dtbncx+xml",
            "ttf" | "otf" => "font/otf",
            _ => "application/xhtml+xml",
        }
    }

    fn package(&self) -> String {
        let version = if self.epub2 { "2.0" } else { "3.0" };
        let mut opf = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <package xmlns=\"http://www.idpf.org/2007/opf\" version=\"{version}\" \
             unique-identifier=\"bookid\">\n\
             <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
             xmlns:opf=\"http://www.idpf.org/2007/opf\">\n\
             <dc:identifier id=\"bookid\">urn:uuid:3f0c2d6e-8a41-4c3b-9d7e-5b1a2c4e6f80</dc:identifier>\n\
             <dc:title>{}</dc:title>\n<dc:creator>{}</dc:creator>\n<dc:language>zh</dc:language>\n",
            escape(&self.title),
            escape(&self.creator)
        );
        if let Some(p) = &self.publisher {
            opf.push_str(&format!("<dc:publisher>{}</dc:publisher>\n", escape(p)));
        }
        if let Some(d) = &self.date {
            opf.push_str(&format!("<dc:date>{}</dc:date>\n", escape(d)));
        }
        if !self.epub2 {
            opf.push_str("<meta property=\"dcterms:modified\">2021-06-01T00:00:00Z</meta>\n");
        }
        opf.push_str("</metadata>\n<manifest>\n");
        let mut items: Vec<(String, String, &str)> = Vec::new();
        if !self.epub2 {
            items.push(("nav".into(), "nav.xhtml".into(), " properties=\"nav\""));
        }
        if self.ncx || self.epub2 {
            items.push(("ncx".into(), "toc.ncx".into(), ""));
        }
        for c in &self.chapters {
            items.push((id(&c.path), c.path.clone(), ""));
        }
        for (path, _) in &self.files {
            if let Some(rel) = path.strip_prefix("OEBPS/")
                && !items.iter().any(|(_, href, _)| href == rel)
            {
                items.push((id(rel), rel.to_string(), ""));
            }
        }
        // The manifest in file-name order, as tools write it; the spine says the reading order.
        items.sort_by(|a, b| a.1.cmp(&b.1));
        for (id, href, props) in items {
            opf.push_str(&format!(
                "<item id=\"{id}\" href=\"{href}\" media-type=\"{}\"{props}/>\n",
                Self::media_type(&href)
            ));
        }
        let toc = if self.ncx || self.epub2 {
            " toc=\"ncx\""
        } else {
            ""
        };
        opf.push_str(&format!("</manifest>\n<spine{toc}>\n"));
        for c in &self.chapters {
            let linear = if c.linear { "" } else { " linear=\"no\"" };
            opf.push_str(&format!("<itemref idref=\"{}\"{linear}/>\n", id(&c.path)));
        }
        opf.push_str("</spine>\n</package>\n");
        opf
    }

    fn nav(&self) -> String {
        let mut items = String::new();
        for c in self.chapters.iter().filter(|c| c.nav.is_some()) {
            items.push_str(&format!(
                "      <li><a href=\"{}\">{}</a></li>\n",
                c.path,
                escape(c.nav.as_deref().unwrap_or(""))
            ));
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
             xml:lang=\"zh\">\n<head><title>目录</title></head>\n<body>\n\
             <nav epub:type=\"toc\" id=\"toc\">\n    <h1>目录</h1>\n    <ol>\n{items}    </ol>\n\
             </nav>\n</body>\n</html>\n"
        )
    }

    fn ncx(&self) -> String {
        let mut points = String::new();
        for (i, c) in self.chapters.iter().filter(|c| c.nav.is_some()).enumerate() {
            points.push_str(&format!(
                "<navPoint id=\"p{n}\" playOrder=\"{n}\"><navLabel><text>{}</text></navLabel>\
                 <content src=\"{}\"/></navPoint>\n",
                escape(c.nav.as_deref().unwrap_or("")),
                c.path,
                n = i + 1
            ));
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\">\n\
             <head><meta name=\"dtb:uid\" content=\"urn:uuid:3f0c2d6e-8a41-4c3b-9d7e-5b1a2c4e6f80\"/></head>\n\
             <docTitle><text>{}</text></docTitle>\n<navMap>\n{points}</navMap>\n</ncx>\n",
            escape(&self.title)
        )
    }
}

const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
  <rootfiles>\n\
    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n\
  </rootfiles>\n\
</container>\n";

fn options(method: CompressionMethod) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
}

fn id(path: &str) -> String {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .replace(['.', ' '], "_")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An XHTML content document around `body`.
pub fn xhtml(title: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"zh\">\n\
         <head>\n  <title>{}</title>\n  <meta charset=\"utf-8\"/>\n</head>\n\
         <body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

/// A one-pixel PNG, for the cover.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0xe9, 0xfa, 0xdc, 0xd8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

pub const SAMPLE_TITLE: &str = "江村杂记";
pub const SAMPLE_AUTHOR: &str = "林半溪";
/// The chapter titles, in reading (spine) order.
pub const SAMPLE_CHAPTERS: [&str; 3] = ["第一章 渡口", "第二章 雨夜", "第三章 归舟"];

const CHAPTER_ONE: &str = "<h1>第一章 渡口</h1>
<p>江村在河的南岸，村口有一个渡口。摆渡的是老周，他撑了三十年的船，
手上的茧比船桨还硬。</p>
<p>每天清早，雾还没有散，老周就把船系在柳树下，坐在石阶上抽烟。过河的人来了，他也不急，
总要等烟抽完才起身。</p>
<p>「周伯，今天水大不大？」卖豆腐的阿云提着担子问。</p>
<p>「水不大，风大。」老周把烟杆在鞋底上敲了敲，「你那担豆腐放稳些，别又掉一块到河里喂鱼。」</p>
<p>阿云笑着上了船。船离了岸，<em>河面上</em>的雾便一层一层地往后退。</p>";

/// No heading of its own: its title is only in the navigation document.
const CHAPTER_TWO: &str = "<div class=\"chapter\">
<p>入夏以后，雨总是在夜里来。先是远处的雷，闷闷地滚过山脊，接着屋檐上便响起密密的雨声。</p>
<p>祖母说，下雨的夜里最适合听故事。她坐在灯下纳鞋底，讲的多半是村里的旧事。</p>
<h2>祖母的故事</h2>
<p>很多年前，河上还没有桥，也没有老周。那时候摆渡的是一个哑巴，村里人都叫他「哑叔」。</p>
<blockquote><p>他不会说话，却认得每一个过河的人。谁家的孩子病了，他半夜也肯撑船去请郎中。</p></blockquote>
<p>祖母讲到这里，总要停下来，把灯芯挑亮一点。窗外的雨，还在下。</p>
</div>";

/// Its heading is an `<h2>` with an ideographic space; the navigation label has a plain one.
const CHAPTER_THREE: &str = "<h2 class=\"title\">第三章\u{3000}归舟</h2>
<p>秋天，在城里读书的表哥回来了。他站在船头，远远地朝岸上挥手。</p>
<p>「江村一点都没变。」他一上岸就说。</p>
<p>老周摇摇头：「变了。柳树老了，我也老了，只有这条河还是原来的样子。」</p>
<p>那天傍晚，我们一起坐在渡口，看最后一班船<strong>慢慢</strong>靠岸。</p>";

/// The sample book (see the module documentation).
pub fn sample() -> Book {
    let mut book = Book::new(SAMPLE_TITLE, SAMPLE_AUTHOR);
    book.publisher = Some("青灯书社".into());
    book.date = Some("2021-06-01".into());
    let cover = Chapter::new(
        "cover.xhtml",
        None,
        xhtml(
            "封面",
            "<div class=\"cover\"><img src=\"images/cover.png\" alt=\"江村杂记封面\"/></div>",
        ),
    );
    let title_page = Chapter::new(
        "titlepage.xhtml",
        None,
        xhtml(
            SAMPLE_TITLE,
            "<h1 class=\"book-title\">江村杂记</h1>\n<p class=\"author\">林半溪　著</p>",
        ),
    );
    let mut notes = Chapter::new(
        "notes.xhtml",
        None,
        xhtml("注释", "<h1>注释</h1><p>本书人物与地名均为虚构。</p>"),
    );
    notes.linear = false;
    book.chapter(cover)
        .chapter(title_page)
        .chapter(Chapter::new(
            "Text/ch_b.xhtml",
            Some(SAMPLE_CHAPTERS[0]),
            xhtml(SAMPLE_CHAPTERS[0], CHAPTER_ONE),
        ))
        .chapter(Chapter::new(
            "Text/ch_c.xhtml",
            Some(SAMPLE_CHAPTERS[1]),
            xhtml(SAMPLE_CHAPTERS[1], CHAPTER_TWO),
        ))
        .chapter(Chapter::new(
            "Text/ch_a.xhtml",
            Some(SAMPLE_CHAPTERS[2]),
            xhtml(SAMPLE_CHAPTERS[2], CHAPTER_THREE),
        ))
        .chapter(notes)
        .file("OEBPS/images/cover.png", PNG)
}

/// The same book as EPUB 2: the NCX is the only table of contents.
pub fn sample_epub2() -> Book {
    let mut book = sample();
    book.epub2 = true;
    book
}

/// `META-INF/encryption.xml` saying the chapters are encrypted with AES (as a DRM scheme
/// writes it), and the font with the IDPF obfuscation (which is not DRM).
pub fn encryption_xml(encrypted: &[&str], obfuscated: &[&str]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" \
         xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\">\n",
    );
    for (paths, algorithm) in [
        (encrypted, "http://www.w3.org/2001/04/xmlenc#aes128-cbc"),
        (obfuscated, "http://www.idpf.org/2008/embedding"),
    ] {
        for path in paths {
            xml.push_str(&format!(
                "  <enc:EncryptedData>\n    <enc:EncryptionMethod Algorithm=\"{algorithm}\"/>\n    \
                 <enc:CipherData><enc:CipherReference URI=\"{path}\"/></enc:CipherData>\n  \
                 </enc:EncryptedData>\n"
            ));
        }
    }
    xml.push_str("</encryption>\n");
    xml
}

/// Rewrites the uncompressed size an entry declares, in its local header and in the central
/// directory, as a ZIP bomb does to slip past a size check.
pub fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46) {
        // Where the uncompressed size, the name's length and the name are.
        let (size_at, len_at, name_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => (22, 26, 30),
            b"PK\x01\x02" => (24, 28, 46),
            _ => continue,
        };
        let len = usize::from(u16::from_le_bytes([zip[at + len_at], zip[at + len_at + 1]]));
        if len == name.len() && zip.get(at + name_at..at + name_at + len) == Some(name) {
            zip[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(
        patched,
        2,
        "{} has a local and a central header",
        String::from_utf8_lossy(name)
    );
}
