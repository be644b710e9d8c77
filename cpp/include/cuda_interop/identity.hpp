// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Device identities: the bytes by which CUDA, Vulkan and DXGI name the same GPU. They belong to
/// the base layer so that a producer can name its device without the CUDA core, and a share
/// descriptor can carry the name to the importer.

#include <array>
#include <cstdint>

namespace cuda_interop {

/// A device UUID: CUDA's cudaDeviceProp::uuid, Vulkan's VkPhysicalDeviceIDProperties::deviceUUID.
using Uuid = std::array<std::uint8_t, 16>;
/// An adapter LUID (Windows): CUDA's cudaDeviceProp::luid, DXGI's AdapterLuid (LowPart in bytes
/// 0-3, HighPart in bytes 4-7, little endian).
using Luid = std::array<std::uint8_t, 8>;

}  // namespace cuda_interop
