// SPDX-License-Identifier: Apache-2.0
#include "adapters.hpp"

#include <windows.h>

#include <cstdio>

#include "cuda_interop/d3d12/hresult.hpp"
#include "device_state.hpp"

namespace cuda_interop::d3d12 {
namespace detail {

std::string to_utf8(const std::wstring& text) {
  if (text.empty()) return {};
  const int length = ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                                           nullptr, 0, nullptr, nullptr);
  if (length <= 0) return "?";
  std::string utf8(static_cast<std::size_t>(length), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), &utf8[0], length,
                        nullptr, nullptr);
  return utf8;
}

Luid luid_bytes(const LUID& luid) {
  Luid bytes{};
  const auto low = static_cast<std::uint32_t>(luid.LowPart);
  const auto high = static_cast<std::uint32_t>(luid.HighPart);
  for (int i = 0; i < 4; ++i) {
    bytes[i] = static_cast<std::uint8_t>(low >> (8 * i));
    bytes[4 + i] = static_cast<std::uint8_t>(high >> (8 * i));
  }
  return bytes;
}

std::vector<EnumeratedAdapter> enumerate_adapters() {
  Microsoft::WRL::ComPtr<IDXGIFactory1> factory;
  check_hresult(::CreateDXGIFactory1(IID_PPV_ARGS(&factory)), "CreateDXGIFactory1");
  std::vector<EnumeratedAdapter> adapters;
  for (UINT index = 0;; ++index) {
    EnumeratedAdapter entry;
    entry.factory = factory;
    const HRESULT result = factory->EnumAdapters1(index, &entry.adapter);
    if (result == DXGI_ERROR_NOT_FOUND) break;
    check_hresult(result, "IDXGIFactory1::EnumAdapters1", "adapter " + std::to_string(index));
    DXGI_ADAPTER_DESC1 desc{};
    check_hresult(entry.adapter->GetDesc1(&desc), "IDXGIAdapter1::GetDesc1",
                  "adapter " + std::to_string(index));
    desc.Description[sizeof desc.Description / sizeof desc.Description[0] - 1] = L'\0';
    entry.info.index = index;
    entry.info.description = to_utf8(desc.Description);
    entry.info.luid = luid_bytes(desc.AdapterLuid);
    entry.info.vendor_id = desc.VendorId;
    entry.info.device_id = desc.DeviceId;
    entry.info.dedicated_video_memory = desc.DedicatedVideoMemory;
    entry.info.software = (desc.Flags & DXGI_ADAPTER_FLAG_SOFTWARE) != 0;
    adapters.push_back(std::move(entry));
  }
  return adapters;
}

std::string describe_adapters(const std::vector<EnumeratedAdapter>& adapters) {
  if (adapters.empty()) return "no DXGI adapters";
  std::string text;
  for (const EnumeratedAdapter& entry : adapters) {
    if (!text.empty()) text += "; ";
    text += std::to_string(entry.info.index) + ": " + entry.info.description + " (luid " +
            format_luid(entry.info.luid) + ")";
  }
  return text;
}

}  // namespace detail

std::vector<AdapterInfo> list_adapters() {
  std::vector<AdapterInfo> infos;
  for (detail::EnumeratedAdapter& entry : detail::enumerate_adapters()) {
    infos.push_back(std::move(entry.info));
  }
  return infos;
}

std::string format_luid(const Luid& luid) {
  std::string text;
  for (const std::uint8_t byte : luid) {
    char digits[3];
    std::snprintf(digits, sizeof digits, "%02x", static_cast<unsigned>(byte));
    text += digits;
  }
  return text;
}

}  // namespace cuda_interop::d3d12
