//! The staged index: what `git commit` is about to record (pre-commit).
//!
//! The index is the one named by `GIT_INDEX_FILE` when git sets it (`git commit -a` and
//! `git commit PATHS` hand hooks a temporary index), read through [`super::open_repo`]. The working
//! tree is never read. The index is never locked or written.

use git2::{Delta, DiffOptions, Index, Repository};

use super::{Selected, is_checked_mode, is_checked_raw_mode, path_string};

/// The repository's index, failing clearly in a bare repository.
pub fn open_index(repo: &Repository) -> Result<Index, String> {
    repo.index()
        .map_err(|e| format!("cannot read the git index: {}", e.message()))
}

/// The staged blobs: entries that differ between HEAD (the empty tree on an unborn branch) and the
/// index — added, modified, renamed (the new path), type-changed and conflicted entries. Deleted
/// entries have nothing to check; gitlinks (submodules) are skipped; symlinks are checked as git
/// stores them (the link text).
pub fn staged(repo: &Repository, index: &Index) -> Result<Vec<Selected>, String> {
    let head_tree = match repo.head() {
        Ok(head) => Some(
            head.peel_to_tree()
                .map_err(|e| format!("cannot read HEAD's tree: {}", e.message()))?,
        ),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            None
        }
        Err(e) => return Err(format!("cannot read HEAD: {}", e.message())),
    };
    let mut opts = DiffOptions::new();
    opts.include_typechange(true).skip_binary_check(true);
    let diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(index), Some(&mut opts))
        .map_err(|e| format!("cannot compare HEAD with the index: {}", e.message()))?;
    let mut out = Vec::new();
    for delta in diff.deltas() {
        if matches!(
            delta.status(),
            Delta::Deleted | Delta::Unmodified | Delta::Ignored
        ) {
            continue;
        }
        let file = delta.new_file();
        if !is_checked_mode(file.mode()) || file.id().is_zero() {
            continue;
        }
        if let Some(path) = file.path_bytes() {
            out.push(Selected {
                path: path_string(path),
                oid: file.id(),
                commit: None,
            });
        }
    }
    Ok(out)
}

/// The index entries at the given repository-relative paths (what the pre-commit framework names),
/// as staged; paths not in the index are skipped.
pub fn at_paths(index: &Index, paths: &[String]) -> Vec<Selected> {
    let mut out = Vec::new();
    for path in paths {
        let p = path.strip_prefix("./").unwrap_or(path);
        for stage in 0..=3 {
            if let Some(entry) = index.get_path(std::path::Path::new(p), stage)
                && is_checked_raw_mode(entry.mode)
                && !entry.id.is_zero()
            {
                out.push(Selected {
                    path: path_string(&entry.path),
                    oid: entry.id,
                    commit: None,
                });
            }
        }
    }
    out
}

/// Every file path in the index (for cross-file checks): the tree `git commit` will record.
pub fn all_paths(index: &Index) -> Vec<String> {
    let mut out: Vec<String> = index
        .iter()
        .filter(|e| is_checked_raw_mode(e.mode))
        .map(|e| path_string(&e.path))
        .collect();
    out.dedup();
    out
}
