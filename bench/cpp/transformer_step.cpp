// libtorch's own C++ frontend doing the training step of
// examples/transformer_encoder.ts (PyTorch's transformer language-model
// tutorial: 200 wide, 2 layers, 2 heads, feed-forward 200, dropout 0.2, batch
// 20, 35 words under a causal mask, CrossEntropyLoss, clip_grad_norm_ 0.5, SGD
// with lr 5), the C++ twin of the transformer in bench/example_steps.ts and
// .py. Built by bench/run.ts against the libtorch torchts uses.
//   transformer_step <text file> <steps> [--frontend]
// Prints one JSON line: the mean step in microseconds over `steps` steps after
// a tenth as many (at least 3) of warm-up.
//
// By default each encoder layer makes the calls the batch-first
// TransformerEncoderLayer of the Python of this libtorch makes in training
// (1.13: MultiheadAttention's transposes, packed in-projection, baddbmm with
// the mask, softmax, dropout, bmm, out projection; 2.x: the in-projection
// split as (3, E) and scaled_dot_product_attention, told the mask is causal;
// then LayerNorm, the feed-forward block, LayerNorm), since torchts makes
// those same calls for Python's numbers: the figure is what those calls cost
// without a binding (bench/op_count.ts counts them on every side). With --frontend the layers are the C++
// frontend's own torch::nn::TransformerEncoderLayer, as a C++ user would
// write it: it has no batch_first, so the encoder runs sequence first
// between two transposes, and its attention is libtorch's C++ one.
//
// Linear layers are called through torch::linear (ATen's linear, which
// Python's F.linear is): the C++ frontend's Linear::forward has a linear of
// its own that takes a 3-d input through matmul where ATen's takes a
// contiguous one through one addmm.
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "clip_grad.h"
#include "corpus.h"
#include "step_timer.h"

/** nn.Transformer.generate_square_subsequent_mask(n): -inf above the diagonal, 0 elsewhere. */
torch::Tensor squareSubsequentMask(int64_t n) {
  return torch::triu(torch::full({n, n}, -std::numeric_limits<float>::infinity()), 1);
}

/** One batch-first encoder layer (post-norm, ReLU) making the calls of the Python of its libtorch in training. */
struct PythonOrderEncoderLayer : torch::nn::Module {
  int64_t nhead;
  double dropout;
  torch::Tensor in_proj_weight, in_proj_bias;
  torch::nn::Linear out_proj{nullptr}, linear1{nullptr}, linear2{nullptr};
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};

  PythonOrderEncoderLayer(int64_t d_model, int64_t nhead, int64_t d_hid, double dropout) : nhead(nhead), dropout(dropout) {
    in_proj_weight = register_parameter("in_proj_weight", torch::empty({3 * d_model, d_model}));
    in_proj_bias = register_parameter("in_proj_bias", torch::zeros({3 * d_model}));
    torch::nn::init::xavier_uniform_(in_proj_weight);
    out_proj = register_module("out_proj", torch::nn::Linear(d_model, d_model));
    linear1 = register_module("linear1", torch::nn::Linear(d_model, d_hid));
    linear2 = register_module("linear2", torch::nn::Linear(d_hid, d_model));
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
    norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
  }

  torch::Tensor drop(const torch::Tensor& x) { return torch::dropout(x, dropout, is_training()); }

#if TORCH_VERSION_MAJOR >= 2
  /**
   * Python 2.x's MultiheadAttention(x, x, x, attn_mask=mask, need_weights=False,
   * is_causal=causal) on (batch, seq, d_model): the packed in-projection
   * split as (3, E), then scaled_dot_product_attention, which takes a mask
   * found causal as is_causal instead of the mask.
   */
  torch::Tensor selfAttention(const torch::Tensor& x, const torch::Tensor& mask, bool causal) {
    auto query = x.transpose(1, 0);
    const int64_t tgt_len = query.size(0), bsz = query.size(1), embed_dim = query.size(2);
    const int64_t head_dim = embed_dim / nhead;
    auto proj = torch::linear(query, in_proj_weight, in_proj_bias);
    proj = proj.unflatten(-1, {3, embed_dim}).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous();
    auto heads = [&](const torch::Tensor& t) {
      return t.view({tgt_len, bsz * nhead, head_dim}).transpose(0, 1).view({bsz, nhead, tgt_len, head_dim});
    };
    auto out = at::scaled_dot_product_attention(heads(proj[0]), heads(proj[1]), heads(proj[2]),
                                                causal ? c10::optional<torch::Tensor>() : c10::optional<torch::Tensor>(mask.unsqueeze(0).unsqueeze(0)),
                                                is_training() ? dropout : 0.0, causal);
    out = out.permute({2, 0, 1, 3}).contiguous().view({bsz * tgt_len, embed_dim});
    out = torch::linear(out, out_proj->weight, out_proj->bias).view({tgt_len, bsz, embed_dim});
    return out.transpose(1, 0);
  }
#else
  /** Python 1.13's MultiheadAttention(x, x, x, attn_mask=mask, need_weights=False) on (batch, seq, d_model). */
  torch::Tensor selfAttention(const torch::Tensor& x, const torch::Tensor& mask, bool /* causal: 1.13 has no such hint */) {
    auto query = x.transpose(1, 0);
    const int64_t tgt_len = query.size(0), bsz = query.size(1), embed_dim = query.size(2);
    const int64_t head_dim = embed_dim / nhead;
    auto qkv = torch::linear(query, in_proj_weight, in_proj_bias).chunk(3, -1);
    auto heads = [&](const torch::Tensor& t) { return t.contiguous().view({tgt_len, bsz * nhead, head_dim}).transpose(0, 1); };
    auto q = heads(qkv[0]), k = heads(qkv[1]), v = heads(qkv[2]);
    auto q_scaled = q / std::sqrt(static_cast<double>(head_dim));
    auto weights = torch::baddbmm(mask.unsqueeze(0), q_scaled, k.transpose(-2, -1));
    weights = torch::softmax(weights, -1);
    weights = drop(weights);
    auto out = torch::bmm(weights, v).transpose(0, 1).contiguous().view({tgt_len * bsz, embed_dim});
    out = torch::linear(out, out_proj->weight, out_proj->bias).view({tgt_len, bsz, embed_dim});
    return out.transpose(1, 0);
  }
#endif

  torch::Tensor forward(torch::Tensor x, const torch::Tensor& mask, bool causal) {
    x = norm1->forward(x + drop(selfAttention(x, mask, causal)));
    auto ff = torch::linear(drop(torch::relu(torch::linear(x, linear1->weight, linear1->bias))), linear2->weight, linear2->bias);
    return norm2->forward(x + drop(ff));
  }
};

struct TransformerModel : torch::nn::Module {
  int64_t d_model;
  torch::Tensor pe;  // (1, max_len, d_model): sin(pos / 10000^(2i/d)) at 2i, cos at 2i+1
  torch::nn::Dropout pos_dropout{nullptr};
  bool frontend;
  torch::nn::TransformerEncoder frontend_encoder{nullptr};  // --frontend
  std::vector<std::shared_ptr<PythonOrderEncoderLayer>> layers;  // otherwise
  torch::nn::Embedding encoder{nullptr};
  torch::nn::Linear decoder{nullptr};

  TransformerModel(int64_t ntoken, int64_t d_model, int64_t nhead, int64_t d_hid, int64_t nlayers, double dropout, bool frontend)
      : d_model(d_model), frontend(frontend) {
    const int64_t max_len = 5000;
    auto position = torch::arange(max_len).unsqueeze(1);
    auto div_term = torch::exp(torch::arange(0, d_model, 2) * (-std::log(10000.0) / d_model));
    pe = torch::zeros({1, max_len, d_model});
    pe.select(0, 0).slice(1, 0, d_model, 2).copy_(torch::sin(position * div_term));
    pe.select(0, 0).slice(1, 1, d_model, 2).copy_(torch::cos(position * div_term));
    pe = register_buffer("pe", pe);
    pos_dropout = register_module("pos_dropout", torch::nn::Dropout(dropout));
    if (frontend) {
      auto layer = torch::nn::TransformerEncoderLayer(
          torch::nn::TransformerEncoderLayerOptions(d_model, nhead).dim_feedforward(d_hid).dropout(dropout));
      frontend_encoder = register_module("transformer_encoder", torch::nn::TransformerEncoder(layer, nlayers));
    } else {
      for (int64_t i = 0; i < nlayers; i++) {
        layers.push_back(register_module("layer" + std::to_string(i), std::make_shared<PythonOrderEncoderLayer>(d_model, nhead, d_hid, dropout)));
      }
    }
    encoder = register_module("encoder", torch::nn::Embedding(ntoken, d_model));
    decoder = register_module("decoder", torch::nn::Linear(d_model, ntoken));
    torch::NoGradGuard no_grad;
    encoder->weight.uniform_(-0.1, 0.1);
    decoder->bias.zero_();
    decoder->weight.uniform_(-0.1, 0.1);
  }

  /** src (batch, seq) word ids, mask (seq, seq) additive; gives (batch, seq, ntoken) logits. */
  torch::Tensor forward(const torch::Tensor& src, const torch::Tensor& mask) {
    auto x = encoder->forward(src) * std::sqrt(static_cast<double>(d_model));
    x = pos_dropout->forward(x + pe.slice(1, 0, x.size(1)));
    if (frontend) {
      x = frontend_encoder->forward(x.transpose(0, 1), mask).transpose(0, 1);
    } else {
      // Python 2.x's TransformerEncoder asks once a forward whether the mask
      // is the causal one, and tells its layers.
      bool causal = false;
#if TORCH_VERSION_MAJOR >= 2
      const int64_t seq = x.size(1);
      causal = mask.sizes() == torch::IntArrayRef{seq, seq} && (mask == squareSubsequentMask(seq)).all().item<bool>();
#endif
      for (auto& layer : layers) x = layer->forward(x, mask, causal);
    }
    return torch::linear(x, decoder->weight, decoder->bias);
  }
};

int main(int argc, char** argv) {
  if (argc < 3 || (argc > 3 && std::string(argv[3]) != "--frontend")) {
    std::fprintf(stderr, "usage: transformer_step text-file steps [--frontend]\n");
    return 2;
  }
  torch::set_num_threads(1);
  torch::manual_seed(0);
  Corpus corpus(argv[1]);
  const int64_t steps = std::atoll(argv[2]);
  const int64_t bptt = 35, batch = 20, ntokens = corpus.size();
  // batchify: the sequence cut into 20 rows, batch first.
  const int64_t columns = corpus.train.size(0) / batch;
  auto train = corpus.train.narrow(0, 0, columns * batch).view({batch, columns}).contiguous();
  const int64_t batches = (train.size(1) - 1) / bptt;

  auto model = std::make_shared<TransformerModel>(ntokens, 200, 2, 200, 2, 0.2, argc > 3);
  model->train();
  auto params = model->parameters();
  torch::optim::SGD optimizer(params, torch::optim::SGDOptions(5.0));
  auto src_mask = squareSubsequentMask(bptt);
  auto step = [&](int64_t s) {
    const int64_t i = (s % batches) * bptt;
    auto data = train.slice(1, i, i + bptt);
    auto targets = train.slice(1, i + 1, i + 1 + bptt).reshape(-1);
    auto output = model->forward(data, src_mask);
    auto loss = torch::cross_entropy_loss(output.reshape({-1, ntokens}), targets);
    optimizer.zero_grad();
    loss.backward();
    clipGradNorm(params, 0.5);
    optimizer.step();
    loss.item<float>();
  };
  std::printf("{\"transformer_step_us\": %.3f}\n", meanStepUs(step, steps));
  return 0;
}
