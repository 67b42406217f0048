"""The TypeScript side of scripts/gen_ops.py: declarations and bindings for
every generated name. Python's positional parameters stay positional (each
prefix of the optional ones an overload), and every parameter Python takes
by keyword is a key of the one options object; keyword-only ones are there
only."""
import re

# The parser's C++ spellings, as TypeScript types.
TYPES = [
    (r"Tensor", "Tensor"),
    (r"Scalar", "Scalar"),
    (r"(int64_t|SymInt|double)", "number"),
    (r"bool", "boolean"),
    (r"(IntArrayRef|SymIntArrayRef)\[\d+\]", "number | readonly number[]"),
    (r"(IntArrayRef|SymIntArrayRef|ArrayRef<double>)", "readonly number[]"),
    (r"::std::array<bool,\d+>", "readonly boolean[]"),
    (r"TensorList\[\d+\]", "readonly Tensor[]"),
    (r"TensorList", "readonly Tensor[]"),
    (r"c10::List<c10::optional<Tensor>>", "readonly (Tensor | null)[]"),
    (r"ScalarList", "readonly Scalar[]"),
    (r"ScalarType", "dtype"),
    (r"Layout", "layout"),
    (r"MemoryFormat", "memory_format"),
    (r"Device", "DeviceLike"),
    (r"Generator", "Generator"),
    (r"(c10::string_view|std::string|Dimname)", "string"),
    (r"DimnameList(\[\d+\])?", "string | readonly string[]"),
    (r"(Storage|Stream)", "unknown"),
]

RETURNS = {"Tensor": "Tensor", "Tensor[]": "Tensor[]", "bool": "boolean", "int": "number", "float": "number",
           "Scalar": "number", "SymInt": "number", "ScalarType": "dtype", "QScheme": "unknown", "()": "void"}


def ts_type(arg, numbers_as_tensors):
    text = arg.argument_str(method=False).split(" ")[0]
    nullable = text.endswith("?") or (arg.default == "None")
    text = text.rstrip("?")
    for pattern, ts in TYPES:
        if re.fullmatch(pattern, text):
            if ts == "Tensor" and numbers_as_tensors:
                ts = "Tensor | Scalar"
            return f"{ts} | null" if nullable else ts
    raise ValueError(f"gen_ops_ts: no TypeScript type for {text}")


def return_type(f, method, fields):
    rets = f.func.returns
    if fields:
        tensors = ", ".join("Tensor" for _ in fields)
        return f"NamedTuple<[{tensors}], {{ " + "; ".join(f"{n}: Tensor" for n in fields) + " }>"
    if len(rets) == 1:
        r = rets[0]
        if method and r.annotation is not None and r.annotation.is_write and str(r.type) == "Tensor" and f.func.name.name.inplace:
            return "this"
        return RETURNS.get(str(r.type).rstrip("?"), "unknown") if not str(r.type).endswith("?") else "unknown"
    if len(rets) == 0:
        return "void"
    return "[" + ", ".join(RETURNS.get(str(r.type), "unknown") for r in rets) + "]"


def py_name(a, method):
    """The name Python's parser knows a parameter by (self is input, for a function)."""
    return a.argument_str(method=method).split(" ")[-1].split("=")[0]


def overloads_ts(name, groups, method, numbers_as_tensors, options_types):
    """The overload lines of one name; options types go to options_types."""
    lines = []
    for g in groups:
        sig = g.signature
        args = [a for a in sig.arguments() if not (method and a.name == "self")]
        positional = [a for a in sig.input_args if not (method and a.name == "self")]
        fields = []
        try:
            from torchgen.api.python import namedtuple_fieldnames
            fields = namedtuple_fieldnames(g.base.func.returns)
        except ValueError:
            pass
        ret = return_type(g.base, method, fields)
        # every parameter Python takes by keyword, in the options object
        pos_names = {a.name for a in positional}
        keys = []
        kw_required = False
        for a in args:
            t = ts_type(a, numbers_as_tensors and a.name != "out")
            if a.name == "out":
                t = "readonly Tensor[] | null" if "TensorList" in a.argument_str() else "Tensor | null"
            required = a.default is None and a.name not in pos_names
            kw_required = kw_required or required
            keys.append(f"{py_name(a, method)}{'' if required else '?'}: {t}")
        opts_name = None
        if keys:
            body = "{ " + "; ".join(keys) + " }"
            opts_name = options_types.setdefault(body, f"O{len(options_types)}")
        required = [a for a in positional if a.default is None]
        optional = [a for a in positional if a.default is not None]
        for k in range(len(optional) + 1):
            params = [f"{param(py_name(a, method))}: {ts_type(a, numbers_as_tensors)}" for a in required + optional[:k]]
            if opts_name is not None:
                params.append(f"options{'' if kw_required else '?'}: {opts_name}")
            lines.append((", ".join(params), ret))
        # Python's parser takes the ints of a lone positional int list one by one
        # (python_arg_parser.cpp's allow_varargs_intlist): `x.view(2, 3)`, `torch.zeros(2, 3, { dtype })`.
        if len(positional) == 1 and re.match(r"^(Sym)?[Ii]nt\[\d*\]$", str(positional[0].type)):
            spread = param(py_name(positional[0], method))
            if not kw_required:
                lines.append((f"...{spread}: number[]", ret))
            if opts_name is not None:
                lines.append((f"...{spread}_and_options: [...{spread}: number[], options: {opts_name}]", ret))
        # Python also takes a required positional by keyword: `softmax(x, { dim: 1 })`.
        for k in range(len(required) - 1, -1, -1):
            if method is False and k == 0 and required and required[0].name in ("self", "input"):
                continue
            by_keyword = {py_name(a, method) for a in required[k:]}
            body = "{ " + "; ".join(kv if kv.split("?", 1)[0].split(":", 1)[0] not in by_keyword else kv.replace("?:", ":", 1) for kv in keys) + " }"
            name_k = options_types.setdefault(body, f"O{len(options_types)}")
            params = [f"{param(py_name(a, method))}: {ts_type(a, numbers_as_tensors)}" for a in required[:k]]
            params.append(f"options: {name_k}")
            lines.append((", ".join(params), ret))
    # identical overloads once (Dimname and int forms may collapse)
    seen, unique = set(), []
    for line in lines:
        if line not in seen:
            seen.add(line)
            unique.append(line)
    return unique


RESERVED = {"var", "function", "in", "new", "default", "delete", "class", "const", "let", "return", "switch",
            "case", "if", "else", "for", "while", "do", "with", "this", "typeof", "void", "instanceof", "import",
            "export", "enum", "extends", "super", "throw", "try", "catch", "finally", "yield", "null", "true", "false"}


def param(name):
    """A positional parameter's name in a declaration (a reserved word takes a trailing underscore)."""
    return f"{name}_" if name in RESERVED else name


def safe(name):
    return name if re.match(r"^[A-Za-z_]\w*$", name) else f"'{name}'"


NUMBERS_AS_TENSORS = {"add", "add_", "div", "div_", "divide", "divide_", "mul", "mul_", "multiply", "multiply_",
                      "sub", "sub_", "subtract", "subtract_", "true_divide", "true_divide_", "floor_divide", "floor_divide_"}

IMPORTS = (
    "import type { DeviceLike } from '../device';\n"
    "import type { dtype } from '../dtype';\n"
    "import type { Generator } from '../generator';\n"
    "import type { layout, memory_format } from '../layout';\n"
    "import type { NamedTuple } from '../return_types';\n"
    "import type { Scalar, Tensor } from '../tensor';\n"
)


def declarations(header, tables, hand_methods, hand_functions):
    files = {}
    # Tensor methods: an interface merged into class Tensor
    opts = {}
    body = []
    names = []
    for name, (_, _, groups) in tables["tensor"].items():
        if name in hand_methods:
            continue
        names.append(name)
        body.append(f"    /** Python's `torch.Tensor.{name}`. */")
        for params, ret in overloads_ts(name, groups, True, name in NUMBERS_AS_TENSORS, opts):
            body.append(f"    {safe(name)}({params}): {ret};")
    files["tensor_methods.ts"] = (
        header + "// Tensor methods for every generated name lib/tensor.ts does not write by hand.\n"
        + IMPORTS + "import { tensorMethod } from '../_dispatch';\n\n"
        + "".join(f"type {n} = {b};\n" for b, n in opts.items())
        + "\ndeclare module '../tensor' {\n  interface Tensor {\n" + "\n".join(body) + "\n  }\n}\n\n"
        + "/** The generated methods, installed where lib/tensor.ts has none of that name. */\n"
        + "export const GENERATED_METHODS: readonly string[] = [\n"
        + "".join(f"  '{n}',\n" for n in names) + "];\n\n"
        + "/** Puts the generated methods on Tensor.prototype (lib/tensor.ts calls it once its class exists). */\n"
        + "export function installGeneratedMethods(prototype: object): void {\n"
        + "  for (const name of GENERATED_METHODS) {\n"
        + "    Object.defineProperty(prototype, name, { value: tensorMethod(name), writable: true, configurable: true, enumerable: false });\n"
        + "  }\n}\n"
    )
    # torch.*, torch.linalg, ...: one exported const each
    for ns, filename, hand, what in (
        ("torch", "torch_functions.ts", hand_functions, "torch"),
        ("nn", "nn.ts", set(), "torch._C._nn"),
        ("linalg", "linalg.ts", set(), "torch.linalg"),
        ("fft", "fft.ts", set(), "torch.fft"),
        ("special", "special.ts", set(), "torch.special"),
    ):
        opts = {}
        body = []
        for name, (_, _, groups) in tables[ns].items():
            if name in hand or not re.match(r"^[A-Za-z_]\w*$", name):
                continue
            lines = overloads_ts(name, groups, False, name in NUMBERS_AS_TENSORS, opts)
            sig = " ".join(f"({p}): {r};" for p, r in lines)
            local = param(name)
            body.append(f"/** Python's `{what}.{name}`. */\n{'export ' if local == name else ''}const {local}: {{ {sig} }} = namespaceFunction('{ns}', '{name}');")
            if local != name:
                body.append(f"export {{ {local} as {name} }};")
        files[filename] = (
            header + f"// {what}: every generated function" + (" lib/functions.ts and lib/factories.ts do not write by hand" if hand else "") + ".\n"
            + IMPORTS + "import { namespaceFunction } from '../_dispatch';\n\n"
            + "".join(f"type {n} = {b};\n" for b, n in opts.items()) + "\n"
            + "\n".join(body) + "\n"
        )
    return files
