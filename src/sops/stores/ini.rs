//! The ini store.

use crate::sops::{Entry, SopsError};

/// Parse a ini file into its top-level entries (metadata included, as stored).
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, SopsError> {
    let _ = bytes;
    Err(SopsError::Malformed {
        message: "the ini store is being written".to_string(),
        pos: None,
    })
}
