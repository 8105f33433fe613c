//! Project configuration discovery and the output contracts, through the real binary.

use std::path::Path;
use std::process::Command;

fn pforge(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pforge-hooks"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn config_defaults_without_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    let out = pforge(tmp.path(), &["config"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("no configuration file found"), "{text}");
    assert!(text.contains("\"secrets/**\""), "{text}");
}

#[test]
fn config_is_found_by_walking_up_and_unknown_keys_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        tmp.path().join(".pforge-hooks.toml"),
        "[ensure-sops]\npaths = [\"vault/**\"]\n",
    )
    .unwrap();
    let out = pforge(&sub, &["config"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("vault/**"), "{text}");
    assert!(text.contains(".pforge-hooks.toml"), "{text}");

    std::fs::write(
        tmp.path().join(".pforge-hooks.toml"),
        "[ensure-sops]\npathz = [\"vault/**\"]\n",
    )
    .unwrap();
    let out = pforge(&sub, &["config"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pathz"), "{err}");
}

#[test]
fn pyproject_table_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("pyproject.toml"),
        "[project]\nname = \"x\"\n[tool.pforge-hooks.ensure-sops]\nrequire-verify = true\n",
    )
    .unwrap();
    let out = pforge(tmp.path(), &["config"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("require-verify = true"), "{text}");
    assert!(text.contains("pyproject.toml"), "{text}");

    std::fs::write(
        tmp.path().join("pyproject.toml"),
        "[tool.pforge-hooks]\nbogus = 1\n",
    )
    .unwrap();
    let out = pforge(tmp.path(), &["config"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bogus"));
}

#[test]
fn a_missing_path_is_an_error_not_a_pass() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["human", "json", "sarif"] {
        let out = pforge(
            tmp.path(),
            &["scan", "--format", format, "no/such/file.yaml"],
        );
        assert_eq!(out.status.code(), Some(2), "format {format}");
    }
}

#[test]
fn scan_without_secrets_dir_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    let out = pforge(tmp.path(), &["scan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("secrets/"));
}

#[test]
fn unknown_check_and_bad_flag_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = pforge(tmp.path(), &["scan", "--check", "nope", "."]);
    assert_eq!(out.status.code(), Some(2));
    let out = pforge(tmp.path(), &["scan", "--format", "xml", "."]);
    assert_eq!(out.status.code(), Some(2));
}
