use std::sync::OnceLock;

use super::*;
use crate::entities::{Extractor, Gazetteer};

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| Extractor::new(Gazetteer::builtin()))
}

/// The tagger's output, made up: `name` tagged as `kind` at its first occurrence.
fn tag(text: &str, name: &str, kind: EntityKind, confidence: f32) -> Tagged {
    let start = text.find(name).expect("the name is in the text");
    Tagged {
        start,
        end: start + name.len(),
        kind,
        confidence,
    }
}

/// What `establish` makes of `text` with these tags, after the gazetteer's entities.
fn established(text: &str, tagged: &[Tagged]) -> Vec<Entity> {
    let x = extractor();
    let (mut entities, _) = x.known(text, &mut |_| {});
    let recurring = recurring(text, x.segmenter());
    establish(text, tagged, recurring, x.segmenter(), &mut entities);
    entities
}

fn named<'a>(entities: &'a [Entity], name: &str) -> Option<&'a Entity> {
    entities.iter().find(|e| e.name == name)
}

#[test]
fn a_sure_tag_is_found_wherever_the_name_is_written() {
    let text = "温知远走进院子。大家都在等温知远，后来温知远坐下了。";
    let e = established(text, &[tag(text, "温知远", EntityKind::Person, 0.91)]);
    let found = named(&e, "温知远").expect("温知远");
    assert_eq!(found.tier, Tier::Found);
    assert_eq!(found.kind, EntityKind::Person);
    assert_eq!(found.count(), 3);
    assert!(
        found.reason.as_deref().unwrap().contains("91%"),
        "{found:?}"
    );
}

#[test]
fn an_unsure_tag_counts_only_when_repeated() {
    let text = "林秋白说了。林秋白又说了。";
    let once = [tag(text, "林秋白", EntityKind::Person, 0.65)];
    assert!(named(&established(text, &once), "林秋白").is_none());
    let second = text.rfind("林秋白").unwrap();
    let twice = [
        once[0],
        Tagged {
            start: second,
            end: second + "林秋白".len(),
            ..once[0]
        },
    ];
    assert_eq!(
        named(&established(text, &twice), "林秋白").unwrap().count(),
        2
    );
}

#[test]
fn ordinary_words_particles_and_lone_latin_words_are_not_names() {
    let text = "老爷回来了。日期未定。他说Java很好，也不错。";
    let tags = [
        tag(text, "老爷", EntityKind::Person, 0.95),
        tag(text, "日期", EntityKind::Place, 0.95),
        tag(text, "Java", EntityKind::Person, 0.99),
        tag(text, "也不", EntityKind::Organization, 0.95),
    ];
    let e = established(text, &tags);
    assert!(e.iter().all(|e| e.tier != Tier::Found), "{e:?}");
    // Two capitalized words are a name by their form.
    let text = "Margaret Hamilton wrote the code.";
    let e = established(
        text,
        &[tag(text, "Margaret Hamilton", EntityKind::Person, 0.65)],
    );
    assert_eq!(named(&e, "Margaret Hamilton").unwrap().tier, Tier::Found);
}

#[test]
fn the_gazetteer_decides_for_names_it_knows() {
    let text = "腾讯发布了财报。";
    let e = established(text, &[tag(text, "腾讯", EntityKind::Place, 0.99)]);
    let tencent = named(&e, "腾讯").unwrap();
    assert_eq!(
        (tencent.tier, tencent.kind),
        (Tier::Known, EntityKind::Company)
    );
}

#[test]
fn a_rule_guess_the_tagger_agrees_with_is_found() {
    let x = extractor();
    let text = "星河动力集团宣布融资。";
    let (mut entities, _) = x.known(text, &mut |_| {});
    entities.extend(crate::entities::discover::discover(
        text,
        x.segmenter(),
        &[],
        &entities,
    ));
    let rule = named(&entities, "星河动力集团").expect("the suffix rule");
    assert_eq!(rule.tier, Tier::Possible);
    let tagged = [tag(text, "星河动力集团", EntityKind::Organization, 0.9)];
    establish(text, &tagged, Vec::new(), x.segmenter(), &mut entities);
    let e = named(&entities, "星河动力集团").unwrap();
    assert_eq!(e.tier, Tier::Found);
    assert!(
        e.reason.as_deref().unwrap().contains("name tagger"),
        "{e:?}"
    );
}

#[test]
fn a_given_name_after_the_full_name_counts_as_the_person() {
    let text = "王一生下棋。我问王一生怎么学的。一生笑了，说一生只下棋。";
    let tags = [tag(text, "王一生", EntityKind::Person, 0.9)];
    let e = established(text, &tags);
    let wang = named(&e, "王一生").unwrap();
    assert_eq!(wang.count(), 4, "{:?}", wang.aliases(text));
    assert_eq!(wang.aliases(text), ["王一生", "一生"]);
    // Not before the full name, and only for a name given in full at least twice.
    let text = "一生很长。王一生来了。一生笑了。";
    let e = established(text, &[tag(text, "王一生", EntityKind::Person, 0.9)]);
    assert_eq!(named(&e, "王一生").unwrap().count(), 1);
}

#[test]
fn a_dotted_name_is_also_called_by_its_last_part() {
    assert_eq!(
        given_name("史蒂夫·沃兹尼亚克").as_deref(),
        Some("沃兹尼亚克")
    );
    assert_eq!(given_name("王一生").as_deref(), Some("一生"));
    assert_eq!(given_name("闰土"), None);
    assert_eq!(given_name("欧阳锋"), None);
    let text = "史蒂夫·沃兹尼亚克造了电脑。史蒂夫·沃兹尼亚克后来说，沃兹尼亚克不爱管理。";
    let tags = [tag(text, "史蒂夫·沃兹尼亚克", EntityKind::Person, 0.9)];
    let e = established(text, &tags);
    assert_eq!(named(&e, "史蒂夫·沃兹尼亚克").unwrap().count(), 3);
}

#[test]
fn a_known_place_inside_a_found_name_is_not_the_place() {
    let text = "杰克·伦敦写了小说。杰克·伦敦没去过伦敦。";
    let tags = [tag(text, "杰克·伦敦", EntityKind::Person, 0.9)];
    let e = established(text, &tags);
    assert_eq!(named(&e, "杰克·伦敦").unwrap().count(), 2);
    assert_eq!(named(&e, "伦敦").map(Entity::count), Some(1));
}

/// A story of our own: the hero is a name no dictionary has, standing before 说 and after 对.
const STORY: &str = "\
阿桂是村里最会撑船的人。那天早上，阿桂说要去镇上买盐。母亲对阿桂说，路上小心。\
阿桂笑了笑，把船推进了河里。到了镇上，掌柜的看见阿桂，便问他今年的收成。\
阿桂答道：“还过得去。”回来的路上下起了雨，阿桂想起母亲的话，把盐裹得更紧了。";

#[test]
fn a_character_who_keeps_speaking_is_found_in_a_story() {
    let names = recurring(STORY, extractor().segmenter());
    assert!(
        names.iter().any(|(n, k)| n == "阿桂" && *k >= 3),
        "{names:?}"
    );
    let e = extractor().extract(STORY, &mut |_| {});
    let hero = named(&e, "阿桂").expect("阿桂");
    assert_eq!((hero.tier, hero.kind), (Tier::Found, EntityKind::Person));
    assert_eq!(hero.count(), STORY.matches("阿桂").count());
}

#[test]
fn a_name_written_after_the_same_character_keeps_it() {
    let text = "杨二嫂说不要。杨二嫂问我。我对杨二嫂说好。杨二嫂笑道：“好。”";
    let names: Vec<String> = recurring(text, extractor().segmenter())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["杨二嫂"]);
}

#[test]
fn news_prose_has_no_recurring_names() {
    let text = "公司表示，今年收入增长。记者问道，明年如何？分析师说，市场会好。\
        他说，我们对市场有信心。她说，大家都说好。公司说，明年更好。";
    assert!(recurring(text, extractor().segmenter()).is_empty());
}

#[test]
fn forms_of_address_are_no_names_nor_given_names() {
    let text = "哥哥来了。李天王说，天王不去。李天王又说。";
    let tags = [
        tag(text, "哥哥", EntityKind::Person, 0.95),
        tag(text, "李天王", EntityKind::Person, 0.95),
    ];
    let e = established(text, &tags);
    assert!(named(&e, "哥哥").is_none());
    // 天王 alone is not 李天王.
    assert_eq!(named(&e, "李天王").unwrap().count(), 2);
}

#[test]
fn a_given_name_found_on_its_own_joins_the_full_name() {
    // 智深 recurs on its own; 鲁智深 is tagged: one person.
    let text = "鲁智深来了。鲁智深说不去。智深道：“走。”智深说好。智深笑道：“好。”\
        智深问他。鲁智深又说。";
    let tags = [tag(text, "鲁智深", EntityKind::Person, 0.9)];
    let e = established(text, &tags);
    assert!(named(&e, "智深").is_none(), "{e:?}");
    let lu = named(&e, "鲁智深").unwrap();
    assert_eq!(lu.count(), text.matches("智深").count());
    // A tagging slip once (陈魏延) does not swallow the name written a hundred times.
    let mut text = String::from("陈魏延到了。");
    for _ in 0..30 {
        text.push_str("魏延说好。");
    }
    let text = text.as_str();
    let tags = [tag(text, "陈魏延", EntityKind::Person, 0.9)];
    let e = established(text, &tags);
    assert!(named(&e, "魏延").is_some_and(|w| w.count() >= 30), "{e:?}");
}

#[test]
fn a_dictionary_noun_is_a_name_only_when_tagged_again_and_again() {
    // 悟空 is a common noun to jieba.
    let text = "悟空来了。".repeat(6);
    let at = |i: usize| Tagged {
        start: i * "悟空来了。".len(),
        end: i * "悟空来了。".len() + "悟空".len(),
        kind: EntityKind::Person,
        confidence: 0.9,
    };
    let few: Vec<Tagged> = (0..2).map(at).collect();
    assert!(named(&established(&text, &few), "悟空").is_none());
    let many: Vec<Tagged> = (0..6).map(at).collect();
    assert_eq!(
        named(&established(&text, &many), "悟空").unwrap().count(),
        6
    );
    // Not a noun at all (左右): never.
    let text = "左右来了。".repeat(6);
    let many: Vec<Tagged> = (0..6)
        .map(|i| Tagged {
            start: i * "左右来了。".len(),
            end: i * "左右来了。".len() + "左右".len(),
            kind: EntityKind::Person,
            confidence: 0.9,
        })
        .collect();
    assert!(named(&established(&text, &many), "左右").is_none());
}
