#!/usr/bin/env bash
# ensure-sops vs pre-commit-hook-ensure-sops (yuvipanda, PyPI) on a typical commit, and ensure-sops alone
# on one 50 MB SOPS YAML file. Reproducible: fixtures are made fresh by the real sops binary.
#
#   bash bench/ensure-sops.sh            # needs: sops, hyperfine (Debian), pip install pre-commit-hook-ensure-sops
#
# sops needs several minutes to encrypt the 50 MB file. Whole-process wall time, interleaved runs (hyperfine alternates commands per round when given
# several), medians reported. Results go to bench/work/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
work=bench/work/ensure-sops
rm -rf "$work" && mkdir -p "$work/commit"
cargo build --release --quiet --bin ensure-sops
bin=$PWD/target/release/ensure-sops
key=$PWD/tests/demo-key/age-key.txt
recipient=$(grep -o 'age1[0-9a-z]*' "$key" | head -1)

# 1. A typical commit: 10 SOPS YAML deployment configs of ~4 KB (the size of a pangeo-forge config).
for i in $(seq 1 10); do
  pem=$(openssl genrsa -traditional 2048 2>/dev/null | sed 's/^/        /')
  {
    echo "fastapi:"
    echo "    PANGEO_FORGE_API_KEY: $(openssl rand -hex 16)"
    echo "github_app:"
    echo "    app_name: pforge-pr-$i"
    echo "    id: 2$((RANDOM % 90000 + 10000))"
    echo "    private_key: |"
    echo "$pem"
    echo "    webhook_secret: $(openssl rand -hex 20)"
  } > "$work/commit/config.pforge-pr-$i.yaml"
  sops --config /dev/null --encrypt --age "$recipient" --in-place "$work/commit/config.pforge-pr-$i.yaml"
done
ls -l "$work/commit" | awk 'NR>1 {s+=$5} END {print "10 files, mean size " s/10 " bytes"}'
files=("$work"/commit/*.yaml)

"$bin" "${files[@]}"   # must pass
python3 -m pre_commit_hook_ensure_sops "${files[@]}"   # must pass

hyperfine -N --warmup 3 --runs 40 --export-json "$work/commit.json" \
  -n pforge-ensure-sops "$bin ${files[*]}" \
  -n pre-commit-hook-ensure-sops "python3 -m pre_commit_hook_ensure_sops ${files[*]}"
python3 - "$work/commit.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours, peer = r["pforge-ensure-sops"]["median"], r["pre-commit-hook-ensure-sops"]["median"]
print(f"typical commit: ensure-sops median {ours*1000:.2f} ms, pre-commit-hook-ensure-sops median {peer*1000:.2f} ms, ratio {peer/ours:.1f}x")
PY

# 2. One 50 MB SOPS YAML file: time and peak memory.
python3 - "$work/big.yaml" <<'PY'
import sys, secrets
with open(sys.argv[1], "w") as f:
    n = 0
    i = 0
    while n < 50 * 1024 * 1024 * 0.5:   # about half the encrypted size: ENC[] roughly doubles it
        line = f"key_{i}: {secrets.token_hex(40)}\n"
        f.write(line); n += len(line); i += 1
PY
sops --config /dev/null --encrypt --age "$recipient" --in-place "$work/big.yaml"
ls -l "$work/big.yaml" | awk '{printf "big file: %.1f MB\n", $5/1048576}'
hyperfine -N --warmup 1 --runs 5 --export-json "$work/big.json" -n ensure-sops-50MB "$bin $work/big.yaml"
/usr/bin/time -v "$bin" "$work/big.yaml" 2> "$work/big.time" >/dev/null || true
grep -E 'Maximum resident|Elapsed' "$work/big.time"
