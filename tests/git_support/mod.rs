//! Shared helpers of the git integration tests: real git repositories in temp dirs, hooks that call
//! the built `pforge-hooks`, and parsing of its `--list-blobs` listing.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_pforge-hooks")
}

/// A scratch area with its own HOME, so no user or system git config leaks in.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

/// One line of a `--list-blobs` listing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Listed {
    pub commit: String,
    pub oid: String,
    pub path: String,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// A `git` command in `cwd` with a clean environment.
    pub fn git_cmd(&self, cwd: &Path) -> Command {
        let mut c = Command::new("git");
        c.current_dir(cwd);
        self.clean_env(&mut c);
        c
    }

    /// A `pforge-hooks` command in `cwd` with a clean environment.
    pub fn pforge(&self, cwd: &Path) -> Command {
        let mut c = Command::new(bin());
        c.current_dir(cwd);
        self.clean_env(&mut c);
        c
    }

    fn clean_env(&self, c: &mut Command) {
        for k in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES",
            "GIT_COMMON_DIR",
            "GIT_CONFIG_PARAMETERS",
            "GIT_QUARANTINE_PATH",
            "GL_ID",
            "GL_PROTOCOL",
            "GL_REPOSITORY",
            "GL_USERNAME",
            "PRE_COMMIT_TO_REF",
            "PRE_COMMIT_FROM_REF",
            "PRE_COMMIT_REMOTE_NAME",
            "PRE_COMMIT_LOCAL_BRANCH",
        ] {
            c.env_remove(k);
        }
        c.env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .env("NO_COLOR", "1");
    }

    /// Run git, asserting success; returns stdout (trimmed).
    pub fn git(&self, cwd: &Path, args: &[&str]) -> String {
        let out = self.git_out(cwd, args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Run git and return its output whatever the status.
    pub fn git_out(&self, cwd: &Path, args: &[&str]) -> Output {
        self.git_cmd(cwd)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run git")
    }

    /// A new non-bare repository `name` with branch `main`.
    pub fn repo(&self, name: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::create_dir_all(&p).expect("mkdir");
        self.git(&p, &["init", "-q", "-b", "main"]);
        p
    }

    /// A new bare repository `name` (the server).
    pub fn bare(&self, name: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::create_dir_all(&p).expect("mkdir");
        self.git(&p, &["init", "-q", "--bare", "-b", "main"]);
        p
    }

    /// The blob id git computes for `content`.
    pub fn hash(&self, content: &str) -> String {
        let mut c = self.git_cmd(self.dir.path());
        c.args(["hash-object", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        let mut child = c.spawn().expect("spawn");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(content.as_bytes()).expect("write");
        }
        let out = child.wait_with_output().expect("wait");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

/// Write `content` to `repo/rel`, creating directories.
pub fn write(repo: &Path, rel: &str, content: &str) {
    let p = repo.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, content).expect("write");
}

fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.to_string_lossy().replace('\'', "'\\''"))
}

/// Install an executable hook `name` in `hooks_dir` that runs `pforge-hooks <mode> <args> "$@"`,
/// sending stdout to `out` (overwritten on each run) and passing the exit status on.
pub fn hook(hooks_dir: &Path, name: &str, mode: &str, args: &str, out: &Path) {
    hook_with_env(hooks_dir, name, mode, args, out, "");
}

/// Same, with environment assignments (`K=V ...`) before the command.
pub fn hook_with_env(hooks_dir: &Path, name: &str, mode: &str, args: &str, out: &Path, env: &str) {
    std::fs::create_dir_all(hooks_dir).expect("mkdir hooks");
    let script = format!(
        "#!/bin/sh\n{env} {} {mode} {args} \"$@\" > {}\n",
        shell_quote(Path::new(bin())),
        shell_quote(out)
    );
    let p = hooks_dir.join(name);
    std::fs::write(&p, script).expect("write hook");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

/// Read (and remove) a listing written by a hook; `None` when the hook did not run.
pub fn take_listing(out: &Path) -> Option<BTreeSet<Listed>> {
    let text = std::fs::read_to_string(out).ok()?;
    std::fs::remove_file(out).expect("rm listing");
    Some(parse_listing(&text))
}

/// Parse a `--list-blobs` listing.
pub fn parse_listing(text: &str) -> BTreeSet<Listed> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, '\t');
            let commit = parts.next().unwrap_or_default().to_string();
            let oid = parts.next().unwrap_or_default().to_string();
            let path = parts.next().unwrap_or_default().to_string();
            Listed { commit, oid, path }
        })
        .collect()
}

/// The (path, oid) pairs of a listing.
pub fn paths_oids(l: &BTreeSet<Listed>) -> BTreeSet<(String, String)> {
    l.iter().map(|x| (x.path.clone(), x.oid.clone())).collect()
}

/// Shorthand for an expected listing entry.
pub fn entry(commit: &str, oid: &str, path: &str) -> Listed {
    Listed {
        commit: commit.to_string(),
        oid: oid.to_string(),
        path: path.to_string(),
    }
}
