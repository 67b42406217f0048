// The addon's entry point: one Node-API module whose exports are the thin
// generic layer that lib/ builds PyTorch's API on.
#include "addon_state.h"
#include "cpu_allocator.h"
#include "tensor.h"
#include "warnings.h"

#include <node_version.h>

#define TORCHTS_STRINGIFY_(x) #x
#define TORCHTS_STRINGIFY(x) TORCHTS_STRINGIFY_(x)

// The Node ABI (NODE_MODULE_VERSION) of the headers this binary was compiled
// against, as text in the file itself: tensor.cc uses V8's C++ API, so a
// binary serves one Node major, and lib/native.ts reads this before it loads
// a local build (node-gyp-build would load build/Release under any Node).
extern "C" __attribute__((used, visibility("default"))) const char torchts_built_for[] =
    "torchts-built-for:node-abi=" TORCHTS_STRINGIFY(NODE_MODULE_VERSION) ";";

namespace torchts {

void registerOps(napi_env env, napi_value exports);
void registerAutograd(napi_env env, napi_value exports);
void registerRuntime(napi_env env, napi_value exports);
void registerGenerator(napi_env env, napi_value exports);
void registerCuda(napi_env env, napi_value exports);
void registerSerialize(napi_env env, napi_value exports);
void registerJit(napi_env env, napi_value exports);
void registerDistributed(napi_env env, napi_value exports);
void registerDdp(napi_env env, napi_value exports);

namespace {

// Each thread runs one env (the main thread's, or a worker's), so the state
// last asked for on this thread is this env's: remembered, since every op
// call asks.
// One plain struct, so that a lookup is one __tls_get_addr call, not two.
struct CachedState {
  napi_env env;
  AddonState* state;
};
thread_local CachedState cached = {nullptr, nullptr};

void deleteState(napi_env env, void* data, void*) {
  if (cached.state == data) cached = {nullptr, nullptr};
  auto* state = static_cast<AddonState*>(data);
  // The env frees no reference it still holds when it goes (LSan: the young
  // collector's, 40 bytes per env); the state lets go of its own.
  for (napi_ref ref : {state->youngCollector, state->hookDispatcher}) {
    if (ref) napi_delete_reference(env, ref);
  }
  delete state;
}

}  // namespace

napi_value newHandleObject(napi_env env) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  AddonState& state = addonState(env);
  if (state.handleClass.IsEmpty()) {
    v8::Local<v8::FunctionTemplate> tmpl = v8::FunctionTemplate::New(isolate);
    tmpl->SetClassName(v8::String::NewFromUtf8Literal(isolate, "TorchtsHandle"));
    v8::Local<v8::Function> cls;
    if (!tmpl->GetFunction(context).ToLocal(&cls)) throw std::runtime_error("could not make the TorchtsHandle class");
    state.handleClass.Reset(isolate, cls);
  }
  v8::Local<v8::Object> obj;
  if (!state.handleClass.Get(isolate)->NewInstance(context).ToLocal(&obj)) throw std::runtime_error("could not make a handle object");
  return toNapi(obj);
}

AddonState& addonState(napi_env env) {
  CachedState& c = cached;
  if (env == c.env) return *c.state;
  void* data = nullptr;
  check(env, napi_get_instance_data(env, &data));
  if (!data) throw std::runtime_error("torchts addon state is missing");
  c = {env, static_cast<AddonState*>(data)};
  return *c.state;
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
    registerCuda(env, exports);
    registerSerialize(env, exports);
    registerJit(env, exports);
    registerDistributed(env, exports);
    registerDdp(env, exports);
    return exports;
  });
}

}  // namespace

}  // namespace torchts

NAPI_MODULE_INIT() { return torchts::init(env, exports); }
