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
