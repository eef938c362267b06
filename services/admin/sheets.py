"""Writing export rows as CSV or XLSX, to a temporary name renamed into place at the end.

A half-written export must never look like a finished one, so the final name appears
only after the last row is on disk.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from services.admin.export_rows import Cell

FORMATS = ("csv", "xlsx")
TIME_FORMAT = "%Y-%m-%d %H:%M"
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm"
# A cell starting with one of these is a formula to Excel and LibreOffice; resident text
# must stay text (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Sheet(Protocol):
    """Where export rows go, one at a time."""

    def add(self, row: Sequence[Cell]) -> None:
        """Write one row; datetimes are written as they are given (no zone conversion)."""


class _RowWriter(Protocol):
    def writerow(self, row: Iterable[str]) -> object: ...


class _CsvSheet:
    def __init__(self, writer: _RowWriter) -> None:
        self._writer = writer

    def add(self, row: Sequence[Cell]) -> None:
        self._writer.writerow([_csv_cell(value) for value in row])


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


class _XlsxSheet:
    def __init__(self, workbook: Workbook) -> None:
        self._sheet = workbook.create_sheet("cases")

    def add(self, row: Sequence[Cell]) -> None:
        self._sheet.append([self._cell(value) for value in row])

    def _cell(self, value: Cell) -> Cell | WriteOnlyCell:
        """Plain values where openpyxl gets them right; wrapped cells where it would not."""
        if isinstance(value, datetime):
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.number_format = XLSX_TIME_FORMAT
            return cell
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.data_type = "s"  # openpyxl would store it as a formula
            return cell
        return value


@contextmanager
def open_sheet(path: Path, fmt: str, headers: Sequence[str]) -> Iterator[Sheet]:
    """A sheet with `headers` written, for a `with` block; the file appears at `path` only
    once the block ends without an error.

    Raises:
        ValueError: `fmt` is not one of FORMATS.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    partial = path.with_name(path.name + ".partial")
    try:
        if fmt == "csv":
            # utf-8-sig: Excel opens a CSV with Chinese text correctly only with the BOM.
            with partial.open("w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow(headers)
                yield _CsvSheet(writer)
                stream.flush()
                os.fsync(stream.fileno())
        else:
            workbook = Workbook(write_only=True)
            sheet = _XlsxSheet(workbook)
            sheet.add(list(headers))
            yield sheet
            workbook.save(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
