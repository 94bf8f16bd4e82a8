"""The owners' update round: a progress return workbook for each owner, and their answers read
back into the plan.

Before each Board meeting the secretary asks every action owner for progress.
:func:`write_returns` writes one Excel workbook per owner listing the owner's open actions and
milestones (``collect``: what goes in each; ``workbook``: the sheet, its protection and its
hidden record of what was sent). :func:`read_return` reads an owner's answers and compares
them with what was sent and with the plan as it is now (``reading``), and
:func:`apply_return` stores them with the plan's own use cases, in one transaction, recorded
in the history as made by the owner through a return (``applying``).
"""

from esi_desktop.returns.applying import AppliedRow, ReturnOutcome, apply_return
from esi_desktop.returns.collect import OwnerReturn, ReturnRow, ReturnsPlan, plan_returns
from esi_desktop.returns.reading import ReturnPreview, RowAnswer, read_return
from esi_desktop.returns.workbook import ReturnRefused, return_file_name
from esi_desktop.returns.writing import write_returns

__all__ = [
    "AppliedRow",
    "OwnerReturn",
    "ReturnOutcome",
    "ReturnPreview",
    "ReturnRefused",
    "ReturnRow",
    "ReturnsPlan",
    "RowAnswer",
    "apply_return",
    "plan_returns",
    "read_return",
    "return_file_name",
    "write_returns",
]
