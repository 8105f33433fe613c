//! The real pre-commit framework (`pre-commit try-repo`) installs this repository as a `language: rust`
//! hook repo and runs `ensure-sops` on a good and a bad file.

use std::path::Path;
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) {
    let st = Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(st.success(), "git {args:?} failed");
}

/// Cargo profile overrides for pre-commit's `cargo install` (same as tests/git_framework.rs).
const FAST_INSTALL: [(&str, &str); 3] = [
    ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0"),
    ("CARGO_PROFILE_RELEASE_LTO", "false"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
];

fn try_repo(work: &Path, hook: &str, file: &str) -> Output {
    let repo = env!("CARGO_MANIFEST_DIR");
    Command::new("pre-commit")
        .args(["try-repo", repo, hook, "--files", file, "--color", "never"])
        .current_dir(work)
        // Reuse build artifacts between runs: pre-commit's `cargo install` honours CARGO_TARGET_DIR.
        .env(
            "CARGO_TARGET_DIR",
            Path::new(repo).join("target/pre-commit-build"),
        )
        .env(
            "PRE_COMMIT_HOME",
            Path::new(repo).join("target/pre-commit-home"),
        )
        // What is tested is the integration, not speed: build unoptimised so CI stays short.
        .envs(FAST_INSTALL)
        .output()
        .expect("pre-commit is installed (pip install pre-commit)")
}

#[test]
fn manifest_is_valid() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("pre-commit")
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(repo)
        .output()
        .expect("pre-commit is installed (pip install pre-commit)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn try_repo_passes_a_sops_file_and_blocks_a_clear_one() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    git(work, &["init", "-q"]);
    std::fs::create_dir(work.join("secrets")).unwrap();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("secrets/config.pforge-pr-136.yaml");
    std::fs::copy(&good, work.join("secrets/config.pforge-pr-136.yaml")).unwrap();
    std::fs::write(
        work.join("secrets/config.pforge-pr-7.yaml"),
        "fastapi:\n    PANGEO_FORGE_API_KEY: 0123456789abcdef0123456789abcdef\n",
    )
    .unwrap();
    git(work, &["add", "."]);

    let ok = try_repo(work, "ensure-sops", "secrets/config.pforge-pr-136.yaml");
    let text = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "good file rejected:\n{text}");
    assert!(text.contains("Passed"), "{text}");

    let bad = try_repo(work, "ensure-sops", "secrets/config.pforge-pr-7.yaml");
    let text = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(
        bad.status.code(),
        Some(1),
        "clear file not blocked:\n{text}"
    );
    assert!(text.contains("ensure-sops/not-encrypted"), "{text}");
    assert!(text.contains("sops -e -i"), "{text}");
    assert!(
        !text.contains("0123456789abcdef"),
        "the clear value was printed:\n{text}"
    );
}
