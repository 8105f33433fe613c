//! `check-secret-naming` through the real binary, on copies of fixtures made by the real sops
//! (tests/regen-naming-schema-fixtures.sh), in temporary project directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GOOD: &str = "tests/fixtures/naming-schema/good/secrets";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(GOOD).join(name)
}

/// A project with `.pforge-hooks.toml` (so the temp dir is the root) and `secrets/` holding copies
/// of a real encrypted config under each of `names`.
fn project(config: &str, names: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(".pforge-hooks.toml"), config).unwrap();
    let secrets = tmp.path().join("secrets");
    std::fs::create_dir(&secrets).unwrap();
    let bytes = std::fs::read(fixture("config.pangeo-forge.yaml")).unwrap();
    for n in names {
        let src = fixture(n);
        let content = if src.is_file() {
            std::fs::read(src).unwrap()
        } else {
            bytes.clone()
        };
        std::fs::write(secrets.join(n), content).unwrap();
    }
    tmp
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_check-secret-naming"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// (rule, path, message, hint) of every finding, from the JSON report.
fn findings(out: &Output) -> Vec<(String, String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("path"), s("message"), s("hint"))
        })
        .collect()
}

fn one(names: &[&str]) -> (Output, Vec<(String, String, String, String)>) {
    let p = project("", names);
    let out = run(p.path(), &["--format", "json"]);
    let f = findings(&out);
    (out, f)
}

#[test]
fn the_real_layout_is_clean() {
    let names = [
        "config.pangeo-forge.yaml",
        "config.pangeo-forge-staging.yaml",
        "config.dev-app-proxy.yaml",
        "config.pforge-local-octocat.yaml",
        "config.pforge-pr-80.yaml",
        "bakery-args.pangeo-ldeo-nsf-earthcube.yaml",
        "dataflow-job-submission.json",
        ".sops.yaml",
        "README.md",
    ];
    let p = project("", &names);
    let out = run(p.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Named files (the pre-commit way) too.
    let args: Vec<String> = names.iter().map(|n| format!("secrets/{n}")).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(p.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn every_rule_with_its_suggestion() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "config.review.yaml",
            "legacy-name",
            "review configs are named config.pforge-pr-<PR number>.yaml",
        ),
        (
            "config.local.yaml",
            "legacy-name",
            "config.pforge-local-<GitHub login>.yaml",
        ),
        (
            "config.prod.yaml",
            "legacy-name",
            "git mv secrets/config.prod.yaml secrets/config.pangeo-forge.yaml",
        ),
        (
            "config.pforge-review-80.yaml",
            "legacy-name",
            "secrets/config.pforge-pr-80.yaml",
        ),
        (
            "config.pforge-pr-080.yaml",
            "invalid-pr-number",
            "secrets/config.pforge-pr-80.yaml",
        ),
        (
            "config.pforge-local--octocat.yaml",
            "invalid-login",
            "secrets/config.pforge-local-octocat.yaml",
        ),
        (
            "config.pangeo-forge-stagin.yaml",
            "unknown-deployment",
            "did you mean `pangeo-forge-staging`?",
        ),
        (
            "config.something.yaml",
            "unknown-deployment",
            "pforge-local-<GitHub login>",
        ),
        (
            "Config.pangeo-forge.yaml",
            "wrong-case",
            "secrets/config.pangeo-forge.yaml",
        ),
        (
            "config.pangeo-forge.yml",
            "wrong-extension",
            "secrets/config.pangeo-forge.yaml",
        ),
        (
            "config.pangeo-forge.yaml.bak",
            "stray-copy",
            "rm secrets/config.pangeo-forge.yaml.bak",
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
            "config.pangeo-forge.yaml.dec",
            "decrypted-copy",
            "rotate every credential",
        ),
        (
            "config.pangeo-forge.decrypted.yaml",
            "decrypted-copy",
            "sops secrets/config.pangeo-forge.yaml",
        ),
        (
            "config.pforge-local-abcdefghijklmnopqrstuv.yaml",
            "name-too-long",
            "at most 21 characters",
        ),
        (
            "config-pangeo-forge.yaml",
            "malformed-name",
            "secrets/config.pangeo-forge.yaml",
        ),
        (
            "github_app_config.yaml",
            "malformed-name",
            "config.<deployment>.yaml",
        ),
        (
            "bakery-args.Pangeo_LDEO.yaml",
            "invalid-name",
            "secrets/bakery-args.pangeo-ldeo.yaml",
        ),
        ("notes.txt", "unknown-file", "allow = "),
    ];
    let names: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let p = project("", &names);
    let out = run(p.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let found = findings(&out);
    for (name, rule, text) in cases {
        let path = format!("secrets/{name}");
        let hit = found
            .iter()
            .find(|f| f.1 == path && f.0 == *rule)
            .unwrap_or_else(|| panic!("no {rule} finding for {path}: {found:#?}"));
        assert!(
            hit.2.contains(text) || hit.3.contains(text),
            "{path}: `{text}` not in message/hint: {hit:#?}"
        );
    }
    // One finding per bad file, besides the duplicates: `Config.pangeo-forge.yaml` and
    // `config.pangeo-forge.yml` are both the prod config.
    let dups: Vec<&str> = found
        .iter()
        .filter(|f| f.0 == "duplicate-deployment")
        .map(|f| f.1.as_str())
        .collect();
    assert_eq!(
        dups,
        [
            "secrets/Config.pangeo-forge.yaml",
            "secrets/config.pangeo-forge.yml"
        ]
    );
    assert_eq!(found.len(), cases.len() + 2, "{found:#?}");
}

#[test]
fn two_files_for_one_deployment() {
    let p = project("", &["config.pangeo-forge.yaml", "config.pangeo-forge.yml"]);
    let out = run(p.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let f = findings(&out);
    let dup: Vec<_> = f.iter().filter(|f| f.0 == "duplicate-deployment").collect();
    assert_eq!(dup.len(), 1, "{f:#?}");
    assert_eq!(dup[0].1, "secrets/config.pangeo-forge.yml");
    assert!(
        dup[0]
            .2
            .contains("deployment `pangeo-forge` has 2 config files"),
        "{dup:#?}"
    );
    // Case-only twins collide on macOS and Windows disks.
    let (_, f) = one(&[
        "config.pforge-local-octocat.yaml",
        "config.pforge-local-Octocat.yaml",
    ]);
    assert!(
        f.iter()
            .any(|f| f.0 == "duplicate-deployment" && f.1.ends_with("Octocat.yaml")),
        "{f:#?}"
    );
    // Named files only (pre-commit with require_serial passes them all at once).
    let out = run(
        p.path(),
        &[
            "--format",
            "json",
            "secrets/config.pangeo-forge.yaml",
            "secrets/config.pangeo-forge.yml",
        ],
    );
    assert!(findings(&out).iter().any(|f| f.0 == "duplicate-deployment"));
    // One of them alone: no duplicate.
    let out = run(
        p.path(),
        &["--format", "json", "secrets/config.pangeo-forge.yml"],
    );
    assert!(!findings(&out).iter().any(|f| f.0 == "duplicate-deployment"));
}

#[test]
fn rules_come_from_the_project_config() {
    let config = r#"
[check-secret-naming]
dirs = ["secrets", "deploy/*/secrets"]
extra-deployments = ["demo-app", "team-{name}"]
max-deployment-length = 19
allow = ["NOTES.md"]
"#;
    let p = project(
        config,
        &[
            "config.demo-app.yaml",
            "config.team-data.yaml",
            "NOTES.md",
            "config.pangeo-forge-staging.yaml",
        ],
    );
    std::fs::create_dir_all(p.path().join("deploy/x/secrets")).unwrap();
    std::fs::write(p.path().join("deploy/x/secrets/config.review.yaml"), b"x").unwrap();
    std::fs::write(p.path().join("deploy/x/README-unrelated.txt"), b"x").unwrap();
    let out = run(p.path(), &["--format", "json", "secrets", "deploy"]);
    let f = findings(&out);
    let rules: Vec<(&str, &str)> = f.iter().map(|f| (f.0.as_str(), f.1.as_str())).collect();
    assert_eq!(
        rules,
        vec![
            ("legacy-name", "deploy/x/secrets/config.review.yaml"),
            ("name-too-long", "secrets/config.pangeo-forge-staging.yaml"),
        ],
        "{f:#?}"
    );
}

#[test]
fn files_outside_the_secrets_directories_are_not_judged() {
    let p = project("", &[]);
    std::fs::write(p.path().join("notes.txt"), b"x").unwrap();
    std::fs::create_dir(p.path().join("docs")).unwrap();
    std::fs::write(p.path().join("docs/config.review.yaml"), b"x").unwrap();
    let out = run(p.path(), &["notes.txt", "docs"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_bad_config_is_a_usage_error() {
    let p = project(
        "[check-secret-naming]\ndeployments = [\"pr-{nmber}\"]\n",
        &["config.x.yaml"],
    );
    let out = run(p.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown placeholder `{nmber}`"), "{err}");
    let p = project("[check-secret-naming]\nsuggest = true\n", &[]);
    assert_eq!(run(p.path(), &[]).status.code(), Some(2));
}

#[test]
fn hostile_names_are_printed_safely() {
    let p = project("", &["config.\u{1b}[31mred.yaml"]);
    let out = run(p.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("check-secret-naming/"), "{text}");
}

#[test]
fn human_output_reads_well() {
    let p = project("", &["config.review.yaml"]);
    let out = run(p.path(), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(
            "secrets/config.review.yaml: check-secret-naming/legacy-name: `review` is not a deployment \
             name; review configs are named config.pforge-pr-<PR number>.yaml"
        ),
        "{text}"
    );
    assert!(
        text.contains("hint: rename it to secrets/config.pforge-pr-<PR number>.yaml"),
        "{text}"
    );
}
