"""Golden outputs of the factories Python writes by hand (range, linspace,
logspace, full, randint, as_tensor, asarray, the sparse constructors,
nonzero) and of the Tensor properties and methods that are not ATen schemas
(layout, mT, mH, H, real, imag, new_tensor, apply_, map_, map2_, set_,
storage_offset, casts with memory_format). Each case is a call the test makes
the same way in TypeScript. Also the deprecated signatures Python still accepts.
Run: /usr/bin/python3 scripts/golden/factories.py"""
import torch

from _common import encode_tensor, write_fixture

cases = {}


def case(name, value):
    if isinstance(value, torch.Tensor):
        value = value.to_dense() if value.layout != torch.strided else value
        cases[name] = {"tensor": encode_tensor(value)}
    else:
        cases[name] = {"value": value}


case("range(0, 2)", torch.range(0, 2))
case("range(0, 2, 0.5)", torch.range(0, 2, 0.5))
case("range(1, 4, dtype=float64)", torch.range(1, 4, dtype=torch.float64))
case("linspace(0, 1, 5)", torch.linspace(0, 1, 5))
case("linspace(-2, 3, 4, dtype=int64)", torch.linspace(-2, 3, 4, dtype=torch.int64))
case("logspace(0, 2, 3)", torch.logspace(0, 2, 3))
case("logspace(0, 3, 4, base=2)", torch.logspace(0, 3, 4, base=2))
case("logspace(-1, 1, 5, 3.0, dtype=float64)", torch.logspace(-1, 1, 5, 3.0, dtype=torch.float64))
case("full([2, 2], 7)", torch.full([2, 2], 7))
case("full([3], True)", torch.full([3], True))
case("full([2], 2.5)", torch.full([2], 2.5))
torch.manual_seed(0)
case("randint(10, [5]) after manual_seed(0)", torch.randint(10, [5]))
torch.manual_seed(0)
case("randint(3, 9, [2, 3], dtype=int32) after manual_seed(0)", torch.randint(3, 9, [2, 3], dtype=torch.int32))
case("as_tensor([1, 2.5])", torch.as_tensor([1, 2.5]))
case("asarray([[1, 2], [3, 4]])", torch.asarray([[1, 2], [3, 4]]))
case("sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], [3, 4, 5], [2, 3])",
     torch.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], [3, 4, 5], [2, 3]))
case("sparse_coo_tensor([[0, 1], [1, 0]], [1.5, 2])", torch.sparse_coo_tensor([[0, 1], [1, 0]], [1.5, 2]))
case("sparse_csr_tensor([0, 2, 3], [0, 2, 1], [1.5, 2, 3], [2, 3])",
     torch.sparse_csr_tensor([0, 2, 3], [0, 2, 1], [1.5, 2, 3], [2, 3]))
case("sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], [1.5, 2, 3], [2, 3])",
     torch.sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], [1.5, 2, 3], [2, 3]))
case("sparse_bsr_tensor([0, 1, 1], [0], [[[1.5, 2], [3, 4]]], [4, 2])",
     torch.sparse_bsr_tensor([0, 1, 1], [0], [[[1.5, 2], [3, 4]]], [4, 2]))
case("nonzero(tensor([[0, 1], [2, 0]]))", torch.nonzero(torch.tensor([[0, 1], [2, 0]])))
case("nonzero(tensor([[0, 1], [2, 0]]), as_tuple=True)[1]", torch.nonzero(torch.tensor([[0, 1], [2, 0]]), as_tuple=True)[1])

m = torch.arange(12.0).reshape(2, 2, 3)
case("m.mT", m.mT)
c = torch.complex(torch.tensor([[1.0, 2], [3, 4]]), torch.tensor([[0.5, -1], [2, 0]]))
case("c.mH.real", c.mH.real)
case("c.mH.imag", c.mH.imag)
case("c.H.imag", c.H.imag)
z = torch.zeros(2, dtype=torch.complex64)
z.real = torch.tensor([3.0, 4])
z.imag = 1.5
case("z.real = [3, 4]; z.imag = 1.5 (real)", z.real)
case("z.real = [3, 4]; z.imag = 1.5 (imag)", z.imag)
x = torch.tensor([[1.5, 2], [3, 4]])
case("x.new_tensor([1, 2])", x.new_tensor([1, 2]))
case("x.new_tensor([1, 2], dtype=int32)", x.new_tensor([1, 2], dtype=torch.int32))
case("x.clone().apply_(lambda v: v * 10 + 1)", x.clone().apply_(lambda v: v * 10 + 1))
case("x.clone().map_(tensor([1, 2]), lambda a, b: a * b)", x.clone().map_(torch.tensor([1.0, 2]), lambda a, b: a * b))
case("x.clone().map2_(tensor([1, 2]), tensor([[1], [0]]), lambda a, b, c: a + b * c)",
     x.clone().map2_(torch.tensor([1.0, 2]), torch.tensor([[1.0], [0]]), lambda a, b, c: a + b * c))
src = torch.arange(6.0)
s = torch.zeros(1)
s.set_(src, 2, [2, 2])
case("set_(arange(6), 2, [2, 2])", s)
case("set_(arange(6), 1, [2], [3])", torch.zeros(1).set_(src, 1, [2], [3]))
case("arange(6)[2:].storage_offset()", src[2:].storage_offset())
case("x.byte()", x.byte())
case("x.char()", (x - 3).char())
case("x.short()", x.short())
case("x.cdouble().real", x.cdouble().real)
cl = torch.arange(24.0).reshape(1, 2, 3, 4)
case("cl.float(memory_format=channels_last).stride()", list(cl.float(memory_format=torch.channels_last).stride()))
case("cl.double(memory_format=channels_last).stride()", list(cl.double(memory_format=torch.channels_last).stride()))

# Python's deprecated signatures (tools/autograd/deprecated.yaml), still accepted with a warning.
import warnings  # noqa: E402
warnings.simplefilter("ignore")
a = torch.ones(2, 2)
b = torch.ones(2, 2) * 3
v = torch.ones(2)
case("deprecated add(a, 2, b)", torch.add(a, 2, b))
case("deprecated a.add(2, b)", a.add(2, b))
case("deprecated a.clone().sub_(2, b)", a.clone().sub_(2, b))
case("deprecated addmm(0.5, a, 2, b, b)", torch.addmm(0.5, a, 2, b, b))
case("deprecated a.addmm(0.5, b, b)", a.addmm(0.5, b, b))
case("deprecated addcdiv(a, 2, b, b)", torch.addcdiv(a, 2, b, b))
case("deprecated a.clone().addcmul_(2, b, b)", a.clone().addcmul_(2, b, b))
case("deprecated addmv(0.5, v, 2, b, v)", torch.addmv(0.5, v, 2, b, v))
case("deprecated addr(0.5, a, v, v)", torch.addr(0.5, a, v, v))
case("deprecated baddbmm(0.5, a[None], 2, b[None], b[None])", torch.baddbmm(0.5, a[None], 2, b[None], b[None]))
case("deprecated sub(a, 2, b, out=)", torch.sub(a, 2, b, out=torch.empty(2, 2)))

write_fixture("factories.json", {"cases": cases})
