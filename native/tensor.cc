#include "tensor.h"

#include "addon_state.h"

#include <cstdint>
#include <cstring>
#include <new>
#include <memory>
#include <unordered_set>

namespace torchts {

namespace {

// Holders live in arenas of our own, so a pointer napi_unwrap returns is
// known to be ours by its address alone: another addon's wrapped object gives
// a pointer outside them. This replaces a type tag on every object, which
// cost about 170 ns to set and 65 ns to check per tensor argument.
// Per thread, as each worker has its own env and its own objects.
class HolderArena {
 public:
  TensorHolder* make(at::Tensor t) {
    if (free_.empty()) grow();
    Slot* slot = free_.back();
    free_.pop_back();
    return new (slot) TensorHolder{std::move(t)};
  }

  void destroy(TensorHolder* h) {
    h->~TensorHolder();
    free_.push_back(reinterpret_cast<Slot*>(h));
  }

  bool owns(const void* p) const {
    auto addr = reinterpret_cast<uintptr_t>(p);
    for (const auto& chunk : chunks_) {
      auto base = reinterpret_cast<uintptr_t>(chunk.get());
      if (addr >= base && addr < base + kChunk * sizeof(Slot)) return (addr - base) % sizeof(Slot) == 0;
    }
    return false;
  }

 private:
  struct Slot {
    alignas(TensorHolder) unsigned char bytes[sizeof(TensorHolder)];
  };
  static constexpr size_t kChunk = 4096;

  void grow() {
    chunks_.emplace_back(new Slot[kChunk]);
    Slot* base = chunks_.back().get();
    free_.reserve(free_.size() + kChunk);
    for (size_t i = kChunk; i-- > 0;) free_.push_back(base + i);
  }

  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::vector<Slot*> free_;
};
thread_local HolderArena tlsArena;

// Scopes (torch.scope in JS) are per thread, as each worker has its own env.
struct ScopeStack {
  std::vector<std::unique_ptr<Scope>> scopes;
};
thread_local ScopeStack tlsScopes;

// The holder the constructor callback should adopt; set only by wrapTensor so
// that `new Tensor()` from JS is refused.
thread_local TensorHolder* tlsPendingHolder = nullptr;

void reportBytes(node_api_basic_env env, TensorHolder* h, int64_t bytes) {
  if (bytes == h->reportedBytes) return;
  int64_t ignored;
  napi_adjust_external_memory(env, bytes - h->reportedBytes, &ignored);
  h->reportedBytes = bytes;
}

void release(node_api_basic_env env, TensorHolder* h) {
  h->tensor.reset();
  h->disposed = true;
  reportBytes(env, h, 0);
}

// A basic finalizer: it runs inside GC, touches no JS, and frees at once.
void finalizeTensor(node_api_basic_env env, void* data, void*) {
  auto* h = static_cast<TensorHolder*>(data);
  release(env, h);
  if (h->scope) {
    h->collected = true;  // the scope that lists it deletes it when it ends
  } else {
    tlsArena.destroy(h);
  }
}

napi_value tensorConstructor(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    TensorHolder* h = tlsPendingHolder;
    if (!h) {
      throw JsTypeError(
          "Tensor cannot be constructed directly; use torch.tensor(), torch.zeros() or another factory");
    }
    tlsPendingHolder = nullptr;
    napi_status st = napi_wrap(env, args.self, h, finalizeTensor, nullptr, nullptr);
    if (st != napi_ok) {
      tlsArena.destroy(h);
      check(env, st);
    }
    return args.self;
  });
}

int64_t ownBytes(const at::Tensor& t) {
  // V8 is charged only for memory this wrapper alone keeps alive: a fresh
  // result (the wrapper holds the only reference to the tensor, which holds
  // the only reference to its storage). A view (a batch sliced from a
  // dataset) or another handle on a tensor held elsewhere (a parameter's
  // .grad) costs nothing more; charging those sent V8 into full collections
  // for memory that was never allocated.
  if (!t.defined() || t.is_sparse() || !t.has_storage()) return 0;
  if (t.use_count() != 1) return 0;
  const c10::Storage& storage = t.storage();
  if (storage.use_count() != 1) return 0;
  return static_cast<int64_t>(storage.nbytes());
}

}  // namespace

struct Scope {
  std::vector<TensorHolder*> holders;
};

napi_value wrapTensor(napi_env env, at::Tensor t) {
  if (!t.defined()) return makeNull(env);
  AddonState& state = addonState(env);
  napi_value ctor;
  check(env, napi_get_reference_value(env, state.tensorClass, &ctor));
  TensorHolder* h = tlsArena.make(std::move(t));
  tlsPendingHolder = h;
  napi_value obj;
  napi_status st = napi_new_instance(env, ctor, 0, nullptr, &obj);
  if (tlsPendingHolder == h) {  // the constructor never adopted it
    tlsPendingHolder = nullptr;
    tlsArena.destroy(h);
    check(env, st);
    throw std::runtime_error("could not make a Tensor object");
  }
  check(env, st);
  reportBytes(env, h, ownBytes(h->tensor));
  if (!tlsScopes.scopes.empty()) {
    Scope* scope = tlsScopes.scopes.back().get();
    h->scope = scope;
    scope->holders.push_back(h);
  }
  return obj;
}

TensorHolder* findHolder(napi_env env, napi_value v) {
  void* data = nullptr;
  // napi_unwrap fails, without throwing, for anything that is not a wrapped object.
  if (napi_unwrap(env, v, &data) != napi_ok || !tlsArena.owns(data)) return nullptr;
  return static_cast<TensorHolder*>(data);
}

const at::Tensor& unwrapTensor(napi_env env, napi_value v, const std::string& what) {
  TensorHolder* h = findHolder(env, v);
  if (!h) throw JsTypeError(what + " must be a Tensor, got " + typeName(env, v));
  if (h->disposed) throw std::runtime_error(what + " is a Tensor that was disposed; it cannot be used after dispose()");
  return h->tensor;
}

namespace {

napi_value jsDispose(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    TensorHolder* h = args.empty() ? nullptr : findHolder(env, args[0]);
    if (!h) throw JsTypeError("dispose() expects a Tensor");
    if (!h->disposed) release(env, h);
    return makeUndefined(env);
  });
}

napi_value jsIsDisposed(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    TensorHolder* h = args.empty() ? nullptr : findHolder(env, args[0]);
    if (!h) throw JsTypeError("isDisposed() expects a Tensor");
    return makeBool(env, h->disposed);
  });
}

napi_value jsIsTensor(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    return makeBool(env, !args.empty() && findHolder(env, args[0]) != nullptr);
  });
}

const at::Tensor& selfArg(napi_env env, const CallArgs& args) {
  if (args.empty()) throw JsTypeError("expected a Tensor argument");
  return unwrapTensor(env, args[0], "self");
}

napi_value jsShape(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    const at::Tensor& t = selfArg(env, CallArgs(env, info));
    std::vector<napi_value> dims;
    for (int64_t d : t.sizes()) dims.push_back(makeInt(env, d));
    return makeArray(env, dims);
  });
}

napi_value jsStrides(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    const at::Tensor& t = selfArg(env, CallArgs(env, info));
    std::vector<napi_value> dims;
    for (int64_t d : t.strides()) dims.push_back(makeInt(env, d));
    return makeArray(env, dims);
  });
}

napi_value jsDim(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeInt(env, selfArg(env, CallArgs(env, info)).dim()); });
}

napi_value jsNumel(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeInt(env, selfArg(env, CallArgs(env, info)).numel()); });
}

napi_value jsScalarType(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    return makeInt(env, static_cast<int64_t>(selfArg(env, CallArgs(env, info)).scalar_type()));
  });
}

napi_value jsDevice(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeString(env, selfArg(env, CallArgs(env, info)).device().str()); });
}

napi_value jsLayout(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    return makeInt(env, static_cast<int64_t>(selfArg(env, CallArgs(env, info)).layout()));
  });
}

// Scopes: every tensor made while one is open is listed in it; closing it
// disposes all of them except those the callback returned.
napi_value jsScopeEnter(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    tlsScopes.scopes.push_back(std::make_unique<Scope>());
    return makeInt(env, static_cast<int64_t>(tlsScopes.scopes.size()));
  });
}

napi_value jsScopeExit(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2) throw JsTypeError("scopeExit(depth, keep) needs two arguments");
    int64_t depth = toInt64(env, args[0], "scope depth");
    if (depth != static_cast<int64_t>(tlsScopes.scopes.size()) || depth == 0) {
      throw std::runtime_error("torch.scope: scopes must close in the order they opened");
    }
    std::unordered_set<TensorHolder*> keep;
    for (napi_value v : toArray(env, args[1], "keep")) {
      if (TensorHolder* h = findHolder(env, v)) keep.insert(h);
    }
    std::unique_ptr<Scope> scope = std::move(tlsScopes.scopes.back());
    tlsScopes.scopes.pop_back();
    Scope* parent = tlsScopes.scopes.empty() ? nullptr : tlsScopes.scopes.back().get();
    for (TensorHolder* h : scope->holders) {
      if (h->collected) {
        tlsArena.destroy(h);
        continue;
      }
      if (keep.count(h)) {
        h->scope = parent;
        if (parent) parent->holders.push_back(h);
        continue;
      }
      h->scope = nullptr;
      if (!h->disposed) release(env, h);
    }
    return makeUndefined(env);
  });
}

}  // namespace

void registerTensor(napi_env env, napi_value exports) {
  napi_value ctor;
  check(env, napi_define_class(env, "Tensor", NAPI_AUTO_LENGTH, tensorConstructor, nullptr, 0, nullptr, &ctor));
  check(env, napi_create_reference(env, ctor, 1, &addonState(env).tensorClass));
  setProperty(env, exports, "Tensor", ctor);
  exportFunction(env, exports, "dispose", jsDispose);
  exportFunction(env, exports, "isDisposed", jsIsDisposed);
  exportFunction(env, exports, "isTensor", jsIsTensor);
  exportFunction(env, exports, "shape", jsShape);
  exportFunction(env, exports, "strides", jsStrides);
  exportFunction(env, exports, "dim", jsDim);
  exportFunction(env, exports, "numel", jsNumel);
  exportFunction(env, exports, "scalarType", jsScalarType);
  exportFunction(env, exports, "device", jsDevice);
  exportFunction(env, exports, "layout", jsLayout);
  exportFunction(env, exports, "scopeEnter", jsScopeEnter);
  exportFunction(env, exports, "scopeExit", jsScopeExit);
}

}  // namespace torchts
