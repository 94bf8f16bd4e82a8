"""Opens every window and dialog of ESI Desktop on a screen of a given size and says what fits.

Run as its own process by ``tests/test_screen_fit.py`` (a screen's size is fixed when the
QApplication starts), with ``QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json`` naming the
screen and ``QT_SCALE_FACTOR`` its scaling::

    python tests/screen_fit_worker.py --db URL --pictures FOLDER

It prints one JSON object: ``screen`` (the available geometry in device-independent pixels)
and ``windows``, by name, each ``{"size": [w, h], "minimum": [w, h], "fits": bool,
"hidden_buttons": [text, …]}``: ``fits`` when the whole window (its frame included) lies on
the screen, ``hidden_buttons`` the push buttons a person could not reach (off the screen or
clipped by the window). A picture of each is saved in FOLDER.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QRect  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton, QWidget  # noqa: E402

TODAY = date(2005, 3, 10)
TODAY_AT = datetime(2005, 3, 10, 9, 30)


def measure(window: QWidget, pictures: Path, name: str) -> dict[str, Any]:
    """Show ``window`` as a person would see it and say whether it and its buttons fit."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.show()
    for _ in range(5):
        app.processEvents()
    screen = (window.screen() or app.primaryScreen()).availableGeometry()
    frame = window.frameGeometry()
    inside = window.rect()
    hidden = []
    for button in window.findChildren(QPushButton):
        if not button.isVisibleTo(window):
            continue
        top_left = button.mapTo(window, QPoint(0, 0))
        local = QRect(top_left, button.size())
        on_screen = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
        if not inside.contains(local) or not screen.contains(on_screen):
            hidden.append(button.text() or button.accessibleName())
    window.grab().save(str(pictures / f"{name}.png"))
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    result = {
        "size": [frame.width(), frame.height()],
        "minimum": [minimum.width(), minimum.height()],
        "fits": screen.contains(frame),
        "hidden_buttons": hidden,
    }
    window.hide()
    return result


def windows(db_url: str) -> dict[str, Callable[[], QWidget]]:
    """How to open each window and dialog, by name (the main window first: it loads the sample)."""
    from esi_desktop import audit
    from esi_desktop.backups import Backup
    from esi_desktop.export import ResponseRenderer, response_content
    from esi_desktop.report.importer import preview_report
    from esi_desktop.resources import SAMPLE_REPORT
    from ui.database.backups import RestoreBackupDialog
    from ui.database.open_dialog import OpenDatabaseDialog
    from ui.export.dialogs import MarkSentDialog, MeetingDateDialog, PdfPreviewDialog
    from ui.export.missing_items import MissingItemsDialog
    from ui.help import GuideDialog
    from ui.history_dialog import HistoryDialog
    from ui.importing.preview_dialog import ImportPreviewDialog
    from ui.main_window import VIEWS, MainWindow
    from ui.plan.dialogs import ReasonDialog, RecommendationsDialog
    from ui.preferences import PreferencesDialog

    state: dict[str, Any] = {}

    def main_window(view: str) -> Callable[[], QWidget]:
        def make() -> QWidget:
            if "window" not in state:
                window = MainWindow(today=lambda: TODAY)
                window.show()
                window.open_initial_database(db_url)
                window.load_sample()
                state["window"] = window
                state["inspection"] = window.workspace.inspection_id
            shown: MainWindow = state["window"]
            shown.show_view(view)
            return shown

        return make

    def inspection() -> int:
        return int(state["inspection"])

    def the_plan() -> Any:
        return state["window"].workspace.plan()

    def pdf() -> QWidget:
        content = response_content(inspection_id=inspection(), today=TODAY)
        data = ResponseRenderer(content).render()
        return PdfPreviewDialog(
            data, title="Response and action plan", suggested_path=Path("response.pdf")
        )

    def history() -> QWidget:
        first = the_plan().recommendations[0]
        entries = audit.history(item_kind=audit.RECOMMENDATION, item_id=first.id)
        return HistoryDialog(None, title="Recommendation 1", entries=entries)

    def reason() -> QWidget:
        return ReasonDialog(
            state["window"],
            title="Override RAG",
            intro="The RAG of this action worked out from its milestones is Amber. Choose "
            "another only with a reason the Board can read; it is shown as overridden.",
            choice_label="&RAG:",
            choices=["(as worked out)", "Red", "Amber", "Green", "Blue"],
            choice="Red",
            reason="",
            apply=lambda _choice, _reason: True,
        )

    def links() -> QWidget:
        recommendations = [(r.id, f"{r.reference}. {r.text}") for r in the_plan().recommendations]
        return RecommendationsDialog(
            state["window"],
            action_text="Audit twenty assessments a month against the national standard",
            recommendations=recommendations,
            chosen={recommendations[0][0]},
            apply=lambda _chosen: True,
        )

    backups = [
        Backup(Path(f"/backups/esi-{n}.sqlite3"), TODAY_AT, "open", 1_200_000) for n in range(30)
    ]
    missing = [
        f"Recommendation {n}: no response yet, so the Board’s answer cannot be printed."
        for n in range(1, 16)
    ]
    made: dict[str, Callable[[], QWidget]] = {
        f"main window, {name}": main_window(name) for name, _title, _key in VIEWS
    }
    made.update(
        {
            "import preview": lambda: ImportPreviewDialog(
                preview_report(path=SAMPLE_REPORT, look_up_existing=False)
            ),
            "export preview": pdf,
            "meeting date": lambda: MeetingDateDialog(
                [date(2005, 3, 15), date(2005, 6, 14), date(2005, 9, 13)],
                date(2005, 3, 15),
                date(2005, 1, 1),
                today=lambda: TODAY,
            ),
            "mark sent": lambda: MarkSentDialog(
                today=TODAY, earliest=date(2005, 1, 1), previous=date(2005, 3, 1)
            ),
            "missing items": lambda: MissingItemsDialog(missing),
            "open database": OpenDatabaseDialog,
            "restore backup": lambda: RestoreBackupDialog("esi-desktop.sqlite3", backups),
            "history": history,
            "preferences": lambda: PreferencesDialog(state["window"].settings),
            "plan: override RAG": reason,
            "plan: recommendations served": links,
            "user guide": lambda: GuideDialog(),
        }
    )
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--pictures", type=Path, required=True)
    args = parser.parse_args()

    from PySide6.QtWidgets import QMessageBox

    from ui import app as ui_app

    application = ui_app.make_application()
    # nothing may block: a message box is answered at once
    QMessageBox.warning = QMessageBox.information = lambda *a, **k: QMessageBox.StandardButton.Ok  # type: ignore[method-assign]
    screen = application.primaryScreen().availableGeometry()
    results: dict[str, Any] = {}
    for name, make in windows(args.db).items():
        results[name] = measure(make(), args.pictures, name.replace(":", "").replace(" ", "-"))
    print(json.dumps({"screen": [screen.width(), screen.height()], "windows": results}))
    application.closeAllWindows()


if __name__ == "__main__":
    main()
