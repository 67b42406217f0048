// The addon's entry point: one Node-API module whose exports are the thin
// generic layer that lib/ builds PyTorch's API on.
#include "addon_state.h"
#include "cpu_allocator.h"
#include "tensor.h"
#include "warnings.h"

namespace torchts {

void registerOps(napi_env env, napi_value exports);
void registerAutograd(napi_env env, napi_value exports);
void registerRuntime(napi_env env, napi_value exports);
void registerGenerator(napi_env env, napi_value exports);
void registerSerialize(napi_env env, napi_value exports);
void registerJit(napi_env env, napi_value exports);

namespace {

// Each thread runs one env (the main thread's, or a worker's), so the state
// last asked for on this thread is this env's: remembered, since every op
// call asks.
thread_local napi_env cachedEnv = nullptr;
thread_local AddonState* cachedState = nullptr;

void deleteState(napi_env env, void* data, void*) {
  if (cachedState == data) {
    cachedEnv = nullptr;
    cachedState = nullptr;
  }
  delete static_cast<AddonState*>(data);
}

}  // namespace

AddonState& addonState(napi_env env) {
  if (env == cachedEnv) return *cachedState;
  void* data = nullptr;
  check(env, napi_get_instance_data(env, &data));
  if (!data) throw std::runtime_error("torchts addon state is missing");
  cachedEnv = env;
  cachedState = static_cast<AddonState*>(data);
  return *cachedState;
}

namespace {

napi_value init(napi_env env, napi_value exports) {
  return guard(env, [&]() -> napi_value {
    installWarningHandler();
    installCpuAllocator();
    check(env, napi_set_instance_data(env, new AddonState(), deleteState, nullptr));
    registerTensor(env, exports);
    registerData(env, exports);
    registerOps(env, exports);
    registerAutograd(env, exports);
    registerRuntime(env, exports);
    registerGenerator(env, exports);
    registerSerialize(env, exports);
    registerJit(env, exports);
    return exports;
  });
}

}  // namespace

}  // namespace torchts

NAPI_MODULE_INIT() { return torchts::init(env, exports); }
