//! Test-only: a tiny JSON-to-tree adapter (serde_json) so the crypto can be checked against the real
//! sops vectors independently of the store parsers.

use serde_json::Value;

use crate::sops::metadata::{KeyGroup, KeyKind, MasterKey, Metadata, Selector};
use crate::sops::tree::{Entry, Item, Leaf, Node, Pos, Scalar};
use crate::sops::{SopsFile, Store};

fn node(v: &Value) -> Node {
    let leaf = |value| {
        Node::Leaf(Leaf {
            value,
            pos: Pos::default(),
        })
    };
    match v {
        Value::Null => leaf(Scalar::Null),
        Value::Bool(b) => leaf(Scalar::Bool(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => leaf(Scalar::Int(i)),
            None => leaf(Scalar::Float(n.as_f64().unwrap_or(f64::NAN))),
        },
        Value::String(s) => leaf(Scalar::Str(s.as_bytes().to_vec())),
        Value::Array(a) => Node::Seq(a.iter().map(|x| Item::Node(node(x))).collect()),
        Value::Object(o) => Node::Map(entries(o)),
    }
}

fn entries(o: &serde_json::Map<String, Value>) -> Vec<Entry> {
    o.iter()
        .filter(|(k, _)| k.as_str() != "sops")
        .map(|(k, v)| Entry::Pair {
            key: k.clone(),
            key_pos: Pos::default(),
            value: node(v),
        })
        .collect()
}

fn ages(v: Option<&Value>) -> Vec<MasterKey> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|e| MasterKey {
                    kind: KeyKind::Age,
                    id: e["recipient"].as_str().unwrap_or("").to_string(),
                    enc: e["enc"].as_str().unwrap_or("").to_string(),
                    created_at: None,
                    pos: Pos::default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Parse a sops JSON (or binary-store) file with serde_json.
pub fn json_file(text: &str, store: Store) -> SopsFile {
    let v: Value = serde_json::from_str(text).unwrap();
    let o = v.as_object().unwrap();
    let s = &o["sops"];
    let top = ages(s.get("age"));
    let key_groups = if top.is_empty() {
        s.get("key_groups")
            .and_then(Value::as_array)
            .map(|g| {
                g.iter()
                    .map(|g| KeyGroup {
                        keys: ages(g.get("age")),
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![KeyGroup { keys: top }]
    };
    let st = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_string);
    let mut selectors = Vec::new();
    if let Some(x) = st("unencrypted_suffix") {
        selectors.push(Selector::UnencryptedSuffix(x));
    }
    if let Some(x) = st("encrypted_regex") {
        selectors.push(Selector::EncryptedRegex(x));
    }
    SopsFile {
        store,
        branches: vec![entries(o)],
        metadata: Metadata {
            lastmodified: st("lastmodified"),
            mac: st("mac"),
            version: st("version"),
            key_groups,
            shamir_threshold: s.get("shamir_threshold").and_then(Value::as_u64),
            selectors,
            mac_only_encrypted: s
                .get("mac_only_encrypted")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            ..Metadata::default()
        },
    }
}
