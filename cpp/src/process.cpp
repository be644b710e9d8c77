// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/process.hpp"

#include <atomic>

#ifdef _WIN32
#include <process.h>
#else
#include <pthread.h>
#include <unistd.h>
#endif

namespace cuda_interop {
namespace {

ProcessId query() noexcept {
#ifdef _WIN32
  return static_cast<ProcessId>(_getpid());
#else
  return static_cast<ProcessId>(::getpid());
#endif
}

std::atomic<ProcessId>& cached() noexcept {
  static std::atomic<ProcessId> pid{0};
  return pid;
}

}  // namespace

ProcessId current_process() noexcept {
  ProcessId pid = cached().load(std::memory_order_relaxed);
  if (pid != 0) return pid;
#ifndef _WIN32
  static const int registered = ::pthread_atfork(nullptr, nullptr, [] { cached().store(0); });
  (void)registered;
#endif
  pid = query();
  cached().store(pid, std::memory_order_relaxed);
  return pid;
}

}  // namespace cuda_interop
