// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Small queue operations on buffers and images: fill, upload, download and copies. Each records
/// one command buffer, submits it on the device's queue and, unless told otherwise, waits for it.

#include <cstdint>
#include <vector>

namespace cuda_interop::vulkan {

class Buffer;
class Context;
class Image;
class Semaphore;

/// A semaphore to wait for or signal in a submission: a timeline value, or 0 for a binary one.
struct SemaphoreOp {
  const Semaphore* semaphore = nullptr;
  std::uint64_t value = 0;
};

/// Ordering around a submission. With `block` false the call returns once submitted; the objects
/// involved stay alive until the work completes (see Context::wait_idle). A blocking call waits
/// at most `timeout_ns` (then it throws TimeoutError and the work stays queued).
struct SubmitSync {
  std::vector<SemaphoreOp> waits;
  std::vector<SemaphoreOp> signals;
  bool block = true;
  std::uint64_t timeout_ns = UINT64_MAX;
};

/// "The rest of the buffer" for sizes.
inline constexpr std::uint64_t whole_size = ~std::uint64_t{0};

/// vkCmdFillBuffer with a 32-bit pattern; offset and size must be multiples of 4 (or size whole).
void fill(const Buffer& buffer, std::uint32_t value, std::uint64_t offset = 0,
          std::uint64_t size = whole_size, const SubmitSync& sync = {});
/// Copies `size` host bytes into the buffer at `offset` through a staging buffer.
void upload(const Buffer& buffer, const void* data, std::uint64_t size, std::uint64_t offset = 0,
            const SubmitSync& sync = {});
/// The bytes a download of `size` (whole_size: the rest) at `offset` copies; InvalidArgument
/// when they do not fit the buffer. Lets a caller check before it allocates host memory.
std::uint64_t download_size(const Buffer& buffer, std::uint64_t offset, std::uint64_t size);
/// Copies `size` bytes at `offset` to the host; always blocks.
void download(const Buffer& buffer, void* data, std::uint64_t size, std::uint64_t offset = 0,
              const SubmitSync& sync = {});
/// Copies `size` bytes between buffers of the same device; within one buffer the two ranges
/// must not overlap.
void copy(const Buffer& source, const Buffer& destination, std::uint64_t size = whole_size,
          std::uint64_t source_offset = 0, std::uint64_t destination_offset = 0,
          const SubmitSync& sync = {});
/// Uploads mip level `level` (all layers, tightly packed; Image::level_size bytes).
void upload(const Image& image, std::uint32_t level, const void* data, std::uint64_t size,
            const SubmitSync& sync = {});
/// Downloads mip level `level` (all layers); always blocks.
void download(const Image& image, std::uint32_t level, void* data, std::uint64_t size,
              const SubmitSync& sync = {});
/// Copies tightly packed texels from the buffer into mip level `level` (all layers).
void copy(const Buffer& source, const Image& destination, std::uint32_t level,
          std::uint64_t source_offset = 0, const SubmitSync& sync = {});
/// Copies mip level `level` (all layers) into the buffer, tightly packed.
void copy(const Image& source, std::uint32_t level, const Buffer& destination,
          std::uint64_t destination_offset = 0, const SubmitSync& sync = {});
/// A submission with no commands: only waits and signals (e.g. to hand a semaphore to CUDA).
void submit(const Context& context, const SubmitSync& sync);

}  // namespace cuda_interop::vulkan
