"""Three secretaries adding actions and milestones at the same moment (issue 12 §1).

On SQLite and PostgreSQL every addition lands with a number of its own: no two actions (or
two milestones of one action) share a number, none is skipped, and nobody sees a raw error.
"""

from __future__ import annotations

from datetime import date

import peewee
import pytest

from tests.reference_race import race

WORKERS = 3
ROUNDS = 8


def test_additions_at_the_same_moment_get_numbers_of_their_own(any_db_url: str) -> None:
    errors, actions, milestones = race(any_db_url, workers=WORKERS, rounds=ROUNDS)
    assert errors == []
    assert actions == list(range(1, WORKERS * ROUNDS + 2))  # the shared action is AP1
    assert milestones == list(range(1, WORKERS * ROUNDS + 1))


def test_a_refused_number_is_a_sentence_not_a_raw_error(any_db: peewee.Database) -> None:
    from db.models import Action, Inspection, Recommendation
    from esi_desktop import plan
    from esi_desktop.errors import EsiError

    inspection = Inspection.create(area="A", programme="ESI", report_title="R",
                                   published_year=2005, published_month=1)  # fmt: skip
    recommendation = Recommendation.create(inspection=inspection, reference="1", text="Do.",
                                           framework_id="esi-core", position=1)  # fmt: skip
    first = plan.add_action(inspection_id=inspection.id, recommendation_ids=[recommendation.id],
                            text="One", owner="ACO", target_date=date(2005, 9, 30))  # fmt: skip
    # a counter set back by hand (a restored old backup, a bad edit) would give AP1 again
    Inspection.update(last_action_number=0).where(Inspection.id == inspection.id).execute()
    with pytest.raises(EsiError, match="could not be numbered") as caught:
        plan.add_action(inspection_id=inspection.id, recommendation_ids=[recommendation.id],
                        text="Two", owner="ACO",
                        target_date=date(2005, 9, 30))  # fmt: skip
    assert "Try again" in str(caught.value)
    assert [a.id for a in Action.select()] == [first]
