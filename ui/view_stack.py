"""The workspace's views in one stack, each built (and filled) the first time it is asked for,
so start-up pays only for the Dashboard."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QWidget

from ui.edits import Edits
from ui.lazy_stack import LazyStack
from ui.workspace import Workspace

#: The workspace views: (name, title with && for &, shortcut).
VIEWS = (
    ("dashboard", "Dashboard", "Ctrl+1"),
    ("recommendations", "Recommendations && responses", "Ctrl+2"),
    ("plan", "Action plan", "Ctrl+3"),
    ("follow-up", "Scoring summary && follow-up", "Ctrl+4"),
)
NAMES = [name for name, _title, _shortcut in VIEWS]


class ViewStack(LazyStack):
    """One page per view of :data:`VIEWS`: a placeholder until the view is first asked for."""

    def __init__(
        self, workspace: Workspace, edits: Edits, *, reminder_days: Callable[[], int]
    ) -> None:
        self._workspace = workspace
        self._edits = edits
        self._reminder_days = reminder_days
        self.built: dict[str, QWidget] = {}
        super().__init__([partial(self._make, name) for name in NAMES])

    def _make(self, name: str) -> QWidget:
        if name == "dashboard":
            from ui.dashboard.view import DashboardView

            return DashboardView(self._workspace, self._edits, reminder_days=self._reminder_days)
        if name == "recommendations":
            from ui.recommendations.view import RecommendationsView

            return RecommendationsView(self._workspace, self._edits)
        if name == "plan":
            from ui.plan.view import ActionPlanView

            return ActionPlanView(self._workspace, self._edits)
        if name == "follow-up":
            from ui.follow_up.view import FollowUpView

            return FollowUpView(self._workspace, self._edits)
        raise KeyError(name)

    def view(self, name: str) -> QWidget:
        """A view by name, built (and filled) the first time it is asked for."""
        return self.page(NAMES.index(name))

    def page_built(self, index: int, page: QWidget) -> None:
        """A view just built is filled."""
        self.built[NAMES[index]] = page
        reload = getattr(page, "reload", None)
        if callable(reload):
            reload()

    def show_row(self, row: int) -> None:
        """Show the view in ``row`` of :data:`VIEWS`, building it first if need be."""
        self.setCurrentIndex(row)

    def current_name(self) -> str:
        """The name of the view on show."""
        return NAMES[self.currentIndex()]
