#!/bin/sh
# pforge-hooks pre-receive hook script for GitHub Enterprise Server.
#
# 1. Build a pre-receive hook environment that contains the binary (a Linux chroot tarball, e.g. a
#    Debian image with pforge-hooks copied to /usr/local/bin), and upload it under Site admin ->
#    Hooks -> Manage environments.
# 2. Commit this script to a repository of the instance and add the hook (Site admin -> Hooks), with
#    that environment; enforce it on the repositories holding SOPS-encrypted credentials.
#
# GitHub Enterprise kills pre-receive hooks after 5 seconds; pforge-hooks stops itself at 4.5 s by
# default and rejects the push with a clear message (fail closed), well before the kill.
#
# Environment (optional): PFORGE_HOOKS_BIN (default /usr/local/bin/pforge-hooks, else PATH),
# PFORGE_HOOKS_CONFIG (a .pforge-hooks.toml inside the environment), PFORGE_HOOKS_BUDGET.
bin="${PFORGE_HOOKS_BIN:-/usr/local/bin/pforge-hooks}"
[ -x "$bin" ] || bin=$(command -v pforge-hooks 2>/dev/null || true)
if [ -z "$bin" ]; then
    echo "pforge-hooks: not found in the pre-receive hook environment: push rejected (fail closed)" >&2
    exit 1
fi
set -- pre-receive --color never
[ -n "$PFORGE_HOOKS_CONFIG" ] && set -- "$@" --config "$PFORGE_HOOKS_CONFIG"
[ -n "$PFORGE_HOOKS_BUDGET" ] && set -- "$@" --budget "$PFORGE_HOOKS_BUDGET"
exec "$bin" "$@"
