//! Git sources: the staged index (pre-commit), pushed commits (pre-push), received commits
//! (pre-receive) and history ranges (`scan --git`). They choose blobs ([`Selected`]); [`feed::Feed`]
//! reads the chosen blobs in bounded batches and hands them to the engine.
//!
//! Every mode opens the repository with [`open_repo`], which honours the git hook environment
//! (`GIT_DIR`, `GIT_INDEX_FILE`, the pre-receive quarantine), and reads blobs from the object database,
//! never from the working tree.

pub mod feed;
pub mod history;
pub mod index;
pub mod push;
pub mod receive;
pub mod settings;
pub mod walk;

use git2::{FileMode, Oid, Repository};

pub use settings::GitConfig;

/// A blob chosen for checking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selected {
    /// Repository-relative path, `/`-separated (lossy for non-UTF-8 names).
    pub path: String,
    /// The blob id.
    pub oid: Oid,
    /// Where the blob comes from: the commit that introduced it (full id), a label for a ref that
    /// points straight at a tree or blob, or `None` for the index.
    pub commit: Option<String>,
}

/// Open the repository the way git hooks must: `Repository::open_from_env()` (`GIT_DIR`,
/// `GIT_INDEX_FILE`, `GIT_OBJECT_DIRECTORY`, `GIT_ALTERNATE_OBJECT_DIRECTORIES`), plus the alternates
/// libgit2 cannot read because git C-quoted them (a path with `:` or starting with `"`).
pub fn open_repo() -> Result<Repository, String> {
    let repo = Repository::open_from_env()
        .map_err(|e| format!("cannot open the git repository: {}", e.message()))?;
    if let Some(raw) = std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        let raw = raw.to_string_lossy();
        if raw.contains('"') {
            let odb = repo
                .odb()
                .map_err(|e| format!("cannot open the object database: {}", e.message()))?;
            for dir in split_alternates(&raw)? {
                odb.add_disk_alternate(&dir)
                    .map_err(|e| format!("cannot add alternate {dir}: {}", e.message()))?;
            }
        }
    }
    Ok(repo)
}

/// The path-list separator git uses in `GIT_ALTERNATE_OBJECT_DIRECTORIES`.
const PATH_SEP: char = if cfg!(windows) { ';' } else { ':' };

/// Split a `GIT_ALTERNATE_OBJECT_DIRECTORIES` value as git writes it: entries joined by the path
/// separator, an entry C-quoted when it contains the separator or starts with `"`.
pub fn split_alternates(raw: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = raw.chars().peekable();
    while chars.peek().is_some() {
        let mut entry = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err(format!("unterminated quote in alternates: {raw}")),
                    Some('"') => break,
                    Some('\\') => entry.push(unescape(&mut chars, raw)?),
                    Some(c) => entry.push(c),
                }
            }
            match chars.next() {
                None => {}
                Some(c) if c == PATH_SEP => {}
                Some(_) => return Err(format!("garbage after a quoted alternate: {raw}")),
            }
        } else {
            for c in chars.by_ref() {
                if c == PATH_SEP {
                    break;
                }
                entry.push(c);
            }
        }
        if !entry.is_empty() {
            out.push(entry);
        }
    }
    Ok(out)
}

/// One C escape after a backslash (git's `unquote_c_style`).
fn unescape(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    raw: &str,
) -> Result<char, String> {
    let bad = || format!("bad escape in alternates: {raw}");
    let c = chars.next().ok_or_else(bad)?;
    Ok(match c {
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\u{b}',
        '\\' => '\\',
        '"' => '"',
        '0'..='3' => {
            let mut v = c.to_digit(8).ok_or_else(bad)?;
            for _ in 0..2 {
                let d = chars.next().and_then(|d| d.to_digit(8)).ok_or_else(bad)?;
                v = v * 8 + d;
            }
            // Octal escapes encode bytes; a path is bytes, shown here as Latin-1 for the ASCII range.
            char::from_u32(v).ok_or_else(bad)?
        }
        _ => return Err(bad()),
    })
}

/// Whether a tree or index entry of this mode holds content to check: regular and executable files,
/// and symlinks (their blob is the link target text, checked as git stores it). Gitlinks
/// (submodules) and trees are not blobs of this repository.
pub fn is_checked_mode(mode: FileMode) -> bool {
    matches!(
        mode,
        FileMode::Blob | FileMode::BlobExecutable | FileMode::BlobGroupWritable | FileMode::Link
    )
}

/// Same, for a raw mode number (index entries).
pub fn is_checked_raw_mode(mode: u32) -> bool {
    matches!(mode & 0o170000, 0o100000 | 0o120000)
}

/// A repository path from git's bytes, `/`-separated, lossy for non-UTF-8 names.
pub fn path_string(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether an object id is git's all-zeroes "no object" name (SHA-1 or SHA-256 length).
pub fn is_zero_hex(hex: &str) -> bool {
    !hex.is_empty() && hex.bytes().all(|b| b == b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternates_plain_and_quoted() {
        let sep = PATH_SEP;
        let raw = format!("/a/objects{sep}\"/b{sep}c/objects\"{sep}/d");
        assert_eq!(
            split_alternates(&raw).unwrap(),
            vec![
                "/a/objects".to_string(),
                format!("/b{sep}c/objects"),
                "/d".to_string()
            ]
        );
        assert_eq!(
            split_alternates("\"/x\\\"y\\\\z\\101\"").unwrap(),
            vec!["/x\"y\\zA".to_string()]
        );
        assert!(split_alternates("\"/unterminated").is_err());
        assert!(split_alternates("\"/bad\\q\"").is_err());
        assert!(split_alternates("").unwrap().is_empty());
    }

    #[test]
    fn modes() {
        assert!(is_checked_raw_mode(0o100644));
        assert!(is_checked_raw_mode(0o100755));
        assert!(is_checked_raw_mode(0o120000));
        assert!(!is_checked_raw_mode(0o160000));
        assert!(!is_checked_raw_mode(0o040000));
        assert!(is_zero_hex("0000000000000000000000000000000000000000"));
        assert!(!is_zero_hex("0000000000000000000000000000000000000001"));
        assert!(!is_zero_hex(""));
    }
}
