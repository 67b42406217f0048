// The zip container torch.save writes (caffe2::serialize's
// PyTorchStreamReader/Writer, the same code Python uses). Records go in and
// out as bytes; the pickle inside is read and written by lib/serialization.
#include "file_writer.h"
#include "tensor.h"

#include <caffe2/serialize/inline_container.h>

#include <cstring>

namespace torchts {

namespace {

// zipReadAll(path) -> [[name, ArrayBuffer], ...]; names relative to the archive folder.
napi_value jsZipReadAll(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 1) throw JsTypeError("zipReadAll(path) takes a path");
    std::string path = toString(env, args[0], "path");
    caffe2::serialize::PyTorchStreamReader reader(path);
    std::vector<napi_value> entries;
    for (const std::string& name : reader.getAllRecords()) {
      at::DataPtr data;
      size_t size;
      std::tie(data, size) = reader.getRecord(name);
      void* out = nullptr;
      napi_value buffer;
      check(env, napi_create_arraybuffer(env, size, &out, &buffer));
      if (size) std::memcpy(out, data.get(), size);
      entries.push_back(makeArray(env, {makeString(env, name), buffer}));
    }
    return makeArray(env, entries);
  });
}

// zipWrite(path, [[name, TypedArray], ...]): records in order, then the version record.
napi_value jsZipWrite(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 2) throw JsTypeError("zipWrite(path, records) takes a path and a list of records");
    std::string path = toString(env, args[0], "path");
    std::vector<napi_value> records = toArray(env, args[1], "records");
    CheckedFileWriter file(path);
    caffe2::serialize::PyTorchStreamWriter writer([&file](const void* data, size_t n) { return file.write(data, n); });
    for (size_t i = 0; i < records.size(); ++i) {
      std::vector<napi_value> pair = toArray(env, records[i], "records[" + std::to_string(i) + "]");
      if (pair.size() != 2) throw JsTypeError("each record is [name, bytes]");
      std::string name = toString(env, pair[0], "record name");
      bool isTyped = false;
      check(env, napi_is_typedarray(env, pair[1], &isTyped));
      if (!isTyped) throw JsTypeError("record " + name + ": bytes must be a Uint8Array");
      napi_typedarray_type type;
      size_t length, offset;
      void* data;
      napi_value ab;
      check(env, napi_get_typedarray_info(env, pair[1], &type, &length, &data, &ab, &offset));
      if (type != napi_uint8_array) throw JsTypeError("record " + name + ": bytes must be a Uint8Array");
      writer.writeRecord(name, data, length);
    }
    writer.writeEndOfFile();
    file.commit();
    return makeUndefined(env);
  });
}

}  // namespace

void registerSerialize(napi_env env, napi_value exports) {
  exportFunction(env, exports, "zipReadAll", jsZipReadAll);
  exportFunction(env, exports, "zipWrite", jsZipWrite);
}

}  // namespace torchts
