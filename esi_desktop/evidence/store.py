"""Attaching evidence files to items of the plan, removing them, and putting them back.

The bytes live in ``evidence_content``, once per SHA-256; each attachment is an ``evidence``
row naming its item by kind and id. Every use case is one transaction and records itself in
the audit trail (whose recording also tells other copies of the program on PostgreSQL).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

import peewee

from db.models import Evidence, EvidenceContent, as_tuples, database_proxy, utc_now
from esi_desktop import audit, settings
from esi_desktop.errors import EsiError, NotFoundError, ValidationError
from esi_desktop.evidence.describe import item_reference, size_text
from esi_desktop.evidence.items import inspection_of_item
from esi_desktop.text import check_text
from esi_desktop.versioned import Snapshot, snapshot_of

#: The largest file attached when no other limit is given (the preference's default).
DEFAULT_MAX_BYTES = settings.EVIDENCE_MAX_MB.default * 1024 * 1024

#: Media types by ending, ahead of the system's table (which differs between computers and
#: often lacks the Office and Outlook types a Board's evidence is mostly made of).
_MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".msg": "application/vnd.ms-outlook",
    ".eml": "message/rfc822",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".rtf": "application/rtf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".zip": "application/zip",
}
UNKNOWN_MEDIA_TYPE = "application/octet-stream"
#: The longest file name kept (the limit of most file systems).
_LONGEST_NAME = 255


@dataclass(frozen=True)
class EvidenceView:
    """A piece of evidence as the window and the command line show it (without its bytes)."""

    id: int
    inspection_id: int
    item_kind: str  # wording.RECOMMENDATION / ACTION / MILESTONE
    item_id: int
    item_reference: str  # "3" (the recommendation's reference), "AP3", "AP3.2"
    name: str  # the file name as attached, e.g. "Minutes 12 May.pdf"
    media_type: str  # "application/pdf"; "application/octet-stream" when unknown
    size: int  # bytes
    sha256: str  # 64 lowercase hex digits
    attached_by: str
    attached_at: datetime  # UTC, naive, as stored


def media_type_of(name: str) -> str:
    """The media type a file name suggests ("application/pdf"); octet-stream when unknown."""
    suffix = PurePath(name).suffix.lower()
    if suffix in _MEDIA_TYPES:
        return _MEDIA_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or UNKNOWN_MEDIA_TYPE


def _limit_text(max_bytes: int) -> str:
    megabytes = max_bytes / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else size_text(max_bytes)


def _too_large(name: str, size: int, max_bytes: int) -> ValidationError:
    return ValidationError(
        f"“{name}” is {size_text(size)}, larger than the {_limit_text(max_bytes)} allowed for "
        "an evidence file, so nothing was attached. The limit is a preference (Edit ▸ "
        "Preferences ▸ Largest evidence file)."
    )


def _empty(name: str) -> ValidationError:
    return ValidationError(
        f"“{name}” is empty (0 bytes), so nothing was attached; check that you chose the "
        "right file."
    )


def check_name(name: str) -> str:
    """The name to store for a file, checked.

    Raises:
        ValidationError: the name is empty, too long, holds a folder separator, a line break
            or a character no database keeps.
    """
    if not name.strip():
        raise ValidationError("An evidence file needs a name; the name given was empty.", "name")
    # kept exactly as given (" Minutes.pdf" is a name Windows allows): the name is evidence
    cleaned = name
    if any(mark in cleaned for mark in ("/", "\\")):
        raise ValidationError(
            f"“{cleaned}” is a path, not a file name; give the name alone (such as "
            f"“{PurePath(cleaned.replace(chr(92), '/')).name or 'Minutes.pdf'}”).",
            "name",
        )
    if any(ch in cleaned for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise ValidationError(
            "An evidence file's name is one line; remove the line break from it.", "name"
        )
    if len(cleaned) > _LONGEST_NAME:
        raise ValidationError(
            f"The name “{cleaned[:40]}…” is {len(cleaned)} characters long; an evidence "
            f"file's name has at most {_LONGEST_NAME}.",
            "name",
        )
    check_text(cleaned, "The evidence file's name", "name")
    return cleaned


def view_of(row: Evidence, reference: str) -> EvidenceView:
    """The view of an evidence row whose item has ``reference``."""
    return EvidenceView(
        id=int(row.id),
        inspection_id=int(row.inspection_id),
        item_kind=str(row.item_kind),
        item_id=int(row.item_id),
        item_reference=reference,
        name=str(row.name),
        media_type=str(row.media_type),
        size=int(row.size),
        sha256=str(row.sha256),
        attached_by=str(row.attached_by),
        attached_at=row.attached_at,
    )


def _find_content(sha256: str) -> int | None:
    """The id of the stored content with this hash, held until the transaction ends.

    On PostgreSQL the row is locked ``FOR SHARE``: someone removing the last evidence of this
    content at the same moment cannot delete it under the evidence about to refer to it (their
    delete waits, then finds it in use and leaves it). SQLite needs no lock: a transaction
    there holds the write lock from its start.
    """
    found = EvidenceContent.select(EvidenceContent.id).where(EvidenceContent.sha256 == sha256)
    if isinstance(database_proxy.obj, peewee.PostgresqlDatabase):
        found = found.for_update("FOR SHARE")  # type: ignore[arg-type]  # peewee takes the clause
    rows = as_tuples(found)
    return int(rows[0][0]) if rows else None


def _content_id(sha256: str, data: bytes) -> int:
    """The id of the stored content with this hash, stored now if it was not yet."""
    existing = _find_content(sha256)
    if existing is not None:
        return existing
    try:
        # a savepoint: a failed insert leaves the transaction usable (PostgreSQL aborts a
        # transaction whose statement failed, unless it is rolled back to a savepoint)
        with database_proxy.atomic():
            now = utc_now()
            created = EvidenceContent.insert(
                sha256=sha256, size=len(data), data=data, created_at=now, updated_at=now
            ).execute()
            return int(created)
    except peewee.IntegrityError:
        # someone attached the same new content at the same moment and committed first:
        # theirs is the one copy, and ours refers to it
        winner = _find_content(sha256)
        if winner is None:
            raise EsiError(
                "The evidence could not be stored because the database refused it; try again."
            ) from None
        return winner


def attach(
    *, item_kind: str, item_id: int, name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES
) -> EvidenceView:
    """Attach a file's bytes as evidence to a recommendation, an action or a milestone.

    Identical content is stored once, however many items it is attached to.

    Returns:
        The new piece of evidence.

    Raises:
        ValidationError: the name is not a file name, the file is empty or larger than
            ``max_bytes``; nothing is stored.
        NotFoundError: there is no such item.
    """
    with database_proxy.atomic():
        return _attach(item_kind, item_id, name, data, max_bytes)


def _attach(item_kind: str, item_id: int, name: str, data: bytes, max_bytes: int) -> EvidenceView:
    cleaned = check_name(name)
    if len(data) > max_bytes:
        raise _too_large(cleaned, len(data), max_bytes)
    if not data:
        raise _empty(cleaned)
    inspection_id = inspection_of_item(item_kind=item_kind, item_id=item_id)
    sha256 = hashlib.sha256(data).hexdigest()
    content_id = _content_id(sha256, data)
    last = (
        Evidence.select(peewee.fn.MAX(Evidence.position))
        .where((Evidence.item_kind == item_kind) & (Evidence.item_id == item_id))
        .scalar()
    )
    row = Evidence.create(
        inspection=inspection_id,
        item_kind=item_kind,
        item_id=item_id,
        content=content_id,
        name=cleaned,
        media_type=media_type_of(cleaned),
        size=len(data),
        sha256=sha256,
        attached_by=audit.current_user(),
        attached_at=utc_now(),
        position=(last or 0) + 1,
    )
    audit.record(audit.row_entries([("evidence", row.__data__)], audit.CREATE))
    return view_of(row, item_reference(item_kind, item_id) or "")


def _check_file(path: Path, max_bytes: int) -> None:
    """Refuse, with a sentence naming it, a file that cannot be attached (before reading)."""
    try:
        found = path.stat()
    except FileNotFoundError:
        raise EsiError(
            f"There is no file at {path}, so nothing was attached; check the path."
        ) from None
    except OSError as exc:
        raise EsiError(
            f"{path} could not be read ({exc.strerror or exc}), so nothing was attached."
        ) from None
    if stat.S_ISDIR(found.st_mode):
        raise EsiError(f"{path} is a folder, so nothing was attached; choose the files in it.")
    if not stat.S_ISREG(found.st_mode):
        raise EsiError(f"{path} is not an ordinary file, so nothing was attached.")
    name = check_name(path.name)
    if found.st_size > max_bytes:
        raise _too_large(name, found.st_size, max_bytes)
    if not os.access(path, os.R_OK):
        raise _unreadable(path, "permission denied")


def _unreadable(path: Path, reason: str) -> EsiError:
    return EsiError(
        f"{path} could not be read ({reason}), so nothing was attached; check that it is "
        "not open in another program and that you may read it."
    )


def _read_file(path: Path, max_bytes: int) -> bytes:
    """A file's bytes; one larger than ``max_bytes`` is refused before it is read."""
    _check_file(path, max_bytes)
    try:
        with open(path, "rb") as stream:
            data = stream.read(max_bytes + 1)  # a file that grew meanwhile is still refused
    except OSError as exc:
        reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
        raise _unreadable(path, str(reason or exc)) from None
    if len(data) > max_bytes:
        raise _too_large(path.name, len(data), max_bytes)
    return data


def attach_files(
    *,
    item_kind: str,
    item_id: int,
    paths: Sequence[Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[EvidenceView]:
    """Attach files as evidence to one item, all in one transaction or none.

    Each file is checked before it is read: a missing, unreadable or too large file, or a
    folder, is refused with a sentence naming it, and nothing at all is attached.

    Returns:
        The new pieces of evidence, in the order of ``paths``.

    Raises:
        EsiError: a file cannot be attached (see above).
        NotFoundError: there is no such item.
    """
    if not paths:
        raise ValidationError("Choose at least one file to attach.")
    for path in paths:  # every file checked before anything is read or stored
        _check_file(Path(path), max_bytes)
    with database_proxy.atomic():
        inspection_of_item(item_kind=item_kind, item_id=item_id)
        return [
            _attach(item_kind, item_id, Path(p).name, _read_file(Path(p), max_bytes), max_bytes)
            for p in paths
        ]


def content_of(*, evidence_id: int) -> bytes:
    """The bytes of a piece of evidence.

    Raises:
        NotFoundError: it was removed in the meantime.
    """
    rows = as_tuples(
        EvidenceContent.select(EvidenceContent.data)
        .join(Evidence)
        .where(Evidence.id == evidence_id)
    )
    if not rows:
        raise _gone()
    return bytes(rows[0][0])


def _gone() -> NotFoundError:
    return NotFoundError("The evidence was removed in the meantime; the view is refreshed.")


def evidence_row(evidence_id: int) -> Evidence:
    """The evidence row (without its bytes).

    Raises:
        NotFoundError: it was removed in the meantime.
    """
    row = Evidence.get_or_none(Evidence.id == evidence_id)
    if row is None:
        raise _gone()
    return row


def remove(*, evidence_id: int) -> Snapshot:
    """Remove a piece of evidence; its content goes too when nothing else refers to it.

    Returns:
        A snapshot that :func:`restore_removed` puts back with the same ids (see
        :func:`remove_all`).

    Raises:
        NotFoundError: it was removed in the meantime.
    """
    return remove_all(evidence_ids=[evidence_id])


def remove_all(*, evidence_ids: Sequence[int]) -> Snapshot:
    """Remove pieces of evidence (the files of one attachment), all in one transaction or none.

    A content goes too when nothing else refers to it.

    Returns:
        A snapshot that :func:`restore_removed` puts back with the same ids: the contents
        first, then the evidence in the order given. A content is in it even when it stayed
        (shared with other evidence), so the undo still has the file if the others are
        removed meanwhile.

    Raises:
        NotFoundError: one of them was removed in the meantime; nothing was removed.
    """
    wanted = list(dict.fromkeys(int(i) for i in evidence_ids))
    with database_proxy.atomic():
        found = {int(row.id): row for row in Evidence.select().where(Evidence.id.in_(wanted))}
        if len(found) != len(wanted):
            raise _gone()
        rows = [found[i] for i in wanted]
        content_ids = sorted({int(row.content_id) for row in rows})
        contents = list(
            EvidenceContent.select()
            .where(EvidenceContent.id.in_(content_ids))
            .order_by(EvidenceContent.id)
        )
        # the count tells whether someone else removed one since it was read (on a server):
        # then theirs is the removal, recorded once, and nothing of this one happens
        if Evidence.delete().where(Evidence.id.in_(wanted)).execute() != len(wanted):
            raise _gone()
        audit.record(audit.row_entries([("evidence", row.__data__) for row in rows], audit.DELETE))
        in_use = {
            int(content_id)
            for (content_id,) in as_tuples(
                Evidence.select(Evidence.content)
                .where(Evidence.content.in_(content_ids))
                .distinct()
            )
        }
        for content in contents:
            if int(content.id) in in_use:
                continue
            try:
                with database_proxy.atomic():  # a savepoint, as in _content_id
                    content.delete_instance()
            except peewee.IntegrityError:
                pass  # attached meanwhile to another item (on a server): it stays
        return snapshot_of([*contents, *rows])


def _restored_content(row: dict[str, Any]) -> int:
    """The id of a removed content put back, or of the same content stored again meanwhile."""
    existing = _find_content(str(row["sha256"]))
    if existing is not None:
        return existing
    try:
        with database_proxy.atomic():  # a savepoint, as in _content_id
            EvidenceContent.insert({**row, "data": bytes(row["data"])}).execute()
            return int(row["id"])
    except peewee.IntegrityError:
        # the same file attached anew by someone else at this moment: theirs is the one copy
        winner = _find_content(str(row["sha256"]))
        if winner is None:
            raise
        return winner


def restore_removed(*, snapshot: Snapshot) -> list[int]:
    """Put back removed evidence with its ids (undo of :func:`remove_all`), in one transaction.

    Content stored again meanwhile (the same file attached anew) is shared, not duplicated.

    Returns:
        The ids of the evidence put back, in the snapshot's order.

    Raises:
        EsiError: the evidence is already back; nothing was put back.
    """
    try:
        with database_proxy.atomic():
            moved: dict[int, int] = {}
            restored: list[dict[str, Any]] = []
            for table, values in snapshot.rows:
                row = dict(values)
                if table == "evidence_content":
                    moved[int(row["id"])] = _restored_content(row)
                elif table == "evidence":
                    row["content"] = moved.get(int(row["content"]), int(row["content"]))
                    Evidence.insert(row).execute()
                    restored.append(row)
            audit.record(audit.row_entries([("evidence", r) for r in restored], audit.CREATE))
    except peewee.IntegrityError:
        raise EsiError(
            "That evidence could not be put back: it is already there. The view shows it."
        ) from None
    return [int(row["id"]) for row in restored]


def carry_evidence(*, from_kind: str, from_id: int, to_kind: str, to_id: int, note: str) -> int:
    """Attach an item's evidence to the item it became (indent, outdent), in the caller's
    transaction.

    The old rows stay with the old item, as for any deleted item, so undoing the conversion
    (which puts the old item back with its id) finds them; the new item gets rows of its own
    that share the stored content.

    Returns:
        How many pieces of evidence went with the item.
    """
    rows = list(
        Evidence.select()
        .where((Evidence.item_kind == from_kind) & (Evidence.item_id == from_id))
        .order_by(Evidence.position, Evidence.id)
    )
    copies: list[tuple[str, dict[str, Any]]] = []
    now = utc_now()
    for row in rows:
        values = dict(row.__data__)
        del values["id"]
        values.update(item_kind=to_kind, item_id=to_id, created_at=now, updated_at=now, version=1)
        new_id = Evidence.insert(values).execute()
        copies.append(("evidence", {**values, "id": int(new_id)}))
    audit.record(audit.noted(audit.row_entries(copies, audit.CREATE), note))
    return len(copies)
