//! Entities of fiction (issue 13): a story's people are found although no gazetteer knows
//! them. The fixture is an abridged excerpt of 鲁迅《故乡》(1921, public domain) as a Markdown
//! file with front matter, read by the real binary.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sandbox::Sandbox;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/markdown/guxiang.md"
);

fn entities_json() -> Vec<serde_json::Value> {
    let out = Sandbox::new().pizhu(["entities", "--json", FIXTURE]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    json.as_array().expect("a list").clone()
}

#[test]
fn the_storys_hero_is_found_with_every_mention() {
    let entities = entities_json();
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let runtu = entities
        .iter()
        .find(|e| e["name"] == "闰土")
        .unwrap_or_else(|| panic!("闰土 not among {entities:#?}"));
    assert_eq!(runtu["kind"], "person");
    assert_eq!(runtu["tier"], "found");
    // Every 闰土 of the story, none from the front matter.
    assert_eq!(runtu["count"], text.matches("闰土").count());
}

#[test]
fn nothing_else_in_the_story_is_taken_for_a_found_name() {
    let entities = entities_json();
    let found: Vec<&str> = entities
        .iter()
        .filter(|e| e["tier"] == "found")
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(found, ["闰土"]);
}
