//! The git modes of `pforge-hooks`: `pre-commit`, `pre-push`, `pre-receive`, `framework`, and the
//! history scan behind `scan --git`. Each chooses blobs with a [`crate::source::git`] source and
//! checks them with every check (or those named with `--check`).

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};

use super::install::{InstallArgs, UninstallArgs};
use super::{CommonArgs, fail};
use crate::checks::Check;
use crate::context::Context;
use crate::engine::{Engine, Outcome};
use crate::report;
use crate::source::git::feed::Feed;
use crate::source::git::walk::Halt;
use crate::source::git::{self as gitsrc, history, index, push, receive};

const TOOL: &str = "pforge-hooks";
/// Most stdin a hook reads (ref update lines); more is an error, not an unbounded read.
const MAX_STDIN: u64 = 64 * 1024 * 1024;

/// Options of every git mode.
#[derive(Args, Debug, Clone)]
pub struct GitArgs {
    /// Only these checks (comma-separated ids). Default: every check.
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub check: Vec<String>,
    /// Print the blobs the mode selects (`commit<TAB>blob<TAB>path`, `index` for the index) instead
    /// of checking them. For debugging and tests.
    #[arg(long, hide = true)]
    pub list_blobs: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The git subcommands (flattened into the umbrella command).
#[derive(Subcommand, Debug)]
pub enum GitCommand {
    /// Check the staged index (what `git commit` records; honours GIT_INDEX_FILE). A native
    /// pre-commit hook.
    PreCommit {
        #[command(flatten)]
        args: GitArgs,
    },
    /// Check every commit a push sends that the remote lacks (stdin: git's pre-push lines). A native
    /// pre-push hook.
    PrePush {
        /// The remote's name (git passes it).
        #[arg(value_name = "REMOTE")]
        remote: Option<String>,
        /// The remote's URL (git passes it).
        #[arg(value_name = "URL")]
        url: Option<String>,
        #[command(flatten)]
        args: GitArgs,
    },
    /// Server side: check every commit a push brings that no ref has (stdin: git's pre-receive
    /// lines; quarantine-aware). Exit 1 rejects the push.
    PreReceive {
        /// Time budget in seconds; when it runs out the push is rejected (fail closed). Default: the
        /// [git] budget setting, 4.5.
        #[arg(long, value_name = "SECONDS")]
        budget: Option<f64>,
        #[command(flatten)]
        args: GitArgs,
    },
    /// For the pre-commit framework's `pforge-hooks` hook: at its pre-push stage the pushed commits
    /// (from PRE_COMMIT_* variables), otherwise the index entries of the files it names (all staged
    /// changes when it names none).
    Framework {
        /// Files pre-commit names (repository-relative).
        #[arg(value_name = "PATH")]
        paths: Vec<String>,
        #[command(flatten)]
        args: GitArgs,
    },
    /// Install native git hooks (pre-commit, pre-push; pre-receive in a bare repository).
    Install(InstallArgs),
    /// Remove the hooks `install` wrote (restoring chained ones).
    Uninstall(UninstallArgs),
}

/// Run a git subcommand.
pub fn run(cmd: GitCommand) -> ExitCode {
    let start = Instant::now();
    match cmd {
        GitCommand::PreCommit { args } => pre_commit(&args, None),
        GitCommand::PrePush { remote, url, args } => {
            let text = match read_stdin() {
                Ok(t) => t,
                Err(e) => return fail(TOOL, &e),
            };
            let updates = match push::parse_lines(&text) {
                Ok(u) => u,
                Err(e) => return fail(TOOL, &e),
            };
            let remote = remote.or(url);
            pre_push(&args, remote.as_deref(), &updates)
        }
        GitCommand::PreReceive { budget, args } => pre_receive(&args, budget, start),
        GitCommand::Framework { paths, args } => {
            let var = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
            if var("PRE_COMMIT_TO_REF") || var("PRE_COMMIT_REMOTE_NAME") {
                let Some(update) = push::from_framework_env() else {
                    return fail(
                        TOOL,
                        "pre-push stage without PRE_COMMIT_TO_REF or PRE_COMMIT_LOCAL_BRANCH",
                    );
                };
                let remote = std::env::var("PRE_COMMIT_REMOTE_NAME").ok();
                pre_push(&args, remote.as_deref(), &[update])
            } else {
                pre_commit(&args, Some(&paths))
            }
        }
        GitCommand::Install(a) => super::install::install(&a),
        GitCommand::Uninstall(a) => super::install::uninstall(&a),
    }
}

/// `scan --git [RANGE]`: a history scan.
pub fn scan_git(range: Option<&str>, args: &GitArgs) -> ExitCode {
    with_feed(args, None, false, |repo, feed| {
        let plan = history::plan(repo, range).map_err(Halt::Failed)?;
        plan.run(feed)
    })
}

fn pre_commit(args: &GitArgs, paths: Option<&[String]>) -> ExitCode {
    with_feed(args, None, false, |repo, feed| {
        let idx = index::open_index(repo).map_err(Halt::Failed)?;
        let selected = match paths {
            Some(p) if !p.is_empty() => index::at_paths(&idx, p),
            _ => index::staged(repo, &idx).map_err(Halt::Failed)?,
        };
        for sel in selected {
            feed.offer(sel)
                .map_err(|s| crate::source::git::walk::stop_to_halt(s, 0, 0))?;
        }
        feed.check_tree_paths(&index::all_paths(&idx), None);
        Ok(())
    })
}

fn pre_push(args: &GitArgs, remote: Option<&str>, updates: &[push::PushUpdate]) -> ExitCode {
    with_feed(args, None, false, |repo, feed| {
        let plan = push::plan(repo, remote, updates).map_err(Halt::Failed)?;
        plan.run(feed)
    })
}

fn pre_receive(args: &GitArgs, budget: Option<f64>, start: Instant) -> ExitCode {
    let gitlab = receive::under_gitlab();
    let text = match read_stdin() {
        Ok(t) => t,
        Err(e) => return fail_gl(gitlab, &e),
    };
    let updates = match receive::parse_lines(&text) {
        Ok(u) => u,
        Err(e) => return fail_gl(gitlab, &e),
    };
    let loaded = match args.common.load_config() {
        Ok(l) => l,
        Err(e) => return fail_gl(gitlab, &e),
    };
    if receive::push_options()
        .iter()
        .any(|o| o == receive::SKIP_OPTION)
    {
        let refs: Vec<&str> = updates.iter().map(|u| u.refname.as_str()).collect();
        let refs = report::sanitize(&refs.join(", "));
        if loaded.config.git.allow_skip_option {
            say(
                gitlab,
                &format!(
                    "{TOOL}: WARNING: push option {} used by {}: checks SKIPPED for {refs} (logged)",
                    receive::SKIP_OPTION,
                    report::sanitize(&receive::pusher())
                ),
            );
            return ExitCode::SUCCESS;
        }
        say(
            gitlab,
            &format!(
                "{TOOL}: push option {} ignored: this server does not allow it ([git] allow-skip-option); checking as usual",
                receive::SKIP_OPTION
            ),
        );
    }
    let seconds = budget.unwrap_or(loaded.config.git.budget);
    if !seconds.is_finite() || seconds < 0.0 {
        return fail_gl(gitlab, &format!("bad time budget: {seconds}"));
    }
    let deadline = start + Duration::from_secs_f64(seconds.min(86_400.0));
    with_feed(args, Some((deadline, seconds)), gitlab, |repo, feed| {
        let plan = receive::plan(repo, &updates).map_err(Halt::Failed)?;
        plan.run(feed)
    })
}

/// Load the configuration, build the engine and the feed, run `select`, and report.
fn with_feed<F>(args: &GitArgs, budget: Option<(Instant, f64)>, gitlab: bool, select: F) -> ExitCode
where
    F: FnOnce(&git2::Repository, &mut Feed<'_>) -> Result<(), Halt>,
{
    args.common.apply_color();
    let loaded = match args.common.load_config() {
        Ok(l) => l,
        Err(e) => return fail_gl(gitlab, &e),
    };
    let ctx = match Context::new(loaded) {
        Ok(c) => c,
        Err(e) => return fail_gl(gitlab, &e),
    };
    let checks = match pick_checks(&args.check) {
        Ok(c) => c,
        Err(e) => return fail_gl(gitlab, &e),
    };
    let engine = Engine::new(checks, &ctx);
    let repo = match gitsrc::open_repo() {
        Ok(r) => r,
        Err(e) => return fail_gl(gitlab, &e),
    };
    let limit = ctx.config.git.blob_limit(&ctx.config.limits);
    let mut feed = match Feed::new(&engine, &repo, limit) {
        Ok(f) => f.deadline(budget.map(|b| b.0)),
        Err(e) => return fail_gl(gitlab, &e),
    };
    if args.list_blobs {
        let out = std::io::BufWriter::new(std::io::stdout());
        feed = feed.listing(Box::new(out));
    }
    match select(&repo, &mut feed) {
        Ok(()) => {}
        Err(Halt::Budget { done, total }) => {
            let seconds = budget.map_or(0.0, |b| b.1);
            let progress = if total > 0 {
                format!("after {done} of {total} new commits")
            } else {
                "before the new commits were listed".to_string()
            };
            say(
                gitlab,
                &format!(
                    "{TOOL}: error: the time budget of {seconds} s ran out {progress} ({} blobs checked): \
                     the push is rejected because it could not be checked in full (fail closed). \
                     Push fewer commits at a time, or raise --budget / [git] budget if the server's hook timeout allows.",
                    feed.distinct()
                ),
            );
            return ExitCode::from(2);
        }
        Err(Halt::Failed(e)) => return fail_gl(gitlab, &e),
    }
    let outcome = match feed.finish() {
        Ok(o) => o,
        Err(crate::source::git::feed::Stop::Io(e)) => {
            return fail_gl(gitlab, &format!("cannot write the listing: {e}"));
        }
        Err(crate::source::git::feed::Stop::Budget) => {
            return fail_gl(gitlab, "the time budget ran out (fail closed)");
        }
    };
    if args.list_blobs {
        return ExitCode::SUCCESS;
    }
    emit(&outcome, args, gitlab)
}

fn pick_checks(ids: &[String]) -> Result<Vec<Box<dyn Check>>, String> {
    if ids.is_empty() {
        return Ok(crate::checks::all());
    }
    ids.iter()
        .map(|id| crate::checks::by_id(id).ok_or_else(|| format!("unknown check `{id}`")))
        .collect()
}

/// Render the outcome; under GitLab every line goes to stderr prefixed `GL-HOOK-ERR: `.
fn emit(outcome: &Outcome, args: &GitArgs, gitlab: bool) -> ExitCode {
    if !gitlab {
        return super::finish(TOOL, outcome, args.common.format);
    }
    let mut out = anstream::StripStream::new(Vec::new());
    let mut err = anstream::StripStream::new(Vec::new());
    if let Err(e) = report::render(outcome, args.common.format, TOOL, &mut out, &mut err) {
        return fail_gl(gitlab, &format!("cannot write the report: {e}"));
    }
    let out = out.into_inner();
    let err = err.into_inner();
    let text = String::from_utf8_lossy(&out).into_owned() + &String::from_utf8_lossy(&err);
    let mut stderr = std::io::stderr().lock();
    for line in text.lines() {
        let _ = writeln!(stderr, "GL-HOOK-ERR: {line}");
    }
    ExitCode::from(report::exit_code(outcome))
}

/// Print one message line to stderr (with the GitLab prefix when under GitLab).
fn say(gitlab: bool, message: &str) {
    let mut err = std::io::stderr().lock();
    let prefix = if gitlab { "GL-HOOK-ERR: " } else { "" };
    for line in message.lines() {
        let _ = writeln!(err, "{prefix}{line}");
    }
}

/// [`fail`], with the GitLab prefix when under GitLab.
fn fail_gl(gitlab: bool, message: &str) -> ExitCode {
    if !gitlab {
        return fail(TOOL, message);
    }
    say(
        true,
        &format!("{TOOL}: error: {}", report::sanitize(message)),
    );
    ExitCode::from(2)
}

fn read_stdin() -> Result<String, String> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_STDIN + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if buf.len() as u64 > MAX_STDIN {
        return Err(format!("more than {MAX_STDIN} bytes on stdin"));
    }
    String::from_utf8(buf).map_err(|_| "stdin is not UTF-8 ref lines".to_string())
}
