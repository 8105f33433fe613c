//! `[check-secret-naming]`: the naming rules, with the pangeo-forge conventions as defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::template::{Hole, Template};

/// A glob pattern, checked when the configuration is read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GlobPattern(String);

impl GlobPattern {
    /// The pattern text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for GlobPattern {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        globset::Glob::new(&s).map_err(|e| format!("bad glob `{s}`: {e}"))?;
        Ok(GlobPattern(s))
    }
}

impl From<GlobPattern> for String {
    fn from(g: GlobPattern) -> String {
        g.0
    }
}

impl From<&str> for GlobPattern {
    fn from(s: &str) -> Self {
        GlobPattern(s.to_string())
    }
}

/// A deployment-name template: fixed (`pangeo-forge`) or with a `{login}`, `{number}` or `{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeploymentTemplate(pub Template);

impl TryFrom<String> for DeploymentTemplate {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let t = Template::parse(&s)?;
        if t.hole() == Some(Hole::Deployment) {
            return Err(format!(
                "`{s}`: a deployment name cannot contain {{deployment}}"
            ));
        }
        if t.as_str().contains('.') {
            return Err(format!(
                "`{s}`: a deployment name cannot contain `.` (the app splits file names on dots)"
            ));
        }
        Ok(DeploymentTemplate(t))
    }
}

impl From<DeploymentTemplate> for String {
    fn from(t: DeploymentTemplate) -> String {
        t.0.into()
    }
}

/// A built-in template. The defaults are literals the unit tests parse; should one ever fail, it
/// degrades to a literal name instead of panicking.
fn tpl(s: &str) -> Template {
    Template::parse(s).unwrap_or_else(|_| Template::literal(s))
}

fn dep(s: &str) -> DeploymentTemplate {
    DeploymentTemplate(tpl(s))
}

/// A family of secret files that share a name shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Family {
    /// What the files are, for messages (`deployment config`).
    pub name: String,
    /// The file-name template (`config.{deployment}.yaml`).
    pub pattern: Template,
}

/// Settings of `check-secret-naming`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SecretNamingConfig {
    /// Globs (relative to the project root) of the directories whose files follow the rules.
    pub dirs: Vec<GlobPattern>,
    /// The deployment names: fixed names and templates with `{login}`, `{number}` or `{name}`.
    pub deployments: Vec<DeploymentTemplate>,
    /// More deployment names, added to `deployments` (so the defaults need not be repeated).
    pub extra_deployments: Vec<DeploymentTemplate>,
    /// The longest deployment name allowed (GitHub App names are at most 34 characters).
    pub max_deployment_length: usize,
    /// The file families: each file must match one of these templates.
    pub families: Vec<Family>,
    /// Old or informal deployment names and the name to use instead (`review = "pforge-pr-{number}"`).
    pub aliases: BTreeMap<String, DeploymentTemplate>,
    /// File-name globs that are fine in the secrets directories without following a family.
    pub allow: Vec<GlobPattern>,
    /// File-name endings that mark a stray copy (`.bak`, `~`, ...).
    pub stray_suffixes: Vec<String>,
    /// Dot-separated name parts that mark a decrypted copy (`config.x.dec.yaml`, `config.x.yaml.dec`).
    pub decrypted_markers: Vec<String>,
}

impl Default for SecretNamingConfig {
    fn default() -> Self {
        let aliases = [
            ("review", "pforge-pr-{number}"),
            ("pr", "pforge-pr-{number}"),
            ("pforge-review", "pforge-pr-{number}"),
            ("local", "pforge-local-{login}"),
            ("dev", "pforge-local-{login}"),
            ("prod", "pangeo-forge"),
            ("production", "pangeo-forge"),
            ("staging", "pangeo-forge-staging"),
            ("stage", "pangeo-forge-staging"),
        ];
        SecretNamingConfig {
            dirs: vec!["secrets".into()],
            deployments: [
                "pangeo-forge",
                "pangeo-forge-staging",
                "dev-app-proxy",
                "pforge-local-{login}",
                "pforge-pr-{number}",
            ]
            .into_iter()
            .map(dep)
            .collect(),
            extra_deployments: Vec::new(),
            max_deployment_length: 34,
            families: vec![
                Family {
                    name: "deployment config".to_string(),
                    pattern: tpl("config.{deployment}.yaml"),
                },
                Family {
                    name: "bakery storage args".to_string(),
                    pattern: tpl("bakery-args.{name}.yaml"),
                },
                Family {
                    name: "service-account key".to_string(),
                    pattern: tpl("{name}.json"),
                },
            ],
            aliases: aliases
                .into_iter()
                .map(|(k, v)| (k.to_string(), dep(v)))
                .collect(),
            allow: [
                ".sops.yaml",
                "README",
                "README.*",
                ".gitignore",
                ".gitattributes",
                ".gitkeep",
            ]
            .into_iter()
            .map(GlobPattern::from)
            .collect(),
            stray_suffixes: [
                ".bak", ".backup", ".orig", ".old", ".tmp", ".temp", ".save", ".swp", ".swo",
                ".rej", ".copy", "~",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            decrypted_markers: [
                "dec",
                "decrypted",
                "plain",
                "plaintext",
                "cleartext",
                "unencrypted",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_roundtrip() {
        let d = SecretNamingConfig::default();
        assert_eq!(d.deployments.len(), 5);
        for t in d.deployments.iter().chain(d.aliases.values()) {
            assert!(DeploymentTemplate::try_from(t.0.as_str().to_string()).is_ok());
        }
        for f in &d.families {
            assert!(Template::parse(f.pattern.as_str()).is_ok());
        }
        let text = toml::to_string(&d).unwrap();
        let back: SecretNamingConfig = toml::from_str(&text).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn bad_values_are_rejected_with_the_reason() {
        let e = toml::from_str::<SecretNamingConfig>("deployments = [\"a.b\"]").unwrap_err();
        assert!(e.to_string().contains("cannot contain `.`"), "{e}");
        let e = toml::from_str::<SecretNamingConfig>("allow = [\"[\"]").unwrap_err();
        assert!(e.to_string().contains("bad glob"), "{e}");
        let e = toml::from_str::<SecretNamingConfig>("colour = 1").unwrap_err();
        assert!(e.to_string().contains("unknown field"), "{e}");
    }
}
