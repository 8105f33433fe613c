//! The `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` value grammar (spec §2), checked strictly.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The value types sops writes in `type:` (§3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncType {
    /// `str`.
    Str,
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `bool`.
    Bool,
    /// `time`.
    Time,
    /// `comment`.
    Comment,
    /// `bytes` (legacy Python sops; decrypt-only).
    Bytes,
}

impl EncType {
    /// Parse the `type:` field.
    pub fn parse(s: &str) -> Option<EncType> {
        Some(match s {
            "str" => EncType::Str,
            "int" => EncType::Int,
            "float" => EncType::Float,
            "bool" => EncType::Bool,
            "time" => EncType::Time,
            "comment" => EncType::Comment,
            "bytes" => EncType::Bytes,
            _ => return None,
        })
    }

    /// The `type:` text.
    pub fn as_str(self) -> &'static str {
        match self {
            EncType::Str => "str",
            EncType::Int => "int",
            EncType::Float => "float",
            EncType::Bool => "bool",
            EncType::Time => "time",
            EncType::Comment => "comment",
            EncType::Bytes => "bytes",
        }
    }
}

/// A well-formed encrypted value, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncValue {
    /// The ciphertext without the tag (as long as the plaintext).
    pub data: Vec<u8>,
    /// The GCM nonce (sops writes 32 bytes).
    pub iv: Vec<u8>,
    /// The 16-byte GCM tag.
    pub tag: Vec<u8>,
    /// The plaintext type.
    pub kind: EncType,
}

/// The prefix of every encrypted value.
pub const PREFIX: &str = "ENC[AES256_GCM,";

/// Whether a string looks like an attempt at an encrypted value (starts with `ENC[`).
pub fn looks_encrypted(s: &[u8]) -> bool {
    s.starts_with(b"ENC[")
}

/// Why a string is not a well-formed encrypted value; the message says what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncError(pub String);

impl std::fmt::Display for EncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parse and decode an `ENC[...]` value strictly: the fixed field order, standard padded base64, a
/// non-empty `data`, a 32-byte `iv` (12 accepted, as sops does), a 16-byte `tag`, a known `type`, and
/// nothing after the closing `]`.
pub fn parse(s: &str) -> Result<EncValue, EncError> {
    let err = |m: &str| Err(EncError(m.to_string()));
    let Some(rest) = s.strip_prefix("ENC[") else {
        return err("not an ENC[...] value");
    };
    let Some(rest) = rest.strip_prefix("AES256_GCM,") else {
        return err("unknown cipher: sops only writes ENC[AES256_GCM,...]");
    };
    let Some(body) = rest.strip_suffix(']') else {
        return if rest.contains(']') {
            err("unexpected text after the closing `]`")
        } else {
            err("truncated: no closing `]`")
        };
    };
    let mut fields = body.split(',');
    let mut next = |name: &str| -> Result<&str, EncError> {
        match fields
            .next()
            .and_then(|f| f.strip_prefix(name))
            .and_then(|f| f.strip_prefix(':'))
        {
            Some(v) if !v.is_empty() => Ok(v),
            Some(_) => Err(EncError(format!("empty `{name}` field"))),
            None => Err(EncError(format!(
                "missing `{name}:` field (sops writes data, iv, tag, type in that order)"
            ))),
        }
    };
    let data = next("data")?;
    let iv = next("iv")?;
    let tag = next("tag")?;
    let kind = next("type")?;
    if fields.next().is_some() {
        return err("unexpected field after `type`");
    }
    let b64 = |name: &str, v: &str| {
        STANDARD
            .decode(v)
            .map_err(|e| EncError(format!("`{name}` is not valid base64: {e}")))
    };
    let data = b64("data", data)?;
    let iv = b64("iv", iv)?;
    let tag = b64("tag", tag)?;
    if iv.len() != 32 && iv.len() != 12 {
        return Err(EncError(format!(
            "`iv` is {} bytes; sops writes 32",
            iv.len()
        )));
    }
    if tag.len() != 16 {
        return Err(EncError(format!(
            "`tag` is {} bytes; it must be 16",
            tag.len()
        )));
    }
    let Some(kind) = EncType::parse(kind) else {
        return Err(EncError(format!(
            "unknown type `{}` (sops knows str, int, float, bool, time, comment, bytes)",
            crate::report::sanitize(kind)
        )));
    };
    Ok(EncValue {
        data,
        iv,
        tag,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KAT: &str = "ENC[AES256_GCM,data:oYyi,iv:MyIDYbT718JRr11QtBkcj3Dwm4k1aCGZBVeZf0EyV8o=,tag:t5z2Z023Up0kxwCgw1gNxg==,type:str]";

    #[test]
    fn parses_the_sops_known_answer_vector() {
        let v = parse(KAT).unwrap();
        assert_eq!(v.data.len(), 3);
        assert_eq!(v.iv.len(), 32);
        assert_eq!(v.tag.len(), 16);
        assert_eq!(v.kind, EncType::Str);
    }

    #[test]
    fn rejects_each_broken_form() {
        let cases = [
            (KAT.replace("type:str", "type:blob"), "unknown type"),
            (
                KAT.replace("tag:t5z2Z023Up0kxwCgw1gNxg==", "tag:t5z2"),
                "`tag`",
            ),
            (KAT.replace("oYyi", "oY*i"), "`data` is not valid base64"),
            (KAT.trim_end_matches(']').to_string(), "truncated"),
            (format!("{KAT}x"), "after the closing"),
            (KAT.replace("AES256_GCM", "AES128_GCM"), "unknown cipher"),
            (KAT.replace(",iv:", ",nonce:"), "missing `iv:`"),
            (KAT.replace("data:oYyi", "data:"), "empty `data`"),
        ];
        for (input, want) in cases {
            let e = parse(&input).unwrap_err();
            assert!(e.0.contains(want), "{input}: {e}");
        }
    }
}
