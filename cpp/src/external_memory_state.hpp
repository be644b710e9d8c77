// SPDX-License-Identifier: Apache-2.0
#pragma once
// State shared by an ExternalMemory and every mapping made from it. Private to the core.

#include <cuda_runtime_api.h>

#include <cstdint>
#include <memory>

#include "cuda_interop/external_memory.hpp"
#include "process.hpp"

namespace cuda_interop::detail {

struct ExternalMemoryState {
  cudaExternalMemory_t handle = nullptr;
  int device = 0;
  std::uint64_t size = 0;
  MemoryHandleType type = MemoryHandleType::OpaqueFd;
  bool dedicated = false;
  ProcessId owner = current_process();

  ExternalMemoryState(cudaExternalMemory_t h, int dev, std::uint64_t sz, MemoryHandleType t, bool ded)
      : handle(h), device(dev), size(sz), type(t), dedicated(ded) {}
  ~ExternalMemoryState();
  ExternalMemoryState(const ExternalMemoryState&) = delete;
  ExternalMemoryState& operator=(const ExternalMemoryState&) = delete;

  /// "cudaExternalMemoryHandleTypeOpaqueFd import of 1048576 bytes on device 0".
  std::string describe() const;
  static ExternalMemory wrap(std::shared_ptr<ExternalMemoryState> state) {
    return ExternalMemory(std::move(state));
  }
};

}  // namespace cuda_interop::detail
