// libtorch's own C++ frontend doing what bench/run.ts times in torchts and
// Python: the notebook model's training step over one epoch, and the cost of
// one small op. Built by bench/run.ts against the libtorch torchts uses.
//   bench_cpp <images.u8> <labels.u8> <n> <repeats>
//   bench_cpp <images.u8> <labels.u8> <n> <steps> --steps-only   (for profilers:
//   that many training steps and nothing else; bench/step_loop.ts is its twin)
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

static std::vector<uint8_t> readAll(const char* path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct MLP : torch::nn::Module {
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  MLP() {
    fc1 = register_module("fc1", torch::nn::Linear(784, 32));
    fc2 = register_module("fc2", torch::nn::Linear(32, 10));
  }
  torch::Tensor forward(torch::Tensor x) { return fc2->forward(torch::relu(fc1->forward(x.flatten(1)))); }
};

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: bench_cpp images.u8 labels.u8 n repeats\n");
    return 2;
  }
  torch::set_num_threads(1);
  torch::manual_seed(0);
  auto imageBytes = readAll(argv[1]);
  auto labelBytes = readAll(argv[2]);
  int64_t n = std::atoll(argv[3]);
  int repeats = std::atoi(argv[4]);
  auto images = torch::from_blob(imageBytes.data(), {n, 1, 28, 28}, torch::kUInt8).to(torch::kFloat).div(255);
  auto labels = torch::from_blob(labelBytes.data(), {n}, torch::kUInt8).to(torch::kLong);
  const int64_t batch = 32, steps = n / batch;

  if (argc > 5 && std::string(argv[5]) == "--steps-only") {
    auto model = std::make_shared<MLP>();
    torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(0.04));
    std::string epochUs;
    auto epochStart = Clock::now();
    for (int64_t s = 0; s < std::atoll(argv[4]); s++) {
      auto x = images.narrow(0, (s % steps) * batch, batch);
      auto y = labels.narrow(0, (s % steps) * batch, batch);
      opt.zero_grad();
      auto loss = torch::nn::functional::cross_entropy(model->forward(x), y);
      loss.backward();
      opt.step();
      if ((s + 1) % steps == 0) {
        auto now = Clock::now();
        char text[32];
        std::snprintf(text, sizeof text, " %.1f", std::chrono::duration<double, std::micro>(now - epochStart).count() / steps);
        epochUs += text;
        epochStart = now;
      }
    }
    std::fprintf(stderr, "us per step, by epoch of %lld steps:%s\n", static_cast<long long>(steps), epochUs.c_str());
    return 0;
  }

  // The first epoch is timed on its own; the figure is the median of the
  // epochs after it, each with a fresh model (bench/README.md).
  std::vector<double> stepUs;
  for (int r = 0; r <= repeats; r++) {
    auto model = std::make_shared<MLP>();
    torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(0.04));
    auto t0 = Clock::now();
    for (int64_t s = 0; s < steps; s++) {
      auto x = images.narrow(0, s * batch, batch);
      auto y = labels.narrow(0, s * batch, batch);
      opt.zero_grad();
      auto loss = torch::nn::functional::cross_entropy(model->forward(x), y);
      loss.backward();
      opt.step();
    }
    stepUs.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / steps);
  }

  auto a = torch::ones({4}), b = torch::ones({4});
  std::vector<double> addNs;
  for (int r = 0; r < repeats; r++) {
    const int iters = 200000;
    auto t0 = Clock::now();
    for (int i = 0; i < iters; i++) auto c = torch::add(a, b);
    addNs.push_back(std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / iters);
  }

  auto bias = torch::randn({32}), m1 = torch::randn({32, 784}), m2 = torch::randn({784, 32});
  std::vector<double> addmmUs;
  for (int r = 0; r < repeats; r++) {
    const int iters = 20000;
    auto t0 = Clock::now();
    for (int i = 0; i < iters; i++) auto c = torch::addmm(bias, m1, m2);
    addmmUs.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / iters);
  }
  double firstUs = stepUs.front();
  stepUs.erase(stepUs.begin());
  std::printf("{\"train_step_first_us\": %.3f, \"train_step_us\": %.3f, \"add_ns\": %.1f, \"addmm_us\": %.3f}\n", firstUs,
              median(stepUs), median(addNs), median(addmmUs));
  return 0;
}
