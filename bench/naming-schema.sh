#!/usr/bin/env bash
# Speed of check-secret-naming and validate-config-schema (release build), with hyperfine.
#
# A temporary project holds N deployment configs: copies of a fixture that the real sops made,
# named config.pforge-pr-<i>.yaml, plus 5% badly named copies. It measures:
#   - check-secret-naming over the whole secrets/ directory (names only, duplicates across files),
#   - validate-config-schema over the same directory (parse every file, keyless schema),
#   - as a reference, `sops filestatus` on one file (the cheapest sops call a hook could make).
# Usage: bench/naming-schema.sh [N]   (default 1000)
set -euo pipefail
n="${1:-1000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --release --quiet --bin check-secret-naming --bin validate-config-schema
bin="$root/target/release"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/secrets"
touch "$tmp/.pforge-hooks.toml"
src="$root/tests/fixtures/naming-schema/good/secrets/config.pforge-pr-80.yaml"
for i in $(seq 1 "$n"); do
  if (( i % 20 == 0 )); then name="config.review-$i.yml"; else name="config.pforge-pr-$i.yaml"; fi
  # The schema check reads app_name's length from the name: keep it honest for pforge-pr-<i>.
  cp "$src" "$tmp/secrets/$name"
done
cd "$tmp"
echo "files: $(ls secrets | wc -l)  bytes each: $(wc -c <"$src")"
hyperfine --warmup 3 --runs 20 -N \
  --command-name "check-secret-naming ($n files)" "$bin/check-secret-naming --format json" \
  --command-name "validate-config-schema ($n files)" "$bin/validate-config-schema --format json" \
  --command-name "sops filestatus (1 file)" "sops filestatus secrets/config.pforge-pr-1.yaml" \
  -i --export-json "$tmp/result.json" >/dev/null
python3 - "$tmp/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["median"]
print("| command | median ms | min ms | ratio to first |")
print("|---|---:|---:|---:|")
for x in r:
    print(f"| {x['command']} | {x['median']*1000:.1f} | {x['min']*1000:.1f} | {x['median']/base:.2f} |")
PY
