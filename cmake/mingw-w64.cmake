# SPDX-License-Identifier: Apache-2.0
# Cross-compiles the Windows sources with MinGW-w64 (Debian: g++-mingw-w64-x86-64-posix) and runs
# the resulting programs under Wine (scripts/wine-run), so ctest can drive Windows tests on Linux.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_mingw x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${_mingw}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_mingw}-g++-posix)
set(CMAKE_RC_COMPILER ${_mingw}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${_mingw})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Fully static executables (libgcc, libstdc++, winpthread): Wine then needs no MinGW DLLs.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# Each test program runs as `wine-run <prefix> program.exe args...`; the prefix lives in the
# build tree and is created on first use.
get_filename_component(_cuda_interop_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(CMAKE_CROSSCOMPILING_EMULATOR "${_cuda_interop_root}/scripts/wine-run;${CMAKE_BINARY_DIR}/wineprefix")
