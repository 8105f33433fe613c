//! A finding: one thing a check reports about one file, with where it is and how to fix it.

use serde::Serialize;

/// How serious a finding is. Only [`Severity::Error`] makes a hook fail (exit 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information the user should see (e.g. "verification skipped"); never fails a run.
    Note,
    /// Something suspicious that does not stop a commit by itself.
    Warning,
    /// The commit or push must stop.
    Error,
}

impl Severity {
    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One reported problem. Never carries a secret: at most a redacted prefix and a length in `message`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Path as the user knows it (repository-relative in git modes), `/`-separated.
    pub path: String,
    /// 1-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The check that reported it (`ensure-sops`, `block-plaintext-keys`, ...).
    pub check: &'static str,
    /// The rule inside that check (`not-encrypted`, `mac-mismatch`, ...): stable, documented ids.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, in words a new contributor understands.
    pub message: String,
    /// How to fix it (a command, the right file name, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The key path inside a structured file (`github_app.private_key`), where it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_path: Option<String>,
    /// The commit that introduced the content, in git history modes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// A stable fingerprint (rule + hash of the secret) for baselines; never the secret itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

impl Finding {
    /// A new error-severity finding with no location; refine it with the builder methods.
    pub fn new(
        path: impl Into<String>,
        check: &'static str,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            path: path.into(),
            line: None,
            column: None,
            check,
            rule,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            key_path: None,
            commit: None,
            fingerprint: None,
        }
    }

    /// Set line and column (1-based).
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Set the line only (1-based).
    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    /// Set the hint that says how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Set the key path inside the document.
    pub fn key_path(mut self, key_path: impl Into<String>) -> Self {
        self.key_path = Some(key_path.into());
        self
    }

    /// Set the severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Set the baseline fingerprint.
    pub fn fingerprint(mut self, fingerprint: impl Into<String>) -> Self {
        self.fingerprint = Some(fingerprint.into());
        self
    }

    /// Whether this finding fails the run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key: path, then position, then rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.path,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.check,
            self.rule,
        )
    }
}
