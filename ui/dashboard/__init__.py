"""The Dashboard view: one inspection at a glance, as :mod:`esi_desktop.dashboard` reads it.

``view`` holds :class:`DashboardView` (the page, its layout, reloading and the Board meeting
edits); ``models`` its item models (Board meetings, the overdue and due-soon table, the score
tables) and their roles; ``widgets`` the RAG tiles, the tables and lists as tall as their rows
and the coloured pills of the statutory clock.
"""

from ui.dashboard.view import DashboardView

__all__ = ["DashboardView"]
