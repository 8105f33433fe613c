//! `block-plaintext-keys`: no private key, age secret key, token or credential is committed in
//! clear text anywhere in the repository.
//!
//! The detection itself is [`crate::detect`]; this check adds what depends on the file: its name
//! (key containers such as `.p12`, lock files), binary content, SOPS files (values inside
//! `ENC[...]` are ciphertext), the inline allow markers and the baseline.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use super::Check;
use crate::context::Context;
use crate::detect::{self, Rule, baseline};
use crate::document::Document;
use crate::finding::Finding;
use crate::source::Candidate;

/// The check id (and binary name).
pub const ID: &str = "block-plaintext-keys";

/// The hint every content finding carries.
const HINT: &str = "remove it from the file and rotate it; keep secrets in a SOPS-encrypted file \
(`sops -e -i FILE`). For a test value, add `pforge-hooks: allow` on the line or record it with \
`pforge-hooks baseline`";

/// Inline markers that suppress a finding on their line.
const ALLOW_MARKERS: [&[u8]; 2] = [b"pforge-hooks: allow", b"pragma: allowlist secret"];
/// A marker that suppresses a finding on the next line (detect-secrets' spelling).
const ALLOW_NEXT_LINE: &[u8] = b"pragma: allowlist nextline secret";

/// How many leading bytes are looked at to call a file binary (a NUL byte among them).
const BINARY_SNIFF: usize = 8 * 1024;

/// Settings of `block-plaintext-keys` (`[block-plaintext-keys]`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct PlaintextKeysConfig {
    /// Glob patterns (relative to the root) of files never scanned, also when named: test fixtures
    /// holding throwaway keys.
    pub exclude: Vec<String>,
    /// The baseline file (relative to the root) that `pforge-hooks baseline` writes and this check
    /// honours; findings whose fingerprint it lists are not reported. Empty: no baseline.
    pub baseline: String,
}

impl Default for PlaintextKeysConfig {
    fn default() -> Self {
        PlaintextKeysConfig {
            exclude: Vec::new(),
            baseline: ".pforge-hooks.baseline.json".to_string(),
        }
    }
}

/// The check.
#[derive(Debug, Default)]
pub struct PlaintextKeys {
    ignore_baseline: bool,
    exclude: OnceLock<Result<GlobSet, String>>,
    baseline: OnceLock<Result<Option<HashSet<String>>, String>>,
    reported_config_error: AtomicBool,
}

impl PlaintextKeys {
    /// The check as hooks run it (honouring the baseline).
    pub fn new() -> Self {
        PlaintextKeys::default()
    }

    /// The check as `pforge-hooks baseline` runs it: every finding, the baseline ignored.
    pub fn without_baseline() -> Self {
        PlaintextKeys {
            ignore_baseline: true,
            ..PlaintextKeys::default()
        }
    }

    fn exclude(&self, ctx: &Context) -> &Result<GlobSet, String> {
        self.exclude.get_or_init(|| {
            let mut b = GlobSetBuilder::new();
            for g in &ctx.config.block_plaintext_keys.exclude {
                let glob = Glob::new(g).map_err(|e| {
                    format!("[block-plaintext-keys] exclude: bad glob pattern `{g}`: {e}")
                })?;
                b.add(glob);
            }
            b.build()
                .map_err(|e| format!("[block-plaintext-keys] exclude: {e}"))
        })
    }

    fn baseline(&self, ctx: &Context) -> &Result<Option<HashSet<String>>, String> {
        self.baseline.get_or_init(|| {
            let name = &ctx.config.block_plaintext_keys.baseline;
            if self.ignore_baseline || name.is_empty() {
                return Ok(None);
            }
            baseline::load(&ctx.root.join(name))
        })
    }

    /// Report a configuration or baseline problem once per run (it fails the run: fail closed).
    fn config_error(&self, doc: &Document, message: &str, out: &mut Vec<Finding>) {
        if !self.reported_config_error.swap(true, Ordering::Relaxed) {
            out.push(
                Finding::new(&doc.path, ID, "invalid-config", message)
                    .hint("fix the [block-plaintext-keys] settings or regenerate the baseline with `pforge-hooks baseline`"),
            );
        }
    }
}

/// The file name (last `/`-separated component).
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The lower-cased extension of a file name, if any.
fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map(|(_, e)| e.to_ascii_lowercase())
}

/// Lock files: generated, full of hashes, never holding a credential.
const LOCK_FILES: [&str; 17] = [
    "Cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "composer.lock",
    "Gemfile.lock",
    "go.sum",
    "flake.lock",
    "mix.lock",
    "pubspec.lock",
    "Podfile.lock",
];

/// Extensions of files that cannot hold a key in clear text (media, compiled code, archives).
const NON_CANDIDATE_EXTENSIONS: [&str; 34] = [
    "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "tif", "tiff", "psd", "mp3", "mp4", "wav",
    "ogg", "flac", "avi", "mov", "mkv", "woff", "woff2", "ttf", "otf", "eot", "pyc", "pyo", "so",
    "dylib", "dll", "exe", "o", "a", "class", "whl", "lock",
];

/// Extensions of key containers (PKCS#12, Java keystores): flagged by name, binary or not.
const CONTAINER_EXTENSIONS: [&str; 7] = ["p12", "pfx", "pkcs12", "jks", "keystore", "jceks", "bks"];

/// OpenSSH's default private key file names.
const SSH_KEY_NAMES: [&str; 6] = [
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "id_ecdsa_sk",
    "id_ed25519_sk",
];

/// Whether a file name is a lock file.
pub fn is_lock_file(name: &str) -> bool {
    LOCK_FILES.contains(&name)
}

/// Whether a file name says "key container" (`cert.p12`, `release.jks`, `id_ed25519`).
pub fn is_key_container(name: &str) -> bool {
    SSH_KEY_NAMES.contains(&name)
        || extension(name).is_some_and(|e| CONTAINER_EXTENSIONS.contains(&e.as_str()))
}

/// Whether the bytes look binary (a NUL in the first 8 KB).
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, bytes.get(..BINARY_SNIFF).unwrap_or(bytes)).is_some()
}

/// A cheap textual test for a SOPS-encrypted file in any store: `ENC[AES256_GCM,` values and a
/// `sops` metadata block (YAML `sops:`, JSON `"sops":`, dotenv `sops_mac=`, INI `[sops]`).
pub fn looks_like_sops(bytes: &[u8]) -> bool {
    use memchr::memmem::find;
    find(bytes, b"ENC[AES256_GCM,").is_some()
        && (bytes.starts_with(b"sops:")
            || find(bytes, b"\nsops:").is_some()
            || find(bytes, b"\"sops\":").is_some()
            || find(bytes, b"sops_mac=").is_some()
            || find(bytes, b"[sops]").is_some())
}

/// Whether offset `at` is inside an `ENC[...]` value (ciphertext) on its line.
fn inside_enc(bytes: &[u8], at: usize) -> bool {
    let lo = at.saturating_sub(64 * 1024);
    let Some(before) = bytes.get(lo..at) else {
        return false;
    };
    let line =
        memchr::memrchr(b'\n', before).map_or(before, |i| before.get(i + 1..).unwrap_or(&[]));
    memchr::memmem::rfind(line, b"ENC[")
        .is_some_and(|i| !line.get(i..).is_some_and(|rest| rest.contains(&b']')))
}

/// The line around offset `at` (without its newline) and the line before it.
fn lines_around(bytes: &[u8], at: usize) -> (&[u8], &[u8]) {
    let before = bytes.get(..at).unwrap_or(bytes);
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let after = bytes.get(at..).unwrap_or(&[]);
    let end = memchr::memchr(b'\n', after).map_or(bytes.len(), |i| at + i);
    let line = bytes.get(start..end).unwrap_or(&[]);
    let prev = if start == 0 {
        &[][..]
    } else {
        let upto = bytes.get(..start - 1).unwrap_or(&[]);
        let pstart = memchr::memrchr(b'\n', upto).map_or(0, |i| i + 1);
        upto.get(pstart..).unwrap_or(&[])
    };
    (line, prev)
}

/// Whether the finding at `at` is suppressed by an inline marker.
fn allowed_inline(bytes: &[u8], at: usize) -> bool {
    let (line, prev) = lines_around(bytes, at);
    let has = |hay: &[u8], m: &[u8]| memchr::memmem::find(hay, m).is_some();
    ALLOW_MARKERS.iter().any(|m| has(line, m)) || has(prev, ALLOW_NEXT_LINE)
}

/// 1-based line and byte column of each sorted offset, computed in one pass.
fn positions(bytes: &[u8], offsets: &[usize]) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(offsets.len());
    let (mut line, mut line_start, mut pos) = (1u32, 0usize, 0usize);
    for &at in offsets {
        let at = at.min(bytes.len());
        if at >= pos {
            for i in memchr::memchr_iter(b'\n', bytes.get(pos..at).unwrap_or(&[])) {
                line = line.saturating_add(1);
                line_start = pos + i + 1;
            }
            pos = at;
        }
        let col = u32::try_from(at.saturating_sub(line_start) + 1).unwrap_or(u32::MAX);
        out.push((line, col));
    }
    out
}

impl Check for PlaintextKeys {
    fn id(&self) -> &'static str {
        ID
    }

    fn wants(&self, candidate: &Candidate, ctx: &Context) -> bool {
        let name = file_name(&candidate.rel_path);
        if is_lock_file(name) {
            return false;
        }
        if let Ok(set) = self.exclude(ctx)
            && set.is_match(&candidate.rel_path)
        {
            return false;
        }
        if is_key_container(name) {
            return true;
        }
        !extension(name).is_some_and(|e| NON_CANDIDATE_EXTENSIONS.contains(&e.as_str()))
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Finding>) {
        if let Err(e) = self.exclude(ctx) {
            self.config_error(doc, e, out);
        }
        let known: Option<&HashSet<String>> = match self.baseline(ctx) {
            Ok(b) => b.as_ref(),
            Err(e) => {
                self.config_error(doc, e, out);
                None
            }
        };
        let bytes = &doc.bytes;
        let named_container = is_key_container(doc.file_name()) && !bytes.is_empty();
        let mut hits = if is_binary(bytes) {
            Vec::new()
        } else {
            detect::scan(bytes)
        };
        if hits.is_empty() && !named_container {
            return;
        }
        // Only now (rarely) the second look at the whole file.
        let sops = looks_like_sops(bytes);
        // An `id_rsa` whose key the content rules found gets that finding, not a second one.
        let container = named_container && !sops && hits.is_empty();
        hits.retain(|h| {
            !(inside_enc(bytes, h.start)
                || (sops
                    && matches!(
                        h.rule,
                        Rule::PangeoForgeApiKey | Rule::PangeoForgeWebhookSecret
                    ))
                || allowed_inline(bytes, h.start)
                || known.is_some_and(|k| k.contains(&h.fingerprint)))
        });
        if container {
            let rule = Rule::KeyContainer;
            let fp = detect::redact::fingerprint(rule.id(), bytes);
            if !known.is_some_and(|k| k.contains(&fp)) {
                out.push(
                    Finding::new(
                        &doc.path,
                        ID,
                        rule.id(),
                        format!(
                            "key container committed ({} bytes): a file with this name holds private keys",
                            bytes.len()
                        ),
                    )
                    .hint("keep it out of the repository, or commit it SOPS-encrypted (`sops -e FILE > FILE.enc`); if it holds no secret, list it under [block-plaintext-keys] exclude")
                    .fingerprint(fp),
                );
            }
        }
        let offsets: Vec<usize> = hits.iter().map(|h| h.start).collect();
        for (h, (line, col)) in hits.into_iter().zip(positions(bytes, &offsets)) {
            out.push(
                Finding::new(
                    &doc.path,
                    ID,
                    h.rule.id(),
                    format!("{} in clear text: {} ({} bytes)", h.label, h.shown, h.len),
                )
                .at(line, col)
                .hint(HINT)
                .fingerprint(h.fingerprint),
            );
        }
    }
}

/// `pforge-hooks baseline [PATH...] [--output FILE]`: scan (default: the project root), and write
/// every current finding's fingerprint to the baseline, so that only new secrets fail from now on.
pub fn baseline_main(
    paths: Vec<PathBuf>,
    output: Option<PathBuf>,
    common: &crate::cli::CommonArgs,
) -> ExitCode {
    const TOOL: &str = "pforge-hooks";
    common.apply_color();
    let loaded = match common.load_config() {
        Ok(l) => l,
        Err(e) => return crate::cli::fail(TOOL, &e),
    };
    let target = match output {
        Some(p) => p,
        None if loaded.config.block_plaintext_keys.baseline.is_empty() => {
            return crate::cli::fail(
                TOOL,
                "[block-plaintext-keys] baseline is empty: name the file with --output",
            );
        }
        None => loaded
            .root
            .join(&loaded.config.block_plaintext_keys.baseline),
    };
    let paths = if paths.is_empty() {
        // The root as seen from the working directory, so the baseline's paths stay relative.
        let cwd = std::env::current_dir().unwrap_or_default();
        let rel = match loaded.root.strip_prefix(&cwd) {
            Ok(r) if r.as_os_str().is_empty() => PathBuf::from("."),
            Ok(r) => r.to_path_buf(),
            Err(_) => loaded.root.clone(),
        };
        vec![rel]
    } else {
        paths
    };
    let ctx = match Context::new(loaded) {
        Ok(c) => c,
        Err(e) => return crate::cli::fail(TOOL, &e),
    };
    let engine =
        crate::engine::Engine::new(vec![Box::new(PlaintextKeys::without_baseline())], &ctx);
    let mut outcome = engine.run_paths(&paths);
    if !outcome.errors.is_empty() {
        return crate::cli::finish(TOOL, &outcome, common.format);
    }
    let accepted: Vec<(&str, &str, &str)> = outcome
        .findings
        .iter()
        .filter_map(|f| {
            f.fingerprint
                .as_deref()
                .map(|fp| (fp, f.rule, f.path.as_str()))
        })
        .collect();
    let base = baseline::Baseline::from_findings(accepted);
    if let Err(e) = write_atomic(&target, base.to_json().as_bytes()) {
        return crate::cli::fail(TOOL, &format!("cannot write {}: {e}", target.display()));
    }
    eprintln!(
        "{TOOL}: wrote {} fingerprint(s) to {}",
        base.findings.len(),
        crate::report::sanitize(&target.display().to_string())
    );
    // What cannot be baselined (a file too large to check, a configuration error) still fails.
    outcome.findings.retain(|f| f.fingerprint.is_none());
    if outcome.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        crate::cli::finish(TOOL, &outcome, common.format)
    }
}

/// Write `bytes` to `path` through a temporary file in the same directory and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp.1, bytes)?;
    tmp.1.sync_all()?;
    drop(tmp.1);
    std::fs::rename(&tmp.0, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp.0);
    })
}

/// A new file next to the target, named so that it cannot clash with another writer.
fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let mut n = 0u32;
    loop {
        let p = dir.join(format!(
            ".pforge-hooks.baseline.{}.{n}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_key_container("cert.P12"));
        assert!(is_key_container("id_ed25519"));
        assert!(!is_key_container("id_ed25519.pub"));
        assert!(!is_key_container(".p12"));
        assert!(is_lock_file("Cargo.lock"));
    }

    #[test]
    fn enc_values_are_ciphertext() {
        let b = b"a: ENC[AES256_GCM,data:AKIAxxxx,iv:x,tag:y,type:str]\nb: AKIA\n";
        assert!(inside_enc(b, 25));
        assert!(!inside_enc(b, b.len() - 5));
    }

    #[test]
    fn positions_are_one_based() {
        let b = b"ab\ncd\nef";
        assert_eq!(positions(b, &[0, 4, 7]), vec![(1, 1), (2, 2), (3, 2)]);
    }

    #[test]
    fn markers() {
        let b = b"x = 1\nkey = abc # pforge-hooks: allow\n# pragma: allowlist nextline secret\nk2 = z\nk3 = q\n";
        let at = |s: &[u8]| memchr::memmem::find(b, s).unwrap_or(0);
        assert!(allowed_inline(b, at(b"abc")));
        assert!(allowed_inline(b, at(b"z\n")));
        assert!(!allowed_inline(b, at(b"q\n")));
        assert!(!allowed_inline(b, at(b"1\n")));
    }
}
