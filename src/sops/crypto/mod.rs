//! In-memory decryption and verification of SOPS files (spec §6, §7, §10, §11, §12).
//!
//! Nothing here writes or prints a decrypted value, a data key or an identity: plaintexts live in
//! [`zeroize::Zeroizing`] buffers and are wiped when dropped; errors name key paths, recipients and
//! identity *sources*, never their contents.

pub mod aead;
pub mod datakey;
pub mod identities;
pub mod mac;
pub mod shamir;
pub mod time;
pub mod verify;

#[cfg(test)]
mod testutil;

pub use identities::Identities;
pub use verify::{Plaintext, Verdict, verify, verify_with};
