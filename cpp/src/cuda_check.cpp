// SPDX-License-Identifier: Apache-2.0
#include "cuda_check.hpp"

#include <cstring>

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

namespace detail {

std::string call_name(const char* expression) {
  const char* open = std::strchr(expression, '(');
  std::string name(expression, open == nullptr ? std::strlen(expression)
                                               : static_cast<std::size_t>(open - expression));
  const std::size_t start = name.find_last_of(".>: ");
  return start == std::string::npos ? name : name.substr(start + 1);
}

void throw_cuda(cudaError_t status, const char* expression, const std::string& detail) {
  check_cuda(status, call_name(expression).c_str(), detail);
  throw Error("unreachable: throw_cuda with cudaSuccess");
}

}  // namespace detail
}  // namespace cuda_interop
