//! The keyful half of `ensure-sops` and its `.sops.yaml` policy: turns a [`Verdict`] into findings,
//! and holds every file to the recipients of the creation rule that covers it.
//!
//! Rule ids (stable): `value-does-not-decrypt`, `mac-mismatch`, `mac-missing`, `mac-does-not-decrypt`,
//! `data-key-broken`, `not-verified` (a note unless verification is required), `verify-malformed`,
//! `recipients-mismatch`, `no-creation-rule`.

use crate::context::Context;
use crate::document::Document;
use crate::finding::{Finding, Severity};
use crate::report::sanitize;
use crate::sops::SopsFile;
use crate::sops::crypto::verify::{Skip, Verdict};
use crate::sops::metadata::KeyKind;
use crate::sops::tree::Pos;

/// The check id the findings carry.
const ID: &str = "ensure-sops";

/// One key group compared: its index, the file's keys (kind, id, position) and the rule's keys.
type GroupPair = (usize, Vec<(KeyKind, String, Pos)>, Vec<(KeyKind, String)>);

/// The key kinds whose identifiers read the same in `.sops.yaml` and in the file's metadata.
const COMPARABLE: [KeyKind; 5] = [
    KeyKind::Age,
    KeyKind::Pgp,
    KeyKind::Kms,
    KeyKind::GcpKms,
    KeyKind::Hckms,
];

fn at(f: Finding, pos: Pos) -> Finding {
    if pos.line == 0 {
        f
    } else {
        f.at(pos.line, pos.column.max(1))
    }
}

fn shell_quote(path: &str) -> String {
    let p = sanitize(path);
    if p.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+@%=:,".contains(c))
    {
        p
    } else {
        format!("'{}'", p.replace('\'', r"'\''"))
    }
}

/// Verify `file` with the run's identities and report the verdict. `structurally_clean`: the keyless
/// checks found no error (a file they already reject is not decrypted). `require_verify`: a file that
/// cannot be verified is an error instead of a note.
pub fn verify_findings(
    doc: &Document,
    file: &SopsFile,
    ctx: &Context,
    structurally_clean: bool,
    require_verify: bool,
    out: &mut Vec<Finding>,
) {
    if !structurally_clean {
        return;
    }
    let verdict = crate::sops::crypto::verify(file, &ctx.identities);
    if let Some(f) = verdict_finding(doc, &verdict, ctx, require_verify) {
        out.push(f);
    }
}

/// The finding for one verdict (`None` when verified).
pub fn verdict_finding(
    doc: &Document,
    verdict: &Verdict,
    ctx: &Context,
    require_verify: bool,
) -> Option<Finding> {
    let new = |rule: &'static str, msg: String| Finding::new(doc.path.clone(), ID, rule, msg);
    let file = shell_quote(&doc.path);
    let restore = format!(
        "restore the last good version (`git checkout -- {file}`), or, if the change was meant, re-encrypt with sops: `sops edit --ignore-mac {file}`, check the values and save (sops writes a new MAC)"
    );
    Some(match verdict {
        Verdict::Verified { .. } => return None,
        Verdict::ValueDoesNotDecrypt {
            key_path,
            pos,
            reason,
        } => at(
            new(
                "value-does-not-decrypt",
                format!("`{}`: {}", sanitize(key_path), sanitize(reason)),
            )
            .key_path(sanitize(key_path))
            .hint(format!(
                "set the value again with sops (`sops set {file} ...` or `sops edit {file}`), or restore the last good version"
            )),
            *pos,
        ),
        Verdict::MacMismatch => new(
            "mac-mismatch",
            "the values do not match the file's MAC: a value was edited by hand or a merge mixed two versions"
                .to_string(),
        )
        .hint(restore),
        Verdict::MacMissing => new(
            "mac-missing",
            "the file has no MAC, so sops refuses to decrypt it".to_string(),
        )
        .hint(restore),
        Verdict::CannotDecryptMac { reason } => new(
            "mac-does-not-decrypt",
            format!(
                "the MAC cannot be checked: {} (`lastmodified` or `mac` was edited by hand)",
                sanitize(reason)
            ),
        )
        .hint(restore),
        Verdict::DataKeyBroken { recipient, reason } => new(
            "data-key-broken",
            format!(
                "the data key wrapped for {} does not open: {}",
                sanitize(recipient),
                sanitize(reason)
            ),
        )
        .hint(format!(
            "restore the last good version, or re-encrypt with a working key (`sops updatekeys {file}`)"
        )),
        Verdict::Malformed { message, pos } => {
            let f = new(
                "verify-malformed",
                format!("cannot verify: {}", sanitize(message)),
            );
            match pos {
                Some(p) => at(f, *p),
                None => f,
            }
        }
        Verdict::CannotVerify { skip, recipients } => {
            let who = if recipients.is_empty() {
                "none of its recipients".to_string()
            } else {
                recipients
                    .iter()
                    .map(|r| sanitize(r))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let why = match skip {
                Skip::NoIdentity if ctx.identities.is_empty() => {
                    "no age identity is set up".to_string()
                }
                Skip::NoIdentity => "no identity at hand opens it".to_string(),
                Skip::NotEnoughShares { opened, needed } => format!(
                    "only {opened} of the {needed} key groups it needs open with the identities at hand"
                ),
            };
            let severity = if require_verify {
                Severity::Error
            } else {
                Severity::Note
            };
            new(
                "not-verified",
                format!("verification skipped: {why} (it needs a key of: {who})"),
            )
            .severity(severity)
            .hint(
                "give an identity of one of those recipients through SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, SOPS_AGE_KEY_CMD or ~/.config/sops/age/keys.txt",
            )
        }
    })
}

/// `.sops.yaml` policy: the file must be encrypted to exactly the recipients of the creation rule that
/// covers it; a file under `secrets/` that no rule covers is a finding. Keyless.
pub fn policy_findings(doc: &Document, file: &SopsFile, ctx: &Context, out: &mut Vec<Finding>) {
    let Some(rules) = ctx.sops_rules.as_ref() else {
        return;
    };
    let path = shell_quote(&doc.path);
    let Some(rule) = rules.rule_for(&doc.rel_path) else {
        if doc.rel_path.starts_with("secrets/") || doc.rel_path.contains("/secrets/") {
            out.push(
                Finding::new(
                    doc.path.clone(),
                    ID,
                    "no-creation-rule",
                    format!(
                        "no creation rule in {} covers this file, so nobody can tell which keys it should be encrypted to",
                        sanitize(&rules.source.display().to_string())
                    ),
                )
                .hint("add a `creation_rules` entry whose `path_regex` matches it (or move the file)"),
            );
        }
        return;
    };
    let meta = &file.metadata;
    let rule_name = match &rule.path_regex {
        Some(r) if !r.is_empty() => format!("creation rule {} (`{}`)", rule.index + 1, sanitize(r)),
        _ => format!("creation rule {} (no path_regex)", rule.index + 1),
    };
    let hint = format!("run `sops updatekeys {path}`");
    // Every finding of this policy: same rule, same hint, at the entry (or block) it is about.
    let mismatch = |pos: Pos, message: String| {
        at(
            Finding::new(doc.path.clone(), ID, "recipients-mismatch", message),
            pos,
        )
        .hint(hint.clone())
    };
    let norm = |kind: KeyKind, s: &str| -> String {
        let s = s.trim();
        match kind {
            KeyKind::Pgp => s.replace(' ', "").to_ascii_uppercase(),
            _ => s.to_string(),
        }
    };
    // A file written with one key group and a rule with one group (or vice versa) is compared as
    // one set per kind; differing numbers of groups is reported once.
    let file_groups = meta
        .key_groups
        .iter()
        .filter(|g| !g.keys.is_empty())
        .count();
    let rule_groups = rule
        .key_groups
        .iter()
        .filter(|g| !g.keys.is_empty())
        .count();
    if file_groups != rule_groups && file_groups > 0 && rule_groups > 0 {
        out.push(mismatch(
            meta.pos,
            format!(
                "the file has {file_groups} key group(s) but {rule_name} in {} lists {rule_groups}",
                sanitize(&rules.source.display().to_string())
            ),
        ));
        return;
    }
    let pairs: Vec<GroupPair> = meta
        .key_groups
        .iter()
        .filter(|g| !g.keys.is_empty())
        .zip(rule.key_groups.iter().filter(|g| !g.keys.is_empty()))
        .enumerate()
        .map(|(i, (fg, rg))| {
            let have = fg
                .keys
                .iter()
                .filter(|k| COMPARABLE.contains(&k.kind))
                .map(|k| (k.kind, norm(k.kind, &k.id), k.pos))
                .collect();
            let want = rg
                .keys
                .iter()
                .filter(|(k, _)| COMPARABLE.contains(k))
                .map(|(k, s)| (*k, norm(*k, s)))
                .collect();
            (i, have, want)
        })
        .collect();
    for (i, have, want) in pairs {
        let group = if file_groups > 1 {
            format!(" (key group {})", i + 1)
        } else {
            String::new()
        };
        for (kind, id, pos) in &have {
            if !want.iter().any(|(k, w)| k == kind && w == id) {
                out.push(mismatch(
                    *pos,
                    format!(
                        "still encrypted to {} {}{group}, which {rule_name} no longer lists: whoever holds that key can still decrypt it",
                        kind.field(),
                        sanitize(id)
                    ),
                ));
            }
        }
        for (kind, id) in &want {
            if !have.iter().any(|(k, h, _)| k == kind && h == id) {
                out.push(mismatch(
                    meta.pos,
                    format!(
                        "not encrypted to {} {}{group}, which {rule_name} lists",
                        kind.field(),
                        sanitize(id)
                    ),
                ));
            }
        }
    }
}
