// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/external_memory.hpp"

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/error.hpp"
#include "external_memory_state.hpp"
#include "import.hpp"
#include "teardown.hpp"

namespace cuda_interop {
namespace detail {

ImportedMemory::~ImportedMemory() {
  teardown_on(owner, device, "cudaDestroyExternalMemory",
              [this] { CUDA_INTEROP_TEARDOWN(cudaDestroyExternalMemory(handle)); });
}

std::string ImportedMemory::describe() const {
  return std::string(to_string(type)) + " import of " + std::to_string(size) + " bytes on device " +
         std::to_string(device);
}

BufferMapping::~BufferMapping() {
  teardown_on(memory->owner, memory->device, "cudaFree of a mapped buffer",
              [this] { CUDA_INTEROP_TEARDOWN(cudaFree(pointer)); });
}

}  // namespace detail

namespace {

MemoryShare caller_share(MemoryHandleType type, SharedHandle handle, std::uint64_t size,
                         bool dedicated) {
  MemoryShare share;
  share.type = type;
  share.handle = std::move(handle);
  share.size = size;
  share.dedicated = dedicated;
  return share;
}

void refuse_kmt_ownership(MemoryHandleType type, bool take_ownership) {
  if (take_ownership && form_of(type) == HandleForm::KmtHandle) {
    throw InvalidArgument(std::string(to_string(type)) +
                          ": a KMT handle holds no reference and is not closed; "
                          "take_ownership must be false");
  }
}

}  // namespace

ExternalMemory::ExternalMemory() noexcept = default;
ExternalMemory::~ExternalMemory() = default;
ExternalMemory::ExternalMemory(ExternalMemory&&) noexcept = default;
ExternalMemory& ExternalMemory::operator=(ExternalMemory&&) noexcept = default;

ExternalMemory ExternalMemory::import(const MemoryShare& share, int device) {
  cudaExternalMemoryHandleDesc desc{};  // value-initialised: CUDA 13's reserved[] must be zero
  desc.type = static_cast<cudaExternalMemoryHandleType>(share.type);
  desc.size = share.size;
  desc.flags = share.dedicated ? cudaExternalMemoryDedicated : 0u;
  cudaExternalMemory_t handle = nullptr;
  const int ordinal = detail::import_share(
      share, device, desc, "cudaImportExternalMemory",
      [&](const cudaExternalMemoryHandleDesc& filled) {
        return cudaImportExternalMemory(&handle, &filled);
      });
  ExternalMemory memory;
  memory.state_ = std::make_shared<detail::ExternalMemoryState>();
  memory.state_->memory = std::make_shared<const detail::ImportedMemory>(
      handle, ordinal, share.size, share.type, share.dedicated);
  memory.state_->image = share.image;
  return memory;
}

ExternalMemory ExternalMemory::import_fd(int fd, std::uint64_t size, bool dedicated, int device,
                                         bool take_ownership) {
  MemoryShare share = caller_share(MemoryHandleType::OpaqueFd,
                                   SharedHandle::fd(fd, take_ownership), size, dedicated);
  return detail::import_caller_handle(share, [&](const MemoryShare& s) { return import(s, device); });
}

ExternalMemory ExternalMemory::import_win32_handle(MemoryHandleType type, void* handle,
                                                   std::uint64_t size, bool dedicated, int device,
                                                   bool take_ownership) {
  refuse_kmt_ownership(type, take_ownership);
  SharedHandle shared = form_of(type) == HandleForm::KmtHandle
                            ? SharedHandle::address(handle)
                            : SharedHandle::win32(handle, take_ownership);
  MemoryShare share = caller_share(type, std::move(shared), size, dedicated);
  return detail::import_caller_handle(share, [&](const MemoryShare& s) { return import(s, device); });
}

ExternalMemory ExternalMemory::import_win32_name(MemoryHandleType type, const std::u16string& name,
                                                 std::uint64_t size, bool dedicated, int device) {
  if (form_of(type) == HandleForm::KmtHandle) {
    throw InvalidArgument(std::string(to_string(type)) + ": KMT handles cannot be opened by name");
  }
  return import(caller_share(type, SharedHandle::name(name), size, dedicated), device);
}

ExternalMemory ExternalMemory::import_nvscibuf(void* object, std::uint64_t size, int device) {
  return import(caller_share(MemoryHandleType::NvSciBuf, SharedHandle::address(object), size, false),
                device);
}

DeviceSpan ExternalMemory::map_buffer(std::uint64_t offset, std::uint64_t size) const {
  const detail::ExternalMemoryState& state = live();
  const detail::ImportedMemory& memory = *state.memory;
  std::shared_ptr<const detail::BufferMapping> whole;
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    whole = state.whole;
  }
  if (!whole) {
    cudaExternalMemoryBufferDesc desc{};
    desc.offset = 0;
    desc.size = memory.size;
    void* pointer = nullptr;
    {
      DeviceGuard guard(memory.device);
      CUDA_INTEROP_CHECK(cudaExternalMemoryGetMappedBuffer(&pointer, memory.handle, &desc),
                         "the whole " + memory.describe());
    }
    auto made = std::make_shared<const detail::BufferMapping>(pointer, state.memory);
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.whole) state.whole = made;  // a racing first map lost: freed with `made`
    whole = state.whole;
  }
  return DeviceSpan(whole->pointer, memory.size, memory.device, whole).subspan(offset, size);
}

std::optional<ImageLayout> ExternalMemory::image() const { return live().image; }

bool ExternalMemory::mapped() const {
  const detail::ExternalMemoryState& state = live();
  std::lock_guard<std::mutex> lock(state.mutex);
  return state.whole != nullptr;
}

void ExternalMemory::close() noexcept { state_.reset(); }

const detail::ExternalMemoryState& ExternalMemory::live() const {
  if (!state_) throw ClosedError("ExternalMemory is closed");
  return *state_;
}

int ExternalMemory::device() const { return live().memory->device; }
std::uint64_t ExternalMemory::size() const { return live().memory->size; }
MemoryHandleType ExternalMemory::handle_type() const { return live().memory->type; }
bool ExternalMemory::dedicated() const { return live().memory->dedicated; }
void* ExternalMemory::native_handle() const { return live().memory->handle; }

}  // namespace cuda_interop
