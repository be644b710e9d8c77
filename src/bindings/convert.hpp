// SPDX-License-Identifier: Apache-2.0
#pragma once
// Conversions shared by the binding files: fixed-size byte arrays and signed Python integers.

#include <pybind11/pybind11.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
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

namespace detail {
/// `value` as a Python int (ints, numpy integers, ``__index__`` objects; not bool), or TypeError
/// "<name> must be an int, got <type>".
inline pybind11::int_ index_of(const pybind11::handle& value, const char* name) {
  if (!PyBool_Check(value.ptr())) {
    PyObject* index = PyNumber_Index(value.ptr());
    if (index != nullptr) return pybind11::reinterpret_steal<pybind11::int_>(index);
    PyErr_Clear();
  }
  throw pybind11::type_error(std::string(name) + " must be an int, got " +
                             Py_TYPE(value.ptr())->tp_name);
}
}  // namespace detail

/// An integer argument as a signed 64-bit value; TypeError or ValueError naming it. The Python
/// façades check integers through this too (`_core.integer`), so a wrong type or a value beyond
/// 64 bits reads alike wherever it is passed; ranges are the core's (arguments.hpp).
inline std::int64_t int64_argument(const pybind11::handle& value, const char* name) {
  const pybind11::int_ index = detail::index_of(value, name);
  int overflow = 0;
  const long long result = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow != 0) {
    throw pybind11::value_error(std::string(name) + " must fit in 64 bits (|" + name +
                                "| < 2**63), got " + std::string(pybind11::str(index)));
  }
  return result;
}

/// A semaphore value, fence value or key: an integer in [0, 2**64).
inline std::uint64_t uint64_argument(const pybind11::handle& value, const char* name) {
  const pybind11::int_ index = detail::index_of(value, name);
  const unsigned long long result = PyLong_AsUnsignedLongLong(index.ptr());
  if (PyErr_Occurred() != nullptr) {
    PyErr_Clear();
    throw pybind11::value_error(std::string(name) + " must be in [0, 2**64), got " +
                                std::string(pybind11::str(index)));
  }
  return result;
}

/// A flag argument: True or False (numpy bools too); TypeError naming it otherwise (pybind11's
/// own bool conversion takes None, 1.5 or any object with __bool__).
inline bool bool_argument(const pybind11::handle& value, const char* name) {
  if (PyBool_Check(value.ptr())) return value.ptr() == Py_True;
  const std::string type = Py_TYPE(value.ptr())->tp_name;
  if (type == "numpy.bool_" || type == "numpy.bool") return PyObject_IsTrue(value.ptr()) == 1;
  throw pybind11::type_error(std::string(name) + " must be a bool, got " + type);
}

/// An argument of class `T` (an enum or a bound class); TypeError naming it and `what` otherwise.
template <typename T>
T class_argument(const pybind11::handle& value, const char* name, const char* what) {
  if (!pybind11::isinstance<T>(value)) {
    throw pybind11::type_error(std::string(name) + " must be a " + what + ", got " +
                               Py_TYPE(value.ptr())->tp_name);
  }
  return value.cast<T>();
}

/// An optional bytes argument (None or bytes); TypeError naming it otherwise.
inline std::optional<pybind11::bytes> optional_bytes_argument(const pybind11::handle& value,
                                                              const char* name) {
  if (value.is_none()) return std::nullopt;
  if (!PyBytes_Check(value.ptr())) {
    throw pybind11::type_error(std::string(name) + " must be bytes or None, got " +
                               Py_TYPE(value.ptr())->tp_name);
  }
  return pybind11::reinterpret_borrow<pybind11::bytes>(value);
}

/// A Win32 name (str) as UTF-16; ValueError naming it when it cannot be one (a lone
/// surrogate), TypeError when it is not a str.
inline std::u16string name_argument(const pybind11::handle& value, const char* name) {
  if (!PyUnicode_Check(value.ptr())) {
    throw pybind11::type_error(std::string(name) + " must be a str, got " +
                               Py_TYPE(value.ptr())->tp_name);
  }
  PyObject* encoded = PyUnicode_AsEncodedString(value.ptr(), "utf-16-le", "strict");
  if (encoded == nullptr) {
    PyErr_Clear();
    throw pybind11::value_error(std::string(name) +
                                " is not valid Unicode text (it holds a lone surrogate)");
  }
  const auto bytes = pybind11::reinterpret_steal<pybind11::bytes>(encoded);
  const std::string data = bytes;
  std::u16string text(data.size() / 2, u'\0');
  for (std::size_t i = 0; i < text.size(); ++i) {
    text[i] = static_cast<char16_t>(static_cast<unsigned char>(data[2 * i]) |
                                    (static_cast<unsigned char>(data[2 * i + 1]) << 8));
  }
  return text;
}

template <std::size_t N>
pybind11::bytes to_bytes(const std::array<std::uint8_t, N>& array) {
  return pybind11::bytes(reinterpret_cast<const char*>(array.data()), N);
}

}  // namespace cuda_interop::bindings
