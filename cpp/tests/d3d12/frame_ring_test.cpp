// SPDX-License-Identifier: Apache-2.0
// A Direct3D 12 frame ring driven by FrameSchedule: `slots` shared committed buffers and two shared
// fences, `ready` and `released`. The producer writes each hand-off on the device's copy queue
// behind a queue wait on `released` and has the queue signal `ready` after it; the consumer stands
// in for CUDA: it waits for `ready` on the host, reads the slot on a copy queue of its own (as
// CUDA's stream is not held by the producer's queue waits) and signals `released` from the CPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "cuda_interop/d3d12/device.hpp"
#include "cuda_interop/d3d12/hresult.hpp"
#include "cuda_interop/d3d12/transfer.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/frame_schedule.hpp"
#include "test_device.hpp"

namespace cuda_interop::d3d12 {
namespace {

using Microsoft::WRL::ComPtr;
constexpr std::uint32_t timeout_ms = 10000;

/// The consumer's queue: copies a buffer into a readback buffer and waits for it.
class Reader {
 public:
  Reader(const Device& device, std::uint64_t size) : done_(device.create_fence()), size_(size) {
    ID3D12Device* native = device.native();
    check_hresult(native->CreateCommandAllocator(D3D12_COMMAND_LIST_TYPE_COPY, IID_PPV_ARGS(&allocator_)),
                  "ID3D12Device::CreateCommandAllocator");
    check_hresult(native->CreateCommandList(0, D3D12_COMMAND_LIST_TYPE_COPY, allocator_.Get(), nullptr,
                                            IID_PPV_ARGS(&list_)),
                  "ID3D12Device::CreateCommandList");
    check_hresult(list_->Close(), "ID3D12GraphicsCommandList::Close");
    D3D12_HEAP_PROPERTIES heap{};
    heap.Type = D3D12_HEAP_TYPE_READBACK;
    D3D12_RESOURCE_DESC desc{};
    desc.Dimension = D3D12_RESOURCE_DIMENSION_BUFFER;
    desc.Width = size;
    desc.Height = desc.DepthOrArraySize = desc.MipLevels = 1;
    desc.SampleDesc.Count = 1;
    desc.Layout = D3D12_TEXTURE_LAYOUT_ROW_MAJOR;
    check_hresult(native->CreateCommittedResource(&heap, D3D12_HEAP_FLAG_NONE, &desc, D3D12_RESOURCE_STATE_COPY_DEST,
                                                  nullptr, IID_PPV_ARGS(&readback_)),
                  "ID3D12Device::CreateCommittedResource");
    D3D12_COMMAND_QUEUE_DESC queue{};
    queue.Type = D3D12_COMMAND_LIST_TYPE_COPY;
    check_hresult(native->CreateCommandQueue(&queue, IID_PPV_ARGS(&queue_)), "ID3D12Device::CreateCommandQueue");
  }

  std::vector<std::uint8_t> read(const Resource& buffer) {
    check_hresult(allocator_->Reset(), "ID3D12CommandAllocator::Reset");
    check_hresult(list_->Reset(allocator_.Get(), nullptr), "ID3D12GraphicsCommandList::Reset");
    list_->CopyBufferRegion(readback_.Get(), 0, buffer.native(), 0, size_);
    check_hresult(list_->Close(), "ID3D12GraphicsCommandList::Close");
    ID3D12CommandList* lists[] = {list_.Get()};
    queue_->ExecuteCommandLists(1, lists);
    check_hresult(queue_->Signal(done_.native(), ++submitted_), "ID3D12CommandQueue::Signal");
    if (!done_.wait(submitted_, timeout_ms)) throw Error("the consumer's copy queue did not finish");
    void* data = nullptr;
    const D3D12_RANGE all{0, static_cast<SIZE_T>(size_)};
    check_hresult(readback_->Map(0, &all, &data), "ID3D12Resource::Map");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size_));
    std::memcpy(bytes.data(), data, bytes.size());
    const D3D12_RANGE none{0, 0};
    readback_->Unmap(0, &none);
    return bytes;
  }

 private:
  Fence done_;
  std::uint64_t size_;
  std::uint64_t submitted_ = 0;
  ComPtr<ID3D12CommandAllocator> allocator_;
  ComPtr<ID3D12GraphicsCommandList> list_;
  ComPtr<ID3D12Resource> readback_;
  ComPtr<ID3D12CommandQueue> queue_;  // declared last: released first, idle, before what fed it
};

/// The ring: slots, the two timelines, the order of hand-offs, and the consumer's queue.
struct Ring {
  Ring(const Device& device, std::int64_t slots, std::int64_t batch, std::int64_t frame_nbytes)
      : schedule(slots, batch, frame_nbytes),
        ready(device.create_fence()),
        released(device.create_fence()),
        reader(device, schedule.slot_nbytes()) {
    for (std::size_t i = 0; i < schedule.slots(); ++i) {
      buffers.push_back(device.create_committed_buffer(schedule.slot_nbytes()));
    }
  }

  /// Frame `index` (from 0) of the stream; distinct for the first 251 frames.
  std::vector<std::uint8_t> frame(std::uint64_t index) const {
    return testing::pattern(schedule.frame_nbytes(), static_cast<unsigned>(index + 1));
  }

  /// The producer's part of one hand-off. upload() waits for its own copy to finish, so a write
  /// held by the queue wait blocks the calling thread until `released` gets there.
  void produce(const FrameWrite& write) const {
    if (write.wait_released != 0) released.queue_wait(write.wait_released);
    for (std::uint64_t i = 0; i < schedule.batch(); ++i) {
      const std::vector<std::uint8_t> bytes = frame((write.number - 1) * schedule.batch() + i);
      upload(buffers[write.slot], bytes.data(), bytes.size(), i * schedule.frame_nbytes());
    }
    ready.queue_signal(write.signal_ready);
  }

  /// Reads `slot` on the consumer's queue and checks that it holds every frame of hand-off `number`.
  void expect_handoff(std::size_t slot, std::uint64_t number) {
    const std::vector<std::uint8_t> bytes = reader.read(buffers[slot]);
    for (std::uint64_t i = 0; i < schedule.batch(); ++i) {
      const std::uint64_t index = (number - 1) * schedule.batch() + i;
      const auto begin = bytes.begin() + static_cast<std::ptrdiff_t>(i * schedule.frame_nbytes());
      EXPECT_TRUE(std::equal(begin, begin + static_cast<std::ptrdiff_t>(schedule.frame_nbytes()),
                             frame(index).begin()))
          << "frame " << i << " of hand-off " << number << " (slot " << slot << ")";
    }
  }

  /// The consumer's release: the schedule's value (or its refusal), then the CPU signal.
  void release() { released.signal(schedule.release()); }

  FrameSchedule schedule;
  Fence ready;
  Fence released;
  Reader reader;
  std::vector<Resource> buffers;
};

class FrameRingTest : public testing::DeviceTest,
                      public ::testing::WithParamInterface<std::pair<int, int>> {};
using FrameRingOrderTest = testing::DeviceTest;

TEST_P(FrameRingTest, EveryFrameInOrderWithTheProducerAheadAsFarAsTheRingAllows) {
  const auto [slots, batch] = GetParam();
  constexpr std::uint64_t handoffs = 12;
  Ring ring(device, slots, batch, 4096);
  std::mutex mutex;  // one schedule for both halves, as in one process
  std::future<void> producer = std::async(std::launch::async, [&] {
    for (std::uint64_t n = 1; n <= handoffs; ++n) {
      FrameWrite write{};
      {
        const std::lock_guard<std::mutex> lock(mutex);
        write = ring.schedule.begin_write();
      }
      ring.produce(write);
    }
  });
  for (std::uint64_t n = 1; n <= handoffs && !HasFailure(); ++n) {
    FrameRead read{};
    {
      const std::lock_guard<std::mutex> lock(mutex);
      read = ring.schedule.begin_read();
    }
    EXPECT_EQ(read.number, n);
    EXPECT_EQ(read.slot, (n - 1) % static_cast<std::uint64_t>(slots));
    EXPECT_FALSE(read.again);
    // With n - 1 released the producer fills every slot, and the queue waits stop it there.
    const std::uint64_t ahead = std::min<std::uint64_t>(n - 1 + static_cast<std::uint64_t>(slots), handoffs);
    EXPECT_TRUE(ring.ready.wait(ahead, timeout_ms)) << "hand-off " << ahead << " never became ready";
    EXPECT_EQ(ring.ready.completed_value(), ahead);
    ring.expect_handoff(read.slot, n);
    const std::lock_guard<std::mutex> lock(mutex);
    EXPECT_TRUE(ring.schedule.begin_read().again);
    EXPECT_LE(ring.ready.completed_value(), ring.schedule.written());
    ring.release();
  }
  // After a failure, let a held producer finish rather than wait out its transfer timeout.
  if (HasFailure()) ring.released.signal(handoffs);
  producer.get();
  EXPECT_EQ(ring.schedule.written(), handoffs);
  EXPECT_EQ(ring.released.completed_value(), handoffs);
  EXPECT_EQ(ring.ready.completed_value(), handoffs);
  EXPECT_FALSE(ring.ready.wait(handoffs + 1, 50));  // nothing beyond the schedule
}

INSTANTIATE_TEST_SUITE_P(SlotsAndBatch, FrameRingTest,
                         ::testing::Values(std::make_pair(3, 1), std::make_pair(2, 4)));

TEST_F(FrameRingOrderTest, TheWriteWaitsOnTheQueueUntilItsSlotIsReleased) {
  Ring ring(device, 1, 1, 4096);
  ring.produce(ring.schedule.begin_write());  // hand-off 1 waits for nothing
  const FrameRead first = ring.schedule.begin_read();
  ASSERT_TRUE(ring.ready.wait(first.wait_ready, timeout_ms));
  ring.expect_handoff(first.slot, 1);
  const FrameWrite second = ring.schedule.begin_write();
  ASSERT_EQ(second.wait_released, 1u);
  std::atomic<bool> started{false};
  std::future<void> producer = std::async(std::launch::async, [&] {
    started = true;
    ring.produce(second);
  });
  while (!started) std::this_thread::yield();
  // Hand-off 1 is still being read: its slot keeps its bytes and ready stays at 1.
  EXPECT_FALSE(ring.ready.wait(2, 500));
  ring.expect_handoff(first.slot, 1);
  EXPECT_EQ(ring.ready.completed_value(), 1u);
  ring.release();
  EXPECT_TRUE(ring.ready.wait(2, timeout_ms));
  producer.get();
  const FrameRead again = ring.schedule.begin_read();
  EXPECT_EQ(again.number, 2u);
  ring.expect_handoff(again.slot, 2);
  ring.release();
  EXPECT_FALSE(ring.ready.wait(3, 50));
  EXPECT_EQ(ring.released.completed_value(), 2u);
}

TEST_F(FrameRingOrderTest, ReleaseWithoutAReadIsRefusedAndSignalsNothing) {
  Ring ring(device, 2, 2, 256);
  EXPECT_THROW(ring.release(), InvalidArgument);
  ring.produce(ring.schedule.begin_write());
  EXPECT_THROW(ring.release(), InvalidArgument);  // written, not read
  const FrameRead read = ring.schedule.begin_read();
  ASSERT_TRUE(ring.ready.wait(read.wait_ready, timeout_ms));
  ring.expect_handoff(read.slot, read.number);
  ring.release();
  EXPECT_THROW(ring.release(), InvalidArgument);  // one read, one release
  EXPECT_EQ(ring.released.completed_value(), 1u);
  EXPECT_EQ(ring.ready.completed_value(), 1u);
}

}  // namespace
}  // namespace cuda_interop::d3d12
