//! `block-plaintext-keys`: no private key, token or credential in clear text.

fn main() -> std::process::ExitCode {
    pforge_hooks::cli::hook_main("block-plaintext-keys")
}
