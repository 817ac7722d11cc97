"""What fresh memory costs on this machine (a script, not a test; the figures behind the
"big tables" paragraph of docs/benchmarks.md).

    python benchmarks/bench_memory.py

Writes 480 MB (twelve 5-million-row int64 columns, the size of a five-million-case result)
into new arrays, again at once, and again after pauses of 0.5-5 s. Where the system returns
freed memory to a hypervisor (virtio-balloon free page reporting), memory freed and not
reused within a second or two is fresh again, and writing it costs system time per page.
Then the same writes with the pages faulted in beforehand by ``dwangsom._pages`` on a
background thread (``madvise(MADV_POPULATE_WRITE)``), the way ``assess`` does for a big result
(its "first" row follows the plain writes: that memory is not fresh).
"""

from __future__ import annotations

import resource
import time

import numpy as np

from dwangsom import _pages

ROWS, COLUMNS = 5_000_000, 12


def write(*, populate: bool = False) -> tuple[float, float]:
    """(wall seconds, system seconds) to allocate and fill the columns."""
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    arrays = [np.empty(ROWS, np.int64) for _ in range(COLUMNS)]
    thread = _pages.populate(arrays, parts=5) if populate else None
    for a in arrays:
        a.fill(1)
    if thread is not None:
        thread.join()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter() - t0, r1.ru_stime - r0.ru_stime


def main() -> None:
    size = COLUMNS * ROWS * 8 / 1e6
    print(f"{COLUMNS} x {ROWS:,} int64 ({size:,.0f} MB) written into new arrays")
    for populate in (False, True):
        label = "pages faulted in on a thread" if populate else "plain writes"
        print(f"  {label}:")
        for pause in (None, 0.0, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0):
            if pause:
                time.sleep(pause)
            wall, system = write(populate=populate)
            when = "first" if pause is None else f"after {pause:g} s"
            print(f"    {when:<12} {wall * 1e3:7.0f} ms wall, {system * 1e3:7.0f} ms system")


if __name__ == "__main__":
    main()
