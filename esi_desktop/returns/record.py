"""The hidden record of a progress return: what was sent, to whom, for which inspection, and
its digest; written into the workbook's very hidden sheet and read back from it.

A very hidden sheet ``_esi`` records what was sent: the inspection (its id, and its area,
report title and publication date: ids are numbered from 1 in every database, so the id alone
would let a return written from one database be applied to unrelated items of another), the
owner, the day sent, and for each row its reference, kind, item id, action id and version (the
``version`` the plan's optimistic locking keeps, :mod:`esi_desktop.versioned`), with the status,
completion date and evidence as sent. Its digest (SHA-256 over all of these but the answers as
sent) lets the import tell a reference column or hidden sheet changed by accident or casually
edited from the file as written. A digest without a secret detects accidents and casual edits,
not a determined forger: anyone who can read this module can recompute it. What a return
changes is still bounded by the plan's own rules and by the versions (a row changed since is
a conflict), and the history names who applied it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from esi_desktop.errors import EsiError
from esi_desktop.export.xlsx_plan import put
from esi_desktop.returns.collect import OwnerReturn, ReturnsPlan
from esi_desktop.wording import long_date

HIDDEN_SHEET = "_esi"
#: The first cell of the hidden sheet: what says a workbook is one of our returns.
MARKER = "ESI Desktop progress return"
#: 2: the inspection's area, report title and publication date, and each row's action id.
FORMAT_VERSION = 2

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


# ----- writing the hidden record ------------------------------------------------------------


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


def write_record(
    sheet: Worksheet, plan: ReturnsPlan, owner_return: OwnerReturn, header_row: int
) -> None:
    """Write into ``sheet`` the record of what ``owner_return`` sends, and make the sheet very
    hidden. ``header_row`` is the row of the table's headings on the visible sheet; the caller
    protects the sheet."""
    items = sent_items(owner_return)
    identity = identity_of(plan)
    record: dict[str, Any] = {
        "inspection_id": plan.inspection_id,
        "inspection": plan.inspection,
        "owner": owner_return.owner,
        "sent_on": plan.sent_on.isoformat(),
        "return_by": plan.return_by.isoformat(),
        "header_row": header_row,
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


# ----- reading it back ----------------------------------------------------------------------


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
