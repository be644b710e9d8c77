// SPDX-License-Identifier: Apache-2.0
#pragma once
/// HRESULT failures of Direct3D 12 and DXGI calls. Windows only.
///
/// An HResultError is an OsError whose code() is the HRESULT as a signed 32-bit value, so the
/// bindings turn it into Python's OSError without a translator of their own; hresult() gives the
/// unsigned value. Messages read
/// "ID3D12Device::CreateSharedHandle failed: HRESULT 0x80004001 (E_NOTIMPL, not implemented); ...".

#include <cstdint>
#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop::d3d12 {

/// A Direct3D 12 or DXGI call returned a failure HRESULT.
class HResultError : public OsError {
 public:
  HResultError(long hresult, const std::string& call, const std::string& detail = {});
  /// The HRESULT, e.g. 0x80004001 for E_NOTIMPL.
  std::uint32_t hresult() const noexcept { return static_cast<std::uint32_t>(code()); }
  /// The API call that failed, e.g. "ID3D12Device::CreateSharedHandle".
  const std::string& call() const noexcept { return call_; }

 private:
  std::string call_;
};

/// Symbolic name of a well-known HRESULT ("E_NOTIMPL", "DXGI_ERROR_NAME_ALREADY_EXISTS"); empty
/// when it is not one this package knows.
std::string hresult_name(long hresult);

/// "0x80004001 (E_NOTIMPL, not implemented)", or just the hex value for an unknown HRESULT.
std::string describe_hresult(long hresult);

/// Throws HResultError naming `call` when `hresult` is a failure code; returns otherwise.
void check_hresult(long hresult, const char* call, const std::string& detail = {});

}  // namespace cuda_interop::d3d12
