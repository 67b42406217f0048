// torch.nn.utils.clip_grad_norm_ for the C++ twins of the language model
// steps (lstm_lm_step.cpp, transformer_step.cpp), with the libtorch calls
// the Python of their libtorch makes.
#pragma once

#include <torch/torch.h>

#include <vector>

/**
 * torch.nn.utils.clip_grad_norm_(params, maxNorm) with the calls the Python
 * of this libtorch makes for the 2-norm: the norm of the stacked per-gradient
 * norms, then every gradient times min(maxNorm / (total + 1e-6), 1). 1.13
 * takes each norm through torch.norm (norm over every dim); 2.x through
 * _foreach_norm and linalg.vector_norm, and scales with _foreach_mul_.
 */
inline void clipGradNorm(const std::vector<torch::Tensor>& params, double maxNorm) {
  std::vector<torch::Tensor> grads;
  for (const auto& p : params) {
    if (p.grad().defined()) grads.push_back(p.grad());
  }
  if (grads.empty()) return;
  torch::NoGradGuard no_grad;
  const auto device = grads[0].device();
#if TORCH_VERSION_MAJOR >= 2
  std::vector<torch::Tensor> norms;
  for (auto& n : torch::_foreach_norm(grads, 2)) norms.push_back(n.to(device));
  auto total = torch::linalg_vector_norm(torch::stack(norms), 2);
  auto coef = torch::clamp(maxNorm / (total + 1e-6), c10::nullopt, 1.0);
  torch::_foreach_mul_(grads, coef.to(device));
#else
  auto everyDim = [](const torch::Tensor& t) {
    std::vector<int64_t> dims(t.dim());
    for (int64_t d = 0; d < t.dim(); d++) dims[d] = d;
    return dims;
  };
  std::vector<torch::Tensor> norms;
  for (const auto& g : grads) norms.push_back(torch::norm(g.detach(), 2, everyDim(g)).to(device));
  auto stacked = torch::stack(norms);
  auto total = torch::norm(stacked, 2, everyDim(stacked));
  auto coef = torch::clamp(maxNorm / (total + 1e-6), c10::nullopt, 1.0);
  for (const auto& g : grads) g.detach().mul_(coef.to(g.device()));
#endif
}
