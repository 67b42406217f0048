// Raw data in and out: one memcpy each way between a TypedArray and a
// tensor's storage, so no JS loop ever touches elements one by one.
#include "tensor.h"

#include <ATen/ops/from_blob.h>

#include <cstring>
#include <memory>

namespace torchts {

// The context of a storage over JS memory: the V8 backing store it points
// into, held as V8 itself holds it (a shared_ptr), not through the JS object.
// Releasing it touches no JS, so it is safe wherever libtorch frees the
// storage: inside a GC weak callback (tensor.cc's onCollected), at a worker's
// teardown, or on another thread (V8 frees backing stores off the main
// thread itself). A detach (postMessage transfer, ArrayBuffer.prototype.
// transfer) moves the JS object's reference, not this one, so the memory
// outlives it.
void releaseSharedBuffer(void* ctx) { delete static_cast<std::shared_ptr<v8::BackingStore>*>(ctx); }

namespace {

std::vector<int64_t> toShape(napi_env env, napi_value v) {
  std::vector<int64_t> shape;
  std::vector<napi_value> items = toArray(env, v, "shape");
  for (size_t i = 0; i < items.size(); ++i) {
    int64_t d = toInt64(env, items[i], "shape[" + std::to_string(i) + "]");
    if (d < 0) throw JsTypeError("shape[" + std::to_string(i) + "] must be non-negative, got " + std::to_string(d));
    shape.push_back(d);
  }
  return shape;
}

// fromBuffer(view, shape, dtype): a new CPU tensor holding a copy of the
// view's bytes, which must be exactly numel * itemsize long.
napi_value jsFromBuffer(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 3) throw JsTypeError("fromBuffer(view, shape, dtype) takes 3 arguments");
    void* data = nullptr;
    size_t byteLength = 0;
    bool isTyped = false, isDataView = false;
    check(env, napi_is_typedarray(env, args[0], &isTyped));
    if (isTyped) {
      napi_typedarray_type type;
      size_t length;
      napi_value buffer;
      size_t offset;
      check(env, napi_get_typedarray_info(env, args[0], &type, &length, &data, &buffer, &offset));
      size_t itemBytes = 1;
      switch (type) {
        case napi_int16_array: case napi_uint16_array: itemBytes = 2; break;
        case napi_int32_array: case napi_uint32_array: case napi_float32_array: itemBytes = 4; break;
        case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: itemBytes = 8; break;
        default: itemBytes = 1;
      }
      byteLength = length * itemBytes;
    } else {
      check(env, napi_is_dataview(env, args[0], &isDataView));
      if (!isDataView) throw JsTypeError("fromBuffer: data must be a TypedArray, got " + std::string(typeName(env, args[0])));
      napi_value buffer;
      size_t offset;
      check(env, napi_get_dataview_info(env, args[0], &byteLength, &data, &buffer, &offset));
    }
    std::vector<int64_t> shape = toShape(env, args[1]);
    const char* dtypeArg = "fromBuffer: argument 'dtype'";
    at::ScalarType dtype = scalarTypeFromCode(toInt64(env, args[2], dtypeArg), dtypeArg);
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dtype));
    size_t need = static_cast<size_t>(t.numel()) * t.element_size();
    if (need != byteLength) {
      throw JsTypeError("fromBuffer: " + std::to_string(byteLength) + " bytes of data do not fill shape " +
                        c10::str(t.sizes()) + " of " + c10::toString(dtype) + ", which needs " +
                        std::to_string(need));
    }
    if (need) std::memcpy(t.data_ptr(), data, need);
    return wrapTensor(env, std::move(t));
  });
}

// toBuffer(tensor): an ArrayBuffer with the tensor's elements in row-major
// order, copied from whatever device and layout it has.
napi_value jsToBuffer(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("toBuffer(tensor) takes a Tensor");
    const at::Tensor& t = unwrapTensor(env, args[0], "self");
    at::Tensor c = t.detach();
    if (c.is_sparse()) c = c.to_dense();
    c = c.resolve_conj().resolve_neg().to(at::kCPU).contiguous();
    // A ZeroTensor (what 1.13's backward formulas return for a gradient
    // known to be zero, at::_efficientzerotensor) has no storage at all:
    // its zeros exist only in the dispatcher's kernels.
    if (c._is_zerotensor()) c = at::zeros(c.sizes(), c.options());
    size_t bytes = static_cast<size_t>(c.numel()) * c.element_size();
    if (bytes && (!c.has_storage() || c.data_ptr() == nullptr)) {
      throw std::runtime_error("toBuffer: this tensor has no data in memory to read (" + std::string(c.toString()) + ")");
    }
    void* out = nullptr;
    napi_value buffer;
    check(env, napi_create_arraybuffer(env, bytes, &out, &buffer));
    if (bytes) std::memcpy(out, c.data_ptr(), bytes);
    return buffer;
  });
}

// shareBuffer(source, byteOffset, shape, dtype, fn): a CPU tensor over the
// bytes of source (an ArrayBuffer, a SharedArrayBuffer, or a view of one)
// from byteOffset on, sharing them. lib/factories.ts gives Python's checks
// and messages first; these are the ones memory safety rests on, whoever
// calls. `fn` names the caller in every message.
napi_value jsShareBuffer(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 5) throw JsTypeError("shareBuffer(source, byteOffset, shape, dtype, fn) takes 5 arguments");
    std::string fn = toString(env, args[4], "shareBuffer: fn");
    v8::Local<v8::Value> source = toV8(args[0]);
    v8::Local<v8::ArrayBuffer> buffer;
    size_t regionOffset = 0, regionLength = 0;
    bool shared = false;
    std::shared_ptr<v8::BackingStore> store;
    if (source->IsArrayBufferView()) {
      v8::Local<v8::ArrayBufferView> view = source.As<v8::ArrayBufferView>();
      buffer = view->Buffer();
      regionOffset = view->ByteOffset();
      regionLength = view->ByteLength();
      shared = buffer->IsSharedArrayBuffer();
      store = buffer->GetBackingStore();
    } else if (source->IsArrayBuffer()) {
      buffer = source.As<v8::ArrayBuffer>();
      store = buffer->GetBackingStore();
      regionLength = buffer->ByteLength();
    } else if (source->IsSharedArrayBuffer()) {
      store = source.As<v8::SharedArrayBuffer>()->GetBackingStore();
      regionLength = store->ByteLength();
      shared = true;
    } else {
      throw JsTypeError(fn + ": argument 'buffer' must be an ArrayBuffer, a SharedArrayBuffer, a TypedArray, a DataView or a Buffer, got " +
                        typeName(env, args[0]));
    }
    if (!shared && !buffer.IsEmpty() && buffer->WasDetached()) {
      throw JsTypeError(fn + ": argument 'buffer' is a detached ArrayBuffer (transferred or detached); it has no memory to share");
    }
    // A resizable ArrayBuffer can shrink, and V8 decommits the pages it gives
    // up: a tensor over them would fault. (A growable SharedArrayBuffer only
    // grows, in place, and is safe.)
    if (!shared && store->IsResizableByUserJavaScript()) {
      throw JsTypeError(fn + ": argument 'buffer' is a resizable ArrayBuffer, which can shrink under the tensor; "
                        "share a fixed-length ArrayBuffer, or copy");
    }
    int64_t byteOffset = toInt64(env, args[1], fn + ": argument 'offset'");
    std::vector<int64_t> shape = toShape(env, args[2]);
    const std::string dtypeArg = fn + ": argument 'dtype'";
    at::ScalarType dtype = scalarTypeFromCode(toInt64(env, args[3], dtypeArg), dtypeArg);
    size_t itemBytes = at::elementSize(dtype);
    uint64_t numel = 1;
    for (int64_t d : shape) {
      if (d != 0 && numel > UINT64_MAX / static_cast<uint64_t>(d)) throw JsRangeError(fn + ": shape " + c10::str(shape) + " is too large");
      numel *= static_cast<uint64_t>(d);
    }
    if (byteOffset < 0 || static_cast<uint64_t>(byteOffset) > regionLength ||
        numel > (regionLength - static_cast<uint64_t>(byteOffset)) / itemBytes) {
      throw JsRangeError(fn + ": " + std::to_string(numel) + " elements of " + c10::toString(dtype) + " (" +
                         std::to_string(itemBytes) + " bytes each) from byte offset " + std::to_string(byteOffset) +
                         " do not fit in the buffer's " + std::to_string(regionLength) + " bytes");
    }
    char* base = static_cast<char*>(store->Data());
    char* data = base ? base + regionOffset + byteOffset : nullptr;
    // libtorch's kernels read each element as its C++ type, which assumes
    // the type's alignment (the element size for every dtype torchts has).
    if (reinterpret_cast<uintptr_t>(data) % itemBytes != 0) {
      throw JsRangeError(fn + ": misaligned data: argument 'offset' (" + std::to_string(byteOffset) +
                         " bytes) and the view's own byte offset (" + std::to_string(regionOffset) +
                         ") put the first element at byte " + std::to_string(regionOffset + byteOffset) +
                         " of its ArrayBuffer, not a multiple of " + std::to_string(itemBytes) + " (the size of " +
                         c10::toString(dtype) + "); libtorch's kernels need aligned elements, so share from an "
                         "aligned offset, or copy");
    }
    alignas(16) static char empty[16];
    if (!data) data = empty;  // a zero-length buffer may have no memory at all
    auto* ctx = new std::shared_ptr<v8::BackingStore>(std::move(store));
    at::Tensor t = at::for_blob(data, shape)
                       .context(ctx, &releaseSharedBuffer)
                       .options(at::TensorOptions().dtype(dtype).device(at::kCPU))
                       .make_tensor();
    return wrapTensor(env, std::move(t));
  });
}

// The V8 backing store under a storage made over JS memory, or null.
const std::shared_ptr<v8::BackingStore>* jsBackingStore(const c10::Storage& storage) {
  if (!sharesJsMemory(storage)) return nullptr;
  return static_cast<const std::shared_ptr<v8::BackingStore>*>(storage.data_ptr().get_context());
}

// Whether a storage lies in a SharedArrayBuffer's memory, which another
// thread can map without a copy.
bool inSharedMemory(const c10::Storage& storage) {
  const std::shared_ptr<v8::BackingStore>* store = jsBackingStore(storage);
  return store != nullptr && (*store)->IsShared();
}

const at::Tensor& cpuDenseArg(napi_env env, napi_value v, const std::string& fn) {
  const at::Tensor& t = unwrapTensor(env, v, fn + ": self");
  if (!t.device().is_cpu()) {
    throw JsTypeError(fn + ": only CPU tensors can be shared between threads; got a tensor on " + t.device().str() +
                      " (move it with .cpu() first)");
  }
  if (t.layout() != at::kStrided) throw JsTypeError(fn + ": only strided (dense) tensors can be shared between threads; got a sparse tensor");
  if (!t.has_storage()) throw JsTypeError(fn + ": the tensor has no storage to share");
  return t;
}

// shareMemory(t, fn): Python's share_memory_(): moves t's storage, in place,
// into a new SharedArrayBuffer (one copy of its bytes, none when it is there
// already), so every tensor over that storage, t's views included, now reads
// and writes memory another thread can map. The storage can no longer be
// resized (Python's shared storages neither). Returns [buffer, byteOffset,
// storage bytes, scalar type, sizes, strides, storage offset, requires_grad,
// is_leaf]: a SharedArrayBuffer over that memory, where the storage starts
// in it, and the view on it.
napi_value jsShareMemory(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 2) throw JsTypeError("shareMemory(t, fn) takes 2 arguments");
    std::string fn = toString(env, args[1], "shareMemory: fn");
    // A tensor already in shared memory may be shared again while a call on
    // another thread uses it (a remote call's argument, passed twice): that
    // moves nothing and reads only its shape. Moving one in use would race.
    TensorHolder* held = findHolder(env, args[0]);
    const bool sharedInFlight = held && !held->disposed && held->tensor.defined() && held->tensor.has_storage() &&
                                inSharedMemory(held->tensor.storage()) && inFlight(held->tensor);
    const at::Tensor& t = sharedInFlight ? held->tensor : cpuDenseArg(env, args[0], fn);
    const c10::Storage& storage = t.storage();
    v8::Isolate* isolate = v8::Isolate::GetCurrent();
    if (!inSharedMemory(storage)) {
      const size_t nbytes = storage.nbytes();
      std::unique_ptr<v8::BackingStore> fresh = v8::SharedArrayBuffer::NewBackingStore(isolate, nbytes);
      if (nbytes != 0 && fresh->Data() == nullptr) throw JsRangeError(fn + ": could not allocate " + std::to_string(nbytes) + " bytes of shared memory");
      if (nbytes != 0) std::memcpy(fresh->Data(), storage.data(), nbytes);
      auto* ctx = new std::shared_ptr<v8::BackingStore>(std::move(fresh));
      alignas(16) static char empty[16];
      void* data = nbytes != 0 ? (*ctx)->Data() : empty;
      storage.set_data_ptr_noswap(c10::DataPtr(data, ctx, &releaseSharedBuffer, c10::Device(c10::kCPU)));
      storage.unsafeGetStorageImpl()->set_resizable(false);
    }
    const std::shared_ptr<v8::BackingStore>& store = *jsBackingStore(storage);
    const char* base = static_cast<const char*>(store->Data());
    const char* begin = static_cast<const char*>(storage.data());
    const int64_t byteOffset = store->ByteLength() == 0 || base == nullptr ? 0 : static_cast<int64_t>(begin - base);
    v8::Local<v8::SharedArrayBuffer> buffer = v8::SharedArrayBuffer::New(isolate, store);
    std::vector<napi_value> sizes, strides;
    for (int64_t d : t.sizes()) sizes.push_back(makeInt(env, d));
    for (int64_t d : t.strides()) strides.push_back(makeInt(env, d));
    // The view's metadata comes with the memory, read here once: on the other
    // side it is a tensor of its own over the same bytes.
    return makeArray(env, {toNapi(buffer), makeInt(env, byteOffset), makeInt(env, static_cast<int64_t>(storage.nbytes())),
                           makeInt(env, static_cast<int64_t>(t.scalar_type())), makeArray(env, sizes), makeArray(env, strides),
                           makeInt(env, t.storage_offset()), makeBool(env, t.requires_grad()), makeBool(env, t.is_leaf())});
  });
}

// isShared(t): whether t's storage lies in a SharedArrayBuffer's memory.
napi_value jsIsShared(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 1) throw JsTypeError("isShared(t) takes 1 argument");
    const at::Tensor& t = unwrapTensor(env, args[0], "is_shared(): self");
    return makeBool(env, t.device().is_cpu() && t.layout() == at::kStrided && t.has_storage() && inSharedMemory(t.storage()));
  });
}

}  // namespace

void registerData(napi_env env, napi_value exports) {
  exportFunction(env, exports, "shareMemory", jsShareMemory);
  exportFunction(env, exports, "isShared", jsIsShared);
  exportFunction(env, exports, "fromBuffer", jsFromBuffer);
  exportFunction(env, exports, "toBuffer", jsToBuffer);
  exportFunction(env, exports, "shareBuffer", jsShareBuffer);
}

}  // namespace torchts
