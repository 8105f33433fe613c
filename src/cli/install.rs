//! `pforge-hooks install` / `uninstall`: native git hooks in the right directory.
//!
//! The hooks directory is `core.hooksPath` when set (relative to the work tree root, or to the git
//! dir of a bare repository), else `hooks/` of the *common* git dir (shared by every worktree).
//! A hook that is not ours is never clobbered: it is moved to `<hook>.pforge-legacy` and chained (run
//! first, with the same arguments and stdin; its failure stops the commit or push). `--force` replaces
//! it instead (kept as `<hook>.pforge-backup`, not run). Installing twice changes nothing; `uninstall`
//! removes only hooks carrying our marker and puts a chained hook back.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::fail;

const TOOL: &str = "pforge-hooks";
/// The line that marks a hook as written by `pforge-hooks install`.
pub const MARKER: &str = "# pforge-hooks-managed-hook v1";
/// Suffix of a chained foreign hook.
pub const LEGACY: &str = "pforge-legacy";
/// Suffix of a foreign hook replaced with `--force`.
pub const BACKUP: &str = "pforge-backup";

/// A hook `install` can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HookName {
    /// Check the staged index before each commit.
    PreCommit,
    /// Check the commits of each push.
    PrePush,
    /// Server side, in a bare repository: check every push received.
    PreReceive,
}

impl HookName {
    /// The git hook file name (also the subcommand name).
    pub fn as_str(self) -> &'static str {
        match self {
            HookName::PreCommit => "pre-commit",
            HookName::PrePush => "pre-push",
            HookName::PreReceive => "pre-receive",
        }
    }

    fn reads_stdin(self) -> bool {
        !matches!(self, HookName::PreCommit)
    }
}

/// `install` options.
#[derive(Args, Debug, Clone)]
pub struct InstallArgs {
    /// Hooks to install (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [HookName::PreCommit, HookName::PrePush])]
    pub hook: Vec<HookName>,
    /// Replace an existing hook that is not ours (kept as `<hook>.pforge-backup`) instead of chaining it.
    #[arg(long)]
    pub force: bool,
    /// Refuse (exit 2, with advice) instead of chaining an existing hook that is not ours.
    #[arg(long, conflicts_with = "force")]
    pub no_chain: bool,
}

/// `uninstall` options.
#[derive(Args, Debug, Clone)]
pub struct UninstallArgs {
    /// Hooks to remove (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [HookName::PreCommit, HookName::PrePush, HookName::PreReceive])]
    pub hook: Vec<HookName>,
}

/// The directory git runs hooks from, for the repository found from the environment.
pub fn hooks_dir(repo: &git2::Repository) -> Result<PathBuf, String> {
    let config = repo
        .config()
        .map_err(|e| format!("cannot read the git config: {}", e.message()))?;
    match config.get_path("core.hooksPath") {
        Ok(p) if p.is_absolute() => Ok(p),
        Ok(p) => {
            let base = repo.workdir().unwrap_or_else(|| repo.path());
            Ok(base.join(p))
        }
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(repo.commondir().join("hooks")),
        Err(e) => Err(format!("cannot read core.hooksPath: {}", e.message())),
    }
}

/// The script `install` writes for `hook`, calling the binary at `exe` (or `pforge-hooks` on PATH).
pub fn script(hook: HookName, exe: &Path) -> String {
    let exe = exe.to_string_lossy().replace('\'', "'\\''");
    let name = hook.as_str();
    let mut s = format!(
        "#!/bin/sh\n{MARKER}\n# {name} hook written by `pforge-hooks install`; remove it with `pforge-hooks uninstall`.\n\
         # A hook that was here before is kept as {name}.{LEGACY} and runs first.\n\
         PFORGE_HOOKS_BIN='{exe}'\n\
         if [ ! -x \"$PFORGE_HOOKS_BIN\" ]; then PFORGE_HOOKS_BIN=$(command -v pforge-hooks 2>/dev/null || true); fi\n\
         if [ -z \"$PFORGE_HOOKS_BIN\" ]; then\n  echo \"pforge-hooks: not found (needed by $0): reinstall it, or run 'pforge-hooks uninstall'\" >&2\n  exit 1\nfi\n\
         LEGACY=\"$0.{LEGACY}\"\n"
    );
    if hook.reads_stdin() {
        s.push_str(&format!(
            "if [ -x \"$LEGACY\" ]; then\n  input=$(cat)\n  printf '%s\\n' \"$input\" | \"$LEGACY\" \"$@\" || exit $?\n  printf '%s\\n' \"$input\" | \"$PFORGE_HOOKS_BIN\" {name} \"$@\"\n  exit $?\nfi\n\
             exec \"$PFORGE_HOOKS_BIN\" {name} \"$@\"\n"
        ));
    } else {
        s.push_str(&format!(
            "if [ -x \"$LEGACY\" ]; then \"$LEGACY\" \"$@\" || exit $?; fi\nexec \"$PFORGE_HOOKS_BIN\" {name}\n"
        ));
    }
    s
}

fn is_ours(path: &Path) -> bool {
    std::fs::read(path)
        .map(|b| b.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()))
        .unwrap_or(false)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

fn write_executable(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

/// What happened to one hook.
fn install_one(
    dir: &Path,
    hook: HookName,
    exe: &Path,
    args: &InstallArgs,
) -> Result<String, String> {
    let path = dir.join(hook.as_str());
    let text = script(hook, exe);
    let shown = path.display();
    let exists = std::fs::symlink_metadata(&path).is_ok();
    if exists && is_ours(&path) {
        if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
            return Ok(format!("{}: already installed at {shown}", hook.as_str()));
        }
        write_executable(&path, &text).map_err(|e| format!("cannot write {shown}: {e}"))?;
        return Ok(format!("{}: updated {shown}", hook.as_str()));
    }
    let mut note = String::new();
    if exists {
        let legacy = with_suffix(&path, LEGACY);
        if args.force {
            let backup = with_suffix(&path, BACKUP);
            std::fs::rename(&path, &backup)
                .map_err(|e| format!("cannot move {shown} aside: {e}"))?;
            note = format!(
                " (replaced the existing hook, kept as {}, not run)",
                backup.display()
            );
        } else if args.no_chain {
            return Err(format!(
                "{shown} exists and is not a pforge-hooks hook: not touched. Run `pforge-hooks install` without \
                 --no-chain to chain it (it moves to {}.{LEGACY} and runs first), call `pforge-hooks {}` from it \
                 yourself, or use --force to replace it",
                hook.as_str(),
                hook.as_str()
            ));
        } else if std::fs::symlink_metadata(&legacy).is_ok() {
            return Err(format!(
                "{shown} exists and is not ours, and {} is taken: not touched. Merge them by hand, or use --force \
                 to replace {shown}",
                legacy.display()
            ));
        } else {
            std::fs::rename(&path, &legacy)
                .map_err(|e| format!("cannot move {shown} aside: {e}"))?;
            note = format!(
                " (the existing hook now runs first, from {})",
                legacy.display()
            );
        }
    }
    write_executable(&path, &text).map_err(|e| format!("cannot write {shown}: {e}"))?;
    Ok(format!("{}: installed {shown}{note}", hook.as_str()))
}

/// `pforge-hooks install`.
pub fn install(args: &InstallArgs) -> ExitCode {
    let repo = match crate::source::git::open_repo() {
        Ok(r) => r,
        Err(e) => return fail(TOOL, &e),
    };
    let dir = match hooks_dir(&repo) {
        Ok(d) => d,
        Err(e) => return fail(TOOL, &e),
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return fail(TOOL, &format!("cannot create {}: {e}", dir.display()));
    }
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .unwrap_or_else(|_| PathBuf::from("pforge-hooks"));
    let mut code = ExitCode::SUCCESS;
    for hook in dedup(&args.hook) {
        if hook == HookName::PreReceive && !repo.is_bare() {
            eprintln!(
                "{TOOL}: pre-receive: skipped, {} is not a bare repository",
                repo.path().display()
            );
            continue;
        }
        match install_one(&dir, hook, &exe, args) {
            Ok(msg) => println!("{TOOL}: {msg}"),
            Err(e) => code = fail(TOOL, &e),
        }
    }
    code
}

/// `pforge-hooks uninstall`.
pub fn uninstall(args: &UninstallArgs) -> ExitCode {
    let repo = match crate::source::git::open_repo() {
        Ok(r) => r,
        Err(e) => return fail(TOOL, &e),
    };
    let dir = match hooks_dir(&repo) {
        Ok(d) => d,
        Err(e) => return fail(TOOL, &e),
    };
    let mut code = ExitCode::SUCCESS;
    for hook in dedup(&args.hook) {
        let path = dir.join(hook.as_str());
        let shown = path.display();
        if std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        if !is_ours(&path) {
            println!(
                "{TOOL}: {}: {shown} is not a pforge-hooks hook: left alone",
                hook.as_str()
            );
            continue;
        }
        if let Err(e) = std::fs::remove_file(&path) {
            code = fail(TOOL, &format!("cannot remove {shown}: {e}"));
            continue;
        }
        let legacy = with_suffix(&path, LEGACY);
        if std::fs::symlink_metadata(&legacy).is_ok() {
            if let Err(e) = std::fs::rename(&legacy, &path) {
                code = fail(TOOL, &format!("cannot restore {}: {e}", legacy.display()));
                continue;
            }
            println!(
                "{TOOL}: {}: removed; restored the chained hook",
                hook.as_str()
            );
        } else {
            println!("{TOOL}: {}: removed {shown}", hook.as_str());
        }
    }
    code
}

fn dedup(hooks: &[HookName]) -> Vec<HookName> {
    let mut out: Vec<HookName> = Vec::new();
    for h in hooks {
        if !out.contains(h) {
            out.push(*h);
        }
    }
    out
}
