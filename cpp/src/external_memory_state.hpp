// SPDX-License-Identifier: Apache-2.0
#pragma once
// What an ExternalMemory holds, and what its mappings hold. Private to the core.
//
//   ExternalMemory ──> ExternalMemoryState ──> BufferMapping (whole, made once) ──┐
//                                         └╌╌> MipmappedArrayState (per layout, weak) ──┴─> ImportedMemory
//   DeviceSpan views hold a BufferMapping; arrays, levels and objects hold their array state.
// ImportedMemory is released last, so every mapping is freed before the import is destroyed.

#include <cuda_runtime_api.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cuda_interop/external_memory.hpp"
#include "cuda_interop/process.hpp"

namespace cuda_interop::detail {

/// One cudaExternalMemory_t; destroys it on its device.
struct ImportedMemory {
  cudaExternalMemory_t handle = nullptr;
  int device = 0;
  std::uint64_t size = 0;
  MemoryHandleType type = MemoryHandleType::OpaqueFd;
  bool dedicated = false;
  ProcessId owner = current_process();

  ImportedMemory(cudaExternalMemory_t h, int dev, std::uint64_t sz, MemoryHandleType t, bool ded)
      : handle(h), device(dev), size(sz), type(t), dedicated(ded) {}
  ~ImportedMemory();
  ImportedMemory(const ImportedMemory&) = delete;
  ImportedMemory& operator=(const ImportedMemory&) = delete;

  /// "cudaExternalMemoryHandleTypeOpaqueFd import of 1048576 bytes on device 0".
  std::string describe() const;
};

/// The whole import mapped as linear memory (cudaExternalMemoryGetMappedBuffer); cudaFree'd.
struct BufferMapping {
  void* pointer = nullptr;
  std::shared_ptr<const ImportedMemory> memory;

  BufferMapping(void* p, std::shared_ptr<const ImportedMemory> m) : pointer(p), memory(std::move(m)) {}
  ~BufferMapping();
  BufferMapping(const BufferMapping&) = delete;
  BufferMapping& operator=(const BufferMapping&) = delete;
};

struct MipmappedArrayState;

struct ExternalMemoryState {
  std::shared_ptr<const ImportedMemory> memory;
  std::optional<ImageLayout> image;
  // The mappings, made on first use by const methods; guarded by `mutex`.
  mutable std::mutex mutex;
  mutable std::shared_ptr<const BufferMapping> whole;
  // Arrays by layout, while anything uses them: a layout maps once, and an array nobody holds
  // any more is freed rather than kept until the import closes.
  mutable std::vector<std::weak_ptr<const MipmappedArrayState>> arrays;
};

}  // namespace cuda_interop::detail
