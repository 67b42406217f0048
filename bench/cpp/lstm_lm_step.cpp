// libtorch's own C++ frontend doing the training step of examples/lstm_lm.ts
// (pytorch/examples' word_language_model, LSTM flavour: 200 units, 2 layers,
// dropout 0.2, batch 20, 35 steps of truncated BPTT, NLLLoss over
// log_softmax, clip_grad_norm_ 0.25, SGD by hand with lr 20), the C++ twin of
// the LSTM in bench/example_steps.ts and .py. Built by bench/run.ts against
// the libtorch torchts uses.
//   lstm_lm_step <text file> <steps>
// Prints one JSON line: the mean step in microseconds over `steps` steps after
// a tenth as many (at least 3) of warm-up.
#include <torch/torch.h>

#include <cmath>
#include <cstdio>

#include "clip_grad.h"
#include "corpus.h"
#include "step_timer.h"

struct RNNModel : torch::nn::Module {
  int64_t ntoken, nhid, nlayers;
  torch::nn::Dropout drop{nullptr};
  torch::nn::Embedding encoder{nullptr};
  torch::nn::LSTM rnn{nullptr};
  torch::nn::Linear decoder{nullptr};

  RNNModel(int64_t ntoken, int64_t ninp, int64_t nhid, int64_t nlayers, double dropout)
      : ntoken(ntoken), nhid(nhid), nlayers(nlayers) {
    drop = register_module("drop", torch::nn::Dropout(dropout));
    encoder = register_module("encoder", torch::nn::Embedding(ntoken, ninp));
    rnn = register_module("rnn", torch::nn::LSTM(torch::nn::LSTMOptions(ninp, nhid).num_layers(nlayers).dropout(dropout)));
    decoder = register_module("decoder", torch::nn::Linear(nhid, ntoken));
    torch::NoGradGuard no_grad;
    encoder->weight.uniform_(-0.1, 0.1);
    decoder->bias.zero_();
    decoder->weight.uniform_(-0.1, 0.1);
  }

  std::tuple<torch::Tensor, std::tuple<torch::Tensor, torch::Tensor>> forward(
      const torch::Tensor& input, const std::tuple<torch::Tensor, torch::Tensor>& hidden) {
    auto emb = drop->forward(encoder->forward(input));
    auto [output, next] = rnn->forward(emb, hidden);
    output = drop->forward(output);
    // ATen's linear, as Python's F.linear: the C++ frontend's Linear::forward
    // would take this 3-d input through matmul instead of one addmm.
    auto decoded = torch::linear(output, decoder->weight, decoder->bias).view({-1, ntoken});
    return {torch::log_softmax(decoded, 1), next};
  }
};

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: lstm_lm_step text-file steps\n");
    return 2;
  }
  torch::set_num_threads(1);
  torch::manual_seed(0);
  Corpus corpus(argv[1]);
  const int64_t steps = std::atoll(argv[2]);
  const int64_t bptt = 35, batch = 20;
  const double lr = 20;
  // batchify: the sequence cut into 20 columns, one row per time step.
  const int64_t rows = corpus.train.size(0) / batch;
  auto train = corpus.train.narrow(0, 0, rows * batch).view({batch, -1}).t().contiguous();
  const int64_t batches = (train.size(0) - 1) / bptt;

  auto model = std::make_shared<RNNModel>(corpus.size(), 200, 200, 2, 0.2);
  model->train();
  auto params = model->parameters();
  auto hidden = std::make_tuple(torch::zeros({2, batch, 200}), torch::zeros({2, batch, 200}));
  auto step = [&](int64_t s) {
    const int64_t i = (s % batches) * bptt;
    auto data = train.slice(0, i, i + bptt);
    auto targets = train.slice(0, i + 1, i + 1 + bptt).reshape(-1);
    model->zero_grad();  // its default (zero, or drop, the gradients) is the Python of its version's
    hidden = std::make_tuple(std::get<0>(hidden).detach(), std::get<1>(hidden).detach());
    auto [output, next] = model->forward(data, hidden);
    hidden = next;
    auto loss = torch::nll_loss(output, targets);
    loss.backward();
    clipGradNorm(params, 0.25);
    torch::NoGradGuard no_grad;
    for (auto& p : params) p.add_(p.grad(), -lr);
    loss.item<float>();
  };
  std::printf("{\"lstm_step_us\": %.3f}\n", meanStepUs(step, steps));
  return 0;
}
