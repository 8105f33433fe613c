//! The naming rules compiled from the configuration, and the classifier: file name -> verdict, with
//! the nearest valid name when it is wrong.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::config::{GlobPattern, SecretNamingConfig};
use super::grammar::{self, distance, hole_ok, repair};
use super::template::{Hole, Template};

/// What to do about a bad name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Suggestion {
    /// Nothing better can be guessed.
    None,
    /// Rename the file to exactly this name.
    Rename(String),
    /// Rename it to this shape (`config.pforge-pr-<PR number>.yaml`); the user fills the blank.
    Shape(String),
    /// Delete it (a stray or decrypted copy of this file).
    Delete(String),
}

/// A problem with one file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The rule id (`wrong-case`, `stray-copy`, ...).
    pub rule: &'static str,
    /// What is wrong, in words.
    pub message: String,
    /// The nearest valid name, or what to do.
    pub suggestion: Suggestion,
    /// The file's identity for duplicate detection (family index, canonical name), when it has one.
    pub key: Option<(usize, String)>,
}

/// The verdict on one file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Not a secret (README, `.sops.yaml`, ...): fine.
    Allowed,
    /// A valid name of the family with this index; `key` is its canonical name.
    Valid {
        /// Index into the families.
        family: usize,
        /// The canonical name (for duplicate detection).
        key: String,
    },
    /// A bad name.
    Problem(Problem),
}

/// How a deployment name failed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct DeploymentProblem {
    rule: &'static str,
    message: String,
    /// The suggested deployment name, or its shape.
    suggestion: DepSuggestion,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum DepSuggestion {
    None,
    Exact(String),
    Shape(Template),
}

/// The compiled rules.
#[derive(Debug)]
pub struct Rules {
    cfg: SecretNamingConfig,
    deployments: Vec<Template>,
    dirs: GlobSet,
    allow: GlobSet,
}

fn globset(patterns: &[GlobPattern], case_insensitive: bool) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let g = GlobBuilder::new(p.as_str())
            .case_insensitive(case_insensitive)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("bad glob `{}`: {e}", p.as_str()))?;
        b.add(g);
    }
    b.build().map_err(|e| e.to_string())
}

impl Rules {
    /// Compile the configuration.
    pub fn new(cfg: &SecretNamingConfig) -> Result<Rules, String> {
        let deployments = cfg
            .deployments
            .iter()
            .chain(&cfg.extra_deployments)
            .map(|d| d.0.clone())
            .collect();
        Ok(Rules {
            cfg: cfg.clone(),
            deployments,
            dirs: globset(&cfg.dirs, false)?,
            allow: globset(&cfg.allow, true)?,
        })
    }

    /// The configuration the rules came from.
    pub fn config(&self) -> &SecretNamingConfig {
        &self.cfg
    }

    /// Whether a root-relative path is in one of the secrets directories.
    pub fn in_scope(&self, rel_path: &str) -> bool {
        let dir = rel_path.rsplit_once('/').map_or("", |(d, _)| d);
        !dir.is_empty() && self.dirs.is_match(dir)
    }

    /// The families in a readable list: `config.<deployment>.yaml (deployment config), ...`.
    pub fn families_human(&self) -> String {
        self.cfg
            .families
            .iter()
            .map(|f| format!("{} ({})", f.pattern.human(), f.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The deployments in a readable list.
    pub fn deployments_human(&self) -> String {
        self.deployments
            .iter()
            .map(Template::human)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Judge one file name (the last path component).
    pub fn classify(&self, name: &str) -> Verdict {
        if self.allow.is_match(name) {
            return Verdict::Allowed;
        }
        if let Some(p) = self.copy_problem(name) {
            return Verdict::Problem(p);
        }
        let strict = self.classify_shape(name);
        if let Some(Ok(v)) = strict {
            return v;
        }
        // Wrong case or extension: judge the normalised name and say what differs.
        let lower = name.to_ascii_lowercase();
        let norm = match lower.strip_suffix(".yml") {
            Some(stem) => format!("{stem}.yaml"),
            None => lower.clone(),
        };
        let case = lower != name;
        let ext = norm != lower;
        let relaxed = if case || ext {
            self.classify_shape(&norm)
        } else {
            None
        };
        if let Some(Ok(Verdict::Valid { family, key })) = relaxed {
            let what = match (case, ext) {
                (true, true) => "lower case and the `.yaml` extension",
                (true, false) => "lower case",
                _ => "the `.yaml` extension (not `.yml`)",
            };
            let why = if case {
                "the app opens the file by its exact lower-case name, and deployment names become \
                 Cloud Function and Secret Manager names, which are lower case"
            } else {
                "the app opens exactly secrets/config.<deployment>.yaml, and sops picks the file \
                 format by extension"
            };
            return Verdict::Problem(Problem {
                rule: if case {
                    "wrong-case"
                } else {
                    "wrong-extension"
                },
                message: format!(
                    "`{name}` should be `{norm}`: secret file names use {what} ({why})"
                ),
                suggestion: Suggestion::Rename(norm),
                key: Some((family, key)),
            });
        }
        if let Some(Err(p)) = strict {
            return Verdict::Problem(p);
        }
        match relaxed {
            Some(Ok(v)) => return v,
            Some(Err(mut p)) => {
                p.message = format!(
                    "{} (and secret file names are lower case and end in `.yaml`, not `.yml`)",
                    p.message
                );
                return Verdict::Problem(p);
            }
            None => {}
        }
        if let Some(p) = self.near_family(name, &norm) {
            return Verdict::Problem(p);
        }
        Verdict::Problem(Problem {
            rule: "unknown-file",
            message: format!(
                "`{name}` does not follow any secret file name of this project; expected {}",
                self.families_human()
            ),
            suggestion: Suggestion::None,
            key: None,
        })
    }

    /// Stray (editor, backup) and decrypted copies.
    fn copy_problem(&self, name: &str) -> Option<Problem> {
        let lower = name.to_ascii_lowercase();
        let parts: Vec<&str> = name.split('.').collect();
        // A decrypted-copy marker as a dot-separated part after the first: `config.x.dec.yaml`,
        // `config.x.yaml.decrypted`.
        for (i, part) in parts.iter().enumerate().skip(1) {
            if self
                .cfg
                .decrypted_markers
                .iter()
                .any(|m| m.eq_ignore_ascii_case(part))
            {
                let base: Vec<&str> = parts
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, p)| *p)
                    .collect();
                let base = base.join(".");
                return Some(Problem {
                    rule: "decrypted-copy",
                    message: format!(
                        "`{name}` looks like a decrypted copy of `{base}`: decrypted credentials must \
                         never be committed"
                    ),
                    suggestion: Suggestion::Delete(base),
                    key: None,
                });
            }
        }
        let stray = |base: &str| Problem {
            rule: "stray-copy",
            message: format!(
                "`{name}` is a stray copy of `{base}` (a backup or editor file); a copy of a secret \
                 file is a second place the credentials can leak from, and may be decrypted"
            ),
            suggestion: Suggestion::Delete(base.to_string()),
            key: None,
        };
        // Emacs autosave/lock files and vim swap files.
        if let Some(inner) = name.strip_prefix('#').and_then(|n| n.strip_suffix('#')) {
            return Some(stray(inner));
        }
        if let Some(inner) = name.strip_prefix(".#") {
            return Some(stray(inner));
        }
        for suffix in &self.cfg.stray_suffixes {
            if suffix.is_empty() || lower.len() <= suffix.len() {
                continue;
            }
            if lower.ends_with(&suffix.to_ascii_lowercase()) {
                let base = name.get(..name.len() - suffix.len()).unwrap_or(name);
                // vim swap files are hidden: `.config.x.yaml.swp`.
                let base = match base.strip_prefix('.') {
                    Some(b) if suffix.starts_with(".sw") => b,
                    _ => base,
                };
                return Some(stray(base));
            }
        }
        None
    }

    /// Match the families exactly. `None`: no family has this shape.
    fn classify_shape(&self, name: &str) -> Option<Result<Verdict, Problem>> {
        let mut first_problem = None;
        for (i, fam) in self.cfg.families.iter().enumerate() {
            let Some(value) = fam.pattern.match_exact(name) else {
                continue;
            };
            match self.check_value(fam.pattern.hole(), value) {
                Ok(()) => {
                    return Some(Ok(Verdict::Valid {
                        family: i,
                        key: name.to_string(),
                    }));
                }
                Err(p) => {
                    if first_problem.is_none() {
                        first_problem = Some(self.file_problem(i, p));
                    }
                }
            }
        }
        first_problem.map(Err)
    }

    /// Turn a placeholder problem into a file problem of family `family`.
    fn file_problem(&self, family: usize, p: DeploymentProblem) -> Problem {
        let Some(fam) = self.cfg.families.get(family) else {
            return Problem {
                rule: p.rule,
                message: p.message,
                suggestion: Suggestion::None,
                key: None,
            };
        };
        let suggestion = match p.suggestion {
            DepSuggestion::None => Suggestion::None,
            DepSuggestion::Exact(v) => Suggestion::Rename(fam.pattern.fill(&v)),
            DepSuggestion::Shape(t) => Suggestion::Shape(fam.pattern.fill(&t.human())),
        };
        let message = match (&suggestion, p.rule) {
            (Suggestion::Shape(shape), "legacy-name") => format!("{} {shape}", p.message),
            _ => p.message,
        };
        Problem {
            rule: p.rule,
            message,
            suggestion,
            key: None,
        }
    }

    /// Check a placeholder value.
    fn check_value(&self, hole: Option<Hole>, value: &str) -> Result<(), DeploymentProblem> {
        match hole {
            None => Ok(()),
            Some(Hole::Deployment) => self.check_deployment(value),
            Some(h) => {
                if hole_ok(h, value) {
                    Ok(())
                } else {
                    Err(hole_problem(h, value, None))
                }
            }
        }
    }

    /// Check a deployment name against the configured deployments.
    fn check_deployment(&self, dep: &str) -> Result<(), DeploymentProblem> {
        let mut failed = None;
        for t in &self.deployments {
            let Some(value) = t.match_exact(dep) else {
                continue;
            };
            match t.hole() {
                None => return self.check_length(dep, t),
                Some(h) if hole_ok(h, value) => return self.check_length(dep, t),
                Some(h) => {
                    if failed.is_none() {
                        failed = Some(hole_problem(h, value, Some(t)));
                    }
                }
            }
        }
        if let Some(p) = failed {
            return Err(p);
        }
        Err(self.unknown_deployment(dep))
    }

    fn check_length(&self, dep: &str, t: &Template) -> Result<(), DeploymentProblem> {
        let max = self.cfg.max_deployment_length;
        let n = dep.chars().count();
        if n <= max {
            return Ok(());
        }
        let room = match t.hole() {
            Some(h) => {
                let fixed = t.prefix().len() + t.suffix().len();
                format!(
                    ", so the {} part can be at most {} characters",
                    h.human(),
                    max.saturating_sub(fixed)
                )
            }
            None => String::new(),
        };
        Err(DeploymentProblem {
            rule: "name-too-long",
            message: format!(
                "the deployment name `{dep}` is {n} characters, but GitHub App names are at most \
                 {max}{room}"
            ),
            suggestion: DepSuggestion::None,
        })
    }

    /// The nearest valid deployment for a name that matches none.
    fn unknown_deployment(&self, dep: &str) -> DeploymentProblem {
        let norm: String = dep
            .chars()
            .map(|c| match c {
                '_' | '.' | ' ' => '-',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        let dot_note = if dep.contains('.') {
            " (a deployment name cannot contain `.`: the app splits config file names on dots)"
        } else {
            ""
        };
        // Old or informal names: `review`, `local`, `pforge-review-80`, `pr-80`, `local-someone`.
        for (alias, target) in &self.cfg.aliases {
            let t = &target.0;
            if norm == *alias {
                let suggestion = match t.hole() {
                    Some(_) => DepSuggestion::Shape(t.clone()),
                    None => DepSuggestion::Exact(t.as_str().to_string()),
                };
                let message = match &suggestion {
                    DepSuggestion::Shape(_) => {
                        format!("`{dep}` is not a deployment name; {alias} configs are named")
                    }
                    _ => format!(
                        "`{dep}` is an old name: the {alias} deployment is called `{}`",
                        t.as_str()
                    ),
                };
                return DeploymentProblem {
                    rule: "legacy-name",
                    message,
                    suggestion,
                };
            }
            if let (Some(h), Some(rest)) = (t.hole(), norm.strip_prefix(alias.as_str())) {
                let rest = rest.trim_start_matches('-');
                if let Some(fixed) = repair(h, rest).filter(|_| !rest.is_empty()) {
                    let s = t.fill(&fixed);
                    return DeploymentProblem {
                        rule: "legacy-name",
                        message: format!(
                            "`{dep}` follows an old naming scheme: {alias} deployments are now \
                             named {}, here `{s}`",
                            t.human()
                        ),
                        suggestion: DepSuggestion::Exact(s),
                    };
                }
            }
        }
        // Only case, separators or dots differ: `Pangeo_Forge`.
        if norm != dep && self.check_deployment_quiet(&norm) {
            return did_you_mean(dep, norm, dot_note);
        }
        // A misspelt template prefix: `pforge-locl-someone`, `pforgepr-80`.
        let mut best: Option<(usize, String)> = None;
        for t in &self.deployments {
            let Some(h) = t.hole() else { continue };
            if t.prefix().is_empty() || !t.suffix().is_empty() {
                continue;
            }
            let p = t.prefix();
            let lo = p.len().saturating_sub(3);
            let hi = (p.len() + 3).min(norm.len());
            for i in lo..=hi {
                let (Some(head), Some(rest)) = (norm.get(..i), norm.get(i..)) else {
                    continue;
                };
                let rest = rest.trim_start_matches('-');
                if rest.is_empty() {
                    continue;
                }
                let d = distance(head, p);
                if d > 2 || best.as_ref().is_some_and(|(bd, _)| *bd <= d) {
                    continue;
                }
                if let Some(fixed) = repair(h, rest) {
                    let s = t.fill(&fixed);
                    if self.check_deployment_quiet(&s) {
                        best = Some((d, s));
                    }
                }
            }
        }
        // A misspelt fixed name: `pangeo-forge-stagin`.
        for t in &self.deployments {
            if t.hole().is_some() {
                continue;
            }
            let d = distance(&norm, t.as_str());
            let limit = (t.as_str().len() / 5).max(2);
            if d <= limit && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((d, t.as_str().to_string()));
            }
        }
        if let Some((_, s)) = best {
            return did_you_mean(dep, s, dot_note);
        }
        DeploymentProblem {
            rule: "unknown-deployment",
            message: format!(
                "`{dep}` is not one of this project's deployments{dot_note}; deployments are {}",
                self.deployments_human()
            ),
            suggestion: DepSuggestion::None,
        }
    }

    fn check_deployment_quiet(&self, dep: &str) -> bool {
        self.deployments.iter().any(|t| {
            t.match_exact(dep).is_some_and(|v| match t.hole() {
                None => true,
                Some(h) => hole_ok(h, v),
            }) && dep.chars().count() <= self.cfg.max_deployment_length
        })
    }

    /// A name near a family's shape but not in it: `config-pangeo-forge.yaml`, `config.yaml`,
    /// `github_app_config.dev.yaml`.
    fn near_family(&self, name: &str, norm: &str) -> Option<Problem> {
        for fam in &self.cfg.families {
            let word = fam.pattern.prefix().trim_end_matches(['.', '-', '_']);
            if word.is_empty() {
                continue;
            }
            let suffix = fam.pattern.suffix();
            let stem = match norm.strip_suffix(suffix).filter(|_| !suffix.is_empty()) {
                Some(stem) => stem,
                None => norm.rsplit_once('.').map_or(norm, |(stem, _)| stem),
            };
            let Some(at) = stem.rfind(word) else { continue };
            let value = stem.get(at + word.len()..).unwrap_or_default();
            let value = value.trim_start_matches(['.', '-', '_']);
            let expected = fam.pattern.human();
            if value.is_empty() || fam.pattern.hole().is_none() {
                return Some(Problem {
                    rule: "malformed-name",
                    message: format!(
                        "`{name}` is not a valid {} name: it must be {expected}",
                        fam.name
                    ),
                    suggestion: Suggestion::Shape(expected),
                    key: None,
                });
            }
            let candidate = fam.pattern.fill(value);
            return Some(match self.classify_shape(&candidate) {
                Some(Ok(_)) => Problem {
                    rule: "malformed-name",
                    message: format!(
                        "`{name}` does not follow the {} name {expected}; did you mean `{candidate}`?",
                        fam.name
                    ),
                    suggestion: Suggestion::Rename(candidate),
                    key: None,
                },
                Some(Err(mut p)) => {
                    p.message = format!(
                        "`{name}` does not follow the {} name {expected}, and {}",
                        fam.name, p.message
                    );
                    p
                }
                None => Problem {
                    rule: "malformed-name",
                    message: format!(
                        "`{name}` is not a valid {} name: it must be {expected}",
                        fam.name
                    ),
                    suggestion: Suggestion::Shape(expected),
                    key: None,
                },
            });
        }
        None
    }
}

fn did_you_mean(dep: &str, s: String, note: &str) -> DeploymentProblem {
    DeploymentProblem {
        rule: "unknown-deployment",
        message: format!(
            "`{dep}` is not one of this project's deployments{note}; did you mean `{s}`?"
        ),
        suggestion: DepSuggestion::Exact(s),
    }
}

/// The problem with a placeholder value (`pforge-pr-080`, `pforge-local--x`).
fn hole_problem(h: Hole, value: &str, t: Option<&Template>) -> DeploymentProblem {
    let fixed = repair(h, value);
    let (rule, what) = match h {
        Hole::Number if value.bytes().all(|b| b.is_ascii_digit()) && value.starts_with('0') => (
            "invalid-pr-number",
            format!("`{value}` is not a PR number as GitHub writes it (no leading zeros)"),
        ),
        Hole::Number => (
            "invalid-pr-number",
            format!("`{value}` is not a PR number (a positive whole number)"),
        ),
        Hole::Login => (
            "invalid-login",
            format!(
                "`{value}` is not a valid lower-case GitHub login (1 to {} letters, digits and single \
                 hyphens, not starting or ending with a hyphen)",
                grammar::MAX_LOGIN
            ),
        ),
        Hole::Name | Hole::Deployment => (
            "invalid-name",
            format!(
                "`{value}` is not a valid name (lower-case letters, digits and single hyphens, at \
                 most {} characters; no dots or underscores)",
                grammar::MAX_NAME
            ),
        ),
    };
    let suggestion = match (fixed, t) {
        (Some(f), Some(t)) => DepSuggestion::Exact(t.fill(&f)),
        (Some(f), None) => DepSuggestion::Exact(f),
        (None, Some(t)) => DepSuggestion::Shape(t.clone()),
        (None, None) => DepSuggestion::None,
    };
    DeploymentProblem {
        rule,
        message: what,
        suggestion,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::new(&SecretNamingConfig::default()).unwrap()
    }

    fn problem(name: &str) -> Problem {
        match rules().classify(name) {
            Verdict::Problem(p) => p,
            v => panic!("{name}: expected a problem, got {v:?}"),
        }
    }

    #[test]
    fn valid_names() {
        let r = rules();
        for ok in [
            "config.pangeo-forge.yaml",
            "config.pangeo-forge-staging.yaml",
            "config.dev-app-proxy.yaml",
            "config.pforge-local-cisaacstern.yaml",
            "config.pforge-local-andersy005.yaml",
            "config.pforge-pr-80.yaml",
            "bakery-args.pangeo-ldeo-nsf-earthcube.yaml",
            "dataflow-job-submission.json",
        ] {
            assert!(matches!(r.classify(ok), Verdict::Valid { .. }), "{ok}");
        }
        for allowed in [".sops.yaml", "README.md", "readme.txt", ".gitignore"] {
            assert_eq!(r.classify(allowed), Verdict::Allowed, "{allowed}");
        }
    }

    #[test]
    fn legacy_names_get_the_new_shape() {
        let p = problem("config.review.yaml");
        assert_eq!(p.rule, "legacy-name");
        assert!(
            p.message
                .contains("review configs are named config.pforge-pr-<PR number>.yaml"),
            "{}",
            p.message
        );
        assert_eq!(
            p.suggestion,
            Suggestion::Shape("config.pforge-pr-<PR number>.yaml".into())
        );
        let p = problem("config.local.yaml");
        assert_eq!(
            p.suggestion,
            Suggestion::Shape("config.pforge-local-<GitHub login>.yaml".into())
        );
        let p = problem("config.prod.yaml");
        assert_eq!(
            p.suggestion,
            Suggestion::Rename("config.pangeo-forge.yaml".into())
        );
        let p = problem("config.pforge-review-80.yaml");
        assert_eq!(p.rule, "legacy-name");
        assert_eq!(
            p.suggestion,
            Suggestion::Rename("config.pforge-pr-80.yaml".into())
        );
    }

    #[test]
    fn near_misses_get_the_nearest_name() {
        let cases = [
            (
                "config.pforge-pr-080.yaml",
                "invalid-pr-number",
                "config.pforge-pr-80.yaml",
            ),
            (
                "config.pangeo-forge-stagin.yaml",
                "unknown-deployment",
                "config.pangeo-forge-staging.yaml",
            ),
            (
                "config.pforge-locl-someone.yaml",
                "unknown-deployment",
                "config.pforge-local-someone.yaml",
            ),
            (
                "config.pforge_pr_12.yaml",
                "unknown-deployment",
                "config.pforge-pr-12.yaml",
            ),
            (
                "Config.pangeo-forge.yaml",
                "wrong-case",
                "config.pangeo-forge.yaml",
            ),
            (
                "config.pforge-local-CIsaacstern.yaml",
                "wrong-case",
                "config.pforge-local-cisaacstern.yaml",
            ),
            (
                "config.pangeo-forge.yml",
                "wrong-extension",
                "config.pangeo-forge.yaml",
            ),
            (
                "config-pangeo-forge.yaml",
                "malformed-name",
                "config.pangeo-forge.yaml",
            ),
            (
                "bakery-args.Pangeo_LDEO.yaml",
                "invalid-name",
                "bakery-args.pangeo-ldeo.yaml",
            ),
            (
                "bakery-args.pangeo_ldeo.yaml",
                "invalid-name",
                "bakery-args.pangeo-ldeo.yaml",
            ),
        ];
        for (name, rule, suggestion) in cases {
            let p = problem(name);
            assert_eq!((name, p.rule), (name, rule), "{}", p.message);
            assert_eq!(
                p.suggestion,
                Suggestion::Rename(suggestion.into()),
                "{name}: {}",
                p.message
            );
        }
    }

    #[test]
    fn copies() {
        for (name, rule, base) in [
            (
                "config.pangeo-forge.yaml.bak",
                "stray-copy",
                "config.pangeo-forge.yaml",
            ),
            (
                "config.pangeo-forge.yaml.orig",
                "stray-copy",
                "config.pangeo-forge.yaml",
            ),
            (
                "config.pangeo-forge.yaml~",
                "stray-copy",
                "config.pangeo-forge.yaml",
            ),
            (
                ".config.pangeo-forge.yaml.swp",
                "stray-copy",
                "config.pangeo-forge.yaml",
            ),
            (
                "#config.pangeo-forge.yaml#",
                "stray-copy",
                "config.pangeo-forge.yaml",
            ),
            (
                "config.pangeo-forge.yaml.dec",
                "decrypted-copy",
                "config.pangeo-forge.yaml",
            ),
            (
                "config.pangeo-forge.dec.yaml",
                "decrypted-copy",
                "config.pangeo-forge.yaml",
            ),
            (
                "config.pangeo-forge.decrypted.yaml",
                "decrypted-copy",
                "config.pangeo-forge.yaml",
            ),
        ] {
            let p = problem(name);
            assert_eq!((name, p.rule), (name, rule));
            assert_eq!(p.suggestion, Suggestion::Delete(base.into()), "{name}");
        }
    }

    #[test]
    fn length_and_unknowns() {
        let login = "a".repeat(22);
        let p = problem(&format!("config.pforge-local-{login}.yaml"));
        assert_eq!(p.rule, "name-too-long");
        assert!(p.message.contains("at most 21 characters"), "{}", p.message);
        assert!(matches!(
            rules().classify(&format!("config.pforge-local-{}.yaml", "a".repeat(21))),
            Verdict::Valid { .. }
        ));
        let p = problem("config.pforge-local--x.yaml");
        assert_eq!(p.rule, "invalid-login");
        let p = problem("config.something-else.yaml");
        assert_eq!(p.rule, "unknown-deployment");
        assert!(p.message.contains("pforge-pr-<PR number>"), "{}", p.message);
        let p = problem("notes.txt");
        assert_eq!(p.rule, "unknown-file");
        let p = problem("config.yaml");
        assert_eq!(p.rule, "malformed-name");
        assert_eq!(
            p.suggestion,
            Suggestion::Shape("config.<deployment>.yaml".into())
        );
        let p = problem("github_app_config.dev.yaml");
        assert_eq!(p.rule, "legacy-name", "{}", p.message);
        let p = problem("config.pforge.pr.80.yaml");
        assert!(p.message.contains("cannot contain `.`"), "{}", p.message);
    }

    #[test]
    fn extra_deployments_and_scope() {
        let cfg = SecretNamingConfig {
            extra_deployments: vec![toml::Value::String("demo-app".into()).try_into().unwrap()],
            ..Default::default()
        };
        let r = Rules::new(&cfg).unwrap();
        assert!(matches!(
            r.classify("config.demo-app.yaml"),
            Verdict::Valid { .. }
        ));
        assert!(r.in_scope("secrets/config.x.yaml"));
        assert!(!r.in_scope("config.x.yaml"));
        assert!(!r.in_scope("other/secrets.yaml"));
        assert!(!r.in_scope("secrets/sub/x.yaml"));
    }

    #[test]
    fn hostile_names_are_cheap_and_safe() {
        let r = rules();
        for name in [
            "config.".to_string() + &"x".repeat(100_000) + ".yaml",
            "\u{1b}[31mconfig.\u{202e}.yaml".to_string(),
            "config.\u{fffd}.yaml".to_string(),
            "....".to_string(),
            "".to_string(),
            "~".to_string(),
        ] {
            let _ = r.classify(&name);
        }
    }
}
