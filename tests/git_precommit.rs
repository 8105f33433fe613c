//! pre-commit mode: which blobs are selected, with real git commits (the hook runs
//! `pforge-hooks pre-commit --list-blobs`), and never the working tree.

mod git_support;

use std::collections::BTreeSet;
use std::path::Path;

use git_support::*;

/// A repo with a.txt and b.txt committed, and a listing pre-commit hook.
fn setup(sb: &Sandbox) -> (std::path::PathBuf, std::path::PathBuf) {
    let repo = sb.repo("r");
    write(&repo, "a.txt", "alpha\n");
    write(&repo, "b.txt", "beta\n");
    sb.git(&repo, &["add", "."]);
    sb.git(&repo, &["commit", "-qm", "base"]);
    let out = sb.path("listing");
    hook(
        &repo.join(".git/hooks"),
        "pre-commit",
        "pre-commit",
        "--list-blobs",
        &out,
    );
    (repo, out)
}

fn idx(sb: &Sandbox, content: &str, path: &str) -> Listed {
    entry("index", &sb.hash(content), path)
}

fn set(items: &[Listed]) -> BTreeSet<Listed> {
    items.iter().cloned().collect()
}

fn listing_now(sb: &Sandbox, repo: &Path) -> BTreeSet<Listed> {
    let out = sb
        .pforge(repo)
        .args(["pre-commit", "--list-blobs"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_listing(&String::from_utf8_lossy(&out.stdout))
}

#[test]
fn commit_all_uses_the_temporary_index() {
    let sb = Sandbox::new();
    let (repo, out) = setup(&sb);
    write(&repo, "a.txt", "alpha changed, not staged\n");
    // Outside a commit the real index is clean: nothing staged.
    assert!(listing_now(&sb, &repo).is_empty());
    sb.git(&repo, &["commit", "-qam", "all"]);
    let got = take_listing(&out).expect("hook ran");
    assert_eq!(
        got,
        set(&[idx(&sb, "alpha changed, not staged\n", "a.txt")])
    );
}

#[test]
fn commit_paths_sees_only_those_paths() {
    let sb = Sandbox::new();
    let (repo, out) = setup(&sb);
    write(&repo, "b.txt", "beta staged\n");
    sb.git(&repo, &["add", "b.txt"]);
    write(&repo, "a.txt", "alpha by path\n");
    sb.git(&repo, &["commit", "-qm", "only a", "a.txt"]);
    let got = take_listing(&out).expect("hook ran");
    assert_eq!(got, set(&[idx(&sb, "alpha by path\n", "a.txt")]));
    // b.txt stays staged for the next commit, and is what it checks then.
    sb.git(&repo, &["commit", "-qm", "b"]);
    let got = take_listing(&out).expect("hook ran");
    assert_eq!(got, set(&[idx(&sb, "beta staged\n", "b.txt")]));
}

#[test]
fn clean_index_over_dirty_tree() {
    let sb = Sandbox::new();
    let (repo, out) = setup(&sb);
    write(&repo, "c.txt", "staged new file\n");
    sb.git(&repo, &["add", "c.txt"]);
    write(&repo, "a.txt", "dirty, never staged\n");
    write(&repo, "c.txt", "changed again after staging\n");
    write(&repo, "untracked.txt", "untracked\n");
    sb.git(&repo, &["commit", "-qm", "c"]);
    let got = take_listing(&out).expect("hook ran");
    assert_eq!(got, set(&[idx(&sb, "staged new file\n", "c.txt")]));
}

#[test]
fn dirty_index_over_clean_tree() {
    let sb = Sandbox::new();
    let (repo, out) = setup(&sb);
    write(&repo, "a.txt", "staged leak\n");
    sb.git(&repo, &["add", "a.txt"]);
    // The working tree goes back to the committed content; the index keeps the change.
    write(&repo, "a.txt", "alpha\n");
    sb.git(&repo, &["commit", "-qm", "x"]);
    let got = take_listing(&out).expect("hook ran");
    assert_eq!(got, set(&[idx(&sb, "staged leak\n", "a.txt")]));
}

#[test]
fn partially_staged_file_is_checked_as_staged() {
    let sb = Sandbox::new();
    let (repo, out) = setup(&sb);
    // What `git add -p` does: a blob with only some hunks goes into the index.
    let partial = "alpha\nfirst hunk staged\n";
    write(&repo, "part.tmp", partial);
    let oid = sb.git(&repo, &["hash-object", "-w", "part.tmp"]);
    std::fs::remove_file(repo.join("part.tmp")).expect("rm");
    sb.git(
        &repo,
        &[
            "update-index",
            "--cacheinfo",
            &format!("100644,{oid},a.txt"),
        ],
    );
    write(
        &repo,
        "a.txt",
        "alpha\nfirst hunk staged\nsecond hunk not staged\n",
    );
    sb.git(&repo, &["commit", "-qm", "partial"]);
    let got = take_listing(&out).expect("hook ran");
    assert_eq!(got, set(&[idx(&sb, partial, "a.txt")]));
}

#[test]
fn deletions_renames_submodules_symlinks() {
    let sb = Sandbox::new();
    let (repo, out) = setup(&sb);
    sb.git(&repo, &["rm", "-q", "a.txt"]);
    sb.git(&repo, &["mv", "b.txt", "renamed.txt"]);
    let head = sb.git(&repo, &["rev-parse", "HEAD"]);
    sb.git(
        &repo,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{head},sub"),
        ],
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("renamed.txt", repo.join("link")).expect("symlink");
    #[cfg(unix)]
    sb.git(&repo, &["add", "link"]);
    sb.git(&repo, &["commit", "-qm", "mixed"]);
    let got = take_listing(&out).expect("hook ran");
    let mut want = vec![idx(&sb, "beta\n", "renamed.txt")];
    if cfg!(unix) {
        // A symlink is checked as git stores it: the link text.
        want.push(idx(&sb, "renamed.txt", "link"));
    }
    assert_eq!(got, set(&want));
}

#[test]
fn first_commit_on_unborn_branch() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let out = sb.path("listing");
    hook(
        &repo.join(".git/hooks"),
        "pre-commit",
        "pre-commit",
        "--list-blobs",
        &out,
    );
    write(&repo, "secrets/x.yaml", "k: v\n");
    sb.git(&repo, &["add", "."]);
    sb.git(&repo, &["commit", "-qm", "root"]);
    let got = take_listing(&out).expect("hook ran");
    assert_eq!(got, set(&[idx(&sb, "k: v\n", "secrets/x.yaml")]));
}

#[test]
fn framework_mode_reads_named_paths_from_the_index() {
    let sb = Sandbox::new();
    let (repo, _out) = setup(&sb);
    write(&repo, "a.txt", "staged for framework\n");
    sb.git(&repo, &["add", "a.txt"]);
    write(&repo, "a.txt", "working tree differs\n");
    let out = sb
        .pforge(&repo)
        .args(["framework", "--list-blobs", "a.txt", "b.txt", "missing.txt"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = parse_listing(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        got,
        set(&[
            idx(&sb, "staged for framework\n", "a.txt"),
            idx(&sb, "beta\n", "b.txt")
        ])
    );
}
