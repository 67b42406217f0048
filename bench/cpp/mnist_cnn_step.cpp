// libtorch's own C++ frontend doing the training step of examples/mnist_cnn.ts
// (pytorch/examples' mnist CNN, batch 64, nll_loss, Adadelta lr 1.0), the C++
// twin of the CNN in bench/example_steps.ts and .py. Built by bench/run.ts
// against the libtorch torchts uses, like bench.cpp.
//   mnist_cnn_step <images.u8> <labels.u8> <n> <steps>
// Prints one JSON line: the mean step in microseconds over `steps` steps after
// a tenth as many (at least 3) of warm-up.
//
// libtorch's C++ frontend has no Adadelta, so its step is written out here as
// Python 1.13's _single_tensor_adadelta does it (the default, foreach=None),
// and zero_grad zeroes the gradients as Python 1.13's does (set_to_none=False).
#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "step_timer.h"

static std::vector<uint8_t> readAll(const char* path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

struct Net : torch::nn::Module {
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::Dropout dropout1{nullptr}, dropout2{nullptr};
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  Net() {
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 32, 3).stride(1)));
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, 3).stride(1)));
    dropout1 = register_module("dropout1", torch::nn::Dropout(0.25));
    dropout2 = register_module("dropout2", torch::nn::Dropout(0.5));
    fc1 = register_module("fc1", torch::nn::Linear(9216, 128));
    fc2 = register_module("fc2", torch::nn::Linear(128, 10));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(conv1->forward(x));
    x = torch::relu(conv2->forward(x));
    x = torch::max_pool2d(x, 2);
    x = dropout1->forward(x);
    x = torch::flatten(x, 1);
    x = torch::relu(fc1->forward(x));
    x = dropout2->forward(x);
    x = fc2->forward(x);
    return torch::log_softmax(x, 1);
  }
};

struct Adadelta {
  std::vector<torch::Tensor> params, square_avgs, acc_deltas;
  double lr, rho = 0.9, eps = 1e-6;
  Adadelta(std::vector<torch::Tensor> ps, double lr) : params(std::move(ps)), lr(lr) {
    for (auto& p : params) {
      square_avgs.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
      acc_deltas.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
    }
  }
  void zero_grad() {
    for (auto& p : params) {
      if (p.grad().defined()) {
        p.mutable_grad().detach_();
        p.mutable_grad().zero_();
      }
    }
  }
  void step() {
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < params.size(); i++) {
      auto grad = params[i].grad();
      square_avgs[i].mul_(rho).addcmul_(grad, grad, 1 - rho);
      auto std = square_avgs[i].add(eps).sqrt_();
      auto delta = acc_deltas[i].add(eps).sqrt_().div_(std).mul_(grad);
      acc_deltas[i].mul_(rho).addcmul_(delta, delta, 1 - rho);
      params[i].add_(delta, -lr);
    }
  }
};

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: mnist_cnn_step images.u8 labels.u8 n steps\n");
    return 2;
  }
  torch::set_num_threads(1);
  torch::manual_seed(0);
  auto imageBytes = readAll(argv[1]);
  auto labelBytes = readAll(argv[2]);
  int64_t n = std::atoll(argv[3]);
  int64_t steps = std::atoll(argv[4]);
  // ToTensor then Normalize((0.1307,), (0.3081,)), as the example's loader gives them.
  auto images = torch::from_blob(imageBytes.data(), {n, 1, 28, 28}, torch::kUInt8).to(torch::kFloat).div(255).sub(0.1307).div(0.3081);
  auto labels = torch::from_blob(labelBytes.data(), {n}, torch::kUInt8).to(torch::kLong);
  const int64_t batch = 64, batches = n / batch;

  auto model = std::make_shared<Net>();
  model->train();
  Adadelta optimizer(model->parameters(), 1.0);
  auto step = [&](int64_t s) {
    auto data = images.narrow(0, (s % batches) * batch, batch);
    auto target = labels.narrow(0, (s % batches) * batch, batch);
    optimizer.zero_grad();
    auto output = model->forward(data);
    auto loss = torch::nll_loss(output, target);
    loss.backward();
    optimizer.step();
    loss.item<float>();
  };
  std::printf("{\"cnn_step_us\": %.3f}\n", meanStepUs(step, steps));
  return 0;
}
