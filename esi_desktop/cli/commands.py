"""The command line: ``python main.py <command>`` runs the same use cases as the window.

Every error is one line on stderr and exit status 2. The commands and their arguments are
:mod:`esi_desktop.cli.parser`'s; here each command runs.
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
from typing import Any, TextIO

from esi_desktop.cli import exports, extensions, rate, returns, tracker
from esi_desktop.cli.parser import EXIT_ERROR, EXIT_OK, PROG, build_parser
from esi_desktop.errors import EsiError
from esi_desktop.files import CSV, OtherKindOfFile, check_output_path, remove_unfinished_saves
from esi_desktop.wording import plural


def _status(args: argparse.Namespace, out: TextIO) -> int:
    from esi_desktop import dashboard, database
    from esi_desktop.cli import status

    today = args.date or date.today()
    database.connect(args.db, read_only=True)  # a command that reads never creates or updates
    try:
        inspection_id = _chosen_inspection(args.inspection)
        board = dashboard.load_dashboard(inspection_id=inspection_id, today=today)
    finally:
        database.disconnect()
    if args.json:
        _print_json(status.status_document(board), out)
    else:
        out.write(status.status_text(board))
    return EXIT_OK


def _history(args: argparse.Namespace, out: TextIO) -> int:
    from esi_desktop import audit, database, inspections

    # before opening the database: saying no to the path must not wait for it
    check_output_path(args.csv, kind=CSV, force=args.force, keep=_database_file(args.db))
    database.connect(args.db, read_only=True)  # a command that reads never creates or updates
    try:
        what = "every inspection"
        inspection_id = args.inspection
        items = None
        if args.item is not None:
            # a reference is an inspection's own: the one asked for, or the only one
            inspection_id = _chosen_inspection(args.inspection)
            items = audit.items_of_reference(inspection_id=inspection_id, reference=args.item)
        if inspection_id is not None:
            area = inspections.inspection_summary(inspection_id=inspection_id).area
            what = f"the {area} inspection"
        if args.item is not None:
            what = f"{' '.join(args.item.split()).upper()} of {what}"
        count = audit.export_csv(
            inspection_id=inspection_id,
            path=args.csv,
            force=args.force,
            keep=_database_file(args.db),
            items=items,
        )
    finally:
        database.disconnect()
    out.write(f"Wrote {plural(count, 'recorded change')} of {what} to {args.csv}.\n")
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


def _mark_sent(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from esi_desktop import database, inspections, wording
    from esi_desktop.plan import submission

    today = date.today()
    database.connect(args.db, create=False)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        sent_on = args.date or today
        try:
            submission.mark_plan_sent(
                inspection_id=inspection_id, sent_on=sent_on, today=today, force=args.force
            )
        except submission.SendingWarnings as refused:
            for warning in refused.warnings:
                err.write(f"warning: {warning}\n")
            err.write(
                "main.py mark-sent: nothing was recorded. Complete the plan, or pass --force "
                "to mark it as sent anyway if this is the plan the Inspectorate received.\n"
            )
            return EXIT_ERROR
        for warning in submission.sending_warnings(inspection_id=inspection_id, today=today):
            err.write(f"warning: {warning}\n")  # sent all the same: say what it lacked
        record = submission.latest_submission(inspection_id=inspection_id)
        area = inspections.inspection_summary(inspection_id=inspection_id).area
    finally:
        database.disconnect()
    assert record is not None
    out.write(
        f"Marked the {area} action plan as sent on {wording.long_date(sent_on)}: the whole "
        f"plan is kept, with {plural(record.actions, 'action target date')} and "
        f"{plural(record.milestones, 'milestone due date')}; later changes show in Board "
        "papers, and later dates as extension requests.\n"
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
    from esi_desktop.scoring import describe_result

    info = document["inspection"]
    out.write(f"Inspection {info['id']}: {info['area']}, published {info['published']}\n")
    for framework_id, data in document["frameworks"].items():
        framework = get_framework(framework_id)
        if framework.is_rated:
            from esi_desktop.cli.rated_scores import rated_scores_lines

            out.write("\n" + "\n".join(rated_scores_lines(framework, data)) + "\n")
            continue
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
    from esi_desktop import database
    from esi_desktop.report import importer as report_import

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


def _new_inspection(args: argparse.Namespace, out: TextIO) -> int:
    from esi_desktop.cli.new_inspection import new_inspection_command  # loaded when used

    return new_inspection_command(args, out)


def _evidence() -> Any:
    from esi_desktop.cli import evidence  # loaded for its two commands only

    return evidence


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
        "export": lambda args, out: exports.export(args, out, err),  # it warns on stderr
        "mark-sent": lambda args, out: _mark_sent(args, out, err),  # it warns on stderr
        "extensions": extensions.list_extensions,
        "decide-extension": extensions.decide_extension,
        "import-plan": lambda args, out: tracker.import_plan(args, out, err),
        "import-returns": lambda args, out: returns.import_returns(args, out, err),
        "attach": lambda args, out: _evidence().attach_files(args, out, err),
        "evidence": lambda args, out: _evidence().list_evidence(args, out),
    }
    handlers.update(backup=_backup, restore=_restore)
    handlers["history"] = _history
    handlers["status"] = _status
    handlers["rate"] = rate.rate_command
    handlers["new-inspection"] = _new_inspection
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
        err.write(f"{PROG} {args.command}: {exc.sentence(', or pass --force to replace it')}\n")
        return EXIT_ERROR
    except EsiError as exc:
        err.write(f"{PROG} {args.command}: {' '.join(str(exc).split())}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write(f"{PROG} {args.command}: interrupted; nothing more was done.\n")
        return EXIT_ERROR
