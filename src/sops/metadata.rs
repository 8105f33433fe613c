//! The `sops` metadata block (spec §8), in a store-independent form.

use std::collections::BTreeMap;

use super::tree::{Entry, Item, Leaf, Node, Pos, Scalar};

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
    /// Every selector field name, as metadata and `.sops.yaml` creation rules spell them.
    pub const FIELDS: [&'static str; 6] = [
        "unencrypted_suffix",
        "encrypted_suffix",
        "unencrypted_regex",
        "encrypted_regex",
        "unencrypted_comment_regex",
        "encrypted_comment_regex",
    ];

    /// The selector a field name stands for, holding `value`; `None` for any other field.
    pub fn from_field(field: &str, value: String) -> Option<Selector> {
        Some(match field {
            "unencrypted_suffix" => Selector::UnencryptedSuffix(value),
            "encrypted_suffix" => Selector::EncryptedSuffix(value),
            "unencrypted_regex" => Selector::UnencryptedRegex(value),
            "encrypted_regex" => Selector::EncryptedRegex(value),
            "unencrypted_comment_regex" => Selector::UnencryptedCommentRegex(value),
            "encrypted_comment_regex" => Selector::EncryptedCommentRegex(value),
            _ => return None,
        })
    }

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
    /// Where each top-level field present starts (its key), by field name.
    pub field_pos: BTreeMap<String, Pos>,
    /// Top-level fields sops does not know (ignored by sops; in dotenv/INI often a user key that sops
    /// mistakes for metadata).
    pub unknown_fields: Vec<(String, Pos)>,
}

impl Metadata {
    /// The selector in force: the one present, or the default `_unencrypted` suffix.
    pub fn selector(&self) -> Selector {
        self.selectors.first().cloned().unwrap_or_default()
    }
}

/// The known top-level metadata fields (anything else is ignored by sops).
const KNOWN: [&str; 18] = [
    "lastmodified",
    "mac",
    "version",
    "age",
    "pgp",
    "kms",
    "gcp_kms",
    "azure_kv",
    "hc_vault",
    "hckms",
    "key_groups",
    "shamir_threshold",
    "unencrypted_suffix",
    "encrypted_suffix",
    "unencrypted_regex",
    "encrypted_regex",
    "unencrypted_comment_regex",
    "encrypted_comment_regex",
];

/// Other fields old sops versions wrote, known and ignored.
const LEGACY: [&str; 1] = ["attention"];

/// A scalar's text as sops' weakly typed metadata decoding sees it; `None` for null and containers.
pub fn scalar_text(node: &Node) -> Result<Option<String>, &'static str> {
    match node {
        Node::Leaf(Leaf { value, .. }) => Ok(match value {
            Scalar::Null => None,
            Scalar::Str(b) => Some(String::from_utf8(b.clone()).map_err(|_| "is not UTF-8 text")?),
            Scalar::Int(i) => Some(i.to_string()),
            Scalar::Uint(u) => Some(u.to_string()),
            Scalar::Float(f) => Some(f.to_string()),
            Scalar::Bool(b) => Some(b.to_string()),
            Scalar::Time(t) => Some(t.clone()),
        }),
        Node::Map(_) => Err("is a mapping, not a value"),
        Node::Seq(_) => Err("is a list, not a value"),
    }
}

fn node_pos(node: &Node, fallback: Pos) -> Pos {
    match node {
        Node::Leaf(l) => l.pos,
        Node::Map(entries) => entries
            .iter()
            .find_map(|e| match e {
                Entry::Pair { key_pos, .. } => Some(*key_pos),
                Entry::Comment(_) => None,
            })
            .unwrap_or(fallback),
        Node::Seq(items) => items
            .iter()
            .find_map(|i| match i {
                Item::Node(n) => Some(node_pos(n, fallback)),
                Item::Comment(_) => None,
            })
            .unwrap_or(fallback),
    }
}

fn pairs(node: &Node) -> impl Iterator<Item = (&str, Pos, &Node)> {
    let entries: &[Entry] = match node {
        Node::Map(e) => e,
        _ => &[],
    };
    entries.iter().filter_map(|e| match e {
        Entry::Pair {
            key,
            key_pos,
            value,
        } => Some((key.as_str(), *key_pos, value)),
        Entry::Comment(_) => None,
    })
}

fn kind_for(field: &str) -> Option<KeyKind> {
    KeyKind::ALL.into_iter().find(|k| k.field() == field)
}

/// The fields that identify a master key of each kind (joined with `/` into [`MasterKey::id`]).
fn id_fields(kind: KeyKind) -> &'static [&'static str] {
    match kind {
        KeyKind::Age => &["recipient"],
        KeyKind::Pgp => &["fp"],
        KeyKind::Kms => &["arn"],
        KeyKind::GcpKms => &["resource_id"],
        KeyKind::AzureKv => &["vault_url", "name", "version"],
        KeyKind::HcVault => &["vault_address", "engine_path", "key_name"],
        KeyKind::Hckms => &["key_id"],
    }
}

impl Metadata {
    /// Read the metadata block from its tree form (the YAML/JSON `sops` value, or the un-flattened
    /// dotenv/INI keys). Never fails: every problem goes to [`Metadata::problems`] with its position.
    pub fn from_node(node: &Node, pos: Pos) -> Metadata {
        let mut m = Metadata {
            pos,
            ..Metadata::default()
        };
        if !matches!(node, Node::Map(_)) {
            m.problems.push((
                node_pos(node, pos),
                "the `sops` entry is not a mapping (sops: Found sops entry that is not a mapping)"
                    .to_string(),
            ));
            return m;
        }
        let mut top_group = KeyGroup::default();
        let mut groups_node = None;
        for (key, key_pos, value) in pairs(node) {
            m.field_pos.insert(key.to_string(), key_pos);
            if let Some(kind) = kind_for(key) {
                m.read_keys(kind, value, key_pos, &mut top_group);
                continue;
            }
            match key {
                "lastmodified" => m.lastmodified = m.text(key, value, key_pos),
                "mac" => m.mac = m.text(key, value, key_pos),
                "version" => m.version = m.text(key, value, key_pos),
                "key_groups" => groups_node = Some((value, key_pos)),
                "shamir_threshold" => {
                    if let Some(t) = m.text(key, value, key_pos) {
                        match t.trim().parse::<u64>() {
                            Ok(n) => m.shamir_threshold = Some(n),
                            Err(_) => m.problems.push((
                                node_pos(value, key_pos),
                                "`shamir_threshold` is not a whole number".to_string(),
                            )),
                        }
                    }
                }
                "mac_only_encrypted" => {
                    if let Some(t) = m.text(key, value, key_pos) {
                        match t.as_str() {
                            "true" | "True" | "TRUE" | "1" | "t" | "T" => {
                                m.mac_only_encrypted = true;
                            }
                            "false" | "False" | "FALSE" | "0" | "f" | "F" | "" => {}
                            _ => m.problems.push((
                                node_pos(value, key_pos),
                                "`mac_only_encrypted` is not a boolean".to_string(),
                            )),
                        }
                    }
                }
                k if Selector::FIELDS.contains(&k) => {
                    // sops counts a selector as set when it is a non-empty string.
                    if let Some(sel) = m
                        .text(key, value, key_pos)
                        .filter(|t| !t.is_empty())
                        .and_then(|t| Selector::from_field(key, t))
                    {
                        m.selectors.push(sel);
                    }
                }
                _ => {
                    if !KNOWN.contains(&key) && !LEGACY.contains(&key) {
                        m.unknown_fields.push((key.to_string(), key_pos));
                    }
                }
            }
        }
        if !top_group.keys.is_empty() {
            m.key_groups.push(top_group);
        } else if let Some((groups, gpos)) = groups_node {
            match groups {
                Node::Seq(items) => {
                    for item in items {
                        let Item::Node(g) = item else { continue };
                        let mut group = KeyGroup::default();
                        if !matches!(g, Node::Map(_)) {
                            m.problems.push((
                                node_pos(g, gpos),
                                "a `key_groups` entry is not a mapping".to_string(),
                            ));
                            continue;
                        }
                        for (key, key_pos, value) in pairs(g) {
                            match kind_for(key) {
                                Some(kind) => m.read_keys(kind, value, key_pos, &mut group),
                                None if key == "merge" => {}
                                None => {}
                            }
                        }
                        m.key_groups.push(group);
                    }
                }
                Node::Leaf(Leaf {
                    value: Scalar::Null,
                    ..
                }) => {}
                _ => m.problems.push((
                    node_pos(groups, gpos),
                    "`key_groups` is not a list".to_string(),
                )),
            }
        }
        m
    }

    fn text(&mut self, field: &str, value: &Node, key_pos: Pos) -> Option<String> {
        match scalar_text(value) {
            Ok(t) => t,
            Err(why) => {
                self.problems
                    .push((node_pos(value, key_pos), format!("`{field}` {why}")));
                None
            }
        }
    }

    /// Read a list of master keys of one kind into `group`.
    fn read_keys(&mut self, kind: KeyKind, value: &Node, key_pos: Pos, group: &mut KeyGroup) {
        let field = kind.field();
        let items = match value {
            Node::Seq(items) => items,
            Node::Leaf(Leaf {
                value: Scalar::Null,
                ..
            }) => return,
            _ => {
                self.problems.push((
                    node_pos(value, key_pos),
                    format!("`{field}` is not a list of keys"),
                ));
                return;
            }
        };
        for item in items {
            let Item::Node(entry) = item else { continue };
            let epos = node_pos(entry, key_pos);
            if !matches!(entry, Node::Map(_)) {
                self.problems
                    .push((epos, format!("an entry of `{field}` is not a mapping")));
                continue;
            }
            let mut id_parts = Vec::new();
            let mut enc = String::new();
            let mut created_at = None;
            for (key, kpos, v) in pairs(entry) {
                let t = match scalar_text(v) {
                    Ok(t) => t,
                    Err(why) => {
                        if key == "context" {
                            continue;
                        }
                        self.problems
                            .push((node_pos(v, kpos), format!("`{field}.{key}` {why}")));
                        continue;
                    }
                };
                if key == "enc" {
                    enc = t.unwrap_or_default();
                } else if key == "created_at" {
                    created_at = Some(t.unwrap_or_default());
                } else if let Some(i) = id_fields(kind).iter().position(|f| *f == key) {
                    id_parts.push((i, t.unwrap_or_default()));
                }
            }
            id_parts.sort();
            let id = id_parts
                .into_iter()
                .map(|(_, s)| s)
                .collect::<Vec<_>>()
                .join("/");
            group.keys.push(MasterKey {
                kind,
                id,
                enc,
                created_at,
                pos: epos,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(yaml: &str) -> Metadata {
        let docs = crate::sops::stores::yaml::parse(yaml.as_bytes()).unwrap();
        let (node, pos) = docs[0]
            .iter()
            .find_map(|e| match e {
                Entry::Pair {
                    key,
                    key_pos,
                    value,
                } if key == "sops" => Some((value.clone(), *key_pos)),
                _ => None,
            })
            .unwrap();
        Metadata::from_node(&node, pos)
    }

    #[test]
    fn reads_every_key_kind_and_the_group_rule() {
        let m = meta(
            "sops:\n  kms:\n    - arn: arn:aws:kms:x\n      created_at: '2019-01-01T00:00:00Z'\n      enc: AAA\n      context: {a: b}\n  pgp:\n    - fp: FP\n      created_at: 2019-01-01T00:00:00Z\n      enc: BBB\n  gcp_kms: null\n  azure_kv: []\n  key_groups:\n    - age:\n        - recipient: age1x\n          enc: CCC\n  lastmodified: 2026-11-27T20:56:06+00:00\n  shamir_threshold: '2'\n  mac_only_encrypted: true\n  encrypted_regex: ^a$\n  unencrypted_suffix: ''\n  attention: legacy\n  surprise: 1\n",
        );
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(m.key_groups.len(), 1, "top-level lists win over key_groups");
        let kinds: Vec<KeyKind> = m.key_groups[0].keys.iter().map(|k| k.kind).collect();
        assert_eq!(kinds, [KeyKind::Kms, KeyKind::Pgp]);
        assert_eq!(m.key_groups[0].keys[1].id, "FP");
        assert_eq!(
            m.key_groups[0].keys[1].created_at.as_deref(),
            Some("2019-01-01T00:00:00Z")
        );
        assert_eq!(m.lastmodified.as_deref(), Some("2026-11-27T20:56:06Z"));
        assert_eq!(m.shamir_threshold, Some(2));
        assert!(m.mac_only_encrypted);
        assert_eq!(m.selectors, [Selector::EncryptedRegex("^a$".into())]);
        assert_eq!(m.unknown_fields.len(), 1);
        let g = meta(
            "sops:\n  key_groups:\n    - age:\n        - {recipient: a, enc: x}\n    - age:\n        - {recipient: b, enc: y}\n",
        );
        assert_eq!(g.key_groups.len(), 2);
        let bad = meta("sops:\n  age: notalist\n  lastmodified: [1]\n");
        assert_eq!(bad.problems.len(), 2, "{:?}", bad.problems);
        let not_map = meta("sops: oops\n");
        assert_eq!(not_map.problems.len(), 1);
    }
}
