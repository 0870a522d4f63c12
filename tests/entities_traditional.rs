//! Entities of Traditional Chinese articles (issue 13, item 4): matched through a Simplified
//! copy, reported with the article's own spelling and offsets into the article as written.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sandbox::Sandbox;

use pizhu::entities::script::normalize;
use pizhu::entities::{Entity, Extractor, Gazetteer, Mention, Tier};

const PARAGRAPH: &str = "騰訊與字節跳動今年都加碼投資AI，華為則持續擴大自研晶片的產能。\
台積電表示，先進製程訂單已排到明年；鴻海也看好伺服器出貨。分析師認為，臺積電的優勢短期內難以撼動，\
騰訊、華為與字節的資本支出仍會成長。國泰航空本月起增開台北航班，華為的新手機也將在香港開賣。";

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/traditional.txt"
);

fn extract(text: &str) -> Vec<Entity> {
    Extractor::new(Gazetteer::builtin()).extract(text, &mut |_| {})
}

/// The entity of `name`, in either script (the article's spelling is the entity's name).
fn find<'a>(entities: &'a [Entity], name: &str) -> &'a Entity {
    let wanted = normalize(name).text.into_owned();
    entities
        .iter()
        .find(|e| normalize(&e.name).text == wanted)
        .unwrap_or_else(|| panic!("{name} not found among {:?}", names(entities)))
}

fn names(entities: &[Entity]) -> Vec<&str> {
    entities.iter().map(|e| e.name.as_str()).collect()
}

/// Each entity's mentions, as the original text writes them.
fn cuts<'a>(e: &Entity, text: &'a str) -> Vec<&'a str> {
    e.mentions.iter().map(|m| &text[m.start..m.end]).collect()
}

#[test]
fn traditional_names_are_found_with_their_counts_and_spelling() {
    let entities = extract(PARAGRAPH);
    // (canonical name, count, the article's spellings)
    let expected: &[(&str, usize, &[&str])] = &[
        ("腾讯", 2, &["騰訊"]),
        ("字节跳动", 2, &["字節跳動", "字節"]),
        ("华为", 3, &["華為"]),
        ("台积电", 2, &["台積電", "臺積電"]),
        ("富士康", 1, &["鴻海"]),
        ("国泰航空", 1, &["國泰航空"]),
        ("台北", 1, &["台北"]),
        ("香港", 1, &["香港"]),
    ];
    for &(name, count, spellings) in expected {
        let e = find(&entities, name);
        // Shown as the article writes it, the commonest way.
        if name != "富士康" {
            assert_eq!(e.name, spellings[0], "{name}");
        }
        assert_eq!(e.count(), count, "{name}: {:?}", cuts(e, PARAGRAPH));
        let mut aliases = e.aliases(PARAGRAPH);
        aliases.sort();
        let mut spellings = spellings.to_vec();
        spellings.sort();
        assert_eq!(aliases, spellings, "{name}");
    }
}

#[test]
fn traditional_and_simplified_versions_give_the_same_entities() {
    let simplified = normalize(PARAGRAPH).text.into_owned();
    assert_ne!(simplified, PARAGRAPH);
    let summary = |text: &str| -> Vec<(String, Vec<Mention>)> {
        extract(text)
            .into_iter()
            .filter(|e| e.tier == Tier::Known)
            .map(|e| (normalize(&e.name).text.into_owned(), e.mentions))
            .collect()
    };
    // Every character here keeps its UTF-8 length, so even the offsets agree.
    assert_eq!(summary(PARAGRAPH), summary(&simplified));
}

#[test]
fn mentions_after_characters_whose_utf8_length_changes_still_cut_the_original() {
    // 𡞵 (four bytes) becomes 㛟 (three), 㑮 (three) becomes 𫝈 (four): every later offset
    // moves in the Simplified copy.
    let text = format!("𡞵𡞵㑮：{PARAGRAPH}😀𡞵，騰訊");
    let copy = normalize(&text);
    assert!(copy.is_converted());
    assert_ne!(copy.text.len(), text.len(), "the copy has other offsets");
    let entities = extract(&text);
    let tencent = find(&entities, "腾讯");
    assert_eq!(cuts(tencent, &text), ["騰訊", "騰訊", "騰訊"]);
    let tsmc = find(&entities, "台积电");
    assert_eq!(cuts(tsmc, &text), ["台積電", "臺積電"]);
    for e in &entities {
        for m in &e.mentions {
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }
}

#[test]
fn the_simplified_sample_is_read_as_it_is() {
    let sample = std::str::from_utf8(pizhu::load::SAMPLE).expect("UTF-8");
    let copy = normalize(sample);
    assert!(!copy.is_converted());
    assert!(std::ptr::eq(copy.text.as_ref(), sample));
}

#[test]
fn the_fixture_is_traditional_and_names_tsmc_ten_times() {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let chars = text.chars().count();
    assert!((1300..1800).contains(&chars), "{chars} characters");
    let entities = extract(&text);
    let tsmc = find(&entities, "台积电");
    assert_eq!(tsmc.count(), 10, "{:?}", cuts(tsmc, &text));
    assert_eq!(tsmc.aliases(&text), ["台積電", "臺積電"]);
    for name in [
        "富士康",
        "联发科",
        "华硕",
        "宏碁",
        "广达",
        "国泰航空",
        "腾讯",
        "字节跳动",
        "华为",
    ] {
        find(&entities, name);
    }
}

/// The real binary: `pizhu entities FILE` on a Traditional article lists TSMC as the article
/// writes it, with its other spelling, and `--json` offsets cut them out of the file.
#[test]
fn pizhu_entities_lists_tsmc_as_a_traditional_article_writes_it() {
    let sandbox = Sandbox::new();
    let run = |json: bool| {
        let mut args = vec!["entities", FIXTURE];
        if json {
            args.push("--json");
        }
        sandbox.pizhu(args)
    };
    let plain = run(false);
    let line = plain
        .lines()
        .find(|l| l.trim_start().starts_with("台積電 "))
        .unwrap_or_else(|| panic!("no 台積電 line in\n{plain}"));
    assert!(line.contains("臺積電") && line.contains("×10"), "{line}");

    let json: serde_json::Value = serde_json::from_str(&run(true)).expect("JSON");
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let chars: Vec<char> = text.chars().collect();
    let tsmc = json
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["name"] == "台積電")
        .expect("台積電 in the JSON");
    assert_eq!(tsmc["count"], 10);
    for m in tsmc["mentions"].as_array().expect("mentions") {
        let (start, end) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        let cut: String = chars[start..end].iter().collect();
        assert_eq!(cut, m["text"].as_str().unwrap());
        assert!(cut == "台積電" || cut == "臺積電", "{cut}");
    }
}
