// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a registered GL object and a mapping hold. Private.

#include <cuda_runtime_api.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "cuda_interop/opengl/graphics_resource.hpp"
#include "cuda_interop/process.hpp"
#include "functions.hpp"

namespace cuda_interop::opengl::detail {

/// Guards every resource's `mapped` flag: map, unmap and unregister change them together.
std::mutex& mapping_mutex();

struct GraphicsResourceState {
  cudaGraphicsResource_t resource = nullptr;
  bool buffer = true;
  std::uint32_t name = 0;
  std::uint32_t target = 0;
  unsigned flags = 0;
  int device = 0;
  ContextId context;
  ImageLayout layout;
  ProcessId process = current_process();
  bool mapped = false;        // guarded by mapping_mutex()
  bool unregistered = false;  // guarded by mapping_mutex()

  GraphicsResourceState() = default;
  ~GraphicsResourceState();
  GraphicsResourceState(const GraphicsResourceState&) = delete;
  GraphicsResourceState& operator=(const GraphicsResourceState&) = delete;

  /// "GL buffer 3" or "GL_TEXTURE_2D texture 5".
  std::string describe() const;
};

struct MappingState {
  std::vector<std::shared_ptr<GraphicsResourceState>> resources;
  std::vector<cudaGraphicsResource_t> handles;
  int device = 0;
  ProcessId process = current_process();
  // Shared with the arrays CUDA lends: false once unmapped. Guarded by mapping_mutex().
  std::shared_ptr<std::atomic<bool>> mapped = std::make_shared<std::atomic<bool>>(false);

  MappingState() = default;
  ~MappingState();
  MappingState(const MappingState&) = delete;
  MappingState& operator=(const MappingState&) = delete;
};

}  // namespace cuda_interop::opengl::detail
