// SPDX-License-Identifier: Apache-2.0
// The package's C++ core making the submissions of the submission benchmark (what
// Context.submit() calls beneath Python), timed as raw_vulkan_submit times the raw Vulkan calls:
// median of per-call host times after a warm-up. Separates the core's cost from the Python call.
//
// Usage: core_vulkan_submit [--uuid HEX32] [--warmup N] [--iterations N]
// Prints "submit <median µs>" (non-blocking) and "submit_wait <median µs>" (blocking).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "cuda_interop/vulkan/context.hpp"
#include "cuda_interop/vulkan/transfer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const std::size_t middle = samples.size() / 2;
  return samples.size() % 2 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2;
}

cuda_interop::Uuid parse_uuid(const std::string& text) {
  cuda_interop::Uuid uuid{};
  if (text.size() != 2 * uuid.size()) throw std::invalid_argument("--uuid takes 32 hex digits");
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    uuid[i] = static_cast<std::uint8_t>(std::stoul(text.substr(2 * i, 2), nullptr, 16));
  }
  return uuid;
}

}  // namespace

int main(int argc, char** argv) try {
  namespace vk = cuda_interop::vulkan;
  vk::ContextOptions options;
  int warmup = 50, iterations = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    if (name == "--uuid") options.device_uuid = parse_uuid(argv[i + 1]);
    else if (name == "--warmup") warmup = std::atoi(argv[i + 1]);
    else if (name == "--iterations") iterations = std::atoi(argv[i + 1]);
    else throw std::invalid_argument("usage: core_vulkan_submit [--uuid HEX32] [--warmup N] "
                                     "[--iterations N]");
  }
  if (iterations < 1) throw std::invalid_argument("--iterations must be >= 1");
  if (!options.device_uuid) options.physical_device_index = 0;
  vk::Context context(options);

  const auto measure = [&](const char* name, bool block) {
    vk::SubmitSync sync;
    sync.block = block;
    std::vector<double> samples;
    for (int i = 0; i < warmup + iterations; ++i) {
      const auto begin = Clock::now();
      vk::submit(context, sync);
      const auto end = Clock::now();
      if (i >= warmup) {
        samples.push_back(std::chrono::duration<double, std::micro>(end - begin).count());
      }
    }
    context.wait_idle();
    std::printf("%s %.3f\n", name, median(samples));
  };
  measure("submit", false);
  measure("submit_wait", true);
  return 0;
} catch (const std::exception& error) {
  std::fprintf(stderr, "error: %s\n", error.what());
  return 1;
}
