"""A Board's tracker workbook read with openpyxl: the header row of each sheet found, its
columns matched by their headings, and the rows under it. Pure: no database.

The workbook is opened read-only twice — once for the values a spreadsheet last calculated
(``data_only``), once for the formulas — so a formula whose result was never saved with the
file (a workbook written by a program rather than by Excel) is told apart from an empty cell.
openpyxl reads the XML through defusedxml when it is installed (it is a dependency), so a
workbook cannot smuggle in entity expansions or external entities.

The header row is the first row, among the first :data:`HEADER_SEARCH_ROWS`, in which at least
two cells are headings this module knows (:data:`HEADINGS`); titles and blank rows above it
are common. Headings are compared without case, punctuation or extra spaces ("Rec No." =
"rec no"), and a heading with alternatives ("Lead officer / Owner") matches when one does.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from esi_desktop.errors import EsiError
from esi_desktop.tracker.values import heading_key

#: The files read: Excel workbooks, with macros or as templates.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
#: The header row is looked for among this many rows at the top of a sheet.
HEADER_SEARCH_ROWS = 50

#: What each column means, with the label shown in sentences and in the mapping step.
FIELDS: Mapping[str, str] = {
    "recommendation": "Recommendation",
    "reference": "Reference",
    "action_reference": "Action reference",
    "action": "Action",
    "milestone": "Milestone",
    "owner": "Owner",
    "target_date": "Target date",
    "due_date": "Due date",
    "status": "Status",
    "rag": "RAG",
    "evidence": "Evidence",
    "completed": "Completed on",
}

#: The headings each field is known by (compared after :func:`heading_key`).
HEADINGS: Mapping[str, tuple[str, ...]] = {
    "recommendation": (
        "rec", "recs", "rec no", "rec nos", "rec number", "rec num", "rec ref", "rec reference",
        "rec id", "recommendation no", "recommendation nos", "recommendation number",
        "recommendation ref", "recommendation reference", "recommendation id",
        "hmip recommendation", "hmip rec", "hmip rec no", "recommendation",
        "recommendations",
    ),
    "reference": (
        "ref", "reference", "ref no", "reference no", "ref number", "id", "item", "item ref",
        "item no", "milestone ref", "milestone no", "row ref", "no",
    ),
    "action_reference": (
        "action ref", "action reference", "action no", "action number", "action id",
        "ap", "ap ref", "ap no", "action plan ref", "action plan no",
    ),
    "action": (
        "action", "actions", "what we will do", "what will be done", "action required",
        "actions required", "agreed action", "agreed actions", "action to be taken",
        "actions to be taken", "proposed action", "proposed actions", "smart action",
        "smart actions", "action description", "planned action", "planned actions",
    ),
    "milestone": (
        "milestone", "milestones", "task", "tasks", "step", "steps", "key milestone",
        "key milestones", "key tasks", "sub action", "sub actions", "milestone task",
    ),
    "owner": (
        "owner", "owners", "lead officer", "lead officers", "responsible", "lead",
        "lead owner", "action owner", "responsible officer", "responsible person",
        "person responsible", "who", "by whom", "lead manager", "responsibility",
        "accountable", "accountable officer", "lead person",
    ),
    "target_date": (
        "target date", "target dates", "by when", "timescale", "timescales", "time scale",
        "time scales", "deadline", "deadlines", "target", "target completion date",
        "completion target", "timeframe", "time frame", "when", "target date for completion",
    ),
    "due_date": (
        "due date", "due", "due by", "date due", "milestone date", "milestone due",
        "milestone due date",
    ),
    "status": ("status", "progress", "current status", "progress status", "status of action"),
    "rag": ("rag", "rag rating", "rag status", "rag rated", "red amber green"),
    "evidence": (
        "evidence", "comments", "comment", "update", "updates", "notes", "note",
        "evidence note", "progress update", "progress updates", "progress to date",
        "progress made", "progress comments", "progress notes", "evidence of progress",
        "evidence of completion", "latest update", "commentary", "update on progress",
    ),
    "completed": (
        "completed", "date completed", "completed on", "completion date", "actual completion",
        "actual completion date", "date closed", "closed on", "date achieved", "done on",
    ),
}  # fmt: skip

#: A heading that matches only when no better one does ("Recommendation" may hold the text).
_PLAIN = {"recommendation", "recommendations", "no"}
_BY_HEADING = {heading: name for name, headings in HEADINGS.items() for heading in headings}


class TrackerRefused(EsiError):
    """The workbook cannot be imported at all; the sentence names the file and the sheet."""


def field_of(heading: object) -> str | None:
    """The field a column heading means, or None ("Lead officer / Owner" → "owner")."""
    key = heading_key(heading)
    if not key:
        return None
    if key in _BY_HEADING:
        return _BY_HEADING[key]
    raw = str(heading)
    for separator in ("/", "\n", " or "):
        parts = [heading_key(part) for part in raw.split(separator)]
        found = {_BY_HEADING[p] for p in parts if p in _BY_HEADING}
        if len(found) == 1:
            return found.pop()
    return None


@dataclass(frozen=True)
class Cell:
    """One cell of a row under the header."""

    coordinate: str  # "E14"
    value: Any  # as last calculated: a date, a number, text, or None
    #: The formula when the cell holds one whose result was not saved with the file.
    unsaved_formula: str = ""


@dataclass(frozen=True)
class SheetRow:
    """A row under the header: its number and its cells, by field."""

    number: int
    cells: Mapping[str, Cell]

    def value(self, name: str) -> Any:
        cell = self.cells.get(name)
        return None if cell is None else cell.value

    def is_blank(self) -> bool:
        return all(
            (c.value is None or str(c.value).strip() == "") and not c.unsaved_formula
            for c in self.cells.values()
        )


@dataclass(frozen=True)
class SheetTable:
    """A sheet's header row, what each column means and the rows under it."""

    sheet: str
    header_row: int
    #: Field → column number (1 is column A).
    columns: Mapping[str, int]
    #: Field → the heading as written in the sheet.
    headings: Mapping[str, str]
    rows: tuple[SheetRow, ...]

    def column_letter(self, name: str) -> str:
        return str(get_column_letter(self.columns[name]))


@dataclass(frozen=True)
class TrackerWorkbook:
    """The sheets read as trackers, and a sentence for every sheet or column not read."""

    path: Path
    tables: tuple[SheetTable, ...]
    warnings: tuple[str, ...] = field(default=())


def read_tracker(
    path: Path,
    *,
    columns: Mapping[str, Mapping[str, int]] | None = None,
    header_rows: Mapping[str, int] | None = None,
    sheets: Collection[str] | None = None,
) -> TrackerWorkbook:
    """Read the tracker sheets of a workbook.

    Args:
        path: the ``.xlsx`` (or ``.xlsm``) file.
        columns: per sheet name, field → column number (1 is A) replacing what the headings
            say (the window's column-mapping step); a field mapped to 0 is not read.
        header_rows: per sheet name, the header row's number when it is not the one found.
        sheets: read only these sheets (None: every visible sheet).

    Raises:
        TrackerRefused: the file is not a workbook this program reads, or no sheet has the
            columns a plan needs (a recommendation and an action, and a target date); one
            sentence names the file, the sheet and the column.
    """
    columns = columns or {}
    header_rows = header_rows or {}
    tables: list[SheetTable] = []
    warnings: list[str] = []
    incomplete: list[tuple[str, str]] = []
    data = _read_bytes(path)
    values_book, formulas_book = _open(path, data), _open(path, data, formulas=True)
    try:
        for sheet in values_book.worksheets:
            name = sheet.title
            if sheets is not None and name not in sheets:
                continue
            if sheets is None and getattr(sheet, "sheet_state", "visible") != "visible":
                warnings.append(f"Sheet {name!r} is hidden; it was not read.")
                continue
            rows = _rows(sheet, formulas_book[name])
            table, problem = _table(name, rows, columns.get(name), header_rows.get(name), warnings)
            if table is not None:
                tables.append(table)
            elif problem:
                incomplete.append((name, problem))
    finally:
        values_book.close()
        formulas_book.close()
    if not tables:
        if incomplete:
            name, problem = incomplete[0]
            raise TrackerRefused(
                f"The workbook {path.name} cannot be imported: its sheet {name!r} {problem}."
            )
        raise TrackerRefused(
            f"The workbook {path.name} has no sheet with a header row naming the plan's "
            "columns (such as Rec No., Action, Lead officer, By when); add one and import again."
        )
    warnings.extend(f"Sheet {name!r} was not read: it {problem}." for name, problem in incomplete)
    return TrackerWorkbook(path, tuple(tables), tuple(warnings))


def _read_bytes(path: Path) -> bytes:
    """The whole file, read once: both readings see the same bytes, and no file stays open
    however a reading ends."""
    if not path.is_file():
        raise TrackerRefused(f"There is no file at {path}. Check the path and try again.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrackerRefused(f"Cannot read {path} ({exc.strerror or exc}).") from None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TrackerRefused(
            f"{path.name} is an Excel 97-2003 workbook (.xls) or one protected with a "
            "password; open it in Excel, save it as an Excel Workbook (.xlsx) without a "
            "password, and import that."
        )
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise TrackerRefused(
            f"{path.name} is not an Excel workbook (.xlsx); open it in Excel or LibreOffice, "
            "save it as an Excel Workbook (.xlsx), and import that."
        )
    return data


def _open(path: Path, data: bytes, *, formulas: bool = False) -> Any:
    try:
        return load_workbook(
            io.BytesIO(data), read_only=True, data_only=not formulas, keep_links=False
        )
    except (zipfile.BadZipFile, KeyError, OSError):
        raise TrackerRefused(
            f"{path.name} is not an Excel workbook or it is damaged; open it in Excel or "
            "LibreOffice, save it again as an Excel Workbook (.xlsx), and import that."
        ) from None
    except Exception as exc:  # defusedxml's refusals and the XML parser's errors
        if type(exc).__module__.startswith(("defusedxml", "xml")):
            raise TrackerRefused(
                f"{path.name} holds XML this program does not read ({type(exc).__name__}); "
                "open it in Excel, save it again as an Excel Workbook (.xlsx), and import that."
            ) from None
        raise


def _rows(values: Any, formulas: Any) -> Iterator[tuple[int, list[Cell]]]:
    """Each row with content: its number and cells, the value as last calculated."""
    pairs = zip(
        values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=False
    )
    for number, (calculated, written) in enumerate(pairs, start=1):
        cells = []
        for index, value in enumerate(calculated, start=1):
            raw = written[index - 1] if index <= len(written) else None
            unsaved = ""
            if value is None and isinstance(raw, str) and raw.startswith("="):
                unsaved = raw
            cells.append(Cell(f"{get_column_letter(index)}{number}", value, unsaved))
        yield number, cells


def _table(
    name: str,
    rows: Iterator[tuple[int, list[Cell]]],
    override: Mapping[str, int] | None,
    header_row: int | None,
    warnings: list[str],
) -> tuple[SheetTable | None, str]:
    """The sheet's table, or None and why it is not one ("" when it has no header row)."""
    header: list[Cell] | None = None
    header_number = 0
    scanned: list[tuple[int, list[Cell]]] = []
    for number, cells in rows:
        if header_row is not None:
            if number == header_row:
                header, header_number = cells, number
                break
            continue
        if number > HEADER_SEARCH_ROWS:
            scanned.append((number, cells))
            break
        if len({f for f in (field_of(c.value) for c in cells) if f}) >= 2:
            header, header_number = cells, number
            break
        scanned.append((number, cells))
    if header is None and not override:
        return None, ""
    data: Iterable[tuple[int, list[Cell]]] = rows
    if header is None:  # the mapping names the columns of a sheet without headings
        data = itertools.chain(scanned, rows)
    header = header or []
    found, headings = _match(name, header, warnings)
    if override:
        found = {k: v for k, v in found.items() if k not in override}
        for key, column in override.items():
            if key not in FIELDS:
                raise TrackerRefused(f"{key!r} is not a column the plan reads.")
            if column:
                found[key] = column
                headings[key] = str(_heading_at(header, column) or FIELDS[key])
        found = {k: v for k, v in found.items() if v}
    if "recommendation" not in found and "reference" in found:
        found["recommendation"] = found.pop("reference")  # "Ref" holding 1, 2, T1 …
        headings["recommendation"] = headings.pop("reference")
    if "target_date" not in found and "due_date" in found:
        found["target_date"] = found.pop("due_date")
        headings["target_date"] = headings.pop("due_date")
    missing = [n for n in ("recommendation", "action", "target_date") if n not in found]
    if missing:
        seen = ", ".join(str(c.value).strip() for c in header if heading_key(c.value)) or "none"
        label = FIELDS[missing[0]]
        return None, (
            f"has no {label} column (its headings are {seen}); give that "
            f"column a heading such as {_example(missing[0])} and import again"
        )
    if "owner" not in found:
        warnings.append(
            f"Sheet {name!r} has no Owner column: every action is imported waiting for its owner."
        )
    table_rows = (
        SheetRow(
            row, {key: cells[column - 1] for key, column in found.items() if column <= len(cells)}
        )
        for row, cells in data
    )
    kept = tuple(row for row in table_rows if not row.is_blank())
    return SheetTable(name, header_number, found, headings, kept), ""


def _heading_at(header: Sequence[Cell], column: int) -> Any:
    return header[column - 1].value if 0 < column <= len(header) else None


def _match(
    name: str, header: Sequence[Cell], warnings: list[str]
) -> tuple[dict[str, int], dict[str, str]]:
    """Field → column from the headings: a specific heading before a plain one, then the
    leftmost; a second column meaning the same is named in a warning and not read."""
    candidates: dict[str, list[tuple[int, int, str]]] = {}
    for index, cell in enumerate(header, start=1):
        key = field_of(cell.value)
        if key is None:
            continue
        rank = 1 if heading_key(cell.value) in _PLAIN else 0
        candidates.setdefault(key, []).append((rank, index, str(cell.value).strip()))
    found: dict[str, int] = {}
    headings: dict[str, str] = {}
    for key, options in candidates.items():
        options.sort()
        _, column, heading = options[0]
        found[key] = column
        headings[key] = heading
        for rank, other, text in options[1:]:
            if rank == 0 or key != "recommendation":
                warnings.append(
                    f"Sheet {name!r}: column {get_column_letter(other)} ({text!r}) also reads "
                    f"as {FIELDS[key]}; only column {get_column_letter(column)} "
                    f"({heading!r}) was read."
                )
    return found, headings


def _example(name: str) -> str:
    return {
        "recommendation": "'Rec No.'",
        "action": "'Action'",
        "target_date": "'Target date' or 'By when'",
    }.get(name, repr(FIELDS[name]))
