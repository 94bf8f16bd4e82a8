"""Action plan at scale: 50 inspections × 15 recommendations × 10 actions × 5 milestones.

In a generated database of 37,500 milestones, times (median of several runs):

- showing one inspection's action plan (the Action plan view filled and painted), and
- one filter keystroke over it (typing a character, then Enter, which filters at once; while
  typing the view waits for a 200 ms pause first, by design),

each as a ratio over fetching the same rows with plain ``sqlite3`` in the same run.
Goals: shown in under 1 s, a filter under 50 ms. Run: ``uv run python bench/ui_scale.py``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from esi_desktop import database  # noqa: E402

INSPECTIONS, RECOMMENDATIONS, ACTIONS, MILESTONES = 50, 15, 10, 5
OWNERS = ["ACO Operations", "ACO Resources", "Chief Officer", "SPO Gloucester", "SPO Cheltenham",
          "Training manager", "Performance manager", "Diversity lead"]  # fmt: skip
STATUSES = ["Not started", "In progress", "Complete"]


def generate(path: Path) -> None:
    """Write the generated plan straight into a migrated database file."""
    database.connect(f"sqlite:///{path}")
    database.disconnect()
    raw = sqlite3.connect(path)
    stamp = "2005-02-01 09:00:00"
    with raw:
        for i in range(1, INSPECTIONS + 1):
            raw.execute(
                "INSERT INTO inspection (id, area, programme, report_title, published_year, "
                "published_month, created_at, updated_at) VALUES (?, ?, 'ESI', ?, 2005, ?, ?, ?)",
                (i, f"Area {i:02d}", f"Report on Area {i:02d}", 1 + i % 12, stamp, stamp),
            )
        recommendations, actions, links, milestones = [], [], [], []
        rec_id = action_id = milestone_id = 0
        for i in range(1, INSPECTIONS + 1):
            for r in range(RECOMMENDATIONS):
                rec_id += 1
                recommendations.append((rec_id, i, str(r + 1), f"recommendation {r + 1} of area "
                                        f"{i}: improve the quality of supervision plans", r,
                                        stamp, stamp))  # fmt: skip
                for a in range(ACTIONS):
                    action_id += 1
                    target = date(2005, 6, 1) + timedelta(days=(action_id * 7) % 400)
                    actions.append((action_id, i, f"Action {a + 1} for recommendation {r + 1}: "
                                    "audit ten cases a month", OWNERS[action_id % len(OWNERS)],
                                    target.isoformat(), a, stamp, stamp))  # fmt: skip
                    links.append((action_id, rec_id, stamp, stamp))
                    for m in range(MILESTONES):
                        milestone_id += 1
                        due = target - timedelta(days=30 * (MILESTONES - m))
                        status = STATUSES[milestone_id % 3]
                        milestones.append((milestone_id, action_id, f"Step {m + 1}: report to the "
                                           "Board", due.isoformat(), status,
                                           due.isoformat() if status == "Complete" else None, m,
                                           stamp, stamp))  # fmt: skip
        raw.executemany(
            "INSERT INTO recommendation (id, inspection_id, reference, text, framework_id, "
            "position, created_at, updated_at) VALUES (?, ?, ?, ?, 'esi-core', ?, ?, ?)",
            recommendations,
        )
        raw.executemany(
            "INSERT INTO action (id, inspection_id, text, owner, target_date, position, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            actions,
        )
        raw.executemany(
            "INSERT INTO action_recommendation (action_id, recommendation_id, created_at, "
            "updated_at) VALUES (?, ?, ?, ?)",
            links,
        )
        raw.executemany(
            "INSERT INTO milestone (id, action_id, title, due_date, status, completed_on, "
            "position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            milestones,
        )
    raw.close()


def fetch_plain(path: Path, inspection_id: int) -> int:
    """The floor: the same rows with plain sqlite3."""
    raw = sqlite3.connect(path)
    try:
        rows = raw.execute(
            "SELECT * FROM recommendation WHERE inspection_id = ?", (inspection_id,)
        ).fetchall()
        rows += raw.execute(
            "SELECT * FROM action WHERE inspection_id = ?", (inspection_id,)
        ).fetchall()
        rows += raw.execute(
            "SELECT l.* FROM action_recommendation l JOIN action a ON a.id = l.action_id "
            "WHERE a.inspection_id = ?",
            (inspection_id,),
        ).fetchall()
        rows += raw.execute(
            "SELECT m.* FROM milestone m JOIN action a ON a.id = m.action_id "
            "WHERE a.inspection_id = ?",
            (inspection_id,),
        ).fetchall()
        return len(rows)
    finally:
        raw.close()


def median(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.edits import Edits
    from ui.plan.view import ActionPlanView
    from ui.workspace import Workspace

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="esi-bench-") as folder:
        path = Path(folder) / "scale.sqlite3"
        started = time.perf_counter()
        generate(path)
        print(f"generated {INSPECTIONS * RECOMMENDATIONS * ACTIONS * MILESTONES:,} milestones "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        database.connect(f"sqlite:///{path}")
        workspace = Workspace(today=lambda: date(2005, 9, 1))
        view = ActionPlanView(workspace, Edits(workspace))
        view.resize(1280, 800)
        view.show()
        app.processEvents()

        targets = iter([17, 33] * args.runs)

        def show_plan() -> None:
            workspace.set_inspection(next(targets))
            view.tree.viewport().repaint()
            app.processEvents()

        rows = fetch_plain(path, 17)
        floor = median(lambda: fetch_plain(path, 17), args.runs)
        shown = median(show_plan, args.runs)

        workspace.set_inspection(17)
        app.processEvents()
        view.filter_edit.setFocus()
        # type "audit" (every action matches: the most rows to show) and rub it out again
        keys = iter(([*"audit"] + [Qt.Key.Key_Backspace] * 5) * 10)
        shown_counts: list[int] = []

        def keystroke() -> None:
            QTest.keyClick(view.filter_edit, next(keys))
            QTest.keyClick(view.filter_edit, Qt.Key.Key_Return)
            view.tree.viewport().repaint()
            app.processEvents()
            shown_counts.append(view.proxy.rowCount())

        keystroke()  # warm up
        filtered = median(keystroke, 19)
        visible = max(shown_counts)
        database.disconnect()

    print(f"one inspection: {rows:,} rows (recommendations, actions, links, milestones)")
    print(f"plain sqlite3 fetch (floor)  : {floor * 1000:8.1f} ms")
    print(f"show the action plan         : {shown * 1000:8.1f} ms  ratio {shown / floor:6.1f}x"
          f"  (goal < 1000 ms)")  # fmt: skip
    print(f"one filter keystroke         : {filtered * 1000:8.1f} ms  ratio "
          f"{filtered / floor:6.1f}x  (goal < 50 ms; {visible} recommendations shown)")  # fmt: skip


if __name__ == "__main__":
    main()
