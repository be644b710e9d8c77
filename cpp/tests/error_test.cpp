// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/error.hpp"

#include <gtest/gtest.h>

#include "cuda_interop/device.hpp"

#include <cerrno>
#include <string>

namespace cuda_interop {
namespace {

TEST(CudaError, MessageNamesCallErrorAndDetail) {
  const CudaError error(1, "cudaErrorInvalidValue", "invalid argument", "cudaImportExternalMemory",
                        "size 0");
  EXPECT_STREQ(error.what(),
               "cudaImportExternalMemory failed: cudaErrorInvalidValue (invalid argument); size 0");
  EXPECT_EQ(error.code(), 1);
  EXPECT_EQ(error.name(), "cudaErrorInvalidValue");
  EXPECT_EQ(error.call(), "cudaImportExternalMemory");
}

// Without an NVIDIA driver the runtime says cudaErrorInsufficientDriver, as for a driver that is
// too old; the core says what is true: there is no driver.
TEST(NoDriver, CudaCallsSayNoDriverWasFound) {
  if (driver_version() != 0) GTEST_SKIP() << "an NVIDIA driver is installed";
  try {
    (void)device_count();
    FAIL() << "device_count() returned without a driver";
  } catch (const NotSupported& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind("cudaGetDeviceCount failed: no NVIDIA driver was found", 0), 0u)
        << message;
    EXPECT_NE(message.find(minimum_driver_version()), std::string::npos) << message;
    EXPECT_EQ(message.find("nsufficient"), std::string::npos) << message;
  }
  EXPECT_THROW((void)Device::get(0), NotSupported);
}

TEST(OsError, CarriesErrno) {
  errno = EBADF;
  try {
    throw_errno("fcntl");
    FAIL() << "throw_errno returned";
  } catch (const OsError& error) {
    EXPECT_EQ(error.code(), EBADF);
    EXPECT_NE(std::string(error.what()).find("fcntl failed"), std::string::npos);
  }
}

TEST(Warnings, GoToTheInstalledHandlerAndNeverThrow) {
  std::string seen;
  set_warning_handler([&](const std::string& message) { seen = message; });
  warn("teardown failed");
  EXPECT_EQ(seen, "teardown failed");
  set_warning_handler([](const std::string&) { throw std::runtime_error("handler broke"); });
  EXPECT_NO_THROW(warn("still no throw"));
  set_warning_handler(nullptr);
}

}  // namespace
}  // namespace cuda_interop
