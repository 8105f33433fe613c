//! The JSON store (spec §9.2), read the way sops' `encoding/json` token decoder reads it.
//!
//! A small hand-written recursive-descent parser: unlike `serde_json` it keeps **duplicate keys**
//! (sops walks a token stream, so every duplicate is a separate tree entry) and the **int-vs-float
//! literal kind** of numbers:
//!
//! * an integer literal (no fraction, no exponent) that fits `i64` → [`Scalar::Int`] (sops ≥ 3.13.2
//!   treats it as int; sops ≤ 3.13.1 as the float64 `i as f64`, which the MAC code can derive);
//! * any other number (`1.0`, `1e3`, an integer beyond `i64`) → [`Scalar::Float`]; a number whose
//!   magnitude overflows `f64` is an error, as in Go's `strconv.ParseFloat`.
//!
//! Strings get full JSON escape handling; surrogate pairs combine, and a lone surrogate becomes
//! U+FFFD exactly as Go's decoder does. The grammar is strict RFC 8259 (as Go's scanner). Positions
//! are 1-based lines and 1-based columns counted in characters.
//!
//! Deviations from sops, all failing closed: non-UTF-8 input is rejected (Go would silently replace
//! the bad bytes with U+FFFD); content after the top-level object is rejected (sops stops reading at
//! the closing brace and ignores it, which could hide clear text); nesting deeper than
//! [`MAX_DEPTH`] is rejected (Go allows 10000).

use crate::sops::{Entry, Item, Leaf, Node, Pos, Scalar, SopsError};

/// The deepest nesting of objects/arrays accepted.
pub const MAX_DEPTH: usize = 256;

/// Parse a JSON file into its top-level entries (metadata included, as stored: a `sops` pair).
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, SopsError> {
    if let Err(e) = std::str::from_utf8(bytes) {
        let off = e.valid_up_to();
        let mut p = Parser::new(bytes);
        p.advance_lines_to(off);
        return Err(p.err_at("the JSON file is not valid UTF-8", off));
    }
    let mut p = Parser::new(bytes);
    p.skip_ws();
    match p.peek() {
        None => return Err(p.err("empty JSON document: SOPS needs a top-level object")),
        Some(b'{') => {}
        Some(_) => {
            return Err(
                p.err("SOPS only supports JSON files with a top-level object (starting with '{')")
            );
        }
    }
    let entries = p.object(1)?;
    p.skip_ws();
    if p.peek().is_some() {
        return Err(p.err("unexpected content after the top-level JSON object"));
    }
    Ok(entries)
}

/// A cursor over the input that tracks line and (character) column.
struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    line: u32,
    line_start: usize,
    /// Column cache on the current line: byte offset and its 1-based column.
    col_off: usize,
    col: u32,
}

impl<'a> Parser<'a> {
    fn new(b: &'a [u8]) -> Self {
        Parser {
            b,
            i: 0,
            line: 1,
            line_start: 0,
            col_off: 0,
            col: 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Count the newlines before `off` (used only for the error position of bad UTF-8).
    fn advance_lines_to(&mut self, off: usize) {
        let end = off.min(self.b.len());
        for (k, &c) in self.b.get(..end).unwrap_or_default().iter().enumerate() {
            if c == b'\n' {
                self.line = self.line.saturating_add(1);
                self.line_start = k + 1;
            }
        }
    }

    /// The position of byte offset `off`, which must be on the current line and not before the
    /// previous call's offset (tokens are visited in order, so the column count is linear).
    fn pos_of(&mut self, off: usize) -> Pos {
        if self.col_off < self.line_start || off < self.col_off {
            self.col_off = self.line_start;
            self.col = 1;
        }
        let seg = self.b.get(self.col_off..off).unwrap_or_default();
        let n = seg.iter().filter(|&&c| (c & 0xC0) != 0x80).count();
        self.col = self
            .col
            .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        self.col_off = off;
        Pos {
            line: self.line,
            column: self.col,
        }
    }

    fn pos(&mut self) -> Pos {
        self.pos_of(self.i)
    }

    fn err(&mut self, message: &str) -> SopsError {
        let pos = self.pos();
        SopsError::Malformed {
            message: message.to_string(),
            pos: Some(pos),
        }
    }

    fn err_at(&mut self, message: &str, off: usize) -> SopsError {
        let pos = self.pos_of(off);
        SopsError::Malformed {
            message: message.to_string(),
            pos: Some(pos),
        }
    }

    /// Skip JSON whitespace (space, tab, CR, LF), counting lines.
    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    self.line = self.line.saturating_add(1);
                    self.line_start = self.i;
                }
                _ => break,
            }
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), SopsError> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    /// Parse an object; the cursor is on `{`.
    fn object(&mut self, depth: usize) -> Result<Vec<Entry>, SopsError> {
        if depth > MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        self.i += 1; // `{`
        let mut entries = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(entries);
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a string object key"));
            }
            let key_pos = self.pos();
            let raw = self.string()?;
            let key =
                String::from_utf8(raw).map_err(|_| self.err("object key is not valid UTF-8"))?;
            self.expect(b':', "expected ':' after object key")?;
            let value = self.value(depth)?;
            entries.push(Entry::Pair {
                key,
                key_pos,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(entries);
                }
                _ => return Err(self.err("expected ',' or '}' after object value")),
            }
        }
    }

    /// Parse an array; the cursor is on `[`.
    fn array(&mut self, depth: usize) -> Result<Vec<Item>, SopsError> {
        if depth > MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        self.i += 1; // `[`
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(items);
        }
        loop {
            let node = self.value(depth)?;
            items.push(Item::Node(node));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(items);
                }
                _ => return Err(self.err("expected ',' or ']' after array element")),
            }
        }
    }

    /// Parse any value; `depth` is the nesting of the container holding it.
    fn value(&mut self, depth: usize) -> Result<Node, SopsError> {
        self.skip_ws();
        let pos = self.pos();
        let leaf = |value| Node::Leaf(Leaf { value, pos });
        match self.peek() {
            Some(b'{') => Ok(Node::Map(self.object(depth + 1)?)),
            Some(b'[') => Ok(Node::Seq(self.array(depth + 1)?)),
            Some(b'"') => Ok(leaf(Scalar::Str(self.string()?))),
            Some(b't') => self.literal(b"true").map(|()| leaf(Scalar::Bool(true))),
            Some(b'f') => self.literal(b"false").map(|()| leaf(Scalar::Bool(false))),
            Some(b'n') => self.literal(b"null").map(|()| leaf(Scalar::Null)),
            Some(b'-' | b'0'..=b'9') => self.number().map(leaf),
            Some(_) => Err(self.err("invalid character looking for beginning of value")),
            None => Err(self.err("unexpected end of JSON input")),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), SopsError> {
        if self.b.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.err("invalid literal (expected true, false or null)"))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    /// Parse a number with the strict JSON grammar, keeping the literal kind.
    fn number(&mut self) -> Result<Scalar, SopsError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err("invalid number: expected a digit")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err("invalid number: expected a digit after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number: expected a digit in the exponent"));
            }
        }
        let text = self
            .b
            .get(start..self.i)
            .and_then(|s| std::str::from_utf8(s).ok())
            .unwrap_or_default();
        if integer && let Ok(n) = text.parse::<i64>() {
            return Ok(Scalar::Int(n));
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Scalar::Float(f)),
            _ => Err(self.err_at("number out of range for a float64", start)),
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let s = self.b.get(at..at + 4)?;
        let mut v = 0u32;
        for &c in s {
            let d = (c as char).to_digit(16)?;
            v = v * 16 + d;
        }
        Some(v)
    }

    /// Parse a string; the cursor is on the opening quote. Returns the decoded bytes (UTF-8).
    fn string(&mut self) -> Result<Vec<u8>, SopsError> {
        self.i += 1; // opening quote
        let mut out = Vec::new();
        loop {
            // Copy the run of ordinary bytes in one go.
            let run_start = self.i;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.extend_from_slice(self.b.get(run_start..self.i).unwrap_or_default());
            match self.peek() {
                None => return Err(self.err("unexpected end of JSON input in a string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => return Err(self.err("invalid control character in a string")),
            }
        }
    }

    /// Decode one escape sequence; the cursor is on the backslash.
    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), SopsError> {
        let c = match self.b.get(self.i + 1) {
            Some(&c) => c,
            None => return Err(self.err("unexpected end of JSON input in a string")),
        };
        let simple = match c {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(0x08),
            b'f' => Some(0x0C),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            self.i += 2;
            return Ok(());
        }
        if c != b'u' {
            return Err(self.err("invalid escape sequence in a string"));
        }
        let Some(r) = self.hex4(self.i + 2) else {
            return Err(self.err("invalid \\u escape in a string"));
        };
        self.i += 6;
        let mut ch = char::from_u32(r);
        if (0xD800..0xE000).contains(&r) {
            // Go: a surrogate combines with a directly following `\uXXXX` low surrogate, else U+FFFD.
            ch = None;
            if r < 0xDC00
                && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                && let Some(r2) = self.hex4(self.i + 2)
                && (0xDC00..0xE000).contains(&r2)
            {
                ch = char::from_u32(0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00));
                self.i += 6;
            }
        }
        let ch = ch.unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<Entry> {
        match parse(s.as_bytes()) {
            Ok(e) => e,
            Err(e) => panic!("parse failed: {e:?}"),
        }
    }

    fn err(s: &[u8]) -> (String, Option<Pos>) {
        match parse(s) {
            Err(SopsError::Malformed { message, pos }) => (message, pos),
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    fn leaf(n: &Node) -> &Scalar {
        match n {
            Node::Leaf(l) => &l.value,
            other => panic!("not a leaf: {other:?}"),
        }
    }

    fn pair(e: &Entry) -> (&str, Pos, &Node) {
        match e {
            Entry::Pair {
                key,
                key_pos,
                value,
            } => (key, *key_pos, value),
            other => panic!("not a pair: {other:?}"),
        }
    }

    #[test]
    fn keys_in_order_with_duplicates() {
        let e = p(r#"{"b": 1, "a": 2, "b": 3}"#);
        let keys: Vec<_> = e.iter().map(|x| pair(x).0).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert_eq!(leaf(pair(&e[2]).2), &Scalar::Int(3));
    }

    #[test]
    fn scalar_kinds() {
        let e = p(
            r#"{"i": 42, "n": -7, "z": -0, "f": 1.0, "e": 1e3, "big": 9223372036854775808,
               "max": 9223372036854775807, "min": -9223372036854775808,
               "t": true, "fa": false, "nu": null, "s": "x"}"#,
        );
        let v: Vec<_> = e.iter().map(|x| leaf(pair(x).2).clone()).collect();
        assert_eq!(
            v,
            [
                Scalar::Int(42),
                Scalar::Int(-7),
                Scalar::Int(0),
                Scalar::Float(1.0),
                Scalar::Float(1000.0),
                Scalar::Float(9223372036854775808.0),
                Scalar::Int(i64::MAX),
                Scalar::Int(i64::MIN),
                Scalar::Bool(true),
                Scalar::Bool(false),
                Scalar::Null,
                Scalar::Str(b"x".to_vec()),
            ]
        );
    }

    #[test]
    fn float_overflow_is_an_error_underflow_is_zero() {
        assert!(err(br#"{"a": 1e400}"#).0.contains("out of range"));
        let e = p(r#"{"a": 1e-400}"#);
        assert_eq!(leaf(pair(&e[0]).2), &Scalar::Float(0.0));
    }

    #[test]
    fn escapes_and_surrogates() {
        let e = p(
            r#"{"s": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "lone": "\ud800x", "low": "\udc00",
                      "hh": "\ud800\ud83d\ude00", "k\u0041": 1}"#,
        );
        assert_eq!(
            leaf(pair(&e[0]).2),
            &Scalar::Str("a\"\\/\u{8}\u{c}\n\r\té😀".as_bytes().to_vec())
        );
        assert_eq!(
            leaf(pair(&e[1]).2),
            &Scalar::Str("\u{FFFD}x".as_bytes().to_vec())
        );
        assert_eq!(
            leaf(pair(&e[2]).2),
            &Scalar::Str("\u{FFFD}".as_bytes().to_vec())
        );
        assert_eq!(
            leaf(pair(&e[3]).2),
            &Scalar::Str("\u{FFFD}😀".as_bytes().to_vec())
        );
        assert_eq!(pair(&e[4]).0, "kA");
    }

    #[test]
    fn nested_structure_and_positions() {
        let e = p("{\n\t\"é\": [1, [2, {\"x\": \"y\"}], []],\n  \"o\": {}\n}\n");
        let (k, kp, v) = pair(&e[0]);
        assert_eq!(k, "é");
        assert_eq!(kp, Pos { line: 2, column: 2 });
        let Node::Seq(items) = v else {
            panic!("not a seq")
        };
        assert_eq!(items.len(), 3);
        let Item::Node(Node::Leaf(one)) = &items[0] else {
            panic!()
        };
        // `\t"é": [1` : the `1` is the 8th character of the line.
        assert_eq!(one.pos, Pos { line: 2, column: 8 });
        let Item::Node(Node::Seq(inner)) = &items[1] else {
            panic!()
        };
        let Item::Node(Node::Map(m)) = &inner[1] else {
            panic!()
        };
        assert_eq!(pair(&m[0]).0, "x");
        assert_eq!(items[2], Item::Node(Node::Seq(vec![])));
        let (k, kp, v) = pair(&e[1]);
        assert_eq!((k, kp), ("o", Pos { line: 3, column: 3 }));
        assert_eq!(v, &Node::Map(vec![]));
    }

    #[test]
    fn top_level_must_be_an_object() {
        assert!(err(b"[1]").0.contains("top-level object"));
        assert!(err(b"\"x\"").0.contains("top-level object"));
        assert!(err(b"  \n ").0.contains("empty"));
        assert!(err(b"").0.contains("empty"));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let (m, pos) = err(b"{\n  \"a\": 01\n}");
        assert!(m.contains("','"), "{m}");
        assert_eq!(pos, Some(Pos { line: 2, column: 9 }));
        for bad in [
            &b"{\"a\" 1}"[..],
            b"{\"a\": 1,}",
            b"{\"a\": [1,]}",
            b"{\"a\": tru}",
            b"{\"a\": \"x\ny\"}",
            b"{\"a\": \"\\x\"}",
            b"{\"a\": \"\\u12g4\"}",
            b"{\"a\": 1.}",
            b"{\"a\": 1e}",
            b"{\"a\": -}",
            b"{\"a\": +1}",
            b"{'a': 1}",
            b"{\"a\": 1",
            b"{\"a\": \"x",
            b"{a: 1}",
            b"\xEF\xBB\xBF{}",
        ] {
            let _ = err(bad);
        }
    }

    #[test]
    fn trailing_content_is_rejected() {
        assert!(err(b"{} {}").0.contains("after the top-level"));
        let _ = p("{}\n\t \r\n");
    }

    #[test]
    fn non_utf8_is_rejected_with_its_line() {
        let (m, pos) = err(b"{\n\"a\": \"\xff\"}");
        assert!(m.contains("UTF-8"));
        assert_eq!(pos, Some(Pos { line: 2, column: 7 }));
    }

    #[test]
    fn depth_limit() {
        let ok = format!(
            "{{\"a\":{}1{}}}",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        let _ = p(&ok);
        let deep = format!(
            "{{\"a\":{}1{}}}",
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        assert!(err(deep.as_bytes()).0.contains("nested too deeply"));
        // Hostile: far deeper than the limit, unterminated; must not overflow the stack.
        let hostile = format!("{{\"a\":{}", "[".repeat(1_000_000));
        assert!(err(hostile.as_bytes()).0.contains("nested too deeply"));
    }

    #[test]
    fn long_single_line_is_linear() {
        // 200k keys on one line: column tracking must not be quadratic.
        let mut s = String::from("{");
        for i in 0..200_000 {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&format!("\"k{i}\":\"vé{i}\""));
        }
        s.push('}');
        let e = p(&s);
        assert_eq!(e.len(), 200_000);
        let (_, kp, _) = pair(&e[1]);
        assert_eq!(kp.line, 1);
        assert!(kp.column > 10);
    }
}
