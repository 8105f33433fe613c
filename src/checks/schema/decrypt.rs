//! The keyed half's input: the encrypted leaves of a SOPS file, decrypted in memory with the
//! identities at hand (the data key and AEAD of `sops::crypto`). Plaintexts live in `Zeroizing`
//! buffers, are wiped when dropped, and are never printed or written.

use zeroize::Zeroizing;

use super::plain::{DecryptedLeaf, Plain};
use crate::sops::crypto::Identities;
use crate::sops::crypto::aead;
use crate::sops::crypto::datakey::{self, DataKeyResult};
use crate::sops::enc::{self, EncType};
use crate::sops::walk::{self, Rule, VisitKind};
use crate::sops::{Pos, Scalar, SopsFile, Store};

/// A decrypted value, owned and wiped when dropped.
#[derive(Debug)]
pub enum Owned {
    /// A string.
    Str(Zeroizing<Vec<u8>>),
    /// An integer.
    Int(i64),
    /// Another type, by name.
    Other(&'static str),
}

/// A decrypted leaf of the first document: its key path (mapping keys only), position and value.
#[derive(Debug)]
pub struct OwnedLeaf {
    /// The mapping keys from the root.
    pub path: Vec<String>,
    /// Where the value is.
    pub pos: Pos,
    /// The value.
    pub value: Owned,
    /// Whether the leaf is inside a list (its JSON pointer then needs indices the walk does not give).
    pub in_list: bool,
}

impl OwnedLeaf {
    /// Borrow as the keyed seam's input.
    pub fn borrow(&self) -> DecryptedLeaf<'_> {
        DecryptedLeaf {
            path: &self.path,
            pos: self.pos,
            value: match &self.value {
                Owned::Str(b) => Plain::Str(b),
                Owned::Int(i) => Plain::Int(*i),
                Owned::Other(t) => Plain::Other(t),
            },
        }
    }
}

/// Decrypt every encrypted leaf of the first document. `None` when no identity at hand opens the
/// file, or the file cannot be decrypted (ensure-sops reports why). Leaves that do not decrypt at
/// their key path are left out (ensure-sops reports them too).
pub fn decrypt_leaves(file: &SopsFile, ids: &Identities) -> Option<Vec<OwnedLeaf>> {
    if ids.is_empty() || file.store == Store::Binary {
        return None;
    }
    let DataKeyResult::Key { key, .. } = datakey::data_key(&file.metadata, ids) else {
        return None;
    };
    let rule = Rule::compile(&file.metadata.selector()).ok()?;
    let first = file.branches.get(..1)?;
    let mut out = Vec::new();
    walk::walk(first, &rule, &mut |v| {
        let VisitKind::Leaf(leaf) = v.kind else {
            return;
        };
        if !v.encrypted {
            return;
        }
        let Scalar::Str(s) = &leaf.value else {
            return;
        };
        let Some(Ok(value)) = std::str::from_utf8(s)
            .ok()
            .filter(|t| enc::looks_encrypted(t.as_bytes()))
            .map(enc::parse)
        else {
            return;
        };
        let Ok(plain) = aead::open(&key, &value, v.aad().as_bytes()) else {
            return;
        };
        let owned = match value.kind {
            EncType::Str | EncType::Bytes => Owned::Str(plain),
            EncType::Int => match std::str::from_utf8(&plain)
                .ok()
                .and_then(|t| t.parse().ok())
            {
                Some(i) => Owned::Int(i),
                None => Owned::Other("an unreadable integer"),
            },
            EncType::Float => Owned::Other("a float"),
            EncType::Bool => Owned::Other("a boolean"),
            EncType::Time => Owned::Other("a timestamp"),
            EncType::Comment => return,
        };
        out.push(OwnedLeaf {
            path: v.path.iter().map(|p| p.to_string()).collect(),
            pos: leaf.pos,
            value: owned,
            in_list: false,
        });
    });
    mark_list_leaves(first, &mut out);
    Some(out)
}

/// Mark the leaves whose position is inside a sequence (their key path alone does not locate them).
fn mark_list_leaves(branches: &[Vec<crate::sops::Entry>], leaves: &mut [OwnedLeaf]) {
    use crate::sops::{Entry, Item, Node};
    fn seq_positions(node: &Node, in_list: bool, out: &mut Vec<Pos>, depth: usize) {
        if depth > 128 {
            return;
        }
        match node {
            Node::Leaf(l) if in_list => out.push(l.pos),
            Node::Leaf(_) => {}
            Node::Map(entries) => {
                for e in entries {
                    if let Entry::Pair { value, .. } = e {
                        seq_positions(value, in_list, out, depth + 1);
                    }
                }
            }
            Node::Seq(items) => {
                for i in items {
                    if let Item::Node(n) = i {
                        seq_positions(n, true, out, depth + 1);
                    }
                }
            }
        }
    }
    let mut positions = Vec::new();
    for b in branches {
        for e in b {
            if let Entry::Pair { value, .. } = e {
                seq_positions(value, false, &mut positions, 0);
            }
        }
    }
    for l in leaves {
        l.in_list = positions.contains(&l.pos);
    }
}
