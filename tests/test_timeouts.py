# SPDX-License-Identifier: Apache-2.0
"""One unit for waits: seconds. ``ExternalSemaphore.wait`` and ``d3d12.Fence.wait`` take
``timeout=`` in seconds; their ``timeout_ms=`` still works, with a DeprecationWarning."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cuda_interop as ci
from cuda_interop._external_semaphore import INFINITE, timeout_milliseconds


@pytest.mark.parametrize("timeout,expected", [
    (None, None), (math.inf, None), (0, 0), (0.0, 0), (1, 1000), (2.5, 2500),
    (0.0001, 1),  # rounded up: never shorter than asked
    (np.float32(0.25), 250), (np.int64(3), 3000), ((INFINITE - 1) / 1000, INFINITE - 1)])
def test_seconds_become_milliseconds(timeout: object, expected: int | None) -> None:
    assert timeout_milliseconds(timeout, None, "wait") == expected


@pytest.mark.parametrize("timeout", [-1, -0.001, math.nan, -math.inf, INFINITE / 1000, 1e30])
def test_a_limit_out_of_range_is_a_value_error_naming_timeout(timeout: float) -> None:
    with pytest.raises(ValueError, match="timeout must be"):
        timeout_milliseconds(timeout, None, "wait")


@pytest.mark.parametrize("timeout", ["1", b"1", [1], True, object()])
def test_a_limit_that_is_no_number_is_a_type_error(timeout: object) -> None:
    with pytest.raises(TypeError, match="timeout"):
        timeout_milliseconds(timeout, None, "wait")


def test_timeout_ms_still_works_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match=r"timeout_ms=\.\.\.\) is deprecated: pass "
                                                r"timeout= in seconds"):
        assert timeout_milliseconds(None, 1500, "ExternalSemaphore.wait") == 1500
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="timeout_ms"):
        timeout_milliseconds(None, -1, "ExternalSemaphore.wait")


def test_both_units_at_once_are_refused() -> None:
    with pytest.raises(TypeError, match="not both"):
        timeout_milliseconds(1.0, 1000, "ExternalSemaphore.wait")


def test_the_signatures_name_timeout_in_seconds() -> None:
    import inspect

    from cuda_interop.d3d12 import Fence

    for method in (ci.ExternalSemaphore.wait, Fence.wait):
        parameters = inspect.signature(method).parameters
        assert parameters["timeout"].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters["timeout"].default is None
        assert "seconds" in (method.__doc__ or "")


# -- On a GPU: the limit reaches CUDA ------------------------------------------------------------
@pytest.mark.gpu
def test_a_timeout_on_a_semaphore_that_is_no_keyed_mutex_is_refused_in_either_unit() -> None:
    vulkan = pytest.importorskip("cuda_interop.vulkan")
    if not vulkan.available:
        pytest.skip(vulkan.unavailable_reason or "no Vulkan producer")
    with vulkan.Context(0) as ctx, ctx.create_semaphore(timeline=True) as semaphore, \
            semaphore.to_cuda() as cuda_semaphore:
        with pytest.raises(ValueError, match="keyed-mutex"):
            cuda_semaphore.wait(1, timeout=1.0)
        with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="keyed-mutex"):
            cuda_semaphore.wait(1, timeout_ms=1000)
        semaphore.signal(1)
        cuda_semaphore.wait(1, timeout=None)  # no limit: accepted on any semaphore
