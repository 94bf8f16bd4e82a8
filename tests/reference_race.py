"""Several secretaries adding actions and milestones at once, as separate processes.

Issue 12 §1: an action's number comes from the inspection's counter, a milestone's from its
action's; two additions at the same moment must never get the same number, nor fail with a
raw database error. :func:`race` prepares an inspection with one recommendation and one
action, then starts ``workers`` processes (spawn: each its own interpreter and connection)
that, after a barrier each round, each add one action and one milestone of the shared action.

Used by ``tests/test_reference_race.py``.
"""

from __future__ import annotations

import multiprocessing
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET = date(2005, 12, 31)
TODAY = date(2005, 6, 1)


def prepare(url: str) -> tuple[int, int, int]:
    """A new inspection with one recommendation and one action: their ids."""
    from db.models import Inspection, Recommendation
    from esi_desktop import database, plan

    database.connect(url)
    try:
        inspection = Inspection.create(
            area="Raceshire Probation Area",
            programme="ESI",
            report_title="Race",
            published_year=2005,
            published_month=1,
        )
        recommendation = Recommendation.create(
            inspection=inspection, reference="1", text="Do it.", framework_id="esi-core",
            position=1,
        )  # fmt: skip
        action_id = plan.add_action(
            inspection_id=inspection.id, recommendation_ids=[recommendation.id],
            text="Shared", owner="ACO", target_date=TARGET,
        )  # fmt: skip
        return int(inspection.id), int(recommendation.id), action_id
    finally:
        database.disconnect()


def _worker(
    url: str, number: int, ids: tuple[int, int, int], rounds: int, barrier: Any, results: Any
) -> None:
    from esi_desktop import audit, database, plan

    inspection_id, recommendation_id, action_id = ids
    log: list[str] = []
    database.connect(url)
    try:
        with audit.acting_as(f"secretary {number}"):
            for round in range(rounds):
                barrier.wait(timeout=120)
                try:
                    plan.add_action(
                        inspection_id=inspection_id, recommendation_ids=[recommendation_id],
                        text=f"w{number} r{round}", owner="ACO", target_date=TARGET,
                    )  # fmt: skip
                    plan.add_milestone(
                        action_id=action_id, title=f"w{number} r{round}", due_date=TARGET,
                        today=TODAY,
                    )  # fmt: skip
                    log.append("ok")
                except Exception as exc:
                    log.append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}")
    finally:
        database.disconnect()
        results.put((number, log))


def race(url: str, *, workers: int = 3, rounds: int = 10) -> tuple[list[str], list[int], list[int]]:
    """Run the race; returns the errors, the action numbers and the milestone numbers."""
    from db.models import Action, Milestone
    from esi_desktop import database

    ids = prepare(url)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers)
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(url, n, ids, rounds, barrier, results))
        for n in range(1, workers + 1)
    ]
    for process in processes:
        process.start()
    logs = [results.get(timeout=600)[1] for _ in processes]
    for process in processes:
        process.join(timeout=60)
    errors = [entry for log in logs for entry in log if entry != "ok"]
    database.connect(url)
    try:
        actions = [a.number for a in Action.select().where(Action.inspection == ids[0])]
        milestones = [m.number for m in Milestone.select().where(Milestone.action == ids[2])]
    finally:
        database.disconnect()
    return errors, sorted(actions), sorted(milestones)
