//! Throughput of the learned name tagger (`pizhu::entities::tagger`) on one core.
//!
//! ```text
//! cargo run --release --example bench_tagger [-- --size-mb 10]
//! ```
//!
//! Builds a deterministic Chinese text of about `--size-mb` MB (10⁶ bytes) from the bundled
//! sample's paragraphs in shuffled rounds, like `examples/bench.rs`, tags it three times and
//! prints the best and median MB/s. Exits with status 1 below the target of 15 MB/s.

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
        .map(|i| args.get(i + 1))
    {
        None => 10.0,
        Some(Some(s)) if s.parse::<f64>().is_ok_and(|mb| mb > 0.0) => s.parse().unwrap(),
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
    let mut rates = Vec::new();
    let mut found = 0;
    for run in 0..RUNS {
        let t = Instant::now();
        let spans = black_box(tagger.tag(black_box(&text)));
        let secs = t.elapsed().as_secs_f64();
        found = spans.len();
        let rate = text.len() as f64 / MB / secs;
        println!("run {}: {:.3} s, {:.1} MB/s", run + 1, secs, rate);
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    let (best, median) = (rates[RUNS - 1], rates[RUNS / 2]);
    let pass = median >= TARGET_MB_S;
    println!(
        "tagger throughput: best {best:.1} MB/s, median {median:.1} MB/s (target >= {TARGET_MB_S} MB/s) {}; {found} spans",
        if pass { "PASS" } else { "FAIL" }
    );
    if pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The sample's paragraphs in shuffled rounds until the text is at least `target` bytes.
fn build_text(target: usize) -> String {
    let sample = std::str::from_utf8(pizhu::load::SAMPLE).expect("the sample is UTF-8");
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
