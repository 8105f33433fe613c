//! No decrypted value, data key or identity is ever printed: the binaries run in every format over
//! every verify fixture (good and tampered), with and without identities, and all their output is
//! searched for the plaintexts (the plain/ inputs), the data keys and the identity strings.

use std::path::PathBuf;
use std::process::Command;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/verify");

fn files() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in ["enc", "tamper", "own/enc", "own/tamper", "own/old"] {
        for e in std::fs::read_dir(format!("{FIX}/{dir}")).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

/// Secrets that must never appear: every `LEAKCANARY` value of our own inputs (found by the marker
/// alone), distinctive encrypted plaintexts of the sops vectors, the identities, and the data key of
/// basic.json / secrets.json opened with the real `age` binary.
fn needles(tmp: &std::path::Path) -> Vec<String> {
    let mut n: Vec<String> = vec![
        "LEAKCANARY".into(),
        "hello world".into(),
        "colon-in-key".into(),
        "cödé".into(),
        "line1".into(),
        "AGE-SECRET-KEY".into(),
    ];
    for k in ["key1.txt", "key2.txt"] {
        let key = std::fs::read_to_string(format!("{FIX}/{k}")).unwrap();
        let key = key.trim();
        n.push(key.to_string());
        n.push(key.to_ascii_lowercase());
        n.push(key["AGE-SECRET-KEY-1".len()..].to_string());
    }
    // The SSH private key: each base64 line of its body.
    let ssh = std::fs::read_to_string(format!("{FIX}/ssh/id_ed25519")).unwrap();
    n.extend(
        ssh.lines()
            .filter(|l| !l.starts_with("-----"))
            .map(str::to_string),
    );
    for file in ["enc/basic.json", "own/enc/secrets.json"] {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{FIX}/{file}")).unwrap())
                .unwrap();
        let enc = v["sops"]["age"][0]["enc"].as_str().unwrap();
        let p = tmp.join("wrapped.age");
        std::fs::write(&p, enc).unwrap();
        let out = Command::new("age")
            .args(["-d", "-i"])
            .arg(format!("{FIX}/key1.txt"))
            .arg(&p)
            .output()
            .expect("age must be installed (apt-get install age)");
        assert!(out.status.success());
        let key = out.stdout;
        assert_eq!(key.len(), 32);
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        n.push(hex.clone());
        n.push(hex.to_ascii_uppercase());
        use base64::Engine as _;
        n.push(base64::engine::general_purpose::STANDARD.encode(&key));
        n.push(String::from_utf8_lossy(&key).into_owned());
    }
    n
}

#[test]
fn no_secret_in_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    let keys = tmp.path().join("keys.txt");
    std::fs::write(
        &keys,
        format!(
            "{}\n{}\n",
            std::fs::read_to_string(format!("{FIX}/key1.txt"))
                .unwrap()
                .trim(),
            std::fs::read_to_string(format!("{FIX}/key2.txt"))
                .unwrap()
                .trim()
        ),
    )
    .unwrap();
    let needles = needles(tmp.path());
    let files = files();
    let mut runs = 0;
    let mut saw_findings = false;
    for with_keys in [true, false] {
        for format in ["human", "json", "sarif"] {
            let invocations: Vec<(&str, Vec<&str>)> = vec![
                (env!("CARGO_BIN_EXE_ensure-sops"), vec!["--format", format]),
                (
                    env!("CARGO_BIN_EXE_ensure-sops"),
                    vec!["--format", format, "--require-verify"],
                ),
                (
                    env!("CARGO_BIN_EXE_pforge-hooks"),
                    vec!["verify", "--format", format],
                ),
                (
                    env!("CARGO_BIN_EXE_pforge-hooks"),
                    vec!["scan", "--format", format],
                ),
            ];
            for (bin, args) in invocations {
                let mut c = Command::new(bin);
                c.current_dir(tmp.path())
                    .env_clear()
                    .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                    .env("HOME", tmp.path())
                    .env("NO_COLOR", "1")
                    .args(&args)
                    .args(&files);
                if with_keys {
                    c.env("SOPS_AGE_KEY_FILE", &keys);
                    c.env(
                        "SOPS_AGE_SSH_PRIVATE_KEY_FILE",
                        format!("{FIX}/ssh/id_ed25519"),
                    );
                }
                let out = c.output().unwrap();
                runs += 1;
                assert_eq!(
                    out.status.code(),
                    Some(1),
                    "{bin} {args:?}: the tampered files must fail"
                );
                let mut all = out.stdout.clone();
                all.extend_from_slice(&out.stderr);
                saw_findings |= String::from_utf8_lossy(&all).contains("value-does-not-decrypt");
                for needle in &needles {
                    assert!(
                        memchr::memmem::find(&all, needle.as_bytes()).is_none(),
                        "{bin} {args:?} (keys: {with_keys}) printed a secret (needle {} chars long)",
                        needle.len()
                    );
                }
            }
        }
    }
    assert_eq!(runs, 24);
    assert!(saw_findings, "the keyful verdicts were exercised");
}
