// SPDX-License-Identifier: Apache-2.0
// Arguments the core rejects before any CUDA call: these run without a GPU or driver.
#include <gtest/gtest.h>
#include <unistd.h>
#ifdef __linux__
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#endif

#include <string>

#include "cuda_interop/arguments.hpp"
#include "cuda_interop/device_span.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/external_memory.hpp"
#include "cuda_interop/external_semaphore.hpp"
#include "cuda_interop/mipmapped_array.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop {
namespace {

TEST(ImportValidation, RejectsNegativeFdAndZeroSize) {
  EXPECT_THROW(ExternalMemory::import_fd(-1, 4096, false, -1, false), InvalidArgument);
  EXPECT_THROW(ExternalMemory::import_fd(0, 0, false, -1, false), InvalidArgument);
  EXPECT_THROW(ExternalSemaphore::import_fd(SemaphoreHandleType::OpaqueFd, -1, -1, false),
               InvalidArgument);
}

TEST(ImportValidation, RejectsAClosedFd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_THROW(ExternalMemory::import_fd(fds[0], 4096, false, -1, false), InvalidArgument);
}

TEST(ImportValidation, WindowsHandleTypesAreNotSupportedHere) {
  int dummy = 0;
  EXPECT_THROW(ExternalMemory::import_win32_handle(MemoryHandleType::D3D12Heap, &dummy, 4096,
                                                   false, -1, false),
               NotSupported);
  EXPECT_THROW(ExternalMemory::import_win32_name(MemoryHandleType::D3D12Resource, u"frame", 4096,
                                                 true, -1),
               NotSupported);
  EXPECT_THROW(ExternalSemaphore::import_win32_handle(SemaphoreHandleType::D3D12Fence, &dummy, -1,
                                                      false),
               NotSupported);
}

TEST(ImportValidation, CommittedResourcesMustBeDedicated) {
  int dummy = 0;
  EXPECT_THROW(ExternalMemory::import_win32_handle(MemoryHandleType::D3D12Resource, &dummy, 4096,
                                                   false, -1, false),
               InvalidArgument);
}

TEST(ImportValidation, KmtHandlesAreNeverTakenOrNamed) {
  int dummy = 0;
  EXPECT_THROW(ExternalMemory::import_win32_handle(MemoryHandleType::OpaqueWin32Kmt, &dummy, 4096,
                                                   false, -1, true),
               InvalidArgument);
  EXPECT_THROW(ExternalMemory::import_win32_name(MemoryHandleType::D3D11ResourceKmt, u"x", 4096,
                                                 true, -1),
               InvalidArgument);
}

TEST(ImportValidation, NamesAreBoundedAndNonEmpty) {
  const std::u16string too_long(max_win32_name_length + 1, u'a');
  EXPECT_THROW(ExternalMemory::import_win32_name(MemoryHandleType::D3D12Heap, too_long, 4096,
                                                 false, -1),
               InvalidArgument);
  EXPECT_THROW(ExternalMemory::import_win32_name(MemoryHandleType::D3D12Heap, u"", 4096, false, -1),
               InvalidArgument);
}

TEST(ClosedObjects, RaiseClosedError) {
  ExternalMemory memory;
  EXPECT_TRUE(memory.closed());
  EXPECT_THROW(memory.map_buffer(0, 16), ClosedError);
  EXPECT_THROW((void)memory.size(), ClosedError);
  memory.close();  // idempotent
  DeviceSpan buffer;
  EXPECT_THROW((void)buffer.data(), ClosedError);
  ExternalSemaphore semaphore;
  EXPECT_THROW(semaphore.signal(1, 0), ClosedError);
}

TEST(ShareDescriptors, AreValidatedBeforeCudaSeesThem) {
  MemoryShare share;
  share.type = MemoryHandleType::OpaqueFd;
  share.size = 4096;
  EXPECT_THROW(share.validate(), ClosedError);  // no handle
  share.handle = SharedHandle::fd(0, false);      // stdin, borrowed
  EXPECT_NO_THROW(share.validate());
  share.size = 0;
  EXPECT_THROW(share.validate(), InvalidArgument);
  share.size = 4096;
  share.image = ImageLayout{{ChannelKind::Unsigned, 8, 4}, {16, 16, 0}, 0, 0, 0};
  EXPECT_THROW(share.validate(), InvalidArgument);  // 0 levels would corrupt CUDA's heap
  share.image->levels = 1;
  share.image->offset = 4096;
  EXPECT_THROW(share.validate(), InvalidArgument);  // outside the allocation
  share.image->offset = 3072;
  EXPECT_NO_THROW(share.validate());  // 16x16 RGBA8: 1,024 bytes fit the last 1,024 exactly
  share.image->offset = 3073;
  EXPECT_THROW(share.validate(), InvalidArgument);  // one byte short
  share.image->offset = 0;
  share.image->extent = {16384, 16384, 0};
  EXPECT_THROW(share.validate(), InvalidArgument);  // 1 GiB of texels in 4 KiB
  share.image->extent = {std::uint64_t{1} << 62, std::uint64_t{1} << 62, 0};
  EXPECT_EQ(share.image->texel_bytes(), ~std::uint64_t{0});  // saturates, never wraps
  EXPECT_THROW(share.validate(), InvalidArgument);
  share.image->extent = {16, 16, 0};
  share.type = MemoryHandleType::D3D12Resource;
  EXPECT_THROW(share.validate(), InvalidArgument);  // not dedicated, and an fd
  share.type = static_cast<MemoryHandleType>(99);
  EXPECT_THROW(share.validate(), InvalidArgument);
}

#ifdef __linux__
TEST(ShareDescriptors, RefuseFdsThatCanNeverBeShares) {
  const int memfd = ::memfd_create("validation", MFD_CLOEXEC);  // what lavapipe exports
  const int event = ::eventfd(0, EFD_CLOEXEC);
  const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(memfd, 0);
  ASSERT_GE(event, 0);
  ASSERT_GE(null, 0);
  EXPECT_EQ(fd_never_share(memfd), "");
  EXPECT_EQ(fd_never_share(event), "an eventfd");
  EXPECT_EQ(fd_never_share(null), "/dev/null, a character device");
  EXPECT_THROW(SharedHandle::from_integer(HandleForm::Fd, event, false), InvalidArgument);
  EXPECT_THROW(SharedHandle::from_integer(HandleForm::Fd, null, false), InvalidArgument);
  EXPECT_NO_THROW(SharedHandle::from_integer(HandleForm::Fd, memfd, false));
  for (const int fd : {memfd, event, null}) ::close(fd);
}
#endif

TEST(ShareDescriptors, OwnedHandlesCloseOnceAndBorrowedOnesNever) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  {
    SharedHandle borrowed = SharedHandle::fd(pipe_fds[0], false);
  }
  EXPECT_TRUE(fd_is_open(pipe_fds[0]));
  {
    SharedHandle owned = SharedHandle::fd(pipe_fds[0], true);
    SharedHandle moved = std::move(owned);
    EXPECT_EQ(owned.kind(), SharedHandle::Kind::Empty);
  }
  EXPECT_FALSE(fd_is_open(pipe_fds[0]));
  SharedHandle released = SharedHandle::fd(pipe_fds[1], true);
  EXPECT_EQ(released.release(), pipe_fds[1]);
  EXPECT_TRUE(fd_is_open(pipe_fds[1]));
  ::close(pipe_fds[1]);
  EXPECT_THROW(SharedHandle::fd(-1, true), InvalidArgument);
  EXPECT_THROW(SharedHandle::fd(pipe_fds[1], true), InvalidArgument);  // closed: never owned
  EXPECT_THROW(SharedHandle::from_integer(HandleForm::Fd, pipe_fds[1], true), InvalidArgument);
  EXPECT_THROW(SharedHandle::from_name(HandleForm::Fd, u"x"), InvalidArgument);
}

TEST(SemaphoreBatch, RejectsEmptyAndMissingSemaphores) {
  EXPECT_THROW(SemaphoreBatch::signal({}, 0), InvalidArgument);
  EXPECT_THROW(SemaphoreBatch::signal({{nullptr, 1, std::nullopt}}, 0), InvalidArgument);
  EXPECT_THROW(SemaphoreBatch::wait({{nullptr, 1, std::nullopt}}, 0), InvalidArgument);
}

TEST(ArrayFormatValidation, AcceptsWhatCudaArraysHold) {
  EXPECT_NO_THROW((ArrayFormat{ChannelKind::Float, 32, 4}.validate()));
  EXPECT_NO_THROW((ArrayFormat{ChannelKind::Unsigned, 8, 1}.validate()));
  EXPECT_THROW((ArrayFormat{ChannelKind::Float, 8, 1}.validate()), InvalidArgument);
  EXPECT_THROW((ArrayFormat{ChannelKind::Signed, 16, 3}.validate()), InvalidArgument);
  EXPECT_THROW((ArrayFormat{ChannelKind::Unsigned, 64, 1}.validate()), InvalidArgument);
}

TEST(MipLevels, CountsHalvingsOfTheLargestDimension) {
  EXPECT_EQ(max_mip_levels({1, 0, 0}, 0), 1u);
  EXPECT_EQ(max_mip_levels({256, 256, 0}, 0), 9u);
  EXPECT_EQ(max_mip_levels({300, 20, 0}, 0), 9u);
  EXPECT_EQ(max_mip_levels({16, 16, 64}, 0), 7u);               // 3D: depth counts
  EXPECT_EQ(max_mip_levels({16, 16, 64}, array_layered), 5u);  // layers do not
}

/// The message of the InvalidArgument `call` throws, or "" when it throws none.
template <typename Call>
std::string refusal(Call call) {
  try {
    call();
  } catch (const InvalidArgument& error) {
    return error.what();
  }
  return "";
}

TEST(Arguments, UnsignedChecksReadLikeTheSignedOnes) {
  EXPECT_EQ(refusal([] { nonzero(0, "size"); }), refusal([] { positive(0, "size"); }));
  EXPECT_EQ(refusal([] { nonzero(0, "size"); }), "size must be > 0, got 0");
  EXPECT_EQ(nonzero(7, "size"), 7u);
  EXPECT_EQ(refusal([] { within(0, 1, 16384, "width"); }), "width must be within 1..16384, got 0");
  EXPECT_EQ(refusal([] { within(16385, 1, 16384, "width"); }),
            "width must be within 1..16384, got 16385");
  EXPECT_EQ(within(16384, 1, 16384, "width"), 16384u);
  EXPECT_EQ(refusal([] { aligned(100, 65536, "offset"); }),
            "offset must be a multiple of 65536, got 100");
  EXPECT_EQ(aligned(131072, 65536, "offset"), 131072u);
}

TEST(Arguments, RoundingUpNeverWraps) {
  EXPECT_EQ(round_up(1, 65536, "size"), 65536u);
  EXPECT_EQ(round_up(65536, 65536, "size"), 65536u);
  EXPECT_EQ(round_up(UINT64_MAX - 65535, 65536, "size"), UINT64_MAX - 65535);
  EXPECT_EQ(refusal([] { round_up(UINT64_MAX - 65534, 65536, "size"); }),
            "size must be <= " + std::to_string(UINT64_MAX - 65535) + ", got " +
                std::to_string(UINT64_MAX - 65534));
}

TEST(Arguments, RangesLieInsideTheirMemory) {
  EXPECT_EQ(refusal([] { check_range(0, 4096, 4096, "view"); }), "");
  EXPECT_EQ(refusal([] { check_range(4096, 0, 4096, "view"); }), "");
  EXPECT_EQ(refusal([] { check_range(4000, 97, 4096, "view"); }),
            "view: offset 4000 + size 97 exceeds 4096 bytes");
  EXPECT_EQ(refusal([] { check_range(UINT64_MAX, 2, 4096, "view"); }),
            "view: offset " + std::to_string(UINT64_MAX) + " + size 2 exceeds 4096 bytes");
}

}  // namespace
}  // namespace cuda_interop
