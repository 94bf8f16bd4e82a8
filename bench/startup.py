"""Start-up: process start to the main window and its children painted, the Dashboard filled.

Three databases, each timed against a bare PySide6 window and a floor in the same run, the
three alternating (bare, floor, app, bare, floor, app, …), after one untimed run of each to
warm the file cache:

- ``sample``: the sample inspection only (the reference report, no plan);
- ``realistic``: the sample inspection with a plan of 1,000 milestones, 700 of them overdue
  today, shown first, and three more inspections with smaller plans;
- ``one-big``: 37,500 milestones in one inspection (1,500 actions × 25 milestones, a third
  of them overdue).

The clock stops when the window's first paint has finished (the window and every child on
show painted, i.e. the first return to the event loop after the paint event), and the
Dashboard must by then show the overdue rows the database holds. Each round gives a ratio
app / bare; the bench prints the min and median of those ratios and the goal (issue 13):
≤ 1.5× for ``sample`` and ``realistic``, under 1 s for ``one-big``.

The floor (:data:`FLOOR_WINDOW`) is the least a program on this stack does to show the same
database's rows in a window: PySide6 with its ``Qt`` namespace, peewee, the rows read, a menu
bar, a list, a heading and a table painted. Its ratio to the bare window says how much of the
goal any such program spends before it shows anything of its own; app / floor is what the
application adds above it. CPU lines give the same for the CPU time each process had used by
its first paint: on a machine busy with other work the clock also counts the waits for a
core, the CPU time much less.

``--instructions`` counts, with valgrind, the instructions each process runs up to its first
paint instead: one run each, slow (about a minute a process) but steady within about 1% on a
shared machine, where the clock's medians swing by half.

Run: ``uv run python bench/startup.py [--runs N] [--quick] [--only NAME] [--instructions]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
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

#: The floor: the least any program on this stack does to show a database's rows in a window
#: of this kind — PySide6 with the ``Qt`` namespace, peewee (without the server drivers, as
#: ``db.drivers`` loads it), the database opened and its recommendations read, a menu bar of
#: four menus, a navigation list, a heading, a table of the rows and a status bar, painted.
#: No scores, clock, meetings or plan: what the app adds above this is the product.
FLOOR_WINDOW = PROBE.replace("due-rows {rows}", "due-rows {self.rows}") + textwrap.dedent(
    """
    import sys
    sys.modules["psycopg2"] = None  # peewee without the PostgreSQL driver, as db.drivers does
    sys.modules["pymysql"] = None
    import peewee
    from PySide6.QtCore import QAbstractTableModel, Qt
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import (QLabel, QListWidget, QMainWindow, QSplitter, QTableView,
                                   QVBoxLayout, QWidget)

    class Rows(QAbstractTableModel):
        def __init__(self, rows):
            super().__init__()
            self.rows = rows

        def rowCount(self, parent=None):
            return len(self.rows)

        def columnCount(self, parent=None):
            return 2

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.rows[index.row()][index.column()]
            return None

    database = peewee.SqliteDatabase(sys.argv[1].removeprefix("sqlite:///"))
    database.connect()
    (area,) = database.execute_sql("SELECT area FROM inspection ORDER BY id LIMIT 1").fetchone()
    rows = database.execute_sql(
        "SELECT reference, text FROM recommendation ORDER BY inspection_id, position"
    ).fetchall()
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    for title in ("&File", "&Edit", "&View", "&Help"):
        menu = window.menuBar().addMenu(title)
        for number in range(6):
            action = QAction(f"Item {number}", window)
            action.setShortcut(QKeySequence(f"Ctrl+Shift+{number}"))
            menu.addAction(action)
    navigation = QListWidget()
    navigation.addItems(["Dashboard", "Recommendations & responses", "Action plan",
                         "Scoring summary & follow-up"])
    right = QWidget()
    layout = QVBoxLayout(right)
    layout.addWidget(QLabel(f"<b>{area}</b>"))
    table = QTableView()
    table.setModel(Rows(rows))
    layout.addWidget(table)
    splitter = QSplitter()
    splitter.addWidget(navigation)
    splitter.addWidget(right)
    window.setCentralWidget(splitter)
    window.statusBar().showMessage("Ready")
    window.resize(1180, 760)
    probe = Probe(window)
    probe.rows = len(rows)
    window.installEventFilter(probe)
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


def _line(name: str, label: str, times: list[float], bare: list[float], unit: str) -> str:
    ratios = [t / b for t, b in zip(times, bare, strict=True)]
    return (
        f"{name:9} {label:9} {statistics.median(times) * 1000:6.0f} {unit} "
        f"(min {min(times) * 1000:5.0f})  ratio to bare min {min(ratios):5.2f}x "
        f"median {statistics.median(ratios):5.2f}x"
    )


def _commands(case: Case, scripts: dict[str, Path]) -> dict[str, list[str]]:
    return {
        "bare": [sys.executable, str(scripts["bare"])],
        "floor": [sys.executable, str(scripts["floor"]), case.url],
        "app": [sys.executable, str(scripts["app"]), str(ROOT), case.url],
    }


def count_instructions(case: Case, scripts: dict[str, Path], env: dict[str, str]) -> None:
    """The instructions each of bare, floor and app runs up to its first paint, counted by
    valgrind's callgrind: the same on a busy machine as on a quiet one (within ~1%), where the
    clock can swing by half. One run each, after a warming run; about a minute per process."""
    counted = dict(env, PYTHONHASHSEED="0")  # the same hashing, the same work, each run
    found: dict[str, float] = {}
    for name, command in _commands(case, scripts).items():
        _run(command, env)  # bytecode written, files cached
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
            cwd=ROOT, env=counted, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        collected = [line for line in done.stderr.splitlines() if "Collected :" in line]
        if not collected:
            raise SystemExit(f"valgrind counted nothing for {name}: {done.stderr[-400:]}")
        found[name] = float(collected[-1].split(":")[-1])
    bare = found["bare"]
    print(
        f"{case.name:9} instructions to the first paint: bare {bare / 1e6:6.0f} M, "
        f"floor {found['floor'] / 1e6:6.0f} M ({found['floor'] / bare:4.2f}x), "
        f"app {found['app'] / 1e6:6.0f} M ({found['app'] / bare:4.2f}x, "
        f"{found['app'] / found['floor']:4.2f}x the floor)",
        flush=True,
    )


def measure(case: Case, scripts: dict[str, Path], env: dict[str, str], runs: int) -> None:
    """Alternate bare, floor and app ``runs`` times; print their medians and ratios."""
    argv = _commands(case, scripts)
    for command in argv.values():
        _run(command, env)  # one untimed run of each warms the file cache (and writes bytecode)
    wall: dict[str, list[float]] = {name: [] for name in argv}
    cpu: dict[str, list[float]] = {name: [] for name in argv}
    for _ in range(runs):
        for name, command in argv.items():
            seconds, rows, used = _run(command, env)
            if name == "app" and rows < case.overdue:
                raise SystemExit(
                    f"{case.name}: the Dashboard showed {rows} rows, not {case.overdue}"
                )
            wall[name].append(seconds)
            cpu[name].append(used)
    print(
        f"{case.name:9} {'bare':9} {statistics.median(wall['bare']) * 1000:6.0f} ms "
        f"(min {min(wall['bare']) * 1000:5.0f})  goal for the app {case.goal}  "
        f"({runs} rounds, Dashboard rows {case.overdue}+)",
        flush=True,
    )
    for name in ("floor", "app"):
        print(_line("", name, wall[name], wall["bare"], "ms"), flush=True)
    app_over_floor = [a / f for a, f in zip(wall["app"], wall["floor"], strict=True)]
    print(
        f"{'':9} app / floor min {min(app_over_floor):5.2f}x "
        f"median {statistics.median(app_over_floor):5.2f}x",
        flush=True,
    )
    # on a busy machine the clock counts the waits for a core too: the CPU time each process
    # used up to its first paint is steadier (it is not the goal, only a cross-check)
    for name in ("floor", "app"):
        print(_line("", f"{name} cpu", cpu[name], cpu["bare"], "ms"), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="alternating pairs (default 7)")
    parser.add_argument("--quick", action="store_true", help="2 pairs each: a smoke test")
    parser.add_argument("--only", choices=["sample", "realistic", "one-big"], action="append")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count the instructions to the first paint with valgrind instead of timing",
    )
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt-get install valgrind)")
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
        scripts = {
            "bare": folder / "bare.py",
            "floor": folder / "floor.py",
            "app": folder / "app.py",
        }
        scripts["bare"].write_text(BARE_WINDOW)
        scripts["floor"].write_text(FLOOR_WINDOW)
        scripts["app"].write_text(APP_WINDOW)
        for case in cases:
            if args.only is not None and case.name not in args.only:
                continue
            if args.instructions:
                count_instructions(case, scripts, env)
            else:
                measure(case, scripts, env, runs)


if __name__ == "__main__":
    main()
