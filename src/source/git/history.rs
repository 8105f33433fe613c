//! History scans (`pforge-hooks scan --git [RANGE]`): every commit of a range, each blob once,
//! findings naming the commit that introduced the content.

use git2::{Oid, Repository, RevparseMode};

use super::walk::Plan;

/// Build the plan of a history scan. `RANGE` is anything `git rev-parse` accepts: `REV` (all history
/// reachable from it), `A..B` (reachable from B, not from A) or `A...B` (either side, not their merge
/// base's history). Default: `HEAD`.
pub fn plan<'r>(repo: &'r Repository, range: Option<&str>) -> Result<Plan<'r>, String> {
    let spec = range.unwrap_or("HEAD");
    let mut plan = Plan::new(repo)?;
    let rs = repo
        .revparse(spec)
        .map_err(|e| format!("cannot resolve {spec}: {}", e.message()))?;
    let id = |o: Option<&git2::Object<'_>>| -> Result<Oid, String> {
        o.map(|o| o.id())
            .ok_or_else(|| format!("cannot resolve {spec}"))
    };
    let mode = rs.mode();
    if mode.contains(RevparseMode::SINGLE) {
        plan.add_target(repo, id(rs.from())?, spec)?;
    } else if mode.contains(RevparseMode::MERGE_BASE) {
        let from = id(rs.from())?;
        let to = id(rs.to())?;
        plan.add_target(repo, from, spec)?;
        plan.add_target(repo, to, spec)?;
        let base = repo
            .merge_base(from, to)
            .map_err(|e| format!("{spec}: no merge base: {}", e.message()))?;
        plan.walk
            .hide(base)
            .map_err(|e| format!("cannot hide {base}: {}", e.message()))?;
    } else {
        let from = id(rs.from())?;
        let to = id(rs.to())?;
        let hidden = repo
            .find_object(from, None)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| format!("{spec}: {}", e.message()))?;
        plan.walk
            .hide(hidden.id())
            .map_err(|e| format!("cannot hide {from}: {}", e.message()))?;
        plan.add_target(repo, to, spec)?;
    }
    Ok(plan)
}
