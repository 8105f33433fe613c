//! pforge-hooks: git hooks that keep SOPS-encrypted deployment credentials safe.
//!
//! Data flows one way: a [`source`] makes [`document::Document`]s, [`checks`] turn them into
//! [`finding::Finding`]s, the [`engine`] runs checks over sources, and [`report`] renders the findings
//! and gives the exit code.

pub mod checks;
pub mod cli;
pub mod config;
pub mod context;
pub mod detect;
pub mod document;
pub mod engine;
pub mod finding;
pub mod report;
pub mod sops;
pub mod source;
