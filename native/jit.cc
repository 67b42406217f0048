// TorchScript modules (torch.jit.load / save): a scripted model saved from
// Python runs here through libtorch's interpreter. The JS side holds an
// opaque handle; arguments and results convert as for any op.
#include "cuda.h"
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
  // forward_async calls in flight (runAsync): while any is, the module's
  // parameters and buffers are another thread's to read, and in training
  // mode (where a forward may write buffers) its only user.
  int asyncCalls = 0;
};

ModuleHolder& holderArg(napi_env env, const CallArgs& args) {
  ModuleHolder* h = args.empty() ? nullptr : findHandle<ModuleHolder>(env, args[0], kModuleTag);
  if (!h) throw JsTypeError("expected a TorchScript module handle");
  return *h;
}

// The module of a synchronous call, refused while an asynchronous one runs.
torch::jit::Module& moduleArg(napi_env env, const CallArgs& args) {
  ModuleHolder& h = holderArg(env, args);
  if (h.asyncCalls > 0) {
    throw std::runtime_error("this TorchScript module is in use by " + std::to_string(h.asyncCalls) +
                             " forward_async call(s) in flight on another thread; await them first");
  }
  return h.module;
}

// A JS value as a TorchScript argument: tensors, numbers (int when whole),
// booleans, strings, null, and arrays (a list of tensors, of ints or of
// floats when all elements are, a tuple otherwise). `argument` names the
// whole argument, `where` the element being read, `depth` its nesting.
// An asynchronous call (readsInFlight) may read a tensor that another call
// in flight reads too: calls side by side share their inputs.
c10::IValue toIValue(napi_env env, napi_value v, const std::string& argument, const std::string& where, int depth, bool readsInFlight = false) {
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
      if (TensorHolder* h = findHolder(env, v)) {
        if (!readsInFlight || h->disposed) return unwrapTensor(env, v, where);
        return h->tensor;
      }
      if (!isArray(env, v)) break;
      if (depth >= kMaxNestingDepth) {
        throw JsRangeError(argument + ": arrays nested deeper than " + std::to_string(kMaxNestingDepth) +
                           " levels cannot cross into C++");
      }
      std::vector<napi_value> items = toArray(env, v, where);
      std::vector<c10::IValue> values;
      for (size_t i = 0; i < items.size(); ++i) values.push_back(toIValue(env, items[i], argument, where + "[" + std::to_string(i) + "]", depth + 1, readsInFlight));
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

// A method's JS arguments as its IValues.
std::vector<c10::IValue> methodInputs(napi_env env, const torch::jit::Method& found, const std::string& method, napi_value list, bool readsInFlight = false) {
  std::vector<c10::IValue> inputs;
  std::vector<napi_value> items = toArray(env, list, "arguments");
  const auto& schemaArgs = found.function().getSchema().arguments();
  for (size_t i = 0; i < items.size(); ++i) {
    std::string argument = method + "() argument " + std::to_string(i);
    c10::IValue v = toIValue(env, items[i], argument, argument, 0, readsInFlight);
    // A whole JS number passed where the script declares a float is a float, as Python's int would be.
    if (v.isInt() && i + 1 < schemaArgs.size() && schemaArgs[i + 1].type()->kind() == c10::TypeKind::FloatType) {
      v = static_cast<double>(v.toInt());
    }
    inputs.push_back(std::move(v));
  }
  return inputs;
}

torch::jit::Method methodArg(napi_env env, torch::jit::Module& m, napi_value name, std::string& method) {
  method = toString(env, name, "method name");
  c10::optional<torch::jit::Method> found = m.find_method(method);
  if (!found) throw std::runtime_error("this TorchScript module has no method '" + method + "'");
  return *found;
}

// jitRun(handle, method, args[]) -> result
napi_value jsJitRun(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    torch::jit::Module& m = moduleArg(env, args);
    if (args.size() < 3) throw JsTypeError("run(handle, method, args) needs a method name and an argument list");
    std::string method;
    torch::jit::Method found = methodArg(env, m, args[1], method);
    return ivalueToJs(env, found(methodInputs(env, found, method, args[2])));
  });
}

// One runAsync call: what the pool thread runs, and what the JS thread
// settles the promise with.
struct AsyncCall {
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  napi_ref holderRef = nullptr;  // keeps the module's JS handle (and so its holder) alive
  ModuleHolder* holder = nullptr;
  torch::jit::Method method;
  std::vector<c10::IValue> inputs;
  // The caller's autograd modes, which are per thread: the pool thread runs under them.
  bool gradEnabled = true;
  bool inferenceMode = false;
  std::vector<c10::Storage> storages;
  c10::IValue result;
  std::string error;
  bool failed = false;
  AsyncCall(torch::jit::Method m) : method(std::move(m)) {}
};

void collectStorages(const c10::IValue& v, std::vector<c10::Storage>& out) {
  if (v.isTensor()) {
    const at::Tensor& t = v.toTensor();
    if (t.defined() && t.has_storage()) out.push_back(t.storage());
  } else if (v.isTensorList()) {
    for (const at::Tensor& t : v.toTensorVector()) collectStorages(t, out);
  } else if (v.isList()) {
    for (const c10::IValue& x : v.toListRef()) collectStorages(x, out);
  } else if (v.isTuple()) {
    for (const c10::IValue& x : v.toTupleRef().elements()) collectStorages(x, out);
  }
}

void runAsyncCall(napi_env, void* data) {
  auto* call = static_cast<AsyncCall*>(data);
  try {
    c10::InferenceMode inference(call->inferenceMode);
    at::AutoGradMode grad(call->gradEnabled);
    call->result = call->method(std::move(call->inputs));
  } catch (const c10::Error& e) {
    call->failed = true;
    call->error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    call->failed = true;
    call->error = e.what();
  }
  call->inputs.clear();
}

void settleAsyncCall(napi_env env, napi_status, void* data) {
  std::unique_ptr<AsyncCall> call(static_cast<AsyncCall*>(data));
  markInFlight(call->storages, -1);
  asyncCallsInFlight.fetch_sub(1, std::memory_order_relaxed);
  call->holder->asyncCalls--;
  napi_delete_reference(env, call->holderRef);
  napi_delete_async_work(env, call->work);
  napi_value settled = nullptr;
  bool ok = !call->failed;
  if (ok) {
    try {
      settled = ivalueToJs(env, std::move(call->result));
    } catch (const std::exception& e) {
      ok = false;
      call->error = e.what();
    }
  }
  if (!ok) {
    napi_value message;
    napi_create_string_utf8(env, call->error.c_str(), call->error.size(), &message);
    napi_create_error(env, nullptr, message, &settled);
  }
  if (ok) napi_resolve_deferred(env, call->deferred, settled);
  else napi_reject_deferred(env, call->deferred, settled);
}

// jitRunAsync(handle, method, args[]) -> a Promise of the result: the method
// runs on libuv's thread pool under the caller's grad and inference modes.
// Until it settles, the tensors it reads or writes (its inputs, the
// module's parameters and buffers) are refused to this thread's ops
// (tensor.h), and the module to synchronous use; calls on a module in eval
// mode may run side by side, one in training mode runs alone.
napi_value jsJitRunAsync(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    ModuleHolder& h = holderArg(env, args);
    if (args.size() < 3) throw JsTypeError("runAsync(handle, method, args) needs a method name and an argument list");
    if (h.asyncCalls > 0 && h.module.is_training()) {
      throw std::runtime_error("this TorchScript module is in training mode, where a forward may update its buffers, and a forward_async "
                               "call is already in flight; await it first (or call eval() for calls side by side)");
    }
    std::string method;
    auto call = std::make_unique<AsyncCall>(methodArg(env, h.module, args[1], method));
    call->inputs = methodInputs(env, call->method, method, args[2], /*readsInFlight=*/true);
    call->gradEnabled = at::GradMode::is_enabled();
    call->inferenceMode = c10::InferenceMode::is_enabled();
    for (const c10::IValue& v : call->inputs) collectStorages(v, call->storages);
    for (const at::Tensor& p : h.module.parameters(true)) collectStorages(p, call->storages);
    for (const at::Tensor& b : h.module.buffers(true)) collectStorages(b, call->storages);
    call->holder = &h;
    napi_value promise, name;
    check(env, napi_create_promise(env, &call->deferred, &promise));
    check(env, napi_create_string_utf8(env, "torchts.forward_async", NAPI_AUTO_LENGTH, &name));
    check(env, napi_create_reference(env, args[0], 1, &call->holderRef));
    check(env, napi_create_async_work(env, nullptr, name, runAsyncCall, settleAsyncCall, call.get(), &call->work));
    markInFlight(call->storages, +1);
    asyncCallsInFlight.fetch_add(1, std::memory_order_relaxed);
    h.asyncCalls++;
    napi_status queued = napi_queue_async_work(env, call->work);
    if (queued != napi_ok) {
      markInFlight(call->storages, -1);
      asyncCallsInFlight.fetch_sub(1, std::memory_order_relaxed);
      h.asyncCalls--;
      napi_delete_reference(env, call->holderRef);
      napi_delete_async_work(env, call->work);
      check(env, queued);
    }
    call.release();
    return promise;
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
    if (device) requireCudaDevice(*device, "ScriptModule.to()");
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
  exportFunction(env, exports, "jitRunAsync", jsJitRunAsync);
  exportFunction(env, exports, "jitNamedParameters", jsJitNamedParameters);
  exportFunction(env, exports, "jitNamedBuffers", jsJitNamedBuffers);
  exportFunction(env, exports, "jitTrain", jsJitTrain);
  exportFunction(env, exports, "jitStateDict", jsJitStateDict);
  exportFunction(env, exports, "jitTo", jsJitTo);
}

}  // namespace torchts
