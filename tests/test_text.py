"""Characters no database can keep are refused in a sentence, alike on both (issue 10 §7)."""

from __future__ import annotations

import re
from datetime import date

import peewee
import pytest

from db.models import Action, BoardResponse, Recommendation
from esi_desktop import plan
from esi_desktop.errors import ReportParseError, ValidationError
from esi_desktop.inspections import list_inspections
from esi_desktop.report.parse import parse_report_text
from tests.conftest import REFERENCE_TEXT

BAD = [
    ("NUL", "Audit\x00 plans", "a NUL character (U+0000) at character 6"),
    ("surrogate", "Audit \ud800plans", "half of a broken character (U+D800) at character 7"),
]


def six() -> int:
    return int(Recommendation.get(Recommendation.reference == "6").id)


@pytest.mark.parametrize(("name", "typed", "said"), BAD, ids=[b[0] for b in BAD])
def test_a_response_with_an_unstorable_character_is_refused_in_a_sentence(
    any_sample_db: peewee.Database, name: str, typed: str, said: str
) -> None:
    with pytest.raises(
        ValidationError, match=re.escape(f"The narrative of the response contains {said}")
    ):
        plan.save_response(recommendation_id=six(), category="Agreed", narrative=typed,
                           part_agreed="", reason="")  # fmt: skip
    assert BoardResponse.select().count() == 0


@pytest.mark.parametrize(("name", "typed", "said"), BAD, ids=[b[0] for b in BAD])
def test_an_action_or_an_edit_with_an_unstorable_character_changes_nothing(
    any_sample_db: peewee.Database, name: str, typed: str, said: str
) -> None:
    inspection_id = list_inspections()[0].id
    with pytest.raises(ValidationError, match=re.escape(said)) as caught:
        plan.add_action(inspection_id=inspection_id, recommendation_ids=[six()], text=typed,
                        owner="SPO", target_date=date(2005, 9, 30))  # fmt: skip
    assert caught.value.field == "text"
    assert Action.select().count() == 0
    action_id = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[six()],
        text="Audit",
        owner="SPO",
        target_date=date(2005, 9, 30),
    )
    with pytest.raises(ValidationError, match="The owner of the action contains"):
        plan.update_action(action_id=action_id, changes={"owner": typed})
    assert Action.get_by_id(action_id).owner == "SPO"


def test_a_report_with_a_broken_character_is_refused_naming_the_line() -> None:
    lines = REFERENCE_TEXT.split("\n")
    lines[40] = lines[40] + "\ud83d"
    with pytest.raises(ReportParseError, match="on line 41") as caught:
        parse_report_text("\n".join(lines))
    assert caught.value.location == "line 41"
