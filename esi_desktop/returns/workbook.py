"""A progress return as an Excel workbook: the owner's sheet, its protection, and the hidden
record of what was sent that the import checks the answers against.

The *Progress return* sheet has a title block (what it is, the owner, the inspection, the day
it was sent and the day to return it by) above a table: Reference, Recommendation, Action /
milestone and Due as the plan stands, locked and grey; Status (a drop-down of the milestone
statuses), Completed on (a date cell), Evidence note and Comment unlocked, in yellow, for the
owner to fill in. The sheet is protected without a password: the protection guards against a
slip (typing over a reference, deleting a row), not against someone who means to change the
file — anyone can switch it off in Excel or LibreOffice.

A very hidden sheet ``_esi`` records what was sent: the inspection (its id, and its area,
report title and publication date: ids are numbered from 1 in every database, so the id alone
would let a return written from one database be applied to unrelated items of another), the
owner, the day sent, and for each row its reference, kind, item id, action id and version (the
``version`` the plan's optimistic locking keeps, :mod:`esi_desktop.versioned`), with the status,
completion date and evidence as sent. Its digest (SHA-256 over all of these but the answers as
sent) lets the import tell a reference column or hidden sheet changed by accident or casually
edited from the file as written. A digest without a
secret detects accidents and casual edits, not a determined forger: anyone who can read this
module can recompute it. What a return changes is still bounded by the plan's own rules and by
the versions (a row changed since is a conflict), and the history names who applied it.

Every text cell goes through :func:`esi_desktop.export.xlsx_plan.put`, which writes text that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) as a text cell marked as
text (:func:`esi_desktop.spreadsheet.safe_cell`'s rule).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.workbook.protection import WorkbookProtection  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from esi_desktop.errors import EsiError
from esi_desktop.export.office import xml_safe
from esi_desktop.export.xlsx_plan import (
    BOLD,
    DATE_FORMAT,
    FONT,
    HEAD_FILL,
    HEAD_FONT,
    MUTED_FONT,
    TITLE_FONT,
    fit_rows,
    put,
)
from esi_desktop.returns.collect import OwnerReturn, ReturnRow, ReturnsPlan
from esi_desktop.rules import MilestoneStatus
from esi_desktop.wording import long_date

SHEET = "Progress return"
HIDDEN_SHEET = "_esi"
#: The first cell of the hidden sheet: what says a workbook is one of our returns.
MARKER = "ESI Desktop progress return"
#: 2: the inspection's area, report title and publication date, and each row's action id.
FORMAT_VERSION = 2

#: The table's columns and their widths (in characters).
COLUMNS: tuple[tuple[str, float], ...] = (
    ("Reference", 11),
    ("Recommendation", 16),
    ("Action / milestone", 50),
    ("Due", 12),
    ("Status", 16),
    ("Completed on", 13),
    ("Evidence note", 42),
    ("Comment", 42),
)
REFERENCE, RECOMMENDATION, TEXT, DUE, STATUS, COMPLETED, EVIDENCE, COMMENT = range(1, 9)
#: The answered columns by the field they hold, for sentences naming a cell.
ANSWER_COLUMNS = {"status": STATUS, "completed_on": COMPLETED, "evidence": EVIDENCE,
                  "comment": COMMENT}  # fmt: skip
HEADER_ROW = 8

LOCKED_FILL = PatternFill("solid", fgColor="F3F2F1")
ACTION_FILL = PatternFill("solid", fgColor="E8EBEE")
ANSWER_FILL = PatternFill("solid", fgColor="FFF4C2")
LATE_FONT = Font(name=FONT, bold=True, color="C8102E")
GRID = Border(*(Side(style="thin", color="B1B4B6") for _ in range(4)))
EDITABLE = Protection(locked=False)
LOCKED = Protection(locked=True)
#: Excel's day 0 (dates in a validation's bounds are day numbers).
_EXCEL_EPOCH = date(1899, 12, 30)

_RECORD_KEYS = ("inspection_id", "inspection", "owner", "sent_on", "return_by", "header_row",
                "digest", "area", "report_title", "published")  # fmt: skip
_ITEM_HEADINGS = ("reference", "kind", "item_id", "version", "status", "completed_on", "evidence",
                  "answerable", "action_id")  # fmt: skip


class ReturnRefused(EsiError):
    """The workbook is not a return this program can apply; one sentence says why."""


@dataclass(frozen=True)
class SentItem:
    """One row as it was sent (the hidden sheet's record of it)."""

    reference: str
    kind: str
    item_id: int
    version: int
    status: str
    completed_on: date | None
    evidence: str
    #: Status, Completed on and Evidence note could be answered on its row.
    answerable: bool
    #: The action it is (for an action, its own id) or belongs to.
    action_id: int


@dataclass(frozen=True)
class SentRecord:
    """The hidden sheet: what was sent, to whom, for which inspection."""

    inspection_id: int
    inspection: str
    #: The inspection's area, report title and publication date (:func:`identity_of`).
    identity: Identity
    owner: str
    sent_on: date
    return_by: date
    header_row: int
    digest: str
    items: tuple[SentItem, ...]

    def expected_digest(self) -> str:
        return digest_of(self.inspection_id, self.owner, self.sent_on, self.items, self.identity)


@dataclass(frozen=True)
class Identity:
    """What tells an inspection from one with the same id in another database."""

    area: str
    report_title: str
    published: date

    def words(self) -> str:
        """ "Gloucestershire, “An inspection of …”, published 14 January 2005"."""
        return f"{self.area}, “{self.report_title}”, published {long_date(self.published)}"


def identity_of(plan: ReturnsPlan) -> Identity:
    return Identity(plan.area.strip(), plan.report_title.strip(), plan.published)


def digest_of(
    inspection_id: int,
    owner: str,
    sent_on: date,
    items: Iterable[SentItem],
    identity: Identity,
) -> str:
    """SHA-256 over the inspection id, area, report title and publication date, the owner, the
    day sent and each row's reference, kind, item id, action id and version, in order (see the
    module's description for what it does not guard against)."""
    payload = [
        FORMAT_VERSION,
        inspection_id,
        [identity.area, identity.report_title, identity.published.isoformat()],
        owner,
        sent_on.isoformat(),
        [[i.reference, i.kind, i.item_id, i.action_id, i.version] for i in items],
    ]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ----- file names ---------------------------------------------------------------------------

_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
#: An owner's name is cut to this many characters in a file name (paths stay short).
OWNER_IN_NAME = 80


def return_file_name(owner: str, sent_on: date) -> str:
    """ "ACO Operations – progress return 14 May 2005.xlsx", made safe for Windows: no
    ``< > : " / \\ | ? *`` or control characters, no trailing dot or space, not a reserved
    device name (CON, NUL, COM1 …), and the owner's part at most :data:`OWNER_IN_NAME`
    characters."""
    name = " ".join(_NOT_IN_NAMES.sub(" ", owner).split())[:OWNER_IN_NAME].strip(" .")
    if not name:
        name = "Owner"
    if _RESERVED.match(name):
        name = f"{name} (owner)"
    return f"{name} – progress return {long_date(sent_on)}.xlsx"


# ----- writing ------------------------------------------------------------------------------


def _line(sheet: Worksheet, row: int, text: str, font: Font | None = None, lines: int = 1) -> None:
    cell = put(sheet, row, 1, text)
    cell.font = font or Font(name=FONT)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
    if lines > 1:
        sheet.row_dimensions[row].height = lines * 15


def _title_block(sheet: Worksheet, plan: ReturnsPlan, owner: str) -> None:
    _line(sheet, 1, f"Progress return: the action plan for {plan.area}", TITLE_FONT)
    _line(sheet, 2, f"Owner: {owner}", BOLD)
    _line(sheet, 3, f"Inspection: {plan.inspection} (HM Inspectorate of Probation)")
    _line(
        sheet,
        4,
        f"Sent on {long_date(plan.sent_on)}. Please return it by {long_date(plan.return_by)} "
        f"({plan.return_by_reason}).",
        BOLD,
    )
    _line(
        sheet,
        5,
        "For each of your actions and milestones still open, please fill in the yellow cells: "
        "Status (choose from the list), Completed on (the day it was done, such as "
        "15/03/2005), Evidence note (what shows it is done; it is printed in the Board's "
        "progress papers) and Comment (for the Board secretary only). Grey cells are the plan "
        "as it stands and cannot be changed. Save the file and send it back as it is: do not "
        "copy the rows into another workbook.",
        lines=4,
    )
    _line(
        sheet,
        6,
        "An action's status follows its milestones: answer on the milestone rows under it. "
        "Dates in red are past.",
        MUTED_FONT,
    )


def _table_row(sheet: Worksheet, number: int, item: ReturnRow) -> None:
    values: list[Any] = [item.reference, item.recommendations, item.text, item.due, item.status,
                         item.completed_on, item.evidence, ""]  # fmt: skip
    heading = item.kind == "action" and not item.editable
    for column, value in enumerate(values, start=1):
        cell = put(sheet, number, column, value)
        cell.border = GRID
        answered = column == COMMENT or (item.editable and column in (STATUS, COMPLETED, EVIDENCE))
        cell.protection = EDITABLE if answered else LOCKED
        cell.fill = ANSWER_FILL if answered else ACTION_FILL if heading else LOCKED_FILL
        if column == REFERENCE or (item.kind == "action" and column == TEXT):
            cell.font = BOLD
        if column == TEXT and item.kind != "action":
            cell.alignment = Alignment(wrap_text=True, vertical="top", indent=1)
        if column in (DUE, COMPLETED):
            cell.number_format = DATE_FORMAT
        if column == DUE and item.overdue:
            cell.font = LATE_FONT


def _validations(sheet: Worksheet, rows: Sequence[int], published: date) -> None:
    if not rows:
        return
    statuses = ",".join(s.value for s in MilestoneStatus)
    status = DataValidation(
        type="list",
        formula1=f'"{statuses}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error=f"Choose one of: {statuses.replace(',', ', ')}.",
        showInputMessage=True,
        promptTitle="Status",
        prompt="Choose from the list.",
    )
    completed = DataValidation(
        type="date",
        operator="between",
        formula1=str((published - _EXCEL_EPOCH).days),
        formula2=str((date(2099, 12, 31) - _EXCEL_EPOCH).days),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Completed on",
        error=f"Type the day it was completed, such as 15/03/2005 (not before "
        f"{long_date(published)}).",
        showInputMessage=True,
        promptTitle="Completed on",
        prompt="The day it was completed, such as 15/03/2005.",
    )
    status.sqref = " ".join(f"{get_column_letter(STATUS)}{r}" for r in rows)
    completed.sqref = " ".join(f"{get_column_letter(COMPLETED)}{r}" for r in rows)
    sheet.add_data_validation(status)
    sheet.add_data_validation(completed)


def _protect(sheet: Worksheet) -> None:
    """No password: a guard against slips, not security (see the module's description)."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # the owner may widen a column …
    protection.formatRows = False  # … or a row, to read a long note
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _return_sheet(sheet: Worksheet, plan: ReturnsPlan, owner_return: OwnerReturn) -> None:
    _title_block(sheet, plan, owner_return.owner)
    for column, (title, width) in enumerate(COLUMNS, start=1):
        cell = put(sheet, HEADER_ROW, column, title)
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.border = GRID
        cell.protection = LOCKED
        sheet.column_dimensions[get_column_letter(column)].width = width
    answerable = []
    for number, item in enumerate(owner_return.rows, start=HEADER_ROW + 1):
        _table_row(sheet, number, item)
        if item.editable:
            answerable.append(number)
    _validations(sheet, answerable, plan.published)
    widths = {column: width for column, (_title, width) in enumerate(COLUMNS, start=1)}
    fit_rows(sheet, widths, first=HEADER_ROW)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(sheet)


def sent_items(owner_return: OwnerReturn) -> tuple[SentItem, ...]:
    return tuple(
        SentItem(
            r.reference,
            r.kind,
            r.item_id,
            r.version,
            r.status,
            r.completed_on,
            r.evidence,
            r.editable,
            r.action_id,
        )
        for r in owner_return.rows
    )


def _hidden_sheet(sheet: Worksheet, plan: ReturnsPlan, owner_return: OwnerReturn) -> None:
    items = sent_items(owner_return)
    identity = identity_of(plan)
    record: dict[str, Any] = {
        "inspection_id": plan.inspection_id,
        "inspection": plan.inspection,
        "owner": owner_return.owner,
        "sent_on": plan.sent_on.isoformat(),
        "return_by": plan.return_by.isoformat(),
        "header_row": HEADER_ROW,
        "digest": digest_of(plan.inspection_id, owner_return.owner, plan.sent_on, items, identity),
        "area": identity.area,
        "report_title": identity.report_title,
        "published": identity.published.isoformat(),
    }
    put(sheet, 1, 1, MARKER)
    put(sheet, 1, 2, FORMAT_VERSION)
    for number, key in enumerate(_RECORD_KEYS, start=2):
        put(sheet, number, 1, key)
        put(sheet, number, 2, record[key])
    first = len(_RECORD_KEYS) + 3
    for column, heading in enumerate(_ITEM_HEADINGS, start=1):
        put(sheet, first, column, heading)
    for number, item in enumerate(items, start=first + 1):
        completed = item.completed_on.isoformat() if item.completed_on else ""
        values = (item.reference, item.kind, item.item_id, item.version, item.status, completed,
                  item.evidence, 1 if item.answerable else 0, item.action_id)  # fmt: skip
        for column, value in enumerate(values, start=1):
            put(sheet, number, column, value)
    sheet.sheet_state = "veryHidden"
    _protect(sheet)


def render_return(plan: ReturnsPlan, owner_return: OwnerReturn) -> bytes:
    """One owner's return workbook (.xlsx bytes)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _return_sheet(sheet, plan, owner_return)
    _hidden_sheet(workbook.create_sheet(HIDDEN_SHEET), plan, owner_return)
    # no sheet can be unhidden, added or deleted without first switching this off
    workbook.security = WorkbookProtection(lockStructure=True)
    properties = workbook.properties
    properties.title = xml_safe(f"Progress return: {owner_return.owner}")[:250]
    properties.creator = xml_safe(f"{plan.area} Probation Board")[:250]
    properties.subject = xml_safe(f"Action plan progress, {plan.inspection}")[:250]
    properties.keywords = "progress return; action plan"
    properties.language = "en-GB"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ----- reading the hidden record ------------------------------------------------------------


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_record(rows: Sequence[Sequence[Any]], name: str) -> SentRecord:
    """The hidden sheet's record, from its rows' values.

    Raises:
        ReturnRefused: the record is damaged (named ``name`` in the sentence).
    """
    damaged = ReturnRefused(
        f"{name} is a progress return whose hidden record of what was sent is damaged, so "
        "its answers cannot be checked; ask the owner to fill in a new return, or type their "
        "answers in the Action plan view."
    )
    values: dict[str, Any] = {}
    items: list[SentItem] = []
    in_items = False
    for row in rows[1:]:
        cells = list(row) + [None] * (len(_ITEM_HEADINGS) - len(row))
        first = _text(cells[0])
        if not in_items:
            if first == _ITEM_HEADINGS[0]:
                in_items = True
            elif first:
                values[first] = cells[1]
            continue
        if all(_text(value) == "" for value in cells):
            continue  # a reference may be empty (an item made before numbering): not a row
        item_id, version, action_id = _int(cells[2]), _int(cells[3]), _int(cells[8])
        kind = _text(cells[1])
        if (
            item_id is None
            or version is None
            or action_id is None
            or kind not in ("action", "milestone")
        ):
            raise damaged
        answerable = _int(cells[7])
        if answerable not in (0, 1):
            raise damaged
        items.append(
            SentItem(
                first,
                kind,
                item_id,
                version,
                _text(cells[4]),
                _day(cells[5]),
                _text(cells[6]),
                answerable == 1,
                action_id,
            )
        )
    inspection_id, header_row = _int(values.get("inspection_id")), _int(values.get("header_row"))
    sent_on, return_by = _day(values.get("sent_on")), _day(values.get("return_by"))
    published = _day(values.get("published"))
    if (
        inspection_id is None
        or header_row is None
        or sent_on is None
        or return_by is None
        or published is None
    ):
        raise damaged
    return SentRecord(
        inspection_id=inspection_id,
        inspection=_text(values.get("inspection")),
        identity=Identity(_text(values.get("area")), _text(values.get("report_title")), published),
        owner=_text(values.get("owner")),
        sent_on=sent_on,
        return_by=return_by,
        header_row=header_row,
        digest=_text(values.get("digest")),
        items=tuple(items),
    )
