#!/usr/bin/env bash
# pre-receive speed: how long `pforge-hooks pre-receive` takes on a server for
#   (a) a 10-commit push on top of this project's history (10 new sops-encrypted deployment configs,
#       sources edited),
#   (b) the whole history of a real public repository (sharkdp/fd: its default branch, 2005 commits)
#       pushed into an empty repository,
#   (c) a synthetic 1000-commit push on top of this project (a SOPS file and a source edit per commit).
#
#   bash bench/git-hooks.sh                # needs: git, hyperfine, python3, sops, openssl; RUNS=10
#   FD_MIRROR=/path/to/fd.git bash bench/git-hooks.sh
#
# Method: the pushed objects are copied into the bare server repository without any ref pointing at
# them (exactly the state pre-receive sees: new objects, old refs), then the hook binary runs with the
# ref line on stdin, as git runs it (through `sh`, as git does). hyperfine reports whole-process
# wall time (median of RUNS, commands interleaved).
# "walk" is the same run with --list-blobs (choose the blobs, read none): the cost of the git side
# alone. Blobs = distinct (blob, path) pairs the push introduces. Results go to bench/work/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/bench/work/git-hooks
runs=${RUNS:-10}
fd_mirror=${FD_MIRROR:-/work/.mirror/sharkdp+fd/repo}
rm -rf "$work" && mkdir -p "$work"
cargo build --release --quiet --bin pforge-hooks
bin=$root/target/release/pforge-hooks

for v in GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES; do unset "$v"; done
export HOME=$work GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org
zero=0000000000000000000000000000000000000000

# stage SERVER SRC REV OLD REF: put REV's objects into SERVER with no ref on them; print the stdin line.
stage() {
  git -C "$2" push -q "$1" "$3:refs/bench/incoming"
  local new
  new=$(git -C "$1" rev-parse refs/bench/incoming)
  git -C "$1" update-ref -d refs/bench/incoming
  echo "$4 $new $5"
}

# A client with this project's history.
git clone -q --no-local "$root" "$work/client"
git -C "$work/client" checkout -q -B main HEAD
base=$(git -C "$work/client" rev-parse HEAD)
sops_files=("$root"/secrets/config.*.yaml)

# (a) 10 commits.
git init -q --bare "$work/a.git"
git -C "$work/client" push -q "$work/a.git" main:refs/heads/main
for i in $(seq 1 10); do
  # A fresh deployment config per commit, encrypted by the real sops to the demo public test key.
  dep=pforge-pr-$((1000 + i))
  { echo "fastapi:"
    echo "    PANGEO_FORGE_API_KEY: $(openssl rand -hex 16)"
    echo "github_app:"
    echo "    app_name: $dep"
    echo "    id: $((100000 + i))"
    echo "    private_key: |"
    openssl genrsa -traditional 2048 2>/dev/null | sed 's/^/        /'
    echo "    webhook_secret: $(openssl rand -hex 20)"
  } > "$work/client/secrets/config.$dep.yaml"
  (cd "$work/client" && sops --encrypt --in-place "secrets/config.$dep.yaml")
  echo "// bench edit $i" >> "$work/client/src/lib.rs"
  git -C "$work/client" add -A && git -C "$work/client" commit -qm "bench $i"
done
stage "$work/a.git" "$work/client" main "$base" refs/heads/main > "$work/a.stdin"

# (b) a real public repository's whole history into an empty repository.
# Any full clone works: FD_MIRROR=/path/to/fd.git (e.g. `git clone --bare https://github.com/sharkdp/fd`).
cases="a c"
if [ -d "$fd_mirror" ]; then
  git clone -q --bare --no-local "$fd_mirror" "$work/fd-src.git"
  fd_head=$(git -C "$work/fd-src.git" rev-parse HEAD)
  git init -q --bare "$work/b.git"
  stage "$work/b.git" "$work/fd-src.git" "$fd_head" "$zero" refs/heads/main > "$work/b.stdin"
  cases="a b c"
else
  echo "note: no clone of sharkdp/fd at $fd_mirror (set FD_MIRROR): case (b) skipped" >&2
fi

# (c) 1000 synthetic commits (git fast-import), on top of this project's history.
git init -q --bare "$work/c.git"
git -C "$work/client" push -q "$work/c.git" "$base:refs/heads/main"
git clone -q --bare --no-local "$work/c.git" "$work/c-src.git"
python3 - "$base" "${sops_files[@]}" > "$work/c.fi" <<'PY'
import sys
base, sops = sys.argv[1], [open(p, 'rb').read() for p in sys.argv[2:]]
out = sys.stdout.buffer
def data(b):
    out.write(b'data %d\n' % len(b)); out.write(b); out.write(b'\n')
for i in range(1, 1001):
    out.write(b'commit refs/heads/main\nmark :%d\n' % i)
    out.write(b'committer bench <bench@example.org> %d +0000\n' % (1700000000 + i))
    data(b'synthetic %d' % i)
    out.write(b'from %s\n' % (base.encode() if i == 1 else b':%d' % (i - 1)))
    out.write(b'M 100644 inline secrets/config.pforge-pr-%d.yaml\n' % i)
    data(sops[i % len(sops)])
    out.write(b'M 100644 inline src/generated/mod%d.rs\n' % (i % 50))
    data(b''.join(b'// line %d of commit %d\n' % (j, i) for j in range(40)))
    out.write(b'\n')
PY
git -C "$work/c-src.git" fast-import --quiet < "$work/c.fi"
stage "$work/c.git" "$work/c-src.git" refs/heads/main "$base" refs/heads/main > "$work/c.stdin"

printf '| case | commits | blobs | hook exit | median full (s) | median walk only (s) | blobs/s | share of 5 s budget |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for case in $cases; do
  repo=$work/$case.git
  read -r old new _ < "$work/$case.stdin"
  if [ "$old" = "$zero" ]; then commits=$(git -C "$repo" rev-list --count "$new"); else commits=$(git -C "$repo" rev-list --count "$old..$new"); fi
  blobs=$(cd "$repo" && GIT_DIR=$repo "$bin" pre-receive --budget 600 --list-blobs < "$work/$case.stdin" | wc -l)
  set +e
  (cd "$repo" && GIT_DIR=$repo "$bin" pre-receive --budget 600 < "$work/$case.stdin" > "$work/$case.out" 2>&1)
  code=$?
  set -e
  printf 'cd %s && GIT_DIR=%s exec %s pre-receive --budget 600 < %s > /dev/null 2>&1\n' "$repo" "$repo" "$bin" "$work/$case.stdin" > "$work/$case-full.sh"
  printf 'cd %s && GIT_DIR=%s exec %s pre-receive --budget 600 --list-blobs < %s > /dev/null\n' "$repo" "$repo" "$bin" "$work/$case.stdin" > "$work/$case-walk.sh"
  hyperfine -N --style none --warmup 2 --runs "$runs" -i --export-json "$work/$case.json" \
    -n full "sh $work/$case-full.sh" -n walk "sh $work/$case-walk.sh" > /dev/null
  python3 - "$work/$case.json" "$case" "$commits" "$blobs" "$code" <<'PY'
import json, sys
res = {r['command']: r for r in json.load(open(sys.argv[1]))['results']}
case, commits, blobs, code = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
full, walk = res['full']['median'], res['walk']['median']
print(f"| {case} | {commits} | {blobs} | {code} | {full:.3f} | {walk:.3f} | {blobs / full:,.0f} | {full / 5 * 100:.1f}% |")
PY
done
echo
echo "checks in this build: $(sed -n '/pub fn all/,/^}/p' src/checks/mod.rs | grep -o 'Box::new([a-z_]*' | sed 's/Box::new(//' | tr '\n' ' ')"
echo "machine: $(nproc) cores; runs per command: $runs; binary: release ($(git rev-parse --short HEAD))"
