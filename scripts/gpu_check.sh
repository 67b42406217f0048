#!/usr/bin/env bash
# The GPU check (issue #20), for a machine with an NVIDIA GPU, Python's torch
# built for CUDA, CMake and a compiler, and neither Node nor a network: the
# device tool's. Prepare its payload here with scripts/gpu_pack.sh, then
#   run(command: "bash scripts/gpu_check.sh", carry: [".gpu"], timeout_s: 600)
# It builds torchts against that torch with CMake (CUDA found, native/cuda.cc
# with the CUDA runtime), records Python's CUDA answers there
# (scripts/golden/cuda_api.py), runs test/cuda.test.ts against them, trains the
# notebook on the GPU beside Python on the same data (losses within 1e-5),
# runs the training-step benchmark beside Python on the same GPU, and a long
# loop that disposes nothing while sampling GPU memory. Each step runs even
# when one before it failed (where it can), and the last lines sum them up.
# Everything goes to $OUT/gpu_check.log, with the step's files beside it.
# Planned for 15 minutes of device time in all, the machine's start included.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/gpu-check}
# GPU_CHECK_DEVICE=cpu rehearses the script on a machine without a GPU.
device=${GPU_CHECK_DEVICE:-cuda}
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu_check.log") 2>&1
t0=$(date +%s)
results=()
step() { # name, then the command; records ok/FAILED with its seconds
  local name=$1 s rc
  s=$(date +%s)
  shift
  echo "=== $name"
  "$@"
  rc=$?
  results+=("$( [ $rc = 0 ] && echo ok || echo "FAILED (rc $rc)" ) $name ($(( $(date +%s) - s )) s)")
  return $rc
}

# The carried node_modules has no .bin links.
ava() { node node_modules/ava/entrypoints/cli.mjs "$@"; }
tsx() { node --import tsx "$@"; }

machine() {
  nvidia-smi -L || true
  python3 -c 'import torch; n = torch.cuda.device_count(); print("python torch", torch.__version__, "cuda", torch.version.cuda, "devices", n, torch.cuda.get_device_name(0) if n else "")'
  echo "cpus $(nproc); $(cmake --version | head -1); $(c++ --version | head -1)"
}

# The fixtures come compressed in .gpu/ (scripts/gpu_pack.sh says why).
# Where this torch's version has no folder of its own, it starts as a copy
# of the newest older one's, so that cuda_api.py's file joins that
# version's fixtures rather than standing alone beside the base ones.
unpack() {
  mkdir -p /tmp/node
  xz -dc .gpu/node.tar.xz | tar -x -C /tmp/node &&
    { [ -d node_modules/ava ] || xz -dc .gpu/node_modules.tar.xz | tar -x; } &&
    { rm -rf dist && xz -dc .gpu/dist.tar.xz | tar -x; } &&
    { [ -d test/fixtures ] || xz -dc .gpu/fixtures.tar.xz | tar -x; } &&
    echo "node $(/tmp/node/bin/node --version)" && seed_fixtures
}

# This torch's major.minor, as scripts/golden/_common.py names its folder.
torch_version() { python3 -c 'import torch; print(".".join(torch.__version__.split("+")[0].split(".")[:2]))'; }

seed_fixtures() {
  local v older
  v=$(torch_version) || return 1
  [ -d "test/fixtures/torch-$v" ] && return 0
  older=$(cd test/fixtures && ls -d torch-* 2>/dev/null | sed 's/^torch-//' | { cat; echo "$v"; } | sort -V | sed -n "/^$v\$/q;p" | tail -1)
  if [ -n "$older" ]; then
    cp -r "test/fixtures/torch-$older" "test/fixtures/torch-$v" && echo "fixtures for torch $v: a copy of torch-$older's"
  fi
}

# CMake, as CMakeLists.txt does it for cmake-js (which would fetch Node's
# headers: those carried are used instead). The binary goes where the
# loader looks for a local build. This torch's c10d headers are the one part of its API no Debian libtorch
# let us try (1.13, 2.6 and 2.14 were): where the build with
# torch.distributed fails, its errors are kept and the build is made again
# without it (TORCHTS_NO_DISTRIBUTED=1), so that the CUDA steps still run.
cmake_build() { # build folder
  local node_version
  node_version=$(node -p process.versions.node)
  cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=Release -DNODE_INCLUDE_DIR=/tmp/node/include/node \
      -DNODE_RUNTIMEVERSION="$node_version" >> "$OUT/cmake.log" 2>&1 &&
    cmake --build "$1" -j "$(nproc)" >> "$OUT/cmake.log" 2>&1
}

build() {
  local dir=build/gpu
  : > "$OUT/cmake.log"
  if ! cmake_build $dir; then
    echo "the build with torch.distributed failed; its first errors:"
    grep -m 20 -E "error|Error" "$OUT/cmake.log"
    dir=build/gpu-nodist
    TORCHTS_NO_DISTRIBUTED=1 cmake_build $dir || { tail -60 "$OUT/cmake.log"; return 1; }
    echo "built without torch.distributed"
  fi
  mkdir -p build/Release && cp $dir/torchts.node build/Release/torchts.node &&
    grep -E "torchts:|CUDA" "$OUT/cmake.log" | head -5 &&
    node -e 'const t = require("./dist"); console.log("loaded: libtorch", t.default.build_info().libtorch, "cuda available", t.default.cuda.is_available(), "devices", t.default.cuda.device_count())' ||
    { tail -60 "$OUT/cmake.log"; return 1; }
}

golden() {
  (cd scripts/golden && python3 cuda_api.py) && cp "test/fixtures/torch-$(torch_version)"/cuda_*gpu.json "$OUT/"
}

cuda_tests() {
  local rc
  ava test/cuda.test.ts --tap > "$OUT/cuda_tests.tap" 2>&1
  rc=$?
  grep -E "^(not ok|ok|# )" "$OUT/cuda_tests.tap"
  return $rc
}

notebook() {
  python3 scripts/golden/notebook.py 2 --device "$device" --data .gpu/fashion-mnist --out "$OUT/notebook_python.json" &&
    tsx examples/notebook.ts --device "$device" --data .gpu/fashion-mnist --models 2 --out /tmp/notebook > "$OUT/notebook.log" 2>&1 &&
    cp /tmp/notebook/results.json "$OUT/notebook_torchts.json" &&
    node -e '
const py = require(process.argv[1]), ts = require(process.argv[2]);
const worst = (a, b) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
const loss = worst(ts.last_losses, py.last_losses), sums = worst(ts.loss_sums, py.loss_sums);
console.log(`notebook on ${py.device}: last losses ${JSON.stringify(ts.last_losses)} (torchts) against ${JSON.stringify(py.last_losses)} (Python ${py.torch_version})`);
console.log(`largest difference: last loss ${loss}, loss sum ${sums}; test accuracies ${JSON.stringify(ts.test_accuracies)} against ${JSON.stringify(py.test_accuracies)}`);
process.exit(loss <= 1e-5 && JSON.stringify(ts.test_accuracies) === JSON.stringify(py.test_accuracies) ? 0 : 1);
' "$OUT/notebook_python.json" "$OUT/notebook_torchts.json"
}

bench_step() {
  python3 bench/train_step.py 2000 cpu && tsx bench/train_step.ts 2000 cpu &&
    { [ "$device" = cpu ] || { python3 bench/train_step.py 2000 "$device" && tsx bench/train_step.ts 2000 "$device"; }; }
}

cuda_memory() {
  [ "$device" = cpu ] && { echo "no GPU: skipped"; return 0; }
  tsx bench/cuda_memory.ts 20000 2000 "$device"
}

# The whole suite, for what libtorch 2.11 breaks beside 1.13 and 2.6 (no
# fixtures of its own yet): informative, bounded, last.
suite() {
  timeout 240 node node_modules/ava/entrypoints/cli.mjs --tap > "$OUT/suite.tap" 2>&1
  node scripts/count_tests.js "$OUT/suite.tap" 2>&1 | tail -3
  grep "^not ok" "$OUT/suite.tap" | head -40
  return 0
}

step "machine" machine
export PATH=/tmp/node/bin:$PATH
step "unpack Node and the packages" unpack || exit 1
step "build against Python's torch (CMake)" build || { printf '%s\n' "${results[@]}"; exit 1; }
step "Python's CUDA answers (scripts/golden/cuda_api.py)" golden
step "test/cuda.test.ts" cuda_tests
step "notebook on $device beside Python" notebook
step "training step, CPU and GPU, beside Python" bench_step
step "GPU memory over 20000 steps that dispose nothing" cuda_memory
step "the whole suite against this torch (informative)" suite
echo "=== summary ($(( $(date +%s) - t0 )) s)"
printf '%s\n' "${results[@]}"
