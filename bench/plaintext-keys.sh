#!/usr/bin/env bash
# Whole-tree scan benchmark: block-plaintext-keys vs ripsecrets vs detect-secrets on the same tree,
# same machine, interleaved runs (A B C, A B C, ...), median wall time, ratios and peak RSS.
#
# Usage: bench/plaintext-keys.sh [DIR]
#   DIR         default: the installed CPython standard library (with its site-packages)
#   RUNS        runs of block-plaintext-keys and ripsecrets (default 5; plus one warm-up each)
#   DS_RUNS     runs of detect-secrets (default 1: it is slow)
#   DS_TIMEOUT  seconds before a detect-secrets run is stopped (default 420; reported as a floor)
#   BIN         block-plaintext-keys binary (default target/release/block-plaintext-keys, built here)
# Needs: /usr/bin/time (GNU time, for peak RSS), python3, ripsecrets (`cargo install ripsecrets`),
#        detect-secrets (`pip install detect-secrets`). A missing peer is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}"
RUNS="${RUNS:-5}"
DS_RUNS="${DS_RUNS:-1}"
DS_TIMEOUT="${DS_TIMEOUT:-420}"
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
    /usr/bin/time -v -o "$t" timeout "$limit" "$@" >"$o" 2>"$work/$name.err" || status=$?
    local wall rss flagged
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$t" |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')"
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")"
    case "$name" in
    block-plaintext-keys) flagged="$(grep -o '^[^ ]*: block-plaintext-keys/' "$o" | sed 's/:[0-9]*:[0-9]*: .*//; s/: .*//' | sort -u | wc -l)" ;;
    ripsecrets) flagged="$(cut -d: -f1 "$o" | sort -u | wc -l)" ;;
    detect-secrets) flagged="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["results"]))' "$o" 2>/dev/null || echo "?")" ;;
    esac
    if [ "$status" = 124 ]; then wall=">$limit"; fi
    printf '%s\t%s\t%s\n' "$wall" "$rss" "$flagged" >>"$work/$name.tsv"
    printf '  %-22s %8ss  %7s KB  %s files flagged (exit %s)\n' "$name" "$wall" "$rss" "$flagged" "$status"
}

echo "warm-up (page cache):"
run block-plaintext-keys 600 "$BIN" "$DIR"
[ -x "$RIP" ] && run ripsecrets 600 "$RIP" "$DIR"
rm -f "$work"/*.tsv
for i in $(seq 1 "$RUNS"); do
    echo "round $i:"
    run block-plaintext-keys 600 "$BIN" "$DIR"
    [ -x "$RIP" ] && run ripsecrets 600 "$RIP" "$DIR"
    if [ -n "$DS" ] && [ "$i" -le "$DS_RUNS" ]; then
        run detect-secrets "$DS_TIMEOUT" "$DS" scan --all-files "$DIR"
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
