//! Files and directories from the command line: a parallel, gitignore-aware walk (ripgrep's `ignore`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use super::{Candidate, display_path};
use crate::document::Selection;

/// One input path resolved: either a candidate file or a problem with the input itself.
#[derive(Debug)]
pub enum Input {
    /// A file to consider, with its on-disk path.
    File(Candidate, PathBuf),
    /// An input that could not be read or walked (exit 2: fail closed).
    Error(String),
}

/// Root-relative form of `path` (absolute when outside `root`), `/`-separated.
pub fn rel_to_root(path: &Path, root: &Path) -> String {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|c| c.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let abs = normalize(&abs);
    let root = normalize(root);
    match abs.strip_prefix(&root) {
        Ok(rel) => display_path(rel),
        Err(_) => display_path(&abs),
    }
}

/// Lexical normalisation (`.` and `..` removed) that does not touch the file system, so symlinks in
/// the root's own path do not change the answer; the root is canonicalised by the caller if needed.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// Walk `inputs` (files and directories) and call `visit` for every file, in parallel. Files named
/// directly are [`Selection::Named`]; files found in directories are [`Selection::Discovered`].
/// Directory walks honour `.gitignore`, `.ignore` and git's exclude files, and skip `.git`.
pub fn walk<F>(inputs: &[PathBuf], root: &Path, visit: F)
where
    F: Fn(Input) + Sync,
{
    let mut dirs = Vec::new();
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(meta) if meta.is_dir() => dirs.push(input.clone()),
            Ok(_) => visit(Input::File(
                Candidate {
                    path: display_path(input),
                    rel_path: rel_to_root(input, root),
                    selection: Selection::Named,
                },
                input.clone(),
            )),
            Err(e) => visit(Input::Error(format!("{}: {e}", display_path(input)))),
        }
    }
    if dirs.is_empty() {
        return;
    }
    let mut builder = WalkBuilder::new(&dirs[0]);
    for d in &dirs[1..] {
        builder.add(d);
    }
    builder
        .hidden(false)
        .git_ignore(true)
        .git_global(true)
        .git_exclude(true)
        .require_git(false)
        .parents(true)
        .follow_links(false)
        .filter_entry(|e| e.file_name() != ".git");
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(12);
    builder.threads(threads);
    let visit = &visit;
    let errors = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(e) => {
                    if e.file_type().is_some_and(|t| t.is_file()) {
                        let p = e.path();
                        visit(Input::File(
                            Candidate {
                                path: display_path(p),
                                rel_path: rel_to_root(p, root),
                                selection: Selection::Discovered,
                            },
                            p.to_path_buf(),
                        ));
                    }
                }
                Err(err) => {
                    if let Ok(mut v) = errors.lock() {
                        v.push(err.to_string());
                    }
                }
            }
            WalkState::Continue
        })
    });
    for e in errors.into_inner().unwrap_or_default() {
        visit(Input::Error(e));
    }
}
