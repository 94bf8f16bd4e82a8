"""Exporting the audit trail to a CSV file that Excel reads right."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from pathlib import Path

from esi_desktop.audit.trail import inspection_history, item_labels
from esi_desktop.files import CSV, check_output_path, write_atomically
from esi_desktop.spreadsheet import safe_row

CSV_COLUMNS = ("When", "Who", "Item", "Field", "Old", "New")


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
    any earlier file as it was.

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
    entries = inspection_history(inspection_id=inspection_id)
    if items is not None:
        entries = [e for e in entries if (e.item_kind, e.item_id) in items]
    labels = item_labels(entries)
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(
            safe_row(
                (
                    entry.local_changed_at.strftime("%Y-%m-%d %H:%M:%S"),
                    entry.changed_by,
                    labels[(entry.item_kind, entry.item_id)],
                    entry.field_label,
                    entry.old_value or "",
                    entry.new_value or "",
                )
            )
        )
    # UTF-8 with a byte-order mark: Excel then reads the accents and quotes right
    write_atomically(
        Path(path), text.getvalue().encode("utf-8-sig"), kind=CSV, force=force, keep=keep
    )
    return len(entries)
