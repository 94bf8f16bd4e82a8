"""The command line's arguments: one parser per command, with its help.

:mod:`esi_desktop.cli.commands` runs the commands. A parser's error is one line, exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from esi_desktop import __version__
from esi_desktop.dates import parse_date
from esi_desktop.errors import ValidationError
from esi_desktop.settings import CALENDAR_REMINDER_DAYS, REMINDER_DAYS

EXIT_OK = 0
EXIT_ERROR = 2
#: How the commands are started: ``main.py`` from the source, the console program when frozen.
PROG = "esi-desktop" if getattr(sys, "frozen", False) else "main.py"


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
        prog=PROG,
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
        help="write a document: the response (PDF or Word), a progress paper, the plan "
        "workbook, a calendar or an e-mail",
        description="Write a document; the format follows the file name's ending. 'response' "
        "is the Board's response to the inspection report with its action plan, for the "
        "Inspectorate (.pdf or .docx); 'progress' is the progress paper for a Board meeting "
        "(.pdf, needs --meeting); 'plan' is the action plan as an Excel workbook (.xlsx: a Plan "
        "sheet and a Progress sheet as at --meeting, default today); 'calendar' is the "
        "milestones, target dates and Board meetings for Outlook (.ics); 'email response' or "
        "'email progress' is an unsent e-mail to --to with the PDF attached (.eml), which "
        "Outlook opens ready to send; 'bundle' is the evidence for the inspectors (.pdf: a "
        "cover, an index and every piece of evidence; .zip: the index and the original files); "
        "'reminders' writes, per owner, an unsent e-mail listing their due and overdue items "
        "(a folder). Every file is written whole or not at all. A response "
        "that is not complete is still written, marked DRAFT, and each thing missing is "
        "printed on stderr as a warning.",
    )
    export.add_argument(
        "document",
        choices=(
            "response",
            "progress",
            "plan",
            "calendar",
            "email",
            "returns",
            "bundle",
            "reminders",
        ),
        help="which document",
    )
    export.add_argument(
        "attach",
        nargs="?",
        choices=("response", "progress"),
        metavar="response|progress",
        help="for email: the document attached",
    )
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help="the file: .pdf, .docx, .xlsx, .ics, .eml or (bundle) .zip; for returns and "
        "reminders, a folder that exists",
    )
    export.add_argument("--force", action="store_true", help=_FORCE_HELP)
    _add_db(export)
    _add_inspection(export)
    export.add_argument(
        "--meeting", type=_typed_date, metavar="DATE", help="the Board meeting's date"
    )
    export.add_argument(
        "--to", metavar="ADDRESS", help="for email: the recipient (several: separated by ;)"
    )
    export.add_argument(
        "--return-by",
        type=_typed_date,
        metavar="DATE",
        help="for returns: the day owners are asked to return them by (default: 7 days before "
        "the next Board meeting far enough ahead, else 14 days from today)",
    )
    export.add_argument(
        "--remind",
        type=int,
        default=CALENDAR_REMINDER_DAYS.default,
        metavar="DAYS",
        help=f"for calendar: remind this many days before (default "
        f"{CALENDAR_REMINDER_DAYS.default}; 0: on the day)",
    )
    export.add_argument(
        "--days",
        type=_reminder_days,
        default=REMINDER_DAYS.default,
        metavar="N",
        help="for reminders: what is overdue or due within N days (the window's reminder "
        f"period, which the command line cannot read; {REMINDER_DAYS.minimum} to "
        f"{REMINDER_DAYS.maximum}, default {REMINDER_DAYS.default})",
    )

    mark_sent = commands.add_parser(
        "mark-sent",
        help="record the action plan as sent to the Inspectorate, so later date changes are slips",
        description="Record the plan as sent to the Inspectorate: every action's target date "
        "and every milestone's due date as they stand. Later changes of date show in Board "
        "progress papers as extension requests.",
    )
    _add_db(mark_sent)
    _add_inspection(mark_sent)
    mark_sent.add_argument(
        "--date", type=_typed_date, metavar="DATE", help="the day it was sent (default: today)"
    )
    mark_sent.add_argument(
        "--force",
        action="store_true",
        help="mark it as sent even though it has no actions or recommendations without a "
        "response (the warnings are printed either way)",
    )
    _add_extension_commands(commands)
    _add_evidence_commands(commands)
    _add_tracker_command(commands)
    _add_returns_command(commands)
    _add_backup_commands(commands)
    _add_history_command(commands)
    _add_status_command(commands)
    _add_rate_command(commands)
    _add_new_inspection_command(commands)
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


def _add_inspection(command: _Parser) -> None:
    command.add_argument(
        "--inspection",
        type=int,
        metavar="ID",
        help="the inspection (needed when there are several)",
    )


def _add_evidence_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    attach = commands.add_parser(
        "attach",
        help="attach files as evidence to a recommendation, an action or a milestone",
        description="Store files in the database as evidence for an item: a recommendation "
        "(its reference, such as 3), an action (AP3) or a milestone (AP3.2). Identical content "
        "is stored once. All the files are attached in one transaction, or none.",
    )
    attach.add_argument("reference", metavar="REF", help="the item: 3, AP3 or AP3.2")
    attach.add_argument("paths", type=Path, nargs="+", metavar="FILE", help="the files")
    _add_db(attach)
    _add_inspection(attach)
    attach.add_argument("--json", action="store_true", help="print what was attached as JSON")

    evidence = commands.add_parser(
        "evidence",
        help="list the evidence attached to the inspection's items",
        description="List every evidence file of the inspection, item by item in the plan's "
        "order: its name, type, size, SHA-256, who attached it and when.",
    )
    _add_db(evidence)
    _add_inspection(evidence)
    evidence.add_argument("--json", action="store_true", help="print JSON instead of text")


def _add_tracker_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    plan_import = commands.add_parser(
        "import-plan",
        help="import the Board's own action-plan spreadsheet (.xlsx) into the plan",
        description="Read a tracker workbook: find its header row, match its columns by their "
        "headings, and add its actions and milestones to the inspection's plan in one "
        "transaction (after a backup). Importing the same sheet again updates the items it "
        "created instead of adding them twice. Every row that cannot be placed is a warning "
        "naming its sheet, row and cell.",
    )
    plan_import.add_argument("path", type=Path, metavar="FILE.xlsx", help="the workbook")
    _add_db(plan_import)
    _add_inspection(plan_import)
    plan_import.add_argument("--dry-run", action="store_true", help="read and check; store nothing")
    plan_import.add_argument("--json", action="store_true", help="print what was read as JSON")


def _add_returns_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    returns_import = commands.add_parser(
        "import-returns",
        help="apply the owners' progress returns (.xlsx) to the plan",
        description="Read each owner's progress return (written by `export returns`) and apply "
        "their answers, each file in one transaction after a backup, recorded in the history as "
        "made by the owner through a return. A row changed since the return was sent is a "
        "conflict and is not applied; a return for another inspection, or one whose reference "
        "column was changed, is refused.",
    )
    returns_import.add_argument(
        "paths", type=Path, nargs="+", metavar="FILE.xlsx", help="the returns"
    )
    _add_db(returns_import)
    _add_inspection(returns_import)
    returns_import.add_argument(
        "--dry-run", action="store_true", help="read and check; store nothing"
    )
    returns_import.add_argument(
        "--json",
        action="store_true",
        help="print, per file, what was applied, the conflicts and the warnings as JSON",
    )


def _add_extension_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    extensions = commands.add_parser(
        "extensions",
        help="list the extension requests (dates later than in the plan as sent) and the "
        "Board's decisions",
        description="List every action target date and milestone due date now later than in "
        "the plan as sent to the Inspectorate, with the Board's decision where it has made "
        "one, then every decision recorded.",
    )
    _add_db(extensions)
    _add_inspection(extensions)
    extensions.add_argument("--json", action="store_true", help="print JSON instead of text")

    decide = commands.add_parser(
        "decide-extension",
        help="record the Board's decision on an extension request",
        description="Record that the Board approved or refused the extension request of an "
        "action or milestone (by its reference, such as AP3 or AP3.2), at which meeting and "
        "under which minute. Later progress papers show the decision.",
    )
    decide.add_argument("reference", metavar="REF", help="the action or milestone (AP3, AP3.2)")
    choice = decide.add_mutually_exclusive_group(required=True)
    choice.add_argument("--approved", action="store_true", help="the Board approved the new date")
    choice.add_argument("--refused", action="store_true", help="the Board refused the new date")
    choice.add_argument(
        "--withdraw", action="store_true", help="remove a decision recorded by mistake"
    )
    decide.add_argument(
        "--meeting",
        type=_typed_date,
        metavar="DATE",
        help="the Board meeting that decided (15/03/2005 or 2005-03-15); needed to record",
    )
    decide.add_argument(
        "--date",
        type=_typed_date,
        metavar="DATE",
        help="the date the request put to the Board asked for (default: the item's date now); "
        "refused if the item's date has moved since",
    )
    decide.add_argument("--minute", default="", metavar="TEXT", help="the minute reference")
    _add_db(decide)
    _add_inspection(decide)


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
    history.add_argument(
        "--item",
        metavar="REF",
        help="only this action or milestone, by its reference (AP3: the action and its "
        "milestones; AP3.2: that milestone), deleted ones included",
    )
    history.add_argument("--force", action="store_true", help=_FORCE_HELP)


def _add_status_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    status = commands.add_parser(
        "status",
        help="print where an inspection stands: deadlines, RAG counts, what is late, the scores",
        description="Print an inspection's dashboard: the statutory clock with the days left "
        "or overdue, the Board meetings, the actions and recommendations by RAG, what is "
        "overdue and what is due soon, and the section and overall scores, baseline against "
        "follow-up. --json prints the same as JSON (README.md describes its shape).",
    )
    _add_db(status)
    _add_inspection(status)
    status.add_argument(
        "--date", type=_typed_date, metavar="DATE", help="as of this day (default: today)"
    )
    status.add_argument("--json", action="store_true", help="print JSON instead of text")


def _add_rate_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    rate = commands.add_parser(
        "rate",
        help="add up the ratings of a rated inspection's standards into the overall rating",
        description="Add up the points of the standards a rated framework counts (such as "
        "hmip-youth-2021, HM Inspectorate of Probation's youth justice standards) and print "
        "the total, the maximum, the overall rating and the standards not counted. A rating is "
        "its name or short form in any case: Outstanding (O), Good (G), Requires improvement "
        "(RI), Inadequate (I), or 'not rated' where the framework allows it. Needs no database.",
    )
    rate.add_argument("framework", metavar="FRAMEWORK", help="the rated framework's id")
    rate.add_argument(
        "--rating",
        action="extend",
        nargs="+",
        default=[],
        metavar="CODE=RATING",
        help="a standard's rating, such as 1.1=RI or '2.3=Requires improvement'; repeat it or "
        "give several after one --rating",
    )
    rate.add_argument(
        "--overall",
        metavar="RATING",
        help="the overall rating as the report gives it: needed where the framework's rule is "
        "not public, checked against the bands where it is",
    )
    rate.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _add_new_inspection_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    new = commands.add_parser(
        "new-inspection",
        help="store a rated inspection (such as a youth justice inspection) from its ratings "
        "and a text file of its recommendations",
        description="Store an inspection whose report rates standards: the inspected body, "
        "the framework, the publication date, each standard's rating (as for `rate`) and the "
        "recommendations, copied from the report into a text file. The recommendations are "
        "split by their numbers or bullets, each addressed to the person or body of the "
        "heading above it ('The Management Board should:'); what to check in the split is "
        "printed as warnings. Everything is checked before the database is opened, and stored "
        "in one transaction after a backup. The same body's inspection published on the same "
        "day is refused.",
    )
    new.add_argument("--framework", required=True, metavar="ID", help="the rated framework's id")
    new.add_argument("--body", required=True, metavar="NAME", help="the inspected body")
    new.add_argument(
        "--published",
        required=True,
        type=_typed_date,
        metavar="DATE",
        help="the report's publication date (03/12/2024 or 2024-12-03)",
    )
    new.add_argument(
        "--rating",
        action="extend",
        nargs="+",
        default=[],
        metavar="CODE=RATING",
        help="a standard's rating, such as 1.1=RI; repeat it or give several after one --rating",
    )
    new.add_argument(
        "--recommendations",
        required=True,
        type=Path,
        metavar="FILE.txt",
        help="the recommendations as text (UTF-8 or Notepad's ANSI), with their headings",
    )
    new.add_argument(
        "--overall",
        metavar="RATING",
        help="the overall rating as the report gives it (needed where the framework's rule is "
        "not public)",
    )
    new.add_argument(
        "--title", metavar="TEXT", help="the report's title (default: Inspection of NAME)"
    )
    new.add_argument(
        "--agreed-response-due",
        type=_typed_date,
        metavar="DATE",
        help="the date the Board agreed to send its response (where the framework fixes none)",
    )
    new.add_argument(
        "--agreed-reason", metavar="TEXT", help="who agreed that date, and when (needed with it)"
    )
    _add_db(new)
    new.add_argument("--json", action="store_true", help="print what was stored as JSON")


def _reminder_days(value: str) -> int:
    """A reminder period in days, within the preference's bounds (argparse reports a refusal
    in one line)."""
    low, high = REMINDER_DAYS.minimum, REMINDER_DAYS.maximum
    try:
        days = int(value)
    except ValueError:
        days = None
    if days is None or (low is not None and days < low) or (high is not None and days > high):
        raise argparse.ArgumentTypeError(
            f"“{value}” is not a reminder period: give a whole number of days, {low} to {high}"
        )
    return days


def _typed_date(value: str) -> date:
    """A date as the window takes it: 15/03/2005, 15 Mar 2005 or 2005-03-15 (argparse reports
    a refusal in one line, with the window's sentence)."""
    try:
        return parse_date(value, today=date.today())
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
