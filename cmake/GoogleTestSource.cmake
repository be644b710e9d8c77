# SPDX-License-Identifier: Apache-2.0
# GoogleTest: an installed package, else its sources (Debian's `googletest` puts them in
# /usr/src/googletest; GTEST_SOURCE_DIR points elsewhere, e.g. at an unpacked package).
set(GTEST_SOURCE_DIR "/usr/src/googletest" CACHE PATH "GoogleTest sources used when no package is found")
if(NOT CMAKE_CROSSCOMPILING)
  find_package(GTest QUIET)
endif()
if(NOT TARGET GTest::gtest_main)
  if(NOT EXISTS "${GTEST_SOURCE_DIR}/CMakeLists.txt")
    message(FATAL_ERROR "GoogleTest not found: install googletest (Debian) or set GTEST_SOURCE_DIR")
  endif()
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(gtest_force_shared_crt ON CACHE BOOL "" FORCE)
  add_subdirectory("${GTEST_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
  if(NOT TARGET GTest::gtest_main)  # older GoogleTest sources define no namespaced targets
    add_library(GTest::gtest ALIAS gtest)
    add_library(GTest::gtest_main ALIAS gtest_main)
  endif()
endif()
include(GoogleTest)
