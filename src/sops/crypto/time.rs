//! The time forms verification needs, on top of the Go time parser the stores use
//! ([`crate::sops::gotime`]): the MAC's AAD (§7) and the typed form of decrypted `type:time` values.

use crate::sops::gotime::{self, GoTime};

/// Parse an RFC 3339 time exactly as Go's `time.Parse(time.RFC3339, s)` does.
pub fn parse(s: &str) -> Option<GoTime> {
    gotime::parse_rfc3339(s)
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
