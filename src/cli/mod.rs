//! Command-line plumbing shared by every binary: common options, running checks, printing, exit codes.

pub mod git_modes;
pub mod install;
pub mod umbrella;
pub mod verify;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::checks::Check;
use crate::config::{self, LoadedConfig};
use crate::context::Context;
use crate::engine::{Engine, Outcome};
use crate::report::{self, Format};

/// When to colour human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always (also forced by `CLICOLOR_FORCE`).
    Always,
    /// Never.
    Never,
}

/// Options every command takes.
#[derive(Args, Clone, Debug)]
pub struct CommonArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Use this configuration file instead of discovering `.pforge-hooks.toml` / `pyproject.toml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl CommonArgs {
    /// Apply the colour choice to the process-wide output streams.
    pub fn apply_color(&self) {
        let choice = match self.color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }

    /// Load the project configuration from the working directory.
    pub fn load_config(&self) -> Result<LoadedConfig, String> {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("cannot read the working directory: {e}"))?;
        config::load(&cwd, self.config.as_deref()).map_err(|e| e.to_string())
    }
}

/// Print a usage/config/internal error the way every binary does and return exit code 2.
pub fn fail(tool: &str, message: &str) -> ExitCode {
    let mut err = anstream::stderr();
    let _ = writeln!(err, "{tool}: error: {}", report::sanitize(message));
    ExitCode::from(2)
}

/// Render an outcome and turn it into the exit code.
pub fn finish(tool: &str, outcome: &Outcome, format: Format) -> ExitCode {
    let mut out = anstream::stdout();
    let mut err = anstream::stderr();
    if let Err(e) = report::render(outcome, format, tool, &mut out, &mut err) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::from(report::exit_code(outcome));
        }
        return fail(tool, &format!("cannot write the report: {e}"));
    }
    let _ = out.flush();
    ExitCode::from(report::exit_code(outcome))
}

/// The paths to check: those given, or the project's `secrets/` directory.
pub fn paths_or_default(
    paths: Vec<PathBuf>,
    loaded: &LoadedConfig,
) -> Result<Vec<PathBuf>, String> {
    if !paths.is_empty() {
        return Ok(paths);
    }
    let secrets = loaded.root.join("secrets");
    if secrets.is_dir() {
        let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
        Ok(vec![
            secrets
                .strip_prefix(&cwd)
                .map(PathBuf::from)
                .unwrap_or(secrets),
        ])
    } else {
        Err(format!(
            "no path given and {} has no secrets/ directory: name the files or directories to check",
            loaded.root.display()
        ))
    }
}

/// Run `checks` on `paths` (files and directories) and print the report.
pub fn run_checks(
    tool: &str,
    checks: Vec<Box<dyn Check>>,
    paths: Vec<PathBuf>,
    common: &CommonArgs,
) -> ExitCode {
    run_checks_adjusted(tool, checks, paths, common, |_| {})
}

/// [`run_checks`] with the loaded configuration adjusted by command-line flags first.
pub fn run_checks_adjusted(
    tool: &str,
    checks: Vec<Box<dyn Check>>,
    paths: Vec<PathBuf>,
    common: &CommonArgs,
    adjust: impl FnOnce(&mut config::Config),
) -> ExitCode {
    common.apply_color();
    let mut loaded = match common.load_config() {
        Ok(l) => l,
        Err(e) => return fail(tool, &e),
    };
    adjust(&mut loaded.config);
    let paths = match paths_or_default(paths, &loaded) {
        Ok(p) => p,
        Err(e) => return fail(tool, &e),
    };
    let ctx = match Context::new(loaded) {
        Ok(c) => c,
        Err(e) => return fail(tool, &e),
    };
    let engine = Engine::new(checks, &ctx);
    let outcome = engine.run_paths(&paths);
    finish(tool, &outcome, common.format)
}

/// Arguments of a single-check hook binary (pre-commit convention: file names as arguments).
#[derive(clap::Parser, Debug)]
#[command(version, about)]
pub struct HookArgs {
    /// Files and directories to check (directories are walked, honouring .gitignore). Default: the
    /// project's secrets/ directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `main` of a single-check binary: parse its arguments and run the check named `id`.
pub fn hook_main(id: &'static str) -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let cmd = HookArgs::command().name(id).bin_name(id);
    let matches = match cmd.try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let args = match HookArgs::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => return fail(id, &e.to_string()),
    };
    let Some(check) = crate::checks::by_id(id) else {
        return fail(id, &format!("this build has no check named {id}"));
    };
    run_checks(id, vec![check], args.paths, &args.common)
}
