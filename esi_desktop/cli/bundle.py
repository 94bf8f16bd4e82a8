"""``main.py export bundle --out FILE.pdf|FILE.zip``: the evidence bundle for the inspectors
(:mod:`esi_desktop.export.bundle`).

The database is opened read-only; the output path is checked before any evidence is read; the
file is written whole or not at all. A piece of evidence that could not be shown as pages (a
damaged or password-protected PDF, an unreadable image) is attached instead, and said on
stderr as a warning.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TextIO

from esi_desktop.cli.parser import EXIT_OK
from esi_desktop.wording import plural


def export_bundle(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the evidence bundle of the chosen inspection to ``args.out``."""
    from esi_desktop import database
    from esi_desktop.cli.commands import _chosen_inspection, _database_file
    from esi_desktop.cli.exports import output_kind
    from esi_desktop.evidence import content_of
    from esi_desktop.export.bundle import write_bundle
    from esi_desktop.export.bundle_content import bundle_content
    from esi_desktop.files import ZIP, check_output_path

    if args.attach is not None:
        from esi_desktop.errors import EsiError

        raise EsiError(
            f"`export bundle` takes no second word ({args.attach!r}); write "
            "`export bundle --out FILE.pdf` or `--out FILE.zip`."
        )
    kind = output_kind("bundle", args.out)
    keep = _database_file(args.db)
    check_output_path(args.out, kind=kind, force=args.force, keep=keep)  # before the database
    database.connect(args.db, read_only=True)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        content = bundle_content(inspection_id=inspection_id, today=date.today())
        written = write_bundle(
            content,
            args.out,
            kind=kind,
            read=lambda evidence_id: content_of(evidence_id=evidence_id),
            force=args.force,
            keep=keep,
        )
    finally:
        database.disconnect()
    for note in written.notes:
        err.write(f"warning: {note}\n")
    pieces = plural(written.pieces, "piece")
    if kind is ZIP:
        out.write(
            f"Wrote the {content.area} evidence bundle to {args.out}: {pieces} of evidence in "
            f"folders by reference, with the index ({plural(written.pages, 'page')}).\n"
        )
    else:
        counts = written.counts
        out.write(
            f"Wrote the {content.area} evidence bundle to {args.out} "
            f"({plural(written.pages, 'page')}): {pieces} of evidence, "
            f"{counts.merged} merged, {plural(counts.images, 'image')} placed on pages, "
            f"{plural(counts.attached, 'file')} attached.\n"
        )
    return EXIT_OK
