//! pre-push: the commits a push sends that the remote does not have yet.
//!
//! git gives the hook `<remote name> <url>` as arguments and one line per ref on stdin:
//! `<local ref> SP <local sha> SP <remote ref> SP <remote sha>`. Every line counts (not only the
//! first). A deletion (all-zero local sha) has nothing to check. Commits reachable from the remote's
//! old value (when it is known locally) or from any remote-tracking ref of that remote
//! (`refs/remotes/<name>/*`) are already there and are not walked.

use git2::{Oid, Repository};

use super::is_zero_hex;
use super::walk::Plan;

/// One ref of a push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushUpdate {
    /// The local ref (or the expression the user gave, or `(delete)`).
    pub local_ref: String,
    /// The local object name (all zeroes for a deletion), or a revision to resolve.
    pub local: String,
    /// The remote ref.
    pub remote_ref: String,
    /// The remote's current object name (all zeroes for a new ref).
    pub remote: String,
}

/// Parse pre-push stdin. Blank lines are ignored; a malformed line is an error (fail closed).
pub fn parse_lines(text: &str) -> Result<Vec<PushUpdate>, String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        // The local ref may contain spaces ("as it was originally given"): split from the right.
        let mut parts = line.rsplitn(4, ' ');
        let (Some(remote), Some(remote_ref), Some(local), Some(local_ref)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("malformed pre-push line: {line}"));
        };
        out.push(PushUpdate {
            local_ref: local_ref.to_string(),
            local: local.to_string(),
            remote_ref: remote_ref.to_string(),
            remote: remote.to_string(),
        });
    }
    Ok(out)
}

/// The update the pre-commit framework describes in its environment at its pre-push stage
/// (`PRE_COMMIT_FROM_REF`/`PRE_COMMIT_TO_REF`, or `PRE_COMMIT_LOCAL_BRANCH` when it pushes a root).
pub fn from_framework_env() -> Option<PushUpdate> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let remote_ref = var("PRE_COMMIT_REMOTE_BRANCH").unwrap_or_default();
    let local_ref = var("PRE_COMMIT_LOCAL_BRANCH");
    match var("PRE_COMMIT_TO_REF") {
        Some(to) => Some(PushUpdate {
            local_ref: local_ref.unwrap_or_else(|| to.clone()),
            local: to,
            remote_ref,
            remote: var("PRE_COMMIT_FROM_REF").unwrap_or_else(|| "0".repeat(40)),
        }),
        None => local_ref.map(|l| PushUpdate {
            local_ref: l.clone(),
            local: l,
            remote_ref,
            remote: "0".repeat(40),
        }),
    }
}

/// Resolve an object name or revision given by git.
fn resolve(repo: &Repository, rev: &str) -> Result<Oid, String> {
    if let Ok(oid) = Oid::from_str(rev)
        && rev.len() >= 40
    {
        return Ok(oid);
    }
    repo.revparse_single(rev)
        .map(|o| o.id())
        .map_err(|e| format!("cannot resolve {rev}: {}", e.message()))
}

/// Build the plan of a push to `remote` (a remote name, or a URL when no named remote is used).
pub fn plan<'r>(
    repo: &'r Repository,
    remote: Option<&str>,
    updates: &[PushUpdate],
) -> Result<Plan<'r>, String> {
    let mut plan = Plan::new(repo)?;
    if let Some(name) = remote {
        // Only a configured remote has tracking refs; a URL has none.
        if repo.find_remote(name).is_ok() && !name.contains(['*', '?', '[']) {
            plan.walk
                .hide_glob(&format!("refs/remotes/{name}/*"))
                .map_err(|e| format!("cannot hide refs/remotes/{name}: {}", e.message()))?;
        }
    }
    for u in updates {
        if is_zero_hex(&u.local) || u.local_ref == "(delete)" {
            continue;
        }
        let local = resolve(repo, &u.local)?;
        if !is_zero_hex(&u.remote) {
            // The remote's old value is already there; it may be unknown here (a force push over
            // commits never fetched), then there is nothing to hide.
            if let Ok(old) = Oid::from_str(&u.remote)
                && let Ok(c) = repo.find_commit(old)
            {
                plan.walk
                    .hide(c.id())
                    .map_err(|e| format!("cannot hide {old}: {}", e.message()))?;
            }
        }
        let name = if u.remote_ref.is_empty() {
            &u.local_ref
        } else {
            &u.remote_ref
        };
        plan.add_target(repo, local, name)?;
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_line() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let text = format!(
            "refs/heads/main {a} refs/heads/main {z}\n\n(delete) {z} refs/heads/old {a}\nHEAD~ 1 {a} refs/heads/x {z}\n"
        );
        let u = parse_lines(&text).unwrap();
        assert_eq!(u.len(), 3);
        assert_eq!(u[0].local_ref, "refs/heads/main");
        assert_eq!(u[1].local_ref, "(delete)");
        assert_eq!(u[2].local_ref, "HEAD~ 1");
        assert_eq!(u[2].remote_ref, "refs/heads/x");
        assert!(parse_lines("just two").is_err());
    }
}
