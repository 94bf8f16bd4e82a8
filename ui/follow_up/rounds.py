"""The undoable edits of one follow-up round: its date and status, and its results.

Round 1 keeps the keys :class:`ui.edits.Edits` uses for its versions, so that edits made
through either agree; a later round's keys carry its number. "Today" is the workspace's, so
that a Reported round with a date still to come is refused as of the window's day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from esi_desktop import follow_up
from esi_desktop.frameworks import get_framework
from esi_desktop.scoring import Result
from esi_desktop.versioned import Change
from ui.edits import versioned_edit
from ui.workspace import Workspace


def _key(*parts: object, round: int) -> tuple[object, ...]:
    return parts if round == follow_up.FIRST_FOLLOW_UP else (*parts, round)


def set_follow_up(
    workspace: Workspace,
    inspection_id: int,
    round: int,
    planned_date: date | None,
    status: str,
    version: int | None,
) -> None:
    """Record a round's planned date and status (refused: nothing is written or pushed)."""

    def apply(values: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
        return follow_up.set_follow_up(
            inspection_id=inspection_id,
            planned_date=values["planned_date"],
            status=values["status"],
            expected_version=expected,
            overwrite=overwrite,
            round=round,
            today=workspace.today(),
        )

    what = "follow-up inspection" if round == 1 else f"follow-up round {round}"
    versioned_edit(
        workspace,
        f"Edit {what}",
        _key("follow_up", inspection_id, round=round),
        apply,
        {"planned_date": planned_date, "status": status},
        version,
    )


def set_result(
    workspace: Workspace,
    inspection_id: int,
    round: int,
    framework_id: str,
    code: str,
    value: Result | None,
    version: int | None,
) -> None:
    """Record or clear a criterion's result in a round."""

    def apply(
        result: Result | None, expected: int | None, overwrite: bool
    ) -> follow_up.ResultChange:
        return follow_up.set_follow_up_result(
            inspection_id=inspection_id,
            framework_id=framework_id,
            code=code,
            value=result,
            expected_version=expected,
            overwrite=overwrite,
            round=round,
        )

    framework = get_framework(framework_id)
    where = "Follow-up" if round == 1 else f"Round {round}"
    versioned_edit(
        workspace,
        f"{where} result for {code} ({framework.short_title})",
        _key("result", inspection_id, framework_id, code, round=round),
        apply,
        value,
        version,
    )
