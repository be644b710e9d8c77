// SPDX-License-Identifier: Apache-2.0
#pragma once
// Internal: DXGI adapter enumeration shared by list_adapters and Device creation.

#include <dxgi.h>
#include <wrl/client.h>

#include <vector>

#include "cuda_interop/d3d12/device.hpp"

namespace cuda_interop::d3d12::detail {

struct EnumeratedAdapter {
  Microsoft::WRL::ComPtr<IDXGIFactory1> factory;
  Microsoft::WRL::ComPtr<IDXGIAdapter1> adapter;
  AdapterInfo info;
};

/// Every adapter of a fresh DXGI factory, in EnumAdapters1 order.
std::vector<EnumeratedAdapter> enumerate_adapters();

/// "0: NVIDIA RTX A4000 (luid 9f1a010000000000); 1: ..." for error messages.
std::string describe_adapters(const std::vector<EnumeratedAdapter>& adapters);

}  // namespace cuda_interop::d3d12::detail
