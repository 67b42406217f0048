// torch.cuda's native half: devices, synchronization, the default CUDA
// generators, and the caching allocator's figures. lib/cuda.ts gives them
// Python's names and its rules for a device argument.
//
// What needs only libtorch's device-neutral headers (the CUDA hooks, the
// device guard, torch::cuda) builds against any libtorch. The allocator's
// statistics and a device's properties are in libc10_cuda/libtorch_cuda,
// behind headers that include the CUDA runtime's: binding.gyp and
// CMakeLists.txt define TORCHTS_CUDA_RUNTIME where those are found, and
// without it the calls that need them say how to get a build that has them.
#include "cuda.h"
#include "generator.h"

#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <torch/csrc/api/include/torch/cuda.h>
#include <torch/csrc/api/include/torch/version.h>

#ifdef TORCHTS_CUDA_RUNTIME
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

#include <atomic>
#include <cstdio>

namespace torchts {

namespace {

std::atomic<bool> cudaInitialized{false};

// CUDA's initialization, as torch._C._cuda_init makes it: once, and again
// after a failure (it throws CUDA's reason then: no driver, no GPU).
void initCudaContext() {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 6)
  at::globalContext().lazyInitDevice(c10::DeviceType::CUDA);
#else
  at::globalContext().lazyInitCUDA();
#endif
}

// Why no CUDA device can be had, in Python's words. A libtorch built with
// CUDA says why CUDA itself cannot start ("Found no NVIDIA driver on your
// system...", measured with pip's torch 2.14.1+cu130 on a machine without
// one), as Python's _lazy_init does; at::hasCUDA() cannot tell that case
// from a libtorch without CUDA, being false wherever no GPU is usable.
std::string unavailableReason() {
  if (!cudaBuilt()) return "Torch not compiled with CUDA enabled (the libtorch loaded has no CUDA)";
  try {
    initCudaContext();
  } catch (const c10::Error& e) {
    return e.what_without_backtrace();
  }
  return "No CUDA GPUs are available";
}

// As Python's torch.cuda._lazy_init: the first CUDA call initializes CUDA
// (the caching allocator, the generators); without a GPU it fails.
void lazyInit(const std::string& where) {
  if (cudaInitialized.load(std::memory_order_acquire)) return;
  if (cudaDeviceCount() == 0) throw std::runtime_error(where + ": " + unavailableReason());
  initCudaContext();
  cudaInitialized.store(true, std::memory_order_release);
}

const c10::impl::DeviceGuardImplInterface& cudaGuardImpl() {
  return *c10::impl::getDeviceGuardImpl(c10::DeviceType::CUDA);
}

// A device index from lib/cuda.ts, which has resolved null to the current
// device and refused what is not a CUDA device; checked against the count.
c10::DeviceIndex deviceIndexArg(napi_env env, const CallArgs& args, size_t i, const std::string& where) {
  int64_t index = i < args.size() ? toInt64(env, args[i], where + ": device") : -1;
  int count = cudaDeviceCount();
  if (index < 0 || index >= count) {
    throw JsRangeError(where + ": Invalid device id " + std::to_string(index) + ": there " +
                       (count == 1 ? "is 1 CUDA device" : "are " + std::to_string(count) + " CUDA devices"));
  }
  return static_cast<c10::DeviceIndex>(index);
}

#ifndef TORCHTS_CUDA_RUNTIME
[[noreturn]] void needsRuntime(const std::string& where) {
  throw std::runtime_error(where + ": this build of torchts has no CUDA runtime: it was built without the CUDA runtime's headers "
                           "(cuda_runtime_api.h), which the caching allocator's figures and a device's properties need; "
                           "rebuild it where they are found (CUDA_HOME, /usr/local/cuda, or a pip torch's nvidia packages): npm run build");
}
#endif

napi_value jsCudaIsAvailable(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeBool(env, cudaDeviceCount() > 0); });
}

napi_value jsCudaDeviceCount(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeInt(env, cudaDeviceCount()); });
}

// cudaState() -> [libtorch has CUDA, CUDA initialized, this build reads the CUDA runtime]
napi_value jsCudaState(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
#ifdef TORCHTS_CUDA_RUNTIME
    bool runtime = true;
#else
    bool runtime = false;
#endif
    return makeArray(env, {makeBool(env, cudaBuilt()), makeBool(env, cudaInitialized.load()), makeBool(env, runtime)});
  });
}

// cudaInit(where): initializes CUDA, or throws where's reason there is none.
napi_value jsCudaInit(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    lazyInit(args.empty() ? std::string("torch.cuda.init()") : toString(env, args[0], "cudaInit(): where"));
    return makeUndefined(env);
  });
}

napi_value jsCudaCurrentDevice(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    lazyInit("torch.cuda.current_device()");
    return makeInt(env, cudaGuardImpl().getDevice().index());
  });
}

napi_value jsCudaSetDevice(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    lazyInit("torch.cuda.set_device()");
    c10::DeviceIndex index = deviceIndexArg(env, args, 0, "torch.cuda.set_device()");
    cudaGuardImpl().setDevice(c10::Device(c10::DeviceType::CUDA, index));
    return makeUndefined(env);
  });
}

// Waits for all work queued on the device's streams.
napi_value jsCudaSynchronize(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    lazyInit("torch.cuda.synchronize()");
    torch::cuda::synchronize(deviceIndexArg(env, args, 0, "torch.cuda.synchronize()"));
    return makeUndefined(env);
  });
}

// cudaDefaultGenerator(index) -> the device's default generator, which torch.cuda's seeds set.
napi_value jsCudaDefaultGenerator(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    lazyInit("torch.cuda.default_generators");
    c10::DeviceIndex index = deviceIndexArg(env, args, 0, "torch.cuda.default_generators");
    return wrapGenerator(env, at::globalContext().defaultGenerator(c10::Device(c10::DeviceType::CUDA, index)));
  });
}

// cudaMemoryStats(index) -> [allocated current, allocated peak, reserved
// current, reserved peak]: the caching allocator's "all" figures in bytes,
// which Python's memory_allocated and its kin read.
napi_value jsCudaMemoryStats(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const std::string where = "torch.cuda.memory_stats()";
    lazyInit(where);
    c10::DeviceIndex index = deviceIndexArg(env, args, 0, where);
#ifdef TORCHTS_CUDA_RUNTIME
    auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
    // Index 0 is StatType::AGGREGATE ("all"), whose namespace moved in libtorch 2.
    const auto& allocated = stats.allocated_bytes[0];
    const auto& reserved = stats.reserved_bytes[0];
    return makeArray(env, {makeNumber(env, static_cast<double>(allocated.current)), makeNumber(env, static_cast<double>(allocated.peak)),
                           makeNumber(env, static_cast<double>(reserved.current)), makeNumber(env, static_cast<double>(reserved.peak))});
#else
    (void)index;
    needsRuntime(where);
#endif
  });
}

napi_value jsCudaResetPeakMemoryStats(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const std::string where = "torch.cuda.reset_peak_memory_stats()";
    lazyInit(where);
    c10::DeviceIndex index = deviceIndexArg(env, args, 0, where);
#ifdef TORCHTS_CUDA_RUNTIME
    c10::cuda::CUDACachingAllocator::resetPeakStats(index);
    return makeUndefined(env);
#else
    (void)index;
    needsRuntime(where);
#endif
  });
}

// Returns the caching allocator's unused blocks to the driver. Without a GPU
// there is nothing cached, and nothing to do, as in Python.
napi_value jsCudaEmptyCache(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    if (cudaDeviceCount() == 0) return makeUndefined(env);
    lazyInit("torch.cuda.empty_cache()");
#ifdef TORCHTS_CUDA_RUNTIME
    c10::cuda::CUDACachingAllocator::emptyCache();
    return makeUndefined(env);
#else
    needsRuntime("torch.cuda.empty_cache()");
#endif
  });
}

// cudaMemGetInfo(index) -> [free bytes, total bytes] as the driver counts them.
napi_value jsCudaMemGetInfo(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const std::string where = "torch.cuda.mem_get_info()";
    lazyInit(where);
    c10::DeviceIndex index = deviceIndexArg(env, args, 0, where);
#ifdef TORCHTS_CUDA_RUNTIME
    c10::cuda::CUDAGuard onDevice(index);
    size_t freeBytes = 0, totalBytes = 0;
    cudaError_t status = cudaMemGetInfo(&freeBytes, &totalBytes);
    if (status != cudaSuccess) throw std::runtime_error(where + ": " + cudaGetErrorString(status));
    return makeArray(env, {makeNumber(env, static_cast<double>(freeBytes)), makeNumber(env, static_cast<double>(totalBytes))});
#else
    (void)index;
    needsRuntime(where);
#endif
  });
}

// cudaDeviceProperties(index) -> what Python's _CudaDeviceProperties shows.
napi_value jsCudaDeviceProperties(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const std::string where = "torch.cuda.get_device_properties()";
    lazyInit(where);
    c10::DeviceIndex index = deviceIndexArg(env, args, 0, where);
#ifdef TORCHTS_CUDA_RUNTIME
    cudaDeviceProp props;
    cudaError_t status = cudaGetDeviceProperties(&props, index);
    if (status != cudaSuccess) throw std::runtime_error(where + ": " + cudaGetErrorString(status));
    const cudaDeviceProp* p = &props;
    napi_value out;
    check(env, napi_create_object(env, &out));
    setProperty(env, out, "name", makeString(env, p->name));
    setProperty(env, out, "major", makeInt(env, p->major));
    setProperty(env, out, "minor", makeInt(env, p->minor));
    setProperty(env, out, "total_memory", makeNumber(env, static_cast<double>(p->totalGlobalMem)));
    setProperty(env, out, "multi_processor_count", makeInt(env, p->multiProcessorCount));
    setProperty(env, out, "L2_cache_size", makeInt(env, p->l2CacheSize));
    // The UUID as Python prints it: 8-4-4-4-12 lowercase hex digits.
    char uuid[37];
    const unsigned char* b = reinterpret_cast<const unsigned char*>(p->uuid.bytes);
    std::snprintf(uuid, sizeof uuid, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4],
                  b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    setProperty(env, out, "uuid", makeString(env, uuid));
    return out;
#else
    (void)index;
    needsRuntime(where);
#endif
  });
}

}  // namespace

int cudaDeviceCount() { return at::hasCUDA() ? at::detail::getCUDAHooks().getNumGPUs() : 0; }

// libtorch_cuda, where loaded, registers its hooks under this name.
bool cudaBuilt() { return at::CUDAHooksRegistry()->Has("CUDAHooks"); }

void requireCudaDevice(const c10::Device& d, const std::string& where) {
  if (!d.is_cuda()) return;
  int count = cudaDeviceCount();
  if (count == 0) throw std::runtime_error(where + ": device '" + d.str() + "' is not available: " + unavailableReason());
  if (d.has_index() && d.index() >= count) {
    throw std::runtime_error(where + ": device '" + d.str() + "' does not exist; there " +
                             (count == 1 ? "is 1 CUDA device" : "are " + std::to_string(count) + " CUDA devices"));
  }
  lazyInit(where);
}

void requirePinnedMemory(const std::string& where) {
  if (cudaDeviceCount() == 0) throw std::runtime_error(where + ": pinned memory needs CUDA: " + unavailableReason());
}

void registerCuda(napi_env env, napi_value exports) {
  exportFunction(env, exports, "cudaIsAvailable", jsCudaIsAvailable);
  exportFunction(env, exports, "cudaDeviceCount", jsCudaDeviceCount);
  exportFunction(env, exports, "cudaState", jsCudaState);
  exportFunction(env, exports, "cudaInit", jsCudaInit);
  exportFunction(env, exports, "cudaCurrentDevice", jsCudaCurrentDevice);
  exportFunction(env, exports, "cudaSetDevice", jsCudaSetDevice);
  exportFunction(env, exports, "cudaSynchronize", jsCudaSynchronize);
  exportFunction(env, exports, "cudaDefaultGenerator", jsCudaDefaultGenerator);
  exportFunction(env, exports, "cudaMemoryStats", jsCudaMemoryStats);
  exportFunction(env, exports, "cudaResetPeakMemoryStats", jsCudaResetPeakMemoryStats);
  exportFunction(env, exports, "cudaEmptyCache", jsCudaEmptyCache);
  exportFunction(env, exports, "cudaMemGetInfo", jsCudaMemGetInfo);
  exportFunction(env, exports, "cudaDeviceProperties", jsCudaDeviceProperties);
}

}  // namespace torchts
