# SPDX-License-Identifier: Apache-2.0
"""``cuda-interop selftest``: the whole loop on this machine's GPU with the native producer.

Linux: Vulkan writes → timeline semaphore → CUDA reads and writes → semaphore → Vulkan reads,
for a buffer and for every level of a mipmapped image, and a run of frames through
``vulkan.FrameRing``. Windows: the same with Direct3D 12 (a
shared heap, a committed buffer, a texture and a shared fence). Waits for CUDA's signals happen
on the graphics queue, never on the host.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

import cuda_interop._core as _core

from ._device import Device

Check = Callable[[Device], None]


def _random(shape: tuple[int, ...], dtype: Any, seed: int) -> np.ndarray:
    info = np.iinfo(dtype)
    return np.random.default_rng(seed).integers(info.min, info.max, shape, dtype=dtype,
                                                endpoint=True)


def _expect_equal(what: str, got: np.ndarray, expected: np.ndarray) -> None:
    if not np.array_equal(got, expected):
        wrong = int(np.count_nonzero(got != expected))
        raise AssertionError(f"{what}: {wrong} of {expected.size} values differ")


def _vulkan_buffer(device: Device) -> None:
    from . import vulkan

    with vulkan.Context(device) as ctx, ctx.create_buffer(16 << 20) as buffer, \
            ctx.create_semaphore(timeline=True) as semaphore, buffer.to_cuda() as memory, \
            semaphore.to_cuda() as cuda_semaphore, memory.map_buffer(0, buffer.size) as view:
        frame = _random((buffer.size,), np.uint8, 1)
        buffer.upload(frame, signal=[(semaphore, 1)], block=False)
        cuda_semaphore.wait(1)
        _expect_equal("Vulkan → CUDA buffer", view.copy_to_host(), frame)
        answer = _random((buffer.size,), np.uint8, 2)
        view.copy_from_host(answer)
        cuda_semaphore.signal(2)
        _expect_equal("CUDA → Vulkan buffer", buffer.download(wait=[(semaphore, 2)]), answer)


def _vulkan_frame_ring(device: Device) -> None:
    """12 frames through a ring of 3 slots: the producer runs ahead, every frame arrives whole."""
    from . import vulkan

    nbytes, frames = 1 << 20, 12
    with vulkan.Context(device) as ctx, vulkan.FrameRing(ctx, nbytes, slots=3) as ring:
        sent = [_random((nbytes,), np.uint8, 100 + n) for n in range(frames)]
        for frame in sent[:2]:  # the producer two frames ahead
            slot = ring.begin_write()
            slot.buffer.upload(frame, wait=slot.wait, signal=slot.signal, block=False)
        for number, frame in enumerate(sent, start=1):
            view = ring.read(timeout=10)
            _expect_equal(f"FrameRing frame {number}", view.copy_to_host(), frame)
            ring.release()
            if number + 2 <= frames:
                slot = ring.begin_write()
                slot.buffer.upload(sent[number + 1], wait=slot.wait, signal=slot.signal,
                                   block=False)
        ctx.wait_idle(timeout=10)


def _vulkan_image(device: Device) -> None:
    from . import vulkan

    with vulkan.Context(device) as ctx, \
            ctx.create_image("R8G8B8A8_UINT", 256, 128, levels=4) as image, \
            ctx.create_semaphore(timeline=True) as semaphore, \
            semaphore.to_cuda() as cuda_semaphore, image.map_to_cuda() as array:
        for index in range(image.levels):
            _image_level(image, array.level(index), semaphore, cuda_semaphore, 2 * index)


def _image_level(image: Any, level: Any, semaphore: Any, cuda_semaphore: Any, value: int) -> None:
    """Both directions on one level; the level is released when this returns, inside the
    caller's ``with`` (so the array is freed before the image and context are closed)."""
    index = level.index
    frame = _random(level.shape, np.uint8, 10 + index)
    image.upload(index, frame, signal=[(semaphore, value + 1)], block=False)
    cuda_semaphore.wait(value + 1)
    _expect_equal(f"Vulkan → CUDA image level {index}", level.copy_to_host(), frame)
    answer = _random(level.shape, np.uint8, 20 + index)
    level.copy_from_host(answer)
    cuda_semaphore.signal(value + 2)
    got = image.download(index, wait=[(semaphore, value + 2)])
    _expect_equal(f"CUDA → Vulkan image level {index}", got, answer)


def _d3d12_buffers(device: Device) -> None:
    from . import d3d12

    with d3d12.Device(device) as d3d, d3d.create_fence() as fence, \
            fence.to_cuda() as cuda_fence:
        value = fence.completed_value()
        for resource in (d3d.create_heap_buffer(4 << 20), d3d.create_committed_buffer(4 << 20)):
            kind = "placed buffer (heap)" if resource.placed else "committed buffer"
            with resource, resource.to_cuda() as memory, \
                    memory.map_buffer(resource.heap_offset, resource.size) as view:
                frame = _random((resource.size,), np.uint8, 3)
                resource.upload(frame)
                value += 1
                fence.queue_signal(value)  # after the upload on the copy queue
                cuda_fence.wait(value)
                _expect_equal(f"D3D12 → CUDA {kind}", view.copy_to_host(), frame)
                answer = _random((resource.size,), np.uint8, 4)
                view.copy_from_host(answer)
                value += 1
                cuda_fence.signal(value)
                fence.queue_wait(value)  # the download below waits for CUDA
                _expect_equal(f"CUDA → D3D12 {kind}", resource.download(), answer)


def _d3d12_texture(device: Device) -> None:
    from . import d3d12

    with d3d12.Device(device) as d3d, \
            d3d.create_texture2d(256, 128, d3d12.Format.R8G8B8A8_UINT, mip_levels=4) as texture, \
            texture.to_cuda() as memory:
        dtype, channels = texture.cuda_format
        with memory.map_mipmapped_array(dtype, channels, (texture.width, texture.height, 0),
                                        texture.mip_levels) as array:
            for index in range(texture.mip_levels):
                level = array.level(index)
                frame = _random(level.shape, np.uint8, 30 + index)
                texture.upload(index, frame)
                _expect_equal(f"D3D12 → CUDA texture level {index}", level.copy_to_host(), frame)
                answer = _random(level.shape, np.uint8, 40 + index)
                level.copy_from_host(answer)
                _expect_equal(f"CUDA → D3D12 texture level {index}", texture.download(index),
                              answer)


def _checks() -> dict[str, Check]:
    if sys.platform == "win32":
        return {"D3D12 heap and committed buffers with a shared fence": _d3d12_buffers,
                "D3D12 2D texture, 4 mip levels, every texel": _d3d12_texture}
    return {"Vulkan buffer with a timeline semaphore": _vulkan_buffer,
            "Vulkan 2D image, 4 mip levels, every texel": _vulkan_image,
            "Vulkan frame ring, 12 frames through 3 slots": _vulkan_frame_ring}


def run(ordinal: int = 0) -> int:
    """Run every check; print a PASS/FAIL line for each. Exit code 0 only if all pass, 77
    (``cli.EXIT_CANNOT_RUN``) where CUDA device `ordinal` is not usable."""
    from ._device import EXIT_CANNOT_RUN

    try:
        device = Device(ordinal)
    except (_core.CudaError, _core.NotSupportedError, ValueError) as error:
        print(f"selftest cannot run: no usable CUDA device {ordinal} ({error})")
        return EXIT_CANNOT_RUN
    print(f"selftest on CUDA device {device.ordinal}: {device.name}")
    failures = 0
    for name, check in _checks().items():
        try:
            check(device)
        except (ImportError, _core.NotSupportedError) as error:
            print(f"FAIL  {name}: cannot run: {error}")
            failures += 1
        except Exception as error:
            print(f"FAIL  {name}: {type(error).__name__}: {error}")
            traceback.print_exc()
            failures += 1
        else:
            print(f"PASS  {name}")
    print("selftest:", "PASS" if failures == 0 else f"FAIL ({failures} failed)")
    return 0 if failures == 0 else 1
