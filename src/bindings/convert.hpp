// SPDX-License-Identifier: Apache-2.0
#pragma once
// Conversions shared by the binding files: fixed-size byte arrays and signed Python integers.

#include <pybind11/pybind11.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "cuda_interop/arguments.hpp"

namespace cuda_interop::bindings {

/// `value` (bytes of exactly N) as an array; ValueError naming `what` otherwise.
template <std::size_t N>
std::array<std::uint8_t, N> to_array(const pybind11::bytes& value, const char* what) {
  const std::string data = value;
  if (data.size() != N) {
    throw pybind11::value_error(std::string(what) + " must be " + std::to_string(N) +
                                " bytes, got " + std::to_string(data.size()));
  }
  std::array<std::uint8_t, N> array{};
  std::copy(data.begin(), data.end(), array.begin());
  return array;
}

template <std::size_t N>
pybind11::bytes to_bytes(const std::array<std::uint8_t, N>& array) {
  return pybind11::bytes(reinterpret_cast<const char*>(array.data()), N);
}

}  // namespace cuda_interop::bindings
