# SPDX-License-Identifier: Apache-2.0
# Provides cuda_interop::cudart: CUDA runtime headers and the *static* runtime, so the package
# imports without a driver and every error appears at the first CUDA call.
# Order: a CUDA toolkit if one is found; else the nvidia-cuda-runtime and nvidia-cuda-crt wheels
# (build requirements), located through the Python that runs the build.
# CUDA_INTEROP_CUDA_HEADERS_ONLY: headers without a library (cross-compiling Windows sources).

option(CUDA_INTEROP_CUDA_FROM_WHEELS "Use the nvidia-cuda-runtime wheel even if a toolkit is found" OFF)
option(CUDA_INTEROP_CUDA_HEADERS_ONLY "Only CUDA headers (compile checks without linking)" OFF)
set(CUDA_INTEROP_CUDA_INCLUDE_DIR "" CACHE PATH "CUDA headers to use with CUDA_INTEROP_CUDA_HEADERS_ONLY")

add_library(cuda_interop_cudart INTERFACE)
add_library(cuda_interop::cudart ALIAS cuda_interop_cudart)

if(CUDA_INTEROP_CUDA_HEADERS_ONLY)
  target_include_directories(cuda_interop_cudart SYSTEM INTERFACE "${CUDA_INTEROP_CUDA_INCLUDE_DIR}")
  message(STATUS "cuda-interop: CUDA headers only, from ${CUDA_INTEROP_CUDA_INCLUDE_DIR}")
  return()
endif()

if(NOT CUDA_INTEROP_CUDA_FROM_WHEELS)
  find_package(CUDAToolkit QUIET)
endif()

if(CUDAToolkit_FOUND AND TARGET CUDA::cudart_static)
  target_link_libraries(cuda_interop_cudart INTERFACE CUDA::cudart_static)
  message(STATUS "cuda-interop: CUDA ${CUDAToolkit_VERSION} toolkit at ${CUDAToolkit_LIBRARY_ROOT}")
  return()
endif()

find_package(Python COMPONENTS Interpreter REQUIRED)
execute_process(
  COMMAND "${Python_EXECUTABLE}" -c
    "import nvidia, os; print(next(os.path.join(p, 'cu13') for p in nvidia.__path__ if os.path.isdir(os.path.join(p, 'cu13'))))"
  OUTPUT_VARIABLE _cuda_wheel_root OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE _cuda_wheel_status ERROR_QUIET)
if(NOT _cuda_wheel_status EQUAL 0 OR NOT EXISTS "${_cuda_wheel_root}/include/cuda_runtime_api.h")
  message(FATAL_ERROR
    "cuda-interop needs the CUDA runtime: install a CUDA toolkit, or build with pip so that the "
    "nvidia-cuda-runtime and nvidia-cuda-crt wheels (build requirements) are present.")
endif()
find_library(_cudart_static NAMES cudart_static PATHS "${_cuda_wheel_root}/lib" NO_DEFAULT_PATH REQUIRED)
target_include_directories(cuda_interop_cudart SYSTEM INTERFACE "${_cuda_wheel_root}/include")
target_link_libraries(cuda_interop_cudart INTERFACE "${_cudart_static}" ${CMAKE_DL_LIBS})
if(UNIX)
  find_package(Threads REQUIRED)
  target_link_libraries(cuda_interop_cudart INTERFACE Threads::Threads rt)
endif()
message(STATUS "cuda-interop: CUDA runtime from the wheel at ${_cuda_wheel_root}")
