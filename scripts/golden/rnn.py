"""Golden values for the recurrent modules (torch/nn/modules/rnn.py) and
torch/nn/utils/rnn.py: for each module case, the parameters a seeded
construction draws (names in state_dict order, and values), its repr, the
forward output and final hidden state, the gradients of the input and of
every parameter, and three SGD steps; then the pack/pad utilities, and the
errors Python raises (type and message).
Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 rnn.py"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import (pack_padded_sequence, pad_packed_sequence, pad_sequence,
                                pack_sequence, unpack_sequence, unpad_sequence, PackedSequence)

from _common import encode_tensor, write_fixture

IN, HID = 2, 3

# Each module case: the class, its constructor's positionals and keywords
# (a dtype keyword travels as its name), the input's shape (time-major unless
# batch_first), the initial state's shapes (None: not given), the lengths to
# pack the input with (None: not packed) and whether packing requires them
# sorted, and the mode (train or eval) the forward runs in.
# A cell case runs the cell over the input's first dimension, step by step.
MODULES = [
    dict(name="rnn_tanh", cls="RNN", args=[IN, HID], input=[5, 2, IN]),
    dict(name="rnn_relu_two_layers_hx", cls="RNN", args=[IN, HID, 2], kwargs={"nonlinearity": "relu"}, input=[5, 2, IN], hx=[2, 2, HID]),
    dict(name="rnn_no_bias_batch_first", cls="RNN", args=[IN, HID], kwargs={"bias": False, "batch_first": True}, input=[2, 5, IN]),
    dict(name="rnn_bidirectional_unbatched_hx", cls="RNN", args=[IN, HID], kwargs={"num_layers": 2, "bidirectional": True}, input=[5, IN], hx=[4, HID]),
    dict(name="rnn_packed_unsorted_hx", cls="RNN", args=[IN, HID], kwargs={"bidirectional": True}, input=[5, 3, IN], hx=[2, 3, HID], lengths=[3, 5, 2], enforce_sorted=False),
    dict(name="lstm", cls="LSTM", args=[IN, HID], input=[5, 2, IN]),
    dict(name="lstm_two_layers_hx", cls="LSTM", args=[IN, HID, 2], input=[4, 3, IN], hx=[[2, 3, HID], [2, 3, HID]]),
    dict(name="lstm_bidirectional_batch_first", cls="LSTM", args=[IN, HID], kwargs={"batch_first": True, "bidirectional": True}, input=[2, 5, IN]),
    dict(name="lstm_proj_two_layers_hx", cls="LSTM", args=[IN, 4, 2], kwargs={"proj_size": 2}, input=[4, 2, IN], hx=[[2, 2, 2], [2, 2, 4]]),
    dict(name="lstm_proj_bidirectional_no_bias", cls="LSTM", args=[IN, 4], kwargs={"bias": False, "bidirectional": True, "proj_size": 3}, input=[4, 2, IN]),
    dict(name="lstm_unbatched_hx", cls="LSTM", args=[IN, HID], input=[5, IN], hx=[[1, HID], [1, HID]]),
    dict(name="lstm_packed_unsorted_batch_first", cls="LSTM", args=[IN, HID, 2], kwargs={"batch_first": True}, input=[3, 5, IN], lengths=[2, 5, 3], enforce_sorted=False),
    dict(name="lstm_packed_sorted_hx", cls="LSTM", args=[IN, HID], input=[5, 3, IN], hx=[[1, 3, HID], [1, 3, HID]], lengths=[5, 3, 2], enforce_sorted=True),
    dict(name="lstm_dropout_eval", cls="LSTM", args=[IN, HID, 2], kwargs={"dropout": 0.3}, input=[4, 2, IN], train=False),
    dict(name="lstm_float64_positional", cls="LSTM", args=[IN, HID, 1, True, False, 0.0, True], kwargs={"dtype": "float64"}, input=[4, 2, IN]),
    dict(name="gru", cls="GRU", args=[IN, HID], input=[5, 2, IN]),
    dict(name="gru_two_layers_bidirectional_hx", cls="GRU", args=[IN, HID, 2], kwargs={"bidirectional": True}, input=[4, 3, IN], hx=[4, 3, HID]),
    dict(name="gru_no_bias_batch_first", cls="GRU", args=[IN, HID], kwargs={"bias": False, "batch_first": True}, input=[2, 5, IN]),
    dict(name="gru_unbatched", cls="GRU", args=[IN, HID], input=[5, IN]),
    dict(name="gru_packed_unsorted_hx", cls="GRU", args=[IN, HID], kwargs={"bidirectional": True}, input=[5, 3, IN], hx=[2, 3, HID], lengths=[2, 3, 5], enforce_sorted=False),
    dict(name="gru_dropout_train", cls="GRU", args=[IN, HID, 3], kwargs={"dropout": 0.5}, input=[4, 2, IN]),
    dict(name="rnn_cell_hx", cls="RNNCell", args=[IN, HID], input=[4, 2, IN], hx=[2, HID]),
    dict(name="rnn_cell_relu_no_bias", cls="RNNCell", args=[IN, HID, False, "relu"], input=[4, 2, IN]),
    dict(name="rnn_cell_unbatched_hx", cls="RNNCell", args=[IN, HID], input=[4, IN], hx=[HID]),
    dict(name="lstm_cell_hx", cls="LSTMCell", args=[IN, HID], input=[4, 2, IN], hx=[[2, HID], [2, HID]]),
    dict(name="lstm_cell_unbatched_no_bias", cls="LSTMCell", args=[IN, HID], kwargs={"bias": False}, input=[4, IN]),
    dict(name="gru_cell", cls="GRUCell", args=[IN, HID], input=[4, 2, IN]),
    dict(name="gru_cell_unbatched_hx", cls="GRUCell", args=[IN, HID], input=[4, IN], hx=[HID]),
]

CELLS = {"RNNCell", "LSTMCell", "GRUCell"}


def make(case):
    kwargs = dict(case.get("kwargs", {}))
    if "dtype" in kwargs:
        kwargs["dtype"] = getattr(torch, kwargs["dtype"])
    return getattr(nn, case["cls"])(*case["args"], **kwargs)


def tensors(hidden):
    return list(hidden) if isinstance(hidden, (tuple, list)) else [hidden]


def run(case, m, x, hx):
    """The module's forward over x: (output tensor or PackedSequence, [hidden tensors])."""
    if case["cls"] in CELLS:
        outs = []
        state = hx
        for t in range(x.size(0)):
            state = m(x[t], state)
            outs.append(state[0] if isinstance(state, tuple) else state)
        return torch.stack(outs), tensors(state)
    inp = x
    if case.get("lengths") is not None:
        inp = pack_padded_sequence(x, case["lengths"], batch_first=m.batch_first, enforce_sorted=case["enforce_sorted"])
    out, hidden = m(inp, hx)
    return out, tensors(hidden)


def loss_of(out, hidden):
    data = out.data if isinstance(out, PackedSequence) else out
    return data.pow(2).sum() + sum(h.pow(2).sum() * 0.5 for h in hidden)


def encode_output(out):
    if isinstance(out, PackedSequence):
        return {"data": encode_tensor(out.data), "batch_sizes": encode_tensor(out.batch_sizes),
                "sorted_indices": None if out.sorted_indices is None else encode_tensor(out.sorted_indices),
                "unsorted_indices": None if out.unsorted_indices is None else encode_tensor(out.unsorted_indices)}
    return encode_tensor(out)


def module_case(i, case):
    dtype = getattr(torch, case.get("kwargs", {}).get("dtype", "float32"))
    torch.manual_seed(10 + i)
    m = make(case)
    params = {k: encode_tensor(v) for k, v in m.named_parameters()}
    # Inputs from their own generator: the global one stays where construction left it.
    g = torch.Generator().manual_seed(100 + i)
    x = torch.randn(case["input"], generator=g, dtype=dtype)
    hx_shapes = case.get("hx")
    hx = None
    if hx_shapes is not None:
        if isinstance(hx_shapes[0], list):
            hx = tuple(torch.randn(s, generator=g, dtype=dtype) for s in hx_shapes)
        else:
            hx = torch.randn(hx_shapes, generator=g, dtype=dtype)
    if not case.get("train", True):
        m.eval()
    xg = x.clone().requires_grad_()
    torch.manual_seed(1000 + i)
    out, hidden = run(case, m, xg, hx)
    loss_of(out, hidden).backward()
    grads = {k: encode_tensor(p.grad) for k, p in m.named_parameters()}
    padded = None
    if isinstance(out, PackedSequence):
        padded = [encode_tensor(t) for t in pad_packed_sequence(out, batch_first=m.batch_first)]

    torch.manual_seed(2000 + i)
    opt = torch.optim.SGD(m.parameters(), lr=0.05)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        o, h = run(case, m, x, hx)
        loss = loss_of(o, h)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {
        "name": case["name"], "cls": case["cls"], "args": case["args"], "kwargs": case.get("kwargs", {}),
        "train": case.get("train", True), "lengths": case.get("lengths"), "enforce_sorted": case.get("enforce_sorted", True),
        "construct_seed": 10 + i, "forward_seed": 1000 + i, "sgd_seed": 2000 + i,
        "repr": str(m), "params": params,
        "input": encode_tensor(x),
        "hx": None if hx is None else [encode_tensor(t) for t in tensors(hx)],
        "output": encode_output(out), "hidden": [encode_tensor(t) for t in hidden], "padded": padded,
        "input_grad": encode_tensor(xg.grad), "grads": grads,
        "sgd_losses": losses, "sgd_params": {k: encode_tensor(v) for k, v in m.named_parameters()},
    }


torch.manual_seed(7)
A, B, C = torch.randn(2, 2), torch.randn(4, 2), torch.randn(3, 2)
PADDED = torch.randn(4, 3, 2)
PADDED_BF = torch.randn(3, 4, 2)


def packed(p):
    return [p.data, p.batch_sizes] + [t for t in (p.sorted_indices, p.unsorted_indices) if t is not None]


def unpad_leaves_input():
    padded = PADDED.clone()
    out = unpad_sequence(padded, torch.tensor([4, 2, 1]))
    return out + [padded]


# Each: a function of nothing, returning a list of tensors. Twins in test/rnn.test.ts.
UTILS = {
    "pack_padded_sorted": lambda: packed(pack_padded_sequence(PADDED, [4, 2, 1])),
    "pack_padded_tensor_lengths_unsorted_batch_first": lambda: packed(pack_padded_sequence(PADDED_BF, torch.tensor([2, 4, 1]), batch_first=True, enforce_sorted=False)),
    "pad_packed_sorted": lambda: list(pad_packed_sequence(pack_padded_sequence(PADDED, [4, 2, 1]))),
    "pad_packed_unsorted_batch_first_padding_total_length": lambda: list(pad_packed_sequence(
        pack_padded_sequence(PADDED_BF, [2, 4, 1], batch_first=True, enforce_sorted=False), batch_first=True, padding_value=-1.5, total_length=6)),
    "pad_sequence": lambda: [pad_sequence([A, B, C])],
    "pad_sequence_batch_first_padding": lambda: [pad_sequence([A, B, C], batch_first=True, padding_value=7.0)],
    "pack_sequence_unsorted": lambda: packed(pack_sequence([A, B, C], enforce_sorted=False)),
    "pack_sequence_sorted": lambda: packed(pack_sequence([B, C, A])),
    "unpack_sequence": lambda: unpack_sequence(pack_sequence([A, B, C], enforce_sorted=False)),
    "unpad_sequence_time_major": unpad_leaves_input,
    "unpad_sequence_batch_first": lambda: unpad_sequence(PADDED_BF, torch.tensor([2, 4, 1]), batch_first=True),
}


def error_of(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    raise AssertionError("expected an error")


X = torch.randn(5, 3, 10)
# Each: Python's exception for a bad call. Twins in test/rnn.test.ts.
ERRORS = {
    "lstm_input_size": lambda: nn.LSTM(10, 20)(torch.randn(5, 3, 7)),
    "rnn_input_size_packed": lambda: nn.RNN(10, 20)(pack_padded_sequence(torch.randn(5, 3, 7), [5, 4, 2])),
    "lstm_hidden0_size": lambda: nn.LSTM(10, 20, 2)(X, (torch.randn(1, 3, 20), torch.randn(2, 3, 20))),
    "lstm_hidden1_size": lambda: nn.LSTM(10, 20, 2)(X, (torch.randn(2, 3, 20), torch.randn(2, 3, 21))),
    "lstm_proj_hidden_size": lambda: nn.LSTM(10, 20, proj_size=5)(X, (torch.randn(1, 3, 20), torch.randn(1, 3, 20))),
    "gru_hidden_size": lambda: nn.GRU(10, 20, 2)(X, torch.randn(1, 3, 20)),
    "rnn_hidden_batch": lambda: nn.RNN(10, 20)(X, torch.randn(1, 4, 20)),
    "rnn_hidden_size_packed_batch": lambda: nn.RNN(10, 20)(pack_padded_sequence(X, [5, 4, 2]), torch.randn(1, 2, 20)),
    "gru_batched_hx_2d": lambda: nn.GRU(10, 20)(X, torch.randn(3, 20)),
    "rnn_unbatched_hx_3d": lambda: nn.RNN(10, 20)(torch.randn(5, 10), torch.randn(1, 1, 20)),
    "lstm_batched_hx_2d": lambda: nn.LSTM(10, 20)(X, (torch.randn(3, 20), torch.randn(3, 20))),
    "lstm_unbatched_hx_3d": lambda: nn.LSTM(10, 20)(torch.randn(5, 10), (torch.randn(1, 1, 20), torch.randn(1, 1, 20))),
    "lstm_empty_sequence": lambda: nn.LSTM(10, 20)(torch.randn(0, 3, 10)),
    "rnn_proj_size": lambda: nn.RNN(10, 20, proj_size=3),
    "gru_proj_size": lambda: nn.GRU(10, 20, proj_size=0),
    "rnn_unknown_nonlinearity": lambda: nn.RNN(10, 20, nonlinearity="gelu"),
    "dropout_above_one": lambda: nn.GRU(10, 20, dropout=1.5),
    "dropout_bool": lambda: nn.GRU(10, 20, dropout=True),
    "proj_size_not_smaller": lambda: nn.LSTM(10, 20, proj_size=20),
    "proj_size_negative": lambda: nn.LSTM(10, 20, proj_size=-1),
    "cell_input_size": lambda: nn.LSTMCell(10, 20)(torch.randn(3, 7)),
    "cell_hidden_size": lambda: nn.GRUCell(10, 20)(torch.randn(3, 10), torch.randn(3, 21)),
    "cell_hidden_batch": lambda: nn.RNNCell(10, 20)(torch.randn(3, 10), torch.randn(4, 20)),
    "cell_3d_input": lambda: nn.RNNCell(10, 20)(torch.randn(2, 3, 10)),
    "lstm_cell_3d_input": lambda: nn.LSTMCell(10, 20)(torch.randn(2, 3, 10)),
    "pack_unsorted_lengths": lambda: pack_padded_sequence(torch.randn(4, 3, 2), [2, 4, 1]),
    "pack_zero_length": lambda: pack_padded_sequence(torch.randn(4, 3, 2), [4, 2, 0]),
    "pack_lengths_count": lambda: pack_padded_sequence(torch.randn(4, 3, 2), [4, 2]),
    "pad_packed_total_length_short": lambda: pad_packed_sequence(pack_sequence([torch.randn(3), torch.randn(2)]), total_length=2),
    "pad_sequence_empty": lambda: pad_sequence([]),
    "pad_sequence_mismatched": lambda: pad_sequence([torch.randn(3, 2), torch.randn(2, 3)]),
}

torch.manual_seed(0)
modules = [module_case(i, c) for i, c in enumerate(MODULES)]
utils = {name: [encode_tensor(t) for t in f()] for name, f in UTILS.items()}
torch.manual_seed(0)
errors = {name: error_of(f) for name, f in ERRORS.items()}
one_d = pack_sequence([torch.tensor([1.0, 2.0, 3.0]), torch.tensor([4.0, 5.0])])

write_fixture("rnn.json", {
    "modules": modules,
    "utils_inputs": {"A": encode_tensor(A), "B": encode_tensor(B), "C": encode_tensor(C),
                     "PADDED": encode_tensor(PADDED), "PADDED_BF": encode_tensor(PADDED_BF)},
    "utils": utils,
    "errors": errors,
    "packed_repr": repr(one_d),
    "packed_repr_unsorted": repr(pack_sequence([torch.tensor([1.0]), torch.tensor([4.0, 5.0])], enforce_sorted=False)),
})
