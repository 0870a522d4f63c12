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
    Accept {
        name: String,
    },
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
                    if word.is_empty() {
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
                let i = find(entities, name)?;
                entities[i].tier = Tier::Known;
                entities[i].reason = None;
                Some(name.clone())
            }
        }
    }
}

/// Moves `from`'s mentions into `into` and removes `from`.
fn merge(entities: &mut Vec<Entity>, from: usize, into: usize) {
    let moved = std::mem::take(&mut entities[from].mentions);
    let target = &mut entities[into];
    target.mentions.extend(moved);
    target.mentions.sort();
    target.mentions.dedup();
    if target.tier == Tier::Possible {
        target.tier = Tier::Known;
        target.reason = None;
    }
    entities.remove(from);
}

/// Replays a whole log over a fresh extraction and sorts the result.
pub fn replay(
    log: &[Correction],
    entities: &mut Vec<Entity>,
    rejected: &mut HashSet<String>,
    text: &str,
) {
    for c in log {
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
