//! The JSON format: one object, schema `pforge-hooks/report/v1` (documented in the README).

use std::io::{self, Write};

use serde_json::json;

use crate::engine::Outcome;

/// The schema id written in every JSON report. Bumped only on an incompatible change.
pub const SCHEMA: &str = "pforge-hooks/report/v1";

pub(super) fn render(outcome: &Outcome, tool: &str, out: &mut dyn Write) -> io::Result<()> {
    let errors = outcome.findings.iter().filter(|f| f.is_error()).count();
    let value = json!({
        "schema": SCHEMA,
        "tool": tool,
        "version": env!("CARGO_PKG_VERSION"),
        "exit_code": super::exit_code(outcome),
        "summary": {
            "files_checked": outcome.checked,
            "findings": outcome.findings.len(),
            "errors": errors,
            "unreadable": outcome.errors.len(),
        },
        "findings": outcome.findings,
        "unreadable": outcome.errors,
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
