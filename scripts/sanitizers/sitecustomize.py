# SPDX-License-Identifier: Apache-2.0
"""Run at the start of every Python that scripts/sanitize-check starts (this folder is first on
PYTHONPATH), child interpreters of the tests included.

GCC's UBSan runtime (libubsan), loaded next to ASan's, ignores the log_path of UBSAN_OPTIONS and
prints its reports to stderr, where a test that captures a child's output would hide them. This
sets its report path to CUDA_INTEROP_UBSAN_LOG_PATH so that sanitize-check finds every report.
Then the next sitecustomize on the path, if any, runs as it would have.
"""

import ctypes
import importlib
import os
import sys


def _set_ubsan_report_path() -> None:
    path = os.environ.get("CUDA_INTEROP_UBSAN_LOG_PATH")
    runtimes = [lib for lib in os.environ.get("LD_PRELOAD", "").split() if "libubsan" in lib]
    if path and runtimes:
        ctypes.CDLL(runtimes[0]).__sanitizer_set_report_path(path.encode())


def _chain() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    del sys.modules[__name__]
    try:
        importlib.import_module("sitecustomize")
    except ModuleNotFoundError as error:
        if error.name != "sitecustomize":
            raise
    finally:
        sys.path[:] = saved


_set_ubsan_report_path()
_chain()
