"""A progress return as an Excel workbook: the owner's sheet, its layout and its protection,
and the workbook that holds it with the hidden record of what was sent.

The *Progress return* sheet has a title block (what it is, the owner, the inspection, the day
it was sent and the day to return it by) above a table: Reference, Recommendation, Action /
milestone and Due as the plan stands, locked and grey; Status (a drop-down of the milestone
statuses), Completed on (a date cell), Evidence note and Comment unlocked, in yellow, for the
owner to fill in. The sheet is protected without a password: the protection guards against a
slip (typing over a reference, deleting a row), not against someone who means to change the
file — anyone can switch it off in Excel or LibreOffice.

The hidden record of what was sent, which the import checks the answers against, is
:mod:`esi_desktop.returns.record`; :func:`render_return` writes it in a very hidden sheet.

Every text cell goes through :func:`esi_desktop.export.xlsx_plan.put`, which writes text that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) as a text cell marked as
text (:func:`esi_desktop.spreadsheet.safe_cell`'s rule).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.workbook.protection import WorkbookProtection  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

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
from esi_desktop.file_names import owner_in_file_name
from esi_desktop.returns.collect import OwnerReturn, ReturnRow, ReturnsPlan
from esi_desktop.returns.record import HIDDEN_SHEET, write_record

# kept importable from here, where they were before the record had its own module
from esi_desktop.returns.record import ReturnRefused as ReturnRefused
from esi_desktop.returns.record import digest_of as digest_of
from esi_desktop.returns.record import read_record as read_record
from esi_desktop.rules import MilestoneStatus
from esi_desktop.wording import long_date

SHEET = "Progress return"

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


# ----- file names ---------------------------------------------------------------------------


def return_file_name(owner: str, sent_on: date) -> str:
    """ "ACO Operations – progress return 14 May 2005.xlsx", the owner's part made safe
    (:func:`esi_desktop.file_names.owner_in_file_name`)."""
    return f"{owner_in_file_name(owner)} – progress return {long_date(sent_on)}.xlsx"


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


def render_return(plan: ReturnsPlan, owner_return: OwnerReturn) -> bytes:
    """One owner's return workbook (.xlsx bytes)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _return_sheet(sheet, plan, owner_return)
    hidden = workbook.create_sheet(HIDDEN_SHEET)
    write_record(hidden, plan, owner_return, HEADER_ROW)
    _protect(hidden)
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
