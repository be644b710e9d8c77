// SPDX-License-Identifier: Apache-2.0
// Sharing through CreateSharedHandle. Wine's vkd3d returns E_NOTIMPL for it; there the tests check
// that the failure is reported clearly. On Windows they check that handles come back and that a
// named object can be reopened by its name.
#include <gtest/gtest.h>
#include <windows.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <string>

#include "cuda_interop/d3d12/device.hpp"
#include "cuda_interop/d3d12/hresult.hpp"
#include "cuda_interop/error.hpp"
#include "test_device.hpp"

namespace cuda_interop::d3d12 {
namespace {

using ShareTest = testing::DeviceTest;

/// Runs `share`: the handle it produced (checked to be valid), or nothing if the runtime lacks
/// sharing (E_NOTIMPL, checked to be reported with the call and the code). Any other failure
/// propagates and fails the test.
std::optional<UniqueWin32Handle> try_share(const std::function<UniqueWin32Handle()>& share) {
  try {
    UniqueWin32Handle handle = share();
    EXPECT_TRUE(handle);
    DWORD flags = 0;
    EXPECT_TRUE(::GetHandleInformation(handle.get(), &flags)) << "not a valid handle";
    return handle;
  } catch (const HResultError& error) {
    if (error.hresult() != static_cast<std::uint32_t>(E_NOTIMPL)) throw;
    const std::string message = error.what();
    EXPECT_EQ(error.call(), "ID3D12Device::CreateSharedHandle");
    EXPECT_NE(message.find("ID3D12Device::CreateSharedHandle failed"), std::string::npos) << message;
    EXPECT_NE(message.find("0x80004001 (E_NOTIMPL"), std::string::npos) << message;
    return std::nullopt;
  }
}

bool shared_or_not_implemented(const std::function<UniqueWin32Handle()>& share) {
  return try_share(share).has_value();
}

std::wstring unique_name(const wchar_t* what) {
  return std::wstring(L"cuda-interop-test-") + what + L"-" + std::to_wstring(::GetCurrentProcessId());
}

TEST_F(ShareTest, HeapBufferTextureAndFenceShareOrReportNotImplemented) {
  const Heap heap = device.create_heap(Heap::alignment);
  const Resource buffer = device.create_committed_buffer(4096);
  Texture2DDesc desc;
  desc.width = 64;
  desc.height = 64;
  const Resource texture = device.create_committed_texture2d(desc);
  const Fence fence = device.create_fence();
  const bool heap_shared = shared_or_not_implemented([&] { return heap.share(); });
  EXPECT_EQ(shared_or_not_implemented([&] { return buffer.share(); }), heap_shared);
  EXPECT_EQ(shared_or_not_implemented([&] { return texture.share(); }), heap_shared);
  EXPECT_EQ(shared_or_not_implemented([&] { return fence.share(); }), heap_shared);
  if (!heap_shared) std::printf("[ INFO ] CreateSharedHandle: E_NOTIMPL (Wine's vkd3d)\n");
}

TEST_F(ShareTest, NamedObjectsReopenByName) {
  const Resource buffer = device.create_committed_buffer(4096);
  const std::wstring name = unique_name(L"buffer");
  std::optional<UniqueWin32Handle> shared = try_share([&] { return buffer.share(name); });
  if (!shared) GTEST_SKIP() << "CreateSharedHandle is not implemented by this runtime";
  const UniqueWin32Handle owner = std::move(*shared);
  UniqueWin32Handle reopened = device.open_shared_handle_by_name(name);
  EXPECT_TRUE(reopened);
  EXPECT_NE(reopened.get(), owner.get());
  // The name is taken while a handle to it is open.
  const Resource other = device.create_committed_buffer(4096);
  try {
    (void)other.share(name);
    ADD_FAILURE() << "sharing twice under one name succeeded";
  } catch (const HResultError& error) {
    EXPECT_EQ(error.hresult(), static_cast<std::uint32_t>(DXGI_ERROR_NAME_ALREADY_EXISTS)) << error.what();
  }
}

TEST_F(ShareTest, NamesAreCheckedBeforeDirect3D) {
  const Resource buffer = device.create_committed_buffer(256);
  EXPECT_THROW((void)buffer.share(std::wstring(MAX_PATH + 1, L'x')), InvalidArgument);
  EXPECT_THROW((void)buffer.share(std::wstring(L"a\0b", 3)), InvalidArgument);
  EXPECT_THROW((void)device.open_shared_handle_by_name(L""), InvalidArgument);
}

TEST_F(ShareTest, PlacedResourcesAreSharedThroughTheirHeap) {
  const Heap heap = device.create_heap(Heap::alignment);
  const Resource placed = heap.create_placed_buffer(0, 256);
  EXPECT_THROW((void)placed.share(), InvalidArgument);
  EXPECT_EQ(placed.heap_size(), heap.size());
  EXPECT_EQ(shared_or_not_implemented([&] { return placed.share_heap(); }),
            shared_or_not_implemented([&] { return heap.share(); }));
  const Resource committed = device.create_committed_buffer(256);
  EXPECT_THROW((void)committed.share_heap(), InvalidArgument);
}

TEST_F(ShareTest, OpeningAnUnknownNameFailsWithTheCall) {
  try {
    (void)device.open_shared_handle_by_name(unique_name(L"nobody"));
    FAIL() << "expected HResultError";
  } catch (const HResultError& error) {
    EXPECT_EQ(error.call(), "ID3D12Device::OpenSharedHandleByName");
  }
}

}  // namespace
}  // namespace cuda_interop::d3d12
