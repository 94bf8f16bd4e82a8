"""The ``new-inspection`` command: a rated inspection stored without a parsed report.

``new-inspection --framework ID --body NAME --published DATE --rating CODE=RATING …
--recommendations FILE.txt`` checks everything (the ratings, the file, the split of the
recommendations) before it opens the database, then stores the inspection in one transaction.
The text says what was stored; ``--json`` prints ``{"inspection_id", "body",
"published", the fields of ``rate --json`` ("framework", "title" (the framework's), "score",
"max", "band", "ratings", "not_counted", …), "report_title",
"recommendations": [{"reference", "addressee", "text"}], "warnings", "response_due_fixed",
"agreed_response_due", "reminder"}``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date
from typing import Any, TextIO

from esi_desktop.cli.parser import EXIT_OK
from esi_desktop.cli.rate import rated_document
from esi_desktop.frameworks import Framework, get_rated_framework
from esi_desktop.new_inspection import (
    NewRecommendation,
    check_rated_inspection,
    create_rated_inspection,
    read_recommendations_file,
    report_title_for,
)
from esi_desktop.rating import RatedResult, ratings_from_arguments
from esi_desktop.report.pasted import split_recommendations
from esi_desktop.wording import long_date, plural

#: How a recommendation without an addressee heading above it is counted.
NO_ADDRESSEE = "(no addressee)"


def new_inspection_command(args: argparse.Namespace, out: TextIO) -> int:
    """Store a rated inspection from its ratings and a file of its recommendations.

    Raises:
        FrameworkError: --framework is not a rated framework.
        ValidationError: a rating, the file, the recommendations in it, the agreed date or
            its reason is wrong, or the inspection is already stored; nothing is stored.
        EsiError: the database cannot be opened or refused the change; nothing is stored.
    """
    from esi_desktop import database  # the checks below need no database

    framework = get_rated_framework(args.framework)
    split = split_recommendations(read_recommendations_file(args.recommendations))
    recommendations = [NewRecommendation(i.text, i.addressee, i.stem) for i in split.items]
    fields: dict[str, Any] = {
        "framework_id": framework.id,
        "body": args.body,
        "published": args.published,
        "ratings": ratings_from_arguments(args.rating),
        "recommendations": recommendations,
        "overall": args.overall,
        "agreed_response_due": args.agreed_response_due,
        "agreed_response_reason": args.agreed_reason or "",
    }
    # refused here, a mistake never opens (or creates) the database
    check_rated_inspection(**fields)
    database.connect(args.db, create=True)
    try:
        created = create_rated_inspection(**fields, report_title=args.title or "")
    finally:
        database.disconnect()
    body = " ".join(args.body.split())
    reminder = deadline_reminder(framework) if args.agreed_response_due is None else None
    if args.json:
        document: dict[str, Any] = {
            "inspection_id": created.inspection_id,
            "body": body,
            "published": args.published.isoformat(),
            **rated_document(created.result),
            "report_title": " ".join((args.title or "").split()) or report_title_for(body),
            "recommendations": [
                {"reference": str(number), "addressee": item.addressee, "text": item.text}
                for number, item in enumerate(recommendations, start=1)
            ],
            "warnings": list(split.warnings),
            "response_due_fixed": _fixed_months(framework) is not None,
            "agreed_response_due": (
                None if args.agreed_response_due is None else args.agreed_response_due.isoformat()
            ),
            "reminder": reminder,
        }
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    out.write(
        created_text(
            inspection_id=created.inspection_id,
            body=body,
            published=args.published,
            framework=framework,
            result=created.result,
            addressees=[r.addressee for r in recommendations],
        )
    )
    for warning in split.warnings:
        out.write(f"Warning: {warning}\n")
    if reminder is not None:
        out.write(f"{reminder}\n")
    return EXIT_OK


def created_text(
    *,
    inspection_id: int,
    body: str,
    published: date,
    framework: Framework,
    result: RatedResult,
    addressees: list[str],
) -> str:
    """What the command says it stored: the inspection, its rating, its recommendations."""
    lines = [
        f"Created inspection {inspection_id}: {body}, published {long_date(published)} "
        f"({framework.short_title}).",
        f"Total {result.score_text}; {framework.overall_title.lower()}: {result.band}.",
    ]
    for standard in result.not_counted:
        lines.append(
            f"Rated apart, not counted: {standard.code} {standard.title}: {standard.rating_text}."
        )
    counts = Counter(name or NO_ADDRESSEE for name in addressees)
    by_addressee = ", ".join(f"{name} {count}" for name, count in counts.items())
    lines.append(f"{plural(len(addressees), 'recommendation')}: {by_addressee}.")
    return "\n".join(lines) + "\n"


def deadline_reminder(framework: Framework) -> str | None:
    """The sentence asking the Board to agree its response date, when the framework fixes
    none; else None."""
    if _fixed_months(framework) is not None:
        return None
    return (
        f"Reminder: the {framework.short_title} framework fixes no response deadline, so the "
        "Board should agree the date it will send its response and record it on the "
        "inspection record (Inspection ▸ Edit inspection… in the window); "
        "--agreed-response-due DATE --agreed-reason TEXT records it when the inspection is "
        "created."
    )


def _fixed_months(framework: Framework) -> int | None:
    return framework.rated.response_due_months if framework.rated is not None else None
