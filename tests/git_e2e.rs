//! End to end with the real checks: commits and pushes that carry a clear-text credential under
//! secrets/ are stopped at pre-commit, pre-push and pre-receive (naming the commit), clean ones with
//! a real sops-encrypted file go through, and nothing is read from the working tree.

mod git_support;

use std::path::{Path, PathBuf};
use std::process::Output;

use git_support::*;

const CLEAR_VALUE: &str = "0123456789abcdef0123456789abcdef";
const LEAK_PATH: &str = "secrets/config.pforge-pr-7.yaml";
const GOOD_PATH: &str = "secrets/config.pforge-pr-136.yaml";

fn clear() -> String {
    format!("fastapi:\n    PANGEO_FORGE_API_KEY: {CLEAR_VALUE}\n")
}

/// A real file made by the sops binary (the project's demo secrets).
fn encrypted() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("secrets/config.pforge-pr-136.yaml");
    std::fs::read_to_string(p).expect("demo secret")
}

fn all_output(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn run(sb: &Sandbox, cwd: &Path, args: &[&str]) -> Output {
    sb.pforge(cwd).args(args).output().expect("run")
}

fn commit(sb: &Sandbox, repo: &Path, files: &[(&str, &str)], msg: &str) -> String {
    for (p, c) in files {
        write(repo, p, c);
        sb.git(repo, &["add", p]);
    }
    sb.git(repo, &["commit", "-qm", msg, "--no-verify"]);
    sb.git(repo, &["rev-parse", "HEAD"])
}

/// Client with installed pre-commit/pre-push hooks; server with the installed pre-receive hook.
fn world(sb: &Sandbox) -> (PathBuf, PathBuf) {
    let server = sb.bare("server.git");
    let out = run(sb, &server, &["install", "--hook", "pre-receive"]);
    assert!(out.status.success(), "{}", all_output(&out));
    let client = sb.repo("client");
    let out = run(sb, &client, &["install"]);
    assert!(out.status.success(), "{}", all_output(&out));
    sb.git(
        &client,
        &[
            "remote",
            "add",
            "origin",
            &format!("file://{}", server.display()),
        ],
    );
    write(&client, "README.md", "demo\n");
    sb.git(&client, &["add", "."]);
    sb.git(&client, &["commit", "-qm", "root"]);
    (client, server)
}

fn server_refs(sb: &Sandbox, server: &Path) -> String {
    sb.git(
        server,
        &["for-each-ref", "--format=%(refname) %(objectname)"],
    )
}

#[test]
fn pre_commit_blocks_a_clear_file_and_passes_an_encrypted_one() {
    let sb = Sandbox::new();
    let (repo, _server) = world(&sb);
    write(&repo, LEAK_PATH, &clear());
    sb.git(&repo, &["add", LEAK_PATH]);
    let out = sb.git_out(&repo, &["commit", "-qm", "leak"]);
    let text = all_output(&out);
    assert!(!out.status.success(), "clear file committed:\n{text}");
    assert!(text.contains("ensure-sops/not-encrypted"), "{text}");
    assert!(text.contains(LEAK_PATH), "{text}");
    assert!(
        !text.contains(CLEAR_VALUE),
        "the secret was printed:\n{text}"
    );
    sb.git(&repo, &["rm", "-q", "--cached", LEAK_PATH]);
    std::fs::remove_file(repo.join(LEAK_PATH)).expect("rm");

    write(&repo, GOOD_PATH, &encrypted());
    sb.git(&repo, &["add", GOOD_PATH]);
    sb.git(&repo, &["commit", "-qm", "encrypted"]);
}

#[test]
fn pre_commit_reads_the_index_not_the_working_tree() {
    let sb = Sandbox::new();
    let (repo, _server) = world(&sb);
    write(&repo, GOOD_PATH, &encrypted());
    sb.git(&repo, &["add", GOOD_PATH]);
    sb.git(&repo, &["commit", "-qm", "encrypted"]);
    // Someone decrypts in place: the working tree is clear, the index still encrypted.
    write(&repo, GOOD_PATH, &clear());
    write(&repo, "notes.txt", "n\n");
    sb.git(&repo, &["add", "notes.txt"]);
    sb.git(&repo, &["commit", "-qm", "unrelated"]);
    // `git commit -a` would record the clear file: its temporary index is what gets checked.
    let out = sb.git_out(&repo, &["commit", "-qam", "oops"]);
    let text = all_output(&out);
    assert!(
        !out.status.success(),
        "commit -a recorded a clear file:\n{text}"
    );
    assert!(text.contains("ensure-sops/not-encrypted"), "{text}");
    // The reverse: a clear file staged, the working tree put back to the encrypted one.
    sb.git(&repo, &["add", GOOD_PATH]);
    write(&repo, GOOD_PATH, &encrypted());
    let out = sb.git_out(&repo, &["commit", "-qm", "staged clear"]);
    assert!(!out.status.success(), "{}", all_output(&out));
}

#[test]
fn leak_then_delete_is_rejected_by_pre_push_naming_the_commit() {
    let sb = Sandbox::new();
    let (client, server) = world(&sb);
    let leak = commit(&sb, &client, &[(LEAK_PATH, &clear())], "leak");
    sb.git(&client, &["rm", "-q", LEAK_PATH]);
    sb.git(&client, &["commit", "-qm", "delete", "--no-verify"]);
    let out = sb.git_out(&client, &["push", "origin", "main"]);
    let text = all_output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains(&leak), "the commit is named:\n{text}");
    assert!(text.contains(LEAK_PATH), "{text}");
    assert!(!text.contains(CLEAR_VALUE), "{text}");
    assert!(server_refs(&sb, &server).is_empty());
    // The server stops it too (the client hook skipped).
    let out = sb.git_out(&client, &["push", "--no-verify", "origin", "main"]);
    let text = all_output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("remote: "), "{text}");
    assert!(text.contains(&leak), "{text}");
    assert!(!text.contains(CLEAR_VALUE), "{text}");
    assert!(server_refs(&sb, &server).is_empty());
}

#[test]
fn server_rejects_every_kind_of_leaking_push_and_accepts_clean_ones() {
    let sb = Sandbox::new();
    let (client, server) = world(&sb);
    // Clean: a real sops file.
    commit(&sb, &client, &[(GOOD_PATH, &encrypted())], "encrypted");
    let out = sb.git_out(&client, &["push", "--no-verify", "origin", "main"]);
    assert!(out.status.success(), "{}", all_output(&out));
    let before = server_refs(&sb, &server);

    // Multi-ref push where one branch leaks: nothing is updated.
    sb.git(&client, &["checkout", "-q", "-b", "ok-branch"]);
    commit(&sb, &client, &[("docs.txt", "fine\n")], "fine");
    sb.git(&client, &["checkout", "-q", "-b", "bad-branch", "main"]);
    let leak = commit(&sb, &client, &[(LEAK_PATH, &clear())], "leak");
    let out = sb.git_out(
        &client,
        &["push", "--no-verify", "origin", "ok-branch", "bad-branch"],
    );
    let text = all_output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains(&leak), "{text}");
    assert_eq!(server_refs(&sb, &server), before);

    // A tag on the leaking commit.
    sb.git(&client, &["tag", "-a", "v1", "-m", "v1", &leak]);
    let out = sb.git_out(&client, &["push", "--no-verify", "origin", "v1"]);
    assert!(!out.status.success(), "{}", all_output(&out));

    // A merge that brings the clear file itself (in neither parent).
    sb.git(&client, &["checkout", "-q", "ok-branch"]);
    let out = sb.git_out(&client, &["merge", "-q", "--no-ff", "--no-commit", "main"]);
    assert!(out.status.success(), "{}", all_output(&out));
    let merge = commit(
        &sb,
        &client,
        &[("secrets/config.pforge-pr-8.yaml", &clear())],
        "evil merge",
    );
    let out = sb.git_out(&client, &["push", "--no-verify", "origin", "ok-branch"]);
    let text = all_output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains(&merge), "{text}");
    assert_eq!(server_refs(&sb, &server), before);

    // Force push that replaces the leak with the encrypted file: accepted.
    sb.git(&client, &["checkout", "-q", "bad-branch"]);
    sb.git(&client, &["reset", "-q", "--hard", "main"]);
    let octocat =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("secrets/config.pforge-local-octocat.yaml");
    let octocat = std::fs::read_to_string(octocat).expect("demo secret");
    commit(
        &sb,
        &client,
        &[("secrets/config.pforge-local-octocat.yaml", &octocat)],
        "another deployment, encrypted",
    );
    let out = sb.git_out(
        &client,
        &["push", "--no-verify", "--force", "origin", "bad-branch"],
    );
    assert!(out.status.success(), "{}", all_output(&out));
    // Deleting a branch is always fine.
    let out = sb.git_out(&client, &["push", "--no-verify", "origin", ":bad-branch"]);
    assert!(out.status.success(), "{}", all_output(&out));
}

#[test]
fn server_blob_limit_fails_closed_and_gitlab_sees_findings() {
    let sb = Sandbox::new();
    let (client, server) = world(&sb);
    write(&server, ".pforge-hooks.toml", "[git]\nmax-blob-size = 64\n");
    commit(
        &sb,
        &client,
        &[(GOOD_PATH, &encrypted())],
        "encrypted but big",
    );
    let out = sb.git_out(&client, &["push", "--no-verify", "origin", "main"]);
    let text = all_output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("too-large"), "{text}");
    std::fs::remove_file(server.join(".pforge-hooks.toml")).expect("rm");

    // Under GitLab, findings are prefixed.
    let hook = server.join("hooks/pre-receive");
    let text = std::fs::read_to_string(&hook).expect("hook");
    let text = text.replacen("#!/bin/sh\n", "#!/bin/sh\nexport GL_ID=user-1\n", 1);
    std::fs::write(&hook, text).expect("hook");
    let leak = commit(&sb, &client, &[(LEAK_PATH, &clear())], "leak");
    let out = sb.git_out(&client, &["push", "--no-verify", "origin", "main"]);
    let text = all_output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("remote: GL-HOOK-ERR: secrets/config.pforge-pr-7.yaml"),
        "{text}"
    );
    assert!(
        text.contains(&format!("GL-HOOK-ERR:   in commit {leak}")),
        "{text}"
    );
}

#[test]
fn scan_git_history_names_the_commit() {
    let sb = Sandbox::new();
    let (client, _server) = world(&sb);
    let leak = commit(&sb, &client, &[(LEAK_PATH, &clear())], "leak");
    sb.git(&client, &["rm", "-q", LEAK_PATH]);
    sb.git(&client, &["commit", "-qm", "delete", "--no-verify"]);
    let clean = commit(&sb, &client, &[(GOOD_PATH, &encrypted())], "good");
    let out = run(&sb, &client, &["scan", "--git"]);
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(&leak), "{text}");
    assert!(!text.contains(CLEAR_VALUE), "{text}");
    let out = run(
        &sb,
        &client,
        &["scan", "--git", &format!("{clean}~1..{clean}")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let out = run(&sb, &client, &["scan", "--git", "HEAD", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(json.to_string().contains(&leak), "{json}");
}

#[cfg(unix)]
#[test]
fn a_symlink_under_secrets_is_rejected() {
    let sb = Sandbox::new();
    let (repo, _server) = world(&sb);
    write(&repo, "plain.yaml", &clear());
    std::fs::create_dir_all(repo.join("secrets")).expect("mkdir");
    std::os::unix::fs::symlink("../plain.yaml", repo.join(LEAK_PATH)).expect("symlink");
    sb.git(&repo, &["add", "."]);
    let out = sb.git_out(&repo, &["commit", "-qm", "link"]);
    let text = all_output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains(&format!("{LEAK_PATH}:1:1: ensure-sops/")),
        "{text}"
    );
    assert!(!text.contains(CLEAR_VALUE), "{text}");
}
