// SPDX-License-Identifier: Apache-2.0
#pragma once
// The few CUDA driver calls the core needs, reached through cudart's entry-point query so the
// package never links against libcuda. Private to the core.

#include <cuda.h>

#include <string>
#include <vector>

namespace cuda_interop::detail {

/// The driver entry points the core uses, each asked for at CUDA 12.0's ABI (entry_point_version).
#define CUDA_INTEROP_DRIVER_ENTRY_POINTS(X) \
  X(cuGetErrorName)                          \
  X(cuGetErrorString)                        \
  X(cuMemCreate)                             \
  X(cuMemRelease)                            \
  X(cuMemGetAllocationGranularity)           \
  X(cuMemAddressReserve)                     \
  X(cuMemAddressFree)                        \
  X(cuMemMap)                                \
  X(cuMemUnmap)                              \
  X(cuMemSetAccess)                          \
  X(cuMemExportToShareableHandle)

struct DriverApi {
#define CUDA_INTEROP_DRIVER_FIELD(name) decltype(&::name) name = nullptr;
  CUDA_INTEROP_DRIVER_ENTRY_POINTS(CUDA_INTEROP_DRIVER_FIELD)
#undef CUDA_INTEROP_DRIVER_FIELD

  /// Resolved once; throws CudaError (no driver) or NotSupported (a symbol is missing).
  static const DriverApi& get();
};

/// The CUDA version whose ABI every entry point is asked for: 12000, so a 12.0 driver serves all.
unsigned driver_entry_point_version() noexcept;
/// The names of the entry points (what cuGetProcAddress is asked for), in DriverApi's order.
std::vector<std::string> driver_entry_point_names();

/// The driver-API twin of check_cuda.
void check_driver(CUresult status, const char* call, const std::string& detail = {});
void check_driver_teardown(CUresult status, const char* call) noexcept;

}  // namespace cuda_interop::detail
