# SPDX-License-Identifier: Apache-2.0
# GoogleTest, first found of:
#   1. an installed package (find_package(GTest));
#   2. sources in GTEST_SOURCE_DIR (default /usr/src/googletest: Debian's `googletest`);
#   3. sources that pip installed into the Python environment running CMake (`pip install .[dev]`
#      brings the `ros-gtest-vendor` wheel, GoogleTest 1.15.1, on Linux x86_64 with Python 3.11+).
# Where none is found the C++ tests are not built (CUDA_INTEROP_BUILD_TESTS is turned off for
# this configuration) and a warning says how to get GoogleTest; ctest then finds no tests.
set(GTEST_SOURCE_DIR "/usr/src/googletest" CACHE PATH "GoogleTest sources used when no package is found")
if(NOT CMAKE_CROSSCOMPILING)
  find_package(GTest QUIET)
endif()
if(NOT TARGET GTest::gtest_main)
  set(_gtest_sources "")
  if(EXISTS "${GTEST_SOURCE_DIR}/CMakeLists.txt")
    set(_gtest_sources "${GTEST_SOURCE_DIR}")
  elseif(NOT CMAKE_CROSSCOMPILING)
    if(NOT Python_EXECUTABLE)
      find_package(Python COMPONENTS Interpreter QUIET)
    endif()
    if(Python_EXECUTABLE)
      execute_process(COMMAND "${Python_EXECUTABLE}" -c "import sys; print(sys.prefix)"
        OUTPUT_VARIABLE _python_prefix OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(EXISTS "${_python_prefix}/src/gtest_vendor/src/gtest-all.cc")
        set(_gtest_sources "${_python_prefix}/src/gtest_vendor")
      endif()
    endif()
  endif()
  if(NOT _gtest_sources)
    message(WARNING
      "cuda-interop: GoogleTest not found, so the C++ tests are not built. Install it "
      "(Debian: apt install googletest; or pip install '.[dev]' on Linux x86_64 with Python 3.11+) "
      "or set GTEST_SOURCE_DIR to its sources.")
    set(CUDA_INTEROP_BUILD_TESTS OFF)
    return()
  endif()
  message(STATUS "cuda-interop: GoogleTest from the sources at ${_gtest_sources}")
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(gtest_force_shared_crt ON CACHE BOOL "" FORCE)
  set(CMAKE_POLICY_VERSION_MINIMUM 3.10)  # the sources' cmake_minimum_required may be older
  add_subdirectory("${_gtest_sources}" "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
  unset(CMAKE_POLICY_VERSION_MINIMUM)
  if(NOT TARGET GTest::gtest_main)  # older GoogleTest sources define no namespaced targets
    add_library(GTest::gtest ALIAS gtest)
    add_library(GTest::gtest_main ALIAS gtest_main)
  endif()
  # The ros-gtest-vendor copy sets its include folders for its own directory only.
  if(EXISTS "${_gtest_sources}/include/gtest/gtest.h")
    target_include_directories(gtest SYSTEM PUBLIC "${_gtest_sources}/include")
    target_link_libraries(gtest_main PUBLIC gtest)
  endif()
endif()
include(GoogleTest)
