// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one check helper for CUDA runtime calls; private to the core.

#include <cuda_runtime_api.h>

#include <string>

namespace cuda_interop {

/// Throws CudaError naming `call`, the error's name and text, and `detail`: the one place a CUDA
/// runtime status becomes an exception. Where no NVIDIA driver exists at all (the runtime reports
/// cudaErrorInsufficientDriver, the driver version is 0) it throws NotSupported saying so; a driver
/// that is really too old stays a CudaError whose detail gives its version and the minimum.
void check_cuda(cudaError_t status, const char* call, const std::string& detail = {});

/// Teardown form: never throws; reports a failure through warn().
/// cudaErrorCudartUnloading (process exit) is not a failure worth reporting.
void check_cuda_teardown(cudaError_t status, const char* call) noexcept;

namespace detail {
/// The function named by a call expression: "cudaFree" of "cudaFree(pointer)", "cuMemMap" of
/// "api.cuMemMap(address, size, 0, handle, 0)".
std::string call_name(const char* expression);
[[noreturn]] void throw_cuda(cudaError_t status, const char* expression, const std::string& detail);
}  // namespace detail

}  // namespace cuda_interop

/// Runs a CUDA runtime call; on failure throws CudaError naming the function and, built only
/// then, the optional detail: CUDA_INTEROP_CHECK(cudaFree(p), "device " + std::to_string(d)).
#define CUDA_INTEROP_CHECK(...) CUDA_INTEROP_CHECK_IMPL(#__VA_ARGS__, __VA_ARGS__, "", "")
#define CUDA_INTEROP_CHECK_IMPL(text_, call_, detail_, ...)                                \
  do {                                                                                    \
    const cudaError_t cuda_interop_status_ = (call_);                                     \
    if (cuda_interop_status_ != cudaSuccess) {                                            \
      ::cuda_interop::detail::throw_cuda(cuda_interop_status_, text_, std::string(detail_)); \
    }                                                                                     \
  } while (false)

/// The teardown form: never throws, a failure becomes a warning.
#define CUDA_INTEROP_TEARDOWN(call)                                                      \
  ::cuda_interop::check_cuda_teardown((call),                                            \
                                      ::cuda_interop::detail::call_name(#call).c_str())
