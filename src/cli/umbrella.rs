//! The `pforge-hooks` umbrella command: `scan`, `config`, and the git modes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use super::{CommonArgs, fail, run_checks};

/// pforge-hooks: keep SOPS-encrypted deployment credentials safe, at commit, push and on the server.
#[derive(Parser, Debug)]
#[command(name = "pforge-hooks", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run every check (or those named with --check) on files and directories; default: secrets/.
    Scan {
        /// Files and directories to scan. Default: the project's secrets/ directory.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Only these checks (comma-separated ids).
        #[arg(long, value_delimiter = ',', value_name = "ID")]
        check: Vec<String>,
        /// Scan git history instead of files: RANGE is `REV`, `A..B` or `A...B` (default HEAD).
        #[arg(long, value_name = "RANGE", num_args = 0..=1, default_missing_value = "HEAD")]
        git: Option<String>,
        /// With --git: list the selected blobs instead of checking them (debugging aid).
        #[arg(long, hide = true)]
        list_blobs: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Verify every SOPS file (default: secrets/): it decrypts in memory with an identity at hand and
    /// its MAC matches. Fails when a file cannot be verified. Prints no secret.
    Verify {
        /// Files and directories to verify. Default: the project's secrets/ directory.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Record every current block-plaintext-keys finding in the baseline (fingerprints: rule + secret
    /// hash, no line numbers), so that only new secrets fail from now on. Default: the project root.
    Baseline {
        /// Files and directories to scan. Default: the project root.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Write here instead of the configured `[block-plaintext-keys] baseline`.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Print the effective configuration (TOML) and where it came from.
    Config {
        #[command(flatten)]
        common: CommonArgs,
    },
    #[command(flatten)]
    Git(super::git_modes::GitCommand),
}

/// `main` of `pforge-hooks`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Scan {
            paths,
            check,
            git,
            list_blobs,
            common,
        } => {
            if let Some(range) = git {
                if !paths.is_empty() {
                    return fail(
                        "pforge-hooks",
                        "--git scans history: give a RANGE, not paths",
                    );
                }
                let args = super::git_modes::GitArgs {
                    check,
                    list_blobs,
                    common,
                };
                return super::git_modes::scan_git(Some(&range), &args);
            }
            let checks = if check.is_empty() {
                crate::checks::all()
            } else {
                let mut v = Vec::new();
                for id in &check {
                    match crate::checks::by_id(id) {
                        Some(c) => v.push(c),
                        None => return fail("pforge-hooks", &format!("unknown check `{id}`")),
                    }
                }
                v
            };
            run_checks("pforge-hooks", checks, paths, &common)
        }
        Command::Git(cmd) => super::git_modes::run(cmd),
        Command::Verify { paths, common } => super::verify::verify_command(paths, &common),
        Command::Baseline {
            paths,
            output,
            common,
        } => crate::checks::plaintext_keys::baseline_main(paths, output, &common),
        Command::Config { common } => {
            let loaded = match common.load_config() {
                Ok(l) => l,
                Err(e) => return fail("pforge-hooks", &e),
            };
            match &loaded.source {
                Some(p) => println!("# from {}", p.display()),
                None => println!("# no configuration file found: the pangeo-forge defaults apply"),
            }
            println!("# root: {}", loaded.root.display());
            print!("{}", crate::config::to_toml(&loaded.config));
            ExitCode::SUCCESS
        }
    }
}
