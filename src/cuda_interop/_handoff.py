# SPDX-License-Identifier: Apache-2.0
"""How a view becomes an array of a given type: through the type's DLPack C exchange API, or its
library's ``from_dlpack``. Found once per type and kept.

The C exchange API (DLPack 1.2/1.3) is a table of C functions that a framework publishes as the
capsule ``type.__dlpack_c_exchange_api__`` (``torch.Tensor`` has one from PyTorch 2.10): a
producer hands it a managed tensor and gets the framework's array back, without the Python
``__dlpack__`` protocol.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, NamedTuple

import cuda_interop._core as _core


class Route(NamedTuple):
    """One array type's way in: the exchange API capsule, else a ``from_dlpack`` function."""

    api: Any
    from_dlpack: Callable[[Any], Any] | None
    reason: str  # why the C exchange API is not used (empty when it is)


ROUTES: dict[type, Route] = {}
TORCH_TENSOR: type | None = None  # torch.Tensor, once torch_tensor() has imported it


def route(array_type: type) -> Route:
    """The route to `array_type`, found on first use; TypeError when it has none."""
    if not isinstance(array_type, type):
        raise TypeError("array_type must be an array type such as torch.Tensor, got "
                        f"{array_type!r}")
    found = ROUTES.get(array_type)
    if found is None:
        found = ROUTES[array_type] = _find(array_type)
    return found


def torch_tensor() -> type:
    """``torch.Tensor`` (imports PyTorch; kept in :data:`TORCH_TENSOR`)."""
    global TORCH_TENSOR
    if TORCH_TENSOR is None:
        TORCH_TENSOR = importlib.import_module("torch").Tensor
    return TORCH_TENSOR


def _find(array_type: type) -> Route:
    module_name = array_type.__module__.partition(".")[0]
    if module_name == "torch":
        _initialise_torch_cuda()
    api = getattr(array_type, "__dlpack_c_exchange_api__", None)
    reason = f"{array_type.__qualname__} has no __dlpack_c_exchange_api__"
    if api is not None:
        try:
            _core.dlpack_exchange_api_version(api)
            return Route(api, None, "")
        except (TypeError, ValueError) as error:
            reason = f"its __dlpack_c_exchange_api__ is unusable: {error}"
    return Route(None, _from_dlpack_of(array_type, module_name, reason), reason)


def _initialise_torch_cuda() -> None:
    """What ``torch.from_dlpack`` of CUDA memory does first (it asks for the current stream):
    PyTorch's lazy CUDA initialisation, so that tensors made in C behave the same."""
    torch = importlib.import_module("torch")
    if torch.cuda.is_available():
        torch.cuda.init()


# Packages whose array types live in another package than their from_dlpack.
_LIBRARIES = {"jaxlib": "jax"}


def _from_dlpack_of(array_type: type, module_name: str, reason: str) -> Callable[[Any], Any]:
    """``from_dlpack`` of the library that defines `array_type` (``module.from_dlpack``, else
    ``module.dlpack.from_dlpack`` as JAX has it)."""
    module_name = _LIBRARIES.get(module_name, module_name)
    module = importlib.import_module(module_name)
    function = getattr(module, "from_dlpack", None)
    if function is None:
        try:
            function = getattr(importlib.import_module(f"{module_name}.dlpack"), "from_dlpack",
                               None)
        except ImportError:
            function = None
    if not callable(function):
        raise TypeError(f"cannot make a {array_type.__qualname__} array: {reason}, and "
                        f"{module_name} has no from_dlpack")
    return function  # type: ignore[no-any-return]
