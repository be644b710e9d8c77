// SPDX-License-Identifier: Apache-2.0
#pragma once
// Registration of the _vulkan binding areas, and the conversion of semaphore lists.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "cuda_interop/vulkan/semaphore.hpp"
#include "cuda_interop/vulkan/transfer.hpp"

namespace cuda_interop::vulkan::bindings {

void init_context(pybind11::module_& m);
void init_buffer(pybind11::module_& m);
void init_image(pybind11::module_& m);
void init_semaphore(pybind11::module_& m);
void init_transfer(pybind11::module_& m);

/// (semaphore, value) pairs as Python passes them.
using SemaphoreValues = std::vector<std::pair<const Semaphore*, std::uint64_t>>;

/// A wait limit in seconds (None: no limit) as nanoseconds; ValueError when negative or NaN.
inline std::uint64_t timeout_ns(const std::optional<double>& seconds) {
  if (!seconds) return UINT64_MAX;
  if (!(*seconds >= 0)) throw pybind11::value_error("timeout must be >= 0 seconds (or None)");
  if (*seconds >= 1.8e10) return UINT64_MAX;  // beyond 570 years: no limit
  return static_cast<std::uint64_t>(*seconds * 1e9);
}

/// The SubmitSync for lists of (semaphore, value); the Python objects outlive the call.
inline SubmitSync make_sync(const SemaphoreValues& waits, const SemaphoreValues& signals,
                            bool block, const std::optional<double>& timeout = std::nullopt) {
  SubmitSync sync;
  for (const auto& [semaphore, value] : waits) sync.waits.push_back({semaphore, value});
  for (const auto& [semaphore, value] : signals) sync.signals.push_back({semaphore, value});
  sync.block = block;
  sync.timeout_ns = timeout_ns(timeout);
  return sync;
}

}  // namespace cuda_interop::vulkan::bindings
