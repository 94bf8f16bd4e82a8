"""Start-up pays only for what the first screen shows (issue 13).

- a SQLite file never loads the PostgreSQL driver, and a PostgreSQL database still gets it;
- the report importer, the Due and overdue panel and the document machinery are loaded when
  first used, not to open the window;
- the Dashboard's overdue table sizes its columns to a sample of its rows and is at most
  a few rows tall (it scrolls), however many rows there are; it sorts on keys in Python.

Each import check runs in a fresh interpreter (a subprocess), as a person starts the program.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from pytestqt.qtbot import QtBot

from esi_desktop.dashboard import DueItem
from esi_desktop.wording import MILESTONE
from ui.dashboard.models import DueColumn, DueItemsModel, SortedRowsProxy, SortKeyRole
from ui.dashboard.widgets import DUE_TABLE_ROWS, SIZING_SAMPLE_ROWS, due_table

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2005, 9, 1)


def run_python(code: str, tmp_path: Path) -> str:
    """Run ``code`` in a fresh interpreter in the project; its standard output."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_opening_the_window_on_a_sqlite_file_loads_no_driver_importer_panel_or_exports(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'plan.sqlite3'}"
    out = run_python(
        f"""
        import sys
        from ui.app import make_application
        from ui.main_window import MainWindow

        app = make_application()
        window = MainWindow()
        window.open_initial_database({url!r})
        window.show()
        app.processEvents()
        assert window.database_url is not None
        loaded = [name for name in ("psycopg2", "pymysql", "ui.importing.flow",
                                    "esi_desktop.report.importer", "ui.reminders.panel",
                                    "reportlab", "openpyxl", "docx", "esi_desktop.export",
                                    "esi_desktop.evidence", "esi_desktop.plan.as_sent",
                                    "esi_desktop.plan.submission", "esi_desktop.rated_follow_up",
                                    "secrets")
                  if name in sys.modules]
        print("loaded", loaded)
        # a database with no inspection yet: the welcome page is built when first shown
        from ui.main_window import PAGE_EMPTY
        print("welcome built", PAGE_EMPTY in window.pages.built_pages)
        # the driver hidden from peewee is not hidden from anyone else
        import psycopg2
        print("psycopg2", psycopg2.__version__.split()[0])
        """,
        tmp_path,
    )
    assert "loaded []" in out
    assert "welcome built True" in out
    assert "psycopg2 2." in out


def test_an_inspection_opens_without_building_the_welcome_page_or_loading_the_rated_code(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'plan.sqlite3'}"
    sample = ROOT / "resources" / "samples" / "esi-gloucestershire-2005.txt"
    out = run_python(
        f"""
        import sys
        from esi_desktop.cli import main
        assert main(["import", {str(sample)!r}, "--db", {url!r}]) == 0
        for name in [m for m in sys.modules if m.startswith(("esi_desktop", "db", "ui"))]:
            del sys.modules[name]  # as a person starts the program: nothing loaded yet

        from ui.app import make_application
        from ui.main_window import PAGE_EMPTY, PAGE_WORKSPACE, MainWindow

        app = make_application()
        window = MainWindow()
        window.open_initial_database({url!r})
        window.show()
        app.processEvents()
        print("page", window.pages.currentIndex() == PAGE_WORKSPACE)
        print("welcome built", PAGE_EMPTY in window.pages.built_pages)
        print("rated loaded", "esi_desktop.rated_follow_up" in sys.modules)
        print("heading", window.dashboard.heading.text())
        """,
        tmp_path,
    )
    assert "page True" in out
    assert "welcome built False" in out
    assert "rated loaded False" in out
    assert "heading Gloucestershire" in out


def test_a_postgresql_database_gets_the_driver_peewee_did_not_load(tmp_path: Path) -> None:
    out = run_python(
        """
        import sys
        import db  # imports peewee without the server drivers
        import peewee
        assert peewee.psycopg2 is None and "psycopg2" not in sys.modules

        from db.server import open_server
        database = open_server("esi", display="esi", host="localhost", port=1)
        import psycopg2.extensions as ext
        adapter = database._adapter
        assert peewee.psycopg2 is sys.modules["psycopg2"]
        assert type(adapter).__name__ == "Psycopg2Adapter" and adapter.json_type is not None
        assert adapter.txn_idle == ext.TRANSACTION_STATUS_IDLE
        assert adapter.txn_inerror == ext.TRANSACTION_STATUS_INERROR
        print("driver", type(adapter).__name__)
        """,
        tmp_path,
    )
    assert "driver Psycopg2Adapter" in out


def test_the_importer_is_made_on_first_use_and_still_imports(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY, sample=False)
    assert window._importer is None
    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace.inspection_id is not None)
    importer = window.importer
    assert importer is window._importer and window.importer is importer
    assert window.dashboard.heading.text() != "No inspection is open"


# ----- the Dashboard's overdue table ---------------------------------------------------------


def due_items(count: int) -> list[DueItem]:
    """``count`` overdue milestones; the owner of the last one has a very long name."""
    return [
        DueItem(
            MILESTONE,
            n,
            n,
            f"Step {n}",
            "ACO" if n < count - 1 else "A very long owner " * 4,
            (),
            TODAY - timedelta(days=1 + n % 90),
            f"Action {n}",
            "In progress",
            TODAY,
            reference=f"AP{n}.1",
            action_reference=f"AP{n}",
        )
        for n in range(count)
    ]


class CountingModel(DueItemsModel):
    """Counts the calls of data()."""

    calls = 0

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        CountingModel.calls += 1
        return super().data(index, role)


def test_700_overdue_rows_are_sized_on_a_sample_and_scroll(qtbot: QtBot) -> None:
    model = CountingModel()
    proxy = SortedRowsProxy()
    proxy.setSourceModel(model)
    table = due_table(proxy)
    qtbot.addWidget(table)
    table.resize(1000, 400)
    table.show()
    qtbot.waitExposed(table)
    width_before = table.columnWidth(DueColumn.OWNER)

    CountingModel.calls = 0
    model.set_items(due_items(700))
    table.updateGeometry()
    table.sizeHint()
    table.viewport().repaint()
    # sizing looked at a sample of rows, not all 700 (it was 95,000 calls at start-up)
    assert CountingModel.calls < 20 * SIZING_SAMPLE_ROWS * len(DueColumn)
    # as tall as DUE_TABLE_ROWS rows, and every row is there to scroll to
    rows = table.verticalHeader()
    assert table.sizeHint().height() < rows.defaultSectionSize() * (DUE_TABLE_ROWS + 3)
    assert proxy.rowCount() == 700
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 0)
    last = proxy.index(699, 0)
    table.scrollTo(last)
    assert table.viewport().rect().intersects(table.visualRect(last))
    # the narrow columns fit the dates and flags, and the owners of the rows sampled
    metrics = table.fontMetrics()
    assert table.columnWidth(DueColumn.DUE) >= metrics.horizontalAdvance("30 September 2005")
    assert table.columnWidth(DueColumn.FLAG) >= metrics.horizontalAdvance("Overdue (90 days)")
    assert table.columnWidth(DueColumn.OWNER) >= metrics.horizontalAdvance("ACO")
    # the long owner, 699th by date, is outside the sample: it does not widen the column
    assert table.columnWidth(DueColumn.OWNER) < metrics.horizontalAdvance("A very long owner ")
    assert width_before > 0


def test_a_short_list_is_as_tall_as_its_rows(qtbot: QtBot) -> None:
    model = DueItemsModel()
    proxy = SortedRowsProxy()
    proxy.setSourceModel(model)
    table = due_table(proxy)
    qtbot.addWidget(table)
    model.set_items(due_items(3))
    rows = table.verticalHeader()
    header = table.horizontalHeader().sizeHint().height()
    assert table.sizeHint().height() == header + 3 * rows.defaultSectionSize() + 2 * (
        table.frameWidth()
    )


def test_the_sorted_rows_are_those_of_a_sort_filter_proxy(qtbot: QtBot) -> None:
    """Same order as QSortFilterProxyModel on SortKeyRole, for every column, both ways."""
    items = due_items(60)
    model = DueItemsModel()
    model.set_items(items)
    ours = SortedRowsProxy()
    ours.setSourceModel(model)
    theirs = QSortFilterProxyModel()
    theirs.setSortRole(SortKeyRole)
    theirs.setSourceModel(model)
    for column in DueColumn:
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            ours.sort(column, order)
            theirs.sort(column, order)
            shown = [ours.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(60)]
            expected = [theirs.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(60)]
            assert shown == expected, (column, order)
    # the source is never sorted in place, and a kept index follows its row
    assert [model.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(3)] == [0, 1, 2]
    ours.sort(DueColumn.DUE, Qt.SortOrder.AscendingOrder)
    kept = QPersistentModelIndex(ours.index(5, DueColumn.OWNER))
    item_id = kept.data(Qt.ItemDataRole.UserRole + 1)
    ours.sort(DueColumn.DUE, Qt.SortOrder.DescendingOrder)
    assert kept.data(Qt.ItemDataRole.UserRole + 1) == item_id
    assert kept.column() == DueColumn.OWNER and kept.row() != 5
    # a new list is sorted by the same column
    model.set_items(items[:10])
    assert ours.rowCount() == 10
    dues = [ours.index(r, DueColumn.DUE).data(SortKeyRole) for r in range(10)]
    assert dues == sorted(dues, reverse=True)


def test_pyside_reads_no_source_of_ours_or_the_standard_librarys(tmp_path: Path) -> None:
    """PySide6 read the whole source of each module imported after it (for its optional
    features); the window's start-up spares it ours and the standard library's, with the
    answers its reading gives."""
    out = run_python(
        """
        import sys
        import ui.app

        feature = sys.modules["shibokensupport.feature"]
        scan = feature._mod_uses_pyside
        read = []

        def reading(module):
            read.append(module.__name__)
            return scan(module)

        feature._mod_uses_pyside = reading
        assert ui.app.skip_pyside_source_scans()
        assert not ui.app.skip_pyside_source_scans()  # in place once
        from ui.main_window import MainWindow
        import csv  # a standard module
        spared = ("ui", "esi_desktop", "db", *sys.stdlib_module_names)
        print("read", [name for name in read if name.partition(".")[0] in spared])
        values = feature.pyside_feature_dict
        for name in ("ui.main_window", "ui.workspace", "esi_desktop.plan.read",
                     "db.models", "csv"):
            assert values[name] == (0 if scan(sys.modules[name]) else -1), name
        ours = [name for name in values if name.partition(".")[0] in ("ui", "esi_desktop")]
        print("ours", len(ours))
        """,
        tmp_path,
    )
    assert "read []" in out
    assert int(out.split("ours ")[1]) > 40  # each answered without reading its source


# ----- pages built when first shown ------------------------------------------------------------


def test_a_lazy_stack_builds_each_page_once_when_it_is_first_asked_for(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    from ui.lazy_stack import LazyStack

    made: list[str] = []

    def builder(name: str) -> Callable[[], QLabel]:
        def build() -> QLabel:
            made.append(name)
            return QLabel(name)

        return build

    stack = LazyStack([builder("first"), builder("second"), builder("third")])
    qtbot.addWidget(stack)
    stack.show()
    assert made == [] and stack.count() == 3
    stack.setCurrentIndex(2)  # shown: built, and on show
    assert made == ["third"]
    current = stack.currentWidget()
    assert isinstance(current, QLabel) and current.text() == "third"
    assert stack.page(2) is current and made == ["third"]  # never built twice
    first = stack.page(0)  # asked for, not shown: built, and the one on show stays
    assert made == ["third", "first"] and stack.currentIndex() == 2
    stack.setCurrentIndex(0)
    assert stack.currentWidget() is first and stack.count() == 3
    assert [stack.indexOf(page) for page in (first, current)] == [0, 2]


# ----- the garbage collector ------------------------------------------------------------------


def test_the_collector_and_the_keyboard_rules_wait_for_the_first_paint(
    tmp_path: Path,
) -> None:
    """The collector is paused for start-up and on again just after the first paint (not in
    it), with what start-up made frozen out of its way and nothing unreachable frozen with
    it; the keyboard rules (ui.accessibility) are put in place then too, on every widget."""
    url = f"sqlite:///{tmp_path / 'plan.sqlite3'}"
    out = run_python(
        f"""
        import enum, gc, sys
        from PySide6.QtCore import QEvent, QObject, QTimer
        from PySide6.QtWidgets import QApplication
        import ui.app
        import ui.main_window

        seen = []
        opening = ui.main_window.MainWindow.open_initial_database

        def open_initial_database(self, url):
            seen.append(("opening", gc.isenabled()))
            opening(self, url)

        ui.main_window.MainWindow.open_initial_database = open_initial_database

        class Watch(QObject):
            def __init__(self, window):
                super().__init__(window)
                self.window = window

            def eventFilter(self, watched, event):
                if event.type() == QEvent.Type.Paint:
                    watched.removeEventFilter(self)
                    seen.append(("in paint", gc.isenabled()))
                    table = self.window.dashboard.due_view
                    seen.append(("tab in paint", table.tabKeyNavigation()))
                    # PySide builds a class's enums when it is first named or handed to
                    # Python: QStyle's 566 cost the first paint ~15 ms (issue 13)
                    built = {{c.__qualname__.partition(".")[0] for c in gc.get_objects()
                              if isinstance(c, enum.EnumType)}}
                    seen.append(("QStyle built", "QStyle" in built))
                    QTimer.singleShot(50, self.after)
                return False

            def after(self):
                seen.append(("after paint", gc.isenabled()))
                table = self.window.dashboard.due_view
                seen.append(("tab after paint", table.tabKeyNavigation()))
                seen.append(("frozen", gc.get_freeze_count() > 10000))
                seen.append(("garbage", gc.collect()))
                QApplication.quit()

        ui.app._FirstPaintProbe = Watch
        import os
        os.environ[ui.app.FIRST_PAINT_PROBE] = "1"
        print("before", gc.isenabled())
        ui.app.run({url!r})
        print(seen)
        """,
        tmp_path,
    )
    assert "before True" in out
    assert "('opening', False)" in out
    assert "('in paint', False)" in out
    # the keyboard rules wait for the first paint, then reach the widgets made meanwhile
    assert "('tab in paint', True)" in out
    assert "('QStyle built', False)" in out
    assert "('tab after paint', False)" in out
    assert "('after paint', True)" in out
    assert "('frozen', True)" in out
    assert "('garbage', 0)" in out


def test_a_dialog_before_the_first_paint_has_the_keyboard_rules(tmp_path: Path) -> None:
    """A database that cannot be opened is said in a dialog before the window is painted: the
    rules postponed for the first paint are in place for it."""
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 500)
    out = run_python(
        f"""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox
        import ui.app
        from ui import accessibility

        seen = []

        def answer():
            box = QApplication.activeModalWidget()
            if box is None:
                QTimer.singleShot(20, answer)
                return
            seen.append(("dialog", type(box).__name__, accessibility._postponed is None))
            box.reject()
            QTimer.singleShot(100, QApplication.quit)

        QTimer.singleShot(0, answer)
        ui.app.run({f"sqlite:///{bad}"!r})
        print(seen)
        """,
        tmp_path,
    )
    assert "('dialog', 'QMessageBox', True)" in out
