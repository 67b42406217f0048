// What native/distributed.cc shares with native/ddp.cc: settling a Promise
// from another thread, a Gloo group's handle, and a checked group's runner.
// Only with TORCHTS_DISTRIBUTED (the gloo headers found at build time).
#pragma once

#include "napi_util.h"
#include "tensor.h"

#include <torch/version.h>

#ifdef TORCHTS_DISTRIBUTED
// libtorch's own build flag, under which its Gloo group's header declares it
// (the libtorch we link was built with it: it exports ProcessGroupGloo).
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace torchts {
namespace dist {

// A Gloo group as libtorch types it: a ProcessGroup before 2.0, a Backend
// (of a ProcessGroup) from 2.0; under TORCH_DISTRIBUTED_DEBUG=DETAIL, the
// c10d::ProcessGroupWrapper around one.
#if TORCH_VERSION_MAJOR >= 2
using GlooGroup = c10d::Backend;
#else
using GlooGroup = c10d::ProcessGroup;
#endif

// A call in flight: how to settle its Promise once its thread is done. The
// tensors it reads or writes are marked in flight (tensor.h) until then, so
// that this thread's ops refuse them instead of racing Gloo's threads.
struct Pending {
  napi_deferred deferred = nullptr;
  std::vector<c10::Storage> marked;
  std::string error;  // non-empty: reject with it
  // Makes the resolved value on the JS thread (undefined when unset).
  std::function<napi_value(napi_env)> resolve;
  // What must live until the call settles (its Work, its group).
  std::function<void()> keepAlive;
  // libtorch's warnings on the thread that ran it, shown on settling.
  std::deque<std::string> warnings;
};

// One per env: its thread-safe function, guarded so that a thread finishing
// after the env is gone (the process exiting under a pending collective)
// drops its call instead of using a freed function.
struct Settler {
  std::mutex mutex;
  napi_threadsafe_function tsfn = nullptr;
  int pending = 0;  // JS thread only
};

// A Promise for a call about to start; the caller fills `pending` and hands
// it to a thread or a Work.
struct Started {
  napi_value promise;
  std::shared_ptr<Settler> settler;
  std::unique_ptr<Pending> pending;
};

// The collectives of a checked group (every rank a torchts rank; see
// lib/distributed/_checks.ts), one after another on a thread of the
// group's own: each first gathers every rank's fingerprint of it (what is
// called, dtype, size, root, op) and goes to Gloo only where all agree.
// Gloo aborts the process on a size mismatch; this makes one a clear error
// on every rank. One at a time and in call order, so that all ranks pair
// the same fingerprints and the same collectives whatever the timing.
class CheckedRunner {
 public:
  explicit CheckedRunner(std::vector<int64_t> globalRanks) : state_(std::make_shared<State>()) { state_->globalRanks = std::move(globalRanks); }
  ~CheckedRunner() { stop(); }

  const std::vector<int64_t>& globalRanks() const { return state_->globalRanks; }

  void push(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (!state_->running) {
      auto state = state_;
      std::thread([state]() { loop(*state); }).detach();
      state_->running = true;
    }
    state_->tasks.push_back(std::move(task));
    state_->ready.notify_one();
  }

  // The thread finishes what is queued (each task holds its group), then ends.
  void stop() {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
    state_->ready.notify_one();
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<std::function<void()>> tasks;
    bool running = false;
    bool stopping = false;
    std::vector<int64_t> globalRanks;
  };

  static void loop(State& state) {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(state.mutex);
        state.ready.wait(lock, [&] { return !state.tasks.empty() || state.stopping; });
        if (state.tasks.empty()) return;
        task = std::move(state.tasks.front());
        state.tasks.pop_front();
      }
      task();
    }
  }

  std::shared_ptr<State> state_;
};

struct GroupHolder {
  c10::intrusive_ptr<GlooGroup> pg;  // null once destroyed
  int rank = 0;
  int size = 0;
  std::unique_ptr<CheckedRunner> checked;  // set where every rank is a torchts rank
  // The group as the c10d::ProcessGroup that c10d::Reducer takes (ddp.cc):
  // the Gloo group itself before libtorch 2.0, a ProcessGroup over it after.
  c10::intrusive_ptr<c10d::ProcessGroup> asProcessGroup;
  // Wrapped in c10d's ProcessGroupWrapper (TORCH_DISTRIBUTED_DEBUG=DETAIL),
  // whose checks block: its collectives run on the group's worker.
  bool debugWrapped = false;
  // The worker of a group that is not checked (workerOf).
  std::unique_ptr<CheckedRunner> worker;
};

// The thread where a group's queued work runs, one task after another: the
// checked runner of a group of torchts ranks, else a worker of its own
// (made at first use) for a wrapped group's collectives and DDP's work.
CheckedRunner& workerOf(GroupHolder& h);

// A Promise for a call about to start, its tensors marked in flight.
Started startCall(napi_env env, const std::vector<at::Tensor>& touched);

// Hands a finished call to the JS thread; from any thread.
void post(const std::shared_ptr<Settler>& settler, Pending* p);

// The message of a C++ exception, without libtorch's backtrace.
std::string messageOf(std::exception_ptr e);

// Runs `body` on a thread of its own and settles the call with what it left
// there; with a deadline, settles it with `late` if the body is not done by then.
void runOnThread(Started s, std::function<void(Pending&)> body, std::chrono::milliseconds deadline = std::chrono::milliseconds(0),
                 std::string late = "");

// The group a handle holds; throws, naming `where`, for anything else or a destroyed group.
GroupHolder& groupArg(napi_env env, napi_value v, const std::string& where);

}  // namespace dist
}  // namespace torchts

#endif  // TORCHTS_DISTRIBUTED
