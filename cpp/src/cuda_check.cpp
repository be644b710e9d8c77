// SPDX-License-Identifier: Apache-2.0
#include "cuda_check.hpp"

#include <cstring>

#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

std::string cuda_version(int number) {
  return std::to_string(number / 1000) + "." + std::to_string(number % 1000 / 10);
}

}  // namespace

void check_cuda(cudaError_t status, const char* call, const std::string& detail) {
  if (status == cudaSuccess) return;
  // The error is reported by this exception; clear it so cudaGetLastError() does not repeat it.
  (void)cudaGetLastError();
  std::string more = detail;
  if (status == cudaErrorInsufficientDriver) {
    // The runtime says "insufficient" both where the driver is too old and where there is none
    // at all (libcuda cannot be loaded: no NVIDIA driver, so no NVIDIA GPU to use). Only the
    // first is a CUDA error worth its code; the second is a machine that cannot do CUDA.
    const int driver = driver_version();
    if (driver == 0) {
      throw NotSupported(std::string(call) +
                         " failed: no NVIDIA driver was found (libcuda could not be loaded); "
                         "CUDA needs an NVIDIA GPU with its driver, " +
                         minimum_driver_version() + " or newer");
    }
    more = "the NVIDIA driver supports CUDA " + cuda_version(driver) + ", this build (CUDA " +
           cuda_version(runtime_version()) + ") needs driver " + minimum_driver_version() +
           " or newer" + (detail.empty() ? "" : "; " + detail);
  }
  throw CudaError(static_cast<int>(status), cudaGetErrorName(status), cudaGetErrorString(status),
                  call, more);
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
