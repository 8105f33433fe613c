//! age identities, found where sops finds them (spec §11), loaded once per run.
//!
//! Sources, all combined: SSH keys (`SOPS_AGE_SSH_PRIVATE_KEY_FILE`, else `~/.ssh/id_ed25519`, else
//! `~/.ssh/id_rsa`; unencrypted keys only), `SOPS_AGE_KEY` (one or more identities, on lines or
//! separated by spaces), `SOPS_AGE_KEY_FILE`, the output of `SOPS_AGE_KEY_CMD` (run lazily, once per
//! recipient, with `SOPS_AGE_RECIPIENT` set), and `<user config dir>/sops/age/keys.txt`.
//!
//! Nothing here ever prints an identity: errors name the source and a line number, and the `Debug`
//! form lists sources only.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

/// An identity usable to open age stanzas.
type BoxedIdentity = Box<dyn age::Identity + Send + Sync>;
/// Identities from one run of `SOPS_AGE_KEY_CMD`, or why it failed.
type CmdResult = Arc<Result<Vec<BoxedIdentity>, String>>;

/// Identity files larger than this are refused (age's own limit).
const MAX_IDENTITY_FILE: u64 = 16 << 20;
/// A data key or Shamir share is 32 or 33 bytes; anything much larger is not a sops data key.
const MAX_PAYLOAD: u64 = 1024;
/// At most this many distinct recipients get a run of `SOPS_AGE_KEY_CMD` per process.
const MAX_KEY_CMD_RUNS: usize = 256;
/// How long `SOPS_AGE_KEY_CMD` may run.
const KEY_CMD_TIMEOUT: Duration = Duration::from_secs(60);

/// The identities of one run.
pub struct Identities {
    ids: Vec<BoxedIdentity>,
    sources: Vec<String>,
    notes: Vec<String>,
    key_cmd: Option<Vec<String>>,
    cmd_cache: Mutex<HashMap<String, CmdResult>>,
}

impl std::fmt::Debug for Identities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identities")
            .field("count", &self.ids.len())
            .field("sources", &self.sources)
            .field("key_cmd", &self.key_cmd.is_some())
            .finish()
    }
}

impl Default for Identities {
    fn default() -> Self {
        Identities::none()
    }
}

/// The result of offering the identities to one wrapped data key.
pub enum Unwrapped {
    /// An identity opened it: the payload (a data key or a Shamir share), wiped when dropped.
    Opened(Zeroizing<Vec<u8>>),
    /// No identity matches this recipient.
    NoMatch,
    /// The entry is malformed, or an identity matched but the payload did not decrypt.
    Failed(String),
}

impl Identities {
    /// No identities at all (verification is skipped).
    pub fn none() -> Identities {
        Identities {
            ids: Vec::new(),
            sources: Vec::new(),
            notes: Vec::new(),
            key_cmd: None,
            cmd_cache: Mutex::new(HashMap::new()),
        }
    }

    /// Load from the process environment and the user's home, as sops does.
    pub fn from_env() -> Result<Identities, String> {
        Identities::load(&|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Load with `env` as the environment (tests pass their own; `HOME` and `XDG_CONFIG_HOME` are read
    /// through it too).
    pub fn load(env: &dyn Fn(&str) -> Option<String>) -> Result<Identities, String> {
        let mut me = Identities::none();
        let home = env("HOME");

        // 1. SSH keys.
        if let Some(path) = env("SOPS_AGE_SSH_PRIVATE_KEY_FILE") {
            me.load_ssh(&path, "SOPS_AGE_SSH_PRIVATE_KEY_FILE", true)?;
        } else if let Some(home) = &home {
            for name in ["id_ed25519", "id_rsa"] {
                let path = format!("{home}/.ssh/{name}");
                if std::path::Path::new(&path).is_file() {
                    me.load_ssh(&path, &format!("~/.ssh/{name}"), false)?;
                    break;
                }
            }
        }
        // 2. SOPS_AGE_KEY.
        if let Some(text) = env("SOPS_AGE_KEY").map(Zeroizing::new) {
            let n = me.add_text(&text, "SOPS_AGE_KEY")?;
            me.sources.push(format!("SOPS_AGE_KEY ({n} identities)"));
        }
        // 3. SOPS_AGE_KEY_FILE.
        if let Some(path) = env("SOPS_AGE_KEY_FILE") {
            let text = read_limited(&path).map_err(|e| {
                format!(
                    "SOPS_AGE_KEY_FILE: cannot read {}: {e}",
                    crate::report::sanitize(&path)
                )
            })?;
            me.add_file_text(&text, &format!("SOPS_AGE_KEY_FILE {path}"))?;
        }
        // 4. SOPS_AGE_KEY_CMD (run per recipient, when a file needs it).
        if let Some(cmd) = env("SOPS_AGE_KEY_CMD") {
            let argv = split_command(&cmd).filter(|a| !a.is_empty()).ok_or(
                "SOPS_AGE_KEY_CMD: cannot split the command into words (unbalanced quotes?)",
            )?;
            me.key_cmd = Some(argv);
            me.sources.push("SOPS_AGE_KEY_CMD".to_string());
        }
        // 5. The default keys file.
        if let Some(dir) = user_config_dir(env, home.as_deref()) {
            let path = format!("{dir}/sops/age/keys.txt");
            if std::path::Path::new(&path).is_file() {
                let text = read_limited(&path)
                    .map_err(|e| format!("cannot read {}: {e}", crate::report::sanitize(&path)))?;
                me.add_file_text(&text, &path)?;
            }
        }
        Ok(me)
    }

    /// Whether any identity (or a key command) is available.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.key_cmd.is_none()
    }

    /// The sources identities were loaded from (descriptions, never contents).
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Sources that were found but could not be used (passphrase-protected, unsupported kinds).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Identities from literal text (tests, and `SOPS_AGE_KEY`-like input).
    pub fn from_text(text: &str, source: &str) -> Result<Identities, String> {
        let mut me = Identities::none();
        me.add_text(text, source)?;
        me.sources.push(source.to_string());
        Ok(me)
    }

    fn load_ssh(&mut self, path: &str, source: &str, explicit: bool) -> Result<(), String> {
        let shown = crate::report::sanitize(source);
        let text = match read_limited(path) {
            Ok(t) => t,
            Err(e) if explicit => return Err(format!("{shown}: cannot read the SSH key: {e}")),
            Err(_) => {
                self.notes.push(format!("{shown}: cannot be read; skipped"));
                return Ok(());
            }
        };
        let parsed = age::ssh::Identity::from_buffer(BufReader::new(text.as_bytes()), None);
        match parsed {
            Ok(age::ssh::Identity::Unencrypted(k)) => {
                self.ids.push(Box::new(age::ssh::Identity::Unencrypted(k)));
                self.sources.push(source.to_string());
            }
            Ok(age::ssh::Identity::Encrypted(_)) => self.notes.push(format!(
                "{shown}: the SSH key is passphrase-protected; a hook cannot prompt, so it is skipped"
            )),
            Ok(age::ssh::Identity::Unsupported(_)) => self
                .notes
                .push(format!("{shown}: this kind of SSH key cannot be used with age; skipped")),
            Err(_) if explicit => {
                return Err(format!("{shown}: not an OpenSSH ed25519 or RSA private key"));
            }
            Err(_) => self
                .notes
                .push(format!("{shown}: not an OpenSSH ed25519 or RSA private key; skipped")),
        }
        Ok(())
    }

    /// An identities file: refuse to guess at a passphrase-protected one.
    fn add_file_text(&mut self, text: &str, source: &str) -> Result<(), String> {
        let t = text.trim_start();
        if t.starts_with("age-encryption.org/") || t.starts_with("-----BEGIN AGE") {
            self.notes.push(format!(
                "{}: the identities file is passphrase-protected; a hook cannot prompt, so it is skipped",
                crate::report::sanitize(source)
            ));
            return Ok(());
        }
        let n = self.add_text(text, source)?;
        self.sources.push(format!("{source} ({n} identities)"));
        Ok(())
    }

    /// Parse identities: one per line or several separated by spaces; `#` lines and blank lines are
    /// skipped. Returns how many were added.
    fn add_text(&mut self, text: &str, source: &str) -> Result<usize, String> {
        let (ids, notes) = parse_identities(text, source)?;
        let n = ids.len();
        self.ids.extend(ids);
        self.notes.extend(notes);
        Ok(n)
    }

    /// Offer every identity to one age `enc` entry (an armored age file) of `recipient`.
    pub fn unwrap(&self, recipient: &str, enc: &str) -> Unwrapped {
        let cmd_ids = self
            .key_cmd
            .as_ref()
            .map(|argv| self.cmd_identities(argv, recipient));
        let mut all: Vec<&dyn age::Identity> = self.ids.iter().map(|b| b.as_ref() as _).collect();
        let mut cmd_error = None;
        if let Some(r) = &cmd_ids {
            match r.as_ref() {
                Ok(ids) => all.extend(ids.iter().map(|b| b.as_ref() as &dyn age::Identity)),
                Err(e) => cmd_error = Some(e.clone()),
            }
        }
        let armored = age::armor::ArmoredReader::new(enc.as_bytes());
        let decryptor = match age::Decryptor::new(armored) {
            Ok(d) => d,
            Err(e) => {
                return Unwrapped::Failed(format!(
                    "the wrapped data key is not a valid age file: {e}"
                ));
            }
        };
        if decryptor.is_scrypt() {
            return Unwrapped::Failed(
                "the wrapped data key is passphrase-encrypted, not to a recipient".to_string(),
            );
        }
        match decryptor.decrypt(all.into_iter()) {
            Ok(reader) => {
                let mut out = Zeroizing::new(Vec::with_capacity(33));
                match reader.take(MAX_PAYLOAD + 1).read_to_end(&mut out) {
                    Ok(_) if out.len() as u64 > MAX_PAYLOAD => {
                        Unwrapped::Failed("the wrapped data key is far too long".to_string())
                    }
                    Ok(_) => Unwrapped::Opened(out),
                    Err(e) => {
                        Unwrapped::Failed(format!("the wrapped data key does not decrypt: {e}"))
                    }
                }
            }
            Err(age::DecryptError::NoMatchingKeys) => match cmd_error {
                Some(e) => Unwrapped::Failed(e),
                None => Unwrapped::NoMatch,
            },
            Err(e) => Unwrapped::Failed(format!("the wrapped data key does not decrypt: {e}")),
        }
    }

    fn cmd_identities(&self, argv: &[String], recipient: &str) -> CmdResult {
        let mut cache = match self.cmd_cache.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        if let Some(r) = cache.get(recipient) {
            return Arc::clone(r);
        }
        if cache.len() >= MAX_KEY_CMD_RUNS {
            // A hostile file (or push) with thousands of recipients must not spawn thousands of
            // processes.
            return Arc::new(Err(format!(
                "SOPS_AGE_KEY_CMD was already run for {MAX_KEY_CMD_RUNS} different recipients in this run; not run again"
            )));
        }
        let r = Arc::new(run_key_cmd(argv, recipient).and_then(|text| {
            parse_identities(&text, "SOPS_AGE_KEY_CMD output").map(|(ids, _)| ids)
        }));
        cache.insert(recipient.to_string(), Arc::clone(&r));
        r
    }
}

/// Parse identity text into identities and notes about entries that cannot be used.
fn parse_identities(text: &str, source: &str) -> Result<(Vec<BoxedIdentity>, Vec<String>), String> {
    let mut ids: Vec<BoxedIdentity> = Vec::new();
    let mut notes = Vec::new();
    let shown = crate::report::sanitize(source);
    for (lineno, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        for word in line.split_whitespace() {
            let upper = word.to_ascii_uppercase();
            if upper.starts_with("AGE-SECRET-KEY-PQ-") {
                notes.push(format!(
                    "{shown} line {}: post-quantum age identities are not supported yet; skipped",
                    lineno + 1
                ));
            } else if upper.starts_with("AGE-PLUGIN-") {
                notes.push(format!(
                    "{shown} line {}: age plugin identities are not supported; skipped",
                    lineno + 1
                ));
            } else {
                match age::x25519::Identity::from_str(word) {
                    Ok(id) => ids.push(Box::new(id)),
                    Err(_) => {
                        return Err(format!(
                            "{shown} line {}: not an age X25519 identity",
                            lineno + 1
                        ));
                    }
                }
            }
        }
    }
    Ok((ids, notes))
}

fn read_limited(path: &str) -> std::io::Result<Zeroizing<String>> {
    let f = std::fs::File::open(path)?;
    let mut buf = Zeroizing::new(Vec::new());
    f.take(MAX_IDENTITY_FILE + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_IDENTITY_FILE {
        return Err(std::io::Error::other("larger than 16 MiB"));
    }
    let s = std::str::from_utf8(&buf)
        .map_err(|_| std::io::Error::other("not UTF-8 text"))?
        .to_string();
    Ok(Zeroizing::new(s))
}

/// `os.UserConfigDir()` as Go computes it.
fn user_config_dir(env: &dyn Fn(&str) -> Option<String>, home: Option<&str>) -> Option<String> {
    if cfg!(windows) {
        return env("APPDATA");
    }
    if let Some(x) = env("XDG_CONFIG_HOME").filter(|x| x.starts_with('/')) {
        return Some(x);
    }
    let home = home?;
    if cfg!(target_os = "macos") {
        Some(format!("{home}/Library/Application Support"))
    } else {
        Some(format!("{home}/.config"))
    }
}

/// Split a command line into words as sops does (shell-like quoting, no expansion).
fn split_command(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => cur.push(c),
                            '\n' => {}
                            c => {
                                cur.push('\\');
                                cur.push(c);
                            }
                        },
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(c) => cur.push(c),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

/// Run `SOPS_AGE_KEY_CMD` for one recipient; its stdout is an identities file. Bounded in time and
/// size; its stderr is not shown (it could hold anything).
fn run_key_cmd(argv: &[String], recipient: &str) -> Result<Zeroizing<String>, String> {
    let (prog, args) = argv.split_first().ok_or("SOPS_AGE_KEY_CMD is empty")?;
    let mut child = Command::new(prog)
        .args(args)
        .env("SOPS_AGE_RECIPIENT", recipient)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            format!(
                "SOPS_AGE_KEY_CMD: cannot run `{}`: {e}",
                crate::report::sanitize(prog)
            )
        })?;
    let Some(mut stdout) = child.stdout.take() else {
        return Err("SOPS_AGE_KEY_CMD: no output pipe".to_string());
    };
    let reader = std::thread::spawn(move || {
        let mut buf = Zeroizing::new(Vec::new());
        let r = (&mut stdout)
            .take(MAX_IDENTITY_FILE + 1)
            .read_to_end(&mut buf);
        // Drain anything beyond the limit so the command is not blocked on a full pipe.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        r.map(|_| buf)
    });
    let deadline = Instant::now() + KEY_CMD_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "SOPS_AGE_KEY_CMD did not finish within {} s; it was stopped",
                    KEY_CMD_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("SOPS_AGE_KEY_CMD: {e}")),
        }
    };
    let out = reader
        .join()
        .map_err(|_| "SOPS_AGE_KEY_CMD: reading its output failed".to_string())?
        .map_err(|e| format!("SOPS_AGE_KEY_CMD: reading its output failed: {e}"))?;
    if !status.success() {
        return Err(format!("SOPS_AGE_KEY_CMD failed ({status})"));
    }
    if out.len() as u64 > MAX_IDENTITY_FILE {
        return Err("SOPS_AGE_KEY_CMD printed more than 16 MiB".to_string());
    }
    let text = std::str::from_utf8(&out)
        .map_err(|_| "SOPS_AGE_KEY_CMD printed non-UTF-8 output".to_string())?;
    Ok(Zeroizing::new(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const KEY1: &str =
        "AGE-SECRET-KEY-1G0Q5K9TV4REQ3ZSQRMTMG8NSWQGYT0T7TZ33RAZEE0GZYVZN0APSU24RK7"; // pforge-hooks: allow (public sops test key)
    pub(crate) const KEY2: &str =
        "AGE-SECRET-KEY-1432K5YRNSC44GC4986NXMX6GVZ52WTMT9C79CLUVWYY4DKDHD5JSNDP4MC"; // pforge-hooks: allow (public sops test key)

    fn env_of(pairs: &[(&str, String)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn sops_age_key_takes_lines_and_spaces_and_comments() {
        let text = format!("# created: x\n{KEY1} {KEY2}\n\n{KEY1}\n");
        let ids = Identities::load(&env_of(&[("SOPS_AGE_KEY", text)])).unwrap();
        assert_eq!(ids.ids.len(), 3);
        assert!(!ids.is_empty());
    }

    #[test]
    fn errors_name_the_source_and_line_but_never_the_content() {
        let bad = format!("{KEY1}\nAGE-SECRET-KEY-1NOTAKEYATALL");
        let e = Identities::load(&env_of(&[("SOPS_AGE_KEY", bad)])).unwrap_err();
        assert!(e.contains("SOPS_AGE_KEY line 2"), "{e}");
        assert!(!e.contains("NOTAKEY") && !e.contains(KEY1), "{e}");
        let e = Identities::load(&env_of(&[("SOPS_AGE_KEY_FILE", "/nonexistent/k".into())]))
            .unwrap_err();
        assert!(e.contains("SOPS_AGE_KEY_FILE"), "{e}");
        let dbg = format!("{:?}", Identities::from_text(KEY1, "t").unwrap());
        assert!(!dbg.contains("AGE-SECRET"), "{dbg}");
    }

    #[test]
    fn finds_the_default_keys_file_and_xdg() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap().to_string();
        std::fs::create_dir_all(format!("{home}/.config/sops/age")).unwrap();
        std::fs::write(
            format!("{home}/.config/sops/age/keys.txt"),
            format!("{KEY1}\n"),
        )
        .unwrap();
        let ids = Identities::load(&env_of(&[("HOME", home.clone())])).unwrap();
        assert_eq!(ids.ids.len(), 1);
        // XDG_CONFIG_HOME replaces ~/.config.
        let ids = Identities::load(&env_of(&[
            ("HOME", home.clone()),
            ("XDG_CONFIG_HOME", format!("{home}/elsewhere")),
        ]))
        .unwrap();
        assert!(ids.is_empty());
    }

    #[test]
    fn passphrase_protected_files_are_skipped_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.age");
        std::fs::write(&p, "-----BEGIN AGE ENCRYPTED FILE-----\nxx\n").unwrap();
        let ids = Identities::load(&env_of(&[(
            "SOPS_AGE_KEY_FILE",
            p.to_str().unwrap().to_string(),
        )]))
        .unwrap();
        assert!(ids.is_empty());
        assert_eq!(ids.notes().len(), 1);
    }

    #[test]
    fn splits_commands_like_a_shell() {
        assert_eq!(
            split_command(r#"sh -c 'echo "$X"' a\ b "c\"d""#).unwrap(),
            vec!["sh", "-c", "echo \"$X\"", "a b", "c\"d"]
        );
        assert_eq!(split_command("'open"), None);
    }

    #[test]
    fn key_cmd_gets_the_recipient_and_its_output_is_cached() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let cmd = format!(
            "sh -c 'echo \"$SOPS_AGE_RECIPIENT\" >> {}; echo {KEY1}'",
            log.display()
        );
        let ids = Identities::load(&env_of(&[("SOPS_AGE_KEY_CMD", cmd)])).unwrap();
        assert!(!ids.is_empty());
        for _ in 0..2 {
            let r = ids.cmd_identities(ids.key_cmd.as_deref().unwrap(), "age1xyz");
            assert_eq!(r.as_ref().as_ref().unwrap().len(), 1);
        }
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "age1xyz\n");
        let failing = Identities::load(&env_of(&[("SOPS_AGE_KEY_CMD", "false".into())])).unwrap();
        let r = failing.cmd_identities(failing.key_cmd.as_deref().unwrap(), "r");
        assert!(r.as_ref().as_ref().is_err());
    }
}
