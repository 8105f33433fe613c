//! Project configuration: `.pforge-hooks.toml` at the repository root, or `[tool.pforge-hooks]` in
//! `pyproject.toml`, found by walking up from the working directory. Defaults are the pangeo-forge
//! conventions. Unknown keys are errors that name the key.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file names looked for, in order, in each directory while walking up.
pub const CONFIG_FILES: [&str; 2] = [".pforge-hooks.toml", "pyproject.toml"];

/// Settings of `ensure-sops`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct EnsureSopsConfig {
    /// Glob patterns (relative to the root) of files that must be SOPS-encrypted, in addition to the
    /// files a `.sops.yaml` creation rule covers.
    pub paths: Vec<String>,
    /// Glob patterns of files never required to be encrypted (examples, READMEs, `.sops.yaml`).
    pub exclude: Vec<String>,
    /// Fail (exit 1) when a file cannot be verified because no identity opens it.
    pub require_verify: bool,
}

impl Default for EnsureSopsConfig {
    fn default() -> Self {
        EnsureSopsConfig {
            paths: vec!["secrets/**".to_string()],
            exclude: vec![
                "**/README*".to_string(),
                "**/.gitignore".to_string(),
                "**/.gitattributes".to_string(),
                "**/.sops.yaml".to_string(),
            ],
            require_verify: false,
        }
    }
}

/// Limits that keep every mode bounded on hostile input.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct LimitsConfig {
    /// Files (and blobs) larger than this many bytes are not read; a file that must be checked and is
    /// larger is a finding (fail closed).
    pub max_file_size: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_file_size: 256 * 1024 * 1024,
        }
    }
}

/// The whole project configuration.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Config {
    /// `[ensure-sops]`.
    pub ensure_sops: EnsureSopsConfig,
    /// `[limits]`.
    pub limits: LimitsConfig,
    /// `[git]`: the git modes (see `docs/readme/git.md`).
    pub git: crate::source::git::GitConfig,
    /// `[check-secret-naming]`.
    pub check_secret_naming: crate::checks::naming::SecretNamingConfig,
    /// `[validate-config-schema]`.
    pub validate_config_schema: crate::checks::schema::ConfigSchemaConfig,
    /// `[block-plaintext-keys]`.
    pub block_plaintext_keys: crate::checks::plaintext_keys::PlaintextKeysConfig,
}

/// A configuration and where it came from.
#[derive(Clone, Debug)]
pub struct LoadedConfig {
    /// The effective configuration.
    pub config: Config,
    /// The file it was read from; `None` when the defaults apply.
    pub source: Option<PathBuf>,
    /// The project root: the config file's directory, else the git work tree root, else the start dir.
    pub root: PathBuf,
}

/// A configuration that could not be read.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Parse a `.pforge-hooks.toml` text.
pub fn parse_toml(text: &str, origin: &Path) -> Result<Config, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError(format!("{}: {}", origin.display(), e.message())))
}

/// Parse the `[tool.pforge-hooks]` table of a `pyproject.toml`; `None` when it has none.
pub fn parse_pyproject(text: &str, origin: &Path) -> Result<Option<Config>, ConfigError> {
    let doc: toml::Table = toml::from_str(text)
        .map_err(|e| ConfigError(format!("{}: {}", origin.display(), e.message())))?;
    let Some(table) = doc
        .get("tool")
        .and_then(|t| t.as_table())
        .and_then(|t| t.get("pforge-hooks"))
    else {
        return Ok(None);
    };
    let text = toml::to_string(table).map_err(|e| ConfigError(e.to_string()))?;
    toml::from_str(&text).map(Some).map_err(|e| {
        ConfigError(format!(
            "{} [tool.pforge-hooks]: {}",
            origin.display(),
            e.message()
        ))
    })
}

/// Find and load the configuration by walking up from `start`. An explicit `path` wins.
pub fn load(start: &Path, explicit: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
    if let Some(path) = explicit {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
        let config = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
            parse_pyproject(&text, path)?.unwrap_or_default()
        } else {
            parse_toml(&text, path)?
        };
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| start.to_path_buf());
        return Ok(LoadedConfig {
            config,
            source: Some(path.to_path_buf()),
            root,
        });
    }
    for dir in start.ancestors() {
        let toml_path = dir.join(CONFIG_FILES[0]);
        if toml_path.is_file() {
            return load(start, Some(&toml_path));
        }
        let py = dir.join(CONFIG_FILES[1]);
        if py.is_file() {
            let text = std::fs::read_to_string(&py)
                .map_err(|e| ConfigError(format!("cannot read {}: {e}", py.display())))?;
            if let Some(config) = parse_pyproject(&text, &py)? {
                return Ok(LoadedConfig {
                    config,
                    source: Some(py),
                    root: dir.to_path_buf(),
                });
            }
        }
        if dir.join(".git").exists() {
            // Stop at the repository boundary: a config above the repository is not this project's.
            return Ok(LoadedConfig {
                config: Config::default(),
                source: None,
                root: dir.to_path_buf(),
            });
        }
    }
    Ok(LoadedConfig {
        config: Config::default(),
        source: None,
        root: start.to_path_buf(),
    })
}

/// The effective configuration as TOML text (what `pforge-hooks config` prints).
pub fn to_toml(config: &Config) -> String {
    toml::to_string_pretty(config).unwrap_or_else(|e| format!("# cannot render: {e}\n"))
}
