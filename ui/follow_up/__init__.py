"""The "Scoring summary & follow-up" view, one module per part.

``view`` holds :class:`FollowUpView` (the page: the follow-up's date and status, the layout,
reloading and storing edits); ``results`` the results grid's rows and model, laid out by
:mod:`esi_desktop.comparison`; ``self_assessment`` the self-assessment table; ``editors`` the
cell editors (rating lists, percentage fields); ``chart`` the painted chart of baseline
against follow-up; ``common`` the item roles, colours and words they share.
"""

from ui.follow_up.view import FollowUpView

__all__ = ["FollowUpView"]
