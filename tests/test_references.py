"""Issue 12 §1: references that never move ("AP3", "AP3.2"), given once and never reused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import peewee
import pytest
from pytestqt.qtbot import QtBot

from db.models import Action, Inspection, Milestone, Recommendation
from esi_desktop import plan, wording
from esi_desktop.errors import FrameworkError
from esi_desktop.frameworks import builtin_frameworks, load_framework
from esi_desktop.inspections import list_inspections
from esi_desktop.resources import FRAMEWORKS_DIR
from ui.edits import Edits
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)


# ----- the form ------------------------------------------------------------------------------


def test_references_read_ap3_and_ap3_2() -> None:
    assert wording.action_reference(3) == "AP3"
    assert wording.milestone_reference(3, 2) == "AP3.2"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("AP3", (3, None)), ("ap3", (3, None)), ("AP 3.2", (3, 2)), (" ap3.2 ", (3, 2)),
     ("Ap12 . 7", (12, 7)), ("A3", None), ("AP", None), ("3.2", None), ("AP3.", None),
     ("B1", None), ("AP-3", None)],
)  # fmt: skip
def test_a_typed_reference_is_read_forgivingly(
    typed: str, expected: tuple[int, int | None] | None
) -> None:
    assert wording.parse_reference(typed) == expected


def test_no_bundled_criterion_or_section_code_reads_as_a_reference() -> None:
    frameworks = builtin_frameworks()
    assert frameworks
    for framework in frameworks.values():
        for section in framework.sections:
            assert wording.parse_reference(section.code) is None
            for criterion in section.criteria:
                assert wording.parse_reference(criterion.code) is None


@pytest.mark.parametrize(("old", "new"), [('code = "B2"', 'code = "AP2"'),
                                          ('code = "B"', 'code = "AP1"')])  # fmt: skip
def test_a_framework_whose_codes_read_as_references_is_refused(
    tmp_path: Path, old: str, new: str
) -> None:
    text = (FRAMEWORKS_DIR / "esi-core.toml").read_text(encoding="utf-8")
    assert old in text
    if new == 'code = "AP1"':  # a section: its criteria name it too
        text = text.replace('section = "B"', 'section = "AP1"')
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert "action plan reference" in str(caught.value)
    assert new.split('"')[1] in str(caught.value)


# ----- given once, never reused --------------------------------------------------------------


@pytest.fixture
def workspace(qtbot: QtBot, any_sample_db: peewee.Database) -> Iterator[Workspace]:
    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(list_inspections()[0].id)
    yield ws


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def _references(workspace: Workspace) -> list[str]:
    view = workspace.plan()
    assert view is not None
    found = []
    for action in view.actions.values():
        found.append(action.reference)
        found += [m.reference for m in action.milestones]
    return found


def test_numbers_are_given_once_and_survive_deletion_undo_and_conversion(
    workspace: Workspace,
) -> None:
    edits = Edits(workspace)
    one = edits.add_action([rec_id("1")], "First", "ACO", date(2005, 9, 30))
    two = edits.add_action([rec_id("1")], "Second", "ACO", date(2005, 9, 30))
    three = edits.add_action([rec_id("2")], "Third", "ACO", date(2005, 9, 30))
    m1 = edits.add_milestone(three, "Step one", date(2005, 7, 1))
    edits.add_milestone(three, "Step two", date(2005, 8, 1))
    assert _references(workspace) == ["AP1", "AP2", "AP3", "AP3.1", "AP3.2"]
    view = workspace.plan()
    assert view is not None
    assert (view.actions[three].number, view.actions[three].milestones[1].number) == (3, 2)

    edits.delete_action(two)
    assert _references(workspace) == ["AP1", "AP3", "AP3.1", "AP3.2"]
    four = edits.add_action([rec_id("2")], "Fourth", "ACO", date(2005, 9, 30))
    assert (
        plan.load_plan(inspection_id=workspace.inspection_id or 0, today=TODAY)
        .actions[four]
        .reference
        == "AP4"
    )  # never AP2 again
    edits.delete_milestone(m1)
    edits.add_milestone(three, "Step three", date(2005, 8, 2))
    assert _references(workspace) == ["AP1", "AP3", "AP3.2", "AP3.3", "AP4"]

    workspace.undo_stack.undo()  # the milestone's addition
    workspace.undo_stack.undo()  # the milestone's deletion: back with its own number
    assert _references(workspace) == ["AP1", "AP3", "AP3.1", "AP3.2", "AP4"]
    workspace.undo_stack.undo()  # the fourth action
    workspace.undo_stack.undo()  # the deletion of AP2: back as AP2
    assert _references(workspace) == ["AP1", "AP2", "AP3", "AP3.1", "AP3.2"]
    workspace.undo_stack.redo()
    workspace.undo_stack.redo()
    assert _references(workspace) == ["AP1", "AP3", "AP3.1", "AP3.2", "AP4"]

    # outdent: the milestone AP3.2 becomes a new action with a new number
    milestone_two = Milestone.get((Milestone.action == three) & (Milestone.number == 2)).id
    new_action = edits.outdent_milestone(milestone_two)
    assert Action.get_by_id(new_action).number == 5
    # indent: the first action becomes AP3's next milestone
    new_milestone = edits.indent_action(one, three)
    assert Milestone.get_by_id(new_milestone).number == 4  # AP3.3 was given, then undone
    assert Inspection.get_by_id(workspace.inspection_id).last_action_number == 5
    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    assert "AP1" in _references(workspace) and "AP3.2" in _references(workspace)


def test_conversions_keep_the_old_reference_in_the_history(workspace: Workspace) -> None:
    from esi_desktop import audit

    edits = Edits(workspace)
    first = edits.add_action([rec_id("1")], "First", "ACO", date(2005, 9, 30))
    second = edits.add_action([rec_id("1")], "Second", "ACO", date(2005, 9, 30))
    milestone = edits.add_milestone(second, "Step", date(2005, 7, 1))
    new_action = edits.outdent_milestone(milestone)
    entries = audit.history(item_kind=audit.ACTION, item_id=new_action)
    assert any("AP2.1" in (e.new_value or "") and "AP3" in (e.new_value or "") for e in entries)
    new_milestone = edits.indent_action(first, second)
    entries = audit.history(item_kind=audit.MILESTONE, item_id=new_milestone)
    assert any("AP1" in (e.new_value or "") and "AP2.2" in (e.new_value or "") for e in entries)
