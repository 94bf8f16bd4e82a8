"""Rated frameworks as data and the rating calculator (issue 17 §1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from esi_desktop.errors import FrameworkError, ValidationError
from esi_desktop.frameworks import (
    FrameworkKind,
    ResultKind,
    builtin_frameworks,
    frameworks_of_kind,
    get_framework,
    get_rated_framework,
    load_framework,
    load_frameworks,
)
from esi_desktop.rated_frameworks import OverallRule
from esi_desktop.rating import (
    grade_change,
    grade_change_words,
    rate,
    ratings_from_arguments,
)
from esi_desktop.resources import FRAMEWORKS_DIR

YOUTH = get_framework("hmip-youth-2021")
COUNTED = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4"]
CHOICES = "Outstanding (O), Good (G), Requires improvement (RI) or Inadequate (I)"

#: Reading Youth Justice Service, published 3 December 2024 (shared/DOMAIN.md).
READING = {code: "Inadequate" for code in COUNTED[:7]} | {
    code: "Requires improvement" for code in COUNTED[7:]
}

#: HMICFRS-like: five grades, the overall rating not computed from the grades.
FIVE_GRADES = """
id = "hmicfrs-peel-test"
kind = "rated"
title = "HMICFRS PEEL (test)"
short_title = "PEEL"
overall = "as published"
response_due_months = 2

[[ratings]]
name = "Outstanding"
short = "O"
points = 4

[[ratings]]
name = "Good"
short = "G"
points = 3

[[ratings]]
name = "Adequate"
short = "A"
points = 2

[[ratings]]
name = "Requires improvement"
short = "RI"
points = 1

[[ratings]]
name = "Inadequate"
short = "I"
points = 0

[[domains]]
code = "P"
title = "Police effectiveness"

[[standards]]
code = "P1"
domain = "P"
title = "Preventing crime"

[[standards]]
code = "P2"
domain = "P"
title = "Responding to the public"

[[standards]]
code = "P3"
domain = "P"
title = "Protecting vulnerable people"
"""


def totalling(total: int) -> dict[str, str]:
    """Ratings of the twelve counted standards whose points add up to ``total``."""
    names = {3: "Outstanding", 2: "Good", 1: "Requires improvement", 0: "Inadequate"}
    ratings = {}
    for code in COUNTED:
        points = min(3, total)
        total -= points
        ratings[code] = names[points]
    assert total == 0
    return ratings


# ----- the shipped framework -----------------------------------------------------------------


def test_the_youth_justice_framework_is_as_domain_gives_it() -> None:
    assert YOUTH.kind is FrameworkKind.RATED and YOUTH.is_rated
    assert [(d.code, d.title) for d in YOUTH.sections] == [
        ("1", "Organisational delivery"),
        ("2", "Court disposals"),
        ("3", "Out-of-court disposals"),
        ("4", "Resettlement"),
    ]
    assert {c.code: c.title for c in YOUTH.criteria} == {
        "1.1": "Governance and leadership", "1.2": "Staff", "1.3": "Partnerships and services",
        "1.4": "Information and facilities", "2.1": "Assessment", "2.2": "Planning",
        "2.3": "Implementation and delivery", "2.4": "Reviewing", "3.1": "Assessment",
        "3.2": "Planning", "3.3": "Implementation and delivery",
        "3.4": "Out-of-court disposal policy and provision",
        "4.1": "Resettlement policy and provision",
    }  # fmt: skip
    assert all(c.kind is ResultKind.RATING and not c.is_scored for c in YOUTH.criteria)
    assert not YOUTH.has_overall and YOUTH.scored_sections == ()
    rules = YOUTH.rated
    assert rules is not None
    assert [(r.name, r.short, r.points) for r in rules.ratings] == [
        ("Outstanding", "O", 3),
        ("Good", "G", 2),
        ("Requires improvement", "RI", 1),
        ("Inadequate", "I", 0),
    ]
    assert YOUTH.rating_scale == ("Outstanding", "Good", "Requires improvement", "Inadequate")
    assert list(rules.counted) == COUNTED
    assert rules.apart == ("4.1",) and rules.may_be_not_rated == {"4.1"}
    assert rules.overall is OverallRule.BANDS
    assert [(b.low, b.high, b.rating) for b in rules.bands] == [
        (0, 6, "Inadequate"),
        (7, 18, "Requires improvement"),
        (19, 30, "Good"),
        (31, 36, "Outstanding"),
    ]
    assert rules.max_score == 36
    assert rules.response_due_months is None  # the Board sets an agreed date


def test_callers_of_scored_frameworks_never_see_a_rated_one() -> None:
    # the report reader and the scoring summary iterate builtin_frameworks()
    assert list(builtin_frameworks()) == ["esi-accommodation", "esi-core"]
    assert list(frameworks_of_kind(FrameworkKind.SCORED)) == ["esi-accommodation", "esi-core"]
    assert list(frameworks_of_kind(FrameworkKind.RATED)) == ["hmip-youth-2021"]
    assert get_framework("esi-core").kind is FrameworkKind.SCORED
    assert get_framework("esi-core").rated is None
    assert get_rated_framework(" hmip-youth-2021 ") is YOUTH


def test_asking_for_a_rated_framework_that_is_not_one_lists_those_there_are() -> None:
    with pytest.raises(FrameworkError) as caught:
        get_rated_framework("esi-core")
    assert str(caught.value) == (
        "'esi-core' is a scored framework, not a rated one; the rated frameworks are "
        "hmip-youth-2021."
    )
    with pytest.raises(FrameworkError, match="'hmip-2099' is not a framework this version"):
        get_rated_framework("hmip-2099")


# ----- the calculator ------------------------------------------------------------------------


def test_the_published_reading_case_reproduces() -> None:
    result = rate(YOUTH, READING | {"4.1": "not rated"})
    assert (result.score, result.max, result.band) == (5, 36, "Inadequate")
    assert result.score_text == "5 / 36"
    assert [s.code for s in result.counted] == COUNTED
    assert [(s.code, s.rating_text, s.why_not_counted) for s in result.not_counted] == [
        ("4.1", "Not rated", "rated apart, not rated")
    ]
    assert result.not_rated == ("4.1",)
    assert result.ratings == READING | {"4.1": "Not rated"}
    assert [s.points for s in result.counted] == [0] * 7 + [1] * 5


def test_a_standard_that_may_be_not_rated_is_not_rated_when_left_out() -> None:
    assert rate(YOUTH, READING).not_rated == ("4.1",)


def test_the_standard_rated_apart_never_counts() -> None:
    result = rate(YOUTH, READING | {"4.1": "Outstanding"})
    assert (result.score, result.band) == (5, "Inadequate")
    assert [(s.code, s.rating_text, s.points, s.why_not_counted) for s in result.not_counted] == [
        ("4.1", "Outstanding", 3, "rated apart")
    ]
    assert result.not_rated == ()


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "Inadequate"),
        (6, "Inadequate"),
        (7, "Requires improvement"),
        (18, "Requires improvement"),
        (19, "Good"),
        (30, "Good"),
        (31, "Outstanding"),
        (36, "Outstanding"),
    ],
)
def test_every_band_boundary(total: int, band: str) -> None:
    result = rate(YOUTH, totalling(total))
    assert (result.score, result.max, result.band) == (total, 36, band)


@pytest.mark.parametrize(
    ("typed", "rating"),
    [
        ("O", "Outstanding"),
        ("outstanding", "Outstanding"),
        ("g", "Good"),
        ("GOOD", "Good"),
        ("RI", "Requires improvement"),
        ("ri", "Requires improvement"),
        ("  requires   IMPROVEMENT ", "Requires improvement"),
        ("i", "Inadequate"),
        ("Inadequate", "Inadequate"),
    ],
)
def test_ratings_by_name_or_short_form_any_case_and_spacing(typed: str, rating: str) -> None:
    result = rate(YOUTH, READING | {"1.1": typed, " 4.1 ": "NOT  rated"})
    assert result.ratings["1.1"] == rating
    assert result.ratings["4.1"] == "Not rated"


def _refusal(ratings: dict[str, str]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        rate(YOUTH, ratings)
    return caught.value


def test_an_unknown_standard_is_one_sentence_listing_the_standards() -> None:
    error = _refusal(READING | {"5.1": "Good"})
    assert str(error) == (
        "The Youth justice standards 2021 framework has no standard '5.1'; its standards are "
        "1.1, 1.2, 1.3, 1.4, 2.1, 2.2, 2.3, 2.4, 3.1, 3.2, 3.3, 3.4, 4.1."
    )


def test_an_unknown_rating_names_the_standard_and_the_choices() -> None:
    error = _refusal(READING | {"2.3": "Brilliant"})
    assert str(error) == (
        f"'Brilliant' is not a rating for standard 2.3 (Implementation and delivery): choose "
        f"{CHOICES}."
    )
    assert error.field == "2.3"
    # where "not rated" is allowed, it is offered
    assert str(_refusal(READING | {"4.1": "n/a"})).endswith(
        "choose Outstanding (O), Good (G), Requires improvement (RI), Inadequate (I) or Not rated."
    )


def test_not_rated_is_refused_for_a_standard_that_must_be_rated() -> None:
    error = _refusal(READING | {"1.1": "Not rated"})
    assert str(error) == (
        "Standard 1.1 (Governance and leadership) must be rated (only 4.1 may be not rated): "
        f"choose {CHOICES}."
    )


def test_a_missing_counted_standard_is_named() -> None:
    one = {k: v for k, v in READING.items() if k != "3.4"}
    assert str(_refusal(one)) == (
        "Standard 3.4 (Out-of-court disposal policy and provision) has no rating: give it one "
        f"of {CHOICES}."
    )
    several = {k: v for k, v in READING.items() if k not in ("1.2", "2.3")} | {"3.1": " "}
    assert str(_refusal(several)) == (
        f"Standards 1.2, 2.3 and 3.1 have no rating: give each one of {CHOICES}."
    )


def test_a_scored_framework_has_nothing_to_rate() -> None:
    with pytest.raises(FrameworkError, match="scores criteria in percentages"):
        rate(get_framework("esi-core"), {"A1": "Good"})


def test_an_overall_rating_given_must_agree_with_the_bands() -> None:
    assert rate(YOUTH, READING, overall="i").band == "Inadequate"
    with pytest.raises(ValidationError) as caught:
        rate(YOUTH, READING, overall="Good")
    assert str(caught.value) == (
        "The overall rating given, Good, is not the one the Youth justice standards 2021 bands "
        "give a total of 5 / 36 (Inadequate); correct the ratings or leave the overall rating "
        "out."
    )
    with pytest.raises(ValidationError, match="'Superb' is not an overall rating"):
        rate(YOUTH, READING, overall="Superb")


# ----- ratings as typed on a command line ----------------------------------------------------


def test_ratings_from_arguments_join_words_typed_without_quotes() -> None:
    typed = ["1.1=requires", "improvement", "1.2=G", "4.1=not", "rated", " 2.1 = RI"]
    assert ratings_from_arguments(typed) == {
        "1.1": "requires improvement",
        "1.2": "G",
        "4.1": "not rated",
        "2.1": "RI",
    }


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (["1.1=G", "1.1=RI"], "Standard 1.1 is rated twice (G and RI); give each standard one"),
        (["Good"], "'Good' is not CODE=RATING"),
        (["=Good"], "'=Good' has no standard code before '='"),
    ],
)
def test_ratings_from_arguments_refusals(typed: list[str], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ratings_from_arguments(typed)


# ----- changes of grade (for the follow-up) --------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "change", "words"),
    [
        ("Requires improvement", "Good", 1, "up one grade"),
        ("RI", "o", 2, "up two grades"),
        ("Good", "Good", 0, "no change"),
        ("Outstanding", "Requires improvement", -2, "down two grades"),
        ("G", "RI", -1, "down one grade"),
        ("o", "I", -3, "down three grades"),
    ],
)
def test_grade_change(before: str, after: str, change: int, words: str) -> None:
    assert grade_change(YOUTH, before, after) == change
    assert grade_change_words(change) == words


def test_grade_change_wording_beyond_nine() -> None:
    assert grade_change_words(12) == "up 12 grades"


def test_grade_change_refuses_what_has_no_grade() -> None:
    with pytest.raises(ValidationError, match="'Not rated' has no grade to compare"):
        grade_change(YOUTH, "Not rated", "Good")
    with pytest.raises(ValidationError, match="'Superb' has no grade to compare"):
        grade_change(YOUTH, "Good", "Superb")


# ----- a second rated framework is a file ----------------------------------------------------


def test_a_second_rated_framework_with_another_scale_needs_no_code(tmp_path: Path) -> None:
    (tmp_path / "peel.toml").write_text(FIVE_GRADES, encoding="utf-8")
    (tmp_path / "youth.toml").write_text(
        (FRAMEWORKS_DIR / "hmip-youth-2021.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    frameworks = load_frameworks(tmp_path)
    assert list(frameworks) == ["hmicfrs-peel-test", "hmip-youth-2021"]
    peel = frameworks["hmicfrs-peel-test"]
    assert peel.rated is not None and peel.rated.response_due_months == 2
    result = rate(peel, {"P1": "Adequate", "P2": "a", "P3": "Outstanding"})
    assert (result.score, result.max) == (8, 12)
    assert result.band is None and result.overall_rule is OverallRule.AS_PUBLISHED
    assert result.overall_text == (
        "not computed: the PEEL framework publishes no rule for it; enter the overall rating "
        "as the report gives it"
    )
    assert rate(peel, {"P1": "A", "P2": "A", "P3": "O"}, overall="adequate").band == "Adequate"
    assert grade_change(peel, "Adequate", "Good") == 1
    with pytest.raises(ValidationError) as caught:
        rate(peel, {"P1": "Not rated", "P2": "A", "P3": "O"})
    assert str(caught.value) == (
        "Standard P1 (Preventing crime) must be rated (no standard may be not rated): choose "
        "Outstanding (O), Good (G), Adequate (A), Requires improvement (RI) or Inadequate (I)."
    )


# ----- a rated file that breaks a rule -------------------------------------------------------


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (FRAMEWORKS_DIR / "hmip-youth-2021.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("from = 7\n", "from = 8\n",
         "the bands leave a gap between 6 and 8: no band gives a total of 7"),
        ("from = 19\n", "from = 18\n", "the bands 7–18 and 18–30 overlap"),
        ("from = 0\n", "from = 1\n", "the bands start at 1, not 0"),
        ("to = 36\n", "to = 35\n",
         "the bands end at 35, not at the maximum total 36 (each counted standard at the best "
         "rating)"),
        ("from = 31\n", "from = 37\n", "band 4 runs from 37 down to 36; give from ≤ to"),
        ('rating = "Good"\n', 'rating = "Fine"\n',
         "band 19–30 gives 'Fine', which is not a rating of the scale"),
        ('short = "RI"\npoints = 1\n', 'short = "RI"\n',
         "rating Requires improvement has no points"),
        ('short = "RI"', 'short = "G"',
         "the short form 'G' of rating Requires improvement is already used by Good"),
        ('short = "I"', 'short = "o"',
         "the short form 'o' of rating Inadequate is already used by Outstanding"),
        ('apart = ["4.1"]', 'apart = ["4.2"]', "apart names an unknown standard '4.2'"),
        ('may_be_not_rated = ["4.1"]', 'may_be_not_rated = ["1.1", "4.1"]',
         "standard 1.1 may be not rated but counts towards the overall rating"),
        ("points = 2\n", "points = 3\n", "rating Good has 3 points, not fewer than Outstanding"),
        ('name = "Good"', 'name = "Not rated"', "'Not rated' is not a rating"),
        ('overall = "bands"', 'overall = "average"', "overall must be 'bands' or 'as published'"),
        ('overall = "bands"', 'overall = "as published"',
         "it has bands but its overall rating is 'as published'"),
        ('kind = "rated"', 'kind = "graded"', "kind must be 'scored' or 'rated'"),
        ('domain = "4"', 'domain = "5"', "standard 4.1 names an unknown domain '5'"),
        ('code = "2.2"', 'code = "2.1"', "standard 2.1 appears twice"),
        ('code = "1.1"', 'code = "AP1"', "standard AP1 reads as an action plan reference"),
        ('points = 0\n', 'points = 0\napart = ["4.1"]\n',
         "rating Inadequate has an unknown key 'apart'"),
        ("[[standards]]", "[[criteria]]",
         "a rated framework lists [[domains]] and [[standards]], not [[criteria]]"),
        # a key added at the end of the file belongs to the last [[standards]]: never ignored
        ('title = "Resettlement policy and provision"',
         'title = "Resettlement policy and provision"\nresponse_due_months = 2',
         "standard 4.1 has an unknown key 'response_due_months'"),
        ('title = "Resettlement"', 'title = "Resettlement"\napart = ["4.1"]',
         "domain 4 has an unknown key 'apart'"),
    ],
    ids=["band-gap", "band-overlap", "bands-from-1", "bands-short-of-max", "band-reversed",
         "band-unknown-rating", "rating-without-points", "short-form-twice",
         "short-form-any-case", "apart-unknown", "not-rated-counted", "points-not-falling",
         "rating-named-not-rated", "unknown-overall", "bands-and-as-published", "unknown-kind",
         "unknown-domain", "standard-twice", "reference-like-code", "key-after-table",
         "scored-tables", "key-after-last-standard", "key-after-domain"],
)  # fmt: skip
def test_a_broken_rated_file_is_one_sentence(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = _variant(tmp_path, old, new)
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith("The framework file variant.toml is not valid: ")


def test_bands_are_needed_unless_the_overall_rating_is_published(tmp_path: Path) -> None:
    text = (FRAMEWORKS_DIR / "hmip-youth-2021.toml").read_text(encoding="utf-8")
    path = tmp_path / "variant.toml"
    head, _, rest = text.partition("[[bands]]")
    tail = rest.partition("[[domains]]")[2]
    path.write_text(f"{head}[[domains]]{tail}", encoding="utf-8")
    with pytest.raises(FrameworkError, match="its overall rating is by 'bands' but it has no"):
        load_framework(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace('overall = "bands"', 'overall = "as published"'),
        encoding="utf-8",
    )
    published = load_framework(path)
    assert published.rated is not None and published.rated.bands == ()
    assert rate(published, READING).band is None
