//! `scan --git RANGE`: which commits a range covers and which blobs each introduces.

mod git_support;

use std::collections::BTreeSet;

use git_support::*;

fn listing(sb: &Sandbox, repo: &std::path::Path, range: &str) -> BTreeSet<Listed> {
    let out = sb
        .pforge(repo)
        .args(["scan", "--git", range, "--list-blobs"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_listing(&String::from_utf8_lossy(&out.stdout))
}

fn commit(sb: &Sandbox, repo: &std::path::Path, path: &str, content: &str) -> (String, Listed) {
    write(repo, path, content);
    sb.git(repo, &["add", path]);
    sb.git(repo, &["commit", "-qm", path]);
    let c = sb.git(repo, &["rev-parse", "HEAD"]);
    let e = entry(&c, &sb.hash(content), path);
    (c, e)
}

#[test]
fn rev_two_dot_and_three_dot_ranges() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let (c1, e1) = commit(&sb, &repo, "a.txt", "a\n");
    let (_c2, e2) = commit(&sb, &repo, "b.txt", "b\n");
    sb.git(&repo, &["checkout", "-q", "-b", "side", &c1]);
    let (_s1, es) = commit(&sb, &repo, "s.txt", "s\n");
    sb.git(&repo, &["checkout", "-q", "main"]);
    let set = |v: &[&Listed]| v.iter().map(|l| (*l).clone()).collect::<BTreeSet<_>>();
    assert_eq!(listing(&sb, &repo, "main"), set(&[&e1, &e2]));
    assert_eq!(listing(&sb, &repo, "HEAD"), set(&[&e1, &e2]));
    assert_eq!(listing(&sb, &repo, "main..side"), set(&[&es]));
    assert_eq!(listing(&sb, &repo, &format!("{c1}..main")), set(&[&e2]));
    assert_eq!(listing(&sb, &repo, "main...side"), set(&[&e2, &es]));
    // Bare `--git` means HEAD.
    let out = sb
        .pforge(&repo)
        .args(["scan", "--git", "--list-blobs"])
        .output()
        .expect("run");
    assert_eq!(
        parse_listing(&String::from_utf8_lossy(&out.stdout)),
        set(&[&e1, &e2])
    );
    // A range that does not resolve is an error (exit 2), not an empty scan.
    let out = sb
        .pforge(&repo)
        .args(["scan", "--git", "nope..main"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
