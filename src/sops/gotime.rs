//! Go's `time.Parse` for the layouts sops and go-yaml v3 use, and Go's RFC 3339 formatting.
//!
//! Exactness matters: go-yaml decides from these layouts whether a plain scalar is a timestamp
//! (spec §9.1), and sops refuses a file whose `lastmodified` Go cannot parse as RFC 3339 (§7).

/// A parsed instant: civil fields as written, and the zone offset in seconds (`None`: no zone, UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoTime {
    /// Year (4 digits).
    pub year: u32,
    /// Month 1..=12.
    pub month: u32,
    /// Day 1..=31 (checked against the month).
    pub day: u32,
    /// Hour 0..=23.
    pub hour: u32,
    /// Minute 0..=59.
    pub minute: u32,
    /// Second 0..=59.
    pub second: u32,
    /// Nanoseconds.
    pub nanos: u32,
    /// Offset east of UTC in seconds; 0 for `Z` and for no zone.
    pub offset: i32,
}

impl GoTime {
    /// Go `MarshalText` / RFC 3339 nano: fraction with trailing zeros trimmed, `Z` for offset 0.
    pub fn rfc3339_nano(&self) -> String {
        let mut s = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        s.push_str(&self.zone());
        s
    }

    /// Go `Format(time.RFC3339)`: no fraction (what sops uses as the MAC's AAD, §7).
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.zone()
        )
    }

    fn zone(&self) -> String {
        if self.offset == 0 {
            "Z".to_string()
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let abs = self.offset.unsigned_abs();
            format!("{sign}{:02}:{:02}", abs / 3600, (abs / 60) % 60)
        }
    }
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A cursor over the ASCII bytes of the value.
struct Cur<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn peek(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }
    fn digit(&self, k: usize) -> bool {
        self.peek(k).is_some_and(|c| c.is_ascii_digit())
    }
    /// Go `getnum(value, fixed)`: one or two digits (exactly two when `fixed`).
    fn num(&mut self, fixed: bool) -> Option<u32> {
        if !self.digit(0) {
            return None;
        }
        let a = u32::from(self.peek(0)? - b'0');
        if !self.digit(1) {
            if fixed {
                return None;
            }
            self.i += 1;
            return Some(a);
        }
        let b = u32::from(self.peek(1)? - b'0');
        self.i += 2;
        Some(a * 10 + b)
    }
    fn lit(&mut self, c: u8) -> Option<()> {
        if self.peek(0) == Some(c) {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    /// An optional fraction `.ddd` or `,ddd` (any number of digits, 9 kept), as Go's stdSecond /
    /// stdFracSecond9 accept it.
    fn fraction(&mut self) -> u32 {
        let sep = self.peek(0);
        if !(sep == Some(b'.') || sep == Some(b',')) || !self.digit(1) {
            return 0;
        }
        self.i += 1;
        let mut nanos = 0u32;
        let mut n = 0;
        while self.digit(0) {
            if n < 9 {
                nanos = nanos * 10 + u32::from(self.s[self.i] - b'0');
                n += 1;
            }
            self.i += 1;
        }
        while n < 9 {
            nanos *= 10;
            n += 1;
        }
        nanos
    }
    /// Go `Z07:00`: `Z` or `±hh:mm`.
    fn zone(&mut self) -> Option<i32> {
        if self.lit(b'Z').is_some() {
            return Some(0);
        }
        let sign = match self.peek(0)? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        if self.s.len() < self.i + 6 || self.peek(3) != Some(b':') {
            return None;
        }
        self.i += 1;
        let h = self.num(true)?;
        self.lit(b':')?;
        let m = self.num(true)?;
        if h > 24 || m > 60 {
            return None;
        }
        Some(sign * (h as i32 * 3600 + m as i32 * 60))
    }
}

/// Year (4 digits), `-`, month and day with the given fixedness.
fn date(c: &mut Cur<'_>, fixed: bool) -> Option<(u32, u32, u32)> {
    let mut year = 0u32;
    for _ in 0..4 {
        if !c.digit(0) {
            return None;
        }
        year = year * 10 + u32::from(c.peek(0)? - b'0');
        c.i += 1;
    }
    c.lit(b'-')?;
    let month = c.num(fixed)?;
    c.lit(b'-')?;
    let day = c.num(fixed)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return None;
    }
    Some((year, month, day))
}

/// `15:4:5` (hour 1-2 digits; minute and second fixed when `fixed`) plus an optional fraction.
fn clock(c: &mut Cur<'_>, fixed: bool) -> Option<(u32, u32, u32, u32)> {
    let h = c.num(false)?;
    c.lit(b':')?;
    let m = c.num(fixed)?;
    c.lit(b':')?;
    let s = c.num(fixed)?;
    if h >= 24 || m >= 60 || s >= 60 {
        return None;
    }
    let nanos = c.fraction();
    Some((h, m, s, nanos))
}

fn build(d: (u32, u32, u32), t: (u32, u32, u32, u32), offset: i32) -> GoTime {
    GoTime {
        year: d.0,
        month: d.1,
        day: d.2,
        hour: t.0,
        minute: t.1,
        second: t.2,
        nanos: t.3,
        offset,
    }
}

/// Go `time.Parse(time.RFC3339, s)` (the general parser's leniency included: a one-digit hour and a
/// `,` fraction are accepted; a space instead of `T`, a missing zone or a lower-case `z` are not).
pub fn parse_rfc3339(s: &str) -> Option<GoTime> {
    let mut c = Cur {
        s: s.as_bytes(),
        i: 0,
    };
    let d = date(&mut c, true)?;
    c.lit(b'T')?;
    let t = clock(&mut c, true)?;
    let z = c.zone()?;
    c.done().then(|| build(d, t, z))
}

/// go-yaml v3 `parseTimestamp`: the four layouts it tries, in order.
pub fn parse_yaml_timestamp(s: &str) -> Option<GoTime> {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits != 4 || b.get(4) != Some(&b'-') {
        return None;
    }
    // "2006-1-2T15:4:5.999999999Z07:00" and the same with a lower-case "t".
    for sep in [b'T', b't'] {
        let mut c = Cur { s: b, i: 0 };
        let parsed = (|| {
            let d = date(&mut c, false)?;
            c.lit(sep)?;
            let t = clock(&mut c, false)?;
            let z = c.zone()?;
            c.done().then(|| build(d, t, z))
        })();
        if parsed.is_some() {
            return parsed;
        }
    }
    // "2006-1-2 15:4:5.999999999" (UTC).
    let mut c = Cur { s: b, i: 0 };
    let parsed = (|| {
        let d = date(&mut c, false)?;
        c.lit(b' ')?;
        let t = clock(&mut c, false)?;
        c.done().then(|| build(d, t, 0))
    })();
    if parsed.is_some() {
        return parsed;
    }
    // "2006-1-2".
    let mut c = Cur { s: b, i: 0 };
    let d = date(&mut c, false)?;
    c.done().then(|| build(d, (0, 0, 0, 0), 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_as_go_parses_it() {
        let ok = [
            ("2026-11-27T20:56:06Z", "2026-11-27T20:56:06Z"),
            ("2026-11-27T20:56:06+00:00", "2026-11-27T20:56:06Z"),
            ("2026-11-27T20:56:06.999Z", "2026-11-27T20:56:06Z"),
            ("2026-11-27T22:56:06+02:00", "2026-11-27T22:56:06+02:00"),
            ("2026-11-27T2:56:06Z", "2026-11-27T02:56:06Z"),
        ];
        for (input, want) in ok {
            assert_eq!(
                parse_rfc3339(input).map(|t| t.rfc3339()).as_deref(),
                Some(want),
                "{input}"
            );
        }
        for bad in [
            "2026-11-27 20:56:06Z",
            "2026-11-27T20:56:06",
            "2026-11-27t20:56:06Z",
            "2026-02-30T20:56:06Z",
            "2026-11-27T20:56:06z",
            "2026-1-27T20:56:06Z",
            "",
            "2026-11-27T20:56:06Zx",
        ] {
            assert!(parse_rfc3339(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn yaml_timestamps_as_go_yaml_resolves_them() {
        let ok = [
            ("2024-01-01", "2024-01-01T00:00:00Z"),
            ("2024-1-2", "2024-01-02T00:00:00Z"),
            ("2024-01-01T10:00:00.500Z", "2024-01-01T10:00:00.5Z"),
            ("2024-01-01t10:00:00-05:30", "2024-01-01T10:00:00-05:30"),
            ("2024-01-01 1:2:3.25", "2024-01-01T01:02:03.25Z"),
            ("2024-01-01T10:00:00-00:00", "2024-01-01T10:00:00Z"),
        ];
        for (input, want) in ok {
            assert_eq!(
                parse_yaml_timestamp(input)
                    .map(|t| t.rfc3339_nano())
                    .as_deref(),
                Some(want),
                "{input}"
            );
        }
        for bad in [
            "2024-13-01",
            "20240101",
            "2024-01-01T10:00:00",
            "2024-01-01x",
            "12024-01-01",
        ] {
            assert!(parse_yaml_timestamp(bad).is_none(), "{bad}");
        }
    }
}
