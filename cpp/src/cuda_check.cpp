// SPDX-License-Identifier: Apache-2.0
#include "cuda_check.hpp"

#include "cuda_interop/error.hpp"

namespace cuda_interop {

void check_cuda(cudaError_t status, const char* call, const std::string& detail) {
  if (status == cudaSuccess) return;
  // The error is reported by this exception; clear it so cudaGetLastError() does not repeat it.
  (void)cudaGetLastError();
  throw CudaError(static_cast<int>(status), cudaGetErrorName(status), cudaGetErrorString(status),
                  call, detail);
}

void check_cuda_teardown(cudaError_t status, const char* call) noexcept {
  if (status == cudaSuccess || status == cudaErrorCudartUnloading) return;
  (void)cudaGetLastError();
  warn(std::string(call) + " failed during teardown: " + cudaGetErrorName(status) + " (" +
       cudaGetErrorString(status) + ")");
}

}  // namespace cuda_interop
