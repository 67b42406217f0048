// torch.Generator handles, for ops whose schema takes a Generator.
#pragma once

#include "napi_util.h"

#include <ATen/core/Generator.h>

namespace torchts {

// The generator behind v (a handle, or an object with a `_handle`), or nullptr.
at::Generator* findGenerator(napi_env env, napi_value v);

void registerGenerator(napi_env env, napi_value exports);

}  // namespace torchts
