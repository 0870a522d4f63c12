//! How well the whole entity pipeline names people, organizations, places and works, on the
//! held-out test split of the project's annotated set (`tools/ner/data/pizhu-ner.jsonl`, 448
//! sentences of news, fiction, blogs, Traditional Chinese and mixed text).
//!
//! ```text
//! cargo run --release --example eval_entities [-- PATH/TO/pizhu-ner.jsonl]
//! ```
//!
//! Each sentence is read on its own by `Extractor::extract`, with and without the found tier
//! (the name tagger and recurring names), and every mention is compared with the hand-marked
//! spans: exact span and type. Kinds map to the set's types: person → PER; company,
//! organization, media → ORG; place → LOC; work → WORK. Products are not annotated in the set
//! (its guidelines), so product mentions are left out; so are amounts and dates. Prints
//! precision, recall and F1 per type, and the typed F1 of ORG + PER + WORK.

use std::collections::HashSet;
use std::process::ExitCode;

use pizhu::entities::{EntityKind, Extractor, Gazetteer};

const DEFAULT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tools/ner/data/pizhu-ner.jsonl"
);
const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "WORK"];

/// A span: sentence number, start and end in characters, type.
type Span = (usize, usize, usize, &'static str);

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| DEFAULT.to_string());
    let (sentences, gold) = match read_test_split(&path) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("eval_entities: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{} test sentences, {} marked names ({path})\n",
        sentences.len(),
        gold.len()
    );
    let with = Extractor::new(Gazetteer::builtin());
    let without = Extractor::new(Gazetteer::builtin()).without_found();
    for (label, extractor) in [
        ("gazetteer + rules", &without),
        ("gazetteer + rules + found tier", &with),
    ] {
        let predicted = predict(extractor, &sentences);
        println!("{label}");
        println!(
            "{:<6} {:>6} {:>6} {:>6} {:>6}",
            "type", "P", "R", "F1", "gold"
        );
        for t in TYPES {
            let (p, r, f, g) = score(&gold, &predicted, &[t]);
            println!("{t:<6} {p:>6.1} {r:>6.1} {f:>6.1} {g:>6}");
        }
        let (p, r, f, g) = score(&gold, &predicted, &["ORG", "PER", "WORK"]);
        println!("{:<6} {p:>6.1} {r:>6.1} {f:>6.1} {g:>6}", "O+P+W");
        let (p, r, f, g) = score(&gold, &predicted, &TYPES);
        println!("{:<6} {p:>6.1} {r:>6.1} {f:>6.1} {g:>6}\n", "all");
    }
    ExitCode::SUCCESS
}

/// The sentences of the test split and their hand-marked spans; the error names the line.
fn read_test_split(path: &str) -> Result<(Vec<String>, HashSet<Span>), String> {
    let data = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut sentences = Vec::new();
    let mut gold: HashSet<Span> = HashSet::new();
    for (i, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |what: &str| format!("line {}: {what}", i + 1);
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(&format!("not JSON ({e})")))?;
        if v["split"] != "test" {
            continue;
        }
        let n = sentences.len();
        let entities = v["entities"].as_array().ok_or_else(|| bad("no entities"))?;
        for e in entities {
            let kind = e["type"].as_str().unwrap_or("");
            let t = TYPES
                .iter()
                .find(|t| **t == kind)
                .ok_or_else(|| bad(&format!("unknown type {kind:?}")))?;
            let (Some(start), Some(end)) = (e["start"].as_u64(), e["end"].as_u64()) else {
                return Err(bad("an entity without start and end"));
            };
            gold.insert((n, start as usize, end as usize, t));
        }
        let text = v["text"].as_str().ok_or_else(|| bad("no text"))?;
        sentences.push(text.to_string());
    }
    Ok((sentences, gold))
}

fn predict(extractor: &Extractor, sentences: &[String]) -> HashSet<Span> {
    let mut out = HashSet::new();
    for (n, text) in sentences.iter().enumerate() {
        for e in extractor.extract(text, &mut |_| {}) {
            let t = match e.kind {
                EntityKind::Person => "PER",
                EntityKind::Company | EntityKind::Organization | EntityKind::Media => "ORG",
                EntityKind::Place => "LOC",
                EntityKind::Work => "WORK",
                _ => continue,
            };
            for m in &e.mentions {
                let start = text[..m.start].chars().count();
                let end = start + text[m.start..m.end].chars().count();
                out.insert((n, start, end, t));
            }
        }
    }
    out
}

/// Precision, recall and F1 in %, and the gold count, over the types `of`.
fn score(gold: &HashSet<Span>, predicted: &HashSet<Span>, of: &[&str]) -> (f64, f64, f64, usize) {
    let g: HashSet<&Span> = gold.iter().filter(|s| of.contains(&s.3)).collect();
    let p: HashSet<&Span> = predicted.iter().filter(|s| of.contains(&s.3)).collect();
    let hit = p.intersection(&g).count() as f64;
    let precision = if p.is_empty() {
        0.0
    } else {
        hit / p.len() as f64
    };
    let recall = if g.is_empty() {
        0.0
    } else {
        hit / g.len() as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision * 100.0, recall * 100.0, f1 * 100.0, g.len())
}
