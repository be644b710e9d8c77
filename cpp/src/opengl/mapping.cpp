// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/opengl/graphics_resource.hpp"
#include "graphics_state.hpp"
#include "teardown.hpp"

namespace cuda_interop::opengl {
namespace detail {

MappingState::~MappingState() {
  std::lock_guard<std::mutex> lock(mapping_mutex());
  if (!mapped->load()) return;
  // Dropped while mapped: unmap on the default stream, so GL may use the objects again.
  cuda_interop::detail::teardown_on(process, device, "cudaGraphicsUnmapResources", [this] {
    CUDA_INTEROP_TEARDOWN(cudaGraphicsUnmapResources(static_cast<int>(handles.size()),
                                                     handles.data(), nullptr));
  });
  mapped->store(false);
  for (auto& resource : resources) resource->mapped = false;
}

}  // namespace detail

Mapping Mapping::map(const std::vector<GraphicsResource>& resources,
                     std::optional<StreamHandle> stream) {
  if (resources.empty()) throw InvalidArgument("resources must name at least one resource");
  auto state = std::make_shared<detail::MappingState>();
  for (std::size_t i = 0; i < resources.size(); ++i) {
    if (resources[i].closed()) {
      throw ClosedError("resources[" + std::to_string(i) + "] is closed or unregistered");
    }
    const auto& resource = resources[i].state();
    for (std::size_t j = 0; j < i; ++j) {
      if (state->resources[j] == resource) {
        throw InvalidArgument("resources[" + std::to_string(j) + "] and resources[" +
                              std::to_string(i) + "] are the same resource (" +
                              resource->describe() + ")");
      }
    }
    if (i > 0 && resource->device != state->resources[0]->device) {
      throw InvalidArgument("resources[" + std::to_string(i) + "] is registered on device " +
                            std::to_string(resource->device) + ", resources[0] on device " +
                            std::to_string(state->resources[0]->device) +
                            ": map each device's resources apart");
    }
    state->resources.push_back(resource);
    state->handles.push_back(resource->resource);
  }
  state->device = state->resources[0]->device;
  std::lock_guard<std::mutex> lock(detail::mapping_mutex());
  for (std::size_t i = 0; i < state->resources.size(); ++i) {
    const detail::GraphicsResourceState& resource = *state->resources[i];
    if (resource.unregistered) {
      throw ClosedError("resources[" + std::to_string(i) + "] (" + resource.describe() +
                        ") was unregistered");
    }
    if (resource.mapped) {
      throw InvalidArgument("resources[" + std::to_string(i) + "] (" + resource.describe() +
                            ") is mapped already: unmap it before mapping it again");
    }
  }
  {
    DeviceGuard guard(state->device);
    CUDA_INTEROP_CHECK(
        cudaGraphicsMapResources(static_cast<int>(state->handles.size()), state->handles.data(),
                                 reinterpret_cast<cudaStream_t>(stream.value_or(0))),
        std::to_string(state->handles.size()) + " resource(s) on device " +
            std::to_string(state->device));
  }
  state->mapped->store(true);
  for (auto& resource : state->resources) resource->mapped = true;
  return Mapping(std::move(state));
}

detail::MappingState& Mapping::live() const {
  if (!state_) throw ClosedError("opengl.Mapping is closed");
  if (!state_->mapped->load()) throw ClosedError("the mapping was unmapped");
  return *state_;
}

std::size_t Mapping::size() const {
  if (!state_) throw ClosedError("opengl.Mapping is closed");
  return state_->resources.size();
}

bool Mapping::mapped() const { return state_ && state_->mapped->load(); }

namespace {

const detail::GraphicsResourceState& at(const detail::MappingState& state, std::size_t index) {
  if (index >= state.resources.size()) {
    throw InvalidArgument("index " + std::to_string(index) + " is not one of the mapping's " +
                          std::to_string(state.resources.size()) + " resource(s)");
  }
  return *state.resources[index];
}

}  // namespace

DeviceSpan Mapping::buffer(std::size_t index) const {
  detail::MappingState& state = live();
  const detail::GraphicsResourceState& resource = at(state, index);
  if (!resource.buffer) {
    throw InvalidArgument("resource " + std::to_string(index) + " is " + resource.describe() +
                          ", not a buffer: use mipmapped_array()");
  }
  void* pointer = nullptr;
  std::size_t size = 0;
  DeviceGuard guard(state.device);
  CUDA_INTEROP_CHECK(cudaGraphicsResourceGetMappedPointer(&pointer, &size, resource.resource),
                     resource.describe());
  return DeviceSpan(pointer, size, state.device, state_);
}

MappedMipmappedArray Mapping::mipmapped_array(std::size_t index) const {
  detail::MappingState& state = live();
  const detail::GraphicsResourceState& resource = at(state, index);
  if (resource.buffer) {
    throw InvalidArgument("resource " + std::to_string(index) + " is " + resource.describe() +
                          ", not an image: use buffer()");
  }
  if (resource.target == 0x8D41) {
    throw NotSupported("CUDA maps renderbuffers as single arrays, not mipmapped arrays: "
                       "register a texture to read " + resource.describe() + " as an array");
  }
  cudaMipmappedArray_t array = nullptr;
  DeviceGuard guard(state.device);
  CUDA_INTEROP_CHECK(cudaGraphicsResourceGetMappedMipmappedArray(&array, resource.resource),
                     resource.describe());
  return MappedMipmappedArray::lent(array, resource.layout, state.device, state_, state.mapped);
}

void Mapping::unmap(std::optional<StreamHandle> stream) {
  if (!state_) throw ClosedError("opengl.Mapping is closed");
  detail::MappingState& state = *state_;
  std::lock_guard<std::mutex> lock(detail::mapping_mutex());
  if (!state.mapped->load()) return;
  {
    DeviceGuard guard(state.device);
    CUDA_INTEROP_CHECK(
        cudaGraphicsUnmapResources(static_cast<int>(state.handles.size()), state.handles.data(),
                                   reinterpret_cast<cudaStream_t>(stream.value_or(0))),
        std::to_string(state.handles.size()) + " resource(s) on device " +
            std::to_string(state.device));
  }
  state.mapped->store(false);
  for (auto& resource : state.resources) resource->mapped = false;
}

}  // namespace cuda_interop::opengl
