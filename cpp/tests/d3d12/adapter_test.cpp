// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <string>

#include "cuda_interop/d3d12/device.hpp"
#include "cuda_interop/error.hpp"
#include "test_device.hpp"

namespace cuda_interop::d3d12 {
namespace {

TEST(Adapters, ListsAtLeastOneWithIndexAndLuid) {
  const std::vector<AdapterInfo> adapters = list_adapters();
  ASSERT_FALSE(adapters.empty());
  for (std::size_t i = 0; i < adapters.size(); ++i) {
    EXPECT_EQ(adapters[i].index, i);
    EXPECT_FALSE(adapters[i].description.empty());
  }
}

TEST(Adapters, FormatLuidIsByteOrderHex) {
  const Luid luid{0xf0, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0xab};
  EXPECT_EQ(format_luid(luid), "f0030000010000ab");
}

TEST(Adapters, DeviceChosenByLuidIsOnThatAdapter) {
  const AdapterInfo first = list_adapters().front();
  const Device device = Device::from_luid(first.luid);
  EXPECT_EQ(device.luid(), first.luid);
  EXPECT_EQ(device.adapter().luid, first.luid);
  EXPECT_EQ(device.adapter().description, first.description);
  EXPECT_EQ(device.node_count(), 1u);
  EXPECT_NE(device.native(), nullptr);
  EXPECT_NE(device.queue(), nullptr);
}

TEST(Adapters, DeviceByIndexMatchesTheList) {
  const AdapterInfo first = list_adapters().front();
  const Device device = Device::from_adapter_index(0);
  EXPECT_EQ(device.luid(), first.luid);
}

TEST(Adapters, UnknownLuidIsAClearErrorListingAdapters) {
  const AdapterInfo first = list_adapters().front();
  const Luid absent{0xde, 0xad, 0xbe, 0xef, 0xfe, 0xed, 0xfa, 0xce};
  try {
    (void)Device::from_luid(absent);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("no DXGI adapter has luid deadbeeffeedface"), std::string::npos) << message;
    EXPECT_NE(message.find(first.description), std::string::npos) << message;
    EXPECT_NE(message.find(format_luid(first.luid)), std::string::npos) << message;
  }
}

TEST(Adapters, IndexOutOfRangeIsInvalidArgument) {
  EXPECT_THROW((void)Device::from_adapter_index(4096), InvalidArgument);
}

TEST(Adapters, ClosedAndMovedFromDevicesThrowClosedError) {
  Device device = testing::open_test_device();
  Device moved = std::move(device);
  EXPECT_TRUE(device.closed());  // NOLINT(bugprone-use-after-move): the empty state is the contract
  EXPECT_THROW((void)device.luid(), ClosedError);
  EXPECT_FALSE(moved.closed());
  moved.close();
  moved.close();
  EXPECT_TRUE(moved.closed());
  EXPECT_THROW((void)moved.create_fence(), ClosedError);
}

}  // namespace
}  // namespace cuda_interop::d3d12
