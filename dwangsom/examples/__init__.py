"""Named projection settings, rebuilt from published figures and shipped with the package.

``dwangsom project --example NAME`` runs ``EXAMPLES[NAME]``: a callable taking ``scenario=``,
``draws=``, ``seed=`` and ``executor=`` (as :func:`dwangsom.project` does) and returning a
:class:`dwangsom.Projection`.

- ``2023``: the setting of the July 2023 letter to parliament (Kamerstuk 19 637 nr. 3156), as
  of 16 February 2023 to the end of 2024, FIFO, the letter's most likely inflow
  (:func:`dwangsom.examples.letter_2023.example`; docs/examples/index.md has the results).

The figures they are built from are read by :mod:`dwangsom.examples.figures`, each from its row
of the published-figures CSVs (``data/figures`` in the repository, packaged in
``dwangsom/examples/data``).

>>> sorted(EXAMPLES)
['2023']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from types import MappingProxyType

from dwangsom.projection import Projection

__all__ = ["EXAMPLES"]


def _letter_2023(
    *,
    scenario: str = "as-applied",
    draws: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
) -> Projection:
    # imported when run, so that ``python -m dwangsom.examples.letter_2023`` finds the module
    # not yet imported by its package
    from dwangsom.examples.letter_2023 import example

    return example(scenario=scenario, draws=draws, seed=seed, executor=executor)


#: Name -> the callable that projects that setting (keyword arguments ``scenario``, ``draws``,
#: ``seed``, ``executor``).
EXAMPLES: Mapping[str, Callable[..., Projection]] = MappingProxyType({"2023": _letter_2023})
