# SPDX-License-Identifier: Apache-2.0
# Vulkan headers only (no library): the loader is opened at run time.
option(CUDA_INTEROP_WITH_VULKAN "Build the Vulkan producer when its headers are found" ON)
if(NOT CUDA_INTEROP_WITH_VULKAN)
  set(CUDA_INTEROP_HAVE_VULKAN OFF)
  return()
endif()
# VULKAN_HEADERS_ROOT may point at an unpacked libvulkan-dev (its usr/include).
find_path(CUDA_INTEROP_VULKAN_INCLUDE_DIR vulkan/vulkan.h
  HINTS "${VULKAN_HEADERS_ROOT}" "${VULKAN_HEADERS_ROOT}/include" "${VULKAN_HEADERS_ROOT}/usr/include"
        ENV VULKAN_SDK PATH_SUFFIXES include)
if(CUDA_INTEROP_VULKAN_INCLUDE_DIR)
  set(CUDA_INTEROP_HAVE_VULKAN ON)
  message(STATUS "cuda-interop: Vulkan headers at ${CUDA_INTEROP_VULKAN_INCLUDE_DIR}")
else()
  set(CUDA_INTEROP_HAVE_VULKAN OFF)
  message(STATUS "cuda-interop: no Vulkan headers; cuda_interop.vulkan will not be built")
endif()
