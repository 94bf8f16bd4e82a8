"""Reading a plan fast gives what the slow, obvious reading gave; start-up imports stay lean.

``load_plan`` reads rows as the driver returns them, converts each distinct date once, sorts
milestones per action and derives progress and RAG from counts. The reference here reads the
plan the slow way (peewee model conversion, ordering in SQL, the rules applied one milestone
at a time) and the two must agree on a plan that has every case: complete, overdue, due
soon, later, no milestones, at risk, overridden, milestones whose positions disagree with
their ids and numbers.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import FrozenInstanceError, replace
from datetime import date, timedelta
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

import peewee
import pytest

from db.models import (
    Action,
    ActionCriterion,
    ActionRecommendation,
    Milestone,
    Recommendation,
    as_dicts,
    as_tuples,
)
from esi_desktop import audit, dashboard
from esi_desktop.dashboard import DueItem, due_soon_items, overdue_items
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import add_action, add_milestone, update_action
from esi_desktop.plan.fetch import gc_paused
from esi_desktop.plan.read import ActionView, MilestoneView, PlanView, load_actions, load_plan
from esi_desktop.plan.refresh import refresh_plan
from esi_desktop.rules import (
    DUE_SOON_DAYS,
    MilestoneState,
    MilestoneStatus,
    Rag,
    action_progress,
    action_rag,
    action_rag_of_counts,
    is_due_soon,
    is_overdue,
)
from esi_desktop.wording import ACTION, MILESTONE

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2005, 6, 1)


# ----- the slow reading, as load_plan read actions before -----------------------------------


def slow_actions(inspection_id: int, today: date) -> dict[int, ActionView]:
    """The actions of an inspection read the obvious way (the reference)."""
    condition = Action.inspection == inspection_id
    links: dict[int, list[int]] = defaultdict(list)
    for action_id, recommendation_id in as_tuples(
        ActionRecommendation.select(
            ActionRecommendation.action, ActionRecommendation.recommendation
        )
        .join(Action)
        .where(condition)
        .order_by(ActionRecommendation.id)
    ):
        links[action_id].append(recommendation_id)
    criteria: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for action_id, framework_id, code in as_tuples(
        ActionCriterion.select(
            ActionCriterion.action, ActionCriterion.framework_id, ActionCriterion.code
        )
        .join(Action)
        .where(condition)
        .order_by(ActionCriterion.framework_id, ActionCriterion.code)
    ):
        criteria[action_id].append((framework_id, code))
    milestones: dict[int, list[MilestoneView]] = defaultdict(list)
    for row in as_dicts(
        Milestone.select(Milestone, Action.number.alias("action_number"))
        .join(Action)
        .where(condition)
        .order_by(Milestone.position, Milestone.id)
    ):
        state = MilestoneState(row["due_date"], row["status"])
        milestones[row["action"]].append(
            MilestoneView(
                id=row["id"],
                action_id=row["action"],
                title=row["title"],
                due_date=row["due_date"],
                status=row["status"],
                completed_on=row["completed_on"],
                evidence=row["evidence"],
                position=row["position"],
                version=row["version"],
                overdue=is_overdue(state, today),
                due_soon=is_due_soon(state, today),
                number=row["number"],
                action_number=row["action_number"],
            )
        )
    actions: dict[int, ActionView] = {}
    for row in as_dicts(Action.select().where(condition).order_by(Action.position, Action.id)):
        own = tuple(milestones.get(row["id"], ()))
        states = [MilestoneState(m.due_date, m.status) for m in own]
        actions[row["id"]] = ActionView(
            id=row["id"],
            text=row["text"],
            owner=row["owner"],
            target_date=row["target_date"],
            position=row["position"],
            version=row["version"],
            recommendation_ids=tuple(links.get(row["id"], ())),
            criteria=tuple(criteria.get(row["id"], ())),
            milestones=own,
            progress=action_progress(states),
            derived_rag=action_rag(states, row["target_date"], today, at_risk=bool(row["at_risk"])),
            rag_override=Rag(row["rag_override"]) if row["rag_override"] else None,
            rag_override_reason=row["rag_override_reason"],
            at_risk=bool(row["at_risk"]),
            at_risk_reason=row["at_risk_reason"],
            internal_note=row["internal_note"],
            number=row["number"],
        )
    return actions


def slow_due(plan: PlanView, today: date, *, overdue: bool, days: int = DUE_SOON_DAYS) -> list[Any]:
    """What is overdue (or due within ``days``) by the rules, one milestone at a time."""
    found: list[tuple[Any, ...]] = []
    for action in plan.actions.values():
        if overdue and not action.complete and action.target_date < today:
            found.append((ACTION, action.id, action.target_date, action.reference))
        for m in action.milestones:
            state = MilestoneState(m.due_date, m.status)
            late = is_overdue(state, today) if overdue else is_due_soon(state, today, days=days)
            if late:
                found.append((MILESTONE, m.id, m.due_date, m.reference))
    return sorted(found, key=lambda item: (item[2], _action_of(plan, item), item[0] != ACTION))


def _action_of(plan: PlanView, item: tuple[Any, ...]) -> int:
    if item[0] == ACTION:
        return int(item[1])
    return next(a.id for a in plan.actions.values() for m in a.milestones if m.id == item[1])


def as_compared(items: list[DueItem]) -> list[tuple[Any, ...]]:
    return [(i.kind, i.id, i.due, i.reference) for i in items]


# ----- a plan with every case ---------------------------------------------------------------


@pytest.fixture
def mixed_plan(any_sample_db: peewee.Database) -> Iterator[int]:
    """The sample inspection with a plan of every kind of action and milestone."""
    inspection_id = list_inspections()[0].id
    recommendations = [
        r.id
        for r in Recommendation.select()
        .where(Recommendation.inspection == inspection_id)
        .order_by(Recommendation.position)
    ]
    statuses = [MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS, MilestoneStatus.COMPLETE]
    offsets = [-40, -1, 0, 1, DUE_SOON_DAYS, DUE_SOON_DAYS + 1, 90]
    actions = []
    for index, target_offset in enumerate([-30, -30, 5, 60, 200, -2]):
        action_id = add_action(
            inspection_id=inspection_id,
            recommendation_ids=recommendations[index % 3 : index % 3 + 1 + index % 2],
            text=f"Action {index}",
            owner=f"Owner {index % 2}",
            target_date=TODAY + timedelta(days=target_offset),
        )
        actions.append(action_id)
        if index == 5:
            continue  # an action with no milestones, past its target date
        for number, (status, offset) in enumerate(product(statuses, offsets)):
            if (number + index) % (index + 2):  # a different mix for each action
                continue
            add_milestone(
                action_id=action_id,
                title=f"Step {number}",
                due_date=TODAY + timedelta(days=offset),
                today=TODAY + timedelta(days=-60 if offset < 0 else 0),
                status=status if status != MilestoneStatus.COMPLETE else "Not started",
            )
            if status == MilestoneStatus.COMPLETE:  # completed with a date
                Milestone.update(
                    status=status, completed_on=TODAY - timedelta(days=number % 7)
                ).where(
                    Milestone.title == f"Step {number}", Milestone.action == action_id
                ).execute()
    green = add_action(
        inspection_id=inspection_id,
        recommendation_ids=recommendations[:1],
        text="Action in time",
        owner="Owner 0",
        target_date=TODAY + timedelta(days=300),
    )
    for offset in (90, 40):
        add_milestone(
            action_id=green, title="Later", due_date=TODAY + timedelta(days=offset), today=TODAY
        )
    # all of one action's milestones complete: Blue
    Milestone.update(status=MilestoneStatus.COMPLETE, completed_on=TODAY).where(
        Milestone.action == actions[3]
    ).execute()
    # positions that disagree with ids and numbers, ties broken by id
    for milestone in Milestone.select().where(Milestone.action == actions[0]):
        Milestone.update(position=(milestone.id * 7) % 5).where(
            Milestone.id == milestone.id
        ).execute()
    Action.update(position=0).where(Action.id.in_(actions[2:4])).execute()  # a tie
    update_action(action_id=actions[4], changes={"at_risk": True, "at_risk_reason": "staff"})
    Action.update(rag_override=Rag.GREEN.value, rag_override_reason="agreed").where(
        Action.id == actions[1]
    ).execute()
    Milestone.update(evidence="minutes of 3 May").where(Milestone.action == actions[2]).execute()
    yield inspection_id


def test_load_plan_reads_what_the_slow_reading_reads(mixed_plan: int) -> None:
    for today in (TODAY, TODAY - timedelta(days=45), TODAY + timedelta(days=20)):
        plan = load_plan(inspection_id=mixed_plan, today=today)
        expected = slow_actions(mixed_plan, today)
        assert list(plan.actions) == list(expected)  # plan order
        assert plan.actions == expected
    plan = load_plan(inspection_id=mixed_plan, today=TODAY)
    # the fixture made every case
    rags = {a.derived_rag for a in plan.actions.values()}
    assert rags == {Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE}, rags
    flags = {(m.overdue, m.due_soon, m.status) for a in plan.actions.values() for m in a.milestones}
    assert (True, False, MilestoneStatus.IN_PROGRESS) in flags
    assert (False, True, MilestoneStatus.NOT_STARTED) in flags
    assert any(not a.milestones for a in plan.actions.values())
    first = next(a for a in plan.actions.values() if a.text == "Action 0")
    positions = [(m.position, m.id) for m in first.milestones]
    assert positions == sorted(positions) and [m.id for m in first.milestones] != sorted(
        m.id for m in first.milestones
    )
    # the recommendations follow from the actions as before
    for recommendation in plan.recommendations:
        own = [plan.actions[i] for i in recommendation.action_ids]
        assert recommendation.progress == (
            sum((a.progress for a in own), Fraction(0)) / len(own) if own else Fraction(0)
        )


def test_load_actions_and_refresh_read_the_same(mixed_plan: int) -> None:
    expected = slow_actions(mixed_plan, TODAY)
    some = list(expected)[1:4]
    assert load_actions(inspection_id=mixed_plan, action_ids=some, today=TODAY) == {
        i: expected[i] for i in some
    }
    plan = load_plan(inspection_id=mixed_plan, today=TODAY)
    milestone = plan.actions[some[0]].milestones[0]
    Milestone.update(status=MilestoneStatus.COMPLETE).where(Milestone.id == milestone.id).execute()
    refreshed, _ = refresh_plan(plan, milestone_ids=[milestone.id], today=TODAY)
    assert refreshed.actions == slow_actions(mixed_plan, TODAY)
    assert refreshed == load_plan(inspection_id=mixed_plan, today=TODAY)


def test_overdue_and_due_soon_items_follow_the_rules(mixed_plan: int) -> None:
    plan = load_plan(inspection_id=mixed_plan, today=TODAY)
    for today in (TODAY, TODAY + timedelta(days=3), TODAY - timedelta(days=50)):
        assert as_compared(overdue_items(plan, today)) == slow_due(plan, today, overdue=True)
        for days in (DUE_SOON_DAYS, 0, 100):
            assert as_compared(due_soon_items(plan, today, due_soon_days=days)) == slow_due(
                plan, today, overdue=False, days=days
            )
    items = overdue_items(plan, TODAY)
    assert {i.kind for i in items} == {ACTION, MILESTONE}
    action_references = {a.id: a.reference for a in plan.actions.values()}
    assert all(i.action_reference == action_references[i.action_id] for i in items)
    board = dashboard.load_dashboard(inspection_id=mixed_plan, today=TODAY, plan=plan)
    assert board.overdue == tuple(items)


def test_action_rag_of_counts_is_action_rag() -> None:
    target_dates = [TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)]
    dues = [TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=DUE_SOON_DAYS + 1)]
    statuses = list(MilestoneStatus)
    for count in range(4):
        for states in product(product(dues, statuses), repeat=count):
            milestones = [MilestoneState(due, status) for due, status in states]
            done = sum(1 for m in milestones if m.status == MilestoneStatus.COMPLETE)
            for target, at_risk in product(target_dates, (False, True)):
                assert action_rag_of_counts(
                    len(milestones),
                    done,
                    target,
                    TODAY,
                    overdue=any(is_overdue(m, TODAY) for m in milestones),
                    due_soon=any(is_due_soon(m, TODAY) for m in milestones),
                    at_risk=at_risk,
                ) == action_rag(milestones, target, TODAY, at_risk=at_risk)


def test_views_stay_frozen_and_replaceable() -> None:
    milestone = MilestoneView(1, 2, "Step", TODAY, "Complete", TODAY, "", 1, 1, False, False, 3, 4)
    with pytest.raises(FrozenInstanceError):
        milestone.title = "Other"  # type: ignore[misc]
    changed = replace(milestone, title="Other")
    assert changed.title == "Other" and changed.reference == milestone.reference == "AP4.3"
    assert hash(milestone) == hash(replace(changed, title="Step"))


def test_gc_paused_leaves_the_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with gc_paused(big=False):  # a small plan leaves the collector alone
        assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# ----- start-up imports ---------------------------------------------------------------------


def test_every_audit_name_is_its_module_s() -> None:
    import importlib

    for name in audit.__all__:
        value = getattr(audit, name)
        where = audit._WHERE.get(name)
        if where is not None:
            assert value is getattr(importlib.import_module(f"esi_desktop.audit.{where}"), name)
    assert audit._CHUNK > 0
    assert audit.trail.history is audit.history
    with pytest.raises(AttributeError):
        audit.no_such_name  # noqa: B018


def _loaded_after(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def test_the_dashboard_does_not_import_the_audit_trail() -> None:
    loaded = _loaded_after("import esi_desktop.dashboard, esi_desktop.inspections")
    assert "esi_desktop.dashboard" in loaded and "esi_desktop.audit" in loaded
    assert not {m for m in loaded if m.startswith("esi_desktop.audit.")}
    assert "csv" not in loaded
    # the first use imports what it needs
    loaded = _loaded_after("from esi_desktop import audit\naudit.record")
    assert "esi_desktop.audit.entries" in loaded and "esi_desktop.audit.trail" not in loaded
