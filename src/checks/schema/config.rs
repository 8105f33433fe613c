//! `[validate-config-schema]`: what a deployment config must hold, with the pangeo-forge defaults.

use serde::{Deserialize, Serialize};

use crate::checks::naming::config::GlobPattern;
use crate::checks::naming::template::Template;

/// What to do with keys the schema does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyPolicy {
    /// A finding that fails the commit.
    Error,
    /// A warning that does not.
    Warning,
    /// Say nothing.
    Allow,
}

/// How a user schema combines with the built-in one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SchemaMode {
    /// Both apply.
    Extend,
    /// Only the user schema applies to the matching files.
    Replace,
}

/// A user JSON Schema (YAML or JSON file) for some files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UserSchema {
    /// Globs (root-relative) of the files it applies to.
    pub files: Vec<GlobPattern>,
    /// The schema file, relative to the project root (`.json`, else YAML).
    pub schema: String,
    /// `extend` (default) or `replace` the built-in schema.
    #[serde(default = "extend")]
    pub mode: SchemaMode,
}

fn extend() -> SchemaMode {
    SchemaMode::Extend
}

/// Settings of `validate-config-schema`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ConfigSchemaConfig {
    /// Globs (root-relative) of the deployment configs the built-in schema applies to.
    pub files: Vec<GlobPattern>,
    /// How the deployment name is read from the file name (for `app_name`).
    pub deployment_pattern: Template,
    /// Keys the schema does not know: `error`, `warning` or `allow`.
    pub unexpected_keys: KeyPolicy,
    /// Extra keys (dotted paths) that may appear besides the required ones.
    pub optional_keys: Vec<String>,
    /// Length of `fastapi.PANGEO_FORGE_API_KEY` (a uuid4 hex).
    pub api_key_length: usize,
    /// Plausible length range of `github_app.private_key` (an RSA PEM), inclusive.
    pub private_key_length: [usize; 2],
    /// Shortest `github_app.webhook_secret` accepted.
    pub webhook_secret_min_length: usize,
    /// User JSON Schemas, per file pattern.
    pub schemas: Vec<UserSchema>,
}

impl Default for ConfigSchemaConfig {
    fn default() -> Self {
        ConfigSchemaConfig {
            files: vec!["secrets/config.*.yaml".into()],
            deployment_pattern: Template::parse("config.{deployment}.yaml")
                .unwrap_or_else(|_| Template::literal("config.yaml")),
            unexpected_keys: KeyPolicy::Error,
            optional_keys: vec!["github_app.run_only_on".to_string()],
            api_key_length: 32,
            private_key_length: [1600, 3300],
            webhook_secret_min_length: 1,
            schemas: Vec::new(),
        }
    }
}
