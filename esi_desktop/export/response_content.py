"""What the Board's response and action plan shows, read once from the database.

:func:`response_content` runs on the caller's thread; the renderer
(:mod:`esi_desktop.export.response`) lays the content out with no database and no GUI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from esi_desktop.comparison import has_follow_up_results
from esi_desktop.export.completeness import MissingItem, missing_items
from esi_desktop.export.parts import public_plan
from esi_desktop.export.rated_content import (
    RatedDocument,
    addressee_counts,
    rated_tables,
    recommendation_addressees,
    response_due_words,
)
from esi_desktop.export.unprintable import UnprintableText, plan_parts, unprintable_texts
from esi_desktop.follow_up import follow_up_comparison
from esi_desktop.inspections import (
    ASSUMED_FIRST,
    FrameworkSummary,
    InspectionClock,
    inspection_summary,
    scoring_summary,
    statutory_clock_of,
)
from esi_desktop.plan import PlanView, load_plan
from esi_desktop.plan.submission import latest_submission
from esi_desktop.scoring import FrameworkDeltas
from esi_desktop.wording import long_date


@dataclass(frozen=True)
class ResponseContent(RatedDocument):
    """Everything the response document shows, read once from the database."""

    area: str
    report_title: str
    published: date
    response_due: date | None  # None: a rated inspection whose Board has set no date yet
    plan: PlanView  # without internal notes
    scoring: tuple[FrameworkSummary, ...]
    comparison: tuple[FrameworkDeltas, ...] | None  # only once there are follow-up results
    sent_on: date | None
    prepared_on: date
    #: The inspection's clock: where the response deadline comes from, whether the day of
    #: publication is known (:func:`esi_desktop.inspections.inspection_clock`).
    clock: InspectionClock

    @property
    def criteria_word(self) -> str:
        """What the inspection judged: "Criteria" (ESI) or "Standards" (rated)."""
        return "Standards" if self.is_rated else "Criteria"

    @property
    def to_whom(self) -> str:
        """ " to the Board" (an ESI report addresses every recommendation to it), or for a
        rated one ": 5 to the YJS Service Manager and 3 to the Management Board"."""
        addressees = [self.addressee(r.id) for r in self.plan.recommendations]
        return (
            f": {addressee_counts(addressees)}" if self.is_rated and addressees else " to the Board"
        )

    @property
    def response_due_text(self) -> str:
        """ "1 April 2005 (3 months after publication)", "2 May 2005 (agreed with the
        Inspectorate: <the reason as typed>)", or that no date is set yet."""
        return response_due_words(self.clock)

    @property
    def response_due_note(self) -> str:
        """What a reader needs to know of the statutory deadline ("" when nothing).

        With an agreed deadline, the statutory one it replaces; when the day of publication
        is not known, that the statutory deadline is counted from an assumed 1st (as the
        Dashboard says).
        """
        clock = self.clock
        counted = (
            ""
            if clock.published_day_known
            else f"counted from an {ASSUMED_FIRST} ({long_date(clock.published)}), as the day "
            "of publication is not known"
        )
        if clock.agreed and clock.statutory_response_due is not None:
            statutory = f"The statutory deadline is {long_date(clock.statutory_response_due)}"
            return f"{statutory}, {counted}." if counted else f"{statutory}."
        return f"{counted[:1].upper()}{counted[1:]}." if counted else ""

    @property
    def missing(self) -> list[MissingItem]:
        """What the response and action plan still lacks; empty when it is complete."""
        return missing_items(self.plan, self.clock)

    @property
    def unprintable(self) -> list[UnprintableText]:
        """Characters the document would print as empty boxes, by where they are (they
        do not make it a draft)."""
        return unprintable_texts(
            [
                (self._place_name, self.area),
                ("The report’s title", self.report_title),
                *plan_parts(self.plan),
                ("The reason for the agreed response deadline", self.clock.response_basis),
                *(
                    (f"The introduction to recommendation {r.reference}", r.stem)
                    for r in self.plan.recommendations
                ),
            ]
        )


def response_content(*, inspection_id: int, today: date) -> ResponseContent:
    """Read the response document's content.

    Raises:
        NotFoundError: there is no such inspection.
    """
    clock = statutory_clock_of(inspection_id=inspection_id)
    summary = inspection_summary(inspection_id=inspection_id)
    rated = rated_tables(inspection_id=inspection_id)
    # a rated inspection's follow-up is its ratings table's (the scored comparison is for ESI)
    comparison = () if rated else tuple(follow_up_comparison(inspection_id=inspection_id))
    submission = latest_submission(inspection_id=inspection_id)
    return ResponseContent(
        area=summary.area,
        report_title=summary.report_title,
        published=clock.published,
        response_due=clock.response_due,
        plan=public_plan(load_plan(inspection_id=inspection_id, today=today)),
        scoring=tuple(scoring_summary(inspection_id=inspection_id)),
        comparison=comparison if has_follow_up_results(comparison) else None,
        sent_on=submission.sent_on if submission else None,
        prepared_on=today,
        clock=clock,
        rated=rated,
        addressees=recommendation_addressees(inspection_id=inspection_id),
    )
