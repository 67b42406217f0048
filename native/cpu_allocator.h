// The CPU allocator torchts installs in libtorch (cpu_allocator.cc says why).
#pragma once

namespace torchts {

// Makes libtorch's CPU tensors allocate through the caching allocator; once
// per process, whichever env loads the addon first.
void installCpuAllocator();

}  // namespace torchts
