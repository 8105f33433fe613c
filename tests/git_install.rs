//! `pforge-hooks install` / `uninstall`: the right hooks directory, chaining, refusing, --force,
//! idempotence, and that the installed hooks really run.

mod git_support;

use std::path::Path;
use std::process::Output;

use git_support::*;

fn run(sb: &Sandbox, cwd: &Path, args: &[&str]) -> Output {
    sb.pforge(cwd).args(args).output().expect("run")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn executable(p: &Path, text: &str) {
    std::fs::write(p, text).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

#[test]
fn install_is_idempotent_and_hooks_run() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let first = ok(&run(&sb, &repo, &["install"]));
    assert!(first.contains("pre-commit: installed"), "{first}");
    assert!(first.contains("pre-push: installed"), "{first}");
    let hooks = repo.join(".git/hooks");
    let before = std::fs::read_to_string(hooks.join("pre-commit")).expect("hook");
    assert!(before.contains("pforge-hooks-managed-hook"));
    let again = ok(&run(&sb, &repo, &["install"]));
    assert!(again.contains("pre-commit: already installed"), "{again}");
    assert_eq!(
        before,
        std::fs::read_to_string(hooks.join("pre-commit")).expect("hook")
    );
    assert!(!hooks.join("pre-commit.pforge-legacy").exists());
    // The hook runs the real binary: a clean commit goes through.
    write(&repo, "a.txt", "a\n");
    sb.git(&repo, &["add", "."]);
    sb.git(&repo, &["commit", "-qm", "c"]);
    // ... and it really calls pforge-hooks: a broken configuration fails closed and stops the commit.
    write(&repo, ".pforge-hooks.toml", "no-such-key = 1\n");
    write(&repo, "b.txt", "b\n");
    sb.git(&repo, &["add", "b.txt"]);
    let out = sb.git_out(&repo, &["commit", "-qm", "blocked"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-key"));
    std::fs::remove_file(repo.join(".pforge-hooks.toml")).expect("rm");
    // Uninstall removes only ours, twice is fine.
    ok(&run(&sb, &repo, &["uninstall"]));
    assert!(!hooks.join("pre-commit").exists());
    assert!(!hooks.join("pre-push").exists());
    ok(&run(&sb, &repo, &["uninstall"]));
}

#[test]
fn existing_hook_is_chained_and_restored() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let hooks = repo.join(".git/hooks");
    let flag = sb.path("legacy-ran");
    let gate = sb.path("legacy-fails");
    let legacy = format!(
        "#!/bin/sh\necho ran >> '{}'\nif [ -e '{}' ]; then exit 3; fi\nexit 0\n",
        flag.display(),
        gate.display()
    );
    executable(&hooks.join("pre-commit"), &legacy);
    let out = ok(&run(&sb, &repo, &["install", "--hook", "pre-commit"]));
    assert!(out.contains("runs first"), "{out}");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.pforge-legacy")).expect("legacy"),
        legacy
    );
    write(&repo, "a.txt", "a\n");
    sb.git(&repo, &["add", "."]);
    sb.git(&repo, &["commit", "-qm", "c"]);
    assert!(flag.exists(), "the chained hook ran");
    // Its failure stops the commit.
    std::fs::write(&gate, "").expect("gate");
    write(&repo, "b.txt", "b\n");
    sb.git(&repo, &["add", "."]);
    let out = sb.git_out(&repo, &["commit", "-qm", "blocked"]);
    assert!(
        !out.status.success(),
        "a failing chained hook blocks the commit"
    );
    // Installing again does not chain ourselves.
    let again = ok(&run(&sb, &repo, &["install", "--hook", "pre-commit"]));
    assert!(again.contains("already installed"), "{again}");
    ok(&run(&sb, &repo, &["uninstall"]));
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).expect("restored"),
        legacy
    );
    assert!(!hooks.join("pre-commit.pforge-legacy").exists());
}

#[test]
fn chained_pre_push_gets_the_same_stdin() {
    let sb = Sandbox::new();
    let server = sb.bare("server.git");
    let repo = sb.repo("r");
    sb.git(
        &repo,
        &[
            "remote",
            "add",
            "origin",
            &format!("file://{}", server.display()),
        ],
    );
    let seen = sb.path("legacy-stdin");
    executable(
        &repo.join(".git/hooks/pre-push"),
        &format!("#!/bin/sh\ncat > '{}'\n", seen.display()),
    );
    ok(&run(&sb, &repo, &["install", "--hook", "pre-push"]));
    write(&repo, "a.txt", "a\n");
    sb.git(&repo, &["add", "."]);
    sb.git(&repo, &["commit", "-qm", "c"]);
    sb.git(&repo, &["push", "-q", "origin", "main"]);
    let text = std::fs::read_to_string(&seen).expect("legacy ran");
    assert!(text.starts_with("refs/heads/main "), "{text}");
    assert!(
        sb.git(&server, &["for-each-ref"])
            .contains("refs/heads/main")
    );
}

#[test]
fn no_chain_refuses_and_force_replaces() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let hook = repo.join(".git/hooks/pre-commit");
    executable(&hook, "#!/bin/sh\nexit 0\n");
    let out = run(
        &sb,
        &repo,
        &["install", "--hook", "pre-commit", "--no-chain"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a pforge-hooks hook"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&hook).expect("kept"),
        "#!/bin/sh\nexit 0\n"
    );
    let out = ok(&run(
        &sb,
        &repo,
        &["install", "--hook", "pre-commit", "--force"],
    ));
    assert!(out.contains("replaced"), "{out}");
    assert!(
        std::fs::read_to_string(&hook)
            .expect("ours")
            .contains("pforge-hooks-managed-hook")
    );
    assert!(repo.join(".git/hooks/pre-commit.pforge-backup").exists());
}

#[test]
fn hooks_path_and_worktrees() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    write(&repo, "a.txt", "a\n");
    sb.git(&repo, &["add", "."]);
    sb.git(&repo, &["commit", "-qm", "c"]);
    // A linked worktree installs into the common dir.
    let wt = sb.path("wt");
    sb.git(
        &repo,
        &[
            "worktree",
            "add",
            "-q",
            wt.to_str().expect("utf8"),
            "-b",
            "w",
        ],
    );
    ok(&run(&sb, &wt, &["install", "--hook", "pre-commit"]));
    assert!(repo.join(".git/hooks/pre-commit").exists());
    ok(&run(&sb, &wt, &["uninstall"]));
    assert!(!repo.join(".git/hooks/pre-commit").exists());
    // core.hooksPath (relative to the work tree root) wins.
    sb.git(&repo, &["config", "core.hooksPath", "githooks"]);
    ok(&run(
        &sb,
        &repo,
        &["install", "--hook", "pre-commit,pre-push"],
    ));
    assert!(repo.join("githooks/pre-commit").exists());
    assert!(repo.join("githooks/pre-push").exists());
    assert!(!repo.join(".git/hooks/pre-commit").exists());
}

#[test]
fn pre_receive_in_a_bare_repository() {
    let sb = Sandbox::new();
    let server = sb.bare("server.git");
    ok(&run(&sb, &server, &["install", "--hook", "pre-receive"]));
    assert!(server.join("hooks/pre-receive").exists());
    let client = sb.repo("client");
    sb.git(
        &client,
        &[
            "remote",
            "add",
            "origin",
            &format!("file://{}", server.display()),
        ],
    );
    write(&client, "a.txt", "a\n");
    sb.git(&client, &["add", "."]);
    sb.git(&client, &["commit", "-qm", "c"]);
    // The hook runs pforge-hooks: a broken server configuration rejects the push (fail closed).
    write(&server, ".pforge-hooks.toml", "[git]\nbudget = \"soon\"\n");
    let out = sb.git_out(&client, &["push", "-q", "origin", "main"]);
    assert!(!out.status.success());
    assert!(sb.git(&server, &["for-each-ref"]).is_empty());
    std::fs::remove_file(server.join(".pforge-hooks.toml")).expect("rm");
    sb.git(&client, &["push", "-q", "origin", "main"]);
    assert!(
        sb.git(&server, &["for-each-ref"])
            .contains("refs/heads/main")
    );
}

/// Copy a shim from hooks/ into the server as its pre-receive hook, push with `env`, return output.
fn push_through_shim(shim: &str, env: &[(&str, &str)]) -> (Output, String) {
    let sb = Sandbox::new();
    let server = sb.bare("server.git");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("hooks")
        .join(shim);
    let text = std::fs::read_to_string(&src).expect("shim");
    executable(&server.join("hooks/pre-receive"), &text);
    let client = sb.repo("client");
    sb.git(
        &client,
        &[
            "remote",
            "add",
            "origin",
            &format!("file://{}", server.display()),
        ],
    );
    write(&client, "a.txt", "a\n");
    sb.git(&client, &["add", "."]);
    sb.git(&client, &["commit", "-qm", "c"]);
    let bindir = Path::new(bin()).parent().expect("bin dir").to_path_buf();
    let path = format!(
        "{}:{}",
        bindir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = sb.git_cmd(&client);
    c.args(["push", "origin", "main"]).env("PATH", path);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("push");
    let refs = sb.git(&server, &["for-each-ref"]);
    (out, refs)
}

#[test]
fn server_shims_run_pforge_hooks() {
    for shim in [
        "pre-receive",
        "gitlab/pre-receive.d/pforge-hooks",
        "github-enterprise/pre-receive.sh",
    ] {
        let (out, refs) = push_through_shim(shim, &[("PFORGE_HOOKS_BIN", bin())]);
        assert!(
            out.status.success(),
            "{shim}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(refs.contains("refs/heads/main"), "{shim}");
        // The budget passes through: 0 s rejects (fail closed).
        let (out, refs) = push_through_shim(
            shim,
            &[("PFORGE_HOOKS_BUDGET", "0"), ("PFORGE_HOOKS_BIN", bin())],
        );
        assert!(!out.status.success(), "{shim}");
        assert!(refs.is_empty(), "{shim}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("time budget"), "{shim}: {err}");
    }
    // Found on PATH when PFORGE_HOOKS_BIN is not set.
    let (out, _) = push_through_shim("pre-receive", &[("PFORGE_HOOKS_BUDGET", "0")]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("time budget"));
    // Under GitLab every line carries the prefix.
    let (out, _) = push_through_shim(
        "gitlab/pre-receive.d/pforge-hooks",
        &[("PFORGE_HOOKS_BUDGET", "0"), ("GL_ID", "user-1")],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("remote: GL-HOOK-ERR: pforge-hooks: error: the time budget"),
        "{err}"
    );
    // Not installed: rejected, not waved through.
    let (out, refs) = push_through_shim(
        "pre-receive",
        &[("PFORGE_HOOKS_BIN", "/nonexistent/pforge-hooks")],
    );
    assert!(!out.status.success());
    assert!(refs.is_empty());
}
