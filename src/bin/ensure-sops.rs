//! `ensure-sops`: every file that must be encrypted is a valid SOPS file.

fn main() -> std::process::ExitCode {
    pforge_hooks::cli::hook_main("ensure-sops")
}
