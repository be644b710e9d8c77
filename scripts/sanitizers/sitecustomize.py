# SPDX-License-Identifier: Apache-2.0
"""Run at the start of every Python that scripts/sanitize-check starts (this folder is first on
PYTHONPATH), child interpreters of the tests included. Then the next sitecustomize on the path,
if any, runs as it would have.

- GCC's UBSan runtime (libubsan), loaded next to ASan's, ignores the log_path of UBSAN_OPTIONS
  and prints its reports to stderr, where a test that captures a child's output would hide them:
  its report path is set to CUDA_INTEROP_UBSAN_LOG_PATH so that sanitize-check finds them.
- An editable install of cuda_interop puts its import finder before PYTHONPATH: it is removed, so
  that the sanitized build in CUDA_INTEROP_SANITIZED_SITE is the one imported.
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


def _redirects_cuda_interop(finder: object) -> bool:
    if type(finder).__name__ != "ScikitBuildRedirectingFinder":
        return False
    modules = [*getattr(finder, "known_source_files", {})]
    modules += getattr(finder, "known_wheel_files", {})
    return any(name == "cuda_interop" or name.startswith("cuda_interop.") for name in modules)


def _drop_editable_install() -> None:
    if os.environ.get("CUDA_INTEROP_SANITIZED_SITE"):
        sys.meta_path[:] = [f for f in sys.meta_path if not _redirects_cuda_interop(f)]


def _chain() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    this = sys.modules.pop(__name__)
    try:
        importlib.import_module("sitecustomize")
    except ModuleNotFoundError as error:
        if error.name != "sitecustomize":
            raise
        sys.modules[__name__] = this  # there is no other: the import of this one completes
    finally:
        sys.path[:] = saved


_set_ubsan_report_path()
_drop_editable_install()
_chain()
