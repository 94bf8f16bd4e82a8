"""What the documents show of a rated inspection: its ratings table, and who each
recommendation is addressed to.

Read once from the database on the caller's thread, like the rest of a document's content;
each renderer (PDF, Word, Excel) lays the same rows out in its own way, so the ratings, the
total and the overall rating read the same in every document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from db.models import Recommendation
from esi_desktop.errors import EsiError
from esi_desktop.export.text import InspectionNames, board_name
from esi_desktop.follow_up import list_rounds
from esi_desktop.inspections import InspectionClock
from esi_desktop.rated_frameworks import NOT_RATED
from esi_desktop.rated_results import RatedRound, rated_rounds
from esi_desktop.rating import grade_change, grade_change_words
from esi_desktop.wording import ESI_ADDRESSEE, long_date

#: What a document says of a response deadline not set yet (a rated framework fixes none).
NO_DEADLINE_YET = "not set yet — the Board sets an agreed date"


@dataclass(frozen=True)
class RatedRow:
    """One row of a ratings table: a domain's heading, a standard, or a total.

    Attributes:
        kind: "domain", "standard", "total" or "overall".
        code: the domain's or standard's code ("" for a total).
        title: the domain's or standard's title, or the total's label.
        rating: the inspection's rating ("Requires improvement", "Not rated"), or the total
            ("5 / 36") or overall rating.
        counts: "Counted", or why not ("Rated apart, not rated"); "" for a heading or total.
        follow_up: the follow-up's rating (or total), or "" when there is none.
        change: the change in words ("up one grade"), or "".
    """

    kind: str
    code: str
    title: str
    rating: str = ""
    counts: str = ""
    follow_up: str = ""
    change: str = ""


@dataclass(frozen=True)
class RatedTable:
    """One rated framework's ratings: the inspection's, and the latest follow-up's if any."""

    baseline: RatedRound
    follow_up: RatedRound | None = None

    @property
    def title(self) -> str:
        """The framework's title, as the table's heading."""
        return self.baseline.framework.title

    @property
    def follow_up_label(self) -> str:
        """ "Follow-up" for the first follow-up round, "Follow-up (round 2)" for a later one."""
        if self.follow_up is None:
            return ""
        return (
            "Follow-up"
            if self.follow_up.round == 1
            else f"Follow-up (round {self.follow_up.round})"
        )

    def rows(self) -> list[RatedRow]:
        """Every row in order: each domain, its standards, then the total and overall rating."""
        framework = self.baseline.framework
        result = self.baseline.result
        standards = {s.code: s for s in result.standards} if result else {}
        later = self.follow_up.ratings if self.follow_up else {}
        rows: list[RatedRow] = []
        for domain in framework.sections:
            rows.append(RatedRow("domain", domain.code, domain.title))
            for criterion in domain.criteria:
                standard = standards.get(criterion.code)
                rating = self.baseline.ratings.get(criterion.code, "")
                counts = "Counted"
                if standard is not None and not standard.counted:
                    counts = standard.why_not_counted.capitalize()
                after = later.get(criterion.code, "")
                rows.append(
                    RatedRow(
                        "standard",
                        criterion.code,
                        criterion.title,
                        rating or "Not entered",
                        counts,
                        after,
                        _change(self, rating, after),
                    )
                )
        rows.append(
            RatedRow(
                "total",
                "",
                "Total of the counted standards",
                result.score_text if result else "—",
                "",
                _total(self.follow_up),
                "",
            )
        )
        rows.append(
            RatedRow(
                "overall",
                "",
                framework.overall_title,
                result.overall_text if result else self.baseline.problem,
                "",
                _overall(self.follow_up),
                _overall_change(self),
            )
        )
        return rows


def _change(table: RatedTable, before: str, after: str) -> str:
    """The change of grade in words, or "" when either side has no grade to compare."""
    if table.follow_up is None or not before or not after:
        return ""
    if NOT_RATED in (before, after):
        return "not comparable" if before != after else ""
    try:
        return grade_change_words(grade_change(table.baseline.framework, before, after))
    except EsiError:  # a rating the scale no longer knows: show both, compare neither
        return ""


def _total(follow_up: RatedRound | None) -> str:
    if follow_up is None:
        return ""
    return follow_up.result.score_text if follow_up.result else "incomplete"


def _overall(follow_up: RatedRound | None) -> str:
    if follow_up is None:
        return ""
    return follow_up.result.overall_text if follow_up.result else "incomplete"


def _overall_change(table: RatedTable) -> str:
    before = table.baseline.result.band if table.baseline.result else None
    after = table.follow_up.result.band if table.follow_up and table.follow_up.result else None
    if before is None or after is None:
        return ""
    return _change(table, before, after)


def rated_tables(*, inspection_id: int) -> tuple[RatedTable, ...]:
    """The ratings table of each rated framework of the inspection (none for an ESI one).

    The follow-up column shows the latest follow-up round with any rating entered.

    Raises:
        NotFoundError: there is no such inspection.
    """
    baseline = rated_rounds(inspection_id=inspection_id)
    if not baseline:
        return ()
    later: dict[str, RatedRound] = {}
    for view in reversed(list_rounds(inspection_id=inspection_id)):
        for rated in rated_rounds(inspection_id=inspection_id, round=view.round):
            if rated.ratings and rated.framework.id not in later:
                later[rated.framework.id] = rated
    return tuple(RatedTable(b, later.get(b.framework.id)) for b in baseline)


def recommendation_addressees(*, inspection_id: int) -> dict[int, str]:
    """Who each recommendation of the inspection is addressed to, by its id.

    An ESI report's recommendations are all addressed to the Probation Board; a row stored
    without an addressee reads so too.
    """
    query = Recommendation.select(Recommendation.id, Recommendation.addressee).where(
        Recommendation.inspection == inspection_id
    )
    return {row.id: (row.addressee or "").strip() or ESI_ADDRESSEE for row in query}


def addressed_to(addressee: str) -> str:
    """ "Addressed to: Management Board"."""
    return f"Addressed to: {addressee}"


def addressee_counts(addressees: Sequence[str]) -> str:
    """ "5 to the YJS Service Manager and 3 to the Management Board", in order of first use."""
    counts: dict[str, int] = {}
    for addressee in addressees:
        counts[addressee] = counts.get(addressee, 0) + 1
    parts = [f"{n} to the {who}" for who, n in counts.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def response_due_words(clock: InspectionClock) -> str:
    """The deadline in force and its basis, or that none is set yet.

    "3 March 2025 (3 months after publication)", or :data:`NO_DEADLINE_YET` when the
    framework fixes no deadline and the Board has not agreed one.
    """
    due = clock.response_due
    if due is None:
        return NO_DEADLINE_YET
    basis = clock.response_basis.strip()
    return f"{long_date(due)} ({basis})" if basis else long_date(due)


@dataclass(frozen=True, kw_only=True)
class RatedDocument(InspectionNames):
    """How a document names its inspection, rated or not: the base of each document's content
    (keyword-only: its fields come after the document's own).

    Attributes:
        rated: the ratings table of each rated framework; empty for an ESI inspection.
        addressees: who each recommendation is addressed to, by its id.
    """

    rated: tuple[RatedTable, ...] = ()
    addressees: dict[int, str] = field(default_factory=dict)

    @property
    def is_rated(self) -> bool:
        """True for a rated inspection (today's format): ratings, not percentages."""
        return bool(self.rated)

    @property
    def board(self) -> str:
        """ "Gloucestershire Probation Board", or for a rated inspection "Reading Youth
        Justice Service Management Board"."""
        return board_name(self.area, rated=self.is_rated)

    def addressee(self, recommendation_id: int) -> str:
        """Who the recommendation is addressed to ("Management Board")."""
        return self.addressees.get(recommendation_id, ESI_ADDRESSEE)

    @property
    def _place_name(self) -> str:
        """What the inspected place is called where a problem with its name is told."""
        return "The inspected body’s name" if self.is_rated else "The probation area’s name"
