"""An action or a milestone as the Dashboard and the progress papers name it.

On its own, so the Dashboard (whose late items are these) does not load the plan as sent
(:mod:`esi_desktop.plan.submission`, which re-exports it) to open the window (issue 13).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PlanItem:
    """An action or a milestone as a progress paper names it."""

    kind: str  # ACTION or MILESTONE
    id: int
    action_id: int
    text: str
    owner: str
    recommendation_ids: tuple[int, ...]
    due: date  # the action's target date or the milestone's due date, as it is now
    #: "AP3" or "AP3.2": the reference it keeps for good.
    reference: str = field(default="", kw_only=True)
