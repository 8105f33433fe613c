//! Un-flattening of the dotenv / INI metadata keys (spec §8.2): `age__list_0__map_enc` is
//! `age[0].enc`. The result is the same [`Node`] tree the YAML and JSON stores hold under `sops`.

use std::collections::BTreeMap;

use super::tree::{Entry, Item, Leaf, Node, Pos};

/// A tree under construction: maps keep first-seen key order, lists are indexed sparsely.
enum Flat {
    Leaf(Leaf),
    Map(Vec<(String, Pos, Flat)>),
    List(BTreeMap<usize, Flat>),
}

/// One path step of a flattened key.
enum Step {
    Key(String),
    Index(usize),
}

/// The steps of a flattened key: the field, then `__map_<k>` / `__list_<n>` parts.
fn steps(key: &str) -> Result<Vec<Step>, String> {
    let mut parts = key.split("__");
    let first = parts.next().unwrap_or_default();
    if first.is_empty() {
        return Err(format!("metadata key `{key}` has an empty field name"));
    }
    let mut out = vec![Step::Key(first.to_string())];
    for part in parts {
        if let Some(k) = part.strip_prefix("map_") {
            out.push(Step::Key(k.to_string()));
        } else if let Some(n) = part.strip_prefix("list_") {
            let n = n
                .parse::<usize>()
                .ok()
                .filter(|n| *n < 1_000_000)
                .ok_or_else(|| format!("metadata key `{key}`: `__list_{n}` is not a list index"))?;
            out.push(Step::Index(n));
        } else {
            return Err(format!(
                "metadata key `{key}`: `__{part}` is neither `__map_<key>` nor `__list_<n>`"
            ));
        }
    }
    Ok(out)
}

fn insert(slot: &mut Flat, steps: &[Step], leaf: Leaf, pos: Pos) -> Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        return Err("a value and a nested entry share one key".to_string());
    };
    match (slot, step) {
        (Flat::Map(entries), Step::Key(k)) => {
            let idx = match entries.iter().position(|(ek, _, _)| ek == k) {
                Some(i) => i,
                None => {
                    let fresh = new_slot(rest, &leaf);
                    entries.push((k.clone(), pos, fresh));
                    entries.len() - 1
                }
            };
            let (_, _, child) = &mut entries[idx];
            place(child, rest, leaf, pos)
        }
        (Flat::List(items), Step::Index(n)) => {
            let child = items.entry(*n).or_insert_with(|| new_slot(rest, &leaf));
            place(child, rest, leaf, pos)
        }
        _ => Err("a key is used both as a map and as a list".to_string()),
    }
}

fn new_slot(rest: &[Step], leaf: &Leaf) -> Flat {
    match rest.first() {
        None => Flat::Leaf(leaf.clone()),
        Some(Step::Key(_)) => Flat::Map(Vec::new()),
        Some(Step::Index(_)) => Flat::List(BTreeMap::new()),
    }
}

fn place(child: &mut Flat, rest: &[Step], leaf: Leaf, pos: Pos) -> Result<(), String> {
    if rest.is_empty() {
        return match child {
            Flat::Leaf(existing) if *existing == leaf => Ok(()),
            Flat::Leaf(_) => Err("the same metadata key appears twice".to_string()),
            _ => Err("a value and a nested entry share one key".to_string()),
        };
    }
    insert(child, rest, leaf, pos)
}

fn into_node(flat: Flat) -> Node {
    match flat {
        Flat::Leaf(l) => Node::Leaf(l),
        Flat::Map(entries) => Node::Map(
            entries
                .into_iter()
                .map(|(key, key_pos, v)| Entry::Pair {
                    key,
                    key_pos,
                    value: into_node(v),
                })
                .collect(),
        ),
        Flat::List(items) => Node::Seq(
            items
                .into_values()
                .map(|v| Item::Node(into_node(v)))
                .collect(),
        ),
    }
}

/// Rebuild the metadata mapping from flattened `(key, position, value)` triples (prefix already
/// removed). Keys that cannot be un-flattened are reported with their position and skipped.
pub fn unflatten(pairs: Vec<(String, Pos, Leaf)>) -> (Node, Vec<(Pos, String)>) {
    let mut root = Flat::Map(Vec::new());
    let mut problems = Vec::new();
    for (key, pos, leaf) in pairs {
        let result = steps(&key).and_then(|s| insert(&mut root, &s, leaf, pos));
        if let Err(e) = result {
            problems.push((pos, format!("{}: {e}", crate::report::sanitize(&key))));
        }
    }
    (into_node(root), problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sops::Scalar;

    fn leaf(s: &str) -> Leaf {
        Leaf {
            value: Scalar::Str(s.as_bytes().to_vec()),
            pos: Pos::default(),
        }
    }

    #[test]
    fn rebuilds_nested_lists_and_maps() {
        let (node, problems) = unflatten(vec![
            ("age__list_0__map_enc".into(), Pos::default(), leaf("E")),
            (
                "age__list_0__map_recipient".into(),
                Pos::default(),
                leaf("R"),
            ),
            (
                "key_groups__list_1__map_age__list_0__map_enc".into(),
                Pos::default(),
                leaf("G"),
            ),
            ("version".into(), Pos::default(), leaf("3.11.0")),
            ("bad__thing".into(), Pos::default(), leaf("x")),
        ]);
        assert_eq!(problems.len(), 1);
        let Node::Map(top) = node else { panic!() };
        let keys: Vec<&str> = top
            .iter()
            .filter_map(|e| match e {
                Entry::Pair { key, .. } => Some(key.as_str()),
                Entry::Comment(_) => None,
            })
            .collect();
        assert_eq!(keys, ["age", "key_groups", "version"]);
    }
}
