"""Writing a round of progress returns into a folder: one workbook per owner."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from esi_desktop.file_names import numbered
from esi_desktop.files import (
    XLSX,
    check_output_path,
    existing_folder,
    write_atomically,
)
from esi_desktop.returns.collect import ReturnsPlan, plan_returns
from esi_desktop.returns.workbook import render_return, return_file_name


def file_names(plan: ReturnsPlan) -> list[str]:
    """Each owner's file name, in the order of ``plan.returns``; two owners whose names
    come out the same (told apart only by case or by characters Windows does not allow in
    a name) get " (2)", " (3)" … ."""
    taken: set[str] = set()
    return [numbered(return_file_name(r.owner, plan.sent_on), taken) for r in plan.returns]


def check_folder(folder: Path) -> Path:
    """The folder to write the returns into (see :func:`esi_desktop.files.existing_folder`)."""
    return existing_folder(folder, what="the returns")


def write_returns(
    *,
    inspection_id: int,
    folder: Path,
    today: date,
    force: bool = False,
    return_by: date | None = None,
) -> list[Path]:
    """Write one progress return workbook per owner of an open action into ``folder``.

    Every path is checked before the first file is written (a refusal writes none); each
    file is then written whole or not at all (:func:`esi_desktop.files.write_atomically`).
    An open action without an owner is in no return (:attr:`ReturnsPlan.unowned` lists them,
    from :func:`plan_returns`).

    Args:
        today: the day the returns are sent (recorded in each).
        force: replace a file of another kind at one of the paths.
        return_by: the day to return them by; None: 7 days before the next Board meeting
            (see :func:`esi_desktop.returns.collect.return_by_date`).

    Returns:
        The files written, in the order of the owners' first actions in the plan.

    Raises:
        EsiError: the folder does not exist; a path holds a file of another kind (without
            ``force``), is read-only or open in another program; the disk is full.
        NotFoundError: there is no such inspection.
    """
    folder = check_folder(folder)
    plan = plan_returns(inspection_id=inspection_id, today=today, return_by=return_by)
    paths = [folder / name for name in file_names(plan)]
    for path in paths:
        check_output_path(path, kind=XLSX, force=force)
    written = []
    for path, owner_return in zip(paths, plan.returns, strict=True):
        data = render_return(plan, owner_return)
        written.append(write_atomically(path, data, kind=XLSX, force=force))
    return written
