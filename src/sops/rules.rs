//! `.sops.yaml` creation rules (spec §14): which files sops encrypts, with which keys and selector.
//!
//! sops consults these only when encrypting; pforge-hooks uses them to know which files must be
//! encrypted (`ensure-sops` discovery) and which recipients a file should have (policy checks).
//! Matching is sops' own: the path relative to the directory of `.sops.yaml`, rules in order, the first
//! whose `path_regex` (RE2, unanchored) matches wins; a rule without `path_regex` matches everything.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::metadata::{KeyKind, Selector, scalar_text};
use super::tree::{Entry, Item, Node};

/// The config file name sops looks for (`.sops.yml` is not accepted by sops).
pub const FILE_NAME: &str = ".sops.yaml";

/// The keys of one key group of a rule, by kind, as written (age recipients, PGP fingerprints, KMS
/// ARNs, GCP resource ids, `vaultUrl/key/version` for Azure, Vault transit URIs, HuaweiCloud key ids).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleGroup {
    /// `(kind, key)` pairs in the order written, duplicates removed.
    pub keys: Vec<(KeyKind, String)>,
}

impl RuleGroup {
    /// The keys of one kind.
    pub fn recipients(&self, kind: KeyKind) -> impl Iterator<Item = &str> {
        self.keys
            .iter()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, s)| s.as_str())
    }

    fn push(&mut self, kind: KeyKind, key: String) {
        if !key.is_empty() && !self.keys.iter().any(|(k, s)| *k == kind && *s == key) {
            self.keys.push((kind, key));
        }
    }
}

/// One entry of `creation_rules`.
#[derive(Clone, Debug)]
pub struct CreationRule {
    /// Index in `creation_rules` (0-based), for messages.
    pub index: usize,
    /// `path_regex` as written; `None` (or empty) matches every path.
    pub path_regex: Option<String>,
    regex: Option<Regex>,
    /// The key groups: `key_groups` when non-empty, else one group of the rule's top-level keys.
    pub key_groups: Vec<RuleGroup>,
    /// `shamir_threshold`, when set.
    pub shamir_threshold: Option<u64>,
    /// The selector the rule sets, if any (sops then copies it into the file's metadata).
    pub selector: Option<Selector>,
    /// `mac_only_encrypted`.
    pub mac_only_encrypted: bool,
}

impl CreationRule {
    /// Whether this rule matches a path (relative to the config's directory, `/`-separated).
    pub fn matches(&self, path: &str) -> bool {
        self.regex.as_ref().is_none_or(|r| r.is_match(path))
    }

    /// Whether the rule names the files it covers (has a non-empty `path_regex`).
    pub fn has_path_regex(&self) -> bool {
        self.regex.is_some()
    }

    /// Every key of one kind, over all groups.
    pub fn recipients(&self, kind: KeyKind) -> Vec<&str> {
        self.key_groups
            .iter()
            .flat_map(|g| g.recipients(kind))
            .collect()
    }
}

/// A loaded `.sops.yaml`.
#[derive(Clone, Debug)]
pub struct SopsRules {
    /// The file it was read from.
    pub source: PathBuf,
    /// The project root relative to the config's directory (`""` when they are the same), so that
    /// root-relative paths can be matched the way sops matches them.
    root_prefix: String,
    /// The directory of the config, absolute, `/`-separated (to strip from absolute paths).
    dir: String,
    /// `creation_rules`, in order.
    pub rules: Vec<CreationRule>,
}

impl SopsRules {
    /// The path as sops matches it: relative to the config's directory.
    pub fn config_relative(&self, rel_path: &str) -> String {
        if rel_path.starts_with('/') {
            let prefix = format!("{}/", self.dir.trim_end_matches('/'));
            return rel_path
                .strip_prefix(&prefix)
                .unwrap_or(rel_path)
                .to_string();
        }
        if self.root_prefix.is_empty() {
            rel_path.to_string()
        } else {
            format!("{}/{}", self.root_prefix, rel_path)
        }
    }

    /// The rule sops would use to encrypt this root-relative path (first match wins).
    pub fn rule_for(&self, rel_path: &str) -> Option<&CreationRule> {
        let p = self.config_relative(rel_path);
        self.rules.iter().find(|r| r.matches(&p))
    }

    /// Whether a rule *with a `path_regex`* is the first match for this path: the file is named by
    /// the config as one to encrypt. A trailing catch-all rule (no `path_regex`) only says which keys
    /// to use for anything sops is asked to encrypt, so it does not make every file a secret.
    pub fn covers(&self, rel_path: &str) -> bool {
        self.rule_for(rel_path)
            .is_some_and(CreationRule::has_path_regex)
    }
}

/// Find `.sops.yaml` by walking up from `start` (at most 100 levels, as sops does) and load it.
/// `Ok(None)`: no config, or one without `creation_rules` (sops treats it as absent).
pub fn discover(start: &Path, root: &Path) -> Result<Option<SopsRules>, String> {
    for dir in start.ancestors().take(100) {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            let bytes = std::fs::read(&candidate)
                .map_err(|e| format!("cannot read {}: {e}", candidate.display()))?;
            return load(&bytes, &candidate, root);
        }
    }
    Ok(None)
}

/// Parse a `.sops.yaml` read from `source`; `root` is the project root.
pub fn load(bytes: &[u8], source: &Path, root: &Path) -> Result<Option<SopsRules>, String> {
    let at = |msg: String| format!("{}: {msg}", source.display());
    let docs = super::stores::yaml::parse(bytes).map_err(|e| match e {
        super::SopsError::Malformed { message, pos } => match pos {
            Some(p) => at(format!("line {}: {message}", p.line)),
            None => at(message),
        },
        super::SopsError::NotEncrypted { reason } => at(reason),
    })?;
    let Some(doc) = docs.first() else {
        return Ok(None);
    };
    let Some(rules_node) = get(doc, "creation_rules") else {
        return Ok(None);
    };
    let items = match rules_node {
        Node::Seq(items) => items,
        Node::Leaf(_) if scalar_text(rules_node).ok().flatten().is_none() => return Ok(None),
        _ => return Err(at("`creation_rules` is not a list".into())),
    };
    let mut rules = Vec::new();
    for (index, item) in items
        .iter()
        .filter_map(|i| match i {
            Item::Node(n) => Some(n),
            Item::Comment(_) => None,
        })
        .enumerate()
    {
        let Node::Map(entries) = item else {
            return Err(at(format!("creation rule {index} is not a mapping")));
        };
        rules.push(rule(entries, index).map_err(|e| at(format!("creation rule {index}: {e}")))?);
    }
    let dir = source
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = absolute(&dir);
    let root = absolute(root);
    let root_prefix = root
        .strip_prefix(&dir)
        .map(crate::source::display_path)
        .unwrap_or_default();
    Ok(Some(SopsRules {
        source: source.to_path_buf(),
        root_prefix,
        dir: crate::source::display_path(&dir),
        rules,
    }))
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir()
                .map(|c| c.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        }
    })
}

fn get<'a>(entries: &'a [Entry], name: &str) -> Option<&'a Node> {
    entries.iter().find_map(|e| match e {
        Entry::Pair { key, value, .. } if key == name => Some(value),
        _ => None,
    })
}

fn text(node: &Node, field: &str) -> Result<Option<String>, String> {
    scalar_text(node).map_err(|why| format!("`{field}` {why}"))
}

/// A key list: a comma-separated string (items trimmed, empty skipped) or a YAML list of strings.
fn key_list(node: &Node, field: &str) -> Result<Vec<String>, String> {
    match node {
        Node::Seq(items) => {
            let mut out = Vec::new();
            for i in items {
                if let Item::Node(n) = i
                    && let Some(t) = text(n, field)?
                {
                    let t = t.trim().to_string();
                    if !t.is_empty() {
                        out.push(t);
                    }
                }
            }
            Ok(out)
        }
        _ => Ok(text(node, field)?
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()),
    }
}

/// The rule fields holding each kind's keys at the top level of a rule.
const TOP_FIELDS: [(&str, KeyKind); 7] = [
    ("age", KeyKind::Age),
    ("pgp", KeyKind::Pgp),
    ("kms", KeyKind::Kms),
    ("gcp_kms", KeyKind::GcpKms),
    ("azure_keyvault", KeyKind::AzureKv),
    ("hc_vault_transit_uri", KeyKind::HcVault),
    ("hckms", KeyKind::Hckms),
];

fn rule(entries: &[Entry], index: usize) -> Result<CreationRule, String> {
    let path_regex = match get(entries, "path_regex") {
        Some(n) => text(n, "path_regex")?.filter(|s| !s.is_empty()),
        None => None,
    };
    let regex = match &path_regex {
        Some(p) => Some(Regex::new(p).map_err(|e| format!("`path_regex` does not compile: {e}"))?),
        None => None,
    };
    let mut top = RuleGroup::default();
    for (field, kind) in TOP_FIELDS {
        if let Some(n) = get(entries, field) {
            for k in key_list(n, field)? {
                top.push(kind, k);
            }
        }
    }
    let mut key_groups = Vec::new();
    if let Some(Node::Seq(groups)) = get(entries, "key_groups") {
        for g in groups {
            let Item::Node(Node::Map(g)) = g else {
                continue;
            };
            let mut group = RuleGroup::default();
            group_keys(g, &mut group, 0)?;
            key_groups.push(group);
        }
    }
    if key_groups.is_empty() && !top.keys.is_empty() {
        key_groups.push(top);
    }
    let shamir_threshold = match get(entries, "shamir_threshold") {
        Some(n) => match text(n, "shamir_threshold")? {
            Some(t) => Some(
                t.trim()
                    .parse::<u64>()
                    .map_err(|_| "`shamir_threshold` is not a whole number".to_string())?,
            ),
            None => None,
        },
        None => None,
    };
    let mut selectors = Vec::new();
    for field in Selector::FIELDS {
        if let Some(t) = get(entries, field)
            .map(|n| text(n, field))
            .transpose()?
            .flatten()
            .filter(|t| !t.is_empty())
        {
            if field.ends_with("_regex") {
                Regex::new(&t).map_err(|e| format!("`{field}` does not compile: {e}"))?;
            }
            selectors.extend(Selector::from_field(field, t));
        }
    }
    if selectors.len() > 1 {
        return Err("more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, unencrypted_comment_regex".into());
    }
    let mac_only_encrypted = match get(entries, "mac_only_encrypted") {
        Some(n) => matches!(
            text(n, "mac_only_encrypted")?.as_deref(),
            Some("true" | "True" | "TRUE")
        ),
        None => false,
    };
    Ok(CreationRule {
        index,
        path_regex,
        regex,
        key_groups,
        shamir_threshold,
        selector: selectors.pop(),
        mac_only_encrypted,
    })
}

/// The keys of one `key_groups` entry (with nested `merge` groups flattened in).
fn group_keys(entries: &[Entry], group: &mut RuleGroup, depth: usize) -> Result<(), String> {
    if depth > 16 {
        return Err("`merge` nested too deeply".into());
    }
    for e in entries {
        let Entry::Pair { key, value, .. } = e else {
            continue;
        };
        let Node::Seq(items) = value else { continue };
        for item in items {
            let Item::Node(n) = item else { continue };
            match (key.as_str(), n) {
                ("age", _) | ("pgp", _) | ("hc_vault", _) => {
                    let kind = match key.as_str() {
                        "age" => KeyKind::Age,
                        "pgp" => KeyKind::Pgp,
                        _ => KeyKind::HcVault,
                    };
                    if let Some(t) = text(n, key)? {
                        group.push(kind, t.trim().to_string());
                    }
                }
                ("kms", Node::Map(m)) => group.push(KeyKind::Kms, field_of(m, &["arn"])?),
                ("gcp_kms", Node::Map(m)) => {
                    group.push(KeyKind::GcpKms, field_of(m, &["resource_id"])?);
                }
                ("azure_keyvault", Node::Map(m)) => {
                    group.push(
                        KeyKind::AzureKv,
                        field_of(m, &["vaultUrl", "key", "version"])?,
                    );
                }
                ("hckms", Node::Map(m)) => group.push(KeyKind::Hckms, field_of(m, &["key_id"])?),
                ("merge", Node::Map(m)) => group_keys(m, group, depth + 1)?,
                _ => {}
            }
        }
    }
    Ok(())
}

fn field_of(m: &[Entry], fields: &[&str]) -> Result<String, String> {
    let mut parts = Vec::new();
    for f in fields {
        if let Some(n) = get(m, f)
            && let Some(t) = text(n, f)?
        {
            parts.push(t);
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
creation_rules:
  - path_regex: regex\.yaml$
    encrypted_regex: ^(string|int|deeper)$
    age: age1aaa
  - path_regex: shamir\.yaml$
    shamir_threshold: 2
    key_groups:
      - age:
          - age1aaa
      - age:
          - age1bbb
        merge:
          - pgp:
              - FP1
  - path_regex: multi\.yaml$
    age: >-
      age1aaa,
      age1bbb,
  - age: age1ccc
"#;

    fn rules() -> SopsRules {
        load(
            CONFIG.as_bytes(),
            Path::new("/tmp/x/.sops.yaml"),
            Path::new("/tmp/x"),
        )
        .unwrap()
        .unwrap()
    }

    #[test]
    fn first_match_wins_and_keys_are_read() {
        let r = rules();
        let rule = r.rule_for("a/regex.yaml").unwrap();
        assert_eq!(rule.index, 0);
        assert!(matches!(rule.selector, Some(Selector::EncryptedRegex(_))));
        let s = r.rule_for("shamir.yaml").unwrap();
        assert_eq!(s.key_groups.len(), 2);
        assert_eq!(s.shamir_threshold, Some(2));
        assert_eq!(s.recipients(KeyKind::Pgp), ["FP1"]);
        let m = r.rule_for("multi.yaml").unwrap();
        assert_eq!(m.recipients(KeyKind::Age), ["age1aaa", "age1bbb"]);
        assert_eq!(r.rule_for("other.txt").unwrap().index, 3);
        assert!(!r.covers("other.txt"));
        assert!(r.covers("x/multi.yaml"));
    }

    #[test]
    fn bad_configs_are_errors() {
        let bad = "creation_rules:\n  - path_regex: '('\n";
        assert!(load(bad.as_bytes(), Path::new("/t/.sops.yaml"), Path::new("/t")).is_err());
        let two = "creation_rules:\n  - encrypted_regex: a\n    unencrypted_suffix: b\n";
        assert!(load(two.as_bytes(), Path::new("/t/.sops.yaml"), Path::new("/t")).is_err());
        let none = "stores: {}\n";
        assert!(
            load(none.as_bytes(), Path::new("/t/.sops.yaml"), Path::new("/t"))
                .unwrap()
                .is_none()
        );
    }
}
