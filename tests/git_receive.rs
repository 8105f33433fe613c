//! pre-receive specifics: the time budget (fail closed), the push-option bypass (off unless the
//! server enables it, always logged), GitLab's `GL-HOOK-ERR:` prefix, malformed input.

mod git_support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Output, Stdio};

use git_support::*;

fn setup(sb: &Sandbox, hook_env: &str, hook_args: &str) -> (PathBuf, PathBuf) {
    let server = sb.bare("server.git");
    sb.git(&server, &["config", "receive.advertisePushOptions", "true"]);
    let client = sb.repo("client");
    let url = format!("file://{}", server.display());
    sb.git(&client, &["remote", "add", "origin", &url]);
    hook_with_env(
        &server.join("hooks"),
        "pre-receive",
        "pre-receive",
        hook_args,
        &sb.path("server-out"),
        hook_env,
    );
    write(&client, "a.txt", "alpha\n");
    sb.git(&client, &["add", "."]);
    sb.git(&client, &["commit", "-qm", "c1"]);
    (client, server)
}

fn push(sb: &Sandbox, client: &std::path::Path, args: &[&str]) -> Output {
    let mut full = vec!["push", "origin", "main"];
    full.extend_from_slice(args);
    sb.git_out(client, &full)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn budget_exceeded_rejects_the_push_with_a_clear_message() {
    let sb = Sandbox::new();
    let (client, server) = setup(&sb, "", "--budget 0");
    let out = push(&sb, &client, &[]);
    assert!(!out.status.success(), "push must be rejected");
    let err = stderr(&out);
    assert!(err.contains("time budget of 0 s ran out"), "{err}");
    assert!(err.contains("fail closed"), "{err}");
    let refs = sb.git(&server, &["for-each-ref"]);
    assert!(refs.is_empty(), "no ref updated: {refs}");
}

#[test]
fn generous_budget_accepts() {
    let sb = Sandbox::new();
    let (client, _server) = setup(&sb, "", "--budget 30");
    let out = push(&sb, &client, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn skip_option_is_ignored_unless_enabled_and_always_logged() {
    let sb = Sandbox::new();
    // --budget 0 rejects any push that is really checked.
    let (client, server) = setup(&sb, "", "--budget 0");
    let out = push(&sb, &client, &["-o", "pforge-hooks.skip"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("pforge-hooks.skip ignored"), "{err}");

    write(
        &server,
        ".pforge-hooks.toml",
        "[git]\nallow-skip-option = true\n",
    );
    let out = push(&sb, &client, &["-o", "pforge-hooks.skip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("checks SKIPPED for refs/heads/main"), "{err}");

    // Enabled, but not asked for: checked as usual.
    write(&client, "b.txt", "beta\n");
    sb.git(&client, &["add", "."]);
    sb.git(&client, &["commit", "-qm", "c2"]);
    let out = push(&sb, &client, &["-o", "something-else"]);
    assert!(!out.status.success(), "{}", stderr(&out));
}

#[test]
fn gitlab_lines_carry_the_prefix() {
    let sb = Sandbox::new();
    let (client, _server) = setup(&sb, "GL_ID=user-1 GL_PROTOCOL=ssh", "--budget 0");
    let out = push(&sb, &client, &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    let ours: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("remote: "))
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!ours.is_empty(), "{err}");
    for l in ours {
        assert!(l.starts_with("GL-HOOK-ERR: "), "unprefixed line: {l}");
    }
}

fn run_direct(sb: &Sandbox, server: &std::path::Path, stdin: &str) -> Output {
    let mut c = sb.pforge(server);
    c.arg("pre-receive")
        .env("GIT_DIR", server)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write");
    child.wait_with_output().expect("wait")
}

#[test]
fn malformed_or_unknown_input_fails_closed() {
    let sb = Sandbox::new();
    let server = sb.bare("server.git");
    let out = run_direct(&sb, &server, "not a ref line\n");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let z = "0".repeat(40);
    let missing = "1234567890123456789012345678901234567890";
    let out = run_direct(&sb, &server, &format!("{z} {missing} refs/heads/main\n"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // Only deletions: nothing to check.
    let out = run_direct(&sb, &server, &format!("{missing} {z} refs/heads/gone\n"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
