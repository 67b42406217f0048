// Raw data in and out: one memcpy each way between a TypedArray and a
// tensor's storage, so no JS loop ever touches elements one by one.
#include "tensor.h"

#include <cstring>

namespace torchts {

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
    size_t bytes = static_cast<size_t>(c.numel()) * c.element_size();
    void* out = nullptr;
    napi_value buffer;
    check(env, napi_create_arraybuffer(env, bytes, &out, &buffer));
    if (bytes) std::memcpy(out, c.data_ptr(), bytes);
    return buffer;
  });
}

}  // namespace

void registerData(napi_env env, napi_value exports) {
  exportFunction(env, exports, "fromBuffer", jsFromBuffer);
  exportFunction(env, exports, "toBuffer", jsToBuffer);
}

}  // namespace torchts
