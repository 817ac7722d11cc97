"""``python -m dwangsom.cli``: the command line, as ``python -m dwangsom`` and ``dwangsom``."""

from __future__ import annotations

import sys

from . import main

sys.exit(main())
