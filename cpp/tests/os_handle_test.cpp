// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/os_handle.hpp"

#include "cuda_interop/error.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <utility>

namespace cuda_interop {
namespace {

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    read = fds[0];
    write = fds[1];
  }
};

TEST(UniqueFd, ClosesOnDestruction) {
  Pipe pipe;
  { UniqueFd owner(pipe.read); }
  EXPECT_FALSE(fd_is_open(pipe.read));
  ::close(pipe.write);
}

TEST(UniqueFd, MoveTransfersAndReleaseGivesUp) {
  Pipe pipe;
  UniqueFd first(pipe.read);
  UniqueFd second(std::move(first));
  EXPECT_FALSE(first);
  EXPECT_EQ(second.get(), pipe.read);
  const int raw = second.release();
  EXPECT_FALSE(second);
  EXPECT_TRUE(fd_is_open(raw));
  ::close(raw);
  ::close(pipe.write);
}

TEST(UniqueFd, DuplicateIsANewDescriptorOfTheSameFile) {
  Pipe pipe;
  UniqueFd copy = UniqueFd::duplicate(pipe.read);
  EXPECT_NE(copy.get(), pipe.read);
  EXPECT_EQ(FileIdentity::of(copy.get()), FileIdentity::of(pipe.read));
  Pipe other;
  EXPECT_FALSE(FileIdentity::of(copy.get()) == FileIdentity::of(other.read));
  ::close(other.read);
  ::close(other.write);
  ::close(pipe.read);
  ::close(pipe.write);
}

TEST(UniqueFd, DuplicateOfAClosedFdThrowsOsError) {
  Pipe pipe;
  ::close(pipe.read);
  ::close(pipe.write);
  EXPECT_THROW(UniqueFd::duplicate(pipe.read), OsError);
}

TEST(FileIdentity, EmptyForClosedDescriptors) {
  EXPECT_EQ(FileIdentity::of(-1), FileIdentity{});
}

}  // namespace
}  // namespace cuda_interop
