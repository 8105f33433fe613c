//! Where bytes come from: files and directory walks (here), the git index and pushed commits (git).
//! A source never judges content; it only makes documents.

pub mod files;
pub mod git;

/// A path candidate before reading: what a check's `wants` is asked about.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Display path.
    pub path: String,
    /// Root-relative path (see [`crate::document::Document::rel_path`]).
    pub rel_path: String,
    /// Named or discovered.
    pub selection: crate::document::Selection,
}

/// Turn an OS path into a `/`-separated display string, lossily for non-UTF-8 names.
pub fn display_path(path: &std::path::Path) -> String {
    let s = path.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    if std::path::MAIN_SEPARATOR == '/' {
        s.to_string()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}
