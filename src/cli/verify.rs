//! `ensure-sops --require-verify` and `pforge-hooks verify [PATH...]`: the CI step "every secret here
//! opens with the deploy key and is intact". Verification decrypts in memory only and prints no value.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{CommonArgs, fail, run_checks_adjusted};

/// The check both commands run.
const CHECK: &str = "ensure-sops";

/// Arguments of the `ensure-sops` binary: the hook arguments plus `--require-verify`.
#[derive(clap::Parser, Debug)]
#[command(
    name = "ensure-sops",
    version,
    about = "Every file that must be encrypted is a valid SOPS file; with an age identity at hand, it also decrypts in memory and checks the MAC."
)]
pub struct EnsureSopsArgs {
    /// Files and directories to check (directories are walked, honouring .gitignore). Default: the
    /// project's secrets/ directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub verify: VerifyArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Verification options.
#[derive(Args, Clone, Debug, Default)]
pub struct VerifyArgs {
    /// Fail (exit 1) on a file no identity at hand can verify, instead of noting that verification
    /// was skipped (also `[ensure-sops] require-verify = true`).
    #[arg(long)]
    pub require_verify: bool,
}

/// `main` of the `ensure-sops` binary.
pub fn ensure_sops_main() -> ExitCode {
    use clap::Parser;
    let args = match EnsureSopsArgs::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    run(args.paths, args.verify.require_verify, &args.common)
}

/// `pforge-hooks verify [PATH...]`: ensure-sops with verification required.
pub fn verify_command(paths: Vec<PathBuf>, common: &CommonArgs) -> ExitCode {
    run(paths, true, common)
}

fn run(paths: Vec<PathBuf>, require_verify: bool, common: &CommonArgs) -> ExitCode {
    let Some(check) = crate::checks::by_id(CHECK) else {
        return fail(CHECK, "this build has no ensure-sops check");
    };
    run_checks_adjusted(CHECK, vec![check], paths, common, |config| {
        if require_verify {
            config.ensure_sops.require_verify = true;
        }
    })
}
