"""Errors raised by the persistence layer, each with a sentence a user can act on."""


class DatabaseOpenError(Exception):
    """The database could not be opened, created or brought up to date."""


class SchemaTooNewError(DatabaseOpenError):
    """The database was written by a newer version of the program."""
