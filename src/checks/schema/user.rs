//! User JSON Schemas (written in YAML or JSON), applied per file pattern with the `jsonschema` crate.
//!
//! Without a key, the schema is checked against a shadow of the encrypted file: keys and structure are
//! real, each encrypted leaf stands in as a value of its `type:` and plaintext length. Keywords that
//! depend on the value itself (`pattern`, `enum`, `const`, `minimum`, ...) are not judged at encrypted
//! leaves; with the decrypted values in memory, everything is.

use std::collections::HashMap;
use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde_json::{Map, Value};

use super::builtin::Issue;
use super::config::{SchemaMode, UserSchema};
use crate::sops::enc::{self, EncType};
use crate::sops::{Entry, Item, Node, Pos, Scalar};

/// A compiled user schema.
pub struct Compiled {
    /// The files it applies to.
    pub files: GlobSet,
    /// Extend or replace the built-in schema.
    pub mode: SchemaMode,
    /// The schema file as configured (for messages).
    pub source: String,
    schema: Value,
    validator: jsonschema::Validator,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled")
            .field("source", &self.source)
            .finish()
    }
}

/// Read and compile the configured schemas (paths relative to `root`). The error names the file.
pub fn load(schemas: &[UserSchema], root: &Path) -> Result<Vec<Compiled>, String> {
    let mut out = Vec::new();
    for s in schemas {
        let path = root.join(&s.schema);
        let meta = std::fs::metadata(&path)
            .map_err(|e| format!("cannot read the schema {}: {e}", s.schema))?;
        if meta.len() > 4 * 1024 * 1024 {
            return Err(format!("the schema {} is larger than 4 MiB", s.schema));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read the schema {}: {e}", s.schema))?;
        let schema = if s.schema.ends_with(".json") {
            serde_json::from_str(&text).map_err(|e| format!("{}: not valid JSON: {e}", s.schema))?
        } else {
            super::yaml_value::parse(&text).map_err(|e| format!("{}: {e}", s.schema))?
        };
        let validator = jsonschema::validator_for(&schema)
            .map_err(|e| format!("{}: not a valid JSON Schema: {e}", s.schema))?;
        let mut b = GlobSetBuilder::new();
        for g in &s.files {
            let glob = GlobBuilder::new(g.as_str())
                .literal_separator(true)
                .build()
                .map_err(|e| format!("bad glob `{}`: {e}", g.as_str()))?;
            b.add(glob);
        }
        out.push(Compiled {
            files: b.build().map_err(|e| e.to_string())?,
            mode: s.mode,
            source: s.schema.clone(),
            schema,
            validator,
        });
    }
    Ok(out)
}

/// The instance to validate, with where each JSON pointer is in the file and which are encrypted.
pub struct Shadow {
    /// The JSON value.
    pub value: Value,
    /// JSON pointer -> position of its key (or value).
    pub pos: HashMap<String, Pos>,
    /// JSON pointers of encrypted leaves (their values are stand-ins).
    pub encrypted: std::collections::HashSet<String>,
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Build the shadow of a SOPS tree (metadata removed).
pub fn shadow(entries: &[Entry]) -> Shadow {
    let mut s = Shadow {
        value: Value::Null,
        pos: HashMap::new(),
        encrypted: Default::default(),
    };
    s.value = map(entries, "", &mut s, 0);
    s
}

fn map(entries: &[Entry], ptr: &str, s: &mut Shadow, depth: usize) -> Value {
    let mut m = Map::new();
    for e in entries {
        if let Entry::Pair {
            key,
            key_pos,
            value,
        } = e
        {
            let p = format!("{ptr}/{}", escape(key));
            s.pos.insert(p.clone(), *key_pos);
            let v = node(value, &p, s, depth + 1);
            m.insert(key.clone(), v);
        }
    }
    Value::Object(m)
}

fn node(n: &Node, ptr: &str, s: &mut Shadow, depth: usize) -> Value {
    if depth > 64 {
        return Value::Null;
    }
    match n {
        Node::Map(entries) => map(entries, ptr, s, depth),
        Node::Seq(items) => {
            let mut v = Vec::new();
            for item in items {
                if let Item::Node(n) = item {
                    let p = format!("{ptr}/{}", v.len());
                    v.push(node(n, &p, s, depth + 1));
                }
            }
            Value::Array(v)
        }
        Node::Leaf(l) => {
            s.pos.entry(ptr.to_string()).or_insert(l.pos);
            match &l.value {
                Scalar::Str(b) if enc::looks_encrypted(b) => {
                    s.encrypted.insert(ptr.to_string());
                    match enc::parse(&String::from_utf8_lossy(b)) {
                        Ok(v) => match v.kind {
                            EncType::Int => Value::Number(1.into()),
                            EncType::Float => serde_json::json!(1.5),
                            EncType::Bool => Value::Bool(true),
                            // A string of the plaintext's length: lengths are real, the text is not.
                            _ => Value::String("x".repeat(v.data.len())),
                        },
                        Err(_) => Value::String(String::new()),
                    }
                }
                Scalar::Str(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
                Scalar::Int(i) => Value::Number((*i).into()),
                Scalar::Uint(u) => Value::Number((*u).into()),
                Scalar::Float(f) => {
                    serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
                }
                Scalar::Bool(b) => Value::Bool(*b),
                Scalar::Time(t) => Value::String(t.clone()),
                Scalar::Null => Value::Null,
            }
        }
    }
}

/// Put the decrypted values into the shadow (keyed mode): each decrypted leaf of a mapping replaces
/// its stand-in and is then judged by every keyword. Leaves inside lists keep their stand-ins.
pub fn with_decrypted(shadow: &mut Shadow, leaves: &[super::decrypt::OwnedLeaf]) {
    use super::decrypt::Owned;
    for l in leaves {
        if l.in_list {
            continue;
        }
        let ptr: String = l.path.iter().map(|k| format!("/{}", escape(k))).collect();
        let value = match &l.value {
            Owned::Str(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
            Owned::Int(i) => Value::Number((*i).into()),
            Owned::Other(_) => continue,
        };
        if let Some(slot) = shadow.value.pointer_mut(&ptr) {
            *slot = value;
            shadow.encrypted.remove(&ptr);
        }
    }
}

impl Drop for Shadow {
    fn drop(&mut self) {
        wipe(&mut self.value);
    }
}

/// Overwrite every string of a value (decrypted values may be in it).
fn wipe(v: &mut Value) {
    use zeroize::Zeroize;
    match v {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(m) => m.values_mut().for_each(wipe),
        _ => {}
    }
}

/// Keywords whose verdict depends on the value itself, not on its type or length.
const VALUE_KEYWORDS: [&str; 16] = [
    "pattern",
    "enum",
    "const",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "anyOf",
    "oneOf",
    "not",
    "if",
];

fn dotted(ptr: &str) -> String {
    if ptr.is_empty() {
        return "(top level)".to_string();
    }
    ptr.trim_start_matches('/')
        .split('/')
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}...", s.chars().take(77).collect::<String>())
    } else {
        s
    }
}

/// Validate `shadow` with a user schema. `keyed`: the shadow holds decrypted values (judge everything).
pub fn check(c: &Compiled, shadow: &Shadow, keyed: bool) -> Vec<Issue> {
    let mut out = Vec::new();
    for err in c.validator.iter_errors(&shadow.value) {
        let ptr = err.instance_path().as_str().to_string();
        let keyword = err.kind().keyword().to_string();
        if !keyed && shadow.encrypted.contains(&ptr) && VALUE_KEYWORDS.contains(&keyword.as_str()) {
            continue;
        }
        let schema_ptr = err.schema_path().as_str().to_string();
        let rule_value = c.schema.pointer(&schema_ptr).map(short).unwrap_or_default();
        let (key_path, pos, message) = match err.kind() {
            jsonschema::error::ValidationErrorKind::Required { property } => {
                let prop = property
                    .as_str()
                    .map_or_else(|| property.to_string(), str::to_string);
                let child = if ptr.is_empty() {
                    prop.clone()
                } else {
                    format!("{}.{prop}", dotted(&ptr))
                };
                (
                    child.clone(),
                    shadow.pos.get(&ptr).copied(),
                    format!("`{child}` is missing; the schema {} requires it", c.source),
                )
            }
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => (
                dotted(&ptr),
                shadow.pos.get(&ptr).copied(),
                format!(
                    "`{}` has keys the schema {} does not allow: {}",
                    dotted(&ptr),
                    c.source,
                    unexpected.join(", ")
                ),
            ),
            _ => (
                dotted(&ptr),
                shadow.pos.get(&ptr).copied(),
                format!(
                    "`{}` does not satisfy `{keyword}: {rule_value}` of the schema {} (at {schema_ptr})",
                    dotted(&ptr),
                    c.source
                ),
            ),
        };
        out.push(Issue {
            rule: "user-schema",
            key_path,
            pos,
            message,
            hint: format!("fix the value with `sops FILE`, or the schema {}", c.source),
            warning: false,
        });
    }
    out
}
