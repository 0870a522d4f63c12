//! The user's corrections to the entity list, as a log that is saved with the document and
//! replayed over every fresh extraction.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Entity, EntityKind, Mention, Tier};

/// One correction, by entity name (indices change with every extraction).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// `surface` (the text as written) is the entity `name` of `kind`.
    Add {
        name: String,
        kind: EntityKind,
        surface: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Merge {
        from: String,
        into: String,
    },
    Kind {
        name: String,
        kind: EntityKind,
    },
    Reject {
        name: String,
    },
    /// Accepts a possible entity; on a rejected one, restores it.
    Accept {
        name: String,
    },
    /// Takes back the latest earlier `.0` that is still in effect (`u`). The log only grows,
    /// so that merging two instances' saves cannot bring back what was undone.
    Undo(Box<Correction>),
}

impl Correction {
    /// Carries the correction out on `entities` (and the `rejected` names) of `text`.
    /// Returns the name the user will want to see afterwards, if any. Corrections whose
    /// entity no longer exists (the article changed) do nothing.
    pub fn apply(
        &self,
        entities: &mut Vec<Entity>,
        rejected: &mut HashSet<String>,
        text: &str,
    ) -> Option<String> {
        let find = |entities: &[Entity], name: &str| entities.iter().position(|e| e.name == name);
        match self {
            Self::Add {
                name,
                kind,
                surface,
            } => {
                let mut mentions: Vec<Mention> = Vec::new();
                for word in [surface.as_str(), name.as_str()] {
                    // An old log may hold a surface that matches everywhere (。).
                    if refusal(word).is_some() {
                        continue;
                    }
                    mentions.extend(
                        memchr::memmem::find_iter(text.as_bytes(), word.as_bytes()).map(|at| {
                            Mention {
                                start: at,
                                end: at + word.len(),
                            }
                        }),
                    );
                }
                mentions.sort();
                mentions.dedup_by(|b, a| b.start < a.end);
                rejected.remove(name);
                match find(entities, name) {
                    Some(i) => {
                        let e = &mut entities[i];
                        e.mentions.extend(mentions);
                        e.mentions.sort();
                        e.mentions.dedup_by(|b, a| b.start < a.end);
                        e.kind = *kind;
                        e.tier = Tier::Known;
                        e.reason = None;
                    }
                    None => entities.push(Entity {
                        name: name.clone(),
                        kind: *kind,
                        tier: Tier::Known,
                        reason: None,
                        owner: None,
                        mentions,
                    }),
                }
                Some(name.clone())
            }
            Self::Rename { from, to } => {
                let i = find(entities, from)?;
                entities[i].name = to.clone();
                // Renaming onto an existing name is a merge.
                if let Some(j) = (0..entities.len()).find(|&j| j != i && entities[j].name == *to) {
                    merge(entities, i, j);
                }
                Some(to.clone())
            }
            Self::Merge { from, into } => {
                let (i, j) = (find(entities, from)?, find(entities, into)?);
                if i != j {
                    merge(entities, i, j);
                }
                Some(into.clone())
            }
            Self::Kind { name, kind } => {
                let i = find(entities, name)?;
                entities[i].kind = *kind;
                Some(name.clone())
            }
            Self::Reject { name } => {
                rejected.insert(name.clone());
                None
            }
            Self::Accept { name } => {
                rejected.remove(name);
                let i = find(entities, name)?;
                entities[i].tier = Tier::Known;
                entities[i].reason = None;
                Some(name.clone())
            }
            // Only a whole log can take a correction back: see [`replay`].
            Self::Undo(_) => None,
        }
    }

    /// What the correction did, for messages: `小红书 renamed to RedNote`.
    pub fn describe(&self) -> String {
        match self {
            Self::Add { name, kind, .. } => format!("{name} added as {}", kind.as_str()),
            Self::Rename { from, to } => format!("{from} renamed to {to}"),
            Self::Merge { from, into } => format!("{from} merged into {into}"),
            Self::Kind { name, kind } => format!("{name} made a {}", kind.as_str()),
            Self::Reject { name } => format!("{name} rejected"),
            Self::Accept { name } => format!("{name} accepted"),
            Self::Undo(c) => format!("undo of {}", c.describe()),
        }
    }
}

/// Why `surface` cannot be what an entity is matched by, if it cannot: it would match every
/// full stop, space or 的 of the article.
pub fn refusal(surface: &str) -> Option<String> {
    if surface.trim().is_empty() {
        return Some("Not an entity: only spaces".into());
    }
    if !surface.chars().any(char::is_alphanumeric) {
        return Some(format!("Not an entity: {surface} is punctuation"));
    }
    let mut chars = surface.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && (c.is_ascii_alphanumeric() || COMMON.contains(c))
    {
        return Some(format!(
            "Not an entity: {c} is a common character, found all over the text"
        ));
    }
    None
}

/// The most frequent characters of written Chinese: alone, none of them names anything.
const COMMON: &str = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于\
    着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理\
    心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最\
    重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海\
    通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目\
    太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达\
    光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让\
    识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单\
    影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消\
    越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另\
    周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章\
    音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父\
    苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承\
    印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模\
    充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征\
    修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草\
    脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临\
    亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短\
    掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输\
    摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋\
    宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙\
    歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄\
    迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅\
    振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪汇币丰\
    蓝殊献桌啦瓦莱援译夺汽烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉";

/// Moves `from`'s mentions into `into` and removes `from`.
fn merge(entities: &mut Vec<Entity>, from: usize, into: usize) {
    let moved = std::mem::take(&mut entities[from].mentions);
    let target = &mut entities[into];
    target.mentions.extend(moved);
    target.mentions.sort();
    target.mentions.dedup();
    if target.tier != Tier::Known {
        target.tier = Tier::Known;
        target.reason = None;
    }
    entities.remove(from);
}

/// The corrections of `log` still in effect, in order: each [`Correction::Undo`] takes out
/// the latest earlier equal correction that is still in.
pub fn in_effect(log: &[Correction]) -> Vec<&Correction> {
    let mut out: Vec<&Correction> = Vec::with_capacity(log.len());
    for c in log {
        match c {
            Correction::Undo(undone) => {
                if let Some(i) = out.iter().rposition(|d| *d == &**undone) {
                    out.remove(i);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Replays a whole log (undos included) over a fresh extraction and sorts the result.
pub fn replay(
    log: &[Correction],
    entities: &mut Vec<Entity>,
    rejected: &mut HashSet<String>,
    text: &str,
) {
    for c in in_effect(log) {
        c.apply(entities, rejected, text);
    }
    super::sort(entities);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(name: &str, kind: EntityKind, mentions: &[(usize, usize)]) -> Entity {
        Entity {
            name: name.into(),
            kind,
            tier: Tier::Known,
            reason: None,
            owner: None,
            mentions: mentions
                .iter()
                .map(|&(start, end)| Mention { start, end })
                .collect(),
        }
    }

    #[test]
    fn a_log_replays_over_a_fresh_extraction() {
        let text = "小红书和值接Talk都说，小红书很强。";
        let fresh = || {
            vec![
                entity("小红书", EntityKind::Company, &[(0, 9), (33, 42)]),
                entity("值接Talk", EntityKind::Company, &[(12, 22)]),
            ]
        };
        let log = vec![
            Correction::Kind {
                name: "值接Talk".into(),
                kind: EntityKind::Media,
            },
            Correction::Rename {
                from: "小红书".into(),
                to: "行吟信息".into(),
            },
            Correction::Add {
                name: "强".into(),
                kind: EntityKind::Product,
                surface: "强".into(),
            },
            Correction::Reject { name: "强".into() },
        ];
        let (mut entities, mut rejected) = (fresh(), HashSet::new());
        replay(&log, &mut entities, &mut rejected, text);
        let names: Vec<(&str, EntityKind, usize)> = entities
            .iter()
            .map(|e| (e.name.as_str(), e.kind, e.count()))
            .collect();
        assert!(names.contains(&("行吟信息", EntityKind::Company, 2)));
        assert!(names.contains(&("值接Talk", EntityKind::Media, 1)));
        assert!(rejected.contains("强"));
        // A correction about a name that is gone does nothing.
        let stale = Correction::Merge {
            from: "不存在".into(),
            into: "行吟信息".into(),
        };
        assert_eq!(stale.apply(&mut entities, &mut rejected, text), None);
    }

    #[test]
    fn an_undo_takes_back_the_latest_equal_correction_still_in_effect() {
        let reject = |n: &str| Correction::Reject { name: n.into() };
        let undo = |c: Correction| Correction::Undo(Box::new(c));
        let log = vec![
            reject("甲"),
            reject("乙"),
            undo(reject("甲")),
            reject("甲"),
            undo(reject("甲")),
            undo(reject("丙")),
        ];
        assert_eq!(in_effect(&log), [&reject("乙")]);
        let s = ron::to_string(&log[2]).unwrap();
        assert_eq!(ron::from_str::<Correction>(&s).unwrap(), log[2]);
    }

    #[test]
    fn an_old_add_whose_surface_is_punctuation_matches_only_its_name() {
        let text = "米尔纳说。他走了。米尔纳笑了。";
        let log = vec![Correction::Add {
            name: "米尔纳".into(),
            kind: EntityKind::Person,
            surface: "。".into(),
        }];
        let (mut entities, mut rejected) = (Vec::new(), HashSet::new());
        replay(&log, &mut entities, &mut rejected, text);
        assert_eq!(entities.len(), 1);
        assert_eq!(entities[0].count(), 2);
        for s in ["。", " ", "——", "的", "a"] {
            assert!(refusal(s).is_some(), "{s:?}");
        }
        for s in ["米尔纳", "X光", "抖音", "鹅"] {
            assert_eq!(refusal(s), None, "{s:?}");
        }
    }

    #[test]
    fn the_log_round_trips_through_ron() {
        let c = Correction::Add {
            name: "郑州帮".into(),
            kind: EntityKind::Organization,
            surface: "郑州帮".into(),
        };
        let s = ron::to_string(&c).unwrap();
        assert_eq!(ron::from_str::<Correction>(&s).unwrap(), c);
    }
}
