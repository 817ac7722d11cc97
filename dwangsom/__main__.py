"""``python -m dwangsom``: the command line (see :mod:`dwangsom.cli`)."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
