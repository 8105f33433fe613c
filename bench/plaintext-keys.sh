#!/usr/bin/env bash
# Whole-tree scan benchmark: block-plaintext-keys vs ripsecrets vs detect-secrets on the same tree,
# same machine, interleaved runs (A B C, A B C, ...), median wall time, ratios and peak RSS.
#
# Usage: bench/plaintext-keys.sh [DIR]
#   DIR         default: the installed CPython standard library (with its site-packages)
#   RUNS        runs of block-plaintext-keys (default 5)
#   RIP_RUNS    runs of ripsecrets (default RUNS); RIP_TIMEOUT seconds per run (default 120)
#   DS_RUNS     runs of detect-secrets (default 1: it is slow); DS_TIMEOUT (default 120)
#               A run stopped by its timeout is reported as a floor (">120 s").
#   BIN         block-plaintext-keys binary (default target/release/block-plaintext-keys, built here)
# Needs: /usr/bin/time (GNU time, for peak RSS), python3, ripsecrets (`cargo install ripsecrets`),
#        detect-secrets (`pip install detect-secrets`). A missing peer is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}"
RUNS="${RUNS:-5}"
RIP_RUNS="${RIP_RUNS:-$RUNS}"
RIP_TIMEOUT="${RIP_TIMEOUT:-120}"
DS_RUNS="${DS_RUNS:-1}"
DS_TIMEOUT="${DS_TIMEOUT:-120}"
BIN="${BIN:-target/release/block-plaintext-keys}"
RIP="${RIP:-$(command -v ripsecrets || echo "$HOME/.cargo/bin/ripsecrets")}"
DS="${DS:-$(command -v detect-secrets || true)}"
work="bench/work/plaintext-keys"
mkdir -p "$work"
rm -f "$work"/*.tsv

if [ -z "${BIN_PREBUILT:-}" ]; then
    cargo build --release --quiet --bin block-plaintext-keys
fi
export NO_COLOR=1

echo "tree: $DIR ($(du -sh "$DIR" | cut -f1), $(find "$DIR" -type f | wc -l) files)"
echo "machine: $(nproc) cores, $(uname -sr)"
echo "versions: $("$BIN" --version) | ripsecrets $("$RIP" --version 2>/dev/null | awk '{print $NF}') | detect-secrets $("$DS" --version 2>/dev/null || echo n/a)"

# run NAME TIMEOUT CMD...: one timed run; appends "seconds<TAB>peak_kb<TAB>files_flagged" to NAME.tsv
run() {
    local name="$1" limit="$2"
    shift 2
    local t="$work/$name.time" o="$work/$name.out"
    local status=0
    /usr/bin/time -v -o "$t" timeout "$limit" "$@" </dev/null >"$o" 2>"$work/$name.err" || status=$?
    local wall rss flagged
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$t" |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')"
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")"
    case "$name" in
    block-plaintext-keys) flagged="$(grep -o '^[^ ]*: block-plaintext-keys/' "$o" | sed 's/:[0-9]*:[0-9]*: .*//; s/: .*//' | sort -u | wc -l || true)" ;;
    ripsecrets) flagged="$(cut -d: -f1 "$o" | sort -u | wc -l || true)" ;;
    detect-secrets) flagged="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["results"]))' "$o" 2>/dev/null || echo "?")" ;;
    esac
    if [ "$status" = 124 ]; then wall=">$limit"; fi
    printf '%s\t%s\t%s\n' "$wall" "$rss" "$flagged" >>"$work/$name.tsv"
    printf '  %-22s %8ss  %7s KB  %s files flagged (exit %s)\n' "$name" "$wall" "$rss" "$flagged" "$status"
}

echo "warm-up: reading the tree into the page cache"
find "$DIR" -type f -print0 | xargs -0 cat >/dev/null 2>&1 || true
for i in $(seq 1 "$RUNS"); do
    echo "round $i:"
    run block-plaintext-keys 600 "$BIN" "$DIR"
    if [ -x "$RIP" ] && [ "$i" -le "$RIP_RUNS" ]; then
        run ripsecrets "$RIP_TIMEOUT" "$RIP" "$DIR"
    fi
    if [ -n "$DS" ] && [ "$i" -le "$DS_RUNS" ]; then
        # detect-secrets only reports files under its working directory: run it from DIR.
        run detect-secrets "$DS_TIMEOUT" sh -c 'cd "$1" && exec "$2" scan --all-files .' sh "$DIR" "$DS"
    fi
done

python3 - "$work" <<'PY'
import os, statistics, sys
work = sys.argv[1]
rows = {}
for name in ["block-plaintext-keys", "ripsecrets", "detect-secrets"]:
    p = os.path.join(work, name + ".tsv")
    if not os.path.exists(p):
        continue
    runs = [l.rstrip("\n").split("\t") for l in open(p) if l.strip()]
    floor = any(r[0].startswith(">") for r in runs)
    walls = [float(r[0].lstrip(">")) for r in runs]
    rows[name] = (statistics.median(walls), floor, statistics.median(int(r[1]) for r in runs), runs[-1][2], len(runs))
base = rows["block-plaintext-keys"][0]
print()
print("| tool | runs | median wall | vs block-plaintext-keys | median peak RSS | files flagged |")
print("|---|---|---|---|---|---|")
for name, (wall, floor, rss, flagged, n) in rows.items():
    w = (">" if floor else "") + f"{wall:.2f} s"
    ratio = (">" if floor else "") + f"{wall / base:.1f}x"
    print(f"| {name} | {n} | {w} | {ratio} | {rss / 1024:.0f} MB | {flagged} |")
PY
