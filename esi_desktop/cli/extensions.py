"""``main.py extensions`` and ``main.py decide-extension``: the extension requests and the
Board's decisions on them (:mod:`esi_desktop.plan.extensions`).

``extensions --json`` prints ``{"sent_on": ISO date or null, "requests": [...],
"decisions": [...]}``; each request has ``reference``, ``kind``, ``text``, ``owner``,
``date_in_plan_sent``, ``proposed_date``, ``days_later`` and ``decision`` (a decision or
null); each decision has ``reference``, ``requested_date``, ``decision`` ("Approved" or
"Refused"), ``meeting_date`` and ``minute``.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from esi_desktop.cli.parser import EXIT_OK
from esi_desktop.wording import kind_name, long_date, plural

if TYPE_CHECKING:
    from esi_desktop.plan.extensions import DecisionView


def _decision_document(decision: DecisionView) -> dict[str, Any]:
    return {
        "reference": decision.reference,
        "requested_date": decision.requested.isoformat(),
        "decision": decision.decision,
        "meeting_date": decision.meeting_date.isoformat(),
        "minute": decision.minute_reference,
    }


def list_extensions(args: argparse.Namespace, out: TextIO) -> int:
    """Print the open extension requests and every decision recorded."""
    from esi_desktop import database
    from esi_desktop.cli.commands import _chosen_inspection
    from esi_desktop.plan import extensions, submission

    today = date.today()
    database.connect(args.db, read_only=True)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        sent = submission.latest_submission(inspection_id=inspection_id)
        requests = extensions.extension_requests(inspection_id=inspection_id, today=today)
        decisions = extensions.extension_decisions(inspection_id=inspection_id)
    finally:
        database.disconnect()
    if args.json:
        document = {
            "sent_on": sent.sent_on.isoformat() if sent else None,
            "requests": [
                {
                    "reference": r.slip.item.reference,
                    "kind": r.slip.item.kind,
                    "text": r.slip.item.text,
                    "owner": r.slip.item.owner,
                    "date_in_plan_sent": r.slip.submitted.isoformat(),
                    "proposed_date": r.slip.item.due.isoformat(),
                    "days_later": r.slip.days,
                    "decision": _decision_document(r.decision) if r.decision else None,
                }
                for r in requests
            ],
            "decisions": [_decision_document(d) for d in decisions],
        }
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    if sent is None:
        out.write(
            "The plan has not been marked as sent (main.py mark-sent), so there are no "
            "extension requests.\n"
        )
        return EXIT_OK
    waiting = sum(1 for r in requests if r.decision is None)
    out.write(
        f"Against the plan sent on {long_date(sent.sent_on)}: "
        f"{plural(len(requests), 'extension request')}, {waiting} awaiting the Board's "
        "decision.\n"
    )
    for request in requests:
        slip = request.slip
        decided = request.decision.words if request.decision else "awaiting the Board's decision"
        out.write(
            f"  {slip.item.reference:<8} {kind_name(slip.item.kind)}: {slip.item.text}\n"
            f"           {long_date(slip.submitted)} to {long_date(slip.item.due)} "
            f"({plural(slip.days, 'day')} later); {decided}\n"
        )
    if decisions:
        out.write("Decisions recorded:\n")
        for decision in decisions:
            out.write(
                f"  {decision.reference:<8} to {long_date(decision.requested)}: {decision.words}\n"
            )
    return EXIT_OK


def decide_extension(args: argparse.Namespace, out: TextIO) -> int:
    """Record the Board's decision on one extension request, or withdraw one."""
    from esi_desktop import database
    from esi_desktop.cli.commands import _chosen_inspection
    from esi_desktop.errors import EsiError
    from esi_desktop.plan import extensions

    if not args.withdraw and args.meeting is None:
        raise EsiError(
            "Recording the Board's decision needs the meeting that decided: add --meeting "
            "DATE, such as 26/05/2005."
        )
    today = date.today()
    database.connect(args.db, create=False)
    try:
        inspection_id = _chosen_inspection(args.inspection)
        if args.withdraw:
            withdrawn = extensions.decision_on(
                inspection_id=inspection_id, reference=args.reference, today=today
            )
            extensions.withdraw_decision(decision_id=withdrawn.id)
            out.write(
                f"Withdrawn: the decision on {withdrawn.reference}'s request for "
                f"{long_date(withdrawn.requested)} ({withdrawn.words}).\n"
            )
            return EXIT_OK
        decision_id = extensions.record_decision(
            inspection_id=inspection_id,
            reference=args.reference,
            decision=extensions.APPROVED if args.approved else extensions.REFUSED,
            meeting_date=args.meeting,
            minute_reference=args.minute,
            requested_date=args.date,
            today=today,
        )
        recorded = next(
            d
            for d in extensions.extension_decisions(inspection_id=inspection_id)
            if d.id == decision_id
        )
    finally:
        database.disconnect()
    out.write(
        f"Recorded: the extension of {recorded.reference} to {long_date(recorded.requested)} "
        f"was {recorded.words[0].lower()}{recorded.words[1:]}.\n"
    )
    return EXIT_OK
