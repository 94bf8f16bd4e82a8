"""Reading tens of thousands of rows fast: as the driver returns them, each date converted once.

:func:`esi_desktop.plan.read.load_plan` reads a whole plan at start-up; with peewee's
conversion of every value of every row, and the garbage collector running again and again
over the whole program while the views are made, a plan of 37,500 milestones took seconds.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from peewee import Field

from db.models import database_proxy

#: A plan with this many actions or more is big: its views are made with the collector paused.
BIG_PLAN_ACTIONS = 500


@contextmanager
def gc_paused(big: bool = True) -> Iterator[None]:
    """Build many objects without the garbage collector running while they are made.

    The objects of a plan form no reference cycles, but making tens of thousands of them
    runs the collector over every object of the program many times; paused, it runs once
    afterwards at most. Nested or threaded uses leave it as it was found by the outermost.

    Args:
        big: pause only when this is true (a small plan is read as ever, the collector
            left alone).
    """
    if not big:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def raw_rows(query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as the database driver returns them, with no conversion per value.

    For columns whose stored form is what the views hold (numbers, text); a date is stored
    as text in SQLite and goes through :func:`value_reader`.
    """
    return list(database_proxy.execute(query).fetchall())


def value_reader(column: Field) -> Callable[[Any], Any]:
    """Convert a column's stored values as peewee does, each distinct value once.

    A plan of tens of thousands of milestones has a few hundred distinct dates.
    """
    seen: dict[Any, Any] = {}
    python_value = column.python_value

    def read(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            converted = seen[value] = python_value(value)
            return converted

    return read
