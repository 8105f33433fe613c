//! The dotenv store (spec §9.3), read exactly as sops' `stores/dotenv` reads it.
//!
//! * The input is split on `\n` only (a `\r` stays in the key/value/comment); empty lines are dropped.
//! * A line starting with `#` is a comment: [`Entry::Comment`] with the text after the `#` (a
//!   leading space is kept).
//! * Every other line must contain `=`: key = the bytes before the first `=` (no trimming, may be
//!   empty), value = the bytes after it (no trimming, no quote handling) with every two-character
//!   `\n` sequence turned into a newline. All values are [`Scalar::Str`].
//! * `sops_*` keys (the flattened metadata) are returned as ordinary pairs.
//!
//! sops accepts arbitrary bytes; values stay raw bytes here too, but keys and comments must be
//! UTF-8 (the tree holds them as `String`), otherwise the file is malformed. Error messages never
//! quote the offending line (it may hold a secret).

use crate::sops::{Comment, Entry, Leaf, Node, Pos, Scalar, SopsError};

/// Parse a dotenv file into its top-level entries (metadata included, as flat `sops_*` pairs).
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, SopsError> {
    let mut entries = Vec::new();
    for (n, line) in bytes.split(|&c| c == b'\n').enumerate() {
        let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let at = |column: u32| Pos {
            line: line_no,
            column,
        };
        match line.first() {
            None => continue,
            Some(b'#') => {
                let text = utf8(line.get(1..).unwrap_or_default(), "comment", at(1))?;
                entries.push(Entry::Comment(Comment { text, pos: at(1) }));
            }
            Some(_) => {
                let Some(eq) = memchr::memchr(b'=', line) else {
                    return Err(SopsError::Malformed {
                        message:
                            "invalid dotenv input line: no '=' (expected KEY=VALUE or a # comment)"
                                .to_string(),
                        pos: Some(at(1)),
                    });
                };
                let key_bytes = line.get(..eq).unwrap_or_default();
                let key = utf8(key_bytes, "key", at(1))?;
                let value_col = u32::try_from(key.chars().count() + 2).unwrap_or(u32::MAX);
                let value = unescape_newlines(line.get(eq + 1..).unwrap_or_default());
                entries.push(Entry::Pair {
                    key,
                    key_pos: at(1),
                    value: Node::Leaf(Leaf {
                        value: Scalar::Str(value),
                        pos: at(value_col),
                    }),
                });
            }
        }
    }
    Ok(entries)
}

/// `bytes` as a `String`, or a Malformed error naming `what` at `pos`.
fn utf8(bytes: &[u8], what: &str, pos: Pos) -> Result<String, SopsError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| SopsError::Malformed {
        message: format!("dotenv {what} is not valid UTF-8"),
        pos: Some(pos),
    })
}

/// Replace every two-byte `\n` sequence with a newline, left to right (Go `strings.Replace`).
fn unescape_newlines(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len());
    let mut rest = v;
    while let Some(i) = memchr::memchr(b'\\', rest) {
        out.extend_from_slice(rest.get(..i).unwrap_or_default());
        if rest.get(i + 1) == Some(&b'n') {
            out.push(b'\n');
            rest = rest.get(i + 2..).unwrap_or_default();
        } else {
            out.push(b'\\');
            rest = rest.get(i + 1..).unwrap_or_default();
        }
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &[u8]) -> Vec<Entry> {
        match parse(s) {
            Ok(e) => e,
            Err(e) => panic!("parse failed: {e:?}"),
        }
    }

    fn pair(e: &Entry) -> (&str, Pos, &[u8], Pos) {
        match e {
            Entry::Pair {
                key,
                key_pos,
                value:
                    Node::Leaf(Leaf {
                        value: Scalar::Str(v),
                        pos,
                    }),
            } => (key, *key_pos, v, *pos),
            other => panic!("not a string pair: {other:?}"),
        }
    }

    #[test]
    fn pairs_comments_and_empty_lines() {
        let e = p(b"# top\n\nFOO=bar\n#x\nEMPTY=\n\n");
        assert_eq!(e.len(), 4);
        assert_eq!(
            e[0],
            Entry::Comment(Comment {
                text: " top".into(),
                pos: Pos { line: 1, column: 1 }
            })
        );
        assert_eq!(
            pair(&e[1]),
            (
                "FOO",
                Pos { line: 3, column: 1 },
                &b"bar"[..],
                Pos { line: 3, column: 5 }
            )
        );
        let Entry::Comment(c) = &e[2] else { panic!() };
        assert_eq!((c.text.as_str(), c.pos.line), ("x", 4));
        assert_eq!(pair(&e[3]).0, "EMPTY");
        assert_eq!(pair(&e[3]).2, b"");
    }

    #[test]
    fn no_trimming_no_quotes_first_equals() {
        let e = p(b"foo = \"a=b\" \r\n=v\n  #not a comment=1\n");
        assert_eq!(pair(&e[0]).0, "foo ");
        assert_eq!(pair(&e[0]).2, b" \"a=b\" \r");
        assert_eq!(pair(&e[1]).0, "");
        assert_eq!(pair(&e[1]).2, b"v");
        assert_eq!(pair(&e[2]).0, "  #not a comment");
    }

    #[test]
    fn newline_escapes() {
        let e = p(b"A=x\\ny\\\\nz\\t\\\n");
        assert_eq!(pair(&e[0]).2, b"x\ny\\\nz\\t\\");
    }

    #[test]
    fn sops_keys_are_plain_pairs() {
        let e = p(b"sops_version=3.11.0\nsops_age__list_0__map_enc=a\\nb\\n\n");
        assert_eq!(pair(&e[0]).0, "sops_version");
        assert_eq!(pair(&e[1]).2, b"a\nb\n");
    }

    #[test]
    fn line_without_equals_is_malformed() {
        match parse(b"A=1\n\nsecretvalue\n") {
            Err(SopsError::Malformed { message, pos }) => {
                assert!(message.contains("invalid dotenv input line"));
                assert!(!message.contains("secretvalue"));
                assert_eq!(pos, Some(Pos { line: 3, column: 1 }));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_utf8_values_kept_keys_and_comments_rejected() {
        let e = p(b"A=\xff\xfe\n");
        assert_eq!(pair(&e[0]).2, b"\xff\xfe");
        assert!(matches!(
            parse(b"OK=1\n\xff=1\n"),
            Err(SopsError::Malformed {
                pos: Some(Pos { line: 2, .. }),
                ..
            })
        ));
        assert!(matches!(
            parse(b"#\xff\n"),
            Err(SopsError::Malformed {
                pos: Some(Pos { line: 1, .. }),
                ..
            })
        ));
    }

    #[test]
    fn value_column_counts_characters() {
        let e = p("é=1".as_bytes());
        assert_eq!(pair(&e[0]).3, Pos { line: 1, column: 3 });
    }

    #[test]
    fn empty_input() {
        assert!(p(b"").is_empty());
        assert!(p(b"\n\n").is_empty());
    }
}
