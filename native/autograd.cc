// Autograd entry points: the tensor's autograd fields, backward, grad, and
// grad mode. The algorithms are libtorch's; this only converts.
#include "tensor.h"
#include "addon_state.h"
#include "autograd_node.h"

#include <v8.h>
#include "warnings.h"

#include <torch/csrc/autograd/anomaly_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/autograd/engine.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/basic_ops.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/csrc/autograd/saved_variable.h>
#include <torch/version.h>
#include <c10/core/InferenceMode.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_set>

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

// variableData(t): Python's `t.data`, the same storage with no autograd
// history and a version counter of its own (not detach()'s shared one), so
// that writing through it is invisible to autograd's in-place checks, as
// Python's `p.data.add_(...)` is.
napi_value jsVariableData(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return wrapTensor(env, selfArg(env, CallArgs(env, info), "data").variable_data()); });
}

napi_value jsGradFn(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    const at::Tensor& t = selfArg(env, CallArgs(env, info), "gradFn");
    const NodePtr& fn = t.grad_fn();
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
at::Tensor callHook(const HookState& state, const at::Tensor& grad);

// The engine catches std::exception only: a Node-API failure with a JS
// exception pending (JsPending) must unwind it as one, as JsNode::apply does.
at::Tensor runHook(const HookState& state, const at::Tensor& grad) {
  try {
    return callHook(state, grad);
  } catch (const JsPending&) {
    throw std::runtime_error("a gradient hook raised an exception");
  }
}

at::Tensor callHook(const HookState& state, const at::Tensor& grad) {
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
// Otherwise the warnings the failed backward left (anomaly mode's report of
// where the failing node was made) are handed to JS before its error.
template <typename Call>
void rethrowPendingJs(napi_env env, Call&& call) {
  try {
    call();
  } catch (...) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      flushWarnings(env);
      napi_throw(env, error);
      throw JsPending{};
    }
    flushWarnings(env);
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


// ----- custom functions (Python's torch.autograd.Function) -----
//
// A JsNode is the graph node of one Function.apply: libtorch's engine calls
// its apply() with the output gradients, and it calls lib's dispatcher with
// its id, as a gradient hook does, so that the JS backward and its ctx stay
// in lib (a Map by id) and nothing here holds a JS reference. The saved
// tensors live here, as SavedVariables, as Python's PyNode keeps them: an
// output saved for backward must not hold its own node alive through a JS
// object, or neither would ever be freed. When the node goes, its id goes on
// a list lib collects to forget the ctx.

std::mutex deadFunctionsMutex;
std::vector<DeadHook> deadFunctions;
std::atomic<int64_t> nextFunctionId{1};

struct JsNode;
std::mutex liveFunctionsMutex;
std::unordered_map<int64_t, WeakNodeRef<JsNode>> liveFunctions;

std::mutex functionDispatchersMutex;
std::unordered_map<napi_env, napi_ref> functionDispatchers;

struct OutputInfo {
  bool defined;  // a tensor output (a non-tensor one gets no gradient)
  std::vector<int64_t> sizes;
  at::TensorOptions options;
};

struct JsNode : ReleaseAwareNode<torch::autograd::Node> {
  napi_env env;
  int64_t id;
  std::string name_;
  std::thread::id owner;
  bool materializeGrads = true;
  std::vector<OutputInfo> outputs;
  std::vector<torch::autograd::SavedVariable> saved;
  std::vector<bool> savedDefined;
  bool retired = false;  // released() ran

  std::string name() const override { return name_; }

  void release_variables() override {
    for (auto& v : saved) v.reset_data();
  }

  torch::autograd::variable_list apply(torch::autograd::variable_list&& grads) override;
  torch::autograd::variable_list callBackward(torch::autograd::variable_list&& grads);

  // The graph has let go: the node is no longer live, and its id goes to JS
  // (takeDeadFunctions) so that the Function's JS side is dropped. Once only:
  // an intrusive node is told before its destructor runs.
  void released() override {
    if (retired) return;
    retired = true;
    {
      std::lock_guard<std::mutex> lock(liveFunctionsMutex);
      liveFunctions.erase(id);
    }
    std::lock_guard<std::mutex> lock(deadFunctionsMutex);
    deadFunctions.push_back({env, id});
  }

  ~JsNode() override { released(); }
};

torch::autograd::variable_list JsNode::apply(torch::autograd::variable_list&& grads) {
  // The engine catches std::exception only: a pending JS exception (the
  // backward threw) must unwind it as one; jsBackward turns it back.
  try {
    return callBackward(std::move(grads));
  } catch (const JsPending&) {
    throw std::runtime_error("the backward of " + name_ + " raised an exception");
  }
}

torch::autograd::variable_list JsNode::callBackward(torch::autograd::variable_list&& grads) {
  if (std::this_thread::get_id() != owner) {
    throw std::runtime_error(
        name_ + ": a custom Function's backward would run on a thread other than its JS thread (an autograd device "
                "thread); torchts runs them only where backward runs on the calling thread, as it does for CPU tensors");
  }
  napi_ref ref = nullptr;
  {
    std::lock_guard<std::mutex> lock(functionDispatchersMutex);
    auto it = functionDispatchers.find(env);
    if (it != functionDispatchers.end()) ref = it->second;
  }
  if (!ref) throw std::runtime_error("autograd.Function: no function dispatcher is set");
  napi_handle_scope scope;
  check(env, napi_open_handle_scope(env, &scope));
  struct Close {
    napi_env env;
    napi_handle_scope scope;
    ~Close() { napi_close_handle_scope(env, scope); }
  } close{env, scope};
  std::vector<napi_value> items;
  for (size_t i = 0; i < grads.size(); ++i) {
    at::Tensor g = grads[i];
    // Python's set_materialize_grads: an output that got no gradient is
    // given zeros of its shape, unless the Function asked for None.
    if (!g.defined() && materializeGrads && i < outputs.size() && outputs[i].defined) g = at::zeros(outputs[i].sizes, outputs[i].options);
    items.push_back(g.defined() ? wrapTensor(env, g) : makeNull(env));
  }
  napi_value fn, global, result, argv[2];
  check(env, napi_get_reference_value(env, ref, &fn));
  check(env, napi_get_global(env, &global));
  check(env, napi_create_int64(env, id, &argv[0]));
  argv[1] = makeArray(env, items);
  if (napi_call_function(env, global, fn, 2, argv, &result) != napi_ok) {
    throw std::runtime_error("the backward of " + name_ + " raised an exception");
  }
  // lib has checked the count and the types and kept one per tensor input.
  std::vector<napi_value> out = toArray(env, result, "the gradients backward returned");
  torch::autograd::variable_list gradsIn;
  for (size_t i = 0; i < out.size(); ++i) {
    gradsIn.push_back(isNullish(env, out[i]) ? at::Tensor() : unwrapTensor(env, out[i], "the gradient backward returned"));
  }
  return gradsIn;
}

// A graph node's post hook (Python's grad_fn.register_hook(fn), which
// Module.register_backward_hook uses): the dispatcher is called with its id,
// the gradients the node computed for its inputs and those it was given;
// an array it returns replaces the first.
struct JsPostHook : torch::autograd::FunctionPostHook {
  napi_env env;
  int64_t id;
  std::thread::id owner;

  torch::autograd::variable_list operator()(const torch::autograd::variable_list& gradInputs,
                                            const torch::autograd::variable_list& gradOutputs) override {
    try {
      return call(gradInputs, gradOutputs);
    } catch (const JsPending&) {
      throw std::runtime_error("a backward hook raised an exception");
    }
  }

  torch::autograd::variable_list call(const torch::autograd::variable_list& gradInputs,
                                      const torch::autograd::variable_list& gradOutputs) {
    if (std::this_thread::get_id() != owner) {
      throw std::runtime_error("a backward hook would run on a thread other than its JS thread (an autograd device thread)");
    }
    napi_ref ref = nullptr;
    {
      std::lock_guard<std::mutex> lock(functionDispatchersMutex);
      auto it = functionDispatchers.find(env);
      if (it != functionDispatchers.end()) ref = it->second;
    }
    if (!ref) throw std::runtime_error("backward hook: no dispatcher is set");
    napi_handle_scope scope;
    check(env, napi_open_handle_scope(env, &scope));
    struct Close {
      napi_env env;
      napi_handle_scope scope;
      ~Close() { napi_close_handle_scope(env, scope); }
    } close{env, scope};
    auto list = [&](const torch::autograd::variable_list& ts) {
      std::vector<napi_value> items;
      for (const at::Tensor& t : ts) items.push_back(t.defined() ? wrapTensor(env, t) : makeNull(env));
      return makeArray(env, items);
    };
    napi_value fn, global, result, argv[3];
    check(env, napi_get_reference_value(env, ref, &fn));
    check(env, napi_get_global(env, &global));
    check(env, napi_create_int64(env, id, &argv[0]));
    argv[1] = list(gradInputs);
    argv[2] = list(gradOutputs);
    if (napi_call_function(env, global, fn, 3, argv, &result) != napi_ok) throw std::runtime_error("a backward hook raised an exception");
    if (isNullish(env, result)) return gradInputs;
    std::vector<napi_value> out = toArray(env, result, "the gradients a backward hook returned");
    // The engine indexes the result by the node's outputs: a wrong count must stop here.
    if (out.size() != gradInputs.size()) {
      throw std::runtime_error("hook 'hook' has returned an incorrect number of values (got " + std::to_string(out.size()) +
                               ", but expected " + std::to_string(gradInputs.size()) + ")");
    }
    torch::autograd::variable_list res;
    for (napi_value v : out) res.push_back(isNullish(env, v) ? at::Tensor() : unwrapTensor(env, v, "the gradient a backward hook returned"));
    return res;
  }

  ~JsPostHook() override {
    std::lock_guard<std::mutex> lock(deadFunctionsMutex);
    deadFunctions.push_back({env, id});
  }
};

// gradFnKey(tensor): an identity for tensor.grad_fn (0 for none), and
// nextFunctionKeys(tensor): those of its next_functions (0 for an unused
// edge), for Module's checks on a deprecated backward hook, which compare
// graph nodes as Python compares grad_fn objects.
double nodeKey(const torch::autograd::Node* n) { return static_cast<double>(reinterpret_cast<uintptr_t>(n)); }

napi_value jsGradFnKey(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    return makeNumber(env, nodeKey(selfArg(env, CallArgs(env, info), "gradFnKey").grad_fn().get()));
  });
}

napi_value jsNextFunctionKeys(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    const NodePtr& fn = selfArg(env, CallArgs(env, info), "nextFunctionKeys").grad_fn();
    std::vector<napi_value> out;
    if (fn) {
      for (const torch::autograd::Edge& e : fn->next_edges()) out.push_back(makeNumber(env, nodeKey(e.function.get())));
    }
    return makeArray(env, out);
  });
}

// registerNodeHook(tensor): a post hook on tensor.grad_fn; its id (the
// same id space as the custom functions', so one dispatcher serves both).
napi_value jsRegisterNodeHook(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    const at::Tensor& t = selfArg(env, args, "registerNodeHook");
    const NodePtr& fn = t.grad_fn();
    if (!fn) throw JsTypeError("register_hook: the tensor has no grad_fn");
    auto hook = std::make_unique<JsPostHook>();
    hook->env = env;
    hook->id = nextFunctionId++;
    hook->owner = std::this_thread::get_id();
    int64_t id = hook->id;
    fn->add_post_hook(std::move(hook));
    return makeInt(env, id);
  });
}

std::vector<at::Tensor> optionalTensorList(napi_env env, napi_value v, const std::string& what) {
  return tensorList(env, v, what, true);
}

using TensorImplSet = std::unordered_set<at::TensorImpl*>;

#if TORCH_VERSION_MAJOR >= 2
// libtorch 2 takes what setup_context saved (nothing here: forward saves
// through save_for_backward) and how to view an input returned as an output,
// which 1.13 did inside with view_as, as libtorch's own C++ Function does.
// Later 2.x (2.14 has it) also asks whether the function is a pure view
// (Python's own view functions; not ours) and gives back the node it
// attached as the outputs' history: ours, or the CopySlices that wraps it
// when a dirty view input was rebased. Which form this libtorch has is found
// by overload: the newer one where it compiles.
template <typename Ptr>
auto wrapOutputs(const torch::autograd::variable_list& inputs, const TensorImplSet& nonDiff, const TensorImplSet& dirty,
                 const std::vector<c10::optional<at::Tensor>>& raw, const Ptr& node, const torch::autograd::_jvp_fn_t& jvp,
                 Ptr& attached, int)
    -> decltype(torch::autograd::_wrap_outputs(inputs, nonDiff, dirty, raw, node, jvp, {}, torch::autograd::_view_as_self_fn_t(),
                                               false, attached)) {
  torch::autograd::_view_as_self_fn_t viewAsSelf = [](const at::Tensor& x) { return x.view_as(x); };
  return torch::autograd::_wrap_outputs(inputs, nonDiff, dirty, raw, node, jvp, {}, viewAsSelf, false, attached);
}

template <typename Ptr>
std::vector<c10::optional<at::Tensor>> wrapOutputs(const torch::autograd::variable_list& inputs, const TensorImplSet& nonDiff,
                                                   const TensorImplSet& dirty, const std::vector<c10::optional<at::Tensor>>& raw,
                                                   const Ptr& node, const torch::autograd::_jvp_fn_t& jvp, Ptr& attached, long) {
  torch::autograd::_view_as_self_fn_t viewAsSelf = [](const at::Tensor& x) { return x.view_as(x); };
  attached = node;
  return torch::autograd::_wrap_outputs(inputs, nonDiff, dirty, raw, node, jvp, {}, viewAsSelf);
}
#else
template <typename Ptr>
std::vector<c10::optional<at::Tensor>> wrapOutputs(const torch::autograd::variable_list& inputs, const TensorImplSet& nonDiff,
                                                   const TensorImplSet& dirty, const std::vector<c10::optional<at::Tensor>>& raw,
                                                   const Ptr& node, const torch::autograd::_jvp_fn_t& jvp, Ptr& attached, int) {
  attached = node;
  return torch::autograd::_wrap_outputs(inputs, nonDiff, dirty, raw, node, jvp);
}
#endif

// Where libtorch has node creation hooks (torch.autograd.graph's
// node_creation_hook, 2.14), a node attached as outputs' history fires them
// once it is whole, its saved tensors stored, as libtorch's own C++ Function
// does; older versions have none to fire.
// (Called unqualified, found through the node pointer's namespace once the
// template is used: a qualified name libtorch lacks would not compile.)
template <typename Ptr>
auto fireNodeCreationHooks(const Ptr& node, int) -> decltype(fire_node_creation_hooks(node)) {
  if (node) fire_node_creation_hooks(node);
}
template <typename Ptr>
void fireNodeCreationHooks(const Ptr&, long) {}

// functionApply(name, inputs, outputs, saved, dirty, nonDifferentiable,
// materializeGrads): what Python's Function.apply does once forward has run
// (torch/csrc/autograd/python_function.cpp): a node when any input needs a
// gradient and grad mode is on, its edges to the tensor inputs, the outputs
// given their history (dirty inputs rebased, non-differentiable ones left
// out, an input returned as it is made a view), the tensors saved. Returns
// [id (0 without a node), outputs].
napi_value jsFunctionApply(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 7) throw JsTypeError("functionApply(name, inputs, outputs, saved, dirty, nonDifferentiable, materialize)");
    std::string name = toString(env, args[0], "name");
    std::vector<at::Tensor> inputs = tensorList(env, args[1], "inputs", false);
    std::vector<at::Tensor> rawOutputs = tensorList(env, args[2], "outputs", true);
    std::vector<at::Tensor> toSave = optionalTensorList(env, args[3], "saved");
    std::vector<at::Tensor> dirty = tensorList(env, args[4], "dirty", false);
    std::vector<at::Tensor> nonDiff = tensorList(env, args[5], "non_differentiable", false);
    bool materialize = toBool(env, args[6], "materialize_grads");

    bool executable = c10::GradMode::is_enabled() && torch::autograd::any_variable_requires_grad(inputs);
    NodeRef<JsNode> node;
    if (executable) {
      node = makeNode<JsNode>();
      node->env = env;
      node->id = nextFunctionId++;
      node->name_ = name;
      node->owner = std::this_thread::get_id();
      node->materializeGrads = materialize;
      node->set_next_edges(torch::autograd::collect_next_edges(inputs));
    }
    TensorImplSet dirtySet, nonDiffSet;
    for (const at::Tensor& t : dirty) dirtySet.insert(t.unsafeGetTensorImpl());
    for (const at::Tensor& t : nonDiff) nonDiffSet.insert(t.unsafeGetTensorImpl());
    std::vector<c10::optional<at::Tensor>> raw;
    for (const at::Tensor& t : rawOutputs) raw.push_back(t.defined() ? c10::optional<at::Tensor>(t) : c10::nullopt);
    torch::autograd::_jvp_fn_t jvp = [name](torch::autograd::variable_list, torch::autograd::variable_list) -> torch::autograd::variable_list {
      throw std::runtime_error("forward-mode AD (jvp) is not implemented for the custom Function " + name);
    };
    NodePtr attached;
    std::vector<c10::optional<at::Tensor>> wrapped =
        wrapOutputs(inputs, nonDiffSet, dirtySet, raw, NodePtr(node), jvp, attached, 0);
    std::vector<napi_value> outs;
    for (auto& w : wrapped) outs.push_back(w.has_value() && w->defined() ? wrapTensor(env, *w) : makeNull(env));
    napi_value idValue;
    if (node) {
      for (const at::Tensor& t : rawOutputs) {
        node->outputs.push_back(t.defined() ? OutputInfo{true, t.sizes().vec(), t.options()} : OutputInfo{false, {}, {}});
      }
      for (const at::Tensor& t : toSave) {
        node->savedDefined.push_back(t.defined());
        if (!t.defined()) {
          node->saved.emplace_back();
          continue;
        }
        bool isOutput = t.grad_fn().get() == node.get();
        node->saved.emplace_back(t, isOutput);
      }
      {
        std::lock_guard<std::mutex> lock(liveFunctionsMutex);
        liveFunctions.insert_or_assign(node->id, WeakNodeRef<JsNode>(node));
      }
      fireNodeCreationHooks(attached, 0);
      check(env, napi_create_int64(env, node->id, &idValue));
    } else {
      check(env, napi_create_int64(env, 0, &idValue));
    }
    return makeArray(env, {idValue, makeArray(env, outs)});
  });
}

// functionSavedTensors(id): ctx.saved_tensors, unpacked (libtorch's error
// once backward has freed them).
napi_value jsFunctionSavedTensors(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("functionSavedTensors(id) needs the function's id");
    int64_t id = toInt64(env, args[0], "id");
    NodeRef<JsNode> node;
    {
      std::lock_guard<std::mutex> lock(liveFunctionsMutex);
      auto it = liveFunctions.find(id);
      if (it != liveFunctions.end()) node = it->second.lock();
    }
    if (!node) throw std::runtime_error("saved_tensors: the graph of this Function has been freed");
    std::vector<napi_value> out;
    for (size_t i = 0; i < node->saved.size(); ++i) {
      if (!node->savedDefined[i]) {
        out.push_back(makeNull(env));
        continue;
      }
      at::Tensor t = node->saved[i].unpack(node);
      out.push_back(wrapTensor(env, t));
    }
    return makeArray(env, out);
  });
}

napi_value jsTakeDeadFunctions(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    std::vector<int64_t> ids;
    {
      std::lock_guard<std::mutex> lock(deadFunctionsMutex);
      auto keep = std::remove_if(deadFunctions.begin(), deadFunctions.end(), [&](const DeadHook& d) {
        if (d.env != env) return false;
        ids.push_back(d.id);
        return true;
      });
      deadFunctions.erase(keep, deadFunctions.end());
    }
    std::vector<napi_value> out;
    for (int64_t id : ids) out.push_back(makeInt(env, id));
    return makeArray(env, out);
  });
}

napi_value jsSetFunctionDispatcher(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty() || typeOf(env, args[0]) != napi_function) throw JsTypeError("setFunctionDispatcher() expects a function");
    napi_ref ref;
    check(env, napi_create_reference(env, args[0], 1, &ref));
    std::lock_guard<std::mutex> lock(functionDispatchersMutex);
    auto it = functionDispatchers.find(env);
    if (it == functionDispatchers.end()) {
      // The env's reference goes with the env (a worker that ends).
      napi_add_env_cleanup_hook(
          env,
          [](void* arg) {
            napi_env e = static_cast<napi_env>(arg);
            std::lock_guard<std::mutex> l(functionDispatchersMutex);
            functionDispatchers.erase(e);
          },
          env);
    } else {
      napi_delete_reference(env, it->second);
    }
    functionDispatchers[env] = ref;
    return makeUndefined(env);
  });
}

// delayedError(message, tensors): Python's once_differentiable wraps the
// gradients backward returned in DelayedError, so that differentiating them
// again fails with its message rather than giving wrong numbers.
napi_value jsDelayedError(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2) throw JsTypeError("delayedError(message, tensors)");
    std::string msg = toString(env, args[0], "message");
    std::vector<at::Tensor> tensors = tensorList(env, args[1], "tensors", true);
    torch::autograd::variable_list inputs;
    for (const at::Tensor& t : tensors) {
      if (!t.defined()) {
        inputs.emplace_back();
        continue;
      }
      at::Tensor d = t.detach();
      d.set_requires_grad(true);
      inputs.push_back(d);
    }
    torch::autograd::DelayedError err(msg, static_cast<int>(inputs.size()));
    torch::autograd::variable_list outs = err(std::move(inputs));
    std::vector<napi_value> out;
    for (const at::Tensor& t : outs) out.push_back(t.defined() ? wrapTensor(env, t) : makeNull(env));
    return makeArray(env, out);
  });
}

// ----- inference mode and anomaly mode -----

// inferenceMode(enabled, fn): runs fn under c10::InferenceMode, Python's
// `with torch.inference_mode(mode):`; the guard is RAII, so it is restored
// however fn ends.
napi_value jsInferenceMode(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2 || typeOf(env, args[1]) != napi_function) throw JsTypeError("inference_mode(fn): fn must be a function");
    bool enabled = toBool(env, args[0], "mode");
    napi_value global, result;
    check(env, napi_get_global(env, &global));
    c10::InferenceMode mode(enabled);
    check(env, napi_call_function(env, global, args[1], 0, nullptr, &result));
    return result;
  });
}

// inferenceModeEnter(enabled): Python's `with torch.inference_mode(mode):`
// entered as a guard (`using _ = torch.inference_mode()`); the handle's
// exit restores the modes in force before. The guard lives in raw storage so
// that a handle collected without exit() restores nothing at a random time
// (its members are plain state, with nothing to free).
struct InferenceGuard {
  alignas(c10::InferenceMode) unsigned char storage[sizeof(c10::InferenceMode)];
  bool active = false;
  c10::InferenceMode* get() { return reinterpret_cast<c10::InferenceMode*>(storage); }
};
// The saved dispatch keys are plain. The saved AutogradState is plain up to
// 2.6; 2.14's also holds an optional Python object (the graph_exec_group that
// only Python's autograd sets), empty here, so a guard never exited frees
// nothing either way.
static_assert(std::is_trivially_destructible<c10::impl::LocalDispatchKeySet>::value, "the guard's saved keys are plain");
const napi_type_tag kInferenceGuardTag = {0x746f726368747321ULL, 0x496e6647756172ULL};

napi_value jsInferenceModeEnter(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.empty()) throw JsTypeError("inferenceModeEnter(mode)");
    bool enabled = toBool(env, args[0], "mode");
    auto* g = new InferenceGuard();
    napi_value handle = wrapHandle(env, g, kInferenceGuardTag);
    new (g->storage) c10::InferenceMode(enabled);
    g->active = true;
    return handle;
  });
}

napi_value jsInferenceModeExit(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    InferenceGuard* g = args.empty() ? nullptr : findHandle<InferenceGuard>(env, args[0], kInferenceGuardTag);
    if (g == nullptr) throw JsTypeError("inferenceModeExit(guard): not an inference_mode guard");
    if (g->active) {
      g->active = false;
      g->get()->~InferenceMode();
    }
    return makeUndefined(env);
  });
}

napi_value jsIsInferenceModeEnabled(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value { return makeBool(env, c10::InferenceMode::is_enabled()); });
}

// Under anomaly mode every node records where the forward call that made it
// was, and an error in backward prints it. libtorch's own record is a C++
// backtrace of the addon's frames; Python's engine records the Python
// traceback. Ours records the JS stack, as Python's does, through an engine
// that differs from libtorch's only in the metadata it makes (Python installs
// its PythonEngine the same way).
struct JsAnomalyMetadata : torch::autograd::AnomalyMetadata {
  std::string traceback;
  NodePtr parent;

  void store_stack() override {
    v8::Isolate* isolate = v8::Isolate::TryGetCurrent();
    if (isolate == nullptr) return;  // a node made on an autograd device thread
    v8::HandleScope scope(isolate);
    v8::Local<v8::StackTrace> trace = v8::StackTrace::CurrentStackTrace(isolate, 32);
    std::string out;
    for (int i = 0; i < trace->GetFrameCount(); ++i) {
      v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, i);
      v8::String::Utf8Value fn(isolate, frame->GetFunctionName());
      v8::String::Utf8Value script(isolate, frame->GetScriptName());
      out += "    at ";
      if (fn.length() > 0) out += std::string(*fn) + " (";
      out += (script.length() > 0 ? std::string(*script) : std::string("<anonymous>")) + ":" +
             std::to_string(frame->GetLineNumber()) + ":" + std::to_string(frame->GetColumn());
      if (fn.length() > 0) out += ")";
      out += "\n";
    }
    traceback = out;
  }

  void print_stack(const std::string& current_node_name) override {
    TORCH_WARN("Error detected in ", current_node_name, ". Traceback of forward call that caused the error:\n", traceback);
    NodePtr cur = parent;
    while (cur) {
      auto* meta = dynamic_cast<JsAnomalyMetadata*>(cur->metadata());
      if (meta == nullptr) break;
      TORCH_WARN("\n\nPrevious calculation was induced by ", cur->name(),
                 ". Traceback of forward call that induced the previous calculation:\n", meta->traceback);
      cur = meta->parent;
    }
  }

  void assign_parent(const NodePtr& parent_node) override { parent = parent_node; }
};

struct JsEngine : torch::autograd::Engine {
  std::unique_ptr<torch::autograd::AnomalyMetadata> make_anomaly_metadata() override {
    return std::make_unique<JsAnomalyMetadata>();
  }
  static torch::autograd::Engine& get() {
    static JsEngine engine;
    return engine;
  }
};

// setAnomalyEnabled(enabled, checkNan): libtorch's AnomalyMode, a process-wide flag as in Python.
napi_value jsSetAnomalyEnabled(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    CallArgs args(env, info);
    if (args.size() < 2) throw JsTypeError("setAnomalyEnabled(mode, check_nan)");
    torch::autograd::AnomalyMode::set_enabled(toBool(env, args[0], "mode"), toBool(env, args[1], "check_nan"));
    return makeUndefined(env);
  });
}

napi_value jsAnomalyState(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    return makeArray(env, {makeBool(env, torch::autograd::AnomalyMode::is_enabled()),
                           makeBool(env, torch::autograd::AnomalyMode::should_check_nan())});
  });
}

}  // namespace

void registerAutograd(napi_env env, napi_value exports) {
  torch::autograd::set_default_engine_stub(&JsEngine::get);
  exportFunction(env, exports, "requiresGrad", jsRequiresGrad);
  exportFunction(env, exports, "setRequiresGrad", jsSetRequiresGrad);
  exportFunction(env, exports, "isLeaf", jsIsLeaf);
  exportFunction(env, exports, "grad", jsGrad);
  exportFunction(env, exports, "setGrad", jsSetGrad);
  exportFunction(env, exports, "gradFn", jsGradFn);
  exportFunction(env, exports, "setData", jsSetData);
  exportFunction(env, exports, "variableData", jsVariableData);
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
  exportFunction(env, exports, "functionApply", jsFunctionApply);
  exportFunction(env, exports, "functionSavedTensors", jsFunctionSavedTensors);
  exportFunction(env, exports, "takeDeadFunctions", jsTakeDeadFunctions);
  exportFunction(env, exports, "setFunctionDispatcher", jsSetFunctionDispatcher);
  exportFunction(env, exports, "delayedError", jsDelayedError);
  exportFunction(env, exports, "registerNodeHook", jsRegisterNodeHook);
  exportFunction(env, exports, "gradFnKey", jsGradFnKey);
  exportFunction(env, exports, "nextFunctionKeys", jsNextFunctionKeys);
  exportFunction(env, exports, "inferenceMode", jsInferenceMode);
  exportFunction(env, exports, "inferenceModeEnter", jsInferenceModeEnter);
  exportFunction(env, exports, "inferenceModeExit", jsInferenceModeExit);
  exportFunction(env, exports, "isInferenceModeEnabled", jsIsInferenceModeEnabled);
  exportFunction(env, exports, "setAnomalyEnabled", jsSetAnomalyEnabled);
  exportFunction(env, exports, "anomalyState", jsAnomalyState);
}

}  // namespace torchts
