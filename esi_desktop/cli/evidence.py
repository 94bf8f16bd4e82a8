"""``main.py attach`` and ``main.py evidence``: evidence files in the database
(:mod:`esi_desktop.evidence`).

``attach --json`` prints ``{"item": REF, "attached": [...]}``; ``evidence --json`` prints a
list. Each piece of evidence has ``id``, ``item_kind``, ``item_reference``, ``name``,
``media_type``, ``size`` (bytes), ``sha256`` (all 64 hex digits), ``attached_by`` and
``attached_at`` (ISO 8601 in UTC, ending in "Z").
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from esi_desktop.cli.parser import EXIT_OK
from esi_desktop.wording import RECOMMENDATION, kind_name, plural

if TYPE_CHECKING:
    from esi_desktop.evidence import EvidenceView


def evidence_document(view: EvidenceView) -> dict[str, Any]:
    """A piece of evidence as JSON."""
    return {
        "id": view.id,
        "item_kind": view.item_kind,
        "item_reference": view.item_reference,
        "name": view.name,
        "media_type": view.media_type,
        "size": view.size,
        "sha256": view.sha256,
        "attached_by": view.attached_by,
        "attached_at": view.attached_at.isoformat(timespec="seconds") + "Z",
    }


def _item_words(kind: str, reference: str) -> str:
    """ "recommendation 3", "AP3", "AP3.2"."""
    return f"recommendation {reference}" if kind == RECOMMENDATION else reference


def attach_files(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Attach the files given to the item the reference names, all or none."""
    from esi_desktop import database, evidence
    from esi_desktop.cli.commands import _chosen_inspection

    del err  # nothing to warn about: a file that cannot be attached stops the command
    database.connect(args.db, create=False)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        kind, item_id = evidence.find_item(inspection_id=inspection_id, reference=args.reference)
        attached = evidence.attach_files(item_kind=kind, item_id=item_id, paths=args.paths)
    finally:
        database.disconnect()
    where = _item_words(kind, attached[0].item_reference) if attached else args.reference
    if args.json:
        document = {"item": where, "attached": [evidence_document(v) for v in attached]}
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    listed = ", ".join(f"{v.name} ({evidence.size_text(v.size)})" for v in attached)
    out.write(f"Attached {plural(len(attached), 'file')} to {where}: {listed}.\n")
    return EXIT_OK


def list_evidence(args: argparse.Namespace, out: TextIO) -> int:
    """Print the inspection's evidence, item by item in the plan's order."""
    from esi_desktop import audit, database, evidence
    from esi_desktop.cli.commands import _chosen_inspection

    database.connect(args.db, read_only=True)  # a command that reads never creates or updates
    try:
        inspection_id = _chosen_inspection(args.inspection)
        views = evidence.inspection_evidence(inspection_id=inspection_id)
    finally:
        database.disconnect()
    if args.json:
        json.dump([evidence_document(v) for v in views], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    if not views:
        out.write(
            "No evidence is attached to this inspection's plan yet; attach files with "
            "`main.py attach REF FILE…`.\n"
        )
        return EXIT_OK
    total = sum(v.size for v in views)
    out.write(
        f"{plural(len(views), 'evidence file')} ({evidence.size_text(total)} in all), "
        "item by item in the plan's order:\n"
    )
    header = (
        f"  {'Name':<32} {'Type':<10} {'Size':>9}  {'SHA-256':<12}  "
        f"{'Attached by':<16} Attached at\n"
    )
    item: tuple[str, int] | None = None
    for view in views:
        if (view.item_kind, view.item_id) != item:
            item = (view.item_kind, view.item_id)
            out.write(f"\n{kind_name(view.item_kind)} {view.item_reference}\n{header}")
        when = audit.local_time(view.attached_at).strftime("%d/%m/%Y %H:%M")
        out.write(
            f"  {_cut(view.name, 32):<32} {_cut(_type_word(view.media_type), 10):<10} "
            f"{evidence.size_text(view.size):>9}  {view.sha256[:12]:<12}  "
            f"{_cut(view.attached_by, 16):<16} {when}\n"
        )
    return EXIT_OK


#: Media types as a secretary names them.
_TYPE_WORDS = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.ms-outlook": "Outlook",
    "message/rfc822": "E-mail",
    "text/plain": "Text",
    "text/csv": "CSV",
    "application/zip": "ZIP",
    "application/octet-stream": "File",
}


def _type_word(media_type: str) -> str:
    """ "PDF", "Word", "Image": a media type in a word."""
    if media_type in _TYPE_WORDS:
        return _TYPE_WORDS[media_type]
    major, _, minor = media_type.partition("/")
    return "Image" if major == "image" else minor.removeprefix("x-").upper() or "File"


def _cut(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with "…" when longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
