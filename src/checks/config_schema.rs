//! `validate-config-schema`: each deployment config holds what the app needs
//! (`fastapi.PANGEO_FORGE_API_KEY`, `github_app.{app_name, id, private_key, webhook_secret}`), judged
//! on the encrypted file without any key, and on the decrypted values when a key is at hand; plus user
//! JSON Schemas per file pattern.

use std::sync::OnceLock;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::Check;
use super::schema::builtin::{self, Issue, Schema};
use super::schema::config::{ConfigSchemaConfig, SchemaMode};
use super::schema::decrypt::{self, OwnedLeaf};
use super::schema::plain::{self, DecryptedLeaf};
use super::schema::user;
use crate::config::Config;
use crate::context::Context;
use crate::document::Document;
use crate::finding::{Finding, Severity};
use crate::sops::{Entry, SopsError};
use crate::source::Candidate;

/// The check id.
pub const ID: &str = "validate-config-schema";

/// What a run needs, compiled once from the configuration.
#[derive(Debug)]
struct State {
    files: GlobSet,
    users: Vec<user::Compiled>,
}

fn compile(cfg: &ConfigSchemaConfig, root: &std::path::Path) -> Result<State, String> {
    let mut b = GlobSetBuilder::new();
    for g in &cfg.files {
        let glob = GlobBuilder::new(g.as_str())
            .literal_separator(true)
            .build()
            .map_err(|e| format!("bad glob `{}`: {e}", g.as_str()))?;
        b.add(glob);
    }
    Ok(State {
        files: b.build().map_err(|e| e.to_string())?,
        users: user::load(&cfg.schemas, root)?,
    })
}

/// Check the `[validate-config-schema]` section before a run (user schemas are read and compiled),
/// so a broken configuration is a usage error (exit 2) and not a finding.
pub fn preflight(config: &Config, root: &std::path::Path) -> Result<(), String> {
    compile(&config.validate_config_schema, root)
        .map(|_| ())
        .map_err(|e| format!("[validate-config-schema]: {e}"))
}

/// The `validate-config-schema` check.
#[derive(Debug, Default)]
pub struct ConfigSchema {
    state: OnceLock<Result<State, String>>,
}

impl ConfigSchema {
    /// A new check (compiled on first use).
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self, ctx: &Context) -> &Result<State, String> {
        self.state
            .get_or_init(|| compile(&ctx.config.validate_config_schema, &ctx.root))
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Turn schema issues into findings for `doc_path`.
pub fn to_findings(doc_path: &str, issues: Vec<Issue>, out: &mut Vec<Finding>) {
    for i in issues {
        let mut f = Finding::new(doc_path, ID, i.rule, i.message)
            .hint(i.hint.replace("FILE", doc_path))
            .key_path(i.key_path);
        if let Some(p) = i.pos {
            f = f.at(p.line, p.column);
        }
        if i.warning {
            f = f.severity(Severity::Warning);
        }
        out.push(f);
    }
}

/// The checks of one parsed file: the built-in schema (unless replaced) and user schemas, keyless,
/// and on the decrypted values when `decrypted` holds them.
#[allow(clippy::too_many_arguments)]
pub fn check_entries(
    doc_path: &str,
    rel_path: &str,
    entries: &[Entry],
    cfg: &ConfigSchemaConfig,
    builtin_applies: bool,
    users: &[&user::Compiled],
    decrypted: Option<&[OwnedLeaf]>,
    out: &mut Vec<Finding>,
) {
    if builtin_applies {
        let schema = builtin_schema(cfg, rel_path);
        let keyless = builtin::check_keyless(&schema, cfg, entries);
        if let Some(leaves) = decrypted {
            // A key already reported keyless (a wrong length, say) is not reported again.
            // List items (`run_only_on`) have their list's key path; their types were judged keyless.
            let borrowed: Vec<DecryptedLeaf> = leaves
                .iter()
                .filter(|l| !l.in_list)
                .map(OwnedLeaf::borrow)
                .collect();
            let keyed: Vec<Issue> = plain::check_decrypted(&schema, &borrowed)
                .into_iter()
                .filter(|k| !keyless.iter().any(|i| i.key_path == k.key_path))
                .collect();
            to_findings(doc_path, keyed, out);
        }
        to_findings(doc_path, keyless, out);
    }
    if !users.is_empty() {
        let mut shadow = user::shadow(entries);
        if let Some(leaves) = decrypted {
            user::with_decrypted(&mut shadow, leaves);
        }
        for c in users {
            to_findings(doc_path, user::check(c, &shadow, false), out);
        }
    }
}

/// The built-in schema for the file at `rel_path` (the deployment comes from its name).
pub fn builtin_schema(cfg: &ConfigSchemaConfig, rel_path: &str) -> Schema {
    let dep = cfg.deployment_pattern.match_exact(file_name(rel_path));
    Schema::pangeo_forge(cfg, dep.filter(|d| !d.is_empty()))
}

/// The keyed half: judge decrypted values (in memory) of the file at `rel_path` against the built-in
/// schema. The decryption (ensure-sops verify) calls this with every decrypted leaf.
pub fn check_decrypted(
    doc_path: &str,
    rel_path: &str,
    cfg: &ConfigSchemaConfig,
    leaves: &[DecryptedLeaf<'_>],
    out: &mut Vec<Finding>,
) {
    let schema = builtin_schema(cfg, rel_path);
    to_findings(doc_path, plain::check_decrypted(&schema, leaves), out);
}

impl Check for ConfigSchema {
    fn id(&self) -> &'static str {
        ID
    }

    fn wants(&self, candidate: &Candidate, ctx: &Context) -> bool {
        match self.state(ctx) {
            Ok(s) => {
                s.files.is_match(&candidate.rel_path)
                    || s.users
                        .iter()
                        .any(|u| u.files.is_match(&candidate.rel_path))
            }
            Err(_) => true,
        }
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Finding>) {
        let state = match self.state(ctx) {
            Ok(s) => s,
            Err(e) => {
                out.push(Finding::new(
                    &doc.path,
                    ID,
                    "config-error",
                    format!("the [validate-config-schema] configuration cannot be used: {e}"),
                ));
                return;
            }
        };
        let cfg = &ctx.config.validate_config_schema;
        let users: Vec<&user::Compiled> = state
            .users
            .iter()
            .filter(|u| u.files.is_match(&doc.rel_path))
            .collect();
        let replaced = users.iter().any(|u| u.mode == SchemaMode::Replace);
        let builtin_applies = state.files.is_match(&doc.rel_path) && !replaced;
        if !builtin_applies && users.is_empty() {
            return;
        }
        let sops = match doc.sops() {
            Ok(s) => s,
            Err(SopsError::NotEncrypted { reason }) => {
                out.push(
                    Finding::new(
                        &doc.path,
                        ID,
                        "not-encrypted",
                        format!("this deployment config is not a SOPS-encrypted file ({reason})"),
                    )
                    .hint(format!(
                        "encrypt it before committing: sops -e -i {}",
                        doc.path
                    )),
                );
                return;
            }
            Err(SopsError::Malformed { message, pos }) => {
                let mut f = Finding::new(
                    &doc.path,
                    ID,
                    "unreadable",
                    format!("the schema cannot be checked: {message}"),
                )
                .hint("ensure-sops explains what is wrong with the file");
                if let Some(p) = pos {
                    f = f.at(p.line, p.column);
                }
                out.push(f);
                return;
            }
        };
        let empty = Vec::new();
        let entries = sops.branches.first().unwrap_or(&empty);
        // With an identity at hand, the values are decrypted in memory (wiped when dropped).
        let decrypted = decrypt::decrypt_leaves(sops, &ctx.identities);
        check_entries(
            &doc.path,
            &doc.rel_path,
            entries,
            cfg,
            builtin_applies,
            &users,
            decrypted.as_deref(),
            out,
        );
    }
}
