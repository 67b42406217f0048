"""Writes lib/_generated/: every ATen operator Python exposes, as PyTorch's own
generator (tools/autograd/gen_python_functions.py) exposes it.

    npm run gen:ops        (/usr/bin/python3 scripts/gen_ops.py)

Reads native_functions.yaml through torchgen (shipped with python3-torch), so
the parser signature strings are PyTorch's own (torchgen.api.python), grouped
and ordered by PyTorch's rules (a functional overload and its out= overload
share one signature; Tensor before Scalar, int before int[], ...). The
installed torch says which names Python really has (dir(torch._C._TensorBase),
torch._C._VariableFunctions, _nn, _linalg, _fft, _special): the generated set
is that set, less the names torchts writes by hand (lib/tensor.ts,
lib/functions.ts, lib/factories.ts), which the generator reads to leave them
out of the declarations.

Each libtorch version has its own table, made from that version's yaml by
that version's rules: lib/_ops_table.ts picks the one of the libtorch the
addon was built against. Torch 2.x ships PyTorch's own generator
(torchgen/packaged/autograd/gen_python_functions.py): its skip lists, its
deprecated signatures (deprecated.yaml) and its overload order are used as
they are. Torch 1.13 ships none, so this file keeps a copy of 1.13's rules.

Writes:
  lib/_generated/ops_table_<major>_<minor>.ts
                                the overloads per name, one string each, parsed
                                on a name's first call (lib/_dispatch.ts)
  lib/_generated/tensor_methods.ts, torch_functions.ts, nn.ts, linalg.ts, ...
                                the TypeScript declarations and bindings: one
                                set, made only under torch DECLARATIONS_FROM
"""
import collections
import os
import re
import sys

import torch
import torchgen
from torchgen.api import cpp
import torchgen.api.python as pyapi
from torchgen.api.python import PythonSignatureGroup, PythonSignatureNativeFunctionPair, signature
from torchgen.gen import parse_native_yaml
from torchgen.model import Variant

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "lib", "_generated")
YAML_DIR = os.path.join(os.path.dirname(torchgen.__file__), "packaged", "ATen", "native")
VERSION = tuple(int(x) for x in re.match(r"(\d+)\.(\d+)", torch.__version__).groups())
# The torch whose names the TypeScript declarations list (the tables of the
# other versions serve the same declarations; a name one of them lacks is a
# clear error on its first call).
DECLARATIONS_FROM = (1, 13)
# PyTorch's own generator, shipped with torch 2.x (not with 1.13).
try:
    from torchgen.packaged.autograd import gen_python_functions as pyfn
except ImportError:
    pyfn = None
# (renamed from namedtuple_fieldnames in torch 2.1)
_fieldnames = getattr(pyapi, "structseq_fieldnames", None) or getattr(pyapi, "namedtuple_fieldnames")

# Operators PyTorch binds by hand or not at all (gen_python_functions.py's
# _SKIP_PYTHON_BINDINGS): their Python names, where Python has them, come
# from hand-written code (python_variable_methods.cpp, torch/_tensor.py).
SKIP = [
    "alias", "contiguous", "is_cuda", "is_sparse", "is_sparse_csr", "size", "stride",
    ".*_backward", ".*_backward_(out|input|weight|bias)", ".*_forward", ".*_forward_out",
    "_unsafe_view", "tensor", "_?sparse_(coo|compressed|csr|csc|bsr|bsc)_tensor.*",
    "_arange.*", "_range.*", "linspace.*", "logspace.*",
    "_sparse_add_out", "_sparse_div.*", "_sparse_mul.*", "_sparse_sub.*", "_sparse_dense_add_out",
    "index", "unique_dim_consecutive", "_cumsum.*", "_cumprod.*", "_sum.*", "_prod.*",
    "_th_.*", "_thnn_.*", "arange.*", "range.*", "_solve.*", "_inverse.*", "full(_out)?",
    "_cholesky.*", "_triangular_solve.*", "_qr.*", "_symeig.*", "_svd.*",
    "slice", "randint(_out)?", "item", "_local_scalar_dense", "to", "_to_copy",
    "copy_sparse_to_sparse_", "copy_", "numpy_T", "matrix_H", "mT", "mH",
    "nonzero(_(out|numpy))?", "set_data", ".*_overrideable",
    "data", "is_leaf", "output_nr", "_version", "requires_grad_", "retains_grad", "set_",
    "_fw_primal", "fake_quantize_per_tensor_affine_cachemask",
    "fake_quantize_per_channel_affine_cachemask", "_new_zeros_with_same_feature_meta",
    "_has_same_storage_numel", "_reshape_alias", "replace_",
]
SKIP_RE = [re.compile(rf"^{p}$") for p in SKIP]

# Overloads PyTorch leaves out so that a number goes to the Tensor overload
# as a wrapped number (SKIP_PYTHON_BINDINGS_SIGNATURES).
SKIP_SIGNATURES = {
    "add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor",
    "add_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)",
    "sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor",
    "sub_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)",
    "mul.Scalar(Tensor self, Scalar other) -> Tensor",
    "mul_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)",
    "div.Scalar(Tensor self, Scalar other) -> Tensor",
    "div_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)",
}

# Where each namespace's functions live in Python, and the prefix their
# yaml names carry there (torch.linalg.det is torch._C._linalg.linalg_det).
NAMESPACES = {
    "torch": (torch._C._VariableFunctions, None, ""),
    "nn": (torch._C._nn, "nn", ""),
    "linalg": (torch._C._linalg, "linalg", "linalg_"),
    "fft": (torch._C._fft, "fft", "fft_"),
    "special": (torch._C._special, "special", "special_"),
}
PUBLIC = {"linalg": torch.linalg, "fft": torch.fft, "special": torch.special}


def should_bind(f):
    name = cpp.name(f.func)
    if any(r.match(name) for r in SKIP_RE):
        return False
    return str(f.func) not in SKIP_SIGNATURES


def group_overloads(pairs):
    """A functional overload and the out= overload whose signature is the same but for out share one entry."""
    bases, outs = {}, {}
    for p in pairs:
        key = p.signature.signature_str(skip_outputs=True)
        (outs if p.function.func.is_out_fn() else bases)[key] = p
    return [PythonSignatureGroup.from_pairs(b, outs.get(k)) for k, b in bases.items()]


def is_arg_smaller(t1, t2):
    s1, s2 = str(t1), str(t2)
    return (
        (s1 == "Scalar" and s2 == "Tensor")
        or ("Dimname" in s1 and "Dimname" not in s2)
        or (s1 == "int[]" and s2 in ("int", "int?"))
        or (s1 == "Tensor[]" and "[]" in s2)
        # SymInt variants order as their int counterparts
        or (s1 == "SymInt[]" and s2 in ("SymInt", "SymInt?", "int", "int?"))
    )


def is_smaller(s1, s2):
    a1, a2 = s1.arguments(skip_outputs=True), s2.arguments(skip_outputs=True)
    if len(a1) != len(a2):
        return False
    equal = all(x.type == y.type for x, y in zip(a1, a2))
    smaller_or_equal = all(str(x.type) == str(y.type) or is_arg_smaller(x.type, y.type) for x, y in zip(a1, a2))
    return smaller_or_equal and not equal


def sort_overloads(groups):
    """PyTorch's order (sort_overloads): by signature text, then Tensor before Scalar, int before int[], lists last."""
    groups = sorted(groups, key=lambda g: g.signature.signature_str())
    larger_than = collections.defaultdict(set)
    for i1, g1 in enumerate(groups):
        for i2, g2 in enumerate(groups):
            if is_smaller(g1.signature, g2.signature):
                larger_than[i1].add(i2)
    if not larger_than:
        return groups
    order = [i for i in range(len(groups)) if i not in larger_than]
    for idx in range(len(groups)):
        i = order[idx]
        for j in sorted(larger_than.keys()):
            larger = larger_than[j]
            larger.discard(i)
            if not larger:
                del larger_than[j]
                order.append(j)
    return [groups[i] for i in order]


def fieldnames(f):
    """The named tuple's fields; none where the returns are not all named (torchgen refuses those)."""
    try:
        return _fieldnames(f.func.returns)
    except ValueError:
        return []


def entry(group):
    """One overload: `signature|overload|out overload|named-tuple fields[|deprecated]`."""
    base = group.base.func.name
    out = group.outplace.func.name.overload_name if group.outplace is not None else ""
    fields = ",".join(fieldnames(group.base))
    sig = group.signature.signature_str()
    # torch 2's deprecated signatures carry the parser's marker themselves; here it is the fifth field.
    deprecated = sig.endswith("|deprecated")
    if deprecated:
        sig = sig[: -len("|deprecated")]
        fields = ""
    return "|".join([sig, base.overload_name or "", out, fields] + (["deprecated"] if deprecated else []))


def collect(functions, method, pred, prefix=""):
    by_name = collections.defaultdict(list)
    for f in functions:
        if pred(f):
            by_name[str(f.func.name.name)].append(PythonSignatureNativeFunctionPair(signature=signature(f, method=method), function=f))
    table = {}
    for name in sorted(by_name):
        groups = sort_overloads(group_overloads(by_name[name]))
        table[name[len(prefix):] if prefix and name.startswith(prefix) else name] = (name, [entry(g) for g in groups], groups)
    return table


def add_deprecated(ns, table):
    for name, (yaml_name, entries, groups) in table.items():
        entries.extend(deprecated_entries(ns, name, groups))


# Python's deprecated signatures (tools/autograd/deprecated.yaml): accepted,
# with a warning, after the others, and never listed in an error message.
# Each is (name, Python parameters with `self`); the function form names self
# `input` and takes out= where the operator has an out= overload, the method
# form (and its in-place twin) leaves self out. Their parameters are the
# schema's own names, so a call binds to the ATen overload by name.
DEPRECATED = [
    ("add", "Tensor self, Scalar alpha, Tensor other"),
    ("sub", "Tensor self, Scalar alpha, Tensor other"),
    ("addbmm", "Scalar beta, Tensor self, Scalar alpha, Tensor batch1, Tensor batch2"),
    ("addbmm", "Scalar beta, Tensor self, Tensor batch1, Tensor batch2"),
    ("addcdiv", "Tensor self, Scalar value, Tensor tensor1, Tensor tensor2"),
    ("addcmul", "Tensor self, Scalar value, Tensor tensor1, Tensor tensor2"),
    ("addmm", "Scalar beta, Tensor self, Scalar alpha, Tensor mat1, Tensor mat2"),
    ("addmm", "Scalar beta, Tensor self, Tensor mat1, Tensor mat2"),
    ("sspaddmm", "Scalar beta, Tensor self, Scalar alpha, Tensor mat1, Tensor mat2"),
    ("sspaddmm", "Scalar beta, Tensor self, Tensor mat1, Tensor mat2"),
    ("addmv", "Scalar beta, Tensor self, Scalar alpha, Tensor mat, Tensor vec"),
    ("addmv", "Scalar beta, Tensor self, Tensor mat, Tensor vec"),
    ("addr", "Scalar beta, Tensor self, Scalar alpha, Tensor vec1, Tensor vec2"),
    ("addr", "Scalar beta, Tensor self, Tensor vec1, Tensor vec2"),
    ("baddbmm", "Scalar beta, Tensor self, Scalar alpha, Tensor batch1, Tensor batch2"),
    ("baddbmm", "Scalar beta, Tensor self, Tensor batch1, Tensor batch2"),
]


def deprecated_entries(ns, name, groups):
    """The table lines of name's deprecated signatures: `signature|overload|out overload||deprecated`."""
    base = name[:-1] if name.endswith("_") else name
    lines = []
    for dname, params in DEPRECATED:
        if dname != base or (ns != "tensor" and name != base):
            continue
        # The overload whose parameters these are: the one with every name but self (add.Tensor, not add.Scalar).
        names = {p.split()[-1] for p in params.split(", ")} - {"self", "alpha", "beta", "value"}
        group = next((g for g in groups if names <= {a.name for a in g.base.func.arguments.flat_all}), None)
        if group is None:
            continue
        overload = group.base.func.name.overload_name or ""
        out = group.outplace.func.name.overload_name if group.outplace is not None else ""
        if ns == "tensor":
            sig = ", ".join(p for p in params.split(", ") if p != "Tensor self")
        else:
            sig = params.replace("Tensor self", "Tensor input") + (", *, Tensor out=None" if out else "")
            out = out if out else ""
        lines.append("|".join([f"{name}({sig})", overload, out if ns != "tensor" else "", "", "deprecated"]))
    return lines


def hand_written():
    """The names lib/ writes by hand: they win over generated ones and keep their own declarations."""
    def read(path):
        with open(os.path.join(ROOT, path)) as fh:
            return fh.read()
    methods = set(re.findall(r"^  (?:static |get |set )?(\w+)\(", read("lib/tensor.ts"), re.M))
    methods |= set(re.findall(r"^  get (\w+)\(", read("lib/tensor.ts"), re.M))
    functions = set()
    for path in ("lib/functions.ts", "lib/factories.ts", "lib/torch.ts"):
        functions |= set(re.findall(r"^export (?:const|function|class|let) (\w+)", read(path), re.M))
        # (a re-export of generated functions, `export { stack } from './_generated/...'`, is not hand-written)
        for block in re.findall(r"^export \{([^}]*)\}(?! from '\./_generated)", read(path), re.M):
            functions |= {re.split(r"\s+as\s+", n.strip())[-1] for n in block.split(",") if n.strip()}
    return methods, functions


def tables_1_13(native_functions):
    """The tables by this file's copy of torch 1.13's rules."""
    functions = [f for f in native_functions if should_bind(f)]
    tables = {}
    tables["tensor"] = collect(functions, True, lambda f: f.python_module is None and Variant.method in f.variants)
    for ns, (module, pm, prefix) in NAMESPACES.items():
        pred = (lambda f: f.python_module is None and Variant.function in f.variants) if pm is None else (lambda f, pm=pm: f.python_module == pm)
        tables[ns] = collect(functions, False, pred, prefix)
    return tables, lambda: (add_deprecated("tensor", tables["tensor"]), add_deprecated("torch", tables["torch"]))


def tables_from_pytorch(native_functions):
    """The tables by the rules of PyTorch's own generator, shipped with torch 2.x (what gen() does)."""
    functions = [f for f in native_functions if pyfn.should_generate_py_binding(f)]
    deprecated_yaml = os.path.join(os.path.dirname(pyfn.__file__), "deprecated.yaml")
    methods = pyfn.load_signatures(functions, deprecated_yaml, method=True)
    plain = pyfn.load_signatures(functions, deprecated_yaml, method=False)
    preds = {"tensor": (methods, pyfn.is_py_variable_method, ""), "torch": (plain, pyfn.is_py_torch_function, "")}
    for ns, (_, pm, prefix) in NAMESPACES.items():
        if pm is not None:
            preds[ns] = (plain, getattr(pyfn, f"is_py_{pm}_function"), prefix)
    tables = {}
    for ns, (pairs, pred, prefix) in preds.items():
        table = {}
        by_name = pyfn.group_filter_overloads(pairs, pred)
        for key in sorted(by_name, key=str):
            name = str(key)
            # Python's parser checks deprecated signatures last (a stable
            # partition in PythonArgParser's constructor): the table lists
            # them in the order they are tried.
            groups = pyfn.group_overloads(by_name[key])
            groups = [g for g in groups if not g.signature.deprecated] + [g for g in groups if g.signature.deprecated]
            table[name[len(prefix):] if prefix and name.startswith(prefix) else name] = (name, [entry(g) for g in groups], groups)
        tables[ns] = table
    return tables, lambda: None


def main():
    parsed = parse_native_yaml(os.path.join(YAML_DIR, "native_functions.yaml"), os.path.join(YAML_DIR, "tags.yaml"))
    tables, add_deprecated_signatures = (tables_from_pytorch if pyfn is not None else tables_1_13)(parsed.native_functions)

    # (torch 2 renamed _TensorBase to TensorBase)
    python_has = {"tensor": set(dir(getattr(torch._C, "TensorBase", None) or torch._C._TensorBase))}
    for ns, (module, pm, prefix) in NAMESPACES.items():
        public = PUBLIC.get(ns)
        python_has[ns] = {n for n in tables[ns] if hasattr(module, tables[ns][n][0]) and (public is None or hasattr(public, n))}
    for ns in tables:
        tables[ns] = {n: v for n, v in tables[ns].items() if n in python_has[ns]}
    add_deprecated_signatures()

    # The release, without the build's local label (+debian, +cu130, +cpu):
    # builds of one release have the same schemas, and so the same table.
    version = torch.__version__.split("+")[0]
    header = (
        "// @generated by `npm run gen:ops` (scripts/gen_ops.py) from\n"
        f"// torchgen/packaged/ATen/native/native_functions.yaml of torch {version}. Do not edit.\n"
    )
    os.makedirs(OUT, exist_ok=True)
    import gen_ops_ts  # noqa: E402  the declarations, beside this file

    files = {f"ops_table_{VERSION[0]}_{VERSION[1]}.ts": table_file(header, version, tables)}
    if VERSION == DECLARATIONS_FROM:
        methods, funcs = hand_written()
        files.update(gen_ops_ts.declarations(header, tables, methods, funcs))
    for name, text in files.items():
        with open(os.path.join(OUT, name), "w") as fh:
            fh.write(text)
    counts = ", ".join(f"{ns} {len(t)}" for ns, t in tables.items())
    print(f"gen_ops: torch {version}: {counts}", file=sys.stderr)


def table_file(header, version, tables):
    lines = [
        header,
        "// For every Python-visible name, its overloads in Python's order, one line each:",
        "//   parser signature | ATen overload | out= overload Python groups with it | named-tuple fields",
        "// The ATen operator is aten::<yaml name> (the key's namespace prefix put back).",
        "",
        f"export const TORCH_VERSION = '{version}';",
        "",
    ]
    for ns, table in tables.items():
        lines.append(f"export const {ns}: Record<string, string> = {{")
        for name, (yaml_name, entries, _) in table.items():
            text = "\\n".join(e.replace("\\", "\\\\").replace("'", "\\'") for e in entries)
            key = name if re.match(r"^[A-Za-z_]\w*$", name) else f"'{name}'"
            # The yaml name is kept only where it is not the key (linalg_det under det).
            prefix = "" if yaml_name == name else f"{yaml_name}@"
            lines.append(f"  {key}: '{prefix}{text}',")
        lines.append("};")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
