// torch.Generator handles, for ops whose schema takes a Generator.
#pragma once

#include "napi_util.h"

#include <ATen/core/Generator.h>

namespace torchts {

// The generator behind v (a handle, or an object with a `_handle`), or nullptr.
at::Generator* findGenerator(napi_env env, napi_value v);

// The default CPU generator of this thread: its own, once
// useThreadDefaultGenerator() has made it one (a DataLoader worker), else
// libtorch's one for the process.
at::Generator cpuDefaultGenerator();

// This thread's own default generator, or nullptr when it uses the
// process's. An op given no generator gets it (op_call.cc).
const at::Generator* threadDefaultGenerator();

void registerGenerator(napi_env env, napi_value exports);

}  // namespace torchts
