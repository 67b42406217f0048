# Golden values for test/autograd_breadth.test.ts: custom autograd Functions
# (forward, backward through loss.backward(), double backward, ctx features
# and Python's errors), inference mode, torch.autograd.functional, module
# hooks and anomaly mode, in PyTorch 1.13.
import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable
import torch.autograd.functional as AF

from _common import encode_tensor, write_fixture

torch.manual_seed(0)
inputs = {
    'x': torch.randn(3),
    'm': torch.randn(2, 3),
    'w': torch.randn(4, 3),
    'b': torch.randn(4),
    'v3': torch.randn(3),
    'v2': torch.randn(2),
}
I = lambda name: inputs[name].clone()
cases = {}


def record(name, fn):
    try:
        out = fn()
        if not isinstance(out, (list, tuple)):
            out = [out]
        vals = []
        for o in out:
            if isinstance(o, torch.Tensor):
                vals.append(encode_tensor(o.detach()))
            else:
                vals.append(o)
        cases[name] = {'values': vals}
    except Exception as e:  # noqa: BLE001
        cases[name] = {'error': {'type': type(e).__name__, 'message': str(e).split('\n')[0]}}


class MyExp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        return g * y


class MulConst(Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None


class Split3(Function):
    # Three outputs: two tensors and a plain number; a gradient per output.
    @staticmethod
    def forward(ctx, x):
        return x * 2, x.sum(), 5

    @staticmethod
    def backward(ctx, g1, g2, g3):
        assert g3 is None
        return g1 * 2 + g2


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x ** 2


class CubeOnce(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x ** 2


class Double_(Function):
    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 2


class SortFn(Function):
    @staticmethod
    def forward(ctx, x):
        values, indices = x.sort()
        ctx.mark_non_differentiable(indices)
        ctx.save_for_backward(indices)
        return values, indices

    @staticmethod
    def backward(ctx, g, gi):
        indices, = ctx.saved_tensors
        out = torch.zeros_like(g)
        out.index_add_(0, indices, g)
        return out


class TwoOutNoMaterialize(Function):
    seen = []

    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        TwoOutNoMaterialize.seen.append(g2 is None)
        return g1 * 2 if g2 is None else g1 * 2 + g2 * 3


class TwoOutMaterialize(Function):
    seen = []

    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        TwoOutMaterialize.seen.append(g2 is not None and bool((g2 == 0).all()))
        return g1 * 2 + g2 * 3


class NeedsGrad(Function):
    seen = []

    @staticmethod
    def forward(ctx, a, b, k):
        NeedsGrad.seen.append(list(ctx.needs_input_grad))
        return a * b * k

    @staticmethod
    def backward(ctx, g):
        NeedsGrad.seen.append(list(ctx.needs_input_grad))
        return g, None, None


class TooMany(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        return g, g


class TrailingNone(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        return g * 4, None, None


class WrongShape(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        return torch.ones(2)


class NotTensor(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        return 3


class GradForNumber(Function):
    @staticmethod
    def forward(ctx, x, k):
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g, g


class Raises(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        raise ValueError('boom in backward')


def leaf(name):
    return I(name).requires_grad_()


def fn_exp():
    x = leaf('x')
    y = MyExp.apply(x)
    (y * I('v3')).sum().backward()
    return [y, x.grad, y.grad_fn.name()]


def fn_mulconst():
    x = leaf('x')
    y = MulConst.apply(x, 2.5)
    y.pow(2).sum().backward()
    return [y, x.grad]


def fn_split3():
    x = leaf('x')
    a, s, five = Split3.apply(x)
    (a * I('v3')).sum().add(s * 3).backward()
    return [a, s, five, x.grad]


def fn_cube_double():
    x = leaf('x')
    y = Cube.apply(x)
    g, = torch.autograd.grad(y.sum(), x, create_graph=True)
    g2, = torch.autograd.grad((g * I('v3')).sum(), x)
    return [y, g, g2, g.requires_grad]


def fn_exp_double():
    # The saved tensor is the output: unpacked with its own node for the second derivative.
    x = leaf('x')
    y = MyExp.apply(x)
    g, = torch.autograd.grad(y, x, grad_outputs=I('v3'), create_graph=True)
    g2, = torch.autograd.grad(g.sum(), x)
    return [g, g2, g.grad_fn.name()]


def fn_cube_once_first():
    x = leaf('x')
    y = CubeOnce.apply(x)
    g, = torch.autograd.grad(y.sum(), x, create_graph=True)
    return [g, g.requires_grad]


def fn_cube_once_second():
    x = leaf('x')
    y = CubeOnce.apply(x)
    g, = torch.autograd.grad(y.sum(), x, create_graph=True)
    g.sum().backward()


def fn_dirty():
    a = leaf('x')
    x = a * 1
    y = Double_.apply(x)
    (y * I('v3')).sum().backward()
    return [y, x, a.grad, y is x, x.grad_fn.name()]


def fn_dirty_leaf():
    a = leaf('x')
    Double_.apply(a)


def fn_sort():
    x = leaf('x')
    values, indices = SortFn.apply(x)
    (values * I('v3')).sum().backward()
    return [values, indices, indices.requires_grad, x.grad]


def fn_no_materialize():
    TwoOutNoMaterialize.seen.clear()
    x = leaf('x')
    a, b = TwoOutNoMaterialize.apply(x)
    a.sum().backward()
    return [x.grad, TwoOutNoMaterialize.seen[0]]


def fn_materialize():
    TwoOutMaterialize.seen.clear()
    x = leaf('x')
    a, b = TwoOutMaterialize.apply(x)
    a.sum().backward()
    return [x.grad, TwoOutMaterialize.seen[0]]


def fn_needs_input_grad():
    NeedsGrad.seen.clear()
    a = leaf('x')
    b = I('v3')
    NeedsGrad.apply(a, b, 2.0).sum().backward()
    return [a.grad, NeedsGrad.seen[0], NeedsGrad.seen[1]]


def fn_no_grad_apply():
    x = leaf('x')
    with torch.no_grad():
        y = MyExp.apply(x)
    return [y, y.requires_grad, y.grad_fn is None]


def err(cls, *extra):
    def run():
        x = leaf('x')
        cls.apply(x, *extra).sum().backward()
        return [x.grad]
    return run


def fn_saved_after_backward():
    x = leaf('x')
    y = MyExp.apply(x)
    y.sum().backward()
    y.sum().backward()


def fn_retain_graph():
    x = leaf('x')
    y = MyExp.apply(x)
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    return [x.grad]


record('exp', fn_exp)
record('mulconst', fn_mulconst)
record('split3', fn_split3)
record('cube_double', fn_cube_double)
record('exp_double', fn_exp_double)
record('cube_once_first', fn_cube_once_first)
record('cube_once_second', fn_cube_once_second)
def fn_cube_once_twice():
    # A grad_output that requires grad: the result is wrapped in DelayedError.
    x = leaf('x')
    y = CubeOnce.apply(x)
    v = leaf('v3')
    g, = torch.autograd.grad(y, x, grad_outputs=v, create_graph=True)
    g.sum().backward()


record('cube_once_twice', fn_cube_once_twice)
record('dirty', fn_dirty)
record('dirty_leaf', fn_dirty_leaf)
record('sort', fn_sort)
record('no_materialize', fn_no_materialize)
record('materialize', fn_materialize)
record('needs_input_grad', fn_needs_input_grad)
record('no_grad_apply', fn_no_grad_apply)
record('too_many', err(TooMany))
record('trailing_none', err(TrailingNone))
record('wrong_shape', err(WrongShape))
record('not_tensor', err(NotTensor))
record('grad_for_number', err(GradForNumber, 2.0))
record('raises', err(Raises))
record('saved_after_backward', fn_saved_after_backward)
record('retain_graph', fn_retain_graph)


# ----- inference mode -----

def fn_inference():
    x = I('x')
    with torch.inference_mode():
        y = x * 2
        inside = torch.is_inference_mode_enabled()
        with torch.inference_mode(False):
            inner = torch.is_inference_mode_enabled()
            z = x * 3
    return [y, y.is_inference(), inside, inner, z.is_inference(), x.is_inference(), torch.is_inference_mode_enabled(), y.requires_grad]


def fn_inference_saved():
    w = leaf('v3')
    with torch.inference_mode():
        x = I('x') * 1
    (w * x).sum()


def fn_inference_inplace():
    with torch.inference_mode():
        x = I('x') * 1
    x.add_(1)


record('inference', fn_inference)
record('inference_saved', fn_inference_saved)
record('inference_inplace', fn_inference_inplace)


# ----- torch.autograd.functional -----

def f1(x):
    return x.exp() * x.sum()


def f2(a, b):
    return a * b.sin(), (a ** 2).sum() + b.prod()


def fs(x):
    return (x.exp() * x).sum()


def fs2(a, b):
    return (a.sin() * b ** 2).sum()


record('jacobian_single', lambda: AF.jacobian(f1, I('x')))
record('jacobian_tuple', lambda: [t for row in AF.jacobian(f2, (I('x'), I('v3'))) for t in row])
record('jacobian_create_graph', lambda: [AF.jacobian(f1, leaf('x'), create_graph=True).requires_grad, AF.jacobian(f1, I('x')).requires_grad])
record('jacobian_strict_indep', lambda: AF.jacobian(lambda a, b: a * 2, (I('x'), I('v3')), strict=True))
record('jacobian_nonstrict_indep', lambda: list(AF.jacobian(lambda a, b: a * 2, (I('x'), I('v3')))))
record('hessian_single', lambda: AF.hessian(fs, I('x')))
record('hessian_tuple', lambda: [t for row in AF.hessian(fs2, (I('x'), I('v3'))) for t in row])
record('hessian_not_scalar', lambda: AF.hessian(f1, I('x')))
record('vjp_single', lambda: list(AF.vjp(f1, I('x'), I('v3'))))
record('vjp_tuple', lambda: [AF.vjp(f2, (I('x'), I('v3')), (I('x'), torch.tensor(2.0)))[1][i] for i in range(2)])
record('vjp_bad_v', lambda: AF.vjp(f1, I('x'), I('v2')))
record('vjp_no_v', lambda: AF.vjp(f1, I('x')))
record('jvp_single', lambda: list(AF.jvp(f1, I('x'), I('v3'))))
record('jvp_tuple', lambda: list(AF.jvp(f2, (I('x'), I('v3')), (I('v3'), I('x')))[1]))
record('vhp_single', lambda: list(AF.vhp(fs, I('x'), I('v3'))))
record('hvp_single', lambda: list(AF.hvp(fs, I('x'), I('v3'))))
record('hvp_tuple', lambda: list(AF.hvp(fs2, (I('x'), I('v3')), (I('v3'), I('x')))[1]))
record('vhp_tuple', lambda: list(AF.vhp(fs2, (I('x'), I('v3')), (I('v3'), I('x')))[1]))
record('hvp_create_graph', lambda: [AF.hvp(fs, leaf('x'), I('v3'), create_graph=True)[1].requires_grad])
record('vjp_strict_output', lambda: AF.vjp(lambda x: torch.ones(3), I('x'), I('v3'), strict=True))
record('jacobian_bad_input', lambda: AF.jacobian(f1, 3))


# ----- module hooks -----

def make_linear():
    lin = torch.nn.Linear(3, 4)
    with torch.no_grad():
        lin.weight.copy_(I('w'))
        lin.bias.copy_(I('b'))
    return lin


def fn_forward_hooks():
    lin = make_linear()
    calls = []

    def pre(mod, inp):
        calls.append('pre')
        return (inp[0] * 2,)

    def post(mod, inp, out):
        calls.append('post')
        return out + 1

    h1 = lin.register_forward_pre_hook(pre)
    h2 = lin.register_forward_hook(post)
    a = lin(I('m'))
    h1.remove()
    b = lin(I('m'))
    h2.remove()
    c = lin(I('m'))
    return [a, b, c, ','.join(calls)]


def fn_full_backward_hook():
    lin = make_linear()
    seen = []

    def hook(mod, grad_input, grad_output):
        seen.append(grad_input[0])
        seen.append(grad_output[0])
        return (grad_input[0] * 10,)

    lin.register_full_backward_hook(hook)
    x = leaf('m')
    out = lin(x)
    (out * out).sum().backward()
    return [out, seen[0], seen[1], x.grad, lin.weight.grad]


def fn_full_backward_hook_no_input_grad():
    lin = make_linear()
    seen = []

    def hook(mod, grad_input, grad_output):
        seen.append(grad_input[0] is None)
        seen.append(grad_output[0])

    lin.register_full_backward_hook(hook)
    out = lin(I('m'))
    out.sum().backward()
    return [seen[0], seen[1], lin.bias.grad]


def fn_backward_hook_deprecated():
    lin = make_linear()
    seen = []

    def hook(mod, grad_input, grad_output):
        seen.append(len(grad_input))
        seen.extend([g for g in grad_input])
        seen.append(grad_output[0])

    lin.register_backward_hook(hook)
    x = leaf('m')
    out = lin(x)
    (out * out).sum().backward()
    return seen


def fn_mixed_backward_hooks():
    lin = make_linear()
    lin.register_full_backward_hook(lambda m, gi, go: None)
    lin.register_backward_hook(lambda m, gi, go: None)


class TwoNodes(torch.nn.Module):
    def forward(self, x):
        return x * 2, x + 1


class ScaleBy(torch.nn.Module):
    def forward(self, x, k):
        return x * k


def backward_hook_warnings(module, *args):
    import warnings
    module.register_backward_hook(lambda m, gi, go: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        module(*args)
    return [str(w.message) for w in caught]


record('backward_hook_warn_linear', lambda: backward_hook_warnings(make_linear(), leaf('m')))
record('backward_hook_warn_two_nodes', lambda: backward_hook_warnings(TwoNodes(), leaf('x')))
record('backward_hook_warn_non_tensor_input', lambda: backward_hook_warnings(ScaleBy(), leaf('x'), 2.0))
record('forward_hooks', fn_forward_hooks)
record('full_backward_hook', fn_full_backward_hook)
record('full_backward_hook_no_input_grad', fn_full_backward_hook_no_input_grad)
record('backward_hook_deprecated', fn_backward_hook_deprecated)
record('mixed_backward_hooks', fn_mixed_backward_hooks)


# ----- anomaly mode -----

def fn_anomaly_nan():
    x = torch.zeros(3, requires_grad=True)
    with torch.autograd.detect_anomaly():
        y = x.sqrt() * 0
        y.sum().backward()


def fn_anomaly_off_nan():
    x = torch.zeros(3, requires_grad=True)
    y = x.sqrt() * 0
    y.sum().backward()
    return [x.grad]


def fn_anomaly_flags():
    a = torch.is_anomaly_enabled()
    with torch.autograd.detect_anomaly():
        b = torch.is_anomaly_enabled()
        c = torch.is_anomaly_check_nan_enabled()
    with torch.autograd.detect_anomaly(check_nan=False):
        d = torch.is_anomaly_check_nan_enabled()
    torch.autograd.set_detect_anomaly(True)
    e = torch.is_anomaly_enabled()
    torch.autograd.set_detect_anomaly(False)
    return [a, b, c, d, e, torch.is_anomaly_enabled()]


class NanBackward(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        return g * float('nan')


def fn_anomaly_custom():
    x = leaf('x')
    with torch.autograd.detect_anomaly():
        NanBackward.apply(x).sum().backward()


record('anomaly_nan', fn_anomaly_nan)
record('anomaly_off_nan', fn_anomaly_off_nan)
record('anomaly_flags', fn_anomaly_flags)
record('anomaly_custom', fn_anomaly_custom)

write_fixture('autograd_breadth.json', {'inputs': {k: encode_tensor(v) for k, v in inputs.items()}, 'cases': cases})
