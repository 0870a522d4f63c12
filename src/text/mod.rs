//! Getting text in: decoding unlabeled bytes and making the result safe for a terminal.

pub mod decode;
pub mod sanitize;

pub use decode::{DecodeError, Decoded, decode, decode_owned, encoding_for_label};
pub use sanitize::{OffsetMap, sanitize, sanitize_line};
