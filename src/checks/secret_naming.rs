//! `check-secret-naming`: every file in the secrets directories follows the deployment naming
//! convention (`secrets/config.<deployment>.yaml`, ...), with the nearest valid name when it does not;
//! stray and decrypted copies are findings; two files for one deployment are a finding.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::Check;
use super::naming::{Problem, Rules, Suggestion, Verdict};
use crate::context::Context;
use crate::document::Document;
use crate::finding::Finding;
use crate::source::Candidate;
use crate::source::files::rel_to_root;

/// The check id.
pub const ID: &str = "check-secret-naming";

/// The `check-secret-naming` check. Its rules are compiled once per run from the context's config.
#[derive(Debug, Default)]
pub struct SecretNaming {
    rules: OnceLock<Result<Rules, String>>,
}

impl SecretNaming {
    /// A new check (rules are compiled on first use).
    pub fn new() -> Self {
        Self::default()
    }

    fn rules(&self, ctx: &Context) -> &Result<Rules, String> {
        self.rules
            .get_or_init(|| Rules::new(&ctx.config.check_secret_naming))
    }
}

/// The last component of a `/`-separated path.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The directory part of a `/`-separated path, with a trailing `/` (empty when there is none).
fn dir_of(path: &str) -> &str {
    path.rfind('/')
        .and_then(|i| path.get(..=i))
        .unwrap_or_default()
}

fn config_error(path: &str, e: &str) -> Finding {
    Finding::new(
        path,
        ID,
        "config-error",
        format!("the [check-secret-naming] configuration cannot be used: {e}"),
    )
    .hint("fix [check-secret-naming] in .pforge-hooks.toml (see `pforge-hooks config`)")
}

/// The finding for a bad name at `path`.
pub fn problem_finding(path: &str, p: &Problem) -> Finding {
    let dir = dir_of(path);
    let hint = match &p.suggestion {
        Suggestion::Rename(n) => format!("rename it: git mv {path} {dir}{n}"),
        Suggestion::Shape(s) => format!("rename it to {dir}{s}, filling in the <...> part"),
        Suggestion::Delete(base) if p.rule == "decrypted-copy" => format!(
            "delete it now (git rm --cached {path}; rm {path}); if it was ever committed or pushed, \
             rotate every credential in it. Edit secrets with `sops {dir}{base}`, which keeps the \
             plaintext off the disk"
        ),
        Suggestion::Delete(base) => format!(
            "delete it (git rm --cached {path} if it was added; rm {path}); git history already keeps \
             every version of {dir}{base}"
        ),
        Suggestion::None => match p.rule {
            "unknown-deployment" => "use one of the deployments above, or allow yours with \
                 extra-deployments = [\"...\"] under [check-secret-naming] in .pforge-hooks.toml"
                .to_string(),
            "unknown-file" => {
                "rename it to fit, keep it outside the secrets directory, or allow it \
                 with allow = [\"...\"] under [check-secret-naming] in .pforge-hooks.toml"
                    .to_string()
            }
            "name-too-long" => "choose a shorter deployment name (GitHub refuses to create an App \
                 with a longer name)"
                .to_string(),
            _ => "rename it to follow the naming convention".to_string(),
        },
    };
    Finding::new(path, ID, p.rule, p.message.clone()).hint(hint)
}

impl Check for SecretNaming {
    fn id(&self) -> &'static str {
        ID
    }

    fn wants(&self, candidate: &Candidate, ctx: &Context) -> bool {
        match self.rules(ctx) {
            Ok(r) => r.in_scope(&candidate.rel_path),
            // Report the broken configuration rather than silently checking nothing.
            Err(_) => true,
        }
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Finding>) {
        let rules = match self.rules(ctx) {
            Ok(r) => r,
            Err(e) => {
                out.push(config_error(&doc.path, e));
                return;
            }
        };
        if let Verdict::Problem(p) = rules.classify(file_name(&doc.rel_path)) {
            out.push(problem_finding(&doc.path, &p));
        }
    }

    fn check_paths(&self, paths: &[&str], ctx: &Context, out: &mut Vec<Finding>) {
        let Ok(rules) = self.rules(ctx) else { return };
        // (directory, family, canonical name) -> the paths that are that file.
        let mut groups: BTreeMap<(String, usize, String), Vec<&str>> = BTreeMap::new();
        for &path in paths {
            let rel = rel_to_root(std::path::Path::new(path), &ctx.root);
            if !rules.in_scope(&rel) {
                continue;
            }
            let key = match rules.classify(file_name(&rel)) {
                Verdict::Valid { family, key } => (family, key),
                Verdict::Problem(Problem { key: Some(k), .. }) => k,
                _ => continue,
            };
            groups
                .entry((dir_of(&rel).to_string(), key.0, key.1))
                .or_default()
                .push(path);
        }
        for ((dir, family, canonical), mut members) in groups {
            if members.len() < 2 {
                continue;
            }
            members.sort_unstable();
            members.dedup();
            if members.len() < 2 {
                continue;
            }
            let fam = rules.config().families.get(family);
            let (rule, what) = match fam {
                Some(f) => match (f.pattern.hole(), f.pattern.match_exact(&canonical)) {
                    (Some(super::naming::template::Hole::Deployment), Some(dep)) => (
                        "duplicate-deployment",
                        format!("deployment `{dep}` has {} config files", members.len()),
                    ),
                    _ => (
                        "duplicate-file",
                        format!("{} files are the same {}", members.len(), f.name),
                    ),
                },
                None => (
                    "duplicate-file",
                    format!("{} files are one file", members.len()),
                ),
            };
            let names: Vec<&str> = members.iter().map(|m| file_name(m)).collect();
            let exact = members.iter().any(|m| file_name(m) == canonical);
            for m in &members {
                if exact && file_name(m) == canonical {
                    continue;
                }
                out.push(
                    Finding::new(
                        *m,
                        ID,
                        rule,
                        format!(
                            "{what} in {dir}: {}; the app reads only {dir}{canonical}, so the \
                             others are ignored or shadow it (and on a case-insensitive disk they \
                             collide)",
                            names.join(", ")
                        ),
                    )
                    .hint(format!(
                        "keep one file: move anything still needed into {dir}{canonical} \
                         (`sops {dir}{canonical}`), then git rm {m}"
                    )),
                );
            }
        }
    }
}
