//! `ensure-sops`: every file that must be encrypted is a valid SOPS file (and, with an identity at
//! hand, decrypts in memory and matches its MAC).

fn main() -> std::process::ExitCode {
    pforge_hooks::cli::verify::ensure_sops_main()
}
