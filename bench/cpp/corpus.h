// The word corpus of examples/lstm_lm.py for the C++ twins of the language
// model steps (lstm_lm_step.cpp, transformer_step.cpp): the text file's first
// 80% of lines, split on whitespace as Python's str.split() splits ASCII
// text, each line ending in an "<eos>" word, numbered by first appearance.
// Only the training split is made; the steps use nothing else.
#pragma once

#include <torch/torch.h>

#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

struct Corpus {
  std::unordered_map<std::string, int64_t> word2idx;
  torch::Tensor train;  // int64, every training word's id in order

  explicit Corpus(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(f, line);) lines.push_back(line);
    const size_t trainLines = lines.size() * 8 / 10;
    std::vector<int64_t> ids;
    for (size_t i = 0; i < trainLines; i++) {
      std::istringstream words(lines[i]);
      for (std::string w; words >> w;) ids.push_back(idOf(w));
      ids.push_back(idOf("<eos>"));
    }
    train = torch::tensor(ids, torch::kLong);
  }

  int64_t size() const { return static_cast<int64_t>(word2idx.size()); }

 private:
  int64_t idOf(const std::string& word) {
    auto found = word2idx.find(word);
    if (found != word2idx.end()) return found->second;
    int64_t id = size();
    word2idx.emplace(word, id);
    return id;
  }
};
