//! The deployment-config schema: the built-in pangeo-forge schema judged on the encrypted file
//! (keyless) and on decrypted values (keyed), user JSON Schemas, and `[validate-config-schema]`.

pub mod builtin;
pub mod config;
pub mod decrypt;
pub mod plain;
pub mod user;
pub mod yaml_value;

pub use config::ConfigSchemaConfig;
