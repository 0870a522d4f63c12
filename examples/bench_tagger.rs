//! Throughput of the learned name tagger (`pizhu::entities::tagger`) on one core.
//!
//! ```text
//! cargo run --release --example bench_tagger [-- --size-mb 10]
//! ```
//!
//! Builds a deterministic Chinese text of about `--size-mb` MB (10⁶ bytes) from the bundled
//! sample's paragraphs in shuffled rounds, like `examples/bench.rs`, tags it three times and
//! prints MB/s by wall clock and by the process's CPU time (from `/proc/self/stat`, Linux only;
//! on a busy machine the wall clock also counts time spent waiting for a core). The median run
//! by CPU time (wall clock where that is unavailable) is held to the target of 15 MB/s; exits
//! with status 1 below it.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use pizhu::entities::tagger::Tagger;

const MB: f64 = 1_000_000.0;
const TARGET_MB_S: f64 = 15.0;
const RUNS: usize = 3;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let size_mb = match args
        .iter()
        .position(|a| a == "--size-mb")
        .map(|i| args.get(i + 1).map(|s| s.parse::<f64>()))
    {
        None => 10.0,
        Some(Some(Ok(mb))) if mb > 0.0 => mb,
        Some(_) => {
            eprintln!("bench_tagger: --size-mb takes a positive number of megabytes");
            return ExitCode::from(2);
        }
    };
    if cfg!(debug_assertions) {
        println!("warning: a debug build; use `cargo run --release --example bench_tagger`");
    }
    let text = build_text((size_mb * MB) as usize);
    let t0 = Instant::now();
    let tagger = Tagger::builtin();
    println!("model load: {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
    println!(
        "text: {:.2} MB, {} characters",
        text.len() as f64 / MB,
        text.chars().count()
    );
    let mut wall_rates = Vec::new();
    let mut cpu_rates = Vec::new();
    let mut found = 0;
    let mb = text.len() as f64 / MB;
    for run in 0..RUNS {
        let (t, cpu0) = (Instant::now(), cpu_seconds());
        let spans = black_box(tagger.tag(black_box(&text)));
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
        found = spans.len();
        wall_rates.push(mb / secs);
        match cpu {
            Some(c) if c > 0.0 => {
                cpu_rates.push(mb / c);
                println!(
                    "run {}: {secs:.3} s wall, {c:.2} s CPU: {:.1} MB/s wall, {:.1} MB/s CPU",
                    run + 1,
                    mb / secs,
                    mb / c
                );
            }
            _ => println!("run {}: {secs:.3} s, {:.1} MB/s", run + 1, mb / secs),
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let wall = median(&mut wall_rates);
    let judged = if cpu_rates.len() == RUNS {
        median(&mut cpu_rates)
    } else {
        wall
    };
    let pass = judged >= TARGET_MB_S;
    println!(
        "tagger throughput: median {judged:.1} MB/s by CPU time ({wall:.1} MB/s wall) \
         (target >= {TARGET_MB_S} MB/s) {}; {found} spans",
        if pass { "PASS" } else { "FAIL" }
    );
    if pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// User + system CPU time of this process, from `/proc/self/stat` (clock ticks of 1/100 s,
/// the usual USER_HZ).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The sample's paragraphs in shuffled rounds until the text is at least `target` bytes.
fn build_text(target: usize) -> String {
    // The bundled sample is UTF-8, so nothing is replaced.
    let sample = String::from_utf8_lossy(pizhu::load::SAMPLE);
    let paragraphs: Vec<&str> = sample
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut text = String::with_capacity(target + 4096);
    let mut state = 0x5eed_2026_0130u64;
    let mut order: Vec<usize> = (0..paragraphs.len()).collect();
    while text.len() < target {
        for i in (1..order.len()).rev() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            order.swap(i, ((state >> 33) % (i as u64 + 1)) as usize);
        }
        for &p in &order {
            text.push_str(paragraphs[p]);
            text.push_str("\n\n");
        }
    }
    text
}
