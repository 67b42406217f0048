// Autograd entry points: the tensor's autograd fields, backward, grad, and
// grad mode. The algorithms are libtorch's; this only converts.
#include "tensor.h"
#include "addon_state.h"
#include "warnings.h"

#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <atomic>
#include <mutex>
#include <thread>

namespace torchts {

namespace {

const at::Tensor& selfArg(napi_env env, const CallArgs& args, const char* fn) {
  if (args.empty()) throw JsTypeError(std::string(fn) + " expects a Tensor");
  return unwrapTensor(env, args[0], "self");
}

std::vector<at::Tensor> tensorList(napi_env env, napi_value v, const std::string& what, bool allowNull) {
  std::vector<at::Tensor> out;
  std::vector<napi_value> items = toArray(env, v, what);
  for (size_t i = 0; i < items.size(); ++i) {
    if (allowNull && isNullish(env, items[i])) {
      out.emplace_back();
    } else {
      out.push_back(unwrapTensor(env, items[i], what + "[" + std::to_string(i) + "]"));
    }
  }
  return out;
}

c10::optional<bool> optionalBool(napi_env env, const CallArgs& args, size_t i, const std::string& what) {
  if (i >= args.size() || isNullish(env, args[i])) return c10::nullopt;
  return toBool(env, args[i], what);
}

napi_value jsRequiresGrad(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeBool(env, selfArg(env, CallArgs(env, info), "requiresGrad").requires_grad()); });
}

napi_value jsSetRequiresGrad(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const at::Tensor& t = selfArg(env, args, "setRequiresGrad");
    if (args.size() < 2) throw JsTypeError("requires_grad must be a boolean");
    bool flag = toBool(env, args[1], "requires_grad");
    if (!t.is_leaf() && !flag) {
      throw std::runtime_error(
          "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a "
          "subgraph that doesn't require differentiation use var_no_grad = var.detach().");
    }
    const_cast<at::Tensor&>(t).set_requires_grad(flag);
    return makeUndefined(env);
  });
}

napi_value jsIsLeaf(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeBool(env, selfArg(env, CallArgs(env, info), "isLeaf").is_leaf()); });
}

napi_value jsGrad(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return wrapTensor(env, selfArg(env, CallArgs(env, info), "grad").grad()); });
}

napi_value jsSetGrad(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const at::Tensor& t = selfArg(env, args, "setGrad");
    if (args.size() < 2 || isNullish(env, args[1])) {
      const_cast<at::Tensor&>(t).mutable_grad().reset();
      return makeUndefined(env);
    }
    const at::Tensor& g = unwrapTensor(env, args[1], "grad");
    TORCH_CHECK(!g.is_same(t), "can't assign Variable as its own grad");
    TORCH_CHECK(g.sizes() == t.sizes(), "assigned grad has data of a different size: ", g.sizes(), " vs ", t.sizes());
    TORCH_CHECK(g.scalar_type() == t.scalar_type(), "assigned grad has data of a different type: ", g.scalar_type(),
                " vs ", t.scalar_type());
    TORCH_CHECK(g.device() == t.device(), "assigned grad has data located on a different device: ", g.device(),
                " vs ", t.device());
    const_cast<at::Tensor&>(t).mutable_grad() = g;
    return makeUndefined(env);
  });
}

// setData(t, data): Python's `t.data = data`, which swaps the tensor's
// storage and metadata while keeping its identity and autograd leaf-ness;
// Module.to() moves parameters this way so optimizers keep pointing at them.
napi_value jsSetData(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const at::Tensor& t = selfArg(env, args, "setData");
    if (args.size() < 2) throw JsTypeError("setData(tensor, data) needs a Tensor as data");
    const at::Tensor& data = unwrapTensor(env, args[1], "data");
    const_cast<at::Tensor&>(t).set_data(data);
    return makeUndefined(env);
  });
}

napi_value jsGradFn(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    const at::Tensor& t = selfArg(env, CallArgs(env, info), "gradFn");
    const std::shared_ptr<torch::autograd::Node>& fn = t.grad_fn();
    if (!fn) return makeNull(env);
    std::string name = fn->name();
    size_t colon = name.rfind("::");
    return makeString(env, colon == std::string::npos ? name : name.substr(colon + 2));
  });
}

napi_value jsRetainGrad(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    selfArg(env, CallArgs(env, info), "retainGrad").retain_grad();
    return makeUndefined(env);
  });
}

napi_value jsRetainsGrad(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeBool(env, selfArg(env, CallArgs(env, info), "retainsGrad").retains_grad()); });
}

// ----- gradient hooks (Python's Tensor.register_hook) -----
//
// The JS functions live in lib (a Map by id); a hook here holds only its id
// and calls the env's dispatcher with it, so that nothing here has to free a
// JS reference from whichever thread drops the autograd node. When libtorch
// drops a hook (removed, or its tensor or graph freed), its id goes on a
// list that lib collects to forget the function.

struct DeadHook {
  napi_env env;
  int64_t id;
};
std::mutex deadHooksMutex;
std::vector<DeadHook> deadHooks;
std::atomic<int64_t> nextHookId{1};

struct HookState {
  napi_env env;
  int64_t id;
  std::thread::id owner;
  ~HookState() {
    std::lock_guard<std::mutex> lock(deadHooksMutex);
    deadHooks.push_back({env, id});
  }
};

// Runs on the thread that called backward for CPU graphs (libtorch's engine
// does CPU work on the caller). A JS exception from the hook stays pending
// and unwinds the engine as a std::exception, which jsBackward turns back
// into that JS exception.
at::Tensor runHook(const HookState& state, const at::Tensor& grad) {
  if (std::this_thread::get_id() != state.owner) {
    throw std::runtime_error(
        "register_hook: the hook would run on a thread other than its JS thread (an autograd device thread); "
        "torchts runs hooks only where backward runs on the calling thread, as it does for CPU tensors");
  }
  napi_env env = state.env;
  napi_ref ref = addonState(env).hookDispatcher;
  if (!ref) throw std::runtime_error("register_hook: no hook dispatcher is set");
  napi_handle_scope scope;
  check(env, napi_open_handle_scope(env, &scope));
  struct Close {
    napi_env env;
    napi_handle_scope scope;
    ~Close() { napi_close_handle_scope(env, scope); }
  } close{env, scope};
  napi_value fn, global, result, argv[2];
  check(env, napi_get_reference_value(env, ref, &fn));
  check(env, napi_get_global(env, &global));
  check(env, napi_create_int64(env, state.id, &argv[0]));
  argv[1] = wrapTensor(env, grad);
  if (napi_call_function(env, global, fn, 2, argv, &result) != napi_ok) {
    throw std::runtime_error("a gradient hook raised an exception");
  }
  if (isNullish(env, result)) return at::Tensor();
  return unwrapTensor(env, result, "the value a hook returns");
}

// registerHook(tensor): the hook's id, or an error where libtorch refuses
// (a tensor that does not require grad). The id is the one lib files the
// function under; removeHook(tensor, id) undoes it.
std::mutex hookPositionsMutex;
std::unordered_map<int64_t, unsigned> hookPositions;

napi_value jsRegisterHook(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const at::Tensor& t = selfArg(env, args, "registerHook");
    auto state = std::make_shared<HookState>();
    state->env = env;
    state->id = nextHookId++;
    state->owner = std::this_thread::get_id();
    const int64_t id = state->id;
    std::function<at::Tensor(const at::Tensor&)> hook = [state](const at::Tensor& grad) { return runHook(*state, grad); };
    unsigned position = const_cast<at::Tensor&>(t).register_hook(std::move(hook));
    {
      std::lock_guard<std::mutex> lock(hookPositionsMutex);
      hookPositions[id] = position;
    }
    napi_value out;
    check(env, napi_create_int64(env, id, &out));
    return out;
  });
}

napi_value jsRemoveHook(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const at::Tensor& t = selfArg(env, args, "removeHook");
    if (args.size() < 2) throw JsTypeError("removeHook(tensor, id) needs the hook's id");
    int64_t id = toInt64(env, args[1], "id");
    unsigned position;
    {
      std::lock_guard<std::mutex> lock(hookPositionsMutex);
      auto it = hookPositions.find(id);
      if (it == hookPositions.end()) return makeUndefined(env);
      position = it->second;
      hookPositions.erase(it);
    }
    const_cast<at::Tensor&>(t).remove_hook(position);
    return makeUndefined(env);
  });
}

// The ids of this env's hooks that libtorch has dropped since the last call.
napi_value jsTakeDeadHooks(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    std::vector<int64_t> ids;
    {
      std::lock_guard<std::mutex> lock(deadHooksMutex);
      auto keep = std::remove_if(deadHooks.begin(), deadHooks.end(), [&](const DeadHook& d) {
        if (d.env != env) return false;
        ids.push_back(d.id);
        return true;
      });
      deadHooks.erase(keep, deadHooks.end());
    }
    {
      std::lock_guard<std::mutex> lock(hookPositionsMutex);
      for (int64_t id : ids) hookPositions.erase(id);
    }
    std::vector<napi_value> out;
    for (int64_t id : ids) {
      napi_value v;
      check(env, napi_create_int64(env, id, &v));
      out.push_back(v);
    }
    return makeArray(env, out);
  });
}

napi_value jsSetHookDispatcher(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty() || typeOf(env, args[0]) != napi_function) throw JsTypeError("setHookDispatcher() expects a function");
    AddonState& state = addonState(env);
    if (state.hookDispatcher) check(env, napi_delete_reference(env, state.hookDispatcher));
    state.hookDispatcher = nullptr;
    check(env, napi_create_reference(env, args[0], 1, &state.hookDispatcher));
    return makeUndefined(env);
  });
}

// A hook that raised left its JS exception pending; that is the error to give.
template <typename Call>
void rethrowPendingJs(napi_env env, Call&& call) {
  try {
    call();
  } catch (...) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) throw JsPending{};
    throw;
  }
}

// backward(tensors, grad_tensors, retain_graph?, create_graph, inputs?)
napi_value jsBackward(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2) throw JsTypeError("backward(tensors, grad_tensors, ...) needs two arrays");
    std::vector<at::Tensor> tensors = tensorList(env, args[0], "tensors", false);
    std::vector<at::Tensor> grads = tensorList(env, args[1], "grad_tensors", true);
    c10::optional<bool> retain = optionalBool(env, args, 2, "retain_graph");
    bool create = optionalBool(env, args, 3, "create_graph").value_or(false);
    std::vector<at::Tensor> inputs;
    if (args.size() > 4 && !isNullish(env, args[4])) inputs = tensorList(env, args[4], "inputs", false);
    rethrowPendingJs(env, [&] { torch::autograd::backward(tensors, grads, retain, create, inputs); });
    flushWarnings(env);
    return makeUndefined(env);
  });
}

// grad(outputs, inputs, grad_outputs, retain_graph?, create_graph, allow_unused)
napi_value jsAutogradGrad(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 3) throw JsTypeError("grad(outputs, inputs, grad_outputs, ...) needs three arrays");
    std::vector<at::Tensor> outputs = tensorList(env, args[0], "outputs", false);
    std::vector<at::Tensor> inputs = tensorList(env, args[1], "inputs", false);
    std::vector<at::Tensor> gradOutputs = tensorList(env, args[2], "grad_outputs", true);
    c10::optional<bool> retain = optionalBool(env, args, 3, "retain_graph");
    bool create = optionalBool(env, args, 4, "create_graph").value_or(false);
    bool allowUnused = optionalBool(env, args, 5, "allow_unused").value_or(false);
    std::vector<at::Tensor> grads;
    rethrowPendingJs(env, [&] { grads = torch::autograd::grad(outputs, inputs, gradOutputs, retain, create, allowUnused); });
    std::vector<napi_value> out;
    for (const at::Tensor& g : grads) out.push_back(wrapTensor(env, g));
    return makeArray(env, out);
  });
}

napi_value jsIsGradEnabled(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeBool(env, c10::GradMode::is_enabled()); });
}

napi_value jsSetGradEnabled(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("set_grad_enabled(mode) needs a boolean");
    c10::GradMode::set_enabled(toBool(env, args[0], "mode"));
    return makeUndefined(env);
  });
}

}  // namespace

void registerAutograd(napi_env env, napi_value exports) {
  exportFunction(env, exports, "requiresGrad", jsRequiresGrad);
  exportFunction(env, exports, "setRequiresGrad", jsSetRequiresGrad);
  exportFunction(env, exports, "isLeaf", jsIsLeaf);
  exportFunction(env, exports, "grad", jsGrad);
  exportFunction(env, exports, "setGrad", jsSetGrad);
  exportFunction(env, exports, "gradFn", jsGradFn);
  exportFunction(env, exports, "setData", jsSetData);
  exportFunction(env, exports, "retainGrad", jsRetainGrad);
  exportFunction(env, exports, "retainsGrad", jsRetainsGrad);
  exportFunction(env, exports, "backward", jsBackward);
  exportFunction(env, exports, "registerHook", jsRegisterHook);
  exportFunction(env, exports, "removeHook", jsRemoveHook);
  exportFunction(env, exports, "takeDeadHooks", jsTakeDeadHooks);
  exportFunction(env, exports, "setHookDispatcher", jsSetHookDispatcher);
  exportFunction(env, exports, "autogradGrad", jsAutogradGrad);
  exportFunction(env, exports, "isGradEnabled", jsIsGradEnabled);
  exportFunction(env, exports, "setGradEnabled", jsSetGradEnabled);
}

}  // namespace torchts
