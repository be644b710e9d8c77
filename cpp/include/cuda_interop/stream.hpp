// SPDX-License-Identifier: Apache-2.0
#pragma once
/// CUDA streams as the core takes them.

#include <cstdint>

namespace cuda_interop {

/// An opaque CUDA stream (cudaStream_t as an integer); 0 is the legacy default stream.
using StreamHandle = std::uintptr_t;

}  // namespace cuda_interop
