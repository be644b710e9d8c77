# SPDX-License-Identifier: Apache-2.0
"""``python -m cuda_interop``: the command line."""

import sys

from .cli import main

sys.exit(main())
