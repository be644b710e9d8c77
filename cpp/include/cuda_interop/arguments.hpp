// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Range checks of the integers users pass, with one message each. Bindings take Python integers
/// as signed 64-bit values and check them here, so every entry point reports a bad value alike.

#include <cstdint>

namespace cuda_interop {

/// `value` as a size, offset or count; InvalidArgument "`name` must be >= 0, got -1" otherwise.
std::uint64_t non_negative(std::int64_t value, const char* name);
/// `value` as a size that must not be zero; InvalidArgument "`name` must be > 0, got 0" otherwise.
std::uint64_t positive(std::int64_t value, const char* name);
/// `value` as an unsigned 32-bit count; InvalidArgument naming the limit otherwise.
std::uint32_t non_negative_u32(std::int64_t value, const char* name);

/// `value` as an unsigned 32-bit count that must not be zero; InvalidArgument otherwise.
std::uint32_t positive_u32(std::int64_t value, const char* name);
/// `value` as an unsigned 16-bit count that must not be zero (mip levels, array slices).
std::uint16_t positive_u16(std::int64_t value, const char* name);
/// `value` as a byte (0..255), e.g. a fill value; InvalidArgument otherwise.
std::uint8_t byte_argument(std::int64_t value, const char* name);
/// `value` as a Windows handle or object address; InvalidArgument when negative.
void* handle_argument(std::int64_t value);
/// `value` as a file descriptor number; InvalidArgument when negative or beyond int.
int fd_argument(std::int64_t value);

// The same checks for values the C++ API already takes unsigned, so a C++ caller and a Python
// caller read the same words.

/// `value` unless it is zero; InvalidArgument "`name` must be > 0, got 0" otherwise.
std::uint64_t nonzero(std::uint64_t value, const char* name);
/// `value` when within [low, high]; InvalidArgument "`name` must be within low..high, got v".
std::uint64_t within(std::uint64_t value, std::uint64_t low, std::uint64_t high, const char* name);
/// `value` when a multiple of `alignment`; InvalidArgument naming the alignment otherwise.
std::uint64_t aligned(std::uint64_t value, std::uint64_t alignment, const char* name);
/// `value` rounded up to a multiple of `alignment` (> 0); InvalidArgument "`name` must be <= max"
/// when the rounded value would not fit 64 bits.
std::uint64_t round_up(std::uint64_t value, std::uint64_t alignment, const char* name);
/// InvalidArgument "`what`: offset O + size B exceeds S bytes" unless [offset, offset + bytes)
/// lies inside `size` bytes.
void check_range(std::uint64_t offset, std::uint64_t bytes, std::uint64_t size, const char* what);

}  // namespace cuda_interop
