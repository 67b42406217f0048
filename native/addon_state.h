// Per-environment state: each worker thread loads its own copy of the addon
// and resolves its own operator handles.
#pragma once

#include "napi_util.h"

#include <v8.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace c10 {
struct IValue;
}

namespace torchts {

struct OpEntry;

struct AddonState {
  v8::Global<v8::FunctionTemplate> tensorTemplate;
  v8::Global<v8::Object> tensorBoilerplate;  // every wrapper is a clone of it (tensor.cc)
  v8::Global<v8::Function> handleClass;  // TorchtsHandle, the class of opaque handles (newHandleObject)
  std::vector<std::unique_ptr<OpEntry>> ops;
  std::unordered_map<std::string, uint32_t> opIds;
  napi_ref youngCollector = nullptr;  // a JS function that runs a young collection
  napi_ref hookDispatcher = nullptr;  // lib's function (id, grad) that runs gradient hook `id` (autograd.cc)
  // The op call's argument stacks, one per nesting level (op_call.cc).
  std::vector<std::unique_ptr<std::vector<c10::IValue>>> stackPool;
  size_t stackDepth = 0;
  AddonState();
  ~AddonState();
};

AddonState& addonState(napi_env env);

}  // namespace torchts
