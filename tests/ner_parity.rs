//! The Rust name tagger gives exactly the tags of the Python reference
//! (`tools/ner/train.py` writes `tests/fixtures/ner/parity.jsonl` with the model it trains).

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pizhu::entities::tagger::Tagger;

#[test]
fn rust_tags_match_python_for_every_fixture_sentence() {
    let fixture = include_str!("fixtures/ner/parity.jsonl");
    let tagger = Tagger::builtin();
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for line in fixture.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let text = row["text"].as_str().expect("text");
        let want: Vec<(usize, usize, String, f64)> = row["spans"]
            .as_array()
            .expect("spans")
            .iter()
            .map(|s| {
                (
                    s[0].as_u64().unwrap() as usize,
                    s[1].as_u64().unwrap() as usize,
                    s[2].as_str().unwrap().to_string(),
                    s[3].as_f64().unwrap(),
                )
            })
            .collect();
        // Byte offsets to code-point offsets.
        let cp = |byte: usize| text[..byte].chars().count();
        let got: Vec<(usize, usize, String, f64)> = tagger
            .tag(text)
            .into_iter()
            .map(|t| {
                let kind = match t.kind.as_str() {
                    "person" => "PER",
                    "organization" => "ORG",
                    "place" => "LOC",
                    "work" => "WORK",
                    other => panic!("unexpected kind {other}"),
                };
                (
                    cp(t.start),
                    cp(t.end),
                    kind.to_string(),
                    f64::from(t.confidence),
                )
            })
            .collect();
        let same_spans = got.len() == want.len()
            && got
                .iter()
                .zip(&want)
                .all(|(g, w)| (g.0, g.1, &g.2) == (w.0, w.1, &w.2));
        let close = got.iter().zip(&want).all(|(g, w)| (g.3 - w.3).abs() < 1e-4);
        if !same_spans || !close {
            mismatches.push(format!("{text}\n  python {want:?}\n  rust   {got:?}"));
        }
        checked += 1;
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert_eq!(checked, 200, "the fixture has 200 sentences");
}
