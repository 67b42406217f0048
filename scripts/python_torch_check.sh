#!/usr/bin/env bash
# torchts against the torch of any Python (a pip wheel, CPU or CUDA, in a
# virtual environment, say), with that Python's own numbers:
#   bash scripts/python_torch_check.sh /path/to/venv/bin/python3 [OUT]
# In a copy of the tree (OUT, default /tmp/python-torch-check), it builds the
# addon with CMake against that torch for the Node on PATH (whose headers
# must be at hand: /usr/include/node, or NODE_INCLUDE_DIR), makes the
# loaded version's fixtures anew with that Python (every script in
# scripts/golden/, as in a Debian root), and runs the whole suite, whose
# tests hand their files and ranks to that Python too (PYTHON in
# test/_helpers.ts). The checked-in fixtures of the same version come from
# Debian's build of it (OpenBLAS), while a pip wheel computes with MKL and
# gives other last bits: so the fixtures are that Python's, and the suite
# says where torchts differs from the torch it runs on. The copy keeps its
# fixtures for a look at what differs (diff -r against test/fixtures).
# Measured here with pip's torch 2.14.1+cu130: README.md, "Other libtorch".
set -uo pipefail
python=${1:?usage: python_torch_check.sh PYTHON [OUT]}
out=${2:-/tmp/python-torch-check}
root=$(cd "$(dirname "$0")/.." && pwd)
python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python")
"$python" -c 'import torch' || { echo "python_torch_check: $python has no torch" >&2; exit 1; }
t0=$(date +%s)

rm -rf "$out" && mkdir -p "$out"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | (cd "$out" && tar xf -)
ln -s "$root/node_modules" "$out/node_modules"
cd "$out"
# That Python's folder first: scripts/libtorch.js then finds its torch.
export PATH="$(dirname "$python"):$PATH" PYTHON="$python"
echo "python_torch_check: $("$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)') with Node $(node --version), in $out"

echo "=== build (CMake)"
cmake -S . -B build/cmake -DCMAKE_BUILD_TYPE=Release -DNODE_INCLUDE_DIR="${NODE_INCLUDE_DIR:-/usr/include/node}" \
    -DNODE_RUNTIMEVERSION="$(node -p process.versions.node)" > build.log 2>&1 &&
  cmake --build build/cmake -j "$(nproc)" >> build.log 2>&1 ||
  { tail -40 build.log; exit 1; }
grep "torchts:" build.log
mkdir -p build/Release && cp build/cmake/torchts.node build/Release/torchts.node

echo "=== fixtures made by that Python"
failed=0
for script in scripts/golden/[a-z]*.py; do
  name=$(basename "$script")
  (cd scripts/golden && node ../blas_kernel.js "$python" "$name") > "golden-$name.log" 2>&1 ||
    { echo "FAILED: $name (golden-$name.log)"; failed=$((failed + 1)); }
done
echo "golden scripts failed: $failed"

echo "=== the suite"
node node_modules/ava/entrypoints/cli.mjs --tap > suite.tap 2>&1
grep "^not ok" suite.tap
node scripts/count_tests.js suite.tap
echo "python_torch_check: $(( $(date +%s) - t0 )) s"
