//! What an entity is.

use serde::{Deserialize, Serialize};

/// The kinds of DESIGN.md §3, in the order the panel and `entities --json` list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Company,
    Product,
    Person,
    Organization,
    Media,
    Place,
    Work,
    Money,
    Date,
    Number,
}

impl EntityKind {
    pub const ALL: [EntityKind; 10] = [
        Self::Company,
        Self::Product,
        Self::Person,
        Self::Organization,
        Self::Media,
        Self::Place,
        Self::Work,
        Self::Money,
        Self::Date,
        Self::Number,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Company => "company",
            Self::Product => "product",
            Self::Person => "person",
            Self::Organization => "organization",
            Self::Media => "media",
            Self::Place => "place",
            Self::Work => "work",
            Self::Money => "money",
            Self::Date => "date",
            Self::Number => "number",
        }
    }

    /// The panel's group heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Company => "公司 Companies",
            Self::Product => "产品 Products",
            Self::Person => "人物 People",
            Self::Organization => "机构 Organizations",
            Self::Media => "媒体 Media",
            Self::Place => "地点 Places",
            Self::Work => "作品 Works",
            Self::Money => "金额 Money",
            Self::Date => "日期 Dates",
            Self::Number => "数字 Numbers",
        }
    }

    /// Names of things, as opposed to amounts, dates and counts.
    pub fn is_named(self) -> bool {
        !matches!(self, Self::Money | Self::Date | Self::Number)
    }
}
