//! Derives the Traditional → Simplified character table used by `src/entities/script.rs` from
//! OpenCC's `t2s` conversion (the `ferrous-opencc` crate, Apache-2.0), so the binary carries a
//! few thousand character pairs instead of the converter and its dictionaries.
//!
//! Every character of the CJK blocks is converted on its own (one a line, so no phrase rule can
//! span two of them); the ones that change become `T2S: [(char, char); N]`, sorted, in
//! `$OUT_DIR/t2s.rs`.

use std::error::Error;
use std::fmt::Write as _;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    let opencc = ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)
        .map_err(|e| format!("the built-in t2s configuration does not load: {e}"))?;
    // Radicals, CJK punctuation, extension A, the unified ideographs, compatibility ideographs
    // and the supplementary ideographic planes (extensions B to H).
    let probes: Vec<char> = ('\u{2E80}'..='\u{9FFF}')
        .chain('\u{F900}'..='\u{FAFF}')
        .chain('\u{20000}'..='\u{3FFFF}')
        .collect();
    let mut input = String::with_capacity(probes.len() * 5);
    for &c in &probes {
        input.push(c);
        input.push('\n');
    }
    let output = opencc.convert(&input);
    let mut pairs: Vec<(char, char)> = Vec::new();
    for (&from, to) in probes.iter().zip(output.split('\n')) {
        let mut chars = to.chars();
        match (chars.next(), chars.next()) {
            (Some(to), None) if to != from => pairs.push((from, to)),
            (Some(_), None) => {}
            // One character to several (or none): not a 1:1 character mapping; left as it is.
            _ => println!("cargo:warning=t2s maps {from:?} to {to:?}: skipped"),
        }
    }
    assert!(
        pairs.len() > 3000,
        "t2s table suspiciously small: {}",
        pairs.len()
    );
    let mut src = String::new();
    writeln!(
        src,
        "/// Traditional → Simplified, one character to one, sorted by the first."
    )?;
    writeln!(src, "static T2S: [(char, char); {}] = [", pairs.len())?;
    for (from, to) in pairs {
        writeln!(src, "    ({from:?}, {to:?}),")?;
    }
    writeln!(src, "];")?;
    let out_dir = std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR")?;
    let out = std::path::Path::new(&out_dir).join("t2s.rs");
    std::fs::write(&out, src).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(())
}
