// nn.parallel.DistributedDataParallel's native half: c10d's own Reducer
// (DDP's bucketed gradient all-reduce), made and driven as Python's DDP
// drives it, so that a torchts rank and Python's DDP ranks reduce the same
// buckets in the same order and end every step with the same bits.
// lib/nn/parallel/distributed.ts makes the calls in Python's order.
//
// What blocks runs off the JS thread: DDP's construction (it verifies the
// model across ranks and broadcasts rank 0's parameters) and backward_async
// (the backward pass, during which the Reducer all-reduces each bucket as
// its gradients are ready, and waits for them at the end). Both run on the
// group's worker thread, one task after another: in a checked group (every
// rank a torchts rank) that is the thread its collectives already run on
// in call order, so a DDP step and the collectives queued around it reach
// Gloo in the same order on every rank.
//
// The rest is brief and runs on the JS thread as Python's runs on its
// caller: prepare_for_forward, the one-time bucket rebuild and the buffer
// broadcast before a forward, prepare_for_backward after it. Where a checked
// group's worker has collectives queued, the JS thread first takes the
// worker (waits for what is queued there, and keeps it idle until done),
// for the same reason; lib knows when it has (it counts them).
#include "distributed.h"
#include "warnings.h"

namespace torchts {

#ifndef TORCHTS_DISTRIBUTED

void registerDdp(napi_env, napi_value) {}

#else

}  // namespace torchts

#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/autograd/engine.h>
#include <torch/csrc/distributed/c10d/comm.hpp>
#include <torch/csrc/distributed/c10d/default_comm_hooks.hpp>
#include <torch/csrc/distributed/c10d/logger.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include <algorithm>
#include <cstdint>
#include <future>
#include <type_traits>
#include <unordered_map>

namespace torchts {

namespace {

using namespace dist;

constexpr napi_type_tag kDdpTag = {0x3a91c4e27d5b6f08ULL, 0x8e1f2a3b4c5d6e7fULL};

// The group as the ProcessGroup c10d::Reducer takes. Before libtorch 2.0 the
// Gloo group is one; from 2.0 on a ProcessGroup fronts backends, and this
// one fronts our Gloo group for CPU tensors, as Python's init_process_group
// registers it.
c10::intrusive_ptr<c10d::ProcessGroup> processGroupOf(GroupHolder& h) {
#if TORCH_VERSION_MAJOR >= 2
  if (!h.asProcessGroup) {
    auto pg = c10::make_intrusive<c10d::ProcessGroup>(h.rank, h.size);
    pg->setBackend(c10::DeviceType::CPU, c10d::ProcessGroup::BackendType::GLOO, h.pg);
    pg->setDefaultBackend(c10d::ProcessGroup::BackendType::GLOO);
    h.asProcessGroup = pg;
  }
  return h.asProcessGroup;
#else
  return h.pg;
#endif
}

// The Reducer as Python's DDP makes it. Its constructor changed within 2.x:
// 1.13 and 2.6 take the per-bucket size limits of the first buckets; 2.14
// takes no limits but skip_all_reduce_unused_params, use_python_reducer
// (false: torchts drives the C++ Reducer), the per-bucket caps for rebuilding
// (empty: its own rule) and batched_grad_copy. The versions between (the GPU
// machines' pip torch among them) may have any prefix of those four: each
// form is tried, newest first, and the first this libtorch has is the one
// compiled (if constexpr in a template, so that the others never are). An
// option a form lacks is refused (DistributedDataParallel offers 2.14's
// options only where the libtorch is 2.14 or newer).
template <typename Reducer>
std::shared_ptr<Reducer> makeReducer(const std::vector<at::Tensor>& params, const std::vector<std::vector<size_t>>& buckets,
                                     const std::vector<size_t>& perBucket, const c10::intrusive_ptr<c10d::ProcessGroup>& pg,
                                     const std::vector<bool>& expectSparse, int64_t bucketBytesCap, bool findUnused,
                                     bool gradientAsBucketView, const std::unordered_map<size_t, std::string>& names,
                                     int64_t firstBucketBytesCap, bool skipAllReduceUnused, const std::vector<int64_t>& rebuildLimits,
                                     bool batchedGradCopy) {
  using Params = std::vector<at::Tensor>;
  using Buckets = std::vector<std::vector<size_t>>;
  using Group = c10::intrusive_ptr<c10d::ProcessGroup>;
  using Sparse = std::vector<bool>;
  using Names = std::unordered_map<size_t, std::string>;
  using Caps = std::vector<int64_t>;
  // How many of the four newer options this libtorch's constructor takes (-1: the older form).
  constexpr int newer = std::is_constructible<Reducer, Params, Buckets, Group, Sparse, int64_t, bool, bool, Names, int64_t, bool, bool, Caps, bool>::value ? 4
                        : std::is_constructible<Reducer, Params, Buckets, Group, Sparse, int64_t, bool, bool, Names, int64_t, bool, bool, Caps>::value ? 3
                        : std::is_constructible<Reducer, Params, Buckets, Group, Sparse, int64_t, bool, bool, Names, int64_t, bool, bool>::value ? 2
                        : std::is_constructible<Reducer, Params, Buckets, Group, Sparse, int64_t, bool, bool, Names, int64_t, bool>::value ? 1
                        : std::is_constructible<Reducer, Params, Buckets, Group, Sparse, int64_t, bool, bool, Names, int64_t>::value ? 0
                        : -1;
  auto refuse = [](const char* option) {
    throw std::runtime_error(std::string("DistributedDataParallel(): this libtorch's Reducer has no ") + option);
  };
  if (skipAllReduceUnused && newer < 1) refuse("skip_all_reduce_unused_params");
  if (!rebuildLimits.empty() && newer < 3) refuse("bucket_cap_mb_list");
  if (batchedGradCopy && newer < 4) refuse("batched_grad_copy");
  if constexpr (newer == 4) {
    return std::make_shared<Reducer>(params, buckets, pg, expectSparse, bucketBytesCap, findUnused, gradientAsBucketView, names,
                                     firstBucketBytesCap, skipAllReduceUnused, /*use_python_reducer=*/false, rebuildLimits, batchedGradCopy);
  } else if constexpr (newer == 3) {
    return std::make_shared<Reducer>(params, buckets, pg, expectSparse, bucketBytesCap, findUnused, gradientAsBucketView, names,
                                     firstBucketBytesCap, skipAllReduceUnused, false, rebuildLimits);
  } else if constexpr (newer == 2) {
    return std::make_shared<Reducer>(params, buckets, pg, expectSparse, bucketBytesCap, findUnused, gradientAsBucketView, names,
                                     firstBucketBytesCap, skipAllReduceUnused, false);
  } else if constexpr (newer == 1) {
    return std::make_shared<Reducer>(params, buckets, pg, expectSparse, bucketBytesCap, findUnused, gradientAsBucketView, names,
                                     firstBucketBytesCap, skipAllReduceUnused);
  } else if constexpr (newer == 0) {
    return std::make_shared<Reducer>(params, buckets, pg, expectSparse, bucketBytesCap, findUnused, gradientAsBucketView, names,
                                     firstBucketBytesCap);
  } else {
    return std::make_shared<Reducer>(params, buckets, perBucket, pg, expectSparse, bucketBytesCap, findUnused, gradientAsBucketView,
                                     names, firstBucketBytesCap);
  }
}

// Waits until what a group's worker has queued has run, then keeps it idle
// until the promise returned is set.
std::shared_ptr<std::promise<void>> holdWorker(CheckedRunner& worker) {
  auto held = std::make_shared<std::promise<void>>();
  auto release = std::make_shared<std::promise<void>>();
  std::shared_future<void> released = release->get_future().share();
  std::future<void> reached = held->get_future();
  worker.push([held, released]() {
    held->set_value();
    released.wait();
  });
  reached.wait();
  return release;
}

// Runs `body` on the JS thread while the group's worker is held idle, once
// what was queued before it has run.
template <typename Body>
auto withWorkerHeld(GroupHolder& h, Body&& body) -> decltype(body()) {
  struct Release {
    std::shared_ptr<std::promise<void>> p;
    ~Release() { p->set_value(); }
  } guard{holdWorker(workerOf(h))};
  return body();
}

// Runs `body` on the group's worker (after what is queued there) and settles
// the call with what it left, libtorch's warnings there included.
void runOnWorker(GroupHolder& h, Started s, std::function<void(Pending&)> body) {
  Pending* p = s.pending.release();
  std::shared_ptr<Settler> settler = std::move(s.settler);
  workerOf(h).push([p, settler, body = std::move(body)]() {
    installWarningHandler();
    try {
      body(*p);
    } catch (...) {
      p->error = messageOf(std::current_exception());
    }
    p->warnings = takeWarnings();
    post(settler, p);
  });
}

// A DDP module's Reducer, and what its calls need. Its Logger too, as
// Python's DDP makes one: the Reducer reaches for it (libtorch 1.13's
// unused-parameter search dereferences it unchecked). Declared last, the
// Logger goes first: it holds the Reducer, and reads it as it goes.
struct DdpHolder {
  std::shared_ptr<c10d::Reducer> reducer;
  std::vector<at::Tensor> params;
  std::shared_ptr<c10d::Logger> logger;
};

DdpHolder& ddpArg(napi_env env, napi_value v, const char* where) {
  auto* h = findHandle<DdpHolder>(env, v, kDdpTag);
  if (!h) throw JsTypeError(std::string(where) + ": expected a DistributedDataParallel reducer, got " + typeName(env, v));
  return *h;
}

std::vector<at::Tensor> tensorsArg(napi_env env, napi_value v, const std::string& what) {
  std::vector<at::Tensor> out;
  auto items = toArray(env, v, what);
  for (size_t i = 0; i < items.size(); ++i) {
    const at::Tensor& t = unwrapTensor(env, items[i], what + "[" + std::to_string(i) + "]");
    if (!t.defined()) throw JsTypeError(what + "[" + std::to_string(i) + "] is an undefined tensor");
    out.push_back(t);
  }
  return out;
}

std::vector<size_t> sizesArg(napi_env env, napi_value v, const std::string& what) {
  std::vector<size_t> out;
  for (napi_value item : toArray(env, v, what)) {
    double d = toDouble(env, item, what);
    if (!(d >= 1)) throw JsRangeError(what + " must hold positive byte counts");
    out.push_back(d >= 9.2e18 ? SIZE_MAX : static_cast<size_t>(d));
  }
  return out;
}

// Where every rank is a torchts rank, a first exchange of what the model is
// (parameter count, their dimensions and elements, buffer count and
// elements), so that ranks whose models differ get an error naming each
// rank's side. Python's own checks send tensors whose sizes depend on the
// model, which Gloo meets with an abort when they differ.
void agreeOnModel(GlooGroup& pg, const std::vector<at::Tensor>& params, const std::vector<at::Tensor>& buffers,
                  const std::vector<int64_t>& globalRanks) {
  int64_t dims = 0, paramElements = 0, bufferElements = 0;
  for (const at::Tensor& p : params) dims += p.dim(), paramElements += p.numel();
  for (const at::Tensor& b : buffers) bufferElements += b.numel();
  std::vector<int64_t> row{static_cast<int64_t>(params.size()), dims, paramElements, static_cast<int64_t>(buffers.size()), bufferElements};
  std::vector<at::Tensor> mine{at::tensor(row, at::kLong)};
  std::vector<std::vector<at::Tensor>> all(1);
  for (size_t r = 0; r < globalRanks.size(); ++r) all[0].push_back(at::empty({static_cast<int64_t>(row.size())}, at::kLong));
  pg.allgather(all, mine)->wait();
  bool same = true;
  for (const at::Tensor& t : all[0]) same = same && std::equal(row.begin(), row.end(), t.data_ptr<int64_t>());
  if (same) return;
  std::string sides;
  for (size_t r = 0; r < all[0].size(); ++r) {
    const int64_t* v = all[0][r].data_ptr<int64_t>();
    if (r) sides += "; ";
    sides += "rank " + std::to_string(globalRanks[r]) + ": " + std::to_string(v[0]) + " parameters of " + std::to_string(v[2]) +
             " elements in " + std::to_string(v[1]) + " dimensions, " + std::to_string(v[3]) + " buffers of " + std::to_string(v[4]) + " elements";
  }
  throw std::runtime_error("DistributedDataParallel: the ranks' models differ (" + sides +
                           "); DDP expects the same model on every rank");
}

// A one-element all-reduce, waited for: the small control collectives of
// Python's Join and DDP (torch.ones(1) and torch.zeros(1) summed, a rank's
// int64 maximum). Returns the reduced value.
double allReduceOne(const c10::intrusive_ptr<c10d::ProcessGroup>& pg, const at::Tensor& t, c10d::ReduceOp op) {
  std::vector<at::Tensor> tensors{t};
  c10d::AllreduceOptions options;
  options.reduceOp = op;
  pg->allreduce(tensors, options)->wait();
  return t.item<double>();
}

// Python DDP's _find_common_rank(rank, cond): the largest rank whose cond holds.
int64_t findCommonRank(const c10::intrusive_ptr<c10d::ProcessGroup>& pg, int64_t rank, bool cond) {
  int64_t found = static_cast<int64_t>(allReduceOne(pg, at::full({1}, cond ? rank : -1, at::kLong), c10d::ReduceOp::MAX));
  if (found == -1) {
    throw std::runtime_error(
        "BUG! Expected rank_cond to be true for at least one process. This indicates a bug in PyTorch, please report an issue.");
  }
  return found;
}

void broadcastStates(const c10::intrusive_ptr<c10d::ProcessGroup>& pg, const std::vector<at::Tensor>& states, double bucket, int64_t src) {
  if (states.empty()) return;
  // The broadcast writes them in place: not an autograd op.
  at::NoGradGuard noGrad;
  std::vector<at::Tensor> detached;
  for (const at::Tensor& t : states) detached.push_back(t.detach());
  c10d::broadcast_coalesced(pg, detached, static_cast<size_t>(bucket), static_cast<int>(src));
}

// ddpNew(group, params[], expectSparse[], bucketSizeLimits[], bucketBytesCap,
//        findUnused, gradientAsBucketView, paramNames[], firstBucketBytesCap,
//        moduleStates[], buffers[], broadcastBucketSize, moduleName,
//        broadcastBuffers, staticGraph, initSync, skipAllReduceUnused,
//        rebuildLimits[], batchedGradCopy) -> Promise<reducer>
//
// Python DDP's construction, on the group's worker: with initSync, verify
// the parameters' count and shapes across ranks and broadcast rank 0's
// module states (parameters, and the buffers the caller lists); then assign
// the parameters to buckets by size, and make the Reducer over the reversed
// buckets (their gradients come last-first), with its Logger given what
// Python gives it.
napi_value jsDdpNew(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const char* where = "DistributedDataParallel()";
    if (args.size() < 19) throw JsTypeError("ddpNew() needs 19 arguments");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<at::Tensor> params = tensorsArg(env, args[1], "DistributedDataParallel(): parameter");
    if (params.empty()) throw std::runtime_error("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
    std::vector<bool> expectSparse;
    for (napi_value v : toArray(env, args[2], "expect_sparse_gradient")) expectSparse.push_back(toBool(env, v, "expect_sparse_gradient"));
    if (expectSparse.size() != params.size()) throw JsRangeError("ddpNew(): one expect_sparse_gradient flag per parameter");
    std::vector<size_t> limits = sizesArg(env, args[3], "DistributedDataParallel(): bucket size limits");
    int64_t bucketBytesCap = toInt64(env, args[4], "DistributedDataParallel(): bucket_cap_mb");
    bool findUnused = toBool(env, args[5], "DistributedDataParallel(): find_unused_parameters");
    bool gradientAsBucketView = toBool(env, args[6], "DistributedDataParallel(): gradient_as_bucket_view");
    std::unordered_map<size_t, std::string> names;
    auto nameItems = toArray(env, args[7], "parameter names");
    for (size_t i = 0; i < nameItems.size(); ++i) names[i] = toString(env, nameItems[i], "a parameter's name");
    int64_t firstBucketBytesCap = toInt64(env, args[8], "DistributedDataParallel(): first bucket bytes");
    std::vector<at::Tensor> states = tensorsArg(env, args[9], "DistributedDataParallel(): module state");
    std::vector<at::Tensor> buffers = tensorsArg(env, args[10], "DistributedDataParallel(): buffer");
    double broadcastBucket = toDouble(env, args[11], "broadcast bucket size");
    std::string moduleName = toString(env, args[12], "module name");
    bool broadcastBuffers = toBool(env, args[13], "broadcast_buffers");
    bool staticGraph = toBool(env, args[14], "static_graph");
    bool initSync = toBool(env, args[15], "init_sync");
    bool skipAllReduceUnused = toBool(env, args[16], "skip_all_reduce_unused_params");
    std::vector<int64_t> rebuildLimits;
    for (size_t limit : sizesArg(env, args[17], "DistributedDataParallel(): bucket_cap_mb_list")) rebuildLimits.push_back(static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    bool batchedGradCopy = toBool(env, args[18], "batched_grad_copy");
    for (size_t i = 0; i < params.size(); ++i) {
      const at::Tensor& p = params[i];
      if (!p.requires_grad() || !p.is_leaf()) {
        throw std::runtime_error(std::string(where) + ": parameter " + names[i] + " must be a leaf that requires grad");
      }
      if (!p.device().is_cpu()) {
        throw std::runtime_error(std::string(where) + ": parameter " + names[i] + " is on " + p.device().str() +
                                 "; torchts's Gloo groups reduce CPU tensors (keep the model on the CPU)");
      }
    }
    for (const at::Tensor& t : states) {
      if (!t.device().is_cpu() || t.layout() != at::kStrided) {
        throw std::runtime_error(std::string(where) + ": every parameter and buffer must be a dense CPU tensor");
      }
    }
    c10::intrusive_ptr<GlooGroup> gloo = h.pg;
    c10::intrusive_ptr<c10d::ProcessGroup> pg = processGroupOf(h);
    std::vector<int64_t> globalRanks = h.checked ? h.checked->globalRanks() : std::vector<int64_t>{};
    bool wrapped = h.debugWrapped;
    Started s = startCall(env, states);
    napi_value promise = s.promise;
    runOnWorker(h, std::move(s), [=](Pending& p) {
      if (initSync) {
        if (!globalRanks.empty()) agreeOnModel(*gloo, params, buffers, globalRanks);
        c10d::verify_params_across_processes(pg, params, {});
        broadcastStates(pg, states, broadcastBucket, 0);
      }
      auto assigned = c10d::compute_bucket_assignment_by_size(params, limits, expectSparse);
      std::vector<std::vector<size_t>> buckets(std::get<0>(assigned).rbegin(), std::get<0>(assigned).rend());
      std::vector<size_t> perBucket(std::get<1>(assigned).rbegin(), std::get<1>(assigned).rend());
      auto reducer = makeReducer<c10d::Reducer>(params, buckets, perBucket, pg, expectSparse, bucketBytesCap, findUnused,
                                                gradientAsBucketView, names, firstBucketBytesCap, skipAllReduceUnused, rebuildLimits,
                                                batchedGradCopy);
      auto logger = std::make_shared<c10d::Logger>(reducer);
      reducer->set_logger(logger);
      // The construction data feeds only c10d's usage log (LOG(INFO), which
      // prints nothing unless TORCH_CPP_LOG_LEVEL=INFO). Under
      // TORCH_DISTRIBUTED_DEBUG=DETAIL the group's Gloo backend is c10d's
      // ProcessGroupWrapper, which libtorch 2.14's Logger::set_env_variables
      // casts to ProcessGroupGloo unchecked and reads garbage through:
      // Python's own DDP segfaults there (measured with 2.14.1). A wrapped
      // group's DDP skips that log, in every version, rather than trust one.
      if (!wrapped) logger->set_construction_data_and_log(moduleName, {}, -1, broadcastBuffers, false, staticGraph);
      p.resolve = [reducer, params, logger](napi_env env) { return wrapHandle(env, new DdpHolder{reducer, params, logger}, kDdpTag); };
    });
    return promise;
  });
}

// ddpPreForward(reducer, group, prepare, rebuild, buffers[] | null,
//               broadcastBucketSize, hold, join | null) -> rebuilt
//
// What Python's DDP does before running the module: prepare_for_forward
// (where gradients will be synchronized), the bucket rebuild (once, after
// the first backward, in the order its gradients came; rank 0's order is
// broadcast), and rank 0's buffers broadcast to every rank. Inside a Join
// (join = [isFirstJoinable, divideByInitialWorldSize, throwOnEarlyTermination,
// requireBackwardGradSync]), as Python's: first, for the Join's first
// joinable, Join.notify_join_context (an
// all-reduce of ones that counts the ranks still training, whose result the
// Reducer divides the gradients by unless by the initial world size; with
// throw_on_early_termination a second one that fails every rank once one
// has run out), the buffers from the largest rank still training, and last
// an all-reduce that tells joined ranks whether this backward synchronizes.
napi_value jsDdpPreForward(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 8) throw JsTypeError("ddpPreForward() needs 8 arguments");
    DdpHolder& d = ddpArg(env, args[0], "DistributedDataParallel.forward()");
    GroupHolder& h = groupArg(env, args[1], "DistributedDataParallel.forward()");
    bool prepare = toBool(env, args[2], "prepare");
    bool rebuild = toBool(env, args[3], "rebuild");
    std::vector<at::Tensor> buffers;
    if (!isNullish(env, args[4])) buffers = tensorsArg(env, args[4], "DistributedDataParallel.forward(): buffer");
    double bucket = toDouble(env, args[5], "broadcast bucket size");
    bool hold = toBool(env, args[6], "hold");
    bool joined = !isNullish(env, args[7]);
    bool notify = false, divideByInitial = true, throwOnEarly = false, requireSync = true;
    if (joined) {
      auto join = toArray(env, args[7], "join");
      if (join.size() < 4) throw JsTypeError("ddpPreForward(): join is [notify, divideByInitialWorldSize, throwOnEarlyTermination, requireBackwardGradSync]");
      notify = toBool(env, join[0], "is_first_joinable");
      divideByInitial = toBool(env, join[1], "divide_by_initial_world_size");
      throwOnEarly = toBool(env, join[2], "throw_on_early_termination");
      requireSync = toBool(env, join[3], "require_backward_grad_sync");
    }
    int64_t rank = h.rank;
    c10::intrusive_ptr<c10d::ProcessGroup> pg = processGroupOf(h);
    auto body = [&]() {
      if (prepare) {
        d.logger->set_runtime_stats_and_log();
        d.reducer->prepare_for_forward();
      }
      if (notify) {
        std::vector<at::Tensor> ones{at::ones({1})};
        d.reducer->set_forward_pass_work_handle(pg->allreduce(ones), divideByInitial);
        if (throwOnEarly && allReduceOne(pg, at::zeros({1}), c10d::ReduceOp::SUM) != 0) {
          throw std::runtime_error("Detected at least one rank that exhausted inputs. Throwing across all ranks.");
        }
      }
      bool done = rebuild && d.reducer->rebuild_buckets();
      if (!buffers.empty()) broadcastStates(pg, buffers, bucket, joined ? findCommonRank(pg, rank, true) : 0);
      if (joined) {
        // Not waited for, as in Python: the joined ranks read it.
        std::vector<at::Tensor> requiresSync{requireSync ? at::ones({1}) : at::zeros({1})};
        pg->allreduce(requiresSync);
      }
      return done;
    };
    return makeBool(env, hold ? withWorkerHeld(h, body) : body());
  });
}

// ddpPrepareForBackward(reducer, outputs[]): which parameters this forward
// used is found from the outputs when find_unused_parameters is set
// (an empty list otherwise, as Python passes).
napi_value jsDdpPrepareForBackward(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2) throw JsTypeError("ddpPrepareForBackward(reducer, outputs) needs 2 arguments");
    DdpHolder& d = ddpArg(env, args[0], "DistributedDataParallel.forward()");
    std::vector<at::Tensor> outputs = tensorsArg(env, args[1], "DistributedDataParallel.forward(): output");
    d.reducer->prepare_for_backward(outputs);
    return makeUndefined(env);
  });
}

// The Reducer a static graph's first sink delays, held weakly in the sink's
// context (which keeps only IValues: a capsule carries it).
struct DelayedReducer : torch::CustomClassHolder {
  std::weak_ptr<c10d::Reducer> reducer;
};

// Python's _DDPSink: a pass-through node over all of a forward's outputs, so
// that backward reaches every output's graph (an output the loss does not
// use gets an undefined gradient, and the Reducer counts its parameters as
// unused instead of waiting for them). On a static graph's first backward it
// queues the Reducer's delayed all-reduce at the end of the pass.
struct DdpSink : public torch::autograd::Function<DdpSink> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, at::TensorList inputs,
                                                std::shared_ptr<c10d::Reducer> delayAllReduce) {
    ctx->set_materialize_grads(false);
    if (delayAllReduce) {
      auto delayed = c10::make_intrusive<DelayedReducer>();
      delayed->reducer = delayAllReduce;
      ctx->saved_data["delay"] = at::IValue::make_capsule(std::move(delayed));
    }
    torch::autograd::variable_list out;
    for (const at::Tensor& t : inputs) out.push_back(t.clone());
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    auto it = ctx->saved_data.find("delay");
    if (it != ctx->saved_data.end()) {
      std::weak_ptr<c10d::Reducer> weak = static_cast<DelayedReducer*>(it->second.toCapsule().get())->reducer;
      torch::autograd::Engine::get_default_engine().queue_callback([weak]() {
        if (auto reducer = weak.lock()) reducer->delay_all_reduce();
      });
    }
    torch::autograd::variable_list out(std::move(grads));
    out.emplace_back();  // the reducer argument's: none
    return out;
  }
};

// ddpSink(reducer, outputs[], delayAllReduce) -> outputs passed through the sink
napi_value jsDdpSink(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 3) throw JsTypeError("ddpSink(reducer, outputs, delay) needs 3 arguments");
    DdpHolder& d = ddpArg(env, args[0], "DistributedDataParallel.forward()");
    std::vector<at::Tensor> outputs = tensorsArg(env, args[1], "DistributedDataParallel.forward(): output");
    bool delay = toBool(env, args[2], "delay");
    torch::autograd::variable_list through = DdpSink::apply(at::TensorList(outputs), delay ? d.reducer : std::shared_ptr<c10d::Reducer>());
    std::vector<napi_value> out;
    for (const at::Tensor& t : through) out.push_back(wrapTensor(env, t));
    return makeArray(env, out);
  });
}

// ddpSetStaticGraph(reducer)
napi_value jsDdpSetStaticGraph(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    DdpHolder& d = ddpArg(env, args.empty() ? nullptr : args[0], "DistributedDataParallel._set_static_graph()");
    d.reducer->set_static_graph();
    d.logger->set_static_graph();
    return makeUndefined(env);
  });
}

// Python's default DDP communication hooks (torch.distributed.algorithms.
// ddp_comm_hooks.default_hooks), op for op, for the Reducer to run where it
// runs a hook (backward's threads, where no JS can run): allreduce_hook
// divides the bucket by the group's size and all-reduces it in place;
// fp16_compress_hook and bf16_compress_hook all-reduce a copy cast to half
// precision and divided by the size, then copy the sum back into the bucket.
class DefaultCommHook final : public c10d::CommHookInterface {
 public:
  DefaultCommHook(c10::intrusive_ptr<c10d::ProcessGroup> group, c10::optional<at::ScalarType> compressTo)
      : group_(std::move(group)), compressTo_(compressTo) {}

  c10::intrusive_ptr<c10::ivalue::Future> runHook(c10d::GradBucket& bucket) override {
    at::Tensor buffer = bucket.getBufferRef();
    int size = group_->getSize();
    if (!compressTo_) {
      buffer.div_(size);
      std::vector<at::Tensor> tensors{buffer};
      return group_->allreduce(tensors)->getFuture()->then(
          [](c10::ivalue::Future& done) { return c10::IValue(done.value().toTensorVector()[0]); }, c10::TensorType::get());
    }
    std::vector<at::Tensor> tensors{buffer.to(*compressTo_).div_(size)};
    return group_->allreduce(tensors)->getFuture()->then(
        [buffer](c10::ivalue::Future& done) {
          buffer.copy_(done.value().toTensorVector()[0]);
          return c10::IValue(buffer);
        },
        c10::TensorType::get());
  }

  at::Tensor parseHookResult(const c10::IValue& result) override {
    return result.isTensor() ? result.toTensor() : result.toTensorVector()[0];
  }

 private:
  c10::intrusive_ptr<c10d::ProcessGroup> group_;
  c10::optional<at::ScalarType> compressTo_;
};

// ddpRegisterCommHook(reducer, hook, group, name): hook 0 allreduce_hook,
// 1 fp16_compress_hook, 2 bf16_compress_hook, each over `group`; 3 and 4
// c10d's built-in ALLREDUCE and FP16_COMPRESS (Python's
// _register_builtin_comm_hook), over the module's group. The Logger records
// `name`, as Python's does. The Reducer takes one hook, once.
napi_value jsDdpRegisterCommHook(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const char* where = "DistributedDataParallel.register_comm_hook()";
    if (args.size() < 4) throw JsTypeError("ddpRegisterCommHook(reducer, hook, group, name) needs 4 arguments");
    DdpHolder& d = ddpArg(env, args[0], where);
    int64_t hook = toInt64(env, args[1], "hook");
    std::string name = toString(env, args[3], "hook name");
    if (hook == 3 || hook == 4) {
      d.reducer->register_builtin_comm_hook(hook == 3 ? c10d::BuiltinCommHookType::ALLREDUCE : c10d::BuiltinCommHookType::FP16_COMPRESS);
    } else if (hook >= 0 && hook <= 2) {
      GroupHolder& h = groupArg(env, args[2], where);
      c10::optional<at::ScalarType> compressTo;
      if (hook == 1) compressTo = at::kHalf;
      if (hook == 2) compressTo = at::kBFloat16;
      d.reducer->register_comm_hook(std::make_unique<DefaultCommHook>(processGroupOf(h), compressTo));
    } else {
      throw JsRangeError("ddpRegisterCommHook(): no hook " + std::to_string(hook));
    }
    d.logger->set_comm_hook(name);
    return makeUndefined(env);
  });
}

// ddpJoinMainHook(reducer, group, buffers[] | null, broadcastBucketSize,
//                 findUnused, hold) -> whether the others' backward synchronizes
//
// Python's _DDPJoinHook.main_hook, for a rank that has run out of inputs:
// it shadows, collective for collective, what a rank still training does in
// one forward and backward (ddpPreForward's join part, then the buckets'
// all-reduces, of zeros, through the communication hook if one is set, and
// with find_unused_parameters the map of used parameters), so that the
// others' collectives find their match.
napi_value jsDdpJoinMainHook(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const char* where = "DistributedDataParallel.join()";
    if (args.size() < 6) throw JsTypeError("ddpJoinMainHook() needs 6 arguments");
    DdpHolder& d = ddpArg(env, args[0], where);
    GroupHolder& h = groupArg(env, args[1], where);
    std::vector<at::Tensor> buffers;
    if (!isNullish(env, args[2])) buffers = tensorsArg(env, args[2], "DistributedDataParallel.join(): buffer");
    double bucket = toDouble(env, args[3], "broadcast bucket size");
    bool findUnused = toBool(env, args[4], "find_unused_parameters");
    bool hold = toBool(env, args[5], "hold");
    c10::intrusive_ptr<c10d::ProcessGroup> pg = processGroupOf(h);
    auto body = [&]() {
      d.reducer->rebuild_buckets();
      if (!buffers.empty()) broadcastStates(pg, buffers, bucket, findCommonRank(pg, h.rank, false));
      bool shouldSync = allReduceOne(pg, at::zeros({1}), c10d::ReduceOp::SUM) != 0;
      if (!shouldSync) return false;
      std::vector<c10::intrusive_ptr<c10::ivalue::Future>> pending;
      for (c10d::GradBucket& zeros : d.reducer->get_grad_buckets(/*return_zero_tensors=*/true)) pending.push_back(d.reducer->run_comm_hook(zeros));
      for (auto& f : pending) {
        f->wait();
        if (f->hasError()) f->value();  // rethrows the collective's error
      }
      if (findUnused) {
        // Not waited for, as in Python.
        std::vector<at::Tensor> used{d.reducer->get_local_used_map_on_device()};
        pg->allreduce(used);
      }
      d.reducer->push_rebuilt_params_for_all_indices();
      return true;
    };
    return makeBool(env, hold ? withWorkerHeld(h, body) : body());
  });
}

// ddpJoinCount(group, value, hold) -> the sum over the ranks of value (a
// float32 one-element all-reduce, waited for): Join's count of the ranks
// still training (0 from a joined rank, 1 from the others' notification),
// and its early-termination signal.
napi_value jsDdpJoinCount(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 3) throw JsTypeError("ddpJoinCount(group, value, hold) needs 3 arguments");
    GroupHolder& h = groupArg(env, args[0], "Join");
    double value = toDouble(env, args[1], "value");
    bool hold = toBool(env, args[2], "hold");
    c10::intrusive_ptr<c10d::ProcessGroup> pg = processGroupOf(h);
    auto body = [&]() { return allReduceOne(pg, at::full({1}, value), c10d::ReduceOp::SUM); };
    return makeNumber(env, hold ? withWorkerHeld(h, body) : body());
  });
}

// ddpJoinFinal(group, isLastJoiner, states[], broadcastBucketSize, hold) ->
// the rank whose parameters and buffers every rank now holds: Python's
// _sync_final_model, from the last rank to join (the largest, if several).
napi_value jsDdpJoinFinal(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 5) throw JsTypeError("ddpJoinFinal() needs 5 arguments");
    GroupHolder& h = groupArg(env, args[0], "DistributedDataParallel.join()");
    bool isLastJoiner = toBool(env, args[1], "is_last_joiner");
    std::vector<at::Tensor> states = tensorsArg(env, args[2], "DistributedDataParallel.join(): module state");
    double bucket = toDouble(env, args[3], "broadcast bucket size");
    bool hold = toBool(env, args[4], "hold");
    c10::intrusive_ptr<c10d::ProcessGroup> pg = processGroupOf(h);
    auto body = [&]() {
      int64_t src = findCommonRank(pg, h.rank, isLastJoiner);
      broadcastStates(pg, states, bucket, src);
      return src;
    };
    return makeNumber(env, static_cast<double>(hold ? withWorkerHeld(h, body) : body()));
  });
}

// ddpSetUnevenInputJoin(reducer): the Logger records that join() is used, as Python's _DDPJoinHook does.
napi_value jsDdpSetUnevenInputJoin(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    ddpArg(env, args.empty() ? nullptr : args[0], "DistributedDataParallel.join()").logger->set_uneven_input_join();
    return makeUndefined(env);
  });
}

// ddpBuckets(reducer) -> the parameter indices of each bucket, in the order
// they are reduced (Python: reducer._get_zeros_like_grad_buckets()).
napi_value jsDdpBuckets(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    DdpHolder& d = ddpArg(env, args.empty() ? nullptr : args[0], "DistributedDataParallel buckets");
    std::unordered_map<const void*, size_t> index;
    for (size_t i = 0; i < d.params.size(); ++i) index[d.params[i].unsafeGetTensorImpl()] = i;
    std::vector<napi_value> buckets;
    for (const c10d::GradBucket& b : d.reducer->get_grad_buckets(true)) {
      std::vector<napi_value> members;
      for (const at::Tensor& p : b.getParameters()) {
        auto it = index.find(p.unsafeGetTensorImpl());
        members.push_back(it == index.end() ? makeInt(env, -1) : makeInt(env, static_cast<int64_t>(it->second)));
      }
      buckets.push_back(makeArray(env, members));
    }
    return makeArray(env, buckets);
  });
}

// backwardAsync(tensors[], grads[], retainGraph?, createGraph, inputs[] | null,
//               group | null, touched[], reducers[]) -> Promise
//
// backward() on a worker thread: the group's DDP worker when a group is
// given (the Reducer's all-reduces then reach Gloo in the group's call
// order), else a thread of its own. `touched` (the parameters and their
// gradients, the graph's outputs) is marked in flight until it settles, and
// the Reducers whose hooks run in it are kept alive until then.
// Hooks and Functions written in JS cannot run there: they refuse with an
// error that rejects the Promise.
napi_value jsBackwardAsync(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 8) throw JsTypeError("backwardAsync() needs 8 arguments");
    std::vector<at::Tensor> tensors = tensorsArg(env, args[0], "backward_async(): tensors");
    std::vector<at::Tensor> grads;
    for (napi_value v : toArray(env, args[1], "backward_async(): grad_tensors")) {
      grads.push_back(isNullish(env, v) ? at::Tensor() : unwrapTensor(env, v, "backward_async(): grad_tensors"));
    }
    c10::optional<bool> retain;
    if (!isNullish(env, args[2])) retain = toBool(env, args[2], "backward_async(): retain_graph");
    bool create = toBool(env, args[3], "backward_async(): create_graph");
    std::vector<at::Tensor> inputs;
    if (!isNullish(env, args[4])) inputs = tensorsArg(env, args[4], "backward_async(): inputs");
    GroupHolder* h = isNullish(env, args[5]) ? nullptr : &groupArg(env, args[5], "backward_async()");
    std::vector<at::Tensor> touched;
    for (napi_value v : toArray(env, args[6], "backward_async(): touched")) {
      const at::Tensor& t = unwrapTensor(env, v, "backward_async(): a tensor it touches");
      if (t.defined()) touched.push_back(t);
    }
    for (const at::Tensor& t : tensors) touched.push_back(t);
    std::vector<std::shared_ptr<c10d::Reducer>> reducers;
    for (napi_value v : toArray(env, args[7], "backward_async(): reducers")) reducers.push_back(ddpArg(env, v, "backward_async()").reducer);
    Started s = startCall(env, touched);
    napi_value promise = s.promise;
    auto body = [tensors, grads, retain, create, inputs, reducers]() {
      torch::autograd::backward(tensors, grads, retain, create, inputs);
    };
    if (h) {
      runOnWorker(*h, std::move(s), [body](Pending&) { body(); });
    } else {
      runOnThread(std::move(s), [body](Pending&) { body(); });
    }
    return promise;
  });
}

// A group's worker, held idle while the JS thread runs a backward whose
// Reducer all-reduces (ddpHoldWorker), until released.
constexpr napi_type_tag kHoldTag = {0x5d2e7a1c9b3f4e60ULL, 0x1a2b3c4d5e6f7081ULL};

struct WorkerHold {
  std::shared_ptr<std::promise<void>> release;
  ~WorkerHold() { free(); }
  void free() {
    if (release) release->set_value();
    release.reset();
  }
};

// ddpHoldWorker(group) -> hold: waits for what the group's worker has
// queued, then keeps it idle until released.
napi_value jsDdpHoldWorker(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    GroupHolder& h = groupArg(env, args.empty() ? nullptr : args[0], "backward()");
    auto release = holdWorker(workerOf(h));
    return wrapHandle(env, new WorkerHold{release}, kHoldTag);
  });
}

// ddpReleaseWorker(hold)
napi_value jsDdpReleaseWorker(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    auto* hold = args.empty() ? nullptr : findHandle<WorkerHold>(env, args[0], kHoldTag);
    if (hold) hold->free();
    return makeUndefined(env);
  });
}

}  // namespace

void registerDdp(napi_env env, napi_value exports) {
  exportFunction(env, exports, "ddpNew", jsDdpNew);
  exportFunction(env, exports, "ddpPreForward", jsDdpPreForward);
  exportFunction(env, exports, "ddpPrepareForBackward", jsDdpPrepareForBackward);
  exportFunction(env, exports, "ddpSink", jsDdpSink);
  exportFunction(env, exports, "ddpSetStaticGraph", jsDdpSetStaticGraph);
  exportFunction(env, exports, "ddpBuckets", jsDdpBuckets);
  exportFunction(env, exports, "ddpRegisterCommHook", jsDdpRegisterCommHook);
  exportFunction(env, exports, "ddpJoinMainHook", jsDdpJoinMainHook);
  exportFunction(env, exports, "ddpJoinCount", jsDdpJoinCount);
  exportFunction(env, exports, "ddpJoinFinal", jsDdpJoinFinal);
  exportFunction(env, exports, "ddpSetUnevenInputJoin", jsDdpSetUnevenInputJoin);
  exportFunction(env, exports, "backwardAsync", jsBackwardAsync);
  exportFunction(env, exports, "ddpHoldWorker", jsDdpHoldWorker);
  exportFunction(env, exports, "ddpReleaseWorker", jsDdpReleaseWorker);
}

#endif  // TORCHTS_DISTRIBUTED

}  // namespace torchts
