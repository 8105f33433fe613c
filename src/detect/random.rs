//! Cheap tests that tell a real secret from a placeholder: character classes, distinct characters,
//! placeholder words, repeated and sequential runs; and the bech32 checksum of age secret keys.

/// Words that mark a value as an example or a placeholder, matched case-insensitively.
const PLACEHOLDER_WORDS: [&str; 14] = [
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "your",
    "dummy",
    "redacted",
    "xxxx",
    "sample",
    "insert",
    "replace",
    "fake",
    "notreal",
];

/// Whether `s` contains one of the placeholder words (ASCII case-insensitive).
pub fn has_placeholder_word(s: &[u8]) -> bool {
    PLACEHOLDER_WORDS.iter().any(|w| {
        let w = w.as_bytes();
        s.windows(w.len()).any(|win| win.eq_ignore_ascii_case(w))
    })
}

/// The number of distinct bytes in `s`.
pub fn distinct(s: &[u8]) -> usize {
    let mut seen = [false; 256];
    let mut n = 0;
    for &b in s {
        let slot = &mut seen[usize::from(b)];
        if !*slot {
            *slot = true;
            n += 1;
        }
    }
    n
}

/// The longest run of one repeated byte, and the longest run of consecutive ascending bytes
/// (`abcdef`, `123456`).
fn runs(s: &[u8]) -> (usize, usize) {
    let (mut same, mut best_same, mut seq, mut best_seq) = (1usize, 0usize, 1usize, 0usize);
    let mut prev: Option<u8> = None;
    for &b in s {
        if let Some(p) = prev {
            same = if p == b { same + 1 } else { 1 };
            seq = if p.wrapping_add(1) == b { seq + 1 } else { 1 };
        }
        best_same = best_same.max(same);
        best_seq = best_seq.max(seq);
        prev = Some(b);
    }
    (best_same, best_seq)
}

/// Whether a token that already matched a rule's shape (a fixed prefix and a random part) looks like
/// a real generated value rather than a placeholder: enough distinct characters, at least two
/// character classes, no long repeated or sequential run, no placeholder word.
pub fn random_token(part: &[u8], min_distinct: usize) -> bool {
    let lower = part.iter().any(u8::is_ascii_lowercase);
    let upper = part.iter().any(u8::is_ascii_uppercase);
    let digit = part.iter().any(u8::is_ascii_digit);
    let classes = usize::from(lower) + usize::from(upper) + usize::from(digit);
    let (same, seq) = runs(part);
    classes >= 2
        && distinct(part) >= min_distinct
        && same < 5
        && seq < 6
        && !has_placeholder_word(part)
}

/// Whether a value assigned to a secret-looking key (a webhook secret, an API key) looks generated:
/// like [`random_token`], and also at least two digits (hex and generated tokens have many; code
/// identifiers and words have none).
pub fn random_value(value: &[u8]) -> bool {
    let digits = value.iter().filter(|b| b.is_ascii_digit()).count();
    value.len() >= 16 && digits >= 2 && random_token(value, 8)
}

/// The bech32 character set, in value order.
const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Whether `s` (e.g. `AGE-SECRET-KEY-1...`, any case, not mixed) is a bech32 string with a valid
/// checksum. age uses plain bech32 (constant 1) without the 90-character limit.
pub fn bech32_valid(s: &[u8]) -> bool {
    let Some(sep) = s.iter().rposition(|&b| b == b'1') else {
        return false;
    };
    let (hrp, rest) = s.split_at(sep);
    let data = rest.get(1..).unwrap_or(&[]);
    if hrp.is_empty() || data.len() < 6 {
        return false;
    }
    let mut values = Vec::with_capacity(data.len());
    for &c in data {
        let lc = c.to_ascii_lowercase();
        match BECH32.iter().position(|&x| x == lc) {
            Some(v) => values.push(v as u8),
            None => return false,
        }
    }
    let hrp_lc: Vec<u8> = hrp.iter().map(u8::to_ascii_lowercase).collect();
    let expanded = hrp_lc
        .iter()
        .map(|c| c >> 5)
        .chain(std::iter::once(0))
        .chain(hrp_lc.iter().map(|c| c & 31))
        .chain(values.iter().copied());
    bech32_polymod(expanded) == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_random() {
        assert!(!random_token(b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 10));
        assert!(!random_token(b"YOUR_TOKEN_HERE_0123456789", 10));
        assert!(!random_token(b"abcdefghijklmnopqrstuvwxyz0123456789", 10));
        assert!(random_token(b"R8ue3Kp0dZqLw7Vx2mNbT5cYh1GjSa4fEo9X", 10));
    }

    #[test]
    fn values_need_digits() {
        assert!(!random_value(b"self.webhook_secret"));
        assert!(!random_value(b"fastapi_config.PANGEO_FORGE_API_KEY"));
        assert!(random_value(b"3f9c2a7d1e8b4c6a9f0d2e4b6a8c1e3f"));
    }

    #[test]
    fn bech32_checksum() {
        // The BIP-173 test vector.
        assert!(bech32_valid(b"A12UEL5L"));
        assert!(bech32_valid(
            b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"
        ));
        assert!(!bech32_valid(
            b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx"
        ));
    }
}
