"""Golden values for torchvision.models' ResNet, VGG and MobileNetV2
(test/vision_models.test.ts builds the same models).

Full-size models (FULL): torch.manual_seed(0), the builder called; the
state_dict's layout (names, shapes, dtypes) and each entry's summary (sum and
sum of squares in float64, its first values), then an eval-mode forward of INPUT
(torch.manual_seed(1); randn(1, 3, 32, 32)) under no_grad.
Small configurations (SMALL): the same, with all values of the output, then a
train step: torch.manual_seed(2), x = randn(4, 3, 32, 32), target = randint(0,
10, (4,)), loss = cross_entropy(model(x), target), backward, one SGD step
(lr=0.1, momentum=0.9, weight_decay=1e-4); the output, the loss, each
parameter's gradient and the state_dict after the step recorded as summaries.
resnet101 and resnet18(zero_init_residual=True): the layout and a few
tensors; resnet152 and resnext101_64x4d: parameter counts. vgg11 is built with
init_weights=False (the layers' own initialisation), vgg16_bn with it.
Reprs of resnet18 and mobilenet_v2 (and the small configurations) as print()
shows them. A MobileNetV2(width_mult=0.25, num_classes=10) whose BatchNorm
statistics have moved (three train-mode forwards) is saved with torch.save to
test/fixtures/vision_models/mobilenet_v2_w025.pt with its eval output on INPUT.
Conv2dNormActivation in three configurations: repr, seeded state, a forward.
Builder errors: Python's messages where torchvision raises them.
Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 vision_models.py"""
import os
from functools import partial
import warnings

import torch
import torch.nn.functional as F
import torchvision.models as tvm
from torchvision.models._utils import _make_divisible
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet
from torchvision.models.mobilenetv2 import MobileNetV2
from torchvision.models.vgg import VGG, make_layers
from torchvision.ops.misc import Conv2dNormActivation

from _common import FIXTURES, encode_tensor, write_fixture

warnings.simplefilter("ignore")
torch.set_num_threads(1)
# Convolutions through ATen's own im2col + BLAS, not oneDNN: oneDNN picks its
# kernels by CPU (a ResNet's weight gradient came out 1.4e-4 apart on an
# AVX-512 core from one made on another), BLAS's are pinned by
# scripts/blas_kernel.js. test/vision_models.test.ts does the same.
torch.backends.mkldnn.enabled = False

HEAD = 2


def summary(t):
    """[sum, sum of squares (both in float64), first values]: enough to show the same draws in the same order."""
    flat = t.detach().reshape(-1).double()
    return [float(flat.sum()), float((flat * flat).sum()), *flat[:HEAD].tolist()]


def layout(model):
    """The state_dict's names, shapes and dtypes, in its order."""
    return [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in model.state_dict().items()]


def state_summary(model):
    return [summary(v) for v in model.state_dict().values()]


torch.manual_seed(1)
INPUT = torch.randn(1, 3, 32, 32)

# name -> how the test builds it (the same words in both files)
FULL = {
    "resnet18": lambda: tvm.resnet18(),
    "resnet34": lambda: tvm.resnet34(),
    "resnet50": lambda: tvm.resnet50(),
    "resnext50_32x4d": lambda: tvm.resnext50_32x4d(),
    "wide_resnet50_2": lambda: tvm.wide_resnet50_2(),
    "vgg11": lambda: tvm.vgg11(init_weights=False, dropout=0.3),
    "vgg16_bn": lambda: tvm.vgg16_bn(),
    "mobilenet_v2": lambda: tvm.mobilenet_v2(),
}

SMALL = {
    "resnet_basic_1111": lambda: ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10),
    "resnet_bottleneck_groups_dilated": lambda: ResNet(
        Bottleneck, [1, 1, 2, 1], num_classes=10, zero_init_residual=True, groups=2, width_per_group=32,
        replace_stride_with_dilation=[False, True, True]),
    "mobilenet_v2_w025": lambda: tvm.mobilenet_v2(width_mult=0.25, num_classes=10),
    "mobilenet_v2_custom": lambda: MobileNetV2(
        num_classes=7, width_mult=0.5, inverted_residual_setting=[[1, 16, 1, 1], [3, 24, 2, 2], [2.5, 40, 2, 2]],
        round_nearest=4, dropout=0.3),
    "resnet_groupnorm": lambda: ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10, norm_layer=partial(torch.nn.GroupNorm, 8)),
}

models = {}
for name, build in FULL.items():
    torch.manual_seed(0)
    m = build()
    m.eval()
    with torch.no_grad():
        out = m(INPUT)
    models[name] = {"layout": layout(m), "state": state_summary(m), "eval_output": summary(out), "eval_values": out.reshape(-1)[:16].tolist()}
    print(name, sum(p.numel() for p in m.parameters()))
    del m

small = {}
for name, build in SMALL.items():
    torch.manual_seed(0)
    m = build()
    rec = {"repr": repr(m), "layout": layout(m), "state": state_summary(m)}
    m.eval()
    with torch.no_grad():
        rec["eval_output"] = encode_tensor(m(INPUT))
    m.train()
    torch.manual_seed(2)
    x = torch.randn(4, 3, 32, 32)
    num_classes = [mm for mm in m.modules() if isinstance(mm, torch.nn.Linear)][-1].out_features
    target = torch.randint(0, num_classes, (4,))
    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    out = m(x)
    loss = F.cross_entropy(out, target)
    loss.backward()
    opt.step()
    rec["train_output"] = encode_tensor(out)
    rec["target"] = target.tolist()
    rec["loss"] = loss.item()
    rec["grads"] = [summary(p.grad) for p in m.parameters()]
    rec["after_step"] = state_summary(m)
    small[name] = rec

# Deeper ResNets and BasicBlock's zero_init_residual: the layout and a few tensors only, to keep the fixture small.
extra = {}
for name, build in {"resnet101": lambda: tvm.resnet101(),
                    "resnet18_zero_init": lambda: tvm.resnet18(num_classes=10, zero_init_residual=True)}.items():
    torch.manual_seed(0)
    m = build()
    state = m.state_dict()
    picks = [k for k in state if k.endswith(("layer1.0.bn2.weight", "layer4.0.bn2.weight", "layer3.2.conv2.weight", "fc.weight", "fc.bias"))]
    extra[name] = {"layout": layout(m), "picked": {k: summary(state[k]) for k in picks}}
    del m

# Two of the remaining builders: their parameter counts (num_classes=10) and layouts' lengths.
counts = {}
for name in ["resnet152", "resnext101_64x4d"]:
    m = getattr(tvm, name)(num_classes=10)
    counts[name] = [sum(p.numel() for p in m.parameters()), len(m.state_dict())]
    del m

# Conv2dNormActivation (torchvision.ops.misc) on its own: repr, seeded state, a forward.
CNA = {
    "default": lambda: Conv2dNormActivation(3, 8),
    "tuple_kernel_dilated_silu": lambda: Conv2dNormActivation(4, 8, kernel_size=[3, 5], dilation=2, norm_layer=None, activation_layer=torch.nn.SiLU),
    "groupnorm_no_activation": lambda: Conv2dNormActivation(4, 6, 1, norm_layer=partial(torch.nn.GroupNorm, 2), activation_layer=None,
                                                            bias=True, inplace=None),
}
cna = {}
for name, build in CNA.items():
    torch.manual_seed(0)
    m = build()
    torch.manual_seed(4)
    x = torch.randn(1, m[0].in_channels, 5, 7)
    cna[name] = {"repr": repr(m), "layout": layout(m), "state": state_summary(m), "input": encode_tensor(x), "output": encode_tensor(m(x))}

torch.manual_seed(0)
reprs = {"resnet18": repr(tvm.resnet18()), "mobilenet_v2": repr(tvm.mobilenet_v2())}

# A state_dict saved by torchvision, with BatchNorm statistics that are not the defaults.
torch.manual_seed(5)
saved = tvm.mobilenet_v2(width_mult=0.25, num_classes=10)
saved.train()
with torch.no_grad():
    for _ in range(3):
        saved(torch.randn(4, 3, 32, 32) * 2 + 0.5)
saved.eval()
os.makedirs(os.path.join(FIXTURES, "vision_models"), exist_ok=True)
pt = os.path.join(FIXTURES, "vision_models", "mobilenet_v2_w025.pt")
torch.save(saved.state_dict(), pt)
with torch.no_grad():
    saved_output = encode_tensor(saved(INPUT))
print("saved", pt, os.path.getsize(pt), "bytes")

divisible = []
for v, d, mn in [(32 * 0.25, 8, None), (1280 * 1.0, 8, None), (16 * 0.35, 8, None), (96 * 0.75, 8, None), (24 * 1.4, 8, None),
                 (3.0, 8, None), (20.0, 16, None), (13.0, 4, 12), (100.0, 3, None), (7.6, 8, 2)]:
    divisible.append([v, d, mn, _make_divisible(v, d, mn)])


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - recording whatever torchvision raises
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    return None


errors = {
    "resnext_groups": error_of(lambda: tvm.resnext50_32x4d(groups=8)),
    "wide_width": error_of(lambda: tvm.wide_resnet50_2(width_per_group=64)),
    "basic_groups": error_of(lambda: ResNet(BasicBlock, [1, 1, 1, 1], groups=2)),
    "basic_dilation": error_of(lambda: ResNet(BasicBlock, [2, 2, 2, 2], replace_stride_with_dilation=[False, False, True])),
    "dilation_len": error_of(lambda: ResNet(BasicBlock, [1, 1, 1, 1], replace_stride_with_dilation=[False, True])),
    "inverted_stride": error_of(lambda: tvm.mobilenetv2.InvertedResidual(8, 8, 3, 6)),
    "setting_rows": error_of(lambda: MobileNetV2(inverted_residual_setting=[[1, 16, 1]])),
    "setting_empty": error_of(lambda: MobileNetV2(inverted_residual_setting=[])),
}

write_fixture("vision_models.json", {
    "input_head": INPUT.reshape(-1)[:8].tolist(),
    "input_sum": float(INPUT.double().sum()),
    "extra": extra,
    "counts": counts,
    "conv_norm_activation": cna,
    "models": models,
    "small": small,
    "reprs": reprs,
    "saved_output": saved_output,
    "make_divisible": divisible,
    "errors": errors,
})
