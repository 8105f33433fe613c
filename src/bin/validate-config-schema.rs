//! `validate-config-schema`: each deployment config has the keys, types and formats the app needs.

fn main() -> std::process::ExitCode {
    pforge_hooks::cli::hook_main("validate-config-schema")
}
