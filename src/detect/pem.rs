//! PEM blocks: the header, the END marker, and whether what lies between is a key body.
//!
//! A body is judged by its *long runs*: stretches of at least [`LONG_RUN`] base64 characters, broken
//! by whitespace, quotes, string concatenation or escapes (`\n`, `\r`, `\t`; `\/` continues a run).
//! Prose between a header and an END marker has short words; a key has 64-character lines.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

/// A run shorter than this is a word, not key material.
pub const LONG_RUN: usize = 16;
/// With an END marker: at least this many base64 characters in long runs.
const MIN_BODY: usize = 64;
/// Without an END marker (a truncated key): at least this many.
const MIN_BODY_NO_END: usize = 256;
/// At least this many distinct base64 characters (a real body has ~60; `AAAA...` has one).
const MIN_DISTINCT: usize = 20;
/// How far after a header the END marker is looked for.
pub const MAX_BLOCK: usize = 64 * 1024;

/// A PEM private-key block found in a buffer.
#[derive(Debug)]
pub struct Block {
    /// Offset of the header's first dash.
    pub start: usize,
    /// Offset just past the END marker (or the end of the body when it has none).
    pub end: usize,
    /// The header label between `BEGIN ` and `PRIVATE KEY` (`RSA`, `EC`, `OPENSSH`, `` for PKCS#8).
    pub kind: String,
    /// Whether it is an OpenPGP `PRIVATE KEY BLOCK`.
    pub pgp: bool,
    /// The header as written (`-----BEGIN RSA PRIVATE KEY-----`): safe to print.
    pub header: String,
    /// The body's base64 characters (escapes removed): what the fingerprint hashes.
    pub material: Vec<u8>,
}

fn header_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        RegexBuilder::new(r"-{4,5} ?BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY( BLOCK)? ?-{4,5}")
            .unicode(false)
            .build()
            .expect("constant regex")
    })
}

fn end_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        RegexBuilder::new(r"-{4,5} ?END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)? ?-{4,5}")
            .unicode(false)
            .build()
            .expect("constant regex")
    })
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

/// Bytes that may separate body lines: whitespace, quotes, concatenation, commas, YAML block
/// indicators, and the backslash of an escape.
fn is_body_separator(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b'"'
            | b'\''
            | b'`'
            | b'+'
            | b','
            | b';'
            | b'|'
            | b'\\'
            | b'('
            | b')'
    )
}

/// Statistics of a candidate body.
#[derive(Debug)]
struct Stats {
    long: usize,
    seen: [bool; 128],
    distinct: usize,
    material: Vec<u8>,
}

impl Stats {
    fn of(seg: &[u8]) -> Stats {
        let mut st = Stats {
            long: 0,
            seen: [false; 128],
            distinct: 0,
            material: Vec::new(),
        };
        let mut run_start = st.material.len();
        let mut i = 0;
        while let Some(&b) = seg.get(i) {
            if b == b'\\' {
                match seg.get(i + 1) {
                    Some(b'/') => {
                        st.push(b'/');
                        i += 2;
                        continue;
                    }
                    Some(b'n' | b'r' | b't' | b'"' | b'\\') => {
                        st.end_run(&mut run_start);
                        i += 2;
                        continue;
                    }
                    _ => {}
                }
            }
            if is_b64(b) {
                st.push(b);
            } else {
                st.end_run(&mut run_start);
            }
            i += 1;
        }
        st.end_run(&mut run_start);
        st
    }

    fn push(&mut self, b: u8) {
        self.material.push(b);
        if let Some(s) = self.seen.get_mut(usize::from(b))
            && !*s
        {
            *s = true;
            self.distinct += 1;
        }
    }

    /// Close the current run: keep it when long, drop it from the material when short.
    fn end_run(&mut self, run_start: &mut usize) {
        let len = self.material.len() - *run_start;
        if len >= LONG_RUN {
            self.long += len;
        } else {
            self.material.truncate(*run_start);
        }
        *run_start = self.material.len();
    }
}

/// The length of the body-like prefix of `seg` (base64, separators, escapes), for a block without
/// an END marker.
fn bodyish_prefix(seg: &[u8]) -> usize {
    seg.iter()
        .position(|&b| !(is_b64(b) || is_body_separator(b)))
        .unwrap_or(seg.len())
}

/// The private-key block whose header contains offset `hit` (an anchor `PRIVATE KEY`), if its body
/// is key material. `None` for an END marker, a header with no body, prose, placeholders.
pub fn block_at(bytes: &[u8], hit: usize) -> Option<Block> {
    let lo = hit.saturating_sub(48);
    let hi = bytes.len().min(hit.saturating_add(24));
    let win = bytes.get(lo..hi)?;
    let caps = header_re().captures_iter(win).find(|c| {
        c.get(0)
            .is_some_and(|m| lo + m.start() <= hit && hit < lo + m.end())
    })?;
    let whole = caps.get(0)?;
    let start = lo + whole.start();
    let hend = lo + whole.end();
    let kind = caps
        .get(1)
        .map(|m| String::from_utf8_lossy(m.as_bytes()).trim().to_string())
        .unwrap_or_default();
    let pgp = caps.get(2).is_some();
    let header = String::from_utf8_lossy(whole.as_bytes()).into_owned();

    let region = bytes.get(hend..bytes.len().min(hend.saturating_add(MAX_BLOCK)))?;
    // The body ends at the next BEGIN at the latest: another BEGIN before an END means this header
    // has no END of its own. Bounding the region there keeps many headers in a row linear.
    let region = match memchr::memmem::find(region, b"BEGIN ") {
        Some(nb) => region.get(..nb)?,
        None => region,
    };
    let end_m = end_re().find(region);
    let (body, end, min_body) = match end_m {
        Some(m) => (region.get(..m.start())?, hend + m.end(), MIN_BODY),
        None => {
            let n = bodyish_prefix(region);
            (region.get(..n)?, hend + n, MIN_BODY_NO_END)
        }
    };
    let st = Stats::of(body);
    // `EXAMPLE` inside a body is how AWS documentation marks its sample keys; in a real base64
    // body those seven letters occur with odds of about 1 in 10^9.
    if st.long < min_body
        || st.distinct < MIN_DISTINCT
        || memchr::memmem::find(&st.material, b"EXAMPLE").is_some()
    {
        return None;
    }
    Some(Block {
        start,
        end,
        kind,
        pgp,
        header,
        material: st.material,
    })
}

/// Whether a PuTTY private-lines section (the text after `Private-Lines: N`) holds key material.
pub fn putty_material(seg: &[u8]) -> Option<Vec<u8>> {
    let st = Stats::of(seg);
    (st.long >= LONG_RUN && st.distinct >= 12).then_some(st.material)
}

/// A human label for a PEM kind.
pub fn label(kind: &str, pgp: bool) -> String {
    match (kind, pgp) {
        (_, true) => "PGP private key block".to_string(),
        ("", _) => "private key (PKCS#8)".to_string(),
        ("ENCRYPTED", _) => "encrypted private key (PKCS#8)".to_string(),
        ("OPENSSH", _) => "OpenSSH private key".to_string(),
        ("SSH2 ENCRYPTED", _) => "SSH2 private key".to_string(),
        (k, _) => format!("{k} private key"),
    }
}
