//! Speed and memory of entity extraction (issue 13, item 7), whole processes.
//!
//! ```text
//! cargo build --release && cargo run --release --example bench_entities \
//!     [-- --size-mb 10 --big-mb 100 --runs 5]
//! ```
//!
//! Builds the benchmark document of `examples/bench.rs` (the bundled sample's paragraphs in
//! shuffled rounds) at `--size-mb` and at `--big-mb` MB (10⁶ bytes), in a temporary directory
//! that also holds an empty data dir and config, so no user file is read or written. Then:
//!
//! 1. speed: `target/release/pizhu entities --json FILE` on the small text, against a child
//!    that only loads jieba-rs's default dictionary and runs `Jieba::tag(line, true)` over every
//!    line of the same file; `--runs` runs each, interleaved, median wall times and their
//!    ratio (target: at most 1.5);
//! 2. memory: the peak RSS of `pizhu entities --json` on the big text, and of a child that
//!    does what the reader does with it (reads it as the binary does, builds the `App`, draws
//!    a frame at 200×60 on a test backend, runs the extraction with
//!    `pizhu::term::spawn_extraction` and takes its result while drawing); target for each:
//!    3 × text + 60 MB.
//!
//! Each child runs under this example as `--measure PROGRAM ARGS…`, which waits for it and
//! reports its `getrusage` figures: peak RSS (`ru_maxrss`) covers the whole process, output
//! included. Exits with status 1 when a figure misses its target. `-- --phase text --file PATH
//! [--size-mb N]` only writes the text, to profile `pizhu entities` on it.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use pizhu::app::{App, EntitiesUpdate, Event};
use pizhu::config::Config;
use pizhu::load::{self, Source};
use pizhu::ui::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "common/bench_text.rs"]
#[allow(dead_code)]
mod bench_text;
use bench_text::{build_text, newest_source, release_binary};

/// Decimal megabyte, as in the other benchmarks.
const MB: f64 = 1_000_000.0;
/// `pizhu entities` may take this many times jieba's tagging alone.
const RATIO_TARGET: f64 = 1.5;
/// Peak memory target: this many times the text, plus [`MEMORY_BASE_MB`].
const MEMORY_PER_TEXT: f64 = 3.0;
const MEMORY_BASE_MB: f64 = 60.0;
/// The reader emulation's screen, as in `examples/bench.rs`.
const SCREEN: (u16, u16) = (200, 60);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--measure") {
        return phase_measure(&args[1..]);
    }
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number = |name: &str, default: f64| match arg(name).map(|s| s.parse::<f64>()) {
        None => Ok(default),
        Some(Ok(n)) if n > 0.0 => Ok(n),
        Some(_) => Err(format!("bench_entities: {name} takes a positive number")),
    };
    match (arg("--phase").as_deref(), arg("--file")) {
        (Some("jieba"), Some(file)) => return phase_jieba(Path::new(&file)),
        (Some("reader"), Some(file)) => return phase_reader(Path::new(&file)),
        (Some("text"), Some(file)) => {
            let Ok(mb) = number("--size-mb", 10.0) else {
                return ExitCode::from(2);
            };
            return match std::fs::write(&file, build_text((mb * MB) as usize)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("bench_entities: {file}: {e}");
                    ExitCode::from(2)
                }
            };
        }
        (Some(_), _) => {
            eprintln!("bench_entities: --phase jieba|reader|text needs --file PATH");
            return ExitCode::from(2);
        }
        (None, _) => {}
    }
    let (size_mb, big_mb, runs) = match (
        number("--size-mb", 10.0),
        number("--big-mb", 100.0),
        number("--runs", 5.0),
    ) {
        (Ok(s), Ok(b), Ok(r)) => (s, b, r as usize),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(size_mb, big_mb, runs.max(1)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("bench_entities: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs both measurements; returns whether both met their targets.
fn run(size_mb: f64, big_mb: f64, runs: usize) -> Result<bool, String> {
    if cfg!(debug_assertions) {
        println!("warning: a debug build; use `cargo run --release --example bench_entities`");
    }
    let binary = release_binary();
    if !binary.is_file() {
        return Err(format!(
            "{} not found: run `cargo build --release` first",
            binary.display()
        ));
    }
    let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
    if let (Some(built), Some(newest)) = (built, newest_source())
        && newest > built
    {
        println!(
            "warning: {} is older than the sources; run `cargo build --release`",
            binary.display()
        );
    }
    let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let sandbox = Sandbox::new(dir.path(), binary)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into());
    println!("{cores} cores, load average {load}; MB = 10^6 bytes");

    let small = sandbox.write_text("small.txt", size_mb)?;
    let speed_ok = speed(&sandbox, &small, runs)?;
    std::fs::remove_file(&small.path).map_err(|e| e.to_string())?;
    let big = sandbox.write_text("big.txt", big_mb)?;
    let memory_ok = memory(&sandbox, &big)?;
    Ok(speed_ok && memory_ok)
}

/// A text written for the children to read.
struct TextFile {
    path: PathBuf,
    bytes: usize,
}

/// The temporary directory: texts, the data dir and an empty config (the defaults).
struct Sandbox {
    dir: PathBuf,
    data_dir: PathBuf,
    config: PathBuf,
    binary: PathBuf,
}

impl Sandbox {
    fn new(dir: &Path, binary: PathBuf) -> Result<Self, String> {
        let data_dir = dir.join("data");
        let config = dir.join("config.ron");
        std::fs::create_dir(&data_dir).map_err(|e| e.to_string())?;
        std::fs::write(&config, "").map_err(|e| e.to_string())?;
        Ok(Self {
            dir: dir.to_path_buf(),
            data_dir,
            config,
            binary,
        })
    }

    fn write_text(&self, name: &str, mb: f64) -> Result<TextFile, String> {
        let text = build_text((mb * MB) as usize);
        let path = self.dir.join(name);
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(TextFile {
            path,
            bytes: text.len(),
        })
    }

    /// `pizhu entities --json FILE`, its output thrown away.
    fn entities(&self, text: &TextFile) -> Result<Measured, String> {
        let mut command = Command::new(&self.binary);
        command
            .arg("--data-dir")
            .arg(&self.data_dir)
            .arg("--config")
            .arg(&self.config)
            .args(["entities", "--json"])
            .arg(&text.path)
            .env_remove("PIZHU_DATA_DIR")
            .env_remove("PIZHU_CONFIG");
        measure(&mut command, Stdio::null())
    }

    /// This example again, as the child `phase`.
    fn phase(&self, phase: &str, text: &TextFile) -> Result<Measured, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut command = Command::new(exe);
        command.args(["--phase", phase, "--file"]).arg(&text.path);
        measure(&mut command, Stdio::piped())
    }
}

/// 1. `pizhu entities --json` against jieba's tagging alone.
fn speed(sandbox: &Sandbox, text: &TextFile, runs: usize) -> Result<bool, String> {
    println!(
        "\nspeed: {:.2} MB text, {runs} runs each, interleaved",
        text.bytes as f64 / MB
    );
    let (mut pizhu, mut jieba) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        pizhu.push(sandbox.entities(text)?);
        jieba.push(sandbox.phase("jieba", text)?);
    }
    let row = |name: &str, runs: &mut [Measured]| {
        let wall = median_by(runs, |m| m.wall);
        let cpu = median_by(runs, |m| m.cpu);
        let peak = runs.iter().map(|m| m.peak).max().unwrap_or(0);
        println!(
            "  {name:<34} wall {:>8.0} ms   cpu {:>8.0} ms   {:>6.1} MB/s   peak {:>6.1} MB",
            ms(wall),
            ms(cpu),
            text.bytes as f64 / MB / wall.as_secs_f64(),
            peak as f64 / MB
        );
        (wall, cpu)
    };
    let (pizhu_wall, pizhu_cpu) = row("pizhu entities --json", &mut pizhu);
    let (jieba_wall, jieba_cpu) = row("jieba-rs Jieba::tag(line, true)", &mut jieba);
    let ratio = pizhu_wall.as_secs_f64() / jieba_wall.as_secs_f64();
    let ok = ratio <= RATIO_TARGET;
    println!(
        "  ratio (median wall)                {ratio:>8.2}   target <= {RATIO_TARGET}   {}",
        verdict(ok)
    );
    println!(
        "  ratio (median cpu)                 {:>8.2}",
        pizhu_cpu.as_secs_f64() / jieba_cpu.as_secs_f64()
    );
    Ok(ok)
}

/// 2. Peak memory of `pizhu entities` and of the reader on the big text.
fn memory(sandbox: &Sandbox, text: &TextFile) -> Result<bool, String> {
    let target = MEMORY_PER_TEXT * text.bytes as f64 / MB + MEMORY_BASE_MB;
    println!(
        "\nmemory: {:.2} MB text, target {target:.0} MB ({MEMORY_PER_TEXT} x text + \
         {MEMORY_BASE_MB} MB)",
        text.bytes as f64 / MB
    );
    let entities = sandbox.entities(text)?;
    let reader = sandbox.phase("reader", text)?;
    let mut ok = true;
    for (name, m) in [
        ("pizhu entities --json, peak RSS", &entities),
        ("reader (open, draw, extract), peak RSS", &reader),
    ] {
        let peak = m.peak as f64 / MB;
        ok &= peak <= target;
        println!(
            "  {name:<40} {peak:>7.1} MB   wall {:>6.1} s   {}",
            m.wall.as_secs_f64(),
            verdict(peak <= target)
        );
    }
    // The reader's own checkpoints (VmHWM so far, and the resident size once it settled).
    for line in String::from_utf8_lossy(&reader.stdout).lines() {
        println!("    reader {line}");
    }
    Ok(ok)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

/// A finished child: wall time, CPU time (user + system), peak RSS, what it printed.
struct Measured {
    wall: Duration,
    cpu: Duration,
    peak: u64,
    stdout: Vec<u8>,
}

/// Runs `command` to its end under this example as `--measure` (see [`phase_measure`]) and
/// takes the child's wall time, CPU time and peak RSS from the last line of its stderr.
/// `stdout` is the child's; if piped, what it prints must be small.
fn measure(command: &mut Command, stdout: Stdio) -> Result<Measured, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut wrapper = Command::new(exe);
    wrapper
        .arg("--measure")
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapper.env(key, value),
            None => wrapper.env_remove(key),
        };
    }
    let output = wrapper
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("{command:?}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed ({}): {}",
            output.status,
            stderr.trim()
        ));
    }
    let figures: Vec<u64> = stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix(MEASURED))
        .map(|rest| rest.split(' ').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    let [wall_us, cpu_us, peak_kb] = figures[..] else {
        return Err(format!("{command:?}: no measurement in {stderr:?}"));
    };
    Ok(Measured {
        wall: Duration::from_micros(wall_us),
        cpu: Duration::from_micros(cpu_us),
        peak: peak_kb * 1024,
        stdout: output.stdout,
    })
}

/// How [`phase_measure`] starts the line with its figures.
const MEASURED: &str = "measured: ";

/// Runs `program args…` with this process's stdin, stdout and stderr, waits for it and prints
/// `measured: WALL_US CPU_US PEAK_KB` to stderr. The child is the only one this process ever
/// waits for, so the resource use of the waited-for children is the child's own.
fn phase_measure(program_and_args: &[String]) -> ExitCode {
    use nix::sys::resource::{UsageWho, getrusage};
    use nix::sys::time::TimeValLike;
    let Some((program, args)) = program_and_args.split_first() else {
        eprintln!("bench_entities: --measure needs a program");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let status = match Command::new(program).args(args).status() {
        Ok(status) => status,
        Err(e) => {
            eprintln!("bench_entities: {program}: {e}");
            return ExitCode::from(2);
        }
    };
    let wall = started.elapsed();
    if !status.success() {
        eprintln!("bench_entities: {program}: {status}");
        return ExitCode::from(1);
    }
    match getrusage(UsageWho::RUSAGE_CHILDREN) {
        Ok(usage) => {
            let cpu = usage.user_time().num_microseconds() + usage.system_time().num_microseconds();
            // Kilobytes on Linux.
            eprintln!("{MEASURED}{} {cpu} {}", wall.as_micros(), usage.max_rss());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_entities: getrusage: {e}");
            ExitCode::from(2)
        }
    }
}

fn median_by(runs: &mut [Measured], key: impl Fn(&Measured) -> Duration) -> Duration {
    let mut values: Vec<Duration> = runs.iter().map(key).collect();
    values.sort_unstable();
    values[values.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The child that sets the pace: jieba's default dictionary and its tagger (with the HMM for
/// unknown words) over every line of `file`.
fn phase_jieba(file: &Path) -> ExitCode {
    let Ok(text) = std::fs::read_to_string(file) else {
        eprintln!("cannot read {}", file.display());
        return ExitCode::from(2);
    };
    let jieba = jieba_rs::Jieba::new();
    let words: usize = text.lines().map(|line| jieba.tag(line, true).len()).sum();
    println!("words {words}");
    ExitCode::SUCCESS
}

/// The child that does what the reader does with `file`: prints VmHWM at each step, and the
/// resident size once the extraction's result is in.
fn phase_reader(file: &Path) -> ExitCode {
    let source = Source::File(file.to_path_buf());
    let doc = match load::fetch(&source, None, load::DEFAULT_MAX_SIZE, None).and_then(|f| f.read())
    {
        Ok(opened) => opened.doc,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    checkpoint("opened");
    let mut app = App::new(doc, "big.txt", Config::default(), SCREEN);
    let theme = Theme::default();
    // A test backend cannot fail.
    let Ok(mut terminal) = Terminal::new(TestBackend::new(SCREEN.0, SCREEN.1));
    let mut draw = |app: &App| {
        let Ok(_) = terminal.draw(|frame| pizhu::ui::draw(frame, app, &theme));
    };
    draw(&app);
    checkpoint("first_frame");
    // As the reader's event loop: a frame per update, and one every 40 ms meanwhile.
    let updates = pizhu::term::spawn_extraction(app.doc());
    loop {
        match updates.recv_timeout(Duration::from_millis(40)) {
            Ok(update) => {
                let done = matches!(update, EntitiesUpdate::Done(_));
                app.handle(Event::Entities(update));
                if done {
                    break;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                eprintln!("the extraction thread died");
                return ExitCode::from(1);
            }
        }
        draw(&app);
    }
    draw(&app);
    checkpoint("extracted");
    println!(
        "settled_rss_mb {:.1}",
        status_kb("VmRSS:").unwrap_or(0) as f64 * 1024.0 / MB
    );
    ExitCode::SUCCESS
}

/// Prints the peak resident size so far, in MB.
fn checkpoint(name: &str) {
    println!(
        "{name}_hwm_mb {:.1}",
        status_kb("VmHWM:").unwrap_or(0) as f64 * 1024.0 / MB
    );
}

/// A `kB` field of /proc/self/status.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
