"""The command line: ``python main.py <command>`` runs the same use cases as the window.

Every error is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from esi_desktop import __version__
from esi_desktop.errors import EsiError
from esi_desktop.files import CSV, OtherKindOfFile, check_output_path, remove_unfinished_saves

EXIT_OK = 0
EXIT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: {message} (see {self.prog} --help)\n")


_FORCE_HELP = (
    "replace the file even when it is not of the kind written (such as a spreadsheet); the "
    "database in use is never replaced"
)


def _add_db(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # on a command, a missing --db must not hide one given before the command
    parser.add_argument(
        "--db",
        default=None if top else argparse.SUPPRESS,
        metavar="URL",
        help="database URL: sqlite:///path/file.sqlite3 or postgresql://user@host:port/name "
        "(default: your own database in the user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = _Parser(
        prog="main.py",
        description="ESI Desktop: a Probation Board's response to an ESI inspection report. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"ESI Desktop {__version__}")
    _add_db(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    scores = commands.add_parser(
        "scores",
        help="print the stored results with computed section and overall scores",
        description="Print each inspection's criterion results with the section and overall "
        "scores computed as the Inspectorate computes them.",
    )
    _add_db(scores)
    scores.add_argument("--inspection", type=int, metavar="ID", help="only this inspection")
    scores.add_argument("--json", action="store_true", help="print JSON instead of a table")

    imp = commands.add_parser(
        "import",
        help="import an inspection report (text or PDF)",
        description="Read an ESI inspection report (.txt or .pdf), check its figures against "
        "the scoring engine and store it. A report already stored is refreshed, keeping the "
        "Board's responses, actions and milestones.",
    )
    imp.add_argument("path", type=Path, metavar="PATH", help="the report, .txt or .pdf")
    _add_db(imp)
    imp.add_argument("--dry-run", action="store_true", help="parse and check; store nothing")
    imp.add_argument("--json", action="store_true", help="print what was parsed as JSON")

    export = commands.add_parser(
        "export",
        help="write the response and action plan, or a Board progress paper, as a PDF",
        description="Write a PDF: 'response' is the Board's response to the inspection report "
        "with its action plan, for the Inspectorate; 'progress' is the progress paper for a "
        "Board meeting (needs --meeting). The file is written whole or not at all. A response "
        "that is not complete (a recommendation without a response or with only a draft, an "
        "agreed one without actions, an action without an owner or target date) is still "
        "written, marked DRAFT on every page, and each thing missing is printed on stderr as a "
        "warning.",
    )
    export.add_argument("document", choices=("response", "progress"), help="which document")
    export.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="the PDF")
    export.add_argument("--force", action="store_true", help=_FORCE_HELP)
    _add_db(export)
    export.add_argument(
        "--inspection",
        type=int,
        metavar="ID",
        help="the inspection (needed when there are several)",
    )
    export.add_argument(
        "--meeting", type=_iso_date, metavar="YYYY-MM-DD", help="the Board meeting's date"
    )

    mark_sent = commands.add_parser(
        "mark-sent",
        help="record the action plan as sent to the Inspectorate, so later date changes are slips",
        description="Record the plan as sent to the Inspectorate: every action's target date "
        "and every milestone's due date as they stand. Later changes of date show in Board "
        "progress papers as extension requests.",
    )
    _add_db(mark_sent)
    mark_sent.add_argument(
        "--inspection",
        type=int,
        metavar="ID",
        help="the inspection (needed when there are several)",
    )
    mark_sent.add_argument(
        "--date", type=_iso_date, metavar="YYYY-MM-DD", help="the day it was sent (default: today)"
    )
    _add_backup_commands(commands)
    _add_history_command(commands)
    return parser


def _add_backup_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    backup = commands.add_parser(
        "backup",
        help="back up a SQLite database now (SQLite's online backup API)",
        description="Copy the database while it may be in use, into its backups folder "
        "(or --to FILE). Backups made by hand are never removed by the program. A PostgreSQL "
        "database is backed up on its server with pg_dump.",
    )
    _add_db(backup)
    backup.add_argument(
        "--to", type=Path, metavar="FILE", help="write the backup here (a file or a folder)"
    )
    backup.add_argument("--force", action="store_true", help=_FORCE_HELP)
    restore = commands.add_parser(
        "restore",
        help="put a backup in place of the database (needs --yes)",
        description="Replace the database with a backup. The database as it is now is kept "
        "as a backup first, so a restore can be undone. Close ESI Desktop wherever it has the "
        "database open first: while it is open elsewhere the restore is refused, naming who "
        "has it open, unless --even-if-open.",
    )
    restore.add_argument("backup_file", type=Path, metavar="BACKUP_FILE", help="the backup")
    _add_db(restore)
    restore.add_argument("--yes", action="store_true", help="yes, replace the database")
    restore.add_argument(
        "--even-if-open",
        action="store_true",
        help="restore even while ESI Desktop has the database open elsewhere (it is told to "
        "reopen it)",
    )


def _add_history_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    history = commands.add_parser(
        "history",
        help="export the audit trail (who changed what, when) to a CSV file",
        description="Write every recorded change — when, who, which item and field, old and "
        "new value — to a CSV file that Excel opens (UTF-8). Without --inspection, the changes "
        "of every inspection in the database. The file is written whole or not at all.",
    )
    _add_db(history)
    history.add_argument("--inspection", type=int, metavar="ID", help="only this inspection")
    history.add_argument("--csv", type=Path, required=True, metavar="FILE", help="the CSV file")
    history.add_argument("--force", action="store_true", help=_FORCE_HELP)


def _history(args: argparse.Namespace, out: TextIO) -> int:
    from esi_desktop import audit, database, inspections

    # before opening the database: saying no to the path must not wait for it
    check_output_path(args.csv, kind=CSV, force=args.force, keep=_database_file(args.db))
    database.connect(args.db, read_only=True)  # a command that reads never creates or updates
    try:
        what = "every inspection"
        if args.inspection is not None:
            area = inspections.inspection_summary(inspection_id=args.inspection).area
            what = f"the {area} inspection"
        count = audit.export_csv(
            inspection_id=args.inspection,
            path=args.csv,
            force=args.force,
            keep=_database_file(args.db),
        )
    finally:
        database.disconnect()
    out.write(
        f"Wrote {count} recorded change{'s' if count != 1 else ''} of {what} to {args.csv}.\n"
    )
    return EXIT_OK


def _backup(args: argparse.Namespace, out: TextIO) -> int:
    from esi_desktop import backups, database

    url = args.db or database.default_database_url()
    made = backups.back_up(url=url, to=args.to, force=args.force)
    out.write(
        f"Backed up the database {database.describe_url(url)} to {made.path} ({made.size_text}).\n"
    )
    return EXIT_OK


def _restore(args: argparse.Namespace, out: TextIO) -> int:
    from esi_desktop import backups, database

    url = args.db or database.default_database_url()
    if not args.yes:
        raise EsiError(
            f"Restoring replaces the database {database.describe_url(url)} with the backup "
            f"{args.backup_file}; add --yes to do it (the database as it is now is kept as a "
            "backup first)."
        )
    try:
        outcome = backups.restore_backup(
            backup=args.backup_file, url=url, even_if_open=args.even_if_open
        )
    except backups.DatabaseInUse as exc:
        raise backups.DatabaseInUse(
            f"{exc} Add --even-if-open to restore anyway.", exc.holders
        ) from None
    out.write(
        f"Restored the database {outcome.database} from the backup {outcome.restored.path} "
        f"({outcome.restored.why}, {outcome.restored.when}).\n"
    )
    if outcome.kept is not None:
        out.write(
            f"The database as it was is kept as {outcome.kept.path}; restore that to undo this.\n"
        )
    return EXIT_OK


def _database_file(url: str | None) -> list[Path]:
    """The SQLite file a command works on, never to be written over (none for a server)."""
    from db.connection import parse_database_url
    from db.errors import DatabaseOpenError
    from esi_desktop import database

    try:
        location = parse_database_url(url or database.default_database_url())
    except DatabaseOpenError:
        return []  # opening it says what is wrong with the URL
    return [location.path] if location.path is not None else []


def _iso_date(value: str) -> date:
    """A date written as YYYY-MM-DD (argparse reports the error in one line)."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; write it as YYYY-MM-DD, such as 2005-07-21"
        ) from None


def _chosen_inspection(requested: int | None) -> int:
    """The inspection asked for, or the only one in the database."""
    from esi_desktop import inspections

    if requested is not None:
        return inspections.inspection_summary(inspection_id=requested).id
    stored = inspections.list_inspections()
    if not stored:
        raise EsiError(
            "This database holds no inspection yet. Import a report with `main.py import`."
        )
    if len(stored) > 1:
        raise EsiError(
            f"This database holds {len(stored)} inspections; choose one with --inspection ID "
            "(`main.py scores` lists them with their ids)."
        )
    return stored[0].id


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from esi_desktop import database
    from esi_desktop.export import (
        ProgressRenderer,
        ResponseRenderer,
        progress_content,
        response_content,
    )
    from esi_desktop.export.layout import DocumentRenderer
    from esi_desktop.submission import check_pdf_path, long_date, write_pdf_atomically

    if args.document == "progress" and args.meeting is None:
        raise EsiError("A Board progress paper needs the meeting's date: add --meeting YYYY-MM-DD.")
    keep = _database_file(args.db)
    check_pdf_path(args.out, force=args.force, keep=keep)
    today = date.today()
    database.connect(args.db, read_only=True)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        renderer: DocumentRenderer
        missing: list[str] = []
        unprintable: list[str] = []  # characters that would print as empty boxes
        if args.document == "response":
            content = response_content(inspection_id=inspection_id, today=today)
            renderer = ResponseRenderer(content)
            what = f"the response and action plan for {content.area}"
            missing = [item.message for item in content.missing]
            unprintable = [item.message for item in content.unprintable]
        else:
            paper = progress_content(
                inspection_id=inspection_id, meeting_date=args.meeting, today=today
            )
            renderer = ProgressRenderer(paper)
            unprintable = [item.message for item in paper.unprintable]
            what = (
                f"the {paper.area} Board progress paper for the meeting of "
                f"{long_date(args.meeting)}"
            )
    finally:
        database.disconnect()
    data = renderer.render()
    write_pdf_atomically(args.out, data, force=args.force, keep=keep)
    pages = renderer.page_count
    for message in [*missing, *unprintable]:  # what the window lists before it exports
        err.write(f"warning: {message}\n")
    marked = (
        f", marked DRAFT: {len(missing)} thing{'s are' if len(missing) != 1 else ' is'} missing"
        if missing
        else ""
    )
    out.write(f"Wrote {what} ({pages} page{'s' if pages != 1 else ''}) to {args.out}{marked}.\n")
    return EXIT_OK


def _mark_sent(args: argparse.Namespace, out: TextIO) -> int:
    from esi_desktop import database, inspections, submission

    today = date.today()
    database.connect(args.db, create=False)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        sent_on = args.date or today
        submission.mark_plan_sent(inspection_id=inspection_id, sent_on=sent_on, today=today)
        record = submission.latest_submission(inspection_id=inspection_id)
        area = inspections.inspection_summary(inspection_id=inspection_id).area
    finally:
        database.disconnect()
    assert record is not None
    out.write(
        f"Marked the {area} action plan as sent on {submission.long_date(sent_on)}: "
        f"{record.actions} action target date{'s' if record.actions != 1 else ''} and "
        f"{record.milestones} milestone due date{'s' if record.milestones != 1 else ''} "
        "recorded; later changes of date will show as extension requests.\n"
    )
    return EXIT_OK


def _print_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _scores(args: argparse.Namespace, out: TextIO) -> int:
    from esi_desktop import database, inspections

    database.connect(args.db, read_only=True)
    try:
        if args.inspection is not None:
            ids = [inspections.inspection_summary(inspection_id=args.inspection).id]
        else:
            ids = [summary.id for summary in inspections.list_inspections()]
        documents = [inspections.scores_document(inspection_id=i) for i in ids]
    finally:
        database.disconnect()
    if args.json:
        _print_json(documents[0] if args.inspection is not None else _one_or_list(documents), out)
        return EXIT_OK
    if not documents:
        out.write("This database holds no inspection yet. Import a report with `main.py import`.\n")
    for document in documents:
        _print_scores_table(document, out)
    return EXIT_OK


def _one_or_list(documents: list[dict[str, Any]]) -> Any:
    return documents[0] if len(documents) == 1 else documents


def _print_scores_table(document: dict[str, Any], out: TextIO) -> None:
    from esi_desktop.frameworks import get_framework
    from esi_desktop.inspections import describe_result

    info = document["inspection"]
    out.write(f"Inspection {info['id']}: {info['area']}, published {info['published']}\n")
    for framework_id, data in document["frameworks"].items():
        framework = get_framework(framework_id)
        out.write(f"\n  {framework.title}\n")
        for section in framework.sections:
            out.write(f"  {section.code} {section.title}\n")
            for criterion in section.criteria:
                value = data["criteria"].get(criterion.code)
                out.write(f"    {criterion.code:<4}{criterion.title:<76}{describe_result(value)}\n")
            if section.code in data["sections"]:
                figure = describe_result(data["sections"][section.code])
                out.write(f"    {'Score for section ' + section.code:<80}{figure}\n")
        if framework.has_overall:
            out.write(f"  {framework.overall_title:<82}{describe_result(data['overall'])}\n")
        if data["missing"]:
            out.write(f"  No result yet for: {', '.join(data['missing'])}\n")
    out.write("\n")


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from esi_desktop import database, report_import

    path: Path = args.path
    if not path.is_file():
        raise EsiError(f"There is no file at {path}. Check the path and try again.")
    if args.dry_run:
        # a dry run never opens the database: opening may migrate it, and nothing is stored
        preview = report_import.preview_report(path=path, look_up_existing=False)
        if args.json:
            _print_json(report_import.preview_document(preview), out)
        else:
            _print_preview(preview, out)
        return EXIT_OK
    preview = report_import.preview_report(path=path, look_up_existing=False)
    database.connect(args.db, create=True)
    try:
        preview = report_import.preview_parsed(preview.parsed)
        outcome = report_import.import_report(preview=preview, refresh=True)
    finally:
        database.disconnect()
    if args.json:
        document = report_import.preview_document(preview)
        document["inspection_id"] = outcome.inspection_id
        document["refreshed"] = outcome.refreshed
        _print_json(document, out)
        return EXIT_OK
    verb = "Refreshed" if outcome.refreshed else "Imported"
    parsed = preview.parsed
    out.write(
        f"{verb} the {parsed.area} report of {parsed.published} as inspection "
        f"{outcome.inspection_id}: {len(parsed.recommendations)} recommendations.\n"
    )
    for reference in outcome.kept_recommendations:
        out.write(
            f"Kept recommendation {reference}: it is no longer in the report but the Board "
            "has a response or actions for it.\n"
        )
    for warning in outcome.warnings:
        out.write(f"Warning: {warning}\n")
    return EXIT_OK


def _print_preview(preview: Any, out: TextIO) -> None:
    parsed = preview.parsed
    out.write(f"{parsed.title}\nArea: {parsed.area}\nPublished: {parsed.published}\n")
    for name, count in preview.counts().items():
        out.write(f"{name.capitalize()}: {count}\n")
    for framework_id, framework in parsed.frameworks.items():
        sections = ", ".join(f"{k} {v}%" for k, v in framework.published_sections.items())
        overall = (
            ""
            if framework.published_overall is None
            else f"; overall {framework.published_overall}%"
        )
        out.write(f"{framework_id}: {sections}{overall}\n")
    for recommendation in parsed.recommendations:
        out.write(f"  {recommendation.ref:>3}. {recommendation.text}\n")
    for warning in preview.warnings:
        out.write(f"Warning: {warning}\n")
    if preview.existing_inspection_id is not None:
        out.write(
            f"This report is already stored (inspection {preview.existing_inspection_id}); "
            "importing it would refresh it and keep the Board's work.\n"
        )
    out.write("Dry run: nothing was stored.\n")


def main(
    argv: Sequence[str] | None = None,
    *,
    open_window: Callable[[str | None], int] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run one command; with none, open the window through ``open_window``.

    Returns:
        The process exit status: 0, or 2 after printing one line to stderr.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    if args.command is None:
        if open_window is None:
            parser.print_help(out)
            return EXIT_OK
        return open_window(args.db)
    handlers: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
        "scores": _scores,
        "import": _import,
        "export": lambda args, out: _export(args, out, err),  # it warns on stderr
        "mark-sent": _mark_sent,
    }
    handlers.update(backup=_backup, restore=_restore)
    handlers["history"] = _history
    remove_unfinished_saves()  # what an earlier, killed export left behind
    try:
        status = handlers[args.command](args, out)
        out.flush()  # a reader that stopped early (``| head``) shows here, not at exit
        return status
    except BrokenPipeError:
        # the reader (head, more) has what it wanted and went away: not an error; keep Python
        # from complaining again when it flushes stdout on the way out
        if out is sys.stdout:
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OtherKindOfFile as exc:
        err.write(f"main.py {args.command}: {exc.sentence(', or pass --force to replace it')}\n")
        return EXIT_ERROR
    except EsiError as exc:
        err.write(f"main.py {args.command}: {' '.join(str(exc).split())}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write(f"main.py {args.command}: interrupted; nothing more was done.\n")
        return EXIT_ERROR
