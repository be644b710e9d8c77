# SPDX-License-Identifier: Apache-2.0
# Provides cuda_interop::cudart: CUDA runtime headers and the *static* runtime, so the package
# imports without a driver and every error appears at the first CUDA call.
#
# CUDA_INTEROP_CUDA_RUNTIME picks where they come from:
#   auto     (default) the CUDA 12 wheels if the Python running the build has them (a pip build
#            always has: they are build requirements), else a CUDA toolkit, else the CUDA 13 wheels
#   cu12     nvidia-cuda-runtime-cu12 (include/, lib/) + nvidia-cuda-nvcc-cu12 (include/crt/):
#            one binary for every driver since CUDA 12.0 (>= 525.60.13 Linux, >= 527.41 Windows)
#   toolkit  a CUDA toolkit (CUDAToolkit_ROOT, CUDA_PATH, nvcc on PATH, /usr/local/cuda)
#   cu13     nvidia-cuda-runtime + nvidia-cuda-crt 13.x (drivers >= 580)
# The wheels are looked up through the Python that runs the build (the virtual environment's when
# one is active), so a plain CMake build finds them where pip installed them (`pip install .[dev]`).
# CUDA_INTEROP_CUDA_HEADERS_ONLY: headers without a library (cross-compiling Windows sources).

set(CUDA_INTEROP_CUDA_RUNTIME "auto" CACHE STRING "Where the CUDA runtime comes from: auto, cu12, toolkit, cu13")
set_property(CACHE CUDA_INTEROP_CUDA_RUNTIME PROPERTY STRINGS auto cu12 toolkit cu13)
option(CUDA_INTEROP_CUDA_FROM_WHEELS "Use the nvidia-* wheels even if a toolkit is found (auto only)" OFF)
option(CUDA_INTEROP_CUDA_HEADERS_ONLY "Only CUDA headers (compile checks without linking)" OFF)
set(CUDA_INTEROP_CUDA_INCLUDE_DIR "" CACHE PATH "CUDA headers to use with CUDA_INTEROP_CUDA_HEADERS_ONLY")

include(StableBuildPaths)

add_library(cuda_interop_cudart INTERFACE)
add_library(cuda_interop::cudart ALIAS cuda_interop_cudart)

if(CUDA_INTEROP_CUDA_HEADERS_ONLY)
  target_include_directories(cuda_interop_cudart SYSTEM INTERFACE "${CUDA_INTEROP_CUDA_INCLUDE_DIR}")
  message(STATUS "cuda-interop: CUDA headers only, from ${CUDA_INTEROP_CUDA_INCLUDE_DIR}")
  return()
endif()

# _cuda_interop_wheel_dirs(<variant> <out_include_dirs> <out_library>): the include folders and
# the static runtime of the nvidia-* wheels of one variant (cu12 or cu13); empty where incomplete.
function(_cuda_interop_wheel_dirs variant out_includes out_library)
  set(${out_includes} "" PARENT_SCOPE)
  set(${out_library} "" PARENT_SCOPE)
  if(NOT Python_EXECUTABLE)
    find_package(Python COMPONENTS Interpreter QUIET)
    if(NOT Python_EXECUTABLE)
      return()
    endif()
    set(Python_EXECUTABLE "${Python_EXECUTABLE}" PARENT_SCOPE)
  endif()
  if(variant STREQUAL "cu12")
    set(_runtime "cuda_runtime")  # nvidia-cuda-runtime-cu12
    set(_crt "cuda_nvcc")         # nvidia-cuda-nvcc-cu12 carries include/crt in 12.x
  else()
    set(_runtime "cu13")          # nvidia-cuda-runtime 13.x
    set(_crt "cu13")              # nvidia-cuda-crt 13.x
  endif()
  execute_process(
    COMMAND "${Python_EXECUTABLE}" -c
      "import nvidia, os, sys\nfor p in nvidia.__path__:\n for d in sys.argv[1:]:\n  print(os.path.join(p, d, 'include').replace(os.sep, '/'))"
      "${_runtime}" "${_crt}"
    OUTPUT_VARIABLE _candidates OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _status ERROR_QUIET)
  if(NOT _status EQUAL 0)
    return()
  endif()
  string(REPLACE "\n" ";" _candidates "${_candidates}")
  set(_runtime_include "")
  set(_crt_include "")
  foreach(_dir IN LISTS _candidates)
    if(NOT _runtime_include AND EXISTS "${_dir}/cuda_runtime_api.h" AND _dir MATCHES "/${_runtime}/include$")
      set(_runtime_include "${_dir}")
    endif()
    if(NOT _crt_include AND EXISTS "${_dir}/crt/host_config.h")
      set(_crt_include "${_dir}")
    endif()
  endforeach()
  if(NOT _runtime_include OR NOT _crt_include)
    return()
  endif()
  get_filename_component(_root "${_runtime_include}" DIRECTORY)
  find_library(_cudart_static_${variant} NAMES cudart_static
    PATHS "${_root}/lib" PATH_SUFFIXES x64 NO_DEFAULT_PATH NO_CACHE)
  if(NOT _cudart_static_${variant})
    return()
  endif()
  set(_includes "${_runtime_include}" "${_crt_include}")
  list(REMOVE_DUPLICATES _includes)  # one folder in the CUDA 13 wheels
  set(${out_includes} "${_includes}" PARENT_SCOPE)
  set(${out_library} "${_cudart_static_${variant}}" PARENT_SCOPE)
endfunction()

set(_cuda_runtime_mode "${CUDA_INTEROP_CUDA_RUNTIME}")
if(NOT _cuda_runtime_mode MATCHES "^(auto|cu12|toolkit|cu13)$")
  message(FATAL_ERROR "CUDA_INTEROP_CUDA_RUNTIME must be auto, cu12, toolkit or cu13, not '${_cuda_runtime_mode}'")
endif()

set(_cuda_includes "")
set(_cudart_static "")
set(_cuda_source "")
if(_cuda_runtime_mode MATCHES "^(auto|cu12)$")
  _cuda_interop_wheel_dirs(cu12 _cuda_includes _cudart_static)
  if(_cudart_static)
    set(_cuda_source "the nvidia-cuda-runtime-cu12 wheel")
  elseif(_cuda_runtime_mode STREQUAL "cu12")
    message(FATAL_ERROR
      "CUDA_INTEROP_CUDA_RUNTIME=cu12: ${Python_EXECUTABLE} has no nvidia-cuda-runtime-cu12 and "
      "nvidia-cuda-nvcc-cu12 wheels (pip install 'nvidia-cuda-runtime-cu12==12.9.*' 'nvidia-cuda-nvcc-cu12==12.9.*')")
  endif()
endif()
if(NOT _cuda_source AND _cuda_runtime_mode MATCHES "^(auto|toolkit)$" AND NOT CUDA_INTEROP_CUDA_FROM_WHEELS)
  find_package(CUDAToolkit QUIET)
  if(CUDAToolkit_FOUND AND TARGET CUDA::cudart_static)
    set(_cuda_source "the CUDA ${CUDAToolkit_VERSION} toolkit at ${CUDAToolkit_LIBRARY_ROOT}")
    set(_cuda_includes "${CUDAToolkit_INCLUDE_DIRS}")
  elseif(_cuda_runtime_mode STREQUAL "toolkit")
    message(FATAL_ERROR "CUDA_INTEROP_CUDA_RUNTIME=toolkit: no CUDA toolkit found (set CUDAToolkit_ROOT)")
  endif()
endif()
if(NOT _cuda_source AND _cuda_runtime_mode MATCHES "^(auto|cu13)$")
  _cuda_interop_wheel_dirs(cu13 _cuda_includes _cudart_static)
  if(_cudart_static)
    set(_cuda_source "the nvidia-cuda-runtime 13 wheel")
  endif()
endif()
if(NOT _cuda_source)
  message(FATAL_ERROR
    "cuda-interop needs the CUDA runtime (headers and static library). Build with pip (the "
    "nvidia-cuda-runtime-cu12 and nvidia-cuda-nvcc-cu12 wheels are build requirements), install "
    "them into the Python that runs CMake (pip install '.[dev]'), or install a CUDA toolkit.")
endif()

if(TARGET CUDA::cudart_static AND _cuda_source MATCHES "toolkit")
  target_link_libraries(cuda_interop_cudart INTERFACE CUDA::cudart_static)
else()
  # Stable copies in a pip build (StableBuildPaths.cmake): rebuilds stay incremental.
  set(_stable_includes "")
  set(_index 0)
  foreach(_dir IN LISTS _cuda_includes)
    cuda_interop_stable_path(_copy "${_dir}" "cuda/include${_index}")
    list(APPEND _stable_includes "${_copy}")
    math(EXPR _index "${_index} + 1")
  endforeach()
  cuda_interop_stable_path(_cudart_static "${_cudart_static}" "cuda/lib")
  target_include_directories(cuda_interop_cudart SYSTEM INTERFACE ${_stable_includes})
  target_link_libraries(cuda_interop_cudart INTERFACE "${_cudart_static}" ${CMAKE_DL_LIBS})
  if(UNIX)
    find_package(Threads REQUIRED)
    target_link_libraries(cuda_interop_cudart INTERFACE Threads::Threads rt)
  endif()
endif()

# The runtime version (CUDART_VERSION) and the oldest driver it runs on (CUDA minor-version
# compatibility: every 12.x runtime runs on a 12.0 driver). The code reports the same at run time.
set(CUDA_INTEROP_CUDART_VERSION "")
foreach(_dir IN LISTS _cuda_includes)
  if(EXISTS "${_dir}/cuda_runtime_api.h")
    file(STRINGS "${_dir}/cuda_runtime_api.h" _line REGEX "^#define CUDART_VERSION +[0-9]+")
    string(REGEX REPLACE ".* ([0-9]+)$" "\\1" CUDA_INTEROP_CUDART_VERSION "${_line}")
    break()
  endif()
endforeach()
if(CUDA_INTEROP_CUDART_VERSION)
  math(EXPR _major "${CUDA_INTEROP_CUDART_VERSION} / 1000")
  math(EXPR _minor "${CUDA_INTEROP_CUDART_VERSION} % 1000 / 10")
  set(_driver_12 "525.60.13 (Linux), 527.41 (Windows)")
  set(_driver_13 "580.65.06 (Linux), 580.88 (Windows)")
  set(_driver "${_driver_${_major}}")
  if(NOT _driver)
    set(_driver "that of CUDA ${_major}.0")
  endif()
  message(STATUS "cuda-interop: CUDA runtime ${_major}.${_minor} (static) from ${_cuda_source}; minimum driver ${_driver}")
else()
  message(STATUS "cuda-interop: CUDA runtime (static) from ${_cuda_source}")
endif()
