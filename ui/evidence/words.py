"""How evidence reads in the window: when it was attached, counts, titles and undo texts.

No Qt here, so the words read the same in the dialog, the plan tree, the recommendations
table and Edit ▸ Undo; sizes and item names are the application's own
(:mod:`esi_desktop.evidence.describe`), as the audit trail and the command line print them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePath

from esi_desktop.audit import local_time
from esi_desktop.evidence.describe import item_words
from esi_desktop.plan import PlanView
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION, plural, shorten


def attached_on_text(moment: datetime) -> str:
    """When a file was attached (stored in UTC), in local time: "12/05/2005 14:03"."""
    return local_time(moment).strftime("%d/%m/%Y %H:%M")


def attach_text(names: Sequence[str], label: str) -> str:
    """The undo text of attaching files: "Attach Minutes.pdf to AP3.2", "Attach 2 files to …"."""
    if len(names) == 1:
        return f"Attach {shorten(names[0], 40)} to {label}"
    return f"Attach {plural(len(names), 'file')} to {label}"


def remove_text(name: str, label: str) -> str:
    """The undo text of removing a file: "Remove Minutes.pdf from AP3.2"."""
    return f"Remove {shorten(name, 40)} from {label}"


def count_text(count: int) -> str:
    """What the paper-clip column shows beside the clip: "2", or nothing without evidence."""
    return str(count) if count else ""


def count_tooltip(count: int) -> str | None:
    """The paper-clip cell's tooltip: how many files, and where to see them."""
    if not count:
        return None
    return (
        f"{plural(count, 'file')} attached as evidence "
        "(Edit ▸ Evidence of the selected item…, Ctrl+Shift+V)"
    )


def item_in_plan(plan: PlanView | None, kind: str, item_id: int) -> tuple[str, str]:
    """The (reference, title) of an item of the plan: ("AP3.2", "Audit 20 OASys cases").

    ("", "") when the plan does not show it (another inspection, or it was deleted).
    """
    if plan is None:
        return "", ""
    if kind == RECOMMENDATION:
        for recommendation in plan.recommendations:
            if recommendation.id == item_id:
                return recommendation.reference, recommendation.text
    elif kind == ACTION:
        action = plan.actions.get(item_id)
        if action is not None:
            return action.reference, action.text
    elif kind == MILESTONE:
        for action in plan.actions.values():
            for milestone in action.milestones:
                if milestone.id == item_id:
                    return milestone.reference, milestone.title
    return "", ""


def item_label(plan: PlanView | None, kind: str, item_id: int) -> str:
    """The item as Edit ▸ Undo names it: "AP3.2", "AP3", "recommendation 6"."""
    reference, _title = item_in_plan(plan, kind, item_id)
    return item_words(kind, reference)


def dialog_title(kind: str, reference: str, title: str) -> str:
    """The evidence dialog's title: "Evidence for AP3.2 — Audit 20 OASys cases"."""
    words = item_words(kind, reference)
    return f"Evidence for {words} — {shorten(title, 60)}" if title else f"Evidence for {words}"


#: Media types as a secretary names them; any other is named by its ending.
_TYPE_NAMES = {
    "application/pdf": "PDF",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.ms-outlook": "Outlook e-mail",
    "message/rfc822": "E-mail",
    "text/plain": "Text",
    "text/csv": "CSV",
    "application/rtf": "Rich text",
    "application/zip": "ZIP archive",
}


def type_text(media_type: str, name: str) -> str:
    """A file's type in words: "PDF", "Word document", "PNG image", "DWG file"."""
    known = _TYPE_NAMES.get(media_type)
    if known:
        return known
    if media_type.startswith("image/"):
        return f"{media_type.removeprefix('image/').upper()} image"
    ending = PurePath(name).suffix.lstrip(".").upper()
    return f"{ending} file" if ending else "File"
