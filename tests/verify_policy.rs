//! `.sops.yaml` policy, keyless: a file must be encrypted to exactly the recipients of the creation rule
//! that covers it, and a file under secrets/ that no rule covers is a finding.

use std::path::Path;
use std::process::Command;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/verify");
const K1: &str = "age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun";
const K2: &str = "age1afnrdrkyvy0sl5e08t9ffs4c7g5e5npc8luf7hjc77syewg5gajsls4r90";

fn repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::create_dir_all(d.join("secrets")).unwrap();
    std::fs::write(
        d.join(".sops.yaml"),
        format!(
            "creation_rules:\n  - path_regex: ^secrets/(ok|departed)\\.yaml$\n    age: {K1}\n  - path_regex: ^secrets/missing\\.yaml$\n    age: {K1},{K2}\n  - path_regex: ^secrets/grouped\\.yaml$\n    key_groups:\n      - age: [{K1}]\n      - age: [{K2}]\n"
        ),
    )
    .unwrap();
    let copy = |from: &str, to: &str| std::fs::copy(format!("{FIX}/{from}"), d.join(to)).unwrap();
    copy("enc/basic.yaml", "secrets/ok.yaml");
    copy("enc/multi_recipient.yaml", "secrets/departed.yaml");
    copy("enc/basic.yaml", "secrets/missing.yaml");
    copy("enc/basic.yaml", "secrets/uncovered.yaml");
    copy("enc/shamir.yaml", "secrets/grouped.yaml");
    tmp
}

fn run(dir: &Path, files: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_ensure-sops"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .args(["--format", "json"])
        .args(files)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap_or(-1), report)
}

fn errors(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
                f["hint"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_file_encrypted_to_its_rule_passes() {
    let r = repo();
    for f in ["secrets/ok.yaml", "secrets/grouped.yaml"] {
        let (code, report) = run(r.path(), &[f]);
        assert_eq!(code, 0, "{f}: {report}");
    }
}

#[test]
fn a_departed_members_key_is_found() {
    let r = repo();
    let (code, report) = run(r.path(), &["secrets/departed.yaml"]);
    assert_eq!(code, 1);
    let e = errors(&report);
    assert_eq!(e.len(), 1, "{report}");
    assert_eq!(e[0].0, "recipients-mismatch");
    assert!(
        e[0].1.contains("still encrypted to age") && e[0].1.contains(K2),
        "{}",
        e[0].1
    );
    assert!(
        e[0].2.contains("sops updatekeys secrets/departed.yaml"),
        "{}",
        e[0].2
    );
}

#[test]
fn a_new_members_key_missing_is_found() {
    let r = repo();
    let (code, report) = run(r.path(), &["secrets/missing.yaml"]);
    assert_eq!(code, 1);
    let e = errors(&report);
    assert_eq!(e.len(), 1, "{report}");
    assert!(
        e[0].1.contains("not encrypted to age") && e[0].1.contains(K2),
        "{}",
        e[0].1
    );
    assert!(e[0].2.contains("sops updatekeys"), "{}", e[0].2);
}

#[test]
fn a_secret_no_rule_covers_is_found() {
    let r = repo();
    let (code, report) = run(r.path(), &["secrets/uncovered.yaml"]);
    assert_eq!(code, 1);
    let e = errors(&report);
    assert_eq!(e.len(), 1, "{report}");
    assert_eq!(e[0].0, "no-creation-rule");
    // Group structure differs from the rule: one finding, not one per key.
    std::fs::copy(
        format!("{FIX}/enc/basic.yaml"),
        r.path().join("secrets/grouped.yaml"),
    )
    .unwrap();
    let (code, report) = run(r.path(), &["secrets/grouped.yaml"]);
    assert_eq!(code, 1);
    let e = errors(&report);
    assert_eq!(e.len(), 1, "{report}");
    assert!(
        e[0].1.contains("1 key group(s)") && e[0].1.contains("lists 2"),
        "{}",
        e[0].1
    );
}

#[test]
fn walking_the_directory_checks_every_secret() {
    let r = repo();
    let (code, report) = run(r.path(), &["secrets"]);
    assert_eq!(code, 1);
    let mut rules: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        vec![
            (
                "secrets/departed.yaml".to_string(),
                "recipients-mismatch".to_string()
            ),
            (
                "secrets/missing.yaml".to_string(),
                "recipients-mismatch".to_string()
            ),
            (
                "secrets/uncovered.yaml".to_string(),
                "no-creation-rule".to_string()
            ),
        ]
    );
}
