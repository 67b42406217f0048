"""The census of PyTorch's Python names, for `npm run census` to hold torchts
against (test/_census.ts).

    /usr/bin/python3 scripts/census.py

writes test/fixtures/census.json: per namespace (Tensor, torch,
torch.nn.functional, torch.linalg, torch.fft, torch.special) every public
name (no leading underscore, as dir() lists them), what kind of thing it is,
and whether it is an ATen operator: a name Python's generated bindings expose
(torch._C._TensorBase, torch._C._VariableFunctions, torch._C._nn,
torch._C._linalg, torch._C._fft, torch._C._special) or that
native_functions.yaml declares (with the namespace's prefix, linalg_det for
torch.linalg.det), which the generated op layer can reach by its schema.
"""
import inspect
import json
import os
import re
import sys

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "census.json")
YAML = os.path.join(os.path.dirname(os.path.dirname(torch.__file__)), "torchgen", "packaged", "ATen", "native",
                    "native_functions.yaml")


def yaml_names():
    """Base names of every `func:` in native_functions.yaml (add for add.Tensor)."""
    names = set()
    with open(YAML) as f:
        for line in f:
            m = re.match(r"- func: ([A-Za-z0-9_]+)(\.[A-Za-z0-9_]+)?\(", line)
            if m:
                names.add(m.group(1))
    return names


def kind_of(holder, name):
    try:
        v = inspect.getattr_static(holder, name)
    except AttributeError:
        v = getattr(holder, name)
    if isinstance(v, (property, type(torch.Tensor.grad))) or type(v).__name__ == "getset_descriptor":
        return "property"
    v = getattr(holder, name)
    if inspect.ismodule(v):
        return "module"
    if inspect.isclass(v):
        return "class"
    if callable(v):
        return "function"
    return "value"


def main():
    yaml = yaml_names()
    C = torch._C
    spaces = [
        # (namespace, holder, C bindings, yaml prefix)
        ("Tensor", torch.Tensor, C._TensorBase, ""),
        ("torch", torch, C._VariableFunctions, ""),
        ("torch.nn.functional", F, C._nn, ""),
        ("torch.linalg", torch.linalg, C._linalg, "linalg_"),
        ("torch.fft", torch.fft, C._fft, "fft_"),
        ("torch.special", torch.special, C._special, "special_"),
    ]
    out = {
        "generated_by": "/usr/bin/python3 scripts/census.py",
        "torch_version": torch.__version__,
        "yaml": os.path.relpath(YAML, "/usr/lib/python3/dist-packages"),
        "namespaces": {},
    }
    for ns, holder, binding, prefix in spaces:
        bound = set(dir(binding))
        names = {}
        for name in sorted(n for n in dir(holder) if not n.startswith("_")):
            kind = kind_of(holder, name)
            aten_name = prefix + name
            is_aten = kind == "function" and (aten_name in bound or aten_name in yaml)
            entry = {"kind": kind}
            if is_aten:
                entry["aten"] = aten_name
            names[name] = entry
        out["namespaces"][ns] = names
        n_aten = sum(1 for e in names.values() if "aten" in e)
        print(f"{ns}: {len(names)} names, {n_aten} ATen operators")
    with open(OUT, "w") as f:
        json.dump(out, f, indent=0, sort_keys=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
