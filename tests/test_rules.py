"""The tracking rules of DOMAIN.md: statuses, RAG, progress, deadlines, response categories."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esi_desktop.rules import (
    MilestoneState,
    Rag,
    action_progress,
    action_rag,
    add_months,
    days_left,
    is_due_soon,
    is_overdue,
    last_meeting_before,
    recommendation_progress,
    recommendation_rag,
    response_problems,
    statutory_clock,
)

TODAY = date(2005, 6, 1)


def m(due: date, status: str = "Not started") -> MilestoneState:
    return MilestoneState(due, status)


def test_overdue_and_due_soon() -> None:
    assert is_overdue(m(date(2005, 5, 31)), TODAY)
    assert not is_overdue(m(date(2005, 5, 31), "Complete"), TODAY)
    assert not is_overdue(m(TODAY), TODAY)
    assert is_due_soon(m(TODAY), TODAY)
    assert is_due_soon(m(date(2005, 6, 15)), TODAY)  # 14 days ahead
    assert not is_due_soon(m(date(2005, 6, 16)), TODAY)
    assert not is_due_soon(m(date(2005, 6, 10), "Complete"), TODAY)


def test_progress_is_complete_over_all() -> None:
    assert action_progress([]) == 0
    assert action_progress([m(TODAY, "Complete"), m(TODAY), m(TODAY, "In progress")]) == Fraction(
        1, 3
    )
    assert recommendation_progress([Fraction(1), Fraction(0), Fraction(1, 2)]) == Fraction(1, 2)
    assert recommendation_progress([]) == 0


@pytest.mark.parametrize(
    ("milestones", "target", "at_risk", "expected"),
    [
        ([m(date(2005, 5, 1), "Complete")], date(2005, 9, 1), False, Rag.BLUE),
        ([m(date(2005, 5, 1))], date(2005, 9, 1), False, Rag.RED),  # overdue milestone
        ([m(date(2005, 9, 1))], date(2005, 5, 1), False, Rag.RED),  # <50% and past target
        ([m(date(2005, 4, 1), "Complete"), m(date(2005, 9, 1))], date(2005, 5, 1), False,
         Rag.GREEN),  # 50% and past target is not red by the rule
        ([m(date(2005, 6, 10))], date(2005, 9, 1), False, Rag.AMBER),  # due soon
        ([m(date(2005, 8, 10))], date(2005, 9, 1), True, Rag.AMBER),  # at risk
        ([m(date(2005, 8, 10))], date(2005, 9, 1), False, Rag.GREEN),
        ([], date(2005, 9, 1), False, Rag.GREEN),
        ([], date(2005, 5, 1), False, Rag.RED),
    ],
)  # fmt: skip
def test_action_rag(
    milestones: list[MilestoneState], target: date, at_risk: bool, expected: Rag
) -> None:
    assert action_rag(milestones, target, TODAY, at_risk=at_risk) is expected


def test_recommendation_rag_is_the_worst_of_its_actions() -> None:
    assert recommendation_rag([]) is None
    assert recommendation_rag([Rag.BLUE, Rag.BLUE]) is Rag.BLUE
    assert recommendation_rag([Rag.BLUE, Rag.GREEN]) is Rag.GREEN
    assert recommendation_rag([Rag.GREEN, Rag.AMBER, Rag.BLUE]) is Rag.AMBER
    assert recommendation_rag([Rag.AMBER, Rag.RED]) is Rag.RED


def test_statutory_clock_from_the_publication_month() -> None:
    clock = statutory_clock(2005, 1)
    assert clock.published == date(2005, 1, 1)
    assert clock.response_due == date(2005, 4, 1)
    assert clock.implementation_due == date(2006, 1, 1)
    assert statutory_clock(2005, 11, 30).response_due == date(2006, 2, 28)
    assert add_months(date(2004, 1, 31), 1) == date(2004, 2, 29)


def test_days_left_reads_naturally() -> None:
    assert days_left(date(2005, 6, 13), TODAY) == "12 days left"
    assert days_left(TODAY, TODAY) == "due today"
    assert days_left(date(2005, 5, 31), TODAY) == "1 day overdue"


def test_last_meeting_before_the_response_is_due() -> None:
    meetings = [date(2005, 2, 10), date(2005, 3, 24), date(2005, 5, 12)]
    assert last_meeting_before(meetings, date(2005, 4, 1)) == date(2005, 3, 24)
    assert last_meeting_before(meetings, date(2005, 1, 1)) is None


@pytest.mark.parametrize(
    ("category", "narrative", "part", "reason", "fields"),
    [
        ("Agreed", "The ACO will ...", "", "", []),
        ("Agreed", "", "", "", ["narrative"]),
        ("Partly agreed", "n", "", "", ["part_agreed", "reason"]),
        ("Partly agreed", "n", "the audit", "", ["reason"]),
        ("Partly agreed", "n", "the audit", "no budget", []),
        ("Not agreed", "", "", "", ["reason"]),
        ("Not agreed", "", "", "The NPD runs this", []),
        (None, "", "", "", []),
        ("Maybe", "", "", "", ["category"]),
    ],
)
def test_response_rules(
    category: str | None, narrative: str, part: str, reason: str, fields: list[str]
) -> None:
    assert [p.field for p in response_problems(category, narrative, part, reason)] == fields


dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2008, 12, 31))
statuses = st.sampled_from(["Not started", "In progress", "Complete"])


@given(st.lists(st.tuples(dates, statuses), max_size=8), dates, dates, st.booleans())
def test_rag_is_blue_exactly_when_everything_is_complete(
    rows: list[tuple[date, str]], target: date, today: date, at_risk: bool
) -> None:
    milestones = [m(due, status) for due, status in rows]
    rag = action_rag(milestones, target, today, at_risk=at_risk)
    complete = bool(milestones) and all(x.status == "Complete" for x in milestones)
    assert (rag is Rag.BLUE) == complete
    if any(is_overdue(x, today) for x in milestones):
        assert rag is Rag.RED


def test_not_agreed_needs_its_reason_and_never_how_and_when() -> None:
    from esi_desktop.rules import draft_problems

    assert draft_problems("Not agreed", "", "", "Led nationally.", "") == []
    problems = draft_problems("Not agreed", "", "", "", "")
    assert [p.field for p in problems] == ["reason"]
    assert all("how and when" not in (p.needs or "") for p in problems)
