// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/frame_schedule.hpp"

#include <gtest/gtest.h>

#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

TEST(FrameSchedule, WritesWaitForTheSlotsPreviousHandOff) {
  FrameSchedule schedule(3, 1, 64);
  for (std::uint64_t n = 1; n <= 7; ++n) {
    const FrameWrite write = schedule.begin_write();
    EXPECT_EQ(write.number, n);
    EXPECT_EQ(write.slot, (n - 1) % 3);
    EXPECT_EQ(write.wait_released, n > 3 ? n - 3 : 0);
    EXPECT_EQ(write.signal_ready, n);
  }
  EXPECT_EQ(schedule.written(), 7u);
  EXPECT_EQ(schedule.next_write_waits_for(), 5u);
}

TEST(FrameSchedule, ReadsRepeatUntilReleasedAndReleaseNeedsARead) {
  FrameSchedule schedule(2, 4, 16);
  EXPECT_THROW(schedule.release(), InvalidArgument);
  FrameRead first = schedule.begin_read();
  EXPECT_EQ(first.number, 1u);
  EXPECT_FALSE(first.again);
  FrameRead again = schedule.begin_read();
  EXPECT_EQ(again.number, 1u);
  EXPECT_TRUE(again.again);
  EXPECT_EQ(schedule.release(), 1u);
  EXPECT_THROW(schedule.release(), InvalidArgument);  // a second release would free slot 2
  EXPECT_EQ(schedule.released(), 1u);
  const FrameRead second = schedule.begin_read();
  EXPECT_EQ(second.number, 2u);
  EXPECT_EQ(second.slot, 1u);
  EXPECT_EQ(second.wait_ready, 2u);
}

TEST(FrameSchedule, SizesAreCheckedByName) {
  EXPECT_EQ(FrameSchedule(2, 8, 100).slot_nbytes(), 800u);
  const auto message = [](std::int64_t slots, std::int64_t batch, std::int64_t nbytes) {
    try {
      FrameSchedule(slots, batch, nbytes);
    } catch (const InvalidArgument& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message(0, 1, 1), "slots must be > 0, got 0");
  EXPECT_EQ(message(65, 1, 1), "slots must be within 1..64, got 65");
  EXPECT_EQ(message(1, -1, 1), "batch must be > 0, got -1");
  EXPECT_EQ(message(1, 1025, 1), "batch must be within 1..1024, got 1025");
  EXPECT_EQ(message(1, 1, 0), "nbytes must be > 0, got 0");
  EXPECT_EQ(message(1, 4, std::int64_t{1} << 62),
            "batch * nbytes must fit in 63 bits, got 4 * 4611686018427387904");
}

}  // namespace
}  // namespace cuda_interop
