"""Versioned edits (optimistic locking), shared by every use case that changes a record.

A record carries a ``version``; a change names the version the person saw and is written only
if nobody changed the record since — creating a record is checked the same way ("there was
none when I opened it"). A refusal is a :class:`ConflictError` naming who changed what, and
when. Deletions return a :class:`Snapshot` that :func:`restore` puts back with the same ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee

from db.models import (
    ALL_MODELS,
    BaseModel,
    database_proxy,
    utc_now,
)
from esi_desktop import audit
from esi_desktop.errors import EsiError, NotFoundError
from esi_desktop.text import check_values
from esi_desktop.wording import shorten


class ConflictError(EsiError):
    """Someone else changed the row since it was read (optimistic locking).

    Attributes:
        current: the row's values as they are now in the database.
        changed_by: who made the latest change (from the audit trail), or None if unknown.
        changed_at: when (UTC), from the audit trail or else the row's last update; None if
            unknown.
    """

    def __init__(
        self,
        message: str,
        current: Mapping[str, Any],
        *,
        changed_by: str | None = None,
        changed_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.current = dict(current)
        self.changed_by = changed_by
        self.changed_at = changed_at


# ----- snapshots for undoing deletions ------------------------------------------------------

_MODELS = {m._meta.table_name: m for m in ALL_MODELS}


@dataclass(frozen=True)
class Snapshot:
    """Rows removed by a deletion, in the order they must be put back."""

    rows: tuple[tuple[str, dict[str, Any]], ...]

    @property
    def first_id(self) -> int:
        """The id of the deleted row itself (the rows after it are its children)."""
        return int(self.rows[0][1]["id"])


def snapshot_of(instances: Iterable[BaseModel]) -> Snapshot:
    return Snapshot(tuple((type(i)._meta.table_name, dict(i.__data__)) for i in instances))


def restore(*, snapshot: Snapshot) -> None:
    """Put deleted rows back with their ids (undo of a deletion), in one transaction."""
    try:
        with database_proxy.atomic():
            for table, row in snapshot.rows:
                _MODELS[table].insert(row).execute()
            audit.record(audit.row_entries(snapshot.rows, audit.CREATE))
    except peewee.IntegrityError:
        # someone else has meanwhile added the same thing (a decision on the same request,
        # a meeting on the same day): theirs stands, nothing of this was put back
        raise EsiError(
            "That could not be put back: someone else has meanwhile recorded the same item. "
            "Theirs is kept; the view shows it."
        ) from None


def delete_rows(*, snapshot: Snapshot) -> None:
    """Remove rows a snapshot describes (redo of an undone restore), in one transaction."""
    with database_proxy.atomic():
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
        for table, row in reversed(snapshot.rows):
            model = _MODELS[table]
            model.delete().where(model.id == row["id"]).execute()


# ----- reading and writing one versioned row ------------------------------------------------


def get_row(model: type[BaseModel], row_id: int, what: str) -> Any:
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFoundError(f"The {what} was deleted in the meantime; the view is refreshed.")
    return row


def update_row(
    instance: BaseModel, changes: Mapping[str, Any], expected_version: int | None, what: str
) -> tuple[dict[str, Any], int]:
    """Write ``changes`` to a row if nobody changed it since ``expected_version``.

    Returns:
        The previous values of the changed fields and the row's new version.
    """
    model = type(instance)
    check_values(changes, f"the {what}")
    previous = {name: getattr(instance, name) for name in changes}
    version = instance.version if expected_version is None else expected_version
    values: dict[Any, Any] = {getattr(model, name): value for name, value in changes.items()}
    values[model.version] = version + 1
    values[model.updated_at] = utc_now()
    updated = (
        model.update(values).where((model.id == instance.id) & (model.version == version)).execute()
    )
    if updated != 1:
        current = model.get_or_none(model.id == instance.id)
        if current is None:
            raise NotFoundError(f"The {what} was deleted in the meantime; the view is refreshed.")
        raise conflict_error(current, changes, what)
    audit.record(audit.changes(audit.item_of(instance), previous, changes))
    return previous, version + 1


def conflict_error(
    current: BaseModel, changes: Mapping[str, Any], what: str, *, created: bool = False
) -> ConflictError:
    """The refusal of a stale edit, naming who changed the row, when, and their values.

    ``created``: the person saw no row and someone else has since created it (a first save
    that met another first save).
    """
    item = audit.item_of(current)
    # an edit of the row's own columns asks who last changed those; a choice kept beside the
    # row (its criteria) asks who last changed the item at all
    fields = audit.row_fields(current) if changes else None
    last = audit.last_change(item_kind=item.kind, item_id=item.id, fields=fields)
    theirs = {name: getattr(current, name) for name in changes}
    changed_at: datetime = last.changed_at if last is not None else current.updated_at
    # of the fields this edit touches, those where their value differs from the one typed
    differing = [
        name
        for name, value in theirs.items()
        if audit.format_value(value) != audit.format_value(changes[name])
    ]
    values = ", ".join(
        f"the {_lower(audit.field_label(item.kind, item.prefix + name))} is now "
        f"{quoted(theirs[name])}"
        for name in differing or theirs
    )
    return stale_edit(what, last, changed_at, values, theirs, created=created)


def stale_edit(
    what: str,
    last: audit.AuditView | None,
    changed_at: datetime | None,
    state: str,
    theirs: Mapping[str, Any],
    *,
    created: bool = False,
) -> ConflictError:
    """The one wording of a refused stale edit: who changed it, when, and what it is now.

    Args:
        what: the item, as a sentence names it ("response", "follow-up B1 result (ESI core)").
        last: its latest recorded change, if the trail has one.
        changed_at: when it was changed (None: unknown).
        state: what it is now ("the owner is now “ACO”"), or empty.
        theirs: the values now in the database.
        created: the person saw none and someone else has since saved one.
    """
    when = f" at {audit.local_time(changed_at):%H:%M on %d/%m/%Y}" if changed_at else ""
    if created:
        who = f"Saved by {last.changed_by}" if last is not None else "Saved"
        headline = f"The {what} was saved by someone else after you opened it. {who}{when}"
    elif last is not None:
        headline = (
            f"The {what} was changed by someone else. "
            f"Changed by {last.changed_by}{when} since you opened it"
        )
    else:
        headline = f"The {what} was changed by someone else{when} since you opened it"
    said = f"{headline}; {state}" if state else headline
    return ConflictError(
        f"{said}. Reload to see their change, or make yours again.",
        theirs,
        changed_by=last.changed_by if last is not None else None,
        changed_at=changed_at,
    )


def save_row(
    model: type[BaseModel],
    where: Any,
    values: Mapping[str, Any],
    *,
    create: Mapping[str, Any],
    blank: Mapping[str, Any],
    expected_version: int | None,
    overwrite: bool,
    what: str,
    audit_item: audit.ItemRef | None = None,
) -> Change:
    """Create or update the one row ``where`` selects, under optimistic locking, atomically.

    Creating is checked like updating: ``expected_version`` None says the person saw no row,
    so a row someone else created meanwhile is a conflict — also when two first saves meet
    on a server, where the second insert fails on the unique key (reported as a conflict,
    never as a raw database error). ``overwrite`` (the person chose to overwrite the other
    change) skips the check.

    Returns:
        The change, whose ``previous`` is ``blank`` when the row was created.

    Raises:
        ConflictError: someone else created or changed the row since the person read it.
        ValidationError: a text holds a character no database can keep; nothing is written.
    """
    check_values(values, f"the {what}")
    attempts = 3
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            with database_proxy.atomic():
                row = model.get_or_none(where)
                if row is None:
                    row = model.create(**create, **values)
                    item = audit_item or audit.item_of(row)
                    audit.record(audit.changes(item, blank, values, action=audit.CREATE))
                    return Change(row.id, dict(blank), row.version)
                if expected_version is None and not overwrite:
                    raise conflict_error(row, values, what, created=True)
                previous, version = update_row(
                    row, values, None if overwrite else expected_version, what
                )
                return Change(row.id, previous, version)
        except peewee.IntegrityError:
            # another connection inserted the same row between our read and our insert
            current = model.get_or_none(where)
            if current is None:
                raise EsiError(
                    f"The {what} could not be saved because the database refused it; "
                    "reload and try again."
                ) from None
            if overwrite and not last:
                continue  # the row exists now: overwrite it as the person chose
            raise conflict_error(current, values, what, created=True) from None
        except ConflictError:
            # overwriting met yet another change between its read and its write: read again
            if overwrite and not last:
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def _lower(label: str) -> str:
    """A label in the middle of a sentence ("target date", but "RAG override")."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def quoted(value: object, limit: int = 120) -> str:
    text = " ".join(audit.format_value(value).split())
    if not text:
        return "empty"
    return f"“{shorten(text, limit)}”"


@dataclass(frozen=True)
class Change:
    """What an edit did: enough to undo it."""

    id: int
    previous: dict[str, Any]
    version: int
