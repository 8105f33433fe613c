//! Recover a file's data key (spec §10): open one age entry per key group with the identities at hand;
//! with several groups, combine the Shamir shares.

use zeroize::Zeroizing;

use super::aead::DataKey;
use super::identities::{Identities, Unwrapped};
use super::shamir;
use crate::sops::metadata::{KeyKind, MasterKey, Metadata};

/// How getting the data key went.
pub enum DataKeyResult {
    /// The data key, and the recipients whose entries opened it.
    Key {
        /// The 32-byte data key (wiped when dropped).
        key: DataKey,
        /// The recipients that opened (one per group used).
        opened_by: Vec<String>,
    },
    /// No identity at hand opens any recipient: verification cannot be done.
    NoIdentity {
        /// Every master key of the file, as `kind id`.
        recipients: Vec<String>,
    },
    /// Some key groups opened, but fewer than `shamir_threshold`.
    NotEnoughShares {
        /// Groups opened.
        opened: usize,
        /// Shares needed.
        needed: usize,
        /// The recipients of the groups that did not open.
        missing: Vec<String>,
    },
    /// An entry an identity matches is broken, or the recovered key is not a data key.
    Broken {
        /// The recipient concerned (empty when it is the combination that failed).
        recipient: String,
        /// What went wrong (never key material).
        reason: String,
    },
    /// The metadata lists no master key.
    NoKeys,
}

/// A master key as messages show it: `age1…`, `pgp FINGERPRINT`, `kms arn:…`.
pub fn describe(k: &MasterKey) -> String {
    match k.kind {
        KeyKind::Age => k.id.clone(),
        other => format!("{} {}", other.field(), k.id),
    }
}

/// Open the data key of a file with `ids`.
pub fn data_key(meta: &Metadata, ids: &Identities) -> DataKeyResult {
    let groups = &meta.key_groups;
    if groups.iter().all(|g| g.keys.is_empty()) {
        return DataKeyResult::NoKeys;
    }
    let mut shares: Vec<Zeroizing<Vec<u8>>> = Vec::new();
    let mut opened_by = Vec::new();
    let mut missing = Vec::new();
    let mut broken: Option<(String, String)> = None;
    for group in groups {
        let mut got = None;
        for k in &group.keys {
            if k.kind != KeyKind::Age {
                continue;
            }
            match ids.unwrap(&k.id, &k.enc) {
                Unwrapped::Opened(p) => {
                    got = Some((p, k.id.clone()));
                    break;
                }
                Unwrapped::NoMatch => {}
                Unwrapped::Failed(reason) => {
                    broken.get_or_insert((k.id.clone(), reason));
                }
            }
        }
        match got {
            Some((p, who)) => {
                shares.push(p);
                opened_by.push(who);
            }
            None => missing.extend(group.keys.iter().map(describe)),
        }
    }
    let nonempty = groups.iter().filter(|g| !g.keys.is_empty()).count();
    if nonempty <= 1 || groups.len() <= 1 {
        let Some(share) = shares.pop() else {
            return match broken {
                Some((recipient, reason)) => DataKeyResult::Broken { recipient, reason },
                None => DataKeyResult::NoIdentity {
                    recipients: missing,
                },
            };
        };
        return finish(&share, opened_by);
    }
    let needed = match meta.shamir_threshold {
        Some(t) if t > 0 => usize::try_from(t).unwrap_or(usize::MAX),
        _ => groups.len(),
    };
    if shares.len() < needed || shares.len() < 2 {
        return match broken {
            Some((recipient, reason)) => DataKeyResult::Broken { recipient, reason },
            None if shares.is_empty() => DataKeyResult::NoIdentity {
                recipients: missing,
            },
            None => DataKeyResult::NotEnoughShares {
                opened: shares.len(),
                needed: needed.max(2),
                missing,
            },
        };
    }
    let refs: Vec<&[u8]> = shares.iter().map(|s| s.as_slice()).collect();
    match shamir::combine(&refs) {
        Ok(key) => finish(&key, opened_by),
        Err(e) => DataKeyResult::Broken {
            recipient: String::new(),
            reason: e.to_string(),
        },
    }
}

fn finish(bytes: &[u8], opened_by: Vec<String>) -> DataKeyResult {
    match <[u8; 32]>::try_from(bytes) {
        Ok(k) => DataKeyResult::Key {
            key: Zeroizing::new(k),
            opened_by,
        },
        Err(_) => DataKeyResult::Broken {
            recipient: opened_by.join(", "),
            reason: format!("the recovered data key is {} bytes, not 32", bytes.len()),
        },
    }
}
