"""The scoring engine reproduces every published figure and behaves like a weighted mean."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esi_desktop.frameworks import Framework, get_framework
from esi_desktop.scoring import (
    check_result,
    compare,
    compare_ratings,
    round_half_up,
    score,
    section_score,
)

CORE_RESULTS: dict[str, int | str] = {
    "A1": "Partly met", "A2": "Partly met", "A3": "Partly met", "A4": "Satisfactorily met",
    "A5": "Partly met",
    "B1": 46, "B2": 79, "B3": 53, "B4": 69,
    "C1": 82, "C2": 66, "C3": 82, "C4": 56, "C5": 66,
    "D1": 69, "D2": 63, "D3": "Partly met", "D4": 75,
}  # fmt: skip
ACCOMMODATION_RESULTS: dict[str, int | str] = {
    **{code: "Partly met" for code in ("A1", "A2", "A3", "A4", "A5", "D2")},
    "B1": 28, "B2": 55, "B3": 67, "B4": 33, "B5": 33,
    "C1": 63, "C2": 82, "C3": 41, "D1": 76,
}  # fmt: skip

CORE = get_framework("esi-core")
ACCOMMODATION = get_framework("esi-accommodation")


def test_core_section_b_is_61() -> None:
    assert score(CORE, CORE_RESULTS).sections["B"].percent == 61


def test_core_section_c_is_72() -> None:
    assert score(CORE, CORE_RESULTS).sections["C"].percent == 72


def test_core_section_d_is_70() -> None:
    assert score(CORE, CORE_RESULTS).sections["D"].percent == 70


def test_core_overall_is_68() -> None:
    assert score(CORE, CORE_RESULTS).overall == 68


def test_accommodation_quality_ratings_are_44_62_76_with_no_overall() -> None:
    scores = score(ACCOMMODATION, ACCOMMODATION_RESULTS)
    assert scores.section_percents() == {"B": 44, "C": 62, "D": 76}
    assert scores.overall is None and scores.overall_exact is None


def test_exact_values_are_kept_unrounded() -> None:
    scores = score(CORE, CORE_RESULTS)
    assert scores.sections["B"].exact == Fraction(425, 7)  # 60.714...
    assert scores.sections["D"].exact == Fraction(351, 5)  # 70.2
    # the overall is computed from the unrounded section scores
    expected = (30 * Fraction(425, 7) + 40 * 72 + 30 * Fraction(351, 5)) / 100
    assert scores.overall_exact == expected
    assert float(expected) == pytest.approx(68.074, abs=1e-3)


def test_rounding_is_half_up_not_bankers() -> None:
    assert round_half_up(Fraction(121, 2)) == 61  # 60.5; round() would give 60
    assert round_half_up(Fraction(125, 2)) == 63
    assert round_half_up(Fraction(6049, 100)) == 60
    assert round_half_up(Fraction(-1, 2)) == 0
    assert round_half_up(Fraction(-3, 2)) == -1


def test_missing_criterion_is_missing_not_zero() -> None:
    partial = {k: v for k, v in CORE_RESULTS.items() if k != "C4"}
    scores = score(CORE, partial)
    assert scores.sections["C"].exact is None
    assert scores.sections["C"].missing == ("C4",)
    assert scores.sections["B"].percent == 61
    assert scores.overall is None
    assert scores.overall_missing == ("C4",)


def test_ratings_are_not_scored() -> None:
    changed = dict(CORE_RESULTS, D3="Very well met", A1="Poor")
    assert score(CORE, changed) == score(CORE, CORE_RESULTS)


def test_rating_comparison_is_ordered() -> None:
    assert compare_ratings(CORE, "Partly met", "Satisfactorily met") == 1
    assert compare_ratings(CORE, "Well met", "Poor") == -4
    assert compare_ratings(CORE, "Not met", "not met") == 0


def test_deltas_per_criterion_section_and_overall() -> None:
    follow_up = dict(CORE_RESULTS, B1=70, A1="Satisfactorily met", D3="Not met")
    del follow_up["C4"]
    deltas = compare(CORE, CORE_RESULTS, follow_up)
    assert deltas.criteria["B1"].change == 24
    assert deltas.criteria["A1"].change == 1
    assert deltas.criteria["D3"].change == -1
    assert deltas.criteria["B2"].change == 0
    assert deltas.criteria["C4"].change is None
    assert deltas.criteria["C4"].missing == ("follow-up",)
    # B = (2*70 + 2*79 + 2*53 + 69)/7 = 67.57 -> 68; 68 - 61 = +7
    assert deltas.sections["B"].points == 7
    assert deltas.sections["B"].exact == Fraction(473, 7) - Fraction(425, 7)
    assert deltas.sections["C"].exact is None  # C4 missing at follow-up
    assert deltas.overall is not None and deltas.overall.points is None


def test_deltas_without_overall_framework() -> None:
    deltas = compare(ACCOMMODATION, ACCOMMODATION_RESULTS, ACCOMMODATION_RESULTS)
    assert deltas.overall is None
    assert {k: d.points for k, d in deltas.sections.items()} == {"B": 0, "C": 0, "D": 0}


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [("B1", 0, 0), ("B1", 100, 100), ("A1", "PARTLY MET", "Partly met")],
)
def test_check_result_accepts(code: str, value: object, expected: object) -> None:
    assert check_result(CORE, code, value) == expected


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("B1", 101, "from 0 to 100"),
        ("B1", -1, "from 0 to 100"),
        ("B1", "46%", "from 0 to 100"),
        ("B1", True, "from 0 to 100"),
        ("A1", 50, "takes a rating"),
        ("A1", "Excellent", "takes a rating"),
    ],
)
def test_check_result_refuses(code: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_result(CORE, code, value)


# ----- properties -----------------------------------------------------------------------

percent = st.integers(min_value=0, max_value=100)


def results_for(framework: Framework) -> st.SearchStrategy[dict[str, int | str]]:
    return st.fixed_dictionaries(
        {
            c.code: percent if c.is_scored else st.sampled_from(framework.rating_scale)
            for c in framework.criteria
        }
    )


framework_choice = st.sampled_from([CORE, ACCOMMODATION])


@given(st.data())
def test_section_score_lies_between_its_lowest_and_highest_criterion(data: st.DataObject) -> None:
    framework = data.draw(framework_choice)
    results = data.draw(results_for(framework))
    for section in framework.scored_sections:
        values = [results[c.code] for c in section.scored_criteria]
        exact = section_score(framework, section.code, results).exact
        assert exact is not None
        assert min(values) <= exact <= max(values)  # type: ignore[type-var]


@given(st.data())
def test_raising_one_criterion_never_lowers_its_section(data: st.DataObject) -> None:
    framework = data.draw(framework_choice)
    results = data.draw(results_for(framework))
    criterion = data.draw(st.sampled_from([c for c in framework.criteria if c.is_scored]))
    current = results[criterion.code]
    assert isinstance(current, int)
    raised = dict(results, **{criterion.code: data.draw(st.integers(current, 100))})
    before = section_score(framework, criterion.section, results).exact
    after = section_score(framework, criterion.section, raised).exact
    assert before is not None and after is not None
    assert after >= before
    if framework.has_overall:
        before_overall = score(framework, results).overall_exact
        after_overall = score(framework, raised).overall_exact
        assert before_overall is not None and after_overall is not None
        assert after_overall >= before_overall


def _double_weights(framework: Framework) -> Framework:
    sections = tuple(
        replace(
            s,
            weight=None if s.weight is None else 2 * s.weight,
            criteria=tuple(replace(c, weight=2 * c.weight) for c in s.criteria),
        )
        for s in framework.sections
    )
    by_code = {c.code: c for s in sections for c in s.criteria}
    return replace(framework, sections=sections, _by_code=by_code)


@given(st.data())
def test_doubling_every_weight_changes_nothing(data: st.DataObject) -> None:
    framework = data.draw(framework_choice)
    results = data.draw(results_for(framework))
    doubled = _double_weights(framework)
    assert doubled.criterion("B1").weight == 2 * framework.criterion("B1").weight
    original = score(framework, results)
    assert score(doubled, results).sections == original.sections
    assert score(doubled, results).overall_exact == original.overall_exact


def test_progress_and_changes_read_the_same_everywhere() -> None:
    from esi_desktop.scoring import percent_text, points_text

    assert percent_text(Fraction(1, 2)) == "50%"
    assert percent_text(Fraction(1, 8)) == "13%"  # 12.5 rounds half up; round() gives 12
    assert percent_text(Fraction(0)) == "0%"
    assert [points_text(p) for p in (7, -3, 1, 0, None)] == [
        "+7 pts",
        "−3 pts",
        "+1 pt",
        "0 pts",
        "—",
    ]


def test_the_comparison_is_laid_out_once() -> None:
    """Framework, then per section its heading, criteria and score, then the overall."""
    from esi_desktop.comparison import RowKind, comparison_rows, score_rows

    after = {**CORE_RESULTS, "A1": "Well met", "B1": 62, "B2": 80, "B3": 56, "B4": 80}
    rows = comparison_rows(compare(CORE, CORE_RESULTS, after))
    kinds = [row.kind for row in rows]
    assert kinds[:3] == [RowKind.FRAMEWORK, RowKind.SECTION, RowKind.CRITERION]
    assert kinds[-1] is RowKind.OVERALL
    assert [r.code for r in rows if r.kind is RowKind.SCORE] == ["B", "C", "D"]
    a1 = next(r for r in rows if r.code == "A1" and r.kind is RowKind.CRITERION)
    assert (a1.baseline_text, a1.follow_up_text, a1.change_text) == (
        "Partly met",
        "Well met",
        "▲ 2 steps",
    )
    b = next(r for r in rows if r.code == "B" and r.kind is RowKind.SCORE)
    assert (b.label, b.summary_label) == ("Score for section B", "B Quality of assessment")
    assert (b.baseline, b.follow_up, b.change_text) == (61, 68, "+7 pts")
    assert b.exact_change is not None and b.missing == ()
    summary = score_rows(compare(CORE, CORE_RESULTS, {"B1": 62}))
    assert [(r.summary_label, r.baseline_text, r.follow_up_text) for r in summary][-1] == (
        "Overall score for sections B–D",
        "68%",
        "—",
    )
    assert summary[0].missing == ("B2", "B3", "B4")


def test_the_documents_word_a_change_in_full() -> None:
    """The PDFs' wording of the same rows: points and steps in words, a single one singular."""
    from esi_desktop.comparison import RowKind, comparison_rows

    after = {**CORE_RESULTS, "A1": "Not met", "A2": "Well met", "B1": 62, "B2": 78, "B3": 53}
    del after["B4"]
    rows = {(r.kind, r.code): r for r in comparison_rows(compare(CORE, CORE_RESULTS, after))}
    words = {
        code: (rows[(RowKind.CRITERION, code)].change_text,
               rows[(RowKind.CRITERION, code)].change_in_words)
        for code in ("A1", "A2", "A3", "B1", "B2", "B3", "B4")
    }  # fmt: skip
    assert words == {
        "A1": ("▼ 1 step", "down 1 step"),
        "A2": ("▲ 2 steps", "up 2 steps"),
        "A3": ("= same rating", "no change"),
        "B1": ("+16 pts", "+16 points"),
        "B2": ("−1 pt", "−1 point"),
        "B3": ("0 pts", "no change"),
        "B4": ("—", "—"),
    }


def test_a_later_round_is_compared_with_the_baseline_and_the_previous_round() -> None:
    """A re-inspection's rows: baseline → this round, and the round before → this round."""
    from esi_desktop.comparison import RowKind, comparison_rows, comparison_table

    first = {**CORE_RESULTS, "A1": "Satisfactorily met", "B1": 55, "B2": 80, "B3": 56}
    second = {**CORE_RESULTS, "A1": "Well met", "B1": 62, "B2": 80, "B3": 56, "B4": 80}
    rows = comparison_rows(
        compare(CORE, CORE_RESULTS, second), previous=compare(CORE, first, second)
    )
    by_key = {(r.kind, r.code): r for r in rows}
    b1 = by_key[(RowKind.CRITERION, "B1")]
    assert (b1.baseline_text, b1.previous_text, b1.follow_up_text) == ("46%", "55%", "62%")
    assert (b1.change_text, b1.since_previous_text) == ("+16 pts", "+7 pts")
    a1 = by_key[(RowKind.CRITERION, "A1")]
    assert (a1.change_text, a1.since_previous_text) == ("▲ 2 steps", "▲ 1 step")
    score = by_key[(RowKind.SCORE, "B")]
    assert score.previous is not None and score.since_previous is not None
    # without a previous round (the first follow-up) the rows are as before
    plain = comparison_table([compare(CORE, CORE_RESULTS, second)])
    assert all(r.previous is None and r.since_previous_text == "—" for r in plain)
