//! The `[git]` section of the project (or server) configuration.

use serde::{Deserialize, Serialize};

/// Settings of the git modes (`pre-commit`, `pre-push`, `pre-receive`, `scan --git`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct GitConfig {
    /// Blobs larger than this many bytes are not read; one that a check wants is a `too-large`
    /// finding (fail closed). Unset: `[limits] max-file-size`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_blob_size: Option<u64>,
    /// pre-receive time budget in seconds (GitHub Enterprise kills hooks after 5 s); `--budget`
    /// overrides it. When it runs out the push is rejected (fail closed).
    pub budget: f64,
    /// Accept the emergency bypass `git push -o pforge-hooks.skip` in pre-receive. Off by default;
    /// every use is logged to stderr. Only the server's own configuration can turn it on: nothing is
    /// read from the pushed commits.
    pub allow_skip_option: bool,
}

impl Default for GitConfig {
    fn default() -> Self {
        GitConfig {
            max_blob_size: None,
            budget: 4.5,
            allow_skip_option: false,
        }
    }
}

impl GitConfig {
    /// The blob size limit in effect.
    pub fn blob_limit(&self, limits: &crate::config::LimitsConfig) -> u64 {
        self.max_blob_size.unwrap_or(limits.max_file_size)
    }
}
