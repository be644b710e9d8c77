// SPDX-License-Identifier: Apache-2.0
// The raw C++ baseline of the pipelined frame loop: the structure of vulkan.FrameRing, written
// directly against Vulkan and the CUDA runtime. A ring of 3 exportable Vulkan buffers imported
// into CUDA, two timeline semaphores (ready, released) imported too. Per hand-off n the Vulkan
// queue copies rendered frames into the next slot (waiting for released >= n - 3, signalling
// ready = n; command buffers recorded once per slot), and CUDA waits for ready = n on its stream
// once the host sees it reached, copies the slot out and signals released = n. The producer
// runs one hand-off ahead.
//
// Batched (--batch K,...): each slot holds K frames back to back; one Vulkan copy of K rendered
// frames fills it and one cudaMemcpyAsync of K frames empties it (what the Python batched ring
// bench does), one wait and one signal each way per K frames.
//
// Ping-pong (--ping-pong N): the hand-off floor with no work at all. Per round i an empty Vulkan
// submission waits for CUDA's timeline >= i - 1 and signals Vulkan's = i; the CUDA stream waits
// for Vulkan's >= i and signals CUDA's = i. No host wait inside the loop.
//
// Output, one line each:
//   without --batch:  "<bytes> <µs per frame>"                for each size
//   with --batch:     "<bytes> <K> <µs per frame>"            for each size and K
//   with --ping-pong: "ping-pong <µs per round trip>"         first
//
// Usage: raw_vulkan_pipeline [--uuid HEX32] [--frames N] [--batch K,...] [--ping-pong N] BYTES...

#define VK_NO_PROTOTYPES
#include <cuda_runtime_api.h>
#include <dlfcn.h>
#include <vulkan/vulkan.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

[[noreturn]] void fail(const char* what, long code = 0) {
  std::fprintf(stderr, "error: %s (%ld)\n", what, code);
  std::exit(1);
}
void vk(VkResult result, const char* call) {
  if (result != VK_SUCCESS) fail(call, result);
}
void cu(cudaError_t status, const char* call) {
  if (status != cudaSuccess) fail(call, status);
}

constexpr int slots = 3;

/// A zeroed Vulkan structure of `type`, chained to `next`.
template <typename T>
T make(VkStructureType type, const void* next = nullptr) {
  T value{};
  value.sType = type;
  value.pNext = const_cast<void*>(next);
  return value;
}

struct Vk {
  PFN_vkGetInstanceProcAddr gipa = nullptr;
  VkInstance instance = VK_NULL_HANDLE;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  VkDevice device = VK_NULL_HANDLE;
  VkQueue queue = VK_NULL_HANDLE;
  std::uint32_t family = 0;
  PFN_vkGetDeviceProcAddr gdpa = nullptr;
  template <typename F>
  F fn(const char* name) const {
    auto f = reinterpret_cast<F>(device ? gdpa(device, name) : gipa(instance, name));
    if (f == nullptr) fail(name);
    return f;
  }
};

std::string hex(const std::uint8_t* bytes, std::size_t size) {
  std::string text;
  char digit[3];
  for (std::size_t i = 0; i < size; ++i) {
    std::snprintf(digit, sizeof digit, "%02x", bytes[i]);
    text += digit;
  }
  return text;
}

Vk open_device(const std::string& uuid) {
  Vk v;
  void* loader = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
  if (loader == nullptr) fail("cannot open libvulkan.so.1");
  v.gipa = reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(loader, "vkGetInstanceProcAddr"));
  auto app = make<VkApplicationInfo>(VK_STRUCTURE_TYPE_APPLICATION_INFO);
  app.apiVersion = VK_API_VERSION_1_2;
  auto info = make<VkInstanceCreateInfo>(VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
  info.pApplicationInfo = &app;
  vk(v.fn<PFN_vkCreateInstance>("vkCreateInstance")(&info, nullptr, &v.instance), "vkCreateInstance");
  std::uint32_t count = 0;
  const auto enumerate = v.fn<PFN_vkEnumeratePhysicalDevices>("vkEnumeratePhysicalDevices");
  vk(enumerate(v.instance, &count, nullptr), "vkEnumeratePhysicalDevices");
  std::vector<VkPhysicalDevice> devices(count);
  vk(enumerate(v.instance, &count, devices.data()), "vkEnumeratePhysicalDevices");
  const auto properties2 = v.fn<PFN_vkGetPhysicalDeviceProperties2>("vkGetPhysicalDeviceProperties2");
  for (VkPhysicalDevice candidate : devices) {
    auto id = make<VkPhysicalDeviceIDProperties>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES);
    auto props = make<VkPhysicalDeviceProperties2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &id);
    properties2(candidate, &props);
    if (uuid.empty() || hex(id.deviceUUID, VK_UUID_SIZE) == uuid) {
      v.physical = candidate;
      break;
    }
  }
  if (v.physical == VK_NULL_HANDLE) fail("no Vulkan device has the given UUID");
  const float priority = 1.0f;
  auto queue = make<VkDeviceQueueCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO);
  queue.queueFamilyIndex = 0;  // graphics on NVIDIA
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  const char* extensions[] = {"VK_KHR_external_memory_fd", "VK_KHR_external_semaphore_fd"};
  auto timeline = make<VkPhysicalDeviceTimelineSemaphoreFeatures>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES);
  timeline.timelineSemaphore = VK_TRUE;
  auto device = make<VkDeviceCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, &timeline);
  device.queueCreateInfoCount = 1;
  device.pQueueCreateInfos = &queue;
  device.enabledExtensionCount = 2;
  device.ppEnabledExtensionNames = extensions;
  vk(v.fn<PFN_vkCreateDevice>("vkCreateDevice")(v.physical, &device, nullptr, &v.device),
     "vkCreateDevice");
  v.gdpa = reinterpret_cast<PFN_vkGetDeviceProcAddr>(v.gipa(v.instance, "vkGetDeviceProcAddr"));
  v.fn<PFN_vkGetDeviceQueue>("vkGetDeviceQueue")(v.device, 0, 0, &v.queue);
  return v;
}

struct SharedBuffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  cudaExternalMemory_t imported = nullptr;
  void* cuda = nullptr;
};

SharedBuffer make_buffer(const Vk& v, std::uint64_t size, bool exported) {
  SharedBuffer b;
  auto external = make<VkExternalMemoryBufferCreateInfo>(VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO);
  external.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  auto info = make<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, exported ? &external : nullptr);
  info.size = size;
  info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  vk(v.fn<PFN_vkCreateBuffer>("vkCreateBuffer")(v.device, &info, nullptr, &b.buffer), "vkCreateBuffer");
  VkMemoryRequirements requirements{};
  v.fn<PFN_vkGetBufferMemoryRequirements>("vkGetBufferMemoryRequirements")(v.device, b.buffer,
                                                                           &requirements);
  VkPhysicalDeviceMemoryProperties memory{};
  reinterpret_cast<PFN_vkGetPhysicalDeviceMemoryProperties>(
      v.gipa(v.instance, "vkGetPhysicalDeviceMemoryProperties"))(v.physical, &memory);
  std::uint32_t type = 0;
  while (type < memory.memoryTypeCount &&
         !((requirements.memoryTypeBits >> type) & 1u &&
           (memory.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT))) {
    ++type;
  }
  auto dedicated = make<VkMemoryDedicatedAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO);
  dedicated.buffer = b.buffer;
  auto export_info = make<VkExportMemoryAllocateInfo>(VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO, &dedicated);
  export_info.handleTypes = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  auto allocate = make<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, exported ? static_cast<const void*>(&export_info) : &dedicated);
  allocate.allocationSize = requirements.size;
  allocate.memoryTypeIndex = type;
  vk(v.fn<PFN_vkAllocateMemory>("vkAllocateMemory")(v.device, &allocate, nullptr, &b.memory),
     "vkAllocateMemory");
  vk(v.fn<PFN_vkBindBufferMemory>("vkBindBufferMemory")(v.device, b.buffer, b.memory, 0),
     "vkBindBufferMemory");
  if (!exported) return b;
  auto get = make<VkMemoryGetFdInfoKHR>(VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR);
  get.memory = b.memory;
  get.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  int fd = -1;
  vk(v.fn<PFN_vkGetMemoryFdKHR>("vkGetMemoryFdKHR")(v.device, &get, &fd), "vkGetMemoryFdKHR");
  cudaExternalMemoryHandleDesc desc{};
  desc.type = cudaExternalMemoryHandleTypeOpaqueFd;
  desc.handle.fd = fd;
  desc.size = requirements.size;
  desc.flags = cudaExternalMemoryDedicated;
  cu(cudaImportExternalMemory(&b.imported, &desc), "cudaImportExternalMemory");
  cudaExternalMemoryBufferDesc map{};
  map.size = requirements.size;
  cu(cudaExternalMemoryGetMappedBuffer(&b.cuda, b.imported, &map), "cudaExternalMemoryGetMappedBuffer");
  return b;
}

struct Timeline {
  VkSemaphore semaphore = VK_NULL_HANDLE;
  cudaExternalSemaphore_t cuda = nullptr;
};

Timeline make_timeline(const Vk& v) {
  Timeline t;
  auto type = make<VkSemaphoreTypeCreateInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO);
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  auto export_info = make<VkExportSemaphoreCreateInfo>(VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO, &type);
  export_info.handleTypes = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;
  auto info = make<VkSemaphoreCreateInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO, &export_info);
  vk(v.fn<PFN_vkCreateSemaphore>("vkCreateSemaphore")(v.device, &info, nullptr, &t.semaphore),
     "vkCreateSemaphore");
  auto get = make<VkSemaphoreGetFdInfoKHR>(VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR);
  get.semaphore = t.semaphore;
  get.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;
  int fd = -1;
  vk(v.fn<PFN_vkGetSemaphoreFdKHR>("vkGetSemaphoreFdKHR")(v.device, &get, &fd), "vkGetSemaphoreFdKHR");
  cudaExternalSemaphoreHandleDesc desc{};
  desc.type = cudaExternalSemaphoreHandleTypeTimelineSemaphoreFd;
  desc.handle.fd = fd;
  cu(cudaImportExternalSemaphore(&t.cuda, &desc), "cudaImportExternalSemaphore");
  return t;
}

void destroy_buffer(const Vk& v, SharedBuffer& b) {
  if (b.cuda != nullptr) cu(cudaFree(b.cuda), "cudaFree");
  if (b.imported != nullptr) cu(cudaDestroyExternalMemory(b.imported), "cudaDestroyExternalMemory");
  v.fn<PFN_vkDestroyBuffer>("vkDestroyBuffer")(v.device, b.buffer, nullptr);
  v.fn<PFN_vkFreeMemory>("vkFreeMemory")(v.device, b.memory, nullptr);
  b = SharedBuffer{};
}

void destroy_timeline(const Vk& v, Timeline& t) {
  cu(cudaDestroyExternalSemaphore(t.cuda), "cudaDestroyExternalSemaphore");
  v.fn<PFN_vkDestroySemaphore>("vkDestroySemaphore")(v.device, t.semaphore, nullptr);
  t = Timeline{};
}

/// The median of three timed runs of `loop(count)` after one warm-up run, in µs per `unit`.
template <typename Loop>
double median_us(Loop&& loop, int count, double units) {
  loop(std::max(count / 5, 2));  // warm-up
  std::vector<double> runs;
  for (int r = 0; r < 3; ++r) {
    const auto start = std::chrono::steady_clock::now();
    loop(count);
    runs.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() -
                                                              start).count() / units);
  }
  std::sort(runs.begin(), runs.end());
  return runs[1];
}

/// µs per frame of `handoffs` hand-offs of `batch` frames of `size` bytes each.
double run(const Vk& v, std::uint64_t size, std::uint64_t batch, int handoffs) {
  const auto submit = v.fn<PFN_vkQueueSubmit>("vkQueueSubmit");
  const auto counter = v.fn<PFN_vkGetSemaphoreCounterValue>("vkGetSemaphoreCounterValue");
  const auto wait_semaphores = v.fn<PFN_vkWaitSemaphores>("vkWaitSemaphores");
  const std::uint64_t bytes = size * batch;  // one slot: `batch` frames back to back
  SharedBuffer rendered = make_buffer(v, bytes, false);  // `batch` rendered frames
  std::array<SharedBuffer, slots> ring;
  for (auto& slot : ring) slot = make_buffer(v, bytes, true);
  Timeline ready = make_timeline(v), released = make_timeline(v);
  void* out = nullptr;
  cu(cudaMalloc(&out, bytes), "cudaMalloc");
  cudaStream_t stream = nullptr;
  cu(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");

  auto pool_info = make<VkCommandPoolCreateInfo>(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
  pool_info.queueFamilyIndex = v.family;
  VkCommandPool pool = VK_NULL_HANDLE;
  vk(v.fn<PFN_vkCreateCommandPool>("vkCreateCommandPool")(v.device, &pool_info, nullptr, &pool),
     "vkCreateCommandPool");
  std::array<VkCommandBuffer, slots> commands{};
  auto allocate = make<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
  allocate.commandPool = pool;
  allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  allocate.commandBufferCount = slots;
  vk(v.fn<PFN_vkAllocateCommandBuffers>("vkAllocateCommandBuffers")(v.device, &allocate,
                                                                    commands.data()),
     "vkAllocateCommandBuffers");
  for (int i = 0; i < slots; ++i) {  // recorded once: the same copy every time the slot comes up
    auto begin = make<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
    vk(v.fn<PFN_vkBeginCommandBuffer>("vkBeginCommandBuffer")(commands[i], &begin),
       "vkBeginCommandBuffer");
    const VkBufferCopy region{0, 0, bytes};  // all `batch` frames in one copy
    v.fn<PFN_vkCmdCopyBuffer>("vkCmdCopyBuffer")(commands[i], rendered.buffer, ring[i].buffer, 1,
                                                 &region);
    vk(v.fn<PFN_vkEndCommandBuffer>("vkEndCommandBuffer")(commands[i]), "vkEndCommandBuffer");
  }

  const auto produce = [&](std::uint64_t n) {
    const std::uint64_t reuse = n > slots ? n - slots : 0;
    const VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
    auto values = make<VkTimelineSemaphoreSubmitInfo>(VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO);
    values.waitSemaphoreValueCount = 1;
    values.pWaitSemaphoreValues = &reuse;
    values.signalSemaphoreValueCount = 1;
    values.pSignalSemaphoreValues = &n;
    auto info = make<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO, &values);
    info.waitSemaphoreCount = 1;
    info.pWaitSemaphores = &released.semaphore;
    info.pWaitDstStageMask = &stage;
    info.commandBufferCount = 1;
    info.pCommandBuffers = &commands[(n - 1) % slots];
    info.signalSemaphoreCount = 1;
    info.pSignalSemaphores = &ready.semaphore;
    vk(submit(v.queue, 1, &info, VK_NULL_HANDLE), "vkQueueSubmit");
  };
  const auto consume = [&](std::uint64_t n) {
    std::uint64_t now = 0;
    vk(counter(v.device, ready.semaphore, &now), "vkGetSemaphoreCounterValue");
    if (now < n) {  // enqueue CUDA's wait only once the value is reached, as FrameRing does
      auto wait = make<VkSemaphoreWaitInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO);
      wait.semaphoreCount = 1;
      wait.pSemaphores = &ready.semaphore;
      wait.pValues = &n;
      vk(wait_semaphores(v.device, &wait, UINT64_MAX), "vkWaitSemaphores");
    }
    cudaExternalSemaphoreWaitParams wait_params{};
    wait_params.params.fence.value = n;
    cu(cudaWaitExternalSemaphoresAsync(&ready.cuda, &wait_params, 1, stream), "cudaWait");
    cu(cudaMemcpyAsync(out, ring[(n - 1) % slots].cuda, bytes, cudaMemcpyDeviceToDevice, stream),
       "cudaMemcpyAsync");
    cudaExternalSemaphoreSignalParams signal_params{};
    signal_params.params.fence.value = n;
    cu(cudaSignalExternalSemaphoresAsync(&released.cuda, &signal_params, 1, stream), "cudaSignal");
  };

  std::uint64_t handoff = 0;
  const auto loop = [&](int count) {
    produce(++handoff);
    for (int i = 0; i < count; ++i) {
      produce(handoff + 1);
      consume(handoff);
      ++handoff;
    }
    consume(handoff);
    cu(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  };
  const double us = median_us(loop, handoffs, static_cast<double>(handoffs) * batch);
  vk(v.fn<PFN_vkQueueWaitIdle>("vkQueueWaitIdle")(v.queue), "vkQueueWaitIdle");
  cu(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  // Free what this size made, so that many sizes and batches fit one process.
  v.fn<PFN_vkDestroyCommandPool>("vkDestroyCommandPool")(v.device, pool, nullptr);
  cu(cudaStreamDestroy(stream), "cudaStreamDestroy");
  cu(cudaFree(out), "cudaFree");
  destroy_timeline(v, ready);
  destroy_timeline(v, released);
  for (auto& slot : ring) destroy_buffer(v, slot);
  destroy_buffer(v, rendered);
  return us;
}

/// µs per round trip of an empty Vulkan -> CUDA -> Vulkan timeline ping-pong, `rounds` rounds.
double ping_pong(const Vk& v, int rounds) {
  const auto submit = v.fn<PFN_vkQueueSubmit>("vkQueueSubmit");
  Timeline vulkan_done = make_timeline(v), cuda_done = make_timeline(v);
  cudaStream_t stream = nullptr;
  cu(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
  std::uint64_t round = 0;
  const auto loop = [&](int count) {
    for (int i = 0; i < count; ++i) {
      ++round;
      const std::uint64_t previous = round - 1;
      const VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
      auto values = make<VkTimelineSemaphoreSubmitInfo>(VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO);
      values.waitSemaphoreValueCount = 1;
      values.pWaitSemaphoreValues = &previous;
      values.signalSemaphoreValueCount = 1;
      values.pSignalSemaphoreValues = &round;
      auto info = make<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO, &values);
      info.waitSemaphoreCount = 1;
      info.pWaitSemaphores = &cuda_done.semaphore;
      info.pWaitDstStageMask = &stage;
      info.signalSemaphoreCount = 1;
      info.pSignalSemaphores = &vulkan_done.semaphore;  // no command buffers: no work at all
      vk(submit(v.queue, 1, &info, VK_NULL_HANDLE), "vkQueueSubmit");
      cudaExternalSemaphoreWaitParams wait_params{};
      wait_params.params.fence.value = round;
      cu(cudaWaitExternalSemaphoresAsync(&vulkan_done.cuda, &wait_params, 1, stream), "cudaWait");
      cudaExternalSemaphoreSignalParams signal_params{};
      signal_params.params.fence.value = round;
      cu(cudaSignalExternalSemaphoresAsync(&cuda_done.cuda, &signal_params, 1, stream),
         "cudaSignal");
    }
    cu(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  };
  const double us = median_us(loop, rounds, rounds);
  vk(v.fn<PFN_vkQueueWaitIdle>("vkQueueWaitIdle")(v.queue), "vkQueueWaitIdle");
  cu(cudaStreamDestroy(stream), "cudaStreamDestroy");
  destroy_timeline(v, vulkan_done);
  destroy_timeline(v, cuda_done);
  return us;
}

/// "1,2,4" -> {1, 2, 4}; a zero, negative or malformed entry fails.
std::vector<int> parse_list(const std::string& text) {
  std::vector<int> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const int value = std::atoi(text.substr(start, comma - start).c_str());
    if (value < 1) fail("--batch takes positive integers separated by commas");
    values.push_back(value);
    start = comma + 1;
  }
  return values;
}

// The Python bench runs the same number of frames per timed run at every batch size, with at
// least this many hand-offs (_bench/frame_batches.py: MIN_HANDOFFS).
constexpr int min_handoffs = 24;

}  // namespace

int main(int argc, char** argv) {
  std::string uuid;
  int frames = 500;
  int rounds = 0;
  std::vector<int> batches;
  std::vector<std::uint64_t> sizes;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--uuid" && i + 1 < argc) uuid = argv[++i];
    else if (arg == "--frames" && i + 1 < argc) frames = std::atoi(argv[++i]);
    else if (arg == "--batch" && i + 1 < argc) batches = parse_list(argv[++i]);
    else if (arg == "--ping-pong" && i + 1 < argc) rounds = std::atoi(argv[++i]);
    else sizes.push_back(std::strtoull(argv[i], nullptr, 10));
  }
  if ((sizes.empty() && rounds <= 0) || frames < 5 || rounds < 0 ||
      std::find(sizes.begin(), sizes.end(), 0) != sizes.end()) {
    fail("usage: raw_vulkan_pipeline [--uuid HEX32] [--frames N] [--batch K,...] "
         "[--ping-pong N] BYTES...");
  }
  cu(cudaFree(nullptr), "cudaFree");
  const Vk v = open_device(uuid);
  if (rounds > 0) std::printf("ping-pong %.3f\n", ping_pong(v, rounds));
  for (std::uint64_t size : sizes) {
    if (batches.empty()) {  // the one-frame table: `frames` hand-offs of one frame
      std::printf("%llu %.3f\n", static_cast<unsigned long long>(size), run(v, size, 1, frames));
    }
    for (int batch : batches) {
      const int handoffs = std::max(frames / batch, min_handoffs);
      std::printf("%llu %d %.3f\n", static_cast<unsigned long long>(size), batch,
                  run(v, size, static_cast<std::uint64_t>(batch), handoffs));
      std::fflush(stdout);
    }
  }
  return 0;
}
