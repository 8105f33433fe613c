//! The json store.

use crate::sops::{Entry, SopsError};

/// Parse a json file into its top-level entries (metadata included, as stored).
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, SopsError> {
    let _ = bytes;
    Err(SopsError::Malformed {
        message: "the json store is being written".to_string(),
        pos: None,
    })
}
