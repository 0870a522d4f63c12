//! Entities of the sample article against what a careful reader found in it
//! (shared/corpus/xiaohongshu.entities.json), and the `entities --json` contract.

use std::process::Command;

use pizhu::entities::{EntityKind, Extractor, Gazetteer, Tier};
use pizhu::load::SAMPLE;

/// (canonical name, kind, count) of the named entities a reader expects.
const EXPECTED: &[(&str, &str, usize)] = &[
    ("小红书", "company", 52),
    ("字节跳动", "company", 7),
    ("阿里巴巴", "company", 8),
    ("哔哩哔哩", "company", 5),
    ("百度", "company", 5),
    ("腾讯", "company", 2),
    ("抖音", "company", 4),
    ("今日头条", "company", 1),
    ("淘宝", "company", 6),
    ("天猫", "company", 1),
    ("京东", "company", 5),
    ("拼多多", "company", 3),
    ("快手", "company", 2),
    ("微博", "company", 2),
    ("知乎", "company", 1),
    ("什么值得买", "company", 1),
    ("黑猫投诉", "company", 1),
    ("魅族", "company", 1),
    ("荣耀", "company", 1),
    ("狼爪", "company", 2),
    ("金沙江创投", "company", 1),
    ("蚂蚁集团", "company", 1),
    ("科大讯飞", "company", 1),
    ("申万宏源", "company", 1),
    ("杰我睿", "company", 1),
    ("千问", "product", 5),
    ("豆包", "product", 3),
    ("元宝", "product", 2),
    ("文心", "product", 1),
    ("DeepSeek", "product", 1),
    ("汽水音乐", "product", 1),
    ("番茄小说", "product", 1),
    ("西瓜视频", "product", 1),
    ("红果短剧", "product", 1),
    ("懂车帝", "product", 1),
    ("蚂蚁阿福", "product", 1),
    ("小荷健康", "product", 1),
    ("讯飞晓医", "product", 1),
    ("马化腾", "person", 1),
    ("马云", "person", 1),
    ("值接Talk", "media", 4),
    ("彭博社", "media", 1),
    ("影视飓风", "media", 1),
    ("食贫道", "media", 1),
    ("何同学", "media", 1),
    ("北京商报", "media", 1),
    ("郑州帮", "organization", 1),
];

fn sample() -> &'static str {
    std::str::from_utf8(SAMPLE).expect("sample is UTF-8")
}

#[test]
fn the_samples_named_entities_are_found_with_their_counts() {
    let extractor = Extractor::new(Gazetteer::builtin());
    let entities = extractor.extract(sample(), &mut |_| {});
    let mut wrong = Vec::new();
    for &(name, kind, count) in EXPECTED {
        match entities.iter().find(|e| e.name == name) {
            None => wrong.push(format!("{name}: not found")),
            Some(e) if e.kind.as_str() != kind => wrong.push(format!("{name}: kind {:?}", e.kind)),
            Some(e) if e.count() != count => {
                wrong.push(format!("{name}: {} mentions, expected {count}", e.count()))
            }
            Some(_) => {}
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn at_most_one_spurious_named_entity_per_twenty() {
    let extractor = Extractor::new(Gazetteer::builtin());
    let entities = extractor.extract(sample(), &mut |_| {});
    let named: Vec<_> = entities
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EntityKind::Company
                    | EntityKind::Product
                    | EntityKind::Person
                    | EntityKind::Media
                    | EntityKind::Organization
            )
        })
        .collect();
    let spurious: Vec<&str> = named
        .iter()
        .filter(|e| !EXPECTED.iter().any(|(n, _, _)| *n == e.name))
        .map(|e| e.name.as_str())
        .collect();
    assert!(
        spurious.len() * 20 <= named.len(),
        "{} spurious of {}: {spurious:?}",
        spurious.len(),
        named.len()
    );
}

#[test]
fn possible_entities_say_why() {
    let extractor = Extractor::new(Gazetteer::builtin());
    for e in extractor.extract(sample(), &mut |_| {}) {
        assert_eq!(e.tier == Tier::Possible, e.reason.is_some(), "{}", e.name);
    }
}

#[test]
fn entities_json_offsets_cut_the_mentions_out_of_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    // CRLF line ends and an escape sequence: offsets must still point into the file as written.
    let text = sample()
        .replace('\n', "\r\n")
        .replacen("小红书", "\u{1b}[31m小红书", 1);
    let path = dir.path().join("文章.txt");
    std::fs::write(&path, &text).expect("write");
    let config = dir.path().join("config.ron");
    std::fs::write(&config, "").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_pizhu"))
        .args(["entities", "--json", "--config"])
        .arg(&config)
        .arg(&path)
        .output()
        .expect("run pizhu");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let chars: Vec<char> = text.chars().collect();
    let list = json.as_array().expect("an array");
    assert!(list.len() > 40);
    let mut last_kind = 0;
    for e in list {
        let kind = e["kind"].as_str().expect("kind");
        let order = EntityKind::ALL
            .iter()
            .position(|k| k.as_str() == kind)
            .expect("known kind");
        assert!(order >= last_kind, "sorted by kind");
        last_kind = order;
        assert!(matches!(e["tier"].as_str(), Some("known" | "possible")));
        let mentions = e["mentions"].as_array().expect("mentions");
        assert_eq!(e["count"].as_u64(), Some(mentions.len() as u64));
        for m in mentions {
            let (start, end) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            let cut: String = chars[start..end].iter().collect();
            assert_eq!(cut, m["text"].as_str().unwrap(), "{}", e["name"]);
        }
    }
    let bytedance = list
        .iter()
        .find(|e| e["name"] == "字节跳动")
        .expect("字节跳动");
    assert_eq!(bytedance["count"], 7);
    let aliases: Vec<&str> = bytedance["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert!(aliases.contains(&"字节") && aliases.contains(&"字节跳动"));
}

/// `pizhu entities` lists what the reader shows: the saved corrections applied, as `export`
/// applies them (issue 11, item 5).
#[test]
fn entities_applies_the_saved_corrections() {
    use pizhu::entities::correction::Correction;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("文章.txt");
    std::fs::write(&path, sample()).expect("write");
    let config = dir.path().join("config.ron");
    std::fs::write(&config, "").expect("write");
    let data = dir.path().join("data");
    let store = pizhu::store::Store::open(&data).expect("store");
    let doc = pizhu::document::Document::new(sample());
    let mut record = store.load(doc.hash(), None, "").expect("load").record;
    record.corrections = vec![
        Correction::Reject {
            name: "小红书".into(),
        },
        Correction::Rename {
            from: "字节跳动".into(),
            to: "ByteDance".into(),
        },
        Correction::Kind {
            name: "千问".into(),
            kind: EntityKind::Media,
        },
        // Taken back with u: no effect.
        Correction::Reject {
            name: "阿里巴巴".into(),
        },
        Correction::Undo(Box::new(Correction::Reject {
            name: "阿里巴巴".into(),
        })),
    ];
    store.save(&mut record).expect("save");
    let run = |json: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pizhu"));
        cmd.arg("entities");
        if json {
            cmd.arg("--json");
        }
        let out = cmd
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .arg(&path)
            .output()
            .expect("run pizhu");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let json: serde_json::Value = serde_json::from_slice(&run(true)).expect("valid JSON");
    let list = json.as_array().expect("an array");
    let find = |name: &str| list.iter().find(|e| e["name"] == name);
    assert!(find("小红书").is_none(), "rejected");
    assert!(find("字节跳动").is_none(), "renamed");
    assert_eq!(find("ByteDance").expect("renamed")["count"], 7);
    assert_eq!(find("千问").expect("千问")["kind"], "media");
    assert_eq!(find("阿里巴巴").expect("undone reject")["count"], 8);
    let plain = String::from_utf8(run(false)).expect("UTF-8");
    assert!(plain.contains("ByteDance"), "{plain}");
    assert!(!plain.contains("小红书"), "{plain}");
    // Without a data dir, the plain extraction (and no data dir is made).
    let bare = Command::new(env!("CARGO_BIN_EXE_pizhu"))
        .args(["entities", "--json", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("none"))
        .arg(&path)
        .output()
        .expect("run pizhu");
    let json: serde_json::Value = serde_json::from_slice(&bare.stdout).expect("valid JSON");
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "小红书")
    );
    assert!(!dir.path().join("none").exists());
}

/// A file that needs cleaning (Windows line ends, a tab) is matched to its record by its
/// cleaned text, and offsets still point into the file as it is.
#[test]
fn entities_applies_the_corrections_of_a_text_that_needed_cleaning() {
    use pizhu::entities::correction::Correction;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("文章.txt");
    let text = "标题\r\n\r\n\t小红书和字节跳动都在做电商。\r\n\r\n字节跳动旗下有抖音。\r\n";
    std::fs::write(&path, text).expect("write");
    let config = dir.path().join("config.ron");
    std::fs::write(&config, "").expect("write");
    let data = dir.path().join("data");
    let store = pizhu::store::Store::open(&data).expect("store");
    let doc = pizhu::document::Document::new(text);
    let mut record = store.load(doc.hash(), None, "").expect("load").record;
    record.corrections = vec![Correction::Reject {
        name: "小红书".into(),
    }];
    store.save(&mut record).expect("save");
    let out = Command::new(env!("CARGO_BIN_EXE_pizhu"))
        .args(["entities", "--json", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .arg(&path)
        .output()
        .expect("run pizhu");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let list = json.as_array().expect("an array");
    assert!(!list.iter().any(|e| e["name"] == "小红书"), "rejected");
    let bytedance = list
        .iter()
        .find(|e| e["name"] == "字节跳动")
        .expect("字节跳动");
    let chars: Vec<char> = text.chars().collect();
    for m in bytedance["mentions"].as_array().expect("mentions") {
        let (start, end) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
        let written: String = chars[start as usize..end as usize].iter().collect();
        assert_eq!(written, "字节跳动");
    }
}

/// `entities` and `export` leave out what the document marks as code, and URLs, addresses and
/// handles; a link's text still counts (issue 13, item 5).
#[test]
fn entities_and_export_leave_out_code_urls_and_handles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("文章.md");
    std::fs::write(
        &path,
        "# 笔记\n\n我常看[抖音](https://www.douyin.com/)，变量叫`抖音`。\n\n\
         ```\nlet app = \"抖音\";\n```\n\n\
         联系 help@douyin.com 或 @抖音小助手 ，官网 douyin.com/about 。\n",
    )
    .expect("write");
    let config = dir.path().join("config.ron");
    std::fs::write(&config, "").expect("write");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_pizhu"))
            .args(args)
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .arg(&path)
            .output()
            .expect("run pizhu");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("valid JSON")
    };
    let listed = run(&["entities", "--json"]);
    let douyin = listed
        .as_array()
        .expect("an array")
        .iter()
        .find(|e| e["name"] == "抖音")
        .expect("抖音 from the link text");
    assert_eq!(douyin["count"], 1, "{douyin}");
    let exported = run(&["export", "--format", "json"]);
    let douyin = exported["entities"]
        .as_array()
        .expect("an entity list")
        .iter()
        .find(|e| e["name"] == "抖音")
        .expect("抖音 exported");
    assert_eq!(douyin["count"], 1, "{douyin}");
}
