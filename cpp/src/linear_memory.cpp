// SPDX-License-Identifier: Apache-2.0
#include "linear_memory.hpp"

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"

namespace cuda_interop::detail {

void check_range(std::uint64_t offset, std::uint64_t bytes, std::uint64_t size, const char* what) {
  if (offset > size || bytes > size - offset) {
    throw InvalidArgument(std::string(what) + ": offset " + std::to_string(offset) + " + size " +
                          std::to_string(bytes) + " exceeds " + std::to_string(size) + " bytes");
  }
}

void LinearMemory::copy_from_host(const void* source, std::size_t bytes, std::uint64_t offset) const {
  check_range(offset, bytes, size, "copy_from_host");
  DeviceGuard guard(device);
  check_cuda(cudaMemcpy(static_cast<char*>(base) + offset, source, bytes, cudaMemcpyHostToDevice),
             "cudaMemcpy", "host to device, " + std::to_string(bytes) + " bytes");
}

void LinearMemory::copy_to_host(void* destination, std::size_t bytes, std::uint64_t offset) const {
  check_range(offset, bytes, size, "copy_to_host");
  DeviceGuard guard(device);
  check_cuda(cudaMemcpy(destination, static_cast<const char*>(base) + offset, bytes,
                        cudaMemcpyDeviceToHost),
             "cudaMemcpy", "device to host, " + std::to_string(bytes) + " bytes");
}

void LinearMemory::fill(std::uint8_t value, std::uint64_t offset, std::uint64_t bytes) const {
  check_range(offset, bytes, size, "fill");
  DeviceGuard guard(device);
  check_cuda(cudaMemset(static_cast<char*>(base) + offset, value, bytes), "cudaMemset");
}

}  // namespace cuda_interop::detail
