"""The inspection record a person edits: publication, fieldwork, the agreed response date;
archiving and deleting an inspection (with a backup first).

The record's dates are checked here and read back through :func:`inspections.inspection_clock`.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee

from db.models import Evidence, EvidenceContent, Inspection, database_proxy
from esi_desktop import audit
from esi_desktop.backups import Backup, before_delete
from esi_desktop.errors import ValidationError
from esi_desktop.inspections import (
    InspectionClock,
    get_inspection,
    inspection_clock,
    inspection_summary,
)
from esi_desktop.versioned import Change, update_row
from esi_desktop.wording import month_name

#: The fields of the inspection record a person edits (:func:`update_inspection_record`).
RECORD_FIELDS = (
    "published_year",
    "published_month",
    "published_day",
    "fieldwork_start",
    "fieldwork_end",
    "agreed_response_due",
    "agreed_response_reason",
    "archived_on",
)


@dataclass(frozen=True)
class InspectionRecord:
    """The editable facts of an inspection, as stored, with its version."""

    id: int
    name: str  # "Gloucestershire — January 2005"
    published_year: int
    published_month: int
    published_day: int | None
    fieldwork_start: date | None
    fieldwork_end: date | None
    agreed_response_due: date | None
    agreed_response_reason: str
    archived_on: date | None
    version: int
    clock: InspectionClock

    def values(self) -> dict[str, Any]:
        """The record's fields by name (what :func:`update_inspection_record` takes)."""
        return {name: getattr(self, name) for name in RECORD_FIELDS}


def get_inspection_record(*, inspection_id: int) -> InspectionRecord:
    """The inspection record as stored.

    Raises:
        NotFoundError: there is no such inspection.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    return InspectionRecord(
        id=inspection.id,
        name=inspection_summary(inspection_id=inspection_id).name,
        clock=inspection_clock(inspection),
        version=inspection.version,
        **{name: getattr(inspection, name) for name in RECORD_FIELDS},
    )


def _check_record(values: dict[str, Any], *, fixed: bool = True) -> None:
    """Refuse a record that cannot be: each sentence says what is wrong and what to do.

    Args:
        fixed: the framework fixes a response deadline; where it does not (``False``), the
            date is the Board's own and needs no reason.
    """
    year, month, day = values["published_year"], values["published_month"], values["published_day"]
    if not 1 <= month <= 12 or not 1900 <= year <= 2999:
        raise ValidationError(
            f"{month}/{year} is not a month of publication; give the month and year the report "
            "prints.",
            "published_month",
        )
    last_day = monthrange(year, month)[1]
    if day is not None and not 1 <= day <= last_day:
        raise ValidationError(
            f"There is no {day} {month_name(month)}: {month_name(month)} {year} has "
            f"{last_day} days. Give the day of publication, or say it is not known.",
            "published_day",
        )
    published = date(year, month, day or 1)
    start, end = values["fieldwork_start"], values["fieldwork_end"]
    if start is not None and end is not None and end < start:
        raise ValidationError(
            f"The fieldwork ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}); "
            "correct one of the two dates.",
            "fieldwork_end",
        )
    if end is not None and end > published:
        raise ValidationError(
            f"The fieldwork ends ({end:%d/%m/%Y}) after the report was published "
            f"({published:%d/%m/%Y}); the fieldwork comes first: check both dates.",
            "fieldwork_end",
        )
    agreed, reason = values["agreed_response_due"], values["agreed_response_reason"].strip()
    who = "the Inspectorate" if fixed else "the Board"
    if agreed is not None and agreed <= published:
        raise ValidationError(
            f"The agreed response deadline {agreed:%d/%m/%Y} is before the report was "
            f"published ({published:%d/%m/%Y}); give the date {who} agreed.",
            "agreed_response_due",
        )
    # where no deadline is fixed the date is the Board's own: a reason is welcome, not needed
    if fixed and agreed is not None and not reason:
        raise ValidationError(
            "An agreed response deadline needs its reason (what the Inspectorate agreed, and "
            "why): type it, or clear the agreed deadline.",
            "agreed_response_reason",
        )
    if agreed is None and reason:
        raise ValidationError(
            "A reason is given but no agreed response deadline: give the agreed date, or "
            "clear the reason.",
            "agreed_response_due",
        )


def update_inspection_record(
    *,
    inspection_id: int,
    values: Mapping[str, Any],
    expected_version: int | None,
    overwrite: bool = False,
) -> Change:
    """Change the inspection record (any of :data:`RECORD_FIELDS`), in one transaction.

    Args:
        values: the fields to change; those not given keep their stored value.
        expected_version: the version the person saw.
        overwrite: save over someone else's change (the person chose to).

    Returns:
        The change (the previous values and the new version), to undo.

    Raises:
        ValidationError: an unknown field, or a record that cannot be (see the sentence);
            nothing is written.
        ConflictError: someone else changed the inspection meanwhile.
        NotFoundError: there is no such inspection.
    """
    unknown = sorted(set(values) - set(RECORD_FIELDS))
    if unknown:
        raise ValidationError(f"{', '.join(unknown)} cannot be edited on the inspection record.")
    with database_proxy.atomic():
        inspection = get_inspection(inspection_id=inspection_id)
        merged = {name: getattr(inspection, name) for name in RECORD_FIELDS}
        merged.update(values)
        merged["agreed_response_reason"] = (merged["agreed_response_reason"] or "").strip()
        _check_record(merged, fixed=inspection.response_due_fixed is not False)
        changes = {
            name: merged[name] for name in values if merged[name] != getattr(inspection, name)
        }
        if not changes:
            return Change(inspection.id, {}, inspection.version)
        previous, version = update_row(
            inspection, changes, None if overwrite else expected_version, "inspection record"
        )
        return Change(inspection.id, previous, version)


def archive_inspection(
    *, inspection_id: int, today: date, expected_version: int | None = None
) -> Change:
    """Archive an inspection: it leaves the inspection switcher until unarchived.

    Raises:
        NotFoundError: there is no such inspection.
        ConflictError: someone else changed the inspection meanwhile.
    """
    return update_inspection_record(
        inspection_id=inspection_id,
        values={"archived_on": today},
        expected_version=expected_version,
    )


def unarchive_inspection(*, inspection_id: int, expected_version: int | None = None) -> Change:
    """Bring an archived inspection back to the inspection switcher.

    Raises:
        NotFoundError: there is no such inspection.
        ConflictError: someone else changed the inspection meanwhile.
    """
    return update_inspection_record(
        inspection_id=inspection_id, values={"archived_on": None}, expected_version=expected_version
    )


@dataclass(frozen=True)
class Deleted:
    """What deleting an inspection did.

    Attributes:
        name: the inspection deleted ("Gloucestershire — January 2005").
        backup: the backup made just before (None on a PostgreSQL server, whose backups are
            made on the server).
    """

    name: str
    backup: Backup | None


def delete_inspection(*, inspection_id: int, confirmation: str) -> Deleted:
    """Delete an inspection and everything recorded about it, after a backup.

    Args:
        confirmation: the inspection's name as the person confirmed it ("Gloucestershire —
            January 2005"); anything else refuses.

    Raises:
        ValidationError: the confirmation does not name this inspection; nothing is deleted.
        BackupError: the backup could not be made; nothing is deleted.
        NotFoundError: there is no such inspection.
    """
    summary = inspection_summary(inspection_id=inspection_id)
    if " ".join(confirmation.split()) != summary.name:
        raise ValidationError(
            f"The inspection to delete is “{summary.name}”; the confirmation names "
            f"“{confirmation}”. Nothing was deleted.",
            "confirmation",
        )
    made = before_delete()
    with database_proxy.atomic():
        inspection = get_inspection(inspection_id=inspection_id)
        item = audit.item_of(inspection)
        audit.record([audit.deleted(item, f"{summary.name}: {summary.report_title}")])
        Inspection.delete().where(Inspection.id == inspection_id).execute()
        # its evidence went with it; the files it held go too, unless another inspection
        # holds the same (there is no undo of this deletion: the backup keeps them)
        try:
            with database_proxy.atomic():  # a savepoint
                EvidenceContent.delete().where(
                    EvidenceContent.id.not_in(Evidence.select(Evidence.content))
                ).execute()
        except peewee.IntegrityError:
            pass  # someone attached the same content this very moment: it stays for them
    return Deleted(summary.name, made)
