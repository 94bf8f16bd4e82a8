"""PostgreSQL outages under a running window (issue 10 §1): dialogs, time to message, recovery.

A window (offscreen) works on a private server, which this bench then puts through three
outages:

1. the listener's backend killed (``pg_terminate_backend``: a server idle timeout, a firewall);
2. the server stopped (``pg_ctl stop -m fast``), an edit typed, the server started again;
3. the server frozen (SIGSTOP on every server process: a network partition), an edit typed,
   the server thawed;
4. the server frozen while nobody edits: the minute's check (brought forward) notices it off
   the GUI thread, and an edit typed then is refused at once.

Printed per outage: message boxes and crash-hook calls (**dialogs, must be 0**), notices put
up (must be 1), seconds from the outage to the sentence or notice, seconds from the server
being back to the window working again (listener and views restored), and the longest time
the GUI thread was busy in one go (a frozen window). The time to the sentence is also given
as a ratio over a normal edit's time measured in the same run. Exits with 1 when a dialog
appeared or an outage did not end.

Run: ``uv run python bench/outage.py [--timeout 15] [--down 3]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# never the real user's folders or screen
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = Path(tempfile.mkdtemp(prefix="esi-bench-outage-"))
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(_HOME / _name.lower())

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date  # noqa: E402
from types import TracebackType  # noqa: E402

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from tests.postgres_server import ServerControl, admin_execute, controlled_server  # noqa: E402

KILL_LISTENER = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
)


class Dialogs:
    """Counts message boxes (the crash hook's too) instead of showing them, and errors that
    reached the crash hook at all."""

    def __init__(self) -> None:
        self.count = 0
        self.crashes = 0

        def record(*_args: object) -> QMessageBox.StandardButton:
            self.count += 1
            return QMessageBox.StandardButton.Ok

        for name in ("warning", "information", "critical", "question"):
            setattr(QMessageBox, name, staticmethod(record))

        def crash(
            kind: type[BaseException], value: BaseException, tb: TracebackType | None
        ) -> None:
            from ui.app import crash_hook

            self.crashes += 1
            crash_hook(kind, value, tb)

        sys.excepthook = crash

    def reset(self) -> None:
        self.count = self.crashes = 0


#: The longest the GUI thread was busy in one go since the last report (seconds).
longest_block = 0.0


def blocked(since: float) -> None:
    global longest_block
    longest_block = max(longest_block, time.perf_counter() - since)


def wait_until(condition: Callable[[], bool], seconds: float) -> float | None:
    """Process events until ``condition``; the seconds it took, or None on time-out."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        before = time.perf_counter()
        QApplication.processEvents()
        blocked(before)
        if condition():
            return time.perf_counter() - started
        time.sleep(0.005)
    return None


def step_category(window: object, text: str) -> None:
    """Type the category of the recommendation on show with the arrow keys (each a save)."""
    combo = window.recommendations.editor.category  # type: ignore[attr-defined]
    combo.setFocus()
    index = combo.findText(text)
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        before = time.perf_counter()
        QTest.keyClick(combo, key)
        blocked(before)


def message(window: object) -> str:
    return str(window.recommendations.editor.message.text())  # type: ignore[attr-defined]


def back(window: object) -> Callable[[], bool]:
    def ready() -> bool:
        return bool(
            window.outage_banner.isHidden()  # type: ignore[attr-defined]
            and window.connection.listener is not None  # type: ignore[attr-defined]
        )

    return ready


def report(
    name: str, dialogs: Dialogs, notices: int, to_message: float | None,
    to_recover: float | None, baseline: float, since: str = "the server was back",
) -> bool:  # fmt: skip
    global longest_block
    shown = f"{to_message:.2f} s" if to_message is not None else "never"
    ratio = f" = {to_message / baseline:,.1f}× a normal edit" if to_message is not None else ""
    recovered = f"{to_recover:.2f} s" if to_recover is not None else "NOT RECOVERED"
    print(
        f"{name}: dialogs {dialogs.count}, crash-hook calls {dialogs.crashes}, notices "
        f"{notices}; message after {shown}{ratio}; working again {recovered} after {since}; "
        f"the window's longest freeze {longest_block:.2f} s",
        flush=True,
    )
    longest_block = 0.0
    return dialogs.count == 0 and notices <= 1 and to_recover is not None


def run(server: ServerControl, timeout: float, down: float) -> bool:
    from db.models import Recommendation
    from esi_desktop.settings import SERVER_TIMEOUT
    from ui import app as ui_app
    from ui.main_window import MainWindow
    from ui.settings import Settings

    app = ui_app.make_application()
    dialogs = Dialogs()
    name = "esi_bench_outage"
    admin_execute(server.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_execute(server.url, f'CREATE DATABASE "{name}"')
    url = f"{server.url.rsplit('/', 1)[0]}/{name}"
    Settings().set_value(SERVER_TIMEOUT, timeout)
    window = MainWindow(today=lambda: date(2005, 3, 20))
    window.show()
    assert window.open_database(url)
    window.load_sample()
    window.show_view("recommendations")
    view = window.recommendations
    ids = [r.id for r in Recommendation.select().order_by(Recommendation.id)]
    good = True

    # baseline: a normal edit (one arrow key, one save) on a working server
    view.select_recommendation(ids[0])
    global longest_block
    started = time.perf_counter()
    step_category(window, "Agreed")
    baseline = (time.perf_counter() - started) / max(1, view.editor.category.currentIndex())
    print(f"baseline: a normal edit takes {baseline * 1000:.1f} ms", flush=True)
    longest_block = 0.0

    # 1. the listener's backend killed
    dialogs.reset()
    window.connection.outage_notices = 0
    started = time.perf_counter()
    admin_execute(server.url, KILL_LISTENER)
    noticed = wait_until(lambda: window.outage_notices > 0, 10)
    recovered = wait_until(back(window), 60)
    good &= report(
        "listener killed", dialogs, window.outage_notices, noticed,
        None if recovered is None else time.perf_counter() - started, baseline,
        since="the kill",
    )  # fmt: skip

    def edit_while_down(recommendation_id: int, patience: float) -> float | None:
        """An edit tried while the server is down: seconds until the sentence, if it came."""
        # the person picks a recommendation (reading it may be the first to meet the
        # outage) and chooses a category; both count towards the freeze and the message
        started = time.perf_counter()
        view.select_recommendation(recommendation_id)
        blocked(started)
        before = time.perf_counter()
        step_category(window, "Agreed")  # the check before a change waits 2 s at most
        blocked(before)
        said = wait_until(lambda: "Lost the connection" in message(window), patience)
        to_message = None if said is None else time.perf_counter() - started
        wait_until(lambda: False, down)  # down for a while: the window keeps trying, calmly
        return to_message

    # 2. the server stopped, an edit tried, the server started again
    dialogs.reset()
    window.connection.outage_notices = 0
    server.stop("fast")
    to_message = edit_while_down(ids[1], 10)
    server.start()
    restarted = time.perf_counter()
    recovered = wait_until(back(window), 60)
    good &= report(
        "server stopped", dialogs, window.outage_notices, to_message,
        None if recovered is None else time.perf_counter() - restarted, baseline,
    )  # fmt: skip

    # 3. the server frozen (SIGSTOP), an edit tried, the server thawed
    dialogs.reset()
    window.connection.outage_notices = 0
    stopped = server.freeze()
    try:
        wait_until(lambda: False, 1)  # the stall began a moment before the person's click
        to_message = edit_while_down(ids[2], timeout + 30)
    finally:
        server.thaw(stopped)
    thawed = time.perf_counter()
    recovered = wait_until(back(window), 90)
    good &= report(
        "server frozen", dialogs, window.outage_notices, to_message,
        None if recovered is None else time.perf_counter() - thawed, baseline,
    )  # fmt: skip

    # 4. the server frozen while nobody edits: the minute's check (run now) notices it off the
    # GUI thread, and an edit is then refused at once
    view.select_recommendation(ids[3])
    dialogs.reset()
    window.connection.outage_notices = 0
    stopped = server.freeze()
    try:
        started = time.perf_counter()
        window.refresh_timer.timeout.emit()
        noticed = wait_until(lambda: window.outage_notices > 0, timeout + 30)
        edited = time.perf_counter()
        step_category(window, "Agreed")
        refused = wait_until(lambda: "Lost the connection" in message(window), 5)
        print(
            f"server frozen while idle: noticed after {noticed or 0:.2f} s; an edit then "
            f"refused after {time.perf_counter() - edited if refused is not None else -1:.3f} s",
            flush=True,
        )
        wait_until(lambda: False, down)
    finally:
        server.thaw(stopped)
    thawed = time.perf_counter()
    recovered = wait_until(back(window), 90)
    good &= report(
        "server frozen while idle", dialogs, window.outage_notices,
        None if noticed is None else noticed, None if recovered is None else
        time.perf_counter() - thawed, baseline,
    )  # fmt: skip
    window.close()
    app.processEvents()
    return good


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--timeout", type=float, default=15, help="the statement timeout setting (seconds)"
    )
    parser.add_argument("--down", type=float, default=3, help="seconds each outage lasts")
    args = parser.parse_args()
    with controlled_server(durable=False, prefix="esi-bench-outage-") as server:
        if server is None:
            print("PostgreSQL is not installed here", file=sys.stderr)
            sys.exit(2)
        good = run(server, args.timeout, args.down)
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
