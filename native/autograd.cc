// Autograd entry points: the tensor's autograd fields, backward, grad, and
// grad mode. The algorithms are libtorch's; this only converts.
#include "tensor.h"
#include "warnings.h"

#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/grad_mode.h>

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
    torch::autograd::backward(tensors, grads, retain, create, inputs);
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
    std::vector<at::Tensor> grads = torch::autograd::grad(outputs, inputs, gradOutputs, retain, create, allowUnused);
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
  exportFunction(env, exports, "autogradGrad", jsAutogradGrad);
  exportFunction(env, exports, "isGradEnabled", jsIsGradEnabled);
  exportFunction(env, exports, "setGradEnabled", jsSetGradEnabled);
}

}  // namespace torchts
