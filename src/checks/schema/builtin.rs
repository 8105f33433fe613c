//! The built-in schema of a pangeo-forge deployment config, and its keyless judge: keys are clear
//! text, `type:` says the type, and the ciphertext is as long as the plaintext (AES-GCM, no padding).

use crate::sops::enc::{self, EncType};
use crate::sops::{Entry, Item, Node, Pos, Scalar};

use super::config::ConfigSchemaConfig;
use super::plain::{self, Plain};

/// The type the app needs for a leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Str,
    /// An integer.
    Int,
    /// A list of strings.
    StrList,
}

/// What a decrypted value must look like, beyond its type and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Nothing more.
    Any,
    /// Lower-case hexadecimal (`uuid4().hex`).
    LowerHex,
    /// An RSA private key in PEM (PKCS#1 or PKCS#8) that parses.
    RsaPem,
    /// Equal to the deployment named in the file name.
    Deployment,
    /// Not only white space.
    NonBlank,
    /// A positive integer.
    Positive,
}

/// One leaf of the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafSpec {
    /// The key path (`["github_app", "id"]`).
    pub path: Vec<String>,
    /// The type.
    pub kind: Kind,
    /// Inclusive plaintext length range (bytes; digits for integers).
    pub len: (usize, usize),
    /// The format of the decrypted value.
    pub format: Format,
    /// Whether the app fails without it.
    pub required: bool,
    /// Why the app needs it (said when it is missing).
    pub why: &'static str,
}

/// The built-in schema for one file (lengths depend on its deployment name).
#[derive(Clone, Debug)]
pub struct Schema {
    /// The leaves.
    pub leaves: Vec<LeafSpec>,
    /// The deployment named by the file, when the file name says it.
    pub deployment: Option<String>,
}

fn path(dotted: &str) -> Vec<String> {
    dotted.split('.').map(str::to_string).collect()
}

/// Dotted form of a key path, for messages.
pub fn dotted(path: &[String]) -> String {
    path.join(".")
}

impl Schema {
    /// The pangeo-forge deployment-config schema for the file of deployment `deployment`.
    pub fn pangeo_forge(cfg: &ConfigSchemaConfig, deployment: Option<&str>) -> Schema {
        let dep_len = deployment.map_or((1, 64), |d| (d.len(), d.len()));
        let [pk_min, pk_max] = cfg.private_key_length;
        let mut leaves = vec![
            LeafSpec {
                path: path("fastapi.PANGEO_FORGE_API_KEY"),
                kind: Kind::Str,
                len: (cfg.api_key_length, cfg.api_key_length),
                format: Format::LowerHex,
                required: true,
                why: "every authenticated API request is checked against it",
            },
            LeafSpec {
                path: path("github_app.app_name"),
                kind: Kind::Str,
                len: dep_len,
                format: Format::Deployment,
                required: true,
                why: "the app stores data under this name and status webhooks are routed by it",
            },
            LeafSpec {
                path: path("github_app.id"),
                kind: Kind::Int,
                len: (1, 10),
                format: Format::Positive,
                required: true,
                why: "the app signs its GitHub tokens with this App id",
            },
            LeafSpec {
                path: path("github_app.private_key"),
                kind: Kind::Str,
                len: (pk_min, pk_max),
                format: Format::RsaPem,
                required: true,
                why: "the app authenticates to GitHub with this key (RS256)",
            },
            LeafSpec {
                path: path("github_app.webhook_secret"),
                kind: Kind::Str,
                len: (cfg.webhook_secret_min_length.max(1), usize::MAX),
                format: Format::NonBlank,
                required: true,
                why: "every GitHub webhook is verified with it, and release.sh reads it",
            },
        ];
        for extra in &cfg.optional_keys {
            let p = path(extra);
            if !leaves.iter().any(|l| l.path == p) {
                leaves.push(LeafSpec {
                    path: p,
                    kind: if extra.ends_with("run_only_on") {
                        Kind::StrList
                    } else {
                        Kind::Str
                    },
                    len: (0, usize::MAX),
                    format: Format::Any,
                    required: false,
                    why: "",
                });
            }
        }
        Schema {
            leaves,
            deployment: deployment.map(str::to_string),
        }
    }
}

/// A problem found by the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// Rule id.
    pub rule: &'static str,
    /// Key path, dotted.
    pub key_path: String,
    /// Where (the key, or the parent when the key is missing).
    pub pos: Option<Pos>,
    /// What is wrong (never a value).
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Whether it only warns.
    pub warning: bool,
}

/// A key found in the file.
struct Found<'a> {
    path: Vec<String>,
    key_pos: Pos,
    node: &'a Node,
}

fn collect<'a>(entries: &'a [Entry], prefix: &[String], out: &mut Vec<Found<'a>>, depth: usize) {
    if depth > 64 {
        return;
    }
    for e in entries {
        if let Entry::Pair {
            key,
            key_pos,
            value,
        } = e
        {
            let mut p = prefix.to_vec();
            p.push(key.clone());
            out.push(Found {
                path: p.clone(),
                key_pos: *key_pos,
                node: value,
            });
            if let Node::Map(inner) = value {
                collect(inner, &p, out, depth + 1);
            }
        }
    }
}

/// Judge the top-level entries of a SOPS file (metadata removed) without any key.
pub fn check_keyless(schema: &Schema, cfg: &ConfigSchemaConfig, entries: &[Entry]) -> Vec<Issue> {
    let mut found = Vec::new();
    collect(entries, &[], &mut found, 0);
    let mut issues = Vec::new();
    let mut missing_sections: Vec<Vec<String>> = Vec::new();
    for spec in &schema.leaves {
        let parent = &spec.path[..spec.path.len().saturating_sub(1)];
        if let Some(f) = found.iter().find(|f| f.path == spec.path) {
            judge_leaf(schema, spec, f.node, f.key_pos, &mut issues);
            continue;
        }
        if !spec.required {
            continue;
        }
        // Missing: say so for the highest missing section once, else for the leaf.
        let mut missing_at = None;
        for i in 1..spec.path.len() {
            let sect = &spec.path[..i];
            if !found.iter().any(|f| f.path == sect) {
                missing_at = Some(sect.to_vec());
                break;
            }
        }
        if let Some(sect) = missing_at {
            if !missing_sections.contains(&sect) {
                issues.push(Issue {
                    rule: "missing-key",
                    key_path: dotted(&sect),
                    pos: None,
                    message: format!(
                        "the `{}` section is missing; the app needs {} in it",
                        dotted(&sect),
                        schema
                            .leaves
                            .iter()
                            .filter(|l| l.required && l.path.starts_with(&sect))
                            .map(|l| format!("`{}`", dotted(&l.path)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    hint: add_hint(&sect),
                    warning: false,
                });
                missing_sections.push(sect);
            }
            continue;
        }
        let parent_pos = found.iter().find(|f| f.path == parent).map(|f| f.key_pos);
        issues.push(Issue {
            rule: "missing-key",
            key_path: dotted(&spec.path),
            pos: parent_pos,
            message: format!("`{}` is missing; {}", dotted(&spec.path), spec.why),
            hint: add_hint(&spec.path),
            warning: false,
        });
    }
    // Keys nobody reads: pydantic ignores them, so they are usually leftovers of an old layout.
    if cfg.unexpected_keys != super::config::KeyPolicy::Allow {
        for f in &found {
            let known = schema
                .leaves
                .iter()
                .any(|l| l.path == f.path || l.path.starts_with(&f.path));
            let under_known_leaf = schema
                .leaves
                .iter()
                .any(|l| f.path.starts_with(&l.path) && f.path.len() > l.path.len());
            let under_unexpected = found.iter().any(|g| {
                g.path.len() < f.path.len()
                    && f.path.starts_with(&g.path)
                    && !schema
                        .leaves
                        .iter()
                        .any(|l| l.path == g.path || l.path.starts_with(&g.path))
            });
            if known || under_known_leaf || under_unexpected {
                continue;
            }
            issues.push(Issue {
                rule: "unexpected-key",
                key_path: dotted(&f.path),
                pos: Some(f.key_pos),
                message: format!(
                    "`{}` is not a key the app reads; it is probably left over from an older \
                     layout (the app ignores it, so a typo here fails silently)",
                    dotted(&f.path)
                ),
                hint: format!(
                    "remove it with `sops FILE` (or allow it: optional-keys = [\"{}\"] under \
                     [validate-config-schema] in .pforge-hooks.toml)",
                    dotted(&f.path)
                ),
                warning: cfg.unexpected_keys == super::config::KeyPolicy::Warning,
            });
        }
    }
    issues
}

fn add_hint(path: &[String]) -> String {
    format!(
        "add `{}` with `sops FILE` (it opens the decrypted file in your editor and encrypts it again)",
        dotted(path)
    )
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Str => "a string",
        Kind::Int => "an integer",
        Kind::StrList => "a list of strings",
    }
}

fn judge_leaf(schema: &Schema, spec: &LeafSpec, node: &Node, pos: Pos, out: &mut Vec<Issue>) {
    let key = dotted(&spec.path);
    let issue = |rule, message: String, hint: String| Issue {
        rule,
        key_path: key.clone(),
        pos: Some(pos),
        message,
        hint,
        warning: false,
    };
    let leaf = match (node, spec.kind) {
        (Node::Seq(items), Kind::StrList) => {
            for item in items {
                if let Item::Node(n) = item {
                    let ok = match n {
                        Node::Leaf(l) => match &l.value {
                            Scalar::Str(s) => match std::str::from_utf8(s)
                                .ok()
                                .filter(|s| enc::looks_encrypted(s.as_bytes()))
                            {
                                Some(s) => enc::parse(s).is_ok_and(|v| v.kind == EncType::Str),
                                None => true,
                            },
                            _ => false,
                        },
                        _ => false,
                    };
                    if !ok {
                        out.push(issue(
                            "wrong-type",
                            format!("`{key}` must be a list of strings; an item is not a string"),
                            "quote each item".to_string(),
                        ));
                        return;
                    }
                }
            }
            return;
        }
        (Node::Leaf(l), Kind::Str | Kind::Int) => l,
        (other, _) => {
            let got = match other {
                Node::Map(_) => "a mapping",
                Node::Seq(_) => "a list",
                Node::Leaf(_) => "a single value",
            };
            out.push(issue(
                "wrong-type",
                format!(
                    "`{key}` is {got}, but the app needs {}",
                    kind_name(spec.kind)
                ),
                format!("make `{key}` {} with `sops FILE`", kind_name(spec.kind)),
            ));
            return;
        }
    };
    // What the file says about the value without decrypting it: its type and length.
    let (kind_seen, len): (Kind, usize) = match &leaf.value {
        Scalar::Str(bytes) if enc::looks_encrypted(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            match enc::parse(&text) {
                Ok(v) => match v.kind {
                    EncType::Str => (Kind::Str, v.data.len()),
                    EncType::Int => (Kind::Int, v.data.len()),
                    other => {
                        out.push(issue(
                            "wrong-type",
                            format!(
                                "`{key}` is encrypted as type:{}, but the app needs {}",
                                other.as_str(),
                                kind_name(spec.kind)
                            ),
                            format!("write `{key}` as {} with `sops FILE`", kind_name(spec.kind)),
                        ));
                        return;
                    }
                },
                Err(e) => {
                    out.push(issue(
                        "unreadable-value",
                        format!("`{key}` is not a well-formed ENC[...] value: {e}"),
                        "run ensure-sops for details; re-encrypt the file with `sops -e -i FILE`"
                            .to_string(),
                    ));
                    return;
                }
            }
        }
        Scalar::Null => {
            out.push(issue(
                "missing-value",
                format!("`{key}` has no value; {}", spec.why),
                add_hint(&spec.path),
            ));
            return;
        }
        // Clear text (an empty string stays clear in sops, or a selector left it clear): judge the
        // value itself, which needs no key.
        other => {
            let p = match other {
                Scalar::Str(b) => Plain::Str(b),
                Scalar::Int(i) => Plain::Int(*i),
                Scalar::Uint(_) => Plain::Other("a too-large integer"),
                Scalar::Float(_) => Plain::Other("a float"),
                Scalar::Bool(_) => Plain::Other("a boolean"),
                Scalar::Time(_) => Plain::Other("a timestamp"),
                Scalar::Null => Plain::Other("null"),
            };
            out.extend(plain::check_value(schema, spec, p, Some(pos)));
            return;
        }
    };
    if kind_seen != spec.kind {
        let (fix, saw) = match spec.kind {
            Kind::Int => ("write it without quotes", "a string (type:str)"),
            _ => ("quote it", "an integer (type:int)"),
        };
        out.push(issue(
            "wrong-type",
            format!(
                "`{key}` is {saw}, but the app needs {}",
                kind_name(spec.kind)
            ),
            format!("{fix}: `sops FILE`, then save; sops keeps the type you write"),
        ));
        return;
    }
    out.extend(plain::check_len(schema, spec, len, Some(pos)));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::sops::Leaf;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    /// A well-formed ENC value whose plaintext is `len` bytes of type `ty`.
    pub(crate) fn enc_value(len: usize, ty: &str) -> Node {
        let b = |n: usize| STANDARD.encode(vec![7u8; n]);
        let s = format!(
            "ENC[AES256_GCM,data:{},iv:{},tag:{},type:{ty}]",
            b(len),
            b(32),
            b(16)
        );
        leaf(Scalar::Str(s.into_bytes()))
    }

    pub(crate) fn leaf(value: Scalar) -> Node {
        Node::Leaf(Leaf {
            value,
            pos: Pos { line: 1, column: 1 },
        })
    }

    pub(crate) fn map(pairs: Vec<(&str, Node)>) -> Node {
        Node::Map(entries(pairs))
    }

    pub(crate) fn entries(pairs: Vec<(&str, Node)>) -> Vec<Entry> {
        pairs
            .into_iter()
            .enumerate()
            .map(|(i, (k, v))| Entry::Pair {
                key: k.to_string(),
                key_pos: Pos {
                    line: i as u32 + 1,
                    column: 1,
                },
                value: v,
            })
            .collect()
    }

    /// A good pangeo-forge config for `pangeo-forge`, with `edit` applied to its github_app pairs.
    pub(crate) fn config(edit: impl FnOnce(&mut Vec<(&'static str, Node)>)) -> Vec<Entry> {
        let mut app = vec![
            ("app_name", enc_value(12, "str")),
            ("id", enc_value(6, "int")),
            ("private_key", enc_value(1679, "str")),
            ("webhook_secret", enc_value(40, "str")),
        ];
        edit(&mut app);
        entries(vec![
            (
                "fastapi",
                map(vec![("PANGEO_FORGE_API_KEY", enc_value(32, "str"))]),
            ),
            ("github_app", map(app)),
        ])
    }

    fn rules(entries: &[Entry]) -> Vec<(&'static str, String)> {
        let cfg = ConfigSchemaConfig::default();
        let schema = Schema::pangeo_forge(&cfg, Some("pangeo-forge"));
        check_keyless(&schema, &cfg, entries)
            .into_iter()
            .map(|i| (i.rule, i.key_path))
            .collect()
    }

    #[test]
    fn a_good_config_passes() {
        assert_eq!(rules(&config(|_| {})), vec![]);
        // run_only_on is optional and allowed.
        let e = config(|a| {
            a.push((
                "run_only_on",
                Node::Seq(vec![Item::Node(enc_value(5, "str"))]),
            ))
        });
        assert_eq!(rules(&e), vec![]);
    }

    #[test]
    fn each_keyless_rule() {
        let set = |k: &'static str, n: Node| {
            move |a: &mut Vec<(&'static str, Node)>| {
                a.retain(|(x, _)| *x != k);
                a.push((k, n));
            }
        };
        let cases: Vec<(Vec<Entry>, (&str, &str))> = vec![
            (
                config(set("id", enc_value(6, "str"))),
                ("wrong-type", "github_app.id"),
            ),
            (
                config(set("id", leaf(Scalar::Str(b"123456".to_vec())))),
                ("wrong-type", "github_app.id"),
            ),
            (
                config(set("app_name", enc_value(13, "str"))),
                ("bad-length", "github_app.app_name"),
            ),
            (
                config(set("private_key", enc_value(9, "str"))),
                ("bad-length", "github_app.private_key"),
            ),
            (
                config(set("webhook_secret", leaf(Scalar::Str(Vec::new())))),
                ("bad-length", "github_app.webhook_secret"),
            ),
            (
                config(set("webhook_secret", leaf(Scalar::Null))),
                ("missing-value", "github_app.webhook_secret"),
            ),
            (
                config(|a| a.retain(|(k, _)| *k != "webhook_secret")),
                ("missing-key", "github_app.webhook_secret"),
            ),
            (
                config(set("webhook_url", enc_value(30, "str"))),
                ("unexpected-key", "github_app.webhook_url"),
            ),
            (
                config(set("id", leaf(Scalar::Int(-4)))),
                ("bad-format", "github_app.id"),
            ),
            (
                config(set("id", enc_value(6, "bool"))),
                ("wrong-type", "github_app.id"),
            ),
            (
                config(set(
                    "id",
                    leaf(Scalar::Str(b"ENC[AES256_GCM,data:".to_vec())),
                )),
                ("unreadable-value", "github_app.id"),
            ),
            (
                config(set("app_name", leaf(Scalar::Str(b"pforge-pr-80".to_vec())))),
                ("app-name-mismatch", "github_app.app_name"),
            ),
        ];
        for (e, want) in cases {
            let got = rules(&e);
            assert_eq!(got, vec![(want.0, want.1.to_string())]);
        }
        // A missing section is said once, naming what it must hold.
        let e = entries(vec![(
            "github_app",
            config(|_| {})
                .into_iter()
                .nth(1)
                .map(|e| match e {
                    Entry::Pair { value, .. } => value,
                    Entry::Comment(_) => unreachable!(),
                })
                .unwrap(),
        )]);
        let cfg = ConfigSchemaConfig::default();
        let issues = check_keyless(&Schema::pangeo_forge(&cfg, Some("pangeo-forge")), &cfg, &e);
        assert_eq!(issues.len(), 1);
        assert!(
            issues[0].message.contains("`fastapi` section is missing"),
            "{}",
            issues[0].message
        );
        assert!(issues[0].message.contains("fastapi.PANGEO_FORGE_API_KEY"));
    }

    #[test]
    fn unexpected_keys_follow_the_policy() {
        let e = entries(vec![("extra", map(vec![("a", enc_value(3, "str"))]))]);
        let mut cfg = ConfigSchemaConfig::default();
        let schema = Schema::pangeo_forge(&cfg, Some("pangeo-forge"));
        let unexpected = |cfg: &ConfigSchemaConfig| {
            check_keyless(&schema, cfg, &e)
                .into_iter()
                .filter(|i| i.rule == "unexpected-key")
                .map(|i| (i.key_path, i.warning))
                .collect::<Vec<_>>()
        };
        // Reported once, at the highest unknown key.
        assert_eq!(unexpected(&cfg), vec![("extra".to_string(), false)]);
        cfg.unexpected_keys = super::super::config::KeyPolicy::Warning;
        assert_eq!(unexpected(&cfg), vec![("extra".to_string(), true)]);
        cfg.unexpected_keys = super::super::config::KeyPolicy::Allow;
        assert_eq!(unexpected(&cfg), vec![]);
    }
}
