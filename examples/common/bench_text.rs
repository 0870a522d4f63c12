//! What the benchmark examples share: the deterministic test document built from the bundled
//! sample, and where the release binary is. Included with `#[path]` by each example that needs
//! it, so the figures of different examples are taken on the same text.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use pizhu::document::{BlockKind, Document};

/// A small deterministic generator (Knuth's MMIX LCG).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Short heading texts: no punctuation, so the document model takes `第N章 …` for a heading.
const HEADINGS: &[&str] = &[
    "流量入口的价值",
    "电商业务的困境",
    "AI正在颠覆知识类行业",
    "社区与商业的平衡",
    "种草模式的未来",
    "大厂的标准",
    "用户体验与售后",
    "资本的判断",
];

/// The sample's title, then its body paragraphs in shuffled rounds with a `第N章` heading every
/// 20 paragraphs, until the text is at least `target` bytes.
pub fn build_text(target: usize) -> String {
    // The bundled sample is UTF-8, so nothing is replaced.
    let sample = String::from_utf8_lossy(pizhu::load::SAMPLE);
    let sample_doc = Document::new(&sample);
    let title = sample_doc.title().unwrap_or("标题");
    let paragraphs: Vec<&str> = (0..sample_doc.blocks().len())
        .filter(|&i| sample_doc.blocks()[i].kind == BlockKind::Paragraph)
        .map(|i| sample_doc.block_text(i))
        .collect();
    assert!(!paragraphs.is_empty(), "the sample has paragraphs");

    let mut text = String::with_capacity(target + 4096);
    text.push_str(title);
    text.push('\n');
    let mut rng = Lcg(0x5eed_2026_0130);
    let mut order: Vec<usize> = (0..paragraphs.len()).collect();
    let (mut written, mut chapter) = (0usize, 0usize);
    'rounds: loop {
        // Fisher–Yates with the LCG.
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &p in &order {
            if text.len() >= target {
                break 'rounds;
            }
            if written % 20 == 0 {
                chapter += 1;
                let heading = HEADINGS[rng.below(HEADINGS.len())];
                text.push_str(&format!("\n第{chapter}章 {heading}\n"));
            }
            text.push('\n');
            text.push_str(paragraphs[p]);
            text.push('\n');
            written += 1;
        }
    }
    text
}

/// `target/release/pizhu`, found from this example's own path
/// (`target/release/examples/bench`) so `CARGO_TARGET_DIR` is honoured.
pub fn release_binary() -> PathBuf {
    let name = format!("pizhu{}", std::env::consts::EXE_SUFFIX);
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            Some(
                exe.parent()?
                    .parent()?
                    .parent()?
                    .join("release")
                    .join(&name),
            )
        })
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/release")
                .join(&name)
        })
}

/// Newest modification time of the files the binary is built from.
pub fn newest_source() -> Option<SystemTime> {
    fn walk(dir: &Path, newest: &mut Option<SystemTime>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, newest);
            } else if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
                *newest = (*newest).max(Some(modified));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut newest = std::fs::metadata(root.join("Cargo.toml"))
        .and_then(|m| m.modified())
        .ok();
    walk(&root.join("src"), &mut newest);
    walk(&root.join("assets"), &mut newest);
    newest
}
