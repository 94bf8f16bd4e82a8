"""A rated inspection's follow-up: ratings per standard, grade changes, the recomputed overall
rating, and the overall rating as published."""

from __future__ import annotations

from pathlib import Path

import peewee
import pytest

from esi_desktop import frameworks, inspections
from esi_desktop.audit import field_label, history
from esi_desktop.comparison import comparison_table
from esi_desktop.errors import ValidationError
from esi_desktop.follow_up import (
    ROUND_KINDS,
    add_round,
    follow_up_comparison,
    parse_result_text,
    result_versions,
    round_comparison,
    set_follow_up_result,
)
from esi_desktop.frameworks import FRAMEWORKS_DIR, get_framework, load_framework
from esi_desktop.rated_follow_up import (
    overall_rating_version,
    rated_comparison,
    rated_value,
    set_overall_rating,
)
from esi_desktop.rating import grade_change, grade_change_words
from esi_desktop.versioned import ConflictError
from esi_desktop.wording import FOLLOW_UP
from tests.rated_fixtures import FRAMEWORK, READING_RATINGS

COUNTED = [code for code in READING_RATINGS if code != "4.1"]
POINTS = {3: "Outstanding", 2: "Good", 1: "Requires improvement", 0: "Inadequate"}


def _reading_id() -> int:
    return inspections.list_inspections()[0].id


def _rate(reading: int, code: str, value: str | None, round: int = 1) -> None:
    """Enter one follow-up rating as a person would: expecting the version they saw."""
    seen = result_versions(inspection_id=reading, round=round).get((FRAMEWORK, code))
    set_follow_up_result(
        inspection_id=reading,
        framework_id=FRAMEWORK,
        code=code,
        value=value,
        expected_version=seen,
        round=round,
    )


def _ratings_for(total: int) -> dict[str, str]:
    """Twelve counted ratings adding up to ``total`` (best first), 4.1 not rated."""
    ratings: dict[str, str] = {}
    left = total
    for code in COUNTED:
        points = min(3, left)
        ratings[code] = POINTS[points]
        left -= points
    assert left == 0
    return {**ratings, "4.1": "not rated"}


def _set_all(reading: int, ratings: dict[str, str], round: int = 1) -> None:
    stored = {
        s.code: s.after for s in rated_comparison(inspection_id=reading, round=round)[0].standards
    }
    for code, value in ratings.items():
        if stored[code] != rated_value(get_framework(FRAMEWORK), code, value):
            _rate(reading, code, value, round)


def test_a_follow_up_rating_is_stored_in_full_with_its_history(
    any_rated_db: peewee.Database,
) -> None:
    reading = _reading_id()
    _rate(reading, "1.1", "g")
    _rate(reading, "1.2", "requires   IMPROVEMENT")
    _rate(reading, "4.1", "Not Rated")
    (youth,) = rated_comparison(inspection_id=reading)
    after = {s.code: s.after for s in youth.standards}
    assert (after["1.1"], after["1.2"], after["4.1"]) == (
        "Good",
        "Requires improvement",
        "Not rated",
    )
    assert youth.has_results and youth.after.result is None  # not all standards yet
    assert (
        youth.after.problem.startswith("Standards 1.3, 1.4, 2.1")
        and "have no rating" in youth.after.problem
    )
    fields = {
        (e.field, e.old_value, e.new_value) for e in history(item_kind=FOLLOW_UP, item_id=reading)
    }
    assert (f"result:{FRAMEWORK}:1.1", "", "Good") in fields

    # a stale edit is a conflict; nothing is written
    with pytest.raises(ConflictError):
        set_follow_up_result(
            inspection_id=reading,
            framework_id=FRAMEWORK,
            code="1.1",
            value="O",
            expected_version=None,
        )
    assert rated_comparison(inspection_id=reading)[0].standards[0].after == "Good"


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        ("1.1", "not rated", "must be rated: choose Outstanding (O), Good (G)"),
        ("1.1", "Adequate", "'Adequate' is not a rating for standard 1.1 (Governance and"),
        ("4.1", "X", "Requires improvement (RI), Inadequate (I) or Not rated."),
        ("1.1", "61%", "not a rating for standard 1.1"),
    ],
)  # fmt: skip
def test_a_rating_that_cannot_be_is_one_sentence_and_nothing_is_written(
    rated_db: peewee.Database, code: str, typed: str, message: str
) -> None:
    reading = _reading_id()
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _rate(reading, code, typed)
    with pytest.raises(ValidationError):
        parse_result_text(FRAMEWORK, code, typed)
    assert result_versions(inspection_id=reading) == {}


def test_the_grid_reads_a_rating_typed_as_its_short_form(rated_db: peewee.Database) -> None:
    assert parse_result_text(FRAMEWORK, "2.1", " ri ") == "Requires improvement"
    assert parse_result_text(FRAMEWORK, "4.1", "not rated") == "Not rated"
    assert parse_result_text(FRAMEWORK, "2.1", "") is None


@pytest.mark.parametrize(
    ("before", "after", "change", "words"),
    [
        ("Inadequate", "Requires improvement", 1, "up one grade"),
        ("Inadequate", "Good", 2, "up two grades"),
        ("Inadequate", "Outstanding", 3, "up three grades"),
        ("Requires improvement", "Requires improvement", 0, "no change"),
        ("Good", "Requires improvement", -1, "down one grade"),
        ("Outstanding", "Requires improvement", -2, "down two grades"),
        ("Outstanding", "Inadequate", -3, "down three grades"),
    ],
)
def test_every_grade_change_is_worded(
    rated_db: peewee.Database, before: str, after: str, change: int, words: str
) -> None:
    reading = _reading_id()
    # 1.2 was Inadequate at the inspection: round 1 sets "before", round 2 "after"
    _rate(reading, "1.2", before, round=1)
    add_round(inspection_id=reading, kind=ROUND_KINDS[0])  # round 2
    _rate(reading, "1.2", after, round=2)
    (youth,) = rated_comparison(inspection_id=reading, round=2, against=1)
    standard = youth.standards[1]
    assert (standard.code, standard.before, standard.after) == ("1.2", before, after)
    assert standard.change == change == grade_change(get_framework(FRAMEWORK), before, after)
    assert standard.change_words == words == grade_change_words(change)


def test_a_standard_not_rated_or_not_entered_has_no_grade_change(rated_db: peewee.Database) -> None:
    reading = _reading_id()
    _rate(reading, "4.1", "Good")
    (youth,) = rated_comparison(inspection_id=reading)
    resettlement = youth.standards[-1]
    assert (resettlement.before, resettlement.after) == ("Not rated", "Good")
    assert resettlement.change is None and resettlement.change_words == "—"
    assert not resettlement.counted
    assert youth.standards[0].after is None and youth.standards[0].change_words == "—"


@pytest.mark.parametrize(
    ("low", "high", "below", "above"),
    [
        (6, 7, "Inadequate", "Requires improvement"),
        (18, 19, "Requires improvement", "Good"),
        (30, 31, "Good", "Outstanding"),
    ],
)
def test_a_follow_up_across_a_band_boundary_recomputes_the_overall(
    rated_db: peewee.Database, low: int, high: int, below: str, above: str
) -> None:
    reading = _reading_id()
    _set_all(reading, _ratings_for(low))
    (youth,) = rated_comparison(inspection_id=reading)
    assert youth.after.result is not None
    assert (youth.after.result.score, youth.after.result.max) == (low, 36)
    assert youth.after.result.band == below
    assert youth.score_change == low - 5
    assert youth.overall_change == grade_change(get_framework(FRAMEWORK), "Inadequate", below)

    _set_all(reading, _ratings_for(high))  # one standard up one grade
    (youth,) = rated_comparison(inspection_id=reading)
    assert youth.after.result is not None
    assert (youth.after.result.score, youth.after.result.band) == (high, above)
    assert youth.before.result is not None
    assert (youth.before.result.score, youth.before.result.band) == (5, "Inadequate")
    assert youth.overall_change_words == grade_change_words(
        grade_change(get_framework(FRAMEWORK), "Inadequate", above)
    )
    document = inspections.scores_document(inspection_id=reading)  # the inspection's, unchanged
    assert document["frameworks"][FRAMEWORK]["score"] == 5


def test_the_comparison_grid_and_rounds_do_not_trip_on_ratings(
    any_rated_db: peewee.Database,
) -> None:
    reading = _reading_id()
    _set_all(reading, _ratings_for(12))
    add_round(inspection_id=reading, kind=ROUND_KINDS[0])  # round 2
    _rate(reading, "4.1", "not rated", round=2)
    _rate(reading, "1.1", "G", round=2)
    (deltas,) = follow_up_comparison(inspection_id=reading)
    assert deltas.criteria["1.2"].change == 3  # Inadequate → Outstanding
    assert deltas.criteria["2.1"].change == 0  # Inadequate both times
    assert deltas.criteria["4.1"].change is None  # not rated on both sides
    rows = comparison_table([deltas])
    assert [row.change_text for row in rows if row.code == "1.2"] == ["▲ 3 steps"]
    later = round_comparison(inspection_id=reading, round=2)
    assert later.against_previous[0].criteria["1.1"].change == -1  # Outstanding → Good
    assert later.against_previous[0].criteria["4.1"].change is None


def test_an_overall_rating_is_not_entered_where_the_bands_compute_it(
    rated_db: peewee.Database,
) -> None:
    with pytest.raises(ValidationError, match="computes its overall rating from the total"):
        set_overall_rating(
            inspection_id=_reading_id(),
            framework_id=FRAMEWORK,
            round=1,
            rating="Good",
            expected_version=None,
        )


@pytest.fixture
def published_overall(
    rated_db: peewee.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> int:
    """Reading, its framework read as one whose overall rating is entered as published."""
    text = (FRAMEWORKS_DIR / "hmip-youth-2021.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition("[[bands]]")
    tail = rest.partition("[[domains]]")[2]
    path = tmp_path / "variant.toml"
    path.write_text(
        f"{head}[[domains]]{tail}".replace('overall = "bands"', 'overall = "as published"'),
        encoding="utf-8",
    )
    variant = {**frameworks.shipped_frameworks(), FRAMEWORK: load_framework(path)}
    monkeypatch.setattr(frameworks, "shipped_frameworks", lambda: variant)
    monkeypatch.setattr(inspections, "shipped_frameworks", lambda: variant)
    return _reading_id()


def test_an_overall_rating_as_published_is_entered_per_round_with_its_history(
    published_overall: int,
) -> None:
    reading = published_overall
    (youth,) = rated_comparison(inspection_id=reading)
    assert youth.before.result is not None
    assert youth.before.result.band is None  # no bands and nothing entered yet
    assert "not computed" in youth.before.result.overall_text
    change = set_overall_rating(
        inspection_id=reading, framework_id=FRAMEWORK, round=0, rating="i", expected_version=None
    )
    assert change.previous == {"rating": None}
    _set_all(reading, _ratings_for(20))
    (youth,) = rated_comparison(inspection_id=reading)
    assert youth.after.result is not None and youth.after.result.band is None
    assert youth.overall_change_words == "—"

    seen = overall_rating_version(inspection_id=reading, framework_id=FRAMEWORK, round=1)
    assert seen is None
    set_overall_rating(
        inspection_id=reading, framework_id=FRAMEWORK, round=1, rating="Good", expected_version=seen
    )
    (youth,) = rated_comparison(inspection_id=reading)
    assert youth.before.published_overall == "Inadequate"
    assert youth.after.result is not None and youth.after.result.band == "Good"
    assert youth.overall_change_words == "up two grades"
    entries = history(item_kind=FOLLOW_UP, item_id=reading)
    assert any(
        e.field == f"overall:{FRAMEWORK}" and e.new_value == "Good" and e.old_value == ""
        for e in entries
    )
    assert field_label(FOLLOW_UP, f"overall:{FRAMEWORK}") == (
        "Overall rating as published (Youth justice standards 2021)"
    )

    with pytest.raises(ConflictError):  # someone else entered it meanwhile
        set_overall_rating(
            inspection_id=reading,
            framework_id=FRAMEWORK,
            round=1,
            rating="O",
            expected_version=None,
        )
    with pytest.raises(ValidationError, match="'Adequate' is not an overall rating"):
        set_overall_rating(
            inspection_id=reading,
            framework_id=FRAMEWORK,
            round=1,
            rating="Adequate",
            expected_version=overall_rating_version(
                inspection_id=reading, framework_id=FRAMEWORK, round=1
            ),
        )
    version = overall_rating_version(inspection_id=reading, framework_id=FRAMEWORK, round=1)
    set_overall_rating(
        inspection_id=reading,
        framework_id=FRAMEWORK,
        round=1,
        rating=None,
        expected_version=version,
    )
    assert overall_rating_version(inspection_id=reading, framework_id=FRAMEWORK, round=1) is None
    (youth,) = rated_comparison(inspection_id=reading)
    assert youth.after.published_overall is None


def test_an_overall_rating_is_not_entered_for_a_round_not_added(published_overall: int) -> None:
    from db.models import OverallRating

    for round in (2, -1):
        with pytest.raises(ValidationError, match=f"no follow-up round {round}; add the round"):
            set_overall_rating(
                inspection_id=published_overall,
                framework_id=FRAMEWORK,
                round=round,
                rating="Good",
                expected_version=None,
            )
    assert OverallRating.select().count() == 0
