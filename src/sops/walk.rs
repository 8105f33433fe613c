//! The tree walk sops does to encrypt, decrypt and MAC (spec §4): document order, the key path of each
//! leaf (list indices not included), whether the file's selector says it is encrypted, and its AAD.

use regex::Regex;

use super::metadata::Selector;
use super::tree::{Comment, Entry, Item, Leaf, Node};

/// What the walk is visiting.
#[derive(Clone, Copy, Debug)]
pub enum VisitKind<'a> {
    /// A scalar value.
    Leaf(&'a Leaf),
    /// A comment (never part of the MAC; encrypted when the selector says so).
    Comment(&'a Comment),
}

/// One step of the walk.
#[derive(Debug)]
pub struct Visit<'a> {
    /// The mapping keys from the document root to this leaf (for a comment: to its container).
    pub path: &'a [&'a str],
    /// The leaf or comment.
    pub kind: VisitKind<'a>,
    /// Whether sops encrypts it (`shouldBeEncrypted`, §4.2).
    pub encrypted: bool,
    /// Index of the document (YAML branch) it belongs to.
    pub branch: usize,
}

impl Visit<'_> {
    /// The AES-GCM additional data sops uses for this value: every path component followed by `:`.
    pub fn aad(&self) -> String {
        let mut s = String::new();
        for p in self.path {
            s.push_str(p);
            s.push(':');
        }
        if self.path.is_empty() {
            s.push(':');
        }
        s
    }

    /// The key path for messages: components joined with `.`.
    pub fn key_path(&self) -> String {
        self.path.join(".")
    }
}

/// A selector ready to evaluate (its regex compiled).
#[derive(Debug)]
pub enum Rule {
    /// `unencrypted_suffix`.
    UnencryptedSuffix(String),
    /// `encrypted_suffix`.
    EncryptedSuffix(String),
    /// `unencrypted_regex`.
    UnencryptedRegex(Regex),
    /// `encrypted_regex`.
    EncryptedRegex(Regex),
    /// `unencrypted_comment_regex`.
    UnencryptedCommentRegex(Regex),
    /// `encrypted_comment_regex`.
    EncryptedCommentRegex(Regex),
}

impl Rule {
    /// Compile a selector; an invalid regex is an error naming the field.
    pub fn compile(selector: &Selector) -> Result<Rule, String> {
        let re = |field: &str, s: &str| {
            Regex::new(s).map_err(|e| format!("`{field}` is not a valid regular expression: {e}"))
        };
        Ok(match selector {
            Selector::UnencryptedSuffix(s) => Rule::UnencryptedSuffix(s.clone()),
            Selector::EncryptedSuffix(s) => Rule::EncryptedSuffix(s.clone()),
            Selector::UnencryptedRegex(s) => Rule::UnencryptedRegex(re(selector.field(), s)?),
            Selector::EncryptedRegex(s) => Rule::EncryptedRegex(re(selector.field(), s)?),
            Selector::UnencryptedCommentRegex(s) => {
                Rule::UnencryptedCommentRegex(re(selector.field(), s)?)
            }
            Selector::EncryptedCommentRegex(s) => {
                Rule::EncryptedCommentRegex(re(selector.field(), s)?)
            }
        })
    }

    /// `shouldBeEncrypted(path, commentStack, isComment)` (§4.2).
    fn should_encrypt(&self, path: &[&str], comments: &[Vec<&str>], is_comment: bool) -> bool {
        match self {
            Rule::UnencryptedSuffix(s) => !path.iter().any(|p| p.ends_with(s.as_str())),
            Rule::EncryptedSuffix(s) => path.iter().any(|p| p.ends_with(s.as_str())),
            Rule::UnencryptedRegex(r) => !path.iter().any(|p| r.is_match(p)),
            Rule::EncryptedRegex(r) => path.iter().any(|p| r.is_match(p)),
            Rule::UnencryptedCommentRegex(r) => !comments.iter().flatten().any(|c| r.is_match(c)),
            Rule::EncryptedCommentRegex(r) => {
                let all: Vec<&str> = comments.iter().flatten().copied().collect();
                let considered = if is_comment && !all.is_empty() {
                    &all[..all.len() - 1]
                } else {
                    &all[..]
                };
                considered.iter().any(|c| r.is_match(c))
            }
        }
    }
}

/// Walk every document of a tree in order, calling `visit` for every leaf and comment.
/// Null leaves are visited too (with their value); callers skip them where sops does.
pub fn walk<'a>(branches: &'a [Vec<Entry>], rule: &Rule, visit: &mut dyn FnMut(&Visit<'_>)) {
    for (i, branch) in branches.iter().enumerate() {
        let mut walker = Walker {
            rule,
            path: Vec::new(),
            comments: Vec::new(),
            branch: i,
            visit,
        };
        walker.map(branch);
    }
}

struct Walker<'r, 'a, 'v> {
    rule: &'r Rule,
    path: Vec<&'a str>,
    comments: Vec<Vec<&'a str>>,
    branch: usize,
    visit: &'v mut dyn FnMut(&Visit<'_>),
}

impl<'a> Walker<'_, 'a, '_> {
    fn emit(&mut self, kind: VisitKind<'a>, is_comment: bool) {
        let encrypted = self
            .rule
            .should_encrypt(&self.path, &self.comments, is_comment);
        let v = Visit {
            path: &self.path,
            kind,
            encrypted,
            branch: self.branch,
        };
        (self.visit)(&v);
    }

    fn comment(&mut self, c: &'a Comment) {
        if let Some(frame) = self.comments.last_mut() {
            frame.push(c.text.as_str());
        }
        self.emit(VisitKind::Comment(c), true);
    }

    fn map(&mut self, entries: &'a [Entry]) {
        self.comments.push(Vec::new());
        for e in entries {
            match e {
                Entry::Comment(c) => self.comment(c),
                Entry::Pair { key, value, .. } => {
                    self.path.push(key.as_str());
                    self.node(value);
                    self.path.pop();
                    if let Some(frame) = self.comments.last_mut() {
                        frame.clear();
                    }
                }
            }
        }
        self.comments.pop();
    }

    fn seq(&mut self, items: &'a [Item]) {
        self.comments.push(Vec::new());
        for item in items {
            match item {
                Item::Comment(c) => self.comment(c),
                Item::Node(n) => {
                    self.node(n);
                    if let Some(frame) = self.comments.last_mut() {
                        frame.clear();
                    }
                }
            }
        }
        self.comments.pop();
    }

    fn node(&mut self, node: &'a Node) {
        match node {
            Node::Map(entries) => self.map(entries),
            Node::Seq(items) => self.seq(items),
            Node::Leaf(leaf) => self.emit(VisitKind::Leaf(leaf), false),
        }
    }
}
