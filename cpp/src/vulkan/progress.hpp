// SPDX-License-Identifier: Apache-2.0
#pragma once
// Waiting for submitted work. DeviceState's completion methods (reached, wait_for, wait_idle,
// reap_locked) are declared in device_state.hpp and defined in progress.cpp; host waits share
// the interruptible slices declared here.

#include <cstdint>
#include <functional>

namespace cuda_interop::vulkan::detail {

/// Calls `ready(slice_ns)` with slices of at most 50 ms until it returns true or `timeout_ns`
/// has passed (false), checking for an interrupt between slices (check_interrupt()).
bool wait_in_slices(std::uint64_t timeout_ns, const std::function<bool(std::uint64_t)>& ready);

}  // namespace cuda_interop::vulkan::detail
