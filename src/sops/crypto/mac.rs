//! The sops MAC (spec §6): SHA-512 over the canonical bytes of every non-null scalar in document
//! order, with the `mac_only_encrypted` prefix; and the canonical byte forms (§3.1, §3.2, §6.3).

use std::borrow::Cow;

use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

use crate::sops::enc::EncType;
use crate::sops::tree::Scalar;

/// SHA-256 of the ASCII string `sops`: hashed first when `mac_only_encrypted` is set.
pub const MAC_ONLY_PREFIX: [u8; 32] = [
    0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
    0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
];

/// A MAC being computed.
pub struct Mac {
    hasher: Sha512,
}

impl Mac {
    /// Start a MAC; `mac_only_encrypted` prefixes the SHA-256 of `sops`.
    pub fn new(mac_only_encrypted: bool) -> Mac {
        let mut hasher = Sha512::new();
        if mac_only_encrypted {
            hasher.update(MAC_ONLY_PREFIX);
        }
        Mac { hasher }
    }

    /// Hash one value's canonical bytes (no separator: sops concatenates).
    pub fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
    }

    /// The MAC as sops stores it: 128 upper-case hex characters.
    pub fn finish(self) -> Zeroizing<String> {
        let digest = self.hasher.finalize();
        let mut s = Zeroizing::new(String::with_capacity(128));
        for b in digest.iter() {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
        s
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Go `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent;
/// `+Inf`, `-Inf`, `NaN` for the specials.
pub fn go_float(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v == f64::INFINITY {
        "+Inf".to_string()
    } else if v == f64::NEG_INFINITY {
        "-Inf".to_string()
    } else {
        format!("{v}")
    }
}

/// The bytes a clear-text scalar contributes to the MAC (`ToBytes`, §6.3); `None` for null, which
/// contributes nothing. An unsigned integer beyond `i64` is an error, as in sops.
pub fn clear_bytes(value: &Scalar) -> Result<Option<Cow<'_, [u8]>>, String> {
    Ok(Some(match value {
        Scalar::Null => return Ok(None),
        Scalar::Str(s) => Cow::Borrowed(s.as_slice()),
        Scalar::Int(i) => Cow::Owned(i.to_string().into_bytes()),
        Scalar::Uint(_) => {
            return Err(
                "an integer above 2^63-1 cannot be hashed (sops: `Cannot walk value, unknown type: uint64`)"
                    .to_string(),
            );
        }
        Scalar::Float(f) => Cow::Owned(go_float(*f).into_bytes()),
        Scalar::Bool(true) => Cow::Borrowed(b"True"),
        Scalar::Bool(false) => Cow::Borrowed(b"False"),
        Scalar::Time(t) => Cow::Borrowed(t.as_bytes()),
    }))
}

/// Go `strconv.Atoi`: optional sign, decimal digits, within `i64`.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(s).parse::<i64>().ok()
}

/// Go `strconv.ParseFloat(s, 64)` for decimal input (out-of-range values are errors, as in Go).
fn go_parse_float(s: &str) -> Option<f64> {
    let v: f64 = s.parse().ok()?;
    if v.is_infinite() {
        let lower = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
        if lower != "inf" && lower != "infinity" {
            return None;
        }
    }
    Some(v)
}

/// Go `strconv.ParseBool`.
fn go_parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Why a decrypted value does not convert to its `type:` (sops fails to decrypt the file then). Never
/// holds the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadPlaintext(pub EncType);

/// Convert a decrypted plaintext by its type (§3.2) and return the bytes the MAC hashes (§6.3):
/// `int` re-printed in decimal, `float` in Go's shortest form, `bool` as `True`/`False`, `time` as
/// RFC 3339 nano; strings, bytes and comments unchanged. The result is wiped when dropped.
pub fn decrypted_bytes(
    kind: EncType,
    plain: Zeroizing<Vec<u8>>,
) -> Result<Zeroizing<Vec<u8>>, BadPlaintext> {
    let text = || std::str::from_utf8(&plain).map_err(|_| BadPlaintext(kind));
    let canon = match kind {
        EncType::Str | EncType::Bytes | EncType::Comment => return Ok(plain),
        EncType::Int => go_atoi(text()?).map(|i| i.to_string()),
        EncType::Float => go_parse_float(text()?).map(go_float),
        EncType::Bool => {
            go_parse_bool(text()?).map(|b| if b { "True" } else { "False" }.to_string())
        }
        EncType::Time => super::time::parse(text()?).map(|t| t.rfc3339_nano()),
    };
    match canon {
        Some(s) => Ok(Zeroizing::new(s.into_bytes())),
        None => Err(BadPlaintext(kind)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_sha256_of_sops() {
        use sha2::Sha256;
        assert_eq!(Sha256::digest(b"sops").as_slice(), &MAC_ONLY_PREFIX);
    }

    #[test]
    fn floats_print_like_go_format_f_minus_one() {
        let cases = [
            (3.25, "3.25"),
            (1000.0, "1000"),
            (1e-7, "0.0000001"),
            (2.5, "2.5"),
            (-0.0, "-0"),
            (1e21, "1000000000000000000000"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (f64::NAN, "NaN"),
        ];
        for (v, want) in cases {
            assert_eq!(go_float(v), want);
        }
    }

    #[test]
    fn clear_scalars_hash_as_sops_prints_them() {
        let b = |s: Scalar| clear_bytes(&s).unwrap().map(|c| c.into_owned());
        assert_eq!(b(Scalar::Null), None);
        assert_eq!(b(Scalar::Bool(true)).unwrap(), b"True");
        assert_eq!(b(Scalar::Bool(false)).unwrap(), b"False");
        assert_eq!(b(Scalar::Int(-42)).unwrap(), b"-42");
        assert_eq!(b(Scalar::Float(1.0e3)).unwrap(), b"1000");
        assert_eq!(b(Scalar::Str(vec![0, 0xff])).unwrap(), vec![0, 0xff]);
        assert!(clear_bytes(&Scalar::Uint(u64::MAX)).is_err());
    }

    #[test]
    fn decrypted_values_are_canonicalised_by_type() {
        let d = |k: EncType, p: &[u8]| {
            decrypted_bytes(k, Zeroizing::new(p.to_vec())).map(|z| z.to_vec())
        };
        assert_eq!(d(EncType::Bool, b"true").unwrap(), b"True");
        assert_eq!(d(EncType::Bool, b"F").unwrap(), b"False");
        assert_eq!(d(EncType::Float, b"1.50").unwrap(), b"1.5");
        assert_eq!(d(EncType::Float, b"42").unwrap(), b"42");
        assert_eq!(d(EncType::Float, b"+Inf").unwrap(), b"+Inf");
        assert_eq!(d(EncType::Int, b"+007").unwrap(), b"7");
        assert_eq!(
            d(EncType::Time, b"2024-01-01T00:00:00.500+00:00").unwrap(),
            b"2024-01-01T00:00:00.5Z"
        );
        assert_eq!(d(EncType::Str, b"x\0y").unwrap(), b"x\0y");
        assert_eq!(d(EncType::Int, b"1.5"), Err(BadPlaintext(EncType::Int)));
        assert_eq!(d(EncType::Int, b""), Err(BadPlaintext(EncType::Int)));
        assert_eq!(d(EncType::Bool, b"yes"), Err(BadPlaintext(EncType::Bool)));
        assert_eq!(
            d(EncType::Float, b"1e400"),
            Err(BadPlaintext(EncType::Float))
        );
        assert_eq!(
            d(EncType::Time, b"2024-01-01"),
            Err(BadPlaintext(EncType::Time))
        );
        assert_eq!(d(EncType::Int, &[0xff]), Err(BadPlaintext(EncType::Int)));
    }

    #[test]
    fn mac_is_upper_hex_sha512() {
        let mut m = Mac::new(false);
        m.update(b"a");
        m.update(b"bc");
        let hex = m.finish();
        assert_eq!(hex.len(), 128);
        assert!(hex.starts_with("DDAF35A193617ABA"), "{}", hex.as_str());
    }
}
