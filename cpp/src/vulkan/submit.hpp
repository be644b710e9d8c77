// SPDX-License-Identifier: Apache-2.0
#pragma once
// Recording and submitting one command buffer, with semaphore waits and signals, tracked on the
// queue's progress timeline.

#include <functional>
#include <memory>

#include "cuda_interop/vulkan/transfer.hpp"
#include "device_state.hpp"

namespace cuda_interop::vulkan::detail {

using Recorder = std::function<void(VkCommandBuffer)>;

/// Records `record` (nothing when empty) into a reused command buffer and submits it with the
/// waits and signals of `sync` (checked first: no semaphore twice, timeline values that only
/// grow). With `sync.block` it waits up to `sync.timeout_ns`, interruptibly, and returns whether
/// the work completed; non-blocking submissions return true. Work that has not completed stays
/// alive with `keep_alive` until it does.
bool submit_commands(const std::shared_ptr<DeviceState>& device, const SubmitSync& sync,
                     KeepAlive keep_alive, const Recorder& record);

}  // namespace cuda_interop::vulkan::detail
