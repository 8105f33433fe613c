//! RFC 3339 timestamps as Go's `time` package parses and prints them (spec §3.1, §7): the canonical
//! `lastmodified` used as the MAC's AAD, and the text a `type:time` value hashes as.

/// A parsed RFC 3339 timestamp (Go `time.Parse(time.RFC3339, s)` rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rfc3339 {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    /// Offset in minutes east of UTC.
    offset: i32,
}

fn num(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |acc, d| {
        acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parse `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` as Go does: fixed widths, ranges checked (day within
/// the month), `.` or `,` before up to nine significant fraction digits, upper-case `T` and `Z`.
pub fn parse(s: &str) -> Option<Rfc3339> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let year = num(b.get(0..4)?)?;
    let month = num(b.get(5..7)?)?;
    let day = num(b.get(8..10)?)?;
    let hour = num(b.get(11..13)?)?;
    let minute = num(b.get(14..16)?)?;
    let second = num(b.get(17..19)?)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut rest = b.get(19..)?;
    let mut nanos = 0u32;
    if let Some((&c, tail)) = rest.split_first() {
        if c == b'.' || c == b',' {
            let n = tail.iter().take_while(|d| d.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            let digits = tail.get(..n)?;
            let mut scale = 100_000_000u32;
            for &d in digits.iter().take(9) {
                nanos += u32::from(d - b'0') * scale;
                scale /= 10;
            }
            rest = tail.get(n..)?;
        }
    }
    let offset = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = num(&[*h1, *h2])?;
            let m = num(&[*m1, *m2])?;
            if h > 23 || m > 59 {
                return None;
            }
            let total = i32::try_from(h * 60 + m).ok()?;
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    Some(Rfc3339 {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos,
        offset,
    })
}

impl Rfc3339 {
    fn base(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    fn zone(&self) -> String {
        if self.offset == 0 {
            "Z".to_string()
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let a = self.offset.unsigned_abs();
            format!("{sign}{:02}:{:02}", a / 60, a % 60)
        }
    }

    /// Go `Format(time.RFC3339)`: no fraction, `Z` for a zero offset.
    pub fn rfc3339(&self) -> String {
        format!("{}{}", self.base(), self.zone())
    }

    /// Go `MarshalText` (`RFC3339Nano`): the fraction with trailing zeros trimmed.
    pub fn rfc3339_nano(&self) -> String {
        if self.nanos == 0 {
            return self.rfc3339();
        }
        let frac = format!("{:09}", self.nanos);
        format!(
            "{}.{}{}",
            self.base(),
            frac.trim_end_matches('0'),
            self.zone()
        )
    }
}

/// The AAD sops uses for the MAC: `lastmodified` parsed and re-formatted (spec §7).
pub fn lastmodified_aad(raw: &str) -> Option<String> {
    parse(raw).map(|t| t.rfc3339())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalises_lastmodified_like_sops() {
        let cases = [
            ("2026-11-27T20:56:06Z", Some("2026-11-27T20:56:06Z")),
            ("2026-11-27T20:56:06+00:00", Some("2026-11-27T20:56:06Z")),
            ("2026-11-27T20:56:06-00:00", Some("2026-11-27T20:56:06Z")),
            ("2026-11-27T20:56:06.999Z", Some("2026-11-27T20:56:06Z")),
            (
                "2026-11-27T22:56:06+02:00",
                Some("2026-11-27T22:56:06+02:00"),
            ),
            (
                "2026-11-27T20:56:06,5-07:30",
                Some("2026-11-27T20:56:06-07:30"),
            ),
            ("2026-11-27 20:56:06Z", None),
            ("2026-11-27t20:56:06Z", None),
            ("2026-11-27T20:56:06z", None),
            ("2026-11-27T20:56:06", None),
            ("2026-02-30T00:00:00Z", None),
            ("2024-02-29T00:00:00Z", Some("2024-02-29T00:00:00Z")),
            ("2023-02-29T00:00:00Z", None),
            ("2026-11-27T24:00:00Z", None),
            ("2026-11-27T20:56:60Z", None),
            ("2026-11-27T20:56:06.Z", None),
            ("2026-1-27T20:56:06Z", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(lastmodified_aad(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn formats_nano_text_like_go_marshal_text() {
        let cases = [
            ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"),
            ("2006-01-02T15:04:05+07:06", "2006-01-02T15:04:05+07:06"),
            ("2006-01-02T15:04:05.100Z", "2006-01-02T15:04:05.1Z"),
            (
                "2006-01-02T15:04:05.123456789123+00:00",
                "2006-01-02T15:04:05.123456789Z",
            ),
            ("2006-01-02T15:04:05.000Z", "2006-01-02T15:04:05Z"),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input).unwrap().rfc3339_nano(), want, "{input}");
        }
    }
}
