"""The action plan as an Excel workbook: a *Plan* sheet to sort and filter, and a *Progress*
sheet with the Board progress paper's tables.

*Plan* has one row per milestone, and one per action without milestones, under the stable
references ("AP3.2", "AP3"), with real date cells, a frozen header row, filters and wrapped
text. *Progress* has the paper's tables from
:func:`~esi_desktop.export.progress_content.progress_content`: the counts by RAG and each
recommendation's progress, what was completed since the previous meeting, what is overdue, the
changes since the plan was sent, and the extension requests with the Board's decisions. Both
come from the plan without its internal notes.

Text that a spreadsheet would run as a formula (the rule of :mod:`esi_desktop.spreadsheet`) is
written as a text cell marked "this is text" (Excel's quote prefix), so it is shown as typed
and never run.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from esi_desktop.export.office import xml_safe
from esi_desktop.export.parts import action_status
from esi_desktop.export.progress import DOCUMENT_TITLE as PAPER_TITLE
from esi_desktop.export.progress_content import ProgressContent, progress_content
from esi_desktop.export.rated_content import RatedTable
from esi_desktop.export.rated_tables import RATINGS_INTRO
from esi_desktop.export.style import RAG_WORDS
from esi_desktop.plan import PlanView, board_meetings
from esi_desktop.plan.as_sent import RESPONSE
from esi_desktop.rules import Rag
from esi_desktop.spreadsheet import safe_cell
from esi_desktop.wording import kind_name, long_date

DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0%"

#: The Progress sheet's column widths (its tables share the columns).
PROGRESS_WIDTHS = (12, 48, 26, 26, 16, 14, 30)

PLAN_SHEET = "Plan"
PROGRESS_SHEET = "Progress"

#: The Plan sheet's columns and their widths (in characters).
PLAN_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Reference", 11),
    ("Recommendation", 16),
    ("Response category", 16),
    ("Action", 48),
    ("Owner", 24),
    ("Target date", 12),
    ("Milestone", 44),
    ("Due date", 12),
    ("Status", 16),
    ("Completed on", 13),
    ("RAG", 10),
    ("Evidence note", 36),
    # last, so the columns before it keep their places in a sheet a Board already uses
    ("Addressed to", 24),
)
#: The Plan sheet's RAG column (counted from 1).
PLAN_RAG_COLUMN = 11

FONT = "Calibri"  # Excel's own; LibreOffice reads it as Carlito, same metrics
HEAD_FONT = Font(name=FONT, bold=True, color="0B0C0C")
HEAD_FILL = PatternFill("solid", fgColor="E8EBEE")
TITLE_FONT = Font(name=FONT, bold=True, size=14, color="1D3A5F")
SECTION_FONT = Font(name=FONT, bold=True, size=12, color="1D3A5F")
MUTED_FONT = Font(name=FONT, italic=True, color="505A5F")
BOLD = Font(name=FONT, bold=True)
#: The height of a line of 11-point text, in points, and how many characters fill a unit of
#: column width (a little under one, to be safe).
LINE_HEIGHT = 15
CHARACTERS_PER_WIDTH = 1.05
WRAP = Alignment(wrap_text=True, vertical="top")
RULE = Border(bottom=Side(style="thin", color="B1B4B6"))
#: RAG cells in the PDFs' colours: (fill, text).
RAG_FILLS = {
    Rag.RED: ("C8102E", "FFFFFF"),
    Rag.AMBER: ("FFBF47", "0B0C0C"),
    Rag.GREEN: ("00703C", "FFFFFF"),
    Rag.BLUE: ("1D70B8", "FFFFFF"),
}


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell safely: dates as dates (shown dd/mm/yyyy), fractions as percentages,
    text without the characters a workbook cannot hold, and text that a spreadsheet would run
    as a formula as a text cell marked as text (openpyxl would otherwise store "=..." as a
    formula)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = xml_safe(value)
        cell.value = value
        if safe_cell(value) != value:  # it starts = + - @ (or tab, CR): never a formula
            cell.data_type = "s"
            cell.quotePrefix = True
    elif isinstance(value, Fraction):
        cell.value = float(value)
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value
    cell.alignment = WRAP
    return cell


def fit_rows(sheet: Worksheet, widths: Mapping[int, float], first: int = 1) -> None:
    """Give each row the height its wrapped text needs (a spreadsheet does not always work
    it out when it opens the file, and overlapping text is unreadable)."""
    for row in sheet.iter_rows(min_row=first):
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            width = widths.get(cell.column, 10) * CHARACTERS_PER_WIDTH
            lines = max(
                lines, sum(max(1, math.ceil(len(part) / width)) for part in cell.value.split("\n"))
            )
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT


def _header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = put(sheet, row, column, title)
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.border = RULE


def _rag(cell: Any, rag: Rag | None) -> None:
    if rag is not None:
        fill, ink = RAG_FILLS[rag]
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.font = Font(name=FONT, bold=True, color=ink)


# ----- the Plan sheet -----------------------------------------------------------------------


def plan_rows(plan: PlanView, addressees: Mapping[int, str] | None = None) -> list[list[Any]]:
    """The Plan sheet's rows, in the order of the action plan: each action's milestones,
    or the action alone when it has none.

    Args:
        addressees: who each recommendation is addressed to, by its id; an action's row
            names those of the recommendations it serves ("" when not given).
    """
    recommendations = {r.id: r for r in plan.recommendations}
    addressees = addressees or {}
    rows: list[list[Any]] = []
    for action in sorted(plan.actions.values(), key=lambda a: (a.position, a.id)):
        served = [recommendations[i] for i in action.recommendation_ids if i in recommendations]
        references = ", ".join(r.reference for r in served)
        categories = ", ".join(dict.fromkeys(r.category or "Not yet agreed" for r in served))
        rag = RAG_WORDS[action.rag]
        to = ", ".join(dict.fromkeys(addressees[r.id] for r in served if r.id in addressees))
        common = [references, categories, action.text.strip(), action.owner, action.target_date]
        if not action.milestones:
            rows.append(
                [action.reference, *common, "", None, action_status(action), None, rag, "", to]
            )
        for milestone in action.milestones:
            rows.append(
                [
                    milestone.reference,
                    *common,
                    milestone.title.strip(),
                    milestone.due_date,
                    milestone.status,
                    milestone.completed_on,
                    rag,
                    milestone.evidence.strip(),
                    to,
                ]
            )
    return rows


def _plan_sheet(sheet: Worksheet, plan: PlanView, addressees: Mapping[int, str]) -> None:
    _header(sheet, 1, [title for title, _width in PLAN_COLUMNS])
    rows = plan_rows(plan, addressees)
    rags = {word: rag for rag, word in RAG_WORDS.items()}
    rag_column = PLAN_RAG_COLUMN
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, number, column, value)
            if column == 1:
                cell.font = BOLD
            elif column == rag_column:
                _rag(cell, rags.get(value))
    widths = {column: width for column, (_title, width) in enumerate(PLAN_COLUMNS, start=1)}
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    fit_rows(sheet, widths)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(PLAN_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet)


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, fitted to the page's width."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# ----- the Progress sheet -------------------------------------------------------------------


class _Blocks:
    """Writes the paper's tables one under another, each with its heading."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1

    def line(self, value: str, font: Font | None = None) -> None:
        cell = put(self.sheet, self.row, 1, value)
        cell.alignment = Alignment(vertical="top")  # a line of text runs on across columns
        if font is not None:
            cell.font = font
        self.row += 1

    def heading(self, value: str, note: str = "") -> None:
        self.row += 1
        self.line(value, SECTION_FONT)
        if note:
            self.line(note, MUTED_FONT)

    def table(
        self, titles: Sequence[str], rows: Sequence[Sequence[Any]], *, rag_column: int = -1
    ) -> None:
        _header(self.sheet, self.row, titles)
        self.row += 1
        for values in rows:
            for column, value in enumerate(values, start=1):
                cell = put(self.sheet, self.row, column, value)
                if column - 1 == rag_column:
                    _rag(cell, next((r for r, w in RAG_WORDS.items() if w == value), None))
            self.row += 1


def _item_words(content: ProgressContent, kind: str, recommendation_ids: Sequence[int]) -> str:
    references = {r.id: r.reference for r in content.plan.recommendations}
    listed = ", ".join(references.get(i, "?") for i in recommendation_ids)
    s = "s" if len(recommendation_ids) > 1 else ""
    return f"{kind_name(kind)} · recommendation{s} {listed}"


def _progress_sheet(sheet: Worksheet, content: ProgressContent) -> None:
    c = content
    plan = c.plan
    out = _Blocks(sheet)
    out.line(f"{PAPER_TITLE}: {c.board}", TITLE_FONT)
    out.line(f"Board meeting of {long_date(c.meeting_date)}; position as at {long_date(c.as_at)}")
    out.line(f"Period covered: since {c.period.description}")
    out.line(
        f"Plan sent to the Inspectorate: {long_date(c.sent_on)}"
        if c.sent_on
        else "Plan sent to the Inspectorate: not yet marked as sent"
    )

    out.heading("1. Where the plan stands")
    by_recommendation = Counter(r.rag for r in plan.recommendations)
    by_action = Counter(a.rag for a in plan.actions.values())
    counts: list[list[Any]] = [
        [RAG_WORDS[rag], by_recommendation[rag], by_action[rag]]
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)
    ]
    counts.append(["No actions yet", by_recommendation[None], None])
    counts.append(["Total", len(plan.recommendations), len(plan.actions)])
    out.table(["Status", "Recommendations", "Actions"], counts, rag_column=0)
    out.row += 1
    out.table(
        ["Ref", "Recommendation", "Response", "Progress", "RAG", "Self-assessment", "Addressed to"],
        [
            [
                r.reference,
                r.text.strip(),
                r.category or "Not yet agreed",
                r.progress if r.action_ids else None,
                RAG_WORDS[r.rag] if r.rag else "No actions",
                r.self_assessment or "",
                c.addressee(r.id),
            ]
            for r in plan.recommendations
        ],
        rag_column=4,
    )

    out.heading(
        "3. Completed since the previous meeting",
        f"Completed after {c.period.description}, up to {long_date(c.as_at)}.",
    )
    out.table(
        ["Ref", "Item", "Kind and recommendations", "Owner", "Completed on", "Evidence"],
        [
            [
                done.item.reference,
                done.item.text,
                _item_words(c, done.item.kind, done.item.recommendation_ids),
                done.item.owner,
                done.completed_on,
                done.evidence,
            ]
            for done in c.completed
        ],
    )

    out.heading("4. Overdue items", f"Past their date and not complete on {long_date(c.as_at)}.")
    out.table(
        ["Ref", "Item", "Kind and recommendations", "Owner", "Due", "Days overdue", "Status"],
        [
            [
                late.reference,
                late.text,
                _item_words(c, late.kind, late.recommendation_ids),
                late.owner,
                late.due,
                late.days_overdue,
                late.status,
            ]
            for late in c.overdue
        ],
    )

    out.heading("5. Changes since the plan was sent")
    if c.changes is None:
        out.line("There is no plan as sent, with its wording, to compare with.", MUTED_FONT)
    else:
        out.table(
            ["Ref", "Item", "Change", "In the plan sent", "Now"],
            [
                [
                    change.reference,
                    "Response to" if change.kind == RESPONSE else kind_name(change.kind),
                    change.change,
                    change.before or "",
                    change.after or "",
                ]
                for change in c.changes
            ],
        )

    out.heading("6. Extension requests")
    if c.sent_on is None:
        out.line("The plan has not been marked as sent to the Inspectorate.", MUTED_FONT)
    out.table(
        [
            "Ref",
            "Item",
            "Owner",
            "Date in the plan sent",
            "Proposed date",
            "Days later",
            "Board decision",
        ],
        [
            [
                request.slip.item.reference,
                request.slip.item.text,
                request.slip.item.owner,
                request.slip.submitted,
                request.slip.item.due,
                request.slip.days,
                request.decision.words if request.decision is not None else "",
            ]
            for request in c.requests
        ],
    )
    out.heading("The Board’s decisions on extension requests")
    out.table(
        ["Ref", "Date asked for", "Decision", "Board meeting", "Minute"],
        [
            [d.reference, d.requested, d.decision, d.meeting_date, d.minute_reference]
            for d in c.decisions
        ],
    )
    if c.is_rated:
        _ratings_block(out, c.rated)
    widths = dict(enumerate(PROGRESS_WIDTHS, start=1))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    fit_rows(sheet, widths)
    _print_setup(sheet)


def _ratings_block(out: _Blocks, tables: Sequence[RatedTable]) -> None:
    """A rated inspection's ratings, as the paper's section 7 prints them: each standard's
    rating and whether it counts, the total and the overall rating, with the latest
    follow-up's ratings and the change once a follow-up round has them."""
    out.heading("7. Ratings", RATINGS_INTRO)
    for table in tables:
        out.line(table.title, BOLD)
        later = table.follow_up is not None
        titles = (
            ["Code", "Standard", "Inspection", table.follow_up_label, "Change"]
            if later
            else ["Code", "Standard", "Rating", "Counts towards the overall rating"]
        )
        rows: list[list[Any]] = []
        for row in table.rows():
            if row.kind == "domain":
                rows.append([f"Domain {row.code}", row.title])
            elif later:  # no column says whether it counts: the title does, as in the PDF
                apart = row.counts != "Counted"
                title = row.title + (" (rated apart, not counted)" if apart else "")
                rows.append([row.code, title, row.rating, row.follow_up, row.change])
            else:
                rows.append([row.code, row.title, row.rating, row.counts])
        out.table(titles, rows)
        out.row += 1


# ----- the workbook -------------------------------------------------------------------------


def render_plan_xlsx(content: ProgressContent) -> bytes:
    """The action plan workbook (.xlsx bytes): the Plan sheet from ``content.plan`` and the
    Progress sheet with the paper's tables for ``content.meeting_date``."""
    workbook = Workbook()
    plan_sheet = workbook.active
    plan_sheet.title = PLAN_SHEET
    _plan_sheet(plan_sheet, content.plan, content.addressees)
    _progress_sheet(workbook.create_sheet(PROGRESS_SHEET), content)
    properties = workbook.properties
    properties.title = xml_safe(f"Action plan: {content.board}")
    properties.creator = xml_safe(content.board)
    properties.lastModifiedBy = properties.creator
    properties.subject = xml_safe(
        f"The action plan responding to HM Inspectorate of Probation’s report "
        f"“{content.report_title}” ({content.published_label})"
    )[:250]
    properties.keywords = xml_safe(f"HM Inspectorate of Probation; action plan; {content.area}")
    properties.language = "en-GB"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def next_meeting(*, inspection_id: int, today: date) -> date:
    """The Board meeting a plan workbook reports to: the next one from today, else today."""
    coming = [m for m in board_meetings(inspection_id=inspection_id) if m >= today]
    return min(coming, default=today)


def plan_xlsx(*, inspection_id: int, today: date, meeting_date: date | None = None) -> bytes:
    """Read an inspection's plan and progress and render the workbook.

    Args:
        meeting_date: the Board meeting its Progress sheet reports to; None: the next
            meeting from today (today when none is entered).

    Raises:
        NotFoundError: there is no such inspection.
        ValidationError: the meeting date is before the report was published.
    """
    meeting = meeting_date or next_meeting(inspection_id=inspection_id, today=today)
    return render_plan_xlsx(
        progress_content(inspection_id=inspection_id, meeting_date=meeting, today=today)
    )
