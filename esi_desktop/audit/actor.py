"""Who is acting: the name the audit trail records a change as made by.

Who is acting (:func:`current_user`) is the operating-system login (``getpass.getuser()``):
on a Board secretary's Windows desktop it is personal and the name colleagues recognise,
whereas a shared PostgreSQL server is often reached through one application role that
everybody uses. Only when the login cannot be found (no login name in the environment and no
password database, as in some services) is the PostgreSQL role (``SELECT current_user``)
used instead, and failing that "unknown user". Tests, and any program that acts for a named
person, override the name with :func:`acting_as` or :func:`set_current_user`.
"""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterator

import peewee

from db.models import database_proxy

_override: str | None = None


def set_current_user(name: str | None) -> None:
    """Record changes as made by ``name`` from now on (None: back to the login name)."""
    global _override
    _override = name.strip() if name and name.strip() else None


@contextlib.contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Record the changes made inside the ``with`` block as made by ``name``."""
    before = _override
    set_current_user(name)
    try:
        yield
    finally:
        set_current_user(before)


def _login_name() -> str | None:
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment, no pwd entry
        return None
    return name.strip() or None


def _database_role() -> str | None:
    database = database_proxy.obj
    if not isinstance(database, peewee.PostgresqlDatabase):
        return None
    try:
        row = database.execute_sql("SELECT current_user").fetchone()
    except peewee.DatabaseError:
        return None
    return str(row[0]) if row and row[0] else None


def current_user() -> str:
    """Who is making changes: the override, else the login name, else the database role."""
    return _override or _login_name() or _database_role() or "unknown user"
