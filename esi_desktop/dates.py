"""Dates as a person types them (British, day first); :mod:`esi_desktop.wording` writes them.

:func:`parse_date` reads the few whole-date forms a Board secretary types and refuses anything
else with a sentence saying what is wrong and what to type. It never guesses: a missing day,
month or year is refused, not filled in from today, and the day always comes before the month
unless the year comes first (ISO, ``2005-03-15``).

It is written here rather than taken from ``dateutil``: ``dateutil.parser.parse`` fills any
missing part from a default date (``"15/03"`` becomes 15 March of this year), and guesses
between day-first, month-first and year-first orders depending on flags and on which numbers
happen to fit — exactly the silent change of a typed date this module exists to prevent.

Accepted forms (case and surrounding spaces do not matter):

- ``15/03/2005``, ``15/3/05``, ``15-03-2005``, ``15.03.2005``, ``15 03 2005``
- ``15032005`` (ddmmyyyy) and ``150305`` (ddmmyy)
- ``2005-03-15`` (a four-digit year first means year, month, day)
- ``15 Mar 2005``, ``15 March 2005``, ``15-Mar-2005``, ``15th March 2005``
- any of those after a weekday, ``Tuesday 15 March 2005``, when the weekday is right
- ``today``, ``tomorrow``, ``yesterday``

A two-digit year 00–69 means 2000–2069 and 70–99 means 1970–1999 (the same pivot as POSIX
``strptime``'s ``%y``). Years outside 1900–2099 are refused as typing slips.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from esi_desktop.errors import ValidationError
from esi_desktop.wording import MONTHS, WEEKDAYS, long_date

#: The example every refusal offers.
EXAMPLE = "15/03/2005"

#: Two-digit years up to this one are this century; later ones are the last century.
PIVOT = 69

EARLIEST_YEAR = 1900
LATEST_YEAR = 2099

_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBERS.update({name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)})
_MONTH_NUMBERS["sept"] = 9
_WEEKDAY_NUMBERS = {name.lower(): number for number, name in enumerate(WEEKDAYS)}
_WEEKDAY_NUMBERS.update({name[:3].lower(): number for number, name in enumerate(WEEKDAYS)})
# the longer abbreviations people write too ("Tues 15 March 2005")
_WEEKDAY_NUMBERS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_RELATIVE = {"today": 0, "tomorrow": 1, "yesterday": -1}

_I = re.IGNORECASE
_SEP = r"\s*[/.\-\s]\s*"
_NUMERIC = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d+)$")
_ISO = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_DIGITS = re.compile(r"^\d+$")
_NAMED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s/.,\-]*([a-z]+)\.?[\s/.,\-]*(\d+)$", _I)
_NO_YEAR_NUMERIC = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}})$")
_NO_YEAR_NAMED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s/.,\-]*([a-z]+)\.?$", _I)
_MONTH_FIRST = re.compile(r"^([a-z]+)\.?[\s/.,\-]*(\d{1,2})(?:st|nd|rd|th)?[\s/.,\-]+(\d+)$", _I)
_WEEKDAY = re.compile(r"^([a-z]+)\.?(?:,\s*|\s+)(.*)$", _I)


def parse_date(text: str, *, today: date) -> date:
    """The date a person typed, read day first; never a date they did not type.

    Args:
        text: what was typed, for example ``"15/03/2005"`` or ``"15 Mar 2005"``.
        today: the date ``"today"`` means (the program's idea of today, for tests).

    Returns:
        The date.

    Raises:
        ValidationError: the text is not a whole, existing date in one of the forms above;
            the message says what is wrong and what to type.
    """
    typed = " ".join(text.split())
    if not typed:
        raise ValidationError(f"Type a date such as {EXAMPLE}.", "date")
    if typed.lower() in _RELATIVE:
        return today + timedelta(days=_RELATIVE[typed.lower()])
    weekday = _WEEKDAY.match(typed)
    if weekday is not None and weekday.group(1).lower() in _WEEKDAY_NUMBERS:
        day = _parse_whole(typed, weekday.group(2))
        expected = _WEEKDAY_NUMBERS[weekday.group(1).lower()]
        if day.weekday() != expected:
            raise ValidationError(
                f"“{typed}” is not a date: {long_date(day)} is a {WEEKDAYS[day.weekday()]}, "
                f"not a {WEEKDAYS[expected]}.",
                "date",
            )
        return day
    return _parse_whole(typed, typed)


def _parse_whole(typed: str, text: str) -> date:
    """A date from ``text`` (without a weekday); ``typed`` is quoted in refusals."""
    if (match := _ISO.match(text)) is not None:
        year, month, day = (int(part) for part in match.groups())
        return _make(typed, day, month, year)
    if (match := _NUMERIC.match(text)) is not None:
        day, month = int(match.group(1)), int(match.group(2))
        return _make(typed, day, month, _year(typed, match.group(3)))
    if _DIGITS.match(text):
        if len(text) == 8:
            year_first = EARLIEST_YEAR <= int(text[:4]) <= LATEST_YEAR
            if year_first and not EARLIEST_YEAR <= int(text[4:]) <= LATEST_YEAR:
                raise ValidationError(
                    f"“{typed}” is not a date: eight digits are read as day, month, year "
                    "(15032005); for the year first, type 2005-03-15.",
                    "date",
                )
            return _make(typed, int(text[:2]), int(text[2:4]), int(text[4:]))
        if len(text) == 6:
            return _make(typed, int(text[:2]), int(text[2:4]), _year(typed, text[4:]))
        raise ValidationError(
            f"“{typed}” is not a date: type the day, month and year, such as {EXAMPLE} "
            "or 15032005.",
            "date",
        )
    if (match := _NAMED.match(text)) is not None:
        month = _month(typed, match.group(2))
        return _make(typed, int(match.group(1)), month, _year(typed, match.group(3)))
    if _NO_YEAR_NUMERIC.match(text) or (
        (match := _NO_YEAR_NAMED.match(text)) is not None
        and match.group(2).lower() in _MONTH_NUMBERS
    ):
        raise ValidationError(
            f"“{typed}” has no year: type the year too, such as {EXAMPLE}.", "date"
        )
    if (match := _MONTH_FIRST.match(text)) is not None and (
        match.group(1).lower() in _MONTH_NUMBERS
    ):
        raise ValidationError(
            f"“{typed}” puts the month first: type the day first, such as 15 March 2005.",
            "date",
        )
    raise ValidationError(
        f"“{typed}” is not a date: type the day, month and year, such as {EXAMPLE}.", "date"
    )


def _year(typed: str, digits: str) -> int:
    """A year from two or four digits (two: 00–69 are 20xx, 70–99 are 19xx)."""
    if len(digits) == 4:
        return int(digits)
    if len(digits) == 2:
        two = int(digits)
        return 2000 + two if two <= PIVOT else 1900 + two
    raise ValidationError(
        f"“{typed}” is not a date: the year needs two or four digits, such as {EXAMPLE}.",
        "date",
    )


def _month(typed: str, word: str) -> int:
    """A month's number from its name or three-letter abbreviation."""
    number = _MONTH_NUMBERS.get(word.lower())
    if number is None:
        raise ValidationError(
            f"“{typed}” is not a date: “{word}” is not a month; type its name or number, "
            f"such as 15 March 2005 or {EXAMPLE}.",
            "date",
        )
    return number


def _make(typed: str, day: int, month: int, year: int) -> date:
    """The date, or a refusal saying which part does not exist."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError(
            f"“{typed}” is not a date this program takes: the year must be between "
            f"{EARLIEST_YEAR} and {LATEST_YEAR}.",
            "date",
        )
    if not 1 <= month <= 12:
        raise ValidationError(f"“{typed}” is not a date: there is no month {month}.", "date")
    if day == 0:
        raise ValidationError(f"“{typed}” is not a date: there is no day 0.", "date")
    days = calendar.monthrange(year, month)[1]
    if day > days:
        raise ValidationError(
            f"“{typed}” is not a date: {MONTHS[month - 1]} {year} has {days} days.", "date"
        )
    return date(year, month, day)
