//! A document: bytes to check, the path they belong to, and where they came from.
//!
//! Sources (files, the staged index, pushed commits) make documents; checks read them and never open
//! files themselves. A document parses its SOPS form at most once, lazily, for every check that asks.

use std::sync::OnceLock;

use crate::sops::{SopsError, SopsFile};

/// Where a document's bytes came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file in the working tree.
    WorkTree,
    /// A blob in the git index (what `git commit` is about to record).
    Index,
    /// A blob introduced by a commit (pre-push, pre-receive, history scans).
    Commit(String),
}

/// How the document was selected: named explicitly, or found by walking a directory.
///
/// A file named on the command line (pre-commit passes the files it selected) is always checked by
/// every check that was asked for; a discovered file is checked by a check only when the project
/// configuration says the check covers it (e.g. ensure-sops: a `.sops.yaml` creation rule matches).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Named by the user or by the hook framework.
    Named,
    /// Found while walking a directory or a commit tree.
    Discovered,
}

/// The unit a check works on.
#[derive(Debug)]
pub struct Document {
    /// The path as the user knows it (as given on the command line, or repository-relative in git
    /// modes), `/`-separated; what findings print.
    pub path: String,
    /// The path relative to the project root, `/`-separated (absolute when outside the root); what
    /// `.sops.yaml` rules and configuration globs are matched against.
    pub rel_path: String,
    /// The content.
    pub bytes: Vec<u8>,
    /// Where the bytes came from.
    pub origin: Origin,
    /// Named or discovered.
    pub selection: Selection,
    sops: OnceLock<Result<SopsFile, SopsError>>,
}

impl Document {
    /// A document from bytes.
    pub fn new(
        path: impl Into<String>,
        rel_path: impl Into<String>,
        bytes: Vec<u8>,
        origin: Origin,
        selection: Selection,
    ) -> Self {
        Document {
            path: path.into(),
            rel_path: rel_path.into(),
            bytes,
            origin,
            selection,
            sops: OnceLock::new(),
        }
    }

    /// The file name (last path component).
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The document parsed as a SOPS file (store chosen by extension, as sops does), parsed once.
    pub fn sops(&self) -> &Result<SopsFile, SopsError> {
        self.sops
            .get_or_init(|| crate::sops::parse(&self.path, &self.bytes))
    }

    /// The commit this document's content came from, if any.
    pub fn commit(&self) -> Option<&str> {
        match &self.origin {
            Origin::Commit(c) => Some(c),
            _ => None,
        }
    }
}
