"""Golden values for nn.MultiheadAttention, F.multi_head_attention_forward and
the Transformer family: each case builds a module after torch.manual_seed
(its parameters, names and order, are recorded), draws inputs, runs forward
(eval, or train with dropout=0), and backward of sum(out**2) (+ sum(w**2) for
attention weights): outputs, gradients of the parameters and of the inputs;
or, where this Python refuses the case (2.x: a uint8 attn_mask), its error.
Then three SGD steps of a small Transformer, the errors Python raises for bad
input, and module reprs. The TypeScript twin of each case, by name, is in
test/transformer.test.ts.

Every module here runs Python's reference ("slow") path: gradients are on and
the parameters require them, so the fused eval-mode kernels are not taken.
`fast_path` records how far those kernels are from the reference path on
the same inputs (informational).

Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 transformer.py"""
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

from _common import encode_tensor, summarize_tensor, write_fixture

E = 8


# Cases whose parameters and parameter gradients are recorded in full; the
# others record each as a summary (first and last 4 values, sum, sum of
# squares), which keeps the fixture small and still pins every draw.
FULL = {"self", "kdim_vdim", "bias_kv_zero_attn", "unbatched_3d_mask", "enc_layer"}


def enc(t, full=True):
    return encode_tensor(t) if full else summarize_tensor(t, 4)


def enc_params(m, full=True):
    return [[name, enc(p, full)] for name, p in m.named_parameters()]


def make_inputs(spec):
    """spec: name -> ('randn', shape) | ('bool', shape, p) | ('float_mask', shape) | ('causal', n) | ('uint8', shape, p)"""
    out = {}
    for name, s in spec.items():
        kind = s[0]
        if kind == "randn":
            out[name] = torch.randn(*s[1])
        elif kind == "bool":
            out[name] = torch.rand(*s[1]) < s[2]
        elif kind == "uint8":
            out[name] = (torch.rand(*s[1]) < s[2]).to(torch.uint8)
        elif kind == "float_mask":
            out[name] = torch.randn(*s[1])
        elif kind == "causal":
            out[name] = nn.Transformer.generate_square_subsequent_mask(s[1])
        else:
            raise ValueError(kind)
    return out


def no_full_rows(mask):
    """A bool key padding mask with no row all True (a row with every key masked is NaN in Python too)."""
    mask = mask.clone()
    mask[..., 0] = False
    return mask


# name -> (constructor, input spec, forward)
MHA_CASES = {
    "self": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E))},
             lambda m, I: m(I["x"], I["x"], I["x"])),
    "self_eval": (lambda: nn.MultiheadAttention(E, 2).eval(), {"x": ("randn", (4, 2, E))},
                  lambda m, I: m(I["x"], I["x"], I["x"])),
    "cross_kv_same": (lambda: nn.MultiheadAttention(E, 4), {"q": ("randn", (3, 2, E)), "kv": ("randn", (5, 2, E))},
                      lambda m, I: m(I["q"], I["kv"], I["kv"])),
    "cross_all_different": (lambda: nn.MultiheadAttention(E, 2), {"q": ("randn", (3, 2, E)), "k": ("randn", (5, 2, E)), "v": ("randn", (5, 2, E))},
                            lambda m, I: m(I["q"], I["k"], I["v"])),
    "no_bias": (lambda: nn.MultiheadAttention(E, 2, bias=False), {"x": ("randn", (4, 2, E))},
                lambda m, I: m(I["x"], I["x"], I["x"])),
    "bias_kv_zero_attn": (lambda: nn.MultiheadAttention(E, 4, add_bias_kv=True, add_zero_attn=True),
                          {"x": ("randn", (4, 2, E)), "am": ("float_mask", (4, 4)), "kpm": ("bool", (2, 4), 0.3)},
                          lambda m, I: m(I["x"], I["x"], I["x"], key_padding_mask=no_full_rows(I["kpm"]), attn_mask=I["am"])),
    "kdim_vdim": (lambda: nn.MultiheadAttention(E, 2, kdim=6, vdim=5), {"q": ("randn", (3, 2, E)), "k": ("randn", (5, 2, 6)), "v": ("randn", (5, 2, 5))},
                  lambda m, I: m(I["q"], I["k"], I["v"])),
    "batch_first": (lambda: nn.MultiheadAttention(E, 2, batch_first=True), {"x": ("randn", (2, 4, E))},
                    lambda m, I: m(I["x"], I["x"], I["x"])),
    "batch_first_cross": (lambda: nn.MultiheadAttention(E, 2, batch_first=True), {"q": ("randn", (2, 3, E)), "kv": ("randn", (2, 5, E))},
                          lambda m, I: m(I["q"], I["kv"], I["kv"])),
    "attn_mask_float": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E)), "am": ("float_mask", (4, 4))},
                        lambda m, I: m(I["x"], I["x"], I["x"], attn_mask=I["am"])),
    "attn_mask_bool_causal": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E))},
                              lambda m, I: m(I["x"], I["x"], I["x"], attn_mask=torch.triu(torch.ones(4, 4, dtype=torch.bool), 1))),
    "attn_mask_3d_bool": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E)), "am": ("bool", (4, 4, 4), 0.3)},
                          lambda m, I: m(I["x"], I["x"], I["x"], attn_mask=I["am"] & ~torch.eye(4, dtype=torch.bool))),
    "attn_mask_byte": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E)), "am": ("uint8", (4, 4), 0.3)},
                       lambda m, I: m(I["x"], I["x"], I["x"], attn_mask=I["am"] * (1 - torch.eye(4, dtype=torch.uint8)))),
    "kpm_bool": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E)), "kpm": ("bool", (2, 4), 0.4)},
                 lambda m, I: m(I["x"], I["x"], I["x"], key_padding_mask=no_full_rows(I["kpm"]))),
    "kpm_float": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E)), "kpm": ("float_mask", (2, 4))},
                  lambda m, I: m(I["x"], I["x"], I["x"], key_padding_mask=I["kpm"])),
    "kpm_bool_and_float_mask": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E)), "am": ("float_mask", (4, 4)), "kpm": ("bool", (2, 4), 0.4)},
                                lambda m, I: m(I["x"], I["x"], I["x"], key_padding_mask=no_full_rows(I["kpm"]), attn_mask=I["am"])),
    "kpm_and_bool_mask": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E)), "kpm": ("bool", (2, 4), 0.4)},
                          lambda m, I: m(I["x"], I["x"], I["x"], key_padding_mask=no_full_rows(I["kpm"]), attn_mask=torch.triu(torch.ones(4, 4, dtype=torch.bool), 1))),
    "per_head_weights": (lambda: nn.MultiheadAttention(E, 4), {"x": ("randn", (4, 2, E))},
                         lambda m, I: m(I["x"], I["x"], I["x"], average_attn_weights=False)),
    "no_weights": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, 2, E))},
                   lambda m, I: m(I["x"], I["x"], I["x"], need_weights=False)),
    "unbatched": (lambda: nn.MultiheadAttention(E, 2), {"x": ("randn", (4, E)), "kpm": ("bool", (4,), 0.4)},
                  lambda m, I: m(I["x"], I["x"], I["x"], key_padding_mask=no_full_rows(I["kpm"]))),
    "unbatched_3d_mask": (lambda: nn.MultiheadAttention(E, 2), {"q": ("randn", (3, E)), "kv": ("randn", (5, E)), "am": ("float_mask", (2, 3, 5))},
                          lambda m, I: m(I["q"], I["kv"], I["kv"], attn_mask=I["am"], average_attn_weights=False)),
    "double": (lambda: nn.MultiheadAttention(E, 2, dtype=torch.float64), {"x": ("randn", (4, 2, E))},
               lambda m, I: m(I["x"].double(), I["x"].double(), I["x"].double())),
}

LAYER_CASES = {
    "enc_layer": (lambda: nn.TransformerEncoderLayer(E, 2, 16, 0.0), {"src": ("randn", (5, 2, E))},
                  lambda m, I: m(I["src"])),
    "enc_layer_eval_default_dropout": (lambda: nn.TransformerEncoderLayer(E, 2, 16).eval(), {"src": ("randn", (5, 2, E))},
                                       lambda m, I: m(I["src"])),
    "enc_layer_gelu_norm_first_batch_first": (lambda: nn.TransformerEncoderLayer(E, 4, 12, 0.0, "gelu", 1e-6, True, True),
                                              {"src": ("randn", (2, 5, E)), "kpm": ("bool", (2, 5), 0.3)},
                                              lambda m, I: m(I["src"], src_key_padding_mask=no_full_rows(I["kpm"]))),
    "enc_layer_masks": (lambda: nn.TransformerEncoderLayer(E, 2, 16, 0.0), {"src": ("randn", (5, 2, E)), "mask": ("causal", 5), "kpm": ("bool", (2, 5), 0.3)},
                        lambda m, I: m(I["src"], I["mask"], no_full_rows(I["kpm"]))),
    "enc_layer_unbatched": (lambda: nn.TransformerEncoderLayer(E, 2, 16, 0.0), {"src": ("randn", (5, E))},
                            lambda m, I: m(I["src"])),
    "enc_layer_module_activation": (lambda: nn.TransformerEncoderLayer(E, 2, 16, 0.0, activation=nn.Tanh()), {"src": ("randn", (5, 2, E))},
                                    lambda m, I: m(I["src"])),
    "encoder": (lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 2, 16, 0.0), 2, nn.LayerNorm(E)),
                {"src": ("randn", (5, 2, E)), "mask": ("causal", 5), "kpm": ("bool", (2, 5), 0.3)},
                lambda m, I: m(I["src"], mask=I["mask"], src_key_padding_mask=no_full_rows(I["kpm"]))),
    "encoder_batch_first_eval": (lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 2, 16, batch_first=True), 2).eval(),
                                 {"src": ("randn", (2, 5, E))}, lambda m, I: m(I["src"])),
    "dec_layer": (lambda: nn.TransformerDecoderLayer(E, 2, 16, 0.0), {"tgt": ("randn", (4, 2, E)), "mem": ("randn", (5, 2, E))},
                  lambda m, I: m(I["tgt"], I["mem"])),
    "dec_layer_all_masks_norm_first": (lambda: nn.TransformerDecoderLayer(E, 2, 16, 0.0, "gelu", norm_first=True),
                                       {"tgt": ("randn", (4, 2, E)), "mem": ("randn", (5, 2, E)), "tm": ("causal", 4), "mm": ("float_mask", (4, 5)),
                                        "tkpm": ("bool", (2, 4), 0.3), "mkpm": ("bool", (2, 5), 0.3)},
                                       lambda m, I: m(I["tgt"], I["mem"], I["tm"], I["mm"], no_full_rows(I["tkpm"]), no_full_rows(I["mkpm"]))),
    "decoder": (lambda: nn.TransformerDecoder(nn.TransformerDecoderLayer(E, 2, 16, 0.0, batch_first=True), 2, nn.LayerNorm(E)),
                {"tgt": ("randn", (2, 4, E)), "mem": ("randn", (2, 5, E)), "tm": ("causal", 4)},
                lambda m, I: m(I["tgt"], I["mem"], tgt_mask=I["tm"])),
    "transformer": (lambda: nn.Transformer(E, 2, 2, 1, 16, 0.0),
                    {"src": ("randn", (5, 2, E)), "tgt": ("randn", (4, 2, E)), "tm": ("causal", 4), "skpm": ("bool", (2, 5), 0.3)},
                    lambda m, I: m(I["src"], I["tgt"], tgt_mask=I["tm"], src_key_padding_mask=no_full_rows(I["skpm"]),
                                   memory_key_padding_mask=no_full_rows(I["skpm"]))),
    "transformer_batch_first_norm_first_gelu": (lambda: nn.Transformer(E, 4, 1, 1, 12, 0.0, "gelu", batch_first=True, norm_first=True, layer_norm_eps=1e-6),
                                                {"src": ("randn", (2, 5, E)), "tgt": ("randn", (2, 3, E))},
                                                lambda m, I: m(I["src"], I["tgt"])),
    "transformer_unbatched_eval": (lambda: nn.Transformer(E, 2, 1, 1, 16).eval(), {"src": ("randn", (5, E)), "tgt": ("randn", (3, E))},
                                   lambda m, I: m(I["src"], I["tgt"])),
}


def run_case(name, build, spec, forward):
    full = name in FULL
    torch.manual_seed(0)
    m = build()
    params = enc_params(m, name in FULL)
    torch.manual_seed(1)
    inputs = make_inputs(spec)
    # The data (not the masks) require grad, so that their gradients are compared too.
    float_inputs = {k: v.clone().requires_grad_(True) for k, v in inputs.items() if v.is_floating_point() and k not in ("am", "mask", "tm", "mm", "kpm")}
    I = {**inputs, **float_inputs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = forward(m, I)
        except Exception as e:  # noqa: BLE001 - a case this Python refuses (2.x: a uint8 attn_mask) is its error
            return {"params": params, "inputs": {k: encode_tensor(v) for k, v in inputs.items()},
                    "error": {"type": type(e).__name__, "message": str(e)}}
    outs = list(out) if isinstance(out, tuple) else [out]
    loss = sum((o.double() ** 2).sum() for o in outs if o is not None)
    loss.backward()
    return {
        "params": params,
        "inputs": {k: encode_tensor(v) for k, v in inputs.items()},
        "outputs": [None if o is None else encode_tensor(o) for o in outs],
        "param_grads": [[n, None if p.grad is None else enc(p.grad, full)] for n, p in m.named_parameters()],
        "input_grads": {k: encode_tensor(v.grad) for k, v in float_inputs.items() if v.grad is not None},
    }


def fast_path_gap():
    """Python's fused eval-mode kernels against its reference path, same inputs."""
    gaps = {}
    torch.manual_seed(0)
    m = nn.MultiheadAttention(E, 2, batch_first=True).eval()
    x = torch.randn(2, 4, E)
    slow = m(x, x, x)[0]
    with torch.no_grad():
        fast = m(x, x, x)[0]
    gaps["MultiheadAttention"] = float((slow - fast).abs().max())
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(E, 2, 16, batch_first=True).eval()
    slow = layer(x)
    with torch.no_grad():
        fast = layer(x)
    gaps["TransformerEncoderLayer"] = float((slow - fast).abs().max())
    return gaps


def nested_path():
    """TransformerEncoder in eval mode without autograd, batch_first, a padding
    mask: Python runs nested tensors, whose output is cut to the longest
    sequence and zero where padded (then the final norm); a mask that is not
    left-aligned takes the reference path."""
    torch.manual_seed(0)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 2, 16, batch_first=True), 2, nn.LayerNorm(E)).eval()
    torch.manual_seed(1)
    x = torch.randn(3, 5, E)
    left = torch.tensor([[False, False, False, True, True], [False, False, False, False, True], [False, True, True, True, True]])
    holes = torch.tensor([[False, True, False, False, True], [False, False, False, False, True], [False, False, True, True, True]])
    with torch.no_grad():
        out = {"left_aligned": encode_tensor(enc(x, src_key_padding_mask=left)),
               "not_left_aligned": encode_tensor(enc(x, src_key_padding_mask=holes)),
               "float_mask": encode_tensor(enc(x, src_key_padding_mask=left.float()))}
    out["with_grad"] = encode_tensor(enc(x, src_key_padding_mask=left))
    return {"input": encode_tensor(x), "left": encode_tensor(left), "holes": encode_tensor(holes), "outputs": out}


def sgd_steps():
    torch.manual_seed(0)
    m = nn.Transformer(E, 2, 1, 1, 16, 0.0)
    torch.manual_seed(1)
    src, tgt, target = torch.randn(5, 2, E), torch.randn(4, 2, E), torch.randn(4, 2, E)
    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    mask = nn.Transformer.generate_square_subsequent_mask(4)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = F.mse_loss(m(src, tgt, tgt_mask=mask), target)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {"inputs": {"src": encode_tensor(src), "tgt": encode_tensor(tgt), "target": encode_tensor(target)},
            "losses": losses, "params": enc_params(m, False)}


def functional_case():
    """F.multi_head_attention_forward called directly, with static_k/static_v and separate weights."""
    torch.manual_seed(2)
    q, k, v = torch.randn(3, 2, E), torch.randn(5, 2, 6), torch.randn(5, 2, 4)
    in_b = torch.randn(3 * E)
    qw, kw, vw = torch.randn(E, E), torch.randn(E, 6), torch.randn(E, 4)
    ow, ob = torch.randn(E, E), torch.randn(E)
    sk, sv = torch.randn(4, 6, 4), torch.randn(4, 6, 4)
    out1 = F.multi_head_attention_forward(q, k, v, E, 2, None, in_b, None, None, False, 0.0, ow, ob,
                                          training=False, use_separate_proj_weight=True,
                                          q_proj_weight=qw, k_proj_weight=kw, v_proj_weight=vw)
    out2 = F.multi_head_attention_forward(q, k, v, E, 2, None, in_b, None, None, True, 0.0, ow, ob,
                                          use_separate_proj_weight=True, q_proj_weight=qw, k_proj_weight=kw,
                                          v_proj_weight=vw, static_k=sk, static_v=sv, average_attn_weights=False)
    torch.manual_seed(5)
    out3 = F.multi_head_attention_forward(q, q, q, E, 2, torch.randn(3 * E, E), in_b, None, None, False, 0.5, ow, ob)
    tensors = {"q": q, "k": k, "v": v, "in_b": in_b, "qw": qw, "kw": kw, "vw": vw, "ow": ow, "ob": ob, "sk": sk, "sv": sv}
    return {"tensors": {n: encode_tensor(t) for n, t in tensors.items()},
            "separate": [encode_tensor(t) for t in out1],
            "static_zero_attn": [encode_tensor(t) for t in out2],
            "dropout_seed5": [encode_tensor(t) for t in out3]}


def error_of(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except Exception as e:  # noqa: BLE001 - the type and the words are what is recorded
        return {"type": type(e).__name__, "message": str(e)}
    raise AssertionError("no error")


x = torch.zeros(4, 2, E)
ERRORS = {
    "not_divisible": lambda: nn.MultiheadAttention(E, 3),
    "attn_mask_2d_shape": lambda: nn.MultiheadAttention(E, 2)(x, x, x, attn_mask=torch.zeros(3, 4)),
    "attn_mask_3d_shape": lambda: nn.MultiheadAttention(E, 2)(x, x, x, attn_mask=torch.zeros(2, 4, 4)),
    "attn_mask_int": lambda: nn.MultiheadAttention(E, 2)(x, x, x, attn_mask=torch.zeros(4, 4, dtype=torch.int64)),
    "kpm_int": lambda: nn.MultiheadAttention(E, 2)(x, x, x, key_padding_mask=torch.zeros(2, 4, dtype=torch.int64)),
    "kpm_shape": lambda: nn.MultiheadAttention(E, 2)(x, x, x, key_padding_mask=torch.zeros(2, 3, dtype=torch.bool)),
    "kpm_dims": lambda: nn.MultiheadAttention(E, 2)(x, x, x, key_padding_mask=torch.zeros(2, dtype=torch.bool)),
    "embed_dim": lambda: nn.MultiheadAttention(E, 2)(torch.zeros(4, 2, 6), torch.zeros(4, 2, 6), torch.zeros(4, 2, 6)),
    "key_value_shape": lambda: nn.MultiheadAttention(E, 2)(x, x, torch.zeros(5, 2, E)),
    "query_4d": lambda: nn.MultiheadAttention(E, 2)(torch.zeros(1, 4, 2, E), x, x),
    "key_2d_for_3d_query": lambda: nn.MultiheadAttention(E, 2)(x, torch.zeros(4, E), torch.zeros(4, E)),
    "activation_name": lambda: nn.TransformerEncoderLayer(E, 2, activation="tanh"),
    "transformer_batch": lambda: nn.Transformer(E, 2, 1, 1, 16)(torch.zeros(5, 2, E), torch.zeros(4, 3, E)),
    "transformer_d_model": lambda: nn.Transformer(E, 2, 1, 1, 16)(torch.zeros(5, 2, 6), torch.zeros(4, 2, 6)),
}

REPRS = {
    "mha": lambda: nn.MultiheadAttention(E, 2),
    "mha_kdim": lambda: nn.MultiheadAttention(E, 2, bias=False, add_bias_kv=True, kdim=4),
    "enc_layer": lambda: nn.TransformerEncoderLayer(E, 2, 16),
    "encoder": lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 2, 16, activation=nn.Tanh()), 2, nn.LayerNorm(E)),
    "transformer": lambda: nn.Transformer(E, 2, 1, 1, 16),
}


def state_dict_keys():
    return {name: list(build().state_dict().keys()) for name, build in REPRS.items()}


if __name__ == "__main__":
    cases = {}
    for name, (build, spec, forward) in {**MHA_CASES, **LAYER_CASES}.items():
        cases[name] = run_case(name, build, spec, forward)
    gaps = fast_path_gap()
    print("fast path vs reference path, max abs diff:", gaps)
    write_fixture("transformer.json", {
        "cases": cases,
        "functional": functional_case(),
        "sgd": sgd_steps(),
        "nested_path": nested_path(),
        "errors": {n: error_of(f) for n, f in ERRORS.items()},
        "reprs": {n: str(f()) for n, f in REPRS.items()},
        "state_dict_keys": state_dict_keys(),
        "square_mask": encode_tensor(nn.Transformer.generate_square_subsequent_mask(3)),
        "fast_path_max_abs_diff": gaps,
    })
