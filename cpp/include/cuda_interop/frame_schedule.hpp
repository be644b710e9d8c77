// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The order of a frame ring's hand-offs, for any producer: which slot each hand-off uses and the
/// timeline values that make the producer and CUDA take turns on it. No graphics API and no CUDA:
/// the producer's queue and CUDA's stream carry out the waits and signals it names.
///
/// Hand-offs are numbered from 1; hand-off n lives in slot (n - 1) % slots and carries `batch`
/// frames of `frame_nbytes` each, back to back. The producer's write of n waits for
/// released >= n - slots (the slot's previous hand-off is done with) and signals ready = n; the
/// consumer's read of n waits for ready >= n and its release signals released = n.

#include <cstddef>
#include <cstdint>

namespace cuda_interop {

/// What the producer does for one hand-off: write `slot`, after `wait_released` (0: no wait)
/// has been signalled on the released timeline, then signal `signal_ready` on the ready one.
struct FrameWrite {
  std::uint64_t number;
  std::size_t slot;
  std::uint64_t wait_released;
  std::uint64_t signal_ready;
};

/// What the consumer reads: hand-off `number` in `slot`, once ready >= `wait_ready`.
/// `again` is true when it is the hand-off already read and not yet released.
struct FrameRead {
  std::uint64_t number;
  std::size_t slot;
  std::uint64_t wait_ready;
  bool again;
};

class FrameSchedule {
 public:
  static constexpr std::int64_t max_slots = 64;
  static constexpr std::int64_t max_batch = 1024;

  /// InvalidArgument naming `slots`, `batch` or `nbytes` when out of range or when a slot's
  /// bytes (batch * nbytes) do not fit 63 bits.
  FrameSchedule(std::int64_t slots, std::int64_t batch, std::int64_t frame_nbytes);

  std::size_t slots() const noexcept { return slots_; }
  std::uint64_t batch() const noexcept { return batch_; }
  std::uint64_t frame_nbytes() const noexcept { return frame_nbytes_; }
  std::uint64_t slot_nbytes() const noexcept { return batch_ * frame_nbytes_; }

  /// The next hand-off for the producer.
  FrameWrite begin_write() noexcept;
  /// The released value the next write waits for (0: none), to wait for it on the host first.
  std::uint64_t next_write_waits_for() const noexcept;
  /// The last hand-off given to the producer.
  std::uint64_t written() const noexcept { return written_; }

  /// The next hand-off for the consumer (the same one again until it is released).
  FrameRead begin_read() noexcept;
  /// The released value to signal for the hand-off read; InvalidArgument when none is read.
  std::uint64_t release();
  /// The last hand-off released by the consumer.
  std::uint64_t released() const noexcept { return released_; }

 private:
  std::size_t slots_;
  std::uint64_t batch_;
  std::uint64_t frame_nbytes_;
  std::uint64_t written_ = 0;
  std::uint64_t released_ = 0;
  bool reading_ = false;
};

}  // namespace cuda_interop
