// Per-environment state: each worker thread loads its own copy of the addon
// and resolves its own operator handles.
#pragma once

#include "napi_util.h"

#include <v8.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace torchts {

struct OpEntry;

struct AddonState {
  v8::Global<v8::FunctionTemplate> tensorTemplate;
  v8::Global<v8::Object> tensorBoilerplate;  // every wrapper is a clone of it (tensor.cc)
  std::vector<std::unique_ptr<OpEntry>> ops;
  std::unordered_map<std::string, uint32_t> opIds;
  napi_ref youngCollector = nullptr;  // a JS function that runs a young collection
  AddonState();
  ~AddonState();
};

AddonState& addonState(napi_env env);

}  // namespace torchts
