// SPDX-License-Identifier: Apache-2.0
// The raw C++ baseline of the overhead benchmark: the CUDA runtime calls cuda_interop makes,
// made directly, timed the same way (median of per-call host times after a warm-up).
//
// The parent (cuda_interop's bench) passes open file descriptors: a cuMem allocation exported
// as a file descriptor, and optionally a Vulkan timeline semaphore. Every import gets its own
// dup() of the descriptor (made outside the timed region), since a successful import takes
// ownership of the descriptor it is given.
//
// Usage: raw_overhead --memory-fd FD --size BYTES [--semaphore-fd FD] [--device N]
//                     [--warmup N] [--iterations N]
// Prints one "<operation> <median microseconds>" line per operation: import, map, free,
// destroy, and signal_wait when a semaphore was given. Errors go to stderr, exit status 1.

#include <cuda_runtime_api.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int memory_fd = -1;
  unsigned long long size = 0;
  int semaphore_fd = -1;
  int device = 0;
  int warmup = 30;
  int iterations = 500;
};

double micros(Clock::time_point begin, Clock::time_point end) {
  return std::chrono::duration<double, std::micro>(end - begin).count();
}

double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const std::size_t middle = samples.size() / 2;
  return samples.size() % 2 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2;
}

bool ok(cudaError_t status, const char* call) {
  if (status == cudaSuccess) return true;
  std::fprintf(stderr, "error: %s failed: %s (%d)\n", call, cudaGetErrorString(status),
               static_cast<int>(status));
  return false;
}

bool parse_number(const char* text, unsigned long long& value) {
  char* end = nullptr;
  value = std::strtoull(text, &end, 10);
  return end != text && *end == '\0';
}

bool parse(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    unsigned long long value = 0;
    if (!parse_number(argv[i + 1], value)) {
      std::fprintf(stderr, "error: %s needs a non-negative integer, got %s\n", name.c_str(),
                   argv[i + 1]);
      return false;
    }
    if (name == "--memory-fd") options.memory_fd = static_cast<int>(value);
    else if (name == "--size") options.size = value;
    else if (name == "--semaphore-fd") options.semaphore_fd = static_cast<int>(value);
    else if (name == "--device") options.device = static_cast<int>(value);
    else if (name == "--warmup") options.warmup = static_cast<int>(value);
    else if (name == "--iterations") options.iterations = static_cast<int>(value);
    else {
      std::fprintf(stderr, "error: unknown option %s\n", name.c_str());
      return false;
    }
  }
  if (argc % 2 == 0 || options.memory_fd < 0 || options.size == 0 || options.iterations < 1) {
    std::fprintf(stderr,
                 "usage: raw_overhead --memory-fd FD --size BYTES [--semaphore-fd FD] "
                 "[--device N] [--warmup N] [--iterations N]\n");
    return false;
  }
  return true;
}

struct MemorySamples {
  std::vector<double> import, map, free, destroy;
};

// One import → map → cudaFree → destroy cycle; appends the four times when `record`.
bool memory_cycle(const Options& options, bool record, MemorySamples& samples) {
  const int fd = dup(options.memory_fd);
  if (fd < 0) {
    std::perror("error: dup");
    return false;
  }
  const auto t0 = Clock::now();
  cudaExternalMemoryHandleDesc handle_desc;
  std::memset(&handle_desc, 0, sizeof handle_desc);
  handle_desc.type = cudaExternalMemoryHandleTypeOpaqueFd;
  handle_desc.handle.fd = fd;
  handle_desc.size = options.size;
  cudaExternalMemory_t memory = nullptr;
  const cudaError_t imported = cudaImportExternalMemory(&memory, &handle_desc);
  const auto t1 = Clock::now();
  if (!ok(imported, "cudaImportExternalMemory")) {
    close(fd);  // a failed import leaves the descriptor with us
    return false;
  }
  cudaExternalMemoryBufferDesc buffer_desc;
  std::memset(&buffer_desc, 0, sizeof buffer_desc);
  buffer_desc.offset = 0;
  buffer_desc.size = options.size;
  void* pointer = nullptr;
  const cudaError_t mapped = cudaExternalMemoryGetMappedBuffer(&pointer, memory, &buffer_desc);
  const auto t2 = Clock::now();
  if (!ok(mapped, "cudaExternalMemoryGetMappedBuffer")) {
    cudaDestroyExternalMemory(memory);
    return false;
  }
  const cudaError_t freed = cudaFree(pointer);
  const auto t3 = Clock::now();
  const cudaError_t destroyed = cudaDestroyExternalMemory(memory);
  const auto t4 = Clock::now();
  if (!ok(freed, "cudaFree") || !ok(destroyed, "cudaDestroyExternalMemory")) return false;
  if (record) {
    samples.import.push_back(micros(t0, t1));
    samples.map.push_back(micros(t1, t2));
    samples.free.push_back(micros(t2, t3));
    samples.destroy.push_back(micros(t3, t4));
  }
  return true;
}

bool measure_memory(const Options& options) {
  MemorySamples samples;
  for (int i = 0; i < options.warmup + options.iterations; ++i) {
    if (!memory_cycle(options, i >= options.warmup, samples)) return false;
  }
  std::printf("import %.3f\nmap %.3f\nfree %.3f\ndestroy %.3f\n", median(samples.import),
              median(samples.map), median(samples.free), median(samples.destroy));
  return true;
}

// Signal then wait for the same timeline value on the legacy default stream; the stream is
// drained outside the timed region, as the Python measurements do.
bool measure_semaphore(const Options& options) {
  const int fd = dup(options.semaphore_fd);
  if (fd < 0) {
    std::perror("error: dup");
    return false;
  }
  cudaExternalSemaphoreHandleDesc handle_desc;
  std::memset(&handle_desc, 0, sizeof handle_desc);
  handle_desc.type = cudaExternalSemaphoreHandleTypeTimelineSemaphoreFd;
  handle_desc.handle.fd = fd;
  cudaExternalSemaphore_t semaphore = nullptr;
  if (!ok(cudaImportExternalSemaphore(&semaphore, &handle_desc), "cudaImportExternalSemaphore")) {
    close(fd);
    return false;
  }
  std::vector<double> samples;
  bool good = true;
  for (int i = 0; good && i < options.warmup + options.iterations; ++i) {
    const unsigned long long value = static_cast<unsigned long long>(i) + 1;
    const auto t0 = Clock::now();
    cudaExternalSemaphoreSignalParams signal_params;
    std::memset(&signal_params, 0, sizeof signal_params);
    signal_params.params.fence.value = value;
    const cudaError_t signalled = cudaSignalExternalSemaphoresAsync(&semaphore, &signal_params,
                                                                    1, nullptr);
    cudaExternalSemaphoreWaitParams wait_params;
    std::memset(&wait_params, 0, sizeof wait_params);
    wait_params.params.fence.value = value;
    const cudaError_t waited = cudaWaitExternalSemaphoresAsync(&semaphore, &wait_params, 1,
                                                               nullptr);
    const auto t1 = Clock::now();
    good = ok(signalled, "cudaSignalExternalSemaphoresAsync") &&
           ok(waited, "cudaWaitExternalSemaphoresAsync") &&
           ok(cudaStreamSynchronize(nullptr), "cudaStreamSynchronize");
    if (good && i >= options.warmup) samples.push_back(micros(t0, t1));
  }
  cudaStreamSynchronize(nullptr);  // nothing may wait on the semaphore once it is destroyed
  good = ok(cudaDestroyExternalSemaphore(semaphore), "cudaDestroyExternalSemaphore") && good;
  if (good) std::printf("signal_wait %.3f\n", median(samples));
  return good;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) return 2;
  if (!ok(cudaSetDevice(options.device), "cudaSetDevice") || !ok(cudaFree(nullptr), "cudaFree"))
    return 1;  // cudaFree(nullptr) creates the context outside the timed region
  if (!measure_memory(options)) return 1;
  if (options.semaphore_fd >= 0 && !measure_semaphore(options)) return 1;
  return 0;
}
