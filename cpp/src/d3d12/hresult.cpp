// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/hresult.hpp"

#include <windows.h>
#include <winerror.h>

#include <cstdio>

namespace cuda_interop::d3d12 {
namespace {

struct KnownHResult {
  std::uint32_t value;
  const char* name;
  const char* text;
};

// The codes that Direct3D 12, DXGI and sharing return in practice, named by the SDK's macros.
#define CUDA_INTEROP_HRESULT(code, text) \
  { static_cast<std::uint32_t>(code), #code, text }
constexpr KnownHResult known_hresults[] = {
    CUDA_INTEROP_HRESULT(E_NOTIMPL, "not implemented"),
    CUDA_INTEROP_HRESULT(E_NOINTERFACE, "interface not supported"),
    CUDA_INTEROP_HRESULT(E_POINTER, "invalid pointer"),
    CUDA_INTEROP_HRESULT(E_FAIL, "unspecified failure"),
    CUDA_INTEROP_HRESULT(E_UNEXPECTED, "unexpected failure"),
    CUDA_INTEROP_HRESULT(E_ACCESSDENIED, "access denied"),
    CUDA_INTEROP_HRESULT(E_HANDLE, "invalid handle"),
    CUDA_INTEROP_HRESULT(E_OUTOFMEMORY, "out of memory"),
    CUDA_INTEROP_HRESULT(E_INVALIDARG, "invalid argument"),
    {0x80070002u, "HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)", "no object has this name"},
    CUDA_INTEROP_HRESULT(DXGI_ERROR_INVALID_CALL, "invalid call"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_NOT_FOUND, "not found"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_UNSUPPORTED, "unsupported"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_DEVICE_REMOVED, "device removed"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_DEVICE_HUNG, "device hung"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_DEVICE_RESET, "device reset"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_DRIVER_INTERNAL_ERROR, "driver internal error"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_ACCESS_LOST, "access lost"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_ACCESS_DENIED, "access denied"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_NAME_ALREADY_EXISTS, "an object already has this name"),
    CUDA_INTEROP_HRESULT(DXGI_ERROR_SDK_COMPONENT_MISSING, "SDK component missing"),
    CUDA_INTEROP_HRESULT(D3D12_ERROR_ADAPTER_NOT_FOUND, "adapter not found"),
    CUDA_INTEROP_HRESULT(D3D12_ERROR_DRIVER_VERSION_MISMATCH, "driver version mismatch"),
};
#undef CUDA_INTEROP_HRESULT

const KnownHResult* find_known(long hresult) {
  const auto value = static_cast<std::uint32_t>(hresult);
  for (const KnownHResult& known : known_hresults) {
    if (known.value == value) return &known;
  }
  return nullptr;
}

std::string hex(long hresult) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08lX", static_cast<unsigned long>(static_cast<std::uint32_t>(hresult)));
  return text;
}

std::string message(long hresult, const std::string& detail) {
  std::string text = "HRESULT " + describe_hresult(hresult);
  if (!detail.empty()) text += "; " + detail;
  return text;
}

}  // namespace

HResultError::HResultError(long hresult, const std::string& call, const std::string& detail)
    : OsError(hresult, call, message(hresult, detail)), call_(call) {}

std::string hresult_name(long hresult) {
  const KnownHResult* known = find_known(hresult);
  return known != nullptr ? known->name : std::string();
}

std::string describe_hresult(long hresult) {
  const KnownHResult* known = find_known(hresult);
  if (known == nullptr) return hex(hresult);
  return hex(hresult) + " (" + known->name + ", " + known->text + ")";
}

void check_hresult(long hresult, const char* call, const std::string& detail) {
  if (FAILED(static_cast<HRESULT>(hresult))) throw HResultError(hresult, call, detail);
}

}  // namespace cuda_interop::d3d12
