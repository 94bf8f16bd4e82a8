"""Start-up: process start to the main window and its children painted, the Dashboard filled.

Three databases, each timed against a bare PySide6 window in the same run, the two
alternating (bare, app, bare, app, …), after one untimed run of each to warm the file cache:

- ``sample``: the sample inspection only (the reference report, no plan);
- ``realistic``: the sample inspection with a plan of 1,000 milestones, 700 of them overdue
  today, shown first, and three more inspections with smaller plans;
- ``one-big``: 37,500 milestones in one inspection (1,500 actions × 25 milestones, a third
  of them overdue).

The clock stops when the window's first paint has finished (the window and every child on
show painted, i.e. the first return to the event loop after the paint event), and the
Dashboard must by then show the overdue rows the database holds. Each pair gives a ratio
app / bare; the bench prints the min and median of those ratios and the goal (issue 13):
≤ 1.5× for ``sample`` and ``realistic``, under 1 s for ``one-big``. A second line gives the
same for the CPU time each process had used by its first paint: on a machine busy with
other work the clock also counts the waits for a core, the CPU time much less.

Run: ``uv run python bench/startup.py [--runs N] [--quick] [--only NAME]``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "esi-gloucestershire-2005.txt"
STAMP = "2005-02-01 09:00:00"
OWNERS = ["ACO Operations", "ACO Resources", "Chief Officer", "SPO Gloucester", "SPO Cheltenham",
          "Training manager", "Performance manager", "Diversity lead"]  # fmt: skip

#: Both processes report the same way: the first return to the event loop after the first
#: paint event of the top-level window (Qt paints the window and its children in one pass).
PROBE = textwrap.dedent(
    """
    import time
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class Probe(QObject):
        def __init__(self, window):
            super().__init__(window)
            self.window = window

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, self.painted)
            return False

        def painted(self):
            now = time.time()
            # the built views: ui.view_stack.ViewStack.built (older code: the window's _built)
            stack = getattr(self.window, "views", None)
            built = getattr(stack, "built", None) or getattr(self.window, "_built", {})
            board = built.get("dashboard")
            model = getattr(board, "due_model", None)
            rows = model.rowCount() if model is not None else -1
            cpu = time.process_time()  # this process's CPU time: what it did, not waited for
            print(f"painted {now:.6f} due-rows {rows} cpu {cpu:.6f}", flush=True)
            QApplication.quit()
    """
)

BARE_WINDOW = PROBE + textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1180, 760)
    window.installEventFilter(Probe(window))
    window.show()
    app.exec()
    """
)

#: What ``main.py --db URL`` does (main.py imports nothing before ui.app), with the probe
#: above in place of the app's own ESI_DESKTOP_FIRST_PAINT_PROBE one.
APP_WINDOW = (
    textwrap.dedent(
        """
    import sys
    sys.path.insert(0, sys.argv[1])
    import ui.app
    """
    )
    + PROBE
    + textwrap.dedent(
        """
    ui.app._FirstPaintProbe = Probe
    sys.exit(ui.app.run(sys.argv[2]))
    """
    )
)


@dataclass
class Case:
    name: str
    url: str
    goal: str
    overdue: int  # the Dashboard must show at least this many rows


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """Seconds from starting the process to its window painted, the Dashboard's rows, and the
    CPU seconds the process had used by then."""
    start = time.time()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    for line in done.stdout.splitlines():
        if line.startswith("painted "):
            words = line.split()
            return float(words[1]) - start, int(words[3]), float(words[5])
    raise SystemExit(f"no paint from {argv}: {done.stderr.strip()[-800:]}")


def _import_sample(url: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "main.py", "import", str(SAMPLE), "--db", url],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip


def _add_plan(
    raw: sqlite3.Connection,
    inspection_id: int,
    actions: int,
    milestones: int,
    overdue_share: float,
) -> int:
    """Give an inspection ``actions`` × ``milestones`` milestones, ``overdue_share`` of them
    past their due date and not complete; the rest complete or due later.

    Returns how many are overdue.
    """
    today = date.today()
    recs = [r for (r,) in raw.execute(
        "SELECT id FROM recommendation WHERE inspection_id = ? ORDER BY position", (inspection_id,)
    )]  # fmt: skip
    first_action = (raw.execute("SELECT COALESCE(MAX(id), 0) FROM action").fetchone()[0]) + 1
    first_milestone = (raw.execute("SELECT COALESCE(MAX(id), 0) FROM milestone").fetchone()[0]) + 1
    action_rows, links, milestone_rows = [], [], []
    total = actions * milestones
    overdue_wanted = round(total * overdue_share)
    overdue = 0
    for a in range(actions):
        action_id = first_action + a
        target = today + timedelta(days=60 + a % 300)  # the actions themselves are in time
        action_rows.append((action_id, inspection_id, f"Action {a + 1}: audit ten cases a month "
                            "and report the findings to the Board", OWNERS[a % len(OWNERS)],
                            target.isoformat(), a, a + 1, milestones, STAMP, STAMP))  # fmt: skip
        links.append((action_id, recs[a % len(recs)], STAMP, STAMP))
        for m in range(milestones):
            index = a * milestones + m
            # spread the overdue milestones evenly over the plan
            late = (index + 1) * overdue_wanted // total > index * overdue_wanted // total
            if late:
                overdue += 1
                due, status, done = today - timedelta(days=1 + index % 200), "In progress", None
            elif index % 2:
                due = today - timedelta(days=1 + index % 200)
                status, done = "Complete", due.isoformat()
            else:
                due, status, done = today + timedelta(days=30 + index % 300), "Not started", None
            milestone_rows.append((first_milestone + index, action_id, f"Step {m + 1}: report "
                                   "progress to the Board", due.isoformat(), status, done, m,
                                   m + 1, STAMP, STAMP))  # fmt: skip
    raw.executemany(
        "INSERT INTO action (id, inspection_id, text, owner, target_date, position, number, "
        "last_milestone_number, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        action_rows,
    )
    raw.executemany(
        "INSERT INTO action_recommendation (action_id, recommendation_id, created_at, "
        "updated_at) VALUES (?, ?, ?, ?)",
        links,
    )
    raw.executemany(
        "INSERT INTO milestone (id, action_id, title, due_date, status, completed_on, position, "
        "number, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        milestone_rows,
    )
    raw.execute(
        "UPDATE inspection SET last_action_number = ? WHERE id = ?", (actions, inspection_id)
    )
    return overdue


def _add_inspection(raw: sqlite3.Connection, number: int) -> int:
    """Another, older inspection (published in 2004) with 10 recommendations."""
    cursor = raw.execute(
        "INSERT INTO inspection (area, programme, report_title, published_year, "
        "published_month, created_at, updated_at) VALUES (?, 'ESI', ?, 2004, ?, ?, ?)",
        (f"Area {number:02d}", f"Report on Area {number:02d}", 1 + number, STAMP, STAMP),
    )
    inspection_id = int(cursor.lastrowid or 0)
    raw.executemany(
        "INSERT INTO recommendation (inspection_id, reference, text, framework_id, position, "
        "created_at, updated_at) VALUES (?, ?, ?, 'esi-core', ?, ?, ?)",
        [
            (
                inspection_id,
                str(r + 1),
                f"Recommendation {r + 1}: improve the quality of supervision plans",
                r,
                STAMP,
                STAMP,
            )
            for r in range(10)
        ],
    )
    return inspection_id


def build(folder: Path, env: dict[str, str]) -> list[Case]:
    """The three databases."""
    cases = []
    url = f"sqlite:///{folder / 'sample.sqlite3'}"
    _import_sample(url, env)
    cases.append(Case("sample", url, "<= 1.5x", 0))

    path = folder / "realistic.sqlite3"
    _import_sample(f"sqlite:///{path}", env)
    with sqlite3.connect(path) as raw:
        (sample_id,) = raw.execute("SELECT id FROM inspection").fetchone()
        overdue = _add_plan(raw, sample_id, 100, 10, 0.7)  # 1,000 milestones, 700 overdue
        for number in range(1, 4):
            _add_plan(raw, _add_inspection(raw, number), 40, 5, 0.3)
    cases.append(Case("realistic", f"sqlite:///{path}", "<= 1.5x", overdue))

    path = folder / "one-big.sqlite3"
    _import_sample(f"sqlite:///{path}", env)
    with sqlite3.connect(path) as raw:
        (sample_id,) = raw.execute("SELECT id FROM inspection").fetchone()
        overdue = _add_plan(raw, sample_id, 1500, 25, 1 / 3)  # 37,500 milestones
    cases.append(Case("one-big", f"sqlite:///{path}", "< 1000 ms", overdue))
    return cases


def measure(case: Case, bare: list[str], env: dict[str, str], runs: int) -> None:
    app = [sys.executable, str(Path(bare[1]).with_name("app.py")), str(ROOT), case.url]
    _run(bare, env)  # one untimed run of each warms the file cache (and writes bytecode)
    _run(app, env)
    bare_times, app_times, bare_cpu, app_cpu = [], [], [], []
    for _ in range(runs):
        seconds, _rows, cpu = _run(bare, env)
        bare_times.append(seconds)
        bare_cpu.append(cpu)
        seconds, rows, cpu = _run(app, env)
        if rows < case.overdue:
            raise SystemExit(f"{case.name}: the Dashboard showed {rows} rows, not {case.overdue}")
        app_times.append(seconds)
        app_cpu.append(cpu)
    ratios = [a / b for a, b in zip(app_times, bare_times, strict=True)]
    cpu_ratios = [a / b for a, b in zip(app_cpu, bare_cpu, strict=True)]
    print(
        f"{case.name:9} bare {statistics.median(bare_times) * 1000:6.0f} ms  "
        f"app {statistics.median(app_times) * 1000:6.0f} ms (min {min(app_times) * 1000:5.0f})  "
        f"ratio min {min(ratios):5.2f}x median {statistics.median(ratios):5.2f}x  "
        f"goal {case.goal}  ({runs} pairs, Dashboard rows {case.overdue}+)",
        flush=True,
    )
    # on a busy machine the clock counts the waits for a core too: the CPU time each process
    # used up to its first paint is steadier (it is not the goal, only a cross-check)
    print(
        f"{'':9} cpu  {statistics.median(bare_cpu) * 1000:6.0f} ms  "
        f"app {statistics.median(app_cpu) * 1000:6.0f} ms (min {min(app_cpu) * 1000:5.0f})  "
        f"ratio min {min(cpu_ratios):5.2f}x median {statistics.median(cpu_ratios):5.2f}x",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="alternating pairs (default 7)")
    parser.add_argument("--quick", action="store_true", help="2 pairs each: a smoke test")
    parser.add_argument("--only", choices=["sample", "realistic", "one-big"], action="append")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    with tempfile.TemporaryDirectory(prefix="esi-bench-") as name:
        folder = Path(name)
        # the app installs its probe (ours, see APP_WINDOW) only when asked to
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ESI_DESKTOP_FIRST_PAINT_PROBE="1")
        # a user's Python keeps compiled bytecode; without it every run recompiles peewee,
        # PySide6's helpers and our modules from source, which is not what a user waits for
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[variable] = str(folder / variable.lower())
        started = time.perf_counter()
        cases = build(folder, env)
        print(f"built the databases in {time.perf_counter() - started:.1f} s", flush=True)
        bare_script = folder / "bare.py"
        bare_script.write_text(BARE_WINDOW)
        (folder / "app.py").write_text(APP_WINDOW)
        for case in cases:
            if args.only is None or case.name in args.only:
                measure(case, [sys.executable, str(bare_script)], env, runs)


if __name__ == "__main__":
    main()
