// torch.Generator handles, for ops whose schema takes a Generator.
#pragma once

#include "napi_util.h"

#include <ATen/core/Generator.h>

namespace torchts {

// A handle for g, which torch.Generator objects and op arguments take.
napi_value wrapGenerator(napi_env env, at::Generator g);

// The generator behind v (a handle, or an object with a `_handle`), or nullptr.
at::Generator* findGenerator(napi_env env, napi_value v);

// The default CPU generator of this thread: its own, once
// useThreadDefaultGenerator() has made it one (a DataLoader worker), else
// libtorch's one for the process.
at::Generator cpuDefaultGenerator();

// This thread's own default generator, or nullptr when it uses the
// process's. An op given no generator gets it (op_call.cc).
const at::Generator* threadDefaultGenerator();

// A seed as Python's manual_seed takes one: an integer from -2^63 to
// 2^64 - 1, a negative one read as its two's complement (-1 is 2^64 - 1).
// Above 2^53 it must be a BigInt, as Generator.seed() gives.
uint64_t seedArg(napi_env env, napi_value v, const std::string& where);

void registerGenerator(napi_env env, napi_value exports);

}  // namespace torchts
