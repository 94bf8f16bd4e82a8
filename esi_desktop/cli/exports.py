"""``main.py export``: the documents in the formats the Board lives in.

``response`` as a PDF or a Word document, ``progress`` as a PDF, ``plan`` as an Excel
workbook, ``calendar`` as an Outlook calendar file, and ``email response|progress`` as an
unsent e-mail with the document attached. The format follows the file name's ending; every
file is written whole or not at all (:func:`esi_desktop.files.write_atomically`), checked
before a long rendering, and never over the database in use.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from esi_desktop.cli.parser import EXIT_OK
from esi_desktop.errors import EsiError
from esi_desktop.files import DOCX, EML, ICS, PDF, XLSX, ZIP, OutputKind
from esi_desktop.wording import long_date, plural

if TYPE_CHECKING:
    from esi_desktop.export.progress_content import ProgressContent
    from esi_desktop.export.response_content import ResponseContent

#: The formats each document is written in, by file name ending; the first is the default.
FORMATS: dict[str, dict[str, OutputKind]] = {
    "response": {".pdf": PDF, ".docx": DOCX},
    "progress": {".pdf": PDF},
    "plan": {".xlsx": XLSX},
    "calendar": {".ics": ICS},
    "email": {".eml": EML},
    "bundle": {".pdf": PDF, ".zip": ZIP},
}
_NAMES = {
    "response": "the response and action plan",
    "progress": "a Board progress paper",
    "plan": "the action plan workbook",
    "calendar": "the calendar",
    "email": "an e-mail",
    "bundle": "the evidence bundle",
}


#: Endings of the other kinds of file the program writes: one of them for the wrong document
#: is a mistake to point out, any other ending gets the document's default format.
_KNOWN_ENDINGS = {ending for formats in FORMATS.values() for ending in formats} | {".csv"}


def output_kind(document: str, path: Path) -> OutputKind:
    """What ``path`` is to be, by its ending; the document's first (default) format for an
    ending that is no format of ours (``--out response`` writes a PDF, as it always did).

    Raises:
        EsiError: the ending is another format of ours, one this document is not written as.
    """
    formats = FORMATS[document]
    ending = path.suffix.lower()
    kind = formats.get(ending)
    if kind is not None:
        return kind
    if ending in _KNOWN_ENDINGS:
        endings = " or ".join(formats)
        raise EsiError(
            f"{path.name}: {_NAMES[document]} is written as {endings}, not {ending}; end the "
            f"file name with {'it' if len(formats) == 1 else 'one of them'}."
        )
    return next(iter(formats.values()))


def export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the document asked for."""
    from esi_desktop.cli.commands import _database_file

    if args.document == "returns":
        from esi_desktop.cli.returns import export_returns

        return export_returns(args, out, err)
    if args.document == "bundle":
        from esi_desktop.cli.bundle import export_bundle

        return export_bundle(args, out, err)
    if args.document == "reminders":
        from esi_desktop.cli.reminders import export_reminders

        return export_reminders(args, out, err)
    if args.document == "email":
        if args.attach not in ("response", "progress"):
            raise EsiError(
                "An e-mail carries a document: write `export email response` or "
                "`export email progress`, with --to ADDRESS."
            )
        if not args.to:
            raise EsiError("An e-mail needs its recipient: add --to ADDRESS.")
        from esi_desktop.export.email_draft import parse_addresses

        parse_addresses(args.to)  # a mistyped address is said before a long rendering
    elif args.attach is not None:
        raise EsiError(
            f"`export {args.document}` takes no second word ({args.attach!r}); only "
            "`export email response|progress` does."
        )
    paper = args.document == "progress" or (args.document == "email" and args.attach == "progress")
    if paper and args.meeting is None:
        raise EsiError(
            "A Board progress paper needs the meeting's date: add --meeting DATE, "
            "such as 24/03/2005."
        )
    kind = output_kind(args.document, args.out)
    keep = _database_file(args.db)
    from esi_desktop.files import check_output_path, write_atomically

    check_output_path(args.out, kind=kind, force=args.force, keep=keep)
    data, said, warnings = _render(args, kind)
    write_atomically(args.out, data, kind=kind, force=args.force, keep=keep)
    for message in warnings:  # what the window lists before it exports
        err.write(f"warning: {message}\n")
    what, _, draft = said.partition("|")
    out.write(f"Wrote {what} to {args.out}{draft}.\n")
    return EXIT_OK


def _render(args: argparse.Namespace, kind: OutputKind) -> tuple[bytes, str, list[str]]:
    """The file's bytes, what it is in words, and the warnings to print."""
    from esi_desktop import database
    from esi_desktop.cli.commands import _chosen_inspection

    today = date.today()
    database.connect(args.db, read_only=True)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        if args.document == "calendar":
            from esi_desktop.export.calendar import render_calendar
            from esi_desktop.inspections import inspection_summary

            data = render_calendar(
                inspection_id=inspection_id, today=today, reminder_days=args.remind
            )
            area = inspection_summary(inspection_id=inspection_id).area
            reminder = "on the day" if args.remind == 0 else f"{plural(args.remind, 'day')} before"
            return data, f"the {area} calendar (reminders {reminder})", []
        if args.document == "plan":
            return _plan_workbook(inspection_id, args.meeting, today)
        document = args.attach if args.document == "email" else args.document
        if document == "response":
            return _response(args, kind, inspection_id, today)
        return _progress(args, inspection_id, today)
    finally:
        database.disconnect()


def _draft_note(missing: list[str]) -> str:
    """ "|, marked DRAFT: …" after what was written ("|" parts it from the words before the
    path), or nothing."""
    if not missing:
        return ""
    return (
        f"|, marked DRAFT: {plural(len(missing), 'thing')} "
        f"{'is' if len(missing) == 1 else 'are'} missing"
    )


def _response(
    args: argparse.Namespace, kind: OutputKind, inspection_id: int, today: date
) -> tuple[bytes, str, list[str]]:
    from esi_desktop.export import ResponseRenderer, response_content

    content = response_content(inspection_id=inspection_id, today=today)
    missing = [item.message for item in content.missing]
    warnings = [*missing, *(item.message for item in content.unprintable)]
    what = f"the response and action plan for {content.area}"
    if kind is DOCX:
        from esi_desktop.export.docx_response import render_response_docx

        return render_response_docx(content), f"{what} (Word){_draft_note(missing)}", warnings
    renderer = ResponseRenderer(content)
    data = renderer.render()
    said = f"{what} ({plural(renderer.page_count, 'page')}){_draft_note(missing)}"
    if args.document == "email":
        return _email(args, data, "pdf", content, None), f"an e-mail with {said}", warnings
    return data, said, warnings


def _progress(
    args: argparse.Namespace, inspection_id: int, today: date
) -> tuple[bytes, str, list[str]]:
    from esi_desktop.export import ProgressRenderer, progress_content

    paper = progress_content(inspection_id=inspection_id, meeting_date=args.meeting, today=today)
    renderer = ProgressRenderer(paper)
    data = renderer.render()
    warnings = [item.message for item in paper.unprintable]
    said = (
        f"the {paper.area} Board progress paper for the meeting of "
        f"{long_date(args.meeting)} ({plural(renderer.page_count, 'page')})"
    )
    if args.document == "email":
        return _email(args, data, "pdf", None, paper), f"an e-mail with {said}", warnings
    return data, said, warnings


def _email(
    args: argparse.Namespace,
    attachment: bytes,
    ending: str,
    response: ResponseContent | None,
    paper: ProgressContent | None,
) -> bytes:
    from esi_desktop.export.email_draft import (
        mime_type_for,
        progress_email_text,
        render_email_draft,
        response_email_text,
    )

    if response is not None:
        words = response_email_text(response)
    else:
        assert paper is not None
        words = progress_email_text(paper)
    filename = words.filename(ending)
    return render_email_draft(
        to=args.to,
        subject=words.subject,
        body=words.body,
        attachment=attachment,
        filename=filename,
        mime=mime_type_for(filename),
    )


def _plan_workbook(
    inspection_id: int, meeting: date | None, today: date
) -> tuple[bytes, str, list[str]]:
    from esi_desktop.export.xlsx_plan import next_meeting, plan_xlsx

    as_at = meeting or next_meeting(inspection_id=inspection_id, today=today)
    data = plan_xlsx(inspection_id=inspection_id, today=today, meeting_date=as_at)
    return data, f"the action plan workbook (progress for {long_date(as_at)})", []
