"""Storing an imported report: one transaction, duplicates refreshed, the Board's work kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import peewee
import pytest

from db.models import (
    Action,
    ActionRecommendation,
    BoardResponse,
    CriterionResult,
    Finding,
    Inspection,
    Milestone,
    NationalTarget,
    PublishedScore,
    Recommendation,
)
from esi_desktop.errors import EsiError
from esi_desktop.inspections import scoring_summary, stored_results
from esi_desktop.report import importer as report_import
from esi_desktop.report.importer import DuplicateInspectionError, cross_check, preview_report
from esi_desktop.report.parse import parse_report_text
from esi_desktop.resources import SAMPLE_REPORT
from tests.conftest import REFERENCE_TEXT


def test_sample_is_stored_whole(any_sample_db: peewee.Database) -> None:
    inspection = Inspection.get()
    assert (inspection.area, inspection.published_year, inspection.published_month) == (
        "Gloucestershire",
        2005,
        1,
    )
    assert inspection.response_due_months == 3
    assert inspection.implementation_months == 12
    assert inspection.follow_up_expected == "Autumn 2005"
    references = [r.reference for r in Recommendation.select().order_by(Recommendation.position)]
    assert references == [str(n) for n in range(1, 11)] + [f"T{n}" for n in range(1, 6)]
    assert Recommendation.get(Recommendation.reference == "T1").framework_id == (
        "esi-accommodation"
    )
    results = stored_results(inspection_id=inspection.id)
    assert len(results["esi-core"]) == 18 and len(results["esi-accommodation"]) == 15
    assert results["esi-core"]["B1"] == 46 and results["esi-core"]["A4"] == "Satisfactorily met"
    printed = {(row.framework_id, row.section): row.percent for row in PublishedScore.select()}
    assert printed[("esi-core", "overall")] == 68
    assert printed[("esi-accommodation", "B")] == 44
    codes = {(row.framework_id, row.code) for row in Finding.select()}
    assert ("esi-core", "C4") in codes and ("esi-accommodation", "D2") in codes
    assert NationalTarget.select().count() == 14
    summary = scoring_summary(inspection_id=inspection.id)
    assert [s.framework.id for s in summary] == ["esi-core", "esi-accommodation"]
    assert summary[0].scores.overall == 68


def test_reference_report_cross_checks_clean() -> None:
    assert cross_check(parse_report_text(REFERENCE_TEXT)) == []


def test_a_published_figure_that_disagrees_is_named() -> None:
    text = REFERENCE_TEXT.replace("Score for section C\t72%", "Score for section C\t71%")
    warnings = cross_check(parse_report_text(text))
    assert warnings == ["Score for section C: the report says 71%, its criteria give 72%."]
    text = REFERENCE_TEXT.replace("Assessment</i>\t44%", "Assessment</i>\t45%")
    warnings = cross_check(parse_report_text(text))
    assert warnings == [
        "Score for section B (Offender accommodation): the report says 45%, its criteria give 44%."
    ]


def _board_work(inspection: Inspection) -> None:
    six = Recommendation.get(
        (Recommendation.inspection == inspection) & (Recommendation.reference == "6")
    )
    BoardResponse.create(
        recommendation=six, category="Agreed", narrative="Monthly audit by the ACO."
    )
    action = Action.create(
        inspection=inspection, text="Audit risk of harm", owner="ACO", target_date=date(2005, 9, 30)
    )
    ActionRecommendation.create(action=action, recommendation=six)
    Milestone.create(action=action, title="First audit", due_date=date(2005, 4, 30))


def test_reimport_is_detected_and_refresh_keeps_the_boards_work(
    any_sample_db: peewee.Database, tmp_path: Path
) -> None:
    inspection = Inspection.get()
    _board_work(inspection)
    six_id = Recommendation.get(Recommendation.reference == "6").id

    changed = tmp_path / "corrected.txt"
    b1 = "B1: Assessment of risk of harm\t"
    text = REFERENCE_TEXT.replace(b1 + "46%", b1 + "48%")
    text = text.replace(
        "victim issues are addressed sufficiently", "victim issues are addressed fully"
    )
    changed.write_text(text, encoding="utf-8")
    preview = preview_report(path=changed)
    assert preview.existing_inspection_id == inspection.id
    with pytest.raises(DuplicateInspectionError, match="already in this database"):
        report_import.import_report(preview=preview)
    assert stored_results(inspection_id=inspection.id)["esi-core"]["B1"] == 46

    outcome = report_import.import_report(preview=preview, refresh=True)
    assert outcome.refreshed and outcome.inspection_id == inspection.id
    assert Inspection.select().count() == 1
    assert Recommendation.select().count() == 15
    assert stored_results(inspection_id=inspection.id)["esi-core"]["B1"] == 48
    assert Recommendation.get(Recommendation.reference == "10").text.startswith(
        "victim issues are addressed fully"
    )
    assert Recommendation.get(Recommendation.reference == "6").id == six_id
    assert BoardResponse.get().narrative == "Monthly audit by the ACO."
    assert ActionRecommendation.get().recommendation.id == six_id
    assert Milestone.select().count() == 1
    assert CriterionResult.select().count() == 33  # replaced, not doubled


def test_follow_up_results_survive_a_refresh(any_sample_db: peewee.Database) -> None:
    inspection = Inspection.get()
    CriterionResult.create(
        inspection=inspection, framework_id="esi-core", code="B1", round=1, percent=70
    )
    report_import.load_sample()
    assert stored_results(inspection_id=inspection.id, round=1) == {"esi-core": {"B1": 70}}


def test_a_failed_import_changes_nothing(
    any_sample_db: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {m.__name__: m.select().count() for m in (CriterionResult, Finding, Recommendation)}
    preview = preview_report(path=SAMPLE_REPORT)

    def broken(*args: object, **kwargs: object) -> None:
        raise peewee.OperationalError("disk I/O error")

    monkeypatch.setattr(report_import, "_store_children", broken)
    with pytest.raises(EsiError, match=r"refused the import \(disk I/O error\); nothing was"):
        report_import.import_report(preview=preview, refresh=True)
    after = {m.__name__: m.select().count() for m in (CriterionResult, Finding, Recommendation)}
    assert after == before
    assert Inspection.get().report_title == preview.parsed.title


def test_import_suggests_the_criteria_each_recommendation_targets(
    any_sample_db: peewee.Database,
) -> None:
    from db.models import RecommendationCriterion

    def codes(reference: str) -> set[str]:
        recommendation = Recommendation.get(Recommendation.reference == reference)
        return {
            row.code
            for row in RecommendationCriterion.select().where(
                RecommendationCriterion.recommendation == recommendation
            )
        }

    # DOMAIN.md's own example: recommendation 6, risk of harm assessments, targets B1 and C5
    assert {"B1", "C5"} <= codes("6")
    assert "C1" in codes("8")  # contact levels: managing attendance and enforcement
    assert codes("T5") == {"A4"}  # approved premises policies: partnership/contracting out


def test_recommendations_are_stored_with_their_stem(any_sample_db: peewee.Database) -> None:
    def stem(reference: str) -> str:
        return str(Recommendation.get(Recommendation.reference == reference).stem)

    assert stem("1") == stem("10") == "The Probation Board should ensure that:"
    assert stem("T1") == "The Probation Board should ensure that the area:"
    # a database imported before stems were kept gets them at the next refresh
    Recommendation.update(stem="").execute()
    report_import.load_sample()
    assert stem("4") == "The Probation Board should ensure that:"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        pytest.param("result", "A9 (a result of the scoring summary sheet", id="criterion-result"),
        pytest.param("finding", "E1 (findings", id="findings"),
    ],
)
def test_a_criterion_code_not_in_the_frameworks_is_refused_naming_it(
    any_sample_db: peewee.Database, change: str, named: str
) -> None:
    import dataclasses

    from esi_desktop.report.importer import preview_parsed
    from esi_desktop.report.results import CriterionFindings

    parsed = parse_report_text(REFERENCE_TEXT.replace("Gloucestershire", "Northshire"))
    if change == "result":
        core = parsed.frameworks["esi-core"]
        frameworks = {
            **parsed.frameworks,
            "esi-core": dataclasses.replace(core, criteria={**core.criteria, "A9": 50}),
        }
        parsed = dataclasses.replace(parsed, frameworks=frameworks)
    else:
        odd = CriterionFindings("esi-core", "E1", "Something.", ("A strength.",), ())
        parsed = dataclasses.replace(parsed, findings=(*parsed.findings, odd))
    before = Inspection.select().count()
    with pytest.raises(EsiError, match=r"not a criterion of the ESI core framework") as err:
        report_import.import_report(preview=preview_parsed(parsed))
    assert named in str(err.value)
    assert Inspection.select().count() == before
