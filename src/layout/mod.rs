//! Line layout for Chinese text: UAX #14 breaks, the clreq prohibitions, grapheme widths.
//! See LAYOUT-RULES.md; every rule there is tested here or in tests/layout_props.rs.

pub mod breaks;
pub mod width;
pub mod wrap;

pub use width::{AmbiguousWidth, str_width, truncate};
pub use wrap::{Row, WrapOptions, wrap, wrap_into};
pub mod doc;
pub use doc::{DocLayout, LayoutParams, Pos, Visual};
