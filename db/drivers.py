"""peewee without the database servers' drivers, until a PostgreSQL database is opened.

peewee imports psycopg2 (and looks for psycopg, psycopg2cffi, PyMySQL and MySQLdb) when it is
first imported, whichever database is used: psycopg2 alone costs a start-up on a SQLite file
about 14 ms. :func:`import_peewee` imports peewee with those drivers hidden (the import fails,
so peewee notes them as missing) and unhides them straight after, so a later ``import
psycopg2`` anywhere works as usual; :func:`load_postgresql_driver`, called before a
PostgreSQL database is made (:func:`db.server.open_server`), imports psycopg2 and gives peewee
what its own import would have set. MySQL is not a database ESI Desktop opens.

``db/__init__.py`` calls :func:`import_peewee`, so any ``db`` module comes first; a program
that imports peewee before any of them simply has the drivers loaded already.
"""

from __future__ import annotations

import sys

#: The drivers peewee tries at import, none of which a SQLite file needs.
DEFERRED_DRIVERS = ("psycopg2", "psycopg2cffi", "psycopg", "pymysql", "MySQLdb")


def import_peewee() -> None:
    """Import peewee, if not yet imported, without importing the server drivers."""
    if "peewee" in sys.modules:
        return
    hidden = [name for name in DEFERRED_DRIVERS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import name" fail
    try:
        import peewee  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def load_postgresql_driver() -> None:
    """Import psycopg2 and give it to peewee, as peewee's own import would have.

    Does nothing when peewee has it already. Raises ImportError without psycopg2.
    """
    import peewee

    if getattr(peewee, "psycopg2", None) is not None:
        return
    import psycopg2
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid

    register_uuid()
    # the names peewee's import sets when it finds psycopg2 (peewee 3.x and 4.x)
    given = {
        "psycopg2": psycopg2,
        "pg_extensions": extensions,
        "pg_register_uuid": register_uuid,
        "Json_pg2": Json,
    }
    for name, value in given.items():
        setattr(peewee, name, value)
    adapter = getattr(peewee, "Psycopg2Adapter", None)  # peewee 4: its class attributes
    if adapter is not None:
        adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
        adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
        adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
