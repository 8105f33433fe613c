//! The detector engine: finds private keys, tokens and credentials in clear text.
//!
//! One Aho-Corasick automaton over every rule's literal anchors ([`rules::ANCHORS`]) scans each
//! document once; a hit hands a small window around it to that rule's validator (an anchored regex
//! and a placeholder test). Nothing is done per line, and nothing is allocated unless a candidate is
//! confirmed. The detector knows nothing about files: suppression, SOPS files and names are the
//! check's business ([`crate::checks::plaintext_keys`]).

pub mod baseline;
pub mod pem;
pub mod random;
pub mod redact;
pub mod rules;

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::bytes::{Regex, RegexBuilder};

pub use rules::Rule;
use rules::{ANCHORS, Family};

/// A confirmed secret. Carries no secret bytes: a redacted prefix, a length and a fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The rule that found it.
    pub rule: Rule,
    /// Byte offset the finding points at.
    pub start: usize,
    /// Byte offset just past the credential (a PEM block ends at its END marker).
    pub end: usize,
    /// What it is, in words (`RSA private key`, `GitHub token`).
    pub label: String,
    /// The redacted form that may be printed.
    pub shown: String,
    /// The secret's length in bytes.
    pub len: usize,
    /// `rule:hash` (see [`redact::fingerprint`]).
    pub fingerprint: String,
    /// For a key pair: where its secret half is (a keyword hit there is the same credential).
    paired: Option<usize>,
}

/// The compiled detector: the prefilter and every validator's regex, built once per process.
struct Detector {
    ac: AhoCorasick,
    github: Regex,
    aws_id: Regex,
    aws_secret40: Regex,
    aws_keyword: Regex,
    slack: Regex,
    slack_webhook: Regex,
    stripe: Regex,
    google: Regex,
    age: Regex,
    assigned: Regex,
    jwk_member: Regex,
    putty: Regex,
}

fn re(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .expect("constant regex")
}

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| Detector {
        ac: AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(ANCHORS.iter().map(|(a, _)| a))
            .expect("constant anchors"),
        github: re(r"^(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})"),
        aws_id: re(r"^(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}"),
        aws_secret40: re(r"(?:^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"),
        aws_keyword: re(
            r#"^\\?["']?\s*(?::|=|:=|=>)\s*\\?["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        ),
        slack: re(
            r"^(?:xox[bpars]-[0-9]{8,}-[0-9A-Za-z-]{8,}|xoxe(?:\.xox[bp])?-1-[0-9A-Za-z]{40,}|xapp-[0-9]-[A-Z0-9]{8,}-[0-9]{8,}-[a-z0-9]{32,})",
        ),
        slack_webhook: re(
            r"^hooks\.slack\.com/services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/([A-Za-z0-9]{20,32})",
        ),
        stripe: re(r"^[rs]k_(?:live|test)_[0-9A-Za-z]{20,247}"),
        google: re(r"^AIza[0-9A-Za-z_-]{35}"),
        age: re(r"^AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
        assigned: re(
            r#"^(?:_unencrypted)?\\?["']?\]?\s*(?::|=|:=|=>)\s*(?:\\?"([^"\\\r\n]{16,256})\\?"|'([^'\r\n]{16,256})'|([A-Za-z0-9_+/=.-]{16,256}))(?:[\s,;#}\])]|$)"#,
        ),
        jwk_member: re(r#"\\?"([dk])\\?"\s*:\s*\\?"([A-Za-z0-9_-]{16,})\\?""#),
        putty: re(r"^PuTTY-User-Key-File-([23]): ?[A-Za-z0-9@.-]+"),
    })
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether the byte before `at` is not a word byte (or `at` is the start).
fn word_start(bytes: &[u8], at: usize) -> bool {
    at == 0 || bytes.get(at - 1).is_none_or(|&b| !is_word(b))
}

/// Whether the byte at `at` ends a token made of word bytes and `extra` (or `at` is the end).
fn token_end(bytes: &[u8], at: usize, extra: &[u8]) -> bool {
    bytes
        .get(at)
        .is_none_or(|&b| !(is_word(b) || extra.contains(&b)))
}

/// The slice `bytes[at..at+len]`, clamped.
fn window(bytes: &[u8], at: usize, len: usize) -> &[u8] {
    bytes
        .get(at..bytes.len().min(at.saturating_add(len)))
        .unwrap_or(&[])
}

/// Scan a document's bytes and return every confirmed secret, in order of position.
pub fn scan(bytes: &[u8]) -> Vec<Hit> {
    let d = detector();
    let mut hits: Vec<Hit> = Vec::new();
    // Anchors inside a block already reported (a PEM body, a JWK object) are not looked at again.
    let mut covered_until = 0usize;
    // Validators that read a large window (a JWK object, a PuTTY file) do not read it again for
    // every anchor inside it: hostile input with an anchor every few bytes stays linear.
    let mut examined_until = [0usize; 2];
    for m in d.ac.find_iter(bytes) {
        if m.start() < covered_until {
            continue;
        }
        let Some(&(_, family)) = ANCHORS.get(m.pattern().as_usize()) else {
            continue;
        };
        let slot = match family {
            Family::Jwk => Some(0),
            Family::Putty => Some(1),
            _ => None,
        };
        if let Some(i) = slot {
            if examined_until.get(i).is_some_and(|&e| m.start() < e) {
                continue;
            }
            if let Some(e) = examined_until.get_mut(i) {
                *e = examined_end(family, bytes, m.start());
            }
        }
        if family == Family::Jwk {
            // A JWK is examined up to the end of its object: the next object of a key set is not.
            let (found, object_end) = jwk_hit(d, bytes, m.start());
            if let (Some(e), Some(end)) = (examined_until.get_mut(0), object_end) {
                *e = end;
            }
            if let Some((hit, covers)) = found {
                covered_until = covered_until.max(covers);
                hits.push(hit);
            }
            continue;
        }
        let found = match family {
            Family::Pem => pem_hit(bytes, m.start()),
            Family::Base64Pem => base64_pem_hit(bytes, m.start()),
            Family::Putty => putty_hit(d, bytes, m.start()),
            Family::Age => age_hit(d, bytes, m.start()),
            Family::Jwk => None,
            Family::Github => token_hit(d, &d.github, Rule::GithubToken, bytes, m.start()),
            Family::Stripe => token_hit(d, &d.stripe, Rule::StripeSecretKey, bytes, m.start()),
            Family::Google => token_hit(d, &d.google, Rule::GoogleApiKey, bytes, m.start()),
            Family::Slack => token_hit(d, &d.slack, Rule::SlackToken, bytes, m.start()),
            Family::SlackWebhook => slack_webhook_hit(d, bytes, m.start()),
            Family::AwsId => aws_pair_hit(d, bytes, m.start()),
            Family::AwsSecret => aws_keyword_hit(d, bytes, m.end()),
            Family::WebhookSecret => {
                assigned_hit(d, Rule::PangeoForgeWebhookSecret, bytes, m.end())
            }
            Family::ApiKey => assigned_hit(d, Rule::PangeoForgeApiKey, bytes, m.end()),
        };
        if let Some((hit, covers)) = found {
            covered_until = covered_until.max(covers);
            hits.push(hit);
        }
    }
    dedup(&mut hits);
    hits
}

/// One finding per secret: the same fingerprint at the same place (an AWS pair and its keyword
/// assignment both seeing one secret) is reported once.
fn dedup(hits: &mut Vec<Hit>) {
    let paired: Vec<usize> = hits.iter().filter_map(|h| h.paired).collect();
    hits.retain(|h| !(h.rule == Rule::AwsSecretAccessKey && paired.contains(&h.start)));
    hits.sort_by_key(|h| h.start);
    let mut seen: Vec<(usize, String)> = Vec::new();
    hits.retain(|h| {
        let hash = h
            .fingerprint
            .split_once(':')
            .map_or("", |(_, x)| x)
            .to_string();
        let key = (h.start, hash);
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

type Found = Option<(Hit, usize)>;

/// How far a large-window validator reads from an anchor at `at`.
fn examined_end(family: Family, bytes: &[u8], at: usize) -> usize {
    let span = match family {
        Family::Jwk => JWK_FORWARD,
        _ => PUTTY_WINDOW,
    };
    bytes.len().min(at.saturating_add(span))
}

/// How far forward a JWK object is looked for.
const JWK_FORWARD: usize = 32 * 1024;
/// How far into a PuTTY file its private lines are looked for.
const PUTTY_WINDOW: usize = 16 * 1024;

fn pem_hit(bytes: &[u8], at: usize) -> Found {
    let b = pem::block_at(bytes, at)?;
    let rule = if b.pgp {
        Rule::PgpPrivateKey
    } else {
        Rule::PrivateKey
    };
    let hit = Hit {
        rule,
        start: b.start,
        end: b.end,
        label: pem::label(&b.kind, b.pgp),
        shown: b.header.clone(),
        len: b.end - b.start,
        fingerprint: redact::fingerprint(rule.id(), &b.material),
        paired: None,
    };
    Some((hit, b.end))
}

/// A PEM block base64-encoded once more (Kubernetes `Secret` data, kubeconfig `client-key-data`):
/// decode the run that starts with `LS0tLS1CRUdJTi` and look for a private key in it.
fn base64_pem_hit(bytes: &[u8], at: usize) -> Found {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD_NO_PAD;
    // Only at the start of a base64 value: an anchor inside a run is part of that run.
    if at > 0
        && bytes
            .get(at - 1)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    {
        return None;
    }
    let region = window(bytes, at, 3 * pem::MAX_BLOCK / 2);
    // The run may be wrapped (`base64` wraps at 76) and indented; it stops at anything else.
    let mut text: Vec<u8> = Vec::new();
    let mut run_end = 0;
    for (i, &b) in region.iter().enumerate() {
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' {
            text.push(b);
            run_end = i + 1;
        } else if !matches!(b, b'\n' | b'\r' | b' ' | b'\t' | b'=' | b'\\') {
            break;
        }
    }
    text.truncate(text.len() / 4 * 4);
    let decoded = STANDARD_NO_PAD.decode(&text).ok()?;
    let pk = memchr::memmem::find(&decoded, b"PRIVATE KEY")?;
    let b = pem::block_at(&decoded, pk)?;
    let rule = if b.pgp {
        Rule::PgpPrivateKey
    } else {
        Rule::PrivateKey
    };
    let hit = Hit {
        rule,
        start: at,
        end: at + run_end,
        label: format!("{} (base64-encoded PEM)", pem::label(&b.kind, b.pgp)),
        shown: redact::prefix(&text, 14, 0),
        len: run_end,
        fingerprint: redact::fingerprint(rule.id(), &b.material),
        paired: None,
    };
    Some((hit, at + run_end))
}

fn putty_hit(d: &Detector, bytes: &[u8], at: usize) -> Found {
    let win = window(bytes, at, PUTTY_WINDOW);
    let head = d.putty.find(win)?;
    let lines_at = memchr::memmem::find(win, b"Private-Lines:")?;
    let body_start = lines_at + win.get(lines_at..)?.iter().position(|&b| b == b'\n')? + 1;
    let rest = win.get(body_start..)?;
    let body_len = memchr::memmem::find(rest, b"Private-MAC:")
        .or_else(|| memchr::memmem::find(rest, b"Private-Hash:"))
        .unwrap_or(rest.len());
    let material = pem::putty_material(rest.get(..body_len)?)?;
    let end = at + body_start + body_len;
    let rule = Rule::PuttyPrivateKey;
    let version = head.as_bytes().get(20).map_or('?', |&b| b as char);
    let hit = Hit {
        rule,
        start: at,
        end,
        label: format!("PuTTY private key (version {version})"),
        shown: String::from_utf8_lossy(head.as_bytes()).into_owned(),
        len: end - at,
        fingerprint: redact::fingerprint(rule.id(), &material),
        paired: None,
    };
    Some((hit, end))
}

fn age_hit(d: &Detector, bytes: &[u8], at: usize) -> Found {
    let m = d.age.find(window(bytes, at, 80))?;
    let end = at + m.end();
    if !word_start(bytes, at) || !token_end(bytes, end, b"") || !random::bech32_valid(m.as_bytes())
    {
        return None;
    }
    let rule = Rule::AgeSecretKey;
    let hit = Hit {
        rule,
        start: at,
        end,
        label: "age secret key".to_string(),
        shown: redact::prefix(m.as_bytes(), 16, 0),
        len: m.len(),
        fingerprint: redact::fingerprint(rule.id(), m.as_bytes()),
        paired: None,
    };
    Some((hit, end))
}

/// The bounds of the innermost `{...}` around `at`, looked for within a few KB.
fn enclosing_object(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let lo = at.saturating_sub(8 * 1024);
    let before = bytes.get(lo..at)?;
    let mut depth = 0usize;
    let mut open = None;
    for (i, &b) in before.iter().enumerate().rev() {
        match b {
            b'}' => depth += 1,
            b'{' if depth == 0 => {
                open = Some(lo + i);
                break;
            }
            b'{' => depth -= 1,
            _ => {}
        }
    }
    let open = open?;
    let after = window(bytes, at, JWK_FORWARD);
    let mut depth = 0usize;
    for (i, &b) in after.iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' if depth == 0 => return Some((open, at + i + 1)),
            b'}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A JWK with private material around the `"kty"` at `at`, and where its object ends (when found).
fn jwk_hit(d: &Detector, bytes: &[u8], at: usize) -> (Found, Option<usize>) {
    let Some((open, close)) = enclosing_object(bytes, at) else {
        return (None, None);
    };
    let Some(obj) = bytes.get(open..close) else {
        return (None, None);
    };
    let Some(caps) = d.jwk_member.captures_iter(obj).find(|c| {
        c.get(2)
            .is_some_and(|v| random::distinct(v.as_bytes()) >= 10)
    }) else {
        return (None, Some(close));
    };
    let Some(value) = caps.get(2) else {
        return (None, Some(close));
    };
    let member = caps
        .get(1)
        .map_or("d", |m| if m.as_bytes() == b"k" { "k" } else { "d" });
    let rule = Rule::JwkPrivateKey;
    let hit = Hit {
        rule,
        start: open + value.start(),
        end: close,
        label: format!("JSON Web Key with private member \"{member}\""),
        shown: redact::prefix(value.as_bytes(), 0, 2),
        len: value.len(),
        fingerprint: redact::fingerprint(rule.id(), value.as_bytes()),
        paired: None,
    };
    (Some((hit, close)), Some(close))
}

/// The public prefix length of a token (`ghp_`, `github_pat_`, `sk_live_`, `xoxb-`, `AIza`).
fn public_prefix(token: &[u8]) -> usize {
    let first_sep = token
        .iter()
        .position(|&b| b == b'_' || b == b'-')
        .map_or(4, |i| i + 1);
    match token {
        [b'g', b'i', b't', b'h', b'u', b'b', b'_', ..] => 11,
        [b's' | b'r', b'k', b'_', ..] => 8,
        [b'A', b'I', b'z', b'a', ..] => 4,
        _ => first_sep,
    }
}

fn token_hit(d: &Detector, re: &Regex, rule: Rule, bytes: &[u8], at: usize) -> Found {
    let _ = d;
    let m = re.find(window(bytes, at, 300))?;
    let end = at + m.end();
    if !word_start(bytes, at) || !token_end(bytes, end, b"-") {
        return None;
    }
    let token = m.as_bytes();
    let public = public_prefix(token);
    if !random::random_token(token.get(public..)?, 10) {
        return None;
    }
    let label = match rule {
        Rule::GithubToken => "GitHub token",
        Rule::StripeSecretKey => "Stripe secret key",
        Rule::GoogleApiKey => "Google API key",
        _ => "Slack token",
    };
    let hit = Hit {
        rule,
        start: at,
        end,
        label: label.to_string(),
        shown: redact::prefix(token, public, 2),
        len: token.len(),
        fingerprint: redact::fingerprint(rule.id(), token),
        paired: None,
    };
    Some((hit, end))
}

fn slack_webhook_hit(d: &Detector, bytes: &[u8], at: usize) -> Found {
    let caps = d.slack_webhook.captures(window(bytes, at, 120))?;
    let whole = caps.get(0)?;
    let secret = caps.get(1)?;
    let end = at + whole.end();
    if !token_end(bytes, end, b"") || !random::random_token(secret.as_bytes(), 10) {
        return None;
    }
    let rule = Rule::SlackWebhook;
    let hit = Hit {
        rule,
        start: at,
        end,
        label: "Slack webhook URL".to_string(),
        shown: redact::prefix(whole.as_bytes(), "hooks.slack.com/services/".len(), 0),
        len: whole.len(),
        fingerprint: redact::fingerprint(rule.id(), whole.as_bytes()),
        paired: None,
    };
    Some((hit, end))
}

/// An AWS secret access key: 40 base64 characters with all three character classes.
fn aws_secret_like(s: &[u8]) -> bool {
    s.iter().any(u8::is_ascii_lowercase)
        && s.iter().any(u8::is_ascii_uppercase)
        && s.iter().any(u8::is_ascii_digit)
        && random::random_token(s, 15)
}

fn aws_pair_hit(d: &Detector, bytes: &[u8], at: usize) -> Found {
    let id = d.aws_id.find(window(bytes, at, 20))?;
    let end = at + id.end();
    if !word_start(bytes, at)
        || !token_end(bytes, end, b"")
        || random::has_placeholder_word(id.as_bytes())
    {
        return None;
    }
    // The secret key is looked for near the id (a credentials file, a CSV row, two env lines).
    let lo = at.saturating_sub(1024);
    let near = bytes.get(lo..bytes.len().min(end + 1024))?;
    let secret = d
        .aws_secret40
        .captures_iter(near)
        .filter_map(|c| c.get(1))
        .find(|s| aws_secret_like(s.as_bytes()))?;
    let rule = Rule::AwsAccessKey;
    let mut material = id.as_bytes().to_vec();
    material.push(b':');
    material.extend_from_slice(secret.as_bytes());
    let hit = Hit {
        rule,
        start: at,
        end,
        label: "AWS access key pair (key id with its secret access key)".to_string(),
        shown: redact::prefix(id.as_bytes(), 4, 0),
        len: id.len() + secret.len(),
        fingerprint: redact::fingerprint(rule.id(), &material),
        paired: Some(lo + secret.start()),
    };
    Some((hit, end))
}

fn aws_keyword_hit(d: &Detector, bytes: &[u8], at: usize) -> Found {
    let caps = d.aws_keyword.captures(window(bytes, at, 120))?;
    let secret = caps.get(1)?;
    if !aws_secret_like(secret.as_bytes()) {
        return None;
    }
    let rule = Rule::AwsSecretAccessKey;
    let start = at + secret.start();
    let hit = Hit {
        rule,
        start,
        end: at + secret.end(),
        label: "AWS secret access key".to_string(),
        shown: redact::prefix(secret.as_bytes(), 0, 2),
        len: secret.len(),
        fingerprint: redact::fingerprint(rule.id(), secret.as_bytes()),
        paired: None,
    };
    Some((hit, at + secret.end()))
}

/// A secret assigned to a known name (`webhook_secret: ...`, `PANGEO_FORGE_API_KEY=...`) in YAML,
/// JSON, dotenv, INI, TOML or code: a literal value that looks generated, not an expression, an
/// `ENC[...]` value, a template or a placeholder.
fn assigned_hit(d: &Detector, rule: Rule, bytes: &[u8], at: usize) -> Found {
    let caps = d.assigned.captures(window(bytes, at, 320))?;
    let value = caps
        .get(1)
        .or_else(|| caps.get(2))
        .or_else(|| caps.get(3))?;
    if !random::random_value(value.as_bytes()) {
        return None;
    }
    let label = match rule {
        Rule::PangeoForgeApiKey => "PANGEO_FORGE_API_KEY value",
        _ => "GitHub App webhook secret",
    };
    let hit = Hit {
        rule,
        start: at + value.start(),
        end: at + value.end(),
        label: label.to_string(),
        shown: redact::prefix(value.as_bytes(), 0, 2),
        len: value.len(),
        fingerprint: redact::fingerprint(rule.id(), value.as_bytes()),
        paired: None,
    };
    Some((hit, at + value.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_compile() {
        let _ = detector();
        let _ = pem::block_at(b"", 0);
    }

    #[test]
    fn prose_header_is_not_a_key() {
        let text =
            b"Paste your key, which starts with -----BEGIN RSA PRIVATE KEY----- and ends with\n\
-----END RSA PRIVATE KEY-----, into the settings page of the application you are configuring.";
        assert!(scan(text).is_empty());
    }

    #[test]
    fn a_private_jwk_after_a_public_one_in_a_set_is_found() {
        let set = br#"{"keys": [{"kty": "RSA", "e": "AQAB", "n": "u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw"}, {"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "d": "jpsQnnGQmL-YBIffH1136cLyyPfMqmSO4FWVWnIqG5s"}]}"#;
        let hits = scan(set);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits.first().map(|h| h.rule), Some(Rule::JwkPrivateKey));
    }

    #[test]
    fn repeated_anchors_stay_linear() {
        // Megabytes of anchors with no secret: must finish quickly (a quadratic validator would not).
        let mut s = Vec::new();
        for _ in 0..50_000 {
            s.extend_from_slice(
                b"\"kty\" PuTTY-User-Key-File-3: LS0tLS1CRUdJTi PRIVATE KEY BEGIN ",
            );
        }
        let t = std::time::Instant::now();
        assert!(scan(&s).is_empty());
        assert!(
            t.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            t.elapsed()
        );
    }

    #[test]
    fn documentation_example_keys_are_not_keys() {
        let doc = b"\"privateKeyBase64\": \"-----BEGIN RSA PRIVATE KEY-----EXAMPLETCCAfICCQD6m7oRw0uXOjANBgkqhkiG9w0BAQUFADCBiDELMAkGA1UEBhMC\\nVVMxCzAJBgNVBAgTAldBMRAwDgYDVQQHEwdTZWF0dGxlMQ8wDQYDVQQKEwZBbWF6\\n-----END RSA PRIVATE KEY-----\"";
        assert!(scan(doc).is_empty(), "{:?}", scan(doc));
        let real = String::from_utf8_lossy(doc).replace("EXAMPLE", "MIIBOgI");
        assert_eq!(scan(real.as_bytes()).len(), 1);
    }

    #[test]
    fn keyword_rules_skip_expressions() {
        let code = b"webhook_secret = get_config().github_app.webhook_secret\n\
PANGEO_FORGE_API_KEY = fastapi_config.PANGEO_FORGE_API_KEY\n\
x = {\"webhook_secret\": secrets.token_hex(20)}\n\
PANGEO_FORGE_API_KEY: ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]\n";
        assert!(scan(code).is_empty(), "{:?}", scan(code));
        let env = b"PANGEO_FORGE_API_KEY=3f9c2a7d1e8b4c6a9f0d2e4b6a8c1e3f\n";
        let hits = scan(env);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits.first().map(|h| h.rule), Some(Rule::PangeoForgeApiKey));
    }
}
