// libtorch's warnings (TORCH_WARN) as Node warnings: process.emitWarning
// with the type UserWarning, once per distinct message, as Python's default
// warning filter shows them, instead of libtorch's lines on stderr.
#include "warnings.h"

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <deque>
#include <set>
#include <string>

namespace torchts {

namespace {

thread_local std::deque<std::string> tlsPending;
thread_local std::set<std::string> tlsShown;
// Asked after every op call: a plain bool is one __tls_get_addr call, the
// deque two (its first-use guard, then the deque).
thread_local bool tlsAnyPending = false;

// Kept for the thread that made the call; flushWarnings hands them to JS.
void queue(const std::string& msg) {
  if (tlsPending.size() < 100) tlsPending.push_back(msg);
  tlsAnyPending = true;
}

class QueueingHandler : public c10::WarningHandler {
 public:
#if TORCH_VERSION_MAJOR >= 2
  // libtorch 2 passes the warning as one object.
  void process(const c10::Warning& warning) override { queue(warning.msg()); }
#else
  void process(const c10::SourceLocation&, const std::string& msg, const bool) override { queue(msg); }
#endif
};

QueueingHandler handler;

}  // namespace

// libtorch keeps the warning handler per thread: installed once for the
// process, a worker_threads Worker's warnings went to stderr. Each env's
// addon init runs on that env's own thread, so installing there covers the
// main thread and every worker. The handler is stateless (what it queues is
// thread-local), so one instance serves them all and outlives them.
void installWarningHandler() {
#if TORCH_VERSION_MAJOR >= 2
  c10::WarningUtils::set_warning_handler(&handler);  // (moved out of c10::Warning in libtorch 2)
#else
  c10::Warning::set_warning_handler(&handler);
#endif
}

void flushWarningsSlow(napi_env env) {
  std::deque<std::string> pending;
  pending.swap(tlsPending);
  tlsAnyPending = false;
  bool exceptionPending = false;
  napi_is_exception_pending(env, &exceptionPending);
  if (exceptionPending) return;  // the error is what matters now
  napi_value global, process, emit;
  if (napi_get_global(env, &global) != napi_ok) return;
  if (napi_get_named_property(env, global, "process", &process) != napi_ok) return;
  if (napi_get_named_property(env, process, "emitWarning", &emit) != napi_ok) return;
  for (const std::string& msg : pending) {
    if (!tlsShown.insert(msg).second) continue;
    napi_value args[2], result;
    napi_create_string_utf8(env, msg.data(), msg.size(), &args[0]);
    napi_create_string_utf8(env, "UserWarning", NAPI_AUTO_LENGTH, &args[1]);
    napi_call_function(env, process, emit, 2, args, &result);
  }
}

bool hasPendingWarnings() { return tlsAnyPending; }

std::deque<std::string> takeWarnings() {
  std::deque<std::string> pending;
  pending.swap(tlsPending);
  tlsAnyPending = false;
  return pending;
}

void queueWarnings(const std::deque<std::string>& warnings) {
  for (const std::string& msg : warnings) queue(msg);
}

}  // namespace torchts
