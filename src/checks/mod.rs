//! The checks. Each is pure: (document, context) -> findings. A check never opens files or repositories.

pub mod config_schema;
pub mod ensure_sops;
pub mod ensure_sops_verify;
pub mod naming;
pub mod schema;
pub mod secret_naming;

use crate::context::Context;
use crate::document::Document;
use crate::finding::Finding;
use crate::source::Candidate;

pub mod plaintext_keys;

/// A check the engine can run.
pub trait Check: Sync + Send {
    /// The check id, also the binary name (`ensure-sops`, ...).
    fn id(&self) -> &'static str;

    /// Whether this check looks at the candidate at all (decided from its path before any byte is
    /// read, so a walk reads only the files some check wants). Named files are usually always wanted.
    fn wants(&self, candidate: &Candidate, ctx: &Context) -> bool;

    /// Check one document, pushing findings to `out`. Must not depend on other documents: pre-commit
    /// runs batches of files in parallel processes.
    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Finding>);

    /// Checks that compare files with each other (two configs for one deployment, ...): called once per
    /// run with every path the run saw. Default: nothing.
    fn check_paths(&self, _paths: &[&str], _ctx: &Context, _out: &mut Vec<Finding>) {}
}

/// Every check this build has, by id.
pub fn all() -> Vec<Box<dyn Check>> {
    vec![
        Box::new(config_schema::ConfigSchema::new()),
        Box::new(ensure_sops::EnsureSops),
        Box::new(secret_naming::SecretNaming::new()),
        Box::new(plaintext_keys::PlaintextKeys::new()),
    ]
}

/// The check with this id, if this build has it.
pub fn by_id(id: &str) -> Option<Box<dyn Check>> {
    all().into_iter().find(|c| c.id() == id)
}
