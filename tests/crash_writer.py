"""A writer to be killed: commits numbered changes through the use cases until SIGKILL stops it.

Run as its own operating-system process by ``tests/test_crash.py`` and ``bench/stress.py``::

    python tests/crash_writer.py --db URL --run R --action ID --recommendations 3,4 \
        [--hold-ms X]

It opens the database through :func:`esi_desktop.database.connect`, prints ``ready``, then for
n = 1, 2, 3 … makes change n in its own transaction and prints ``committed n`` (flushed)
only after the use case has returned, i.e. after COMMIT. The changes cycle through three
kinds, so that a kill lands on inserts, versioned updates and multi-row transactions:

* ``n % 3 == 1``: a milestone titled ``m-R-n`` on the target action (one insert);
* ``n % 3 == 2``: the target action's owner becomes ``owner-R-n`` (a versioned update);
* ``n % 3 == 0``: a new action ``a-R-n`` serving two recommendations (three rows at once).

``--hold-ms`` keeps each transaction open that long before its COMMIT (its writes done, its
locks held), so that many kills land inside a transaction.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.models import Action, ActionRecommendation, Milestone  # noqa: E402
from esi_desktop import database, plan  # noqa: E402

KINDS = {1: "milestone", 2: "owner", 0: "action"}


def kind_of(number: int) -> str:
    """Which change number ``number`` is: ``milestone``, ``owner`` or ``action``."""
    return KINDS[number % 3]


def hold_commits(connection: Any, milliseconds: float, rng: random.Random) -> None:
    """Hold every transaction open up to ``milliseconds`` (random) just before its COMMIT."""
    commit = connection.commit

    def held_commit() -> None:
        time.sleep(rng.uniform(0, milliseconds) / 1000)
        commit()

    connection.commit = held_commit


def write_forever(
    url: str, *, run: int, action_id: int, recommendation_ids: list[int], hold_ms: float
) -> None:
    """Commit change after change, announcing each one after it is committed."""
    connection = database.connect(url, create=False)
    if hold_ms > 0:
        hold_commits(connection, hold_ms, random.Random(run))
    target = Action.get_by_id(action_id)
    version = int(target.version)
    today = date.today()
    print("ready", flush=True)
    number = 0
    while True:
        number += 1
        kind = kind_of(number)
        if kind == "milestone":
            plan.add_milestone(
                action_id=action_id, title=f"m-{run}-{number}", due_date=date(2006, 1, 31),
                today=today,
            )  # fmt: skip
        elif kind == "owner":
            change = plan.update_action(
                action_id=action_id, changes={"owner": f"owner-{run}-{number}"},
                expected_version=version,
            )  # fmt: skip
            version = change.version
        else:
            plan.add_action(
                inspection_id=target.inspection_id, recommendation_ids=recommendation_ids,
                text=f"a-{run}-{number}", owner="Crash test", target_date=date(2006, 6, 30),
            )  # fmt: skip
        print(f"committed {number}", flush=True)


# ----- the harness: used by tests/test_crash.py and bench/stress.py -------------------------


@dataclass
class CrashTarget:
    """The rows a crash run needs, made once per database."""

    action_id: int
    recommendation_ids: list[int]


def prepare_target() -> CrashTarget:
    """Load the sample inspection into the connected database and add the target action."""
    from esi_desktop.inspections import list_inspections
    from esi_desktop.report.importer import load_sample

    load_sample()
    inspection_id = list_inspections()[0].id
    recommendations = plan.load_plan(inspection_id=inspection_id, today=date.today())
    recommendation_ids = [r.id for r in recommendations.recommendations[:2]]
    action_id = plan.add_action(
        inspection_id=inspection_id, recommendation_ids=recommendation_ids[:1],
        text="Crash target", owner="Nobody yet", target_date=date(2006, 3, 31),
    )  # fmt: skip
    return CrashTarget(action_id, recommendation_ids)


@dataclass
class CrashRun:
    """One writer killed: what it announced and what the database holds afterwards."""

    run: int
    waited_ms: float
    committed: list[int]
    present: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def in_flight_landed(self) -> bool:
        """The change being made at the kill was committed, just not yet announced."""
        return len(self.present) > len(self.committed)


def command(url: str, run: int, target: CrashTarget, hold_ms: float) -> list[str]:
    """The command line that starts a writer."""
    return [sys.executable, str(Path(__file__).resolve()), "--db", url, "--run", str(run),
            "--action", str(target.action_id),
            "--recommendations", ",".join(map(str, target.recommendation_ids)),
            "--hold-ms", str(hold_ms)]  # fmt: skip


def kill_one_writer(
    url: str, run: int, target: CrashTarget, *, rng: random.Random, hold_ms: float = 0.0
) -> CrashRun:
    """Start a writer, let it write for 50–400 ms, SIGKILL it, and read what it announced."""
    import os
    import select
    import signal
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with subprocess.Popen(
        command(url, run, target, hold_ms), cwd=ROOT, env=env, bufsize=0,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as writer:  # fmt: skip
        assert writer.stdout is not None
        # byte by byte and unbuffered: whatever follows "ready" must stay in the pipe for
        # communicate(), which reads the pipe itself and never sees a Python-side buffer
        first = b""
        deadline = time.monotonic() + 60
        while not first.endswith(b"\n") and time.monotonic() < deadline:
            readable, _, _ = select.select([writer.stdout], [], [], 1)
            if readable:
                byte = os.read(writer.stdout.fileno(), 1)
                if not byte:
                    break
                first += byte
        if first.strip() != b"ready":
            writer.kill()
            _, stderr = writer.communicate()
            raise RuntimeError(f"The writer did not start: {stderr.decode()[-2000:]}")
        waited_ms = rng.uniform(50, 400)
        time.sleep(waited_ms / 1000)
        os.kill(writer.pid, signal.SIGKILL)
        stdout, stderr = writer.communicate()
        if writer.returncode != -signal.SIGKILL:
            raise RuntimeError(
                f"The writer stopped by itself ({writer.returncode}) before it was killed: "
                f"{stderr.decode()[-2000:]}"
            )
    committed = [
        int(line.split()[1])
        for line in stdout.decode().splitlines()
        if line.startswith("committed ")
    ]
    return CrashRun(run, waited_ms, committed)


def check_run(result: CrashRun, target: CrashTarget, version_before: int) -> None:
    """Hold the writer's announcements against the connected database; fills in ``problems``.

    Every announced change must be there; at most one more (the one in flight at the kill,
    committed but not yet announced) may be; nothing may be half there. Of the owner changes
    only the last is visible, and the target's version counts them all.
    """
    run, committed, problems = result.run, result.committed, result.problems
    if committed != list(range(1, len(committed) + 1)):
        problems.append(f"run {run}: the writer announced {committed[:10]}…, not 1, 2, 3 …")
    in_flight = len(committed) + 1
    milestones = {
        int(m.title.removeprefix(f"m-{run}-"))
        for m in Milestone.select().where(Milestone.title.startswith(f"m-{run}-"))
    }
    actions = {
        a.id: int(a.text.removeprefix(f"a-{run}-"))
        for a in Action.select().where(Action.text.startswith(f"a-{run}-"))
    }
    for action_id, number in actions.items():
        links = (
            ActionRecommendation.select().where(ActionRecommendation.action == action_id).count()
        )
        if links != len(target.recommendation_ids):
            problems.append(
                f"run {run}: action a-{run}-{number} has {links} of "
                f"{len(target.recommendation_ids)} recommendation links: half-written"
            )
    for kind, found in (("milestone", milestones), ("action", set(actions.values()))):
        announced = {n for n in committed if kind_of(n) == kind}
        if announced - found:
            problems.append(
                f"run {run}: announced {kind} changes {sorted(announced - found)[:10]} are "
                "missing: committed changes lost"
            )
        if found - announced - {in_flight}:
            problems.append(
                f"run {run}: {kind} changes {sorted(found - announced - {in_flight})[:10]} "
                "are there but were never made"
            )
    owner = Action.get_by_id(target.action_id)
    announced_owners = [n for n in committed if kind_of(n) == "owner"]
    owner_number = (
        int(owner.owner.removeprefix(f"owner-{run}-"))
        if owner.owner.startswith(f"owner-{run}-")
        else None
    )
    allowed = {announced_owners[-1] if announced_owners else None}
    if kind_of(in_flight) == "owner":
        allowed.add(in_flight)
    landed_owners = announced_owners + ([in_flight] if owner_number == in_flight else [])
    if owner_number not in allowed:
        problems.append(
            f"run {run}: the target's owner is {owner.owner!r} but the last announced owner "
            f"change was {announced_owners[-1] if announced_owners else None}"
        )
    elif owner.version != version_before + len(landed_owners):
        problems.append(
            f"run {run}: the target's version is {owner.version}, expected "
            f"{version_before} + {len(landed_owners)} owner changes"
        )
    result.present = sorted(milestones | set(actions.values()) | set(landed_owners))


def sqlite_problems(connection: Any) -> list[str]:
    """What SQLite finds wrong with the file: ``quick_check`` and the foreign keys."""
    problems = []
    check = [row[0] for row in connection.execute_sql("PRAGMA quick_check").fetchall()]
    if check != ["ok"]:
        problems.append(f"quick_check: {check[:5]}")
    orphans = connection.execute_sql("PRAGMA foreign_key_check").fetchall()
    if orphans:
        problems.append(f"foreign_key_check: {orphans[:5]}")
    return problems


def crash_runs(url: str, runs: int, *, seed: int) -> tuple[list[CrashRun], float]:
    """Kill ``runs`` writers one after the other; after each, reopen and check everything.

    Reopening goes through :func:`esi_desktop.database.connect` (which migrates and checks
    the file); a database that will not open raises. Even runs hold each transaction open
    up to 20 ms before COMMIT, so that many kills land inside a transaction.

    Returns:
        Every run, and the seconds they took together.
    """
    import peewee

    rng = random.Random(seed)
    database.connect(url)
    try:
        target = prepare_target()
        version = int(Action.get_by_id(target.action_id).version)
    finally:
        database.disconnect()
    results = []
    start = time.perf_counter()
    for run in range(1, runs + 1):
        result = kill_one_writer(url, run, target, rng=rng, hold_ms=20 if run % 2 == 0 else 0)
        connection = database.connect(url, create=False)
        try:
            if isinstance(connection, peewee.SqliteDatabase):
                result.problems.extend(sqlite_problems(connection))
            check_run(result, target, version)
            version = int(Action.get_by_id(target.action_id).version)
        finally:
            database.disconnect()
        results.append(result)
    return results, time.perf_counter() - start


def crash_summary(label: str, results: list[CrashRun], seconds: float) -> str:
    """One line of figures for a person (and for the junit output)."""
    counts = [len(r.committed) for r in results]
    landed = sum(r.in_flight_landed for r in results)
    problems = sum(len(r.problems) for r in results)
    return (
        f"{label}: {len(results)} kills in {seconds:.1f} s; {sum(counts)} announced commits "
        f"(per run {min(counts, default=0)}–{max(counts, default=0)}); {landed} runs where "
        f"the change in flight had committed unannounced; {problems} problems"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (sqlite:///… or postgresql://…)")
    parser.add_argument("--run", type=int, required=True, help="numbers this run's changes")
    parser.add_argument("--action", type=int, required=True, help="the target action's id")
    parser.add_argument("--recommendations", required=True, help="ids, comma-separated")
    parser.add_argument("--hold-ms", type=float, default=0.0)
    args = parser.parse_args(argv)
    write_forever(
        args.db,
        run=args.run,
        action_id=args.action,
        recommendation_ids=[int(i) for i in args.recommendations.split(",")],
        hold_ms=args.hold_ms,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
