//! The `sops` metadata block (spec §8), in a store-independent form.

use super::tree::Pos;

/// The kinds of master key sops knows (spec §8.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// age (X25519, post-quantum hybrid, plugin or SSH recipients).
    Age,
    /// OpenPGP.
    Pgp,
    /// AWS KMS.
    Kms,
    /// GCP KMS.
    GcpKms,
    /// Azure Key Vault.
    AzureKv,
    /// HashiCorp Vault transit.
    HcVault,
    /// HuaweiCloud KMS.
    Hckms,
}

impl KeyKind {
    /// Every kind, in the order sops serialises them.
    pub const ALL: [KeyKind; 7] = [
        KeyKind::Kms,
        KeyKind::GcpKms,
        KeyKind::Hckms,
        KeyKind::AzureKv,
        KeyKind::HcVault,
        KeyKind::Age,
        KeyKind::Pgp,
    ];

    /// The metadata field name (`age`, `pgp`, `kms`, `gcp_kms`, `azure_kv`, `hc_vault`, `hckms`).
    pub fn field(self) -> &'static str {
        match self {
            KeyKind::Age => "age",
            KeyKind::Pgp => "pgp",
            KeyKind::Kms => "kms",
            KeyKind::GcpKms => "gcp_kms",
            KeyKind::AzureKv => "azure_kv",
            KeyKind::HcVault => "hc_vault",
            KeyKind::Hckms => "hckms",
        }
    }
}

/// One master key entry: who can open the data key, and the wrapped data key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MasterKey {
    /// The kind of key.
    pub kind: KeyKind,
    /// The identifying field: age `recipient`, pgp `fp`, kms `arn`, gcp `resource_id`,
    /// azure `vault_url/name/version`, vault `vault_address/engine_path/key_name`, hckms `key_id`.
    pub id: String,
    /// The wrapped data key (`enc`), exactly as stored (age: an armored age file).
    pub enc: String,
    /// `created_at`, for kinds that have it.
    pub created_at: Option<String>,
    /// Where the entry starts in the file.
    pub pos: Pos,
}

/// A key group: every key in it wraps the same data key (or the same Shamir share).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyGroup {
    /// The master keys of the group.
    pub keys: Vec<MasterKey>,
}

/// Which leaves sops encrypts (spec §4.2). At most one is set in a file; none means the default
/// `unencrypted_suffix = "_unencrypted"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// Leaves under a key ending with the suffix stay clear.
    UnencryptedSuffix(String),
    /// Only leaves under a key ending with the suffix are encrypted.
    EncryptedSuffix(String),
    /// Leaves under a key matching the regex stay clear.
    UnencryptedRegex(String),
    /// Only leaves under a key matching the regex are encrypted.
    EncryptedRegex(String),
    /// Leaves after a comment matching the regex stay clear.
    UnencryptedCommentRegex(String),
    /// Only leaves after a comment matching the regex are encrypted.
    EncryptedCommentRegex(String),
}

impl Selector {
    /// The metadata field name of the selector.
    pub fn field(&self) -> &'static str {
        match self {
            Selector::UnencryptedSuffix(_) => "unencrypted_suffix",
            Selector::EncryptedSuffix(_) => "encrypted_suffix",
            Selector::UnencryptedRegex(_) => "unencrypted_regex",
            Selector::EncryptedRegex(_) => "encrypted_regex",
            Selector::UnencryptedCommentRegex(_) => "unencrypted_comment_regex",
            Selector::EncryptedCommentRegex(_) => "encrypted_comment_regex",
        }
    }
}

impl Default for Selector {
    fn default() -> Self {
        Selector::UnencryptedSuffix("_unencrypted".to_string())
    }
}

/// The metadata block as read from the file. Fields are kept raw (as strings) so that a check can say
/// precisely what is wrong with each; [`Metadata`] is produced even when fields are missing or odd.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    /// Where the `sops` block starts.
    pub pos: Pos,
    /// `lastmodified`, raw.
    pub lastmodified: Option<String>,
    /// `mac`, raw (`ENC[...]`).
    pub mac: Option<String>,
    /// `version`, raw.
    pub version: Option<String>,
    /// Key groups: the top-level key lists form one group when any is non-empty, else `key_groups`.
    pub key_groups: Vec<KeyGroup>,
    /// `shamir_threshold`, when present.
    pub shamir_threshold: Option<u64>,
    /// Every selector field present (more than one is an error sops rejects).
    pub selectors: Vec<Selector>,
    /// `mac_only_encrypted`.
    pub mac_only_encrypted: bool,
    /// Field-level problems found while reading the block (wrong types, bad entries), with positions.
    pub problems: Vec<(Pos, String)>,
}

impl Metadata {
    /// The selector in force: the one present, or the default `_unencrypted` suffix.
    pub fn selector(&self) -> Selector {
        self.selectors.first().cloned().unwrap_or_default()
    }
}
