// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Small synchronous transfers on the device's copy queue, through upload and readback staging
/// buffers: enough to prove that Direct3D 12 sees what CUDA wrote and the reverse. Each call
/// records one command list, executes it, and waits for its fence (ordered after any
/// Fence::queue_wait already enqueued). Windows only.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cuda_interop/d3d12/resource.hpp"

namespace cuda_interop::d3d12 {

/// Copies `size` bytes from `data` into `buffer` at `offset`. InvalidArgument when the range does
/// not fit or `buffer` is a texture.
void upload(const Resource& buffer, const void* data, std::size_t size, std::uint64_t offset = 0);

/// Reads `size` bytes of `buffer` from `offset`.
std::vector<std::uint8_t> download(const Resource& buffer, std::uint64_t size,
                                   std::uint64_t offset = 0);

/// Copies all of `source` into the start of `destination` (buffers of one device; `destination`
/// at least as large).
void copy(const Resource& source, const Resource& destination);

/// Sets every byte of `buffer` to `value`.
void clear(const Resource& buffer, std::uint8_t value);

/// Bytes of one subresource of a texture with tightly packed rows (what upload_texture takes and
/// download_texture returns).
std::uint64_t subresource_size(const Resource& texture, std::uint32_t mip_level,
                               std::uint32_t array_slice = 0);

/// Writes one subresource (mip level of an array slice) from tightly packed rows; `size` must be
/// subresource_size(). Rows are re-pitched to D3D12_TEXTURE_DATA_PITCH_ALIGNMENT on the way.
void upload_texture(const Resource& texture, std::uint32_t mip_level, std::uint32_t array_slice,
                    const void* data, std::size_t size);

/// Reads one subresource as tightly packed rows.
std::vector<std::uint8_t> download_texture(const Resource& texture, std::uint32_t mip_level,
                                           std::uint32_t array_slice = 0);

}  // namespace cuda_interop::d3d12
