//! `pforge-hooks`: the umbrella command.

fn main() -> std::process::ExitCode {
    pforge_hooks::cli::umbrella::main()
}
