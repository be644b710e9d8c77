# SPDX-License-Identifier: Apache-2.0
"""Soaks and concurrency, with figures: whatever a long-running user does, repeated, must leave
open fds, device memory and RSS flat.

    python benchmarks/soak.py [--cycles 10000] [--threads 8] [--seconds 10]

Each soak runs `--cycles` cycles and records open fds, free device memory (`cudaMemGetInfo`) and
RSS every 1,000; after a warm-up of 1,000 cycles the readings must not grow (fds exactly,
device memory by at most one allocation granule, RSS by at most 8 MiB). Then `--threads` threads
import, map, export to DLPack, submit Vulkan work and close, on shared and separate objects, for
`--seconds`, while one of them closes the shared context and import mid-run. Prints a Markdown
table and exits 1 if anything grew, crashed or hung.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from collections.abc import Callable

import cuda_interop as ci
from cuda_interop import _core, ipc, vulkan

GRANULE = 2 << 20
RSS_SLACK = 8 << 20
Reading = tuple[int, int, int]  # open fds, free device bytes, RSS bytes


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def reading() -> Reading:
    return open_fds(), int(_core.memory_info(0)[0]), rss()


def soak(name: str, cycle: Callable[[], None], cycles: int) -> tuple[str, list[Reading], bool]:
    readings = []
    for index in range(cycles):
        cycle()
        if (index + 1) % 1000 == 0:
            readings.append(reading())
    after_warmup = readings[1:] if len(readings) > 1 else readings
    first = after_warmup[0]
    flat = all(fds <= first[0] and free >= first[1] - GRANULE and size <= first[2] + RSS_SLACK
               for fds, free, size in after_warmup)
    return name, readings, flat


def _show(r: Reading) -> str:
    return f"{r[0]} fds, {r[1] >> 20} MiB free, {r[2] >> 20} MiB RSS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    ctx = vulkan.Context(0)
    allocation = ci.SharedAllocation(2 << 20)
    buffer = ctx.create_buffer(1 << 20)
    semaphore = ctx.create_semaphore(timeline=True)
    value = [0]

    def import_map_view_close() -> None:
        with allocation.to_cuda() as memory, memory.map_buffer(4096, 4096) as view:
            view.view("uint8", (4096,)).__dlpack__()

    def semaphore_cycle() -> None:
        with semaphore.to_cuda() as cuda_semaphore:
            value[0] += 1
            cuda_semaphore.signal(value[0])
            cuda_semaphore.wait(value[0])

    def vulkan_cycle() -> None:
        with ctx.create_buffer(1 << 16) as scratch:
            scratch.export_share().close()
            scratch.fill(7, block=False)

    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)

    def ipc_cycle() -> None:
        ipc.send_memory(left, allocation)
        ipc.receive_memory(right, timeout=10).close()

    results = [soak("import + map + view + DLPack + close (SharedAllocation)",
                    import_map_view_close, args.cycles),
               soak("semaphore import + signal + wait + close (Vulkan timeline)",
                    semaphore_cycle, args.cycles),
               soak("Vulkan buffer create + export + fill + close", vulkan_cycle, args.cycles),
               soak("ipc send + receive + import + close", ipc_cycle, args.cycles)]
    ctx.wait_idle(timeout=30)
    left.close()
    right.close()

    print(f"### Soaks: {args.cycles} cycles each, readings every 1,000 (fds, free MiB, RSS MiB)\n")
    print("| Soak | first reading | last reading | flat after warm-up |")
    print("| --- | --- | --- | :-: |")
    ok = True
    for name, readings, flat in results:
        print(f"| {name} | {_show(readings[0])} | {_show(readings[-1])} | "
              f"{'yes' if flat else 'NO'} |")
        ok = ok and flat

    errors: list[str] = []
    counts = [0] * args.threads
    shared = {"memory": allocation.to_cuda(), "ctx": vulkan.Context(0)}
    shared_buffer = shared["ctx"].create_buffer(1 << 16)
    deadline = time.monotonic() + args.seconds
    before = reading()

    def worker(index: int) -> None:
        try:
            while time.monotonic() < deadline:
                try:
                    if index % 4 == 0:
                        import_map_view_close()
                    elif index % 4 == 1:
                        with shared["memory"].map_buffer(0, 4096) as view:
                            view.view().__dlpack__()
                    elif index % 4 == 2:
                        shared_buffer.fill(index, block=False)
                    else:
                        shared["ctx"].create_buffer(4096).close()
                except (ci.ClosedError, ValueError):
                    pass  # the shared objects were closed by the closer thread: expected
                counts[index] += 1
        except BaseException as error:  # anything else is a failure
            errors.append(f"thread {index}: {type(error).__name__}: {error}")

    def closer() -> None:
        time.sleep(args.seconds / 2)
        shared["memory"].close()
        shared["ctx"].close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
    threads.append(threading.Thread(target=closer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 60)
    hung = [t.name for t in threads if t.is_alive()]
    shared_buffer.close()
    ctx.wait_idle(timeout=30)
    after = reading()
    print(f"\n### Concurrency: {args.threads} threads for {args.seconds:.0f} s, shared import and "
          "Vulkan context closed half-way\n")
    print(f"- operations: {sum(counts)} ({', '.join(str(c) for c in counts)} per thread)")
    print(f"- errors other than ClosedError: {len(errors)}; hung threads: {len(hung)}")
    print(f"- fds {before[0]} → {after[0]}, free device memory {before[1] >> 20} → "
          f"{after[1] >> 20} MiB, RSS {before[2] >> 20} → {after[2] >> 20} MiB")
    for error in errors[:10]:
        print(f"  - {error}")
    ok = ok and not errors and not hung
    buffer.close()
    semaphore.close()
    allocation.close()
    ctx.close()
    print(f"\nsoak: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
