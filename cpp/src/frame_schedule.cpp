// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/frame_schedule.hpp"

#include <limits>
#include <string>

#include "cuda_interop/arguments.hpp"
#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

std::uint64_t within(std::int64_t value, std::int64_t limit, const char* name) {
  const std::uint64_t checked = positive(value, name);
  if (value > limit) {
    throw InvalidArgument(std::string(name) + " must be within 1.." + std::to_string(limit) +
                          ", got " + std::to_string(value));
  }
  return checked;
}

}  // namespace

FrameSchedule::FrameSchedule(std::int64_t slots, std::int64_t batch, std::int64_t frame_nbytes)
    : slots_(static_cast<std::size_t>(within(slots, max_slots, "slots"))),
      batch_(within(batch, max_batch, "batch")),
      frame_nbytes_(positive(frame_nbytes, "nbytes")) {
  constexpr auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (frame_nbytes_ > limit / batch_) {
    throw InvalidArgument("batch * nbytes must fit in 63 bits, got " + std::to_string(batch_) +
                          " * " + std::to_string(frame_nbytes_));
  }
}

std::uint64_t FrameSchedule::next_write_waits_for() const noexcept {
  const std::uint64_t number = written_ + 1;
  return number > slots_ ? number - slots_ : 0;
}

FrameWrite FrameSchedule::begin_write() noexcept {
  const std::uint64_t wait = next_write_waits_for();
  const std::uint64_t number = ++written_;
  return {number, static_cast<std::size_t>((number - 1) % slots_), wait, number};
}

FrameRead FrameSchedule::begin_read() noexcept {
  const std::uint64_t number = released_ + 1;
  const bool again = reading_;
  reading_ = true;
  return {number, static_cast<std::size_t>((number - 1) % slots_), number, again};
}

std::uint64_t FrameSchedule::release() {
  if (!reading_) {
    throw InvalidArgument("release() needs a read() first: hand-off " +
                          std::to_string(released_ + 1) + " has not been read");
  }
  reading_ = false;
  return ++released_;
}

}  // namespace cuda_interop
