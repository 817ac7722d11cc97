"""Reading a case extract from a file, as Dutch spreadsheets write them, within bounds.

:func:`read_cases` reads CSV (``.csv``, ``.txt``, ``.csv.gz``), Excel (``.xlsx``, ``.xlsm``,
``.xls``) and Parquet by the file's extension. For CSV it

- decodes UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252 (what Dutch Excel
  saves as "CSV (puntkomma)"), or the ``encoding`` given; undecodable bytes are a
  :class:`~dwangsom.errors.CaseFileError` naming the byte offset;
- honours a ``sep=;`` first line (Excel's own hint), else picks the separator among ``;``,
  ``,``, tab and ``|`` by counting in the first lines of a capped sample (64 KiB: a megabyte
  header line costs no more than that);
- reads every cell as text (nothing guessed here: :func:`dwangsom.assess` reads dates and
  numbers with :mod:`dwangsom.cells`) and records the file's decimal mark in
  ``attrs["dwangsom.decimal"]`` (``","`` for a ``;`` file: ``15.000`` is fifteen thousand);
- finds the header row: ``skip_rows`` title rows are skipped; with ``skip_rows=None`` the first
  of the first 20 rows that names both ``case_id`` and ``received`` (aliases included, see
  :mod:`dwangsom.headers`) is the header, and the rows above it (titles) are skipped and
  counted in ``attrs["dwangsom.skipped_rows"]``;
- never shifts a column: empty trailing fields (a ``;`` at the end of every line) are dropped;
  a row with more non-empty fields than the header is an error naming its line numbers;
  trailing lines with no field filled are dropped and counted in ``attrs["dwangsom.blank_rows"]``;
- is bounded: a file (or a ``.gz`` once decompressed) larger than ``max_bytes`` (default
  1 GiB) is refused with a clear error before it fills the memory; a field longer than the csv
  module's limit (128 KiB) too.

Excel: ``sheet_name`` by name or position; a wrong one is an error listing the sheets.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import headers
from .cells import DECIMAL_ATTR, DecimalMark
from .errors import CaseFileError, CaseTableError

__all__ = ["MAX_BYTES", "SNIFF_BYTES", "read_cases"]

#: The largest file (decompressed) :func:`read_cases` reads by default: 1 GiB.
MAX_BYTES = 1 << 30
#: The sample the separator is chosen from.
SNIFF_BYTES = 1 << 16
_HEADER_SEARCH = 20
_SEPARATORS = (";", ",", "\t", "|")
_SEP_LINE = re.compile(r'^"?sep=(.)"?[ \t]*$', re.IGNORECASE)


def read_cases(
    path: str | os.PathLike[str],
    *,
    sheet_name: str | int = 0,
    skip_rows: int | None = None,
    decimal: DecimalMark | Literal["auto"] = "auto",
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> pd.DataFrame:
    """Read a case extract from CSV (comma or semicolon separated, as Dutch spreadsheets write
    it), Excel (``.xlsx``/``.xls``) or Parquet, by the file's extension.

    CSV cells are read as text, so nothing is guessed: :func:`dwangsom.assess` parses dates (ISO
    ``YYYY-MM-DD`` or Dutch ``dd-mm-jjjj``) and numbers (with the file's decimal mark, recorded
    in ``attrs["dwangsom.decimal"]``; ``decimal`` overrides it), and reports what it cannot
    read with the case id and the column. ``skip_rows`` title rows above the header are
    skipped (``None``: found by looking for the ``case_id`` and ``received`` headers). A
    missing or unreadable file, an unknown extension, a file larger than ``max_bytes`` (after
    decompression), a row with more fields than the header or a wrong ``sheet_name`` raise
    :class:`~dwangsom.errors.CaseFileError` (a :class:`~dwangsom.errors.DwangsomError`).
    See :mod:`dwangsom.reading` for the details.
    """
    p = Path(path)
    if skip_rows is not None and (
        isinstance(skip_rows, bool) or not isinstance(skip_rows, int) or skip_rows < 0
    ):
        raise CaseFileError(f"skip_rows: expected a whole number >= 0, got {skip_rows!r}")
    if decimal not in ("auto", ",", ".", None):
        raise CaseFileError(f"decimal: {decimal!r} is not ',', '.', None or 'auto'")
    if not p.exists():
        raise CaseFileError(f"cases: no such file: {p}")
    if not p.is_file():
        raise CaseFileError(f"cases: {p} is not a file")
    suffix = "".join(p.suffixes[-2:]).lower() if p.suffix.lower() == ".gz" else p.suffix.lower()
    if suffix in (".csv", ".txt", ".csv.gz", ".txt.gz"):
        text = _decode(_read_bytes(p, gz=suffix.endswith(".gz"), max_bytes=max_bytes), encoding, p)
        table = _read_csv_text(text, p, skip_rows)
        sep = table.attrs.pop("dwangsom.sep")
        mark: DecimalMark = ("," if sep == ";" else None) if decimal == "auto" else decimal
        table.attrs[DECIMAL_ATTR] = mark
        return table
    if suffix in (".xlsx", ".xlsm", ".xls"):
        _check_size(p, max_bytes)
        table = _read_excel(p, sheet_name, skip_rows)
        if decimal != "auto":
            table.attrs[DECIMAL_ATTR] = decimal
        return table
    if suffix in (".parquet", ".pq"):
        _check_size(p, max_bytes)
        try:
            table = pd.read_parquet(p)
        except ImportError as exc:
            raise CaseFileError(f"cases: reading Parquet needs pyarrow ({exc})") from None
        except Exception as exc:  # pyarrow raises its own types on a damaged file
            raise CaseFileError(f"cases: {p.name} is not a readable Parquet file ({exc})") from None
        if decimal != "auto":
            table.attrs[DECIMAL_ATTR] = decimal
        return table
    raise CaseFileError(
        f"cases: cannot read {p.name!r}: use .csv, .xlsx or .parquet (got {p.suffix!r})"
    )


# --- bytes and text ---------------------------------------------------------------------------


def _check_size(p: Path, max_bytes: int) -> None:
    size = p.stat().st_size
    if size > max_bytes:
        raise CaseFileError(
            f"cases: {p.name} is {size:,} bytes, more than max_bytes={max_bytes:,}; raise "
            "max_bytes to read it"
        )


def _read_bytes(p: Path, *, gz: bool, max_bytes: int) -> bytes:
    try:
        if not gz:
            _check_size(p, max_bytes)
            return p.read_bytes()
        chunks, total = [], 0
        with gzip.open(p, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise CaseFileError(
                        f"cases: {p.name} decompresses to more than max_bytes={max_bytes:,} "
                        f"bytes (it is {p.stat().st_size:,} bytes compressed); refused before "
                        "it fills the memory: raise max_bytes to read it"
                    )
                chunks.append(chunk)
        return b"".join(chunks)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise CaseFileError(f"cases: {p.name} is not a valid gzip file ({exc})") from None
    except OSError as exc:
        raise CaseFileError(f"cases: cannot read {p}: {exc.strerror or exc}") from None


def _decode(raw: bytes, encoding: str | None, p: Path) -> str:
    candidates: Sequence[str]
    if encoding is not None:
        candidates = (encoding,)
    elif raw.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:  # Dutch Excel saves "CSV (puntkomma)" in Windows-1252
        candidates = ("utf-8", "cp1252")
    error: UnicodeDecodeError | None = None
    for name in candidates:
        try:
            text = raw.decode(name)
        except LookupError:
            raise CaseFileError(f"encoding: {name!r} is not a known text encoding") from None
        except UnicodeDecodeError as exc:
            error = error or exc
            continue
        if "\x00" in text:
            raise CaseFileError(
                f"cases: {p.name} holds NUL characters: it is not a text (CSV) file"
            )
        return text
    assert error is not None
    raise CaseFileError(
        f"cases: {p.name} is not text in {' or '.join(candidates)}: byte "
        f"{raw[error.start : error.start + 1]!r} at offset {error.start:,} ({error.reason}); "
        "save it as CSV UTF-8 or give encoding="
    )


def _count_outside_quotes(line: str, sep: str) -> int:
    return sum(part.count(sep) for part in line.split('"')[::2])


def _separator(sample: str) -> str:
    lines = sample.splitlines()[:_HEADER_SEARCH]
    best, best_count = ",", 0
    for sep in _SEPARATORS:  # ties go to the earlier (';' before ',')
        count = max((_count_outside_quotes(line, sep) for line in lines), default=0)
        if count > best_count:
            best, best_count = sep, count
    return best


# --- rows -------------------------------------------------------------------------------------


def _is_header(row: Sequence[Any]) -> bool:
    named = [c for c in row if isinstance(c, str) and c.strip()]
    found = set(headers.resolve(named, resemble=False).rename.values())
    names = {headers.normalise(c) for c in row if isinstance(c, str)}
    return {"case_id", "received"} <= (found | names)


def _header_row(rows: Sequence[Sequence[Any]], skip_rows: int | None) -> int:
    if skip_rows is not None:
        return skip_rows
    for i, row in enumerate(rows[:_HEADER_SEARCH]):
        try:
            if _is_header(row):
                return i
        except CaseTableError:  # two headers meaning one column: the table checks name it
            return i
    return 0


def _read_csv_text(text: str, p: Path, skip_rows: int | None) -> pd.DataFrame:
    sep: str | None = None
    first, _, rest = text.partition("\n")
    m = _SEP_LINE.match(first.strip("\r\ufeff"))
    if m:
        sep, text = m.group(1), rest
    if sep is None:
        sep = _separator(text[:SNIFF_BYTES])
    table = _fast_frame(text, sep, skip_rows)
    if table is None:  # a malformed file: read row by row, to name what is wrong
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        except csv.Error as exc:
            raise CaseFileError(f"cases: {p.name} is not valid CSV: {exc}") from None
        table = _frame(rows, p, skip_rows, offset=2 if m else 1)
    table.attrs["dwangsom.sep"] = sep
    return table


def _fast_frame(text: str, sep: str, skip_rows: int | None) -> pd.DataFrame | None:
    """The table by pandas' C parser when no row is longer than the header (else ``None``):
    the same table :func:`_frame` builds, in a quarter of the time."""
    try:
        head = list(csv.reader(io.StringIO(text[:SNIFF_BYTES], newline=""), delimiter=sep))
    except csv.Error:
        return None
    at = _header_row(head[:_HEADER_SEARCH], skip_rows)
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            skiprows=at,
            dtype="str",
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    if not len(raw):
        return None
    header = ["" if pd.isna(h) else str(h).strip("\ufeff") for h in raw.iloc[0]]
    body = raw.iloc[1:].reset_index(drop=True)
    filled = np.flatnonzero(body.notna().to_numpy().any(axis=1))
    end = int(filled[-1]) + 1 if filled.size else 0
    blank = len(body) - end
    body = body.iloc[:end]
    width = len(header)
    while width and not header[width - 1].strip() and body.iloc[:, width - 1].isna().all():
        width -= 1  # a trailing ';' on every line: an empty column, not data
    body = body.iloc[:, :width]
    body.columns = pd.Index(
        [h if h.strip() else f"(column {k + 1})" for k, h in enumerate(header[:width])],
        dtype=object,
    )
    body.attrs["dwangsom.skipped_rows"] = at
    body.attrs["dwangsom.blank_rows"] = blank
    return body


def _frame(rows: list[list[str]], p: Path, skip_rows: int | None, *, offset: int) -> pd.DataFrame:
    """The table of text rows below the header row; ``offset`` is the line number of rows[0]."""
    at = _header_row(rows, skip_rows)
    if at >= len(rows):
        raise CaseFileError(
            f"cases: {p.name} has {len(rows)} line(s); skip_rows={skip_rows} leaves no header"
        )
    header = [h.strip("\ufeff") for h in rows[at]]
    body = rows[at + 1 :]
    blank = 0
    while body and not any(cell.strip() for cell in body[-1]):
        body.pop()
        blank += 1
    width = len(header)
    while width and not header[width - 1].strip():
        if any(len(r) >= width and r[width - 1].strip() for r in body):
            break
        width -= 1  # a trailing ';' on every line: an empty column, not data
    long = [
        (i, r) for i, r in enumerate(body) if len(r) > width and any(c.strip() for c in r[width:])
    ]
    if long:
        lines = ", ".join(str(offset + at + 1 + i) for i, _ in long[:5])
        more = f" (and {len(long) - 5} more)" if len(long) > 5 else ""
        r = long[0][1]
        raise CaseFileError(
            f"cases: {p.name}: line(s) {lines}{more} have more fields than the header "
            f"({len(r)} against {width}; first extra value {r[width:][0]!r}): the columns would "
            "shift; fix the line, or check the separator and the quotes"
        )
    names = [h if h.strip() else f"(column {k + 1})" for k, h in enumerate(header[:width])]
    grid = np.empty((len(body), width), dtype=object)
    for i, r in enumerate(body):
        row = r[:width]
        grid[i, : len(row)] = row
    grid[grid == ""] = None  # an empty cell is missing (short rows are padded with it)
    table = pd.DataFrame(grid, index=pd.RangeIndex(len(body)), dtype=object).astype("str")
    table.columns = pd.Index(names, dtype=object)
    table.attrs["dwangsom.skipped_rows"] = at
    table.attrs["dwangsom.blank_rows"] = blank
    return table


def _read_excel(p: Path, sheet_name: str | int, skip_rows: int | None) -> pd.DataFrame:
    try:
        book = pd.ExcelFile(p)
    except ImportError as exc:
        raise CaseFileError(f"cases: reading {p.suffix} needs openpyxl ({exc})") from None
    except Exception as exc:  # zipfile / openpyxl / xlrd raise their own types
        raise CaseFileError(f"cases: {p.name} is not a readable workbook ({exc})") from None
    with book:
        sheets = [str(s) for s in book.sheet_names]
        listed = ", ".join(map(repr, sheets))
        if isinstance(sheet_name, bool) or not isinstance(sheet_name, str | int):
            raise CaseFileError(f"sheet_name: give a sheet name or number; sheets: {listed}")
        if isinstance(sheet_name, int) and not 0 <= sheet_name < len(sheets):
            raise CaseFileError(
                f"sheet_name: {p.name} has no sheet number {sheet_name} (0 is the first); "
                f"sheets: {listed}"
            )
        if isinstance(sheet_name, str) and sheet_name not in sheets:
            raise CaseFileError(
                f"sheet_name: {p.name} has no sheet {sheet_name!r}; sheets: {listed}"
            )
        try:
            raw = pd.read_excel(book, sheet_name=sheet_name, header=None, dtype=object)
        except Exception as exc:
            raise CaseFileError(
                f"cases: cannot read sheet {sheet_name!r} of {p.name} ({exc})"
            ) from None
    rows = raw.to_numpy(dtype=object).tolist()
    at = _header_row([[c if isinstance(c, str) else "" for c in r] for r in rows], skip_rows)
    if rows and at >= len(rows):
        raise CaseFileError(
            f"cases: sheet {sheet_name!r} has {len(rows)} row(s); "
            f"nothing below skip_rows={skip_rows}"
        )
    if not rows:
        return pd.DataFrame()
    header = ["" if pd.isna(h) else str(h).strip("\ufeff") for h in rows[at]]
    body = raw.iloc[at + 1 :].reset_index(drop=True)
    keep = [k for k, h in enumerate(header) if h.strip() or body.iloc[:, k].notna().any()]
    body = body.iloc[:, keep]
    body.columns = pd.Index(
        [header[k] if header[k].strip() else f"(column {k + 1})" for k in keep], dtype=object
    )
    while len(body) and body.iloc[-1].isna().all():
        body = body.iloc[:-1]
    body.attrs["dwangsom.skipped_rows"] = at
    return body
