"""Issue 13: the importer stems each framework's text once, not once per recommendation.

Suggestions stay what they were: the reference report's are pinned as the code before issue 13
gave them, and a report with many recommendations costs one stemming of each framework text
plus one of each recommendation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import peewee
import pytest

from db.models import Recommendation, RecommendationCriterion
from esi_desktop import suggest
from esi_desktop.frameworks import get_framework
from esi_desktop.report import importer as report_import
from esi_desktop.report.parse import parse_report_file
from esi_desktop.report.results import ParsedReport
from esi_desktop.resources import SAMPLE_REPORT

#: The reference report's suggestions, as the importer gave them before issue 13.
REFERENCE_SUGGESTIONS = {
    "1": ["A1", "A3"],
    "2": ["A3", "A1"],
    "3": ["A1"],
    "4": ["D3", "A1", "C1"],
    "5": ["B1", "A3", "B4"],
    "6": ["C5", "B1", "C2"],
    "7": ["B3", "C2", "D2"],
    "8": ["C1"],
    "9": ["C2", "C1", "A3"],
    "10": ["C3", "B3", "C2"],
    "T1": ["D2", "A2", "B1"],
    "T2": ["B1", "C2", "B4"],
    "T3": ["A1", "B1", "A4"],
    "T4": ["A5", "A1"],
    "T5": ["A4"],
}


def _many(parsed: ParsedReport, copies: int) -> ParsedReport:
    """The report with its recommendations printed ``copies`` times (new references)."""
    recommendations = tuple(
        dataclasses.replace(r, ref=r.ref if copy == 0 else f"{r.ref}.{copy}")
        for copy in range(copies)
        for r in parsed.recommendations
    )
    return dataclasses.replace(parsed, recommendations=recommendations)


def _counting_words(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    stem_words: Callable[[str], list[str]] = suggest.words

    def counted(text: str) -> list[str]:
        seen.append(text)
        return stem_words(text)

    monkeypatch.setattr(suggest, "words", counted)
    return seen


def test_the_reference_reports_suggestions_are_unchanged() -> None:
    parsed = parse_report_file(SAMPLE_REPORT)
    assert report_import.suggested_criteria(parsed) == REFERENCE_SUGGESTIONS


def test_each_framework_text_is_stemmed_once_per_import(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = parse_report_file(SAMPLE_REPORT)
    framework_texts = 0
    for framework_id in parsed.frameworks:
        framework_texts += len(get_framework(framework_id).criteria)  # the titles
        framework_texts += sum(
            1 + len(f.improvements) for f in parsed.findings if f.framework_id == framework_id
        )
    seen = _counting_words(monkeypatch)

    many = _many(parsed, 13)
    assert len(many.recommendations) == 195
    suggestions = report_import.suggested_criteria(many)
    # one stemming of each title and finding of each framework, one of each recommendation
    assert len(seen) == framework_texts + 195
    assert suggestions["6.12"] == suggestions["6"] == REFERENCE_SUGGESTIONS["6"]


def test_a_one_off_suggestion_gives_what_the_index_gives() -> None:
    titles = {"B1": "Assessment of risk of harm", "C1": "Contact levels and enforcement"}
    findings = {"B1": ["risk of harm assessments were late"], "C1": ["enforcement was weak"]}
    index = suggest.CriteriaIndex(titles, findings)
    for text in ("timely risk of harm assessments", "enforcement of contact", "nothing here"):
        assert suggest.suggest_criteria(text, titles, findings) == index.suggest(text)
    assert suggest.CriteriaIndex({}, {}).suggest("risk") == []
    assert suggest.suggest_for_all([("1", "risk of harm")], titles, findings) == {"1": ["B1"]}


def test_an_import_of_many_recommendations_stores_each_with_its_criteria(
    any_db: peewee.Database,
) -> None:
    many = _many(parse_report_file(SAMPLE_REPORT), 13)
    outcome = report_import.import_report(preview=report_import.preview_parsed(many))
    stored = list(
        Recommendation.select()
        .where(Recommendation.inspection == outcome.inspection_id)
        .order_by(Recommendation.position)
    )
    assert [r.reference for r in stored] == [r.ref for r in many.recommendations]
    assert [r.position for r in stored] == list(range(195))
    assert [r.id for r in stored] == sorted(r.id for r in stored)  # created in printed order
    assert stored[-1].text == many.recommendations[-1].text
    assert stored[-1].stem == many.recommendations[-1].stem
    assert stored[-1].version == 1 and stored[-1].created_at is not None

    for row in stored:
        base = row.reference.split(".")[0]
        assert _codes(row) == REFERENCE_SUGGESTIONS[base], row.reference
    assert RecommendationCriterion.select().count() == 13 * sum(
        len(v) for v in REFERENCE_SUGGESTIONS.values()
    )


def test_a_refresh_that_adds_recommendations_stores_them_with_their_criteria(
    any_sample_db: peewee.Database,
) -> None:
    before = {r.reference: r.id for r in Recommendation.select()}
    more = _many(parse_report_file(SAMPLE_REPORT), 2)
    outcome = report_import.import_report(preview=report_import.preview_parsed(more), refresh=True)
    assert outcome.refreshed
    after = {r.reference: r for r in Recommendation.select()}
    assert len(after) == 30
    assert {ref: after[ref].id for ref in before} == before  # the stored ones kept their ids
    added = after["T5.1"]
    assert added.position == 29 and added.framework_id == "esi-accommodation"
    assert _codes(added) == REFERENCE_SUGGESTIONS["T5"]
    assert sorted(_codes(after["6.1"])) == sorted(REFERENCE_SUGGESTIONS["6"])
    # the stored recommendations' criteria are not doubled
    assert sorted(_codes(after["6"])) == sorted(REFERENCE_SUGGESTIONS["6"])


def _codes(row: Recommendation) -> list[str]:
    """The criteria stored for a recommendation, in the order they were stored."""
    query = (
        RecommendationCriterion.select()
        .where(RecommendationCriterion.recommendation == row)
        .order_by(RecommendationCriterion.id)
    )
    return [c.code for c in query]
