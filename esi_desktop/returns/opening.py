"""Opening an owner's progress return, and the checks that refuse a file before any of its
answers are read.

A file is refused, with one sentence, when it is not one of our returns (no hidden record),
when it is damaged (its zip or a sheet's XML, found while it is read), when it is for another
inspection (another id, or the same id in another database: the area, report title and
publication date differ, or an item it names is not the one sent: every database numbers its
rows from 1), or when its reference column or hidden record was changed (the digest, a
reference that is not the one sent in that row, a row added or removed). The workbook is read
with openpyxl, read-only, which parses its XML through defusedxml (a dependency), so a file
cannot smuggle in entity expansions or external entities.

Used by :mod:`esi_desktop.returns.reading`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from esi_desktop.inspections import get_inspection, inspection_summary, publication_date
from esi_desktop.returns.record import (
    FORMAT_VERSION,
    HIDDEN_SHEET,
    MARKER,
    Identity,
    ReturnRefused,
    SentRecord,
    read_record,
)
from esi_desktop.returns.workbook import COLUMNS, REFERENCE, SHEET
from esi_desktop.tracker.values import text_of

_SUFFIXES = (".xlsx", ".xlsm")


def cell_name(column: int, row: int) -> str:
    """ "E12": the name of the cell at ``column`` (counted from 1) and ``row``."""
    return f"{get_column_letter(column)}{row}"


def open_workbook(path: Path) -> Any:
    """The workbook at ``path``, opened read-only (close it when done).

    Raises:
        ReturnRefused: no file, a file that cannot be read, or one that is not an Excel
            workbook or is damaged.
    """
    if not path.is_file():
        raise ReturnRefused(f"There is no file at {path}. Check the path and try again.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReturnRefused(f"Cannot read {path} ({exc.strerror or exc}).") from None
    if data.startswith(b"\xd0\xcf\x11\xe0") or path.suffix.lower() not in _SUFFIXES:
        raise ReturnRefused(
            f"{path.name} is not a progress return: returns are Excel workbooks (.xlsx). If "
            "the owner saved it in another format or with a password, ask them to save it "
            "again as an Excel Workbook (.xlsx) without a password."
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:
        refused = unreadable(path, exc)
        if refused is None:
            raise
        raise refused from None


#: What reading a damaged workbook raises: its zip (a bad CRC, a truncated or missing part),
#: or a sheet's XML (read-only openpyxl parses each sheet only as its rows are read).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError, SyntaxError)


def unreadable(path: Path, exc: BaseException) -> ReturnRefused | None:
    """The refusal for an error met while opening or reading the workbook at ``path``, or
    None for an error that is not the file's fault (a bug: let it show).

    ``SyntaxError`` covers :class:`xml.etree.ElementTree.ParseError`; defusedxml's refusals
    (entity expansion, external entities) and lxml's parse errors are told by their module.
    """
    module = type(exc).__module__
    if module.startswith("defusedxml"):
        return ReturnRefused(
            f"{path.name} holds XML this program does not read ({type(exc).__name__}); it "
            "is not a progress return as written."
        )
    if isinstance(exc, _DAMAGED) or module.startswith(("xml", "lxml")):
        return ReturnRefused(
            f"{path.name} is not an Excel workbook or it is damaged; ask the owner to save it "
            "again as an Excel Workbook (.xlsx)."
        )
    return None


def _values(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def sent_record(workbook: Any, path: Path) -> SentRecord:
    """The workbook's hidden record of what was sent, refused if it has none, or one written
    by another version of the format."""
    if HIDDEN_SHEET not in workbook.sheetnames:
        raise ReturnRefused(
            f"{path.name} is not a progress return written by ESI Desktop (it has no record of "
            "what was sent); a Board's own tracker is imported with Import ▸ Action plan from "
            "Excel (import-plan)."
        )
    rows = _values(workbook[HIDDEN_SHEET])
    if not rows or not rows[0] or text_of(rows[0][0]) != MARKER:
        raise ReturnRefused(
            f"{path.name} is not a progress return written by ESI Desktop (its record of what "
            "was sent is missing)."
        )
    written = rows[0][1] if len(rows[0]) > 1 else None
    if text_of(written) != str(FORMAT_VERSION):
        raise ReturnRefused(
            f"{path.name} was written by another version of ESI Desktop, whose returns this "
            "one cannot check; write the returns again and send the owner the new one, or "
            "type their answers in the Action plan view."
        )
    return read_record(rows, path.name)


def check_inspection(record: SentRecord, inspection_id: int, path: Path) -> None:
    """Refuse a return for another inspection: another id, or the same id in another database
    (the area, report title or publication date differ)."""
    summary = inspection_summary(inspection_id=inspection_id)
    if record.inspection_id != inspection_id:
        raise ReturnRefused(
            f"{path.name}: this return is for the inspection of "
            f"{record.inspection or 'another area'} (id {record.inspection_id}); the open "
            f"inspection is {summary.name} (id {inspection_id}). Open that inspection (or its "
            "database) and import it there."
        )
    inspection = get_inspection(inspection_id=inspection_id)
    here = Identity(
        summary.area.strip(), summary.report_title.strip(), publication_date(inspection)
    )
    if record.identity != here:
        raise ReturnRefused(
            f"{path.name}: this return was written from another database, for the inspection "
            f"of {record.identity.words()}; the open inspection is {here.words()}. Nothing was "
            "imported: open the database the return was written from and import it there (if "
            "the inspection's details were corrected since it was sent, write the returns "
            "again)."
        )


def check_items(
    record: SentRecord,
    current: Mapping[tuple[str, int], Mapping[str, Any]],
    path: Path,
) -> None:
    """Every item the return names that is still in the plan is the one it was sent about:
    the same reference, and the same action. References are never renumbered or reused and
    a milestone never moves to another action, so a difference means the return's ids belong
    to another database (each numbers its rows from 1)."""
    for index, item in enumerate(record.items):
        now = current.get((item.kind, item.item_id))
        if now is None:
            continue
        if now["reference"] != item.reference or int(now["action"]) != item.action_id:
            number = record.header_row + 1 + index
            here = now["reference"] or "an item without a reference"
            raise ReturnRefused(
                f"{path.name} was written from another database: row {number} was sent about "
                f"{item.reference or 'an item without a reference'}, but the item it names in "
                f"this plan is {here}. Nothing was imported; open the database the return was "
                "written from and import it there."
            )


def _tampered(path: Path, what: str) -> ReturnRefused:
    return ReturnRefused(
        f"{path.name} was changed where a return must not be: {what}. Nothing was imported; "
        "ask the owner to fill in the return as it was sent (or send a new one), or type "
        "their answers in the Action plan view."
    )


def checked_table(workbook: Any, record: SentRecord, path: Path) -> list[tuple[Any, ...]]:
    """The table's rows, one per item sent, after checking the reference column."""
    name = SHEET if SHEET in workbook.sheetnames else workbook.sheetnames[0]
    rows = _values(workbook[name])
    if record.digest != record.expected_digest():
        raise _tampered(path, "its hidden record of what was sent does not match its check")
    header = record.header_row
    heading = rows[header - 1] if len(rows) >= header else ()
    if not heading or text_of(heading[0]) != COLUMNS[0][0]:
        raise _tampered(path, f"the table no longer starts in row {header}")
    table = []
    for index, item in enumerate(record.items):
        number = header + 1 + index
        row = rows[number - 1] if len(rows) >= number else ()
        row = tuple(row) + (None,) * (len(COLUMNS) - len(row))
        found = text_of(row[REFERENCE - 1])
        if found != item.reference:
            said = f"reads “{found}”" if found else "is empty"
            raise _tampered(
                path,
                f"cell {cell_name(REFERENCE, number)} {said} where the return sent "
                f"{item.reference}",
            )
        table.append(row)
    for number in range(header + len(record.items) + 1, len(rows) + 1):
        extra = rows[number - 1]
        if extra and text_of(extra[0]):
            raise _tampered(
                path, f"row {number} ({text_of(extra[0])}) was added below the rows sent"
            )
    return table
