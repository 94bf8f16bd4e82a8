"""Reading an owner's progress return: each row's answers compared with what was sent and
with the plan as it is now. Reads only.

The file is opened, and refused if it is not one of our returns, is damaged, is for another
inspection or was changed where a return must not be, by :mod:`esi_desktop.returns.opening`.

Each row then gets an outcome:

- ``apply``: a milestone's answered status, completion date or evidence note differ from what
  was sent, and the milestone is as it was sent; :func:`apply_return` stores them with
  :func:`esi_desktop.plan.update_milestone` (its rules apply: the preview checks them first).
- ``note``: only a comment, or answers on an action without milestones. An action's status
  follows its milestones and the plan has nowhere to keep one for an action without any, so
  those answers are not stored as a status: they go, with any comment, into the action's
  internal note (dated and signed "<owner> (progress return)"), and a warning asks the
  secretary to record them (by adding a milestone). Internal notes never leave the building,
  so an owner's comment to the Board stays internal.
- ``conflict``: the row was answered but its item changed in the plan since the return was
  sent (its version differs): shown, not applied — unless the plan already says what the
  owner answered (then ``unchanged``).
- ``deleted``: the item was deleted from the plan since (a warning).
- ``refused``: a cell cannot be read, or the answers break a rule of the plan (a warning
  naming the row and the cell).
- ``unchanged``: nothing answered beyond what was sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from db.models import Action, Milestone, as_dicts
from esi_desktop import audit
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.inspections import get_inspection, publication_date
from esi_desktop.plan._checks import check_milestone_fields
from esi_desktop.returns.opening import (
    cell_name,
    check_inspection,
    check_items,
    checked_table,
    open_workbook,
    sent_record,
    unreadable,
)
from esi_desktop.returns.record import SentItem, SentRecord
from esi_desktop.returns.workbook import ANSWER_COLUMNS, COMMENT, COMPLETED, EVIDENCE, STATUS
from esi_desktop.tracker.values import CellProblem, read_date, read_status, text_of
from esi_desktop.wording import (
    ACTION,
    MILESTONE,
    action_reference,
    long_date,
    milestone_reference,
)

APPLY = "apply"
NOTE = "note"
CONFLICT = "conflict"
DELETED = "deleted"
REFUSED = "refused"
UNCHANGED = "unchanged"

#: How the answered fields read in sentences.
FIELD_WORDS = {"status": "status", "completed_on": "completed on", "evidence": "evidence note"}


@dataclass(frozen=True)
class RowAnswer:
    """One row of a return: what the owner answered and what importing would do with it.

    Attributes:
        row: the row's number in the sheet.
        action_id: the action the item is (or belongs to) now; None once deleted.
        answered: the answers that differ from what was sent, as (field, sent, answered).
        changes: for ``apply``: what :func:`esi_desktop.plan.update_milestone` is given.
        message: for ``conflict``, ``deleted``, ``refused`` and ``note``: the sentence.
    """

    reference: str
    kind: str
    item_id: int
    row: int
    sent_version: int
    outcome: str
    action_id: int | None = None
    answered: tuple[tuple[str, Any, Any], ...] = ()
    changes: Mapping[str, Any] = field(default_factory=dict)
    comment: str = ""
    message: str = ""


@dataclass(frozen=True)
class ReturnPreview:
    """An owner's return as read, and what applying it would do."""

    path: Path
    inspection_id: int
    owner: str
    sent_on: date
    return_by: date
    today: date
    rows: tuple[RowAnswer, ...]
    #: Every sentence the secretary should read: conflicts, deleted items, refused cells,
    #: answers kept in a note only.
    warnings: tuple[str, ...]

    @property
    def actor(self) -> str:
        """Who the history records as making the changes: "ACO Operations (progress
        return)"."""
        return f"{self.owner} (progress return)"

    @property
    def conflicts(self) -> tuple[RowAnswer, ...]:
        return tuple(r for r in self.rows if r.outcome == CONFLICT)

    @property
    def to_apply(self) -> tuple[RowAnswer, ...]:
        return tuple(r for r in self.rows if r.outcome in (APPLY, NOTE))


# ----- the answers --------------------------------------------------------------------------


@dataclass
class _Answers:
    status: str | None = None
    completed_on: date | None = None
    evidence: str = ""
    comment: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _answers(row: Sequence[Any], number: int, today: date, answerable: bool) -> _Answers:
    """The row's answers; on a row where only a Comment is asked for, only that."""
    answers = _Answers()
    answers.comment = text_of(row[COMMENT - 1], keep_lines=True)
    if not answerable:
        return answers
    try:
        answers.status = read_status(row[STATUS - 1]).status
    except CellProblem as problem:
        answers.problems.append(f"cell {cell_name(STATUS, number)}: {problem}")
    raw = row[COMPLETED - 1]
    if raw is not None and text_of(raw):
        try:
            reading = read_date(raw, today=today)
            answers.completed_on = reading.day
            if reading.note:
                answers.notes.append(f"cell {cell_name(COMPLETED, number)}: {reading.note}")
        except CellProblem as problem:
            answers.problems.append(f"cell {cell_name(COMPLETED, number)}: {problem}")
    answers.evidence = _as_typed(row[EVIDENCE - 1])
    return answers


def _as_typed(value: Any) -> str:
    """An evidence note as the owner left it: line ends folded to "\n" and the space around
    it trimmed, the spaces inside kept (what is stored if they changed it)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text_of(value, keep_lines=True)


def same_text(one: Any, other: Any) -> bool:
    """Two notes read the same: they differ at most in spacing and line ends (a spreadsheet
    may trim or add space; a return's hidden record keeps what was sent only trimmed)."""
    return text_of(one, keep_lines=True) == text_of(other, keep_lines=True)


def _answered(item: SentItem, answers: _Answers) -> list[tuple[str, Any, Any]]:
    """The answers that differ from what was sent; a blank status leaves it as sent, and an
    evidence note differing only in spacing is as sent."""
    found: list[tuple[str, Any, Any]] = []
    if answers.status is not None and answers.status != item.status:
        found.append(("status", item.status, str(answers.status)))
    if answers.completed_on != item.completed_on:
        found.append(("completed_on", item.completed_on, answers.completed_on))
    if not same_text(answers.evidence, item.evidence):
        found.append(("evidence", item.evidence, answers.evidence))
    return found


def describe_answers(answered: Sequence[tuple[str, Any, Any]]) -> str:
    """ "status Complete, completed on 10/05/2005, evidence note “Audit report”"."""
    parts = []
    for name, _sent, value in answered:
        if isinstance(value, date):
            shown = f"{value:%d/%m/%Y}"
        elif name == "evidence":
            shown = f"“{value}”" if value else "(emptied)"
        else:
            shown = str(value) if value not in (None, "") else "(emptied)"
        parts.append(f"{FIELD_WORDS[name]} {shown}")
    return ", ".join(parts)


def _current(record: SentRecord, inspection_id: int) -> dict[tuple[str, int], dict[str, Any]]:
    """The items of the return as they are now, by (kind, id); those of this inspection only."""
    ids = {k: [i.item_id for i in record.items if i.kind == k] for k in (ACTION, MILESTONE)}
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for row in as_dicts(
        Action.select(Action.id, Action.version, Action.number).where(
            Action.id.in_(ids[ACTION]) & (Action.inspection == inspection_id)
        )
    ):
        number = row["number"]
        reference = action_reference(number) if number is not None else ""
        found[(ACTION, row["id"])] = {**row, "action": row["id"], "reference": reference}
    for row in as_dicts(
        Milestone.select(
            Milestone.id,
            Milestone.action,
            Milestone.version,
            Milestone.status,
            Milestone.completed_on,
            Milestone.evidence,
            Milestone.number,
            Action.number.alias("action_number"),
        )
        .join(Action)
        .where(Milestone.id.in_(ids[MILESTONE]) & (Action.inspection == inspection_id))
    ):
        numbers = (row.pop("action_number"), row["number"])
        row["reference"] = (
            milestone_reference(numbers[0], numbers[1]) if None not in numbers else ""
        )
        found[(MILESTONE, row["id"])] = row
    return found


def changed_by_sentence(kind: str, item_id: int) -> str:
    """ "by Jo Bloggs at 14:05 on 12/05/2005", from the history, or ""."""
    last = audit.last_change(item_kind=kind, item_id=item_id)
    if last is None:
        return ""
    return f" by {last.changed_by} at {audit.local_time(last.changed_at):%H:%M on %d/%m/%Y}"


class _Reader:
    def __init__(
        self,
        record: SentRecord,
        inspection_id: int,
        today: date,
        current: dict[tuple[str, int], dict[str, Any]],
    ) -> None:
        self.record = record
        self.today = today
        self.current = current
        self.published = publication_date(get_inspection(inspection_id=inspection_id))
        self.warnings: list[str] = []

    def row(self, item: SentItem, values: Sequence[Any], number: int) -> RowAnswer:
        base: dict[str, Any] = {
            "reference": item.reference,
            "kind": item.kind,
            "item_id": item.item_id,
            "row": number,
            "sent_version": item.version,
        }
        where = f"Row {number} ({item.reference})"
        now = self.current.get((item.kind, item.item_id))
        answers = _answers(values, number, self.today, item.answerable)
        answered = _answered(item, answers) if item.answerable else []
        said = bool(answered or answers.comment)
        if now is None:
            message = (
                f"{where}: {item.reference} was deleted from the plan after the return was "
                "sent" + ("; the owner's answers on it were not applied." if said else ".")
            )
            self.warnings.append(message)
            return RowAnswer(**base, outcome=DELETED, message=message)
        action_id = int(now["action"])
        if answers.problems:
            message = f"{where}, {'; '.join(answers.problems)}; this row was not applied."
            self.warnings.append(message)
            return RowAnswer(**base, outcome=REFUSED, action_id=action_id, message=message)
        self.warnings.extend(f"{where}, {note}." for note in answers.notes)
        if not said:
            return RowAnswer(**base, outcome=UNCHANGED, action_id=action_id)
        rest: dict[str, Any] = {
            "action_id": action_id,
            "answered": tuple(answered),
            "comment": answers.comment,
        }
        if now["version"] != item.version:
            if item.kind == MILESTONE and not answers.comment and self._already(now, answered):
                return RowAnswer(**base, outcome=UNCHANGED, **rest)
            message = (
                f"{where}: {item.reference} was changed in the plan"
                f"{changed_by_sentence(item.kind, item.item_id)} after the return was sent, so "
                f"the owner's answers were not applied ({self._said(answered, answers)}); "
                "compare them with the plan and type what still holds."
            )
            self.warnings.append(message)
            return RowAnswer(**base, outcome=CONFLICT, message=message, **rest)
        if item.kind == ACTION:
            message = ""
            if answered:
                message = (
                    f"{where}: {item.reference} has no milestones, so the "
                    f"{describe_answers(answered)} the owner gave cannot be stored as its "
                    "status; they are added to the action's internal note: record them by "
                    "adding a milestone to it."
                )
                self.warnings.append(message)
            return RowAnswer(**base, outcome=NOTE, message=message, **rest)
        if not answered:
            return RowAnswer(**base, outcome=NOTE, **rest)
        changes = {name: value for name, _sent, value in answered}
        try:
            check_milestone_fields(dict(changes), str(now["status"]), self.published, self.today)
        except ValidationError as refused:
            message = refusal(where, number, refused)
            self.warnings.append(message)
            return RowAnswer(**{**base, **rest}, outcome=REFUSED, message=message)
        return RowAnswer(**base, outcome=APPLY, changes=changes, **rest)

    @staticmethod
    def _already(now: Mapping[str, Any], answered: Sequence[tuple[str, Any, Any]]) -> bool:
        return all(
            same_text(now.get(name), value) if name == "evidence" else now.get(name) == value
            for name, _sent, value in answered
        )

    @staticmethod
    def _said(answered: Sequence[tuple[str, Any, Any]], answers: _Answers) -> str:
        parts = [describe_answers(answered)] if answered else []
        if answers.comment:
            parts.append(f"comment “{answers.comment}”")
        return "; ".join(parts)


def refusal(where: str, number: int, refused: ValidationError) -> str:
    """A rule's refusal as a warning naming the row and the cell."""
    column = ANSWER_COLUMNS.get(refused.field, STATUS)
    return f"{where}, cell {cell_name(column, number)}: {refused} This row was not applied."


def read_return(*, inspection_id: int, path: Path, today: date) -> ReturnPreview:
    """Read an owner's return and say what applying it to the inspection would do.

    Args:
        today: the day it is applied (a completion date after it is refused; Complete without
            a date records it).

    Raises:
        ReturnRefused: not a return, a return for another inspection, or one whose reference
            column or hidden record was changed; one sentence says which. Nothing is stored.
        NotFoundError: there is no such inspection.
    """
    path = Path(path)
    workbook = open_workbook(path)
    try:
        record = sent_record(workbook, path)
        check_inspection(record, inspection_id, path)
        table = checked_table(workbook, record, path)
    except EsiError:
        raise
    except Exception as exc:  # a sheet's XML or the zip is parsed only as it is read
        refused = unreadable(path, exc)
        if refused is None:
            raise
        raise refused from None
    finally:
        workbook.close()
    current = _current(record, inspection_id)
    check_items(record, current, path)
    reader = _Reader(record, inspection_id, today, current)
    rows = tuple(
        reader.row(item, values, record.header_row + 1 + index)
        for index, (item, values) in enumerate(zip(record.items, table, strict=True))
    )
    if today < record.sent_on:
        reader.warnings.insert(
            0, f"The return was sent on {long_date(record.sent_on)}, after today's date."
        )
    return ReturnPreview(
        path=path,
        inspection_id=inspection_id,
        owner=record.owner,
        sent_on=record.sent_on,
        return_by=record.return_by,
        today=today,
        rows=rows,
        warnings=tuple(reader.warnings),
    )
