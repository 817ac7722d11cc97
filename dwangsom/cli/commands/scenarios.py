"""``dwangsom scenarios``: the named legal scenarios."""

from __future__ import annotations

import argparse
from typing import TextIO

from ...scenario import scenario as get_scenario
from ...scenario import scenarios as scenario_names
from ..status import EXIT_OK


def _cmd_scenarios(args: argparse.Namespace, out: TextIO) -> int:
    for name in scenario_names():
        description = get_scenario(name).description
        print(f"{name:<20} {description}", file=out)
    return EXIT_OK
