# SPDX-License-Identifier: Apache-2.0
# CUDA_INTEROP_SANITIZE: build every target of the project (core, base, producers, tests, GoogleTest,
# extension modules) with sanitizers. A list of -fsanitize= values, e.g. "address;undefined" or
# "address,undefined"; ON means address,undefined; OFF or empty (the default) means none.
# UB is fatal (-fno-sanitize-recover), so a test run fails on the first report.
# GCC and Clang only. Extension modules built this way need the sanitizer runtimes preloaded into
# Python (see scripts/sanitize-check).
set(CUDA_INTEROP_SANITIZE "" CACHE STRING
  "Sanitizers for every target, e.g. address,undefined (ON: address,undefined; empty: none)")

if(CUDA_INTEROP_SANITIZE)
  if(MSVC)
    message(FATAL_ERROR "CUDA_INTEROP_SANITIZE: GCC or Clang only")
  endif()
  string(TOUPPER "${CUDA_INTEROP_SANITIZE}" _sanitize_upper)
  if(_sanitize_upper MATCHES "^(ON|TRUE|YES|1)$")
    set(_sanitize "address,undefined")
  else()
    string(REPLACE ";" "," _sanitize "${CUDA_INTEROP_SANITIZE}")
  endif()
  set(_sanitize_flags -fsanitize=${_sanitize} -fno-omit-frame-pointer)
  if(_sanitize MATCHES "undefined")
    list(APPEND _sanitize_flags -fno-sanitize-recover=undefined)
  endif()
  # Directory scope, before any target is made: reaches every target below, GoogleTest included
  # (a sanitized test linked against an unsanitized GoogleTest can report false container overflows).
  add_compile_options(${_sanitize_flags})
  add_link_options(${_sanitize_flags})
  message(STATUS "cuda-interop: sanitizers ${_sanitize}")
endif()
