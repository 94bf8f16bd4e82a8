"""A lost PostgreSQL connection: one notice, no dialogs, edits refused, recovery by itself.

Each test runs against this module's own server, which it stops, restarts, freezes
(SIGSTOP, as a network partition looks from here) or whose listening backend it kills.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import TracebackType

import peewee
import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from db.models import BoardResponse, Recommendation
from esi_desktop import database, plan
from tests.conftest import Messages
from tests.postgres_server import ServerControl, admin_execute, controlled_server
from tests.test_recommendations_view import choose_category
from ui import app as ui_app
from ui.main_window import MainWindow
from ui.recommendations.model import RecommendationColumn
from ui.recommendations.view import RecommendationsView

TODAY = date(2005, 3, 20)
ROOT = Path(__file__).parent.parent
KILL_LISTENER = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
)


@pytest.fixture(scope="module")
def server() -> Iterator[ServerControl]:
    """This module's own server: the tests stop and freeze it."""
    with controlled_server(durable=False, prefix="esi-outage-tests-") as control:
        if control is None:
            pytest.skip("PostgreSQL is not installed here")
        yield control


_counter = iter(range(1, 1000))


@pytest.fixture
def server_url(server: ServerControl) -> Iterator[str]:
    """A new, empty database on the module's server (running again after each test)."""
    name = f"esi_outage_{os.getpid()}_{next(_counter)}"
    admin_execute(server.url, f'CREATE DATABASE "{name}"')
    yield f"{server.url.rsplit('/', 1)[0]}/{name}"
    database.disconnect()
    admin_execute(server.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def crashes(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Errors that reached the crash hook (none should)."""
    caught: list[BaseException] = []

    def record(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        caught.append(value)

    monkeypatch.setattr(sys, "excepthook", record)
    return caught


def open_window(qtbot: QtBot, url: str) -> MainWindow:
    ui_app.make_application()
    window = MainWindow(today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(url)
    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    window.show_view("recommendations")
    return window


def another_secretary_agrees(url: str, reference: str) -> None:
    """Another program records a response (and notifies listeners)."""
    script = (
        "from esi_desktop import database, plan\n"
        "from db.models import Recommendation\n"
        f"database.connect({url!r}, create=False)\n"
        f"r = Recommendation.get(Recommendation.reference == {reference!r})\n"
        "plan.save_response(recommendation_id=r.id, category='Agreed', narrative='Weekly audit',"
        " part_agreed='', reason='')\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


@contextlib.contextmanager
def sent_to_server() -> Iterator[list[str]]:
    """The statements the program sends on its own connection meanwhile (to a frozen
    server, each one would hold the window until the timeout)."""
    sent: list[str] = []
    original = peewee.PostgresqlDatabase.execute_sql

    def spy(self: peewee.PostgresqlDatabase, sql: str, params: object = None) -> object:
        sent.append(sql)
        return original(self, sql, params)

    peewee.PostgresqlDatabase.execute_sql = spy  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        peewee.PostgresqlDatabase.execute_sql = original  # type: ignore[method-assign]


def response_shown(view: RecommendationsView, reference: str) -> str:
    for row in range(view.proxy.rowCount(QModelIndex())):
        if view.proxy.data(view.proxy.index(row, RecommendationColumn.REF)) == reference:
            return str(view.proxy.data(view.proxy.index(row, RecommendationColumn.RESPONSE)))
    raise AssertionError(f"no recommendation {reference}")


def test_a_killed_listener_connection_reconnects_without_a_dialog(
    qtbot: QtBot, server: ServerControl, server_url: str, messages: Messages,
    crashes: list[BaseException],
) -> None:  # fmt: skip
    """What a server's idle timeout or a firewall does to the idle LISTEN connection."""
    window = open_window(qtbot, server_url)
    assert window.outage_notices == 0
    started = time.perf_counter()
    admin_execute(server.url, KILL_LISTENER)
    qtbot.waitUntil(lambda: window.outage_notices == 1, timeout=10000)
    noticed = time.perf_counter() - started
    qtbot.waitUntil(lambda: window.outage_banner.isHidden(), timeout=20000)
    back = time.perf_counter() - started
    print(f"listener killed: noticed in {noticed:.2f} s, back in {back:.2f} s")
    assert window.outage_notices == 1
    assert messages == []
    assert crashes == []
    # the listener is back: another secretary's change shows at once
    view = window.recommendations
    another_secretary_agrees(server_url, "8")
    qtbot.waitUntil(lambda: response_shown(view, "8") == "Agreed", timeout=5000)
    assert messages == [] and crashes == [] and window.outage_notices == 1
    window.close()


def test_a_stopped_server_refuses_edits_with_a_sentence_and_recovers_by_itself(
    qtbot: QtBot, server: ServerControl, server_url: str, messages: Messages,
    crashes: list[BaseException],
) -> None:  # fmt: skip
    window = open_window(qtbot, server_url)
    view = window.recommendations
    ids = {r.reference: r.id for r in Recommendation.select()}
    view.select_recommendation(ids["3"])  # the secretary is on recommendation 3
    server.stop("fast")
    try:
        started = time.perf_counter()
        choose_category(qtbot, view, "Agreed")  # each arrow key is a save
        assert "Lost the connection to the PostgreSQL server" in view.editor.message.text()
        assert "nothing was saved" in view.editor.message.text()
        qtbot.waitUntil(lambda: window.outage_notices == 1, timeout=5000)
        print(f"server stopped: the sentence and notice in {time.perf_counter() - started:.2f} s")
        assert window.outage_banner.isVisible()
        assert "reconnecting" in window.outage_banner.text()
        assert messages == [] and crashes == []
        # another recommendation chosen and answered meanwhile: refused at once, the same
        # sentence, no new notice
        view.editor.message.clear()
        view.select_recommendation(ids["4"])
        choose_category(qtbot, view, "Not agreed")
        assert "Lost the connection" in view.editor.message.text()
        assert window.outage_notices == 1
    finally:
        server.start()
    restarted = time.perf_counter()
    qtbot.waitUntil(lambda: window.outage_banner.isHidden(), timeout=45000)
    print(f"server restarted: recovered in {time.perf_counter() - restarted:.2f} s")
    assert window.outage_notices == 1
    assert messages == [] and crashes == []
    # nothing was saved while it was down; a new edit saves
    assert BoardResponse.select().count() == 0
    view.select_recommendation(ids["5"])
    choose_category(qtbot, view, "Agreed")
    assert response_shown(view, "5") != "Not yet agreed"
    assert BoardResponse.select().join(Recommendation).where(
        Recommendation.reference == "5"
    ).count() == 1  # fmt: skip
    assert messages == [] and crashes == []
    window.close()


def test_a_stalled_server_fails_a_save_with_a_sentence_instead_of_waiting(
    server: ServerControl, server_url: str
) -> None:
    database.connect(server_url, server_timeout=2)
    from esi_desktop.report.importer import load_sample

    load_sample()
    recommendation = Recommendation.get(Recommendation.reference == "8")
    stopped = server.freeze()
    try:
        started = time.perf_counter()
        with pytest.raises(database.DatabaseConnectionLost) as failure:
            plan.save_response(
                recommendation_id=recommendation.id, category="Agreed",
                narrative="Weekly audit", part_agreed="", reason="",
            )  # fmt: skip
        took = time.perf_counter() - started
        print(f"server frozen: the sentence after {took:.1f} s: {failure.value}")
        assert "did not answer within 7 seconds" in str(failure.value)
        # refused at once from then on: nothing more is sent to the frozen server
        with sent_to_server() as sent, pytest.raises(database.DatabaseConnectionLost):
            plan.load_plan(inspection_id=recommendation.inspection_id, today=TODAY)
        assert sent == []
    finally:
        server.thaw(stopped)
    database.check_server()
    assert database.resume_server()
    assert BoardResponse.select().count() == 0  # nothing half-saved


def test_a_statement_past_the_timeout_is_refused_and_the_connection_kept(
    server_url: str,
) -> None:
    """Another program holding the rows past the statement timeout: a sentence, not an outage."""
    import psycopg2

    database.connect(server_url, server_timeout=1)
    from esi_desktop.report.importer import load_sample

    load_sample()
    recommendation = Recommendation.get(Recommendation.reference == "8")
    holder = psycopg2.connect(server_url)
    try:
        holder.cursor().execute("LOCK TABLE recommendation IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(database.DatabaseTooSlow, match="took longer than 1 second to answer"):
            plan.save_response(
                recommendation_id=recommendation.id, category="Agreed",
                narrative="Weekly audit", part_agreed="", reason="",
            )  # fmt: skip
    finally:
        holder.close()
    assert database.server_lost() == ""
    plan.save_response(
        recommendation_id=recommendation.id, category="Agreed",
        narrative="Weekly audit", part_agreed="", reason="",
    )  # fmt: skip
    assert BoardResponse.select().count() == 1


def test_a_stalled_server_is_noticed_off_the_gui_thread_and_edits_refused_at_once(
    qtbot: QtBot, server: ServerControl, server_url: str, messages: Messages,
    crashes: list[BaseException], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The minute's check asks the server on another thread: a stall is noticed without a freeze."""
    from ui.settings import Settings

    monkeypatch.setattr(Settings, "server_timeout", lambda _self: 2.0)
    window = open_window(qtbot, server_url)
    view = window.recommendations
    view.select_recommendation(Recommendation.get(Recommendation.reference == "3").id)
    stopped = server.freeze()
    try:
        started = time.perf_counter()
        with sent_to_server() as sent:
            window.refresh_timer.timeout.emit()  # the minute's check, now
        # returned without an answer and without a word to the server on this thread: the
        # question is asked elsewhere
        assert window.outage_notices == 0 and sent == []
        qtbot.waitUntil(lambda: window.outage_notices == 1, timeout=20000)
        print(f"server frozen: noticed while idle in {time.perf_counter() - started:.2f} s")
        with sent_to_server() as sent:
            choose_category(qtbot, view, "Agreed")
        assert sent == []  # refused without waiting on the frozen server
        assert "Lost the connection" in view.editor.message.text()
    finally:
        server.thaw(stopped)
    qtbot.waitUntil(lambda: window.outage_banner.isHidden(), timeout=45000)
    assert window.outage_notices == 1
    assert messages == [] and crashes == []
    assert BoardResponse.select().count() == 0
    window.close()


def test_an_edit_the_moment_the_server_stalls_is_refused_within_seconds(
    qtbot: QtBot, server: ServerControl, server_url: str, messages: Messages,
    crashes: list[BaseException],
) -> None:  # fmt: skip
    """The server stalls and, before any check has noticed, the secretary saves: the window
    asks the server first, off its own thread, and refuses the change when no answer comes
    within seconds — it never sends the change into the stall and freezes with it."""
    window = open_window(qtbot, server_url)
    view = window.recommendations
    view.select_recommendation(Recommendation.get(Recommendation.reference == "2").id)
    choose_category(qtbot, view, "Agreed")  # a while at work: a change saved
    assert BoardResponse.select().count() == 1
    view.select_recommendation(Recommendation.get(Recommendation.reference == "3").id)
    stopped = server.freeze()
    try:
        started = time.perf_counter()
        with sent_to_server() as sent:
            choose_category(qtbot, view, "Agreed")
        print(f"server frozen: an edit refused after {time.perf_counter() - started:.2f} s")
        assert sent == []  # the change never went to the frozen server
        assert "Lost the connection" in view.editor.message.text()
        assert "did not answer within 2 seconds" in view.editor.message.text()
        qtbot.waitUntil(lambda: window.outage_notices == 1, timeout=5000)
    finally:
        server.thaw(stopped)
    qtbot.waitUntil(lambda: window.outage_banner.isHidden(), timeout=45000)
    assert messages == [] and crashes == []
    assert BoardResponse.select().count() == 1  # the refused change left nothing behind
    window.close()


def test_reading_after_the_server_stalls_asks_first_and_never_waits_on_it(
    qtbot: QtBot, server: ServerControl, server_url: str, messages: Messages,
    crashes: list[BaseException],
) -> None:  # fmt: skip
    """Not only changes: a click that reads (another recommendation's baseline results) on a
    server that stalled a moment before asks first, off the window's thread, and gives up on
    it within seconds instead of freezing the window for the statement timeout."""
    from tests.test_recommendations_view import click_row

    window = open_window(qtbot, server_url)
    view = window.recommendations
    click_row(qtbot, view, "2")
    stopped = server.freeze()
    try:
        qtbot.wait(1000)  # the stall began a moment before the click
        started = time.perf_counter()
        with sent_to_server() as sent:
            click_row(qtbot, view, "5")
        print(
            f"server frozen: a click that reads gave up after {time.perf_counter() - started:.2f} s"
        )
        assert sent == []  # nothing was sent into the stall on the window's own connection
        qtbot.waitUntil(lambda: window.outage_notices == 1, timeout=5000)
    finally:
        server.thaw(stopped)
    qtbot.waitUntil(lambda: window.outage_banner.isHidden(), timeout=45000)
    assert messages == [] and crashes == []
    window.close()
