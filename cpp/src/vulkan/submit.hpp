// SPDX-License-Identifier: Apache-2.0
#pragma once
// Recording and submitting one command buffer, with semaphore waits and signals and a fence.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "cuda_interop/vulkan/transfer.hpp"
#include "state.hpp"

namespace cuda_interop::vulkan::detail {

using KeepAlive = std::vector<std::shared_ptr<const void>>;
using Recorder = std::function<void(VkCommandBuffer)>;

/// Records `record` (nothing when empty), submits it with the waits and signals of `sync` and, if
/// `sync.block`, waits up to `timeout_ns` for the fence. Returns whether the work completed (true
/// for non-blocking submissions too). Work that did not complete stays alive in the device's
/// in-flight list with `keep_alive` until its fence signals.
bool submit_commands(const std::shared_ptr<DeviceState>& device, const SubmitSync& sync,
                     KeepAlive keep_alive, const Recorder& record,
                     std::uint64_t timeout_ns = UINT64_MAX);

/// Makes prior work's writes visible to transfer commands.
void barrier_before_transfer(const DeviceState& device, VkCommandBuffer commands);
/// Makes transfer writes visible to all later work and to the host.
void barrier_after_transfer(const DeviceState& device, VkCommandBuffer commands);

}  // namespace cuda_interop::vulkan::detail
