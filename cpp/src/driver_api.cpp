// SPDX-License-Identifier: Apache-2.0
#include "driver_api.hpp"

#include <cuda_runtime_api.h>

#include <mutex>

#include "cuda_check.hpp"
#include "cuda_interop/error.hpp"

namespace cuda_interop::detail {
namespace {

// The ABI version of each entry point we ask for: CUDA 12.0's, which all of these have kept.
// Every name exists in a 12.0 driver (tests/data/cuda-12.0-driver-api.txt checks the list).
constexpr unsigned entry_point_version = 12000;

#if CUDART_VERSION < 13000
// cudaGetDriverEntryPoint (CUDA 11.3; deprecated since 12.5) asks the driver for the
// version of the symbol that matches the runtime's CUDART_VERSION, or the newest an older driver
// has. Our entry points have one ABI since 12.0, so that is the 12.0 one.
cudaError_t legacy_entry_point(const char* symbol, void** address,
                               cudaDriverEntryPointQueryResult* found) {
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#elif defined(_MSC_VER)
#pragma warning(push)
#pragma warning(disable : 4996)
#endif
  return cudaGetDriverEntryPoint(symbol, address, cudaEnableDefault, found);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#elif defined(_MSC_VER)
#pragma warning(pop)
#endif
}
#endif

// The driver's entry point `symbol` at entry_point_version. cudaGetDriverEntryPointByVersion
// exists from runtime 12.5; where the runtime lacks it, or the driver cannot serve it (a 12.0-12.4
// driver under a newer 12.x runtime), the unversioned query serves instead.
void* entry_point(const char* symbol) {
  void* address = nullptr;
  cudaDriverEntryPointQueryResult found = cudaDriverEntryPointSymbolNotFound;
#if CUDART_VERSION >= 12050
  cudaError_t status = cudaGetDriverEntryPointByVersion(symbol, &address, entry_point_version,
                                                        cudaEnableDefault, &found);
  const char* call = "cudaGetDriverEntryPointByVersion";
#if CUDART_VERSION < 13000
  if (status != cudaSuccess && status != cudaErrorInsufficientDriver &&
      status != cudaErrorNoDevice) {
    (void)cudaGetLastError();  // the failed query must not stick to the next runtime call
    address = nullptr;
    found = cudaDriverEntryPointSymbolNotFound;
    const cudaError_t legacy = legacy_entry_point(symbol, &address, &found);
    if (legacy == cudaSuccess) {
      status = legacy;
      call = "cudaGetDriverEntryPoint";
    }
  }
#endif
#else
  const cudaError_t status = legacy_entry_point(symbol, &address, &found);
  const char* call = "cudaGetDriverEntryPoint";
#endif
  check_cuda(status, call, symbol);
  if (found == cudaDriverEntryPointVersionNotSufficent) {
    throw NotSupported(std::string("the CUDA driver is older than CUDA 12.0 and lacks ") + symbol);
  }
  if (found != cudaDriverEntryPointSuccess || address == nullptr) {
    throw NotSupported(std::string("the CUDA driver does not provide ") + symbol);
  }
  return address;
}

template <typename Function>
void resolve(const char* symbol, Function& function) {
  function = reinterpret_cast<Function>(entry_point(symbol));
}

DriverApi load() {
  DriverApi api;
#define CUDA_INTEROP_DRIVER_RESOLVE(name) resolve(#name, api.name);
  CUDA_INTEROP_DRIVER_ENTRY_POINTS(CUDA_INTEROP_DRIVER_RESOLVE)
#undef CUDA_INTEROP_DRIVER_RESOLVE
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

unsigned driver_entry_point_version() noexcept { return entry_point_version; }

std::vector<std::string> driver_entry_point_names() {
  return {
#define CUDA_INTEROP_DRIVER_NAME(name) #name,
      CUDA_INTEROP_DRIVER_ENTRY_POINTS(CUDA_INTEROP_DRIVER_NAME)
#undef CUDA_INTEROP_DRIVER_NAME
  };
}

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
