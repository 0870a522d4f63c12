//! Saved web pages to a [`Document`].

use encoding_rs::Encoding;

use super::{FormatError, Read, dom};
use crate::document::Builder;
use crate::text;

/// Interim reader: the whole page's visible text, through the element mapping.
pub fn read(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Read, FormatError> {
    let decoded = text::decode(bytes, forced)?;
    let page = dom_query::Document::from(decoded.text.as_str());
    let mut b = Builder::new("html");
    dom::append(page.root(), &mut b, None);
    Ok(Read {
        doc: b.finish(),
        encoding: decoded.encoding,
    })
}
