//! Saved web pages: the article is found and the page's furniture (menus, sidebars, ads,
//! comments, footers, scripts) never reaches the reader; titles lose the site's suffix;
//! GBK and Big5 pages decode; a page without an article is shown whole with a note; hostile
//! pages do not panic. Then the real binary prints each fixture without markup.

// A failed unwrap or expect here, in a helper too, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::sandbox::Sandbox;

use encoding_rs::{BIG5, Encoding, GBK};
use pizhu::document::{BlockKind, Document};
use pizhu::formats::{self, InputFormat};

const NOTE: &str = "No article found in this page: showing all its text";

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/html")
        .join(name)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).expect("read fixture")
}

fn read_with(bytes: &[u8], forced: Option<&'static Encoding>) -> formats::Read {
    formats::read(bytes, InputFormat::Html, forced).expect("an HTML page reads")
}

fn read(bytes: &[u8]) -> Document {
    read_with(bytes, None).doc
}

fn read_str(html: &str) -> Document {
    read(html.as_bytes())
}

fn meta_lines(doc: &Document) -> Vec<&str> {
    (0..doc.blocks().len())
        .filter(|&i| doc.blocks()[i].kind == BlockKind::Meta)
        .map(|i| doc.block_text(i))
        .collect()
}

#[track_caller]
fn assert_absent(doc: &Document, needles: &[&str]) {
    for needle in needles {
        assert!(
            !doc.text().contains(needle),
            "{needle:?} should not be in the document:\n{}",
            doc.dump()
        );
    }
}

#[track_caller]
fn assert_present(doc: &Document, needles: &[&str]) {
    for needle in needles {
        assert!(
            doc.text().contains(needle),
            "{needle:?} should be in the document:\n{}",
            doc.dump()
        );
    }
}

/// The short GBK page, from its committed bytes.
fn gbk_page() -> Vec<u8> {
    fixture("gbk.html")
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn news_snapshot() {
    insta::assert_snapshot!(read(&fixture("news.html")).dump());
}

#[test]
fn wechat_snapshot() {
    insta::assert_snapshot!(read(&fixture("wechat.html")).dump());
}

#[test]
fn gbk_snapshot() {
    insta::assert_snapshot!(read(&gbk_page()).dump());
}

#[test]
fn noarticle_snapshot() {
    insta::assert_snapshot!(read(&fixture("noarticle.html")).dump());
}

// ---------------------------------------------------------------------------------------------
// The news page

#[test]
fn news_keeps_the_article_and_drops_the_chrome() {
    let doc = read(&fixture("news.html"));
    assert_eq!(doc.title(), Some("滨江市社区书屋将覆盖全部街道"));
    assert_eq!(doc.blocks()[0].kind, BlockKind::Title);
    assert_eq!(doc.info().format, "html");
    assert_eq!(doc.info().note, None);
    assert_eq!(doc.info().author.as_deref(), Some("林晓"));
    assert_eq!(doc.info().date.as_deref(), Some("2024-05-01 10:00"));
    assert_eq!(
        meta_lines(&doc),
        ["作者：林晓", "来源：江岸网", "时间：2024-05-01 10:00"]
    );
    // The title is not repeated as a heading.
    assert_eq!(
        doc.text().matches("滨江市社区书屋将覆盖全部街道").count(),
        1
    );
    assert_present(
        &doc,
        &[
            "本报讯 五月一日",
            "按照时间表，第一批十五个街道",
            "从“有地方坐”到“有事情做”",
            "书屋应该是社区的客厅",
            "接入全市通借通还系统",
            "[图: 城东街道社区书屋内，居民在书架前挑选图书]",
            "滨江市文化和旅游局网站",
        ],
    );
    let kinds: Vec<BlockKind> = doc.blocks().iter().map(|b| b.kind).collect();
    assert!(kinds.contains(&BlockKind::Heading { level: 2 }));
    assert!(kinds.contains(&BlockKind::Quote { depth: 1 }));
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, BlockKind::ListItem { .. }))
    );
    assert!(kinds.iter().filter(|k| **k == BlockKind::Paragraph).count() >= 8);
    assert!(
        doc.links()
            .iter()
            .any(|l| l == "https://www.example.com/binjiang/shuwu")
    );
    assert_absent(
        &doc,
        &[
            // nav, header, breadcrumb
            "首页",
            "要闻",
            "体育",
            "登录",
            "注册",
            "下载客户端",
            "正文",
            // share buttons
            "分享到",
            "朋友圈",
            "QQ空间",
            // ads
            "广告",
            "理财红包",
            "暑期亲子游",
            // sidebar
            "热门排行",
            "二季度本地消费数据出炉",
            "老旧小区加装电梯",
            // comments
            "网友评论",
            "书虫小李",
            "大字版",
            "发表评论",
            // footer
            "Copyright",
            "版权所有",
            "ICP",
            "关于我们",
            // script and style
            "脚本",
            "统计代码",
            "_stat",
            "console",
            "font-family",
            "PingFang",
            // the title's suffix
            "财经频道_",
        ],
    );
}

#[test]
fn entities_are_decoded() {
    let doc = read(&fixture("news.html"));
    // &nbsp; is a space, &#x4e2d; is 中, &amp; is &.
    assert_present(&doc, &["9:00 - 21:00", "去市中心", "“读书&生活”"]);
    assert_absent(&doc, &["&nbsp;", "&#x", "&amp;", "\u{a0}"]);
    let doc = read_str(
        "<html><head><title>实体&amp;字符</title></head><body><article>\
         <p>&#20013;&#x6587;&lt;标签&gt;&quot;引号&quot;&copy;2024&nbsp;年，这一段文字足够长，\
         用来确认实体在正文里都被解码成了字符，而不是原样留下。再加一句话让它更像正文。</p>\
         </article></body></html>",
    );
    assert_eq!(doc.title(), Some("实体&字符"));
    assert_present(&doc, &["中文<标签>\"引号\"©2024 年"]);
}

// ---------------------------------------------------------------------------------------------
// WeChat

#[test]
fn wechat_article_takes_its_content_and_account() {
    let doc = read(&fixture("wechat.html"));
    assert_eq!(doc.title(), Some("一座小城的夜市，为什么能火三年"));
    assert_eq!(doc.info().author.as_deref(), Some("周末观察员"));
    assert_eq!(doc.info().date.as_deref(), Some("2024-05-01 08:30"));
    assert_eq!(
        meta_lines(&doc),
        [
            "作者：周末观察员",
            "来源：小城经济笔记",
            "时间：2024-05-01 08:30"
        ]
    );
    assert_present(
        &doc,
        &[
            "编者按：夜市常见",
            "晚上七点，河堤边的停车场",
            "一、三条规矩",
            "摊位每半年抽签轮换一次",
            "便宜、新鲜、能聊几句",
            "[图: 傍晚时分，夜市的摊位陆续亮起灯]",
            "（文中人物均为化名）",
        ],
    );
    assert_absent(
        &doc,
        &[
            "阅读 2.3万",
            "在看",
            "分享",
            "留言",
            "河边散步的人",
            "微信扫一扫",
            "关注该公众号",
            "#小城故事",
            "msg_title",
            "上报",
            "浙江",
            "原创",
            "微信公众平台",
        ],
    );
    assert_eq!(
        doc.text().matches("一座小城的夜市，为什么能火三年").count(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Character sets

#[test]
fn gbk_page_decodes_by_its_meta_charset() {
    let bytes = gbk_page();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is GBK, not UTF-8"
    );
    let read = read_with(&bytes, None);
    assert_eq!(read.encoding, GBK);
    let doc = read.doc;
    // `——滨江日报` is cut where the <h1> agrees.
    assert_eq!(doc.title(), Some("春耕时节走访田间"));
    assert_eq!(doc.info().author.as_deref(), Some("何春雨"));
    assert_present(&doc, &["种粮大户吴长青", "无人机播撒肥料", "防止秧苗烂根"]);
    assert_absent(&doc, &["\u{fffd}", "版权所有"]);
}

#[test]
fn gb2312_and_big5_labels_decode() {
    let body = "<p>这是一段用来检验字符集声明的正文，里面有足够多的汉字，\
                让提取正文的算法把它当成文章。第二句话继续说明情况，第三句话收尾。</p>";
    let page = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
         <title>字符集</title></head><body><article>{body}{body}</article></body></html>"
    );
    // A character outside GB2312 (and GBK): GB2312 labels still decode as GB18030.
    let page = page.replace("字符集声明", "字符集声明𠀀");
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&page);
    assert!(!unmappable);
    let doc = read(&bytes);
    assert_present(&doc, &["字符集声明𠀀的正文"]);

    let traditional = "<html><head><meta charset=big5><title>繁體</title></head><body><article>\
        <p>這是一段繁體中文的正文，用來確認網頁宣告的字元集會被採用，內容足夠長，\
        可以被當成一篇文章來讀。再補充一句話，讓段落更完整一些。</p></article></body></html>";
    let (bytes, _, unmappable) = BIG5.encode(traditional);
    assert!(!unmappable);
    let read = read_with(&bytes, None);
    assert_eq!(read.encoding, BIG5);
    assert_present(&read.doc, &["這是一段繁體中文的正文"]);
}

#[test]
fn forced_encoding_and_bom_win_over_the_meta() {
    // Declared GBK, really Big5: the user's --encoding wins.
    let page = "<html><head><meta charset=gbk></head><body><p>臺灣的資料，這一段是正文。</p></body></html>";
    let (bytes, _, _) = BIG5.encode(page);
    let read = read_with(&bytes, Some(BIG5));
    assert_eq!(read.encoding, BIG5);
    assert_present(&read.doc, &["臺灣的資料"]);
    // A UTF-8 BOM beats a GBK declaration.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        "<html><head><meta charset=gbk></head><body><p>中文正文。</p></body></html>".as_bytes(),
    );
    let read = read_with(&bytes, None);
    assert_eq!(read.encoding, encoding_rs::UTF_8);
    assert_present(&read.doc, &["中文正文"]);
}

#[test]
fn undeclared_gbk_is_detected() {
    let page = "<html><head><title>无声明</title></head><body><article><p>没有声明字符集的网页，\
                只能靠检测来判断编码。这段文字足够长，检测器应该能认出它是简体中文的编码，\
                而不是别的什么东西。</p></article></body></html>";
    let (bytes, _, _) = GBK.encode(page);
    let read = read_with(&bytes, None);
    assert!(read.encoding == GBK || read.encoding == encoding_rs::GB18030);
    assert_present(&read.doc, &["没有声明字符集的网页"]);
}

// ---------------------------------------------------------------------------------------------
// No article

#[test]
fn a_page_without_an_article_shows_its_text_with_a_note() {
    let doc = read(&fixture("noarticle.html"));
    assert_eq!(doc.info().note.as_deref(), Some(NOTE));
    assert_present(
        &doc,
        &[
            "今日要闻",
            "滨江市社区书屋将覆盖全部街道",
            "小微企业贷款利率继续下降",
            "公交查询",
        ],
    );
    assert_absent(
        &doc,
        &[
            "登录",
            "体育",
            "热门排行",
            "家装节",
            "Copyright",
            "ICP",
            "首页脚本",
            "document.write",
        ],
    );
}

#[test]
fn tiny_and_empty_pages() {
    for html in [
        "",
        "<html></html>",
        "<p>短</p>",
        "<html><body><nav>菜单</nav></body></html>",
    ] {
        let doc = read_str(html);
        assert!(!doc.text().contains('<'), "{html:?}: {}", doc.dump());
    }
    let doc = read_str("<title>只有标题</title>");
    assert_eq!(doc.title(), Some("只有标题"));
}

// ---------------------------------------------------------------------------------------------
// Articles in other shapes

#[test]
fn the_info_line_inside_the_article_becomes_meta_lines() {
    let doc = read_str(
        "<html><head><meta charset=utf-8><title>老街改造完成，居民回迁 - 江岸网</title></head><body>\
         <div class='nav'><a href='/'>首页</a><a href='/a'>新闻</a></div>\
         <div class='main'><article><h1>老街改造完成，居民回迁</h1>\
         <div class='info'>2024-06-12 09:30 来源：江岸网 作者：林晓</div>\
         <div class='share'><a href='#'>微博</a><a href='#'>微信</a></div>\
         <p>经过一年半的施工，城南老街的改造工程日前完工，首批八十六户居民已经搬回原址。\
         改造保留了老街原有的石板路和骑楼，同时对地下管网进行了全面更换。</p>\
         <p>住在老街二十多年的张阿姨说，以前一下雨街上就积水，现在排水通畅了，“住得舒服多了”。</p>\
         <p class='editor'>责任编辑：王敏</p></article>\
         <div class='related'><h3>相关阅读</h3><ul><li><a href='/1'>城北老街也将启动改造</a></li></ul></div>\
         </div><div class='footer'>Copyright 江岸网</div></body></html>",
    );
    assert_eq!(doc.title(), Some("老街改造完成，居民回迁"));
    assert_eq!(
        meta_lines(&doc),
        ["作者：林晓", "来源：江岸网", "时间：2024-06-12 09:30"]
    );
    // Said once, in the meta lines.
    assert_eq!(doc.text().matches("09:30").count(), 1, "{}", doc.dump());
    assert_present(&doc, &["经过一年半的施工", "住得舒服多了"]);
    assert_absent(&doc, &["首页", "微博", "Copyright"]);
}

#[test]
fn a_long_comment_thread_does_not_win_over_a_short_article() {
    let comments: String = (0..30)
        .map(|i| {
            format!(
                "<div class='reply'><span>网友{i}</span><p>这是第{i}条留言，说了一些看法，内容比较长，\
                 有好几句话。我觉得这件事情值得讨论，大家怎么看？</p></div>"
            )
        })
        .collect();
    let sidebar: String = (0..40)
        .map(|i| format!("<li><a href='/n/{i}'>侧栏新闻标题第{i}条，内容是一些无关的东西</a></li>"))
        .collect();
    let doc = read_str(&format!(
        "<html><head><meta charset=utf-8><title>市民公园周末开放夜场_江岸网</title></head><body>\
         <div class='wrap'><div class='left'><div class='art'><h1>市民公园周末开放夜场</h1>\
         <div class='txt'><p>记者从市园林局获悉，从本周六起，市民公园将在周末开放夜场，\
         开放时间延长到晚上十点。</p><p>园林局表示，夜场期间将增派安保和保洁人员，\
         游客请注意安全，文明游园。</p></div></div>\
         <div class='reply-list'>{comments}</div></div>\
         <div class='right'><ul>{sidebar}</ul></div></div></body></html>"
    ));
    assert_eq!(doc.title(), Some("市民公园周末开放夜场"));
    assert_eq!(doc.info().note, None);
    assert_present(&doc, &["从本周六起", "文明游园"]);
    assert_absent(&doc, &["留言", "网友", "侧栏新闻"]);
}

#[test]
fn an_old_table_layout_page_in_gb2312() {
    let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
        <title>滨江县召开春季农业生产会议--滨江县人民政府</title></head><body>\
        <table width=960><tr><td><img src=banner.jpg alt=滨江县人民政府></td></tr>\
        <tr><td class=menu><a href=/>首页</a> | <a href=/zw>政务公开</a></td></tr></table>\
        <table width=960><tr><td width=200><table><tr><td>通知公告</td></tr>\
        <tr><td><a href=/1>关于开展防汛演练的通知</a></td></tr></table></td>\
        <td width=760><table><tr><td align=center><b>滨江县召开春季农业生产会议</b></td></tr>\
        <tr><td align=center>发布时间：2024-03-15　来源：县农业农村局</td></tr>\
        <tr><td><p>　　3月14日，滨江县召开春季农业生产工作会议，总结去年农业生产情况，\
        部署今年春耕备耕工作。</p><p>　　会议指出，去年全县粮食播种面积稳定在四十五万亩，\
        总产量再创新高。今年要继续稳定面积、提高单产，确保不误农时。</p></td></tr></table>\
        </td></tr></table><table><tr><td>版权所有：滨江县人民政府　滨ICP备00000001号</td></tr></table>\
        </body></html>";
    let (bytes, _, unmappable) = GBK.encode(page);
    assert!(!unmappable);
    let doc = read(&bytes);
    assert_eq!(doc.title(), Some("滨江县召开春季农业生产会议"));
    assert_eq!(meta_lines(&doc), ["来源：县农业农村局", "时间：2024-03-15"]);
    assert_present(&doc, &["3月14日，滨江县召开", "确保不误农时"]);
    assert_absent(&doc, &["政务公开", "防汛演练", "ICP", "发布时间"]);
}

// ---------------------------------------------------------------------------------------------
// Titles

#[test]
fn title_suffixes_are_removed() {
    let body = "<body><div><p>这是正文的第一段，内容足够长，可以被认作文章的一部分。这是第二句话，\
                继续补充内容，让段落显得更加完整。</p><p>第二段同样有足够的文字，\
                用来让正文提取顺利完成，不至于退回到整页文字。</p></div></body>";
    let cases = [
        (
            "<title>某市出台新规_社会频道_某某网</title>",
            "某市出台新规",
        ),
        ("<title>某市出台新规 - 某某网</title>", "某市出台新规"),
        (
            "<title>A new rule in town | Site</title>",
            "A new rule in town",
        ),
        ("<title>某市出台新规——新华网</title>", "某市出台新规"),
        ("<title>某市出台新规｜某某新闻</title>", "某市出台新规"),
        (
            "<title>京沪高铁 - 北京段提速 - 某某网</title><h1>京沪高铁 - 北京段提速</h1>",
            "京沪高铁 - 北京段提速",
        ),
        (
            "<title>守护绿水青山——记一位护林员——某某网</title>",
            "守护绿水青山——记一位护林员",
        ),
        (
            "<title>标题不同_某某网</title><meta property=\"og:title\" content=\"社交平台上的标题\">",
            "社交平台上的标题",
        ),
    ];
    for (head, want) in cases {
        let doc = read_str(&format!("<html><head>{head}</head>{body}</html>"));
        assert_eq!(doc.title(), Some(want), "{head}");
    }
}

#[test]
fn json_ld_gives_author_date_and_publisher() {
    let doc = read_str(
        r#"<html><head><title>数据里的标题 - 某某网</title>
        <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
        "headline":"数据里的标题","author":{"@type":"Person","name":"赵一"},
        "datePublished":"2024-03-08T09:15:00+08:00","publisher":{"@type":"Organization","name":"某某网"}}
        </script></head><body><article><p>这是正文的第一段，内容足够长，可以被认作文章的一部分。
        这是第二句话，继续补充内容，让段落显得更加完整。</p><p>第二段同样有足够的文字，
        用来让正文提取顺利完成，不至于退回到整页文字。</p></article></body></html>"#,
    );
    assert_eq!(doc.title(), Some("数据里的标题"));
    assert_eq!(doc.info().author.as_deref(), Some("赵一"));
    assert_eq!(doc.info().date.as_deref(), Some("2024-03-08 09:15"));
    assert_eq!(
        meta_lines(&doc),
        ["作者：赵一", "来源：某某网", "时间：2024-03-08 09:15"]
    );
    assert_absent(&doc, &["@context", "NewsArticle"]);
}

// ---------------------------------------------------------------------------------------------
// Hostile pages

#[test]
fn script_with_closing_tags_in_strings() {
    let doc = read_str(
        "<html><body><script>var s = '</p><p>假段落</p>'; if (a < b) { x = \"</div>\"; }</script>\
         <p>真正的正文在这里，它足够长，可以被当作文章读出来。后面还有一句话，让它更完整。</p>\
         <script>document.write('</body></html><p>又一个假段落</p>')</script></body></html>",
    );
    assert_present(&doc, &["真正的正文在这里"]);
    assert_absent(&doc, &["假段落", "document", "var s"]);
}

#[test]
fn escape_characters_and_javascript_links() {
    let doc = read_str(
        "<html><head><title>标题\u{1b}[31m红色</title></head><body><article>\
         <p>正文里有转义\u{1b}[2J字符和<a href='javascript:alert(1)'>脚本链接</a>，\
         还有<a href=' JavaScript:void(0)'>另一个</a>与<a href='https://example.com/'>正常链接</a>。\
         这句话让段落更长一些，像一篇文章。</p></article></body></html>",
    );
    assert!(!doc.text().contains('\u{1b}'), "{}", doc.dump());
    assert!(doc.title().is_some_and(|t| !t.contains('\u{1b}')));
    assert_eq!(doc.links(), ["https://example.com/"]);
    assert_present(&doc, &["脚本链接", "另一个"]);
}

#[test]
fn deeply_nested_page_does_not_panic() {
    let depth = 100_000;
    let html = format!(
        "<html><head><title>深层嵌套</title></head><body>{}<h1>深层嵌套</h1><p>最深处的正文。</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let doc = read_str(&html);
    assert_present(&doc, &["最深处的正文"]);
    let html = format!(
        "<p>{}格式{}</p>",
        "<b><i>".repeat(5_000),
        "</i></b>".repeat(5_000)
    );
    let doc = read_str(&html);
    assert_present(&doc, &["格式"]);
}

#[test]
fn huge_page_does_not_panic() {
    let paragraph = "<div class='item'><p>这是一条很普通的段落，重复很多次，用来测试很大的网页。</p>\
                     <a href='/x'>链接</a></div>";
    let html = format!(
        "<html><head><title>很大的网页</title></head><body>{}</body></html>",
        paragraph.repeat(40_000)
    );
    let doc = read_str(&html);
    assert_eq!(doc.title(), Some("很大的网页"));
    assert!(doc.paragraph_count() > 1_000);
}

#[test]
fn broken_markup_does_not_panic() {
    for html in [
        "<html><body><p>未闭合<b>粗体<i>斜体</p><table><tr><td>单元格<p>段落</table></li></ul>",
        "<<<>>><p <p>>文字</p></p></p>",
        "<meta charset=\"gbk\"><meta charset=\"\"><meta charset=",
        "<html><body>\u{0}空字符\u{0}</body></html>",
        "<table><tr><td><table><tr><td><table><tr><td>嵌套表格</td></tr></table></td></tr></table></td></tr></table>",
    ] {
        let _ = formats::read(html.as_bytes(), InputFormat::Html, None);
    }
}

// ---------------------------------------------------------------------------------------------
// The real binary

impl Sandbox {
    /// `pizhu <args> --config C --data-dir D`; stdout of a successful, quiet run.
    #[track_caller]
    fn run(&self, args: &[&str]) -> String {
        let out = self.output(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "pizhu {args:?} failed: {err}");
        assert_eq!(err, "", "unexpected stderr");
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }
}

#[track_caller]
fn assert_no_markup(out: &str, what: &str) {
    for markup in [
        "<p", "<div", "<span", "<script", "&nbsp;", "&#", "&amp;", "</", "\u{1b}",
    ] {
        assert!(
            !out.contains(markup),
            "{what}: {markup:?} in output:\n{out}"
        );
    }
}

#[test]
fn cat_prints_every_fixture_without_markup() {
    let sb = Sandbox::new();
    let fixtures = [
        (
            "news.html",
            "滨江市社区书屋将覆盖全部街道",
            "步行十五分钟可达",
        ),
        (
            "wechat.html",
            "一座小城的夜市，为什么能火三年",
            "一直干下去",
        ),
        ("gbk.html", "春耕时节走访田间", "防止秧苗烂根"),
        ("noarticle.html", "江岸网", "公交查询"),
    ];
    for (name, title, text) in fixtures {
        let path = fixture_path(name);
        let path = path.to_str().expect("UTF-8 path");
        for width in ["40", "80"] {
            let out = sb.run(&["cat", "-w", width, path]);
            assert_no_markup(&out, &format!("{name} at {width}"));
            let joined: String = out.split_whitespace().collect();
            let title: String = title.split_whitespace().collect();
            assert!(
                joined.contains(&title),
                "{name} at {width}: no title in\n{out}"
            );
            assert!(
                joined.contains(text),
                "{name} at {width}: no {text:?} in\n{out}"
            );
            if width == "80" {
                assert!(
                    out.lines().next().is_some_and(|l| l.contains(&title)),
                    "{name}: {out}"
                );
            }
        }
    }
}

#[test]
fn input_format_html_reads_a_txt_copy() {
    let sb = Sandbox::new();
    // From `<body>` on, the copy has no sign of HTML at its start: by its `.txt` name it is
    // plain text, markup and all, until --input-format says it is HTML.
    let html = String::from_utf8(fixture("news.html")).unwrap();
    let body = &html[html.find("<body>").expect("a body")..];
    let copy = sb.file("page.txt", body.as_bytes());
    let copy = copy.to_str().expect("UTF-8 path");
    let as_text = sb.run(&["cat", "-w", "60", copy]);
    assert!(as_text.contains("<p>"), "{as_text}");
    for args in [
        &["--input-format", "html", "cat", "-w", "60", copy][..],
        &["cat", "-w", "60", copy, "--input-format", "html"][..],
    ] {
        let out = sb.run(args);
        assert_no_markup(&out, "page.txt as html");
        assert!(out.starts_with("滨江市社区书屋将覆盖全部街道\n"), "{out}");
        let joined: String = out.split_whitespace().collect();
        assert!(joined.contains("步行十五分钟可达"), "{out}");
        assert!(!out.contains("热门排行"));
    }
}
