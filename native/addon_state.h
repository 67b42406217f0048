// Per-environment state: each worker thread loads its own copy of the addon
// and resolves its own operator handles.
#pragma once

#include "napi_util.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace torchts {

struct OpEntry;

struct AddonState {
  napi_ref tensorClass = nullptr;
  std::vector<std::unique_ptr<OpEntry>> ops;
  std::unordered_map<std::string, uint32_t> opIds;
  AddonState();
  ~AddonState();
};

AddonState& addonState(napi_env env);

}  // namespace torchts
