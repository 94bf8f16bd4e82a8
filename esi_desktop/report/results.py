"""What the parser reads from a report: plain, frozen data with no behaviour of its own.

:class:`ParsedReport` is the whole result; the other classes are its parts.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CriterionFindings",
    "NationalTarget",
    "NextSteps",
    "ParsedFramework",
    "ParsedRecommendation",
    "ParsedReport",
]


@dataclass(frozen=True)
class ParsedRecommendation:
    """One recommendation as printed in the report.

    Attributes:
        ref: "1".."n" for the main list, "T1".."Tn" for a thematic list, in printed order.
        framework_id: the main framework's id, or the thematic framework's id for T refs.
        text: the recommendation's words, without list markers, numbering or italics.
        stem: the words the list is introduced with, as printed ("The Probation Board should
            ensure that:"), so that a document can quote the recommendation whole.
    """

    ref: str
    framework_id: str
    text: str
    stem: str = ""


@dataclass(frozen=True)
class CriterionFindings:
    """The inspectors' findings for one criterion.

    Attributes:
        framework_id: the framework the criterion belongs to.
        code: the criterion's code, such as "A2".
        description: what the criterion expects, as printed under "Description:".
        strengths: the "Strengths" bullets.
        improvements: the "Areas for improvement" bullets.
    """

    framework_id: str
    code: str
    description: str
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]


@dataclass(frozen=True)
class ParsedFramework:
    """The published results of one framework in the report.

    Attributes:
        framework_id: the framework's id.
        criteria: criterion code to result: a whole percentage (0-100) or a rating exactly
            as spelled on the framework's scale.
        published_sections: the section figures printed in the report, by section code.
        published_overall: the printed overall score, or None when the report has none.
    """

    framework_id: str
    criteria: dict[str, int | str]
    published_sections: dict[str, int]
    published_overall: int | None


@dataclass(frozen=True)
class NationalTarget:
    """One row of the national performance targets table, cells as printed."""

    measure: str
    target: str
    area: str
    national_average: str


@dataclass(frozen=True)
class NextSteps:
    """What the report says happens after publication.

    Attributes:
        response_due_months: months after publication within which the Board must respond.
        implementation_months: months within which recommendations are normally implemented.
        follow_up_expected: when a follow-up inspection is expected ("Autumn 2005"), or None.
    """

    response_due_months: int | None
    implementation_months: int | None
    follow_up_expected: str | None


@dataclass(frozen=True)
class ParsedReport:
    """Everything the product reads from one ESI area report.

    Attributes:
        area: the probation area, without "Probation Area" ("Gloucestershire").
        published_year: the year of the foreword's date line.
        published_month: the month (1-12) of the foreword's date line.
        title: the report's title from its cover.
        frameworks: the results of each framework found in the report, by framework id.
        recommendations: main recommendations then thematic ones, in printed order.
        findings: criterion findings in printed order, main framework first.
        next_steps: response deadline, implementation period and follow-up timing.
        national_targets: the national performance targets table, row by row.
        warnings: non-fatal oddities, each a sentence naming where it was found.
    """

    area: str
    published_year: int
    published_month: int
    title: str
    frameworks: dict[str, ParsedFramework]
    recommendations: tuple[ParsedRecommendation, ...]
    findings: tuple[CriterionFindings, ...]
    next_steps: NextSteps
    national_targets: tuple[NationalTarget, ...]
    warnings: tuple[str, ...]

    @property
    def published(self) -> str:
        """The publication month as "YYYY-MM"."""
        return f"{self.published_year:04d}-{self.published_month:02d}"
