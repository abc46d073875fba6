"""A strategy team's own institutions, read from a file: CSV (UTF-8) or Excel (``.xlsx``).

One row per institution, with named columns (in any order, names without regard to case):

========================  ========  ==========================================================
column                    needed    what
========================  ========  ==========================================================
``name``                  yes       the institution's name (unique in the file)
``fte``                   yes       staff on the pooled task before the reform (FTE, > 0)
``group``                 no        its ministry or region (default: one group, ``All``)
``wave``                  no        its go-live wave, 1 = first (whole number 1–60)
``cost_per_fte``          no        its own cost per FTE on the task (mio. kr. a year, > 0)
``initial_trust``         no        its manager's trust in the centre at the decision (0–1)
``control_need``          no        its manager's need to keep control locally (0–1)
========================  ========  ==========================================================

Reading is strict, as scenario files are: every problem is one line naming the file, the row
(as a spreadsheet numbers it: the header is row 1) and the column, what is wrong and what is
allowed — a misspelt column with the closest name, an empty or negative staff figure, a
duplicate name, text in a number column, a decimal comma (``1,5``: write ``1.5``), a wave out
of range, an Excel file with several sheets and none called ``institutions``, no rows or more
than :data:`MAX_ROWS`. Nothing is guessed and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sim.errors import SimInputError, shown, unknown_name_message

#: Columns a file may have: name -> (needed, what it holds, as messages say it).
COLUMNS: dict[str, tuple[bool, str]] = {
    "name": (True, "the institution's name"),
    "fte": (True, "a number of FTE above 0"),
    "group": (False, "the institution's ministry or region"),
    "wave": (False, "a whole number from 1 to 60"),
    "cost_per_fte": (False, "a number of mio. kr. above 0"),
    "initial_trust": (False, "a number from 0 to 1"),
    "control_need": (False, "a number from 0 to 1"),
}
#: Most institutions a file may hold (the parameter ``n_institutions`` allows no more).
MAX_ROWS = 5000
#: Largest file read (a list of 5,000 institutions is well under 1 MB).
MAX_BYTES = 10 * 2**20
#: Largest staff figure of one institution, and largest wave.
MAX_FTE, MAX_WAVE, MAX_COST = 1e6, 60, 100.0
#: The sheet used when an Excel file has several.
SHEET = "institutions"

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


class InstitutionFileError(SimInputError):
    """An institutions file that cannot be read as institutions (one line)."""


@dataclass(frozen=True)
class InstitutionTable:
    """The institutions of a file, validated (each tuple has one entry per institution).

    Attributes:
        source: The file's name, for messages and the summary.
        names: Unique names.
        groups: Ministry or region of each (``All`` where the file has no groups).
        fte: Staff on the task before the reform (FTE).
        wave: Go-live wave, 1-based, or None when the file leaves waves to the roll-out.
        cost_per_fte: Own cost per FTE (mio. kr. a year), or None.
        initial_trust: Each manager's trust at the decision, or None.
        control_need: Each manager's need for control, or None.
    """

    source: str
    names: tuple[str, ...]
    groups: tuple[str, ...]
    fte: tuple[float, ...]
    wave: tuple[int, ...] | None = None
    cost_per_fte: tuple[float, ...] | None = None
    initial_trust: tuple[float, ...] | None = None
    control_need: tuple[float, ...] | None = None

    def __len__(self) -> int:
        return len(self.names)

    @property
    def group_names(self) -> tuple[str, ...]:
        """The groups in order of first appearance."""
        return tuple(dict.fromkeys(self.groups))

    @property
    def total_fte(self) -> float:
        return math.fsum(self.fte)

    def as_record(self) -> dict[str, Any]:
        """The table as JSON-ready values (a room's file keeps the institutions it ran on)."""
        return {f.name: (list(v) if isinstance(v, tuple) else v)
                for f in fields(self) for v in (getattr(self, f.name),)}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> InstitutionTable:
        """The table :meth:`as_record` gave.

        Raises:
            ValueError: a record that is not such a table (its keys or values).
        """
        names = {f.name for f in fields(cls)}
        if not isinstance(record, Mapping) or not set(record) <= names:
            raise ValueError(f"an institutions record with the keys {sorted(names)}")
        try:
            return cls(**{k: (tuple(v) if isinstance(v, list) else v)
                          for k, v in record.items()})
        except TypeError as exc:
            raise ValueError(f"an institutions record: {exc}") from None

    def digest(self) -> str:
        """SHA-256 of the table's content (not of its file's bytes or name)."""
        text = repr((self.names, self.groups, self.fte, self.wave, self.cost_per_fte,
                     self.initial_trust, self.control_need))
        return hashlib.sha256(text.encode()).hexdigest()


def read_institutions(path: str | Path) -> InstitutionTable:
    """Read and check an institutions file (``.csv`` or ``.xlsx``).

    Raises:
        InstitutionFileError: one line naming the file, the row and column where it applies,
            what is wrong and what is allowed.
    """
    path = Path(path)
    where = path.name
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InstitutionFileError(f"{where}: an institutions file must end in .csv or .xlsx "
                                   f"(got {suffix or 'no suffix'!r})")
    try:
        if not path.is_file():
            raise InstitutionFileError(f"{where}: no such file (looked for '{path}')")
        if path.stat().st_size > MAX_BYTES:
            raise InstitutionFileError(f"{where}: the file is larger than "
                                       f"{MAX_BYTES // 2**20} MB; allowed: at most "
                                       f"{MAX_ROWS:,} institutions")
        data = path.read_bytes()
    except OSError as exc:
        raise InstitutionFileError(f"{where}: cannot be read ({exc.strerror})") from None
    return parse_institutions(data, where, suffix)


def parse_institutions(data: bytes, where: str, suffix: str) -> InstitutionTable:
    """Check an institutions file's bytes (an upload, say); ``suffix`` is ``.csv`` or ``.xlsx``.

    Raises:
        InstitutionFileError: as :func:`read_institutions`.
    """
    rows = _xlsx_rows(data, where) if suffix == ".xlsx" else _csv_rows(data, where)
    return _table(rows, where)


def template_csv() -> str:
    """A file a team can fill in: every column, two example rows (the optional columns may be
    deleted; a column kept needs a value in every row)."""
    return ("name,group,fte,wave,cost_per_fte,initial_trust,control_need\n"
            "Ministry A's agency,Ministry A,42.5,1,0.52,0.5,0.4\n"
            "Ministry B's department,Ministry B,17,2,0.48,0.6,0.3\n")


# --- reading the cells ------------------------------------------------------------------------

def _csv_rows(data: bytes, where: str) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstitutionFileError(f"{where}: the file is not UTF-8 text; allowed: a CSV "
                                   "saved as 'CSV UTF-8' (or an .xlsx file)") from None
    if "\x00" in text:
        raise InstitutionFileError(f"{where}: the file holds binary data, not CSV text")
    first = text.split("\n", 1)[0]
    if ";" in first and "," not in first:
        raise InstitutionFileError(f"{where}: the columns are separated by ';'; allowed: ',' "
                                   "(save as 'CSV UTF-8 (comma delimited)', or use .xlsx)")
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), strict=True)]
    except csv.Error as exc:
        raise InstitutionFileError(f"{where}: not a well-formed CSV file ({exc})") from None


def _xlsx_rows(data: bytes, where: str) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise InstitutionFileError(f"{where}: not an Excel workbook (.xlsx) that can be "
                                   "read; allowed: an .xlsx file saved by a spreadsheet "
                                   "program, or a CSV file") from None
    try:
        names = book.sheetnames
        chosen = [n for n in names if n.strip().lower() == SHEET]
        if len(names) > 1 and not chosen:
            raise InstitutionFileError(
                f"{where}: the workbook has {len(names)} sheets ({', '.join(names[:5])}) and "
                f"none is called '{SHEET}'; allowed: one sheet, or name the sheet to use "
                f"'{SHEET}'")
        sheet = book[chosen[0] if chosen else names[0]]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


# --- checking the table -----------------------------------------------------------------------

def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header(row: Sequence[Any], where: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for col, cell in enumerate(row):
        if _blank(cell):
            continue
        if not isinstance(cell, str):
            raise InstitutionFileError(f"{where}, row 1, column {col + 1}: the header "
                                       f"{shown(cell)} is not a column name; allowed: "
                                       f"{', '.join(COLUMNS)}")
        name = cell.strip().lower()
        if name not in COLUMNS:
            raise InstitutionFileError(f"{where}, row 1: "
                                       + unknown_name_message("column", cell.strip(), COLUMNS))
        if name in index:
            raise InstitutionFileError(f"{where}, row 1: the column '{name}' appears twice; "
                                       "allowed: each column once")
        index[name] = col
    missing = [c for c, (needed, _) in COLUMNS.items() if needed and c not in index]
    if missing:
        raise InstitutionFileError(f"{where}, row 1: the column '{missing[0]}' is missing; "
                                   f"needed: name and fte (optional: group, wave, cost_per_fte, "
                                   "initial_trust, control_need)")
    return index


def _number(cell: Any, where: str, column: str, low: float, high: float,
            low_open: bool = False, whole: bool = False) -> float:
    what = COLUMNS[column][1]
    value: float | None = None
    if isinstance(cell, bool):
        value = None
    elif isinstance(cell, int | float):
        value = float(cell)
    elif isinstance(cell, str):
        text = cell.strip()
        if _DECIMAL_COMMA.fullmatch(text):
            raise InstitutionFileError(f"{where}, column '{column}': {text!r} has a decimal "
                                       f"comma; allowed: a decimal point ({text.replace(',', '.')})")
        if _NUMBER.fullmatch(text):
            value = float(text)
    if value is None or not math.isfinite(value):
        raise InstitutionFileError(f"{where}, column '{column}': {shown(cell)} is not a "
                                   f"number; allowed: {what}")
    too_low = value <= low if low_open else value < low
    if too_low or value > high or (whole and value != int(value)):
        raise InstitutionFileError(f"{where}, column '{column}': {shown(cell)} is not "
                                   f"allowed; allowed: {what}")
    return value


def _table(rows: list[list[Any]], where: str) -> InstitutionTable:
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if not all(_blank(c) for c in r)]
    if not numbered:
        raise InstitutionFileError(f"{where}: the file is empty; allowed: a header row (name, "
                                   "fte, …) and one row per institution")
    index = _header(numbered[0][1], where)
    body = numbered[1:]
    if not body:
        raise InstitutionFileError(f"{where}: no institutions below the header; allowed: 1 to "
                                   f"{MAX_ROWS:,} rows")
    if len(body) > MAX_ROWS:
        raise InstitutionFileError(f"{where}: more than {MAX_ROWS:,} institutions; allowed: 1 "
                                   f"to {MAX_ROWS:,} rows")
    cols: dict[str, list[Any]] = {c: [] for c in index}
    seen: dict[str, int] = {}
    width = max(index.values()) + 1
    for n, row in body:
        at = f"{where}, row {n}"
        extra = [c for i, c in enumerate(row) if i >= width and not _blank(c)]
        unnamed = [i for i in range(min(len(row), width)) if i not in index.values()
                   and not _blank(row[i])]
        if extra or unnamed:
            raise InstitutionFileError(f"{at}: a value in a column without a name; allowed: "
                                       "values under the header's columns only")
        cells = {c: (row[i] if i < len(row) else None) for c, i in index.items()}
        for column, cell in cells.items():
            if column in ("name", "group"):
                if _blank(cell):
                    if column == "name":
                        raise InstitutionFileError(f"{at}, column 'name': empty; allowed: "
                                                   "the institution's name")
                    cols[column].append("All")
                    continue
                text = " ".join(str(cell).split())
                if len(text) > 200:
                    raise InstitutionFileError(f"{at}, column '{column}': longer than 200 "
                                               "characters")
                if column == "name":
                    key = text.casefold()
                    if key in seen:
                        raise InstitutionFileError(f"{at}, column 'name': {text!r} is also in "
                                                   f"row {seen[key]}; allowed: each name once")
                    seen[key] = n
                cols[column].append(text)
            elif _blank(cell):
                if column == "fte":
                    raise InstitutionFileError(f"{at}, column 'fte': empty; allowed: "
                                               f"{COLUMNS['fte'][1]}")
                cols[column].append(None)
            elif column == "fte":
                cols[column].append(_number(cell, at, column, 0, MAX_FTE, low_open=True))
            elif column == "wave":
                cols[column].append(int(_number(cell, at, column, 1, MAX_WAVE, whole=True)))
            elif column == "cost_per_fte":
                cols[column].append(_number(cell, at, column, 0, MAX_COST, low_open=True))
            else:
                cols[column].append(_number(cell, at, column, 0, 1))
    optional = {}
    for column in ("wave", "cost_per_fte", "initial_trust", "control_need"):
        values = cols.get(column)
        if values is None or all(v is None for v in values):
            optional[column] = None
            continue
        blank = [body[i][0] for i, v in enumerate(values) if v is None]
        if blank:
            raise InstitutionFileError(f"{where}, row {blank[0]}, column '{column}': empty "
                                       f"while other rows have a value; allowed: "
                                       f"{COLUMNS[column][1]} in every row, or none")
        optional[column] = tuple(values)
    wave = optional["wave"]
    if wave is not None:
        gaps = sorted(set(range(1, max(wave) + 1)) - set(wave))
        if gaps:
            raise InstitutionFileError(f"{where}, column 'wave': no institution is in wave "
                                       f"{gaps[0]}, but later waves have some; allowed: waves "
                                       f"numbered 1, 2, 3, … without a gap")
    groups = tuple(cols["group"]) if "group" in cols else ("All",) * len(body)
    return InstitutionTable(source=where, names=tuple(cols["name"]), groups=groups,
                            fte=tuple(cols["fte"]), **optional)
