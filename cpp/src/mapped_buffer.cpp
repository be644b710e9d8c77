// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/mapped_buffer.hpp"

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/external_memory.hpp"
#include "external_memory_state.hpp"
#include "linear_memory.hpp"

namespace cuda_interop {
namespace detail {

struct MappedBufferState {
  void* pointer = nullptr;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  // Declared last so it is released last: the mapping is freed before its memory is destroyed.
  std::shared_ptr<ExternalMemoryState> memory;

  MappedBufferState(void* p, std::uint64_t off, std::uint64_t sz,
                    std::shared_ptr<ExternalMemoryState> mem)
      : pointer(p), offset(off), size(sz), memory(std::move(mem)) {}
  MappedBufferState(const MappedBufferState&) = delete;
  MappedBufferState& operator=(const MappedBufferState&) = delete;

  ~MappedBufferState() {
    if (!is_owner(memory->owner)) return;
    try {
      DeviceGuard guard(memory->device);
      check_cuda_teardown(cudaFree(pointer), "cudaFree");
    } catch (const std::exception& error) {
      warn(std::string("cudaFree of a mapped buffer skipped: ") + error.what());
    }
  }
};

}  // namespace detail

MappedBuffer ExternalMemory::map_buffer(std::uint64_t offset, std::uint64_t size) const {
  const detail::ExternalMemoryState& memory = live();
  if (offset >= memory.size) {
    throw InvalidArgument("offset " + std::to_string(offset) + " is not inside the " +
                          std::to_string(memory.size) + "-byte import");
  }
  const std::uint64_t length = size == 0 ? memory.size - offset : size;
  detail::check_range(offset, length, memory.size, "map_buffer");

  cudaExternalMemoryBufferDesc desc{};
  desc.offset = offset;
  desc.size = length;
  void* pointer = nullptr;
  {
    DeviceGuard guard(memory.device);
    check_cuda(cudaExternalMemoryGetMappedBuffer(&pointer, memory.handle, &desc),
               "cudaExternalMemoryGetMappedBuffer",
               "offset " + std::to_string(offset) + ", size " + std::to_string(length) + " of a " +
                   memory.describe());
  }
  return MappedBuffer(std::make_shared<detail::MappedBufferState>(pointer, offset, length, state_));
}

const detail::MappedBufferState& MappedBuffer::live() const {
  if (!state_) throw ClosedError("MappedBuffer is closed");
  return *state_;
}

void* MappedBuffer::data() const { return live().pointer; }
std::uint64_t MappedBuffer::size() const { return live().size; }
std::uint64_t MappedBuffer::offset() const { return live().offset; }
int MappedBuffer::device() const { return live().memory->device; }

detail::LinearMemory MappedBuffer::memory() const {
  const auto& state = live();
  return {state.pointer, state.size, state.memory->device};
}

void MappedBuffer::copy_from_host(const void* source, std::size_t bytes, std::uint64_t offset) const {
  memory().copy_from_host(source, bytes, offset);
}

void MappedBuffer::copy_to_host(void* destination, std::size_t bytes, std::uint64_t offset) const {
  memory().copy_to_host(destination, bytes, offset);
}

void MappedBuffer::fill(std::uint8_t value, std::uint64_t offset, std::uint64_t bytes) const {
  memory().fill(value, offset, bytes);
}

}  // namespace cuda_interop
