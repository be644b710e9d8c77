// SPDX-License-Identifier: Apache-2.0
#pragma once
// The few CUDA driver calls the core needs, reached through cudart's entry-point query so the
// package never links against libcuda. Private to the core.

#include <cuda.h>

#include <string>

namespace cuda_interop::detail {

struct DriverApi {
  decltype(&::cuGetErrorName) cuGetErrorName = nullptr;
  decltype(&::cuGetErrorString) cuGetErrorString = nullptr;
  decltype(&::cuMemCreate) cuMemCreate = nullptr;
  decltype(&::cuMemRelease) cuMemRelease = nullptr;
  decltype(&::cuMemGetAllocationGranularity) cuMemGetAllocationGranularity = nullptr;
  decltype(&::cuMemAddressReserve) cuMemAddressReserve = nullptr;
  decltype(&::cuMemAddressFree) cuMemAddressFree = nullptr;
  decltype(&::cuMemMap) cuMemMap = nullptr;
  decltype(&::cuMemUnmap) cuMemUnmap = nullptr;
  decltype(&::cuMemSetAccess) cuMemSetAccess = nullptr;
  decltype(&::cuMemExportToShareableHandle) cuMemExportToShareableHandle = nullptr;

  /// Resolved once; throws CudaError (no driver) or NotSupported (a symbol is missing).
  static const DriverApi& get();
};

/// The driver-API twin of check_cuda.
void check_driver(CUresult status, const char* call, const std::string& detail = {});
void check_driver_teardown(CUresult status, const char* call) noexcept;

}  // namespace cuda_interop::detail
