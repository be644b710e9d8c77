# SPDX-License-Identifier: Apache-2.0
"""Fuzzing the ipc receiver: whatever a peer sends, a receive ends in a share, ProtocolError,
ConnectionError or TimeoutError, no later than shortly after its timeout, and leaves no fd open.

``CUDA_INTEROP_FUZZ_SECONDS`` sets how long it runs (default 5; 60 for the full run),
``CUDA_INTEROP_FUZZ_SEED`` repeats a run. It prints a one-line summary::

    CUDA_INTEROP_FUZZ_SECONDS=60 python -m pytest -q -s tests/test_ipc_fuzz.py
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import socket
import struct
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest
from conftest import Fds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cuda_interop as ci
from cuda_interop import ipc

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="counts open fds in /proc/self/fd")

SECONDS = float(os.environ.get("CUDA_INTEROP_FUZZ_SECONDS", "5"))
SEED = int(os.environ.get("CUDA_INTEROP_FUZZ_SEED", str(random.randrange(1 << 32))))
TIMEOUT = 0.02  # each receive's
SLACK = 1.0  # how long after its timeout a receive may end before it counts as a hang
WATCHDOG = 30.0  # a receive still running after this is stopped (SIGALRM) and fails the run
MAGIC = b"CIs1"
SCM_MAX_FD = 253  # the most fds one message can carry (the kernel's limit)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def frame(body: bytes, magic: bytes = MAGIC, length: int | None = None) -> bytes:
    return struct.pack(">4sI", magic, len(body) if length is None else length) + body


def good_body(kind: str = "memory") -> bytes:
    if kind == "semaphore":
        return json.dumps({"kind": "semaphore", "type": 1, "device_uuid": None}).encode()
    return json.dumps({"kind": "memory", "type": 1, "size": 4096, "dedicated": False,
                       "device_uuid": "00" * 16, "image": None}).encode()



# -- Cases -------------------------------------------------------------------------------------
@dataclass
class Case:
    """What the peer does: sends `chunks` (each with fds of the kinds given), then closes the
    connection or stalls (keeps it open, sending nothing more)."""

    name: str
    chunks: list[tuple[bytes, list[str]]]
    then: str = "stall"  # or "close"
    receives: int = 1
    kind: str = "memory"

    def __str__(self) -> str:
        shown = [(data[:48], fds[:4] + (["..."] if len(fds) > 4 else [])) for data, fds in
                 self.chunks]
        return f"{self.name}: {shown} then {self.then}"


def then(rng: random.Random) -> str:
    """What the peer does once it has sent: stalls cost a timeout each, so fewer of them."""
    return "stall" if rng.random() < 0.25 else "close"


def _split(data: bytes, rng: random.Random, pieces: int) -> list[bytes]:
    cuts = sorted(rng.randrange(len(data) + 1) for _ in range(pieces - 1))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]


def _some_fds(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(Fds.KINDS) for _ in range(count)]


def random_bytes(rng: random.Random) -> Case:
    data = rng.randbytes(rng.choice([0, 1, 4, 8, 9, 64, 300, 5000]))
    return Case("random bytes", [(data, _some_fds(rng, rng.choice([0, 0, 1, 1, 2, 3])))],
                then(rng))


def magic_then_random(rng: random.Random) -> Case:
    data = MAGIC + rng.randbytes(rng.randrange(0, 200))
    return Case("magic then random bytes", [(data, _some_fds(rng, rng.choice([0, 1, 2])))],
                then(rng))


def truncated(rng: random.Random) -> Case:
    whole = frame(good_body())
    cut = rng.randrange(1, len(whole))
    return Case(f"truncated at {cut}", [(whole[:cut], ["memfd"])], then(rng))


def oversize(rng: random.Random) -> Case:
    length = rng.choice([ipc.MAX_BODY + 1, rng.randrange(ipc.MAX_BODY + 1, 1 << 32),
                         (1 << 32) - 1])
    data = frame(rng.randbytes(rng.randrange(0, 64)), length=length)
    return Case("oversize header", [(data, _some_fds(rng, rng.choice([0, 1])))],
                then(rng))


def length_mismatch(rng: random.Random) -> Case:
    body = good_body()
    length = max(0, len(body) + rng.choice([-20, -1, 1, 20, 1000]))
    return Case(f"length {length} for {len(body)} bytes", [(frame(body, length=length),
                                                             ["memfd"])],
                then(rng))


def fd_count(rng: random.Random) -> Case:
    count = rng.choice([0, 2, 3, 4, 5, 250, SCM_MAX_FD, rng.randrange(6, SCM_MAX_FD)])
    kinds = _some_fds(rng, count) if rng.random() < 0.5 else ["devnull"] * count
    return Case(f"{count} fds", [(frame(good_body()), kinds)], then(rng))


def wrong_kind(rng: random.Random) -> Case:
    kind = rng.choice(Fds.KINDS)
    share = rng.choice(["memory", "semaphore"])
    return Case(f"one {kind} fd", [(frame(good_body(share)), [kind])],
                then(rng), kind=share)


def fds_spread(rng: random.Random) -> Case:
    """A good frame sent in pieces, fds on any of them."""
    pieces = _split(frame(good_body()), rng, rng.randrange(2, 5))
    chunks: list[tuple[bytes, list[str]]] = [(piece, []) for piece in pieces if piece]
    for _ in range(rng.choice([1, 1, 2, 3])):
        chunks[rng.randrange(len(chunks))][1].append("memfd")
    return Case("frame in pieces", chunks, then(rng))


def mutated(rng: random.Random) -> Case:
    data = bytearray(frame(good_body(rng.choice(["memory", "semaphore"]))))
    for _ in range(rng.randrange(1, 6)):
        data[rng.randrange(8 if rng.random() < 0.8 else 0, len(data))] = rng.randrange(256)
    return Case("mutated frame", [(bytes(data), ["memfd"])], then(rng),
                receives=2)


def two_messages(rng: random.Random) -> Case:
    """A broken message and a good one: the good one may be taken, never a part of the broken."""
    broken = rng.choice([random_bytes, truncated, oversize, mutated, length_mismatch])(rng)
    return Case(f"{broken.name} then a good frame", [*broken.chunks,
                                                    (frame(good_body()), ["memfd"])],
                then(rng), receives=3)


def deep_json(rng: random.Random) -> Case:
    depth = rng.choice([100, 1000, 10000, ipc.MAX_BODY // 2])
    body = b"[" * depth + b"]" * depth if rng.random() < 0.5 else b'{"a":' * depth + b"1" + (
        b"}" * depth)
    return Case(f"JSON {depth} deep", [(frame(body[:ipc.MAX_BODY]), ["memfd"])],
                then(rng))


def hang_up(rng: random.Random) -> Case:
    return Case("peer hangs up", [], "close")


def silent(rng: random.Random) -> Case:
    return Case("silent peer", [], "stall")


CASES: list[tuple[Callable[[random.Random], Case], int]] = [  # (case, weight)
    (random_bytes, 6), (magic_then_random, 4), (truncated, 4), (oversize, 3),
    (length_mismatch, 3), (fd_count, 4), (wrong_kind, 6), (fds_spread, 4), (mutated, 8),
    (two_messages, 5), (deep_json, 1), (hang_up, 1), (silent, 1)]


# -- Running cases -----------------------------------------------------------------------------
@dataclass
class Tally:
    cases: int = 0
    outcomes: collections.Counter[str] = field(default_factory=collections.Counter)
    longest_overrun: float = 0.0  # seconds past its timeout the slowest receive ended
    failures: list[str] = field(default_factory=list)


ALLOWED = (ipc.ProtocolError, ConnectionError, TimeoutError)


class Hang(Exception):
    """A receive ran past the watchdog."""


def _stop_a_hang(signum: int, frame: Any) -> None:
    raise Hang(f"still receiving after {WATCHDOG} s")


def receive(sock: socket.socket, kind: str, tally: Tally, what: object) -> bool:
    """One receive, judged; True when the connection may carry another message."""
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, WATCHDOG)
    try:
        share = ipc.receive_share(sock, kind, timeout=TIMEOUT)
    except ALLOWED as error:
        outcome, more = type(error).__name__, not isinstance(error, ConnectionError)
        if isinstance(error, ipc.ProtocolError):
            outcome = "ProtocolError"
        if isinstance(error, ConnectionError):
            outcome = "ConnectionError"
        if "shut down" in str(error):
            more = False
    except Exception as error:
        tally.failures.append(f"{what}: {type(error).__name__}: {error}")
        return False
    else:
        outcome, more = "share", True
        if not isinstance(share, (ci.MemoryShare, ci.SemaphoreShare)) or not share.owned:
            tally.failures.append(f"{what}: gave {share!r}")
        elif os.get_inheritable(share.handle):
            tally.failures.append(f"{what}: a received fd is inheritable")
        share.close()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    overrun = time.monotonic() - start - TIMEOUT
    tally.longest_overrun = max(tally.longest_overrun, overrun)
    if overrun > SLACK:
        tally.failures.append(f"{what}: the receive ended {overrun:.2f} s after its timeout")
    tally.outcomes[outcome] += 1
    return more


def run_case(case: Case, fds: Fds, tally: Tally) -> None:
    before = open_fds()
    sender, receiver = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sender.setblocking(False)  # a full buffer ends what the peer sends, never the run
        for data, kinds in case.chunks:
            sent = [fds.make(kind) for kind in kinds]
            try:
                ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                              struct.pack(f"{len(sent)}i", *sent))] if sent else []
                sender.sendmsg([data], ancillary)
            except (BlockingIOError, BrokenPipeError, ConnectionError):
                break
            finally:
                for fd in sent:
                    os.close(fd)
        if case.then == "close":
            sender.close()
        for _ in range(case.receives):
            if not receive(receiver, case.kind, tally, case):
                break
    finally:
        sender.close()
        receiver.close()
    tally.cases += 1
    after = open_fds()
    if after != before:
        tally.failures.append(f"{case}: {after - before} fds leaked")


# -- Hypothesis: valid frames whose fields hold anything ---------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=8)
small_ints = st.integers(min_value=-2, max_value=20)
any_int = st.one_of(small_ints, st.integers(), st.integers(min_value=(1 << 63) - 2,
                                                            max_value=(1 << 64) + 2))


def _field(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(plausible, plausible, json_values)


images = st.fixed_dictionaries({}, optional={
    "kind": _field(small_ints), "bits": _field(st.sampled_from([0, 1, 8, 16, 32, 64]) | any_int),
    "channels": _field(small_ints), "levels": _field(small_ints), "flags": _field(any_int),
    "offset": _field(any_int),
    "extent": _field(st.lists(any_int, min_size=0, max_size=4)),
})
messages = st.fixed_dictionaries(
    {"kind": _field(st.sampled_from(["memory", "semaphore"]))},
    optional={
        "type": _field(small_ints),
        "size": _field(any_int),
        "dedicated": _field(st.booleans()),
        "device_uuid": _field(st.none() | st.binary(min_size=16, max_size=16).map(bytes.hex)
                              | st.text(alphabet="0123456789abcdefABCDEF", max_size=34)),
        "image": _field(st.none() | images),
        "extra": json_values,
    })


def run_hypothesis(fds: Fds, tally: Tally, seconds: float) -> None:
    end = time.monotonic() + seconds

    @settings(max_examples=100, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(message=messages, kind=st.sampled_from(["memory", "semaphore"]),
           fd_kind=st.sampled_from(["memfd", "memfd", "devnull", "eventfd", "regular"]))
    def fields(message: dict[str, Any], kind: str, fd_kind: str) -> None:
        if fd_kind not in Fds.KINDS:
            fd_kind = "memfd"
        body = json.dumps(message).encode()
        run_case(Case(f"hypothesis {body[:200]!r}", [(frame(body), [fd_kind])], "stall",
                      kind=kind), fds, tally)

    while time.monotonic() < end:
        fields()


@pytest.fixture
def fds() -> Iterator[Fds]:
    with tempfile.TemporaryDirectory() as folder:
        yield Fds(folder)


def test_whatever_a_peer_sends_the_receiver_neither_crashes_hangs_nor_leaks(
        fds: Fds, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED)
    tally = Tally()
    previous = signal.signal(signal.SIGALRM, _stop_a_hang)
    try:
        _fuzz(rng, fds, tally, capsys)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _fuzz(rng: random.Random, fds: Fds, tally: Tally,
          capsys: pytest.CaptureFixture[str]) -> None:
    baseline = open_fds()
    start = time.monotonic()
    generators, weights = zip(*CASES)
    while time.monotonic() - start < SECONDS / 2:
        run_case(rng.choices(generators, weights)[0](rng), fds, tally)
        if len(tally.failures) > 20:
            break
    random_cases = tally.cases
    run_hypothesis(fds, tally, SECONDS - (time.monotonic() - start))
    seconds = time.monotonic() - start
    outcomes = ", ".join(f"{name} {count}" for name, count in sorted(tally.outcomes.items()))
    with capsys.disabled():
        print(f"\nipc fuzz: {tally.cases} cases ({random_cases} generated, "
              f"{tally.cases - random_cases} by hypothesis) in {seconds:.1f} s (seed {SEED}): "
              f"{outcomes}; "
              f"slowest receive ended {max(tally.longest_overrun, 0.0) * 1000:.0f} ms after "
              f"its timeout; fds leaked {open_fds() - baseline}; failures "
              f"{len(tally.failures)}")
    assert not tally.failures, "\n".join(tally.failures[:20])
    assert open_fds() == baseline
    assert tally.outcomes["ProtocolError"] and tally.outcomes["share"]
