#!/bin/sh
# The addon built with AddressSanitizer and LeakSanitizer, run through
# test/hardening/leak_run.js and any test files or scripts given:
#   npm run asan [-- test/serialization.test.ts test/hardening/asan_probe.ts ...]
# The build goes to build-asan/, a copy of the package (lib, native, test,
# scripts; node_modules linked), so build/Release is never touched; set
# ASAN_REBUILD=0 to reuse it. Node itself is not instrumented, so libasan is
# preloaded into it (LD_PRELOAD). It checks the memory accesses of the
# instrumented code, the addon, and of the C library calls it intercepts
# (memcpy, memset) from anywhere; libtorch's own kernels are not
# instrumented, so an out-of-bounds write inside a kernel goes unseen.
# scripts/asan_report.js keeps every error, and the leaks with a frame in
# the addon (leaks elsewhere, Node's or libtorch's, are counted, not shown);
# the script exits 1 when it kept any.
#
# Two limits: memory that libtorch allocates for tensors goes through the
# addon's block cache (native/cpu_allocator.cc), so a block is reused, never
# freed, and a use after free of tensor storage is invisible here; and LSan's
# stacks go through libtorch, built without frame pointers, so the slow
# unwinder is used (fast_unwind_on_malloc=0), which makes the run slow.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/build-asan
pkg=$out/pkg
libasan=$(g++ -print-file-name=libasan.so)
[ -f "$libasan" ] || { echo "asan: g++ has no libasan.so ($libasan); install libasan8 or gcc's full package" >&2; exit 2; }

# node-gyp: the project's, one on PATH, or the copy that ships inside npm.
gyp() {
  if [ -x "$root/node_modules/.bin/node-gyp" ]; then "$root/node_modules/.bin/node-gyp" "$@"
  elif command -v node-gyp >/dev/null; then node-gyp "$@"
  else node "$(dirname "$(realpath "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js" "$@"
  fi
}

if [ "${ASAN_REBUILD:-1}" != 0 ] || [ ! -f "$pkg/build/Release/torchts.node" ]; then
  mkdir -p "$pkg"
  rm -rf "$pkg/lib" "$pkg/native" "$pkg/scripts" "$pkg/test"
  cp -r lib native scripts test binding.gyp package.json "$pkg/"
  ln -sfn "$root/node_modules" "$pkg/node_modules"
  # gyp's make files add $CXXFLAGS and $LDFLAGS to every compile and link.
  (cd "$pkg" && CXXFLAGS="-fsanitize=address -fno-omit-frame-pointer -g -DTORCHTS_ASAN_CONTROL" LDFLAGS="-fsanitize=address" \
    npm_config_nodedir=${npm_config_nodedir:-/usr} gyp rebuild >"$out/build.log" 2>&1) \
    || { tail -20 "$out/build.log"; exit 2; }
else
  # the sources may have moved on since the build: bring the JS side along
  rm -rf "$pkg/lib" "$pkg/test"
  cp -r lib test "$pkg/"
fi

logs=$out/logs
rm -rf "$logs"
mkdir -p "$logs"
# detect_leaks: LSan at exit. handle_segv=0 and allow_user_segv_handler=1:
# V8 and Node install their own SIGSEGV handlers (WebAssembly's trap
# handler), which ASan must leave alone. detect_odr_violation=0: Node and
# libtorch both carry copies of some inline symbols, not an error of ours.
options="detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=40:handle_segv=0:allow_user_segv_handler=1:detect_odr_violation=0"
export LSAN_OPTIONS="report_objects=0:exitcode=0"

# ASan writes a log only when it reports something, so a clean run leaves no
# log at all, exactly as a run it never watched would. The positive controls
# (test/hardening/asan_control.ts, whose native entry only this build has)
# make it report on purpose first, into logs of their own: an out-of-bounds
# read in the addon and a leak from it. If either goes unreported, nothing
# below can be trusted, and the script fails. LSan's own check at exit never
# runs in Node (so the leak control went unreported at first, and every run
# before had "0 process logs"): the runs ask for the check themselves, through
# the same entry (leak_run.js at its end, asan_exit_check.js preloaded into the rest).
controls=$out/controls
rm -rf "$controls"
mkdir -p "$controls"
status=0
for kind in overflow leak; do
  (cd "$pkg" && ASAN_OPTIONS="$options:log_path=$controls/$kind" LD_PRELOAD=$libasan node --import=tsx test/hardening/asan_control.ts $kind) \
    >"$controls/$kind.out" 2>&1 || true
done
if grep -qs 'ERROR: AddressSanitizer: heap-buffer-overflow' "$controls"/overflow.[0-9]* && grep -qs 'jsAsanControl' "$controls"/overflow.[0-9]*; then
  echo "asan: positive control: the addon's deliberate out-of-bounds read was reported"
else
  echo "asan: positive control FAILED: the addon's deliberate out-of-bounds read went unreported; ASan is not watching the addon (see $controls)" >&2
  status=1
fi
if grep -qs 'Direct leak of [0-9]* byte' "$controls"/leak.[0-9]* && grep -qs 'leakOnPurpose' "$controls"/leak.[0-9]*; then
  echo "asan: positive control: the addon's deliberate leak was reported"
else
  echo "asan: positive control FAILED: the addon's deliberate leak went unreported; LSan is not watching (see $controls)" >&2
  status=1
fi

export ASAN_OPTIONS="$options:log_path=$logs/asan"
(cd "$pkg" && LD_PRELOAD=$libasan node --expose-gc test/hardening/leak_run.js) || status=$?
echo "asan: leak_run.js exited with status $status"
for f in "$@"; do
  case $f in
    # ava runs each test file in a child Node, which inherits LD_PRELOAD and ASAN_OPTIONS.
    *.test.ts) (cd "$pkg" && NODE_OPTIONS="--require $pkg/test/hardening/asan_exit_check.js" LD_PRELOAD=$libasan npx ava "$f") || status=$? ;;
    *) (cd "$pkg" && LD_PRELOAD=$libasan node --require ./test/hardening/asan_exit_check.js --import=tsx "$f") || status=$? ;;
  esac
  echo "asan: $f exited with status $status"
done
node scripts/asan_report.js "$logs" || status=1
exit $status
