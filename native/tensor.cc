#include "tensor.h"

#include <unordered_map>

#include "addon_state.h"

#include <c10/util/flat_hash_map.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <memory>
#include <unordered_set>

// V8 13.6 and 14 mark Isolate::AdjustAmountOfExternalAllocatedMemory
// deprecate-soon in favour of v8::ExternalMemoryAccounter. Node 24 and 26
// export that class but install no header for it (v8-isolate.h only names
// it a friend), and Node's own napi_adjust_external_memory still calls the
// old function. So the accounter is used wherever a Node installs its header,
// and the old call, which V8 14 still has, elsewhere.
#if V8_MAJOR_VERSION >= 14 && __has_include(<v8-external-memory-accounter.h>)
#define TORCHTS_EXTERNAL_MEMORY_ACCOUNTER 1
#include <v8-external-memory-accounter.h>
#endif

namespace torchts {

struct Scope {
  std::vector<TensorHolder*> holders;
};

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
    auto* h = new (slot) TensorHolder{std::move(t)};
    h->nextLive = live_;
    if (live_) live_->prevLive = h;
    live_ = h;
    return h;
  }

  void destroy(TensorHolder* h) {
    if (h->prevLive) h->prevLive->nextLive = h->nextLive;
    else live_ = h->nextLive;
    if (h->nextLive) h->nextLive->prevLive = h->prevLive;
    h->~TensorHolder();
    free_.push_back(reinterpret_cast<Slot*>(h));
  }

  TensorHolder* live() const { return live_; }

  // A binary search over the chunks by address: a loop of small ops keeps
  // 100,000 results alive between collections, 25 chunks to scan per tensor
  // argument.
  bool owns(const void* p) const {
    auto addr = reinterpret_cast<uintptr_t>(p);
    auto next = std::upper_bound(bases_.begin(), bases_.end(), addr);
    if (next == bases_.begin()) return false;
    uintptr_t base = *(next - 1);
    return addr < base + kChunk * sizeof(Slot) && (addr - base) % sizeof(Slot) == 0;
  }

 private:
  struct Slot {
    alignas(TensorHolder) unsigned char bytes[sizeof(TensorHolder)];
  };
  static constexpr size_t kChunk = 4096;

  void grow() {
    chunks_.emplace_back(new Slot[kChunk]);
    Slot* base = chunks_.back().get();
    auto at = reinterpret_cast<uintptr_t>(base);
    bases_.insert(std::upper_bound(bases_.begin(), bases_.end(), at), at);
    free_.reserve(free_.size() + kChunk);
    for (size_t i = kChunk; i-- > 0;) free_.push_back(base + i);
  }

  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::vector<uintptr_t> bases_;  // the chunks' addresses, in order
  std::vector<Slot*> free_;
  TensorHolder* live_ = nullptr;
};

// What V8 is told about the storage of a wrapper that is not its sole owner
// (a view, a detached output, another handle on a tensor held elsewhere):
// each such storage is charged once, its bytes when the first of those
// wrappers was made, and given back when the last of them goes. A fresh
// result, which alone owns its storage, is charged on its own holder
// instead (ownBytes), with no map: a map entry per result cost a small op
// about 300 ns (perf: wrapTensor and release 1% -> 10% of a 4-element add,
// the map's cache misses among 100,000 live results), and fresh results are
// nearly every wrapper. Charging only fresh results left a detached view
// charged nothing once its base's wrapper died, though it alone kept the
// storage: a loop keeping its last 100 outputs' .detach() reached 2.3 GB
// before V8 collected. Charging every wrapper its storage's bytes instead
// charges each batch sliced from a dataset the whole dataset, and sent V8
// into full collections for memory never allocated. So a storage is charged
// at most twice (its fresh owner, and once for all its views) while both
// live. The key is only compared, never followed: a wrapper whose tensor was
// given another storage (p.data = t) still counts against the one it was
// charged for, so every count comes back to zero.
class StorageCharges {
 public:
  // Counts h against its tensor's storage; returns the bytes newly charged.
  int64_t add(TensorHolder* h) {
    const at::Tensor& t = h->tensor;
    // A meta tensor's storage has a size but no memory behind it.
    if (!t.defined() || t.is_sparse() || !t.has_storage() || t.is_meta() || t.storage().nbytes() == 0) return 0;
    if (sharesJsMemory(t.storage())) return 0;
    const c10::StorageImpl* storage = t.storage().unsafeGetStorageImpl();
    h->chargedStorage = storage;
    Charge& c = charges_[storage];
    if (c.wrappers++ > 0) return 0;
    c.bytes = static_cast<int64_t>(t.storage().nbytes());
    return c.bytes;
  }

  // Uncounts h; returns the bytes to give back (its storage's last wrapper).
  int64_t remove(TensorHolder* h) {
    const c10::StorageImpl* storage = h->chargedStorage;
    if (!storage) return 0;
    h->chargedStorage = nullptr;
    auto it = charges_.find(storage);
    if (it == charges_.end() || --it->second.wrappers > 0) return 0;
    int64_t bytes = it->second.bytes;
    charges_.erase(it);
    return bytes;
  }

 private:
  struct Charge {
    int64_t bytes = 0;
    uint32_t wrappers = 0;
  };
  // Storages are aligned allocations, so their addresses differ only above
  // their low bits, and the map takes a power of two of buckets from the low
  // bits of the hash; std::hash of a pointer is the pointer itself, and the
  // colliding keys made each op's insert and erase a long probe. A
  // multiplicative mix moves the high bits down.
  struct StorageHash {
    size_t operator()(const c10::StorageImpl* p) const {
      uint64_t h = reinterpret_cast<uintptr_t>(p) * 0x9E3779B97F4A7C15ull;
      return static_cast<size_t>(h ^ (h >> 32));
    }
  };
  ska::flat_hash_map<const c10::StorageImpl*, Charge, StorageHash> charges_;
};

// What this file keeps per thread (each worker has its own env, objects and
// scopes), behind one thread-local pointer: a shared library reaches each of
// its thread_locals through a call to __tls_get_addr at every use, and the
// separate ones this file had came to a dozen such calls per op.
struct ThreadTensors {
  HolderArena arena;
  StorageCharges storageCharges;
  std::vector<std::unique_ptr<Scope>> scopes;  // torch.scope, innermost last
  int64_t freshBytes = 0;  // see youngCollectionBytes
  int64_t largestFresh = 0;     // the largest fresh result since the last collection (collectYoungIfDue)
  int64_t largestBefore = 0;    // the same, in the period before it
  uint32_t gcCount = 0;    // V8 collections so far
  int64_t externalBytes = 0;  // all that adjustExternalMemory told V8, for tests to read
  // Storages of this thread's calls in flight (markInFlight), each with how
  // many calls hold it and a reference that keeps it alive while marked.
  std::unordered_map<const c10::StorageImpl*, std::pair<int, c10::Storage>> inFlight;
  // markInFlight's JS marks by number (jsMarkInFlight, jsUnmarkInFlight).
  std::unordered_map<uint32_t, std::vector<c10::Storage>> jsMarks;
  uint32_t nextJsMark = 1;
#ifdef TORCHTS_EXTERNAL_MEMORY_ACCOUNTER
  v8::ExternalMemoryAccounter externalMemory;  // what adjustExternalMemory told V8, all holders together
#endif
};
thread_local ThreadTensors* tlsTensors = nullptr;

ThreadTensors& threadTensors() {
  ThreadTensors* t = tlsTensors;
  if (!t) t = tlsTensors = new ThreadTensors();
  return *t;
}

// The tensor wrapper uses V8 directly (toV8, napi_util.h), where Node-API's
// wrap cost as much as the op: making and collecting a wrapper through
// napi_new_instance and napi_wrap took about 500 ns.

// V8 14 (Node 26) takes a type tag with every aligned pointer in an internal
// field (V8's sandbox checks pointers by it; Node builds V8 without the
// sandbox). The arena's address check in findHolder is what tells our
// objects apart from others, so the default tag serves.
#if V8_MAJOR_VERSION >= 14
void setHolderField(v8::Local<v8::Object> obj, TensorHolder* h) {
  obj->SetAlignedPointerInInternalField(0, h, v8::kEmbedderDataTypeTagDefault);
}
void* holderField(v8::Local<v8::Object> obj) {
  return obj->GetAlignedPointerFromInternalField(0, v8::kEmbedderDataTypeTagDefault);
}
#else
void setHolderField(v8::Local<v8::Object> obj, TensorHolder* h) { obj->SetAlignedPointerInInternalField(0, h); }
void* holderField(v8::Local<v8::Object> obj) { return obj->GetAlignedPointerFromInternalField(0); }
#endif

// Every change to what V8 is told about tensor memory goes through here.
// The caller passes the thread's state it already has: one more
// threadTensors() here cost a __tls_get_addr call (about 20 instructions)
// twice per op.
void adjustExternalMemory(ThreadTensors& tt, v8::Isolate* isolate, int64_t delta) {
  tt.externalBytes += delta;
#ifdef TORCHTS_EXTERNAL_MEMORY_ACCOUNTER
  tt.externalMemory.Update(isolate, delta);
#else
  isolate->AdjustAmountOfExternalAllocatedMemory(delta);
#endif
}

void reportBytes(ThreadTensors& tt, v8::Isolate* isolate, TensorHolder* h, int64_t bytes) {
  if (bytes == h->reportedBytes) return;
  adjustExternalMemory(tt, isolate, bytes - h->reportedBytes);
  h->reportedBytes = bytes;
}

// Young collections by tensor memory. V8 runs a young-generation collection
// when its young generation fills with JS objects; a training step makes
// about 3 KB of those, so a collection came every 1,500 steps or so, and
// the activations of all those steps (about 10 KB each, held only by their
// wrappers) waited for it: each step wrote into memory no step had touched
// recently, where C++ reuses the previous step's. So once this much fresh
// tensor memory (results whose wrapper is their only owner) has been made
// since the last collection, the next op call first asks for a young
// collection: about 50 us when there is nothing to scavenge, and the memory
// it frees goes back to the block cache (cpu_allocator.cc) while still warm.
// TORCHTS_YOUNG_GC_BYTES sets that amount, the least one (collectYoungIfDue
// waits longer after large results); 0 leaves collections to V8.
int64_t youngCollectionBytes() {
  static const int64_t bytes = [] {
    const char* v = std::getenv("TORCHTS_YOUNG_GC_BYTES");
    char* end = nullptr;
    long long parsed = v ? std::strtoll(v, &end, 10) : -1;
    if (!v || end == v || *end != '\0' || parsed < 0) return int64_t{1} << 20;
    return parsed == 0 ? INT64_MAX : static_cast<int64_t>(parsed);
  }();
  return bytes;
}

void onGcEpilogue(v8::Isolate*, v8::GCType, v8::GCCallbackFlags, void*) {
  ThreadTensors& tt = threadTensors();
  tt.freshBytes = 0;
  tt.largestBefore = tt.largestFresh;
  tt.largestFresh = 0;
  ++tt.gcCount;
}

void release(ThreadTensors& tt, v8::Isolate* isolate, TensorHolder* h) {
  // A wrapper disposed of before any collection no longer waits for one.
  if (h->freshBytes != 0 && h->gcCount == tt.gcCount) tt.freshBytes -= h->freshBytes;
  h->freshBytes = 0;
  int64_t storageBytes = tt.storageCharges.remove(h);
  if (storageBytes != 0 && isolate) adjustExternalMemory(tt, isolate, -storageBytes);
  h->tensor.reset();
  h->disposed = true;
  if (isolate) reportBytes(tt, isolate, h, 0);
}

// Runs inside GC when the JS object dies: touches no JS, frees at once.
void onCollected(const v8::WeakCallbackInfo<TensorHolder>& info) {
  TensorHolder* h = info.GetParameter();
  ThreadTensors& tt = threadTensors();
  h->object.Reset();
  release(tt, info.GetIsolate(), h);
  if (h->scope) {
    h->collected = true;  // the scope that lists it deletes it when it ends
  } else {
    tt.arena.destroy(h);
  }
}

// When a worker's env goes, V8 runs no more weak callbacks: free what is
// left, and this thread's state with it.
void freeAllHolders(void*) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  ThreadTensors& tt = threadTensors();
  while (TensorHolder* h = tt.arena.live()) {
    h->object.Reset();
    if (!h->disposed) release(tt, isolate, h);
    tt.arena.destroy(h);
  }
  delete tlsTensors;
  tlsTensors = nullptr;
}

void removeGcEpilogue(void* isolate) {
  static_cast<v8::Isolate*>(isolate)->RemoveGCEpilogueCallback(onGcEpilogue, nullptr);
}

void refuseConstruction(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  isolate->ThrowException(v8::Exception::TypeError(
      v8::String::NewFromUtf8Literal(isolate, "Tensor cannot be constructed directly; use torch.tensor(), torch.zeros() or another factory")));
}

// Every wrapper keeps native memory V8 cannot see (its holder, a TensorImpl
// reference, libtorch's bookkeeping): charged so that V8 collects small
// tensors about as often as their real cost calls for. Its storage is
// charged with it when it is the storage's sole owner, else once per
// storage (StorageCharges).
constexpr int64_t kWrapperBytes = 512;

// Memory this wrapper alone keeps alive, counted toward the next young
// collection (youngCollectionBytes): a fresh result, whose wrapper holds the
// only reference to the tensor, which holds the only reference to its storage.
int64_t ownBytes(const at::Tensor& t) {
  if (!t.defined() || t.is_sparse() || !t.has_storage() || t.is_meta()) return 0;
  if (t.use_count() != 1) return 0;
  const c10::Storage& storage = t.storage();
  if (storage.use_count() != 1 || sharesJsMemory(storage)) return 0;
  return static_cast<int64_t>(storage.nbytes());
}

}  // namespace

napi_value wrapTensor(napi_env env, at::Tensor t) {
  if (!t.defined()) return makeNull(env);
  AddonState& state = addonState(env);
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  // A clone of one instance: ObjectTemplate::NewInstance looked the template
  // up in V8's instantiation cache and cost about 400 instructions a tensor,
  // over twice a clone's.
  v8::Local<v8::Object> obj = state.tensorBoilerplate.Get(isolate)->Clone();
  if (obj.IsEmpty()) throw std::runtime_error("could not make a Tensor object");
  ThreadTensors& tt = threadTensors();
  TensorHolder* h = tt.arena.make(std::move(t));
  setHolderField(obj, h);
  h->object.Reset(isolate, obj);
  h->object.SetWeak(h, onCollected, v8::WeakCallbackType::kParameter);
  int64_t own = ownBytes(h->tensor);
  reportBytes(tt, isolate, h, kWrapperBytes + own);
  if (own == 0) {
    if (int64_t storageBytes = tt.storageCharges.add(h)) adjustExternalMemory(tt, isolate, storageBytes);
  }
  h->freshBytes = own;
  h->gcCount = tt.gcCount;
  tt.freshBytes += own;
  if (own > tt.largestFresh) tt.largestFresh = own;
  if (!tt.scopes.empty()) {
    Scope* scope = tt.scopes.back().get();
    h->scope = scope;
    scope->holders.push_back(h);
  }
  return toNapi(obj);
}

// A collection is due once the fresh bytes reach kFreshResultsPerCollection
// times the largest fresh result of late (since the collection before the
// last one), kept between youngCollectionBytes() and kMostFreshBytes. Each collection
// promotes to V8's old generation the wrappers it finds alive a second
// time, and those are freed only by a
// mark-compact, which V8 starts when external memory grows 64 MB past what
// the last one left. With results of several MB (the transformer example's
// logits and log_softmax, 700x1559 floats, 4.4 MB each) 1 MB meant about 20
// collections a step: the activations, alive through most of the forward
// pass, were promoted, and 17 mark-compacts came in 40 steps, their
// concurrent marking 15-20% of the step's CPU time (perf, cpu-clock
// samples). Scaled by the largest result: 5 mark-compacts in 40 steps. The
// ceiling is for results larger still: the CNN example's (up to 9.4 MB) let
// 37 MB pile up between collections, and V8's external-memory limit started
// 24 mark-compacts in 44 steps; at 16 MB, 4. Small results (the notebook's
// MLP, 100 KB at most) keep the 1 MB floor. "Of late" is two collections'
// periods, not a decaying memory: halving the largest at each collection
// let the 100 MB data set that bench/train_step.ts makes before training
// hold the bar at 16 MB through the timed steps (5 collections, 200-600 ms
// apart, where 1 MB gives one every 32 ms), and the step was 4% slower
// (454 against 474 us, medians of 6 interleaved runs beside ab085f9).
constexpr int64_t kFreshResultsPerCollection = 4;
constexpr int64_t kMostFreshBytes = int64_t{16} << 20;

void collectYoungIfDue(napi_env env) {
  ThreadTensors& tt = threadTensors();
  if (tt.freshBytes < youngCollectionBytes()) return;
  const int64_t largest = std::max(tt.largestFresh, tt.largestBefore);
  if (tt.freshBytes < std::min(kFreshResultsPerCollection * largest, kMostFreshBytes)) return;
  tt.freshBytes = 0;  // a collector that fails is not retried on every op
  napi_ref ref = addonState(env).youngCollector;
  if (!ref) return;
  napi_value fn, global, ignored;
  check(env, napi_get_reference_value(env, ref, &fn));
  check(env, napi_get_global(env, &global));
  check(env, napi_call_function(env, global, fn, 0, nullptr, &ignored));
}

TensorHolder* findHolder(napi_env env, napi_value v) {
  v8::Local<v8::Value> value = toV8(v);
  if (value.IsEmpty() || !value->IsObject()) return nullptr;
  v8::Local<v8::Object> obj = value.As<v8::Object>();
  // Only our template makes objects with exactly one internal field that
  // holds a pointer into our arena; anything else is not a tensor.
  if (obj->InternalFieldCount() != 1) return nullptr;
  void* data = holderField(obj);
  return threadTensors().arena.owns(data) ? static_cast<TensorHolder*>(data) : nullptr;
}

const at::Tensor& unwrapTensor(napi_env env, napi_value v, const std::string& what) {
  TensorHolder* h = findHolder(env, v);
  if (!h) throw JsTypeError(what + " must be a Tensor, got " + typeName(env, v));
  if (h->disposed) throw std::runtime_error(what + " is a Tensor that was disposed; it cannot be used after dispose()");
  if (inFlight(h->tensor)) throw std::runtime_error(inFlightMessage(what));
  return h->tensor;
}

std::atomic<int> asyncCallsInFlight{0};

bool storageInFlight(const at::Tensor& t) {
  if (!t.defined() || !t.has_storage()) return false;
  const auto& marks = threadTensors().inFlight;
  return !marks.empty() && marks.count(t.storage().unsafeGetStorageImpl()) != 0;
}

std::string inFlightMessage(const std::string& what) {
  return what + " is in use by an asynchronous call in flight (a TorchScript module's forward_async, a call on a "
                "torch.multiprocessing.remote() object, or a torch.distributed collective, which reads and writes it on another thread); await it before using this tensor";
}

void markInFlight(const std::vector<c10::Storage>& storages, int delta) {
  auto& marks = threadTensors().inFlight;
  for (const c10::Storage& s : storages) {
    const c10::StorageImpl* key = s.unsafeGetStorageImpl();
    auto found = marks.find(key);
    if (found == marks.end()) {
      if (delta > 0) marks.emplace(key, std::make_pair(delta, s));
      continue;
    }
    found->second.first += delta;
    if (found->second.first <= 0) marks.erase(found);
  }
}

namespace {

// lib/native.ts passes the function that runs a young collection (V8 has
// no public call for one), or null to stop asking for them.
napi_value jsSetYoungCollector(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    napi_value fn = args.empty() ? nullptr : args[0];
    bool isFunction = fn && typeOf(env, fn) == napi_function;
    if (fn && !isFunction && !isNullish(env, fn)) throw JsTypeError("setYoungCollector() expects a function or null");
    AddonState& state = addonState(env);
    if (state.youngCollector) {
      check(env, napi_delete_reference(env, state.youngCollector));
      state.youngCollector = nullptr;
    }
    if (isFunction) check(env, napi_create_reference(env, fn, 1, &state.youngCollector));
    return makeUndefined(env);
  });
}

napi_value jsDispose(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    TensorHolder* h = args.empty() ? nullptr : findHolder(env, args[0]);
    if (!h) throw JsTypeError("dispose() expects a Tensor");
    if (!h->disposed) release(threadTensors(), v8::Isolate::GetCurrent(), h);
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

// externalBytes(): what this thread's tensors have told V8 they hold, as a
// number; process.memoryUsage() does not show it on every Node.
napi_value jsExternalBytes(napi_env env, napi_callback_info) {
  return guard(env, [&]() -> napi_value { return makeNumber(env, static_cast<double>(threadTensors().externalBytes)); });
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

// The storage under a view and where the view starts in it, for the op
// guards that check a view asked for by sizes, strides and offset (set_)
// against the memory it would read: libtorch checks some of these only when
// it has to grow the storage.
napi_value jsStorageNbytes(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    const at::Tensor& t = selfArg(env, CallArgs(env, info));
    return makeInt(env, t.has_storage() ? static_cast<int64_t>(t.storage().nbytes()) : 0);
  });
}

napi_value jsStorageOffset(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeInt(env, selfArg(env, CallArgs(env, info)).storage_offset()); });
}

napi_value jsElementSize(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeInt(env, static_cast<int64_t>(selfArg(env, CallArgs(env, info)).element_size())); });
}

napi_value jsIsContiguous(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeBool(env, selfArg(env, CallArgs(env, info)).is_contiguous()); });
}

napi_value jsDim(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeInt(env, selfArg(env, CallArgs(env, info)).dim()); });
}

napi_value jsNumel(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeInt(env, selfArg(env, CallArgs(env, info)).numel()); });
}

// An address as a JS number: exact, as user-space addresses stay below 2^53.
napi_value jsDataPtr(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    const at::Tensor& t = selfArg(env, CallArgs(env, info));
    return makeNumber(env, static_cast<double>(reinterpret_cast<uintptr_t>(t.data_ptr())));
  });
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
    auto& scopes = threadTensors().scopes;
    scopes.push_back(std::make_unique<Scope>());
    return makeInt(env, static_cast<int64_t>(scopes.size()));
  });
}

napi_value jsScopeExit(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2) throw JsTypeError("scopeExit(depth, keep) needs two arguments");
    int64_t depth = toInt64(env, args[0], "scope depth");
    ThreadTensors& tt = threadTensors();
    if (depth != static_cast<int64_t>(tt.scopes.size()) || depth == 0) {
      throw std::runtime_error("torch.scope: scopes must close in the order they opened");
    }
    std::unordered_set<TensorHolder*> keep;
    for (napi_value v : toArray(env, args[1], "keep")) {
      if (TensorHolder* h = findHolder(env, v)) keep.insert(h);
    }
    std::unique_ptr<Scope> scope = std::move(tt.scopes.back());
    tt.scopes.pop_back();
    Scope* parent = tt.scopes.empty() ? nullptr : tt.scopes.back().get();
    for (TensorHolder* h : scope->holders) {
      if (h->collected) {
        tt.arena.destroy(h);
        continue;
      }
      if (keep.count(h)) {
        h->scope = parent;
        if (parent) parent->holders.push_back(h);
        continue;
      }
      h->scope = nullptr;
      if (!h->disposed) release(tt, v8::Isolate::GetCurrent(), h);
    }
    return makeUndefined(env);
  });
}

// scopeKeep(t): takes a tensor out of the scope it was made in, for state
// that outlives a step (an optimizer's moments) made inside torch.scope().
napi_value jsScopeKeep(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    TensorHolder* h = args.empty() ? nullptr : findHolder(env, args[0]);
    if (!h) throw JsTypeError("keep() expects a Tensor");
    if (Scope* scope = h->scope) {
      auto& list = scope->holders;
      list.erase(std::remove(list.begin(), list.end(), h), list.end());
      h->scope = nullptr;
    }
    return args[0];
  });
}

// markTensorsWith(mark): calls mark(o) once, on the instance every tensor
// wrapper is cloned from, so that what mark sets on it (worker_threads'
// markAsUncloneable: a private symbol) every tensor has, at no cost per
// tensor. Node 22 and later serialize an object with internal fields as a
// plain object (a tensor posted to a worker arrived as {}); marked, it is
// refused with a DataCloneError, as Node 20 refuses it by itself.
napi_value jsMarkTensorsWith(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty() || typeOf(env, args[0]) != napi_function) throw JsTypeError("markTensorsWith() expects a function");
    v8::Isolate* isolate = v8::Isolate::GetCurrent();
    napi_value boilerplate = toNapi(addonState(env).tensorBoilerplate.Get(isolate));
    napi_value global, ignored;
    check(env, napi_get_global(env, &global));
    check(env, napi_call_function(env, global, args[0], 1, &boilerplate, &ignored));
    return makeUndefined(env);
  });
}

// markInFlight(tensors) -> a mark number: the storages of tensors marked as
// in use by a call on another thread, for this thread's ops to refuse
// (inFlight above) until unmarkInFlight(that number). lib/multiprocessing/
// remote.ts marks what it shared with a worker thread for as long as a call
// there runs. The mark holds the storages themselves, not the tensors, so a
// tensor disposed meanwhile is still unmarked, and its storage's address is
// not reused (and taken for the marked one) before then.
napi_value jsMarkInFlight(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("markInFlight(tensors) needs a tensor list");
    std::vector<c10::Storage> storages;
    for (napi_value v : toArray(env, args[0], "markInFlight(): tensors")) {
      TensorHolder* h = findHolder(env, v);
      if (!h) throw JsTypeError(std::string("markInFlight(): tensors must hold only Tensors, got ") + typeName(env, v));
      if (!h->disposed && h->tensor.defined() && h->tensor.has_storage()) storages.push_back(h->tensor.storage());
    }
    ThreadTensors& tt = threadTensors();
    uint32_t mark = tt.nextJsMark++;
    if (tt.nextJsMark == 0) tt.nextJsMark = 1;
    markInFlight(storages, +1);
    tt.jsMarks.emplace(mark, std::move(storages));
    asyncCallsInFlight.fetch_add(1, std::memory_order_relaxed);
    return makeInt(env, mark);
  });
}

// unmarkInFlight(mark): ends what markInFlight(tensors) gave that number.
napi_value jsUnmarkInFlight(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    int64_t mark = args.empty() ? 0 : toInt64(env, args[0], "unmarkInFlight(): mark");
    ThreadTensors& tt = threadTensors();
    auto found = tt.jsMarks.find(static_cast<uint32_t>(mark));
    if (mark <= 0 || found == tt.jsMarks.end()) throw JsRangeError("unmarkInFlight(): no mark " + std::to_string(mark) + " is set");
    markInFlight(found->second, -1);
    tt.jsMarks.erase(found);
    asyncCallsInFlight.fetch_sub(1, std::memory_order_relaxed);
    return makeUndefined(env);
  });
}

}  // namespace

void registerTensor(napi_env env, napi_value exports) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::FunctionTemplate> tmpl = v8::FunctionTemplate::New(isolate, refuseConstruction);
  tmpl->SetClassName(v8::String::NewFromUtf8Literal(isolate, "Tensor"));
  tmpl->InstanceTemplate()->SetInternalFieldCount(1);
  v8::Local<v8::Function> ctor = tmpl->GetFunction(isolate->GetCurrentContext()).ToLocalChecked();
  AddonState& state = addonState(env);
  state.tensorTemplate.Reset(isolate, tmpl);
  v8::Local<v8::Object> boilerplate;
  if (!tmpl->InstanceTemplate()->NewInstance(isolate->GetCurrentContext()).ToLocal(&boilerplate)) {
    throw std::runtime_error("could not make the Tensor boilerplate");
  }
  setHolderField(boilerplate, nullptr);
  state.tensorBoilerplate.Reset(isolate, boilerplate);
  check(env, napi_add_env_cleanup_hook(env, freeAllHolders, nullptr));
  isolate->AddGCEpilogueCallback(onGcEpilogue, nullptr, v8::kGCTypeAll);
  check(env, napi_add_env_cleanup_hook(env, removeGcEpilogue, isolate));
  setProperty(env, exports, "Tensor", toNapi(ctor));
  exportFunction(env, exports, "dispose", jsDispose);
  exportFunction(env, exports, "isDisposed", jsIsDisposed);
  exportFunction(env, exports, "isTensor", jsIsTensor);
  exportFunction(env, exports, "externalBytes", jsExternalBytes);
  exportFunction(env, exports, "shape", jsShape);
  exportFunction(env, exports, "strides", jsStrides);
  exportFunction(env, exports, "storageNbytes", jsStorageNbytes);
  exportFunction(env, exports, "storageOffset", jsStorageOffset);
  exportFunction(env, exports, "elementSize", jsElementSize);
  exportFunction(env, exports, "isContiguous", jsIsContiguous);
  exportFunction(env, exports, "dim", jsDim);
  exportFunction(env, exports, "numel", jsNumel);
  exportFunction(env, exports, "dataPtr", jsDataPtr);
  exportFunction(env, exports, "scalarType", jsScalarType);
  exportFunction(env, exports, "device", jsDevice);
  exportFunction(env, exports, "layout", jsLayout);
  exportFunction(env, exports, "scopeEnter", jsScopeEnter);
  exportFunction(env, exports, "scopeExit", jsScopeExit);
  exportFunction(env, exports, "scopeKeep", jsScopeKeep);
  exportFunction(env, exports, "setYoungCollector", jsSetYoungCollector);
  exportFunction(env, exports, "markTensorsWith", jsMarkTensorsWith);
  exportFunction(env, exports, "markInFlight", jsMarkInFlight);
  exportFunction(env, exports, "unmarkInFlight", jsUnmarkInFlight);
}

}  // namespace torchts
