//! Opening a long book in each input format: a ~10 MB EPUB novel, the same novel as ~10 MB of
//! Markdown and as ~10 MB of plain text.
//!
//! ```text
//! cargo run --release --example bench_formats [-- --size-mb 10 --runs 5 --dir DIR]
//! ```
//!
//! The files are generated deterministically (no network) into a temporary directory: the
//! EPUB with the `zip` crate through the test helper `tests/common/epub.rs`, sized so the
//! `.epub` file itself is about `--size-mb` MB. Each measurement runs in a child process of
//! this example (`--child FORMAT FILE`), so peak memory figures do not mix; the child reads the
//! file, turns it into a document with `pizhu::formats::read` ("parse"), then builds the
//! reader (`App::new`) and draws one 200×60 frame on ratatui's `TestBackend` ("first frame"),
//! and reports its peak RSS (`VmHWM`). The table gives the median over `--runs` children and
//! the highest peak.
//!
//! Targets (from the issue): first frame ≤ 100 ms; peak memory ≤ 3 × the document's text +
//! 60 MB. MB = 10⁶ bytes.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use pizhu::app::App;
use pizhu::config::Config;
use pizhu::document::Document;
use pizhu::formats::InputFormat;
use pizhu::load::{self, Source};
use pizhu::ui::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../tests/common/epub.rs"]
#[allow(dead_code)]
#[allow(clippy::expect_used, reason = "test fixture code, zipping into memory")]
mod fixture;

const SCREEN: (u16, u16) = (200, 60);
const MB: f64 = 1_000_000.0;
const FIRST_FRAME_TARGET_MS: f64 = 100.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let (Some(format), Some(file)) = (args.get(i + 1), args.get(i + 2)) else {
            eprintln!("bench_formats: --child FORMAT FILE");
            return ExitCode::from(2);
        };
        return child(format, Path::new(file));
    }
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<f64>().ok())
    };
    let size_mb = arg("--size-mb").unwrap_or(10.0);
    let runs = arg("--runs").map_or(5, |r| r.max(1.0) as usize);
    if cfg!(debug_assertions) {
        println!(
            "warning: a debug build; run `cargo run --release --example bench_formats` for figures"
        );
    }
    // `--dir DIR` keeps the generated files there (to profile a child on its own).
    let temp = match tempfile::tempdir() {
        Ok(temp) => temp,
        Err(e) => {
            eprintln!("bench_formats: no temporary directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dir = match args
        .iter()
        .position(|a| a == "--dir")
        .and_then(|i| args.get(i + 1))
    {
        Some(d) => PathBuf::from(d),
        None => temp.path().to_path_buf(),
    };
    let started = Instant::now();
    let novel = Novel::generate_for_epub((size_mb * MB) as usize);
    let epub_path = dir.join("novel.epub");
    let epub = novel.epub();
    let text_novel = Novel::generate((size_mb * MB) as usize);
    let md_path = dir.join("novel.md");
    let txt_path = dir.join("novel.txt");
    let written = std::fs::create_dir_all(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))
        .and_then(|()| write(&epub_path, &epub))
        .and_then(|()| write(&md_path, text_novel.markdown()))
        .and_then(|()| write(&txt_path, text_novel.plain()));
    if let Err(e) = written {
        eprintln!("bench_formats: cannot write the books: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "generated in {:.1} s: EPUB {} chapters, {:.2} MB file, {:.2} MB of XHTML unpacked; \
         Markdown and text {} chapters",
        started.elapsed().as_secs_f64(),
        novel.chapters.len(),
        epub.len() as f64 / MB,
        novel.xhtml_bytes() as f64 / MB,
        text_novel.chapters.len(),
    );
    println!(
        "screen {}x{}, {runs} runs per format (median times, highest peak), MB = 10^6 bytes",
        SCREEN.0, SCREEN.1
    );
    println!();
    println!(
        "{:<9} {:>8} {:>9} {:>9} {:>9} {:>11} {:>9} {:>9} {:>9} {:>10}  verdict",
        "format",
        "file MB",
        "text MB",
        "chapters",
        "parse ms",
        "1st frame",
        "open ms",
        "ready ms",
        "peak MB",
        "target MB",
    );
    let mut all_pass = true;
    // Formats whose whole open (parse and first frame) takes longer than the frame target.
    let mut slow = Vec::new();
    for (name, path) in [
        ("epub", &epub_path),
        ("markdown", &md_path),
        ("text", &txt_path),
    ] {
        match measure(name, path, runs) {
            Ok(m) => {
                let target = 3.0 * m.text_bytes as f64 / MB + 60.0;
                let peak = m.peak as f64 / MB;
                let frame = ms(m.frame);
                let pass = peak <= target && ms(m.parse + m.frame) <= FIRST_FRAME_TARGET_MS;
                all_pass &= pass;
                if ms(m.parse + m.frame) > FIRST_FRAME_TARGET_MS {
                    slow.push(name);
                }
                println!(
                    "{:<9} {:>8.2} {:>9.2} {:>9} {:>9.0} {:>11.1} {:>9.0} {:>9.0} {:>9.1} {:>10.1}  {}",
                    name,
                    m.file_bytes as f64 / MB,
                    m.text_bytes as f64 / MB,
                    m.chapters,
                    ms(m.parse),
                    frame,
                    ms(m.parse + m.frame),
                    ms(m.ready),
                    peak,
                    target,
                    if pass { "PASS" } else { "FAIL" }
                );
            }
            Err(why) => {
                all_pass = false;
                println!("{name:<9} failed: {why}");
            }
        }
    }
    println!();
    println!(
        "parse = read the file and the document the first frame shows (a long book: its first \
         chapters); 1st frame = App::new + one draw; open = both; ready = until the whole \
         document is read and drawn; peak = VmHWM of the child; target = 3 x text + 60 MB"
    );
    if !slow.is_empty() {
        println!(
            "note: parse + first frame over {FIRST_FRAME_TARGET_MS} ms for {}",
            slow.join(", ")
        );
    }
    if all_pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// The child: one open, its times and its peak memory.

fn vm_hwm() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn child(format: &str, path: &Path) -> ExitCode {
    let Some(format) = InputFormat::from_name(format) else {
        eprintln!("bench_formats: unknown format {format}");
        return ExitCode::from(2);
    };
    let baseline = vm_hwm().unwrap_or(0);
    let t0 = Instant::now();
    let file_bytes = match std::fs::metadata(path) {
        Ok(m) => m.len() as usize,
        Err(e) => {
            eprintln!("bench_formats: {}: {e}", path.display());
            return ExitCode::from(1);
        }
    };
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("bench_formats: {}: {e}", path.display());
        ExitCode::from(1)
    };
    let fetched = match load::fetch(
        &Source::File(path.to_path_buf()),
        None,
        u64::MAX,
        Some(format),
    ) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let theme = Theme::default();
    let draw = |doc: Document| {
        let app = App::new(doc, "novel", Config::default(), SCREEN);
        let mut terminal = Terminal::new(TestBackend::new(SCREEN.0, SCREEN.1)).expect("a terminal");
        terminal
            .draw(|f| pizhu::ui::draw(f, &app, &theme))
            .expect("draw on a test backend");
    };
    // As the binary does: a long book's first chapters are drawn first, then the whole book
    // is read and drawn.
    let (t1, t2, doc) = match fetched.opening(load::FIRST_SCREEN_TEXT) {
        Some(load::Opening::Part(part)) => {
            let t1 = Instant::now();
            draw(part);
            let t2 = Instant::now();
            match fetched.read() {
                Ok(opened) => (t1, t2, opened.doc),
                Err(e) => return fail(&e),
            }
        }
        other => {
            let doc = match other {
                Some(load::Opening::Whole(opened)) => opened.doc,
                _ => match fetched.read() {
                    Ok(opened) => opened.doc,
                    Err(e) => return fail(&e),
                },
            };
            let t1 = Instant::now();
            let (text_bytes, chapters) = (doc.text().len(), doc.chapters().len());
            draw(doc);
            let t2 = Instant::now();
            return report(t0, t1, t2, t2, baseline, file_bytes, text_bytes, chapters);
        }
    };
    let (text_bytes, chapters) = (doc.text().len(), doc.chapters().len());
    draw(doc);
    let t3 = Instant::now();
    report(t0, t1, t2, t3, baseline, file_bytes, text_bytes, chapters)
}

/// Prints what a child measured: the times to the first frame's document (`t1`), to the
/// first frame (`t2`) and to the whole document's frame (`t3`), from `t0`.
#[allow(clippy::too_many_arguments)]
fn report(
    t0: Instant,
    t1: Instant,
    t2: Instant,
    t3: Instant,
    baseline: u64,
    file_bytes: usize,
    text_bytes: usize,
    chapters: usize,
) -> ExitCode {
    let peak = vm_hwm().unwrap_or(0);
    println!("parse_ns {}", (t1 - t0).as_nanos());
    println!("frame_ns {}", (t2 - t1).as_nanos());
    println!("ready_ns {}", (t3 - t0).as_nanos());
    println!("peak {peak}");
    println!("baseline {baseline}");
    println!("file_bytes {file_bytes}");
    println!("text_bytes {text_bytes}");
    println!("chapters {chapters}");
    ExitCode::SUCCESS
}

struct Measured {
    parse: Duration,
    frame: Duration,
    /// Until the whole document is read and drawn.
    ready: Duration,
    peak: u64,
    file_bytes: u64,
    text_bytes: u64,
    chapters: u64,
}

fn measure(format: &str, path: &PathBuf, runs: usize) -> Result<Measured, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let (mut parse, mut frame, mut ready, mut peak) = (Vec::new(), Vec::new(), Vec::new(), 0u64);
    let (mut file_bytes, mut text_bytes, mut chapters) = (0, 0, 0);
    for _ in 0..runs {
        let out = Command::new(&exe)
            .arg("--child")
            .arg(format)
            .arg(path)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let field = |key: &str| -> Result<u64, String> {
            stdout
                .lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix(' ')?.trim().parse().ok())
                .ok_or_else(|| format!("the child did not report {key}"))
        };
        parse.push(Duration::from_nanos(field("parse_ns")?));
        frame.push(Duration::from_nanos(field("frame_ns")?));
        ready.push(Duration::from_nanos(field("ready_ns")?));
        peak = peak.max(field("peak")?);
        file_bytes = field("file_bytes")?;
        text_bytes = field("text_bytes")?;
        chapters = field("chapters")?;
    }
    parse.sort_unstable();
    frame.sort_unstable();
    ready.sort_unstable();
    Ok(Measured {
        ready: ready[ready.len() / 2],
        parse: parse[parse.len() / 2],
        frame: frame[frame.len() / 2],
        peak,
        file_bytes,
        text_bytes,
        chapters,
    })
}

// ---------------------------------------------------------------------------------------------
// The novel.

/// A small deterministic generator (Knuth's MMIX LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// An index below `n`, low ones far likelier (as common characters are in prose).
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((u * u * u) * n as f64) as usize
    }
}

/// Prose written for this bench; its characters are the generator's alphabet, the most
/// frequent ones first.
const PROSE: &str = "\
我们的村子在一条大河的拐弯处，河水从西边的山里流出来，绕过村前的一片田地，又往东边去了。\
小时候，我常常跟着父亲到河边去，看他修补渔网，听他讲上游的事情。父亲说，河的源头在很远很远\
的雪山上，那里终年积雪，天空蓝得像一块刚洗过的布。他年轻的时候曾经沿着河走了整整一个月，\
想要看一看源头是什么样子，可是走到半路，遇上了大雨，山路被冲断，只好回来。后来他结了婚，\
有了我和妹妹，就再也没有去过。每年春天，河边的柳树发芽，燕子从南方飞回来，在屋檐下筑巢。\
母亲总是在这个时候把冬天的被褥拿出来晒，院子里满是阳光和棉花的味道。妹妹喜欢追着蝴蝶跑，\
跑累了就躺在草地上，数天上的云。到了夏天，河水涨起来，颜色变得浑黄，夜里能听见水声一阵紧\
似一阵。村里的老人说，这样的夜里不要出门，河神会把不听话的孩子带走。我从来不信这些话，却\
也不敢一个人去河边。秋天是最热闹的季节，稻子熟了，家家户户都在田里忙着收割，孩子们提着篮\
子捡拾落下的稻穗。晚上，晒谷场上点起灯，大人们一边剥玉米一边聊天，说着今年的收成，说着城\
里的新闻，说着谁家的儿子考上了大学。冬天来了，河面结了一层薄冰，早晨起来，窗户上全是白色\
的花纹。祖父坐在火炉旁边，慢慢地抽着旱烟，有时候会讲起他年轻时候的故事：怎样在码头上扛包，\
怎样在战乱里逃难，怎样认识了祖母。那些故事我听了很多遍，每一次都觉得新鲜。如今祖父已经不在\
了，父亲也老了，我在城市里工作，一年只能回去一两次。每次回去，我都会一个人走到河边，站在那棵\
最老的柳树下面，看河水静静地流过。河还是那条河，可是岸边的人，一个一个都变了。";

struct Novel {
    title: String,
    /// `(title, paragraphs)`.
    chapters: Vec<(String, Vec<String>)>,
}

impl Novel {
    fn alphabet() -> Vec<char> {
        let mut counts: Vec<(char, usize)> = Vec::new();
        for c in PROSE.chars().filter(|c| !"，。：；、".contains(*c)) {
            match counts.iter_mut().find(|(x, _)| *x == c) {
                Some((_, n)) => *n += 1,
                None => counts.push((c, 1)),
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        counts.into_iter().map(|(c, _)| c).collect()
    }

    /// Chapters until the text reaches `bytes` (UTF-8).
    fn generate(bytes: usize) -> Self {
        let alphabet = Self::alphabet();
        let mut rng = Lcg(0x5eed_2026);
        let mut chapters = Vec::new();
        let mut total = 0;
        while total < bytes {
            let n = chapters.len() + 1;
            let mut name = String::new();
            for _ in 0..2 + rng.below(3) {
                name.push(alphabet[rng.skewed(alphabet.len())]);
            }
            let title = format!("第{n}章 {name}");
            let mut paragraphs = Vec::new();
            for _ in 0..20 + rng.below(30) {
                let p = Self::paragraph(&mut rng, &alphabet);
                total += p.len() + 2;
                paragraphs.push(p);
            }
            total += title.len() + 2;
            chapters.push((title, paragraphs));
        }
        Self {
            title: "长河夜行".to_string(),
            chapters,
        }
    }

    fn paragraph(rng: &mut Lcg, alphabet: &[char]) -> String {
        let mut p = String::new();
        let dialogue = rng.below(4) == 0;
        if dialogue {
            p.push_str(["他说：「", "她问：「", "父亲说：「", "「"][rng.below(4)]);
        }
        for s in 0..2 + rng.below(6) {
            for w in 0..4 + rng.below(10) {
                for _ in 0..1 + rng.below(3) {
                    p.push(alphabet[rng.skewed(alphabet.len())]);
                }
                if w > 0 && rng.below(5) == 0 {
                    p.push('，');
                }
            }
            p.push(if s % 3 == 2 { '！' } else { '。' });
        }
        if dialogue {
            p.push('」');
        }
        p
    }

    /// A novel whose EPUB is about `bytes`: the text deflates to about a third of its size.
    fn generate_for_epub(bytes: usize) -> Self {
        let mut text = bytes * 2;
        let mut novel = Self::generate(text);
        for _ in 0..3 {
            let size = novel.epub().len();
            if (size as f64 - bytes as f64).abs() < bytes as f64 * 0.03 {
                break;
            }
            text = (text as f64 * bytes as f64 / size as f64) as usize;
            novel = Self::generate(text);
        }
        novel
    }

    fn book(&self) -> fixture::Book {
        let mut book = fixture::Book::new(&self.title, "林半溪");
        book.date = Some("2026-01-30".into());
        for (i, (title, paragraphs)) in self.chapters.iter().enumerate() {
            let mut body = format!("<h1>{title}</h1>\n");
            for p in paragraphs {
                body.push_str("<p>");
                body.push_str(p);
                body.push_str("</p>\n");
            }
            book.chapters.push(fixture::Chapter::new(
                &format!("Text/chapter{:04}.xhtml", i + 1),
                Some(title),
                fixture::xhtml(title, &body),
            ));
        }
        book
    }

    fn epub(&self) -> Vec<u8> {
        self.book().bytes()
    }

    fn xhtml_bytes(&self) -> usize {
        self.book().chapters.iter().map(|c| c.xhtml.len()).sum()
    }

    fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n作者：林半溪\n\n", self.title);
        for (title, paragraphs) in &self.chapters {
            out.push_str(&format!("## {title}\n\n"));
            for p in paragraphs {
                out.push_str(p);
                out.push_str("\n\n");
            }
        }
        out
    }

    fn plain(&self) -> String {
        let mut out = format!("{}\n作者：林半溪\n\n", self.title);
        for (title, paragraphs) in &self.chapters {
            out.push_str(title);
            out.push_str("\n\n");
            for p in paragraphs {
                out.push_str("\u{3000}\u{3000}");
                out.push_str(p);
                out.push_str("\n\n");
            }
        }
        out
    }
}
