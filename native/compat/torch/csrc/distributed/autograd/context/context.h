// Stands in for a header that Debian's libtorch-dev 1.13 leaves out:
// c10d's reducer.hpp includes distributed autograd's context.h for two
// names only, a callback type and a shared pointer to the context. Both are
// declared here exactly as libtorch declares them (a std::function and a
// std::shared_ptr), so the Reducer's layout is libtorch's own; nothing of the
// context itself is used. Found only after the system's headers
// (-idirafter), so a libtorch that ships the real header (2.x) uses it.
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>

namespace torch {
namespace distributed {
namespace autograd {

class DistAutogradContext {
 public:
  using GradCallback = std::function<bool(at::Tensor&)>;
};

using ContextPtr = std::shared_ptr<DistAutogradContext>;

}  // namespace autograd
}  // namespace distributed
}  // namespace torch
