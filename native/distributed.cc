// torch.distributed's native half: c10d's stores and its Gloo process group,
// from the libtorch we link. There is no transport, rendezvous or reduction
// of our own: a process built on these is wire-compatible with Python's
// ranks, which load the same libtorch_cpu and libgloo. lib/distributed/
// gives them Python's names and repeats Python's rendezvous steps.
//
// Nothing here blocks the JS thread. A store operation and a group's
// construction block (a TCPStore's master waits for its workers, a get for
// its key, a Gloo group for its full mesh), so each runs on a thread of its
// own. A collective is enqueued on the group's own worker threads and
// completes through its Work's future. Either way the JS thread hears of it
// through one thread-safe function per env, which settles the call's
// Promise; while any call is pending it keeps the event loop alive, as a
// pending socket does.
//
// The gloo headers (Debian's libgloo-dev) are not part of libtorch-dev:
// binding.gyp and CMakeLists.txt define TORCHTS_DISTRIBUTED where they are
// found, and without it every call says how to get a build that has them.
#include "distributed.h"
#include "warnings.h"
#include "napi_util.h"
#include "tensor.h"

#include <torch/version.h>

#ifdef TORCHTS_DISTRIBUTED
// libtorch's own build flag, under which its Gloo group's header declares it
// (the libtorch we link was built with it: it exports ProcessGroupGloo).
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/HashStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupWrapper.hpp>
#include <torch/csrc/distributed/c10d/debug.h>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

#include <chrono>
#include <condition_variable>
#include <deque>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace torchts {

namespace {

napi_value jsDistAvailable(napi_env env, napi_callback_info) {
#ifdef TORCHTS_DISTRIBUTED
  return makeBool(env, true);
#else
  return makeBool(env, false);
#endif
}

}  // namespace

#ifndef TORCHTS_DISTRIBUTED

void registerDistributed(napi_env env, napi_value exports) { exportFunction(env, exports, "distAvailable", jsDistAvailable); }

#else

namespace dist {

// ---------------------------------------------------------------------------
// Settling Promises from other threads (distributed.h)

thread_local std::shared_ptr<Settler> envSettler;

void settleOnJsThread(napi_env env, napi_value, void* context, void* data) {
  std::unique_ptr<Pending> p(static_cast<Pending*>(data));
  auto* settler = static_cast<Settler*>(context);
  if (!env) return;  // the env is being torn down: only free the call
  markInFlight(p->marked, -1);
  if (!p->marked.empty()) asyncCallsInFlight.fetch_sub(1, std::memory_order_relaxed);
  if (--settler->pending == 0) napi_unref_threadsafe_function(env, settler->tsfn);
  queueWarnings(p->warnings);
  flushWarnings(env);
  napi_value value = nullptr;
  std::string error = p->error;
  if (error.empty()) {
    try {
      value = p->resolve ? p->resolve(env) : makeUndefined(env);
    } catch (const c10::Error& e) {
      error = e.what_without_backtrace();
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  p->keepAlive = nullptr;
  if (!error.empty()) {
    napi_value message;
    napi_create_string_utf8(env, error.data(), error.size(), &message);
    napi_create_error(env, nullptr, message, &value);
    napi_reject_deferred(env, p->deferred, value);
  } else {
    napi_resolve_deferred(env, p->deferred, value);
  }
}

void settlerGone(napi_env, void* data, void*) {
  auto* holder = static_cast<std::shared_ptr<Settler>*>(data);
  {
    std::lock_guard<std::mutex> lock((*holder)->mutex);
    (*holder)->tsfn = nullptr;
  }
  delete holder;
}

std::shared_ptr<Settler> settlerFor(napi_env env) {
  if (envSettler) {
    std::lock_guard<std::mutex> lock(envSettler->mutex);
    // Still this thread's env's (its function not yet finalized).
    if (envSettler->tsfn) return envSettler;
  }
  auto settler = std::make_shared<Settler>();
  auto* finalizeData = new std::shared_ptr<Settler>(settler);
  napi_value name = makeString(env, "torchts.distributed");
  napi_status st = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, finalizeData, settlerGone, settler.get(),
                                                   settleOnJsThread, &settler->tsfn);
  if (st != napi_ok) {
    delete finalizeData;
    check(env, st);
  }
  check(env, napi_unref_threadsafe_function(env, settler->tsfn));
  envSettler = settler;
  return settler;
}

// Hands a finished call to the JS thread; from any thread.
void post(const std::shared_ptr<Settler>& settler, Pending* p) {
  std::lock_guard<std::mutex> lock(settler->mutex);
  if (settler->tsfn && napi_call_threadsafe_function(settler->tsfn, p, napi_tsfn_nonblocking) == napi_ok) return;
  delete p;
}

Started startCall(napi_env env, const std::vector<at::Tensor>& touched) {
  Started s{nullptr, settlerFor(env), std::make_unique<Pending>()};
  check(env, napi_create_promise(env, &s.pending->deferred, &s.promise));
  for (const at::Tensor& t : touched) {
    if (t.defined() && t.has_storage()) s.pending->marked.push_back(t.storage());
  }
  if (!s.pending->marked.empty()) {
    markInFlight(s.pending->marked, +1);
    asyncCallsInFlight.fetch_add(1, std::memory_order_relaxed);
  }
  if (s.settler->pending++ == 0) check(env, napi_ref_threadsafe_function(env, s.settler->tsfn));
  return s;
}

std::string messageOf(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const c10::Error& err) {
    return err.what_without_backtrace();
  } catch (const std::exception& err) {
    return err.what();
  } catch (...) {
    return "unknown C++ exception in torch.distributed";
  }
}

// Runs `body` on a thread of its own and settles with what it left in the
// call (error, or resolve). For the calls that block: stores, a group's
// construction, a Work without a future.
//
// With a deadline, a watchdog settles the call with `late` if the body has
// not finished by then. That bounds what no timeout of libtorch's bounds: a
// TCPStore client whose port is held by some other service waits forever for
// an answer. The body's thread is then left blocked (it holds no reference
// that keeps the event loop alive), and what it finishes with is dropped.
struct Claim {
  std::mutex mutex;
  std::condition_variable finished;
  bool claimed = false;
};

void runOnThread(Started s, std::function<void(Pending&)> body, std::chrono::milliseconds deadline, std::string late) {
  Pending* p = s.pending.release();
  std::shared_ptr<Settler> settler = std::move(s.settler);
  auto claim = std::make_shared<Claim>();
  try {
    std::thread([settler, p, claim, body = std::move(body)]() {
      // The body fills a call of its own: p may be settled (and freed) by
      // the watchdog while it runs.
      Pending result;
      installWarningHandler();
      try {
        body(result);
      } catch (...) {
        result.error = messageOf(std::current_exception());
        if (result.error.empty()) result.error = "torch.distributed: a call failed without a message";
      }
      {
        std::lock_guard<std::mutex> lock(claim->mutex);
        if (claim->claimed) return;
        claim->claimed = true;
        p->error = std::move(result.error);
        if (result.resolve) p->resolve = std::move(result.resolve);
        p->warnings = takeWarnings();
      }
      claim->finished.notify_all();
      post(settler, p);
    }).detach();
  } catch (const std::system_error& e) {
    p->error = std::string("torch.distributed: could not start a thread: ") + e.what();
    post(settler, p);
    return;
  }
  if (deadline.count() <= 0) return;
  try {
    std::thread([settler, p, claim, deadline, late = std::move(late)]() {
      {
        std::unique_lock<std::mutex> lock(claim->mutex);
        if (claim->finished.wait_for(lock, deadline, [&] { return claim->claimed; })) return;
        claim->claimed = true;
        p->error = late;
      }
      post(settler, p);
    }).detach();
  } catch (const std::system_error&) {
    // No watchdog to spare: the call is bounded by libtorch's timeouts only.
  }
}

constexpr napi_type_tag kGroupTag = {0x6e2b1c0d9a8f7e6dULL, 0x5c4b3a2918070605ULL};

GroupHolder& groupArg(napi_env env, napi_value v, const std::string& where) {
  auto* h = findHandle<GroupHolder>(env, v, kGroupTag);
  if (!h) throw JsTypeError(where + ": group must be a torch.distributed ProcessGroup, got " + (v ? typeName(env, v) : "nothing"));
  if (!h->pg) throw std::runtime_error(where + ": the process group was destroyed (destroy_process_group); make a new one");
  return *h;
}

CheckedRunner& workerOf(GroupHolder& h) {
  if (h.checked) return *h.checked;
  if (!h.worker) h.worker = std::make_unique<CheckedRunner>(std::vector<int64_t>{});
  return *h.worker;
}

}  // namespace dist

namespace {

using namespace dist;

// ---------------------------------------------------------------------------
// Stores

constexpr napi_type_tag kStoreTag = {0x7f3c2d1e0b9a4857ULL, 0x91a2b3c4d5e6f708ULL};

struct StoreHolder {
  c10::intrusive_ptr<c10d::Store> store;
  int port = -1;  // a TCPStore's
};

c10d::Store& storeArg(napi_env env, napi_value v, const char* where, StoreHolder** holder = nullptr) {
  auto* h = findHandle<StoreHolder>(env, v, kStoreTag);
  if (!h) throw JsTypeError(std::string(where) + ": store must be a torch.distributed Store, got " + typeName(env, v));
  if (holder) *holder = h;
  return *h->store;
}

std::chrono::milliseconds msArg(napi_env env, napi_value v, const char* where) {
  double ms = toDouble(env, v, where);
  if (!(ms >= 0) || ms > 1e12) throw JsRangeError(std::string(where) + " must be a number of milliseconds from 0 to 1e12");
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

std::vector<uint8_t> bytesArg(napi_env env, napi_value v, const char* where) {
  if (typeOf(env, v) == napi_string) {
    std::string s = toString(env, v, where);
    return std::vector<uint8_t>(s.begin(), s.end());
  }
  bool typed = false;
  check(env, napi_is_typedarray(env, v, &typed));
  if (!typed) throw JsTypeError(std::string(where) + " must be a string or a Uint8Array, got " + typeName(env, v));
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  check(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr));
  if (type != napi_uint8_array) throw JsTypeError(std::string(where) + " must be a string or a Uint8Array");
  auto* bytes = static_cast<const uint8_t*>(data);
  return std::vector<uint8_t>(bytes, bytes + length);
}

napi_value makeBytes(napi_env env, const std::vector<uint8_t>& bytes) {
  void* data = nullptr;
  napi_value buffer;
  check(env, napi_create_buffer_copy(env, bytes.size(), bytes.data(), &data, &buffer));
  return buffer;
}

napi_value wrapStore(napi_env env, c10::intrusive_ptr<c10d::Store> store, int port = -1) {
  auto* h = new StoreHolder{std::move(store), port};
  return wrapHandle(env, h, kStoreTag);
}

// distTcpStore(host, port, isServer, worldSize | null, waitWorkers, timeoutMs, multiTenant, useLibUV)
//   -> Promise<store>: c10d's TCPStore, constructed on a thread of its own
//   (the master waits there for worldSize - 1 workers to connect).
napi_value jsDistTcpStore(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 7) throw JsTypeError("distTcpStore(host, port, isServer, worldSize, waitWorkers, timeoutMs, multiTenant) needs 7 arguments");
    std::string host = toString(env, args[0], "TCPStore(): host_name");
    int64_t port = toInt64(env, args[1], "TCPStore(): port");
    if (port < 0 || port > 65535) throw JsRangeError("TCPStore(): port must be from 0 to 65535, got " + std::to_string(port));
    c10d::TCPStoreOptions opts;
    opts.port = static_cast<std::uint16_t>(port);
    opts.isServer = toBool(env, args[2], "TCPStore(): is_master");
    if (!isNullish(env, args[3])) {
      int64_t n = toInt64(env, args[3], "TCPStore(): world_size");
      if (n < 1) throw JsRangeError("TCPStore(): world_size must be at least 1, got " + std::to_string(n));
      opts.numWorkers = static_cast<std::size_t>(n);
    }
    opts.waitWorkers = toBool(env, args[4], "TCPStore(): wait_for_workers");
    opts.timeout = msArg(env, args[5], "TCPStore(): timeout");
    opts.multiTenant = toBool(env, args[6], "TCPStore(): multi_tenant");
    bool useLibUV = args.size() > 7 && toBool(env, args[7], "TCPStore(): use_libuv");
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 2)
    opts.useLibUV = useLibUV;
#else
    if (useLibUV) throw std::runtime_error("TCPStore(): use_libuv needs libtorch 2.2 or newer; this libtorch is " TORCH_VERSION);
#endif
    Started s = startCall(env, {});
    napi_value promise = s.promise;
    // The store's own timeout bounds connecting and the master's wait for
    // its workers; the deadline, a little later, bounds the rest.
    auto deadline = opts.timeout + std::chrono::milliseconds(2000);
    std::string late = "TCPStore(): no TCPStore answered at " + host + ":" + std::to_string(port) + " within " +
                       std::to_string(deadline.count()) + " ms (the timeout, and 2 s more): is some other service listening on that port?";
    runOnThread(
        std::move(s),
        [host, opts](Pending& p) {
          auto store = c10::make_intrusive<c10d::TCPStore>(host, opts);
          int port = store->getPort();
          p.resolve = [store, port](napi_env env) { return wrapStore(env, store, port); };
        },
        deadline, late);
    return promise;
  });
}

// distFileStore(path, worldSize) -> store (opening the file does not wait).
napi_value jsDistFileStore(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2) throw JsTypeError("distFileStore(path, worldSize) needs 2 arguments");
    std::string path = toString(env, args[0], "FileStore(): file_name");
    int64_t n = toInt64(env, args[1], "FileStore(): world_size");
    if (n < -1 || n == 0 || n > INT32_MAX) throw JsRangeError("FileStore(): world_size must be -1 or at least 1, got " + std::to_string(n));
    return wrapStore(env, c10::make_intrusive<c10d::FileStore>(path, static_cast<int>(n)));
  });
}

napi_value jsDistHashStore(napi_env env, napi_callback_info) {
  return guard(env, [&]() -> napi_value { return wrapStore(env, c10::make_intrusive<c10d::HashStore>()); });
}

// distPrefixStore(prefix, store) -> store: every key of `store` under "prefix/".
napi_value jsDistPrefixStore(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2) throw JsTypeError("distPrefixStore(prefix, store) needs 2 arguments");
    std::string prefix = toString(env, args[0], "PrefixStore(): prefix");
    StoreHolder* inner = nullptr;
    storeArg(env, args[1], "PrefixStore()", &inner);
    return wrapStore(env, c10::make_intrusive<c10d::PrefixStore>(prefix, inner->store));
  });
}

// distStorePort(store) -> the port a TCPStore listens on or connected to, or -1.
napi_value jsDistStorePort(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    StoreHolder* h = nullptr;
    storeArg(env, args.empty() ? nullptr : args[0], "Store.port", &h);
    return makeInt(env, h->port);
  });
}

// distStoreTimeout(store[, ms]) -> the store's timeout in ms (setting it first when given).
napi_value jsDistStoreTimeout(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    c10d::Store& store = storeArg(env, args.empty() ? nullptr : args[0], "Store.timeout");
    if (args.size() > 1 && !isNullish(env, args[1])) store.setTimeout(msArg(env, args[1], "Store.set_timeout(): timeout"));
    return makeNumber(env, static_cast<double>(store.getTimeout().count()));
  });
}

// distStoreCall(store, op, ...args) -> Promise: one store operation on a
// thread of its own, as Python's (which blocks) would run it:
//   set(key, value) | get(key) -> Buffer | add(key, n) -> number |
//   compare_set(key, expected, desired) -> Buffer | check(keys) -> boolean |
//   wait(keys[, ms]) | delete_key(key) -> boolean | num_keys() -> number
napi_value jsDistStoreCall(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2) throw JsTypeError("distStoreCall(store, op, ...args) needs a store and an operation");
    StoreHolder* h = nullptr;
    storeArg(env, args[0], "Store", &h);
    std::string op = toString(env, args[1], "Store: operation");
    auto arg = [&](size_t i) -> napi_value {
      if (args.size() <= i + 2) throw JsTypeError("Store." + op + "() needs more arguments");
      return args[i + 2];
    };
    auto key = [&](size_t i) { return toString(env, arg(i), ("Store." + op + "(): key").c_str()); };
    auto keys = [&](size_t i) {
      std::vector<std::string> out;
      for (napi_value k : toArray(env, arg(i), ("Store." + op + "(): keys").c_str())) out.push_back(toString(env, k, "Store." + op + "(): each key"));
      return out;
    };
    c10::intrusive_ptr<c10d::Store> store = h->store;
    std::function<void(Pending&)> body;
    if (op == "set") {
      auto k = key(0);
      auto v = bytesArg(env, arg(1), "Store.set(): value");
      body = [store, k, v](Pending&) { store->set(k, v); };
    } else if (op == "get") {
      auto k = key(0);
      body = [store, k](Pending& p) {
        auto v = store->get(k);
        p.resolve = [v](napi_env env) { return makeBytes(env, v); };
      };
    } else if (op == "add") {
      auto k = key(0);
      int64_t n = toInt64(env, arg(1), "Store.add(): amount");
      body = [store, k, n](Pending& p) {
        int64_t total = store->add(k, n);
        p.resolve = [total](napi_env env) { return makeInt(env, total); };
      };
    } else if (op == "compare_set") {
      auto k = key(0);
      auto expected = bytesArg(env, arg(1), "Store.compare_set(): expected_value");
      auto desired = bytesArg(env, arg(2), "Store.compare_set(): desired_value");
      body = [store, k, expected, desired](Pending& p) {
        auto v = store->compareSet(k, expected, desired);
        p.resolve = [v](napi_env env) { return makeBytes(env, v); };
      };
    } else if (op == "check") {
      auto ks = keys(0);
      body = [store, ks](Pending& p) {
        bool present = store->check(ks);
        p.resolve = [present](napi_env env) { return makeBool(env, present); };
      };
    } else if (op == "wait") {
      auto ks = keys(0);
      bool timed = args.size() > 3 && !isNullish(env, args[3]);
      auto ms = timed ? msArg(env, args[3], "Store.wait(): timeout") : std::chrono::milliseconds(0);
      body = [store, ks, timed, ms](Pending&) {
        if (timed) store->wait(ks, ms);
        else store->wait(ks);
      };
    } else if (op == "delete_key") {
      auto k = key(0);
      body = [store, k](Pending& p) {
        bool deleted = store->deleteKey(k);
        p.resolve = [deleted](napi_env env) { return makeBool(env, deleted); };
      };
    } else if (op == "num_keys") {
      body = [store](Pending& p) {
        int64_t n = store->getNumKeys();
        p.resolve = [n](napi_env env) { return makeInt(env, n); };
      };
    } else {
      throw JsTypeError("Store: no operation '" + op + "'");
    }
    Started s = startCall(env, {});
    napi_value promise = s.promise;
    runOnThread(std::move(s), std::move(body));
    return promise;
  });
}

// ---------------------------------------------------------------------------
// The Gloo process group


// A Gloo group as Python's ProcessGroupGloo(store, rank, size, timeout)
// makes it: one device per interface in GLOO_SOCKET_IFNAME, else the
// default (the hostname's address), two threads per device. Blocks until
// every rank has joined.
c10::intrusive_ptr<c10d::ProcessGroupGloo> makeGloo(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size, std::chrono::milliseconds timeout) {
  auto options = c10d::ProcessGroupGloo::Options::create();
  const char* ifnames = std::getenv("GLOO_SOCKET_IFNAME");
  if (ifnames && std::strlen(ifnames) > 1) {
    std::string list(ifnames);
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!name.empty()) options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {
    options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  }
  options->timeout = timeout;
  options->threads = static_cast<int>(options->devices.size() * 2);
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, options);
}

// distNewGloo(store, rank, size, timeoutMs) -> Promise<group>: as Python's
// ProcessGroupGloo(store, rank, size, timeout) (makeGloo), on a thread of
// its own.
napi_value jsDistNewGloo(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 4) throw JsTypeError("distNewGloo(store, rank, size, timeoutMs) needs 4 arguments");
    StoreHolder* sh = nullptr;
    storeArg(env, args[0], "ProcessGroupGloo()", &sh);
    int64_t rank = toInt64(env, args[1], "ProcessGroupGloo(): rank");
    int64_t size = toInt64(env, args[2], "ProcessGroupGloo(): size");
    if (size < 1 || size > INT32_MAX) throw JsRangeError("ProcessGroupGloo(): size must be at least 1, got " + std::to_string(size));
    if (rank < 0 || rank >= size) {
      throw JsRangeError("ProcessGroupGloo(): rank must be from 0 to size - 1 = " + std::to_string(size - 1) + ", got " + std::to_string(rank));
    }
    auto timeout = msArg(env, args[3], "ProcessGroupGloo(): timeout");
    c10::intrusive_ptr<c10d::Store> store = sh->store;
    Started s = startCall(env, {});
    napi_value promise = s.promise;
    runOnThread(std::move(s), [store, rank, size, timeout](Pending& p) {
      c10::intrusive_ptr<GlooGroup> pg = makeGloo(store, static_cast<int>(rank), static_cast<int>(size), timeout);
      p.resolve = [pg, rank, size](napi_env env) {
        auto* h = new GroupHolder{pg, static_cast<int>(rank), static_cast<int>(size)};
        return wrapHandle(env, h, kGroupTag);
      };
    });
    return promise;
  });
}

// distDebugLevel() -> 0 (OFF), 1 (INFO) or 2 (DETAIL): c10d's level, from
// TORCH_DISTRIBUTED_DEBUG.
napi_value jsDistDebugLevel(napi_env env, napi_callback_info) {
  return guard(env, [&]() -> napi_value { return makeInt(env, static_cast<int64_t>(c10d::debug_level())); });
}

// distWrapForDebug(group, helperStore, timeoutMs) -> Promise: what Python
// does to a group under TORCH_DISTRIBUTED_DEBUG=DETAIL. A second Gloo group
// (the helper, on its own store) checks each collective before the group
// runs it: c10d's ProcessGroupWrapper all-gathers the call's description
// (its kind, and its tensors' dtypes and shapes) over the helper, and
// throws on every rank where the ranks disagree, instead of Gloo aborting
// the process. Every rank must wrap, Python's included (they do under the
// same setting), which is what makes this check work where ranks are
// Python's too.
napi_value jsDistWrapForDebug(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 3) throw JsTypeError("distWrapForDebug(group, store, timeoutMs) needs 3 arguments");
    GroupHolder& h = groupArg(env, args[0], "TORCH_DISTRIBUTED_DEBUG=DETAIL");
    StoreHolder* sh = nullptr;
    storeArg(env, args[1], "TORCH_DISTRIBUTED_DEBUG=DETAIL", &sh);
    auto timeout = msArg(env, args[2], "timeout");
    c10::intrusive_ptr<c10d::Store> store = sh->store;
    c10::intrusive_ptr<GlooGroup> wrapped = h.pg;
    int rank = h.rank, size = h.size;
    // The caller holds the group's handle until this settles (lib's newGloo awaits it).
    GroupHolder* holder = &h;
    Started s = startCall(env, {});
    napi_value promise = s.promise;
    runOnThread(std::move(s), [store, wrapped, rank, size, timeout, holder](Pending& p) {
      auto helper = makeGloo(store, rank, size, timeout);
      c10::intrusive_ptr<GlooGroup> wrapper = c10::make_intrusive<c10d::ProcessGroupWrapper>(wrapped, helper);
      // The holder takes the wrapper on the JS thread, where it is read.
      p.resolve = [wrapper, wrapped, holder](napi_env env) {
        if (holder->pg != wrapped) throw std::runtime_error("TORCH_DISTRIBUTED_DEBUG=DETAIL: the group changed while its checks were being set up");
        holder->pg = wrapper;
        holder->debugWrapped = true;
        return makeUndefined(env);
      };
    });
    return promise;
  });
}

// distSetSequenceNumber(group) -> Promise: rank 0 draws the group's
// sequence number and puts it in the store; the others wait for it there.
napi_value jsDistSetSequenceNumber(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    c10::intrusive_ptr<GlooGroup> pg = groupArg(env, args.empty() ? nullptr : args[0], "init_process_group()").pg;
    Started s = startCall(env, {});
    napi_value promise = s.promise;
    runOnThread(std::move(s), [pg](Pending&) { pg->setSequenceNumberForGroup(); });
    return promise;
  });
}

// distDestroyGroup(group): refuses the group's further use now, and lets it
// go on a thread of its own: its destructor waits for the collectives it
// has queued, which a hung peer may hold up to the group's timeout.
napi_value jsDistDestroyGroup(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    GroupHolder& h = groupArg(env, args.empty() ? nullptr : args[0], "destroy_process_group()");
    c10::intrusive_ptr<GlooGroup> pg = std::move(h.pg);
    h.pg.reset();
    h.checked.reset();
    h.asProcessGroup.reset();
    h.worker.reset();
    try {
      std::thread([pg = std::move(pg)]() mutable { pg.reset(); }).detach();
    } catch (const std::system_error&) {
      // No thread to spare: the group goes when its last call settles.
    }
    return makeUndefined(env);
  });
}

// ---------------------------------------------------------------------------
// Collectives

c10d::ReduceOp reduceOpArg(napi_env env, napi_value v, const std::string& where) {
  int64_t code = toInt64(env, v, where + ": op");
  switch (code) {
    case c10d::ReduceOp::SUM:
    case c10d::ReduceOp::PRODUCT:
    case c10d::ReduceOp::MIN:
    case c10d::ReduceOp::MAX:
    case c10d::ReduceOp::BAND:
    case c10d::ReduceOp::BOR:
    case c10d::ReduceOp::BXOR:
      return c10d::ReduceOp(static_cast<c10d::ReduceOp::RedOpType>(code));
    case c10d::ReduceOp::AVG:
      throw std::runtime_error(where + ": Cannot use ReduceOp.AVG with Gloo (Gloo has no average; sum and divide by the world size)");
    default:
      throw JsRangeError(where + ": op must be a torch.distributed.ReduceOp, got code " + std::to_string(code));
  }
}

int64_t rankArg(napi_env env, napi_value v, const GroupHolder& h, const std::string& where, const char* name) {
  int64_t r = toInt64(env, v, where + ": " + name);
  if (r < 0 || r >= h.size) {
    throw JsRangeError(where + ": " + name + " " + std::to_string(r) + " is not a rank of this group (ranks 0 to " + std::to_string(h.size - 1) + ")");
  }
  return r;
}

// A tensor a collective reads or writes: a dense, contiguous CPU tensor
// (Gloo reads its memory as one block; a strided view would be read wrong).
at::Tensor collectiveTensor(napi_env env, napi_value v, const std::string& what) {
  const at::Tensor& t = unwrapTensor(env, v, what);
  if (!t.defined()) throw JsTypeError(what + " is an undefined tensor");
  if (t.layout() != at::kStrided) throw std::runtime_error(what + " must be a dense (strided) tensor, got a " + c10::str(t.layout()) + " one");
  if (!t.device().is_cpu()) {
    throw std::runtime_error(what + " is on " + t.device().str() + "; torchts's Gloo groups take CPU tensors (move it with .cpu())");
  }
  if (!t.is_contiguous()) throw std::runtime_error(what + " must be contiguous; pass t.contiguous() (and copy the result back into the view)");
  return t;
}

std::vector<at::Tensor> collectiveTensors(napi_env env, napi_value v, const std::string& what) {
  std::vector<at::Tensor> out;
  auto items = toArray(env, v, what);
  for (size_t i = 0; i < items.size(); ++i) out.push_back(collectiveTensor(env, items[i], what + "[" + std::to_string(i) + "]"));
  return out;
}

// What a collective is, in a fingerprint (lib/distributed/_checks.ts's Kind).
enum class Kind : int64_t { AllReduce = 1, Broadcast, Reduce, AllGather, Gather, Scatter, ReduceScatter, Barrier };

const char* kindName(int64_t kind) {
  static const char* const names[] = {"all_reduce", "broadcast", "reduce", "all_gather", "gather", "scatter", "reduce_scatter", "barrier"};
  return kind >= 1 && kind <= 8 ? names[kind - 1] : "a collective";
}

std::string dtypeName(int64_t code) {
  switch (static_cast<at::ScalarType>(code)) {
    case at::kFloat: return "torch.float32";
    case at::kDouble: return "torch.float64";
    case at::kHalf: return "torch.float16";
    case at::kBFloat16: return "torch.bfloat16";
    case at::kLong: return "torch.int64";
    case at::kInt: return "torch.int32";
    case at::kShort: return "torch.int16";
    case at::kChar: return "torch.int8";
    case at::kByte: return "torch.uint8";
    case at::kBool: return "torch.bool";
    case at::kComplexFloat: return "torch.complex64";
    case at::kComplexDouble: return "torch.complex128";
    default: return c10::toString(static_cast<at::ScalarType>(code));
  }
}

const char* opName(int64_t op) {
  static const char* const names[] = {"SUM", "AVG", "PRODUCT", "MIN", "MAX", "BAND", "BOR", "BXOR"};
  return op >= 0 && op <= 7 ? names[op] : "?";
}

constexpr int64_t kFingerprintFields = 7;

// kind, dtype, element count, dimensions, first size, root, op (-1: none).
std::vector<int64_t> fingerprint(Kind kind, const at::Tensor* t, int64_t root, int64_t op) {
  return {static_cast<int64_t>(kind),
          t ? static_cast<int64_t>(t->scalar_type()) : -1,
          t ? t->numel() : 0,
          t ? t->dim() : 0,
          t && t->dim() > 0 ? t->size(0) : 0,
          root,
          op};
}

std::string describeFingerprint(const int64_t* row) {
  std::string out = kindName(row[0]);
  if (row[1] >= 0) out += ", a " + dtypeName(row[1]) + " tensor of " + std::to_string(row[2]) + (row[2] == 1 ? " element" : " elements");
  if (row[5] >= 0) out += ", root " + std::to_string(row[5]);
  if (row[6] >= 0) out += std::string(", op ReduceOp.") + opName(row[6]);
  return out;
}

// Gathers every rank's fingerprint (on the runner's thread) and throws,
// naming each rank's side, where they differ.
void agree(GlooGroup& pg, const std::vector<int64_t>& row, const std::vector<int64_t>& globalRanks, const std::string& where) {
  std::vector<at::Tensor> mine{at::tensor(row, at::kLong)};
  std::vector<std::vector<at::Tensor>> all(1);
  for (int64_t r = 0; r < static_cast<int64_t>(globalRanks.size()); ++r) all[0].push_back(at::empty({kFingerprintFields}, at::kLong));
  pg.allgather(all, mine)->wait();
  bool same = true;
  for (const at::Tensor& t : all[0]) same = same && std::equal(row.begin(), row.end(), t.data_ptr<int64_t>());
  if (same) return;
  std::string sides;
  for (size_t r = 0; r < all[0].size(); ++r) {
    if (r) sides += "; ";
    sides += "rank " + std::to_string(globalRanks[r]) + ": " + describeFingerprint(all[0][r].data_ptr<int64_t>());
  }
  throw std::runtime_error("torch.distributed." + where + ": the ranks disagree on this collective (" + sides +
                           "); every rank must call the same collective with the same dtype and size, and the same root and op "
                           "(checked before Gloo sees them: Gloo itself would abort the process)");
}

using StartFn = std::function<c10::intrusive_ptr<c10d::Work>(GlooGroup&)>;
using ResolveFn = std::function<napi_value(napi_env, c10d::Work&)>;

// Starts a collective. In a checked group it goes to the group's runner
// (above), unless it has no fingerprint: a send or a recv, which is
// pairwise (lib checks a pair by fingerprints of its own, sent first). A
// group wrapped under TORCH_DISTRIBUTED_DEBUG=DETAIL runs its collectives
// on its worker too, since the wrapper's checks block until every rank has
// called. Otherwise `start` enqueues it on the group at once (on the JS
// thread, where Gloo checks its arguments and throws), and the Promise
// settles when its Work does (through the Work's future, on Gloo's thread;
// or by waiting on a thread of its own, for a Work that has none).
napi_value enqueue(napi_env env, GroupHolder& h, const std::string& where, const std::vector<int64_t>& fp, const std::vector<at::Tensor>& touched,
                   StartFn start, ResolveFn resolve = nullptr) {
  c10::intrusive_ptr<GlooGroup> pg = h.pg;
  if (!fp.empty() && (h.checked || h.debugWrapped)) {
    std::vector<int64_t> ranks = h.checked ? h.checked->globalRanks() : std::vector<int64_t>{};
    Started s = startCall(env, touched);
    napi_value promise = s.promise;
    Pending* p = s.pending.release();
    std::shared_ptr<Settler> settler = std::move(s.settler);
    workerOf(h).push([pg, fp, ranks, where, start = std::move(start), resolve = std::move(resolve), p, settler]() {
      try {
        if (!ranks.empty()) agree(*pg, fp, ranks, where);
        c10::intrusive_ptr<c10d::Work> work = start(*pg);
        work->wait();
        p->keepAlive = [pg, work]() {};
        if (resolve) p->resolve = [work, resolve](napi_env env) { return resolve(env, *work); };
      } catch (...) {
        p->error = messageOf(std::current_exception());
      }
      post(settler, p);
    });
    return promise;
  }
  c10::intrusive_ptr<c10d::Work> work = start(*pg);
  Started s = startCall(env, touched);
  napi_value promise = s.promise;
  Pending* p = s.pending.get();
  p->keepAlive = [pg, work]() {};
  if (resolve) p->resolve = [work, resolve](napi_env env) { return resolve(env, *work); };
  c10::intrusive_ptr<c10::ivalue::Future> future;
  try {
    future = work->getFuture();
  } catch (const c10::Error&) {
    // send and recv have no future in every libtorch: wait for them instead.
  }
  if (future) {
    std::shared_ptr<Settler> settler = s.settler;
    s.pending.release();
    future->addCallback([settler, p](c10::ivalue::Future& f) {
      if (f.hasError()) {
        p->error = f.tryRetrieveErrorMessage();
        if (p->error.empty()) p->error = "torch.distributed: the collective failed without a message";
      }
      post(settler, p);
    });
  } else {
    runOnThread(std::move(s), [work](Pending&) { work->wait(); });
  }
  return promise;
}

// distSetChecked(group, globalRanks[]): every rank of the group is a torchts
// rank; its collectives are checked from now on.
napi_value jsDistSetChecked(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    GroupHolder& h = groupArg(env, args.empty() ? nullptr : args[0], "distSetChecked()");
    std::vector<int64_t> ranks;
    if (args.size() > 1) {
      for (napi_value v : toArray(env, args[1], "distSetChecked(): ranks")) ranks.push_back(toInt64(env, v, "distSetChecked(): each rank"));
    }
    if (static_cast<int>(ranks.size()) != h.size) throw JsRangeError("distSetChecked(): ranks must list the group's " + std::to_string(h.size) + " global ranks");
    h.checked = std::make_unique<CheckedRunner>(std::move(ranks));
    return makeUndefined(env);
  });
}

std::string whereOf(napi_env env, const CallArgs& args, size_t count, const char* usage) {
  if (args.size() < count) throw JsTypeError(std::string(usage) + " needs " + std::to_string(count) + " arguments");
  return toString(env, args[args.size() - 1], "the caller's name");
}

// Each collective takes its group first and the caller's name (Python's
// function, for errors) last.

// distAllReduce(group, tensor, op, where)
napi_value jsDistAllReduce(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 4, "distAllReduce(group, tensor, op, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<at::Tensor> tensors{collectiveTensor(env, args[1], where + ": tensor")};
    c10d::AllreduceOptions opts;
    opts.reduceOp = reduceOpArg(env, args[2], where);
    auto fp = fingerprint(Kind::AllReduce, &tensors[0], -1, static_cast<int64_t>(opts.reduceOp.op_));
    return enqueue(env, h, where, fp, tensors, [tensors, opts](GlooGroup& pg) mutable { return pg.allreduce(tensors, opts); });
  });
}

// distBroadcast(group, tensor, src, where)
napi_value jsDistBroadcast(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 4, "distBroadcast(group, tensor, src, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<at::Tensor> tensors{collectiveTensor(env, args[1], where + ": tensor")};
    c10d::BroadcastOptions opts;
    opts.rootRank = rankArg(env, args[2], h, where, "src");
    opts.rootTensor = 0;
    auto fp = fingerprint(Kind::Broadcast, &tensors[0], opts.rootRank, -1);
    return enqueue(env, h, where, fp, tensors, [tensors, opts](GlooGroup& pg) mutable { return pg.broadcast(tensors, opts); });
  });
}

// distReduce(group, tensor, dst, op, where)
napi_value jsDistReduce(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 5, "distReduce(group, tensor, dst, op, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<at::Tensor> tensors{collectiveTensor(env, args[1], where + ": tensor")};
    c10d::ReduceOptions opts;
    opts.rootRank = rankArg(env, args[2], h, where, "dst");
    opts.rootTensor = 0;
    opts.reduceOp = reduceOpArg(env, args[3], where);
    auto fp = fingerprint(Kind::Reduce, &tensors[0], opts.rootRank, static_cast<int64_t>(opts.reduceOp.op_));
    return enqueue(env, h, where, fp, tensors, [tensors, opts](GlooGroup& pg) mutable { return pg.reduce(tensors, opts); });
  });
}

// distAllGather(group, outputs[], tensor, where)
napi_value jsDistAllGather(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 4, "distAllGather(group, outputs, tensor, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<std::vector<at::Tensor>> outputs{collectiveTensors(env, args[1], where + ": tensor_list")};
    std::vector<at::Tensor> inputs{collectiveTensor(env, args[2], where + ": tensor")};
    std::vector<at::Tensor> touched = outputs[0];
    touched.push_back(inputs[0]);
    auto fp = fingerprint(Kind::AllGather, &inputs[0], -1, -1);
    return enqueue(env, h, where, fp, touched, [outputs, inputs](GlooGroup& pg) mutable { return pg.allgather(outputs, inputs); });
  });
}

// distGather(group, outputs[] | null, tensor, dst, where): outputs on dst only.
napi_value jsDistGather(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 5, "distGather(group, outputs, tensor, dst, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<std::vector<at::Tensor>> outputs;
    if (!isNullish(env, args[1])) outputs.push_back(collectiveTensors(env, args[1], where + ": gather_list"));
    std::vector<at::Tensor> inputs{collectiveTensor(env, args[2], where + ": tensor")};
    c10d::GatherOptions opts;
    opts.rootRank = rankArg(env, args[3], h, where, "dst");
    std::vector<at::Tensor> touched = outputs.empty() ? std::vector<at::Tensor>{} : outputs[0];
    touched.push_back(inputs[0]);
    auto fp = fingerprint(Kind::Gather, &inputs[0], opts.rootRank, -1);
    return enqueue(env, h, where, fp, touched, [outputs, inputs, opts](GlooGroup& pg) mutable { return pg.gather(outputs, inputs, opts); });
  });
}

// distScatter(group, output, inputs[] | null, src, where): inputs on src only.
napi_value jsDistScatter(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 5, "distScatter(group, tensor, inputs, src, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<at::Tensor> outputs{collectiveTensor(env, args[1], where + ": tensor")};
    std::vector<std::vector<at::Tensor>> inputs;
    if (!isNullish(env, args[2])) inputs.push_back(collectiveTensors(env, args[2], where + ": scatter_list"));
    c10d::ScatterOptions opts;
    opts.rootRank = rankArg(env, args[3], h, where, "src");
    std::vector<at::Tensor> touched = inputs.empty() ? std::vector<at::Tensor>{} : inputs[0];
    touched.push_back(outputs[0]);
    auto fp = fingerprint(Kind::Scatter, &outputs[0], opts.rootRank, -1);
    return enqueue(env, h, where, fp, touched, [outputs, inputs, opts](GlooGroup& pg) mutable { return pg.scatter(outputs, inputs, opts); });
  });
}

// distReduceScatter(group, output, inputs[], op, where)
napi_value jsDistReduceScatter(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 5, "distReduceScatter(group, output, input_list, op, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<at::Tensor> outputs{collectiveTensor(env, args[1], where + ": output")};
    std::vector<std::vector<at::Tensor>> inputs{collectiveTensors(env, args[2], where + ": input_list")};
    c10d::ReduceScatterOptions opts;
    opts.reduceOp = reduceOpArg(env, args[3], where);
    std::vector<at::Tensor> touched = inputs[0];
    touched.push_back(outputs[0]);
    auto fp = fingerprint(Kind::ReduceScatter, &outputs[0], -1, static_cast<int64_t>(opts.reduceOp.op_));
    return enqueue(env, h, where, fp, touched, [outputs, inputs, opts](GlooGroup& pg) mutable { return pg.reduce_scatter(outputs, inputs, opts); });
  });
}

// distBarrier(group, where)
napi_value jsDistBarrier(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 2, "distBarrier(group, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    return enqueue(env, h, where, fingerprint(Kind::Barrier, nullptr, -1, -1), {}, [](GlooGroup& pg) { return pg.barrier(); });
  });
}

// distSend(group, tensor, dst, tag, where)
napi_value jsDistSend(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 5, "distSend(group, tensor, dst, tag, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<at::Tensor> tensors{collectiveTensor(env, args[1], where + ": tensor")};
    int64_t dst = rankArg(env, args[2], h, where, "dst");
    if (dst == h.rank) throw std::runtime_error(where + ": Invalid destination rank: should not be the same as rank of the current process.");
    int64_t tag = toInt64(env, args[3], where + ": tag");
    if (tag < INT32_MIN || tag > INT32_MAX) throw JsRangeError(where + ": tag must fit in 32 bits");
    return enqueue(env, h, where, {}, tensors, [tensors, dst, tag](GlooGroup& pg) mutable {
      return pg.send(tensors, static_cast<int>(dst), static_cast<int>(tag));
    });
  });
}

// distRecv(group, tensor, src | -1 (any), tag, where) -> Promise<the sender's rank in the group>
napi_value jsDistRecv(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::string where = whereOf(env, args, 5, "distRecv(group, tensor, src, tag, where)");
    GroupHolder& h = groupArg(env, args[0], where);
    std::vector<at::Tensor> tensors{collectiveTensor(env, args[1], where + ": tensor")};
    bool any = toInt64(env, args[2], where + ": src") == -1;
    int64_t src = any ? -1 : rankArg(env, args[2], h, where, "src");
    if (!any && src == h.rank) throw std::runtime_error(where + ": Invalid source rank: should not be the same as rank of the current process.");
    int64_t tag = toInt64(env, args[3], where + ": tag");
    if (tag < INT32_MIN || tag > INT32_MAX) throw JsRangeError(where + ": tag must fit in 32 bits");
    return enqueue(
        env, h, where, {}, tensors,
        [tensors, any, src, tag](GlooGroup& pg) mutable {
          return any ? pg.recvAnysource(tensors, static_cast<int>(tag)) : pg.recv(tensors, static_cast<int>(src), static_cast<int>(tag));
        },
        [](napi_env env, c10d::Work& work) { return makeInt(env, work.sourceRank()); });
  });
}

// distGroupInfo(group) -> [rank, size, destroyed]
napi_value jsDistGroupInfo(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    auto* h = args.empty() ? nullptr : findHandle<GroupHolder>(env, args[0], kGroupTag);
    if (!h) throw JsTypeError("distGroupInfo(group): group must be a torch.distributed ProcessGroup");
    return makeArray(env, {makeInt(env, h->rank), makeInt(env, h->size), makeBool(env, !h->pg)});
  });
}

}  // namespace

void registerDistributed(napi_env env, napi_value exports) {
  // TORCH_DISTRIBUTED_DEBUG, read when torch.distributed loads, as Python's
  // import of it does: c10d's Reducer and lib's groups ask for the level.
  c10d::setDebugLevelFromEnvironment();
  exportFunction(env, exports, "distAvailable", jsDistAvailable);
  exportFunction(env, exports, "distTcpStore", jsDistTcpStore);
  exportFunction(env, exports, "distFileStore", jsDistFileStore);
  exportFunction(env, exports, "distHashStore", jsDistHashStore);
  exportFunction(env, exports, "distPrefixStore", jsDistPrefixStore);
  exportFunction(env, exports, "distStorePort", jsDistStorePort);
  exportFunction(env, exports, "distStoreTimeout", jsDistStoreTimeout);
  exportFunction(env, exports, "distStoreCall", jsDistStoreCall);
  exportFunction(env, exports, "distNewGloo", jsDistNewGloo);
  exportFunction(env, exports, "distSetSequenceNumber", jsDistSetSequenceNumber);
  exportFunction(env, exports, "distWrapForDebug", jsDistWrapForDebug);
  exportFunction(env, exports, "distDebugLevel", jsDistDebugLevel);
  exportFunction(env, exports, "distDestroyGroup", jsDistDestroyGroup);
  exportFunction(env, exports, "distSetChecked", jsDistSetChecked);
  exportFunction(env, exports, "distGroupInfo", jsDistGroupInfo);
  exportFunction(env, exports, "distAllReduce", jsDistAllReduce);
  exportFunction(env, exports, "distBroadcast", jsDistBroadcast);
  exportFunction(env, exports, "distReduce", jsDistReduce);
  exportFunction(env, exports, "distAllGather", jsDistAllGather);
  exportFunction(env, exports, "distGather", jsDistGather);
  exportFunction(env, exports, "distScatter", jsDistScatter);
  exportFunction(env, exports, "distReduceScatter", jsDistReduceScatter);
  exportFunction(env, exports, "distBarrier", jsDistBarrier);
  exportFunction(env, exports, "distSend", jsDistSend);
  exportFunction(env, exports, "distRecv", jsDistRecv);
}

#endif  // TORCHTS_DISTRIBUTED

}  // namespace torchts
