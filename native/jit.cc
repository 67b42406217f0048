// TorchScript modules (torch.jit.load / save): a scripted model saved from
// Python runs here through libtorch's interpreter. The JS side holds an
// opaque handle; arguments and results convert as for any op.
#include "file_writer.h"
#include "tensor.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/export.h>
#include <torch/csrc/jit/serialization/import.h>

namespace torchts {

namespace {

const napi_type_tag kModuleTag = {0x746f726368747321ULL, 0x4a69744d6f645631ULL};

struct ModuleHolder {
  torch::jit::Module module;
};

torch::jit::Module& moduleArg(napi_env env, const CallArgs& args) {
  ModuleHolder* h = args.empty() ? nullptr : findHandle<ModuleHolder>(env, args[0], kModuleTag);
  if (!h) throw JsTypeError("expected a TorchScript module handle");
  return h->module;
}

// A JS value as a TorchScript argument: tensors, numbers (int when whole),
// booleans, strings, null, and arrays (a list of tensors, of ints or of
// floats when all elements are, a tuple otherwise). `argument` names the
// whole argument, `where` the element being read, `depth` its nesting.
c10::IValue toIValue(napi_env env, napi_value v, const std::string& argument, const std::string& where, int depth) {
  switch (typeOf(env, v)) {
    case napi_undefined:
    case napi_null: return c10::IValue();
    case napi_boolean: return toBool(env, v, where);
    case napi_string: return toString(env, v, where);
    case napi_bigint: return toInt64(env, v, where);
    case napi_number: {
      double d = toDouble(env, v, where);
      if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= 9007199254740992.0) return static_cast<int64_t>(d);
      return d;
    }
    case napi_object: {
      if (findHolder(env, v)) return unwrapTensor(env, v, where);
      if (!isArray(env, v)) break;
      if (depth >= kMaxNestingDepth) {
        throw JsRangeError(argument + ": arrays nested deeper than " + std::to_string(kMaxNestingDepth) +
                           " levels cannot cross into C++");
      }
      std::vector<napi_value> items = toArray(env, v, where);
      std::vector<c10::IValue> values;
      for (size_t i = 0; i < items.size(); ++i) values.push_back(toIValue(env, items[i], argument, where + "[" + std::to_string(i) + "]", depth + 1));
      auto all = [&](auto pred) { return !values.empty() && std::all_of(values.begin(), values.end(), pred); };
      if (all([](const c10::IValue& x) { return x.isTensor(); })) {
        c10::List<at::Tensor> list;
        for (auto& x : values) list.push_back(x.toTensor());
        return list;
      }
      if (all([](const c10::IValue& x) { return x.isInt(); })) {
        c10::List<int64_t> list;
        for (auto& x : values) list.push_back(x.toInt());
        return list;
      }
      if (all([](const c10::IValue& x) { return x.isDouble() || x.isInt(); })) {
        c10::List<double> list;
        for (auto& x : values) list.push_back(x.isInt() ? static_cast<double>(x.toInt()) : x.toDouble());
        return list;
      }
      return c10::ivalue::Tuple::create(std::move(values));
    }
    default: break;
  }
  throw JsTypeError(where + ": cannot pass a " + std::string(typeName(env, v)) + " to a TorchScript method");
}

c10::optional<c10::Device> deviceArg(napi_env env, const CallArgs& args, size_t i) {
  if (i >= args.size() || isNullish(env, args[i])) return c10::nullopt;
  return c10::Device(toString(env, args[i], "device"));
}

// jitLoad(path, device?) -> handle
napi_value jsJitLoad(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("jit.load(path) needs a path");
    std::string path = toString(env, args[0], "path");
    return wrapHandle(env, new ModuleHolder{torch::jit::load(path, deviceArg(env, args, 1))}, kModuleTag);
  });
}

napi_value jsJitSave(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    torch::jit::Module& m = moduleArg(env, args);
    if (args.size() < 2) throw JsTypeError("save(path) needs a path");
    // As Module::save(path), through a writer that checks every write.
    CheckedFileWriter file(toString(env, args[1], "path"));
    torch::jit::ExportModule(m, [&file](const void* data, size_t n) { return file.write(data, n); });
    file.commit();
    return makeUndefined(env);
  });
}

// jitRun(handle, method, args[]) -> result
napi_value jsJitRun(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    torch::jit::Module& m = moduleArg(env, args);
    if (args.size() < 3) throw JsTypeError("run(handle, method, args) needs a method name and an argument list");
    std::string method = toString(env, args[1], "method name");
    c10::optional<torch::jit::Method> found = m.find_method(method);
    if (!found) throw std::runtime_error("this TorchScript module has no method '" + method + "'");
    std::vector<c10::IValue> inputs;
    std::vector<napi_value> items = toArray(env, args[2], "arguments");
    const auto& schemaArgs = found->function().getSchema().arguments();
    for (size_t i = 0; i < items.size(); ++i) {
      std::string argument = method + "() argument " + std::to_string(i);
      c10::IValue v = toIValue(env, items[i], argument, argument, 0);
      // A whole JS number passed where the script declares a float is a float, as Python's int would be.
      if (v.isInt() && i + 1 < schemaArgs.size() && schemaArgs[i + 1].type()->kind() == c10::TypeKind::FloatType) {
        v = static_cast<double>(v.toInt());
      }
      inputs.push_back(std::move(v));
    }
    return ivalueToJs(env, (*found)(std::move(inputs)));
  });
}

template <typename List>
napi_value namedTensors(napi_env env, const List& list) {
  std::vector<napi_value> out;
  for (const auto& item : list) out.push_back(makeArray(env, {makeString(env, item.name), wrapTensor(env, item.value)}));
  return makeArray(env, out);
}

napi_value jsJitNamedParameters(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    return namedTensors(env, moduleArg(env, args).named_parameters(true));
  });
}

napi_value jsJitNamedBuffers(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    return namedTensors(env, moduleArg(env, args).named_buffers(true));
  });
}

// Parameters, then buffers, module by module: the order of Python's state_dict().
napi_value jsJitStateDict(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    std::vector<napi_value> out;
    for (const auto& sub : moduleArg(env, args).named_modules()) {
      std::string prefix = sub.name.empty() ? "" : sub.name + ".";
      for (const auto& p : sub.value.named_parameters(false)) out.push_back(makeArray(env, {makeString(env, prefix + p.name), wrapTensor(env, p.value)}));
      for (const auto& b : sub.value.named_buffers(false)) out.push_back(makeArray(env, {makeString(env, prefix + b.name), wrapTensor(env, b.value)}));
    }
    return makeArray(env, out);
  });
}

napi_value jsJitTrain(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    torch::jit::Module& m = moduleArg(env, args);
    if (args.size() > 1) m.train(toBool(env, args[1], "mode"));
    return makeBool(env, m.is_training());
  });
}

// Moves and casts every parameter and buffer as Python's nn.Module._apply
// does (floating-point and complex ones take the dtype): a tensor whose new
// value has a compatible TensorImpl changes in place, so its wrappers see the
// change; one whose has not (CPU to meta) is replaced in its module's slot,
// where libtorch's Module::to refused ("incompatible tensor type"). Returns
// whether any was replaced.
bool moveTensors(torch::jit::Module& m, c10::optional<c10::Device> device, c10::optional<at::ScalarType> dtype) {
  at::NoGradGuard noGrad;
  bool replaced = false;
  for (torch::jit::Module sub : m.modules()) {
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& p : sub.named_parameters(false)) tensors.emplace_back(p.name, p.value);
    for (const auto& b : sub.named_buffers(false)) tensors.emplace_back(b.name, b.value);
    for (const auto& [name, t] : tensors) {
      bool cast = dtype && (t.is_floating_point() || t.is_complex());
      at::Tensor moved = t.to(device.value_or(t.device()), cast ? *dtype : t.scalar_type());
      if (moved.is_same(t)) continue;
      if (t.unsafeGetTensorImpl()->has_compatible_shallow_copy_type(moved.key_set())) {
        t.set_data(moved);
      } else {
        at::Tensor replacement = moved.detach();
        replacement.set_requires_grad(t.requires_grad());
        sub.setattr(name, replacement);
        replaced = true;
      }
    }
  }
  return replaced;
}

// jitTo(handle, device?, dtypeCode?) -> whether a tensor was replaced (the
// JS side then drops the wrappers it kept for the old ones)
napi_value jsJitTo(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    torch::jit::Module& m = moduleArg(env, args);
    c10::optional<c10::Device> device = deviceArg(env, args, 1);
    if (device && device->is_cuda() && !at::hasCUDA()) {
      throw std::runtime_error("device '" + device->str() + "' is not available: torch.cuda.is_available() is false");
    }
    c10::optional<at::ScalarType> dtype;
    if (args.size() > 2 && !isNullish(env, args[2])) {
      const char* dtypeArg = "ScriptModule.to(): argument 'dtype'";
      dtype = scalarTypeFromCode(toInt64(env, args[2], dtypeArg), dtypeArg);
    }
    return makeBool(env, moveTensors(m, device, dtype));
  });
}

}  // namespace

void registerJit(napi_env env, napi_value exports) {
  exportFunction(env, exports, "jitLoad", jsJitLoad);
  exportFunction(env, exports, "jitSave", jsJitSave);
  exportFunction(env, exports, "jitRun", jsJitRun);
  exportFunction(env, exports, "jitNamedParameters", jsJitNamedParameters);
  exportFunction(env, exports, "jitNamedBuffers", jsJitNamedBuffers);
  exportFunction(env, exports, "jitTrain", jsJitTrain);
  exportFunction(env, exports, "jitStateDict", jsJitStateDict);
  exportFunction(env, exports, "jitTo", jsJitTo);
}

}  // namespace torchts
