"""Write ``atw_calendar_2009_2035.csv``: the Atw holidays and decree days of 2009–2035.

The snapshot pins the calendar :mod:`dwangsom.atw` computes from its tables (Atw art. 3(1)–(3)),
weekend holidays included, so that any change to a rule or a decree day shows up as a reviewable
diff. After changing ``dwangsom/tables/atw_holidays.csv`` or ``atw_bridge_days.csv``, run::

    python tests/snapshots/make_atw_snapshot.py

and review ``git diff tests/snapshots/atw_calendar_2009_2035.csv`` before committing it.
``tests/test_atw.py`` recomputes the same rows and fails with a diff when they differ.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SNAPSHOT = HERE / "atw_calendar_2009_2035.csv"
FIRST_YEAR = 2009
LAST_YEAR = 2035


def rows() -> list[tuple[str, str]]:
    """``(ISO date, name)`` of every holiday and decree day from 2009 through 2035."""
    from dwangsom.atw import default_calendar

    calendar = default_calendar()
    return [
        (day.isoformat(), name)
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for day, name in calendar.holidays(year)
    ]


def render(data: list[tuple[str, str]]) -> str:
    """The snapshot file's text: a ``date,name`` header and one line per day."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("date", "name"))
    writer.writerows(data)
    return buffer.getvalue()


def main() -> None:
    """Recompute the snapshot and write it next to this script."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    SNAPSHOT.write_text(render(rows()), encoding="utf-8", newline="")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
