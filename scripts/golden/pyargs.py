"""Python's binding of nn module constructors and nn.functional calls:
for each, the repr and some attributes after a positional-form construction,
and the TypeError of a surplus positional and of an unknown keyword.

Run: /usr/bin/python3 scripts/golden/pyargs.py (or `npm run golden`);
writes test/fixtures/pyargs.json, read by test/pyargs.test.ts, which builds
the same calls from the same case list.

Arguments travel as JSON; a tensor as {"t": shape, "dtype": "float"|"long"}
(zeros)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from _common import write_fixture


# What 2.x changed in these parameter lists: RNN takes nonlinearity as its
# fourth positional (RNN(3, 4, 2, False) is then an unknown nonlinearity);
# bias joined the Transformer layers and LayerNorm, _freeze Embedding, weight
# mse_loss, l1_loss and huber_loss, is_causal multi_head_attention_forward;
# and F.scaled_dot_product_attention is new.
# Each case lists this version's form, which the fixture records.
TORCH2 = int(torch.__version__.split(".")[0]) >= 2


def v(before_2, since_2):
    """This torch's form of a case: 1.13's, or 2.x's."""
    return since_2 if TORCH2 else before_2


def T(shape, dtype="float"):
    return {"t": shape, "dtype": dtype}


def build(v):
    if isinstance(v, dict) and "t" in v:
        return torch.zeros(v["t"], dtype=torch.long if v["dtype"] == "long" else torch.float)
    if isinstance(v, list):
        return [build(x) for x in v]
    return v


def error_of(fn):
    try:
        fn()
    except TypeError as e:
        return str(e)
    raise AssertionError("no TypeError")


# name, a positional-form construction, attributes to compare, every positional parameter filled
MODULES = [
    ("Linear", [3, 4, False], ["in_features", "out_features"], [3, 4, True, None, None]),
    ("ReLU", [True], ["inplace"], [False]),
    ("Tanh", [], [], []),
    ("Sigmoid", [], [], []),
    ("Softmax", [1], ["dim"], [1]),
    ("LogSoftmax", [0], ["dim"], [1]),
    ("Flatten", [0, 2], ["start_dim", "end_dim"], [1, -1]),
    ("Dropout", [0.25, True], ["p", "inplace"], [0.5, False]),
    ("Conv2d", [1, 32, 3, 2], ["stride", "padding"], [1, 2, 3, 1, 0, 1, 1, True, "zeros", None, None]),
    ("Conv2d", [2, 4, [3, 5], 1, [1, 2], 2, 2, False], ["kernel_size", "padding", "dilation", "groups"], [1, 2, 3, 1, 0, 1, 1, True, "zeros", None, None]),
    ("Conv2d", [1, 2, 3, 1, "same"], ["padding"], [1, 2, 3, 1, 0, 1, 1, True, "zeros", None, None]),
    ("MaxPool1d", [3, 2, 1], ["kernel_size", "stride", "padding"], [2, None, 0, 1, False, False]),
    ("MaxPool2d", [2, 1], ["kernel_size", "stride"], [2, None, 0, 1, False, False]),
    ("MaxPool2d", [3, None, 1, 1, True, True], ["stride", "return_indices", "ceil_mode"], [2, None, 0, 1, False, False]),
    ("MaxPool3d", [2, 2, 0, 1], ["stride"], [2, None, 0, 1, False, False]),
    ("AdaptiveMaxPool1d", [3, True], ["output_size", "return_indices"], [2, False]),
    ("AdaptiveMaxPool2d", [[None, 3]], ["output_size"], [2, False]),
    ("AdaptiveMaxPool3d", [2], ["output_size"], [2, False]),
    ("BatchNorm1d", [3, 1e-3, 0.2, False, False], ["eps", "momentum", "affine", "track_running_stats"], [3, 1e-5, 0.1, True, True, None, None]),
    ("BatchNorm1d", [4, 1e-5, None], ["momentum"], [3, 1e-5, 0.1, True, True, None, None]),
    ("CrossEntropyLoss", [None, None, 5, None, "sum", 0.25], ["ignore_index", "reduction", "label_smoothing"], [None, None, -100, None, "mean", 0.0]),
    ("NLLLoss", [None, None, 7, None, "none"], ["ignore_index", "reduction"], [None, None, -100, None, "mean"]),
    ("MSELoss", [None, None, "sum"], ["reduction"], [None, None, "mean"]),
    ("L1Loss", [None, None, "none"], ["reduction"], [None, None, "mean"]),
    ("BCEWithLogitsLoss", [None, None, None, "sum"], ["reduction"], [None, None, None, "mean", None]),
    # activation.py, loss.py, dropout.py, padding.py and the small ones (issue 19)
    ("Threshold", [0.1, 20.0, True], ["threshold", "value", "inplace"], [0.1, 20.0, False]),
    ("RReLU", [0.1, 0.3], ["lower", "upper"], [0.125, 0.25, False]),
    ("Hardtanh", [-2.0, 2.0, True], ["min_val", "max_val", "inplace"], [-1.0, 1.0, False, None, None]),
    ("ReLU6", [True], ["inplace", "min_val", "max_val"], [False]),
    ("Hardsigmoid", [True], ["inplace"], [False]),
    ("SiLU", [True], ["inplace"], [False]),
    ("Mish", [True], ["inplace"], [False]),
    ("Hardswish", [True], ["inplace"], [False]),
    ("ELU", [0.5, True], ["alpha", "inplace"], [1.0, False]),
    ("CELU", [0.5], ["alpha"], [1.0, False]),
    ("SELU", [True], ["inplace"], [False]),
    ("GLU", [1], ["dim"], [-1]),
    ("GELU", ["tanh"], ["approximate"], ["none"]),
    ("Hardshrink", [0.25], ["lambd"], [0.5]),
    ("LeakyReLU", [0.2, True], ["negative_slope", "inplace"], [0.01, False]),
    ("LogSigmoid", [], [], []),
    ("Softplus", [2, 10], ["beta", "threshold"], [1, 20]),
    ("Softshrink", [0.25], ["lambd"], [0.5]),
    ("PReLU", [3, 0.1], ["num_parameters"], [1, 0.25, None, None]),
    ("Softsign", [], [], []),
    ("Tanhshrink", [], [], []),
    ("Softmin", [1], ["dim"], [None]),
    ("Softmax2d", [], [], []),
    ("Dropout1d", [0.25, True], ["p", "inplace"], [0.5, False]),
    ("Dropout2d", [0.25], ["p", "inplace"], [0.5, False]),
    ("Dropout3d", [0.25], ["p"], [0.5, False]),
    ("AlphaDropout", [0.25, True], ["p", "inplace"], [0.5, False]),
    ("FeatureAlphaDropout", [0.25], ["p"], [0.5, False]),
    ("ReflectionPad1d", [2], ["padding"], [1]),
    ("ReflectionPad2d", [[1, 0, 2, 1]], ["padding"], [1]),
    ("ReflectionPad3d", [1], ["padding"], [1]),
    ("ReplicationPad1d", [[2, 1]], ["padding"], [1]),
    ("ReplicationPad2d", [1], ["padding"], [1]),
    ("ReplicationPad3d", [[1, 0, 1, 0, 2, 1]], ["padding"], [1]),
    ("ZeroPad2d", [2], ["padding"], [1]),
    ("ConstantPad1d", [2, 3.5], ["padding", "value"], [1, 0.0]),
    ("ConstantPad2d", [[1, 0, 2, 1], -1.0], ["padding", "value"], [1, 0.0]),
    ("ConstantPad3d", [1, 0.5], ["padding", "value"], [1, 0.0]),
    ("PixelShuffle", [3], ["upscale_factor"], [2]),
    ("PixelUnshuffle", [3], ["downscale_factor"], [2]),
    ("ChannelShuffle", [4], ["groups"], [2]),
    ("PairwiseDistance", [1.0, 1e-3, True], ["norm", "eps", "keepdim"], [2.0, 1e-6, False]),
    ("CosineSimilarity", [0, 1e-6], ["dim", "eps"], [1, 1e-8]),
    ("Unflatten", [1, [2, 5]], ["dim", "unflattened_size"], [1, [2, 2]]),
    ("Bilinear", [3, 2, 4, False], ["in1_features", "in2_features", "out_features"], [3, 2, 4, True, None, None]),
    ("ParameterList", [None], [], [None]),
    ("ParameterDict", [None], [], [None]),
    ("PoissonNLLLoss", [False, True, None, 1e-6, None, "sum"], ["log_input", "full", "eps", "reduction"], [True, False, None, 1e-8, None, "mean"]),
    ("GaussianNLLLoss", [], ["full", "eps", "reduction"], []),
    ("KLDivLoss", [None, None, "batchmean", True], ["reduction", "log_target"], [None, None, "mean", False]),
    ("BCELoss", [None, None, None, "sum"], ["reduction"], [None, None, None, "mean"]),
    ("HingeEmbeddingLoss", [0.5, None, None, "none"], ["margin", "reduction"], [1.0, None, None, "mean"]),
    ("MultiLabelMarginLoss", [None, None, "sum"], ["reduction"], [None, None, "mean"]),
    ("SmoothL1Loss", [None, None, "sum", 0.5], ["reduction", "beta"], [None, None, "mean", 1.0]),
    ("HuberLoss", ["sum", 0.5], ["reduction", "delta"], ["mean", 1.0]),
    ("SoftMarginLoss", [None, False], ["reduction"], [None, None, "mean"]),
    ("MultiLabelSoftMarginLoss", [None, None, None, "none"], ["reduction"], [None, None, None, "mean"]),
    ("CosineEmbeddingLoss", [0.2, None, None, "sum"], ["margin", "reduction"], [0.0, None, None, "mean"]),
    ("MarginRankingLoss", [0.1, None, None, "none"], ["margin", "reduction"], [0.0, None, None, "mean"]),
    ("MultiMarginLoss", [2, 0.5, None, None, None, "sum"], ["p", "margin", "reduction"], [1, 1.0, None, None, None, "mean"]),
    ("TripletMarginLoss", [0.5, 1.0, 1e-3, True, None, None, "sum"], ["margin", "p", "eps", "swap", "reduction"], [1.0, 2.0, 1e-6, False, None, None, "mean"]),
    ("TripletMarginWithDistanceLoss", [], ["margin", "swap", "reduction"], []),
    ("CTCLoss", [1, "sum", True], ["blank", "reduction", "zero_infinity"], [0, "mean", False]),
    # recurrent networks
    ("RNN", v([3, 4, 2, False, True, 0.25, True], [3, 4, 2, "relu", False, True, 0.25, True]),
     ["input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional"] + v([], ["nonlinearity"]),
     v([3, 4, 1, True, False, 0.0, False, 0, None, None], [3, 4, 1, "tanh", True, False, 0.0, False, 0, None, None])),
    ("LSTM", [3, 4, 1, True, False, 0.0, False, 2], ["proj_size"], [3, 4, 1, True, False, 0.0, False, 0, None, None]),
    ("GRU", [3, 4, 2], ["num_layers"], [3, 4, 1, True, False, 0.0, False, 0, None, None]),
    ("RNNBase", ["GRU", 3, 4], ["mode"], ["LSTM", 3, 4, 1, True, False, 0.0, False, 0, None, None]),
    ("RNNCell", [3, 4, False, "relu"], ["bias", "nonlinearity"], [3, 4, True, "tanh", None, None]),
    ("LSTMCell", [3, 4, False], ["bias"], [3, 4, True, None, None]),
    ("GRUCell", [3, 4], ["hidden_size"], [3, 4, True, None, None]),
    ("RNNCellBase", [3, 4, True, 2], ["input_size"], [3, 4, True, 4, None, None]),
    # attention and transformers
    ("MultiheadAttention", [8, 2, 0.1, False, True, True, 4, 6, True], ["embed_dim", "num_heads", "dropout", "kdim", "vdim", "batch_first", "add_zero_attn"], [8, 2, 0.0, True, False, False, None, None, False, None, None]),
    ("TransformerEncoderLayer", [8, 2, 16, 0.0, "gelu", 1e-6, True, True], ["norm_first"], [8, 2, 2048, 0.1, "relu", 1e-5, False, False] + v([], [True]) + [None, None]),
    ("TransformerDecoderLayer", [8, 2, 16, 0.0, "relu", 1e-6, False, True], ["norm_first"], [8, 2, 2048, 0.1, "relu", 1e-5, False, False] + v([], [True]) + [None, None]),
    ("Transformer", [8, 2, 1, 1, 16, 0.0], ["d_model", "nhead", "batch_first"], [8, 2, 1, 1, 16, 0.1, "relu", None, None, 1e-5, False, False] + v([], [True]) + [None, None]),
    ("AdaptiveLogSoftmaxWithLoss", [8, 10, [2, 6], 2.0, True], ["in_features", "n_classes", "cutoffs", "div_value", "head_bias", "shortlist_size", "head_size"], [8, 10, [2, 6], 4.0, False, None, None]),
    # convolution, pooling, normalisation, embedding, upsampling, fold
    ("Conv1d", [2, 4, 3, 2, 1], ["kernel_size", "stride", "padding"], [1, 2, 3, 1, 0, 1, 1, True, "zeros", None, None]),
    ("Conv3d", [1, 2, [1, 3, 3], 1, "same", 2], ["kernel_size", "padding", "dilation"], [1, 2, 3, 1, 0, 1, 1, True, "zeros", None, None]),
    ("ConvTranspose1d", [2, 4, 3, 2, 1, 1], ["stride", "output_padding"], [1, 2, 3, 1, 0, 0, 1, True, 1, "zeros", None, None]),
    ("ConvTranspose2d", [2, 4, 3, 1, 0, 0, 2, False, 2], ["groups", "dilation"], [1, 2, 3, 1, 0, 0, 1, True, 1, "zeros", None, None]),
    ("ConvTranspose3d", [1, 2, 2], ["kernel_size"], [1, 2, 3, 1, 0, 0, 1, True, 1, "zeros", None, None]),
    ("AvgPool1d", [3, 2, 1, True, False], ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"], [2, None, 0, False, True]),
    ("AvgPool2d", [3, None, 1, False, True, 2], ["stride", "divisor_override"], [2, None, 0, False, True, None]),
    ("AvgPool3d", [2], ["stride"], [2, None, 0, False, True, None]),
    ("AdaptiveAvgPool1d", [3], ["output_size"], [2]),
    ("AdaptiveAvgPool2d", [[None, 3]], ["output_size"], [2]),
    ("AdaptiveAvgPool3d", [2], ["output_size"], [2]),
    ("LPPool1d", [2, 3, 2, True], ["norm_type", "kernel_size", "stride", "ceil_mode"], [2, 2, None, False]),
    ("LPPool2d", [1.5, [2, 3]], ["kernel_size", "stride"], [2, 2, None, False]),
    ("MaxUnpool1d", [2, 1], ["kernel_size", "stride", "padding"], [2, None, 0]),
    ("MaxUnpool2d", [2], ["stride"], [2, None, 0]),
    ("MaxUnpool3d", [2, None, 1], ["padding"], [2, None, 0]),
    ("FractionalMaxPool2d", [2, 3], ["kernel_size", "output_size", "return_indices"], [2, 3, None, False, None]),
    ("FractionalMaxPool3d", [2, None, 0.5, True], ["output_ratio", "return_indices"], [2, 3, None, False, None]),
    ("BatchNorm2d", [3, 1e-3, None, False], ["eps", "momentum", "affine"], [3, 1e-5, 0.1, True, True, None, None]),
    ("BatchNorm3d", [3], ["num_features"], [3, 1e-5, 0.1, True, True, None, None]),
    ("InstanceNorm1d", [3, 1e-5, 0.2, True, True], ["momentum", "affine", "track_running_stats"], [3, 1e-5, 0.1, False, False, None, None]),
    ("InstanceNorm2d", [3], ["affine"], [3, 1e-5, 0.1, False, False, None, None]),
    ("InstanceNorm3d", [3, 1e-3], ["eps"], [3, 1e-5, 0.1, False, False, None, None]),
    ("LayerNorm", [[2, 3], 1e-3, False], ["eps", "elementwise_affine"], [3, 1e-5, True] + v([], [True]) + [None, None]),
    ("GroupNorm", [2, 4, 1e-3, False], ["num_groups", "num_channels", "affine"], [2, 4, 1e-5, True, None, None]),
    ("LocalResponseNorm", [3, 1e-3, 0.5, 2.0], ["size", "alpha", "beta", "k"], [2, 1e-4, 0.75, 1.0]),
    ("CrossMapLRN2d", [3, 1e-3, 0.5], ["size", "alpha", "beta", "k"], [2, 1e-4, 0.75, 1]),
    ("Embedding", [10, 3, 1, 1.0, 1.0, True, True], ["padding_idx", "max_norm", "norm_type", "sparse"], [10, 3, None, None, 2.0, False, False, None] + v([], [False]) + [None, None]),
    ("EmbeddingBag", [10, 3, None, 2.0, False, "sum", False, None, True, 2], ["mode", "include_last_offset", "padding_idx"], [10, 3, None, 2.0, False, "mean", False, None, False, None, None, None]),
    ("Upsample", [None, 2, "bilinear", True], ["scale_factor", "mode", "align_corners"], [None, 2, "nearest", None, None]),
    ("UpsamplingNearest2d", [[4, 5]], ["size", "mode"], [None, 2]),
    ("UpsamplingBilinear2d", [None, 1.5], ["scale_factor", "align_corners"], [None, 2]),
    ("Fold", [[4, 5], 2, 1, [1, 0], 2], ["output_size", "padding"], [4, 2, 1, 0, 1]),
    ("Unfold", [2, 2], ["dilation"], [2, 1, 0, 1]),
]

x = T([2, 3])
y = T([2], "long")
img = T([1, 1, 4, 4])
w = T([1, 1, 3, 3])
seq = T([1, 1, 4])
vol = T([1, 1, 2, 4, 4])
pool = lambda inp: [inp, 2, None, 0, 1, False, False]

# name, every positional parameter filled with a valid value
FUNCTIONS = [
    ("linear", [x, T([4, 3]), None]),
    ("relu", [x, False]),
    ("tanh", [x]),
    ("sigmoid", [x]),
    ("softmax", [x, 1, 3, None]),
    ("log_softmax", [x, 1, 3, None]),
    ("cross_entropy", [x, y, None, None, -100, None, "mean", 0.0]),
    ("nll_loss", [x, y, None, None, -100, None, "mean"]),
    ("mse_loss", [x, x, None, None, "mean"] + v([], [None])),
    ("l1_loss", [x, x, None, None, "mean"] + v([], [None])),
    ("binary_cross_entropy_with_logits", [x, x, None, None, None, "mean", None]),
    ("dropout", [x, 0.5, True, False]),
    ("conv2d", [img, w, None, 1, 0, 1, 1]),
    ("batch_norm", [x, None, None, None, None, True, 0.1, 1e-5]),
    ("max_pool1d", pool(seq)),
    ("max_pool2d", pool(img)),
    ("max_pool3d", pool(vol)),
    ("max_pool1d_with_indices", pool(seq)),
    ("max_pool2d_with_indices", pool(img)),
    ("max_pool3d_with_indices", pool(vol)),
    ("adaptive_max_pool1d", [seq, 2, False]),
    ("adaptive_max_pool2d", [img, 2, False]),
    ("adaptive_max_pool3d", [vol, 2, False]),
    ("adaptive_max_pool1d_with_indices", [seq, 2, False]),
    ("adaptive_max_pool2d_with_indices", [img, 2, False]),
    ("adaptive_max_pool3d_with_indices", [vol, 2, False]),
    # activations
    ("threshold", [x, 0.1, 0.0, False]),
    ("threshold_", [x, 0.1, 0.0]),
    ("relu_", [x]),
    ("glu", [T([2, 4]), -1]),
    ("hardtanh", [x, -1.0, 1.0, False]),
    ("hardtanh_", [x, -1.0, 1.0]),
    ("relu6", [x, False]),
    ("elu", [x, 1.0, False]),
    ("elu_", [x, 1.0, 1, 1]),
    ("selu", [x, False]),
    ("selu_", [x]),
    ("celu", [x, 1.0, False]),
    ("celu_", [x, 1.0]),
    ("leaky_relu", [x, 0.01, False]),
    ("leaky_relu_", [x, 0.01]),
    ("prelu", [x, T([1])]),
    ("rrelu", [x, 0.125, 0.25, False, False]),
    ("rrelu_", [x, 0.125, 0.25, False, None]),
    ("logsigmoid", [x]),
    ("gelu", [x]),
    ("hardshrink", [x, 0.5]),
    ("tanhshrink", [x]),
    ("softsign", [x]),
    ("softplus", [x, 1, 20]),
    ("softmin", [x, 1, 3, None]),
    ("gumbel_softmax", [x, 1.0, False, 1e-10, -1]),
    ("softshrink", [x, 0.5]),
    ("hardsigmoid", [x, False]),
    ("silu", [x, False]),
    ("mish", [x, False]),
    ("hardswish", [x, False]),
    # losses
    ("binary_cross_entropy", [x, x, None, None, None, "mean"]),
    ("kl_div", [x, x, None, None, "sum", False]),
    ("smooth_l1_loss", [x, x, None, None, "mean", 1.0]),
    ("huber_loss", [x, x, "mean", 1.0] + v([], [None])),
    ("margin_ranking_loss", [x, x, x, 0.0, None, None, "mean"]),
    ("hinge_embedding_loss", [x, x, 1.0, None, None, "mean"]),
    ("multilabel_margin_loss", [x, T([2, 3], "long"), None, None, "mean"]),
    ("soft_margin_loss", [x, x, None, None, "mean"]),
    ("multilabel_soft_margin_loss", [x, x, None, None, None, "mean"]),
    ("cosine_embedding_loss", [x, x, T([2]), 0.0, None, None, "mean"]),
    ("multi_margin_loss", [x, y, 1, 1.0, None, None, None, "mean"]),
    ("triplet_margin_loss", [x, x, x, 1.0, 2.0, 1e-6, False, None, None, "mean"]),
    ("triplet_margin_with_distance_loss", [x, x, x]),
    ("poisson_nll_loss", [x, x, True, False, None, 1e-8, None, "mean"]),
    ("gaussian_nll_loss", [x, x, x, False, 1e-6, "mean"]),
    ("ctc_loss", [T([3, 1, 4]), T([1, 2], "long"), [3], [2], 0, "mean", False]),
    # convolution, shuffles, distances, padding
    ("conv1d", [seq, T([1, 1, 3]), None, 1, 0, 1, 1]),
    ("conv3d", [vol, T([1, 1, 1, 3, 3]), None, 1, 0, 1, 1]),
    ("conv_transpose1d", [seq, T([1, 1, 3]), None, 1, 0, 0, 1, 1]),
    ("conv_transpose2d", [img, w, None, 1, 0, 0, 1, 1]),
    ("conv_transpose3d", [vol, T([1, 1, 1, 3, 3]), None, 1, 0, 0, 1, 1]),
    ("conv_tbc", [T([4, 1, 2]), T([3, 2, 2]), T([2]), 0]),
    ("bilinear", [x, x, T([4, 3, 3]), None]),
    ("pixel_shuffle", [T([1, 4, 2, 2]), 2]),
    ("pixel_unshuffle", [img, 2]),
    ("channel_shuffle", [T([1, 4, 2, 2]), 2]),
    ("native_channel_shuffle", [T([1, 4, 2, 2]), 2]),
    ("pairwise_distance", [x, x, 2.0, 1e-6, False]),
    ("pdist", [x, 2.0]),
    ("cosine_similarity", [x, x, 1, 1e-8]),
    ("one_hot", [y, 3]),
    ("pad", [x, [1, 1], "constant", 0.0]),
    ("unfold", [img, 2, 1, 0, 1]),
    ("fold", [T([1, 4, 9]), 4, 2, 1, 0, 1]),
    # pooling, normalisation, dropout
    ("avg_pool1d", [seq, 2, None, 0, False, True]),
    ("avg_pool2d", [img, 2, None, 0, False, True, None]),
    ("avg_pool3d", [vol, 2, None, 0, False, True, None]),
    ("adaptive_avg_pool1d", [seq, 2]),
    ("adaptive_avg_pool2d", [img, 2]),
    ("adaptive_avg_pool3d", [vol, 2]),
    ("layer_norm", [x, [3], None, None, 1e-5]),
    ("normalize", [x, 2.0, 1, 1e-12, None]),
    ("alpha_dropout", [x, 0.5, False, False]),
    ("feature_alpha_dropout", [x, 0.5, False, False]),
    ("dropout1d", [T([1, 2, 3]), 0.5, True, False]),
    ("dropout2d", [img, 0.5, True, False]),
    ("dropout3d", [vol, 0.5, True, False]),
    ("multi_head_attention_forward", [T([2, 1, 8]), T([2, 1, 8]), T([2, 1, 8]), 8, 2, T([24, 8]), None, None, None, False, 0.0, T([8, 8]), None, True, None, True, None, False, None, None, None, None, None, True] + v([], [False])),
    # embeddings, normalisation, resampling, pooling
    ("embedding", [T([2, 3], "long"), T([4, 3]), None, None, 2.0, False, False]),
    ("embedding_bag", [T([2, 3], "long"), T([4, 3]), None, None, 2, False, "mean", False, None, False, None]),
    ("group_norm", [T([2, 4, 3]), 2, None, None, 1e-5]),
    ("instance_norm", [T([2, 3, 4]), None, None, None, None, True, 0.1, 1e-5]),
    ("local_response_norm", [T([1, 3, 4]), 2, 1e-4, 0.75, 1.0]),
    ("interpolate", [img, 2, None, "nearest", None, None, False]),
    ("upsample", [img, 2, None, "nearest", None]),
    ("upsample_nearest", [img, 2, None]),
    ("upsample_bilinear", [img, 2, None]),
    ("grid_sample", [img, T([1, 2, 2, 2]), "bilinear", "zeros", False]),
    ("affine_grid", [T([1, 2, 3]), [1, 1, 2, 2], False]),
    ("lp_pool1d", [seq, 2.0, 2, None, False]),
    ("lp_pool2d", [img, 2.0, 2, None, False]),
    ("max_unpool1d", [T([1, 1, 2]), T([1, 1, 2], "long"), 2, None, 0, None]),
    ("max_unpool2d", [T([1, 1, 2, 2]), T([1, 1, 2, 2], "long"), 2, None, 0, None]),
    ("max_unpool3d", [T([1, 1, 2, 2, 2]), T([1, 1, 2, 2, 2], "long"), 2, None, 0, None]),
    ("fractional_max_pool2d", [img, 2, 2, None, False, None]),
    ("fractional_max_pool3d", [T([1, 1, 3, 4, 4]), 2, [1, 2, 2], None, False, None]),
    ("fractional_max_pool2d_with_indices", [img, 2, 2, None, False, None]),
    ("fractional_max_pool3d_with_indices", [T([1, 1, 3, 4, 4]), 2, [1, 2, 2], None, False, None]),
] + v([], [
    ("scaled_dot_product_attention", [T([1, 2, 4]), T([1, 3, 4]), T([1, 3, 4]), None, 0.0, False]),
])

def attr(v):
    return list(v) if isinstance(v, tuple) else v


modules = []
for name, args, attrs, full in MODULES:
    cls = getattr(nn, name)
    m = cls(*build(args))
    modules.append({
        "name": name,
        "args": args,
        "repr": repr(m),
        "attrs": {a: attr(getattr(m, a)) for a in attrs},
        "full": full,
        "surplus": error_of(lambda: cls(*build(full + [0]))),
        "unknown": error_of(lambda: cls(*build(full[:0]), bogus=1) if not full else cls(*build(full), bogus=1)),
    })

functions = []
for name, full in FUNCTIONS:
    fn = getattr(F, name)
    fn(*build(full))  # the full positional call is valid
    functions.append({
        "name": name,
        "full": full,
        "surplus": error_of(lambda: fn(*build(full + [0]))),
        "unknown": error_of(lambda: fn(*build(full), bogus=1)),
    })

write_fixture("pyargs.json", {"modules": modules, "functions": functions})
