//! The verification algorithm of spec §12, in memory: open the data key, decrypt every value that the
//! selector says is encrypted with its path AAD, hash every value as sops does, and compare with the
//! stored MAC. The result is a [`Verdict`]; no plaintext leaves this module.

use super::aead::{self, AuthFailed};
use super::datakey::{self, DataKeyResult};
use super::identities::Identities;
use super::mac::{self, Mac};
use super::time;
use crate::sops::enc;
use crate::sops::tree::{Pos, Scalar};
use crate::sops::walk::{self, Rule, VisitKind};
use crate::sops::{SopsFile, Store};

/// Why verification could not be done (not a defect of the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// No identity at hand opens any recipient.
    NoIdentity,
    /// Some key groups opened, fewer than `shamir_threshold`.
    NotEnoughShares {
        /// Groups opened.
        opened: usize,
        /// Shares needed.
        needed: usize,
    },
}

/// The outcome of verifying one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every value decrypts at its key path and the MAC matches.
    Verified {
        /// The recipients whose entries opened the data key.
        opened_by: Vec<String>,
    },
    /// Verification was skipped: the identities at hand do not open the file.
    CannotVerify {
        /// Why.
        skip: Skip,
        /// The recipients that would open it (those not opened, for Shamir).
        recipients: Vec<String>,
    },
    /// An age entry an identity matches is damaged (sops: "Failed to get the data key", exit 128).
    DataKeyBroken {
        /// The recipient of the damaged entry.
        recipient: String,
        /// What is wrong.
        reason: String,
    },
    /// A value does not decrypt at its key path (sops exit 25).
    ValueDoesNotDecrypt {
        /// The key path (`a.b.c`).
        key_path: String,
        /// Where the value is.
        pos: Pos,
        /// What is wrong (never the value).
        reason: String,
    },
    /// The values do not hash to the stored MAC (sops exit 51).
    MacMismatch,
    /// The file has no MAC (sops exit 51).
    MacMissing,
    /// The stored MAC does not decrypt under `lastmodified` (sops exit 51).
    CannotDecryptMac {
        /// What is wrong.
        reason: String,
    },
    /// The metadata cannot be used to verify (sops exit 1).
    Malformed {
        /// What is wrong.
        message: String,
        /// Where, when known.
        pos: Option<Pos>,
    },
}

impl Verdict {
    /// The exit code `sops decrypt` gives the same file (`None` when verification was skipped).
    pub fn sops_exit_code(&self) -> Option<u8> {
        match self {
            Verdict::Verified { .. } => Some(0),
            Verdict::CannotVerify { .. } => None,
            Verdict::DataKeyBroken { .. } => Some(128),
            Verdict::ValueDoesNotDecrypt { .. } => Some(25),
            Verdict::MacMismatch | Verdict::MacMissing | Verdict::CannotDecryptMac { .. } => {
                Some(51)
            }
            Verdict::Malformed { .. } => Some(1),
        }
    }
}

/// One decrypted value, lent to a [`verify_with`] callback: its key path, its `type:` and its
/// canonical plaintext bytes (§6.3). The bytes are wiped right after the callback returns; a caller
/// must not copy them anywhere it prints or logs.
pub struct Plaintext<'a> {
    /// The mapping keys from the document root (list indices are not part of sops paths).
    pub path: &'a [&'a str],
    /// Index of the YAML document.
    pub branch: usize,
    /// Where the value is.
    pub pos: Pos,
    /// The value's `type:`.
    pub kind: enc::EncType,
    /// The plaintext as sops hashes it (`int`/`float`/`bool`/`time` canonicalised).
    pub bytes: &'a [u8],
}

/// Verify `file` with the identities at hand.
pub fn verify(file: &SopsFile, ids: &Identities) -> Verdict {
    verify_with(file, ids, &mut |_| {})
}

/// [`verify`], lending every decrypted value to `on_value` as it is decrypted (for checks that look at
/// the values in memory, such as a config schema). Trust what it saw only if the verdict is
/// [`Verdict::Verified`].
pub fn verify_with(
    file: &SopsFile,
    ids: &Identities,
    on_value: &mut dyn FnMut(&Plaintext<'_>),
) -> Verdict {
    let meta = &file.metadata;
    let malformed = |message: String| Verdict::Malformed {
        message,
        pos: Some(meta.pos),
    };
    let Some(raw_lm) = meta.lastmodified.as_deref() else {
        return malformed("the metadata has no `lastmodified`".to_string());
    };
    let Some(lastmodified) = time::lastmodified_aad(raw_lm) else {
        return malformed("`lastmodified` is not an RFC 3339 time".to_string());
    };
    // The binary store ignores selectors and `mac_only_encrypted` (sops 3.11+, §14).
    let (rule, mac_only) = if file.store == Store::Binary {
        (Rule::UnencryptedSuffix("_unencrypted".to_string()), false)
    } else {
        if meta.selectors.len() > 1 {
            return malformed("the metadata sets more than one selector".to_string());
        }
        match Rule::compile(&meta.selector()) {
            Ok(r) => (r, meta.mac_only_encrypted),
            Err(e) => return malformed(e),
        }
    };
    let (key, opened_by) = match datakey::data_key(meta, ids) {
        DataKeyResult::Key { key, opened_by } => (key, opened_by),
        DataKeyResult::NoIdentity { recipients } => {
            return Verdict::CannotVerify {
                skip: Skip::NoIdentity,
                recipients,
            };
        }
        DataKeyResult::NotEnoughShares {
            opened,
            needed,
            missing,
        } => {
            return Verdict::CannotVerify {
                skip: Skip::NotEnoughShares { opened, needed },
                recipients: missing,
            };
        }
        DataKeyResult::Broken { recipient, reason } => {
            return Verdict::DataKeyBroken { recipient, reason };
        }
        DataKeyResult::NoKeys => return malformed("the metadata lists no master key".to_string()),
    };

    let mut mac = Mac::new(mac_only);
    let mut failed: Option<Verdict> = None;
    walk::walk(&file.branches, &rule, &mut |v| {
        if failed.is_some() {
            return;
        }
        let VisitKind::Leaf(leaf) = v.kind else {
            // Comments are never hashed, and sops keeps one that does not decrypt as it is.
            return;
        };
        let bad = |reason: String| Verdict::ValueDoesNotDecrypt {
            key_path: v.key_path(),
            pos: leaf.pos,
            reason,
        };
        if !v.encrypted {
            if mac_only {
                return;
            }
            match mac::clear_bytes(&leaf.value) {
                Ok(Some(b)) => mac.update(&b),
                Ok(None) => {}
                Err(e) => {
                    failed = Some(Verdict::Malformed {
                        message: format!("`{}`: {e}", v.key_path()),
                        pos: Some(leaf.pos),
                    })
                }
            }
            return;
        }
        let s = match &leaf.value {
            Scalar::Null => return,
            Scalar::Str(s) if s.is_empty() => return,
            Scalar::Str(s) => s,
            other => {
                failed = Some(bad(format!(
                    "a clear-text {} stands where sops expects an encrypted value",
                    scalar_kind(other)
                )));
                return;
            }
        };
        let parsed = std::str::from_utf8(s)
            .ok()
            .filter(|t| enc::looks_encrypted(t.as_bytes()))
            .map(enc::parse);
        let value = match parsed {
            Some(Ok(value)) => value,
            Some(Err(e)) => {
                failed = Some(bad(format!("the encrypted value is malformed: {e}")));
                return;
            }
            None => {
                failed = Some(bad(
                    "clear text stands where sops expects an encrypted value".to_string(),
                ));
                return;
            }
        };
        let aad = v.aad();
        let plain = match aead::open(&key, &value, aad.as_bytes()) {
            Ok(p) => p,
            Err(AuthFailed) => {
                failed = Some(bad(
                    "the value does not decrypt at this key path: it was changed, moved here from another key, or pasted from another file"
                        .to_string(),
                ));
                return;
            }
        };
        if value.kind == enc::EncType::Comment {
            // sops writes a comment inside a YAML sequence as an `ENC[...,type:comment]` item; it
            // decrypts to a comment, and comments are never hashed.
            return;
        }
        match mac::decrypted_bytes(value.kind, plain) {
            Ok(bytes) => {
                mac.update(&bytes);
                on_value(&Plaintext {
                    path: v.path,
                    branch: v.branch,
                    pos: leaf.pos,
                    kind: value.kind,
                    bytes: &bytes,
                });
            }
            Err(e) => {
                failed = Some(bad(format!(
                    "the value decrypts, but not to a valid `{}`",
                    e.0.as_str()
                )))
            }
        }
    });
    if let Some(f) = failed {
        return f;
    }
    let computed = mac.finish();

    let stored = match meta.mac.as_deref() {
        None | Some("") => return Verdict::MacMissing,
        Some(s) => s,
    };
    let stored = match enc::parse(stored) {
        Ok(v) => v,
        Err(e) => {
            return Verdict::CannotDecryptMac {
                reason: format!("`mac` is not a valid encrypted value: {e}"),
            };
        }
    };
    let plain = match aead::open(&key, &stored, lastmodified.as_bytes()) {
        Ok(p) => p,
        Err(AuthFailed) => {
            return Verdict::CannotDecryptMac {
                reason: "`mac` does not decrypt with `lastmodified` as it is written now"
                    .to_string(),
            };
        }
    };
    if plain.is_empty() {
        Verdict::MacMissing
    } else if plain.as_slice() == computed.as_bytes() {
        Verdict::Verified { opened_by }
    } else {
        Verdict::MacMismatch
    }
}

fn scalar_kind(s: &Scalar) -> &'static str {
    match s {
        Scalar::Null => "null",
        Scalar::Str(_) => "string",
        Scalar::Int(_) | Scalar::Uint(_) => "integer",
        Scalar::Float(_) => "float",
        Scalar::Bool(_) => "bool",
        Scalar::Time(_) => "timestamp",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sops::crypto::testutil::json_file;

    const KEY1: &str = include_str!("../../../tests/fixtures/verify/key1.txt");
    const KEY2: &str = include_str!("../../../tests/fixtures/verify/key2.txt");
    const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/verify");

    fn file(rel: &str) -> SopsFile {
        let text = std::fs::read_to_string(format!("{FIX}/{rel}")).unwrap();
        let store = if rel.ends_with(".json") {
            Store::Json
        } else {
            Store::Binary
        };
        json_file(&text, store)
    }

    fn ids(keys: &[&str]) -> Identities {
        Identities::from_text(&keys.join("\n"), "test").unwrap()
    }

    #[test]
    fn real_vectors_verify() {
        for rel in [
            "enc/basic.json",
            "enc/blob.bin.json",
            "own/enc/secrets.json",
            "own/enc/multi_recipient.json",
            "own/enc/blob.bin",
        ] {
            let v = verify(&file(rel), &ids(&[KEY1]));
            assert!(matches!(v, Verdict::Verified { .. }), "{rel}: {v:?}");
        }
        // Either recipient of a two-recipient group opens it.
        let v = verify(&file("own/enc/multi_recipient.json"), &ids(&[KEY2]));
        assert!(matches!(v, Verdict::Verified { .. }), "{v:?}");
    }

    #[test]
    fn shamir_needs_both_groups() {
        let f = file("own/enc/shamir.json");
        let v = verify(&f, &ids(&[KEY1, KEY2]));
        assert!(
            matches!(v, Verdict::Verified { ref opened_by } if opened_by.len() == 2),
            "{v:?}"
        );
        match verify(&f, &ids(&[KEY1])) {
            Verdict::CannotVerify {
                skip:
                    Skip::NotEnoughShares {
                        opened: 1,
                        needed: 2,
                    },
                recipients,
            } => {
                assert_eq!(
                    recipients,
                    vec!["age1afnrdrkyvy0sl5e08t9ffs4c7g5e5npc8luf7hjc77syewg5gajsls4r90"]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_identity_names_the_recipients() {
        let v = verify(&file("enc/basic.json"), &ids(&[KEY2]));
        assert_eq!(
            v,
            Verdict::CannotVerify {
                skip: Skip::NoIdentity,
                recipients: vec![
                    "age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun".to_string()
                ],
            }
        );
        let v = verify(&file("enc/basic.json"), &Identities::none());
        assert!(matches!(
            v,
            Verdict::CannotVerify {
                skip: Skip::NoIdentity,
                ..
            }
        ));
    }

    #[test]
    fn tampered_json_gets_the_verdict_sops_gives() {
        let cases: &[(&str, u8)] = &[
            ("own/tamper/json_swap.json", 25),
            ("own/tamper/json_flip.json", 25),
            ("own/tamper/json_pasted.json", 25),
            ("own/tamper/json_plaintext.json", 25),
            ("own/tamper/json_number_for_enc.json", 25),
            ("own/tamper/json_clear_changed.json", 51),
            ("own/tamper/json_clear_number.json", 51),
            ("own/tamper/json_no_mac.json", 51),
            ("own/tamper/json_lastmodified.json", 51),
            ("own/tamper/json_null_added.json", 0),
            ("own/tamper/bin_flip.bin", 25),
            ("own/tamper/bin_lastmodified.bin", 51),
            ("own/tamper/bin_no_mac.bin", 51),
        ];
        for (rel, want) in cases {
            let v = verify(&file(rel), &ids(&[KEY1]));
            assert_eq!(v.sops_exit_code(), Some(*want), "{rel}: {v:?}");
        }
        match verify(&file("own/tamper/json_swap.json"), &ids(&[KEY1])) {
            Verdict::ValueDoesNotDecrypt { key_path, .. } => assert_eq!(key_path, "string"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            verify(&file("own/tamper/json_no_mac.json"), &ids(&[KEY1])),
            Verdict::MacMissing
        );
        assert_eq!(
            verify(&file("own/tamper/json_clear_changed.json"), &ids(&[KEY1])),
            Verdict::MacMismatch
        );
    }

    /// Every store through the real parsers: the shared vectors verify, and the tampered variants get
    /// the verdict sops 3.11 gives (shared/sops-vectors/README.md; the agreement test re-checks these
    /// against the sops binary).
    #[test]
    fn every_store_and_the_documented_tamper_results() {
        let parse = |rel: &str| {
            let bytes = std::fs::read(format!("{FIX}/{rel}")).unwrap();
            crate::sops::parse(rel, &bytes).unwrap_or_else(|e| panic!("{rel}: {e:?}"))
        };
        let both = ids(&[KEY1, KEY2]);
        for rel in [
            "enc/basic.yaml",
            "enc/basic.json",
            "enc/basic.env",
            "enc/basic.ini",
            "enc/blob.bin.json",
            "enc/comments.yaml",
            "enc/maconly.yaml",
            "enc/multi_recipient.yaml",
            "enc/multidoc.yaml",
            "enc/regex.yaml",
            "enc/shamir.yaml",
            "own/enc/types.yaml",
            "own/enc/app.env",
            "own/enc/app.ini",
            "own/enc/blob.bin",
            "own/enc/multidoc.yaml",
            "own/old/basic37.yaml",
        ] {
            let v = verify(&parse(rel), &both);
            assert!(matches!(v, Verdict::Verified { .. }), "{rel}: {v:?}");
        }
        let cases: &[(&str, u8)] = &[
            ("t1", 51),
            ("t2", 0),
            ("t3", 0),
            ("t4", 51),
            ("t5", 0),
            ("t6", 51),
            ("t8", 51),
            ("t9", 25),
            ("t10", 25),
            ("t11", 25),
            ("r1", 0),
            ("r2", 0),
            ("r3", 0),
            ("r4", 51),
            ("r5", 51),
            ("r6", 0),
            ("r7", 0),
            ("v4", 0),
        ];
        for (name, want) in cases {
            let v = verify(&parse(&format!("tamper/{name}.yaml")), &both);
            assert_eq!(v.sops_exit_code(), Some(*want), "{name}: {v:?}");
        }
    }

    #[test]
    fn decrypted_values_are_lent_in_document_order() {
        let mut seen = Vec::new();
        let v = verify_with(&file("own/enc/secrets.json"), &ids(&[KEY1]), &mut |p| {
            seen.push((p.path.join("."), p.kind, p.bytes.to_vec()));
        });
        assert!(matches!(v, Verdict::Verified { .. }), "{v:?}");
        assert_eq!(
            seen[0],
            (
                "string".into(),
                enc::EncType::Str,
                b"LEAKCANARY-json-string".to_vec()
            )
        );
        assert_eq!(seen[1], ("int".into(), enc::EncType::Float, b"42".to_vec()));
        assert!(
            seen.iter()
                .all(|(p, _, _)| !p.starts_with("clear_unencrypted"))
        );
    }

    #[test]
    fn verdicts_never_carry_plaintext() {
        let v = verify(&file("own/tamper/json_plaintext.json"), &ids(&[KEY1]));
        assert!(!format!("{v:?}").contains("LEAKCANARY"), "{v:?}");
    }
}
