//! The YAML store (go-yaml v3 semantics, spec §9.1), on the `saphyr-parser` event stream.
//!
//! What it does, as sops does it: several documents; scalars resolved from style + tag the way go-yaml
//! v3 does (quoted = string; plain: null / bool / int / float / timestamp; explicit tags honoured;
//! `!!binary` decoded); timestamps kept as Go's RFC 3339 nano text; duplicate keys rejected; only
//! string keys; the merge key `<<` kept as an ordinary key; aliases expanded. Comments: the parser does
//! not report them, so they are recovered by a scan of the source that skips quoted and block scalars,
//! and placed in the tree where sops 3.11 puts them (a line comment before its pair, a head comment
//! before its key, a trailing comment at the end of the block it is indented into).
//!
//! Hostile input is bounded: at most [`MAX_NODES`] nodes after alias expansion and [`MAX_DEPTH`]
//! levels of nesting; past either the file is malformed (a finding), never a hang or a blow-up.

use std::collections::HashMap;

use base64::Engine as _;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::sops::gotime;
use crate::sops::{Comment, Entry, Item, Leaf, Node, Pos, Scalar, SopsError};

/// The most nodes a file may have, aliases expanded (an alias bomb stops here).
pub const MAX_NODES: usize = 2_000_000;
/// The deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 256;

fn malformed(message: impl Into<String>, pos: Option<Pos>) -> SopsError {
    SopsError::Malformed {
        message: message.into(),
        pos,
    }
}

fn to_pos(m: &saphyr_parser::Marker) -> Pos {
    Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        column: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
    }
}

/// Check the bytes are UTF-8 and return the text without a byte-order mark.
pub fn utf8(bytes: &[u8]) -> Result<&str, SopsError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{feff}').unwrap_or(s)),
        Err(e) => {
            let good = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(good.get(line_start..).unwrap_or_default())
                .chars()
                .count()
                + 1;
            let pos = Pos {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            };
            Err(malformed(
                format!(
                    "not valid UTF-8 at line {line} (byte offset {}): not a text file sops could have written",
                    e.valid_up_to()
                ),
                Some(pos),
            ))
        }
    }
}

/// Parse a YAML file into its documents, each a list of top-level entries (metadata included).
pub fn parse(bytes: &[u8]) -> Result<Vec<Vec<Entry>>, SopsError> {
    let text = utf8(bytes)?;
    // Pass 1 (only when the text can hold comments): where the quoted and block scalars are, so the
    // comment scan can skip them. Events are streamed, never all held in memory.
    let comments = if text.contains('#') {
        let mut regions = Vec::new();
        let mut depth = 0usize;
        for ev in Parser::new_from_str(text) {
            let (ev, span) = ev.map_err(syntax)?;
            match ev {
                Event::Scalar(_, style, _, _) => match style {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        regions.push(Region::Quoted(span.start.index()));
                    }
                    ScalarStyle::Literal | ScalarStyle::Folded => {
                        regions.push(Region::Block(span.start.index(), span.end.index()));
                    }
                    ScalarStyle::Plain => {}
                },
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(too_deep(to_pos(&span.start)));
                    }
                }
                Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        scan_comments(text, &regions)
    } else {
        Vec::new()
    };
    Builder::new(comments).run(Parser::new_from_str(text))
}

fn syntax(e: saphyr_parser::ScanError) -> SopsError {
    malformed(
        format!("YAML syntax error: {}", e.info()),
        Some(to_pos(e.marker())),
    )
}

fn too_deep(pos: Pos) -> SopsError {
    malformed(
        format!("YAML nested deeper than {MAX_DEPTH} levels"),
        Some(pos),
    )
}

/// A comment found by the source scan, with its character index for ordering against events.
#[derive(Debug)]
struct Found {
    index: usize,
    line: usize,
    col: usize,
    text: String,
}

enum Region {
    Quoted(usize),
    Block(usize, usize),
}

/// Find every `#` comment outside quoted and block scalars (plain scalars cannot hold ` #`).
#[allow(unused_assignments)]
fn scan_comments(text: &str, regions: &[Region]) -> Vec<Found> {
    let mut found = Vec::new();
    if !text.contains('#') {
        return found;
    }
    let mut chars = text.char_indices().enumerate().peekable();
    let mut r = 0;
    let (mut line, mut col) = (1usize, 0usize);
    let mut prev: Option<char> = None;
    // Advance one char, tracking line and column.
    macro_rules! step {
        ($c:expr) => {
            if $c == '\n' {
                line += 1;
                col = 0;
            } else {
                col += 1;
            }
            prev = Some($c);
        };
    }
    'chars: while let Some((ci, (bi, c))) = chars.next() {
        // Enter a scalar region that starts here (or that we are already past).
        while let Some(region) = regions.get(r) {
            let start = match region {
                Region::Quoted(s) | Region::Block(s, _) => *s,
            };
            if start > ci {
                break;
            }
            r += 1;
            match *region {
                Region::Block(_, end) => {
                    if end > ci {
                        // Skip to the end of the block scalar.
                        step!(c);
                        while let Some(&(nci, (_, nc))) = chars.peek() {
                            if nci >= end {
                                break;
                            }
                            chars.next();
                            step!(nc);
                        }
                        prev = Some('\n');
                        continue 'chars;
                    }
                }
                Region::Quoted(_) => {
                    // Skip any tag/anchor up to the opening quote, then the quoted text.
                    let mut cur = c;
                    loop {
                        if cur == '\'' || cur == '"' {
                            break;
                        }
                        step!(cur);
                        match chars.next() {
                            Some((_, (_, n))) => cur = n,
                            None => return found,
                        }
                    }
                    let quote = cur;
                    step!(cur);
                    while let Some((_, (_, n))) = chars.next() {
                        step!(n);
                        if quote == '"' && n == '\\' {
                            if let Some((_, (_, e))) = chars.next() {
                                step!(e);
                            }
                        } else if n == quote {
                            if quote == '\'' && chars.peek().is_some_and(|p| p.1.1 == '\'') {
                                if let Some((_, (_, e))) = chars.next() {
                                    step!(e);
                                }
                            } else {
                                break;
                            }
                        }
                    }
                    // `prev` is the closing quote: a `#` right after it is not a comment.
                    continue 'chars;
                }
            }
        }
        if c == '#' && prev.is_none_or(|p| p == ' ' || p == '\t' || p == '\n' || p == '\r') {
            let rest = text.get(bi + 1..).unwrap_or_default();
            let end = rest.find('\n').unwrap_or(rest.len());
            let body = rest.get(..end).unwrap_or_default();
            found.push(Found {
                index: ci,
                line,
                col,
                text: body.strip_suffix('\r').unwrap_or(body).to_string(),
            });
            step!(c);
            while let Some(&(_, (_, nc))) = chars.peek() {
                if nc == '\n' {
                    break;
                }
                chars.next();
                step!(nc);
            }
            continue 'chars;
        }
        step!(c);
    }
    found
}

/// go-yaml v3's short form of a tag (`!!str`), or the tag as written for other handles.
fn short_tag(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// Go `strconv.ParseInt(s, 0, 64)` / `ParseUint`: sign, then `0x`/`0o`/`0b`/legacy `0` prefixes.
fn go_int(s: &str) -> Option<Scalar> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let mag = u128::from_str_radix(digits, radix).ok()?;
    if neg {
        if mag <= 1u128 << 63 {
            return Some(Scalar::Int((-(mag as i128)) as i64));
        }
        return None;
    }
    if let Ok(v) = i64::try_from(mag) {
        Some(Scalar::Int(v))
    } else {
        u64::try_from(mag).ok().map(Scalar::Uint)
    }
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - st
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go `strconv.ParseFloat` for decimal text: out-of-range (infinite) results are errors.
fn go_float(s: &str) -> Option<f64> {
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

/// go-yaml v3 `resolve(tag, in)` for a scalar with the given style and explicit tag.
pub fn resolve(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Scalar, String> {
    let tag = tag.map(short_tag).unwrap_or_default();
    if tag.is_empty() && style != ScalarStyle::Plain {
        return Ok(Scalar::Str(value.as_bytes().to_vec()));
    }
    match tag.as_str() {
        "" | "!!str" | "!!bool" | "!!int" | "!!float" | "!!timestamp" => {}
        "!!binary" => {
            let compact: String = value.chars().filter(|c| *c != '\n' && *c != '\r').collect();
            return base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .map(Scalar::Str)
                .map_err(|_| "!!binary value contains invalid base64 data".to_string());
        }
        _ => return Ok(Scalar::Str(value.as_bytes().to_vec())),
    }
    let resolved = resolve_untagged(value, &tag);
    let rtag = match &resolved {
        Scalar::Null => "!!null",
        Scalar::Str(_) => "!!str",
        Scalar::Int(_) | Scalar::Uint(_) => "!!int",
        Scalar::Float(_) => "!!float",
        Scalar::Bool(_) => "!!bool",
        Scalar::Time(_) => "!!timestamp",
    };
    if tag.is_empty() || tag == rtag || tag == "!!str" {
        return Ok(resolved);
    }
    if tag == "!!float" {
        match resolved {
            Scalar::Int(i) => return Ok(Scalar::Float(i as f64)),
            Scalar::Uint(u) => return Ok(Scalar::Float(u as f64)),
            _ => {}
        }
    }
    Err(format!(
        "cannot decode {rtag} `{}` as a {tag}",
        crate::report::sanitize(&value.chars().take(40).collect::<String>())
    ))
}

fn resolve_untagged(value: &str, tag: &str) -> Scalar {
    let s = || Scalar::Str(value.as_bytes().to_vec());
    if tag == "!!str" {
        return s();
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match value.as_bytes().first() {
        Some(b'.') => go_float(value).map_or_else(s, Scalar::Float),
        Some(b'+' | b'-' | b'0'..=b'9') => {
            if (tag.is_empty() || tag == "!!timestamp")
                && let Some(t) = gotime::parse_yaml_timestamp(value)
            {
                return Scalar::Time(t.rfc3339_nano());
            }
            let plain = value.replace('_', "");
            if let Some(i) = go_int(&plain) {
                return i;
            }
            if yaml_style_float(&plain)
                && let Some(f) = go_float(&plain)
            {
                return Scalar::Float(f);
            }
            s()
        }
        _ => s(),
    }
}

/// An anchored node kept for its aliases: the node, its node count and its height.
struct Anchored {
    node: Node,
    count: usize,
    height: usize,
}

enum Kind {
    Map {
        entries: Vec<Entry>,
        key: Option<(String, Pos)>,
    },
    Seq {
        items: Vec<Item>,
    },
}

struct Frame {
    kind: Kind,
    /// Column (0-based) the block is indented to; `None` for flow collections.
    indent: Option<usize>,
    /// The parent is a block mapping at this column (indentless sequences).
    parent_indent: Option<usize>,
    anchor: usize,
    nodes_at_start: usize,
    height: usize,
}

struct Builder {
    comments: Vec<Found>,
    next_comment: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    nodes: usize,
    docs: Vec<Vec<Entry>>,
    root: Option<(Node, Pos)>,
    /// The line the last scalar or alias ended on (a key, before its block value starts).
    last_line: usize,
}

impl Builder {
    fn new(comments: Vec<Found>) -> Self {
        Builder {
            comments,
            next_comment: 0,
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            docs: Vec::new(),
            root: None,
            last_line: 0,
        }
    }

    fn comment_node(f: &Found) -> Comment {
        Comment {
            text: f.text.clone(),
            pos: Pos {
                line: u32::try_from(f.line).unwrap_or(u32::MAX),
                column: u32::try_from(f.col + 1).unwrap_or(u32::MAX),
            },
        }
    }

    /// Put comments into the innermost open container while `take` accepts them.
    fn flush_while(&mut self, mut take: impl FnMut(&Found) -> bool) {
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        while let Some(f) = self.comments.get(self.next_comment) {
            if !take(f) {
                break;
            }
            let c = Self::comment_node(f);
            match &mut frame.kind {
                Kind::Map { entries, .. } => entries.push(Entry::Comment(c)),
                Kind::Seq { items } => items.push(Item::Comment(c)),
            }
            self.next_comment += 1;
        }
    }

    /// Comments before character index `index` go into the innermost open container.
    fn flush_before(&mut self, index: usize) {
        self.flush_while(|f| f.index < index);
    }

    fn count(&mut self, n: usize, pos: Pos) -> Result<(), SopsError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(malformed(
                format!(
                    "more than {MAX_NODES} YAML nodes (aliases expanded): refusing to expand further (an alias bomb?)"
                ),
                Some(pos),
            ));
        }
        Ok(())
    }

    fn run<'i>(
        mut self,
        events: impl Iterator<Item = Result<(Event<'i>, Span), saphyr_parser::ScanError>>,
    ) -> Result<Vec<Vec<Entry>>, SopsError> {
        for ev in events {
            let (ev, span) = ev.map_err(syntax)?;
            let pos = to_pos(&span.start);
            let end_line = span.end.line();
            match ev {
                Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
                Event::DocumentStart(_) => {
                    self.root = None;
                }
                Event::DocumentEnd => {
                    let doc = match self.root.take() {
                        None => Vec::new(),
                        Some((Node::Map(entries), _)) => entries,
                        Some((
                            Node::Leaf(Leaf {
                                value: Scalar::Null,
                                ..
                            }),
                            _,
                        )) => Vec::new(),
                        Some((Node::Seq(_), p)) => {
                            return Err(malformed(
                                "the YAML document is a sequence: sops files are mappings (YAML documents that are sequences are not supported)",
                                Some(p),
                            ));
                        }
                        Some((Node::Leaf(_), p)) => {
                            return Err(malformed(
                                "the YAML document is a single scalar, not a mapping: not a sops file",
                                Some(p),
                            ));
                        }
                    };
                    self.docs.push(doc);
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.flush_before(span.start.index());
                    self.count(1, pos)?;
                    // go-yaml's resolve table: only these first bytes can make a plain scalar
                    // anything but a string.
                    let plain_string = style == ScalarStyle::Plain
                        && !value.is_empty()
                        && !matches!(
                            value.as_bytes().first(),
                            Some(b'+' | b'-' | b'.' | b'0'..=b'9' | b'~')
                                | Some(b'n' | b'N' | b't' | b'T' | b'f' | b'F')
                                | Some(b'y' | b'Y' | b'o' | b'O' | b'<')
                        );
                    let scalar = if tag.is_none() && (style != ScalarStyle::Plain || plain_string) {
                        // Strings: take the text without a copy.
                        Scalar::Str(value.into_owned().into_bytes())
                    } else {
                        resolve(&value, style, tag.as_deref())
                            .map_err(|m| malformed(m, Some(pos)))?
                    };
                    let node = Node::Leaf(Leaf { value: scalar, pos });
                    if anchor > 0 {
                        self.anchors.insert(
                            anchor,
                            Anchored {
                                node: node.clone(),
                                count: 1,
                                height: 1,
                            },
                        );
                    }
                    let line_end = (style == ScalarStyle::Plain
                        || style == ScalarStyle::SingleQuoted
                        || style == ScalarStyle::DoubleQuoted)
                        .then(|| span.end.line());
                    self.complete(node, pos, 1, line_end)?;
                    self.last_line = end_line;
                }
                Event::Alias(id) => {
                    self.flush_before(span.start.index());
                    let Some(a) = self.anchors.get(&id) else {
                        return Err(malformed(
                            "alias to an anchor that is not defined (or not finished: a recursive alias)",
                            Some(pos),
                        ));
                    };
                    let (count, height) = (a.count, a.height);
                    self.count(count, pos)?;
                    if self.stack.len() + height > MAX_DEPTH {
                        return Err(too_deep(pos));
                    }
                    let node = self
                        .anchors
                        .get(&id)
                        .map(|a| a.node.clone())
                        .unwrap_or(Node::Seq(Vec::new()));
                    self.complete(node, pos, height, Some(end_line))?;
                    self.last_line = end_line;
                }
                Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                    let start = span.start.index();
                    let flow = start != span.end.index();
                    if flow {
                        self.flush_before(start);
                    } else {
                        // A comment on the key's own line is the key's (sops: before the pair); one
                        // on a later line heads the first entry of the nested block.
                        let key_line = self.last_line;
                        self.flush_while(|f| f.index < start && f.line <= key_line);
                    }
                    self.count(1, pos)?;
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(too_deep(pos));
                    }
                    let parent_indent = self.stack.last().and_then(|f| match f.kind {
                        Kind::Map { .. } => f.indent,
                        Kind::Seq { .. } => None,
                    });
                    let is_map = matches!(ev, Event::MappingStart(..));
                    let kind = if is_map {
                        Kind::Map {
                            entries: Vec::new(),
                            key: None,
                        }
                    } else {
                        Kind::Seq { items: Vec::new() }
                    };
                    // A block sequence's items start two columns after their `-`.
                    let col = span.start.col();
                    let indent = (!flow).then(|| if is_map { col } else { col.saturating_sub(2) });
                    self.stack.push(Frame {
                        kind,
                        indent,
                        parent_indent,
                        anchor,
                        nodes_at_start: self.nodes,
                        height: 1,
                    });
                    self.flush_before(start);
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let end = span.start.index();
                    if let Some(frame) = self.stack.last() {
                        match (frame.indent, &frame.kind) {
                            (None, _) => self.flush_before(end),
                            (Some(ind), Kind::Map { .. }) => {
                                self.flush_while(|f| f.index < end && f.col >= ind);
                            }
                            (Some(ind), Kind::Seq { .. }) => {
                                let indentless = frame.parent_indent == Some(ind);
                                self.flush_while(|f| {
                                    f.index < end && (f.col > ind || (f.col == ind && !indentless))
                                });
                            }
                        }
                    }
                    let Some(frame) = self.stack.pop() else {
                        continue;
                    };
                    let node = match frame.kind {
                        Kind::Map { entries, key } => {
                            if key.is_some() {
                                return Err(malformed("mapping key without a value", Some(pos)));
                            }
                            check_duplicates(&entries)?;
                            Node::Map(entries)
                        }
                        Kind::Seq { items } => Node::Seq(items),
                    };
                    let start_pos = first_pos(&node).unwrap_or(pos);
                    if frame.anchor > 0 {
                        let count = self.nodes - frame.nodes_at_start + 1;
                        self.count(count, pos)?;
                        self.anchors.insert(
                            frame.anchor,
                            Anchored {
                                node: node.clone(),
                                count,
                                height: frame.height,
                            },
                        );
                    }
                    self.complete(node, start_pos, frame.height, None)?;
                }
            }
        }
        Ok(self.docs)
    }

    /// Attach a finished node to the innermost open container (or make it the document root).
    /// `line_comments_on`: for scalars, the line whose trailing comment sops puts before the pair.
    fn complete(
        &mut self,
        node: Node,
        pos: Pos,
        height: usize,
        line_comments_on: Option<usize>,
    ) -> Result<(), SopsError> {
        if let Some(line) = line_comments_on {
            let is_value = match self.stack.last() {
                Some(Frame {
                    kind: Kind::Map { key, .. },
                    ..
                }) => key.is_some(),
                Some(_) => true,
                None => false,
            };
            if is_value {
                self.flush_while(|f| f.line <= line);
            }
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some((node, pos));
            return Ok(());
        };
        frame.height = frame.height.max(height + 1);
        match &mut frame.kind {
            Kind::Seq { items } => items.push(Item::Node(node)),
            Kind::Map { entries, key } => match key.take() {
                Some((k, key_pos)) => entries.push(Entry::Pair {
                    key: k,
                    key_pos,
                    value: node,
                }),
                None => {
                    *key = Some((key_string(&node, pos)?, pos));
                }
            },
        }
        Ok(())
    }
}

/// Reject a mapping with a key twice (sops rejects the file). Sorting, not hashing: bounded time
/// whatever the keys.
fn check_duplicates(entries: &[Entry]) -> Result<(), SopsError> {
    let mut keys: Vec<(&str, Pos)> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Pair { key, key_pos, .. } => Some((key.as_str(), *key_pos)),
            Entry::Comment(_) => None,
        })
        .collect();
    keys.sort_unstable_by(|a, b| {
        a.0.cmp(b.0)
            .then(a.1.line.cmp(&b.1.line))
            .then(a.1.column.cmp(&b.1.column))
    });
    match keys.windows(2).find(|w| w[0].0 == w[1].0) {
        Some(w) => Err(malformed(
            format!(
                "duplicate key `{}` in one mapping (first at line {}): sops rejects the file",
                crate::report::sanitize(w[1].0),
                w[0].1.line
            ),
            Some(w[1].1),
        )),
        None => Ok(()),
    }
}

/// The position of a container: its first key or item.
fn first_pos(node: &Node) -> Option<Pos> {
    match node {
        Node::Leaf(l) => Some(l.pos),
        Node::Map(entries) => entries.iter().find_map(|e| match e {
            Entry::Pair { key_pos, .. } => Some(*key_pos),
            Entry::Comment(_) => None,
        }),
        Node::Seq(items) => items.iter().find_map(|i| match i {
            Item::Node(n) => first_pos(n),
            Item::Comment(_) => None,
        }),
    }
}

/// A mapping key as sops accepts it: a string (sops: "Only string keys are supported").
fn key_string(node: &Node, pos: Pos) -> Result<String, SopsError> {
    let what = match node {
        Node::Leaf(Leaf {
            value: Scalar::Str(b),
            ..
        }) => {
            return String::from_utf8(b.clone()).map_err(|_| {
                malformed("a mapping key that is not UTF-8 text (!!binary)", Some(pos))
            });
        }
        Node::Leaf(Leaf { value, .. }) => match value {
            Scalar::Null => "null".to_string(),
            Scalar::Int(i) => format!("int {i}"),
            Scalar::Uint(u) => format!("uint64 {u}"),
            Scalar::Float(f) => format!("float {f}"),
            Scalar::Bool(b) => format!("bool {b}"),
            Scalar::Time(t) => format!("timestamp {t}"),
            Scalar::Str(_) => "string".to_string(),
        },
        Node::Map(_) => "mapping".to_string(),
        Node::Seq(_) => "sequence".to_string(),
    };
    Err(malformed(
        format!(
            "a mapping key that is not a string ({what}): sops supports only string keys; quote it"
        ),
        Some(pos),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(s: &str) -> Scalar {
        resolve(s, ScalarStyle::Plain, None).unwrap()
    }

    #[test]
    fn plain_scalars_resolve_as_go_yaml_v3() {
        assert_eq!(leaf(""), Scalar::Null);
        assert_eq!(leaf("~"), Scalar::Null);
        assert_eq!(leaf("True"), Scalar::Bool(true));
        assert_eq!(leaf("yes"), Scalar::Str(b"yes".to_vec()));
        assert_eq!(leaf("42"), Scalar::Int(42));
        assert_eq!(leaf("-1_000"), Scalar::Int(-1000));
        assert_eq!(leaf("0x1F"), Scalar::Int(31));
        assert_eq!(leaf("0o17"), Scalar::Int(15));
        assert_eq!(leaf("017"), Scalar::Int(15));
        assert_eq!(leaf("0b101"), Scalar::Int(5));
        assert_eq!(leaf("08"), Scalar::Float(8.0));
        assert_eq!(leaf("18446744073709551615"), Scalar::Uint(u64::MAX));
        assert_eq!(leaf("1.0e+3"), Scalar::Float(1000.0));
        assert_eq!(leaf(".5"), Scalar::Float(0.5));
        assert_eq!(leaf("1e400"), Scalar::Str(b"1e400".to_vec()));
        assert_eq!(leaf("-.inf"), Scalar::Float(f64::NEG_INFINITY));
        assert_eq!(
            leaf("2024-01-01"),
            Scalar::Time("2024-01-01T00:00:00Z".into())
        );
        assert_eq!(leaf("3.11.0"), Scalar::Str(b"3.11.0".to_vec()));
        assert_eq!(leaf("<<"), Scalar::Str(b"<<".to_vec()));
        assert_eq!(
            resolve("1", ScalarStyle::DoubleQuoted, None).unwrap(),
            Scalar::Str(b"1".to_vec())
        );
    }

    #[test]
    fn comments_land_where_sops_puts_them() {
        let src = "# top\na:\n  b: 'x # no' # line\n  # trailing\nc: |\n  # not a comment\n# before d\nd: [1, 2]\n";
        let docs = parse(src.as_bytes()).unwrap();
        let top = &docs[0];
        let texts: Vec<String> = top
            .iter()
            .map(|e| match e {
                Entry::Comment(c) => format!("#{}", c.text),
                Entry::Pair { key, .. } => key.clone(),
            })
            .collect();
        assert_eq!(texts, ["# top", "a", "c", "# before d", "d"]);
        let Entry::Pair {
            value: Node::Map(inner),
            ..
        } = &top[1]
        else {
            panic!("a is a map")
        };
        let inner: Vec<String> = inner
            .iter()
            .map(|e| match e {
                Entry::Comment(c) => format!("#{}", c.text),
                Entry::Pair { key, .. } => key.clone(),
            })
            .collect();
        assert_eq!(inner, ["# line", "b", "# trailing"]);
        let docs = parse(b"n: # key line\n    # head of x\n    x: 1\n    y: 2\n").unwrap();
        let Entry::Pair {
            value: Node::Map(n),
            ..
        } = &docs[0][1]
        else {
            panic!("n is a map: {:?}", docs[0])
        };
        assert!(matches!(&docs[0][0], Entry::Comment(c) if c.text == " key line"));
        assert!(matches!(&n[0], Entry::Comment(c) if c.text == " head of x"));
    }

    #[test]
    fn hostile_yaml_is_bounded() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..30 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(matches!(
            parse(bomb.as_bytes()),
            Err(SopsError::Malformed { .. })
        ));
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(
            parse(deep.as_bytes()),
            Err(SopsError::Malformed { .. })
        ));
        assert!(matches!(
            parse(b"a: \xff\n"),
            Err(SopsError::Malformed {
                pos: Some(Pos { line: 1, .. }),
                ..
            })
        ));
        assert!(parse(b"- a\n- b\n").is_err());
        assert!(parse(b"a: 1\na: 2\n").is_err());
        assert!(parse(b"1: x\n").is_err());
    }
}
