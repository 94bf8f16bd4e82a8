"""One secretary hammering the plan: random versioned edits on rows another process also edits.

Run as its own operating-system process by ``tests/test_concurrency.py`` and ``bench/stress.py``::

    python tests/edit_worker.py --db URL --seed N --edits 500 --log FILE [--slow-commit-ms X]

It opens the database through :func:`esi_desktop.database.connect`, finds the plan's actions,
milestones and Board responses (the test made a handful beforehand), prints ``ready`` and,
when ``--wait-for-go`` is given, waits for a line on stdin so that both workers start editing
at the same moment. Each edit reads the row (its current version), changes one field through
the use case with ``expected_version`` = the version read, and logs one JSON line::

    {"row": "action:3", "kind": "action_owner", "field": "owner", "outcome": "ok",
     "value": "w1-17", "expected_version": 5, "version_after": 6, "message": ""}

``outcome`` is ``ok``, ``conflict`` (:class:`esi_desktop.plan.ConflictError`) or ``error``
(anything else: "database is locked", a psycopg2 or peewee error…), which counts as a failure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.models import Action, BoardResponse, Milestone  # noqa: E402
from esi_desktop import database, plan  # noqa: E402
from esi_desktop.rules import MilestoneStatus  # noqa: E402

#: Every kind of edit, the model it touches and the field it changes.
KINDS: dict[str, tuple[type[Any], str]] = {
    "action_owner": (Action, "owner"),
    "action_target_date": (Action, "target_date"),
    "milestone_status": (Milestone, "status"),
    "milestone_title": (Milestone, "title"),
    "response_narrative": (BoardResponse, "narrative"),
}

_PREFIX = {Action: "action", Milestone: "milestone", BoardResponse: "response"}


def row_key(model: type[Any], row_id: int) -> str:
    """How a log line names a row: ``action:3``, ``milestone:7``, ``response:2``."""
    return f"{_PREFIX[model]}:{row_id}"


def slow_commits(connection: Any, milliseconds: float) -> None:
    """Hold every transaction open ``milliseconds`` longer, just before its COMMIT.

    The writes are done and (on SQLite) the write lock is held while it sleeps, so the other
    process has to wait for the lock: this is what widens the window for "database is locked".
    """
    commit = connection.commit

    def slow_commit() -> None:
        time.sleep(milliseconds / 1000)
        commit()

    connection.commit = slow_commit


def describe(exc: BaseException) -> str:
    """An unexpected error in one line: its type, message, the driver's own code and where.

    peewee wraps the driver's exception and keeps it as ``orig``; the driver's code
    (``SQLITE_BUSY_SNAPSHOT``, a PostgreSQL SQLSTATE) tells which lock or rule failed.
    """
    import traceback

    text = f"{type(exc).__module__}.{type(exc).__name__}: {str(exc).strip()}"
    original = getattr(exc, "orig", exc)
    code = getattr(original, "sqlite_errorname", None) or getattr(original, "pgcode", None)
    if code:
        text += f" [{code}]"
    ours = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.startswith((str(ROOT / "esi_desktop"), str(ROOT / "db")))
    ]
    if ours:
        text += f" at {Path(ours[-1].filename).name}:{ours[-1].lineno} ({ours[-1].line})"
    return text


@dataclass
class Attempt:
    """One logged edit."""

    row: str
    kind: str
    field: str
    outcome: str
    value: Any
    expected_version: int | None
    version_after: int | None
    message: str = ""


class Worker:
    """Performs random edits on the plan's rows; ``name`` makes every written value unique."""

    def __init__(self, name: str, rng: random.Random) -> None:
        self.name = name
        self.rng = rng
        self.today = date.today()
        self.rows: dict[type[Any], list[int]] = {
            model: [row.id for row in model.select(model.id).order_by(model.id)]
            for model in (Action, Milestone, BoardResponse)
        }
        self.kinds = [kind for kind, (model, _) in KINDS.items() if self.rows[model]]
        if not self.kinds:
            raise SystemExit("The database has no actions, milestones or responses to edit.")
        self.count = 0

    def _value(self, kind: str) -> Any:
        self.count += 1
        if kind == "action_target_date":
            return date(2006, 1, 1) + timedelta(days=self.rng.randrange(3 * 365))
        if kind == "milestone_status":
            return self.rng.choice([s.value for s in MilestoneStatus])
        return f"{self.name}-{self.count}"

    def edit_once(self) -> Attempt:
        """Read one random row, change one field with the version read, and say what happened."""
        kind = self.rng.choice(self.kinds)
        model, field = KINDS[kind]
        row_id = self.rng.choice(self.rows[model])
        key = row_key(model, row_id)
        value = self._value(kind)
        shown = value.isoformat() if isinstance(value, date) else value
        expected: int | None = None
        try:
            row = model.get_by_id(row_id)
            expected = int(row.version)
            change = self._write(kind, row, value, expected)
        except plan.ConflictError as exc:
            return Attempt(key, kind, field, "conflict", shown, expected, None, str(exc))
        except Exception as exc:  # everything else is a failure the test reports
            return Attempt(key, kind, field, "error", shown, expected, None, describe(exc))
        return Attempt(key, kind, field, "ok", shown, expected, change.version)

    def _write(self, kind: str, row: Any, value: Any, expected: int) -> plan.Change:
        if kind in ("action_owner", "action_target_date"):
            _, field = KINDS[kind]
            return plan.update_action(
                action_id=row.id, changes={field: value}, expected_version=expected
            )
        if kind in ("milestone_status", "milestone_title"):
            _, field = KINDS[kind]
            return plan.update_milestone(
                milestone_id=row.id,
                changes={field: value},
                today=self.today,
                expected_version=expected,
            )
        return plan.save_response(
            recommendation_id=row.recommendation_id,
            category="Agreed",
            narrative=value,
            part_agreed="",
            reason="",
            lead_owner=row.lead_owner,
            expected_version=expected,
        )


def run(
    url: str,
    *,
    seed: int,
    edits: int,
    log: Path,
    slow_commit_ms: float = 0.0,
    pause_ms: float = 2.0,
    name: str | None = None,
    wait: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Connect, edit ``edits`` times, log every attempt; returns the counts per outcome."""
    connection = database.connect(url, create=False)
    if slow_commit_ms > 0:
        slow_commits(connection, slow_commit_ms)
    rng = random.Random(seed)
    worker = Worker(name or f"w{seed}", rng)
    counts = {"ok": 0, "conflict": 0, "error": 0}
    print("ready", flush=True)
    if wait is not None:
        wait()
    with log.open("w", encoding="utf-8") as out:
        for _ in range(edits):
            attempt = worker.edit_once()
            counts[attempt.outcome] += 1
            out.write(json.dumps(attempt.__dict__) + "\n")
            out.flush()
            if pause_ms > 0:
                time.sleep(rng.uniform(0, pause_ms / 1000))
    database.disconnect()
    return counts


# ----- the harness: used by tests/test_concurrency.py and bench/stress.py ----------------------


def prepare_plan(*, actions: int = 3, milestones_per_action: int = 2, responses: int = 2) -> None:
    """Give the connected, empty database the rows the workers fight over.

    The sample inspection, ``actions`` actions with ``milestones_per_action`` milestones each,
    and the Board's response to ``responses`` recommendations, all made through the use cases.
    """
    from esi_desktop.inspections import list_inspections
    from esi_desktop.report.importer import load_sample

    load_sample()
    inspection_id = list_inspections()[0].id
    recommendation_ids = [
        r.id
        for r in plan.load_plan(inspection_id=inspection_id, today=date.today()).recommendations
    ]
    for number in range(actions):
        action_id = plan.add_action(
            inspection_id=inspection_id,
            recommendation_ids=[recommendation_ids[number % len(recommendation_ids)]],
            text=f"Shared action {number + 1}",
            owner="ACO Operations",
            target_date=date(2006, 3, 31),
        )
        for step in range(milestones_per_action):
            plan.add_milestone(
                action_id=action_id,
                title=f"Step {step + 1} of action {number + 1}",
                due_date=date(2005, 12, 31),
                today=date.today(),
            )
    for recommendation_id in recommendation_ids[:responses]:
        plan.save_response(
            recommendation_id=recommendation_id,
            category="Agreed",
            narrative="First draft",
            part_agreed="",
            reason="",
        )


@dataclass
class StressResult:
    """What two (or more) workers did, and what is wrong with the database afterwards."""

    ok: int
    conflicts: int
    errors: list[str]
    problems: list[str]
    rows: int
    seconds: float
    outcomes_per_worker: list[dict[str, int]]

    @property
    def attempts(self) -> int:
        return self.ok + self.conflicts + len(self.errors)

    def summary(self, label: str) -> str:
        """One line of figures for a person (and for the junit output)."""
        per_worker = " ".join(
            f"[{c['ok']} ok/{c['conflict']} conflict/{c['error']} error]"
            for c in self.outcomes_per_worker
        )
        return (
            f"{label}: {self.attempts} edits on {self.rows} rows in {self.seconds:.2f} s — "
            f"{self.ok} ok, {self.conflicts} conflicts, {len(self.errors)} errors, "
            f"{len(self.problems)} lost or wrong updates; per worker {per_worker}"
        )


def run_workers(
    url: str,
    *,
    edits: int,
    seeds: list[int],
    log_dir: Path,
    slow_commit_ms: float = 0.0,
    timeout: float = 120.0,
) -> tuple[list[list[dict[str, Any]]], float]:
    """Start one worker process per seed, let them edit together, and read their logs.

    Returns:
        Each worker's log lines, and the seconds from "go" until the last one finished.

    Raises:
        RuntimeError: a worker did not start, crashed or overran ``timeout``.
    """
    import os
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    logs = [log_dir / f"worker-{seed}.jsonl" for seed in seeds]
    processes: list[subprocess.Popen[str]] = []
    try:
        for seed, log in zip(seeds, logs, strict=True):
            command = [sys.executable, str(Path(__file__).resolve()), "--db", url,
                       "--seed", str(seed), "--edits", str(edits), "--log", str(log),
                       "--slow-commit-ms", str(slow_commit_ms), "--wait-for-go"]  # fmt: skip
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    text=True,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            )
        for process in processes:
            assert process.stdout is not None
            # safe to read through Python's buffer: a worker writes nothing after "ready"
            # until it is told "go", so nothing that communicate() should see is buffered here
            if process.stdout.readline().strip() != "ready":
                _, stderr = process.communicate(timeout=timeout)
                raise RuntimeError(f"A worker did not start: {stderr.strip()[-2000:]}")
        start = time.perf_counter()
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        for process in processes:
            _, stderr = process.communicate(
                timeout=max(1.0, timeout - (time.perf_counter() - start))
            )
            if process.returncode != 0:
                raise RuntimeError(
                    f"A worker exited with {process.returncode}: {stderr.strip()[-2000:]}"
                )
        seconds = time.perf_counter() - start
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    read = [
        [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] for log in logs
    ]
    return read, seconds


def check_logs(logs: list[list[dict[str, Any]]], seconds: float = 0.0) -> StressResult:
    """Hold the logs of all workers against the connected database.

    Every ok write must be accounted for: per row, the versions the ok writes produced are
    exactly 2, 3, … final version (none twice: two writers never both won from one version),
    and each field holds the value of the ok write to it with the highest version. Every
    conflict must be genuine: some ok write moved the row past the version it expected.
    """
    attempts = [attempt for log in logs for attempt in log]
    errors = [
        f"{a['row']} {a['kind']}: {a['message']}" for a in attempts if a["outcome"] == "error"
    ]
    ok = [a for a in attempts if a["outcome"] == "ok"]
    conflicts = [a for a in attempts if a["outcome"] == "conflict"]
    problems: list[str] = []
    by_row: dict[str, list[dict[str, Any]]] = {}
    for attempt in ok:
        by_row.setdefault(attempt["row"], []).append(attempt)
    models = {prefix: model for model, prefix in _PREFIX.items()}
    touched = {a["row"] for a in attempts}
    for key in sorted(touched):
        prefix, _, row_id = key.partition(":")
        model = models[prefix]
        row = model.get_by_id(int(row_id))
        writes = sorted(by_row.get(key, []), key=lambda a: a["version_after"])
        versions = [a["version_after"] for a in writes]
        if versions != list(range(2, 2 + len(writes))):
            twice = sorted({v for v in versions if versions.count(v) > 1})
            problems.append(
                f"{key}: the ok writes produced versions {versions[:8]}… (twice: {twice}); "
                f"expected 2…{1 + len(writes)}"
            )
        if row.version != 1 + len(writes):
            problems.append(
                f"{key}: version {row.version} in the database after {len(writes)} ok writes "
                f"(expected {1 + len(writes)})"
            )
        last: dict[str, Any] = {}
        for attempt in writes:
            last[attempt["field"]] = attempt
        for field, attempt in last.items():
            stored = getattr(row, field)
            stored = stored.isoformat() if isinstance(stored, date) else stored
            if stored != attempt["value"]:
                problems.append(
                    f"{key}.{field} is {stored!r} but the last ok write (version "
                    f"{attempt['version_after']}) wrote {attempt['value']!r}: a lost update"
                )
        won = set(versions)
        for attempt in conflicts:
            if attempt["row"] == key and attempt["expected_version"] + 1 not in won:
                problems.append(
                    f"{key}: a conflict at version {attempt['expected_version']} although no "
                    "ok write moved the row past it"
                )
    return StressResult(
        ok=len(ok),
        conflicts=len(conflicts),
        errors=errors,
        problems=problems,
        rows=len(touched),
        seconds=seconds,
        outcomes_per_worker=[
            {o: sum(1 for a in log if a["outcome"] == o) for o in ("ok", "conflict", "error")}
            for log in logs
        ],
    )


def stress(
    url: str, folder: Path, *, edits: int, processes: int = 2, slow_commit_ms: float = 0.0
) -> StressResult:
    """Prepare the rows in the empty database at ``url``, run the workers, check the result."""
    database.connect(url)
    try:
        prepare_plan()
    finally:
        database.disconnect()
    logs, seconds = run_workers(
        url,
        edits=edits,
        seeds=list(range(1, processes + 1)),
        log_dir=folder,
        slow_commit_ms=slow_commit_ms,
    )
    database.connect(url)
    try:
        return check_logs(logs, seconds)
    finally:
        database.disconnect()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (sqlite:///… or postgresql://…)")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--log", type=Path, required=True, help="JSON lines, one per attempt")
    parser.add_argument("--slow-commit-ms", type=float, default=0.0)
    parser.add_argument("--pause-ms", type=float, default=2.0, help="random pause up to this")
    parser.add_argument("--name", help="prefix of the values written (default w<seed>)")
    parser.add_argument("--wait-for-go", action="store_true", help="wait for a line on stdin")
    args = parser.parse_args(argv)
    counts = run(
        args.db,
        seed=args.seed,
        edits=args.edits,
        log=args.log,
        slow_commit_ms=args.slow_commit_ms,
        pause_ms=args.pause_ms,
        name=args.name,
        wait=sys.stdin.readline if args.wait_for_go else None,
    )
    print(json.dumps(counts), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
