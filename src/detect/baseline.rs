//! The baseline: fingerprints of known, accepted findings (`pforge-hooks baseline` writes it).
//!
//! Keyed by fingerprint only (rule + secret hash), never by line number, so it survives edits,
//! moves and merges. The path of the first place each fingerprint was seen is kept for people who
//! audit the file; matching ignores it. Entries are sorted and nothing time-dependent is written,
//! so regenerating an unchanged tree gives a byte-identical file.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The format version written and accepted.
pub const VERSION: u32 = 1;

/// Baselines larger than this are refused (a baseline is a list of short strings).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// One accepted finding.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `rule:hash`, as in [`crate::finding::Finding::fingerprint`].
    pub fingerprint: String,
    /// The rule id (informational; the fingerprint starts with it).
    pub rule: String,
    /// Where it was first seen (informational; not matched).
    pub path: String,
}

/// The baseline file.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// The accepted findings, sorted by fingerprint.
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// A baseline of these `(fingerprint, rule, path)` triples: one entry per fingerprint (the first
    /// path in sort order), sorted.
    pub fn from_findings<'a>(items: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Self {
        let mut map: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        for (fp, rule, path) in items {
            map.entry(fp)
                .and_modify(|e| {
                    if path < e.1 {
                        e.1 = path;
                    }
                })
                .or_insert((rule, path));
        }
        Baseline {
            version: VERSION,
            findings: map
                .into_iter()
                .map(|(fp, (rule, path))| Entry {
                    fingerprint: fp.to_string(),
                    rule: rule.to_string(),
                    path: path.to_string(),
                })
                .collect(),
        }
    }

    /// The JSON text (pretty, one entry per line group, trailing newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parse a baseline's text.
    pub fn parse(text: &[u8]) -> Result<Self, String> {
        let b: Baseline = serde_json::from_slice(text)
            .map_err(|e| format!("not a pforge-hooks baseline: {e}"))?;
        if b.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                b.version
            ));
        }
        Ok(b)
    }

    /// The set of fingerprints.
    pub fn fingerprints(&self) -> HashSet<String> {
        self.findings
            .iter()
            .map(|e| e.fingerprint.clone())
            .collect()
    }
}

/// Read the baseline at `path`: `Ok(None)` when there is no such file.
pub fn load(path: &Path) -> Result<Option<HashSet<String>>, String> {
    match crate::engine::read_bounded(path, MAX_BYTES) {
        Ok(bytes) => Baseline::parse(&bytes)
            .map(|b| Some(b.fingerprints()))
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(crate::engine::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(None)
        }
        Err(crate::engine::ReadError::Io(e)) => Err(format!("cannot read {}: {e}", path.display())),
        Err(crate::engine::ReadError::TooLarge(n)) => Err(format!(
            "{}: {n} bytes is too large for a baseline",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_stable_and_sorted() {
        let b = Baseline::from_findings([
            ("z:2", "z", "b.txt"),
            ("a:1", "a", "x.txt"),
            ("z:2", "z", "a.txt"),
        ]);
        assert_eq!(b.findings.len(), 2);
        assert_eq!(
            b.findings.first().map(|e| e.fingerprint.as_str()),
            Some("a:1")
        );
        assert_eq!(b.findings.get(1).map(|e| e.path.as_str()), Some("a.txt"));
        let text = b.to_json();
        assert_eq!(Baseline::parse(text.as_bytes()), Ok(b));
    }

    #[test]
    fn rejects_other_versions_and_shapes() {
        assert!(Baseline::parse(br#"{"version":2,"findings":[]}"#).is_err());
        assert!(Baseline::parse(b"[]").is_err());
        assert!(Baseline::parse(b"\xff").is_err());
    }
}
