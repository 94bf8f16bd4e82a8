"""Exporting the audit trail to a CSV file that Excel reads right.

The export streams: recorded changes are read from the database a few thousand at a time and
written as they come to the temporary file that is renamed into place at the end, so a long
history (100,000 changes) never sits in memory whole (issue 13).
"""

from __future__ import annotations

import codecs
import csv
import io
from array import array
from collections.abc import Collection, Iterable, Iterator
from itertools import islice
from pathlib import Path

from db.models import AuditEntry, as_dicts
from esi_desktop.audit.trail import AuditView, item_labels
from esi_desktop.files import CSV, check_output_path, writing_atomically
from esi_desktop.spreadsheet import safe_row

CSV_COLUMNS = ("When", "Who", "Item", "Field", "Old", "New")
#: Changes read and written together: their items are named with a few queries.
BATCH = 2000
#: Changes read by one query (within the oldest SQLite's 999 values a statement).
_PER_QUERY = 500
#: The columns an entry is read with (those of :class:`AuditView`).
_COLUMNS = (
    AuditEntry.id,
    AuditEntry.changed_at,
    AuditEntry.changed_by,
    AuditEntry.item_kind,
    AuditEntry.item_id,
    AuditEntry.inspection_id,
    AuditEntry.field,
    AuditEntry.old_value,
    AuditEntry.new_value,
    AuditEntry.action,
)


def export_csv(
    *,
    inspection_id: int | None,
    path: Path,
    force: bool = False,
    keep: Iterable[Path] = (),
    items: Collection[tuple[str, int]] | None = None,
) -> int:
    """Write the audit trail of an inspection (None: of the whole database) to a CSV file.

    The file is UTF-8 with a byte-order mark, so Excel reads its accents and quotes right;
    times are local; text that a spreadsheet would run as a formula is marked as text. It
    is written to a temporary file beside ``path`` and renamed into place, so a failure leaves
    any earlier file as it was. The changes are read and written a batch at a time, so memory
    does not grow with the length of the history.

    Returns:
        How many changes were written.

    Args:
        inspection_id: the inspection (None: every inspection).
        path: the CSV file.
        force: replace an existing file that is not text (the user confirmed).
        keep: files never to replace (see :func:`esi_desktop.files.check_output_path`).
        items: only the changes of these items, as (kind, id) (see
            :func:`esi_desktop.audit.trail.items_of_reference`); None: every item.

    Raises:
        OtherKindOfFile: the file there is not text (a database, a spreadsheet, a PDF), and
            ``force`` is false.
        EsiError: the file cannot be written; the sentence names it and says what to do.
    """
    check_output_path(path, kind=CSV, force=force, keep=keep)
    entries = _entries(inspection_id)
    if items is not None:
        entries = (e for e in entries if (e.item_kind, e.item_id) in items)
    labels: dict[tuple[str, int], str] = {}
    count = 0
    with writing_atomically(Path(path), kind=CSV, force=force, keep=keep) as stream:
        # UTF-8 with a byte-order mark: Excel then reads the accents and quotes right
        stream.write(codecs.BOM_UTF8)
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
        try:
            writer = csv.writer(text)
            writer.writerow(CSV_COLUMNS)
            while batch := list(islice(entries, BATCH)):
                unnamed = [e for e in batch if (e.item_kind, e.item_id) not in labels]
                if unnamed:
                    labels.update(item_labels(unnamed))
                writer.writerows(_row(entry, labels) for entry in batch)
                count += len(batch)
            text.flush()
        finally:
            text.detach()  # the stream is closed, flushed to disk and renamed by its owner
    return count


def _entries(inspection_id: int | None) -> Iterator[AuditView]:
    """The recorded changes of an inspection (None: of every one), oldest first (the order of
    :func:`esi_desktop.audit.inspection_history`), read from the database a few at a time.

    Their ids are read first, in order, in one short query (8 bytes each), then the changes
    by id, :data:`_PER_QUERY` at a time: no statement stays open while the file is written,
    so a long export never holds the database's read lock (the rollback journal on a network
    share) nor needs a server-side cursor (PostgreSQL), and changes recorded meanwhile are left
    out, as they were when the whole history was read at once.
    """
    ordered = AuditEntry.select(AuditEntry.id).order_by(AuditEntry.changed_at, AuditEntry.id)
    if inspection_id is not None:
        ordered = ordered.where(AuditEntry.inspection_id == inspection_id)
    ids = array("q", (row_id for (row_id,) in ordered.tuples().iterator()))
    for start in range(0, len(ids), _PER_QUERY):
        chunk = ids[start : start + _PER_QUERY].tolist()
        low, high = min(chunk), max(chunk)
        # changes are mostly recorded in the order of their ids: a run of ids is read by
        # its bounds, cheaper to send than every id
        within = (
            AuditEntry.id.between(low, high)
            if high - low + 1 == len(chunk)
            else AuditEntry.id.in_(chunk)
        )
        query = AuditEntry.select(*_COLUMNS).where(within)
        rows = {row["id"]: row for row in as_dicts(query)}
        for row_id in chunk:
            if row_id in rows:
                yield AuditView(**rows[row_id])


def _row(entry: AuditView, labels: dict[tuple[str, int], str]) -> list[object]:
    return safe_row(
        (
            entry.local_changed_at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.changed_by,
            labels[(entry.item_kind, entry.item_id)],
            entry.field_label,
            entry.old_value or "",
            entry.new_value or "",
        )
    )
