// Process-wide libtorch state: the default generators, threads, devices,
// and what libtorch was built with.
#include "napi_util.h"
#include "cpu_allocator.h"
#include "cuda.h"
#include "generator.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/csrc/api/include/torch/version.h>

#include <cmath>
#include <cstdlib>
#include <algorithm>
#include <mutex>
#include <thread>

namespace torchts {

namespace {

// As torch.manual_seed: the CPU generator and every CUDA device's.
napi_value jsManualSeed(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("manual_seed(seed) needs an integer seed");
    uint64_t seed = seedArg(env, args[0], "manual_seed: seed");
    {
      at::Generator gen = cpuDefaultGenerator();
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
    for (int i = 0; i < cudaDeviceCount(); ++i) {
      // Through the Context: CUDAHooks' getDefaultCUDAGenerator is gone in libtorch 2.
      at::Generator gen = at::globalContext().defaultGenerator(c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(i)));
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
    return makeUndefined(env);
  });
}

napi_value jsInitialSeed(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    at::Generator gen = cpuDefaultGenerator();
    return makeNumber(env, static_cast<double>(gen.current_seed()));
  });
}

// cpuBlockCache(bytes): what the CPU allocator keeps idle (cpu_allocator.cc),
// for tests: { cachedBytes, limitBytes, blocksForSize } (blocks kept for a
// tensor of that many bytes).
napi_value jsCpuBlockCache(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("cpuBlockCache(bytes) needs a byte count");
    int64_t bytes = toInt64(env, args[0], "cpuBlockCache: bytes");
    if (bytes < 0) throw JsTypeError("cpuBlockCache: bytes must not be negative");
    CpuBlockCacheStats stats = cpuBlockCacheStats(static_cast<size_t>(bytes));
    napi_value out;
    check(env, napi_create_object(env, &out));
    setProperty(env, out, "cachedBytes", makeNumber(env, static_cast<double>(stats.cachedBytes)));
    setProperty(env, out, "limitBytes", makeNumber(env, static_cast<double>(stats.limitBytes)));
    setProperty(env, out, "blocksForSize", makeNumber(env, static_cast<double>(stats.blocksForSize)));
    return out;
  });
}

napi_value jsGetNumThreads(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeInt(env, at::get_num_threads()); });
}

napi_value jsSetNumThreads(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("set_num_threads(n) needs an integer");
    int64_t n = toInt64(env, args[0], "set_num_threads: n");
    if (n <= 0) throw JsTypeError("set_num_threads: n must be a positive number of threads, got " + std::to_string(n));
    // OpenMP starts all n threads at the next parallel region: 65536 stalled
    // the machine. Threads beyond the CPUs only take turns on them (on these
    // 2-core VMs a second thread already made a small step 7-16x slower), so
    // the CPUs the machine has are the most that can help. PyTorch refuses
    // only n <= 0.
    const int64_t cpus = std::max<int64_t>(1, std::thread::hardware_concurrency());
    if (n > cpus) {
      throw JsRangeError("set_num_threads: n must be at most " + std::to_string(cpus) +
                         " (the CPUs this machine has), got " + std::to_string(n));
    }
    at::set_num_threads(static_cast<int>(n));
    return makeUndefined(env);
  });
}

// torch.backends.mkldnn: whether libtorch's CPU convolutions may run
// oneDNN (torch._C._get_mkldnn_enabled / _set_mkldnn_enabled), and whether
// this libtorch has it at all.
napi_value jsMkldnnEnabled(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeBool(env, at::globalContext().userEnabledMkldnn()); });
}

napi_value jsSetMkldnnEnabled(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("setMkldnnEnabled(enabled) needs a boolean");
    at::globalContext().setUserEnabledMkldnn(toBool(env, args[0], "torch.backends.mkldnn.enabled"));
    return makeUndefined(env);
  });
}

napi_value jsMkldnnIsAvailable(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeBool(env, at::hasMKLDNN()); });
}

// The C library's pow and cos: Python's float arithmetic uses them, V8's
// Math.pow and Math.cos differ in the last bit for about 8% of the powers an
// optimizer takes, and Adam's bias corrections must match Python's exactly.
napi_value jsLibmPow(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 2) throw JsTypeError("pow(x, y) takes 2 numbers");
    return makeNumber(env, std::pow(toDouble(env, args[0], "x"), toDouble(env, args[1], "y")));
  });
}

napi_value jsLibmCos(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 1) throw JsTypeError("cos(x) takes 1 number");
    return makeNumber(env, std::cos(toDouble(env, args[0], "x")));
  });
}

napi_value jsBuildInfo(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    napi_value out;
    check(env, napi_create_object(env, &out));
    setProperty(env, out, "libtorch", makeString(env, TORCH_VERSION));
    setProperty(env, out, "cxx11_abi", makeBool(env, _GLIBCXX_USE_CXX11_ABI == 1));
    setProperty(env, out, "config", makeString(env, at::show_config()));
    setProperty(env, out, "parallel", makeString(env, at::get_parallel_info()));
    return out;
  });
}

#ifdef TORCHTS_ASAN_CONTROL
#include <sanitizer/lsan_interface.h>

// The sanitizer build's positive controls (scripts/asan.sh compiles them in
// with -DTORCHTS_ASAN_CONTROL; no other build has them): a heap read one past
// the end and a leak, made on purpose in the addon's own code, so that a run
// that reports nothing is known to have had ASan and LSan watching.
// Sixteen blocks, each dropped when the next is made: the last one's address
// may linger in a register or a stack slot LSan scans, the others cannot.
__attribute__((noinline)) void leakOnPurpose() {
  static char* volatile last;
  for (int i = 0; i < 16; i++) {
    last = static_cast<char*>(malloc(4096));
    last[0] = 1;
  }
  last = nullptr;
}

napi_value jsAsanControl(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const std::string kind = args.size() == 1 ? toString(env, args[0], "kind") : "";
    if (kind == "leak") {
      leakOnPurpose();
      return makeInt(env, 0);
    }
    // LSan's own check at exit never runs in Node (no report, not even of the
    // control's leak, was ever written at exit), so the runs ask for it here,
    // in a call of its own: within the leaking call, the block's address is
    // still in a live register or stack slot, and LSan counts it as reachable.
    if (kind == "check") return makeInt(env, __lsan_do_recoverable_leak_check());
    if (kind == "overflow") {
      volatile char* p = new char[16]();
      const char past = p[16];  // ASan aborts here with heap-buffer-overflow
      delete[] p;
      return makeInt(env, past);
    }
    throw JsTypeError("asanControl(kind): kind must be 'leak', 'overflow' or 'check'");
  });
}
#endif

}  // namespace

void registerRuntime(napi_env env, napi_value exports) {
  exportFunction(env, exports, "manualSeed", jsManualSeed);
  exportFunction(env, exports, "initialSeed", jsInitialSeed);
  exportFunction(env, exports, "getNumThreads", jsGetNumThreads);
  exportFunction(env, exports, "cpuBlockCache", jsCpuBlockCache);
  exportFunction(env, exports, "setNumThreads", jsSetNumThreads);
  exportFunction(env, exports, "mkldnnEnabled", jsMkldnnEnabled);
  exportFunction(env, exports, "setMkldnnEnabled", jsSetMkldnnEnabled);
  exportFunction(env, exports, "mkldnnIsAvailable", jsMkldnnIsAvailable);
  exportFunction(env, exports, "buildInfo", jsBuildInfo);
  exportFunction(env, exports, "libmPow", jsLibmPow);
  exportFunction(env, exports, "libmCos", jsLibmCos);
#ifdef TORCHTS_ASAN_CONTROL
  exportFunction(env, exports, "asanControl", jsAsanControl);
#endif
}

}  // namespace torchts
