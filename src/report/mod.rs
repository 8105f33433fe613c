//! Findings -> human text, JSON or SARIF; and the exit code.

mod human;
mod json;
mod sarif;

use std::io::{self, Write};

use crate::engine::Outcome;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: check/rule: message` plus a hint line; colour on a terminal.
    Human,
    /// One JSON object (schema `pforge-hooks/report/v1`, see the README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

/// The exit code contract: 0 clean, 1 a finding that must stop the commit, 2 could not check.
pub fn exit_code(outcome: &Outcome) -> u8 {
    if !outcome.errors.is_empty() {
        2
    } else if outcome.findings.iter().any(|f| f.is_error()) {
        1
    } else {
        0
    }
}

/// Render `outcome` to `out` (findings) and `err` (summary and read errors, human format only).
/// `tool` names the program for the summary and the SARIF driver.
pub fn render(
    outcome: &Outcome,
    format: Format,
    tool: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(outcome, tool, out, err),
        Format::Json => json::render(outcome, tool, out),
        Format::Sarif => sarif::render(outcome, tool, out),
    }
}

/// Make an untrusted string safe to print on a terminal: control characters (escape sequences,
/// carriage returns, newlines, bidi overrides) are shown escaped instead of acting.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Severity};

    fn outcome() -> Outcome {
        let mut o = Outcome {
            findings: vec![
                Finding::new(
                    "secrets/a\u{1b}[31m.yaml",
                    "ensure-sops",
                    "clear-value",
                    "value is clear text",
                )
                .at(3, 5)
                .key_path("fastapi.KEY")
                .hint("run `sops -e -i secrets/a.yaml`"),
                Finding::new(
                    "secrets/b.yaml",
                    "ensure-sops",
                    "unverified",
                    "verification skipped",
                )
                .severity(Severity::Note),
            ],
            errors: vec![],
            checked: 2,
        };
        o.finish();
        o
    }

    fn render_to_string(o: &Outcome, f: Format) -> (String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        render(o, f, "ensure-sops", &mut out, &mut err).unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn human_format_is_path_line_col_check_rule_message_and_hint() {
        let (out, err) = render_to_string(&outcome(), Format::Human);
        let plain =
            String::from_utf8(anstream::adapter::strip_bytes(out.as_bytes()).into_vec()).unwrap();
        assert!(
            plain.contains(
                "secrets/a\\u{1b}[31m.yaml:3:5: ensure-sops/clear-value: value is clear text"
            ),
            "{plain}"
        );
        assert!(
            plain.contains("  hint: run `sops -e -i secrets/a.yaml`"),
            "{plain}"
        );
        assert!(plain.contains("note: verification skipped"), "{plain}");
        assert!(
            !out.contains("\u{1b}[31m.yaml"),
            "a raw escape from a path reached the terminal"
        );
        assert!(err.contains("1 problem in 2 files checked"), "{err}");
    }

    #[test]
    fn json_format_has_the_documented_schema() {
        let (out, _) = render_to_string(&outcome(), Format::Json);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["schema"], "pforge-hooks/report/v1");
        assert_eq!(v["exit_code"], 1);
        assert_eq!(v["summary"]["files_checked"], 2);
        assert_eq!(v["summary"]["errors"], 1);
        let f = &v["findings"][0];
        assert_eq!(f["path"], "secrets/a\u{1b}[31m.yaml");
        assert_eq!(f["line"], 3);
        assert_eq!(f["column"], 5);
        assert_eq!(f["rule"], "clear-value");
        assert_eq!(f["severity"], "error");
        assert_eq!(f["key_path"], "fastapi.KEY");
        assert!(v["findings"][1].get("line").is_none());
    }

    #[test]
    fn sarif_has_rules_results_and_levels() {
        let (out, _) = render_to_string(&outcome(), Format::Sarif);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "ensure-sops");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 2);
        let r0 = &run["results"][0];
        assert_eq!(r0["ruleId"], "ensure-sops/clear-value");
        assert_eq!(r0["level"], "error");
        let loc = &r0["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "secrets/a%1B%5B31m.yaml");
        assert_eq!(loc["region"]["startLine"], 3);
        assert_eq!(run["results"][1]["level"], "note");
    }

    #[test]
    fn exit_codes() {
        let mut o = outcome();
        assert_eq!(exit_code(&o), 1);
        o.findings.retain(|f| !f.is_error());
        assert_eq!(exit_code(&o), 0);
        o.errors.push("x: unreadable".into());
        assert_eq!(exit_code(&o), 2);
    }
}
