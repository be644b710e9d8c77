# SPDX-License-Identifier: Apache-2.0
# cuda_interop_warnings(target): the project's warning flags, errors when asked.
function(cuda_interop_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${CUDA_INTEROP_WARNINGS_AS_ERRORS}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
      $<$<BOOL:${CUDA_INTEROP_WARNINGS_AS_ERRORS}>:-Werror>)
  endif()
endfunction()
