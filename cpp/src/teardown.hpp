// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one teardown pattern of the core's owners. Private.

#include <exception>
#include <string>

#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/process.hpp"

namespace cuda_interop::detail {

/// Runs `teardown` with `device` current, unless a forked child holds the object (it must not
/// free its parent's CUDA objects). Never throws: a failure becomes a warning naming `what`.
template <typename Teardown>
void teardown_on(ProcessId owner, int device, const char* what, Teardown&& teardown) noexcept {
  if (!is_owner(owner)) return;
  try {
    DeviceGuard guard(device);
    teardown();
  } catch (const std::exception& error) {
    warn(std::string(what) + " skipped: " + error.what());
  } catch (...) {
    warn(std::string(what) + " skipped");
  }
}

}  // namespace cuda_interop::detail
