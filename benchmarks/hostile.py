#!/usr/bin/env python3
"""Hostile run over every public entry point of cuda_interop.

    python benchmarks/hostile.py [--jobs 2] [--filter SUBSTR] [--out results.json]

Prints the number of cases, the share well-behaved and each failure by class; the results of
every case go to --out (default: cuda-interop-hostile.json in the temporary directory). Written
apart from the tests, as an attacker would; the classes it found are cases of
tests/test_argument_matrix.py.

Each case is a snippet run in a worker subprocess (groups of cases per worker; a group that
crashes or hangs is re-run case by case, so each crash/hang is attributed). A case is
well-behaved when it succeeds, or raises a typed exception (TypeError, ValueError, OverflowError,
TimeoutError, KeyboardInterrupt, ConnectionError or a package error class) whose message names the
attacked argument; it leaks no fd; it neither crashes nor hangs. For a bad argument, an error of
the environment (CudaError "no CUDA device") is a failure: validation must come first.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

# ---------------------------------------------------------------------------------------------
# Values: (label, expression). Labels are used to decide whether a value is bad for a kind.
VALUES = [
    ("None", "None"), ("-1", "-1"), ("0", "0"), ("7", "7"), ("2**31", "2**31"),
    ("2**63", "2**63"), ("2**64", "2**64"), ("2**200", "2**200"), ("1.5", "1.5"),
    ("'no'", "'no'"), ("b'x'", "b'x'"), ("np.int64(7)", "np.int64(7)"),
    ("np.int32(-1)", "np.int32(-1)"), ("np.uint64(2**64-1)", "np.uint64(2**64-1)"),
    ("np.float64(1.0)", "np.float64(1.0)"), ("np.bool_(True)", "np.bool_(True)"),
    ("True", "True"), ("Idx(5)", "Idx(5)"), ("Idx(-1)", "Idx(-1)"), ("Idx(2**70)", "Idx(2**70)"),
    ("object()", "object()"), ("nan", "float('nan')"), ("inf", "float('inf')"), ("[]", "[]"),
]
SHORT = ["None", "-1", "0", "2**64", "2**200", "1.5", "'no'", "b'x'", "np.int64(7)",
         "np.bool_(True)", "True", "Idx(5)", "object()"]

NONINT = {"None", "1.5", "'no'", "b'x'", "np.float64(1.0)", "np.bool_(True)", "True", "object()",
          "nan", "inf", "[]"}
HUGE = {"2**64", "2**200", "Idx(2**70)"}
NEG = {"-1", "np.int32(-1)", "Idx(-1)"}


def is_bad(kind: str, label: str) -> bool | None:
    """True: the value must be refused; False: must be accepted by type; None: either."""
    if kind == "size":
        return label in NONINT | HUGE | NEG | {"0", "2**63"} or None
    if kind == "offset":
        return label in NONINT | HUGE | NEG | {"2**63"} or None
    if kind == "fd":
        return label in NONINT | HUGE | NEG | {"2**63", "2**31"} or None
    if kind == "flag":
        return label not in {"True", "np.bool_(True)"}
    if kind == "u64":
        return label in (NONINT | NEG | {"2**64", "2**200", "Idx(2**70)"}) or None
    if kind == "seconds":
        return label in {"'no'", "b'x'", "object()", "[]", "-1", "np.int32(-1)", "nan", "True",
                         "np.bool_(True)", "Idx(-1)"} or None
    if kind == "device":
        return label in NONINT - {"None"} | HUGE | NEG | {"2**63", "2**31"} or None
    if kind == "stream":
        return label in NONINT - {"None"} | HUGE | NEG or None
    if kind == "handle":  # int handle or str name
        return label in NONINT - {"'no'"} | HUGE | NEG or None
    if kind == "obj":  # an object of a given class: every generic value is bad
        return True
    if kind.startswith("opt"):  # None means the default
        return None if label == "None" else is_bad(kind[3:], label)
    if kind == "data":  # bytes or an array-like of numbers
        return label in {"None", "'no'", "object()", "Idx(5)", "Idx(-1)"} or None
    if kind == "bytes16":
        return label != "None"
    return None


# ---------------------------------------------------------------------------------------------
# Cases
def sweep(entry: str, template: str, arg: str, kind: str, names: list[str] | None = None,
          alias: tuple[str, ...] = ()) -> list[dict]:
    cases = []
    for label, expr in VALUES:
        if names is not None and label not in names:
            continue
        cases.append(dict(entry=entry, code=template.replace("X", expr) if "X" in template
                          else template, arg=arg, alias=list(alias), kind=kind, label=label,
                          bad=is_bad(kind, label)))
    return cases


def single(entry: str, code: str, expect: str = "any", arg: str | None = None,
           alias: tuple[str, ...] = (), timeout: float = 20.0) -> dict:
    """expect: any | ok | raise | timeout (TimeoutError or False) | interrupt | closed."""
    return dict(entry=entry, code=code, arg=arg, alias=list(alias), kind="single", label=expect,
                bad=(True if expect == "raise" else None), expect=expect, timeout=timeout)


def build_cases() -> list[dict]:
    C: list[dict] = []
    T = "ci.MemoryHandleType.OPAQUE_FD"
    S = "ci.SemaphoreHandleType.OPAQUE_FD"
    # -- ExternalMemory imports ----------------------------------------------------------
    C += sweep("ExternalMemory.from_fd(fd)", "ci.ExternalMemory.from_fd(X, 4096)", "fd", "fd")
    C += sweep("ExternalMemory.from_fd(size)", "ci.ExternalMemory.from_fd(rfd, X)", "size", "size")
    C += sweep("ExternalMemory.from_fd(dedicated)",
               "ci.ExternalMemory.from_fd(rfd, 4096, dedicated=X)", "dedicated", "flag", SHORT)
    C += sweep("ExternalMemory.from_fd(device)",
               "ci.ExternalMemory.from_fd(rfd, 4096, device=X)", "device", "device",
               alias=("ordinal",))
    C += sweep("ExternalMemory.from_fd(take_ownership)",
               "ci.ExternalMemory.from_fd(rfd, 4096, take_ownership=X)", "take_ownership", "flag",
               SHORT)
    for name in ("from_win32", "from_d3d12_heap", "from_d3d12_resource", "from_d3d11_resource"):
        C += sweep(f"ExternalMemory.{name}(handle)", f"ci.ExternalMemory.{name}(X, 4096)",
                   "handle", "handle")
        C += sweep(f"ExternalMemory.{name}(size)", f"ci.ExternalMemory.{name}(1, X)", "size",
                   "size", SHORT)
        C += sweep(f"ExternalMemory.{name}(device)", f"ci.ExternalMemory.{name}(1, 4096, device=X)",
                   "device", "device", SHORT, alias=("ordinal",))
        C += sweep(f"ExternalMemory.{name}(take_ownership)",
                   f"ci.ExternalMemory.{name}(1, 4096, take_ownership=X)", "take_ownership",
                   "flag", SHORT)
    C += sweep("ExternalMemory.from_win32(dedicated)",
               "ci.ExternalMemory.from_win32(1, 4096, dedicated=X)", "dedicated", "flag", SHORT)
    C += sweep("ExternalMemory.from_d3d11_resource(kmt)",
               "ci.ExternalMemory.from_d3d11_resource(1, 4096, kmt=X)", "kmt", "flag", SHORT)
    C += sweep("ExternalMemory.from_win32_kmt(handle)", "ci.ExternalMemory.from_win32_kmt(X, 4096)",
               "handle", "handle", SHORT)
    C += sweep("ExternalMemory.from_nvscibuf(obj)", "ci.ExternalMemory.from_nvscibuf(X, 4096)",
               "handle", "handle", SHORT, alias=("obj", "object"))
    C += sweep("ExternalMemory.from_nvscibuf(size)", "ci.ExternalMemory.from_nvscibuf(1, X)",
               "size", "size", SHORT)
    C += sweep("ExternalMemory.from_share(share)", "ci.ExternalMemory.from_share(X)", "share",
               "obj", SHORT)
    C += sweep("ExternalMemory.from_share(device)", "ci.ExternalMemory.from_share(share, device=X)",
               "device", "device", alias=("ordinal",))
    for fdname in ("rfd", "sockfd", "dirfd", "filefd", "closedfd", "0"):
        C.append(single(f"ExternalMemory.from_fd({fdname} fd)",
                        f"ci.ExternalMemory.from_fd({fdname}, 4096)", "raise",
                        arg="fd" if fdname == "closedfd" else None))
        C.append(single(f"ExternalSemaphore.from_fd({fdname} fd)",
                        f"ci.ExternalSemaphore.from_fd({fdname}, timeline=True)", "raise",
                        arg="fd" if fdname == "closedfd" else None))
    C.append(single("ExternalMemory.from_share(closed share)",
                    "ci.ExternalMemory.from_share(closed_share)", "raise", arg="clos",
                    alias=("share",)))
    C.append(single("ExternalMemory.from_win32('') on Linux",
                    "ci.ExternalMemory.from_win32('', 4096)", "raise"))
    C.append(single("ExternalMemory.from_win32(name, take_ownership)",
                    "ci.ExternalMemory.from_win32('n', 4096, take_ownership=True)", "raise",
                    arg="take_ownership"))
    C.append(single("ExternalMemory.from_fd(take_ownership) failed import keeps fd",
                    "fd = os.dup(rfd)\ntry:\n    ci.ExternalMemory.from_fd(fd, 4096, "
                    "take_ownership=True)\nexcept Exception:\n    pass\nos.fstat(fd)\nos.close(fd)",
                    "ok"))
    C.append(single("ExternalMemory closed object methods",
                    "m = ci.ExternalMemory.__new__(ci.ExternalMemory); m._native = None\n"
                    "expect_closed(lambda: m.map_buffer())\nexpect_closed(lambda: m.size)\n"
                    "expect_closed(lambda: m.map_mipmapped_array())\nrepr(m)", "ok"))
    C.append(single("ExternalMemory pickle", "import pickle\n"
                    "m = ci.ExternalMemory.__new__(ci.ExternalMemory); m._native = None\n"
                    "pickle.dumps(m)", "raise"))
    # -- ExternalSemaphore imports ---------------------------------------------------------
    C += sweep("ExternalSemaphore.from_fd(fd)", "ci.ExternalSemaphore.from_fd(X, timeline=True)",
               "fd", "fd")
    C += sweep("ExternalSemaphore.from_fd(timeline)",
               "ci.ExternalSemaphore.from_fd(rfd, timeline=X)", "timeline", "flag", SHORT)
    C += sweep("ExternalSemaphore.from_fd(device)",
               "ci.ExternalSemaphore.from_fd(rfd, timeline=True, device=X)", "device", "device",
               SHORT, alias=("ordinal",))
    C += sweep("ExternalSemaphore.from_fd(take_ownership)",
               "ci.ExternalSemaphore.from_fd(rfd, timeline=True, take_ownership=X)",
               "take_ownership", "flag", SHORT)
    for name, extra in (("from_win32", ", timeline=True"), ("from_d3d12_fence", ""),
                        ("from_d3d11_fence", ""), ("from_keyed_mutex", "")):
        C += sweep(f"ExternalSemaphore.{name}(handle)", f"ci.ExternalSemaphore.{name}(X{extra})",
                   "handle", "handle", SHORT)
        C += sweep(f"ExternalSemaphore.{name}(device)",
                   f"ci.ExternalSemaphore.{name}(1{extra}, device=X)", "device", "device", SHORT,
                   alias=("ordinal",))
    C += sweep("ExternalSemaphore.from_keyed_mutex(kmt)",
               "ci.ExternalSemaphore.from_keyed_mutex(1, kmt=X)", "kmt", "flag", SHORT)
    C += sweep("ExternalSemaphore.from_win32_kmt(handle)",
               "ci.ExternalSemaphore.from_win32_kmt(X)", "handle", "handle", SHORT)
    C += sweep("ExternalSemaphore.from_nvscisync(obj)", "ci.ExternalSemaphore.from_nvscisync(X)",
               "handle", "handle", SHORT, alias=("obj", "object"))
    C += sweep("ExternalSemaphore.from_share(share)", "ci.ExternalSemaphore.from_share(X)",
               "share", "obj", SHORT)
    C += sweep("ExternalSemaphore.from_share(device)",
               "ci.ExternalSemaphore.from_share(sshare, device=X)", "device", "device", SHORT,
               alias=("ordinal",))
    C.append(single("ExternalSemaphore.from_share(closed)",
                    "ci.ExternalSemaphore.from_share(closed_sshare)", "raise", arg="clos",
                    alias=("share",)))
    # semaphore operations on a closed ExternalSemaphore; batched forms
    C += sweep("signal_semaphores(items)", "ci.signal_semaphores(X)", "items", "obj", SHORT,
               alias=("item", "sequence", "iterable"))
    C += sweep("wait_semaphores(items)", "ci.wait_semaphores(X)", "items", "obj", SHORT,
               alias=("item", "sequence", "iterable"))
    C += sweep("signal_semaphores(item)", "ci.signal_semaphores([X])", "item", "obj", SHORT)
    C += sweep("wait_semaphores(item semaphore)", "ci.wait_semaphores([(X, 1)])", "item", "obj",
               SHORT)
    C += sweep("wait_semaphores(timeout_ms)", "ci.wait_semaphores([(xsem, 1, X)])", "timeout_ms",
               "u64", SHORT, alias=("closed",))
    C += sweep("signal_semaphores(value)", "ci.signal_semaphores([(xsem, X)])", "value", "u64",
               SHORT, alias=("closed",))
    C += sweep("signal_semaphores(stream)", "ci.signal_semaphores([], stream=X)", "stream",
               "stream")
    C += sweep("ExternalSemaphore.signal(value) closed", "xsem.signal(X)", "value", "u64", SHORT,
               alias=("closed",))
    C += sweep("ExternalSemaphore.wait(timeout_ms) closed", "xsem.wait(1, timeout_ms=X)",
               "timeout_ms", "u64", SHORT, alias=("closed",))
    C += sweep("ExternalSemaphore.signal(stream) closed", "xsem.signal(1, stream=X)", "stream",
               "stream", SHORT, alias=("closed",))
    C.append(single("signal_semaphores short tuple", "ci.signal_semaphores([(xsem,)])", "raise",
                    arg="item"))
    C.append(single("wait_semaphores 4-tuple", "ci.wait_semaphores([(xsem, 1, 2, 3)])", "raise",
                    arg="item"))
    C.append(single("stream __cuda_stream__ garbage",
                    "class St:\n    def __cuda_stream__(self):\n        return 'x'\n"
                    "ci.signal_semaphores([], stream=St())", "raise", arg="stream"))
    C.append(single("stream __cuda_stream__ short",
                    "class St:\n    def __cuda_stream__(self):\n        return (0,)\n"
                    "ci.signal_semaphores([], stream=St())", "raise", arg="stream"))
    C.append(single("stream .ptr numpy", "class St:\n    ptr = np.int64(5)\n"
                    "ci.signal_semaphores([], stream=St())", "any", arg="stream"))
    # -- Share descriptors ---------------------------------------------------------------
    C += sweep("MemoryShare(type)", "ci.MemoryShare(X, dup(), 4096)", "type", "obj", SHORT)
    C += sweep("MemoryShare(handle)", f"ci.MemoryShare({T}, X, 4096, owned=False)", "handle",
               "handle", alias=("fd",))
    C += sweep("MemoryShare(size)", f"ci.MemoryShare({T}, dup(), X)", "size", "size")
    C += sweep("MemoryShare(dedicated)", f"ci.MemoryShare({T}, dup(), 4096, dedicated=X)",
               "dedicated", "flag", SHORT)
    C += sweep("MemoryShare(device_uuid)", f"ci.MemoryShare({T}, dup(), 4096, device_uuid=X)",
               "device_uuid", "bytes16", SHORT)
    C += sweep("MemoryShare(device_luid)", f"ci.MemoryShare({T}, dup(), 4096, device_luid=X)",
               "device_luid", "bytes16", SHORT)
    C += sweep("MemoryShare(image)", f"ci.MemoryShare({T}, dup(), 4096, image=X)", "image",
               "bytes16", SHORT)
    C += sweep("MemoryShare(owned)", f"ci.MemoryShare({T}, dup(), 4096, owned=X)", "owned", "flag",
               SHORT)
    C += sweep("SemaphoreShare(type)", "ci.SemaphoreShare(X, dup())", "type", "obj", SHORT)
    C += sweep("SemaphoreShare(handle)", f"ci.SemaphoreShare({S}, X, owned=False)", "handle",
               "handle", alias=("fd",))
    C += sweep("SemaphoreShare(device_uuid)", f"ci.SemaphoreShare({S}, dup(), device_uuid=X)",
               "device_uuid", "bytes16", SHORT)
    C += sweep("SemaphoreShare(owned)", f"ci.SemaphoreShare({S}, dup(), owned=X)", "owned", "flag",
               SHORT)
    C.append(single("MemoryShare wrong-length uuid",
                    f"ci.MemoryShare({T}, dup(), 4096, device_uuid=b'x'*15)", "raise",
                    arg="device_uuid"))
    C.append(single("MemoryShare name on Linux fd type",
                    f"ci.MemoryShare({T}, 'name', 4096)", "raise", arg="handle"))
    C.append(single("MemoryShare close/release twice",
                    f"s = ci.MemoryShare({T}, dup(), 4096)\nfd = s.release()\nos.close(fd)\n"
                    "s.close(); s.close()\nexpect_closed(lambda: s.release())", "ok"))
    C.append(single("MemoryShare closed properties",
                    "assert closed_share.handle is None and closed_share.closed\n"
                    "closed_share.size\n"
                    "closed_share.validate()", "raise", arg="clos"))
    C.append(single("MemoryShare owned fd closed on gc",
                    f"s = ci.MemoryShare({T}, dup(), 4096)\ndel s", "ok"))
    C.append(single("SemaphoreShare timeline fd", "ci.SemaphoreShare("
                    "ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD, dup()).validate()", "any"))
    C.append(single("MemoryShare D3D12 type on Linux",
                    "ci.MemoryShare(ci.MemoryHandleType.D3D12_HEAP, 5, 4096, owned=False)"
                    ".validate()", "any"))
    # -- ImageLayout / formats / mipmapped entry points ------------------------------------
    IL = "ci.ImageLayout(ci.ChannelKind.UNSIGNED, {b}, {c}, {e}, {lv}, {f}, {o})"
    base = dict(b="8", c="4", e="(16, 16, 0)", lv="1", f="0", o="0")
    for key, name, kind in (("b", "bits", "size"), ("c", "channels", "size"),
                            ("lv", "levels", "size"), ("f", "flags", "offset"),
                            ("o", "offset", "offset")):
        C += sweep(f"ImageLayout({name})", IL.format(**{**base, key: "X"}), name, kind)
    C += sweep("ImageLayout(extent)", IL.format(**{**base, "e": "(X, 16, 0)"}), "extent", "offset",
               alias=("width",))
    C += sweep("ImageLayout(extent tuple)", IL.format(**{**base, "e": "X"}), "extent", "obj",
               SHORT)
    C += sweep("ImageLayout(kind)", IL.replace("ci.ChannelKind.UNSIGNED", "X").format(**base),
               "kind", "obj", SHORT)
    C += sweep("ImageLayout.with_flags", IL.format(**base) + ".with_flags(X)", "flags", "offset",
               SHORT)
    C += sweep("array_format(dtype)", "ci.array_format(X)", "dtype", "obj", SHORT,
               alias=("format",))
    C += sweep("array_format(channels)", "ci.array_format('uint8', X)", "channels", "optsize",
               SHORT)
    C += sweep("ArrayFlags.from_options",
               "ci.ArrayFlags.from_options(layered=X, cubemap=False, surface_load_store=False, "
               "color_attachment=False, texture_gather=False)", "layered", "flag", SHORT)
    C.append(single("ExternalMemory.map_mipmapped_array extent len",
                    "m = ci.ExternalMemory.__new__(ci.ExternalMemory); m._native = None\n"
                    "m.map_mipmapped_array('uint8', 4, (1, 2))", "raise", arg="clos",
                    alias=("extent",)))
    # -- SharedAllocation / devices ------------------------------------------------------
    C += sweep("SharedAllocation(size)", "ci.SharedAllocation(X)", "size", "size")
    C += sweep("SharedAllocation(device)", "ci.SharedAllocation(4096, device=X)", "device",
               "device", alias=("ordinal",))
    C += sweep("Device(ordinal)", "ci.Device(X)", "ordinal", "device", alias=("device",))
    C += sweep("Device.from_uuid", "ci.Device.from_uuid(X)", "uuid", "obj", SHORT)
    C += sweep("Device.from_luid", "ci.Device.from_luid(X)", "luid", "obj", SHORT)
    C.append(single("Device.from_uuid bad text", "ci.Device.from_uuid('GPU-zzz')", "raise",
                    arg="uuid"))
    C.append(single("devices()", "ci.devices()", "ok"))
    C.append(single("driver_version()", "ci.driver_version()", "ok"))
    C.append(single("runtime_version()", "ci.runtime_version()", "ok"))
    # -- Vulkan ------------------------------------------------------------------------------
    C += sweep("vulkan.Context(device)", "vulkan.Context(X)", "device", "device", SHORT,
               alias=("ordinal", "uuid"))
    C += sweep("vulkan.Context(physical_device_index)",
               "vulkan.Context(physical_device_index=X)", "physical_device_index", "optoffset")
    C += sweep("Context.create_buffer(size)", "ctx.create_buffer(X)", "size", "size")
    C += sweep("Context.create_buffer(dedicated)", "ctx.create_buffer(4096, dedicated=X)",
               "dedicated", "optflag", SHORT)
    C += sweep("Context.create_image(format)", "ctx.create_image(X, 16, 16)", "format", "obj",
               SHORT)
    C += sweep("Context.create_image(width)", "ctx.create_image('R8G8B8A8_UNORM', X, 16)",
               "width", "size")
    C += sweep("Context.create_image(height)", "ctx.create_image('R8G8B8A8_UNORM', 16, X)",
               "height", "size", SHORT)
    C += sweep("Context.create_image(depth)", "ctx.create_image('R8G8B8A8_UNORM', 16, 16, X)",
               "depth", "size", SHORT)
    C += sweep("Context.create_image(levels)",
               "ctx.create_image('R8G8B8A8_UNORM', 16, 16, levels=X)", "levels", "size")
    C += sweep("Context.create_image(layers)",
               "ctx.create_image('R8G8B8A8_UNORM', 16, 16, layers=X)", "layers", "size", SHORT)
    C += sweep("Context.create_image(color_attachment)",
               "ctx.create_image('R8G8B8A8_UNORM', 16, 16, color_attachment=X)",
               "color_attachment", "flag", SHORT)
    C += sweep("Context.create_semaphore(timeline)", "ctx.create_semaphore(X, exportable=False)",
               "timeline", "flag", SHORT)
    C += sweep("Context.create_semaphore(initial_value)",
               "ctx.create_semaphore(True, X, exportable=False)", "initial_value", "u64")
    C += sweep("Context.create_semaphore(exportable)", "ctx.create_semaphore(exportable=X)",
               "exportable", "flag", SHORT)
    C += sweep("Context.import_buffer_fd(fd)", "ctx.import_buffer_fd(X, buf.import_desc())", "fd",
               "fd", SHORT)
    C += sweep("Context.import_buffer_fd(desc)", "ctx.import_buffer_fd(rfd, X)", "desc", "obj",
               SHORT)
    C += sweep("Context.submit(wait)", "ctx.submit(wait=X)", "wait", "obj", SHORT)
    C += sweep("Context.submit(wait item)", "ctx.submit(wait=[X])", "wait", "obj", SHORT)
    C += sweep("Context.submit(wait value)", "ctx.submit(signal=[(sem, X)])", "value", "u64",
               SHORT, alias=("signal",))
    C += sweep("Context.submit(block)", "ctx.submit(block=X)", "block", "flag", SHORT)
    C += sweep("Context.submit(timeout)", "ctx.submit(timeout=X)", "timeout", "seconds")
    C += sweep("Context.wait_idle(timeout)", "ctx.wait_idle(X)", "timeout", "seconds")
    C += sweep("Buffer.fill(value)", "buf.fill(X)", "value", "u64", SHORT)
    C += sweep("Buffer.fill(offset)", "buf.fill(0, X)", "offset", "offset")
    C += sweep("Buffer.fill(size)", "buf.fill(0, 0, X)", "size", "optsize", SHORT)
    C += sweep("Buffer.fill(block)", "buf.fill(0, block=X)", "block", "flag", SHORT)
    C += sweep("Buffer.fill(timeout)", "buf.fill(0, timeout=X)", "timeout", "seconds", SHORT)
    C += sweep("Buffer.upload(data)", "buf.upload(X)", "data", "data", SHORT)
    C += sweep("Buffer.upload(offset)", "buf.upload(b'abcd', X)", "offset", "offset")
    C += sweep("Buffer.download(size)", "buf.download(X)", "size", "optsize")
    C += sweep("Buffer.download(offset)", "buf.download(4, X)", "offset", "offset", SHORT)
    C += sweep("Buffer.download(out)", "buf.download(out=X)", "out", "optobj", SHORT)
    C += sweep("Buffer.download(timeout)", "buf.download(4, timeout=X)", "timeout", "seconds",
               SHORT)
    C += sweep("Buffer.copy_to(destination)", "buf.copy_to(X)", "destination", "obj", SHORT)
    C += sweep("Buffer.copy_to(size)", "buf.copy_to(buf2, X)", "size", "optsize", SHORT)
    C += sweep("Buffer.copy_to(source_offset)", "buf.copy_to(buf2, 4, X)", "source_offset",
               "offset", SHORT)
    C += sweep("Buffer.copy_to(destination_offset)", "buf.copy_to(buf2, 4, 0, X)",
               "destination_offset", "offset", SHORT)
    C += sweep("Buffer.to_cuda(device)", "buf.to_cuda(X)", "device", "device", SHORT,
               alias=("ordinal",))
    C += sweep("Image.upload(level)", "img.upload(X, np.zeros(img.level_size(0), np.uint8))",
               "level", "offset", SHORT)
    C += sweep("Image.upload(data)", "img.upload(0, X)", "data", "data", SHORT, alias=("bytes",))
    C += sweep("Image.download(level)", "img.download(X)", "level", "offset", SHORT)
    C += sweep("Image.download(out)", "img.download(0, out=X)", "out", "optobj", SHORT)
    C += sweep("Image.level_extent(level)", "img.level_extent(X)", "level", "offset", SHORT)
    C += sweep("Image.level_size(level)", "img.level_size(X)", "level", "offset", SHORT)
    C += sweep("Image.level_shape(level)", "img.level_shape(X)", "level", "offset", SHORT)
    C += sweep("Image.copy_from_buffer(source)", "img.copy_from_buffer(X)", "source", "obj",
               SHORT)
    C += sweep("Image.copy_from_buffer(source_offset)", "img.copy_from_buffer(buf, 0, X)",
               "source_offset", "offset", SHORT)
    C += sweep("Image.copy_to_buffer(destination)", "img.copy_to_buffer(X)", "destination",
               "obj", SHORT)
    C += sweep("Image.map_to_cuda(device)", "img.map_to_cuda(X)", "device", "device", SHORT,
               alias=("ordinal",))
    C += sweep("Semaphore.signal(value)", "sem.signal(X)", "value", "u64")
    C += sweep("Semaphore.wait(value)", "sem.wait(X, timeout=0.01)", "value", "u64")
    C += sweep("Semaphore.wait(timeout)", "sem.signal(1)\nsem.wait(1, timeout=X)", "timeout",
               "seconds")
    C += sweep("FrameRing(context)", "vulkan.FrameRing(X, 4096)", "context", "obj", SHORT)
    C += sweep("FrameRing(nbytes)", "vulkan.FrameRing(ctx, X)", "nbytes", "size", SHORT,
               alias=("size",))
    C += sweep("FrameRing(slots)", "vulkan.FrameRing(ctx, 4096, X)", "slots", "size", SHORT)
    C.append(single("vulkan.formats()", "assert vulkan.formats()", "ok"))
    C.append(single("vulkan.physical_devices()", "assert vulkan.physical_devices()", "ok"))
    C.append(single("Buffer.export_fd closes", "os.close(buf.export_fd())", "ok"))
    C.append(single("Buffer.export_share closes", "buf.export_share().close()", "ok"))
    C.append(single("Image.export_share", "s = img.export_share(); assert s.image; s.close()",
                    "ok"))
    C.append(single("Buffer.export_win32 on Linux", "buf.export_win32()", "raise"))
    C.append(single("Semaphore export on lavapipe",
                    "ctx.create_semaphore()", "raise"))
    C.append(single("upload/download roundtrip",
                    "buf.upload(np.arange(64, dtype=np.uint8))\n"
                    "assert (buf.download(64) == np.arange(64, dtype=np.uint8)).all()", "ok"))
    C.append(single("fill/copy roundtrip",
                    "buf.fill(0x01020304)\nbuf.copy_to(buf2)\n"
                    "assert buf2.download(4).tolist() == [4, 3, 2, 1]", "ok"))
    C.append(single("download beyond end", "buf.download(8192)", "raise", arg="size",
                    alias=("bytes",)))
    C.append(single("upload beyond end", "buf.upload(np.zeros(8192, np.uint8))", "raise",
                    arg="data", alias=("size", "bytes")))
    C.append(single("fill unaligned offset", "buf.fill(0, 3)", "raise", arg="offset"))
    C.append(single("download out too small", "buf.download(8, out=np.empty(4, np.uint8))",
                    "any", arg="out"))
    C.append(single("download out non-contiguous",
                    "buf.download(out=np.empty((8, 8), np.uint8)[:, ::2])", "raise", arg="out",
                    alias=("contiguous",)))
    C.append(single("download out read-only",
                    "a = np.empty(8, np.uint8); a.flags.writeable = False\nbuf.download(out=a)",
                    "raise", arg="out", alias=("writ", "read-only", "readonly")))
    C.append(single("image upload wrong size", "img.upload(0, np.zeros(3, np.uint8))", "raise",
                    arg="data", alias=("bytes", "size")))
    C.append(single("copy_to other context",
                    "b = ctx2.create_buffer(4096)\nbuf.copy_to(b)", "raise",
                    arg="destination", alias=("context",)))
    C.append(single("create_image unknown name", "ctx.create_image('NOPE', 4, 4)", "raise",
                    arg="format"))
    C.append(single("create_image 3D and layers",
                    "ctx.create_image('R8G8B8A8_UNORM', 4, 4, 4, layers=2)", "raise",
                    arg="layers", alias=("depth",)))
    C.append(single("create_image too many levels",
                    "ctx.create_image('R8G8B8A8_UNORM', 4, 4, levels=9)", "raise", arg="levels"))
    C.append(single("timeline signal not increasing",
                    "sem.signal(5)\nsem.signal(3)", "raise", arg="value"))
    C.append(single("timeline signal equal", "sem.signal(5)\nsem.signal(5)", "raise",
                    arg="value"))
    C.append(single("timeline wait reached", "sem.signal(5)\nassert sem.wait(5, timeout=0)",
                    "ok"))
    C.append(single("timeline wait unsignalled", "assert sem.wait(5, timeout=0.05) is False",
                    "ok"))
    C.append(single("binary wait nothing pending", "bsem.wait(timeout=0.05)", "raise"))
    C.append(single("submit binary wait nothing pending", "ctx.submit(wait=[bsem])", "raise"))
    C.append(single("submit timeline needs value", "ctx.submit(wait=[sem])", "raise",
                    arg="value"))
    C.append(single("submit 3-tuple", "ctx.submit(wait=[(sem, 1, 2)])", "raise", arg="wait"))
    C.append(single("submit wait None item", "ctx.submit(wait=[None])", "raise", arg="wait"))
    C.append(single("submit signal ok", "ctx.submit(signal=[(sem, 3)])\n"
                    "assert sem.value == 3", "ok"))
    C.append(single("submit block timeout unsignalled",
                    "ctx.submit(wait=[(sem, 9)], timeout=0.1)", "timeout"))
    C.append(single("fill timeout unsignalled", "buf.fill(0, wait=[(sem, 9)], timeout=0.1)",
                    "timeout"))
    C.append(single("download timeout unsignalled",
                    "buf.download(4, wait=[(sem, 9)], timeout=0.1)", "timeout"))
    C.append(single("download waits on sem of other context",
                    "s2 = ctx2.create_semaphore(exportable=False)\n"
                    "buf.download(4, wait=[(s2, 1)], timeout=0.1)", "raise", arg="wait",
                    alias=("context",)))
    C.append(single("wait_idle after queued unsignalled",
                    "buf.fill(0, wait=[(sem, 9)], block=False)\nr = ctx.wait_idle(0.1)\n"
                    "sem.signal(9)\nassert r is False\nassert ctx.wait_idle(5)", "ok"))
    C.append(single("close ctx with queued work",
                    "buf.fill(0, wait=[(sem, 9)], block=False)\nctx.close()\nsem.signal(9)",
                    "any"))
    C.append(single("close ctx then use buffer", "ctx.close()\nbuf.fill(0)\nbuf.download(4)",
                    "any"))
    C.append(single("closed objects", "for o in (closed_buf, closed_img, closed_sem, "
                    "closed_ctx):\n    o.close()\n    repr(o)\n"
                    "expect_closed(lambda: closed_buf.fill(0))\n"
                    "expect_closed(lambda: closed_buf.download())\n"
                    "expect_closed(lambda: closed_buf.export_share())\n"
                    "expect_closed(lambda: closed_img.download())\n"
                    "expect_closed(lambda: closed_sem.wait(1, 0))\n"
                    "expect_closed(lambda: closed_sem.signal(1))\n"
                    "expect_closed(lambda: closed_ctx.create_buffer(4))\n"
                    "expect_closed(lambda: closed_ctx.submit())\n"
                    "expect_closed(lambda: closed_ctx.wait_idle())\n"
                    "expect_closed(lambda: buf.copy_to(closed_buf))\n"
                    "expect_closed(lambda: ctx.submit(signal=[(closed_sem, 1)]))\n"
                    "expect_closed(lambda: img.copy_from_buffer(closed_buf))\n"
                    "expect_closed(lambda: vulkan.FrameRing(closed_ctx, 64))", "ok"))
    C.append(single("with closed object", "with closed_buf:\n    pass", "raise", arg="clos"))
    C.append(single("Context both device and index",
                    "vulkan.Context(0, physical_device_index=0)", "raise",
                    arg="physical_device_index"))
    C.append(single("Context bytes uuid unknown", "vulkan.Context(b'\\0' * 16)", "raise"))
    C.append(single("Context uuid.UUID", "import uuid\nvulkan.Context(uuid.uuid4())", "raise"))
    C.append(single("Context index beyond", "vulkan.Context(physical_device_index=99)", "raise",
                    arg="physical_device_index", alias=("index",)))
    C.append(single("import_buffer_fd wrong fd", "ctx.import_buffer_fd(rfd, buf.import_desc())",
                    "raise"))
    C.append(single("import_buffer_fd roundtrip",
                    "fd = buf.export_fd()\ntry:\n"
                    "    b = ctx.import_buffer_fd(fd, buf.import_desc())"
                    "\nfinally:\n    os.close(fd)\nbuf.fill(0x05050505)\n"
                    "assert b.download(4).tolist() == [5] * 4\nb.close()", "ok"))
    C.append(single("import_buffer_fd closed fd",
                    "ctx.import_buffer_fd(closedfd, buf.import_desc())", "raise", arg="fd"))
    C.append(single("import_buffer_fd desc tampered",
                    "d = buf.import_desc()._replace(size=2**62)\nctx.import_buffer_fd(rfd, d)",
                    "raise", arg="size", alias=("fd",)))
    C.append(single("import_buffer_fd desc bad types",
                    "d = buf.import_desc()._replace(memory_type_index='x')\n"
                    "ctx.import_buffer_fd(rfd, d)", "raise", arg="memory_type_index"))
    C.append(single("import_buffer_fd desc tuple",
                    "ctx.import_buffer_fd(rfd, (4096, 4096, 0, False))", "any", arg="desc"))
    C.append(single("FrameRing on lavapipe", "vulkan.FrameRing(ctx, 4096)", "raise"))
    # threads / signals / hangs
    C.append(single("SIGINT during Semaphore.wait",
                    "sigint_after(0.3)\nsem.wait(5)", "interrupt"))
    C.append(single("SIGINT during submit block",
                    "sigint_after(0.3)\nctx.submit(wait=[(sem, 5)])", "interrupt"))
    C.append(single("SIGINT during fill block",
                    "sigint_after(0.3)\nbuf.fill(0, wait=[(sem, 5)])", "interrupt"))
    C.append(single("SIGINT during download",
                    "sigint_after(0.3)\nbuf.download(4, wait=[(sem, 5)])", "interrupt"))
    C.append(single("SIGINT during image download",
                    "sigint_after(0.3)\nimg.download(0, wait=[(sem, 5)])", "interrupt"))
    C.append(single("SIGINT during wait_idle",
                    "buf.fill(0, wait=[(sem, 5)], block=False)\nsigint_after(0.3)\n"
                    "try:\n    ctx.wait_idle()\nfinally:\n    sem.signal(5)", "interrupt"))
    C.append(single("SIGINT during ipc receive",
                    "a, b = socket.socketpair()\nsigint_after(0.3)\n"
                    "try:\n    ipc.receive_share(a, 'memory')\nfinally:\n    a.close(); b.close()",
                    "interrupt"))
    C.append(single("thread closes Semaphore during wait",
                    "in_thread(0.2, sem.close)\nsem.wait(5, timeout=1.0)", "any"))
    C.append(single("thread closes Context during blocked fill",
                    "in_thread(0.2, ctx.close)\nin_thread(0.5, lambda: sem.signal(5))\n"
                    "buf.fill(0, wait=[(sem, 5)], timeout=3)", "any"))
    C.append(single("thread closes Buffer during blocked download",
                    "in_thread(0.2, buf.close)\nin_thread(0.5, lambda: sem.signal(5))\n"
                    "buf.download(4, wait=[(sem, 5)], timeout=3)", "any"))
    C.append(single("thread closes Context during wait_idle",
                    "buf.fill(0, wait=[(sem, 5)], block=False)\nin_thread(0.2, ctx.close)\n"
                    "in_thread(0.5, lambda: sem.signal(5))\nctx.wait_idle(3)", "any"))
    C.append(single("threads hammer buffer while closing",
                    "import threading\nerrs = []\n"
                    "def work():\n    for _ in range(50):\n        try:\n"
                    "            buf.fill(0); buf.download(4)\n"
                    "        except ci.ClosedError:\n            return\n"
                    "        except Exception as e:\n            errs.append(e); return\n"
                    "ts = [threading.Thread(target=work) for _ in range(3)]\n"
                    "[t.start() for t in ts]\ntime.sleep(0.02)\nbuf.close()\n"
                    "[t.join() for t in ts]\nassert not errs, errs", "ok"))
    C.append(single("threads close share while importing",
                    "in_thread(0.0, share.close)\nci.ExternalMemory.from_share(share)", "raise"))
    C.append(single("fork child uses context",
                    "pid = os.fork()\nif pid == 0:\n    try:\n        buf.fill(0)\n"
                    "    except BaseException:\n        os._exit(0)\n    os._exit(0)\n"
                    "_, st = os.waitpid(pid, 0)\nassert os.waitstatus_to_exitcode(st) == 0, st",
                    "ok"))
    # -- d3d12 on Linux ----------------------------------------------------------------------
    C.append(single("d3d12.available", "assert d3d12.available is False\n"
                    "assert d3d12.unavailable_reason", "ok"))
    for code in ("d3d12.adapters()", "d3d12.Device()", "d3d12.Device(0)", "d3d12.Device('no')",
                 "d3d12.Device(luid=b'x')", "d3d12.hresult_name(0)", "d3d12.hresult_name('no')",
                 "d3d12.hresult_name(2**200)", "d3d12.close_handle(1)",
                 "d3d12.close_handle(None)", "d3d12.ResourceFlags('x')"):
        C.append(single(f"d3d12 {code}", code, "raise"))
    for code in ("d3d12.HeapFlags(2**200)", "d3d12.Format.R8_UNORM"):
        C.append(single(f"d3d12 {code}", code, "any"))
    # -- ipc ---------------------------------------------------------------------------------
    C += sweep("ipc.send_share(sock)", "ipc.send_share(X, ci.MemoryShare("
               f"{T}, dup(), 4096))", "sock", "obj", SHORT, alias=("socket",))
    C += sweep("ipc.send_share(share)", "ipc.send_share(sa, X)", "share", "obj", SHORT,
               alias=("memoryshare",))
    C += sweep("ipc.send_memory(memory)", "ipc.send_memory(sa, X)", "memory", "obj", SHORT,
               alias=("memoryshare", "export_share"))
    C += sweep("ipc.send_semaphore(semaphore)", "ipc.send_semaphore(sa, X)", "semaphore", "obj",
               SHORT, alias=("semaphoreshare", "export_share"))
    C += sweep("ipc.receive_share(sock)", "ipc.receive_share(X, 'memory', timeout=0.05)", "sock",
               "obj", SHORT, alias=("socket",))
    C += sweep("ipc.receive_share(kind)", "ipc.receive_share(sa, X, timeout=0.05)", "kind", "obj",
               SHORT)
    C += sweep("ipc.receive_share(timeout)", "ipc.receive_share(sa, 'memory', timeout=X)",
               "timeout", "seconds", [v for v in SHORT if v != "None"])
    C += sweep("ipc.receive_share(allow_uids)",
               "ipc.receive_share(sa, 'memory', timeout=0.05, allow_uids=X)", "allow_uids",
               "optobj",
               SHORT, alias=("uid",))
    C += sweep("ipc.receive_memory(device)",
               "ipc.receive_memory(sa, device=X, timeout=0.05)", "device", "device", SHORT,
               alias=("ordinal",))
    for label, setup in (
        ("closed socket", "s = socket.socket(socket.AF_UNIX); s.close()"),
        ("udp socket", "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"),
        ("unconnected unix", "s = socket.socket(socket.AF_UNIX)"),
        ("tcp unconnected", "s = socket.socket(socket.AF_INET)"),
        ("peer closed", "s, t = socket.socketpair(); t.close()"),
        ("peer stalls", "s, t = socket.socketpair()"),
        ("garbage", "s, t = socket.socketpair(); t.sendall(b'hello world, not a frame')"),
        ("partial then close",
         "s, t = socket.socketpair(); t.sendall(b'CIs1\\x00\\x00\\x00\\x40{'); t.close()"),
        ("partial then stall", "s, t = socket.socketpair(); t.sendall(b'CIs1\\x00\\x00')"),
        ("huge length", "s, t = socket.socketpair(); t.sendall(b'CIs1\\xff\\xff\\xff\\xff')"),
        ("dgram unix", "s, t = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM);"
                       " t.send(b'CIs1')"),
        ("file object", "s = open(os.devnull, 'rb')"),
        ("int fd", "s = rfd"),
    ):
        C.append(single(f"ipc.receive_share({label})",
                        f"{setup}\ntry:\n    ipc.receive_share(s, 'memory', timeout=0.2)\n"
                        "finally:\n    [x.close() for x in (s, locals().get('t')) "
                        "if hasattr(x, 'close')]", "raise", arg="sock" if label in (
                            "file object", "int fd", "closed socket") else None,
                        alias=("socket", "closed")))
        C.append(single(f"ipc.send_share({label})",
                        f"{setup}\ntry:\n    ipc.send_share(s, ci.MemoryShare({T}, dup(), 4096))\n"
                        "finally:\n    [x.close() for x in (s, locals().get('t')) "
                        "if hasattr(x, 'close')]", "any", arg="sock" if label in (
                            "file object", "int fd") else None, alias=("socket",)))
    C.append(single("ipc roundtrip", "ipc.send_memory(sa, buf)\n"
                    "s = ipc.receive_share(sb, 'memory', timeout=2)\nassert s.size == buf."
                    "allocation_size\ns.close()", "ok"))
    C.append(single("ipc send closed share", "ipc.send_share(sa, closed_share)", "raise",
                    arg="clos"))
    C.append(single("ipc send non-fd share",
                    "ipc.send_share(sa, ci.MemoryShare(ci.MemoryHandleType.D3D12_HEAP, 5, 4096, "
                    "owned=False))", "raise"))
    C.append(single("ipc receive wrong kind", "ipc.send_memory(sa, buf)\n"
                    "ipc.receive_share(sb, 'semaphore', timeout=2)", "raise"))
    C.append(single("ipc peer disallowed", "ipc.send_memory(sa, buf)\n"
                    "ipc.receive_share(sb, 'memory', timeout=2, allow_uids=[12345])", "raise"))
    # -- CLI ---------------------------------------------------------------------------------
    for args in ([], ["nope"], ["info", "--x"], ["info"], ["--version"], ["selftest", "--device",
                 "-1"], ["selftest", "--device", "no"], ["selftest", "--device", "9" * 60],
                 ["selftest", "--device", "2147483648"], ["selftest", "--device", "1.5"],
                 ["selftest"], ["bench", "--json"], ["bench", "--quick", "--json",
                                                     "/nonexistent/dir/x.json"],
                 ["bench", "--bogus"], ["selftest", "--device", ""], ["info", "extra"],
                 ["-h"], ["selftest", "--device", "0x1"]):
        C.append(single(f"cli {' '.join(args) or '(none)'}", f"cli({args!r})", "cli",
                        timeout=60))
    # -- OpenGL (a headless moderngl context; llvmpipe on the CPU machine) -----------------
    C += sweep("opengl.import_buffer(source)", "opengl.import_buffer(X)", "source", "obj", SHORT)
    C += sweep("opengl.import_buffer(size)", "opengl.import_buffer(glsrc, X)", "size", "optsize",
               SHORT)
    C += sweep("opengl.import_buffer(offset)", "opengl.import_buffer(glsrc, 64, X)", "offset",
               "offset", SHORT)
    C += sweep("opengl.import_texture(internal_format)",
               "opengl.import_texture(img, internal_format=X)", "internal_format", "format",
               SHORT)
    C += sweep("opengl.import_texture(levels)", "opengl.import_texture(img, levels=X)", "levels",
               "optsize", SHORT)
    C += sweep("opengl.import_semaphore(source)", "opengl.import_semaphore(X)", "source", "obj",
               SHORT)
    C += sweep("opengl.Buffer.read(size)", "glbuf.read(X)", "size", "optsize", SHORT)
    C += sweep("opengl.Buffer.write(offset)", "glbuf.write(b'1234', X)", "offset", "offset",
               SHORT)
    C += sweep("opengl.register_buffer(buffer)", "opengl.register_buffer(X)", "buffer", "size",
               SHORT)
    C += sweep("opengl.register_buffer(device)", "opengl.register_buffer(glb, device=X)",
               "device", "device", SHORT)
    C += sweep("opengl.register_texture(target)", "opengl.register_texture(gltex, X)", "target",
               "format", SHORT)
    C += sweep("opengl.map_resources(resources)", "opengl.map_resources(X)", "resources", "obj",
               SHORT)
    C += sweep("opengl.FrameProducer(vulkan_context)", "opengl.FrameProducer(X)",
               "vulkan_context", "obj", SHORT)
    C.append(single("opengl without a context", "t = threading.Thread(target=lambda: "
                    "R.append(opengl.has_current_context())); R = []; t.start(); t.join(); "
                    "assert R == [False]", "ok"))
    for i, case in enumerate(C):
        case["id"] = i
    return C


# ---------------------------------------------------------------------------------------------
# Worker
PRELUDE = r'''
import gc, os, signal, socket, sys, threading, time, subprocess
import numpy as np
import cuda_interop as ci
from cuda_interop import vulkan, ipc, d3d12, opengl

class Idx:
    def __init__(self, v): self.v = v
    def __index__(self): return self.v

class Interrupted(Exception): pass

def sigint_after(delay):
    threading.Timer(delay, lambda: os.kill(os.getpid(), signal.SIGINT)).start()

def in_thread(delay, fn):
    def run():
        time.sleep(delay)
        try:
            fn()
        except Exception:
            pass
    t = threading.Thread(target=run, daemon=True); t.start(); THREADS.append(t)

def expect_closed(fn):
    try:
        fn()
    except ci.ClosedError:
        return
    raise AssertionError(f"no ClosedError from {fn}")

def cli(args):
    p = subprocess.run([sys.executable, "-m", "cuda_interop", *args], capture_output=True,
                       text=True, timeout=50)
    return p.returncode, p.stdout[-2000:], p.stderr[-2000:]

THREADS = []
CTX = vulkan.Context(physical_device_index=0)
CTX2 = vulkan.Context(physical_device_index=0)
_CLOSED_CTX = vulkan.Context(physical_device_index=0); _CLOSED_CTX.close()
_PIPE = os.pipe()
_MEMFD = os.memfd_create("hostile")  # what a share takes (a pipe can never be exported memory)
_SOCK = socket.socketpair()
_DIR = os.open("/tmp", os.O_RDONLY)
_FILE = os.open(__file__ if "__file__" in dir() else "/etc/hostname", os.O_RDONLY)
_c = 1000
assert not os.path.exists(f"/proc/self/fd/{_c}")

_GL = []

def gl_context():
    """One headless GL context for the worker (current on its thread)."""
    if not _GL:
        import moderngl
        _GL.append(moderngl.create_context(standalone=True, backend="egl", libgl="libGL.so.1",
                                           libegl="libEGL.so.1"))
    return _GL[0]

def fixtures(code):
    ns = dict(np=np, ci=ci, vulkan=vulkan, ipc=ipc, d3d12=d3d12, os=os, socket=socket,
              time=time, signal=signal, threading=threading, Idx=Idx, sigint_after=sigint_after,
              in_thread=in_thread, expect_closed=expect_closed, cli=cli, ctx2=CTX2,
              closed_ctx=_CLOSED_CTX, rfd=_PIPE[0], sockfd=_SOCK[0].fileno(), dirfd=_DIR,
              filefd=_FILE, closedfd=_c)
    dups = []
    ns["_dups"] = dups
    ns["dup"] = lambda: dups.append(os.dup(_MEMFD)) or dups[-1]
    words = set(__import__("re").findall(r"[A-Za-z_][A-Za-z_0-9]*", code))
    need = lambda n: n in words
    if words & {"ctx", "buf", "buf2", "img", "sem", "bsem", "share", "closed_buf", "closed_img",
                "closed_sem"}:
        ctx = vulkan.Context(physical_device_index=0) if "close" in code else CTX
        ns["ctx"] = ctx
        if need("buf") or need("share") or need("closed_share"):
            ns["buf"] = ctx.create_buffer(4096)
        if need("buf2"): ns["buf2"] = ctx.create_buffer(4096)
        if need("img"): ns["img"] = ctx.create_image("R8G8B8A8_UNORM", 16, 16, levels=2)
        if need("sem"): ns["sem"] = ctx.create_semaphore(True, exportable=False)
        if need("bsem"): ns["bsem"] = ctx.create_semaphore(False, exportable=False)
        if need("closed_buf"): ns["closed_buf"] = ctx.create_buffer(64); ns["closed_buf"].close()
        if need("closed_img"):
            ns["closed_img"] = ctx.create_image("R8_UNORM", 4, 4); ns["closed_img"].close()
        if need("closed_sem"):
            ns["closed_sem"] = ctx.create_semaphore(exportable=False); ns["closed_sem"].close()
    if need("share"): ns["share"] = ns["buf"].export_share()
    if need("closed_share"):
        ns["closed_share"] = ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, os.dup(_MEMFD), 4096)
        ns["closed_share"].close()
    if need("sshare"):
        ns["sshare"] = ci.SemaphoreShare(ci.SemaphoreHandleType.OPAQUE_FD, os.dup(_MEMFD))
    if need("closed_sshare"):
        ns["closed_sshare"] = ci.SemaphoreShare(ci.SemaphoreHandleType.OPAQUE_FD,
                                                os.dup(_MEMFD))
        ns["closed_sshare"].close()
    if need("xsem"):
        x = ci.ExternalSemaphore.__new__(ci.ExternalSemaphore); x._native = None
        ns["xsem"] = x
    if need("sa") or need("sb"):
        ns["sa"], ns["sb"] = socket.socketpair()
    ns["opengl"] = opengl
    if words & {"glsrc", "glbuf", "glb", "gltex", "opengl"}:
        gl = gl_context()
        ns["glsrc"] = CTX.create_buffer(4096 + 256)  # llvmpipe pads GL buffers by 16 bytes
        if need("glbuf"): ns["glbuf"] = opengl.import_buffer(ns["glsrc"], 4096)
        if need("glb"): ns["glb"] = gl.buffer(reserve=64)
        if need("gltex"): ns["gltex"] = gl.texture((4, 4), 4)
    return ns

def nfds():
    return len(os.listdir("/proc/self/fd"))

def run_case(case):
    code = case["code"]
    ns = fixtures(code)
    gc.collect()
    before = nfds()
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    out = {"id": case["id"]}
    t0 = time.monotonic()
    try:
        try:
            try:
                compiled, mode = compile(code, "<case>", "eval"), "eval"
            except SyntaxError:
                compiled, mode = compile(code, "<case>", "exec"), "exec"
            value = eval(compiled, ns) if mode == "eval" else exec(compiled, ns)
            out["result"] = "ok"
            r = repr(value)
            out["value"] = r[:300]
            if isinstance(value, tuple) and len(value) == 3 and case["entry"].startswith("cli"):
                out["cli"] = value
            del value
        except BaseException as e:
            out["result"] = "raise"
            out["type"] = type(e).__name__
            out["mro"] = [c.__name__ for c in type(e).__mro__]
            out["message"] = str(e)[:600]
            del e
    finally:
        out["seconds"] = time.monotonic() - t0
        for t in THREADS:
            t.join(5)
        THREADS.clear()
        time.sleep(0.35) if "sigint_after" in code else None
        signal.signal(signal.SIGINT, old)
    for key in [k for k in ns if k in ("sa", "sb")]:
        ns[key].close()
    for key in ("share", "sshare"):
        if key in ns:
            ns[key].close()
    dups = ns.get("_dups", [])
    ns.clear()
    gc.collect()
    for fd in dups:
        try:
            os.close(fd)
        except OSError:
            pass
    out["fd_delta"] = nfds() - before
    return out

def main(path_in, path_out):
    import json
    cases = json.load(open(path_in))
    with open(path_out, "a") as f:
        for case in cases:
            f.write(json.dumps({"start": case["id"]}) + "\n"); f.flush()
            f.write(json.dumps(run_case(case)) + "\n"); f.flush()
    os._exit(0)

main(sys.argv[1], sys.argv[2])
'''


def run_group(cases: list[dict], python: str) -> dict[int, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        cin, cout = os.path.join(tmp, "in.json"), os.path.join(tmp, "out.jsonl")
        with open(cin, "w") as f:
            json.dump(cases, f)
        script = os.path.join(tmp, "worker.py")
        with open(script, "w") as f:
            f.write(PRELUDE)
        budget = 15 + sum(c.get("timeout", 8.0) if c["kind"] == "single" else 3.0
                          for c in cases)
        if len(cases) > 1:
            budget = min(budget, 240)
        status, stderr = "done", ""
        try:
            p = subprocess.run([python, script, cin, cout], capture_output=True, text=True,
                               timeout=budget, cwd=tmp)
            if p.returncode != 0:
                status, stderr = f"crash rc={p.returncode}", p.stderr[-1500:]
        except subprocess.TimeoutExpired as e:
            status = "hang"
            stderr = (e.stderr or b"")[-1500:] if isinstance(e.stderr, bytes) else ""
        results: dict[int, dict] = {}
        started = None
        if os.path.exists(cout):
            with open(cout) as lines:
                records = list(lines)
            for line in records:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if "start" in rec:
                    started = rec["start"]
                else:
                    results[rec["id"]] = rec
                    started = None
        if status != "done" and len(cases) == 1:
            results[cases[0]["id"]] = {"id": cases[0]["id"], "result": status,
                                       "message": str(stderr)[-800:]}
        elif status != "done" and started is not None and started not in results:
            results["_culprit"] = started  # type: ignore[index]
        return results


# ---------------------------------------------------------------------------------------------
# Judging
ALLOWED = {"TypeError", "ValueError", "OverflowError", "TimeoutError", "KeyboardInterrupt",
           "ConnectionError", "ClosedError", "CudaError", "NotSupportedError", "VulkanError",
           "ProtocolError", "PeerRefusedError", "InvalidArgument", "OSError", "BrokenPipeError",
           "ConnectionResetError", "FileNotFoundError", "PermissionError"}
ENVIRONMENT = {"CudaError", "NotSupportedError"}
BAD_TEXT = ("Unable to cast", "incompatible function arguments", "Traceback")


def judge(case: dict, res: dict) -> tuple[bool, str]:
    r = res.get("result")
    if r is None:
        return False, "no result"
    if r.startswith("crash"):
        return False, "crash"
    if r == "hang":
        return False, "hang"
    if case["entry"].startswith("cli"):
        return judge_cli(case, res)
    if res.get("fd_delta", 0) > 0:
        return False, "fd leak"
    expect = case.get("expect", "any")
    msg = res.get("message", "")
    names = [case["arg"], *case.get("alias", [])] if case.get("arg") else []
    if r == "ok":
        if case["bad"] is True or (expect in ("raise", "interrupt", "timeout") and not (
                expect == "timeout" and res.get("value") == "False")):
            return False, ("accepted bad argument" if case["bad"]
                           else f"no error (expected {expect})")
        return True, ""
    mro = set(res.get("mro", []))
    typ = res["type"]
    if any(t in msg for t in BAD_TEXT):
        return False, "binding cast error"
    if not (mro & ALLOWED):
        return False, f"untyped exception {typ}"
    if typ == "RuntimeError":
        return False, "RuntimeError"
    if expect == "interrupt":
        return (typ == "KeyboardInterrupt", "" if typ == "KeyboardInterrupt" else
                f"not interrupted ({typ})")
    if expect == "timeout":
        return (typ == "TimeoutError", "" if typ == "TimeoutError" else f"no timeout ({typ})")
    if expect == "ok":
        if typ in ENVIRONMENT and "ClosedError" not in mro:
            return True, ""
        return False, f"unexpected {typ}"
    if case["bad"] is True or (expect == "raise" and names):
        if typ == "KeyboardInterrupt":
            return False, "spurious KeyboardInterrupt"
        if typ in ENVIRONMENT and "ClosedError" not in mro and names:
            return False, "environment error before argument check"
        if names and not any(n.lower() in msg.lower() for n in names):
            return False, "message does not name the argument"
    if case["bad"] is False and typ in ("TypeError",) and case["kind"] != "obj":
        return False, "valid value refused by type"
    return True, ""


def judge_cli(case: dict, res: dict) -> tuple[bool, str]:
    if res.get("result") != "ok" or "cli" not in res:
        return False, f"cli harness {res.get('type')}: {res.get('message', '')[:100]}"
    rc, out, err = res["cli"]
    if "Traceback" in err or "Traceback" in out:
        return False, "cli traceback"
    if rc not in (0, 1, 2):
        return False, f"cli exit {rc}"
    if rc != 0 and not err.strip() and not out.strip():
        return False, "cli silent failure"
    return True, ""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--filter", default="")
    ap.add_argument("--group", type=int, default=25)
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(),
                                                  "cuda-interop-hostile.json"))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--show", type=int, default=4, help="examples per failure class")
    args = ap.parse_args()
    cases = [c for c in build_cases() if args.filter in c["entry"]]
    groups, cur = [], []
    for c in cases:
        heavy = c["kind"] == "single" and (c.get("timeout", 0) > 20 or "sigint" in c["code"] or
                                           "thread" in c["code"] or "fork" in c["code"])
        if heavy:
            groups.append([c])
            continue
        cur.append(c)
        if len(cur) >= args.group:
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    t0 = time.time()
    results: dict[int, dict] = {}
    from concurrent.futures import ThreadPoolExecutor

    def do(group: list[dict]) -> None:
        res = run_group(group, args.python)
        missing = [c for c in group if c["id"] not in res]
        if missing:
            for c in missing:
                res.update(run_group([c], args.python))
        res.pop("_culprit", None)
        results.update(res)

    with ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(do, groups))
    classes: dict[str, list] = collections.defaultdict(list)
    good = 0
    rows = []
    for c in cases:
        res = results.get(c["id"], {"result": None})
        ok, why = judge(c, res)
        good += ok
        rows.append({**c, "res": res, "ok": ok, "why": why})
        if not ok:
            classes[why].append((c, res))
    n = len(cases)
    print(f"{n} cases, {good} well-behaved ({100.0 * good / max(n, 1):.2f}%), "
          f"{time.time() - t0:.0f} s")
    for why, items in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== {why}: {len(items)}")
        for c, res in items[:args.show]:
            print(f"   [{c['id']}] {c['entry']} value={c['label']}: "
                  f"{res.get('type', res.get('result'))}: {res.get('message', '')[:160]!r}"
                  f"{' fd+' + str(res.get('fd_delta')) if res.get('fd_delta') else ''}"
                  f"{' cli=' + str(res.get('cli'))[:200] if 'cli' in res else ''}")
        entries = collections.Counter(c["entry"] for c, _ in items)
        if len(entries) > args.show:
            print("   entries:", ", ".join(f"{e} x{k}" for e, k in entries.most_common(30)))
    with open(args.out, "w") as f:
        json.dump(rows, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
