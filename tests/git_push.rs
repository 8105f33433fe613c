//! pre-push (client) and pre-receive (server) blob selection over real `file://` pushes: both hooks
//! run `--list-blobs`, and each push is checked against the exact (commit, blob, path) set.

mod git_support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use git_support::*;

struct World {
    sb: Sandbox,
    client: PathBuf,
    server: PathBuf,
    client_out: PathBuf,
    server_out: PathBuf,
}

impl World {
    fn new(server_name: &str) -> Self {
        let sb = Sandbox::new();
        let server = sb.bare(server_name);
        let client = sb.repo("client");
        let url = format!("file://{}", server.display());
        sb.git(&client, &["remote", "add", "origin", &url]);
        let client_out = sb.path("client-listing");
        let server_out = sb.path("server-listing");
        hook(
            &client.join(".git/hooks"),
            "pre-push",
            "pre-push",
            "--list-blobs",
            &client_out,
        );
        hook(
            &server.join("hooks"),
            "pre-receive",
            "pre-receive",
            "--list-blobs",
            &server_out,
        );
        World {
            sb,
            client,
            server,
            client_out,
            server_out,
        }
    }

    fn commit(&self, files: &[(&str, &str)], msg: &str) -> String {
        for (p, c) in files {
            write(&self.client, p, c);
            self.sb.git(&self.client, &["add", p]);
        }
        self.sb.git(&self.client, &["commit", "-qm", msg]);
        self.sb.git(&self.client, &["rev-parse", "HEAD"])
    }

    fn git(&self, args: &[&str]) -> String {
        self.sb.git(&self.client, args)
    }

    /// Push; assert both hooks ran and saw the same selection; return it.
    fn push(&self, args: &[&str]) -> BTreeSet<Listed> {
        let mut full = vec!["push", "-q"];
        full.extend_from_slice(args);
        self.sb.git(&self.client, &full);
        let client = take_listing(&self.client_out).expect("pre-push ran");
        let server = take_listing(&self.server_out).expect("pre-receive ran");
        assert_eq!(client, server, "pre-push and pre-receive disagree");
        client
    }

    fn e(&self, commit: &str, content: &str, path: &str) -> Listed {
        entry(commit, &self.sb.hash(content), path)
    }
}

fn set(items: Vec<Listed>) -> BTreeSet<Listed> {
    items.into_iter().collect()
}

#[test]
fn leak_added_then_deleted_is_still_selected_and_named() {
    let w = World::new("server.git");
    let c1 = w.commit(&[("a.txt", "alpha\n")], "c1");
    assert_eq!(
        w.push(&["origin", "main"]),
        set(vec![w.e(&c1, "alpha\n", "a.txt")])
    );
    let c2 = w.commit(&[("secrets/x.yaml", "password: hunter2\n")], "leak");
    w.git(&["rm", "-q", "secrets/x.yaml"]);
    let c3 = w.commit(&[("d.txt", "delta\n")], "remove leak");
    assert_eq!(
        w.push(&["origin", "main"]),
        set(vec![
            w.e(&c2, "password: hunter2\n", "secrets/x.yaml"),
            w.e(&c3, "delta\n", "d.txt"),
        ])
    );
}

#[test]
fn multi_ref_new_branches_tags_and_deletions() {
    let w = World::new("server.git");
    let c1 = w.commit(&[("a.txt", "alpha\n")], "c1");
    w.push(&["origin", "main"]);
    w.git(&["checkout", "-q", "-b", "f1", "main"]);
    let f1 = w.commit(&[("f1.txt", "one\n")], "f1");
    w.git(&["checkout", "-q", "-b", "f2", "main"]);
    let f2 = w.commit(&[("f2.txt", "two\n")], "f2");
    // Two new branches in one push: every ref counts, shared history (main) is not re-checked.
    assert_eq!(
        w.push(&["origin", "f1", "f2"]),
        set(vec![
            w.e(&f1, "one\n", "f1.txt"),
            w.e(&f2, "two\n", "f2.txt")
        ])
    );
    // A new branch with no new commit: nothing to check.
    assert!(w.push(&["origin", "main:refs/heads/copy"]).is_empty());
    // An annotated tag on a commit no branch has.
    w.git(&["checkout", "-q", "--detach", &c1]);
    let t = w.commit(&[("t.txt", "tagged\n")], "tagged");
    w.git(&["tag", "-a", "v1", "-m", "v1"]);
    assert_eq!(
        w.push(&["origin", "v1"]),
        set(vec![w.e(&t, "tagged\n", "t.txt")])
    );
    // A tag that points straight at a blob.
    write(&w.client, "blob.tmp", "raw blob\n");
    let blob = w.git(&["hash-object", "-w", "blob.tmp"]);
    std::fs::remove_file(w.client.join("blob.tmp")).expect("rm");
    w.git(&["tag", "blobtag", &blob]);
    assert_eq!(
        w.push(&["origin", "refs/tags/blobtag"]),
        set(vec![entry(
            &format!("refs/tags/blobtag (blob {blob})"),
            &blob,
            "refs/tags/blobtag"
        )])
    );
    // Deletions: nothing to check.
    assert!(w.push(&["origin", ":f1", ":refs/heads/copy"]).is_empty());
    let remote_refs =
        w.sb.git(&w.server, &["for-each-ref", "--format=%(refname)"]);
    assert!(!remote_refs.contains("refs/heads/f1"), "{remote_refs}");
}

#[test]
fn force_push_checks_only_the_replacement() {
    let w = World::new("server.git");
    let c1 = w.commit(&[("a.txt", "alpha\n")], "c1");
    w.commit(&[("b.txt", "old b\n")], "c2");
    w.push(&["origin", "main"]);
    w.git(&["reset", "-q", "--hard", &c1]);
    let c2b = w.commit(&[("b.txt", "new b\n")], "c2 again");
    assert_eq!(
        w.push(&["--force", "origin", "main"]),
        set(vec![w.e(&c2b, "new b\n", "b.txt")])
    );
}

#[test]
fn merge_commit_brings_only_what_it_adds_itself() {
    let w = World::new("server.git");
    w.commit(&[("a.txt", "alpha\n")], "c1");
    w.push(&["origin", "main"]);
    w.git(&["checkout", "-q", "-b", "side"]);
    let s = w.commit(&[("side.txt", "side\n")], "side");
    w.git(&["checkout", "-q", "main"]);
    let m = w.commit(&[("main.txt", "main\n")], "main");
    let out = w.sb.git_out(
        &w.client,
        &["merge", "-q", "--no-ff", "--no-commit", "side"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // An "evil merge": content that is in neither parent.
    let merge = w.commit(&[("evil.txt", "only in the merge\n")], "merge");
    let parents = w.git(&["rev-list", "--parents", "-n1", "HEAD"]);
    assert_eq!(parents.split(' ').count(), 3, "a real merge commit");
    assert_eq!(
        w.push(&["origin", "main"]),
        set(vec![
            w.e(&s, "side\n", "side.txt"),
            w.e(&m, "main\n", "main.txt"),
            w.e(&merge, "only in the merge\n", "evil.txt"),
        ])
    );
}

#[test]
fn same_blob_at_same_path_is_selected_once() {
    let w = World::new("server.git");
    let c1 = w.commit(&[("a.txt", "same\n")], "c1");
    w.commit(&[("a.txt", "other\n")], "c2");
    w.commit(&[("a.txt", "same\n")], "c3 reverts");
    let got = w.push(&["origin", "main"]);
    let a_same: Vec<_> = got
        .iter()
        .filter(|l| l.oid == w.sb.hash("same\n"))
        .collect();
    assert_eq!(a_same.len(), 1, "{got:?}");
    assert_eq!(a_same[0].commit, c1, "named after the first commit");
    // The same content under another path is checked again (rules depend on the path).
    let c4 = w.commit(&[("secrets/a.txt", "same\n")], "copy");
    assert_eq!(
        w.push(&["origin", "main"]),
        set(vec![w.e(&c4, "same\n", "secrets/a.txt")])
    );
}

#[test]
fn quarantine_with_quoted_alternates_path() {
    // A ':' in the server path makes git C-quote GIT_ALTERNATE_OBJECT_DIRECTORIES, which libgit2 does
    // not read; the pushed objects must still be found (and old ones, in the real object store).
    let w = World::new("srv:colon.git");
    let c1 = w.commit(&[("a.txt", "alpha\n")], "c1");
    w.push(&["origin", "main"]);
    let c2 = w.commit(&[("b.txt", "beta\n")], "c2");
    w.git(&["checkout", "-q", "-b", "f", &c1]);
    let f = w.commit(&[("f.txt", "f\n")], "f");
    // c2 and f are in quarantine; their parent c1 only in the real object store (the alternate).
    let got = w.push(&["origin", "main", "f"]);
    assert_eq!(
        got,
        set(vec![w.e(&c2, "beta\n", "b.txt"), w.e(&f, "f\n", "f.txt")])
    );
}

#[test]
fn push_to_a_url_without_a_named_remote() {
    let w = World::new("server.git");
    let c1 = w.commit(&[("a.txt", "alpha\n")], "c1");
    let url = format!("file://{}", w.server.display());
    assert_eq!(
        w.push(&[&url, "main"]),
        set(vec![w.e(&c1, "alpha\n", "a.txt")])
    );
    let c2 = w.commit(&[("b.txt", "beta\n")], "c2");
    assert_eq!(
        w.push(&[&url, "main"]),
        set(vec![w.e(&c2, "beta\n", "b.txt")])
    );
}

#[test]
fn framework_pre_push_stage_uses_pre_commit_variables() {
    let w = World::new("server.git");
    let c1 = w.commit(&[("a.txt", "alpha\n")], "c1");
    w.push(&["origin", "main"]);
    let c2 = w.commit(&[("b.txt", "beta\n")], "c2");
    let c3 = w.commit(&[("c.txt", "gamma\n")], "c3");
    // What pre-commit sets at its pre-push stage (it gives hooks no stdin).
    let out =
        w.sb.pforge(&w.client)
            .args(["framework", "--list-blobs", "b.txt", "c.txt"])
            .env("PRE_COMMIT_FROM_REF", &c1)
            .env("PRE_COMMIT_TO_REF", &c3)
            .env("PRE_COMMIT_REMOTE_NAME", "origin")
            .env("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/main")
            .env("PRE_COMMIT_REMOTE_BRANCH", "refs/heads/main")
            .output()
            .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        parse_listing(&String::from_utf8_lossy(&out.stdout)),
        set(vec![
            w.e(&c2, "beta\n", "b.txt"),
            w.e(&c3, "gamma\n", "c.txt")
        ])
    );
    // A push that includes a root commit: only the local branch is given.
    let out =
        w.sb.pforge(&w.client)
            .args(["framework", "--list-blobs"])
            .env("PRE_COMMIT_REMOTE_NAME", "elsewhere")
            .env("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/main")
            .env("PRE_COMMIT_REMOTE_BRANCH", "refs/heads/main")
            .output()
            .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        parse_listing(&String::from_utf8_lossy(&out.stdout)).len(),
        3
    );
}

#[test]
fn pushed_submodules_are_skipped_symlinks_and_mode_changes_checked() {
    let w = World::new("server.git");
    let c1 = w.commit(&[("dir/a.sh", "echo a\n")], "c1");
    w.push(&["origin", "main"]);
    w.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{c1},vendor/sub"),
    ]);
    #[cfg(unix)]
    std::os::unix::fs::symlink("../dir/a.sh", w.client.join("dir/link")).expect("symlink");
    #[cfg(unix)]
    w.git(&["add", "dir/link"]);
    w.git(&["update-index", "--chmod=+x", "dir/a.sh"]);
    w.git(&["commit", "-qm", "sub, link, chmod"]);
    let c2 = w.git(&["rev-parse", "HEAD"]);
    let mut want = vec![w.e(&c2, "echo a\n", "dir/a.sh")];
    if cfg!(unix) {
        want.push(w.e(&c2, "../dir/a.sh", "dir/link"));
    }
    // dir/a.sh keeps its blob but changes mode: git records a change, so it is checked again.
    assert_eq!(w.push(&["origin", "main"]), set(want));
}
