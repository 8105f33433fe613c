//! The sops stores: each parses its format into the store-independent tree (spec §9).
//!
//! Each `parse` returns the top-level mapping entries exactly as the file holds them, metadata
//! included (YAML/JSON: a `sops` pair; dotenv: flat `sops_*` pairs; INI: a `sops` section); turning
//! those into [`crate::sops::Metadata`] is the job of [`crate::sops::parse`].

pub mod binary;
pub mod dotenv;
pub mod ini;
pub mod json;
pub mod yaml;
