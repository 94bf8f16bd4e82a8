"""``main.py scores`` for a rated framework: its ratings table, total, maximum and overall."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esi_desktop.frameworks import Framework


def rated_scores_lines(framework: Framework, data: Mapping[str, Any]) -> list[str]:
    """The lines ``main.py scores`` prints for one rated framework.

    Args:
        framework: the rated framework.
        data: its part of ``scores --json``
            (:func:`esi_desktop.rated_results.rated_document`).

    Returns:
        A table of domain, standard, rating and whether it counts, then the total over the
        maximum and the overall rating, each line indented under the framework's title.
    """
    ratings: Mapping[str, str] = data["ratings"]
    not_counted = set(data["not_counted"])
    domains = {section.code: f"{section.code} {section.title}" for section in framework.sections}
    standards = [(c, f"{c.code} {c.title}") for c in framework.criteria]
    domain_width = max(len(text) for text in domains.values()) + 2
    standard_width = max(len(text) for _, text in standards) + 2
    rating_width = max([len("Rating"), *(len(r) for r in ratings.values())]) + 2
    lines = [
        f"  {framework.title}",
        f"    {'Domain':<{domain_width}}{'Standard':<{standard_width}}"
        f"{'Rating':<{rating_width}}Counted",
    ]
    shown = ""
    for criterion, text in standards:
        domain = domains[criterion.section] if criterion.section != shown else ""
        shown = criterion.section
        counted = "no (rated apart)" if criterion.code in not_counted else "yes"
        rating = ratings.get(criterion.code, "—")
        lines.append(
            f"    {domain:<{domain_width}}{text:<{standard_width}}{rating:<{rating_width}}{counted}"
        )
    if data["score"] is None:
        lines.append(f"    Not yet complete: {data.get('problem', '')}".rstrip())
        return lines
    lines.append(f"    {'Total':<{domain_width}}{data['score']} / {data['max']}")
    overall = data["band"] or "not computed: enter the overall rating as the report gives it"
    lines.append(f"    {framework.overall_title:<{domain_width}}{overall}")
    if data["not_rated"]:
        lines.append(f"    Not rated: {', '.join(data['not_rated'])}")
    return lines
