"""``main.py export reminders`` and File ▸ Export ▸ Reminder e-mails for owners…: per owner,
an unsent e-mail (``.eml``, ``X-Unsent: 1``) listing their overdue and due-soon items, which
the secretary sends from Outlook.

An owner is one person whatever the case or spacing of their name
(:func:`~esi_desktop.reminders.due.owner_key`). When the plan writes an address with the
owner ("Jane Smith <jane.smith@…>", or a bare address) it goes in To; otherwise the message
has no To, for the secretary to fill in.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from esi_desktop.dashboard import DueItem
from esi_desktop.errors import EsiError
from esi_desktop.export.email_draft import SIGN_OFF, addresses_in, render_unsent_message
from esi_desktop.export.text import board_name
from esi_desktop.file_names import numbered, owner_in_file_name
from esi_desktop.files import (
    EML,
    check_output_path,
    existing_folder,
    writing_atomically,
)
from esi_desktop.inspections import inspection_summary
from esi_desktop.plan import load_plan
from esi_desktop.rated_results import is_rated_inspection
from esi_desktop.reminders.due import DueAndOverdue, OwnersItems, by_owner, due_and_overdue
from esi_desktop.wording import MILESTONE, long_date, month_year, plural, shorten

#: An action's words are cut to this length where a milestone names its action.
ACTION_IN_BODY = 90


@dataclass(frozen=True)
class OwnerReminder:
    """One owner's e-mail, before it is written.

    Attributes:
        to: the addresses written with the owner in the plan ("" when none is).
        file_name: the ``.eml`` file's name, made safe for Windows and told apart from the
            other owners'.
    """

    owner: OwnersItems
    to: str
    subject: str
    body: str
    file_name: str


@dataclass(frozen=True)
class RemindersRound:
    """The reminder e-mails of an inspection as of a day.

    Attributes:
        unowned: the references of due or overdue items that name no owner (no e-mail
            carries them).
    """

    area: str
    today: date
    due: DueAndOverdue
    emails: tuple[OwnerReminder, ...]
    unowned: tuple[str, ...]

    @property
    def without_address(self) -> tuple[OwnerReminder, ...]:
        """The e-mails whose To the secretary must fill in."""
        return tuple(e for e in self.emails if not e.to)


def reminder_file_name(owner: str, today: date) -> str:
    """ "Jane Smith – due and overdue 1 June 2005.eml", the owner's part made safe
    (:func:`esi_desktop.file_names.owner_in_file_name`)."""
    return f"{owner_in_file_name(owner)} – due and overdue {long_date(today)}.eml"


def _item_lines(item: DueItem, overdue: bool) -> list[str]:
    when = f"Overdue since {long_date(item.due)}" if overdue else f"Due {long_date(item.due)}"
    lines = [f"  {item.labelled_text}", f"      {when}"]
    if item.kind == MILESTONE:
        action = item.action_reference or "the action"
        lines.append(f"      Part of {action}: {shorten(item.action_text, ACTION_IN_BODY)}")
    return lines


def _body(
    owner: OwnersItems, area: str, published: date, due: DueAndOverdue, *, rated: bool = False
) -> str:
    board = board_name(area, rated=rated)
    count = plural(len(owner.items), "item")
    paragraphs = [
        f"Dear {owner.name},",
        f"The action plan answering HM Inspectorate of Probation’s inspection report on "
        f"{area} (published {month_year(published)}) has {count} of yours that "
        f"{'is' if len(owner.items) == 1 else 'are'} overdue or due within the next "
        f"{plural(due.days, 'day')}, as at {long_date(due.today)}:",
    ]
    if owner.overdue:
        lines = ["Overdue:", ""]
        for item in owner.overdue:
            lines += [*_item_lines(item, True), ""]
        paragraphs.append("\n".join(lines).rstrip())
    if owner.due_soon:
        lines = [f"Due within {plural(due.days, 'day')}:", ""]
        for item in owner.due_soon:
            lines += [*_item_lines(item, False), ""]
        paragraphs.append("\n".join(lines).rstrip())
    paragraphs.append(
        "Please let me know where each of these stands: what has been done, and a new date "
        "for anything that will be late, so that I can update the action plan for the Board."
    )
    paragraphs.append(SIGN_OFF.format(board=board))
    return "\n\n".join(paragraphs)


def reminders_round(
    due: DueAndOverdue, *, area: str, published: date, today: date, rated: bool = False
) -> RemindersRound:
    """Each owner's e-mail (owners with nothing due get none), pure.

    Args:
        due: what is overdue or due (:func:`esi_desktop.reminders.due.due_and_overdue`).
        area: the probation area ("Gloucestershire"), named in each subject.
        published: when the report was published.
        rated: a rated inspection: its board is the body's management board, and the plan is
            not an ESI one.
    """
    owners, unowned = by_owner(due)
    emails: list[OwnerReminder] = []
    taken: set[str] = set()
    for owner in owners:
        addresses: list[str] = []
        for spelling in owner.spellings:
            for address in addresses_in(spelling):
                if str(address).casefold() not in (a.casefold() for a in addresses):
                    addresses.append(str(address))
        # two owners whose names come out the same get " (2)"
        name = numbered(reminder_file_name(owner.name, today), taken)
        emails.append(
            OwnerReminder(
                owner=owner,
                to="; ".join(addresses),
                subject=(
                    f"{'Action plan' if rated else 'ESI action plan'}: "
                    f"{plural(len(owner.items), 'item')} due or overdue — {area}"
                ),
                body=_body(owner, area, published, due, rated=rated),
                file_name=name,
            )
        )
    return RemindersRound(
        area=area,
        today=today,
        due=due,
        emails=tuple(emails),
        unowned=tuple(item.reference or item.text for item in unowned),
    )


def plan_reminders(*, inspection_id: int, today: date, days: int) -> RemindersRound:
    """The reminder e-mails of an inspection as of ``today``, read from the database.

    Raises:
        NotFoundError: there is no such inspection.
    """
    summary = inspection_summary(inspection_id=inspection_id)
    plan = load_plan(inspection_id=inspection_id, today=today)
    return reminders_round(
        due_and_overdue(plan, today, days),
        area=summary.area,
        published=plan.published,
        today=today,
        rated=is_rated_inspection(inspection_id=inspection_id),
    )


def check_folder(folder: Path) -> Path:
    """The folder the reminder e-mails go in (:func:`~esi_desktop.files.existing_folder`)."""
    return existing_folder(folder, what="the reminder e-mails")


def existing_files(round_: RemindersRound, folder: Path) -> list[Path]:
    """The e-mails' paths in ``folder`` where a file is there already."""
    return [folder / e.file_name for e in round_.emails if (folder / e.file_name).exists()]


def write_reminders(
    round_: RemindersRound, *, folder: Path, force: bool = False, now: datetime | None = None
) -> list[Path]:
    """Write each owner's e-mail into ``folder``, one ``.eml`` file per owner: all or none.

    Every path is checked before the first file is written (a refusal writes none). Every
    e-mail is then written in full to a temporary file beside its own, and flushed to disk,
    before any is put in place: a full disk leaves no e-mail at all. Should putting one in
    place fail (Windows: open in Outlook), the sentence names those that were.

    Args:
        force: replace files already there (without it, one already there is refused).
        now: the messages' Date; the current time if None.

    Returns:
        The files written, in the order of ``round_.emails``.

    Raises:
        EsiError: the folder does not exist; a file is there already (without ``force``),
            read-only or open in another program; the disk is full.
    """
    folder = check_folder(folder)
    there = existing_files(round_, folder)
    if there and not force:
        others = f" and {plural(len(there) - 1, 'other')}" if len(there) > 1 else ""
        raise EsiError(
            f"{there[0]}{others} already {'exists' if len(there) == 1 else 'exist'}; no "
            "e-mail was written. Choose another folder, or replace them (--force on the "
            "command line)."
        )
    paths = [folder / e.file_name for e in round_.emails]
    targets = [check_output_path(path, kind=EML, force=force) for path in paths]
    messages = [
        render_unsent_message(to=e.to, subject=e.subject, body=e.body, now=now)
        for e in round_.emails
    ]
    written: list[Path] = []
    try:
        with contextlib.ExitStack() as staged:
            for path, data in zip(paths, messages, strict=True):
                staged.enter_context(_staged(path, data, force=force, written=written))
    except EsiError as exc:
        if not written:
            raise
        names = sorted(p.name for p in written)
        raise EsiError(
            f"{exc} Written: {', '.join(names)}; the other e-mails were not written."
        ) from None
    return targets


@contextlib.contextmanager
def _staged(path: Path, data: bytes, *, force: bool, written: list[Path]) -> Iterator[None]:
    """An e-mail written to its temporary file and flushed to disk on entry, put in place
    on leaving (and noted in ``written``); an exception leaves no trace of it."""
    with writing_atomically(path, kind=EML, force=force) as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())  # a full disk says so now, before any e-mail is in place
        yield
    written.append(path)
