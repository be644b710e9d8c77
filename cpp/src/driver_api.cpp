// SPDX-License-Identifier: Apache-2.0
#include "driver_api.hpp"

#include <cuda_runtime_api.h>

#include <mutex>

#include "cuda_check.hpp"
#include "cuda_interop/error.hpp"

namespace cuda_interop::detail {
namespace {

// The ABI version of each entry point we ask for: CUDA 12.0's, which all of these have kept.
constexpr unsigned entry_point_version = 12000;

template <typename Function>
void resolve(const char* symbol, Function& function) {
  void* address = nullptr;
  cudaDriverEntryPointQueryResult found = cudaDriverEntryPointSymbolNotFound;
  check_cuda(cudaGetDriverEntryPointByVersion(symbol, &address, entry_point_version,
                                              cudaEnableDefault, &found),
             "cudaGetDriverEntryPointByVersion", symbol);
  if (found != cudaDriverEntryPointSuccess || address == nullptr) {
    throw NotSupported(std::string("the CUDA driver does not provide ") + symbol);
  }
  function = reinterpret_cast<Function>(address);
}

DriverApi load() {
  DriverApi api;
  resolve("cuGetErrorName", api.cuGetErrorName);
  resolve("cuGetErrorString", api.cuGetErrorString);
  resolve("cuMemCreate", api.cuMemCreate);
  resolve("cuMemRelease", api.cuMemRelease);
  resolve("cuMemGetAllocationGranularity", api.cuMemGetAllocationGranularity);
  resolve("cuMemAddressReserve", api.cuMemAddressReserve);
  resolve("cuMemAddressFree", api.cuMemAddressFree);
  resolve("cuMemMap", api.cuMemMap);
  resolve("cuMemUnmap", api.cuMemUnmap);
  resolve("cuMemSetAccess", api.cuMemSetAccess);
  resolve("cuMemExportToShareableHandle", api.cuMemExportToShareableHandle);
  return api;
}

std::string error_name(CUresult status) {
  const char* name = nullptr;
  const DriverApi& api = DriverApi::get();
  if (api.cuGetErrorName(status, &name) != CUDA_SUCCESS || name == nullptr) return "CUDA_ERROR";
  return name;
}

std::string error_text(CUresult status) {
  const char* text = nullptr;
  const DriverApi& api = DriverApi::get();
  if (api.cuGetErrorString(status, &text) != CUDA_SUCCESS || text == nullptr) return "unknown";
  return text;
}

}  // namespace

const DriverApi& DriverApi::get() {
  // A failed load throws and is retried by the next call (e.g. after a driver appears).
  static std::mutex mutex;
  static DriverApi api;
  static bool loaded = false;
  std::lock_guard<std::mutex> lock(mutex);
  if (!loaded) {
    api = load();
    loaded = true;
  }
  return api;
}

void check_driver(CUresult status, const char* call, const std::string& detail) {
  if (status == CUDA_SUCCESS) return;
  throw CudaError(static_cast<int>(status), error_name(status), error_text(status), call, detail);
}

void check_driver_teardown(CUresult status, const char* call) noexcept {
  if (status == CUDA_SUCCESS || status == CUDA_ERROR_DEINITIALIZED) return;
  try {
    warn(std::string(call) + " failed during teardown: " + error_name(status));
  } catch (...) {
    warn(std::string(call) + " failed during teardown");
  }
}

}  // namespace cuda_interop::detail
