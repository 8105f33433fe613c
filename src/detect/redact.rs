//! What may be shown of a secret (a short prefix and its length) and its fingerprint.

use sha2::{Digest, Sha256};

/// The baseline fingerprint of a secret: `<rule-id>:<first 32 hex digits of sha256(rule, secret)>`.
/// The secret is normalised by the caller (PEM bodies: their base64 characters only), so the same
/// key written with CRLF, indented or `\n`-escaped has the same fingerprint. No line number, no path.
pub fn fingerprint(rule: &str, material: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    h.update([0u8]);
    h.update(material);
    let digest = h.finalize();
    let mut out = String::with_capacity(rule.len() + 33);
    out.push_str(rule);
    out.push(':');
    for b in digest.iter().take(16) {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A redacted form of a token: its public prefix (`ghp_`, `AKIA`, ...) plus at most `extra`
/// characters, then `…`. Only printable ASCII is kept, so the result is safe on a terminal.
pub fn prefix(token: &[u8], public: usize, extra: usize) -> String {
    let keep = public.saturating_add(extra).min(token.len() / 4 + public);
    let mut s: String = token
        .iter()
        .take(keep)
        .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
        .collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_shows_little() {
        assert_eq!(prefix(b"ghp_abcdefghijklmnop", 4, 2), "ghp_ab…");
        // Never more than a quarter of the secret beyond the public prefix.
        assert_eq!(prefix(b"abcdefgh", 0, 4), "ab…");
    }

    #[test]
    fn fingerprint_depends_on_rule_and_secret() {
        let a = fingerprint("github-token", b"x");
        assert!(a.starts_with("github-token:"));
        assert_eq!(a.len(), "github-token:".len() + 32);
        assert_ne!(a, fingerprint("github-token", b"y"));
        assert_ne!(a, fingerprint("slack-token", b"x"));
    }
}
