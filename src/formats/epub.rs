//! EPUB books to a [`Document`].

use super::FormatError;
use crate::document::Document;

/// Placeholder until the reader lands.
pub fn read(_bytes: &[u8]) -> Result<Document, FormatError> {
    Err(FormatError::Book("EPUB is not read yet".to_string()))
}
