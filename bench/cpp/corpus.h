// The word corpus of examples/lstm_lm.py for the C++ twins of the language
// model steps (lstm_lm_step.cpp, transformer_step.cpp): the text file's first
// 80% of lines, split on whitespace as Python's str.split() splits ASCII
// text, each line ending in an "<eos>" word, numbered by first appearance.
// Only the training split is made; the steps use nothing else.
#pragma once

#include <torch/torch.h>

#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

struct Corpus {
  std::unordered_map<std::string, int64_t> word2idx;
  torch::Tensor train;  // int64, every training word's id in order

  explicit Corpus(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(f, line);) lines.push_back(line);
    const size_t trainLines = lines.size() * 8 / 10;
    std::vector<int64_t> ids;
    for (size_t i = 0; i < trainLines; i++) {
      std::istringstream words(lines[i]);
      for (std::string w; words >> w;) ids.push_back(idOf(w));
      ids.push_back(idOf("<eos>"));
    }
    train = torch::tensor(ids, torch::kLong);
  }

  int64_t size() const { return static_cast<int64_t>(word2idx.size()); }

 private:
  int64_t idOf(const std::string& word) {
    auto found = word2idx.find(word);
    if (found != word2idx.end()) return found->second;
    int64_t id = size();
    word2idx.emplace(word, id);
    return id;
  }
};

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

/** Mean wall-clock microseconds of `steps` calls of step after a tenth as many (at least 3) of warm-up. */
template <typename Step>
double meanStepUs(Step&& step, int64_t steps) {
  const int64_t warm = std::max<int64_t>(3, steps / 10);
  for (int64_t s = 0; s < warm; s++) step(s);
  auto t0 = std::chrono::steady_clock::now();
  for (int64_t s = 0; s < steps; s++) step(warm + s);
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / steps;
}
