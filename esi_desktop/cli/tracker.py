"""``main.py import-plan FILE.xlsx``: a Board's own tracker workbook into the plan
(:mod:`esi_desktop.tracker.importer`).

``--dry-run`` reads the workbook and says what would be created and changed, storing nothing.
``--json`` prints :func:`tracker_document`: at least ``actions``
(a list), ``milestones`` (a list), ``warnings`` and ``notes`` (lists of sentences), with
``imported`` true once stored. Each warning is also printed on stderr as a ``warning: …``
line when the output is text, and each note (a column that will be printed as evidence in
Board papers) as a ``note: …`` line.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from esi_desktop.cli.parser import EXIT_OK
from esi_desktop.errors import EsiError
from esi_desktop.wording import plural

if TYPE_CHECKING:
    from esi_desktop.tracker.importer import ItemPreview, TrackerOutcome, TrackerPreview


def import_plan(args: argparse.Namespace, out: TextIO, err: TextIO | None = None) -> int:
    """Preview, and unless ``--dry-run`` import, a tracker workbook into an inspection."""
    from esi_desktop import database
    from esi_desktop.cli.commands import _chosen_inspection
    from esi_desktop.tracker import importer

    if not args.path.is_file():
        raise EsiError(f"There is no file at {args.path}. Check the path and try again.")
    today = date.today()
    # a dry run only reads: it never creates, migrates or writes the database
    database.connect(args.db, read_only=args.dry_run, create=False)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        preview = importer.preview_tracker(inspection_id=inspection_id, path=args.path, today=today)
        outcome = None if args.dry_run else importer.import_tracker(preview=preview)
    finally:
        database.disconnect()
    if args.json:
        json.dump(tracker_document(preview, outcome), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    for warning in preview.warnings:
        (err or out).write(f"warning: {warning}\n")
    for note in preview.notes:
        (err or out).write(f"note: {note}\n")
    sheets = ", ".join(f"{t.sheet!r} (headings in row {t.header_row})" for t in preview.sheets)
    out.write(f"Read {args.path.name}: {sheets}.\n")
    counts = preview.counts()
    for kind in ("action", "milestone"):
        count = counts[f"{kind}s"]
        new = f"{count[importer.NEW]} {'would be created' if outcome is None else 'created'}"
        changed = f"{count[importer.CHANGED]} {'to change' if outcome is None else 'changed'}"
        out.write(
            f"{plural(sum(count.values()), kind)}: {new}, {changed}, "
            f"{count[importer.UNCHANGED]} unchanged.\n"
        )
    if outcome is None:
        out.write("Dry run: nothing was stored.\n")
        return EXIT_OK
    if outcome.created_actions:
        out.write(f"Created {', '.join(outcome.created_actions)}.\n")
    altered = [*outcome.changed_actions, *outcome.changed_milestones]
    if altered:
        out.write(f"Changed {', '.join(altered)}.\n")
    if outcome.backup is not None:
        out.write(f"The database as it was is kept as the backup {outcome.backup}.\n")
    return EXIT_OK


def tracker_document(
    preview: TrackerPreview, outcome: TrackerOutcome | None = None
) -> dict[str, Any]:
    """The preview (and the import's outcome) as plain data: ``import-plan --json``.

    ``actions`` and ``milestones`` are lists of items, each with ``key``, ``sheet``, ``row``,
    ``reference`` (null for an item not stored), ``outcome`` ("new", "changed" or
    "unchanged"), ``changes`` (the fields that change, with ``old`` and ``new``) and its
    values (dates ISO); ``warnings`` and ``notes`` are lists of sentences.
    """
    from esi_desktop.tracker.sheet import FIELDS  # openpyxl: loaded only when used

    references = outcome.references if outcome is not None else {}

    def item(entry: ItemPreview) -> dict[str, Any]:
        document: dict[str, Any] = {
            "key": entry.key,
            "sheet": entry.sheet,
            "row": entry.row,
            "reference": references.get((entry.kind, entry.action_key, entry.key), entry.reference),
            "outcome": entry.outcome,
            "changes": [
                {"field": name, "old": _plain(old), "new": _plain(new)}
                for name, old, new in entry.changes
            ],
            **{name: _plain(value) for name, value in entry.values.items()},
        }
        if entry.action_key:
            document["action_key"] = entry.action_key
        return document

    document: dict[str, Any] = {
        "file": str(preview.path),
        "inspection_id": preview.inspection_id,
        "sheets": [
            {
                "sheet": table.sheet,
                "header_row": table.header_row,
                "columns": {
                    name: {"column": table.column_letter(name), "heading": table.headings[name]}
                    for name in FIELDS
                    if name in table.columns
                },
                "rows": len(table.rows),
            }
            for table in preview.sheets
        ],
        "actions": [item(a) for a in preview.actions],
        "milestones": [item(m) for m in preview.milestones],
        "warnings": list(preview.warnings),
        "notes": list(preview.notes),
        "counts": preview.counts(),
        "imported": outcome is not None,
    }
    if outcome is not None:
        document["backup"] = None if outcome.backup is None else str(outcome.backup)
    return document


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
