"""Reading an owner's progress return: the checks that refuse a file, and each row's answers
compared with what was sent and with the plan as it is now. Reads only.

A file is refused, with one sentence, when it is not one of our returns (no hidden record),
when it is damaged (its zip or a sheet's XML, found while it is read), when it is for another
inspection (another id, or the same id in another database: the area, report title and
publication date differ, or an item it names is not the one sent: every database numbers its
rows from 1), or when its reference column or hidden record was changed (the digest, a
reference that is not the one sent in that row, a row added or removed). The workbook is read
with openpyxl, read-only, which parses its XML through defusedxml (a dependency), so a file
cannot smuggle in entity expansions or external entities.

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

import io
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from db.models import Action, Milestone, as_dicts
from esi_desktop import audit
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.inspections import (
    get_inspection,
    inspection_summary,
    publication_date,
)
from esi_desktop.plan._checks import check_milestone_fields
from esi_desktop.returns.workbook import (
    ANSWER_COLUMNS,
    COLUMNS,
    COMMENT,
    COMPLETED,
    EVIDENCE,
    FORMAT_VERSION,
    HIDDEN_SHEET,
    MARKER,
    REFERENCE,
    SHEET,
    STATUS,
    Identity,
    ReturnRefused,
    SentItem,
    SentRecord,
    read_record,
)
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
_SUFFIXES = (".xlsx", ".xlsm")


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


def cell_name(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"


def _load(path: Path) -> Any:
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


def _record(workbook: Any, path: Path) -> SentRecord:
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


def _check_inspection(record: SentRecord, inspection_id: int, path: Path) -> None:
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


def _check_items(
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


def _table(workbook: Any, record: SentRecord, path: Path) -> list[tuple[Any, ...]]:
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
    workbook = _load(path)
    try:
        record = _record(workbook, path)
        _check_inspection(record, inspection_id, path)
        table = _table(workbook, record, path)
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
    _check_items(record, current, path)
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
