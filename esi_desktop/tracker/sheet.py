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
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.xml.functions import iterparse  # type: ignore[import-untyped]  # defusedxml's

from esi_desktop.errors import EsiError
from esi_desktop.tracker.headings import FIELDS as FIELDS
from esi_desktop.tracker.headings import HEADINGS as HEADINGS
from esi_desktop.tracker.headings import PLAIN_HEADINGS
from esi_desktop.tracker.headings import field_of as field_of
from esi_desktop.tracker.values import heading_key

#: The files read: Excel workbooks, with macros or as templates.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
#: The header row is looked for among this many rows at the top of a sheet.
HEADER_SEARCH_ROWS = 50


class TrackerRefused(EsiError):
    """The workbook cannot be imported at all; the sentence names the file and the sheet."""


@dataclass(frozen=True)
class Cell:
    """One cell of a row under the header."""

    coordinate: str  # "E14"
    value: Any  # as last calculated: a date, a number, text, or None
    #: The formula when the cell holds one whose result was not saved with the file.
    unsaved_formula: str = ""
    #: The cell is coloured (a fill other than none or white): a RAG shown by colour alone.
    filled: bool = False


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
    #: Sentences about what will be done with a column that the secretary may want to change
    #: (a "Comments" column read as the evidence printed in Board papers); not warnings.
    notes: tuple[str, ...] = field(default=())


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
    notes: list[str] = []
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
            hidden = _hidden_rows(path, sheet)
            rows = _rows(path, sheet, formulas_book[name])
            table, problem = _table(
                name, rows, columns.get(name), header_rows.get(name), warnings, notes, hidden
            )
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
    return TrackerWorkbook(path, tuple(tables), tuple(warnings), tuple(notes))


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
    except Exception as exc:
        raise _damaged(path, exc) from None


#: What a damaged workbook raises while openpyxl reads it: a broken zip (a bad CRC, a
#: truncated or corrupt deflate stream, a missing part), XML that does not parse.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ParseError)


def _damaged(path: Path, exc: Exception) -> Exception:
    """The refusal for a workbook that cannot be read (``exc`` itself when it is not one of
    the ways a damaged file fails, so a fault of this program is not hidden)."""
    if isinstance(exc, _DAMAGE) and not type(exc).__module__.startswith("defusedxml"):
        return TrackerRefused(
            f"{path.name} is not an Excel workbook or it is damaged; open it in Excel or "
            "LibreOffice, save it again as an Excel Workbook (.xlsx), and import that."
        )
    if type(exc).__module__.startswith(("defusedxml", "xml")):  # refusals and parse errors
        return TrackerRefused(
            f"{path.name} holds XML this program does not read ({type(exc).__name__}); "
            "open it in Excel, save it again as an Excel Workbook (.xlsx), and import that."
        )
    return exc


def _hidden_rows(path: Path, sheet: Any) -> frozenset[int]:
    """The numbers of the sheet's hidden rows (openpyxl's read-only sheets do not say which
    rows are hidden, so the sheet's XML is read for them, through defusedxml)."""
    hidden: set[int] = set()
    number = 0
    try:
        with sheet._get_source() as source:  # the worksheet part of the workbook's zip
            for _, element in iterparse(source):
                if element.tag.rpartition("}")[2] != "row":
                    if element.tag.rpartition("}")[2] == "sheetData":
                        break
                    continue
                number = int(element.get("r") or number + 1)
                if element.get("hidden") in ("1", "true"):
                    hidden.add(number)
                element.clear()
    except Exception as exc:
        raise _damaged(path, exc) from None
    return frozenset(hidden)


def _rows(path: Path, values: Any, formulas: Any) -> Iterator[tuple[int, list[Cell]]]:
    """Each row with content: its number and cells, the value as last calculated.

    openpyxl reads a read-only sheet's XML (and unzips it) only now, row by row, so a damaged
    sheet fails here, not when the workbook is opened: that is refused in a sentence too.
    """
    try:
        pairs = zip(values.iter_rows(), formulas.iter_rows(values_only=True), strict=False)
        for number, (calculated, written) in enumerate(pairs, start=1):
            cells = []
            for index, cell in enumerate(calculated, start=1):
                value = cell.value
                raw = written[index - 1] if index <= len(written) else None
                unsaved = ""
                if value is None and isinstance(raw, str) and raw.startswith("="):
                    unsaved = raw
                coordinate = f"{get_column_letter(index)}{number}"
                cells.append(Cell(coordinate, value, unsaved, _coloured(cell)))
            yield number, cells
    except Exception as exc:
        raise _damaged(path, exc) from None


def _coloured(cell: Any) -> bool:
    """The cell has a fill of a colour other than white."""
    fill = getattr(cell, "fill", None)
    if fill is None or getattr(fill, "type", "") == "gradientFill":
        return fill is not None
    if getattr(fill, "fill_type", None) in (None, "none"):
        return False
    color: Any = getattr(fill, "fgColor", None)
    rgb = getattr(color, "rgb", None)
    if getattr(color, "type", "") == "theme":
        return not (color.theme == 0 and not color.tint)  # theme 0: the background (white)
    return not (isinstance(rgb, str) and rgb.upper()[-6:] == "FFFFFF")


def _table(
    name: str,
    rows: Iterator[tuple[int, list[Cell]]],
    override: Mapping[str, int] | None,
    header_row: int | None,
    warnings: list[str],
    notes: list[str],
    hidden: frozenset[int] = frozenset(),
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
    kept: list[SheetRow] = []
    for row in table_rows:
        if row.is_blank():
            continue
        if row.number in hidden:
            warnings.append(
                f"Sheet {name!r}, row {row.number} is hidden, so it was not imported; show the "
                "row in Excel (or delete it) and import again if it belongs in the plan."
            )
            continue
        kept.append(row)
    table = SheetTable(name, header_number, found, headings, tuple(kept))
    _colour_only(table, warnings)
    if "evidence" in found and not (override and override.get("evidence")):
        heading = headings["evidence"]
        if "evidence" not in heading_key(heading).split():
            notes.append(
                f"{heading} (sheet {name!r}, column {table.column_letter('evidence')}) will be "
                "printed as evidence in Board papers: it is read as each item's evidence "
                "note; if it holds remarks not for the Board, set Evidence to "
                "'(not in this sheet)' in the window's column step, or rename that heading, "
                "before importing."
            )
    return table, ""


def _colour_only(table: SheetTable, warnings: list[str]) -> None:
    """One warning for a status (or RAG) column whose cells show the status only by colour:
    a coloured cell without text sets no status, and that should not pass unnoticed."""
    name = "status" if "status" in table.columns else "rag"
    if name not in table.columns:
        return
    coloured = [
        row.number
        for row in table.rows
        if (cell := row.cells.get(name)) is not None
        and cell.filled
        and (cell.value is None or str(cell.value).strip() == "")
    ]
    if coloured:
        rows = ", ".join(str(n) for n in coloured[:5]) + (", …" if len(coloured) > 5 else "")
        warnings.append(
            f"Sheet {table.sheet!r}: column {table.column_letter(name)} "
            f"({table.headings[name]!r}) shows a status only by its colour in "
            f"{len(coloured)} {'row' if len(coloured) == 1 else 'rows'} ({rows}); this program "
            "reads what a cell says, not its colour, so their status was left as it was — type "
            "the status (or Red, Amber, Green, Blue) in those cells and import again."
        )


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
        rank = 1 if heading_key(cell.value) in PLAIN_HEADINGS else 0
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
