// torch.Generator: a random-number generator of its own (a new CPU
// generator), or the process's default one. The JS side holds an opaque
// handle; op arguments of type Generator take it.
#include "generator.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>

#include <mutex>

namespace torchts {

namespace {

// Python's DataLoader workers are processes, each with its own default
// generator seeded base_seed + id; worker threads share libtorch's one, so a
// worker's torch.manual_seed would reseed the main thread's and its draws
// interleave with the others'. A worker thread gets one of its own instead.
thread_local c10::optional<at::Generator> threadDefault;

const napi_type_tag kGeneratorTag = {0x746f726368747321ULL, 0x47656e6572617431ULL};

struct GeneratorHolder {
  at::Generator generator;
};

napi_value wrapGenerator(napi_env env, at::Generator g) {
  return wrapHandle(env, new GeneratorHolder{std::move(g)}, kGeneratorTag);
}

at::Generator& generatorArg(napi_env env, const CallArgs& args, size_t i) {
  if (i >= args.size()) throw JsTypeError("expected a Generator handle");
  at::Generator* g = findGenerator(env, args[i]);
  if (!g) throw JsTypeError("expected a Generator handle, got " + std::string(typeName(env, args[i])));
  return *g;
}

// generatorNew(device?) -> a fresh generator, seeded with PyTorch's default seed.
napi_value jsGeneratorNew(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string device = args.empty() || isNullish(env, args[0]) ? "cpu" : toString(env, args[0], "device");
    c10::Device d(device);
    if (d.is_cpu()) return wrapGenerator(env, at::make_generator<at::CPUGeneratorImpl>());
    if (d.is_cuda()) {
      if (!at::hasCUDA() || at::detail::getCUDAHooks().getNumGPUs() == 0) {
        throw std::runtime_error("Generator: device '" + device + "' is not available: torch.cuda.is_available() is false");
      }
      // A CUDA generator of one's own is not exposed by libtorch's CPU-only headers; share the device's default.
      // (Through the Context, which has it in libtorch 1.13 and 2; CUDAHooks' getDefaultCUDAGenerator is gone in 2.)
      return wrapGenerator(env, at::globalContext().defaultGenerator(c10::Device(c10::DeviceType::CUDA, d.has_index() ? d.index() : 0)));
    }
    throw JsTypeError("Generator: unsupported device '" + device + "'");
  });
}

napi_value jsGeneratorDefault(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return wrapGenerator(env, cpuDefaultGenerator()); });
}

// useThreadDefaultGenerator(): from now on this thread's default CPU
// generator is a new one of its own (PyTorch's default seed until seeded).
napi_value jsUseThreadDefaultGenerator(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    if (!threadDefault) threadDefault = at::make_generator<at::CPUGeneratorImpl>();
    return makeUndefined(env);
  });
}

napi_value jsGeneratorManualSeed(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    at::Generator& g = generatorArg(env, args, 0);
    if (args.size() < 2) throw JsTypeError("manual_seed(seed) needs an integer seed");
    uint64_t seed = static_cast<uint64_t>(toInt64(env, args[1], "manual_seed: seed"));
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_current_seed(seed);
    return makeUndefined(env);
  });
}

napi_value jsGeneratorInitialSeed(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    at::Generator& g = generatorArg(env, args, 0);
    uint64_t seed = g.current_seed();
    napi_value v;
    check(env, napi_create_bigint_uint64(env, seed, &v));
    return v;
  });
}

}  // namespace

at::Generator cpuDefaultGenerator() { return threadDefault ? *threadDefault : at::detail::getDefaultCPUGenerator(); }

const at::Generator* threadDefaultGenerator() { return threadDefault ? &*threadDefault : nullptr; }

at::Generator* findGenerator(napi_env env, napi_value v) {
  GeneratorHolder* h = findHandle<GeneratorHolder>(env, v, kGeneratorTag);
  if (!h && typeOf(env, v) == napi_object) {
    // A torch.Generator from lib/ carries its handle as `_handle`.
    bool has = false;
    check(env, napi_has_named_property(env, v, "_handle", &has));
    if (has) {
      napi_value handle;
      check(env, napi_get_named_property(env, v, "_handle", &handle));
      h = findHandle<GeneratorHolder>(env, handle, kGeneratorTag);
    }
  }
  return h ? &h->generator : nullptr;
}

void registerGenerator(napi_env env, napi_value exports) {
  exportFunction(env, exports, "generatorNew", jsGeneratorNew);
  exportFunction(env, exports, "generatorDefault", jsGeneratorDefault);
  exportFunction(env, exports, "useThreadDefaultGenerator", jsUseThreadDefaultGenerator);
  exportFunction(env, exports, "generatorManualSeed", jsGeneratorManualSeed);
  exportFunction(env, exports, "generatorInitialSeed", jsGeneratorInitialSeed);
}

}  // namespace torchts
