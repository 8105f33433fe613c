//! Shamir secret sharing over GF(2^8) as sops uses it (HashiCorp Vault's scheme, spec §10.4): each
//! share is the y-bytes followed by one x byte; the secret is the polynomial's value at x = 0.

use zeroize::Zeroizing;

/// Multiply in GF(2^8) with the AES polynomial x^8+x^4+x^3+x+1 (constant time in the operands).
fn mul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0u8;
    for _ in 0..8 {
        p ^= a & 0u8.wrapping_sub(b & 1);
        let hi = a >> 7;
        a = (a << 1) ^ (0x1b & 0u8.wrapping_sub(hi));
        b >>= 1;
    }
    p
}

/// The multiplicative inverse (a^254); `inv(0)` is 0 and is never used.
fn inv(a: u8) -> u8 {
    let mut result = 1u8;
    let mut base = a;
    let mut e = 254u8;
    while e > 0 {
        if e & 1 == 1 {
            result = mul(result, base);
        }
        base = mul(base, base);
        e >>= 1;
    }
    result
}

/// Why shares could not be combined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CombineError {
    /// Fewer than two shares.
    TooFew,
    /// Shares of different lengths, or shorter than two bytes.
    BadLength,
    /// Two shares with the same x coordinate.
    DuplicateX,
}

impl std::fmt::Display for CombineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CombineError::TooFew => "at least two Shamir shares are needed",
            CombineError::BadLength => "the Shamir shares have inconsistent lengths",
            CombineError::DuplicateX => "two Shamir shares have the same x coordinate",
        })
    }
}

/// Recover the secret from shares (Lagrange interpolation at x = 0 over all shares given).
pub fn combine(shares: &[&[u8]]) -> Result<Zeroizing<Vec<u8>>, CombineError> {
    if shares.len() < 2 {
        return Err(CombineError::TooFew);
    }
    let len = shares.first().map_or(0, |s| s.len());
    if len < 2 || shares.iter().any(|s| s.len() != len) {
        return Err(CombineError::BadLength);
    }
    let secret_len = len - 1;
    let xs: Vec<u8> = shares.iter().map(|s| s[secret_len]).collect();
    for (i, a) in xs.iter().enumerate() {
        if xs[i + 1..].contains(a) {
            return Err(CombineError::DuplicateX);
        }
    }
    // Lagrange basis values at 0, shared by every byte.
    let basis: Vec<u8> = xs
        .iter()
        .enumerate()
        .map(|(i, &xi)| {
            xs.iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .fold(1u8, |acc, (_, &xj)| mul(acc, mul(xj, inv(xi ^ xj))))
        })
        .collect();
    let mut secret = Zeroizing::new(vec![0u8; secret_len]);
    for (byte, out) in secret.iter_mut().enumerate() {
        *out = shares
            .iter()
            .zip(&basis)
            .fold(0u8, |acc, (s, &b)| acc ^ mul(s[byte], b));
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_arithmetic_matches_known_values() {
        // FIPS-197 §4.2: {57} • {83} = {c1}; {57} • {13} = {fe}.
        assert_eq!(mul(0x57, 0x83), 0xc1);
        assert_eq!(mul(0x57, 0x13), 0xfe);
        for a in 1..=255u8 {
            assert_eq!(mul(a, inv(a)), 1, "{a}");
        }
    }

    /// Split with a fixed polynomial, then combine every pair and the triple.
    #[test]
    fn recovers_a_secret_split_by_hand() {
        let secret = b"0123456789abcdef0123456789abcdef";
        // Degree-1 polynomial per byte: y = s + c*x, c = byte index + 7.
        let share = |x: u8| -> Vec<u8> {
            let mut v: Vec<u8> = secret
                .iter()
                .enumerate()
                .map(|(i, &s)| s ^ mul(i as u8 + 7, x))
                .collect();
            v.push(x);
            v
        };
        let (a, b, c) = (share(1), share(2), share(3));
        for pair in [[&a, &b], [&a, &c], [&b, &c]] {
            let got = combine(&[pair[0].as_slice(), pair[1].as_slice()]).unwrap();
            assert_eq!(got.as_slice(), secret);
        }
        let got = combine(&[a.as_slice(), b.as_slice(), c.as_slice()]).unwrap();
        assert_eq!(got.as_slice(), secret);
        assert_eq!(combine(&[a.as_slice()]), Err(CombineError::TooFew));
        assert_eq!(
            combine(&[a.as_slice(), a.as_slice()]),
            Err(CombineError::DuplicateX)
        );
        assert_eq!(
            combine(&[a.as_slice(), &b[1..]]),
            Err(CombineError::BadLength)
        );
    }
}
