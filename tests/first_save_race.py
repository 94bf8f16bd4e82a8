"""Several secretaries saving the same first response at once, as separate processes.

Issue 9 §4: when no record exists yet, every secretary's window expects none; the first save
must win and every other one must be told of it (a conflict naming who), never overwrite it
silently and never fail with a raw database error (a duplicate key on PostgreSQL).

:func:`race` prepares ``rounds`` inspections, each with one recommendation that has no
response yet and no follow-up recorded, then starts ``workers`` operating-system processes
(``multiprocessing``'s spawn start method, so each has its own interpreter and connection).
Before each round every worker waits at a barrier, then all of them make the same three first
saves on that round's inspection with their own values: the response to its recommendation,
its follow-up inspection (round 1, the one an inspection always has) and its B1 follow-up
result. Each outcome is logged; :func:`check` then counts

- silent overwrites: a record with more than one "ok" first save, or whose stored value is
  not the value of its one "ok" save;
- raw errors: anything but "ok" or a :class:`~esi_desktop.plan.ConflictError`;
- missing winners: a record no save created.

Used by ``tests/test_first_save_race.py`` and ``bench/race.py``.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KINDS = ("response", "follow_up", "result")
FRAMEWORK = "esi-core"
CODE = "B1"


#: One race round's records: its inspection and the id of its one recommendation.
Slot = tuple[int, int]


def prepare(url: str, rounds: int) -> list[Slot]:
    """``rounds`` new inspections, each with one unanswered recommendation and no follow-up."""
    from db.models import CriterionResult, Inspection, Recommendation, database_proxy
    from esi_desktop import database

    database.connect(url)
    try:
        slots: list[Slot] = []
        with database_proxy.atomic():
            for n in range(1, rounds + 1):
                inspection = Inspection.create(
                    area=f"Raceshire {n} Probation Area",
                    programme="ESI",
                    report_title="Race",
                    published_year=2005,
                    published_month=1,
                )
                # a baseline result, so the follow-up may re-score this framework
                CriterionResult.create(
                    inspection=inspection, framework_id=FRAMEWORK, code=CODE, round=0, percent=46
                )
                recommendation = Recommendation.create(
                    inspection=inspection, reference="1", text=f"Do {n}.", framework_id=FRAMEWORK,
                    position=1,
                )  # fmt: skip
                slots.append((int(inspection.id), int(recommendation.id)))
        return slots
    finally:
        database.disconnect()


def _planned(value: str) -> date:
    """The follow-up date a worker's value stands for (a different day for each worker)."""
    return date(2005, 6, 1 + int(value.rsplit("-", 1)[1]) % 28)


def _save(kind: str, inspection_id: int, recommendation_id: int, mine: str) -> None:
    from esi_desktop import follow_up, plan

    if kind == "response":
        plan.save_response(
            recommendation_id=recommendation_id,
            category="Agreed",
            narrative=mine,
            part_agreed="",
            reason="",
            expected_version=None,  # the window showed no response
        )
    elif kind == "follow_up":
        follow_up.set_follow_up(
            inspection_id=inspection_id,
            planned_date=_planned(mine),
            status="Scheduled",
            expected_version=None,  # the window showed none recorded
        )
    else:
        follow_up.set_follow_up_result(
            inspection_id=inspection_id,
            framework_id=FRAMEWORK,
            code=CODE,
            value=int(mine.rsplit("-", 1)[1]) % 101,
            expected_version=None,
        )


def _worker(url: str, number: int, slots: list[Slot], barrier: Any, results: Any) -> None:
    """One secretary: for each round, wait for the others, then make the three first saves."""
    from esi_desktop import audit, database
    from esi_desktop.plan import ConflictError

    log: list[dict[str, Any]] = []
    database.connect(url)
    try:
        with audit.acting_as(f"secretary {number}"):
            for round, (inspection_id, recommendation_id) in enumerate(slots, start=1):
                barrier.wait(timeout=120)
                for kind in KINDS:
                    mine = f"w{number}-{round * 10 + number}"
                    entry: dict[str, Any] = {"kind": kind, "round": round, "value": mine}
                    try:
                        _save(kind, inspection_id, recommendation_id, mine)
                        entry["outcome"] = "ok"
                    except ConflictError as exc:
                        entry["outcome"] = "conflict"
                        entry["message"] = str(exc)
                    except Exception as exc:
                        entry["outcome"] = "error"
                        entry["message"] = f"{type(exc).__name__}: {exc}"
                        entry["trace"] = traceback.format_exc(limit=4)
                    log.append(entry)
    finally:
        database.disconnect()
        results.put((number, log))


@dataclass
class RaceResult:
    """What the race found."""

    workers: int
    rounds: int
    seconds: float
    saves: int = 0
    ok: int = 0
    conflicts: int = 0
    silent_overwrites: list[str] = field(default_factory=list)
    raw_errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    conflict_messages: list[str] = field(default_factory=list)

    def summary(self, label: str) -> str:
        return (
            f"{label}: {self.saves} first saves in {self.seconds:.1f} s — {self.ok} won, "
            f"{self.conflicts} told of the other save, "
            f"{len(self.silent_overwrites)} silent overwrites, {len(self.raw_errors)} raw errors"
        )


def _stored(url: str, slots: list[Slot]) -> dict[Any, Any]:
    """Each record's stored value after the race, keyed like the log (kind, round)."""
    from db.models import BoardResponse, CriterionResult, FollowUpInspection
    from esi_desktop import database

    database.connect(url)
    try:
        found: dict[tuple[str, int], Any] = {}
        round_of = {inspection_id: n for n, (inspection_id, _) in enumerate(slots, start=1)}
        by_recommendation = {rid: n for n, (_, rid) in enumerate(slots, start=1)}
        for response in BoardResponse.select().where(
            BoardResponse.recommendation.in_(list(by_recommendation))
        ):
            found[("response", by_recommendation[response.recommendation_id])] = response.narrative
        for record in FollowUpInspection.select().where(
            FollowUpInspection.inspection.in_(list(round_of))
        ):
            found[("follow_up", round_of[record.inspection_id])] = record.planned_date
        for result in CriterionResult.select().where(
            CriterionResult.inspection.in_(list(round_of)) & (CriterionResult.round > 0)
        ):
            found[("result", round_of[result.inspection_id])] = result.percent
        return found
    finally:
        database.disconnect()


def check(
    logs: list[list[dict[str, Any]]], stored: dict[tuple[str, int], Any], expected: Any
) -> RaceResult:
    """Count silent overwrites and raw errors; ``expected(kind, value)`` is what a save stores."""
    result = RaceResult(workers=len(logs), rounds=0, seconds=0.0)
    winners: dict[tuple[str, int], list[str]] = defaultdict(list)
    for log in logs:
        for entry in log:
            result.saves += 1
            key = (entry["kind"], entry["round"])
            if entry["outcome"] == "ok":
                result.ok += 1
                winners[key].append(entry["value"])
            elif entry["outcome"] == "conflict":
                result.conflicts += 1
                if len(result.conflict_messages) < 3:
                    result.conflict_messages.append(entry["message"])
            else:
                result.raw_errors.append(f"{key}: {entry['message']}")
    keys = {(e["kind"], e["round"]) for log in logs for e in log}
    for key in sorted(keys):
        won = winners.get(key, [])
        if len(won) > 1:
            result.silent_overwrites.append(f"{key}: {len(won)} first saves all reported saved")
        elif len(won) == 1 and stored.get(key) != expected(key[0], won[0]):
            result.silent_overwrites.append(
                f"{key}: reported saved as {won[0]!r}, but {stored.get(key)!r} is stored"
            )
        elif not won and key in stored:
            result.problems.append(f"{key}: stored, yet every save reported a conflict")
        elif not won and not any(key[0] in p for p in result.raw_errors):
            result.problems.append(f"{key}: nobody's save landed")
    return result


def expected_value(kind: str, value: str) -> Any:
    """What a worker's save of ``value`` stores (see :func:`_save`)."""
    if kind == "response":
        return value
    if kind == "follow_up":
        return _planned(value)
    return int(value.rsplit("-", 1)[1]) % 101


def race(url: str, *, workers: int = 3, rounds: int = 500) -> RaceResult:
    """Run the race on a new, empty database at ``url``."""
    slots = prepare(url, rounds)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers)
    results = context.Queue()
    processes = [
        context.Process(
            target=_worker,
            args=(url, n, slots, barrier, results),
            name=f"secretary-{n}",
        )
        for n in range(1, workers + 1)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    logs = [results.get(timeout=900)[1] for _ in processes]
    for process in processes:
        process.join(timeout=60)
    seconds = time.perf_counter() - started
    stored = _stored(url, slots)
    result = check(logs, stored, expected_value)
    result.workers, result.rounds, result.seconds = workers, rounds, seconds
    exit_codes = [p.exitcode for p in processes]
    if any(code != 0 for code in exit_codes):
        result.problems.append(f"worker exit codes {exit_codes}")
    return result
