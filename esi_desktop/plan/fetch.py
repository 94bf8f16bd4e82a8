"""Reading tens of thousands of rows fast: as the driver returns them, each date converted once.

:func:`esi_desktop.plan.read.load_plan` reads a whole plan at start-up; with peewee's
conversion of every value of every row, and the garbage collector running again and again
over the whole program while the views are made, a plan of 37,500 milestones took seconds.
An edit reads a few rows again with the same handful of queries each time: their SQL is
built once (:func:`cached_rows`), as building it took peewee longer than running it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Iterator, Sequence
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


#: The SQL of each query shape, by (database class, shape, number of parameters).
_STATEMENTS: dict[tuple[type, Hashable, int], str] = {}


def _run_cached(shape: Hashable, params: Sequence[Any], build: Callable[[], Any]) -> Any:
    """Run a query whose SQL is kept per shape (see :func:`cached_rows`); the cursor."""
    database = database_proxy.obj
    key = (type(database), shape, len(params))
    sql = _STATEMENTS.get(key)
    values = list(params)
    if sql is None:
        sql, built = database.get_sql_context().sql(build()).query()
        if list(built) == values:
            _STATEMENTS[key] = sql
        else:  # not the parameters said: run it as peewee built it, keep nothing
            values = list(built)
    return database_proxy.execute_sql(sql, values)


def cached_rows(
    shape: Hashable, params: Sequence[Any], build: Callable[[], Any]
) -> list[tuple[Any, ...]]:
    """A query's rows as the driver returns them, its SQL built by peewee once per shape.

    No value is converted: for columns whose stored form is what the views hold (numbers,
    text); a date is stored as text in SQLite and goes through :func:`value_reader`.

    The query ``build()`` makes must take exactly ``params``, in that order: the first time,
    its SQL is built and its parameters checked against ``params`` (a query whose parameters
    differ is run as built, and its SQL not kept). Later calls with the same shape and as
    many parameters run the kept SQL with the new values. The SQL is kept per database
    class, as SQLite and PostgreSQL write placeholders differently.

    Args:
        shape: names the query and the form of its condition (not its values).
        params: the values the query takes, in the order its SQL names them.
        build: makes the peewee query (called only while its SQL is not kept).
    """
    return list(_run_cached(shape, params, build).fetchall())


def cached_dicts(
    shape: Hashable, params: Sequence[Any], build: Callable[[], Any], model: Any
) -> list[dict[str, Any]]:
    """As :func:`cached_rows`, each row a dict by the model's field names.

    For a query of one model's own columns whose stored values are what the views hold
    (text and numbers, not dates): a foreign key is named as its field ("recommendation",
    not "recommendation_id"), as peewee's ``.dicts()`` names it.
    """
    cursor = _run_cached(shape, params, build)
    columns = model._meta.columns
    names = [columns[c[0]].name if c[0] in columns else c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def kept_statements() -> int:
    """How many query shapes have their SQL kept (for tests)."""
    return len(_STATEMENTS)
