"""The Board's response and action plan: reading it whole, and every edit.

One module per subject: ``read`` (the read model), ``responses``, ``actions``,
``milestones``, ``meetings``, and ``submission`` (the plan as sent to the Inspectorate, slips
and what a progress paper lists since a meeting); the versioned-edit machinery they share
(optimistic locking, snapshots for undo) is :mod:`esi_desktop.versioned`. Each use case is
one thing a user does, takes keyword arguments, runs in one transaction and raises the
project's own exceptions.
"""

from esi_desktop.plan.actions import (
    add_action,
    delete_action,
    link_action,
    set_action_criteria,
    unlink_action,
    update_action,
)
from esi_desktop.plan.meetings import (
    add_board_meeting,
    board_meetings,
    delete_board_meeting,
)
from esi_desktop.plan.milestones import (
    action_to_milestone,
    add_milestone,
    delete_milestone,
    milestone_to_action,
    update_milestone,
)
from esi_desktop.plan.read import (
    ActionView,
    MilestoneView,
    PlanView,
    RecommendationView,
    ResponseView,
    load_actions,
    load_plan,
    load_recommendations,
)
from esi_desktop.plan.refresh import PlanChange, refresh_plan
from esi_desktop.plan.responses import (
    save_response,
    set_recommendation_addressee,
    set_recommendation_criteria,
    set_recommendation_fields,
)
from esi_desktop.versioned import (
    Change,
    ConflictError,
    Snapshot,
    delete_rows,
    restore,
)

__all__ = [
    "ActionView",
    "Change",
    "ConflictError",
    "MilestoneView",
    "PlanChange",
    "PlanView",
    "RecommendationView",
    "ResponseView",
    "Snapshot",
    "action_to_milestone",
    "add_action",
    "add_board_meeting",
    "add_milestone",
    "board_meetings",
    "delete_action",
    "delete_board_meeting",
    "delete_milestone",
    "delete_rows",
    "link_action",
    "load_actions",
    "load_plan",
    "load_recommendations",
    "milestone_to_action",
    "refresh_plan",
    "restore",
    "save_response",
    "set_action_criteria",
    "set_recommendation_addressee",
    "set_recommendation_criteria",
    "set_recommendation_fields",
    "unlink_action",
    "update_action",
    "update_milestone",
]
