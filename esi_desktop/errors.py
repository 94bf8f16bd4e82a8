"""The project's own exceptions: each carries a sentence a Board secretary can act on."""


class EsiError(Exception):
    """Base of every error the application reports to the user.

    The message is one sentence (or two) saying what is wrong, where, and what to do.
    """


class FrameworkError(EsiError):
    """A framework file is missing or malformed."""


class ReportParseError(EsiError):
    """An inspection report could not be read.

    Attributes:
        location: where the problem is ("line 148", "page 3") or an empty string.
    """

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(message)
        self.location = location


class NotFoundError(EsiError):
    """A record the user asked for does not exist."""


class ValidationError(EsiError):
    """A value the user entered breaks a rule of the domain.

    Attributes:
        field: the name of the field at fault, for the window to highlight.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
