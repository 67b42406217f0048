// The boundary between Node-API and libtorch: status checks, argument
// reading, and the one place where C++ exceptions become JS errors.
#pragma once

// Basic finalizers run inside V8's GC only for modules that declare the
// experimental Node-API version; a training loop never yields to the event
// loop, so deferred finalizers would free nothing (DESIGN.md, "Memory").
// Older headers derive the version from NAPI_EXPERIMENTAL, newer ones
// (node-api-headers, used by cmake-js) need it set outright.
#ifndef NAPI_EXPERIMENTAL
#define NAPI_EXPERIMENTAL
#endif
#ifndef NAPI_VERSION
#define NAPI_VERSION 2147483647
#endif
#include <node_api.h>
#include <v8.h>

static_assert(NAPI_VERSION == NAPI_VERSION_EXPERIMENTAL,
              "torchts must declare the experimental Node-API version so that finalizers run inside GC");

#include <c10/util/Exception.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace torchts {

// A wrong JS argument; thrown to JS as a TypeError.
struct JsTypeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A value out of the range torchts accepts; thrown to JS as a RangeError.
struct JsRangeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// How deeply nested a value may be to cross between JS and C++. The
// conversions recurse once per level on the native stack, and a deep enough
// array (200,000 levels) overflowed it: a worker thread has 4 MB of stack,
// and each level costs a few hundred bytes. 1000 is Python's own default
// recursion limit, so no value a Python model is ever given is deeper.
constexpr int kMaxNestingDepth = 1000;

// A JS exception is already pending in the env; unwind without adding one.
struct JsPending {};

inline void check(napi_env env, napi_status status) {
  if (status == napi_ok) return;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) throw JsPending{};
  const napi_extended_error_info* info = nullptr;
  napi_get_last_error_info(env, &info);
  throw std::runtime_error(std::string("Node-API call failed: ") +
                           (info && info->error_message ? info->error_message : "unknown error"));
}

inline void throwJs(napi_env env, const char* kind, const std::string& message) {
  napi_value msg, err;
  napi_create_string_utf8(env, message.data(), message.size(), &msg);
  if (std::string(kind) == "TypeError") {
    napi_create_type_error(env, nullptr, msg, &err);
  } else if (std::string(kind) == "RangeError") {
    napi_create_range_error(env, nullptr, msg, &err);
  } else {
    napi_create_error(env, nullptr, msg, &err);
  }
  napi_throw(env, err);
}

// Runs body, turning every C++ exception into a JS exception so that nothing
// a user passes can take the process down. libtorch's messages keep their
// text but lose the C++ backtrace, as Python shows them.
template <typename Body>
napi_value guard(napi_env env, Body&& body) {
  try {
    return body();
  } catch (const JsPending&) {
  } catch (const JsTypeError& e) {
    throwJs(env, "TypeError", e.what());
  } catch (const JsRangeError& e) {
    throwJs(env, "RangeError", e.what());
  } catch (const c10::IndexError& e) {
    throwJs(env, "RangeError", e.what_without_backtrace());
  } catch (const c10::TypeError& e) {
    throwJs(env, "TypeError", e.what_without_backtrace());
  } catch (const c10::Error& e) {
    throwJs(env, "Error", e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    throwJs(env, "RangeError", "out of memory: the allocation was refused");
  } catch (const std::exception& e) {
    throwJs(env, "Error", e.what());
  } catch (...) {
    throwJs(env, "Error", "unknown C++ exception in torchts");
  }
  return nullptr;
}

// A callback's arguments, without a heap allocation for the usual few.
class CallArgs {
 public:
  CallArgs(napi_env env, napi_callback_info info) {
    size_t argc = kInline;
    check(env, napi_get_cb_info(env, info, &argc, inline_, &self, nullptr));
    count_ = argc;
    if (argc > kInline) {
      overflow_.resize(argc);
      check(env, napi_get_cb_info(env, info, &argc, overflow_.data(), nullptr, nullptr));
    }
  }

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  napi_value operator[](size_t i) const { return overflow_.empty() ? inline_[i] : overflow_[i]; }

  napi_value self = nullptr;

 private:
  static constexpr size_t kInline = 12;
  napi_value inline_[kInline];
  size_t count_ = 0;
  std::vector<napi_value> overflow_;
};

// What a value being read is called in error messages: a string, or a
// callable that builds one, so that the op call's hot path formats nothing
// unless it throws.
template <typename What>
std::string describe(const What& what) {
  if constexpr (std::is_invocable_v<const What&>) {
    return what();
  } else {
    return std::string(what);
  }
}

// Node-API's napi_value is V8's Local<Value> in disguise (Node converts
// between them this way itself). The op call reads its arguments through V8
// directly where Node-API adds a call, an error slot and a scope check to
// each read: about a tenth of the cost of a small op.
inline v8::Local<v8::Value> toV8(napi_value v) {
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void*>(&local), &v, sizeof(v));
  return local;
}

inline napi_value toNapi(v8::Local<v8::Value> local) { return reinterpret_cast<napi_value>(*local); }

// napi_typeof's answer, asked in the order the op call's values usually come
// (objects, then numbers) instead of napi_typeof's fixed order, which tries
// five types before it reaches "object".
inline napi_valuetype typeOf(napi_env, napi_value v) {
  v8::Local<v8::Value> x = toV8(v);
  if (x->IsObject()) {
    if (x->IsFunction()) return napi_function;
    if (x->IsExternal()) return napi_external;
    return napi_object;
  }
  if (x->IsNumber()) return napi_number;
  if (x->IsUndefined()) return napi_undefined;
  if (x->IsNull()) return napi_null;
  if (x->IsBoolean()) return napi_boolean;
  if (x->IsString()) return napi_string;
  if (x->IsBigInt()) return napi_bigint;
  if (x->IsSymbol()) return napi_symbol;
  if (x->IsExternal()) return napi_external;
  throw std::runtime_error("a value of no JavaScript type reached torchts");
}

inline bool isArray(napi_env, napi_value v) { return toV8(v)->IsArray(); }

inline const char* typeName(napi_env env, napi_value v) {
  switch (typeOf(env, v)) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_object: return isArray(env, v) ? "array" : "object";
    case napi_function: return "function";
    case napi_external: return "external";
    case napi_bigint: return "bigint";
  }
  return "value";
}

inline bool isNullish(napi_env env, napi_value v) {
  if (v == nullptr) return true;
  napi_valuetype t = typeOf(env, v);
  return t == napi_undefined || t == napi_null;
}

template <typename What>
std::string toString(napi_env env, napi_value v, const What& what) {
  if (typeOf(env, v) != napi_string) throw JsTypeError(describe(what) + " must be a string, got " + typeName(env, v));
  size_t len = 0;
  check(env, napi_get_value_string_utf8(env, v, nullptr, 0, &len));
  std::string s(len, '\0');
  check(env, napi_get_value_string_utf8(env, v, s.data(), len + 1, &len));
  return s;
}

template <typename What>
bool toBool(napi_env env, napi_value v, const What& what) {
  if (typeOf(env, v) != napi_boolean) throw JsTypeError(describe(what) + " must be a boolean, got " + typeName(env, v));
  return toV8(v).As<v8::Boolean>()->Value();
}

template <typename What>
double toDouble(napi_env env, napi_value v, const What& what) {
  napi_valuetype t = typeOf(env, v);
  if (t == napi_number) return toV8(v).As<v8::Number>()->Value();
  if (t == napi_boolean) return toBool(env, v, what) ? 1.0 : 0.0;
  throw JsTypeError(describe(what) + " must be a number, got " + typeName(env, v));
}

// Integers cross as JS numbers (exact up to 2^53) or BigInts.
template <typename What>
int64_t toInt64(napi_env env, napi_value v, const What& what) {
  napi_valuetype t = typeOf(env, v);
  if (t == napi_bigint) {
    int64_t i;
    bool lossless;
    check(env, napi_get_value_bigint_int64(env, v, &i, &lossless));
    if (!lossless) throw JsTypeError(describe(what) + " does not fit in a 64-bit integer");
    return i;
  }
  if (t == napi_boolean) return toBool(env, v, what) ? 1 : 0;
  if (t != napi_number) throw JsTypeError(describe(what) + " must be an integer, got " + typeName(env, v));
  double d = toV8(v).As<v8::Number>()->Value();
  if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) > 9007199254740992.0) {
    throw JsTypeError(describe(what) + " is beyond 2^53, where JS numbers stop being exact integers; pass a BigInt");
  }
  if (!std::isfinite(d) || std::trunc(d) != d) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", d);
    throw JsTypeError(describe(what) + " must be an integer, got " + buf);
  }
  return static_cast<int64_t>(d);
}

template <typename What>
std::vector<napi_value> toArray(napi_env env, napi_value v, const What& what) {
  if (typeOf(env, v) != napi_object || !isArray(env, v)) {
    throw JsTypeError(describe(what) + " must be an array, got " + typeName(env, v));
  }
  v8::Local<v8::Array> array = toV8(v).As<v8::Array>();
  v8::Local<v8::Context> context = v8::Isolate::GetCurrent()->GetCurrentContext();
  uint32_t n = array->Length();
  std::vector<napi_value> out(n);
  for (uint32_t i = 0; i < n; ++i) {
    v8::Local<v8::Value> item;
    // A getter on the array may throw; the exception is then pending.
    if (!array->Get(context, i).ToLocal(&item)) throw JsPending{};
    out[i] = toNapi(item);
  }
  return out;
}

inline napi_value makeNumber(napi_env env, double d) {
  napi_value v;
  check(env, napi_create_double(env, d, &v));
  return v;
}

inline napi_value makeInt(napi_env env, int64_t i) {
  napi_value v;
  check(env, napi_create_int64(env, i, &v));
  return v;
}

inline napi_value makeBool(napi_env env, bool b) {
  napi_value v;
  check(env, napi_get_boolean(env, b, &v));
  return v;
}

inline napi_value makeString(napi_env env, const std::string& s) {
  napi_value v;
  check(env, napi_create_string_utf8(env, s.data(), s.size(), &v));
  return v;
}

inline napi_value makeNull(napi_env env) {
  napi_value v;
  check(env, napi_get_null(env, &v));
  return v;
}

inline napi_value makeUndefined(napi_env env) {
  napi_value v;
  check(env, napi_get_undefined(env, &v));
  return v;
}

inline napi_value makeArray(napi_env env, const std::vector<napi_value>& items) {
  napi_value arr;
  check(env, napi_create_array_with_length(env, items.size(), &arr));
  for (size_t i = 0; i < items.size(); ++i) check(env, napi_set_element(env, arr, i, items[i]));
  return arr;
}

inline void setProperty(napi_env env, napi_value obj, const char* key, napi_value value) {
  check(env, napi_set_named_property(env, obj, key, value));
}

// A new, empty object of class TorchtsHandle (addon.cc): not a plain
// object, so that a handle given where a tensor goes is never read as an
// options object of keywords.
napi_value newHandleObject(napi_env env);

// Opaque handles (generators, TorchScript modules): a TorchtsHandle object
// owning a T, freed inside GC, and tagged so that only handles of that kind
// unwrap.
template <typename T>
napi_value wrapHandle(napi_env env, T* holder, const napi_type_tag& tag) {
  napi_value obj = nullptr;
  napi_status st = napi_ok;
  try {
    obj = newHandleObject(env);
  } catch (...) {
    delete holder;
    throw;
  }
  if (st == napi_ok) {
    st = napi_wrap(env, obj, holder, [](node_api_basic_env, void* data, void*) { delete static_cast<T*>(data); }, nullptr, nullptr);
  }
  if (st != napi_ok) {
    delete holder;
    check(env, st);
  }
  check(env, napi_type_tag_object(env, obj, &tag));
  return obj;
}

template <typename T>
T* findHandle(napi_env env, napi_value v, const napi_type_tag& tag) {
  if (typeOf(env, v) != napi_object) return nullptr;
  bool tagged = false;
  check(env, napi_check_object_type_tag(env, v, &tag, &tagged));
  if (!tagged) return nullptr;
  void* data = nullptr;
  check(env, napi_unwrap(env, v, &data));
  return static_cast<T*>(data);
}

using Method = napi_value (*)(napi_env, napi_callback_info);

inline void exportFunction(napi_env env, napi_value exports, const char* name, Method fn) {
  napi_value f;
  check(env, napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f));
  setProperty(env, exports, name, f);
}

}  // namespace torchts
