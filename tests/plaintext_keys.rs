//! block-plaintext-keys: the corpus of real throwaway keys with its verdict table, the output
//! contract (no secret printed, exit codes), suppression (markers, baseline, exclude), and the
//! umbrella command.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_block-plaintext-keys");
const UMBRELLA: &str = env!("CARGO_BIN_EXE_pforge-hooks");

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plaintext-keys/throwaway-test-keys")
}

/// Run a binary in `cwd` (a temp dir: no project config applies unless the test writes one).
fn run(bin: &str, cwd: &Path, args: &[&str]) -> Output {
    Command::new(bin)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run the binary")
}

fn json_findings(out: &Output) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    v["findings"].as_array().cloned().unwrap_or_default()
}

fn verdicts() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plaintext-keys/verdicts.tsv"),
    )
    .expect("verdicts.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (path, rules) = l.split_once('\t').expect("path<TAB>rules");
            let mut rules: Vec<String> = if rules == "-" {
                Vec::new()
            } else {
                rules.split(',').map(str::to_string).collect()
            };
            rules.sort();
            (path.to_string(), rules)
        })
        .collect()
}

fn corpus_files() -> Vec<String> {
    let mut v = Vec::new();
    for sub in ["positive", "negative"] {
        for e in std::fs::read_dir(corpus().join(sub)).expect("corpus dir") {
            let e = e.expect("entry");
            v.push(format!("{sub}/{}", e.file_name().to_string_lossy()));
        }
    }
    v.sort();
    v
}

#[test]
fn every_corpus_file_has_its_verdict() {
    let table = verdicts();
    let files = corpus_files();
    let listed: Vec<String> = table.keys().cloned().collect();
    assert_eq!(files, listed, "verdicts.tsv and the corpus differ");

    let tmp = tempfile::tempdir().unwrap();
    let root = corpus();
    let out = run(
        BIN,
        tmp.path(),
        &["--format", "json", root.to_str().unwrap()],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: BTreeMap<String, Vec<String>> =
        table.keys().map(|k| (k.clone(), Vec::new())).collect();
    let prefix = format!("{}/", root.display());
    for f in json_findings(&out) {
        assert_eq!(f["check"], "block-plaintext-keys");
        assert_eq!(f["severity"], "error");
        let fp = f["fingerprint"]
            .as_str()
            .expect("every finding has a fingerprint");
        let rule = f["rule"].as_str().unwrap().to_string();
        assert!(fp.starts_with(&format!("{rule}:")), "{fp}");
        let path = f["path"].as_str().unwrap();
        let rel = path.strip_prefix(&prefix).unwrap_or(path).to_string();
        got.entry(rel).or_default().push(rule);
    }
    for v in got.values_mut() {
        v.sort();
    }
    let wrong: Vec<String> = got
        .iter()
        .filter(|(k, v)| table.get(*k) != Some(v))
        .map(|(k, v)| format!("{k}: expected {:?}, got {v:?}", table.get(k)))
        .collect();
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}

#[test]
fn each_file_alone_gives_its_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    for (path, rules) in verdicts() {
        let p = corpus().join(&path);
        let out = run(BIN, tmp.path(), &[p.to_str().unwrap()]);
        let want = if rules.is_empty() { 0 } else { 1 };
        assert_eq!(
            out.status.code(),
            Some(want),
            "{path}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// The public prefixes a redacted token may show.
const PUBLIC: [&str; 14] = [
    "com/services/",
    "AGE-SECRET-KEY-1",
    "github_pat_",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "sk_live_",
    "AIza",
    "xoxb-",
    "AKIA",
    "LS0tLS1CRUdJTi",
    "PuTTY-User-Key-File-",
];

/// Every long base64/token-like word of a positive file (its key material), public prefix removed.
fn secret_words(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .split(|c: char| !(c.is_ascii_alphanumeric() || "+/_-".contains(c)))
        .filter(|w| w.len() >= 20 && w.chars().any(|c| c.is_ascii_digit()))
        .map(|w| {
            PUBLIC
                .iter()
                .find_map(|p| w.strip_prefix(p))
                .unwrap_or(w)
                .to_string()
        })
        .collect()
}

#[test]
fn output_never_shows_a_secret() {
    let tmp = tempfile::tempdir().unwrap();
    for (path, rules) in verdicts() {
        if rules.is_empty() {
            continue;
        }
        let p = corpus().join(&path);
        let bytes = std::fs::read(&p).unwrap();
        let words = secret_words(&bytes);
        for format in ["human", "json", "sarif"] {
            let out = run(BIN, tmp.path(), &["--format", format, p.to_str().unwrap()]);
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for w in &words {
                // At most a few characters of a secret may show (the redacted prefix).
                for chunk in w.as_bytes().chunks(8).filter(|c| c.len() == 8) {
                    let chunk = std::str::from_utf8(chunk).unwrap();
                    assert!(
                        !text.contains(chunk),
                        "{path} ({format}): output shows `{chunk}` of the secret"
                    );
                }
            }
        }
    }
}

#[test]
fn human_output_has_location_rule_prefix_and_length() {
    let tmp = tempfile::tempdir().unwrap();
    let p = corpus().join("positive/github-tokens.txt");
    let out = run(BIN, tmp.path(), &[p.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap();
    assert!(first.contains("github-tokens.txt:1:1: block-plaintext-keys/github-token: GitHub token in clear text: ghp_"), "{first}");
    assert!(first.ends_with("… (40 bytes)"), "{first}");
    assert!(text.contains("hint: "), "{text}");
}

#[test]
fn the_same_key_in_another_encoding_has_the_same_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    let fp = |name: &str| {
        let p = corpus().join("positive").join(name);
        let out = run(BIN, tmp.path(), &["--format", "json", p.to_str().unwrap()]);
        json_findings(&out)
            .iter()
            .filter(|f| f["rule"] == "private-key")
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let lf = fp("rsa-pkcs8.pem");
    assert_eq!(lf.len(), 1);
    assert_eq!(fp("rsa-pkcs8-crlf.pem"), lf, "CRLF");
    assert_eq!(
        fp("k8s-tls-secret.yaml"),
        lf,
        "base64-encoded in a Kubernetes secret"
    );
    assert_eq!(fp("key_in_code.js"), lf, "\\n-escaped in a string literal");
    assert_eq!(
        fp("config.pforge-local-throwaway.yaml"),
        lf,
        "indented in a YAML block scalar"
    );
}

#[test]
fn missing_input_is_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(BIN, tmp.path(), &["does-not-exist.pem"]);
    assert_eq!(out.status.code(), Some(2));
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, text).unwrap();
}

fn read(name: &str) -> String {
    std::fs::read_to_string(corpus().join(name)).unwrap()
}

#[test]
fn baseline_accepts_known_secrets_across_edits_and_catches_new_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        ".pforge-hooks.toml",
        "[block-plaintext-keys]\nbaseline = \"known.json\"\n",
    );
    write(d, "app/tokens.txt", &read("positive/github-tokens.txt"));
    write(d, "app/key.pem", &read("positive/ec-sec1.pem"));

    let out = run(UMBRELLA, d, &["baseline"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let base = std::fs::read_to_string(d.join("known.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&base).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["findings"].as_array().unwrap().len(), 7);
    assert!(
        !base.contains("line"),
        "no line numbers in a baseline: {base}"
    );
    // Regenerating gives the same bytes (no timestamps, sorted).
    run(UMBRELLA, d, &["baseline"]);
    assert_eq!(std::fs::read_to_string(d.join("known.json")).unwrap(), base);

    let out = run(BIN, d, &["."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Lines move and the file is renamed: still accepted.
    let moved = format!("# header\n\n\n{}", read("positive/github-tokens.txt"));
    std::fs::remove_file(d.join("app/tokens.txt")).unwrap();
    write(d, "lib/renamed.txt", &moved);
    let out = run(BIN, d, &["."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // A new secret is reported, and only it.
    write(d, "lib/new.env", &read("positive/age.env"));
    let out = run(BIN, d, &["--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let f = json_findings(&out);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["rule"], "age-secret-key");
    assert_eq!(f[0]["path"], "lib/new.env");
}

#[test]
fn a_broken_baseline_fails_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        ".pforge-hooks.baseline.json",
        "{\"version\": 1, \"findings\": [oops",
    );
    write(d, "clean.txt", "nothing to see\n");
    let out = run(BIN, d, &["clean.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("invalid-config"));
}

#[test]
fn exclude_globs_skip_fixtures_and_bad_globs_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "fixtures/keys/k.pem", &read("positive/ec-sec1.pem"));
    write(d, "src/ok.txt", "fine\n");
    let out = run(BIN, d, &["."]);
    assert_eq!(out.status.code(), Some(1));

    write(
        d,
        ".pforge-hooks.toml",
        "[block-plaintext-keys]\nexclude = [\"fixtures/**\"]\n",
    );
    let out = run(BIN, d, &["."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Also when the file is named (pre-commit passes names).
    let out = run(BIN, d, &["fixtures/keys/k.pem"]);
    assert_eq!(out.status.code(), Some(0));

    write(
        d,
        ".pforge-hooks.toml",
        "[block-plaintext-keys]\nexclude = [\"fixtures/[\"]\n",
    );
    let out = run(BIN, d, &["src/ok.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("invalid-config"));

    write(
        d,
        ".pforge-hooks.toml",
        "[block-plaintext-keys]\nexclud = []\n",
    );
    let out = run(BIN, d, &["src/ok.txt"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "unknown keys are configuration errors"
    );
}

#[test]
fn pforge_hooks_scan_runs_the_check() {
    let tmp = tempfile::tempdir().unwrap();
    let p = corpus().join("positive/putty-v3.ppk");
    let out = run(UMBRELLA, tmp.path(), &["scan", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("block-plaintext-keys/putty-private-key")
    );
    let out = run(
        UMBRELLA,
        tmp.path(),
        &[
            "scan",
            "--check",
            "block-plaintext-keys",
            corpus().join("negative").to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn hostile_input_is_handled() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // Many headers without bodies, an unterminated header, deep braces around "kty", long runs.
    let mut s = String::new();
    for _ in 0..2000 {
        s.push_str("-----BEGIN RSA PRIVATE KEY-----\n");
    }
    s.push_str(&"{".repeat(10_000));
    s.push_str("\"kty\"");
    s.push_str(&"A".repeat(100_000));
    s.push_str("ghp_");
    write(d, "hostile.txt", &s);
    std::fs::write(
        d.join("invalid-utf8.txt"),
        b"\xff\xfe AKIA \xc3\x28 PRIVATE KEY",
    )
    .unwrap();
    let out = run(BIN, d, &["."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_repository_itself_scans_clean() {
    // The project's own .pforge-hooks.toml excludes the throwaway corpus; nothing else in the
    // repository may hold a key. Runs from the crate root, so that configuration applies.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(
        UMBRELLA,
        root,
        &["scan", "--check", "block-plaintext-keys", "."],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
