"""``main.py export reminders --out FOLDER``: per owner, an unsent e-mail listing their overdue
and due-soon items (:mod:`esi_desktop.reminders.emails`), for the secretary to send from Outlook.

The reminder period is ``--days N`` (default the preference's default, 14 days): the command
line cannot read the window's preferences. Nothing due is not an error: it is said, and no
file is written (exit status 0).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TextIO

from esi_desktop.cli.parser import EXIT_OK
from esi_desktop.wording import plural


def export_reminders(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the owners' reminder e-mails into the folder ``args.out``."""
    from esi_desktop import database
    from esi_desktop.cli.commands import _chosen_inspection
    from esi_desktop.reminders.emails import check_folder, plan_reminders, write_reminders

    check_folder(args.out)  # said before the database is opened
    today = date.today()
    days: int = args.days
    database.connect(args.db, read_only=True)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        round_ = plan_reminders(inspection_id=inspection_id, today=today, days=days)
    finally:
        database.disconnect()
    if round_.unowned:
        err.write(
            f"warning: {', '.join(round_.unowned)} "
            f"{'names' if len(round_.unowned) == 1 else 'name'} no owner, so no e-mail "
            "carries "
            f"{'it' if len(round_.unowned) == 1 else 'them'}.\n"
        )
    if not round_.emails:
        out.write(
            f"Nobody has anything overdue or due within {plural(days, 'day')}: no e-mail "
            "was written.\n"
        )
        return EXIT_OK
    written = write_reminders(round_, folder=args.out, force=args.force)
    out.write(
        f"Wrote {plural(len(written), 'reminder e-mail')} to {args.out} ({round_.due.summary}):\n"
    )
    for path, email in zip(written, round_.emails, strict=True):
        to = f"to {email.to}" if email.to else "no address known: fill in To in Outlook"
        out.write(f"  {path.name} ({to})\n")
    missing = len(round_.without_address)
    if missing:
        out.write(
            f"{plural(missing, 'e-mail')} {'has' if missing == 1 else 'have'} no recipient: "
            "the plan gives no e-mail address for "
            f"{'that owner' if missing == 1 else 'those owners'}. Fill in To in Outlook before "
            "sending, or write the address with the owner's name in the plan, such as "
            "“Jane Smith <jane.smith@example.gov.uk>”.\n"
        )
    return EXIT_OK
