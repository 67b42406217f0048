// The JS Tensor object: an at::Tensor owned by a JS object whose weak
// callback runs inside V8's GC, so native memory follows JS reachability.
#pragma once

#include "napi_util.h"

#include <ATen/ATen.h>
#include <ATen/core/ivalue.h>
#include <torch/version.h>
#include <v8.h>

#include <atomic>
#include <string>

namespace torchts {

struct Scope;

struct TensorHolder {
  at::Tensor tensor;
  int64_t reportedBytes = 0;  // told to V8 as external memory
  int64_t freshBytes = 0;     // counted toward the next young collection (tensor.cc)
  uint32_t gcCount = 0;       // collections before this wrapper was made
  bool disposed = false;
  bool collected = false;     // the JS object is gone; only a scope still lists us
  Scope* scope = nullptr;
  v8::Global<v8::Object> object;  // weak: its callback frees the tensor
  TensorHolder* prevLive = nullptr;  // every holder of a thread, for cleanup when its env goes
  TensorHolder* nextLive = nullptr;
  // The storage this wrapper is counted against (tensor.cc's StorageCharges):
  // kept, since p.data = t can give the tensor another storage later.
  const c10::StorageImpl* chargedStorage = nullptr;
};

// A dtype code from JS (a torch.dtype's _code) as a ScalarType: the one
// check every entry uses. Only the dtypes torchts has objects for
// (lib/dtype.ts) pass: a code past c10's table indexes beyond it, and the
// quantized and 4-bit codes below NumOptions have element sizes and kernels
// that the buffer copies and factories do not expect (a QUInt4x2 buffer
// copy overflowed a storage half its size), and plain factories refuse
// them in Python too. `where` names the argument, as describe() takes it.
template <typename What>
at::ScalarType scalarTypeFromCode(int64_t code, const What& where) {
  switch (code) {
    case static_cast<int64_t>(at::ScalarType::Byte):
    case static_cast<int64_t>(at::ScalarType::Char):
    case static_cast<int64_t>(at::ScalarType::Short):
    case static_cast<int64_t>(at::ScalarType::Int):
    case static_cast<int64_t>(at::ScalarType::Long):
    case static_cast<int64_t>(at::ScalarType::Half):
    case static_cast<int64_t>(at::ScalarType::Float):
    case static_cast<int64_t>(at::ScalarType::Double):
    case static_cast<int64_t>(at::ScalarType::ComplexFloat):
    case static_cast<int64_t>(at::ScalarType::ComplexDouble):
    case static_cast<int64_t>(at::ScalarType::Bool):
    case static_cast<int64_t>(at::ScalarType::BFloat16):
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
    // PyTorch 2.3's unsigned types (limited support: libtorch names the ops it lacks).
    case static_cast<int64_t>(at::ScalarType::UInt16):
    case static_cast<int64_t>(at::ScalarType::UInt32):
    case static_cast<int64_t>(at::ScalarType::UInt64):
#endif
      return static_cast<at::ScalarType>(code);
    default: break;
  }
#if !(TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3))
  // torch.uint16/uint32/uint64 exist in lib/dtype.ts whichever libtorch is loaded; this one predates them.
  if (code >= 27 && code <= 29) {
    static const char* const names[] = {"torch.uint16", "torch.uint32", "torch.uint64"};
    throw JsTypeError(describe(where) + ": " + names[code - 27] + " needs libtorch 2.3 or newer (PyTorch added it in 2.3); this libtorch is " +
                      TORCH_VERSION);
  }
#endif
  std::string known = code >= 0 && code < static_cast<int64_t>(at::ScalarType::NumOptions)
                          ? std::string(" (") + c10::toString(static_cast<at::ScalarType>(code)) + ")"
                          : "";
  throw JsTypeError(describe(where) + ": unsupported dtype code " + std::to_string(code) + known +
                    "; torchts supports only the dtypes it exports (torch.float32, torch.int64, ...)");
}

// Makes the JS object for t (null for an undefined tensor).
napi_value wrapTensor(napi_env env, at::Tensor t);

// Asks V8 for a young-generation collection when enough fresh tensor memory
// waits for one (tensor.cc); op calls check before they run.
void collectYoungIfDue(napi_env env);

// The holder behind v, or nullptr when v is not one of our tensors.
TensorHolder* findHolder(napi_env env, napi_value v);

// The tensor behind v; a TypeError naming `what` when v is not a tensor and an
// Error when it was disposed.
const at::Tensor& unwrapTensor(napi_env env, napi_value v, const std::string& what);

// An IValue as JS: tensors wrapped, tuples and lists as arrays, dicts as objects.
napi_value ivalueToJs(napi_env env, c10::IValue v);

// The deleter of a storage over JS memory (torch.frombuffer; data.cc).
void releaseSharedBuffer(void* ctx);

// Whether a storage is JS memory shared by torch.frombuffer: V8 already
// counts it, so it is never charged again as tensor memory. Inline: every
// fresh op result asks.
inline bool sharesJsMemory(const c10::Storage& storage) {
  return storage.data_ptr().get_deleter() == &releaseSharedBuffer;
}

// Asynchronous calls in flight (jit.cc's runAsync), in all threads: while
// any is, each tensor an op is given is first looked up among the storages
// those calls read and write (their inputs, the module's parameters and
// buffers), which the calling thread must not touch until the call ends.
// The count keeps that lookup off every op call when nothing is in flight.
extern std::atomic<int> asyncCallsInFlight;
bool storageInFlight(const at::Tensor& t);
inline bool inFlight(const at::Tensor& t) {
  return asyncCallsInFlight.load(std::memory_order_relaxed) != 0 && storageInFlight(t);
}
// The message for an op given such a tensor; `what` names it.
std::string inFlightMessage(const std::string& what);
// Marks (+1) or unmarks (-1) storages as read or written by a call in
// flight on this thread's behalf. A marked storage is kept alive until
// unmarked: were it freed first (a call's inputs are dropped on the pool
// thread), a new storage at its address would be taken for it.
void markInFlight(const std::vector<c10::Storage>& storages, int delta);

void registerTensor(napi_env env, napi_value exports);
void registerData(napi_env env, napi_value exports);

}  // namespace torchts
