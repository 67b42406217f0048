// How every C++ twin of the examples' steps (mnist_cnn_step.cpp,
// lstm_lm_step.cpp, transformer_step.cpp) times its step, as
// bench/example_steps.ts and .py time theirs.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

/** Mean wall-clock microseconds of `steps` calls of step after a tenth as many (at least 3) of warm-up. */
template <typename Step>
double meanStepUs(Step&& step, int64_t steps) {
  const int64_t warm = std::max<int64_t>(3, steps / 10);
  for (int64_t s = 0; s < warm; s++) step(s);
  auto t0 = std::chrono::steady_clock::now();
  for (int64_t s = 0; s < steps; s++) step(warm + s);
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / steps;
}
