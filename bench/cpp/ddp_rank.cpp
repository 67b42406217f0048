// One libtorch C++ rank of bench/ddp.ts: what Python's DistributedDataParallel
// does, written against c10d directly (a TCPStore from MASTER_ADDR and
// MASTER_PORT, a Gloo group, rank 0's parameters broadcast, the Reducer over
// one bucket until its first backward rebuilds them), then the MLP's steps
// on a fixed batch, timed between barriers as rank.py and rank.ts time theirs.
//   ddp_rank DIMS BATCH BUDGET_SECONDS    (DIMS as 784-32-32-32-10)
// Prints {"seconds_per_step": s, "steps": n} (rank 0's clock).
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/comm.hpp>
#include <torch/csrc/distributed/c10d/logger.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

int envInt(const char* name) {
  const char* v = std::getenv(name);
  if (!v) throw std::runtime_error(std::string(name) + " is not set");
  return std::atoi(v);
}

void wait(const c10::intrusive_ptr<c10d::Work>& work) { work->wait(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: ddp_rank DIMS BATCH BUDGET_SECONDS\n";
    return 2;
  }
  std::vector<int64_t> dims;
  std::stringstream dimList(argv[1]);
  for (std::string d; std::getline(dimList, d, '-');) dims.push_back(std::stoll(d));
  const int64_t batch = std::stoll(argv[2]);
  const double budget = std::stod(argv[3]);
  torch::set_num_threads(1);

  const int rank = envInt("RANK");
  const int world = envInt("WORLD_SIZE");
  c10d::TCPStoreOptions opts;
  opts.port = static_cast<uint16_t>(envInt("MASTER_PORT"));
  opts.isServer = rank == 0;
  opts.numWorkers = world;
  auto tcp = c10::make_intrusive<c10d::TCPStore>(std::getenv("MASTER_ADDR"), opts);
  auto store = c10::make_intrusive<c10d::PrefixStore>("cpp_ddp", tcp);
  auto gloo_opts = c10d::ProcessGroupGloo::Options::create();
  gloo_opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  gloo_opts->threads = 2;
  auto gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world, gloo_opts);
#if TORCH_VERSION_MAJOR >= 2
  auto pg = c10::make_intrusive<c10d::ProcessGroup>(rank, world);
  pg->setBackend(c10::DeviceType::CPU, c10d::ProcessGroup::BackendType::GLOO, gloo);
  pg->setDefaultBackend(c10d::ProcessGroup::BackendType::GLOO);
#else
  c10::intrusive_ptr<c10d::ProcessGroup> pg = gloo;
#endif

  torch::manual_seed(0);
  torch::nn::Sequential model;
  for (size_t i = 0; i + 1 < dims.size(); ++i) {
    model->push_back(torch::nn::Linear(dims[i], dims[i + 1]));
    if (i + 2 < dims.size()) model->push_back(torch::nn::ReLU());
  }
  std::vector<at::Tensor> params = model->parameters();
  // Python DDP's construction: verify, broadcast rank 0's states, one bucket, the Reducer.
  c10d::verify_params_across_processes(pg, params, {});
  {
    torch::NoGradGuard noGrad;
    std::vector<at::Tensor> states;
    for (const auto& p : params) states.push_back(p.detach());
    c10d::broadcast_coalesced(pg, states, 250 * 1024 * 1024, 0);
  }
  std::vector<bool> sparse(params.size(), false);
  auto assigned = c10d::compute_bucket_assignment_by_size(params, {static_cast<size_t>(INT64_MAX)}, sparse);
  std::vector<std::vector<size_t>> buckets(std::get<0>(assigned).rbegin(), std::get<0>(assigned).rend());
  std::vector<size_t> limits(std::get<1>(assigned).rbegin(), std::get<1>(assigned).rend());
  auto reducer = std::make_shared<c10d::Reducer>(params, buckets, limits, pg, sparse, 25 * 1024 * 1024, false, false,
                                                 std::unordered_map<size_t, std::string>{}, 1024 * 1024);
  auto logger = std::make_shared<c10d::Logger>(reducer);
  reducer->set_logger(logger);
  logger->set_construction_data_and_log("Sequential", {}, -1, true, false, false);

  torch::optim::SGD opt(params, torch::optim::SGDOptions(0.01).momentum(0.9));
  torch::Tensor x = torch::randn({batch, dims.front()});
  torch::Tensor y = torch::randint(0, dims.back(), {batch});
  auto step = [&]() {
    opt.zero_grad();
    logger->set_runtime_stats_and_log();
    reducer->prepare_for_forward();
    reducer->rebuild_buckets();
    torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x), y);
    reducer->prepare_for_backward({});
    loss.backward();
    opt.step();
  };
  using clock = std::chrono::steady_clock;
  for (int i = 0; i < 5; ++i) step();
  auto probe = clock::now();
  for (int i = 0; i < 3; ++i) step();
  double perStep = std::chrono::duration<double>(clock::now() - probe).count() / 3;
  int64_t want = std::max<int64_t>(5, std::min<int64_t>(100000, static_cast<int64_t>(budget / perStep + 0.5)));
  std::vector<at::Tensor> count{torch::tensor({want}, torch::kLong)};
  wait(pg->broadcast(count));
  const int64_t steps = count[0].item<int64_t>();
  wait(pg->barrier());
  auto start = clock::now();
  for (int64_t i = 0; i < steps; ++i) step();
  double seconds = std::chrono::duration<double>(clock::now() - start).count() / static_cast<double>(steps);
  wait(pg->barrier());
  std::printf("{\"seconds_per_step\": %.9g, \"steps\": %lld}\n", seconds, static_cast<long long>(steps));
  return 0;
}
