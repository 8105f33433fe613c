//! The INI store (spec §9.4), read as sops reads it: go-ini v1 (`gopkg.in/ini.v1` v1.67) with
//! `LoadOptions{AllowNonUniqueSections: true}` and nothing else, then sops' `treeItemFromSection`.
//!
//! Returned layout (one [`Entry::Pair`] per section, in file order; repeated section names give
//! repeated pairs; the `[sops]` section is returned like any other):
//!
//! * key = section name (the bytes between `[` and the **last** `]` of the line, untrimmed);
//!   keys before any section header belong to the implicit section `DEFAULT`, returned first and
//!   only when it holds keys (sops' tree always starts with a `DEFAULT` entry, empty when unused: an
//!   empty mapping is neutral for the walk, the MAC and the AAD). An explicit `[DEFAULT]` header
//!   starts a new section named `DEFAULT`.
//! * value = [`Node::Map`] holding, in order: the section comment (if any) as the first entry, then
//!   each key as a pair with a [`Scalar::Str`] value, **followed** by that key's comment (if any).
//!   This is sops' tree order: go-ini attaches the comment lines *above* a key (and its inline
//!   `; …`) to that key, and sops emits a key's comment after the key.
//! * Comments: consecutive comment lines (`;` or `#` first non-blank) accumulate into one comment,
//!   joined by their newlines, plus an inline comment of the following key or section line. The text
//!   lines before `[section]` become the section comment; those before a key the key's comment;
//!   those after the last key of the file are dropped (as go-ini drops them). The stored text is
//!   go-ini's trimmed text with sops' `stripCommentChar`: a leading run of `;` and spaces is removed
//!   when it starts with `;`, of `#` and spaces when it starts with `#` (only the first line; later
//!   lines keep their markers). A key's comment is replaced (not merged) by a later duplicate.
//! * Keys: `name = value` or `name : value` (go-ini's delimiters `=:`, first one wins), name trimmed;
//!   quoted names `"…"`, `"""…"""`, `` `…` `` allowed; `-` is an auto-increment name (`#1`, `#2`, … per
//!   section). A duplicate key keeps its first position and takes the last value.
//! * Values: trimmed; a `;`/`#` starts an inline comment; one pair of surrounding `"…"` or `'…'`
//!   quotes is removed; `"""…"""` and `` `…` `` are taken verbatim and may span lines (sops 3.13.0/1
//!   wrote multi-line metadata this way); a trailing `\` continues the value on the next line.
//!   Values are returned raw: the `\n` escapes of flattened metadata (3.13.2 and ≤3.12) are left
//!   for the metadata code to unescape, as sops' `ExtractMetadata` does.
//!
//! A UTF-8 (or UTF-16 mark) BOM is skipped as go-ini does. Values may hold any bytes (as in sops);
//! section names, key names and comments must be UTF-8 (the tree holds them as `String`). Errors
//! never quote the input (it may hold secrets). Positions: 1-based line, 1-based column in
//! characters; a section's position is its `[`, a comment's its first `;`/`#`.

use std::collections::HashMap;

use crate::sops::{Comment, Entry, Leaf, Node, Pos, Scalar, SopsError};

/// go-ini's default section name.
const DEFAULT_SECTION: &str = "DEFAULT";

/// Parse an INI file into its sections (metadata included, as a `sops` section).
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, SopsError> {
    let body = skip_bom(bytes);
    let mut lines = Lines {
        rest: body,
        next_no: 1,
    };
    let mut sections = vec![Section::new(DEFAULT_SECTION.to_string(), None)];
    let mut pending = PendingComment::default();
    let mut counter = 1u64;

    while let Some(line) = lines.next_line() {
        let lead = ltrim(line.text);
        let Some(&first) = line.text.get(lead) else {
            continue;
        };
        match first {
            b'#' | b';' => {
                pending.write(line.text.get(lead..).unwrap_or_default(), line.pos(lead));
            }
            b'[' => {
                let close = memchr::memrchr(b']', line.text)
                    .filter(|&c| c > lead)
                    .ok_or_else(|| line.err("unclosed section header (no ']')", lead))?;
                let name_bytes = line.text.get(lead + 1..close).unwrap_or_default();
                if name_bytes.is_empty() {
                    return Err(line.err("empty section name", lead));
                }
                let name = utf8(name_bytes, "section name", line.pos(lead + 1))?;
                let after = close + 1;
                if let Some(i) = find_any(line.text.get(after..).unwrap_or_default(), b"#;") {
                    pending.write(
                        line.text.get(after + i..).unwrap_or_default(),
                        line.pos(after + i),
                    );
                }
                let comment = pending.take()?;
                sections.push(Section::new(name, Some(line.pos(lead))));
                if let Some(sec) = sections.last_mut() {
                    sec.comment = comment;
                }
                counter = 1;
            }
            _ => {
                let (name, name_at, value_off) = read_key_name(&line, lead)?;
                let name = if name == b"-" {
                    let n = format!("#{counter}");
                    counter += 1;
                    n
                } else {
                    utf8(name, "key name", line.pos(name_at))?
                };
                if name.is_empty() {
                    return Err(line.err("empty key name", lead));
                }
                let (value, value_pos) = read_value(&line, value_off, &mut lines, &mut pending)?;
                let comment = pending.take()?;
                let key_pos = line.pos(lead);
                let Some(sec) = sections.last_mut() else {
                    continue;
                };
                sec.add(name, key_pos, value, value_pos, comment);
            }
        }
    }

    let mut out = Vec::with_capacity(sections.len());
    for (i, sec) in sections.into_iter().enumerate() {
        if i == 0 && sec.keys.is_empty() {
            continue;
        }
        out.push(sec.into_entry());
    }
    Ok(out)
}

/// One line of input (with its `\n`, if any) and its 1-based number.
struct Line<'a> {
    text: &'a [u8],
    no: u32,
}

impl Line<'_> {
    /// The position of byte `off` of this line (column in characters).
    fn pos(&self, off: usize) -> Pos {
        let head = self.text.get(..off).unwrap_or(self.text);
        let chars = head.iter().filter(|&&c| (c & 0xC0) != 0x80).count();
        Pos {
            line: self.no,
            column: u32::try_from(chars + 1).unwrap_or(u32::MAX),
        }
    }

    fn err(&self, message: &str, off: usize) -> SopsError {
        SopsError::Malformed {
            message: message.to_string(),
            pos: Some(self.pos(off)),
        }
    }
}

/// go-ini's `readUntil('\n')` loop: lines with their terminator; the last may lack one.
struct Lines<'a> {
    rest: &'a [u8],
    next_no: u32,
}

impl<'a> Lines<'a> {
    fn next_line(&mut self) -> Option<Line<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', self.rest).map_or(self.rest.len(), |i| i + 1);
        let text = self.rest.get(..end).unwrap_or(self.rest);
        self.rest = self.rest.get(end..).unwrap_or_default();
        let no = self.next_no;
        self.next_no = self.next_no.saturating_add(1);
        Some(Line { text, no })
    }
}

/// go-ini's comment buffer, with where its text started.
#[derive(Default)]
struct PendingComment {
    text: Vec<u8>,
    pos: Option<Pos>,
}

impl PendingComment {
    fn write(&mut self, bytes: &[u8], pos: Pos) {
        if self.text.is_empty() {
            self.pos = Some(pos);
        }
        self.text.extend_from_slice(bytes);
    }

    /// go-ini's `strings.TrimSpace(p.comment.String())` then `Reset()`, plus sops'
    /// `stripCommentChar`; `None` when go-ini's comment is empty.
    fn take(&mut self) -> Result<Option<Comment>, SopsError> {
        let text = std::mem::take(&mut self.text);
        let pos = self.pos.take().unwrap_or_default();
        let trimmed = trim(&text);
        if trimmed.is_empty() {
            return Ok(None);
        }
        let stripped = strip_comment_char(trimmed);
        let text = utf8(stripped, "comment", pos)?;
        Ok(Some(Comment { text, pos }))
    }
}

/// sops' `stripCommentChar`.
fn strip_comment_char(c: &[u8]) -> &[u8] {
    let set: &[u8] = match c.first() {
        Some(b';') => b"; ",
        Some(b'#') => b"# ",
        _ => return c,
    };
    let n = c.iter().take_while(|b| set.contains(b)).count();
    c.get(n..).unwrap_or_default()
}

struct KeyRec {
    name: String,
    key_pos: Pos,
    value: Vec<u8>,
    value_pos: Pos,
    comment: Option<Comment>,
}

struct Section {
    name: String,
    pos: Option<Pos>,
    comment: Option<Comment>,
    keys: Vec<KeyRec>,
    index: HashMap<String, usize>,
}

impl Section {
    fn new(name: String, pos: Option<Pos>) -> Self {
        Section {
            name,
            pos,
            comment: None,
            keys: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// go-ini `NewKey` then `key.Comment = …`: a duplicate updates the existing key in place.
    fn add(
        &mut self,
        name: String,
        key_pos: Pos,
        value: Vec<u8>,
        value_pos: Pos,
        comment: Option<Comment>,
    ) {
        if let Some(k) = self.index.get(&name).and_then(|&i| self.keys.get_mut(i)) {
            k.value = value;
            k.value_pos = value_pos;
            k.comment = comment;
            return;
        }
        self.index.insert(name.clone(), self.keys.len());
        self.keys.push(KeyRec {
            name,
            key_pos,
            value,
            value_pos,
            comment,
        });
    }

    /// sops' `treeItemFromSection`.
    fn into_entry(self) -> Entry {
        let mut items = Vec::with_capacity(self.keys.len() + 1);
        if let Some(c) = self.comment {
            items.push(Entry::Comment(c));
        }
        let first_key = self.keys.first().map(|k| k.key_pos);
        for k in self.keys {
            items.push(Entry::Pair {
                key: k.name,
                key_pos: k.key_pos,
                value: Node::Leaf(Leaf {
                    value: Scalar::Str(k.value),
                    pos: k.value_pos,
                }),
            });
            if let Some(c) = k.comment {
                items.push(Entry::Comment(c));
            }
        }
        Entry::Pair {
            key: self.name,
            key_pos: self.pos.or(first_key).unwrap_or_default(),
            value: Node::Map(items),
        }
    }
}

/// go-ini `readKeyName` on the line from `lead` (its first non-blank byte). Returns the name,
/// where the name starts, and the offset of the value (just after the delimiter).
fn read_key_name<'a>(line: &Line<'a>, lead: usize) -> Result<(&'a [u8], usize, usize), SopsError> {
    let s = line.text.get(lead..).unwrap_or_default();
    let quote: &[u8] = match s.first() {
        Some(b'"') if s.len() > 6 && s.starts_with(b"\"\"\"") => b"\"\"\"",
        Some(b'"') => b"\"",
        Some(b'`') => b"`",
        _ => b"",
    };
    if !quote.is_empty() {
        let q = quote.len();
        let Some(close) = find(s.get(q..).unwrap_or_default(), quote).map(|p| p + q) else {
            return Err(line.err("missing closing key quote", lead));
        };
        let Some(i) = find_any(s.get(close + q..).unwrap_or_default(), b"=:") else {
            return Err(line.err("key-value delimiter not found", lead));
        };
        let raw = s.get(q..close).unwrap_or_default();
        let l = ltrim(raw);
        let name = trim(raw);
        return Ok((name, lead + q + l, lead + close + q + i + 1));
    }
    let Some(end) = find_any(s, b"=:") else {
        return Err(line.err("key-value delimiter not found", lead));
    };
    if end == 0 {
        return Err(line.err("empty key name", lead));
    }
    Ok((trim(s.get(..end).unwrap_or_default()), lead, lead + end + 1))
}

/// go-ini `readValue` on the line from byte `off`; may consume further lines.
fn read_value(
    line: &Line<'_>,
    off: usize,
    lines: &mut Lines<'_>,
    pending: &mut PendingComment,
) -> Result<(Vec<u8>, Pos), SopsError> {
    let rest = line.text.get(off..).unwrap_or_default();
    let lead = ltrim(rest);
    let start = off + lead;
    let pos = line.pos(start);
    let s = rest.get(lead..).unwrap_or_default();
    if s.is_empty() {
        return Ok((Vec::new(), pos));
    }

    let quote: &[u8] = if s.len() > 3 && s.starts_with(b"\"\"\"") {
        b"\"\"\""
    } else if s.first() == Some(&b'`') {
        b"`"
    } else {
        b""
    };
    if !quote.is_empty() {
        let q = quote.len();
        let inner = s.get(q..).unwrap_or_default();
        if let Some(p) = rfind(inner, quote) {
            return Ok((inner.get(..p).unwrap_or_default().to_vec(), pos));
        }
        // Multi-line: everything up to the last quote of the first line that has one.
        let mut val = inner.to_vec();
        loop {
            let Some(next) = lines.next_line() else {
                return Err(line.err("missing closing value quote", start));
            };
            if let Some(p) = rfind(next.text, quote) {
                val.extend_from_slice(next.text.get(..p).unwrap_or_default());
                let tail = next.text.get(p..).unwrap_or_default();
                if let Some(i) = find_any(tail, b"#;") {
                    let c = tail.get(i..).unwrap_or_default();
                    let l = ltrim(c);
                    pending.write(trim(c), next.pos(p + i + l));
                }
                return Ok((val, pos));
            }
            val.extend_from_slice(next.text);
            if lines.rest.is_empty() {
                return Err(line.err("missing closing value quote", start));
            }
        }
    }

    let t = trim(s);
    if t.last() == Some(&b'\\') {
        // Continuation lines (inline comments are not recognised here, as in go-ini).
        let mut val = t.get(..t.len() - 1).unwrap_or_default().to_vec();
        while let Some(next) = lines.next_line() {
            let n = trim(next.text);
            if n.is_empty() {
                break;
            }
            val.extend_from_slice(n);
            if val.last() != Some(&b'\\') {
                break;
            }
            val.pop();
        }
        return Ok((val, pos));
    }

    let mut v = t;
    if let Some(i) = find_any(v, b"#;") {
        pending.write(v.get(i..).unwrap_or_default(), line.pos(start + i));
        v = trim(v.get(..i).unwrap_or_default());
    }
    if has_surrounded_quote(v, b'\'') || has_surrounded_quote(v, b'"') {
        v = v.get(1..v.len() - 1).unwrap_or_default();
    }
    Ok((v.to_vec(), pos))
}

/// go-ini `hasSurroundedQuote`: first and last bytes are `q` and no other `q` in between.
fn has_surrounded_quote(s: &[u8], q: u8) -> bool {
    s.len() >= 2
        && s.first() == Some(&q)
        && s.last() == Some(&q)
        && s.get(1..).and_then(|t| memchr::memchr(q, t)) == Some(s.len() - 2)
}

/// Skip a UTF-8 BOM, or the two bytes of a UTF-16 one (go-ini `BOM()`).
fn skip_bom(b: &[u8]) -> &[u8] {
    if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
        b.get(3..).unwrap_or_default()
    } else if b.starts_with(&[0xFE, 0xFF]) || b.starts_with(&[0xFF, 0xFE]) {
        b.get(2..).unwrap_or_default()
    } else {
        b
    }
}

fn utf8(bytes: &[u8], what: &str, pos: Pos) -> Result<String, SopsError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| SopsError::Malformed {
        message: format!("INI {what} is not valid UTF-8"),
        pos: Some(pos),
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(hay, needle)
}

fn find_any(hay: &[u8], set: &[u8]) -> Option<usize> {
    match set {
        [a, b] => memchr::memchr2(*a, *b, hay),
        _ => hay.iter().position(|c| set.contains(c)),
    }
}

/// The first character of `s` and its length, if `s` starts with valid UTF-8.
fn first_char(s: &[u8]) -> Option<(char, usize)> {
    let head = s.get(..s.len().min(4))?;
    let valid = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(head.get(..e.valid_up_to())?).ok()?,
    };
    valid.chars().next().map(|c| (c, c.len_utf8()))
}

/// The last character of `s` and its length, if `s` ends with valid UTF-8.
fn last_char(s: &[u8]) -> Option<(char, usize)> {
    for k in 1..=s.len().min(4) {
        let tail = s.get(s.len() - k..)?;
        if let Ok(t) = std::str::from_utf8(tail) {
            let mut it = t.chars();
            if let (Some(c), None) = (it.next(), it.next()) {
                return Some((c, k));
            }
        }
    }
    None
}

/// Number of leading white-space bytes (Go `unicode.IsSpace`, invalid UTF-8 is not space).
fn ltrim(s: &[u8]) -> usize {
    let mut i = 0;
    while let Some(rest) = s.get(i..) {
        match rest.first() {
            Some(&c) if c < 0x80 => {
                if !is_ascii_space(c) {
                    break;
                }
                i += 1;
            }
            Some(_) => match first_char(rest) {
                Some((ch, n)) if ch.is_whitespace() => i += n,
                _ => break,
            },
            None => break,
        }
    }
    i
}

/// `s` without leading and trailing white space (Go `strings.TrimSpace`).
fn trim(s: &[u8]) -> &[u8] {
    let s = s.get(ltrim(s)..).unwrap_or_default();
    let mut end = s.len();
    while let Some(head) = s.get(..end) {
        match head.last() {
            Some(&c) if c < 0x80 => {
                if !is_ascii_space(c) {
                    break;
                }
                end -= 1;
            }
            Some(_) => match last_char(head) {
                Some((ch, n)) if ch.is_whitespace() => end -= n,
                _ => break,
            },
            None => break,
        }
    }
    s.get(..end).unwrap_or_default()
}

fn is_ascii_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
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

    /// A compact rendering: `[name]` per section, `k=v` per key, `;text` per comment.
    fn render(e: &[Entry]) -> Vec<String> {
        let mut out = Vec::new();
        for s in e {
            let Entry::Pair {
                key,
                value: Node::Map(items),
                ..
            } = s
            else {
                panic!("not a section: {s:?}")
            };
            out.push(format!("[{key}]"));
            for it in items {
                match it {
                    Entry::Pair {
                        key,
                        value:
                            Node::Leaf(Leaf {
                                value: Scalar::Str(v),
                                ..
                            }),
                        ..
                    } => out.push(format!("{key}={}", String::from_utf8_lossy(v))),
                    Entry::Comment(c) => out.push(format!(";{}", c.text)),
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
        out
    }

    #[test]
    fn sections_keys_default() {
        let e = p("top = 1\n[a]\nx = 1\ny=2\n\n[b]\n[a]\nx = 3\n");
        assert_eq!(
            render(&e),
            [
                "[DEFAULT]",
                "top=1",
                "[a]",
                "x=1",
                "y=2",
                "[b]",
                "[a]",
                "x=3"
            ]
        );
    }

    #[test]
    fn empty_default_is_omitted_explicit_default_kept() {
        let e = p("[s]\nk=v\n[DEFAULT]\nd=1\n");
        assert_eq!(render(&e), ["[s]", "k=v", "[DEFAULT]", "d=1"]);
        assert!(p("").is_empty());
        assert!(p("; only a comment\n").is_empty());
    }

    /// The same input as checked against sops 3.11.0 (`sops -e --encrypted-regex '^nothing$'
    /// --output-type yaml`), whose output showed exactly this tree.
    #[test]
    fn comment_attachment_like_sops() {
        let src = "; lead1\n# lead2\ndk = dv ; inline\n[s1]\n  a = 1\n;; c-before-b\n\
                   b : 2 # trailing\nb = 3\n- = x\n- = y\nq = \"quoted\"\nbq = `back tick`\n\
                   tq = \"\"\"multi\nline\"\"\" ; after\ncont = ab \\\n  cd\n; end comment\n\
                   [s1]  ; hdr\nz=1\n[DEFAULT]\nw=2\n; dangling\n";
        let e = p(src);
        assert_eq!(
            render(&e),
            [
                "[DEFAULT]",
                "dk=dv",
                ";lead1\n# lead2\n; inline",
                "[s1]",
                "a=1",
                "b=3",
                "#1=x",
                "#2=y",
                "q=quoted",
                "bq=back tick",
                "tq=multi\nline",
                ";after",
                "cont=ab cd",
                "[s1]",
                ";end comment\n; hdr",
                "z=1",
                "[DEFAULT]",
                "w=2",
            ]
        );
        // Positions: the duplicate `b` keeps its first key position; `[s1]` is at its bracket.
        let Entry::Pair {
            key_pos,
            value: Node::Map(items),
            ..
        } = &e[1]
        else {
            panic!()
        };
        assert_eq!(*key_pos, Pos { line: 4, column: 1 });
        let Entry::Pair {
            key,
            key_pos,
            value: Node::Leaf(l),
        } = &items[1]
        else {
            panic!()
        };
        assert_eq!(key, "b");
        assert_eq!(*key_pos, Pos { line: 7, column: 1 });
        assert_eq!(l.pos, Pos { line: 8, column: 5 });
        let Entry::Pair {
            value: Node::Map(d),
            ..
        } = &e[0]
        else {
            panic!()
        };
        let Entry::Comment(c) = &d[1] else { panic!() };
        assert_eq!(c.pos, Pos { line: 1, column: 1 });
    }

    #[test]
    fn sops_metadata_section_escaped_and_triple_quoted() {
        let e = p(
            "[s]\nk = ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n\n[sops]\n\
                   age__list_0__map_enc       = -----BEGIN AGE-----\\nAAA\\n-----END AGE-----\\n\n\
                   age__list_1__map_enc = \"\"\"-----BEGIN AGE-----\nBBB\n-----END AGE-----\n\"\"\"\n\
                   version = 3.13.1\n",
        );
        assert_eq!(
            render(&e),
            [
                "[s]",
                "k=ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]",
                "[sops]",
                "age__list_0__map_enc=-----BEGIN AGE-----\\nAAA\\n-----END AGE-----\\n",
                "age__list_1__map_enc=-----BEGIN AGE-----\nBBB\n-----END AGE-----\n",
                "version=3.13.1",
            ]
        );
    }

    #[test]
    fn quotes_and_delimiters() {
        let e = p(
            "[q]\n\"a=b\" = 1\n`c:d`: 2\n\"\"\"e\"\"\" = 3\nf = 'x'\ng = \"x\"y\"\nh = a:b=c\n\
                   i = \"\"\"one\"\"\"two\"\"\" ; kept out\nj =\nk = #c\n",
        );
        assert_eq!(
            render(&e),
            [
                "[q]",
                "a=b=1",
                "c:d=2",
                "e=3",
                "f=x",
                "g=\"x\"y\"",
                "h=a:b=c",
                "i=one\"\"\"two",
                "j=",
                "k=",
                ";c",
            ]
        );
    }

    #[test]
    fn bom_and_crlf() {
        let e = parse(b"\xEF\xBB\xBF[s]\r\nk = v\r\n; c\r\nm = \"\"\"a\r\nb\"\"\"\r\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(render(&e), ["[s]", "k=v", "m=a\r\nb", ";c"]);
    }

    #[test]
    fn unicode_whitespace_trimmed_like_go() {
        let e = p("[s]\n\u{3000}k\u{a0}=\u{2003}v\u{85}\n");
        assert_eq!(render(&e), ["[s]", "k=v"]);
    }

    #[test]
    fn non_utf8_values_kept_names_rejected() {
        let e = parse(b"[s]\nk = \xff\xfe\n").unwrap_or_else(|e| panic!("{e:?}"));
        let Entry::Pair {
            value: Node::Map(m),
            ..
        } = &e[0]
        else {
            panic!()
        };
        let Entry::Pair {
            value: Node::Leaf(l),
            ..
        } = &m[0]
        else {
            panic!()
        };
        assert_eq!(l.value, Scalar::Str(b"\xff\xfe".to_vec()));
        assert_eq!(err(b"[s]\n\xff = 1\n").1.map(|p| p.line), Some(2));
        assert_eq!(err(b"[\xff]\n").1.map(|p| p.line), Some(1));
        assert_eq!(err(b"[s]\n; \xff\nk=1\n").1.map(|p| p.line), Some(2));
    }

    #[test]
    fn errors() {
        assert!(err(b"[s\n").0.contains("unclosed"));
        assert!(err(b"[]\n").0.contains("empty section"));
        let (m, pos) = err(b"[s]\n\n  secretword\n");
        assert!(m.contains("delimiter"));
        assert!(!m.contains("secret"));
        assert_eq!(pos, Some(Pos { line: 3, column: 3 }));
        assert!(err(b"= v\n").0.contains("empty key"));
        assert!(err(b"\"\" = v\n").0.contains("empty key"));
        assert!(err(b"\"a = v\n").0.contains("closing key quote"));
        assert!(
            err(b"k = \"\"\"abc\nno end\n")
                .0
                .contains("closing value quote")
        );
        assert!(err(b"k = `abc").0.contains("closing value quote"));
    }

    #[test]
    fn continuation_at_eof_and_comment_text_strip() {
        let e = p("[s]\nk = a\\\n");
        assert_eq!(render(&e), ["[s]", "k=a"]);
        let e = p(";;; ;x\n[s]\n# #y\nk=1\n;\n[t]\n");
        assert_eq!(render(&e), ["[s]", ";x", "k=1", ";y", "[t]", ";"]);
    }

    #[test]
    fn many_keys_linear() {
        let mut s = String::from("[big]\n");
        for i in 0..100_000 {
            s.push_str(&format!("k{i} = v{i} ; c\n"));
        }
        let e = p(&s);
        let Entry::Pair {
            value: Node::Map(m),
            ..
        } = &e[0]
        else {
            panic!()
        };
        assert_eq!(m.len(), 200_000);
    }
}
