//! What every check may consult besides the document: the project configuration and the root.
//!
//! Built once per run, before any document is read, and shared read-only by all checks.

use std::path::PathBuf;

use crate::config::{Config, LoadedConfig};

/// The run-wide, read-only context of the checks.
#[derive(Debug)]
pub struct Context {
    /// The effective project configuration.
    pub config: Config,
    /// The project root (paths in documents are relative to it when they are inside it).
    pub root: PathBuf,
    /// The `.sops.yaml` creation rules found by walking up from the root (`None`: no config, or one
    /// without `creation_rules`).
    pub sops_rules: Option<crate::sops::rules::SopsRules>,
    /// The compiled `[ensure-sops]` scope.
    pub ensure_sops: crate::checks::ensure_sops::Scope,
    /// The age identities found where sops finds them (loaded once per run; never printed).
    pub identities: crate::sops::crypto::Identities,
}

impl Context {
    /// A context for a loaded configuration (fails on configuration that cannot be used).
    pub fn new(loaded: LoadedConfig) -> Result<Self, String> {
        crate::checks::config_schema::preflight(&loaded.config, &loaded.root)?;
        let sops_rules = crate::sops::rules::discover(&loaded.root, &loaded.root)
            .map_err(|e| format!("invalid .sops.yaml: {e}"))?;
        let ensure_sops = crate::checks::ensure_sops::Scope::new(&loaded.config.ensure_sops)?;
        let identities = crate::sops::crypto::Identities::from_env()
            .map_err(|e| format!("cannot load the age identities: {e}"))?;
        Ok(Context {
            config: loaded.config,
            root: loaded.root,
            sops_rules,
            ensure_sops,
            identities,
        })
    }
}
