//! The binary store (spec §8.2, §9.5): anything sops does not recognise by extension.
//!
//! On disk an encrypted binary file is the JSON envelope `{"data": "ENC[…]", "sops": {…}}`; the whole
//! original file is the single string under `data` (AAD `data:`). sops reads the envelope with its
//! JSON store, so this is [`super::json::parse`]: the entries are returned exactly as stored (a `data`
//! pair, a `sops` pair, and whatever else the envelope holds, for the caller to judge).

use crate::sops::{Entry, SopsError};

/// Parse an encrypted binary file (its JSON envelope) into its top-level entries.
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, SopsError> {
    super::json::parse(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sops::{Leaf, Node, Scalar};

    #[test]
    fn envelope_entries() {
        let e = match parse(
            b"{\n\t\"data\": \"ENC[x]\",\n\t\"sops\": {\"version\": \"3.11.0\"}\n}\n",
        ) {
            Ok(e) => e,
            Err(e) => panic!("{e:?}"),
        };
        let keys: Vec<_> = e
            .iter()
            .filter_map(|x| match x {
                Entry::Pair { key, .. } => Some(key.as_str()),
                Entry::Comment(_) => None,
            })
            .collect();
        assert_eq!(keys, ["data", "sops"]);
        assert!(matches!(
            &e[0],
            Entry::Pair { value: Node::Leaf(Leaf { value: Scalar::Str(v), .. }), .. } if v == b"ENC[x]"
        ));
    }

    #[test]
    fn clear_binary_is_malformed() {
        // A file that was never encrypted is raw bytes, not an envelope.
        assert!(matches!(
            parse(b"\x00\x01binary\xff"),
            Err(SopsError::Malformed { .. })
        ));
        assert!(matches!(
            parse(b"plain text\n"),
            Err(SopsError::Malformed { .. })
        ));
    }
}
