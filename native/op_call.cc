// The generic operator call: any ATen operator, found once by its schema name
// and then called through the dispatcher's boxed path with IValues converted
// from JS by the schema's argument types. No PyTorch semantics live here.
#include "addon_state.h"
#include "cuda.h"
#include "generator.h"
#include "warnings.h"
#include "tensor.h"

#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/function_schema.h>
#include <ATen/ScalarOps.h>

#include <c10/util/SmallVector.h>

#include <cmath>

namespace torchts {

namespace {

enum class Kind {
  Tensor, TensorList, OptionalTensorList, Int, IntList, Float, FloatList, Bool, BoolList,
  Scalar, ScalarList, ScalarType, Layout, MemoryFormat, Device, String, Generator, Unsupported
};

struct ArgPlan {
  std::string name;
  Kind kind = Kind::Unsupported;
  bool optional = false;
  c10::optional<int32_t> fixedLength;  // int[2] accepts one int for both
  c10::optional<c10::IValue> defaultValue;
  std::string typeText;
  bool emptyMeansDefault = false;  // an int[N] whose default is [] (pooling strides)
  // Tensor(a!): the operator writes into it, so a number made into a
  // temporary tensor would be meaningless (and some kernels crash on one).
  bool written = false;
  // A factory's `pin_memory`: true needs CUDA (requirePinnedMemory).
  bool pinsMemory = false;
};

Kind kindOf(const c10::TypePtr& type) {
  using c10::TypeKind;
  switch (type->kind()) {
    case TypeKind::TensorType: return Kind::Tensor;
    case TypeKind::IntType: case TypeKind::SymIntType: return Kind::Int;
    case TypeKind::FloatType: return Kind::Float;
    case TypeKind::BoolType: return Kind::Bool;
    case TypeKind::NumberType: return Kind::Scalar;
    case TypeKind::ScalarTypeType: return Kind::ScalarType;
    case TypeKind::LayoutType: return Kind::Layout;
    case TypeKind::MemoryFormatType: return Kind::MemoryFormat;
    case TypeKind::DeviceObjType: return Kind::Device;
    case TypeKind::StringType: return Kind::String;
    case TypeKind::GeneratorType: return Kind::Generator;
    case TypeKind::ListType: {
      const c10::TypePtr& elem = type->castRaw<c10::ListType>()->getElementType();
      switch (elem->kind()) {
        case TypeKind::TensorType: return Kind::TensorList;
        case TypeKind::IntType: case TypeKind::SymIntType: return Kind::IntList;
        case TypeKind::FloatType: return Kind::FloatList;
        case TypeKind::BoolType: return Kind::BoolList;
        case TypeKind::NumberType: return Kind::ScalarList;
        case TypeKind::OptionalType:
          if (elem->castRaw<c10::OptionalType>()->getElementType()->kind() == TypeKind::TensorType) {
            return Kind::OptionalTensorList;
          }
          return Kind::Unsupported;
        default: return Kind::Unsupported;
      }
    }
    default: return Kind::Unsupported;
  }
}

}  // namespace

struct OpEntry {
  c10::OperatorHandle handle;
  std::string displayName;
  bool pinsMemory = false;  // aten::pin_memory and _pin_memory, which need CUDA
  std::vector<ArgPlan> args;
  // A factory as Python's torch.* calls it (torch/csrc/autograd/generated/
  // variable_factories.h): below autograd and ADInplaceOrView, so the
  // fill_/zero_ a factory runs inside leaves its result at version 0.
  bool factory = false;
  explicit OpEntry(c10::OperatorHandle h) : handle(std::move(h)) {}
};

AddonState::AddonState() = default;
AddonState::~AddonState() = default;

namespace {

// The tensors an op was given, with their JS objects.
using Inputs = c10::SmallVector<std::pair<c10::TensorImpl*, napi_value>, 8>;

// Converting one JS value to an IValue. `inputs` collects the tensors passed
// in, so that a result that is one of them (in-place ops, out=, a no-op
// .contiguous()) comes back as the very same JS object, as in Python.
struct Converter {
  napi_env env;
  const OpEntry& op;
  Inputs inputs;

  std::string where(const ArgPlan& a) const { return op.displayName + ": argument '" + a.name + "'"; }

  // where(a) and item(a, i), built only if a message needs them.
  auto whereOf(const ArgPlan& a) const {
    return [this, &a] { return where(a); };
  }
  auto itemOf(const ArgPlan& a, size_t i) const {
    return [this, &a, i] { return item(a, i); };
  }

  [[noreturn]] void wrongType(const ArgPlan& a, napi_value v) const {
    throw JsTypeError(where(a) + " must be " + a.typeText + ", got " + typeName(env, v));
  }

  // `what` names the value and `expected` its type, for messages only.
  template <typename What>
  at::Tensor tensor(const ArgPlan& a, napi_value v, bool acceptNumber, const What& what, const char* expected) {
    if (TensorHolder* h = findHolder(env, v)) {
      if (h->disposed) throw std::runtime_error(describe(what) + " is a Tensor that was disposed; it cannot be used after dispose()");
      if (inFlight(h->tensor)) throw std::runtime_error(inFlightMessage(describe(what)));
      inputs.emplace_back(h->tensor.unsafeGetTensorImpl(), v);
      return h->tensor;
    }
    napi_valuetype t = typeOf(env, v);
    if (acceptNumber && (t == napi_number || t == napi_boolean || t == napi_bigint)) {
      // Python's argument parser turns a number given for a Tensor into a
      // 0-dim "wrapped number", which type promotion treats as a scalar.
      at::Tensor w = c10::scalar_to_tensor(scalar(a, v));
      w.unsafeGetTensorImpl()->set_wrapped_number(true);
      return w;
    }
    throw JsTypeError(describe(what) + " must be " + (expected ? std::string(expected) : a.typeText) + ", got " + typeName(env, v));
  }

  at::Scalar scalar(const ArgPlan& a, napi_value v) {
    switch (typeOf(env, v)) {
      case napi_boolean: return at::Scalar(toBool(env, v, whereOf(a)));
      case napi_bigint: return at::Scalar(toInt64(env, v, whereOf(a)));
      case napi_number: {
        double d = toDouble(env, v, whereOf(a));
        // A JS number with no fractional part stands for a Python int.
        if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= 9007199254740992.0) {
          return at::Scalar(static_cast<int64_t>(d));
        }
        return at::Scalar(d);
      }
      default: wrongType(a, v);
    }
  }

  // A dtype object carries its libtorch code; layouts and memory formats
  // come as their codes. Out-of-range codes would index libtorch's tables;
  // a dtype's code is then narrowed to the ones torchts supports
  // (scalarTypeFromCode, tensor.h). Every layout and memory format below
  // NumOptions is a real one that kernels check for themselves.
  int64_t enumCode(const ArgPlan& a, napi_value v, const char* what, int64_t count, bool objects) {
    int64_t code;
    if (objects && typeOf(env, v) == napi_object) {
      napi_value field;
      check(env, napi_get_named_property(env, v, "_code", &field));
      if (typeOf(env, field) != napi_number) wrongType(a, v);
      code = toInt64(env, field, whereOf(a));
    } else if (typeOf(env, v) == napi_number) {
      code = toInt64(env, v, whereOf(a));
    } else {
      wrongType(a, v);
    }
    if (code < 0 || code >= count) {
      throw JsTypeError(where(a) + ": unknown " + what + " code " + std::to_string(code));
    }
    return code;
  }

  c10::Device device(const ArgPlan& a, napi_value v) {
    napi_valuetype t = typeOf(env, v);
    if (t != napi_string && t != napi_object) wrongType(a, v);
    napi_value str;
    check(env, napi_coerce_to_string(env, v, &str));
    std::string text = toString(env, str, where(a));
    c10::Device d(text);  // throws c10::Error naming a malformed string
    requireCudaDevice(d, where(a));
    return d;
  }

  template <typename T, typename Fn>
  c10::List<T> list(const ArgPlan& a, napi_value v, Fn&& one) {
    c10::List<T> out;
    std::vector<napi_value> items = toArray(env, v, whereOf(a));
    out.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) out.push_back(one(items[i], i));
    return out;
  }

  std::string item(const ArgPlan& a, size_t i) const {
    return op.displayName + ": argument '" + a.name + "[" + std::to_string(i) + "]'";
  }

  // t is v's type, which the caller has already asked for.
  c10::IValue convert(const ArgPlan& a, napi_value v, napi_valuetype t) {
    if (t == napi_undefined || t == napi_null) {
      if (a.optional) return c10::IValue();
      throw JsTypeError(where(a) + " must be " + a.typeText + ", got " + typeName(env, v));
    }
    switch (a.kind) {
      case Kind::Tensor: return tensor(a, v, !a.written, whereOf(a), nullptr);
      case Kind::Int: return toInt64(env, v, whereOf(a));
      case Kind::Float: return toDouble(env, v, whereOf(a));
      case Kind::Bool: {
        bool b = toBool(env, v, whereOf(a));
        // A factory's pin_memory=True; without CUDA libtorch's own refusal is a page about linking.
        if (b && a.pinsMemory) requirePinnedMemory(where(a));
        return b;
      }
      case Kind::Scalar: return scalar(a, v);
      case Kind::String: return toString(env, v, where(a));
      case Kind::ScalarType:
        // Any integer: scalarTypeFromCode is the one place that decides.
        return scalarTypeFromCode(enumCode(a, v, "dtype", INT64_MAX, true), whereOf(a));
      case Kind::Layout:
        return enumCode(a, v, "layout", static_cast<int64_t>(c10::Layout::NumOptions), false);
      case Kind::MemoryFormat:
        return enumCode(a, v, "memory format", static_cast<int64_t>(c10::MemoryFormat::NumOptions), false);
      case Kind::Device: return device(a, v);
      case Kind::Generator: {
        at::Generator* g = findGenerator(env, v);
        if (!g) wrongType(a, v);
        return *g;
      }
      case Kind::IntList: {
        if (a.fixedLength && typeOf(env, v) == napi_number) {
          return c10::List<int64_t>(std::vector<int64_t>(*a.fixedLength, toInt64(env, v, whereOf(a))));
        }
        c10::List<int64_t> ints = list<int64_t>(a, v, [&](napi_value x, size_t i) { return toInt64(env, x, itemOf(a, i)); });
        // Kernels index an int[N] argument up to N without checking, as
        // Python's argument parser has already. int[1] takes any length (it
        // only means one int may stand for the list), and an empty list is
        // some schemas' "use the default" (max_pool2d's stride).
        if (a.fixedLength && *a.fixedLength > 1 && ints.size() != static_cast<size_t>(*a.fixedLength) &&
            !(ints.empty() && a.emptyMeansDefault)) {
          throw JsTypeError(where(a) + " must be " + std::to_string(*a.fixedLength) + " integers (or one integer for all " +
                            std::to_string(*a.fixedLength) + "), got a list of " + std::to_string(ints.size()));
        }
        return ints;
      }
      case Kind::FloatList:
        return list<double>(a, v, [&](napi_value x, size_t i) { return toDouble(env, x, itemOf(a, i)); });
      case Kind::BoolList:
        return list<bool>(a, v, [&](napi_value x, size_t i) { return toBool(env, x, itemOf(a, i)); });
      case Kind::ScalarList: {
        std::vector<napi_value> items = toArray(env, v, whereOf(a));
        std::vector<at::Scalar> out;
        out.reserve(items.size());
        for (napi_value x : items) out.push_back(scalar(a, x));
        return out;
      }
      case Kind::TensorList:
        return list<at::Tensor>(a, v, [&](napi_value x, size_t i) { return tensor(a, x, false, itemOf(a, i), "a Tensor"); });
      case Kind::OptionalTensorList:
        return list<c10::optional<at::Tensor>>(a, v, [&](napi_value x, size_t i) -> c10::optional<at::Tensor> {
          if (isNullish(env, x)) return c10::nullopt;
          return tensor(a, x, false, itemOf(a, i), "a Tensor or null");
        });
      case Kind::Unsupported:
        throw JsTypeError(where(a) + " has type " + a.typeText + ", which torchts cannot pass yet");
    }
    wrongType(a, v);
  }
};

napi_value fromIValue(napi_env env, c10::IValue&& v, const Inputs* inputs, int depth = 0);

// Results are moved out of the call's stack into their wrappers, so that a
// fresh tensor's wrapper is its only owner (and is charged for its memory).
napi_value fromTensor(napi_env env, at::Tensor&& t, const Inputs* inputs) {
  if (!t.defined()) return makeNull(env);
  if (inputs) {
    for (const auto& input : *inputs) {
      if (input.first == t.unsafeGetTensorImpl()) return input.second;
    }
  }
  return wrapTensor(env, std::move(t));
}

// A TorchScript method can build a list of lists as deep as it likes; past
// kMaxNestingDepth its conversion would overflow the native stack.
napi_value fromIValue(napi_env env, c10::IValue&& v, const Inputs* inputs, int depth) {
  if (v.isTensor()) return fromTensor(env, std::move(v).toTensor(), inputs);
  if (depth >= kMaxNestingDepth && (v.isTuple() || v.isList() || v.isGenericDict())) {
    throw JsRangeError("a result nested deeper than " + std::to_string(kMaxNestingDepth) + " levels cannot cross into JS");
  }
  if (v.isNone()) return makeNull(env);
  if (v.isInt()) return makeInt(env, v.toInt());
  if (v.isSymInt()) return makeInt(env, v.toSymInt().expect_int());
  if (v.isDouble()) return makeNumber(env, v.toDouble());
  if (v.isBool()) return makeBool(env, v.toBool());
  if (v.isString()) return makeString(env, v.toStringRef());
  if (v.isDevice()) return makeString(env, v.toDevice().str());
  if (v.isTuple()) {
    std::vector<c10::IValue> elements = v.toTupleRef().elements().vec();
    v = c10::IValue();  // the copies above are now the only references
    std::vector<napi_value> items;
    for (c10::IValue& e : elements) items.push_back(fromIValue(env, std::move(e), inputs, depth + 1));
    return makeArray(env, items);
  }
  if (v.isList()) {
    c10::List<c10::IValue> list = std::move(v).toList();
    // Only a list nobody else holds (an op's fresh result) may be emptied as it is converted.
    const bool sole = list.use_count() == 1;
    std::vector<napi_value> items;
    // (The copy is spelled out: List::get returns a value in libtorch 1.13, a const reference in 2.)
    for (size_t i = 0; i < list.size(); ++i) items.push_back(fromIValue(env, sole ? list.extract(i) : c10::IValue(list.get(i)), inputs, depth + 1));
    return makeArray(env, items);
  }
  if (v.isGenericDict()) {
    napi_value obj;
    check(env, napi_create_object(env, &obj));
    for (const auto& entry : v.toGenericDict()) {
      napi_value key;
      check(env, napi_coerce_to_string(env, fromIValue(env, c10::IValue(entry.key()), inputs, depth + 1), &key));
      check(env, napi_set_property(env, obj, key, fromIValue(env, c10::IValue(entry.value()), inputs, depth + 1)));
    }
    return obj;
  }
  throw std::runtime_error("torchts cannot return a value of type " + v.tagKind() + " yet");
}

}  // namespace

napi_value ivalueToJs(napi_env env, c10::IValue v) { return fromIValue(env, std::move(v), nullptr); }

namespace {

OpEntry& entryFor(napi_env env, AddonState& state, napi_value id) {
  int64_t i = toInt64(env, id, "operator handle");
  if (i < 0 || i >= static_cast<int64_t>(state.ops.size())) throw JsTypeError("invalid operator handle " + std::to_string(i));
  return *state.ops[i];
}

OpEntry& entryFor(napi_env env, napi_value id) { return entryFor(env, addonState(env), id); }

// opFind(name, overload) -> handle. Python's ".default" overload is "" here.
napi_value jsOpFind(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 2) throw JsTypeError("opFind(name, overload) takes 2 arguments");
    std::string name = toString(env, args[0], "operator name");
    std::string overload = toString(env, args[1], "overload name");
    if (overload == "default") overload = "";
    std::string key = name + "." + overload;
    AddonState& state = addonState(env);
    auto found = state.opIds.find(key);
    if (found != state.opIds.end()) return makeInt(env, found->second);
    c10::optional<c10::OperatorHandle> handle = c10::Dispatcher::singleton().findSchema({name, overload});
    if (!handle) {
      std::string shown = overload.empty() ? name : name + "." + overload;
      throw std::runtime_error("Unknown operator " + shown + ": no such ATen operator or overload in this libtorch");
    }
    auto entry = std::make_unique<OpEntry>(*handle);
    entry->displayName = overload.empty() ? name : name + "." + overload;
    entry->pinsMemory = name == "aten::pin_memory" || name == "aten::_pin_memory";
    for (const c10::Argument& arg : handle->schema().arguments()) {
      ArgPlan plan;
      plan.name = arg.name();
      plan.pinsMemory = plan.name == "pin_memory";
      c10::TypePtr type = arg.real_type();
      if (type->kind() == c10::TypeKind::OptionalType) {
        plan.optional = true;
        type = type->castRaw<c10::OptionalType>()->getElementType();
      }
      plan.kind = kindOf(type);
      plan.fixedLength = arg.N();
      plan.defaultValue = arg.default_value();
      plan.emptyMeansDefault = plan.defaultValue && plan.defaultValue->isIntList() && plan.defaultValue->toIntList().empty();
      plan.typeText = arg.real_type()->annotation_str();
      plan.written = arg.alias_info() && arg.alias_info()->isWrite();
      if (plan.kind == Kind::Tensor) {
        plan.typeText = plan.optional ? "a Tensor or null" : "a Tensor";
        if (plan.written) plan.typeText += " (the operator writes into it)";
      }
      entry->args.push_back(std::move(plan));
    }
    // torchgen's is_factory_function: TensorOptions in the schema, or a name
    // ending in _like. Ops with TensorOptions that also take a Tensor (to,
    // new_*, _to_copy) are left to autograd: Python binds most of them as
    // methods, which call at:: rather than torch::.
    {
      bool options = false, tensors = false;
      for (const ArgPlan& a : entry->args) {
        if (a.name == "dtype" || a.name == "layout" || a.name == "device" || a.name == "pin_memory") options = true;
        if (a.kind == Kind::Tensor || a.kind == Kind::TensorList || a.kind == Kind::OptionalTensorList) tensors = true;
      }
      const std::string& base = handle->schema().name();
      bool like = base.size() > 5 && base.compare(base.size() - 5, 5, "_like") == 0;
      entry->factory = (options && !tensors) || like;
    }
    uint32_t id = static_cast<uint32_t>(state.ops.size());
    state.ops.push_back(std::move(entry));
    state.opIds.emplace(key, id);
    return makeInt(env, id);
  });
}

// opSchema(handle) -> { name, overload, schema, arguments: [{name, type, kwarg_only, has_default}] }
napi_value jsOpSchema(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() != 1) throw JsTypeError("opSchema(handle) takes 1 argument");
    OpEntry& op = entryFor(env, args[0]);
    const c10::FunctionSchema& schema = op.handle.schema();
    napi_value out;
    check(env, napi_create_object(env, &out));
    setProperty(env, out, "name", makeString(env, schema.name()));
    setProperty(env, out, "overload", makeString(env, schema.overload_name()));
    setProperty(env, out, "schema", makeString(env, c10::toString(schema)));
    std::vector<napi_value> arguments;
    for (const c10::Argument& arg : schema.arguments()) {
      napi_value a;
      check(env, napi_create_object(env, &a));
      setProperty(env, a, "name", makeString(env, arg.name()));
      setProperty(env, a, "type", makeString(env, arg.real_type()->annotation_str()));
      setProperty(env, a, "kwarg_only", makeBool(env, arg.kwarg_only()));
      setProperty(env, a, "has_default", makeBool(env, arg.default_value().has_value()));
      arguments.push_back(a);
    }
    setProperty(env, out, "arguments", makeArray(env, arguments));
    setProperty(env, out, "returns", makeInt(env, static_cast<int64_t>(schema.returns().size())));
    return out;
  });
}

// The argument stack of each nesting level of opCall (a result's conversion
// or a warning's handler can call again), kept with its capacity between
// calls: a call allocated and freed its own before. Kept in the env's state,
// which the call has at hand, rather than in thread_locals, each of which
// costs a call to __tls_get_addr.
class PooledStack {
 public:
  explicit PooledStack(AddonState& state) : state_(state) {
    if (state_.stackDepth == state_.stackPool.size()) state_.stackPool.push_back(std::make_unique<torch::jit::Stack>());
    stack_ = state_.stackPool[state_.stackDepth++].get();
  }
  ~PooledStack() {
    stack_->clear();
    --state_.stackDepth;
  }
  PooledStack(const PooledStack&) = delete;
  PooledStack& operator=(const PooledStack&) = delete;

  torch::jit::Stack& operator*() { return *stack_; }

 private:
  AddonState& state_;
  torch::jit::Stack* stack_;
};

// opCall(handle, ...args): positional arguments in schema order; undefined
// takes the schema's default.
napi_value jsOpCall(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("opCall(handle, ...args) needs an operator handle");
    AddonState& state = addonState(env);
    OpEntry& op = entryFor(env, state, args[0]);
    collectYoungIfDue(env);
    size_t given = args.size() - 1;
    if (given > op.args.size()) {
      throw JsTypeError(op.displayName + " takes at most " + std::to_string(op.args.size()) + " arguments (" +
                        std::to_string(given) + " given)");
    }
    Converter conv{env, op, {}};
    PooledStack pooled(state);
    torch::jit::Stack& stack = *pooled;
    for (size_t i = 0; i < op.args.size(); ++i) {
      const ArgPlan& a = op.args[i];
      napi_value v = i < given ? args[i + 1] : nullptr;
      napi_valuetype t = v ? typeOf(env, v) : napi_undefined;
      // A thread with a default generator of its own (generator.cc) gives it where none is given.
      if (a.kind == Kind::Generator && (t == napi_undefined || t == napi_null)) {
        if (const at::Generator* own = threadDefaultGenerator()) {
          stack.emplace_back(*own);
          continue;
        }
      }
      // undefined means "not given" (the default); null means None.
      if (t == napi_undefined || (t == napi_null && !a.optional && a.defaultValue)) {
        if (a.defaultValue) {
          stack.push_back(*a.defaultValue);
          continue;
        }
        if (a.optional) {
          stack.emplace_back();
          continue;
        }
        throw JsTypeError(op.displayName + " missing required argument '" + a.name + "' (" + a.typeText + ")");
      }
      stack.push_back(conv.convert(a, v, t));
    }
    if (op.pinsMemory) requirePinnedMemory(op.displayName);
    try {
      c10::optional<at::AutoDispatchBelowADInplaceOrView> belowAutograd;
      if (op.factory) belowAutograd.emplace();
      op.handle.callBoxed(&stack);
    } catch (...) {
      flushWarnings(env);
      throw;
    }
    flushWarnings(env);
    if (stack.empty()) return makeUndefined(env);
    if (stack.size() == 1) return fromIValue(env, std::move(stack[0]), &conv.inputs);
    std::vector<napi_value> results;
    for (c10::IValue& r : stack) results.push_back(fromIValue(env, std::move(r), &conv.inputs));
    return makeArray(env, results);
  });
}

// opNames() -> every registered operator as "ns::name.overload" (for torch.ops listings and the fuzzer).
napi_value jsOpNames(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    std::vector<napi_value> names;
    for (const c10::OperatorName& op : c10::Dispatcher::singleton().getAllOpNames()) {
      names.push_back(makeString(env, op.overload_name.empty() ? op.name : op.name + "." + op.overload_name));
    }
    return makeArray(env, names);
  });
}

}  // namespace

void registerOps(napi_env env, napi_value exports) {
  exportFunction(env, exports, "opNames", jsOpNames);
  exportFunction(env, exports, "opFind", jsOpFind);
  exportFunction(env, exports, "opSchema", jsOpSchema);
  exportFunction(env, exports, "opCall", jsOpCall);
}

}  // namespace torchts
