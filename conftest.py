"""pytest configuration for the doctests collected from the package (pyproject:
``--doctest-modules``, testpaths ``dwangsom``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

# Packages split from one module: a doctest in a part (dwangsom.atw.calendar) was written in the
# module, where every name of it was a global (``default_calendar()``); it sees them still.
SPLIT_PACKAGES = ("dwangsom.cases", "dwangsom.engine", "dwangsom.atw")


@pytest.fixture(autouse=True)
def _split_package_names(request: pytest.FixtureRequest) -> Iterator[None]:
    dtest = getattr(request.node, "dtest", None)
    globs = getattr(dtest, "globs", None)
    if isinstance(globs, dict):
        package = str(globs.get("__name__", "")).rpartition(".")[0]
        if package in SPLIT_PACKAGES:  # the package's names, then its parts' (and imports)
            parts = sorted(m for m in sys.modules if m.startswith(f"{package}."))
            for module in [package, *parts]:
                for name, value in vars(sys.modules[module]).items():
                    if not name.startswith("__"):
                        globs.setdefault(name, value)
    yield
