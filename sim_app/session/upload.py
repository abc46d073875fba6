"""An uploaded institutions file, read in memory only (nothing is written on the server).

The app's upload hands the file's name and bytes here; the same strict reader as the command
line and scenario files (:mod:`sim.institutions`) checks them, and a bad file gets its one
line naming the file (as the person called it, never a path of the server), the row and the
column.
"""

from __future__ import annotations

from pathlib import PurePath

from sim.institutions import InstitutionFileError, InstitutionTable, parse_institutions

#: Larger uploads are refused before they are parsed (the shipped example is a few kilobytes;
#: a file of 100,000 institutions is refused by the reader anyway).
MAX_UPLOAD_BYTES = 2_000_000
#: The suffixes the reader takes.
SUFFIXES = (".csv", ".xlsx")


def read_upload(name: str, data: bytes | None) -> InstitutionTable:
    """The institutions of an uploaded file.

    Args:
        name: The file's name on the person's machine (only its last part is used, in
            messages and as the table's source).
        data: The file's bytes (None: the browser could not read it).

    Raises:
        InstitutionFileError: one line naming the file, what is wrong and what is allowed.
    """
    shown = PurePath(str(name or "file").replace("\\", "/")).name or "file"
    suffix = PurePath(shown).suffix.lower()
    if suffix not in SUFFIXES:
        raise InstitutionFileError(
            f"{shown}: not an institutions file ({suffix or 'no suffix'}); allowed: a .csv or "
            ".xlsx file with the template's columns")
    if data is None:
        raise InstitutionFileError(f"{shown}: the browser could not read the file; allowed: "
                                   "a .csv or .xlsx file you can open")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InstitutionFileError(
            f"{shown}: {len(data):,} bytes; allowed: at most {MAX_UPLOAD_BYTES:,} bytes")
    return parse_institutions(data, shown, suffix)
