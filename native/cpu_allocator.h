// The CPU allocator torchts installs in libtorch (cpu_allocator.cc says why).
#pragma once

#include <cstddef>

namespace torchts {

// Makes libtorch's CPU tensors allocate through the caching allocator; once
// per process, whichever env loads the addon first.
void installCpuAllocator();

// What the caching allocator holds idle, for tests: every cached block's
// bytes, the most it keeps, and how many blocks it keeps for a request of
// `size` bytes.
struct CpuBlockCacheStats {
  size_t cachedBytes;
  size_t limitBytes;
  size_t blocksForSize;
};
CpuBlockCacheStats cpuBlockCacheStats(size_t size);

}  // namespace torchts
