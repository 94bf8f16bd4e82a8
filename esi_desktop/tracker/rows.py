"""A tracker's rows grouped into the plan's actions and milestones. Pure: no database.

How rows become items:

- A row with text in the Milestone column is a milestone of the action its Action column
  names; any other row with an action is an action. Rows naming the same recommendation(s)
  and the same action text (or the same value in an *Action reference* column) are one action.
- A blank Recommendation or Action cell repeats the one above (trackers merge those cells over
  a recommendation's rows, or write them once); a row holding only a recommendation is a
  heading for the rows under it.
- An action's owner and target date come from its first row that has them. Without a *Due
  date* column, a milestone row's date is the milestone's due date and the action's target date
  is the latest of them (unless an action row gives one).
- A sheet without a Milestone column but with progress (Status, Evidence, Completed on) keeps
  each row's progress in one milestone of its action, titled with the action's text and due on
  its target date: in this program progress is recorded on milestones.
- A blank Status or Evidence cell changes nothing; Red is no status (see
  :mod:`esi_desktop.tracker.values`).
- Each item gets an import key: the sheet's own reference when it has a reference column
  (for an action, with the sheet and its recommendation(s): two sheets, or two
  recommendations, may each number their actions from 1), otherwise the recommendation(s) and
  the wording; importing the sheet again finds its items by that key. The same reference for
  a different wording is a clash, said in a warning: that action is keyed by its wording.
- A reference that is this program's own ("AP3", "AP3.2": the Plan workbook it exports) is
  kept as the item's ``stable`` reference, so the import can find the item it names.
- A Recommendation column that names no recommendation (a short title) next to a Ref column
  that does: the recommendations are read from the Ref column, and a warning says so.
- A date column in which some dates can be read only month first (03/31/2006) has its
  either-way dates (04/05/2005) read day first, as everywhere, with one warning for the column.

Every row that cannot be placed is a warning naming the sheet, row and cell, never a silent
drop.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from esi_desktop.rules import MilestoneStatus
from esi_desktop.tracker.columns import date_order, recommendation_column
from esi_desktop.tracker.sheet import Cell, SheetRow, SheetTable, TrackerWorkbook
from esi_desktop.tracker.values import (
    CellProblem,
    heading_key,
    read_date,
    read_status,
    recommendation_references,
    text_of,
)
from esi_desktop.wording import long_date, month_year, parse_reference

#: An import key longer than this keeps its start and a digest of the whole.
KEY_LENGTH = 160


@dataclass
class TrackerMilestone:
    """A milestone as the sheet gives it."""

    key: str
    sheet: str
    row: int
    title: str
    due_date: date
    #: None: the sheet sets no status (blank, or Red).
    status: MilestoneStatus | None = None
    completed_on: date | None = None
    #: None: the cell is blank (the milestone's evidence is left as it is).
    evidence: str | None = None
    #: The program's own reference the sheet gives it, (3, 2) for "AP3.2"; None: none.
    stable: tuple[int, int] | None = None


@dataclass
class TrackerAction:
    """An action as the sheet gives it, with its milestones."""

    key: str
    sheet: str
    row: int
    recommendations: tuple[str, ...]
    text: str
    owner: str
    target_date: date | None
    milestones: list[TrackerMilestone] = field(default_factory=list)
    #: The target date came from a row of its own (not worked out from its milestones).
    dated: bool = False
    #: The program's own action number the sheet gives it, 3 for "AP3" (or "AP3.1" on a
    #: milestone's row); None: none.
    stable: int | None = None


@dataclass(frozen=True)
class TrackerPlan:
    """The actions a workbook gives, in sheet order, and a sentence for every row left out."""

    actions: tuple[TrackerAction, ...]
    warnings: tuple[str, ...]


def where(sheet: str, row: int, cell: str = "") -> str:
    """ "Sheet 'Action plan', row 14, cell E14"."""
    return f"Sheet {sheet!r}, row {row}" + (f", cell {cell}" if cell else "")


def import_key(kind: str, *parts: str) -> str:
    """A stable key: "ref:AP3" or "text:3|improve case recording" (long ones shortened)."""
    key = f"{kind}:" + "|".join(parts) if parts else kind
    if len(key) <= KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"{key[: KEY_LENGTH - 17]}#{digest}"


def plan_of(
    workbook: TrackerWorkbook,
    *,
    recommendations: Mapping[str, str],
    published: date,
    today: date,
) -> TrackerPlan:
    """The actions and milestones of every tracker sheet of ``workbook``.

    Args:
        recommendations: the inspection's recommendations, reference → text.
        published: the report's publication date (no date may be earlier).
        today: the program's today (no completion date may be later).
    """
    warnings = list(workbook.warnings)
    actions: dict[str, TrackerAction] = {}
    for table in workbook.tables:
        _Sheet(table, recommendations, published, today, actions, warnings).read()
    for action in actions.values():
        if action.target_date is None and action.milestones:
            action.target_date = max(m.due_date for m in action.milestones)
        elif action.target_date is None:
            warnings.append(
                f"{where(action.sheet, action.row)}: the action {action.text!r} has no "
                "milestone with a date to take its target date from, so it was not imported."
            )
    placed = tuple(a for a in actions.values() if a.target_date is not None)
    return TrackerPlan(placed, tuple(warnings))


class _Sheet:
    """Reads one sheet's rows into ``actions`` (shared across sheets: keys are per plan)."""

    def __init__(
        self,
        table: SheetTable,
        recommendations: Mapping[str, str],
        published: date,
        today: date,
        actions: dict[str, TrackerAction],
        warnings: list[str],
    ) -> None:
        self.table = table
        self.recommendations = recommendations
        self.published = published
        self.today = today
        self.actions = actions
        self.warnings = warnings
        columns = table.columns
        self.has_milestones = "milestone" in columns
        self.has_due = "due_date" in columns
        self.status_field = "status" if "status" in columns else "rag"
        self.progress_fields = [
            n for n in (self.status_field, "evidence", "completed") if n in columns
        ]
        # what a blank cell repeats: the row above's recommendation(s), action and reference
        self.refs: tuple[str, ...] | None = None
        self.refs_broken = False
        self.action: TrackerAction | None = None
        self.seen_action_rows: dict[str, int] = {}
        # "Ref" holds the recommendation when the Recommendation column holds titles
        self.rec_field = recommendation_column(table, recommendations, warnings)

    def warn(self, row: SheetRow, name: str, message: str) -> None:
        cell = row.cells.get(name)
        place = where(self.table.sheet, row.number, cell.coordinate if cell else "")
        self.warnings.append(f"{place}: {message}.")

    def read(self) -> None:
        for name in ("target_date", "due_date", "completed"):
            if name in self.table.columns:
                self.warnings.extend(date_order(self.table, name, self.today))
        for row in self.table.rows:
            self._read_row(row)

    # ----- one row ---------------------------------------------------------------------------

    def _value(self, row: SheetRow, name: str) -> object:
        """The cell's value; a formula whose result was not saved is a problem."""
        cell: Cell | None = row.cells.get(name)
        if cell is None:
            return None
        if cell.unsaved_formula:
            raise CellProblem(
                f"the formula {cell.unsaved_formula} has no result saved with the file; open "
                "the workbook in Excel or LibreOffice, save it, and import again"
            )
        return cell.value

    def _text(self, row: SheetRow, name: str) -> str:
        return text_of(self._value(row, name))

    def _read_row(self, row: SheetRow) -> None:
        table = self.table
        texts: dict[str, str] = {}
        for name in ("action", "milestone"):
            try:
                texts[name] = self._text(row, name)
            except CellProblem as problem:
                self.warn(row, name, f"{problem}; the row was not imported")
                return
        action_text, milestone_text = texts["action"], texts["milestone"]
        refs = self._recommendations(row)
        if refs is None:
            return
        others = [n for n in table.columns if n not in ("recommendation", "action", self.rec_field)]
        if not action_text and not milestone_text:
            if all(row.value(n) in (None, "") for n in others):
                return  # a recommendation's heading row: it names the rows under it
            self.warn(row, "action", "there is no action in this row, so it was not imported")
            return
        if not action_text:  # a milestone under the action above (a merged or blank cell)
            if self.action is None or self.action.recommendations != refs:
                self.warn(
                    row,
                    "action",
                    "this milestone has no action, in its row or above it, so it was not imported",
                )
                return
            action = self.action
        else:
            found = self._action(row, refs, action_text, bool(milestone_text))
            if found is None:
                self.action = None  # milestones under it are not placed elsewhere
                return
            action = found
        self.action = action
        if milestone_text:
            self._milestone(row, action, milestone_text)
        elif self.progress_fields and not action.milestones:
            self._progress(row, action)
        elif self.progress_fields and self._has_progress(row):
            self.warn(
                row,
                self.progress_fields[0],
                "progress of an action with milestones is "
                "recorded on its milestones; this row's progress was not imported",
            )

    def _recommendations(self, row: SheetRow) -> tuple[str, ...] | None:
        name = self.rec_field
        try:
            value = self._value(row, name)
            if value is None or text_of(value) == "":
                if self.refs is None:
                    self.warn(
                        row,
                        name,
                        "there is no recommendation in this row or above it, so it was not imported"
                        if not self.refs_broken
                        else "the recommendation above "
                        "could not be read, so this row was not imported either",
                    )
                return self.refs
            self.refs = recommendation_references(value, self.recommendations)
            self.refs_broken = False
            return self.refs
        except CellProblem as problem:
            self.refs, self.refs_broken, self.action = None, True, None
            self.warn(row, name, f"{problem}; the row was not imported")
            return None

    def _action(
        self, row: SheetRow, refs: tuple[str, ...], text: str, milestone_row: bool
    ) -> TrackerAction | None:
        own = self._own_reference(row, milestone_row)
        key = self._action_key(own, refs, text)
        existing = self.actions.get(key)
        if existing is not None and heading_key(existing.text) != heading_key(text):
            self.warn(
                row,
                "action_reference" if text_of(row.value("action_reference")) else "reference",
                f"the reference {own!r} is also that of row {existing.row}, a different "
                f"action ({existing.text!r}); this action was imported, known by its "
                "recommendation and wording instead",
            )
            own = ""
            key = self._action_key(own, refs, text)
            existing = self.actions.get(key)
        if existing is not None:
            first = self.seen_action_rows.get(key)
            if not milestone_row and first is not None:
                self.warn(
                    row,
                    "action",
                    f"this repeats the action of row {first} (the same "
                    "recommendation and wording, or reference), so it was not imported again",
                )
                return None
            self._fill_action(row, existing, milestone_row)
            if not milestone_row:
                self.seen_action_rows[key] = row.number
            return existing
        owner = ""
        try:
            owner = self._text(row, "owner")
        except CellProblem as problem:
            self.warn(row, "owner", f"{problem}; the action is imported waiting for its owner")
        else:
            if "owner" in self.table.columns and not owner:
                self.warn(row, "owner", "no owner; the action is imported waiting for one")
        target = None
        if not milestone_row or self.has_due:
            target = self._date(row, "target_date", "target date")
            if target is None:
                return None
        action = TrackerAction(
            key, self.table.sheet, row.number, refs, text, owner, target, dated=target is not None
        )
        stable = parse_reference(own) if own else None
        if stable is not None and stable[1] is None:
            action.stable = stable[0]
        self.actions[key] = action
        if not milestone_row:
            self.seen_action_rows[key] = row.number
        return action

    def _fill_action(self, row: SheetRow, action: TrackerAction, milestone_row: bool) -> None:
        """A later row of the same action: take what the first did not say."""
        if not action.owner:
            with contextlib.suppress(CellProblem):  # the first row's warning said enough
                action.owner = self._text(row, "owner")
        elif "owner" in self.table.columns:
            owner = text_of(row.value("owner"))
            if owner and heading_key(owner) != heading_key(action.owner):
                self.warn(
                    row,
                    "owner",
                    f"the owner {owner!r} differs from the action's, "
                    f"{action.owner!r} (row {action.row}); a milestone has no owner of its "
                    "own, so the action keeps its owner",
                )
        gives_target = not milestone_row or self.has_due
        if gives_target and not action.dated and row.value("target_date") not in (None, ""):
            target = self._date(row, "target_date", "target date", skip=False)
            if target is not None:
                action.target_date, action.dated = target, True

    def _own_reference(self, row: SheetRow, milestone_row: bool) -> str:
        """The sheet's own reference of the row's action ("" when it gives none)."""
        own = text_of(row.value("action_reference"))
        if not own and not milestone_row and self.rec_field != "reference":
            own = text_of(row.value("reference"))
        return own

    def _action_key(self, own: str, refs: tuple[str, ...], text: str) -> str:
        """By the sheet's own reference within its sheet and recommendation(s), or by the
        recommendation(s) and the wording."""
        if own:
            return import_key("ref", self.table.sheet, ",".join(refs), heading_key(own) or own)
        return import_key("text", ",".join(refs), heading_key(text))

    def _milestone(self, row: SheetRow, action: TrackerAction, title: str) -> None:
        own = text_of(row.value("reference")) if self.rec_field != "reference" else ""
        key = (
            import_key("ref", heading_key(own) or own)
            if own
            else import_key("text", heading_key(title))
        )
        for other in action.milestones:
            if other.key == key:
                self.warn(
                    row,
                    "milestone",
                    f"this repeats the milestone of row {other.row} (the same "
                    "action and wording, or reference), so it was not imported again",
                )
                return
        name = (
            "due_date"
            if self.has_due and row.value("due_date") not in (None, "")
            else ("target_date")
        )
        due = self._date(row, name, "due date")
        if due is None:
            return
        milestone = TrackerMilestone(key, self.table.sheet, row.number, title, due)
        stable = parse_reference(own) if own else None
        if stable is not None and stable[1] is not None:
            milestone.stable = (stable[0], stable[1])
            if action.stable is None and not action.milestones:
                action.stable = stable[0]
        self._read_progress(row, milestone)
        action.milestones.append(milestone)

    def _has_progress(self, row: SheetRow) -> bool:
        """The row records progress (a status cell that sets none and says nothing worth a
        warning — "N/A", or our own workbook's "No milestones yet" — is none)."""
        for name in self.progress_fields:
            value = row.value(name)
            if not text_of(value):
                continue
            if name == self.status_field:
                with contextlib.suppress(CellProblem):
                    reading = read_status(value)
                    if reading.status is None and not reading.note:
                        continue
            return True
        return False

    def _progress(self, row: SheetRow, action: TrackerAction) -> None:
        """An action row's progress, kept in one milestone of the action (see above)."""
        if not self._has_progress(row) or action.target_date is None:
            return
        milestone = TrackerMilestone(
            import_key("progress"), self.table.sheet, row.number, action.text, action.target_date
        )
        self._read_progress(row, milestone)
        action.milestones.append(milestone)

    def _read_progress(self, row: SheetRow, milestone: TrackerMilestone) -> None:
        status_name = self.status_field
        try:
            reading = read_status(self._value(row, status_name))
        except CellProblem as problem:
            self.warn(row, status_name, f"{problem}; the status was left as it was")
        else:
            milestone.status = reading.status
            if reading.note:
                self.warn(row, status_name, reading.note)
        try:
            evidence = text_of(self._value(row, "evidence"), keep_lines=True)
        except CellProblem as problem:
            self.warn(row, "evidence", f"{problem}; the evidence was left as it was")
        else:
            milestone.evidence = evidence or None
        if "completed" not in self.table.columns or row.value("completed") in (None, ""):
            return
        completed = self._date(row, "completed", "completion date", skip=False)
        if completed is None:
            return
        if completed > self.today:
            self.warn(
                row,
                "completed",
                f"the completion date {long_date(completed)} is in the "
                "future, so it was not imported",
            )
            return
        if milestone.status is None:
            milestone.status = MilestoneStatus.COMPLETE
        if milestone.status != MilestoneStatus.COMPLETE:
            self.warn(
                row,
                "completed",
                f"a completion date is recorded only for a complete item, "
                f"and this one is {milestone.status.value}; the date was not imported",
            )
            return
        milestone.completed_on = completed

    def _date(self, row: SheetRow, name: str, what: str, *, skip: bool = True) -> date | None:
        """The cell's date, or None after a warning (``skip``: the row is not imported)."""
        outcome = "the row was not imported" if skip else f"the {what} was not imported"
        try:
            reading = read_date(self._value(row, name), today=self.today)
        except CellProblem as problem:
            reason = f"there is no {what}" if str(problem) == "the cell is empty" else problem
            self.warn(row, name, f"{reason}; {outcome}")
            return None
        if reading.day < self.published:
            self.warn(
                row,
                name,
                f"the {what} {long_date(reading.day)} is before the report was "
                f"published ({month_year(self.published)}); {outcome}",
            )
            return None
        if reading.note:
            self.warn(row, name, reading.note)
        return reading.day
