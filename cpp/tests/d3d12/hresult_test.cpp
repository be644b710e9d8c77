// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/hresult.hpp"

#include <gtest/gtest.h>
#include <windows.h>

#include <string>

namespace cuda_interop::d3d12 {
namespace {

TEST(HResult, KnownCodesHaveNames) {
  EXPECT_EQ(hresult_name(E_NOTIMPL), "E_NOTIMPL");
  EXPECT_EQ(hresult_name(E_INVALIDARG), "E_INVALIDARG");
  EXPECT_EQ(hresult_name(DXGI_ERROR_NAME_ALREADY_EXISTS), "DXGI_ERROR_NAME_ALREADY_EXISTS");
  EXPECT_EQ(hresult_name(0x12345678), "");
  EXPECT_EQ(describe_hresult(E_NOTIMPL), "0x80004001 (E_NOTIMPL, not implemented)");
  EXPECT_EQ(describe_hresult(static_cast<long>(0x89ABCDEFu)), "0x89ABCDEF");
}

TEST(HResult, CheckThrowsAnOsErrorCarryingTheHResult) {
  EXPECT_NO_THROW(check_hresult(S_OK, "Nothing"));
  EXPECT_NO_THROW(check_hresult(S_FALSE, "Nothing"));
  try {
    check_hresult(E_OUTOFMEMORY, "ID3D12Device::CreateHeap", "4096 bytes");
    FAIL() << "expected HResultError";
  } catch (const OsError& error) {
    EXPECT_EQ(static_cast<std::uint32_t>(error.code()), 0x8007000Eu);
    EXPECT_STREQ(error.what(),
                 "ID3D12Device::CreateHeap failed: HRESULT 0x8007000E (E_OUTOFMEMORY, out of memory); "
                 "4096 bytes");
    const auto* hresult_error = dynamic_cast<const HResultError*>(&error);
    ASSERT_NE(hresult_error, nullptr);
    EXPECT_EQ(hresult_error->hresult(), 0x8007000Eu);
    EXPECT_EQ(hresult_error->call(), "ID3D12Device::CreateHeap");
  }
}

}  // namespace
}  // namespace cuda_interop::d3d12
