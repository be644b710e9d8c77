// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/opengl/graphics_resource.hpp"

#include <algorithm>
#include <string>

#include "cuda_check.hpp"
#include "cuda_gl.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "gl_image.hpp"
#include "graphics_state.hpp"
#include "teardown.hpp"

namespace cuda_interop::opengl {
namespace detail {

std::mutex& mapping_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::string GraphicsResourceState::describe() const {
  if (buffer) return "GL buffer " + std::to_string(name);
  return target_name(target) + " " + std::to_string(name);
}

GraphicsResourceState::~GraphicsResourceState() {
  if (unregistered || resource == nullptr || !is_owner(process)) return;
  if (!is_current(context)) {
    warn("the CUDA registration of " + describe() + " was not undone: " + context.describe() +
         " is not current on this thread (unregister GL objects while their context is current)");
    return;
  }
  cuda_interop::detail::teardown_on(process, device, "cudaGraphicsUnregisterResource",
              [this] { CUDA_INTEROP_TEARDOWN(cudaGraphicsUnregisterResource(resource)); });
}

namespace {

constexpr unsigned known_flags = register_read_only | register_write_discard |
                                 register_surface_load_store | register_texture_gather;

void check_flags(unsigned flags) {
  if ((flags & ~known_flags) != 0) {
    throw InvalidArgument("flags " + std::to_string(flags) + " has bits that are not "
                          "cudaGraphicsRegisterFlags (read_only 1, write_discard 2, "
                          "surface_load_store 4, texture_gather 8)");
  }
  if ((flags & register_read_only) != 0 && (flags & register_write_discard) != 0) {
    throw InvalidArgument("flags cannot be both read_only and write_discard");
  }
}

/// The device to register on: `asked`, which must be one the context renders on, or the
/// context's first.
int registration_device(std::optional<int> asked, const ContextId& context) {
  std::vector<int> devices;
  try {
    devices = current_context_devices();
  } catch (const CudaError& error) {
    // No driver (or no device) is an answer; any other failure of the query (not documented
    // for every window system) leaves the choice to the registration itself, which refuses a
    // device that is not the context's (cudaErrorInvalidDevice).
    if (error.code() == cudaErrorInsufficientDriver || error.code() == cudaErrorNoDevice) throw;
    return asked ? *asked : current_device();
  }
  if (devices.empty()) {
    throw InvalidArgument("the current OpenGL context (" + context.describe() +
                          ") renders on no CUDA device: CUDA registers objects of NVIDIA GL "
                          "contexts only (not Mesa's llvmpipe, not another vendor's GPU)");
  }
  if (!asked) return devices.front();
  if (std::find(devices.begin(), devices.end(), *asked) != devices.end()) return *asked;
  Device wanted = Device::get(*asked);
  Device gl_device = Device::get(devices.front());
  throw InvalidArgument("device " + std::to_string(*asked) + " (" + wanted.name + ") is not the "
                        "GPU the current OpenGL context renders on: CUDA device " +
                        std::to_string(gl_device.ordinal) + " (" + gl_device.name +
                        "); register on that device, or make a context of that GPU current");
}

}  // namespace
}  // namespace detail

std::vector<int> current_context_devices() {
  (void)detail::current("asking which GPU the OpenGL context renders on");
  unsigned int count = 0;
  int devices[16] = {};
  const cudaError_t status = cudaGLGetDevices(&count, devices, 16, 1);  // cudaGLDeviceListAll
  if (status == cudaErrorNoDevice && count == 0) return {};
  check_cuda(status, "cudaGLGetDevices");
  return std::vector<int>(devices, devices + std::min<unsigned>(count, 16));
}

GraphicsResource GraphicsResource::register_buffer(std::uint32_t buffer, unsigned flags,
                                                   std::optional<int> device) {
  detail::check_flags(flags);
  detail::Current current = detail::current("registering a GL buffer with CUDA");
  detail::check_buffer(*current.gl, buffer);
  auto state = std::make_shared<detail::GraphicsResourceState>();
  state->buffer = true;
  state->name = buffer;
  state->flags = flags;
  state->context = current.id;
  state->device = detail::registration_device(device, current.id);
  DeviceGuard guard(state->device);
  CUDA_INTEROP_CHECK(cudaGraphicsGLRegisterBuffer(&state->resource, buffer, flags),
                     state->describe() + " on device " + std::to_string(state->device));
  return GraphicsResource(std::move(state));
}

GraphicsResource GraphicsResource::register_image(std::uint32_t image, std::uint32_t target,
                                                  unsigned flags, std::optional<int> device) {
  detail::check_flags(flags);
  detail::Current current = detail::current("registering a GL texture with CUDA");
  unsigned array_flags = 0;
  if ((flags & register_surface_load_store) != 0) array_flags |= array_surface_load_store;
  if ((flags & register_texture_gather) != 0) array_flags |= array_texture_gather;
  auto state = std::make_shared<detail::GraphicsResourceState>();
  state->layout = detail::query_image(*current.gl, image, target, array_flags);
  state->buffer = false;
  state->name = image;
  state->target = target;
  state->flags = flags;
  state->context = current.id;
  state->device = detail::registration_device(device, current.id);
  DeviceGuard guard(state->device);
  CUDA_INTEROP_CHECK(cudaGraphicsGLRegisterImage(&state->resource, image, target, flags),
                     state->describe() + " on device " + std::to_string(state->device));
  return GraphicsResource(std::move(state));
}

const std::shared_ptr<detail::GraphicsResourceState>& GraphicsResource::state() const {
  if (!state_) throw ClosedError("opengl.GraphicsResource is closed or unregistered");
  return state_;
}

bool GraphicsResource::is_buffer() const { return state()->buffer; }
std::uint32_t GraphicsResource::gl_name() const { return state()->name; }
std::uint32_t GraphicsResource::target() const { return state()->target; }
unsigned GraphicsResource::flags() const { return state()->flags; }
int GraphicsResource::device() const { return state()->device; }
const ContextId& GraphicsResource::context() const { return state()->context; }
const ImageLayout& GraphicsResource::layout() const {
  if (state()->buffer) throw InvalidArgument("a registered buffer has no image layout");
  return state_->layout;
}
bool GraphicsResource::mapped() const {
  std::lock_guard<std::mutex> lock(detail::mapping_mutex());
  return state()->mapped;
}

void GraphicsResource::unregister() {
  if (!state_) return;
  detail::GraphicsResourceState& state = *state_;
  {
    std::lock_guard<std::mutex> lock(detail::mapping_mutex());
    if (state.unregistered) {
      state_.reset();
      return;
    }
    if (state.mapped) {
      throw InvalidArgument("cannot unregister " + state.describe() +
                            " while it is mapped: unmap it first");
    }
  }
  detail::require_current(state.context, state.describe());
  std::lock_guard<std::mutex> lock(detail::mapping_mutex());
  if (state.mapped) {  // mapped by another thread meanwhile
    throw InvalidArgument("cannot unregister " + state.describe() +
                          " while it is mapped: unmap it first");
  }
  if (!state.unregistered) {
    DeviceGuard guard(state.device);
    CUDA_INTEROP_CHECK(cudaGraphicsUnregisterResource(state.resource), state.describe());
    state.unregistered = true;
  }
  state_.reset();
}

}  // namespace cuda_interop::opengl
