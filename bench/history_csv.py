"""History CSV of 100,000 recorded changes: peak memory (and time) over a bare csv floor.

The database holds the sample inspection, a plan of 100 actions and 1,000 milestones, and
100,000 recorded changes of them (some of items since deleted, some with text a spreadsheet
would run as a formula). The subject is ``audit.export_csv`` of the inspection's history;
the baseline writes the same rows with the ``csv`` module straight from a database cursor
(``SELECT ... ORDER BY``, one row at a time, the raw stored values: no labels, no local
times, no formula marking). Peak memory is Python's (``tracemalloc``), measured around each
call; baseline and subject alternate, and the ratios' min and median over the pairs are
printed with the goal: the export's peak under 60 MiB (issue 13), streamed.

Run: ``uv run python bench/history_csv.py [--pairs N] [--entries N] [--quick]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import csv  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402

MIB = 1024 * 1024
GOAL_MIB = 60
ACTIONS = 100
MILESTONES_PER_ACTION = 10
FIELDS = ("status", "due_date", "title", "internal_note", "completed_on")


def generate(inspection_id: int, entries: int) -> None:
    """A plan of 1,000 milestones and ``entries`` recorded changes of its items, in bulk."""
    from db.models import Action, AuditEntry, Milestone, database_proxy

    with database_proxy.atomic():
        milestones: list[int] = []
        actions: list[int] = []
        for number in range(ACTIONS):
            action = Action.create(
                inspection=inspection_id,
                text=f"Action {number + 1}: audit and improve practice in every team",
                owner=f"Assistant Chief Officer {number % 4 + 1}",
                target_date=date(2005, 6, 30) + timedelta(days=3 * number),
                position=number + 1,
                number=number + 1,
            )
            actions.append(int(action.id))
            for step in range(MILESTONES_PER_ACTION):
                milestone = Milestone.create(
                    action=action,
                    title=f"Milestone {step + 1} of action {number + 1}: cases audited",
                    due_date=date(2005, 3, 1) + timedelta(days=7 * step + number),
                    position=step + 1,
                    number=step + 1,
                )
                milestones.append(int(milestone.id))
        gone = max(milestones) + 1
        start = datetime(2005, 2, 1, 9, 0, 0)
        rows = []
        for n in range(entries):
            if n % 50 == 0:  # an item since deleted: its create and delete entries
                item_id = gone + n // 50
                described = f"AP{n % ACTIONS + 1}.{n % 9 + 1}: Cases audited (due 2005-04-30)"
                rows.append(
                    {
                        "changed_at": start + timedelta(seconds=30 * n),
                        "changed_by": "secretary",
                        "item_kind": "milestone",
                        "item_id": item_id,
                        "inspection_id": inspection_id,
                        "field": "",
                        "old_value": described if n % 100 else None,
                        "new_value": None if n % 100 else described,
                        "action": "delete" if n % 100 else "create",
                    }
                )
                continue
            kind, item_id = (
                ("action", actions[n % len(actions)])
                if n % 7 == 0
                else ("milestone", milestones[n % len(milestones)])
            )
            field = FIELDS[n % len(FIELDS)]
            new = (
                f"=SUM(A{n})"
                if n % 97 == 0
                else f"Change {n}: the team reports progress, réunion du {n % 28 + 1} mars"
            )
            rows.append(
                {
                    "changed_at": start + timedelta(seconds=30 * n),
                    "changed_by": f"secretary{n % 3}",
                    "item_kind": kind,
                    "item_id": item_id,
                    "inspection_id": inspection_id,
                    "field": field,
                    "old_value": f"Before {n}",
                    "new_value": new,
                    "action": "update",
                }
            )
        for first in range(0, len(rows), 50):
            AuditEntry.insert_many(rows[first : first + 50]).execute()


def baseline(path: Path, inspection_id: int) -> int:
    """The same rows written with the csv module straight from a cursor: the floor."""
    from db.models import database_proxy

    cursor = database_proxy.execute_sql(
        "SELECT changed_at, changed_by, item_kind || ' ' || item_id, field, "
        "COALESCE(old_value, ''), COALESCE(new_value, '') FROM audit_entry "
        "WHERE inspection_id = ? ORDER BY changed_at, id",
        (inspection_id,),
    )
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(("When", "Who", "Item", "Field", "Old", "New"))
        for row in cursor:
            writer.writerow(row)
            count += 1
    return count


def measured(work: Callable[[], int]) -> tuple[float, float, int]:
    """(peak MiB, seconds, rows) of one call, Python's allocations traced."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    rows = work()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / MIB
    tracemalloc.stop()
    return peak, seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 entries, 2 pairs")
    args = parser.parse_args()
    if args.quick:
        args.pairs, args.entries = 2, 10_000

    from esi_desktop import audit, database
    from esi_desktop.report.importer import load_sample

    with tempfile.TemporaryDirectory(prefix="esi-bench-csv-") as folder:
        database.connect(f"sqlite:///{Path(folder) / 'history.sqlite3'}")
        try:
            inspection_id = load_sample().inspection_id
            generate(inspection_id, args.entries)
            out = Path(folder) / "history.csv"
            floor_out = Path(folder) / "floor.csv"

            def subject() -> int:
                return audit.export_csv(inspection_id=inspection_id, path=out)

            def floor() -> int:
                return baseline(floor_out, inspection_id)

            subject()  # warm up: imports, caches
            floor()
            pairs = []
            for _ in range(args.pairs):
                pairs.append((measured(floor), measured(subject)))
            size = out.stat().st_size
        finally:
            database.disconnect()

    rows = pairs[0][1][2]
    peaks = [s[0] for _, s in pairs]
    floor_peaks = [f[0] for f, _ in pairs]
    memory_ratios = [s[0] / f[0] for f, s in pairs]
    time_ratios = [s[1] / f[1] for f, s in pairs]
    print(
        f"history CSV of {rows:,} recorded changes ({size / MIB:.1f} MiB file), {args.pairs} pairs"
    )
    print(
        f"peak memory  : export median {statistics.median(peaks):7.1f} MiB "
        f"(max {max(peaks):.1f}), floor median {statistics.median(floor_peaks):6.2f} MiB; "
        f"ratio min {min(memory_ratios):.1f}x median {statistics.median(memory_ratios):.1f}x"
    )
    verdict = "met" if max(peaks) < GOAL_MIB else "NOT met"
    print(f"  goal: export peak < {GOAL_MIB} MiB, streamed -> {verdict}")
    print(
        f"time (traced): export median {statistics.median(s[1] for _, s in pairs):6.2f} s, "
        f"floor median {statistics.median(f[1] for f, _ in pairs):6.2f} s; "
        f"ratio min {min(time_ratios):.2f}x median {statistics.median(time_ratios):.2f}x "
        "(no goal: labels, local times and formula marking cost what they cost)"
    )


if __name__ == "__main__":
    main()
