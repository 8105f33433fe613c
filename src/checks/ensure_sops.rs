//! `ensure-sops`: every file that must be encrypted is a valid SOPS file that sops could decrypt.
//!
//! Keyless part (this module): structure, metadata, the `ENC[...]` grammar of every value the file's
//! own selector says is encrypted, clear values where ciphertext is expected, reserved keys. The
//! keyful part (decrypting the data key and checking the MAC) plugs in at [`verify`].
//!
//! Rule ids (stable): `not-encrypted`, `malformed`, `metadata`, `clear-value`, `bad-enc`,
//! `enc-where-clear` (warning), `reserved-key`.

use crate::checks::Check;
use crate::context::Context;
use crate::document::{Document, Selection};
use crate::finding::{Finding, Severity};
use crate::report::sanitize;
use crate::sops::enc::{self, EncType};
use crate::sops::walk::{self, Rule, VisitKind};
use crate::sops::{KeyKind, Metadata, Scalar, SopsError, SopsFile, Store, gotime};
use crate::source::Candidate;

/// The check id.
pub const ID: &str = "ensure-sops";

/// Clear-value / bad-enc findings reported per file before the rest is summarised in one finding.
pub const MAX_VALUE_FINDINGS: usize = 50;

/// The configured scope of `ensure-sops` (`[ensure-sops] paths` / `exclude`), compiled once per run.
#[derive(Clone, Debug)]
pub struct Scope {
    paths: globset::GlobSet,
    exclude: globset::GlobSet,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            paths: globset::GlobSet::empty(),
            exclude: globset::GlobSet::empty(),
        }
    }
}

fn globs(patterns: &[String], key: &str) -> Result<globset::GlobSet, String> {
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        let g = globset::GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("[ensure-sops] {key}: invalid glob `{p}`: {e}"))?;
        b.add(g);
    }
    b.build().map_err(|e| format!("[ensure-sops] {key}: {e}"))
}

impl Scope {
    /// Compile the configured globs (an invalid glob is a configuration error naming it).
    pub fn new(cfg: &crate::config::EnsureSopsConfig) -> Result<Scope, String> {
        Ok(Scope {
            paths: globs(&cfg.paths, "paths")?,
            exclude: globs(&cfg.exclude, "exclude")?,
        })
    }

    /// Whether `paths` names this root-relative path.
    pub fn is_listed(&self, rel_path: &str) -> bool {
        self.paths.is_match(rel_path)
    }

    /// Whether `exclude` names this root-relative path.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.exclude.is_match(rel_path)
    }
}

/// The `ensure-sops` check.
#[derive(Debug, Default)]
pub struct EnsureSops;

impl Check for EnsureSops {
    fn id(&self) -> &'static str {
        ID
    }

    /// Named files always; discovered files when a `.sops.yaml` creation rule with a `path_regex`
    /// covers them or the `[ensure-sops] paths` globs match, minus `exclude`.
    fn wants(&self, candidate: &Candidate, ctx: &Context) -> bool {
        match candidate.selection {
            Selection::Named => true,
            Selection::Discovered => {
                let rel = candidate.rel_path.as_str();
                !ctx.ensure_sops.is_excluded(rel)
                    && (ctx.ensure_sops.is_listed(rel)
                        || ctx.sops_rules.as_ref().is_some_and(|r| r.covers(rel)))
            }
        }
    }

    fn check(&self, doc: &Document, ctx: &Context, out: &mut Vec<Finding>) {
        if let Some(f) = conflict_markers(doc) {
            out.push(f);
            return;
        }
        match doc.sops() {
            Err(SopsError::NotEncrypted { reason }) => out.push(not_encrypted(doc, reason)),
            Err(SopsError::Malformed { message, pos }) => out.push(malformed(doc, message, *pos)),
            Ok(file) => {
                let clean = keyless(doc, file, ctx, out);
                verify(doc, file, ctx, clean, out);
            }
        }
    }
}

/// The keyful verification (data key + MAC), run after [`keyless`]; `structurally_clean` says whether
/// the keyless checks found no error. Also the keyless `.sops.yaml` recipient policy. See
/// [`crate::checks::ensure_sops_verify`].
pub fn verify(
    doc: &Document,
    file: &SopsFile,
    ctx: &Context,
    structurally_clean: bool,
    out: &mut Vec<Finding>,
) {
    use crate::checks::ensure_sops_verify as v;
    v::policy_findings(doc, file, ctx, out);
    let require = ctx.config.ensure_sops.require_verify;
    v::verify_findings(doc, file, ctx, structurally_clean, require, out);
}

fn finding(doc: &Document, rule: &'static str, message: impl Into<String>) -> Finding {
    Finding::new(doc.path.clone(), ID, rule, message)
}

fn at(f: Finding, pos: crate::sops::Pos) -> Finding {
    if pos.line == 0 {
        f
    } else {
        f.at(pos.line, pos.column.max(1))
    }
}

fn quoted_path(doc: &Document) -> String {
    let p = sanitize(&doc.path);
    if p.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+@%=:,".contains(c))
    {
        p
    } else {
        format!("'{}'", p.replace('\'', "'\\''"))
    }
}

fn not_encrypted(doc: &Document, reason: &str) -> Finding {
    finding(
        doc,
        "not-encrypted",
        format!("this file must be encrypted: {reason}"),
    )
    .hint(format!("run `sops -e -i {}`", quoted_path(doc)))
}

fn truncated_note(doc: &Document) -> &'static str {
    if !doc.bytes.is_empty() && !doc.bytes.ends_with(b"\n") {
        " (the file does not end with a newline: truncated?)"
    } else {
        ""
    }
}

fn malformed(doc: &Document, message: &str, pos: Option<crate::sops::Pos>) -> Finding {
    let store = Store::for_path(&doc.path);
    let f = finding(
        doc,
        "malformed",
        format!(
            "not a readable SOPS {} file: {message}{}",
            store.name(),
            if message.contains("UTF-8") {
                ""
            } else {
                truncated_note(doc)
            }
        ),
    )
    .hint(format!(
        "restore the file from git (`git checkout -- {0}`) or re-create it with `sops edit {0}`",
        quoted_path(doc)
    ));
    match pos {
        Some(p) => at(f, p),
        None => f,
    }
}

/// Merge-conflict markers, found before parsing: sops files cannot be merged line by line.
fn conflict_markers(doc: &Document) -> Option<Finding> {
    let mut first = None;
    let mut kinds = 0u8;
    for (i, line) in doc.bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let marker = |m: &[u8]| {
            line.starts_with(m) && matches!(line.get(m.len()), None | Some(b' ' | b'\t'))
        };
        let kind = if marker(b"<<<<<<<") {
            1
        } else if marker(b">>>>>>>") {
            4
        } else if line == b"=======" {
            2
        } else {
            continue;
        };
        kinds |= kind;
        if kind != 2 && first.is_none() {
            first = Some(i + 1);
        }
    }
    let line = first?;
    let line32 = u32::try_from(line).unwrap_or(u32::MAX);
    let _ = kinds;
    Some(
        finding(
            doc,
            "malformed",
            "merge-conflict markers: an encrypted file cannot be merged line by line",
        )
        .at(line32, 1)
        .hint(format!(
            "take one side whole (`git checkout --ours {0}` or `--theirs`), then re-apply the other side's change with `sops edit {0}`",
            quoted_path(doc)
        )),
    )
}

/// The keyless checks on a parsed file. Returns whether no error was found.
pub fn keyless(doc: &Document, file: &SopsFile, ctx: &Context, out: &mut Vec<Finding>) -> bool {
    let _ = ctx;
    let start = out.len();
    let before = out.iter().filter(|f| f.is_error()).count();
    let rule = metadata(doc, file, out);
    if file.store == Store::Binary {
        let has_data = file
            .branches
            .iter()
            .flatten()
            .any(|e| matches!(e, crate::sops::Entry::Pair { key, .. } if key == "data"));
        if !has_data {
            out.push(
                finding(
                    doc,
                    "malformed",
                    "the binary envelope has no `data` entry: sops has nothing to decrypt",
                )
                .hint("re-create the file with `sops -e`"),
            );
        }
    }
    if let Some(rule) = rule {
        values(doc, file, &rule, out);
    }
    let note = truncated_note(doc);
    let errors = out.iter().filter(|f| f.is_error()).count();
    if errors > before && !note.is_empty() {
        for f in out.iter_mut().skip(start) {
            f.message.push_str(note);
        }
    }
    errors == before
}

fn meta_finding(doc: &Document, file: &SopsFile, field: &str, message: String) -> Finding {
    let pos = file
        .metadata
        .field_pos
        .get(field)
        .copied()
        .unwrap_or(file.metadata.pos);
    at(
        finding(doc, "metadata", message).key_path(format!("sops.{field}")),
        pos,
    )
    .hint(format!(
        "the sops metadata was damaged by a hand edit: restore the `sops` block from git (`git checkout -p -- {}`)",
        quoted_path(doc)
    ))
}

/// Check the metadata block; returns the compiled selector rule when values can be judged.
fn metadata(doc: &Document, file: &SopsFile, out: &mut Vec<Finding>) -> Option<Rule> {
    let m: &Metadata = &file.metadata;
    let mf = |field: &str, msg: String| meta_finding(doc, file, field, msg);
    for (pos, p) in &m.problems {
        out.push(at(
            finding(doc, "metadata", format!("sops metadata: {p}")).hint(format!(
                "the sops metadata was damaged by a hand edit: restore the `sops` block from git (`git checkout -p -- {}`)",
                quoted_path(doc)
            )),
            *pos,
        ));
    }
    if m.field_pos.is_empty() && !m.problems.is_empty() {
        // The block is not a mapping at all: the field-by-field checks would only repeat that.
        return None;
    }
    // lastmodified
    match m.lastmodified.as_deref() {
        None => out.push(mf(
            "lastmodified",
            "no `lastmodified` in the sops metadata: sops cannot load the file".into(),
        )),
        Some(t) if gotime::parse_rfc3339(t).is_none() => out.push(mf(
            "lastmodified",
            format!(
                "`lastmodified` `{}` is not an RFC 3339 time sops can parse (YYYY-MM-DDTHH:MM:SSZ)",
                sanitize(&t.chars().take(40).collect::<String>())
            ),
        )),
        Some(_) => {}
    }
    // mac
    match m.mac.as_deref() {
        None | Some("") => out.push(mf(
            "mac",
            "no `mac` in the sops metadata: sops refuses to decrypt (MAC mismatch: file has no MAC)"
                .into(),
        )),
        Some(mac) => match enc::parse(mac) {
            Err(e) => out.push(mf("mac", format!("`mac` is not a valid ENC[...] value: {e}"))),
            Ok(v) if v.kind != EncType::Str => out.push(mf(
                "mac",
                format!("`mac` has type `{}`; sops writes `str`", v.kind.as_str()),
            )),
            Ok(v) if v.data.len() != 128 => out.push(mf(
                "mac",
                format!(
                    "`mac` holds {} bytes of ciphertext; a sops MAC is always 128 (truncated or edited)",
                    v.data.len()
                ),
            )),
            Ok(_) => {}
        },
    }
    // version
    match m.version.as_deref() {
        None | Some("") => out.push(mf(
            "version",
            "no `version` in the sops metadata: sops refuses to decrypt (Version string empty)"
                .into(),
        )),
        Some(v) if !semverish(v) => out.push(mf(
            "version",
            format!(
                "`version` `{}` is not a Major.Minor.Patch version: sops refuses to decrypt",
                sanitize(&v.chars().take(40).collect::<String>())
            ),
        )),
        Some(_) => {}
    }
    keys(doc, file, out);
    for (name, pos) in &m.unknown_fields {
        if matches!(file.store, Store::Dotenv | Store::Ini) {
            let shown = if file.store == Store::Dotenv {
                format!("sops_{name}")
            } else {
                format!("[sops] {name}")
            };
            out.push(at(
                finding(
                    doc,
                    "reserved-key",
                    format!(
                        "`{}` is in the sops metadata namespace but is no metadata field: sops treats it as metadata and drops it on decryption",
                        sanitize(&shown)
                    ),
                )
                .key_path(sanitize(&shown))
                .hint("rename the key: user keys may not start with `sops_` (dotenv) or live in the [sops] section (INI)"),
                *pos,
            ));
        }
    }
    // selector
    if m.selectors.len() > 1 {
        let names: Vec<&str> = m.selectors.iter().map(|s| s.field()).collect();
        out.push(mf(
            names.get(1).copied().unwrap_or("selector"),
            format!(
                "more than one selector ({}): sops refuses to load the file",
                names.join(", ")
            ),
        ));
        return None;
    }
    if file.store == Store::Binary {
        // sops ignores selectors for the binary store: the single `data` value is always encrypted.
        return Some(Rule::UnencryptedSuffix("_unencrypted".into()));
    }
    let selector = m.selector();
    match Rule::compile(&selector) {
        Ok(r) => Some(r),
        Err(e) => {
            out.push(mf(selector.field(), e));
            None
        }
    }
}

/// sops' version check: Major.Minor.Patch (tolerant of a `v` and of pre-release / build suffixes), or
/// a Python-sops `1.x` version.
fn semverish(v: &str) -> bool {
    if v.starts_with("1.") {
        return true;
    }
    let core = v.strip_prefix('v').unwrap_or(v);
    let core = core.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

const AGE_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
const AGE_END: &str = "-----END AGE ENCRYPTED FILE-----";

/// Why an age `enc` is not an armored age file (framing and base64 only; decrypting needs the key).
pub fn age_armor_problem(enc: &str) -> Option<String> {
    use base64::Engine as _;
    let text = enc.trim_end_matches(['\n', '\r']);
    let Some(body) = text.trim_start().strip_prefix(AGE_BEGIN) else {
        return Some(format!("does not start with `{AGE_BEGIN}`"));
    };
    let Some(body) = body.strip_suffix(AGE_END) else {
        return Some(format!("does not end with `{AGE_END}` (truncated?)"));
    };
    let lines: Vec<&str> = body
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Some("the armor holds no data".into());
    }
    if lines.iter().any(|l| l.len() > 64) {
        return Some("an armor line is longer than 64 columns".into());
    }
    let joined: String = lines.concat();
    match base64::engine::general_purpose::STANDARD.decode(joined.as_bytes()) {
        Err(_) => Some("the armor body is not valid base64".into()),
        Ok(raw) if !raw.starts_with(b"age-encryption.org/v1\n") => {
            Some("the armored data is not an age v1 file".into())
        }
        Ok(raw) if raw.len() < 100 => {
            Some("the age file is too short to hold a wrapped key".into())
        }
        Ok(_) => None,
    }
}

fn keys(doc: &Document, file: &SopsFile, out: &mut Vec<Finding>) {
    let m = &file.metadata;
    let total: usize = m.key_groups.iter().map(|g| g.keys.len()).sum();
    if total == 0 {
        out.push(meta_finding(
            doc,
            file,
            "age",
            "no master key (age, pgp, kms, ...) in the sops metadata: nobody can decrypt this file (No keys found in file)".into(),
        ));
        return;
    }
    for (gi, group) in m.key_groups.iter().enumerate() {
        if group.keys.is_empty() && m.key_groups.len() > 1 {
            out.push(meta_finding(
                doc,
                file,
                "key_groups",
                format!("key group {gi} has no keys: its Shamir share cannot be recovered"),
            ));
        }
        // Problems that make one key unusable: fatal only when no key of the group is left (sops
        // tries every key of a group; one that opens is enough).
        let mut unusable: Vec<Finding> = Vec::new();
        let mut usable = 0usize;
        for k in &group.keys {
            let field = k.kind.field();
            let kf = |msg: String| {
                at(
                    finding(doc, "metadata", msg).key_path(format!("sops.{field}")),
                    k.pos,
                )
                .hint(format!(
                    "restore the metadata from git, or re-wrap the data key with `sops updatekeys {}`",
                    quoted_path(doc)
                ))
            };
            let before = unusable.len();
            if k.enc.trim().is_empty() {
                unusable.push(kf(format!(
                    "the `{field}` key {} has an empty `enc`: it does not wrap the data key",
                    sanitize(&k.id)
                )));
            } else if k.kind == KeyKind::Age {
                if let Some(p) = age_armor_problem(&k.enc) {
                    unusable.push(kf(format!(
                        "the `enc` of age recipient {} is not an armored age file: {p}",
                        sanitize(&k.id)
                    )));
                }
            } else if k.kind == KeyKind::Pgp
                && !k
                    .enc
                    .trim_start()
                    .starts_with("-----BEGIN PGP MESSAGE-----")
            {
                unusable.push(kf(format!(
                    "the `enc` of pgp key {} is not an armored PGP message",
                    sanitize(&k.id)
                )));
            }
            if unusable.len() == before {
                usable += 1;
            }
            if k.kind == KeyKind::Age {
                if k.id.trim().is_empty() {
                    out.push(
                        kf(
                            "an `age` entry has no `recipient` (sops does not need it to decrypt)"
                                .into(),
                        )
                        .severity(Severity::Warning),
                    );
                }
                continue;
            }
            // Every other kind needs an RFC 3339 `created_at`, or sops refuses to load the file.
            match k.created_at.as_deref() {
                Some(t) if gotime::parse_rfc3339(t).is_some() => {}
                Some(t) => out.push(kf(format!(
                    "`created_at` `{}` of the `{field}` key {} is not RFC 3339: sops cannot load the file",
                    sanitize(&t.chars().take(40).collect::<String>()),
                    sanitize(&k.id)
                ))),
                None => out.push(kf(format!(
                    "the `{field}` key {} has no `created_at`: sops cannot load the file",
                    sanitize(&k.id)
                ))),
            }
        }
        for f in unusable {
            out.push(if usable > 0 {
                let mut f = f.severity(Severity::Warning);
                f.message.push_str(
                    " (another key of its group still opens the file, but not for whoever holds this one)",
                );
                f
            } else {
                f
            });
        }
    }
    let groups = m.key_groups.len() as u64;
    if groups > 1 {
        match m.shamir_threshold {
            Some(t) if t > groups => out.push(meta_finding(
                doc,
                file,
                "shamir_threshold",
                format!(
                    "`shamir_threshold` is {t} but there are only {groups} key groups: the data key can never be recovered"
                ),
            )),
            Some(1) => out.push(
                meta_finding(
                    doc,
                    file,
                    "shamir_threshold",
                    format!("`shamir_threshold` is 1 with {groups} key groups: sops needs at least 2 shares to combine"),
                )
                .severity(Severity::Warning),
            ),
            _ => {}
        }
    } else if let Some(t) = m.shamir_threshold
        && t > 1
        && file.store != Store::Binary
    {
        // One group: sops ignores the threshold. Nothing to report.
    }
}

/// Walk the tree with the file's selector and judge every value.
fn values(doc: &Document, file: &SopsFile, rule: &Rule, out: &mut Vec<Finding>) {
    let mut reported = 0usize;
    let mut suppressed = 0usize;
    let multi = file.branches.len() > 1;
    let selector_hint = hint_for(doc, file);
    walk::walk(&file.branches, rule, &mut |v| {
        let doc_note = if multi {
            format!(" (document {})", v.branch + 1)
        } else {
            String::new()
        };
        let key_path = if v.path.is_empty() {
            "(top level)".to_string()
        } else {
            sanitize(&v.key_path())
        };
        let mut push = |f: Finding| {
            if f.is_error() && matches!(f.rule, "clear-value" | "bad-enc") {
                if reported >= MAX_VALUE_FINDINGS {
                    suppressed += 1;
                    return;
                }
                reported += 1;
            }
            out.push(f);
        };
        match v.kind {
            VisitKind::Leaf(leaf) => {
                let pos = leaf.pos;
                if v.encrypted {
                    match &leaf.value {
                        Scalar::Null => {}
                        Scalar::Str(b) if b.is_empty() => {}
                        Scalar::Str(b) if enc::looks_encrypted(b) => {
                            let text = String::from_utf8_lossy(b);
                            // Any type is fine here, `comment` too: sops writes a comment inside a
                            // YAML sequence as an item `- ENC[...,type:comment]`.
                            if let Err(e) = enc::parse(&text) {
                                push(at(
                                    finding(doc, "bad-enc", format!("`{key_path}`{doc_note}: malformed ENC[...] value: {e}"))
                                        .key_path(key_path.clone())
                                        .hint("the ciphertext was edited or truncated: restore the value from git or set it again with `sops edit`"),
                                    pos,
                                ));
                            }
                        }
                        Scalar::Str(b) => push(at(
                            finding(
                                doc,
                                "clear-value",
                                format!(
                                    "`{key_path}`{doc_note} must be encrypted but holds clear text ({} bytes)",
                                    b.len()
                                ),
                            )
                            .key_path(key_path.clone())
                            .hint(selector_hint.clone()),
                            pos,
                        )),
                        other => push(at(
                            finding(
                                doc,
                                "clear-value",
                                format!(
                                    "`{key_path}`{doc_note} must be encrypted but holds a clear {} (sops: Expected encrypted value as string)",
                                    type_name(other)
                                ),
                            )
                            .key_path(key_path.clone())
                            .hint(selector_hint.clone()),
                            pos,
                        )),
                    }
                } else {
                    match &leaf.value {
                        Scalar::Str(b) if b.starts_with(enc::PREFIX.as_bytes()) => push(at(
                            finding(
                                doc,
                                "enc-where-clear",
                                format!(
                                    "`{key_path}`{doc_note} holds an ENC[...] value, but the file's selector ({}) keeps it clear: sops will not decrypt it",
                                    selector_name(file)
                                ),
                            )
                            .severity(Severity::Warning)
                            .key_path(key_path.clone())
                            .hint("the value was probably copied from another file or key; set it again with `sops edit`"),
                            pos,
                        )),
                        Scalar::Uint(_) if !file.metadata.mac_only_encrypted => push(at(
                            finding(
                                doc,
                                "malformed",
                                format!("`{key_path}`{doc_note} is an integer above 2^63-1: sops cannot process it (Cannot walk value, unknown type: uint64)"),
                            )
                            .key_path(key_path.clone())
                            .hint("quote the number to make it a string"),
                            pos,
                        )),
                        _ => {}
                    }
                }
            }
            VisitKind::Comment(c) => {
                if v.encrypted
                    && c.text.starts_with("ENC[")
                    && let Err(e) = enc::parse(&c.text)
                {
                    push(at(
                            finding(doc, "bad-enc", format!("an encrypted comment under `{key_path}`{doc_note} is malformed: {e} (sops keeps it as it is)"))
                                .severity(Severity::Warning)
                                .hint("delete the comment or restore it from git"),
                            c.pos,
                        ));
                }
            }
        }
    });
    if suppressed > 0 {
        out.push(
            finding(
                doc,
                "clear-value",
                format!("{suppressed} more values are clear text or malformed ciphertext where sops expects ENC[...] (not listed)"),
            )
            .hint(hint_for(doc, file)),
        );
    }
}

fn type_name(s: &Scalar) -> &'static str {
    match s {
        Scalar::Null => "null",
        Scalar::Str(_) => "string",
        Scalar::Int(_) | Scalar::Uint(_) => "integer",
        Scalar::Float(_) => "float",
        Scalar::Bool(_) => "boolean",
        Scalar::Time(_) => "timestamp",
    }
}

fn selector_name(file: &SopsFile) -> String {
    let s = file.metadata.selector();
    let v = match &s {
        crate::sops::Selector::UnencryptedSuffix(v)
        | crate::sops::Selector::EncryptedSuffix(v)
        | crate::sops::Selector::UnencryptedRegex(v)
        | crate::sops::Selector::EncryptedRegex(v)
        | crate::sops::Selector::UnencryptedCommentRegex(v)
        | crate::sops::Selector::EncryptedCommentRegex(v) => v,
    };
    format!("{}: {}", s.field(), sanitize(v))
}

fn hint_for(doc: &Document, file: &SopsFile) -> String {
    format!(
        "a clear value was added to an encrypted file by hand: set it with `sops edit {}` so it is encrypted; values meant to stay clear must match the file's selector ({})",
        quoted_path(doc),
        selector_name(file)
    )
}
