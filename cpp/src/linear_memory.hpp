// SPDX-License-Identifier: Apache-2.0
#pragma once
// Checked, synchronous host copies and fills on a range of linear device memory. Private.

#include <cstddef>
#include <cstdint>

namespace cuda_interop::detail {

/// `size` bytes of device memory at `base` on `device`.
struct LinearMemory {
  void* base;
  std::uint64_t size;
  int device;

  void copy_from_host(const void* source, std::size_t bytes, std::uint64_t offset) const;
  void copy_to_host(void* destination, std::size_t bytes, std::uint64_t offset) const;
  void fill(std::uint8_t value, std::uint64_t offset, std::uint64_t bytes) const;
};

/// Throws InvalidArgument unless [offset, offset + bytes) lies inside `size` bytes.
void check_range(std::uint64_t offset, std::uint64_t bytes, std::uint64_t size, const char* what);

}  // namespace cuda_interop::detail
