"""esi_desktop.wording: the one home for how dates, counts, shortened text and kinds read."""

from __future__ import annotations

from datetime import date

import pytest

from esi_desktop import wording


@pytest.mark.parametrize(
    ("count", "word", "plural_form", "expected"),
    [
        (0, "action", None, "0 actions"),
        (1, "action", None, "1 action"),
        (2, "milestone", None, "2 milestones"),
        (1, "person", "people", "1 person"),
        (3, "person", "people", "3 people"),
        (-1, "day", None, "-1 days"),  # a count is said as given; callers pass how many
    ],
)
def test_plural(count: int, word: str, plural_form: str | None, expected: str) -> None:
    assert wording.plural(count, word, plural_form) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Audit ten risk of harm assessments", 60, "Audit ten risk of harm assessments"),
        # a word that ends exactly at the limit is kept
        ("Audit ten risk of harm assessments", 22, "Audit ten risk of harm…"),
        ("Audit ten risk of harm assessments", 21, "Audit ten risk of…"),
        # no dangling punctuation before the ellipsis
        ("Train staff, managers and partners", 13, "Train staff…"),
        # one word longer than the limit is cut inside it
        ("Supercalifragilistic", 8, "Supercal…"),
        # whitespace and line breaks become single spaces
        ("Review\n  the   caseload", 40, "Review the caseload"),
    ],
)
def test_shorten(text: str, limit: int, expected: str) -> None:
    shortened = wording.shorten(text, limit)
    assert shortened == expected
    assert len(shortened.removesuffix(wording.ELLIPSIS)) <= limit


def test_dates_read_the_same_everywhere() -> None:
    day = date(2005, 3, 15)
    assert wording.long_date(day) == "15 March 2005"
    assert wording.date_in_words(day) == "Tuesday 15 March 2005"
    assert wording.month_year(day) == "March 2005"
    assert wording.month_name(9) == "September"


def test_kind_names() -> None:
    assert wording.kind_name(wording.ACTION) == "Action"
    assert wording.kind_name(wording.SUBMISSION) == "Plan as sent"
    assert wording.kind_name("board_paper") == "Board paper"  # a kind not yet named
