# SPDX-License-Identifier: Apache-2.0
"""The benchmarks behind ``cuda-interop bench``, one concept per module.

They live in the package (not in ``benchmarks/``, which is not installed) so that an installed
package can measure itself. ``cuda_interop.bench.run`` is the entry point.
"""
