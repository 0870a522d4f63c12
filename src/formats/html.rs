//! Saved web pages to a [`Document`].

use encoding_rs::Encoding;

use super::{FormatError, Read};
use crate::document::Document;
use crate::text;

/// Placeholder until the reader lands: the decoded page as plain text.
pub fn read(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Read, FormatError> {
    let decoded = text::decode(bytes, forced)?;
    Ok(Read {
        doc: Document::from_string(decoded.text),
        encoding: decoded.encoding,
    })
}
