"""More than one follow-up round: each with its date, status, results and comparisons."""

from __future__ import annotations

from datetime import date

import peewee
import pytest

from esi_desktop import follow_up
from esi_desktop.comparison import RowKind, comparison_table
from esi_desktop.errors import ValidationError
from esi_desktop.inspections import list_inspections

CORE = "esi-core"


def _only() -> int:
    return list_inspections()[0].id


def test_a_re_inspection_after_a_follow_up(any_sample_db: peewee.Database) -> None:
    inspection_id = _only()
    # the first round is there from the start, not yet scheduled
    assert [(r.round, r.kind, r.status) for r in follow_up.list_rounds(
        inspection_id=inspection_id)] == [(1, "Follow-up", "Not yet scheduled")]  # fmt: skip
    follow_up.set_follow_up(
        inspection_id=inspection_id,
        planned_date=date(2005, 10, 3),
        status="Reported",
        today=date(2006, 1, 10),
    )
    follow_up.set_follow_up_result(
        inspection_id=inspection_id, framework_id=CORE, code="B1", value=55, round=1
    )
    second = follow_up.add_round(inspection_id=inspection_id, kind="Re-inspection")
    assert (second.round, second.kind, second.status) == (2, "Re-inspection", "Not yet scheduled")
    follow_up.set_follow_up(
        inspection_id=inspection_id,
        planned_date=date(2006, 9, 4),
        status="Scheduled",
        expected_version=second.version,
        round=2,
        today=date(2006, 1, 10),
    )
    follow_up.set_follow_up_result(
        inspection_id=inspection_id, framework_id=CORE, code="B1", value=62, round=2
    )
    rounds = follow_up.list_rounds(inspection_id=inspection_id)
    assert [(r.round, r.kind, r.planned_date, r.status) for r in rounds] == [
        (1, "Follow-up", date(2005, 10, 3), "Reported"),
        (2, "Re-inspection", date(2006, 9, 4), "Scheduled"),
    ]
    assert rounds[1].label == "Round 2: Re-inspection, 4 September 2006"
    compared = follow_up.round_comparison(inspection_id=inspection_id, round=2)
    assert compared.previous_round == 1
    rows = comparison_table(compared.against_baseline, compared.against_previous)
    b1 = next(r for r in rows if r.kind is RowKind.CRITERION and r.code == "B1")
    assert (b1.baseline, b1.previous, b1.follow_up) == (46, 55, 62)
    first = follow_up.round_comparison(inspection_id=inspection_id, round=1)
    assert first.previous_round is None and first.against_previous == []
    # round 1's results are untouched by round 2's
    assert follow_up.result_versions(inspection_id=inspection_id, round=1)


def test_only_the_last_round_is_removed_and_only_without_results(
    sample_db: peewee.Database,
) -> None:
    inspection_id = _only()
    # round 1 is always there: the first round added is round 2
    assert follow_up.add_round(inspection_id=inspection_id, kind="Re-inspection").round == 2
    assert [r.round for r in follow_up.list_rounds(inspection_id=inspection_id)] == [1, 2]
    with pytest.raises(ValidationError, match="Only the last round"):
        follow_up.remove_round(inspection_id=inspection_id, round=1)
    follow_up.set_follow_up_result(
        inspection_id=inspection_id, framework_id=CORE, code="B1", value=62, round=2
    )
    with pytest.raises(ValidationError, match="results"):
        follow_up.remove_round(inspection_id=inspection_id, round=2)
    follow_up.set_follow_up_result(
        inspection_id=inspection_id,
        framework_id=CORE,
        code="B1",
        value=None,
        expected_version=1,
        round=2,
    )
    follow_up.remove_round(inspection_id=inspection_id, round=2)
    assert [r.round for r in follow_up.list_rounds(inspection_id=inspection_id)] == [1]
    with pytest.raises(ValidationError, match="kind"):
        follow_up.add_round(inspection_id=inspection_id, kind="Inspection")


def test_a_reported_follow_up_cannot_be_in_the_future(sample_db: peewee.Database) -> None:
    inspection_id = _only()
    with pytest.raises(ValidationError, match="Reported") as refused:
        follow_up.set_follow_up(
            inspection_id=inspection_id,
            planned_date=date(2005, 10, 3),
            status="Reported",
            today=date(2005, 6, 1),
        )
    assert "03/10/2005" in str(refused.value) and "after 01/06/2005" not in str(refused.value)
    assert follow_up.get_follow_up(inspection_id=inspection_id).version is None


def test_a_round_not_added_takes_no_date_and_no_results(any_sample_db: peewee.Database) -> None:
    """Round 1 is always there; round 3 is not until round 2 and then round 3 are added."""
    from db.models import CriterionResult, FollowUpInspection

    inspection_id = _only()
    for round in (3, -1):
        with pytest.raises(ValidationError, match=f"no follow-up round {round}; add the round"):
            follow_up.set_follow_up_result(
                inspection_id=inspection_id, framework_id=CORE, code="B1", value=55, round=round
            )
        with pytest.raises(ValidationError, match=f"no follow-up round {round}"):
            follow_up.set_follow_up(
                inspection_id=inspection_id,
                planned_date=date(2006, 9, 4),
                status="Scheduled",
                round=round,
                today=date(2006, 1, 10),
            )
    assert CriterionResult.select().where(CriterionResult.round != 0).count() == 0
    assert FollowUpInspection.select().count() == 0  # nothing written
    # round 1 without adding it, then round 2 once added
    follow_up.set_follow_up_result(
        inspection_id=inspection_id, framework_id=CORE, code="B1", value=55, round=1
    )
    follow_up.add_round(inspection_id=inspection_id, kind="Follow-up")
    follow_up.set_follow_up_result(
        inspection_id=inspection_id, framework_id=CORE, code="B1", value=60, round=2
    )
    assert follow_up.result_versions(inspection_id=inspection_id, round=2)
