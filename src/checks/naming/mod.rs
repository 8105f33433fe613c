//! The file-naming convention of the secrets directories: templates, grammars, the configuration
//! section `[check-secret-naming]`, and the classifier that suggests the nearest valid name.

pub mod config;
pub mod grammar;
pub mod rules;
pub mod template;

pub use config::SecretNamingConfig;
pub use rules::{Problem, Rules, Suggestion, Verdict};
