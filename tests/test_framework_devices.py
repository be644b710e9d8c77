# SPDX-License-Identifier: Apache-2.0
"""``device=`` takes the frameworks' device objects: ``torch.device("cuda", n)``,
``cupy.cuda.Device(n)``, ``cuda.core.Device(n)``.

They are recognised by the attributes they carry (no framework is imported): torch's
``type``/``index``, cuda.core's ``device_id``, CuPy's and Numba's ``id``. The classes below have
exactly those shapes, so the conversion is checked everywhere; the GPU tests use the real objects
where the framework is installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import cuda_interop as ci
from cuda_interop._device import device_ordinal


class TorchShaped:
    """What torch.device offers: .type and .index (None: the current device of that type)."""

    def __init__(self, kind: str, index: int | None = None) -> None:
        self.type, self.index = kind, index

    def __repr__(self) -> str:
        return f"device(type={self.type!r}, index={self.index})"


class CupyShaped:
    def __init__(self, ordinal: object) -> None:
        self.id = ordinal


class CudaCoreShaped:
    def __init__(self, ordinal: object) -> None:
        self.device_id = ordinal


@pytest.mark.parametrize("device,ordinal", [
    (TorchShaped("cuda", 0), 0), (TorchShaped("cuda", 3), 3), (TorchShaped("cuda"), -1),
    (CupyShaped(1), 1), (CupyShaped(np.int32(2)), 2), (CudaCoreShaped(0), 0),
    (CudaCoreShaped(5), 5), (None, -1), (7, 7), (np.int64(4), 4)])
def test_framework_devices_become_ordinals(device: object, ordinal: int) -> None:
    assert device_ordinal(device) == ordinal  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["cpu", "mps", "meta", "xpu"])
def test_a_device_that_is_not_cuda_is_refused_naming_it(kind: str) -> None:
    with pytest.raises(ValueError, match=f"must be a CUDA device, got a '{kind}' device"):
        device_ordinal(TorchShaped(kind, 0))  # type: ignore[arg-type]


@pytest.mark.parametrize("device", [TorchShaped("cuda", -1), CupyShaped(-1), CupyShaped(2**31),
                                    CudaCoreShaped(2**64)])
def test_a_framework_ordinal_out_of_range_is_a_value_error(device: object) -> None:
    with pytest.raises(ValueError, match="device"):
        device_ordinal(device)  # type: ignore[arg-type]


@pytest.mark.parametrize("device", [CupyShaped("0"), CupyShaped(1.5), CudaCoreShaped(True),
                                    TorchShaped("cuda", "0")])
def test_a_framework_ordinal_of_the_wrong_type_is_a_type_error(device: object) -> None:
    with pytest.raises(TypeError, match="device"):
        device_ordinal(device)  # type: ignore[arg-type]


@pytest.mark.parametrize("device", [object(), "cuda:0", b"\0" * 16, 1.0])
def test_other_objects_are_refused_with_what_is_taken(device: object) -> None:
    with pytest.raises(TypeError, match=r"torch\.device"):
        device_ordinal(device)  # type: ignore[arg-type]


def test_the_refusal_comes_before_any_cuda_call() -> None:
    """A CPU device is refused even where there is no GPU (validation comes first)."""
    with pytest.raises(ValueError, match="CUDA device"):
        ci.SharedAllocation(1 << 20, device=TorchShaped("cpu"))  # type: ignore[arg-type]


# -- With the real frameworks, on a GPU ---------------------------------------------------------
@pytest.mark.gpu
def test_torch_device_picks_that_gpu() -> None:
    torch = pytest.importorskip("torch")
    with ci.SharedAllocation(1 << 20, device=torch.device("cuda", 0)) as shared:
        assert shared.device == 0
        with shared.to_cuda(device=torch.device("cuda")) as memory:  # the current device
            assert memory.device == torch.cuda.current_device()
    with pytest.raises(ValueError, match="'cpu'"):
        ci.SharedAllocation(1 << 20, device=torch.device("cpu"))


@pytest.mark.gpu
def test_cupy_device_picks_that_gpu() -> None:
    cupy = pytest.importorskip("cupy")
    with ci.SharedAllocation(1 << 20, device=cupy.cuda.Device(0)) as shared:
        assert shared.device == 0


@pytest.mark.gpu
def test_cuda_core_device_picks_that_gpu() -> None:
    core = pytest.importorskip("cuda.core")
    device_class = getattr(core, "Device", None)
    if device_class is None:
        device_class = pytest.importorskip("cuda.core.experimental").Device
    with ci.SharedAllocation(1 << 20, device=device_class(0)) as shared:
        assert shared.device == 0
