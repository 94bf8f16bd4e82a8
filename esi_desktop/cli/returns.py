"""``main.py export returns --out FOLDER`` and ``main.py import-returns FILE.xlsx …``: the
owners' update round (:mod:`esi_desktop.returns`).

``export returns`` writes one progress return workbook per owner of an open action into the
folder. ``import-returns`` reads each file and applies the owner's answers, each file in one
transaction after a backup; ``--dry-run`` reads and checks, storing nothing; ``--json`` prints
one object with ``files``: per file ``file``, ``owner``, ``applied`` (a list of changes),
``conflicts``, ``warnings`` and ``imported``, or ``refused`` (a sentence) for a file that is
not applied at all. A refused file is an error (exit status 2) but the other files are still
read.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from esi_desktop.cli.parser import EXIT_ERROR, EXIT_OK
from esi_desktop.errors import EsiError
from esi_desktop.wording import long_date, plural

if TYPE_CHECKING:
    from esi_desktop.returns import ReturnOutcome, ReturnPreview


def export_returns(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the progress returns into the folder ``args.out``."""
    from esi_desktop import database
    from esi_desktop.cli.commands import _chosen_inspection
    from esi_desktop.returns import plan_returns, write_returns
    from esi_desktop.returns.writing import check_folder

    check_folder(args.out)  # said before the database is opened
    today = date.today()
    return_by = getattr(args, "return_by", None)
    database.connect(args.db, read_only=True)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        planned = plan_returns(inspection_id=inspection_id, today=today, return_by=return_by)
        written = write_returns(
            inspection_id=inspection_id,
            folder=args.out,
            today=today,
            force=args.force,
            return_by=return_by,
        )
    finally:
        database.disconnect()
    for reference in planned.unowned:
        err.write(f"warning: {reference} names no owner, so no return asks about it.\n")
    if not written:
        out.write("No owner has an open action: no return was written.\n")
        return EXIT_OK
    out.write(
        f"Wrote {plural(len(written), 'progress return')} to {args.out}, to be returned by "
        f"{long_date(planned.return_by)} ({planned.return_by_reason}):\n"
    )
    for path in written:
        out.write(f"  {path.name}\n")
    return EXIT_OK


def import_returns(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Read, and unless ``--dry-run`` apply, each owner's return."""
    from esi_desktop import database
    from esi_desktop.cli.commands import _chosen_inspection
    from esi_desktop.returns import apply_return, read_return

    today = date.today()
    documents: list[dict[str, Any]] = []
    status = EXIT_OK
    # a dry run only reads: it never creates, migrates or writes the database
    database.connect(args.db, read_only=args.dry_run, create=False)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        for path in args.paths:
            try:
                preview = read_return(inspection_id=inspection_id, path=path, today=today)
                outcome = None if args.dry_run else apply_return(preview=preview)
            except EsiError as refused:
                status = EXIT_ERROR
                documents.append({"file": str(path), "refused": str(refused)})
                if not args.json:
                    err.write(f"error: {refused}\n")
                continue
            documents.append(return_document(preview, outcome))
            if not args.json:
                _print(preview, outcome, out, err)
    finally:
        database.disconnect()
    if args.json:
        json.dump({"files": documents}, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return status


def _print(preview: ReturnPreview, outcome: ReturnOutcome | None, out: TextIO, err: TextIO) -> None:
    for warning in outcome.warnings if outcome is not None else preview.warnings:
        err.write(f"warning: {warning}\n")
    out.write(
        f"{preview.path.name}: the return of {preview.owner}, sent {long_date(preview.sent_on)}.\n"
    )
    if outcome is None:
        ready = preview.to_apply
        out.write(
            f"Dry run: {plural(len(ready), 'row')} would be applied, "
            f"{plural(len(preview.conflicts), 'conflict')}; nothing was stored.\n"
        )
        return
    for row in outcome.applied:
        out.write(f"  {row.reference}: {_said(row.changes, row.note)}\n")
    out.write(
        f"Applied {plural(len(outcome.applied), 'row')}; "
        f"{plural(len(outcome.conflicts), 'conflict')} not applied.\n"
    )
    if outcome.backup is not None:
        out.write(f"The database as it was is kept as the backup {outcome.backup}.\n")


def _said(changes: tuple[tuple[str, Any, Any], ...], note: str) -> str:
    from esi_desktop.returns.reading import describe_answers

    parts = [describe_answers(changes)] if changes else []
    if note:
        parts.append("a comment added to the action's internal note")
    return "; ".join(parts)


def return_document(preview: ReturnPreview, outcome: ReturnOutcome | None) -> dict[str, Any]:
    """One file's preview (and outcome) as plain data: an item of ``import-returns --json``.

    ``applied`` lists the rows applied (after a dry run: those that would be), each with
    ``reference``, ``row``, ``changes`` (``field``, ``old``, ``new``; dates ISO) and ``note``
    (the words added to the action's internal note); ``conflicts`` lists ``reference``,
    ``row`` and ``message``; ``warnings`` is a list of sentences.
    """
    if outcome is not None:
        applied = [
            {
                "reference": row.reference,
                "row": row.row,
                "changes": [
                    {"field": name, "old": _plain(old), "new": _plain(new)}
                    for name, old, new in row.changes
                ],
                "note": row.note,
            }
            for row in outcome.applied
        ]
        conflicts = outcome.conflicts
        warnings = outcome.warnings
    else:
        applied = [
            {
                "reference": row.reference,
                "row": row.row,
                "changes": [
                    {"field": name, "old": _plain(old), "new": _plain(new)}
                    for name, old, new in row.answered
                    if row.kind == "milestone"
                ],
                "note": row.comment,
            }
            for row in preview.to_apply
        ]
        conflicts = preview.conflicts
        warnings = preview.warnings
    return {
        "file": str(preview.path),
        "owner": preview.owner,
        "inspection_id": preview.inspection_id,
        "sent_on": preview.sent_on.isoformat(),
        "return_by": preview.return_by.isoformat(),
        "applied": applied,
        "conflicts": [
            {"reference": row.reference, "row": row.row, "message": row.message}
            for row in conflicts
        ],
        "warnings": list(warnings),
        "imported": outcome is not None,
        "backup": None if outcome is None or outcome.backup is None else str(outcome.backup),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value
