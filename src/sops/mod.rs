//! The SOPS file format: stores, metadata, the `ENC[...]` grammar, the tree walk, and `.sops.yaml` rules.
//!
//! See `../shared/docs/sops-format.md`; section numbers in comments (§N) refer to it.

pub mod crypto;
pub mod enc;
pub mod gotime;
pub mod metadata;
pub mod rules;
pub mod stores;
pub mod tree;
pub mod unflatten;
pub mod walk;

pub use metadata::{KeyGroup, KeyKind, MasterKey, Metadata, Selector};
pub use tree::{Comment, Entry, Item, Leaf, Node, Pos, Scalar};

/// The sops stores, chosen by file extension as sops does (spec §12 step 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    /// `.yaml` / `.yml`.
    Yaml,
    /// `.json`.
    Json,
    /// `.env`.
    Dotenv,
    /// `.ini`.
    Ini,
    /// Anything else: the JSON envelope `{"data": ENC[...], "sops": {...}}`.
    Binary,
}

impl Store {
    /// The store sops would use for this path.
    pub fn for_path(path: &str) -> Store {
        let name = path.rsplit('/').next().unwrap_or(path);
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("yaml") | Some("yml") => Store::Yaml,
            Some("json") => Store::Json,
            Some("env") => Store::Dotenv,
            Some("ini") => Store::Ini,
            _ => Store::Binary,
        }
    }

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Store::Yaml => "YAML",
            Store::Json => "JSON",
            Store::Dotenv => "dotenv",
            Store::Ini => "INI",
            Store::Binary => "binary",
        }
    }
}

/// A parsed SOPS file: the tree without its metadata, and the metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct SopsFile {
    /// The store it was parsed with.
    pub store: Store,
    /// The documents (YAML may hold several; every other store holds one), each a top-level mapping.
    pub branches: Vec<Vec<Entry>>,
    /// The metadata (of the first document, as sops uses it).
    pub metadata: Metadata,
}

/// Why a file is not a (readable) SOPS file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SopsError {
    /// The file parses in its store but has no `sops` metadata: it was never encrypted.
    NotEncrypted {
        /// Why it is considered clear text.
        reason: String,
    },
    /// The file does not parse in its store (syntax, encoding, shape, limits).
    Malformed {
        /// What is wrong.
        message: String,
        /// Where, if known.
        pos: Option<Pos>,
    },
}

/// Parse `bytes` as a SOPS file in the store sops would pick for `path`.
///
/// The metadata is taken out of the tree (YAML: the first document's `sops` mapping, removed from every
/// document; JSON and binary: the `sops` key; dotenv: the `sops_*` keys; INI: the `[sops]` section) and
/// read into [`Metadata`]; problems with its fields are in [`Metadata::problems`], not errors here.
pub fn parse(path: &str, bytes: &[u8]) -> Result<SopsFile, SopsError> {
    let store = Store::for_path(path);
    match store {
        Store::Yaml => {
            let mut docs = stores::yaml::parse(bytes)?;
            let first = docs.first().map(|d| take_sops(d)).transpose()?.flatten();
            let Some((node, pos)) = first else {
                return Err(not_encrypted(store));
            };
            for doc in &mut docs {
                doc.retain(|e| !matches!(e, Entry::Pair { key, .. } if key == "sops"));
            }
            Ok(SopsFile {
                store,
                branches: docs,
                metadata: Metadata::from_node(&node, pos),
            })
        }
        Store::Json => {
            let mut entries = stores::json::parse(bytes)?;
            one_branch_with_sops_key(store, &mut entries)
        }
        Store::Binary => {
            let mut entries = match stores::binary::parse(bytes) {
                Ok(e) => e,
                // Arbitrary bytes that are not a JSON envelope at all: a clear-text file, unless it
                // looks like a damaged envelope (starts with `{` and names `sops`).
                Err(e) => {
                    let head = bytes.trim_ascii_start();
                    let envelope = head.starts_with(b"{")
                        && memchr::memmem::find(bytes, b"\"sops\"").is_some();
                    return Err(if envelope { e } else { not_encrypted(store) });
                }
            };
            one_branch_with_sops_key(store, &mut entries)
        }
        Store::Dotenv => {
            let entries = stores::dotenv::parse(bytes)?;
            let mut flat = Vec::new();
            let mut branch = Vec::new();
            for e in entries {
                match e {
                    Entry::Pair {
                        key,
                        key_pos,
                        value: Node::Leaf(leaf),
                    } if key.starts_with("sops_") => {
                        let field = key.get(5..).unwrap_or_default().to_string();
                        flat.push((field, key_pos, leaf));
                    }
                    other => branch.push(other),
                }
            }
            let Some(pos) = flat.first().map(|(_, p, _)| *p) else {
                return Err(not_encrypted(store));
            };
            let (node, problems) = unflatten::unflatten(flat);
            let mut metadata = Metadata::from_node(&node, pos);
            metadata.problems.extend(problems);
            Ok(SopsFile {
                store,
                branches: vec![branch],
                metadata,
            })
        }
        Store::Ini => {
            let mut entries = stores::ini::parse(bytes)?;
            let Some((node, pos)) = take_sops(&entries)? else {
                return Err(not_encrypted(store));
            };
            entries.retain(|e| !matches!(e, Entry::Pair { key, .. } if key == "sops"));
            let mut flat = Vec::new();
            let mut problems = Vec::new();
            if let Node::Map(section) = node {
                for e in section {
                    match e {
                        Entry::Pair {
                            key,
                            key_pos,
                            value: Node::Leaf(mut leaf),
                        } => {
                            if let Scalar::Str(b) = &leaf.value {
                                leaf.value = Scalar::Str(ini_unescape(b));
                            }
                            flat.push((key, key_pos, leaf));
                        }
                        Entry::Pair { key_pos, .. } => {
                            problems.push((key_pos, "a [sops] entry that is not a value".into()));
                        }
                        Entry::Comment(_) => {}
                    }
                }
            }
            let (node, more) = unflatten::unflatten(flat);
            let mut metadata = Metadata::from_node(&node, pos);
            metadata.problems.extend(problems);
            metadata.problems.extend(more);
            Ok(SopsFile {
                store,
                branches: vec![entries],
                metadata,
            })
        }
    }
}

fn not_encrypted(store: Store) -> SopsError {
    let what = match store {
        Store::Yaml | Store::Json | Store::Binary => "no `sops` metadata",
        Store::Dotenv => "no `sops_*` metadata keys",
        Store::Ini => "no `[sops]` section",
    };
    SopsError::NotEncrypted {
        reason: format!(
            "{what}: the file is not SOPS-encrypted ({} store)",
            store.name()
        ),
    }
}

/// The `sops` pair of a top-level mapping, if any; two of them is an error (as in sops).
fn take_sops(entries: &[Entry]) -> Result<Option<(Node, Pos)>, SopsError> {
    let mut found: Option<(Node, Pos)> = None;
    for e in entries {
        if let Entry::Pair {
            key,
            key_pos,
            value,
        } = e
            && key == "sops"
        {
            if found.is_some() {
                return Err(SopsError::Malformed {
                    message: "two `sops` entries (sops: Found duplicate sops entry)".into(),
                    pos: Some(*key_pos),
                });
            }
            found = Some((value.clone(), *key_pos));
        }
    }
    Ok(found)
}

fn one_branch_with_sops_key(store: Store, entries: &mut Vec<Entry>) -> Result<SopsFile, SopsError> {
    let Some((node, pos)) = take_sops(entries)? else {
        return Err(not_encrypted(store));
    };
    entries.retain(|e| !matches!(e, Entry::Pair { key, .. } if key == "sops"));
    Ok(SopsFile {
        store,
        branches: vec![std::mem::take(entries)],
        metadata: Metadata::from_node(&node, pos),
    })
}

/// INI metadata values escape newlines as the two characters `\n` (sops 3.13.0/1 wrote `"""` blocks
/// instead, which the INI store already turns into multi-line values).
fn ini_unescape(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'\\' && b.get(i + 1) == Some(&b'n') {
            out.push(b'\n');
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}
