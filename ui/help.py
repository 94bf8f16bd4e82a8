"""Help ▸ User guide (F1): the short guide shipped in ``resources/guide``, read offline.

The guide is a handful of HTML pages shown in a :class:`QTextBrowser`. Its page of keyboard
shortcuts is not written by hand: :func:`window_shortcuts` reads them from the window's own
actions when the guide opens, so the guide always lists the keys that work.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import __version__, database
from esi_desktop.resources import GUIDE_DIR
from ui.screen import fit_to_screen
from ui.view_stack import VIEWS

if TYPE_CHECKING:
    from ui.main_window import MainWindow

#: The guide's pages, in the order of its contents: (file, title).
PAGES = (
    ("index.html", "Contents"),
    ("dashboard.html", "Dashboard"),
    ("recommendations.html", "Recommendations & responses"),
    ("plan.html", "Action plan"),
    ("follow-up.html", "Scoring summary & follow-up"),
    ("clock.html", "The statutory clock"),
    ("inspection.html", "The inspection record"),
    ("office.html", "Word, Excel, Outlook and e-mail"),
    ("shortcuts.html", "Keyboard shortcuts"),
)
SHORTCUTS_PAGE = "shortcuts.html"
#: Where the shortcuts page takes the window's commands.
SHORTCUTS_MARK = "<!-- the window's commands -->"


def _plain(text: str) -> str:
    """A menu text as read: without its mnemonic ampersands ("&&" is one "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _menu_paths(window: QWidget) -> dict[QAction, str]:
    """Each action of the window's menus, in the menus' order, with its menu ("File ▸ Export")."""
    paths: dict[QAction, str] = {}

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} ▸ {_plain(sub.title())}")
            elif not action.isSeparator():
                paths.setdefault(action, path)

    if isinstance(window, QMainWindow):
        for top in window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                walk(menu, _plain(menu.title()))
    return paths


def _where(action: QAction, views: dict[QWidget, str]) -> str:
    """The view a view's own action works in (where the menus do not list it)."""
    parent = action.parent()
    while isinstance(parent, QWidget):
        if parent in views:
            return views[parent]
        parent = parent.parentWidget()
    return "Window"


def window_shortcuts(
    window: QWidget, views: dict[QWidget, str] | None = None
) -> list[tuple[str, str, str]]:
    """Every action of the window that has keys, as (where, what, keys): the menus' first, in
    their order, then the views' own.

    Args:
        window: the main window.
        views: the window's views, each with its title, to name where a view's own actions
            work.
    """
    menus = _menu_paths(window)
    others = [a for a in window.findChildren(QAction) if a not in menus]
    rows = []
    for action in [*menus, *others]:
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if not keys:
            continue
        what = _plain(action.text()).replace("…", "").strip()
        shown = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        where = menus.get(action) or _where(action, views or {})
        rows.append((where, what, shown))
    return rows


def shortcuts_table(rows: list[tuple[str, str, str]]) -> str:
    """The shortcuts as an HTML table, grouped by where they work."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for where, what, keys in rows:
        groups.setdefault(where, []).append((what, keys))
    parts = []
    for where, entries in groups.items():
        parts.append(f"<h2>{escape(where)}</h2>\n<table cellpadding='3'>")
        parts.extend(
            f"<tr><td><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>"
            for what, keys in entries
        )
        parts.append("</table>")
    return "\n".join(parts)


class GuideBrowser(QTextBrowser):
    """Shows the guide's pages; the shortcuts page gets the window's commands filled in."""

    def __init__(
        self, shortcuts: list[tuple[str, str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._shortcuts = shortcuts
        self.setOpenExternalLinks(True)
        self.setSearchPaths([str(GUIDE_DIR)])

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        """The page or picture asked for; the shortcuts page with the window's commands."""
        asked = QUrl(name).fileName()
        if kind == QTextDocument.ResourceType.HtmlResource and asked == SHORTCUTS_PAGE:
            page = (GUIDE_DIR / SHORTCUTS_PAGE).read_text(encoding="utf-8")
            return page.replace(SHORTCUTS_MARK, shortcuts_table(self._shortcuts))
        return super().loadResource(kind, name)


class GuideDialog(QDialog):
    """The user guide: its contents on the left, the page on the right; it does not block."""

    def __init__(
        self,
        shortcuts: list[tuple[str, str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("ESI Desktop — user guide")
        self.setAccessibleName("User guide")
        self.contents = QListWidget()
        self.contents.setAccessibleName("Guide contents")
        for _file, title in PAGES:
            self.contents.addItem(title)
        width = max(self.contents.fontMetrics().horizontalAdvance(t) for _f, t in PAGES)
        self.contents.setFixedWidth(width + 32)
        self.browser = GuideBrowser(shortcuts or [])
        self.browser.setAccessibleName("Guide page")
        self.contents.currentRowChanged.connect(self._page_chosen)
        self.browser.sourceChanged.connect(self._page_shown)

        row = QHBoxLayout()
        row.addWidget(self.contents)
        row.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(buttons)
        fit_to_screen(self, 900, 640)
        self.contents.setCurrentRow(0)

    def page(self) -> str:
        """The file name of the page on show ("plan.html")."""
        return self.browser.source().fileName()

    def show_page(self, file: str) -> None:
        """Show one of the guide's pages by its file name."""
        self.browser.setSource(QUrl(file))

    @Slot(int)
    def _page_chosen(self, row: int) -> None:
        if 0 <= row < len(PAGES) and self.page() != PAGES[row][0]:
            self.show_page(PAGES[row][0])

    @Slot(QUrl)
    def _page_shown(self, url: QUrl) -> None:
        files = [file for file, _title in PAGES]
        if url.fileName() in files:
            self.contents.setCurrentRow(files.index(url.fileName()))


def show_guide(window: QWidget, views: dict[QWidget, str] | None = None) -> GuideDialog:
    """Open the user guide beside ``window``, listing the window's shortcuts."""
    shortcuts = window_shortcuts(window, views)
    dialog = GuideDialog(shortcuts, window)
    dialog.show()
    return dialog


__all__ = [
    "PAGES",
    "GuideDialog",
    "shortcuts_table",
    "show_guide",
    "window_shortcuts",
]


def show_user_guide(window: MainWindow) -> None:
    """Help ▸ User guide (F1): the guide shipped with the program, with this window's keys."""
    views = {window.view(name): title.replace("&&", "&") for name, title, _key in VIEWS}
    window.user_guide = show_guide(window, views)


def show_about(window: MainWindow) -> None:
    """Help ▸ About, with the versions of the parts that matter."""
    import PySide6
    from PySide6.QtCore import qVersion

    parts = " · ".join(f"{name} {version}" for name, version in database.versions())
    QMessageBox.about(
        window,
        "About ESI Desktop",
        f"<h3>ESI Desktop {__version__}</h3>"
        "<p>Helps a Probation Board answer an HM Inspectorate of Probation inspection "
        "report and see it through to the follow-up.</p>"
        f"<p>Qt {qVersion()} · PySide6 {PySide6.__version__} · {parts}</p>"
        f"<p>Database: {database.describe_url(window.database_url or '') or 'none'}</p>",
    )


def open_log_folder() -> None:  # pragma: no cover - opens the desktop's file manager
    """Help ▸ Open the log folder: where problems are logged."""
    from ui.app import log_file

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent)))
