// A library to preload (LD_PRELOAD) into any process that runs libtorch:
// torchts's Node, Python, or a C++ program. It counts every operator call
// and autograd node that libtorch's RecordFunction reports, by name, and
// writes the counts to $OP_COUNT_FILE when the process exits (a line
// "<count> <name>" each, then "<total> TOTAL"). bench/op_count.ts builds it,
// runs the examples' steps on every side with it, and compares: the same
// calls on every side mean that a difference in step time is the binding's
// cost, not different work.
#include <ATen/record_function.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace {

std::mutex countsMutex;
std::map<std::string, long>* counts = nullptr;  // never freed: other statics may still call in at exit

std::unique_ptr<at::ObserverContext> countCall(const at::RecordFunction& fn) {
  std::lock_guard<std::mutex> lock(countsMutex);
  ++(*counts)[fn.name()];
  return nullptr;
}

struct Counter {
  Counter() {
    counts = new std::map<std::string, long>();
    at::addGlobalCallback(at::RecordFunctionCallback(countCall)
                              .needsInputs(false)
                              .scopes({at::RecordScope::FUNCTION, at::RecordScope::BACKWARD_FUNCTION}));
  }
  ~Counter() {
    const char* path = std::getenv("OP_COUNT_FILE");
    if (!path) return;
    FILE* out = std::fopen(path, "w");
    if (!out) return;
    std::lock_guard<std::mutex> lock(countsMutex);
    long total = 0;
    for (const auto& [name, n] : *counts) {
      std::fprintf(out, "%ld %s\n", n, name.c_str());
      total += n;
    }
    std::fprintf(out, "%ld TOTAL\n", total);
    std::fclose(out);
  }
} counter;

}  // namespace
