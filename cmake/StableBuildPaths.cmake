# SPDX-License-Identifier: Apache-2.0
# pip builds in an isolated environment at a new temporary path each time, so the include folders
# of build requirements (pybind11, the CUDA wheels) change between two `pip install .` runs: every
# compile command changes and the persistent build folder (build/{wheel_tag}) is rebuilt whole.
# These functions give such folders a stable place in the build tree, copying a file only when its
# contents differ (an unchanged header keeps its timestamp, so nothing is recompiled).

# cuda_interop_stable_copy(<source folder> <destination folder>)
function(cuda_interop_stable_copy source destination)
  file(GLOB_RECURSE _files RELATIVE "${source}" "${source}/*")
  foreach(_file IN LISTS _files)
    get_filename_component(_folder "${destination}/${_file}" DIRECTORY)
    file(MAKE_DIRECTORY "${_folder}")
    file(COPY_FILE "${source}/${_file}" "${destination}/${_file}" ONLY_IF_DIFFERENT)
  endforeach()
endfunction()

# cuda_interop_stable_path(<out_var> <path> <name>): <path> itself outside a pip build, else the
# copy of the folder <path> (or of the file <path>) at build/requirements/<name>.
function(cuda_interop_stable_path out_var path name)
  set(${out_var} "${path}" PARENT_SCOPE)
  if(NOT SKBUILD)
    return()
  endif()
  set(_copy "${CMAKE_BINARY_DIR}/requirements/${name}")
  if(IS_DIRECTORY "${path}")
    cuda_interop_stable_copy("${path}" "${_copy}")
  else()
    get_filename_component(_file "${path}" NAME)
    file(MAKE_DIRECTORY "${_copy}")
    file(COPY_FILE "${path}" "${_copy}/${_file}" ONLY_IF_DIFFERENT)
    set(_copy "${_copy}/${_file}")
  endif()
  set(${out_var} "${_copy}" PARENT_SCOPE)
endfunction()

# cuda_interop_stable_include_dirs(<imported target> <name>): the same for a target's include folders.
function(cuda_interop_stable_include_dirs target name)
  if(NOT SKBUILD)
    return()
  endif()
  get_target_property(_dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  set(_stable "")
  set(_index 0)
  foreach(_dir IN LISTS _dirs)
    cuda_interop_stable_path(_copy "${_dir}" "${name}/${_index}")
    list(APPEND _stable "${_copy}")
    math(EXPR _index "${_index} + 1")
  endforeach()
  set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_stable}")
endfunction()
