"""The ``rate`` command: a rated framework's standards added up into the overall rating.

``rate FRAMEWORK --rating CODE=RATING … [--overall RATING] [--json]`` needs no database. The
text is a table of the standards by domain, the total, the overall rating and the standards
not counted; ``--json`` prints ``{"framework", "title", "score", "max", "band", "overall_rule",
"ratings": {code: rating}, "points": {code: points or null}, "not_counted": [{"code", "title",
"rating", "why"}], "not_rated": [code]}``, ``band`` null when the framework's overall rating is
entered as published and none was given.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from esi_desktop.cli.parser import EXIT_OK
from esi_desktop.frameworks import Framework, get_rated_framework
from esi_desktop.rating import RatedResult, rate, ratings_from_arguments

_TITLE_WIDTH = 48
_RATING_WIDTH = 22


def rate_command(args: argparse.Namespace, out: TextIO) -> int:
    """Print what the ratings given add up to.

    Raises:
        FrameworkError: FRAMEWORK is not a rated framework (the sentence lists those there are).
        ValidationError: a rating is missing, unknown, or given for an unknown standard.
    """
    framework = get_rated_framework(args.framework)
    result = rate(framework, ratings_from_arguments(args.rating), overall=args.overall)
    if args.json:
        json.dump(rated_document(result), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(rated_text(framework, result))
    return EXIT_OK


def rated_document(result: RatedResult) -> dict[str, Any]:
    """The result as ``rate --json`` prints it."""
    return {
        "framework": result.framework_id,
        "title": result.framework_title,
        "score": result.score,
        "max": result.max,
        "band": result.band,
        "overall_rule": result.overall_rule.value,
        "ratings": result.ratings,
        "points": {s.code: s.points for s in result.standards},
        "not_counted": [
            {"code": s.code, "title": s.title, "rating": s.rating_text, "why": s.why_not_counted}
            for s in result.not_counted
        ],
        "not_rated": list(result.not_rated),
    }


def rated_text(framework: Framework, result: RatedResult) -> str:
    """The result as a table: each standard by domain with its rating and points."""
    lines = [framework.title]
    by_code = {s.code: s for s in result.standards}
    for domain in framework.sections:
        lines.append(f"  {domain.code} {domain.title}")
        for criterion in domain.criteria:
            standard = by_code[criterion.code]
            points = "—" if standard.points is None else str(standard.points)
            note = "" if standard.counted else f"  (not counted: {standard.why_not_counted})"
            lines.append(
                f"    {standard.code:<5}{standard.title:<{_TITLE_WIDTH}}"
                f"{standard.rating_text:<{_RATING_WIDTH}}{points:>3}{note}"
            )
    # the total and the overall rating end where the points column ends
    width = 4 + 5 + _TITLE_WIDTH + _RATING_WIDTH + 3 - 2
    lines.append("")
    lines.append(f"  {'Total':<{width - len(result.score_text)}}{result.score_text}")
    if result.band is None:
        lines.append(f"  {framework.overall_title}: {result.overall_text}")
    else:
        lines.append(f"  {framework.overall_title:<{width - len(result.band)}}{result.band}")
    if result.not_counted:
        left_out = "; ".join(
            f"{s.code} {s.title} ({s.why_not_counted})" for s in result.not_counted
        )
        lines.append(f"  Not counted: {left_out}")
    return "\n".join(lines) + "\n"
