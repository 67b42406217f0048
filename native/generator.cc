// torch.Generator: a random-number generator of its own (a new CPU
// generator), or the process's default one. The JS side holds an opaque
// handle; op arguments of type Generator take it.
#include "generator.h"
#include "cuda.h"
#include "tensor.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#ifdef TORCHTS_CUDA_RUNTIME
#include <ATen/cuda/CUDAGeneratorImpl.h>
#endif

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
      requireCudaDevice(d, "torch.Generator()");
#ifdef TORCHTS_CUDA_RUNTIME
      // A new one of its own, on the current device where d has no index, as Python's.
      return wrapGenerator(env, at::cuda::detail::createCUDAGenerator(d.has_index() ? d.index() : -1));
#else
      throw std::runtime_error("torch.Generator(): a CUDA generator of its own needs libtorch_cuda's headers, and this build of torchts "
                               "was made without the CUDA runtime's (cuda_runtime_api.h); rebuild it where they are found "
                               "(CUDA_HOME, /usr/local/cuda, or a pip torch's nvidia packages): npm run build. "
                               "torch.cuda.default_generators[i] are there without");
#endif
    }
    throw JsTypeError("torch.Generator(): device type " + c10::DeviceTypeName(d.type(), /*lower_case=*/true) +
                      " is not supported (cpu or cuda)");
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
    uint64_t seed = seedArg(env, args[1], "manual_seed: seed");
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_current_seed(seed);
    return makeUndefined(env);
  });
}

// generatorSeed(g) -> a new nondeterministic seed, set on g and returned.
napi_value jsGeneratorSeed(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    at::Generator& g = generatorArg(env, args, 0);
    std::lock_guard<std::mutex> lock(g.mutex());
    uint64_t seed = g.seed();
    napi_value v;
    check(env, napi_create_bigint_uint64(env, seed, &v));
    return v;
  });
}

// generatorGetState(g) -> a uint8 tensor of g's whole state (for a CPU
// generator, the Mersenne Twister's 624 words, its position, and the cached
// normal draws: 5056 bytes), as Python's Generator.get_state().
napi_value jsGeneratorGetState(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    at::Generator& g = generatorArg(env, args, 0);
    at::Tensor state;
    {
      std::lock_guard<std::mutex> lock(g.mutex());
      state = g.get_state();
    }
    return wrapTensor(env, state);
  });
}

// generatorSetState(g, state): g continues from state, which libtorch checks
// as Python's set_state does (a contiguous CPU uint8 tensor of the right size
// holding a valid state), with Python's messages.
napi_value jsGeneratorSetState(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    at::Generator& g = generatorArg(env, args, 0);
    if (args.size() < 2) throw JsTypeError("set_state(new_state) needs a state");
    const at::Tensor& state = unwrapTensor(env, args[1], "set_state(): new_state");
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_state(state);
    return makeUndefined(env);
  });
}

// generatorDevice(g) -> where g draws: 'cpu' or 'cuda:N'.
napi_value jsGeneratorDevice(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    return makeString(env, generatorArg(env, args, 0).device().str());
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

napi_value wrapGenerator(napi_env env, at::Generator g) {
  return wrapHandle(env, new GeneratorHolder{std::move(g)}, kGeneratorTag);
}

uint64_t seedArg(napi_env env, napi_value v, const std::string& where) {
  if (typeOf(env, v) == napi_bigint) {
    int sign = 0;
    size_t count = 2;
    uint64_t words[2] = {0, 0};
    check(env, napi_get_value_bigint_words(env, v, &sign, &count, words));
    const bool fits = count <= 1 && (sign == 0 || words[0] <= (uint64_t{1} << 63));
    if (!fits) throw JsRangeError(where + ": Overflow when unpacking long: a seed is from -2^63 to 2^64 - 1");
    return sign ? ~words[0] + 1 : words[0];
  }
  return static_cast<uint64_t>(toInt64(env, v, where));
}

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
  exportFunction(env, exports, "generatorSeed", jsGeneratorSeed);
  exportFunction(env, exports, "generatorDevice", jsGeneratorDevice);
  exportFunction(env, exports, "generatorGetState", jsGeneratorGetState);
  exportFunction(env, exports, "generatorSetState", jsGeneratorSetState);
}

}  // namespace torchts
