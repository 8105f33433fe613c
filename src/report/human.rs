//! The human format: `path:line:col: check/rule: message`, a hint line, a summary on stderr.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::sanitize;
use crate::engine::Outcome;
use crate::finding::Severity;

const PATH: Style = Style::new().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default();
const HINT: Style = AnsiColor::Green.on_default();

pub(super) fn render(
    outcome: &Outcome,
    tool: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    for f in &outcome.findings {
        let mut loc = sanitize(&f.path);
        if let Some(line) = f.line {
            loc.push_str(&format!(":{line}"));
            if let Some(col) = f.column {
                loc.push_str(&format!(":{col}"));
            }
        }
        let style = match f.severity {
            Severity::Error => ERROR,
            Severity::Warning => WARNING,
            Severity::Note => NOTE,
        };
        let sev = match f.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
            Severity::Note => "note: ",
        };
        writeln!(
            out,
            "{PATH}{loc}{PATH:#}: {style}{}/{}{style:#}: {sev}{}",
            f.check,
            f.rule,
            sanitize(&f.message)
        )?;
        if let Some(commit) = &f.commit {
            writeln!(out, "  in commit {}", sanitize(commit))?;
        }
        if let Some(hint) = &f.hint {
            writeln!(out, "  {HINT}hint{HINT:#}: {}", sanitize(hint))?;
        }
    }
    for e in &outcome.errors {
        writeln!(err, "{tool}: {ERROR}error{ERROR:#}: {}", sanitize(e))?;
    }
    let errors = outcome.findings.iter().filter(|f| f.is_error()).count();
    let others = outcome.findings.len() - errors;
    let files = outcome.checked;
    let noun = if files == 1 { "file" } else { "files" };
    if errors > 0 || !outcome.errors.is_empty() {
        writeln!(
            err,
            "{tool}: {errors} problem{} in {files} {noun} checked{}",
            if errors == 1 { "" } else { "s" },
            if outcome.errors.is_empty() {
                String::new()
            } else {
                format!(", {} could not be read", outcome.errors.len())
            }
        )?;
    } else if others > 0 {
        writeln!(
            err,
            "{tool}: {files} {noun} checked, no problem ({others} note{})",
            if others == 1 { "" } else { "s" }
        )?;
    } else {
        writeln!(err, "{tool}: {files} {noun} checked, no problem")?;
    }
    Ok(())
}
