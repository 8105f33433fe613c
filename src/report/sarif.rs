//! SARIF 2.1.0 output, in the subset GitHub code scanning accepts.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::engine::Outcome;
use crate::finding::Severity;

pub(super) fn render(outcome: &Outcome, tool: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut rules: BTreeMap<String, Value> = BTreeMap::new();
    let mut results = Vec::new();
    for f in &outcome.findings {
        let rule_id = format!("{}/{}", f.check, f.rule);
        rules.entry(rule_id.clone()).or_insert_with(|| {
            json!({
                "id": rule_id,
                "name": f.rule,
                "shortDescription": { "text": format!("{} {}", f.check, f.rule.replace('-', " ")) },
                "helpUri": "https://github.com/pangeo-forge/pforge-hooks#rules",
            })
        });
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let mut region = serde_json::Map::new();
        region.insert("startLine".into(), json!(f.line.unwrap_or(1).max(1)));
        if let Some(c) = f.column {
            region.insert("startColumn".into(), json!(c.max(1)));
        }
        let mut text = f.message.clone();
        if let Some(h) = &f.hint {
            text.push_str(" (hint: ");
            text.push_str(h);
            text.push(')');
        }
        let mut result = json!({
            "ruleId": rule_id,
            "level": level,
            "message": { "text": text },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&f.path) },
                    "region": Value::Object(region),
                }
            }],
        });
        if let Some(fp) = &f.fingerprint {
            result["partialFingerprints"] = json!({ "pforgeHooks/v1": fp });
        }
        results.push(result);
    }
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": tool,
                "informationUri": "https://github.com/pangeo-forge/pforge-hooks",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "results": results,
            "invocations": [{
                "executionSuccessful": outcome.errors.is_empty(),
                "toolExecutionNotifications": outcome.errors.iter().map(|e| json!({
                    "level": "error", "message": { "text": e }
                })).collect::<Vec<_>>(),
            }],
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}

/// A relative URI for a path: percent-encode what a URI cannot hold.
fn uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}
