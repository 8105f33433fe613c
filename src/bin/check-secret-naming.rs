//! `check-secret-naming`: file names in secrets/ follow the deployment naming convention.

fn main() -> std::process::ExitCode {
    pforge_hooks::cli::hook_main("check-secret-naming")
}
