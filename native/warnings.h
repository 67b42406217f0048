// libtorch's warnings, handed to process.emitWarning after the call that made them.
#pragma once

#include "napi_util.h"

#include <deque>
#include <string>

namespace torchts {

void installWarningHandler();
bool hasPendingWarnings();
void flushWarningsSlow(napi_env env);

// A worker thread's warnings (its handler installed with
// installWarningHandler), taken to hand to the JS thread, which queues them
// as its own and flushes them as it settles the call.
std::deque<std::string> takeWarnings();
void queueWarnings(const std::deque<std::string>& warnings);

// Cheap when there is nothing to say, which is nearly always.
inline void flushWarnings(napi_env env) {
  if (hasPendingWarnings()) flushWarningsSlow(env);
}

}  // namespace torchts
