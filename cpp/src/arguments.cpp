// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/arguments.hpp"

#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop {

std::uint64_t non_negative(std::int64_t value, const char* name) {
  if (value < 0) {
    throw InvalidArgument(std::string(name) + " must be >= 0, got " + std::to_string(value));
  }
  return static_cast<std::uint64_t>(value);
}

std::uint64_t positive(std::int64_t value, const char* name) {
  if (value <= 0) {
    throw InvalidArgument(std::string(name) + " must be > 0, got " + std::to_string(value));
  }
  return static_cast<std::uint64_t>(value);
}

std::uint32_t non_negative_u32(std::int64_t value, const char* name) {
  if (value < 0 || value > 0xFFFFFFFFLL) {
    throw InvalidArgument(std::string(name) + " must be within 0..4294967295, got " +
                          std::to_string(value));
  }
  return static_cast<std::uint32_t>(value);
}

std::uint32_t positive_u32(std::int64_t value, const char* name) {
  if (value <= 0) {
    throw InvalidArgument(std::string(name) + " must be > 0, got " + std::to_string(value));
  }
  return non_negative_u32(value, name);
}

std::uint16_t positive_u16(std::int64_t value, const char* name) {
  if (value <= 0) {
    throw InvalidArgument(std::string(name) + " must be > 0, got " + std::to_string(value));
  }
  if (value > 0xFFFF) {
    throw InvalidArgument(std::string(name) + " must be within 0..65535, got " +
                          std::to_string(value));
  }
  return static_cast<std::uint16_t>(value);
}

std::uint8_t byte_argument(std::int64_t value, const char* name) {
  if (value < 0 || value > 255) {
    throw InvalidArgument(std::string(name) + " must be a byte (0..255), got " +
                          std::to_string(value));
  }
  return static_cast<std::uint8_t>(value);
}

void* handle_argument(std::int64_t value) {
  if (value < 0) throw InvalidArgument("handle must be >= 0, got " + std::to_string(value));
  return reinterpret_cast<void*>(static_cast<std::intptr_t>(value));
}

int fd_argument(std::int64_t value) {
  if (value < 0) throw InvalidArgument("fd must be >= 0, got " + std::to_string(value));
  if (value > 0x7FFFFFFFLL) throw InvalidArgument("fd must be < 2**31, got " + std::to_string(value));
  return static_cast<int>(value);
}

std::uint64_t nonzero(std::uint64_t value, const char* name) {
  if (value == 0) throw InvalidArgument(std::string(name) + " must be > 0, got 0");
  return value;
}

std::uint64_t within(std::uint64_t value, std::uint64_t low, std::uint64_t high, const char* name) {
  if (value < low || value > high) {
    throw InvalidArgument(std::string(name) + " must be within " + std::to_string(low) + ".." +
                          std::to_string(high) + ", got " + std::to_string(value));
  }
  return value;
}

std::uint64_t aligned(std::uint64_t value, std::uint64_t alignment, const char* name) {
  if (value % alignment != 0) {
    throw InvalidArgument(std::string(name) + " must be a multiple of " + std::to_string(alignment) +
                          ", got " + std::to_string(value));
  }
  return value;
}

std::uint64_t round_up(std::uint64_t value, std::uint64_t alignment, const char* name) {
  const std::uint64_t largest = UINT64_MAX / alignment * alignment;
  if (value > largest) {
    throw InvalidArgument(std::string(name) + " must be <= " + std::to_string(largest) + ", got " +
                          std::to_string(value));
  }
  return (value + alignment - 1) / alignment * alignment;
}

void check_range(std::uint64_t offset, std::uint64_t bytes, std::uint64_t size, const char* what) {
  if (offset > size || bytes > size - offset) {
    throw InvalidArgument(std::string(what) + ": offset " + std::to_string(offset) + " + size " +
                          std::to_string(bytes) + " exceeds " + std::to_string(size) + " bytes");
  }
}

}  // namespace cuda_interop
