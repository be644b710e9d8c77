# SPDX-License-Identifier: Apache-2.0
"""The CUDA Programming Guide's four Direct3D 12 memory imports, with cuda_interop.

    python examples/d3d12_seed.py

The guide ("Importing Memory Objects", Direct3D 12 interoperability) imports

1. a shared heap by NT handle        (``importD3D12HeapFromNTHandle``),
2. a shared heap by name             (``importD3D12HeapFromNamedNTHandle``),
3. a committed resource by NT handle (``importD3D12CommittedResourceFromNTHandle``),
4. a committed resource by name      (``importD3D12CommittedResourceFromNamedNTHandle``).

Here ``cuda_interop.d3d12`` does the native side (``CreateHeap`` / ``CreateCommittedResource``
with ``D3D12_HEAP_FLAG_SHARED``, then ``CreateSharedHandle`` through ``share(name)``), and each
import is one call: ``ExternalMemory.from_d3d12_heap`` or ``from_d3d12_resource``, with an int
(an NT handle) or a str (a name), and the size Direct3D 12 reports (``allocation_size``: the
heap's size, or ``GetResourceAllocationInfo`` for a committed resource, which CUDA imports as
a dedicated allocation). Each import is then mapped and checked both ways: Direct3D 12 uploads
and CUDA reads, CUDA writes and Direct3D 12 downloads.

As in the guide, an NT handle holds a reference to its object and must be closed when no longer
needed; unlike the guide's functions, an import leaves your handle open unless you pass
``take_ownership=True`` (both ways are shown). A name stays valid while a handle made with it is
open.

Windows only, on a GPU in WDDM mode (CUDA reports LUIDs only there). Exits 0 after printing
``d3d12_seed: OK``; exits 77 with the reason where Direct3D 12 or such a GPU is unavailable.
"""

from __future__ import annotations

import os
import sys

import numpy as np

import cuda_interop as ci
from cuda_interop import d3d12
from cuda_interop.cli import EXIT_CANNOT_RUN  # 77: cannot run on this machine

SIZE = 1 << 20  # bytes checked in each import


def round_trip(what: str, buffer: d3d12.Buffer, memory: ci.ExternalMemory,
               offset: int = 0) -> None:
    """Direct3D 12 -> CUDA and CUDA -> Direct3D 12 through `memory`, mapped at `offset`."""
    rng = np.random.default_rng(len(what))
    with memory.map_buffer(offset, buffer.size) as mapped:
        sent = rng.integers(0, 256, buffer.size, dtype=np.uint8)
        buffer.upload(sent)  # on the copy queue; done when it returns
        if not np.array_equal(mapped.copy_to_host(), sent):
            raise AssertionError(f"{what}: CUDA does not see what Direct3D 12 wrote")
        answer = rng.integers(0, 256, buffer.size, dtype=np.uint8)
        mapped.copy_from_host(answer)  # synchronous
        if not np.array_equal(buffer.download(), answer):
            raise AssertionError(f"{what}: Direct3D 12 does not see what CUDA wrote")
    print(f"  {what}: {memory!r}")


def main() -> int:
    if not d3d12.available:
        print(f"d3d12_seed: needs Direct3D 12: {d3d12.unavailable_reason}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        d3d = d3d12.Device(0)  # the DXGI adapter whose LUID is CUDA device 0's
    except (ci.NotSupportedError, ci.CudaError) as error:
        print(f"d3d12_seed: needs a CUDA GPU in WDDM mode: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    prefix = f"cuda-interop-seed-{os.getpid()}"

    with d3d:
        # 1. A shared heap by NT handle. A placed buffer at offset 0 lets Direct3D 12 write it.
        with d3d.create_heap(SIZE) as heap, heap.create_placed_buffer(0, SIZE) as buffer:
            handle = heap.share()  # CreateSharedHandle: a new NT handle, ours to close
            try:
                memory = ci.ExternalMemory.from_d3d12_heap(handle, heap.allocation_size)
            finally:
                d3d12.close_handle(handle)  # the import holds its own reference
            with memory:
                round_trip("heap by NT handle", buffer, memory, buffer.heap_offset)

        # 2. A shared heap by name. The handle that `share(name)` returns keeps the name alive.
        with d3d.create_heap(SIZE) as heap, heap.create_placed_buffer(0, SIZE) as buffer:
            name = f"{prefix}-heap"
            handle = heap.share(name)
            try:
                with ci.ExternalMemory.from_d3d12_heap(name, heap.allocation_size) as memory:
                    round_trip("heap by name", buffer, memory, buffer.heap_offset)
            finally:
                d3d12.close_handle(handle)

        # 3. A committed resource by NT handle; take_ownership closes the handle after the
        #    import (as the guide's CloseHandle does). Imported as a dedicated allocation.
        with d3d.create_committed_buffer(SIZE) as buffer:
            handle = buffer.share()
            with ci.ExternalMemory.from_d3d12_resource(handle, buffer.allocation_size,
                                                       take_ownership=True) as memory:
                assert memory.dedicated
                round_trip("committed resource by NT handle", buffer, memory)

        # 4. A committed resource by name.
        with d3d.create_committed_buffer(SIZE) as buffer:
            name = f"{prefix}-buffer"
            handle = buffer.share(name)
            try:
                with ci.ExternalMemory.from_d3d12_resource(name, buffer.allocation_size) \
                        as memory:
                    assert memory.dedicated
                    round_trip("committed resource by name", buffer, memory)
            finally:
                d3d12.close_handle(handle)

    print("d3d12_seed: OK (heap and committed resource, each by NT handle and by name)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
