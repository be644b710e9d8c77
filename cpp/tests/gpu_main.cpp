// SPDX-License-Identifier: Apache-2.0
// Entry point of the GPU suite: exits 77 (ctest's "skipped") where no CUDA GPU is usable.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"

int main(int argc, char** argv) {
  bool listing = false;  // test discovery lists tests without a GPU
  for (int i = 1; i < argc; ++i) listing |= std::strcmp(argv[i], "--gtest_list_tests") == 0;
  testing::InitGoogleTest(&argc, argv);
  if (!listing) {
    try {
      if (cuda_interop::device_count() == 0) {
        std::puts("SKIPPED: no CUDA device");
        return 77;
      }
    } catch (const cuda_interop::Error& error) {  // CudaError, or NotSupported without a driver
      std::printf("SKIPPED: no usable CUDA GPU: %s\n", error.what());
      return 77;
    }
  }
  return RUN_ALL_TESTS();
}
