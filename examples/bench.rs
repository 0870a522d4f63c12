//! Performance figures for the acceptance targets of the 10 MB issue.
//!
//! ```text
//! cargo build --release && cargo run --release --example bench [-- --size-mb 10]
//! ```
//!
//! Builds a deterministic document of about `--size-mb` MB (10⁶ bytes) from the bundled
//! sample's paragraphs, writes it to `$TMPDIR/pizhu-bench-10mb.txt`, and prints one figure per
//! line with its target and PASS/FAIL:
//!
//! 1. open + first frame (Document::new + App::new + one draw on a 200×60 TestBackend);
//! 2. whole-document layout throughput at width 80 (plus break-only and width-only diagnostics);
//! 3. keypress-to-frame latency for page down, G/g and n (plus incremental-search typing);
//! 4. peak RSS (VmHWM) of a child process (`--phase open --file F`) that opens the file the way
//!    the binary does, draws one frame and pages through to 100%;
//! 5. `pizhu cat --width 80` end to end, using `target/release/pizhu` (skipped when missing);
//! 6. the store: save and load of a record with 5,000 annotations, `tags()` and `list()` over
//!    100 documents, in a temporary data dir;
//! 7. export: each format (Markdown, W3C, CSV, JSON) of 5,000 annotations on the document with
//!    its entities, and the import of the JSON export back into an empty record.
//!
//! The process exits with status 1 when any figure fails its target. `-- --phase keys` runs
//! only the keypress latencies, for profiling; `-- --phase store` only the store figures;
//! `-- --phase export` only the export figures.

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use pizhu::app::{App, Event, Key, KeyCode};
use pizhu::config::Config;
use pizhu::document::{BlockKind, Document};
use pizhu::layout::doc::block_indent;
use pizhu::layout::{LayoutParams, Row, WrapOptions, breaks, str_width, wrap_into};
use pizhu::ui::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "common/bench_text.rs"]
mod bench_text;
use bench_text::{Lcg, build_text, newest_source, release_binary};

/// Terminal size for every in-process measurement.
const SCREEN: (u16, u16) = (200, 60);
/// Decimal megabyte: sizes, throughputs and the memory target all use it.
const MB: f64 = 1_000_000.0;
const FILE_NAME: &str = "pizhu-bench-10mb.txt";
const OPEN_RUNS: usize = 10;
const LAYOUT_RUNS: usize = 5;
const CAT_RUNS: usize = 5;
const KEY_SAMPLES: usize = 1000;
const SEARCH_PHRASE: &str = "小红书";
const LAYOUT_WIDTH: usize = 80;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if arg("--phase").as_deref() == Some("open") {
        let Some(file) = arg("--file") else {
            eprintln!("bench: --phase open needs --file PATH");
            return ExitCode::from(2);
        };
        return match phase_open(Path::new(&file)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let size_mb = match arg("--size-mb").map(|s| s.parse::<f64>()) {
        None => 10.0,
        Some(Ok(mb)) if mb > 0.0 => mb,
        Some(_) => {
            eprintln!("bench: --size-mb takes a positive number of megabytes");
            return ExitCode::from(2);
        }
    };
    if arg("--phase").as_deref() == Some("keys") {
        // Only the keypress latencies: a short run to profile (`perf record -g ... --phase keys`).
        let doc = Document::new(&build_text((size_mb * MB) as usize));
        let mut report = Report::default();
        report.header();
        bench_keys(&mut report, &doc);
        bench_keys_with_annotations(&mut report, &doc);
        return ExitCode::SUCCESS;
    }
    if arg("--phase").as_deref() == Some("store") {
        let mut report = Report::default();
        report.header();
        bench_store(&mut report, &build_text(STORE_TEXT_BYTES));
        return ExitCode::from(u8::from(report.failed > 0));
    }
    if arg("--phase").as_deref() == Some("export") {
        let doc = Document::new(&build_text((size_mb * MB) as usize));
        let mut report = Report::default();
        report.header();
        bench_export(&mut report, &doc);
        return ExitCode::from(u8::from(report.failed > 0));
    }
    if run(size_mb) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Runs every measurement; returns whether everything passed.
fn run(size_mb: f64) -> bool {
    if cfg!(debug_assertions) {
        println!("warning: this is a debug build; run with `cargo run --release --example bench`");
    }
    let start = Instant::now();
    let text = build_text((size_mb * MB) as usize);
    let path = std::env::temp_dir().join(FILE_NAME);
    if let Err(e) = std::fs::write(&path, &text) {
        println!("bench: cannot write {}: {e}", path.display());
        return false;
    }
    let doc = Document::new(&text);
    let headings = doc
        .blocks()
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .count();
    println!(
        "document: {:.2} MB ({} bytes), {} blocks, {} paragraphs, {} headings; file {}",
        text.len() as f64 / MB,
        text.len(),
        doc.blocks().len(),
        doc.paragraph_count(),
        headings,
        path.display()
    );
    println!(
        "screen {}x{}, layout width {LAYOUT_WIDTH}, MB = 10^6 bytes",
        SCREEN.0, SCREEN.1
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if let Some(load) = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok())
    {
        println!("load average {load:.2} on {cores} cores");
        if load > cores as f64 * 0.75 {
            println!(
                "warning: the machine is busy; latency tails will include time other processes \
                 held the CPU (see the `without preempted samples` lines)"
            );
        }
    }
    println!();
    let mut report = Report::default();
    report.header();

    bench_open(&mut report, &text);
    bench_layout(&mut report, &doc);
    bench_keys(&mut report, &doc);
    bench_keys_with_annotations(&mut report, &doc);
    bench_entities(&mut report, &doc);
    bench_memory(&mut report, &path, text.len());
    bench_cat(&mut report, &path, text.len());
    bench_store(&mut report, &text);
    bench_export(&mut report, &doc);

    println!();
    println!(
        "{} passed, {} failed, {} skipped; total {:.1} s",
        report.passed,
        report.failed,
        report.skipped,
        start.elapsed().as_secs_f64()
    );
    report.failed == 0
}

// ---------------------------------------------------------------------------------------------
// The document: `build_text` in common/bench_text.rs, shared with the other benchmarks.

// ---------------------------------------------------------------------------------------------
// Reporting.

#[derive(Clone, Copy)]
enum Target {
    AtMost(f64),
    AtLeast(f64),
    Info,
}

#[derive(Default)]
struct Report {
    passed: usize,
    failed: usize,
    skipped: usize,
}

impl Report {
    fn header(&self) {
        println!(
            "{:<44} {:>12} {:<6} {:<12} result",
            "figure", "value", "unit", "target"
        );
        println!("{}", "-".repeat(86));
    }

    fn figure(&mut self, name: &str, value: f64, unit: &str, target: Target) {
        let (target_text, verdict) = match target {
            Target::AtMost(t) => (format!("<= {}", short(t)), value <= t),
            Target::AtLeast(t) => (format!(">= {}", short(t)), value >= t),
            Target::Info => ("-".to_string(), true),
        };
        let result = match (target, verdict) {
            (Target::Info, _) => "info",
            (_, true) => {
                self.passed += 1;
                "PASS"
            }
            (_, false) => {
                self.failed += 1;
                "FAIL"
            }
        };
        println!(
            "{} {:>12} {unit:<6} {target_text:<12} {result}",
            pad(name),
            short(value)
        );
    }

    fn skip(&mut self, name: &str, unit: &str, target: &str, why: &str) {
        self.skipped += 1;
        println!("{name:<44} {:>12} {unit:<6} {target:<12} SKIP ({why})", "-");
    }
}

/// `name` padded to the figure column by display width (the search phrase is CJK).
fn pad(name: &str) -> String {
    let width = str_width(name, pizhu::layout::AmbiguousWidth::Narrow);
    format!("{name}{}", " ".repeat(44usize.saturating_sub(width)))
}

/// A number with as many decimals as its size deserves.
fn short(v: f64) -> String {
    match v.abs() {
        a if a >= 1000.0 => format!("{v:.0}"),
        a if a >= 100.0 => format!("{v:.1}"),
        a if a >= 1.0 => format!("{v:.2}"),
        _ => format!("{v:.3}"),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// p50, p99 and max, in µs.
fn percentiles(times: &mut [Duration]) -> (f64, f64, f64) {
    times.sort_unstable();
    let n = times.len();
    let p99 = (n * 99).div_ceil(100).max(1) - 1;
    (us(times[n / 2]), us(times[p99]), us(times[n - 1]))
}

// ---------------------------------------------------------------------------------------------
// 1. Open and draw the first frame.

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(SCREEN.0, SCREEN.1)).expect("a test terminal")
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App, theme: &Theme) {
    terminal
        .draw(|f| pizhu::ui::draw(f, app, theme))
        .expect("drawing on a test backend");
}

fn bench_open(report: &mut Report, text: &str) {
    let theme = Theme::default();
    let mut total = Vec::with_capacity(OPEN_RUNS);
    let (mut sanitize, mut document, mut app_new, mut first_draw) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..OPEN_RUNS {
        let mut term = terminal();
        let t0 = Instant::now();
        let doc = Document::new(text);
        let t1 = Instant::now();
        let app = App::new(doc, FILE_NAME, Config::default(), SCREEN);
        let t2 = Instant::now();
        draw(&mut term, &app, &theme);
        let t3 = Instant::now();
        total.push(t3 - t0);
        document.push(t1 - t0);
        app_new.push(t2 - t1);
        first_draw.push(t3 - t2);
        drop(app);
        let t = Instant::now();
        black_box(pizhu::text::sanitize(black_box(text)));
        sanitize.push(t.elapsed());
    }
    let min = total.iter().min().copied().unwrap_or_default();
    report.figure(
        "open + first frame, min",
        ms(min),
        "ms",
        Target::AtMost(100.0),
    );
    report.figure(
        "open + first frame, median",
        ms(median(&mut total)),
        "ms",
        Target::AtMost(100.0),
    );
    report.figure(
        "  Document::new, median",
        ms(median(&mut document)),
        "ms",
        Target::Info,
    );
    report.figure(
        "    of which text::sanitize, median",
        ms(median(&mut sanitize)),
        "ms",
        Target::Info,
    );
    report.figure(
        "  App::new, median",
        ms(median(&mut app_new)),
        "ms",
        Target::Info,
    );
    report.figure(
        "  first draw, median",
        ms(median(&mut first_draw)),
        "ms",
        Target::Info,
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Layout throughput.

/// Median MB/s of `f` over [`LAYOUT_RUNS`] runs on `bytes` bytes.
fn throughput(bytes: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut times: Vec<Duration> = (0..LAYOUT_RUNS)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    bytes as f64 / MB / median(&mut times).as_secs_f64()
}

fn bench_layout(report: &mut Report, doc: &Document) {
    let params = LayoutParams::new(LAYOUT_WIDTH);
    let blocks: Vec<&str> = (0..doc.blocks().len()).map(|b| doc.block_text(b)).collect();
    let bytes: usize = blocks.iter().map(|t| t.len()).sum();
    let mut rows: Vec<Row> = Vec::new();
    let wrap = throughput(bytes, || {
        let mut count = 0;
        for (b, text) in blocks.iter().enumerate() {
            let options = WrapOptions {
                width: params.width,
                ambiguous: params.ambiguous,
                first_indent: block_indent(doc, b, &params),
                hanging: 0,
            };
            rows.clear();
            wrap_into(text, &options, &mut rows);
            count += rows.len();
        }
        count
    });
    report.figure(
        "layout, all blocks at width 80",
        wrap,
        "MB/s",
        Target::AtLeast(40.0),
    );
    let breaks = throughput(bytes, || {
        blocks
            .iter()
            .map(|t| breaks::opportunities(t).count())
            .sum()
    });
    report.figure("  break opportunities only", breaks, "MB/s", Target::Info);
    let widths = throughput(bytes, || {
        blocks.iter().map(|t| str_width(t, params.ambiguous)).sum()
    });
    report.figure("  str_width only", widths, "MB/s", Target::Info);
}

// ---------------------------------------------------------------------------------------------
// Entities.

fn bench_entities(report: &mut Report, doc: &Document) {
    let t = Instant::now();
    let extractor = pizhu::entities::Extractor::new(pizhu::entities::Gazetteer::builtin());
    report.figure(
        "entities: build gazetteer + segmenter",
        ms(t.elapsed()),
        "ms",
        Target::Info,
    );
    let text = doc.text();
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            black_box(extractor.extract(text, &mut |_| {}));
            t.elapsed()
        })
        .collect();
    let rate = text.len() as f64 / MB / median(&mut times).as_secs_f64();
    report.figure(
        "entities: gazetteer + rules, 1 thread",
        rate,
        "MB/s",
        Target::AtLeast(20.0),
    );

    // Keys pressed while extraction runs in the background, started as the reader starts it.
    let theme = Theme::default();
    let mut term = terminal();
    let updates = pizhu::term::spawn_extraction(doc);
    let mut app = fresh_app(doc, &mut term, &theme);
    let mut samples = Vec::new();
    let mut found = 0;
    'keys: while samples.len() < 5000 {
        loop {
            match updates.try_recv() {
                Ok(pizhu::app::EntitiesUpdate::Done(entities)) => {
                    found = entities.len();
                    break 'keys;
                }
                Ok(_) => {}
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => break 'keys,
            }
        }
        samples.push(press(&mut term, &mut app, &theme, Key::ch(' ')));
        if app.percent() >= 100 {
            press(&mut term, &mut app, &theme, Key::ch('g'));
        }
    }
    report.figure(
        "  entities found in the 10 MB document",
        found as f64,
        "",
        Target::Info,
    );
    latency(
        report,
        "key Space during extraction",
        &samples,
        Target::AtMost(2_000.0),
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Keypress-to-frame latency.

/// One timed keypress, and whether the scheduler took the CPU away during it.
#[derive(Clone, Copy)]
struct Sample {
    time: Duration,
    preempted: bool,
}

/// This thread's involuntary context switches so far (Linux only).
fn involuntary_switches() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/thread-self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.starts_with("nonvoluntary_ctxt_switches:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One event and the frame after it. The context-switch count is read outside the timed part.
fn press(term: &mut Terminal<TestBackend>, app: &mut App, theme: &Theme, key: Key) -> Sample {
    let before = involuntary_switches();
    let t = Instant::now();
    app.handle(Event::Key(key));
    draw(term, app, theme);
    let time = t.elapsed();
    let after = involuntary_switches();
    Sample {
        time,
        preempted: matches!((before, after), (Some(b), Some(a)) if a > b),
    }
}

fn fresh_app(doc: &Document, term: &mut Terminal<TestBackend>, theme: &Theme) -> App {
    let app = App::new(doc.clone(), FILE_NAME, Config::default(), SCREEN);
    draw(term, &app, theme);
    app
}

/// p50 (info), p99 (against `target`) and max (info) of all samples; when some samples were
/// preempted, also the p99 of the others, to tell scheduler noise from the reader's own work.
fn latency(report: &mut Report, name: &str, samples: &[Sample], target: Target) {
    let mut all: Vec<Duration> = samples.iter().map(|s| s.time).collect();
    let (p50, p99, max) = percentiles(&mut all);
    report.figure(&format!("{name}, p50"), p50, "us", Target::Info);
    report.figure(&format!("{name}, p99"), p99, "us", target);
    report.figure(&format!("{name}, max"), max, "us", Target::Info);
    let mut quiet: Vec<Duration> = samples
        .iter()
        .filter(|s| !s.preempted)
        .map(|s| s.time)
        .collect();
    let preempted = samples.len() - quiet.len();
    if preempted > 0 && !quiet.is_empty() {
        let (_, p99, max) = percentiles(&mut quiet);
        report.figure(
            &format!("  p99 without {preempted} preempted samples"),
            p99,
            "us",
            Target::Info,
        );
        report.figure(
            &format!("  max without {preempted} preempted samples"),
            max,
            "us",
            Target::Info,
        );
    }
}

fn bench_keys(report: &mut Report, doc: &Document) {
    let theme = Theme::default();
    let p99_target = Target::AtMost(2000.0);
    let space = Key::ch(' ');
    let (top, bottom) = (Key::ch('g'), Key::ch('G'));

    // Page down, back to the top (not counted) at the end.
    let mut term = terminal();
    let mut app = fresh_app(doc, &mut term, &theme);
    let mut samples = Vec::with_capacity(KEY_SAMPLES);
    let mut wraps = 0;
    while samples.len() < KEY_SAMPLES {
        if app.percent() >= 100 {
            press(&mut term, &mut app, &theme, top);
            wraps += 1;
            continue;
        }
        samples.push(press(&mut term, &mut app, &theme, space));
    }
    latency(report, "key Space (page down)", &samples, p99_target);
    if wraps > 0 {
        println!("  (reached the end {wraps} times; the g back to the top was not counted)");
    }

    // G and g alternately: every press moves across the whole document.
    let mut term = terminal();
    let mut app = fresh_app(doc, &mut term, &theme);
    let samples: Vec<Sample> = (0..KEY_SAMPLES)
        .map(|i| {
            let key = if i % 2 == 0 { bottom } else { top };
            press(&mut term, &mut app, &theme, key)
        })
        .collect();
    latency(report, "key G/g (end/top)", &samples, p99_target);

    // n after an accepted search.
    let mut term = terminal();
    let mut app = fresh_app(doc, &mut term, &theme);
    let mut typing = Vec::new();
    press(&mut term, &mut app, &theme, Key::ch('/'));
    for c in SEARCH_PHRASE.chars() {
        typing.push(press(&mut term, &mut app, &theme, Key::ch(c)));
    }
    press(&mut term, &mut app, &theme, Key::new(KeyCode::Enter));
    let hits = app.search().hits.len();
    let samples: Vec<Sample> = (0..KEY_SAMPLES)
        .map(|_| press(&mut term, &mut app, &theme, Key::ch('n')))
        .collect();
    latency(
        report,
        &format!("key n (next of {hits} hits)"),
        &samples,
        p99_target,
    );

    // Incremental search: each keystroke of the phrase in `/` mode, then Esc (not counted).
    for _ in 0..100 {
        press(&mut term, &mut app, &theme, Key::ch('/'));
        for c in SEARCH_PHRASE.chars() {
            typing.push(press(&mut term, &mut app, &theme, Key::ch(c)));
        }
        press(&mut term, &mut app, &theme, Key::new(KeyCode::Esc));
    }
    latency(
        report,
        &format!("  /{SEARCH_PHRASE} typing, per key"),
        &typing,
        Target::Info,
    );
    for i in 0..SEARCH_PHRASE.chars().count() {
        let mut times: Vec<Duration> = typing
            .chunks(SEARCH_PHRASE.chars().count())
            .filter_map(|chunk| chunk.get(i))
            .map(|s| s.time)
            .collect();
        let prefix: String = SEARCH_PHRASE.chars().take(i + 1).collect();
        report.figure(
            &format!("    keystroke {} (/{prefix}), median", i + 1),
            us(median(&mut times)),
            "us",
            Target::Info,
        );
    }
}

/// Keypresses with 5,000 highlights in the document (issue 5: p99 ≤ 4 ms): packed into the
/// first 500 KB, so every page shows many of them, some overlapping.
fn bench_keys_with_annotations(report: &mut Report, doc: &Document) {
    let theme = Theme::default();
    let target = Target::AtMost(4000.0);
    let mut dense_end = 500_000.min(doc.text().len());
    while !doc.text().is_char_boundary(dense_end) {
        dense_end -= 1;
    }
    let mut list = store_annotations(&doc.text()[..dense_end], 5000, 7);
    for a in &mut list {
        a.orphan = false;
    }
    let annotations = pizhu::annotations::AnnotationSet::new(
        list,
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let mut term = terminal();
    let mut app = fresh_app(doc, &mut term, &theme);
    app.set_annotations(annotations);
    let highlights_on_screen = {
        let (first, last) = app.visible_range();
        app.annotations().overlapping(first, last).count()
    };
    println!("  5,000 highlights in the first 500 KB; {highlights_on_screen} on the first screen");
    let space = Key::ch(' ');
    let mut samples = Vec::with_capacity(KEY_SAMPLES);
    while samples.len() < KEY_SAMPLES {
        if app.visible_range().1 >= dense_end {
            press(&mut term, &mut app, &theme, Key::ch('g'));
            continue;
        }
        samples.push(press(&mut term, &mut app, &theme, space));
    }
    latency(report, "key Space with 5,000 highlights", &samples, target);

    let samples: Vec<Sample> = (0..KEY_SAMPLES)
        .map(|i| {
            let key = if i % 50 == 49 {
                Key::ch('g')
            } else {
                Key::ch('j')
            };
            press(&mut term, &mut app, &theme, key)
        })
        .collect();
    latency(report, "key j with 5,000 highlights", &samples, target);

    // Make a highlight and undo it: V, Enter, u (each press timed).
    let mut samples = Vec::new();
    for _ in 0..KEY_SAMPLES / 3 {
        for key in [Key::ch('V'), Key::new(KeyCode::Enter), Key::ch('u')] {
            samples.push(press(&mut term, &mut app, &theme, key));
        }
        press(&mut term, &mut app, &theme, Key::ch('j'));
    }
    latency(
        report,
        "keys V Enter u with 5,000 highlights",
        &samples,
        target,
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Peak memory, in a child process of its own.

/// Peak resident set size in bytes, from /proc/self/status.
fn vm_hwm() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The child: open the file as the binary does, draw, page to the end, print VmHWM figures.
fn phase_open(path: &Path) -> Result<(), pizhu::load::LoadError> {
    let baseline = vm_hwm().unwrap_or(0);
    let source = pizhu::load::Source::File(path.to_path_buf());
    // Kept alive like `loaded` in the binary's main, which holds it while the reader runs.
    let loaded = pizhu::load::load(&source, None)?;
    let doc = Document::new(&loaded.text);
    let mut app = App::new(doc, FILE_NAME, Config::default(), SCREEN);
    let theme = Theme::default();
    let mut term = terminal();
    draw(&mut term, &app, &theme);
    let first_frame = vm_hwm().unwrap_or(0);
    let mut pages = 0usize;
    while app.percent() < 100 && pages < 10_000_000 {
        app.handle(Event::Key(Key::ch(' ')));
        draw(&mut term, &app, &theme);
        pages += 1;
    }
    let paged = vm_hwm().unwrap_or(0);
    black_box(&loaded);
    println!("baseline {baseline}");
    println!("first_frame {first_frame}");
    println!("paged {paged}");
    println!("pages {pages}");
    println!("percent {}", app.percent());
    Ok(())
}

fn bench_memory(report: &mut Report, path: &Path, doc_bytes: usize) {
    let name = "peak RSS (VmHWM): open, draw, page to end";
    let target = 3.0 * doc_bytes as f64 / MB + 60.0;
    let target_text = format!("<= {}", short(target));
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return report.skip(name, "MB", &target_text, &e.to_string()),
    };
    let output = Command::new(exe)
        .args(["--phase", "open", "--file"])
        .arg(path)
        .stdin(Stdio::null())
        .output();
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            let why = String::from_utf8_lossy(&o.stderr).trim().to_string();
            return report.skip(name, "MB", &target_text, &format!("child failed: {why}"));
        }
        Err(e) => return report.skip(name, "MB", &target_text, &e.to_string()),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let field = |key: &str| -> Option<u64> {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(' ')?.trim().parse().ok())
    };
    let (Some(baseline), Some(first), Some(paged), Some(pages)) = (
        field("baseline"),
        field("first_frame"),
        field("paged"),
        field("pages"),
    ) else {
        return report.skip(name, "MB", &target_text, "no VmHWM (not Linux?)");
    };
    report.figure(name, paged as f64 / MB, "MB", Target::AtMost(target));
    report.figure(
        "  VmHWM after first frame",
        first as f64 / MB,
        "MB",
        Target::Info,
    );
    report.figure(
        "  VmHWM at process start",
        baseline as f64 / MB,
        "MB",
        Target::Info,
    );
    println!("  (the child paged to 100% in {pages} presses of Space)");
}

// ---------------------------------------------------------------------------------------------
// 5. `pizhu cat` end to end.

fn bench_cat(report: &mut Report, path: &Path, bytes: usize) {
    let name = "pizhu cat --width 80, end to end";
    let binary = release_binary();
    if !binary.is_file() {
        println!(
            "  {} not found: run `cargo build --release` first",
            binary.display()
        );
        return report.skip(name, "MB/s", ">= 30", "no release binary");
    }
    let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
    if let (Some(built), Some(newest)) = (built, newest_source())
        && newest > built
    {
        println!(
            "  warning: {} is older than the sources; run `cargo build --release`",
            binary.display()
        );
    }
    // An empty config file means the defaults, whatever the user's own config says.
    let config = std::env::temp_dir().join("pizhu-bench-config.ron");
    if let Err(e) = std::fs::write(&config, "") {
        return report.skip(name, "MB/s", ">= 30", &e.to_string());
    }
    let mut times = Vec::with_capacity(CAT_RUNS);
    for _ in 0..CAT_RUNS {
        let t = Instant::now();
        let output = Command::new(&binary)
            .args(["cat", "--width", "80"])
            .arg(path)
            .env("PIZHU_CONFIG", &config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        let elapsed = t.elapsed();
        match output {
            Ok(o) if o.status.success() => times.push(elapsed),
            Ok(o) => {
                let why = String::from_utf8_lossy(&o.stderr).trim().to_string();
                return report.skip(name, "MB/s", ">= 30", &format!("pizhu failed: {why}"));
            }
            Err(e) => return report.skip(name, "MB/s", ">= 30", &e.to_string()),
        }
    }
    let median = median(&mut times);
    report.figure(
        name,
        bytes as f64 / MB / median.as_secs_f64(),
        "MB/s",
        Target::AtLeast(30.0),
    );
    report.figure("  median wall time", ms(median), "ms", Target::Info);
}

// ---------------------------------------------------------------------------------------------
// 6. The store.

const STORE_RUNS: usize = 10;
const STORE_ANNOTATIONS: usize = 5000;
/// Text the store phase quotes from when run on its own.
const STORE_TEXT_BYTES: usize = 1_000_000;
const STORE_TAGS: &[&str] = &["电商", "用户心智", "广告", "AI", "社区", "种草", "资本"];

/// `n` annotations as the reader makes them: about 30-character quotes with 32 characters of
/// context either side, tags on half, a note on a third, a few orphans.
fn store_annotations(text: &str, n: usize, seed: u64) -> Vec<pizhu::annotations::Annotation> {
    use pizhu::annotations::{Annotation, Colour, Quote};
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut rng = Lcg(seed);
    (0..n)
        .map(|i| {
            let s = 32 + rng.below(chars.len() - 100);
            let e = s + 25 + rng.below(10);
            let at = |c: usize| chars.get(c).map_or(text.len(), |&(b, _)| b);
            let (start, end) = (at(s), at(e));
            let tags = match i % 6 {
                0 | 1 => vec![STORE_TAGS[rng.below(STORE_TAGS.len())].to_string()],
                2 => vec![
                    STORE_TAGS[rng.below(STORE_TAGS.len())].to_string(),
                    STORE_TAGS[rng.below(STORE_TAGS.len())].to_string(),
                ],
                _ => Vec::new(),
            };
            let note = if i % 3 == 0 {
                format!("第{i}条批注：这里说的是平台的流量入口与商业化之间的矛盾。")
            } else {
                String::new()
            };
            let stamp = pizhu::clock::format_millis(1_795_629_306_123 + i as i64 * 1000);
            Annotation {
                id: pizhu::annotations::new_id(),
                start,
                end,
                quote: Quote {
                    exact: text[start..end].to_string(),
                    prefix: text[at(s - 32)..start].to_string(),
                    suffix: text[end..at(e + 32)].to_string(),
                },
                colour: Colour::ALL[i % Colour::ALL.len()],
                tags,
                note,
                created: stamp.clone(),
                modified: stamp,
                orphan: i % 50 == 0,
            }
        })
        .collect()
}

fn min_median_max(report: &mut Report, name: &str, times: &mut [Duration], target: f64) {
    times.sort_unstable();
    let min = times[0];
    let max = times[times.len() - 1];
    report.figure(&format!("{name}, min"), ms(min), "ms", Target::Info);
    report.figure(
        &format!("{name}, median"),
        ms(median(times)),
        "ms",
        Target::AtMost(target),
    );
    report.figure(&format!("{name}, max"), ms(max), "ms", Target::Info);
}

fn bench_store(report: &mut Report, text: &str) {
    use pizhu::store::{Record, Store};
    let name = "store: save, 5,000 annotations";
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => return report.skip(name, "ms", "<= 50", &e.to_string()),
    };
    let store = match Store::open(dir.path()) {
        Ok(store) => store,
        Err(e) => return report.skip(name, "ms", "<= 50", &e.to_string()),
    };
    let hash = format!("{:032x}", 0x5eed_u128);
    let mut record = Record::new(&hash, Some("/tmp/article.txt".to_string()), "标题");
    record.annotations = store_annotations(text, STORE_ANNOTATIONS, 0x5702e);
    if let Err(e) = store.save(&mut record) {
        return report.skip(name, "ms", "<= 50", &e.to_string());
    }
    // Each run as a new pizhu process: open the store, load, change something, save (which
    // merges with the file on disk).
    let mut saves = Vec::with_capacity(STORE_RUNS);
    let mut loads = Vec::with_capacity(STORE_RUNS);
    for i in 0..STORE_RUNS {
        let store = match Store::open(dir.path()) {
            Ok(store) => store,
            Err(e) => return report.skip(name, "ms", "<= 50", &e.to_string()),
        };
        let t = Instant::now();
        let loaded = store.load(&hash, Some("/tmp/article.txt"), "标题");
        loads.push(t.elapsed());
        let mut record = match loaded {
            Ok(l) if l.record.annotations.len() == STORE_ANNOTATIONS => l.record,
            Ok(l) => {
                let why = format!("loaded {} annotations", l.record.annotations.len());
                return report.skip(name, "ms", "<= 50", &why);
            }
            Err(e) => return report.skip(name, "ms", "<= 50", &e.to_string()),
        };
        record.position = i;
        record.annotations[i].note = format!("第{i}次修改");
        record.annotations[i].touch();
        let t = Instant::now();
        let saved = store.save(&mut record);
        saves.push(t.elapsed());
        if let Err(e) = saved {
            return report.skip(name, "ms", "<= 50", &e.to_string());
        }
    }
    // A save that finds another instance's save on disk parses and merges it.
    let mut merging = Vec::with_capacity(STORE_RUNS);
    for i in 0..STORE_RUNS {
        let (Ok(one), Ok(two)) = (Store::open(dir.path()), Store::open(dir.path())) else {
            break;
        };
        let (Ok(mine), Ok(theirs)) = (one.load(&hash, None, ""), two.load(&hash, None, "")) else {
            break;
        };
        let (mut mine, mut theirs) = (mine.record, theirs.record);
        theirs.annotations[i].note = format!("另一个实例的第{i}次修改");
        theirs.annotations[i].touch();
        mine.position = i;
        if two.save(&mut theirs).is_err() {
            break;
        }
        let t = Instant::now();
        let saved = one.save(&mut mine);
        merging.push(t.elapsed());
        if saved.is_err() {
            break;
        }
    }
    min_median_max(report, name, &mut saves, 50.0);
    if !merging.is_empty() {
        report.figure(
            "  save after another instance's, median",
            ms(median(&mut merging)),
            "ms",
            Target::Info,
        );
    }
    min_median_max(report, "store: load, 5,000 annotations", &mut loads, 50.0);
    let bytes = std::fs::metadata(dir.path().join(format!("{hash}.ron"))).map_or(0, |m| m.len());
    report.figure("  file size", bytes as f64 / MB, "MB", Target::Info);

    // 100 documents of 50 annotations; the first tags()/list() rebuild the index.
    for d in 0..100u64 {
        let mut r = Record::new(format!("{d:032x}"), None, format!("文章{d}"));
        r.annotations = store_annotations(text, 50, d);
        if let Err(e) = store.save(&mut r) {
            return report.skip("store: tags()", "ms", "<= 20", &e.to_string());
        }
    }
    let _ = std::fs::remove_file(dir.path().join("index.ron"));
    let t = Instant::now();
    black_box(store.tags());
    report.figure(
        "  tags(), 101 documents, no index",
        ms(t.elapsed()),
        "ms",
        Target::Info,
    );
    let mut times: Vec<Duration> = (0..STORE_RUNS)
        .map(|_| {
            let t = Instant::now();
            black_box(store.tags());
            t.elapsed()
        })
        .collect();
    min_median_max(report, "store: tags(), 101 documents", &mut times, 20.0);
    let mut times: Vec<Duration> = (0..STORE_RUNS)
        .map(|_| {
            let t = Instant::now();
            let _ = black_box(store.list());
            t.elapsed()
        })
        .collect();
    report.figure(
        "  list(), 101 documents, median",
        ms(median(&mut times)),
        "ms",
        Target::Info,
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Export.

const EXPORT_RUNS: usize = 5;
const EXPORT_ANNOTATIONS: usize = 5000;

fn bench_export(report: &mut Report, doc: &Document) {
    use pizhu::export::{ExportInput, Format};
    let text = doc.text();
    let extractor = pizhu::entities::Extractor::new(pizhu::entities::Gazetteer::builtin());
    let entities = extractor.extract(text, &mut |_| {});
    let annotations = store_annotations(text, EXPORT_ANNOTATIONS, 0xe4_9047);
    let corrections = Vec::new();
    let input = ExportInput {
        doc,
        path: Some("/tmp/pizhu-bench-10mb.txt"),
        annotations: &annotations,
        document_notes: &[],
        entities: &entities,
        corrections: &corrections,
        exported: "2026-11-25T17:55:06.123Z",
        zone: &jiff::tz::TimeZone::UTC,
    };
    let mut json = String::new();
    for format in Format::ALL {
        let mut bytes = 0;
        let mut times: Vec<Duration> = (0..EXPORT_RUNS)
            .map(|_| {
                let t = Instant::now();
                let out = black_box(pizhu::export::render(format, &input));
                let elapsed = t.elapsed();
                bytes = out.len();
                if format == Format::Json {
                    json = out;
                }
                elapsed
            })
            .collect();
        min_median_max(
            report,
            &format!("export: {format}, 5,000 annotations"),
            &mut times,
            200.0,
        );
        report.figure("  output size", bytes as f64 / MB, "MB", Target::Info);
    }
    report.figure(
        "  entities in the export",
        entities.len() as f64,
        "",
        Target::Info,
    );

    // The JSON export back into an empty record: parse, place every annotation, merge.
    let mut times: Vec<Duration> = (0..EXPORT_RUNS)
        .map(|_| {
            let t = Instant::now();
            let parsed = pizhu::import::parse("bench.json", json.as_bytes());
            let mut list = Vec::new();
            if let Ok(parsed) = parsed {
                black_box(pizhu::import::merge(
                    text,
                    &mut list,
                    &[],
                    parsed.annotations,
                ));
            }
            t.elapsed()
        })
        .collect();
    report.figure(
        "import: json, 5,000 annotations, median",
        ms(median(&mut times)),
        "ms",
        Target::Info,
    );
}
