// SPDX-License-Identifier: Apache-2.0
#pragma once
// The device every d3d12 test uses: the first DXGI adapter, opened by its LUID.

#include <gtest/gtest.h>

#include <vector>

#include "cuda_interop/d3d12/device.hpp"

namespace cuda_interop::d3d12::testing {

inline Device open_test_device() {
  const std::vector<AdapterInfo> adapters = list_adapters();
  if (adapters.empty()) throw NotSupported("no DXGI adapter");
  return Device::from_luid(adapters.front().luid);
}

/// A fixture holding one device per test.
class DeviceTest : public ::testing::Test {
 protected:
  void SetUp() override { device = open_test_device(); }
  Device device;
};

/// Bytes 0, 1, ..., 250, 0, 1, ... offset by `seed`, so that shifted copies differ.
inline std::vector<std::uint8_t> pattern(std::size_t size, unsigned seed = 0) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>((i + seed) % 251);
  return bytes;
}

}  // namespace cuda_interop::d3d12::testing
