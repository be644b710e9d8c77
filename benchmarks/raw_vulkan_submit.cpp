// SPDX-License-Identifier: Apache-2.0
// The raw C++ baseline of the submission benchmark: the Vulkan calls that the package's
// Context.submit() makes, made directly, timed the same way (median of per-call host times after
// a warm-up). A submission signals a reused timeline semaphore to the next value; the blocking
// form then waits for it on the host (vkWaitSemaphores). No fence, no allocation per call.
//
// Usage: raw_vulkan_submit [--uuid HEX32] [--warmup N] [--iterations N] [--interop]
// Prints "submit <median µs>" (non-blocking), "submit_wait <median µs>" (blocking), and for
// reference "submit_wait_sliced" (the wait with a 50 ms timeout instead of none) and
// "counter_read" (vkGetSemaphoreCounterValue).

#define VK_NO_PROTOTYPES
#include <dlfcn.h>
#include <vulkan/vulkan.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double micros(Clock::time_point begin, Clock::time_point end) {
  return std::chrono::duration<double, std::micro>(end - begin).count();
}

double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const std::size_t middle = samples.size() / 2;
  return samples.size() % 2 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2;
}

[[noreturn]] void fail(const char* what, VkResult result = VK_SUCCESS) {
  std::fprintf(stderr, "error: %s (VkResult %d)\n", what, static_cast<int>(result));
  std::exit(1);
}

void check(VkResult result, const char* call) {
  if (result != VK_SUCCESS) fail(call, result);
}

std::string hex(const std::uint8_t* bytes, std::size_t size) {
  std::string text;
  char digit[3];
  for (std::size_t i = 0; i < size; ++i) {
    std::snprintf(digit, sizeof digit, "%02x", bytes[i]);
    text += digit;
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  std::string uuid;
  int warmup = 50, iterations = 1000;
  bool interop = false;
  const char* const usage =
      "usage: raw_vulkan_submit [--uuid HEX32] [--warmup N] [--iterations N] [--interop]";
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name == "--interop") {
      interop = true;
      continue;
    }
    if (i + 1 == argc) fail(usage);
    ++i;
    if (name == "--uuid") uuid = argv[i];
    else if (name == "--warmup") warmup = std::atoi(argv[i]);
    else if (name == "--iterations") iterations = std::atoi(argv[i]);
    else fail(usage);
  }
  if (iterations < 1) fail("--iterations must be >= 1");

  void* loader = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
  if (loader == nullptr) fail("cannot open libvulkan.so.1");
  const auto get_instance_proc =
      reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(loader, "vkGetInstanceProcAddr"));
#define INSTANCE_FN(name) const auto name = reinterpret_cast<PFN_##name>(get_instance_proc(instance, #name))
  VkInstance instance = VK_NULL_HANDLE;
  INSTANCE_FN(vkCreateInstance);
  VkApplicationInfo app{};
  app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  app.apiVersion = VK_API_VERSION_1_2;
  VkInstanceCreateInfo instance_info{};
  instance_info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  instance_info.pApplicationInfo = &app;
  check(vkCreateInstance(&instance_info, nullptr, &instance), "vkCreateInstance");
  INSTANCE_FN(vkEnumeratePhysicalDevices);
  INSTANCE_FN(vkGetPhysicalDeviceProperties2);
  INSTANCE_FN(vkGetPhysicalDeviceQueueFamilyProperties);
  INSTANCE_FN(vkCreateDevice);
  INSTANCE_FN(vkGetDeviceProcAddr);
  INSTANCE_FN(vkDestroyInstance);

  std::uint32_t count = 0;
  check(vkEnumeratePhysicalDevices(instance, &count, nullptr), "vkEnumeratePhysicalDevices");
  std::vector<VkPhysicalDevice> physical(count);
  check(vkEnumeratePhysicalDevices(instance, &count, physical.data()), "vkEnumeratePhysicalDevices");
  VkPhysicalDevice chosen = VK_NULL_HANDLE;
  for (VkPhysicalDevice candidate : physical) {
    VkPhysicalDeviceIDProperties id{};
    id.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES;
    VkPhysicalDeviceProperties2 properties{};
    properties.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
    properties.pNext = &id;
    vkGetPhysicalDeviceProperties2(candidate, &properties);
    if (uuid.empty() || hex(id.deviceUUID, VK_UUID_SIZE) == uuid) {
      chosen = candidate;
      break;
    }
  }
  if (chosen == VK_NULL_HANDLE) fail("no Vulkan device has the given UUID");

  std::uint32_t families = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(chosen, &families, nullptr);
  std::vector<VkQueueFamilyProperties> family_properties(families);
  vkGetPhysicalDeviceQueueFamilyProperties(chosen, &families, family_properties.data());
  std::uint32_t family = 0;
  while (family < families && (family_properties[family].queueFlags & VK_QUEUE_GRAPHICS_BIT) == 0) {
    ++family;
  }
  if (family == families) fail("no graphics queue");
  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue_info{};
  queue_info.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  queue_info.queueFamilyIndex = family;
  queue_info.queueCount = 1;
  queue_info.pQueuePriorities = &priority;
  VkPhysicalDeviceTimelineSemaphoreFeatures timeline_feature{};
  timeline_feature.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES;
  timeline_feature.timelineSemaphore = VK_TRUE;
  VkDeviceCreateInfo device_info{};
  device_info.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  device_info.pNext = &timeline_feature;
  device_info.queueCreateInfoCount = 1;
  device_info.pQueueCreateInfos = &queue_info;
  // --interop: the device an interop application creates, with the extensions that export
  // memory and semaphores to CUDA enabled (as the package's context enables them).
  const char* const interop_extensions[] = {"VK_KHR_external_memory_fd",
                                            "VK_KHR_external_semaphore_fd"};
  if (interop) {
    device_info.enabledExtensionCount = 2;
    device_info.ppEnabledExtensionNames = interop_extensions;
  }
  VkDevice device = VK_NULL_HANDLE;
  check(vkCreateDevice(chosen, &device_info, nullptr, &device), "vkCreateDevice");
#define DEVICE_FN(name) const auto name = reinterpret_cast<PFN_##name>(vkGetDeviceProcAddr(device, #name))
  DEVICE_FN(vkGetDeviceQueue);
  DEVICE_FN(vkCreateSemaphore);
  DEVICE_FN(vkQueueSubmit);
  DEVICE_FN(vkWaitSemaphores);
  DEVICE_FN(vkGetSemaphoreCounterValue);
  DEVICE_FN(vkDeviceWaitIdle);
  DEVICE_FN(vkDestroySemaphore);
  DEVICE_FN(vkDestroyDevice);
  VkQueue queue = VK_NULL_HANDLE;
  vkGetDeviceQueue(device, family, 0, &queue);
  VkSemaphoreTypeCreateInfo type{};
  type.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO;
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  VkSemaphoreCreateInfo semaphore_info{};
  semaphore_info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO;
  semaphore_info.pNext = &type;
  VkSemaphore progress = VK_NULL_HANDLE;
  check(vkCreateSemaphore(device, &semaphore_info, nullptr, &progress), "vkCreateSemaphore");

  std::uint64_t value = 0;
  const auto submit = [&](bool wait, std::uint64_t timeout = UINT64_MAX) {
    const std::uint64_t next = ++value;
    VkTimelineSemaphoreSubmitInfo timeline{};
    timeline.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO;
    timeline.signalSemaphoreValueCount = 1;
    timeline.pSignalSemaphoreValues = &next;
    VkSubmitInfo info{};
    info.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
    info.pNext = &timeline;
    info.signalSemaphoreCount = 1;
    info.pSignalSemaphores = &progress;
    check(vkQueueSubmit(queue, 1, &info, VK_NULL_HANDLE), "vkQueueSubmit");
    if (!wait) return;
    VkSemaphoreWaitInfo wait_info{};
    wait_info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO;
    wait_info.semaphoreCount = 1;
    wait_info.pSemaphores = &progress;
    wait_info.pValues = &next;
    check(vkWaitSemaphores(device, &wait_info, timeout), "vkWaitSemaphores");
  };

  const auto measure = [&](const char* name, const auto& call) {
    std::vector<double> samples;
    for (int i = 0; i < warmup + iterations; ++i) {
      const auto begin = Clock::now();
      call();
      const auto end = Clock::now();
      if (i >= warmup) samples.push_back(micros(begin, end));
    }
    check(vkDeviceWaitIdle(device), "vkDeviceWaitIdle");
    std::printf("%s %.3f\n", name, median(samples));
  };
  measure("submit", [&] { submit(false); });
  measure("submit_wait", [&] { submit(true); });
  measure("submit_wait_sliced", [&] { submit(true, 50'000'000); });
  measure("counter_read", [&] {
    std::uint64_t now = 0;
    check(vkGetSemaphoreCounterValue(device, progress, &now), "vkGetSemaphoreCounterValue");
  });
  vkDestroySemaphore(device, progress, nullptr);
  vkDestroyDevice(device, nullptr);
  vkDestroyInstance(instance, nullptr);
  return 0;
}
