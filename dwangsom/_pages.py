"""Fresh memory for big results, made ready while the engine runs.

A big table's result columns are new memory (twelve 8-byte columns: 480 MB for five million
cases). The first write to each page of it stops the writer in the kernel (a page fault), and
on a virtual machine that hands freed memory back to its host (virtio-balloon free page
reporting) that costs milliseconds per megabyte: on the development VM, 480 MB written a few
seconds after the last big call cost 1.0-1.4 s of system time, against 0.05 s when the same
memory was written again at once (``docs/benchmarks.md``). :func:`populate` asks Linux to
fault the pages in on a background thread (``madvise(MADV_POPULATE_WRITE)``, Linux 5.14; the
contents are left as they are, so the engine's threads may write the same pages meanwhile)
while the engine works on the first blocks. Elsewhere, or where the call is refused, nothing
is done and the writes fault the pages in as before; results never depend on it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading
from collections.abc import Sequence
from typing import Any

import numpy.typing as npt

__all__ = ["populate"]

#: ``MADV_POPULATE_WRITE`` (linux/mman.h, Linux 5.14).
_MADV_POPULATE_WRITE = 23
_PAGE = 4096
#: Columns smaller than this are left to the writes (a thread is not worth it).
POPULATE_FROM_BYTES = 32 << 20
#: False once the call was refused: not tried again in this process.
_WORKS: list[bool] = []


def _madvise() -> Any:
    """libc's ``madvise`` (Linux only), or None."""
    if not sys.platform.startswith("linux") or _WORKS == [False]:
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        call = libc.madvise
    except (OSError, AttributeError):  # pragma: no cover - no libc to speak of
        _WORKS[:] = [False]
        return None
    call.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    call.restype = ctypes.c_int
    return call


def _populate_now(columns: Sequence[npt.NDArray[Any]], parts: int) -> None:
    """Fault in the whole pages of ``columns``, the first of ``parts`` parts of every column
    first (the engine's first block writes there first)."""
    call = _madvise()
    if call is None:
        return
    for k in range(parts):
        for a in columns:
            start, end = a.ctypes.data, a.ctypes.data + a.nbytes
            lo = start + (end - start) * k // parts
            hi = start + (end - start) * (k + 1) // parts
            lo, hi = -(-lo // _PAGE) * _PAGE, hi // _PAGE * _PAGE
            if hi > lo and call(lo, hi - lo, _MADV_POPULATE_WRITE) != 0:
                _WORKS[:] = [False]  # an old kernel (EINVAL) or a refusal: write as before
                return
        if not _WORKS:
            _WORKS.append(True)


def populate(columns: Sequence[npt.NDArray[Any]], parts: int = 1) -> threading.Thread | None:
    """Start faulting in the pages of the (new, contiguous) arrays ``columns`` on a daemon
    thread, in ``parts`` parts of each column in order; the thread (to join), or None when
    there is nothing worth doing (small columns, not Linux, refused before).

    >>> import numpy as np
    >>> a = np.full(1000, 7)
    >>> populate([a]) is None  # small: left to the writes
    True
    >>> int(a.sum())
    7000
    """
    big = [a for a in columns if a.nbytes >= POPULATE_FROM_BYTES and a.flags.c_contiguous]
    if not big or _madvise() is None:
        return None
    thread = threading.Thread(
        target=_populate_now, args=(big, max(1, parts)), name="dwangsom-pages", daemon=True
    )
    thread.start()
    return thread
