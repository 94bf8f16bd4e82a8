"""Startup: process start to the first painted main window, over a bare PySide6 window.

Both are measured in the same run, alternating, several times each; the ratio of medians is
the result (goal ≤ 1.5×). Run: ``uv run python bench/startup.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_WINDOW = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Probe(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                print(f"first-paint {time.time():.6f}", flush=True)
                watched.removeEventFilter(self)
                QTimer.singleShot(0, QApplication.quit)
            return False

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1180, 760)
    probe = Probe(window)
    window.installEventFilter(probe)
    window.show()
    app.exec()
    """
)


def time_to_first_paint(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from starting the process to its first paint."""
    start = time.time()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    for line in done.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    raise SystemExit(f"no first paint from {argv}: {done.stderr.strip()[-500:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="esi-bench-") as folder:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ESI_DESKTOP_FIRST_PAINT_PROBE="1")
        # a user's Python keeps compiled bytecode; without it every run recompiles peewee,
        # PySide6's helpers and our modules from source, which is not what a user waits for
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[name] = str(Path(folder) / name.lower())
        url = f"sqlite:///{Path(folder) / 'sample.sqlite3'}"
        sample = ROOT / "resources" / "samples" / "esi-gloucestershire-2005.txt"
        subprocess.run(
            [sys.executable, "main.py", "import", str(sample), "--db", url],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE_WINDOW)
        app_times, bare_times = [], []
        # one untimed run of each warms the file cache
        time_to_first_paint([sys.executable, str(bare_script)], env)
        time_to_first_paint([sys.executable, "main.py", "--db", url], env)
        for _ in range(args.runs):
            bare_times.append(time_to_first_paint([sys.executable, str(bare_script)], env))
            app_times.append(time_to_first_paint([sys.executable, "main.py", "--db", url], env))
    bare = statistics.median(bare_times)
    app = statistics.median(app_times)
    print(f"bare PySide6 window : median {bare * 1000:7.1f} ms over {args.runs} runs")
    print(f"ESI Desktop (sample): median {app * 1000:7.1f} ms over {args.runs} runs")
    print(f"ratio               : {app / bare:.2f}x  (goal <= 1.5x)")


if __name__ == "__main__":
    main()
