"""Writing results: safe CSV, a Dutch Excel workbook, Parquet, and the metadata of every result.

Every result of :func:`dwangsom.assess`, :func:`dwangsom.liability_by_month` and
:func:`dwangsom.compare` carries in ``DataFrame.attrs`` what it was computed from
(:func:`metadata`): the as-of date, the scenario, the basis, the source file (when the case
table came from :func:`dwangsom.read_cases` or the command line), the dwangsom version and the
date of the newest legal source in the scenario's tables. :func:`write_table` writes a table by
the file's extension:

- ``.csv``: UTF-8, ``,`` and ISO dates (``dialect="iso"``), or as Dutch Excel reads it
  (``dialect="nl"``: ``;``, decimal comma, ``dd-mm-jjjj`` dates, UTF-8 with a byte-order mark);
- ``.xlsx``: a workbook with real date and number cells, euro formats, a frozen header row,
  filters, sensible column widths and a ``metadata`` sheet (xlsxwriter in constant memory
  writes the workbook; the data rows are streamed into it in chunks: 34,221 rows of 29 columns
  in about 1.5 s, see ``benchmarks/bench_export.py``);
- ``.parquet``: the typed table; pandas stores ``attrs`` in the file.

Writes are atomic: the data go to a temporary file beside the target, which replaces the target
only when complete, so a failure never leaves a partial file; a target that is one of the input
files is refused. Text a spreadsheet would run as a formula is neutralised
(:func:`neutralise_formulas`), and a line break inside a CSV cell becomes a space, so that no
reader, however naive, starts a new row inside a cell.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import importlib
import importlib.util
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pandas.api.types import (
    CategoricalDtype,
    is_bool_dtype,
    is_datetime64_any_dtype,
    is_float_dtype,
    is_integer_dtype,
    is_object_dtype,
    is_string_dtype,
)

from .errors import DwangsomError
from .scenario import Scenario
from .scenario import scenario as _get_scenario

__all__ = [
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "OUTPUTS",
    "ExportError",
    "legal_sources_date",
    "metadata",
    "neutralise_formulas",
    "stamp",
    "write_table",
]

#: The file extensions :func:`write_table` writes.
OUTPUTS = (".csv", ".xlsx", ".parquet")
#: Rows in one Excel worksheet, the header row included (Excel specifications and limits).
EXCEL_MAX_ROWS = 1_048_576
#: Columns in one Excel worksheet.
EXCEL_MAX_COLUMNS = 16_384

#: Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection"), with
#: their full-width forms (which Excel with an East Asian input method converts).
_FORMULA_CHARS = "=+-@\uff1d\uff0b\uff0d\uff20"
#: Leading characters skipped before that test: spaces of any width, tabs and line breaks.
_LEADING = " \t\r\n\u00a0\u2007\u202f\u3000"
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85")
#: Number formats of the workbook (Excel stores the English codes and shows them localised:
#: a Dutch Excel shows ``€ 1.234`` and ``31-12-2025``). 413 is the locale id of nl-NL.
_EURO = "[$€-413] #,##0;[$€-413] -#,##0;[$€-413] 0"
_DATE = "dd-mm-yyyy"
_MONTH = "mmm yyyy"
_INTEGER = "#,##0"
_DECIMAL = "#,##0.00"

Dialect = Literal["iso", "nl"]


class ExportError(DwangsomError):
    """A table that cannot be written as asked (too many rows for a sheet, an unknown
    extension, a target that is one of the inputs)."""


# --- metadata -------------------------------------------------------------------------------


def legal_sources_date(scenario: Scenario | str | None = None) -> _dt.date | None:
    """The newest date in the scenario's legal tables: the latest ``valid_from``,
    ``published`` or ``in_force`` of a rate, decree, Temporary Act period or court-practice row
    (what the tables know the law up to).

    >>> legal_sources_date("as-applied") >= _dt.date(2022, 11, 30)
    True
    """
    s = _get_scenario(scenario)
    found: list[_dt.date] = []
    for field in dataclasses.fields(s):
        rows = getattr(s, field.name)
        if not isinstance(rows, tuple):
            continue
        for row in rows:
            if not dataclasses.is_dataclass(row):
                continue
            for name in ("valid_from", "published", "in_force"):
                value = getattr(row, name, None)
                if isinstance(value, _dt.date):
                    found.append(value)
    return max(found) if found else None


def _as_date(value: Any) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp | _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    from ._dates import as_date

    return as_date(value, "as_of")


def metadata(
    *,
    as_of: Any,
    scenario: Scenario | str | Sequence[Scenario | str] | None,
    basis: str | None = None,
    source: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """What a result was computed from, as a flat dict (the keys of ``DataFrame.attrs``).

    >>> meta = metadata(as_of="2025-12-31", scenario="as-applied", basis="accrued")
    >>> meta["as_of"], meta["scenario"], meta["basis"], meta["source"]
    (datetime.date(2025, 12, 31), 'as-applied', 'accrued', None)
    """
    from . import __version__

    if scenario is None or isinstance(scenario, str | Scenario):
        items: list[Scenario | str | None] = [scenario]
    else:
        items = list(scenario)
    scenarios = [_get_scenario(item) for item in items]
    dates = [d for d in (legal_sources_date(s) for s in scenarios) if d is not None]
    return {
        "as_of": _as_date(as_of),
        "scenario": ", ".join(s.name for s in scenarios),
        "basis": basis,
        "source": None if source is None else Path(source).name,
        "dwangsom_version": __version__,
        "legal_sources_date": max(dates) if dates else None,
    }


def stamp(
    result: pd.DataFrame,
    cases: pd.DataFrame,
    *,
    as_of: Any,
    scenario: Scenario | str | Sequence[Scenario | str] | None,
    basis: str | None = None,
) -> pd.DataFrame:
    """Put :func:`metadata` into ``result.attrs`` (in place) and return ``result``; the source
    file is ``cases.attrs["source"]`` when the case table has one."""
    source = cases.attrs.get("source") if isinstance(cases.attrs, dict) else None
    key = _stamp_key(as_of, scenario, basis, source)
    cached = _STAMPS.get(key[0]) if key is not None else None
    if cached is not None and key is not None and all(
        a is b for a, b in zip(cached[0], key[1], strict=True)
    ):
        meta = cached[1]
    else:
        meta = metadata(as_of=as_of, scenario=scenario, basis=basis, source=source)
        if key is not None:
            if len(_STAMPS) >= 256:
                _STAMPS.clear()
            _STAMPS[key[0]] = (key[1], meta)
    result.attrs.update(meta)
    return result


#: :func:`metadata` by :func:`_stamp_key`, with the scenarios it was computed for (kept alive,
#: so their ids stay theirs): the newest date of a scenario's tables is a walk over all of
#: them, the largest cost of a small call's metadata. Bounded.
_STAMPS: dict[tuple[object, ...], tuple[tuple[Scenario, ...], dict[str, Any]]] = {}


def _stamp_key(
    as_of: Any,
    scenario: Scenario | str | Sequence[Scenario | str] | None,
    basis: str | None,
    source: Any,
) -> tuple[tuple[object, ...], tuple[Scenario, ...]] | None:
    """What :func:`metadata` reads as a dict key, and the scenario objects in it; ``None`` when
    it is not plainly hashable. A scenario stands by its identity (it is frozen); values stand
    with their type (and a ``datetime64`` with its unit: ``2025-01`` in months equals its first
    day, but is not a date)."""

    def plain(value: Any) -> tuple[object, ...]:
        return type(value), getattr(value, "dtype", None), value

    if scenario is None or isinstance(scenario, str | Scenario):
        items: Sequence[Any] = [scenario]
    elif isinstance(scenario, list | tuple):
        items = scenario
    else:
        return None
    named = tuple(("scenario", id(x)) if isinstance(x, Scenario) else plain(x) for x in items)
    key = (plain(as_of), named, plain(basis), plain(source))
    try:
        hash(key)
    except TypeError:
        return None
    return key, tuple(x for x in items if isinstance(x, Scenario))


# --- neutralising ---------------------------------------------------------------------------


def _is_formula(text: str) -> bool:
    if text[:1] in ("\t", "\r", "\n"):
        return True
    body = text.lstrip(_LEADING)
    if not body or body[0] not in _FORMULA_CHARS:
        return False
    return _NUMBER.fullmatch(body) is None  # "-5" is a negative number, not a formula


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value and _is_formula(value):
        return "'" + value
    return value


def _one_line(value: Any) -> Any:
    if isinstance(value, str):
        return _LINE_BREAK.sub(" ", value)
    return value


def _text_columns(table: pd.DataFrame) -> list[Any]:
    out = []
    for column in table.columns:
        dtype = table[column].dtype
        if is_object_dtype(dtype) or is_string_dtype(dtype) or isinstance(dtype, CategoricalDtype):
            out.append(column)
    return out


def neutralise_formulas(table: pd.DataFrame, *, one_line: bool = False) -> pd.DataFrame:
    """A copy of ``table`` in which no text cell or column name starts like a formula.

    Text whose first character, after any leading spaces, is ``=``, ``+``, ``-`` or ``@`` (or
    their full-width forms ``＝ ＋ － ＠``), or that starts with a tab or a line break, gets a
    leading apostrophe, so a spreadsheet shows it instead of running it (OWASP, "CSV
    injection"). Numbers are not touched, and neither is text that is a plain number such as
    ``-5``: a negative amount stays a number. ``one_line=True`` also turns every line break
    inside a text cell into a space (for CSV).

    >>> table = pd.DataFrame({"note": ["=1+1", " @x", "＝1", "-5"], "n": [-1, 2, 3, 4]})
    >>> neutralise_formulas(table)
       note  n
    0  '=1+1 -1
    1   ' @x  2
    2    '＝1  3
    3     -5  4
    """

    def fix(value: Any) -> Any:
        return _safe_text(_one_line(value) if one_line else value)

    out = table.copy()
    for column in _text_columns(out):
        out[column] = out[column].astype(object).map(fix)
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples(
            [tuple(fix(str(level)) for level in c) for c in out.columns]
        )
    else:
        out.columns = [fix(str(c)) for c in out.columns]
    return out


def flat(table: pd.DataFrame) -> pd.DataFrame:
    """The index as a first column when it is named (months stay a ``PeriodIndex`` column),
    MultiIndex columns as ``measure:group``."""
    out = table.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [":".join(str(level) for level in c) for c in out.columns]
    if out.index.name is not None or isinstance(out.index, pd.PeriodIndex):
        out = out.reset_index()
    return out


# --- atomic files ---------------------------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


@contextlib.contextmanager
def atomic_path(target: Path, *, inputs: Collection[str | os.PathLike[str]] = ()) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces ``target`` when the block completes;
    on any error the temporary file is removed and ``target`` is left as it was. A target that
    is one of ``inputs`` is refused before anything is written."""
    for source in inputs:
        src = Path(source)
        if _same_file(src, target) or src.resolve() == target.resolve():
            raise ExportError(
                f"output {str(target)!r} is the input file {str(src)!r}; write somewhere else"
            )
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"output {str(target)!r}: no such directory {str(directory)!r}")
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with contextlib.suppress(OSError):  # mkstemp makes it 0600; give the usual mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


# --- CSV ------------------------------------------------------------------------------------


def _csv_frame(table: pd.DataFrame, dialect: Dialect) -> pd.DataFrame:
    out = neutralise_formulas(flat(table), one_line=True)
    day_format = "%d-%m-%Y" if dialect == "nl" else "%Y-%m-%d"
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.PeriodDtype):
            out[column] = values.astype(str)
        elif is_datetime64_any_dtype(values.dtype):
            out[column] = values.dt.strftime(day_format).astype(object).where(values.notna(), "")
        elif is_object_dtype(values.dtype):
            if values.map(lambda v: isinstance(v, _dt.date)).any():
                out[column] = values.map(
                    lambda v: v.strftime(day_format) if isinstance(v, _dt.date) else v
                )
    return out


def _write_csv(table: pd.DataFrame, path: Path, dialect: Dialect) -> None:
    frame = _csv_frame(table, dialect)
    if dialect == "nl":
        frame.to_csv(
            path, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
        )
    else:
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


# --- Excel ----------------------------------------------------------------------------------

_MONEY_WORDS = ("amount", "admin", "court", "total", "diff ", "euro", "cap", "per_day", "accrued")
_NOT_MONEY = ("_days", "days", "row", "applicants", "count", "cases")


def _is_money(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(_NOT_MONEY):
        return False
    return any(word in lower for word in _MONEY_WORDS)


@dataclasses.dataclass
class _Column:
    name: str
    kind: Literal["date", "month", "int", "float", "bool", "text"]
    values: list[Any]
    money: bool
    width: int


def _column(name: str, values: pd.Series, *, money: bool) -> _Column:
    dtype = values.dtype
    present = values.notna().to_numpy()
    if isinstance(dtype, pd.PeriodDtype) and not dtype.freq.freqstr.startswith("M"):
        texts = [str(v) if ok else None for v, ok in zip(values, present, strict=True)]
        return _Column(name, "text", texts, money=False, width=7)  # 2024Q1, 2024
    if isinstance(dtype, pd.PeriodDtype):
        stamps = values.dt.to_timestamp(how="start")
        days = [t.to_pydatetime() if ok else None for t, ok in zip(stamps, present, strict=True)]
        return _Column(name, "month", days, money=False, width=10)
    if is_datetime64_any_dtype(dtype):
        if getattr(dtype, "tz", None) is not None:
            values = values.dt.tz_localize(None)
        stamps = values.dt.floor("D").dt.to_pydatetime()
        return _Column(
            name,
            "date",
            [d if ok else None for d, ok in zip(stamps, present, strict=True)],
            money=False,
            width=11,
        )
    if is_bool_dtype(dtype):
        data = values.astype(object).where(present, None).tolist()
        return _Column(name, "bool", data, money=False, width=7)
    if is_integer_dtype(dtype) or is_float_dtype(dtype):
        kind: Literal["int", "float"] = "int" if is_integer_dtype(dtype) else "float"
        numbers = values.astype("float64").to_numpy()
        data = [None if math.isnan(v) else v for v in numbers.tolist()]
        finite = [abs(v) for v in data if v is not None and math.isfinite(v)]
        biggest = max(finite, default=0.0)
        width = (
            len(f"{biggest:,.0f}")
            + (4 if money else 1)
            + (3 if kind == "float" and not money else 0)
        )
        return _Column(name, kind, data, money=money, width=width)
    texts = values.astype(object).where(present, None).tolist()
    sample = [len(str(t)) for t in texts[:2000] if t is not None]
    return _Column(name, "text", texts, money=False, width=max(sample, default=4))


def _write_xlsx(
    table: pd.DataFrame,
    path: Path,
    meta: Mapping[str, Any],
    *,
    money: Collection[str] | None,
    sheet_name: str,
) -> None:
    try:
        xlsxwriter: Any = importlib.import_module("xlsxwriter")
    except ImportError:  # pragma: no cover - a core dependency
        raise ExportError("Excel output needs xlsxwriter: pip install xlsxwriter") from None
    frame = neutralise_formulas(flat(table))
    rows, width = frame.shape
    if rows + 1 > EXCEL_MAX_ROWS or width > EXCEL_MAX_COLUMNS:
        raise ExportError(
            f"{rows:,} rows and {width:,} columns do not fit one Excel sheet (at most "
            f"{EXCEL_MAX_ROWS - 1:,} rows under the header and {EXCEL_MAX_COLUMNS:,} columns); "
            "write .csv or .parquet instead"
        )
    columns = []
    for i, name in enumerate(frame.columns):
        is_money = _is_money(str(name)) if money is None else str(name) in money
        columns.append(_column(str(name), frame.iloc[:, i], money=is_money))

    book = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
        formats = {
            "date": book.add_format({"num_format": _DATE}),
            "month": book.add_format({"num_format": _MONTH}),
            "euro": book.add_format({"num_format": _EURO}),
            "int": book.add_format({"num_format": _INTEGER}),
            "float": book.add_format({"num_format": _DECIMAL}),
        }
        sheet = book.add_worksheet(sheet_name)
        for c, col in enumerate(columns):
            sheet.set_column(c, c, min(max(col.width, len(col.name) * 0.9, 6) + 2, 48))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(rows, 1), max(width - 1, 0))
        for c, col in enumerate(columns):
            sheet.write_string(0, c, col.name, header)
        styles = [_style(col, formats) for col in columns]
        plain = book.add_format()
        for c, fmt in enumerate(styles):  # the sheet's extent, and each format registered
            sheet.write_blank(rows, c, None, fmt or plain)
        xf = [None if fmt is None else int(fmt._get_xf_index()) for fmt in styles]
        _metadata_sheet(book, meta, rows=rows, date=formats["date"], bold=header)
    finally:
        book.close()
    if rows:
        _fill_rows(path, columns, xf, rows)


def _style(col: _Column, formats: Mapping[str, Any]) -> Any:
    if col.kind in ("date", "month"):
        return formats[col.kind]
    if col.kind in ("int", "float"):
        return formats["euro" if col.money else col.kind]
    return None


_EPOCH = _dt.datetime(1899, 12, 30)  # Excel's day 0 (for days from 1 March 1900 on)
_FIRST_SERIAL = _dt.datetime(1900, 3, 1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHUNK = 20_000


def _xml_text(text: str) -> str:
    """An inline string: XML-escaped, control characters as Excel's ``_xHHHH_`` escapes."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if text[:1].isspace() or text[-1:].isspace():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def _cells(col: _Column, letter: str, xf: int | None, start: int, stop: int) -> list[str]:
    """The ``<c>`` elements of rows ``start`` to ``stop`` (0-based data rows) of one column;
    an empty string where the cell is empty."""
    s = "" if xf is None else f' s="{xf}"'
    out: list[str] = []
    add = out.append
    for r, v in zip(range(start + 2, stop + 2), col.values[start:stop], strict=True):
        if v is None or v == "":  # an empty text is a blank cell, as xlsxwriter writes it
            add("")
        elif col.kind in ("date", "month"):
            if v < _FIRST_SERIAL:  # before Excel's reliable calendar: the date as text
                add(f'<c r="{letter}{r}" t="inlineStr">{_xml_text(v.date().isoformat())}</c>')
            else:
                add(f'<c r="{letter}{r}"{s}><v>{(v - _EPOCH).days}</v></c>')
        elif col.kind in ("int", "float"):
            if not math.isfinite(v):
                add(f'<c r="{letter}{r}" t="inlineStr">{_xml_text(str(v))}</c>')
            elif col.kind == "int":
                add(f'<c r="{letter}{r}"{s}><v>{int(v)}</v></c>')
            else:
                add(f'<c r="{letter}{r}"{s}><v>{v!r}</v></c>')
        elif col.kind == "bool":
            add(f'<c r="{letter}{r}" t="b"><v>{int(bool(v))}</v></c>')
        else:
            add(f'<c r="{letter}{r}" t="inlineStr">{_xml_text(str(v))}</c>')
    return out


def _column_letters(index: int) -> str:
    """``A`` for 0, ``Z`` for 25, ``AA`` for 26: the column's name in A1 notation."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _fill_rows(path: Path, columns: Sequence[_Column], xf: Sequence[int | None], rows: int) -> None:
    """Put the data rows into the first sheet that xlsxwriter wrote (header and extent only).

    Writing a million cells one call at a time is what makes xlsxwriter slow; the rows are the
    same SpreadsheetML it writes (numbers with their style, inline strings, booleans, dates as
    day serials), built a column at a time and streamed into the zip in chunks, so memory stays
    bounded by a chunk.
    """
    member = "xl/worksheets/sheet1.xml"
    source = path.with_name(path.name + ".part")
    os.replace(path, source)
    try:
        with (
            zipfile.ZipFile(source) as old,
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as new,
        ):
            for info in old.infolist():
                if info.filename != member:
                    new.writestr(info, old.read(info.filename))
                    continue
                xml = old.read(member).decode("utf-8")
                begin = xml.index("<sheetData>")
                header_end = xml.index("</row>", begin) + len("</row>")
                end = xml.index("</sheetData>", header_end)
                letters = [_column_letters(c) for c in range(len(columns))]
                target = zipfile.ZipInfo(member, date_time=info.date_time)
                target.compress_type = zipfile.ZIP_DEFLATED
                with new.open(target, "w", force_zip64=True) as out:
                    out.write(xml[:header_end].encode("utf-8"))
                    for start in range(0, rows, _CHUNK):
                        stop = min(start + _CHUNK, rows)
                        parts = [
                            _cells(col, letters[c], xf[c], start, stop)
                            for c, col in enumerate(columns)
                        ]
                        text = "".join(
                            f'<row r="{start + i + 2}">{"".join(cells)}</row>'
                            for i, cells in enumerate(zip(*parts, strict=True))
                        )
                        out.write(text.encode("utf-8"))
                    out.write(xml[end:].encode("utf-8"))
    finally:
        with contextlib.suppress(OSError):
            source.unlink()


_LABELS = {
    "as_of": ("peildatum (as of)", "events after this day count as not yet happened"),
    "scenario": ("scenario", "the legal reading(s): dwangsom scenarios lists them"),
    "basis": ("basis", "accrued: in the month of each penalty day; cash: in the month it is due"),
    "source": ("bronbestand (source file)", "the case extract the results come from"),
    "dwangsom_version": ("dwangsom version", "the library that computed the results"),
    "legal_sources_date": (
        "nieuwste rechtsbron (newest legal source)",
        "the newest effective or publication date in the scenario's legal tables",
    ),
}


def _metadata_sheet(book: Any, meta: Mapping[str, Any], *, rows: int, date: Any, bold: Any) -> None:
    sheet = book.add_worksheet("metadata")
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 70)
    for c, text in enumerate(("field", "value", "meaning")):
        sheet.write_string(0, c, text, bold)
    items = [(key, meta.get(key)) for key in _LABELS]
    items += [(k, v) for k, v in meta.items() if k not in _LABELS]
    items.append(("rows", rows))
    for r, (key, value) in enumerate(items, start=1):
        label, meaning = _LABELS.get(key, (key, ""))
        if key == "rows":
            label, meaning = "rows (rijen)", "data rows on the first sheet"
        sheet.write_string(r, 0, label)
        if isinstance(value, _dt.date):
            sheet.write_datetime(r, 1, _dt.datetime.combine(value, _dt.time()), date)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(r, 1, value)
        elif value is None:
            sheet.write_string(r, 1, "(not recorded)")
        else:
            sheet.write_string(r, 1, str(_safe_text(str(value))))
        sheet.write_string(r, 2, meaning)


# --- the writer -----------------------------------------------------------------------------


def write_table(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    dialect: Dialect = "iso",
    inputs: Collection[str | os.PathLike[str]] = (),
    meta: Mapping[str, Any] | None = None,
    money: Collection[str] | None = None,
    sheet_name: str = "dwangsom",
) -> Path:
    """Write ``table`` by the file's extension (``.csv``, ``.xlsx`` or ``.parquet``),
    atomically, and return the path.

    A named index (``month``) becomes the first column. ``dialect`` applies to CSV: ``"iso"``
    (UTF-8, ``,``, ``YYYY-MM-DD``) or ``"nl"`` (UTF-8 with BOM, ``;``, decimal comma,
    ``dd-mm-jjjj``: what Dutch Excel opens in columns). ``inputs`` are the files the table came
    from: writing onto one of them is refused. ``meta`` (default ``table.attrs``) fills the
    workbook's ``metadata`` sheet; ``money`` names the columns formatted as euros (default:
    those whose name says amount, admin, court, total, diff, cap or accrued).

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_table(pd.DataFrame({"note": ["a\\r=1+1"], "n": [-5]}), out)
    >>> out.read_text()
    'note,n\\na =1+1,-5\\n'
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in OUTPUTS:
        raise ExportError(
            f"output {target.name!r}: unknown extension {target.suffix or '(none)'!r}; "
            "use .csv, .xlsx or .parquet"
        )
    if dialect not in ("iso", "nl"):
        raise ExportError(f"dialect: {dialect!r} is not 'iso' or 'nl'")
    info: dict[str, Any] = {str(k): v for k, v in (table.attrs if meta is None else meta).items()}
    with atomic_path(target, inputs=inputs) as temporary:
        if suffix == ".csv":
            _write_csv(table, temporary, dialect)
        elif suffix == ".xlsx":
            _write_xlsx(table, temporary, info, money=money, sheet_name=sheet_name)
        else:
            if importlib.util.find_spec("pyarrow") is None:
                raise ExportError(
                    'Parquet output needs pyarrow: pip install "dwangsom[io]" (or pip install '
                    "pyarrow)"
                )
            out = flat(table)
            for column in out.columns:
                if isinstance(out[column].dtype, pd.PeriodDtype):
                    out[column] = out[column].astype(str)
            out.attrs = {
                k: (v.isoformat() if isinstance(v, _dt.date) else v) for k, v in info.items()
            }
            out.to_parquet(temporary, index=False)
    return target
