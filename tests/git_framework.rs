//! The real pre-commit framework runs the `pforge-hooks` umbrella entry of `.pre-commit-hooks.yaml`
//! (`pre-commit try-repo`, which `cargo install`s this repository as a `language: rust` hook repo):
//! the staged content decides, at the commit stage and at the pre-push stage.

mod git_support;

use std::path::Path;
use std::process::Output;

use git_support::*;

/// Cargo profile overrides for pre-commit's `cargo install` (same as tests/precommit_framework.rs).
const FAST_INSTALL: [(&str, &str); 3] = [
    ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0"),
    ("CARGO_PROFILE_RELEASE_LTO", "false"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
];

fn try_repo(work: &Path, extra: &[&str]) -> Output {
    let repo = env!("CARGO_MANIFEST_DIR");
    let mut c = std::process::Command::new("pre-commit");
    c.args(["try-repo", repo, "pforge-hooks", "--color", "never"])
        .args(extra)
        .current_dir(work)
        // Same build and cache dirs as tests/precommit_framework.rs: one `cargo install` serves both.
        .env(
            "CARGO_TARGET_DIR",
            Path::new(repo).join("target/pre-commit-build"),
        )
        .env(
            "PRE_COMMIT_HOME",
            Path::new(repo).join("target/pre-commit-home"),
        )
        // What is tested is the integration, not speed: pre-commit's `cargo install` (one per
        // try-repo) builds unoptimised, like tests/precommit_framework.rs, so CI stays short.
        .envs(FAST_INSTALL)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org");
    c.output()
        .expect("pre-commit is installed (pip install pre-commit)")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn umbrella_entry_checks_staged_content_and_pushed_commits() {
    let sb = Sandbox::new();
    let work = sb.repo("work");
    write(&work, "README.md", "demo\n");
    sb.git(&work, &["add", "."]);
    sb.git(&work, &["commit", "-qm", "root"]);
    let clear = "fastapi:\n    PANGEO_FORGE_API_KEY: 0123456789abcdef0123456789abcdef\n";
    write(&work, "secrets/config.pforge-pr-7.yaml", clear);
    sb.git(&work, &["add", "."]);
    let out = try_repo(&work, &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "clear staged file passed:\n{t}");
    assert!(t.contains("ensure-sops/not-encrypted"), "{t}");
    assert!(
        !t.contains("0123456789abcdef"),
        "the value was printed:\n{t}"
    );

    // The encrypted file staged: passes.
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("secrets/config.pforge-pr-136.yaml");
    sb.git(
        &work,
        &["rm", "-q", "--cached", "secrets/config.pforge-pr-7.yaml"],
    );
    std::fs::remove_file(work.join("secrets/config.pforge-pr-7.yaml")).expect("rm");
    std::fs::copy(&good, work.join("secrets/config.pforge-pr-136.yaml")).expect("copy");
    sb.git(&work, &["add", "."]);
    let out = try_repo(&work, &[]);
    assert!(out.status.success(), "{}", text(&out));

    // Pre-push stage: a leak committed and deleted again between the refs is still found.
    sb.git(&work, &["commit", "-qm", "good"]);
    let from = sb.git(&work, &["rev-parse", "HEAD"]);
    write(&work, "secrets/config.pforge-pr-7.yaml", clear);
    sb.git(&work, &["add", "."]);
    sb.git(&work, &["commit", "-qm", "leak"]);
    let leak = sb.git(&work, &["rev-parse", "HEAD"]);
    sb.git(&work, &["rm", "-q", "secrets/config.pforge-pr-7.yaml"]);
    sb.git(&work, &["commit", "-qm", "delete"]);
    let to = sb.git(&work, &["rev-parse", "HEAD"]);
    let out = try_repo(
        &work,
        &[
            "--hook-stage",
            "pre-push",
            "--from-ref",
            &from,
            "--to-ref",
            &to,
        ],
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains(&leak), "{t}");
}
