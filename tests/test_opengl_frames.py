# SPDX-License-Identifier: Apache-2.0
"""opengl.FrameProducer on any GL with memory objects (llvmpipe + lavapipe in CI): its buffers are
Vulkan memory seen by GL byte-exact; its timelines need GL and Vulkan semaphores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from opengl_support import GL, GL_SKIP

from cuda_interop import NotSupportedError, opengl, vulkan

if GL_SKIP is not None:
    pytest.skip(GL_SKIP, allow_module_level=True)
if not vulkan.available:
    pytest.skip(vulkan.unavailable_reason or "", allow_module_level=True)


@pytest.fixture
def producer() -> Iterator[Any]:
    try:
        context = vulkan.Context(physical_device_index=0)
    except NotSupportedError as error:
        pytest.skip(f"no Vulkan: {error}")
    with GL, context:
        if not opengl.current_context().memory_objects:
            pytest.skip("this GL imports no memory")
        yield opengl.FrameProducer(context)


def test_frame_buffer_is_vulkan_memory_seen_by_gl(producer: Any) -> None:
    buffer = producer.create_frame_buffer(4096)
    assert buffer.size == 4096 and buffer.name > 0
    share = buffer.export_share()
    assert share.size >= 4096
    data = np.arange(4096, dtype=np.uint32).astype(np.uint8)
    buffer.vulkan.upload(data)
    assert np.array_equal(buffer.gl.read(), data)
    buffer.gl.write(data[::-1].copy())
    GL.finish()
    assert np.array_equal(buffer.vulkan.download(4096), data[::-1])
    buffer.close()


def test_timelines_need_semaphores_on_both_sides(producer: Any) -> None:
    info = opengl.current_context()
    if info.timeline_semaphores:
        pytest.skip("this GL has timelines (tested in test_opengl_frames_gpu.py)")
    with pytest.raises(NotSupportedError):
        producer.create_frame_timeline()


@pytest.mark.parametrize(("nbytes", "error"), [
    (0, ValueError), (-1, ValueError), (1.5, TypeError), ("no", TypeError), (None, TypeError),
])
def test_frame_buffer_sizes(producer: Any, nbytes: Any, error: type) -> None:
    with pytest.raises(error, match="nbytes"):
        producer.create_frame_buffer(nbytes)


@pytest.mark.parametrize("context", [None, 0, "no", object()])
def test_producer_needs_a_vulkan_context(context: Any) -> None:
    with pytest.raises(TypeError, match=r"vulkan_context must be a vulkan\.Context"):
        opengl.FrameProducer(context)
