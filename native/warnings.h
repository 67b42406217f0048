// libtorch's warnings, handed to process.emitWarning after the call that made them.
#pragma once

#include "napi_util.h"

namespace torchts {

void installWarningHandler();
bool hasPendingWarnings();
void flushWarningsSlow(napi_env env);

// Cheap when there is nothing to say, which is nearly always.
inline void flushWarnings(napi_env env) {
  if (hasPendingWarnings()) flushWarningsSlow(env);
}

}  // namespace torchts
