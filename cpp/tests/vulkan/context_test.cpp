// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "cuda_interop/vulkan/context.hpp"
#include "loader.hpp"
#include "support.hpp"

namespace cuda_interop::vulkan {
namespace {

using testing::VulkanTest;

TEST(VulkanLoader, MissingLoaderIsNotSupportedAndSaysHowToInstall) {
  try {
    (void)detail::open_loader("libcuda-interop-no-such-loader.so.1");
    FAIL() << "a missing loader must throw";
  } catch (const NotSupported& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("libcuda-interop-no-such-loader.so.1"), std::string::npos) << message;
#ifndef _WIN32
    EXPECT_NE(message.find("libvulkan1"), std::string::npos) << message;
#endif
  }
}

TEST(VulkanLoader, DefaultNameIsThePlatformLoader) {
#ifdef _WIN32
  EXPECT_STREQ(detail::default_loader_name(), "vulkan-1.dll");
#else
  EXPECT_STREQ(detail::default_loader_name(), "libvulkan.so.1");
#endif
}

TEST_F(VulkanTest, CreatedByIndexReportsDeviceAndFeatures) {
  const auto& device = context->physical_device();
  EXPECT_EQ(device.index, testing::test_device_index());
  EXPECT_FALSE(device.name.empty());
  EXPECT_FALSE(device.device_type.empty());
  const auto& features = context->features();
  EXPECT_GE(features.api_version, VK_API_VERSION_1_1);
  EXPECT_TRUE(features.dedicated_allocation);
#ifndef _WIN32
  EXPECT_TRUE(features.external_memory_fd) << "the test driver must export memory as fds";
  EXPECT_FALSE(features.external_memory_win32);
#endif
}

TEST_F(VulkanTest, PhysicalDevicesListsTheContextDevice) {
  const auto devices = physical_devices();
  ASSERT_GT(devices.size(), testing::test_device_index());
  const auto& mine = devices[testing::test_device_index()];
  EXPECT_EQ(mine.name, context->physical_device().name);
  EXPECT_EQ(mine.uuid, context->physical_device().uuid);
}

TEST_F(VulkanTest, SelectsByUuid) {
  ContextOptions options;
  options.device_uuid = context->physical_device().uuid;
  Context by_uuid(options);
  EXPECT_EQ(by_uuid.physical_device().uuid, context->physical_device().uuid);
}

TEST_F(VulkanTest, UnknownUuidIsRefusedListingDevicesSeen) {
  ContextOptions options;
  options.device_uuid = Uuid{0xde, 0xad, 0xbe, 0xef};
  try {
    Context refused(options);
    FAIL() << "no device has this UUID";
  } catch (const NotSupported& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("deadbeef-0000-0000-0000-000000000000"), std::string::npos) << message;
    EXPECT_NE(message.find(context->physical_device().name), std::string::npos) << message;
    EXPECT_NE(message.find(uuid_to_string(context->physical_device().uuid)), std::string::npos)
        << message;
  }
}

TEST_F(VulkanTest, IndexOutOfRangeAndBothSelectorsAreInvalid) {
  ContextOptions out_of_range;
  out_of_range.physical_device_index = 1000;
  EXPECT_THROW(Context{out_of_range}, InvalidArgument);
  ContextOptions both;
  both.physical_device_index = 0;
  both.device_uuid = Uuid{};
  EXPECT_THROW(Context{both}, InvalidArgument);
}

TEST_F(VulkanTest, CloseIsIdempotentAndUseAfterCloseThrowsClosed) {
  context->close();
  context->close();
  EXPECT_TRUE(context->closed());
  EXPECT_THROW((void)context->physical_device(), ClosedError);
  EXPECT_THROW((void)context->create_buffer(64), ClosedError);
}

TEST_F(VulkanTest, MovedFromContextIsClosed) {
  Context moved = std::move(*context);
  EXPECT_TRUE(context->closed());
  EXPECT_FALSE(moved.closed());
}

TEST(VulkanUuid, FormatsAsLowercaseGroups) {
  Uuid uuid{};
  for (std::size_t i = 0; i < uuid.size(); ++i) uuid[i] = static_cast<std::uint8_t>(0xa0 + i);
  EXPECT_EQ(uuid_to_string(uuid), "a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf");
}

}  // namespace
}  // namespace cuda_interop::vulkan
