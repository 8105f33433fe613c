//! The store-independent tree of a SOPS document: what sops walks to encrypt, decrypt and MAC.
//!
//! Every store (YAML, JSON, dotenv, INI, binary) parses into this shape with the `sops` metadata removed.
//! Keys and structure are clear text; leaves are scalars (some of them `ENC[...]` strings); comments are
//! kept where sops keeps them, because sops encrypts some of them.

/// A 1-based position in the source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// A scalar as the store resolved it (go-yaml v3 / encoding/json / go-ini semantics, spec §9).
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// `null`, `~`, empty YAML value, JSON `null`: never encrypted, never hashed.
    Null,
    /// A string (raw bytes: the binary store and `!!binary` may hold non-UTF-8).
    Str(Vec<u8>),
    /// A 64-bit signed integer.
    Int(i64),
    /// An integer that only fits u64: sops cannot walk it (an error when it must be hashed).
    Uint(u64),
    /// A float.
    Float(f64),
    /// A bool.
    Bool(bool),
    /// A timestamp, already in Go's RFC 3339 nano text form (what sops hashes and encrypts).
    Time(String),
}

/// A leaf value with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaf {
    /// The resolved value.
    pub value: Scalar,
    /// Where the value starts.
    pub pos: Pos,
}

/// A comment, as sops holds it (spec §5): YAML/dotenv without the leading `#`; INI with `;`/`#` and
/// spaces stripped. An encrypted comment's text is the `ENC[...]` string.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The comment text.
    pub text: String,
    /// Where the comment starts.
    pub pos: Pos,
}

/// A node of the tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A mapping, entries in file order (duplicates kept where the store keeps them).
    Map(Vec<Entry>),
    /// A sequence, items in file order.
    Seq(Vec<Item>),
    /// A scalar.
    Leaf(Leaf),
}

/// An entry of a mapping: a key/value pair, or a comment standing between pairs.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// `key: value`.
    Pair {
        /// The key (mapping keys must be strings in sops).
        key: String,
        /// Where the key starts.
        key_pos: Pos,
        /// The value.
        value: Node,
    },
    /// A comment line inside the mapping.
    Comment(Comment),
}

/// An item of a sequence: a node, or a comment standing between items.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// An element.
    Node(Node),
    /// A comment line inside the sequence.
    Comment(Comment),
}
