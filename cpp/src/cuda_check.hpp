// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one check helper for CUDA runtime calls; private to the core.

#include <cuda_runtime_api.h>

#include <string>

namespace cuda_interop {

/// Throws CudaError naming `call`, the error's name and text, and `detail`.
void check_cuda(cudaError_t status, const char* call, const std::string& detail = {});

/// Teardown form: never throws; reports a failure through warn().
/// cudaErrorCudartUnloading (process exit) is not a failure worth reporting.
void check_cuda_teardown(cudaError_t status, const char* call) noexcept;

}  // namespace cuda_interop
