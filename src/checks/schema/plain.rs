//! Judging values in the clear: clear-text leaves of the encrypted file, and, with an identity at
//! hand, the decrypted values in memory. This is the seam the keyed half plugs into: give
//! [`check_decrypted`] the decrypted leaves and it says what is wrong, never printing a value.

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;

use super::builtin::{Format, Issue, Kind, LeafSpec, Schema, dotted};
use crate::sops::Pos;

/// A value in the clear, borrowed (the caller owns and zeroizes the plaintext).
#[derive(Clone, Copy, Debug)]
pub enum Plain<'a> {
    /// A string (raw bytes).
    Str(&'a [u8]),
    /// An integer.
    Int(i64),
    /// Any other type, by name (`a boolean`).
    Other(&'static str),
}

/// One decrypted leaf: its key path, where its key is, its value.
#[derive(Clone, Copy, Debug)]
pub struct DecryptedLeaf<'a> {
    /// The key path (`["github_app", "private_key"]`).
    pub path: &'a [String],
    /// Where the value is in the file.
    pub pos: Pos,
    /// The value.
    pub value: Plain<'a>,
}

/// Check decrypted values against the schema (the keyed half). Leaves the schema does not know are
/// ignored (the keyless half reports them).
pub fn check_decrypted(schema: &Schema, leaves: &[DecryptedLeaf<'_>]) -> Vec<Issue> {
    let mut out = Vec::new();
    for leaf in leaves {
        if let Some(spec) = schema
            .leaves
            .iter()
            .find(|s| s.path.as_slice() == leaf.path)
        {
            out.extend(check_value(schema, spec, leaf.value, Some(leaf.pos)));
        }
    }
    out
}

fn issue(
    spec: &LeafSpec,
    pos: Option<Pos>,
    rule: &'static str,
    message: String,
    hint: &str,
) -> Issue {
    Issue {
        rule,
        key_path: dotted(&spec.path),
        pos,
        message,
        hint: hint.to_string(),
        warning: false,
    }
}

/// The length rule of a leaf.
pub fn check_len(schema: &Schema, spec: &LeafSpec, len: usize, pos: Option<Pos>) -> Vec<Issue> {
    let (min, max) = spec.len;
    if (min..=max).contains(&len) {
        return Vec::new();
    }
    let key = dotted(&spec.path);
    let expected = if min == max {
        format!("{min}")
    } else if max == usize::MAX {
        format!("at least {min}")
    } else {
        format!("{min} to {max}")
    };
    let unit = if spec.kind == Kind::Int {
        "digits"
    } else {
        "characters"
    };
    let (message, hint) = match spec.format {
        Format::Deployment => (
            format!(
                "`{key}` is {len} characters long, but the file is for deployment `{}` ({min} \
                 characters): app_name must equal the deployment name",
                schema.deployment.as_deref().unwrap_or("?")
            ),
            "set app_name to the deployment in the file name (`sops FILE`), or rename the file",
        ),
        Format::NonBlank if len == 0 => (
            format!("`{key}` is empty; every webhook would fail its signature check"),
            "paste the webhook secret of the GitHub App (its settings page) with `sops FILE`",
        ),
        Format::RsaPem => (
            format!(
                "`{key}` is {len} characters long; an RSA private key in PEM is {expected} \
                 characters, so this is not the App's private key"
            ),
            "paste the whole .pem file GitHub gave you, BEGIN and END lines included, with `sops FILE`",
        ),
        Format::LowerHex => (
            format!(
                "`{key}` is {len} characters long, but the API key is {expected} characters \
                 (uuid4().hex)"
            ),
            "generate one with `python3 scripts.develop/generate_api_key.py <deployment>` or \
             `python3 -c 'import uuid; print(uuid.uuid4().hex)'`",
        ),
        _ => (
            format!("`{key}` is {len} {unit} long; expected {expected}"),
            "fix the value with `sops FILE`",
        ),
    };
    vec![issue(spec, pos, "bad-length", message, hint)]
}

/// Type, length and format of one value in the clear.
pub fn check_value(
    schema: &Schema,
    spec: &LeafSpec,
    value: Plain<'_>,
    pos: Option<Pos>,
) -> Vec<Issue> {
    let key = dotted(&spec.path);
    let (len, text) = match (value, spec.kind) {
        (Plain::Str(b), Kind::Str) => (b.len(), b),
        (Plain::Int(i), Kind::Int) => {
            if spec.format == Format::Positive && i <= 0 {
                return vec![issue(
                    spec,
                    pos,
                    "bad-format",
                    format!("`{key}` must be a positive integer (the GitHub App id)"),
                    "copy the App ID from the GitHub App's settings page",
                )];
            }
            return check_len(schema, spec, i.unsigned_abs().to_string().len(), pos);
        }
        (Plain::Str(_), Kind::Int) => {
            return vec![issue(
                spec,
                pos,
                "wrong-type",
                format!("`{key}` is a string, but the app needs an integer"),
                "write it without quotes: `sops FILE`, then save; sops keeps the type you write",
            )];
        }
        (v, k) => {
            let got = match v {
                Plain::Str(_) => "a string",
                Plain::Int(_) => "an integer",
                Plain::Other(t) => t,
            };
            let need = match k {
                Kind::Str => "a string",
                Kind::Int => "an integer",
                Kind::StrList => "a list of strings",
            };
            return vec![issue(
                spec,
                pos,
                "wrong-type",
                format!("`{key}` is {got}, but the app needs {need}"),
                "fix the value with `sops FILE`",
            )];
        }
    };
    let mut out = check_len(schema, spec, len, pos);
    if !out.is_empty() {
        return out;
    }
    match spec.format {
        Format::LowerHex if !text.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)) => {
            out.push(issue(
                spec,
                pos,
                "bad-format",
                format!("`{key}` is not lower-case hexadecimal (the API key is a uuid4().hex)"),
                "generate one with `python3 -c 'import uuid; print(uuid.uuid4().hex)'`",
            ));
        }
        Format::RsaPem if !is_rsa_pem(text) => out.push(issue(
            spec,
            pos,
            "bad-private-key",
            format!(
                "`{key}` does not parse as an RSA private key in PEM (PKCS#1 or PKCS#8); the app \
                 could not sign its GitHub tokens"
            ),
            "paste the whole .pem file GitHub gave you, BEGIN and END lines included, with `sops FILE`",
        )),
        Format::Deployment => {
            if let Some(dep) = &schema.deployment
                && text != dep.as_bytes()
            {
                out.push(issue(
                    spec,
                    pos,
                    "app-name-mismatch",
                    format!(
                        "`{key}` is not `{dep}`, the deployment this file is named for; the app \
                         would write under the wrong prefix and miss its status webhooks"
                    ),
                    "set app_name to the deployment in the file name with `sops FILE`, or rename the file",
                ));
            }
        }
        Format::NonBlank if text.iter().all(u8::is_ascii_whitespace) => out.push(issue(
            spec,
            pos,
            "bad-format",
            format!("`{key}` is only white space"),
            "paste the webhook secret of the GitHub App with `sops FILE`",
        )),
        _ => {}
    }
    out
}

/// Whether the bytes are an RSA private key in PEM that parses (PKCS#1 or PKCS#8).
pub fn is_rsa_pem(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    rsa::RsaPrivateKey::from_pkcs1_pem(text).is_ok()
        || rsa::RsaPrivateKey::from_pkcs8_pem(text).is_ok()
}
