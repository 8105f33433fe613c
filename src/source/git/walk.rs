//! Commit walks shared by pre-push, pre-receive and history scans: which blobs each commit introduces.

use std::collections::HashSet;

use git2::{Commit, Oid, Repository, Revwalk, Sort, Tree, TreeWalkMode, TreeWalkResult};

use super::feed::{Feed, Stop};
use super::{Selected, is_checked_mode, path_string};

/// Why a walk stopped before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Halt {
    /// The time budget ran out after `done` of `total` commits.
    Budget {
        /// Commits fully offered.
        done: usize,
        /// Commits in the walk.
        total: usize,
    },
    /// Git could not be read, or the listing could not be written.
    Failed(String),
}

fn git_err(context: &str, e: &git2::Error) -> Halt {
    Halt::Failed(format!("{context}: {}", e.message()))
}

/// The blobs (checked modes only) on the new side of the diff `old -> new`: added, modified,
/// renamed (as an addition), and type-changed entries. Deletions bring nothing to check.
///
/// A direct tree comparison (subtrees with equal ids are skipped, entries looked up by name in the
/// sorted old tree): several times cheaper than a full libgit2 diff, which matters for the
/// thousands of commits a pre-receive may walk.
pub fn changed(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
) -> Result<Vec<(Vec<u8>, Oid)>, git2::Error> {
    let mut out = Vec::new();
    let mut prefix = Vec::new();
    diff_into(repo, old, new, &mut prefix, &mut out, 0)?;
    Ok(out)
}

const TREE_MODE: i32 = 0o040000;
/// Deeper trees than this are refused (a hostile push cannot recurse without bound).
const MAX_DEPTH: usize = 4096;

fn diff_into(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
    prefix: &mut Vec<u8>,
    out: &mut Vec<(Vec<u8>, Oid)>,
    depth: usize,
) -> Result<(), git2::Error> {
    if depth > MAX_DEPTH {
        return Err(git2::Error::from_str("tree nesting too deep"));
    }
    if old.is_some_and(|o| o.id() == new.id()) {
        return Ok(());
    }
    for entry in new.iter() {
        let name = entry.name_bytes();
        let mode = entry.filemode();
        let id = entry.id();
        let before = old.and_then(|o| o.get_name_bytes(name));
        if before
            .as_ref()
            .is_some_and(|b| b.id() == id && b.filemode() == mode)
        {
            continue;
        }
        if mode == TREE_MODE {
            let sub = repo.find_tree(id)?;
            let old_sub = match before {
                Some(b) if b.filemode() == TREE_MODE => Some(repo.find_tree(b.id())?),
                _ => None,
            };
            let len = prefix.len();
            prefix.extend_from_slice(name);
            prefix.push(b'/');
            let res = diff_into(repo, old_sub.as_ref(), &sub, prefix, out, depth + 1);
            prefix.truncate(len);
            res?;
        } else if filemode(mode).is_some_and(is_checked_mode) && !id.is_zero() {
            let mut path = prefix.clone();
            path.extend_from_slice(name);
            out.push((path, id));
        }
    }
    Ok(())
}

/// The blobs a commit introduces: its diff against the first parent (the empty tree for a root
/// commit); for a merge, only entries that differ from *every* parent (what the merge itself brings,
/// as git's combined diff shows it; the other side's commits are walked on their own).
pub fn introduced(
    repo: &Repository,
    commit: &Commit<'_>,
) -> Result<Vec<(String, Oid)>, git2::Error> {
    let tree = commit.tree()?;
    let first = match commit.parent_count() {
        0 => None,
        _ => Some(commit.parent(0)?.tree()?),
    };
    let mut entries = changed(repo, first.as_ref(), &tree)?;
    for i in 1..commit.parent_count() {
        if entries.is_empty() {
            break;
        }
        let other = commit.parent(i)?.tree()?;
        let differs: HashSet<(Vec<u8>, Oid)> =
            changed(repo, Some(&other), &tree)?.into_iter().collect();
        entries.retain(|e| differs.contains(e));
    }
    Ok(entries
        .into_iter()
        .map(|(p, oid)| (path_string(&p), oid))
        .collect())
}

/// Every blob (checked modes) of a tree, with its tree-relative path.
pub fn tree_blobs(tree: &Tree<'_>) -> Result<Vec<(String, Oid)>, git2::Error> {
    let mut out = Vec::new();
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if let Some(mode) = filemode(entry.filemode())
            && is_checked_mode(mode)
        {
            let name = path_string(entry.name_bytes());
            out.push((format!("{dir}{name}"), entry.id()));
        }
        TreeWalkResult::Ok
    })?;
    Ok(out)
}

/// Every file path of a tree (for cross-file checks).
pub fn tree_paths(tree: &Tree<'_>) -> Result<Vec<String>, git2::Error> {
    Ok(tree_blobs(tree)?.into_iter().map(|(p, _)| p).collect())
}

fn filemode(raw: i32) -> Option<git2::FileMode> {
    use git2::FileMode;
    Some(match raw {
        0o100644 => FileMode::Blob,
        0o100664 => FileMode::BlobGroupWritable,
        0o100755 => FileMode::BlobExecutable,
        0o120000 => FileMode::Link,
        0o160000 => FileMode::Commit,
        0o040000 => FileMode::Tree,
        _ => return None,
    })
}

/// Walk the commits `walk` yields (the caller pushed and hid), oldest first, and offer every blob each
/// commit introduces to `feed`, named after that commit. Returns the commits walked.
pub fn offer_commits(feed: &mut Feed<'_>, mut walk: Revwalk<'_>) -> Result<HashSet<Oid>, Halt> {
    let repo = feed.repo();
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(|e| git_err("cannot sort the commits", &e))?;
    let mut commits = Vec::new();
    for oid in walk {
        commits.push(oid.map_err(|e| git_err("cannot walk the commits", &e))?);
        if commits.len() % 4096 == 0 && feed.over_budget() {
            return Err(Halt::Budget {
                done: 0,
                total: commits.len(),
            });
        }
    }
    let total = commits.len();
    for (done, oid) in commits.iter().enumerate() {
        if feed.over_budget() {
            return Err(Halt::Budget { done, total });
        }
        let commit = repo
            .find_commit(*oid)
            .map_err(|e| git_err(&format!("cannot read commit {oid}"), &e))?;
        let blobs = introduced(repo, &commit)
            .map_err(|e| git_err(&format!("cannot diff commit {oid}"), &e))?;
        let label = oid.to_string();
        for (path, blob) in blobs {
            feed.offer(Selected {
                path,
                oid: blob,
                commit: Some(label.clone()),
            })
            .map_err(|s| stop_to_halt(s, done, total))?;
        }
    }
    Ok(commits.into_iter().collect())
}

/// A [`Stop`] of the feed as a [`Halt`] of the walk.
pub fn stop_to_halt(stop: Stop, done: usize, total: usize) -> Halt {
    match stop {
        Stop::Budget => Halt::Budget { done, total },
        Stop::Io(e) => Halt::Failed(format!("cannot write the listing: {e}")),
    }
}

/// Offer every blob of a tree that a ref points at directly (a tag of a tree), labelled `label`.
pub fn offer_tree(feed: &mut Feed<'_>, tree: &Tree<'_>, label: &str) -> Result<(), Halt> {
    let blobs =
        tree_blobs(tree).map_err(|e| git_err(&format!("cannot read tree {}", tree.id()), &e))?;
    for (path, oid) in blobs {
        feed.offer(Selected {
            path,
            oid,
            commit: Some(label.to_string()),
        })
        .map_err(|s| stop_to_halt(s, 0, 0))?;
    }
    Ok(())
}

/// Run the cross-file checks on the tree of each tip that was walked (a newly recorded state).
pub fn check_tips(feed: &mut Feed<'_>, tips: &[Oid], walked: &HashSet<Oid>) -> Result<(), Halt> {
    let repo = feed.repo();
    let mut done = HashSet::new();
    for tip in tips {
        if !walked.contains(tip) || !done.insert(*tip) {
            continue;
        }
        let tree = repo
            .find_commit(*tip)
            .and_then(|c| c.tree())
            .map_err(|e| git_err(&format!("cannot read commit {tip}"), &e))?;
        let paths =
            tree_paths(&tree).map_err(|e| git_err(&format!("cannot read commit {tip}"), &e))?;
        feed.check_tree_paths(&paths, Some(&tip.to_string()));
    }
    Ok(())
}

/// What a pushed ref's new value peels to.
pub enum Target<'r> {
    /// A commit (directly or through annotated tags).
    Commit(Oid),
    /// A tree (a tag of a tree).
    Tree(Tree<'r>),
    /// A blob (a tag of a blob).
    Blob(Oid),
}

/// Peel a pushed object id through annotated tags.
pub fn peel<'r>(repo: &'r Repository, oid: Oid) -> Result<Target<'r>, git2::Error> {
    let mut obj = repo.find_object(oid, None)?;
    if obj.kind() == Some(git2::ObjectType::Tag) {
        // `Any` peels a tag (and tags of tags) until the target is no longer a tag.
        obj = obj.peel(git2::ObjectType::Any)?;
    }
    match obj.kind() {
        Some(git2::ObjectType::Commit) => Ok(Target::Commit(obj.id())),
        Some(git2::ObjectType::Tree) => Ok(Target::Tree(obj.peel_to_tree()?)),
        Some(git2::ObjectType::Blob) => Ok(Target::Blob(obj.id())),
        _ => Err(git2::Error::from_str("cannot peel the pushed object")),
    }
}

/// What a push brings, ready to check: commits to walk, and objects refs point at directly.
pub struct Plan<'r> {
    /// The new commits: tips pushed, everything already known hidden.
    pub walk: Revwalk<'r>,
    /// The commit tips of the pushed refs (their trees get the cross-file checks).
    pub tips: Vec<Oid>,
    /// Trees pointed at by (tags of) pushed refs, with a label naming the ref.
    pub trees: Vec<(String, Tree<'r>)>,
    /// Blobs pointed at by (tags of) pushed refs: (label, path to match rules with, blob).
    pub blobs: Vec<(String, String, Oid)>,
}

impl<'r> Plan<'r> {
    /// An empty plan over `repo`.
    pub fn new(repo: &'r Repository) -> Result<Self, String> {
        Ok(Plan {
            walk: repo
                .revwalk()
                .map_err(|e| format!("cannot walk the commits: {}", e.message()))?,
            tips: Vec::new(),
            trees: Vec::new(),
            blobs: Vec::new(),
        })
    }

    /// Add a pushed ref's new value (`label` names the ref in messages).
    pub fn add_target(
        &mut self,
        repo: &'r Repository,
        oid: Oid,
        refname: &str,
    ) -> Result<(), String> {
        match peel(repo, oid)
            .map_err(|e| format!("{refname}: cannot read {oid}: {}", e.message()))?
        {
            Target::Commit(c) => {
                self.walk
                    .push(c)
                    .map_err(|e| format!("{refname}: cannot walk {c}: {}", e.message()))?;
                self.tips.push(c);
            }
            Target::Tree(t) => {
                let label = format!("{refname} (tree {})", t.id());
                self.trees.push((label, t));
            }
            Target::Blob(b) => {
                let label = format!("{refname} (blob {b})");
                self.blobs.push((label, refname.to_string(), b));
            }
        }
        Ok(())
    }

    /// Offer everything the plan holds to `feed`.
    pub fn run(self, feed: &mut Feed<'_>) -> Result<(), Halt> {
        for (label, tree) in &self.trees {
            offer_tree(feed, tree, label)?;
        }
        for (label, path, oid) in &self.blobs {
            feed.offer(Selected {
                path: path.clone(),
                oid: *oid,
                commit: Some(label.clone()),
            })
            .map_err(|s| stop_to_halt(s, 0, 0))?;
        }
        let walked = offer_commits(feed, self.walk)?;
        check_tips(feed, &self.tips, &walked)
    }
}
