//! pre-receive (server side): the commits a push brings that no existing ref reaches.
//!
//! stdin holds one `<old> SP <new> SP <ref>` line per ref. Refs are not updated yet while the hook
//! runs, so hiding every existing ref (`--not --all`) leaves exactly the new commits, for new
//! branches, force pushes and multi-ref pushes alike; each is walked once. The pushed objects sit in
//! the quarantine directory, which [`super::open_repo`] reads (`GIT_OBJECT_DIRECTORY`,
//! `GIT_ALTERNATE_OBJECT_DIRECTORIES`).

use git2::{Oid, Repository};

use super::is_zero_hex;
use super::walk::Plan;

/// The push option that asks for the emergency bypass (`git push -o pforge-hooks.skip`).
pub const SKIP_OPTION: &str = "pforge-hooks.skip";

/// One ref update of a push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefUpdate {
    /// The ref's current value (all zeroes for a new ref).
    pub old: String,
    /// Its new value (all zeroes for a deletion).
    pub new: String,
    /// The ref name.
    pub refname: String,
}

/// Parse pre-receive stdin. Blank lines are ignored; a malformed line is an error (fail closed).
pub fn parse_lines(text: &str) -> Result<Vec<RefUpdate>, String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = line.splitn(3, ' ');
        let (Some(old), Some(new), Some(refname)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("malformed pre-receive line: {line}"));
        };
        out.push(RefUpdate {
            old: old.to_string(),
            new: new.to_string(),
            refname: refname.to_string(),
        });
    }
    Ok(out)
}

/// Build the plan of a received push: push every new value, hide every existing ref.
pub fn plan<'r>(repo: &'r Repository, updates: &[RefUpdate]) -> Result<Plan<'r>, String> {
    let mut plan = Plan::new(repo)?;
    plan.walk
        .hide_glob("refs/*")
        .map_err(|e| format!("cannot hide the existing refs: {}", e.message()))?;
    for u in updates {
        if is_zero_hex(&u.new) {
            continue;
        }
        let new = Oid::from_str(&u.new)
            .map_err(|e| format!("{}: bad object name {}: {}", u.refname, u.new, e.message()))?;
        if !is_zero_hex(&u.old)
            && let Ok(old) = Oid::from_str(&u.old)
            && let Ok(c) = repo.find_commit(old)
        {
            plan.walk
                .hide(c.id())
                .map_err(|e| format!("cannot hide {old}: {}", e.message()))?;
        }
        plan.add_target(repo, new, &u.refname)?;
    }
    Ok(plan)
}

/// The push options of this push (`GIT_PUSH_OPTION_COUNT`, `GIT_PUSH_OPTION_<n>`).
pub fn push_options() -> Vec<String> {
    let count = std::env::var("GIT_PUSH_OPTION_COUNT")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(1000);
    (0..count)
        .filter_map(|i| std::env::var(format!("GIT_PUSH_OPTION_{i}")).ok())
        .collect()
}

/// Whether the hook runs under GitLab (its hook environment sets `GL_ID`, `GL_PROTOCOL`, ...); its
/// web UI shows only lines prefixed `GL-HOOK-ERR:`.
pub fn under_gitlab() -> bool {
    ["GL_ID", "GL_PROTOCOL", "GL_REPOSITORY", "GL_USERNAME"]
        .iter()
        .any(|k| std::env::var_os(k).is_some_and(|v| !v.is_empty()))
}

/// Who is pushing, as far as the hosting environment tells (for the bypass log line).
pub fn pusher() -> String {
    for k in [
        "GL_USERNAME",
        "GL_ID",
        "GITHUB_USER_LOGIN",
        "REMOTE_USER",
        "USER",
    ] {
        if let Ok(v) = std::env::var(k)
            && !v.is_empty()
        {
            return format!("{k}={v}");
        }
    }
    "an unknown user".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let u = parse_lines(&format!(
            "{z} {a} refs/heads/main\n{a} {z} refs/tags/v1\n\n"
        ))
        .unwrap();
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].refname, "refs/heads/main");
        assert!(is_zero_hex(&u[1].new));
        assert!(parse_lines("abc def").is_err());
    }
}
