// CUDA devices as torch.cuda sees them: whether this libtorch has CUDA, how
// many GPUs are visible, and the refusal an op or a torch.cuda call gets
// where there is no such device.
#pragma once

#include "napi_util.h"

#include <c10/core/Device.h>

#include <string>

namespace torchts {

// The CUDA devices visible to this libtorch: 0 where it has no CUDA.
int cudaDeviceCount();

// Whether the loaded libtorch was built with CUDA (Python's
// torch.backends.cuda.is_built()), usable GPU or not.
bool cudaBuilt();

// Throws `where`: device '<d>' is not available (Python's reason) unless d
// is a CUDA device that exists; after the first success CUDA is initialized
// (torch.cuda.is_initialized()). A device that is not CUDA passes.
void requireCudaDevice(const c10::Device& d, const std::string& where);

// Throws `where`: pinned memory needs CUDA (Python's reason) unless a GPU is
// there: page-locked host memory comes from the CUDA driver.
void requirePinnedMemory(const std::string& where);

void registerCuda(napi_env env, napi_value exports);

}  // namespace torchts
