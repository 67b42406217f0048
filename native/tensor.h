// The JS Tensor object: an at::Tensor owned by a JS object whose weak
// callback runs inside V8's GC, so native memory follows JS reachability.
#pragma once

#include "napi_util.h"

#include <ATen/ATen.h>
#include <ATen/core/ivalue.h>
#include <v8.h>

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
};

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

void registerTensor(napi_env env, napi_value exports);
void registerData(napi_env env, napi_value exports);

}  // namespace torchts
