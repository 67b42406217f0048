#!/usr/bin/env bash
# The 4-element a.add(b) in instructions, inside the native op call (its
# kernel, the result's wrapper, and the collections and frees that the
# wrapper's allocation triggers), counted by callgrind: repeatable to a few
# instructions whatever else the machine runs, so two trees compare on a
# busy machine where their times do not.
#
#   bash bench/add_instructions.sh [ROOT]     (ROOT: a tree with its own build)
#
# Prints instructions per call: the difference between runs of 20,000 and
# 60,000 calls (after 20,000 of warm-up), over the 40,000 calls between.
set -euo pipefail
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
script=$(mktemp --suffix=.ts)
trap 'rm -f "$script"' EXIT
cat > "$script" <<'TS'
const torch = require(`${process.env.ROOT}/lib`).default;
const a = torch.ones(4);
const b = torch.ones(4);
for (let i = 0; i < 20000; i++) a.add(b);
const n = Number(process.argv[2]);
for (let i = 0; i < n; i++) a.add(b);
TS
count() {
  (cd "$root" && ROOT="$root" OMP_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    '--toggle-collect=torchts::(anonymous namespace)::jsOpCall(*' node --import=tsx "$script" "$1" 2>&1) |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
small=$(count 20000)
large=$(count 60000)
echo "$root: $(( (large - small) / 40000 )) instructions per a.add(b) inside the op call"
