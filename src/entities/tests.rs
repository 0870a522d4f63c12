use super::*;

const GAZETTEER: &str = "\
字节跳动\tcompany\t字节|ByteDance\t\t
抖音\tcompany\tDouyin\t字节跳动\t
豆包\tproduct\t字节豆包\t字节跳动\t豆包
阿里巴巴\tcompany\t阿里|Alibaba\t\t
千问\tproduct\t阿里千问|通义千问\t阿里巴巴\t
腾讯\tcompany\t鹅厂|Tencent\t\t
元宝\tproduct\t腾讯元宝\t腾讯\t元宝
快手\tcompany\tKuaishou\t\t快手
哔哩哔哩\tcompany\tB站|bilibili\t\t
微博\tcompany\tWeibo\t\t
郑州\tplace\t\t\t
Meta\tcompany\t\t\t
高途\tcompany\t跟谁学\t\t跟谁学
大众汽车\tcompany\t大众|Volkswagen\t\t大众
伦敦\tplace\tLondon\t\t
宁波\tplace\t宁波市\t\t
美国\tplace\t\t\t
英国\tplace\t\t\t
上海\tplace\t上海市\t\t
深圳\tplace\t\t\t
广东\tplace\t广东省\t\t
外交部\torganization\t\t\t
新浪\tcompany\tSina\t\t
招商银行\tcompany\t招行\t\t
中信\tcompany\t\t\t
乔布斯\tperson\t\t\t
";

fn extractor() -> Extractor {
    Extractor::new(Gazetteer::parse(GAZETTEER).unwrap())
}

fn counts(text: &str) -> Vec<(String, usize)> {
    extractor()
        .extract(text, &mut |_| {})
        .into_iter()
        .filter(|e| e.kind.is_named() && e.tier == Tier::Known)
        .map(|e| (e.name.clone(), e.count()))
        .collect()
}

fn count_of(text: &str, name: &str) -> usize {
    counts(text)
        .into_iter()
        .find(|(n, _)| n == name)
        .map_or(0, |(_, c)| c)
}

#[test]
fn aliases_merge_into_one_entity() {
    let text = "字节跳动旗下的抖音，字节的速度，ByteDance。";
    assert_eq!(count_of(text, "字节跳动"), 3);
    assert_eq!(count_of(text, "抖音"), 1);
}

#[test]
fn compounds_count_the_product_and_its_owner() {
    let text = "无论是阿里千问还是腾讯元宝，都在投放。";
    assert_eq!(count_of(text, "千问"), 1);
    assert_eq!(count_of(text, "阿里巴巴"), 1);
    assert_eq!(count_of(text, "元宝"), 1);
    assert_eq!(count_of(text, "腾讯"), 1);
}

#[test]
fn a_name_inside_a_longer_word_is_not_a_mention() {
    assert_eq!(count_of("我们去阿里山看日出。", "阿里巴巴"), 0);
    assert_eq!(count_of("他在Metadata里写了东西。", "Meta"), 0);
}

#[test]
fn ordinary_words_need_a_second_signal() {
    // 快手 the adverb, 元宝 the gold ingot.
    assert_eq!(count_of("他快手快脚地收拾好了。", "快手"), 0);
    assert_eq!(count_of("他手里拿着一个元宝。", "元宝"), 0);
    assert_eq!(count_of("她是个做饭的快手。", "快手"), 0);
    // In a list of platforms, or with a cue word, they are names.
    assert_eq!(count_of("抖音B站快手微博等平台", "快手"), 1);
    assert_eq!(count_of("快手平台的用户很多。", "快手"), 1);
    // The owner right before it.
    assert_eq!(count_of("我用过腾讯元宝。", "元宝"), 1);
}

#[test]
fn an_owner_written_right_before_confirms_a_common_form_after_many_other_names() {
    // Many firm mentions before it: the owner is looked for among those that end there.
    let lead = "腾讯、阿里、字节和快手平台。".repeat(40);
    assert_eq!(count_of(&format!("{lead}我用过鹅厂元宝。"), "元宝"), 1);
    assert_eq!(count_of(&format!("{lead}我捡到了元宝。"), "元宝"), 0);
    assert_eq!(count_of(&format!("鹅厂元宝。{lead}"), "元宝"), 1);
}

#[test]
fn sorted_by_kind_then_count() {
    let entities = extractor().extract("豆包和字节豆包，抖音抖音抖音，字节。", &mut |_| {});
    let named: Vec<_> = entities.iter().filter(|e| e.kind.is_named()).collect();
    assert!(
        named
            .windows(2)
            .all(|w| w[0].kind < w[1].kind
                || (w[0].kind == w[1].kind && w[0].count() >= w[1].count()))
    );
}

#[test]
fn aliases_are_listed_as_written() {
    let text = "字节跳动和字节，还有字节。";
    let e = extractor().extract(text, &mut |_| {});
    let bd = e.iter().find(|e| e.name == "字节跳动").unwrap();
    assert_eq!(bd.aliases(text), ["字节", "字节跳动"]);
}

#[test]
fn a_place_with_bang_is_a_regional_group() {
    let text = "当年的“郑州帮”很有名，郑州帮助了很多人。";
    let e = extractor().extract(text, &mut |_| {});
    let group = e
        .iter()
        .find(|e| e.name == "郑州帮")
        .expect("郑州帮 proposed");
    assert_eq!(group.kind, EntityKind::Organization);
    assert_eq!(group.tier, Tier::Possible);
    assert_eq!(group.count(), 1);
    // 郑州帮助 is the city helping: it stays a place mention.
    assert_eq!(
        e.iter().find(|e| e.name == "郑州").map(Entity::count),
        Some(1)
    );
}

fn all_names(text: &str) -> Vec<(String, usize)> {
    extractor()
        .extract(text, &mut |_| {})
        .into_iter()
        .map(|e| (e.name.clone(), e.count()))
        .collect()
}

#[test]
fn nothing_is_found_in_urls_mail_addresses_or_handles() {
    let text = "详见 https://github.com/ByteDance/DeepSeek/2025/10/01 ，字节跳动开源了它。";
    assert_eq!(count_of(text, "字节跳动"), 1);
    let all = all_names(text);
    assert!(
        !all.iter()
            .any(|(n, _)| n.contains("DeepSeek") || n.contains("2025")),
        "{all:?}"
    );
    assert_eq!(count_of("官网是www.douyin.com，网页版。", "抖音"), 0);
    assert_eq!(count_of("代码在github.com/tencent/x里。", "腾讯"), 0);
    assert_eq!(count_of("有事发邮件到tencent@qq.com。", "腾讯"), 0);
    assert_eq!(
        count_of("关注 @Douyin 和 @抖音小助手 ，每天更新。", "抖音"),
        0
    );
    // Beside them, names still count.
    assert_eq!(count_of("抖音的官网是www.douyin.com。", "抖音"), 1);
}

#[test]
fn nothing_is_found_in_code() {
    assert_eq!(
        count_of("这段代码 `print(\"Hello, 郑州\")` 只输出字符串。", "郑州"),
        0
    );
    let fenced = "郑州的例子：\n```\nlet city = \"郑州\";\n```\n完。";
    assert_eq!(count_of(fenced, "郑州"), 1);
    let indented = "例子：\n    city = \"郑州\";\n    print(city)\n完。";
    assert_eq!(count_of(indented, "郑州"), 0);
}

#[test]
fn a_documents_code_is_left_out_and_its_link_text_counts() {
    use crate::document::{BlockKind, Builder, Inline};
    let mut b = Builder::new("markdown");
    b.start(BlockKind::Paragraph);
    b.push("我常看");
    let link = b.link("https://www.douyin.com/");
    b.open(link);
    b.push("抖音");
    b.close(link);
    b.push("，变量叫");
    b.open(Inline::Code);
    b.push("抖音");
    b.close(Inline::Code);
    b.push("。");
    b.start(BlockKind::Code);
    b.push("douyin = 抖音()\n");
    let doc = b.finish();
    let text = doc.text();
    let excluded = exclude::excluded(text, Some(&doc));
    let entities = extractor().extract_excluding(text, &excluded, &mut |_| {});
    let douyin = entities.iter().find(|e| e.name == "抖音").expect("抖音");
    assert_eq!(douyin.count(), 1);
    assert_eq!(
        &text[douyin.mentions[0].start..douyin.mentions[0].end],
        "抖音"
    );
    assert!(douyin.mentions[0].start < text.find('，').unwrap());
}

#[test]
fn ordinary_words_in_questions_and_phrases_need_a_cue() {
    assert_eq!(count_of("你的棋是跟谁学的？", "高途"), 0);
    assert_eq!(count_of("这首歌你跟谁学的？调子不对。", "高途"), 0);
    assert_eq!(count_of("他眼疾快手，一把接住了杯子。", "快手"), 0);
    assert_eq!(count_of("这部电影很受大众欢迎。", "大众汽车"), 0);
    // With a cue they are names.
    assert_eq!(count_of("跟谁学这家公司改了名。", "高途"), 1);
    assert_eq!(count_of("大众的新车型发布了。", "大众汽车"), 1);
}

#[test]
fn three_bare_ordinary_words_are_not_a_signal_by_themselves() {
    let public = "大众喜欢它。我们面向大众。社会大众的口味变了。";
    assert_eq!(count_of(public, "大众汽车"), 0);
    // One confirmed mention: the other bare ones count too.
    let platform = "快手平台很火。我天天看快手。快手真好。就是快手。";
    assert_eq!(count_of(platform, "快手"), 4);
}

/// Entities the article establishes or a rule proposes (found or possible).
fn possible(text: &str) -> Vec<(String, EntityKind, Option<String>, usize)> {
    extractor()
        .extract(text, &mut |_| {})
        .into_iter()
        .filter(|e| e.tier != Tier::Known)
        .map(|e| (e.name.clone(), e.kind, e.owner.clone(), e.count()))
        .collect()
}

fn possible_of(text: &str, name: &str) -> Option<(EntityKind, Option<String>, usize)> {
    possible(text)
        .into_iter()
        .find(|p| p.0 == name)
        .map(|(_, k, o, c)| (k, o, c))
}

#[test]
fn a_place_with_a_government_suffix_is_one_organization() {
    let text = "宁波市政府发布了通知，美国海军也来了。上海市第一中级人民法院审理此案。";
    for name in ["宁波市政府", "美国海军", "上海市第一中级人民法院"] {
        assert_eq!(
            possible_of(text, name),
            Some((EntityKind::Organization, None, 1)),
            "{name}: {:?}",
            possible(text)
        );
    }
    for place in ["宁波", "美国", "上海"] {
        assert_eq!(count_of(text, place), 0, "{place}");
    }
    // Party committees and standing committees, even when jieba glues a role on.
    let text = "广东省委召开全会。深圳市委书记在调研。上海市人大常委会审议了。";
    for name in ["广东省委", "深圳市委", "上海市人大常委会"] {
        assert!(
            possible_of(text, name).is_some(),
            "{name}: {:?}",
            possible(text)
        );
    }
    // A known body after the place joins it; the place alone elsewhere stays a place.
    let text = "英国外交部回应了。他住在英国。";
    assert_eq!(possible_of(text, "英国外交部").map(|p| p.2), Some(1));
    assert_eq!(count_of(text, "外交部"), 0);
    assert_eq!(count_of(text, "英国"), 1);
    // Not bodies: directions, cadres, verbs.
    for text in [
        "美国东部下雪了。",
        "上海干部很多。",
        "美国部分地区停电。",
        "深圳举办了展会。",
    ] {
        assert!(
            !possible(text)
                .iter()
                .any(|p| p.1 == EntityKind::Organization),
            "{text}: {:?}",
            possible(text)
        );
    }
}

#[test]
fn a_known_name_with_a_unit_suffix_is_that_unit() {
    let text = "新浪房产的数据显示，腾讯研究院也发了报告。招商银行深圳分行放贷了。";
    assert_eq!(
        possible_of(text, "新浪房产"),
        Some((EntityKind::Company, Some("新浪".into()), 1))
    );
    assert_eq!(
        possible_of(text, "腾讯研究院"),
        Some((EntityKind::Organization, Some("腾讯".into()), 1))
    );
    assert_eq!(
        possible_of(text, "招商银行深圳分行"),
        Some((EntityKind::Organization, Some("招商银行".into()), 1))
    );
    for known in ["新浪", "腾讯", "招商银行", "深圳"] {
        assert_eq!(count_of(text, known), 0, "{known}");
    }
    // 中信 before 银行.
    assert_eq!(
        possible_of("中信银行的利率下调了。", "中信银行"),
        Some((EntityKind::Company, Some("中信".into()), 1))
    );
    assert_eq!(count_of("中信银行的利率下调了。", "中信"), 0);
    // An index of bank shares is not a unit of 中信 (the suffix rule may still guess).
    let index = possible_of("中信银行指数上涨了。", "中信银行");
    assert_eq!(index.and_then(|p| p.1), None);
}

#[test]
fn a_transliterated_name_with_a_dot_is_one_person() {
    let text = "作家杰克·伦敦的小说很多，他没去过伦敦。";
    assert_eq!(
        possible_of(text, "杰克·伦敦"),
        Some((EntityKind::Person, None, 1))
    );
    assert_eq!(count_of(text, "伦敦"), 1);
    let text = "德国总理安格拉·默克尔和J·K·罗琳见面，乔丹·贝尔加盟了。";
    for name in ["安格拉·默克尔", "J·K·罗琳", "乔丹·贝尔"] {
        assert_eq!(
            possible_of(text, name).map(|p| p.0),
            Some(EntityKind::Person),
            "{name}: {:?}",
            possible(text)
        );
    }
    // A known person inside: the known person, mentioned by the full name.
    let text = "史蒂夫·乔布斯回到了苹果。";
    let e = extractor().extract(text, &mut |_| {});
    let jobs = e.iter().find(|e| e.name == "乔布斯").expect("乔布斯");
    assert_eq!(jobs.aliases(text), ["史蒂夫·乔布斯"]);
    assert!(possible(text).is_empty(), "{:?}", possible(text));
    // Words before the name: a title, a country.
    let text = "印度富豪高塔姆·阿达尼被起诉，美国杰克·伦敦也是。罗尼·奥沙利文说了。";
    for name in ["高塔姆·阿达尼", "杰克·伦敦", "罗尼·奥沙利文"] {
        assert!(
            possible_of(text, name).is_some(),
            "{name}: {:?}",
            possible(text)
        );
    }
    // Not names: a title, datelines.
    for text in [
        "他在玩《黑神话·悟空》。",
        "中国·杭州，2024年。",
        "美国·伦敦，昨天。",
    ] {
        assert!(
            !possible(text).iter().any(|p| p.1 == EntityKind::Person),
            "{text}: {:?}",
            possible(text)
        );
    }
}
