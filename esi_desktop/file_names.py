"""Names of the files written for people: safe on Windows and Linux, and told apart."""

from __future__ import annotations

import re
from pathlib import PurePath

#: Characters Windows refuses in a file name, and control characters.
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
#: A Windows device name (CON, NUL, COM1 …): Windows finds it before the first dot too.
_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]) *(?=\.|$)", re.IGNORECASE)
#: An owner's name is cut to this many characters in a file name (paths stay short) …
OWNER_IN_NAME = 80
#: … and to this many bytes of UTF-8 (Linux allows 255 for the whole name).
OWNER_IN_NAME_BYTES = 100


def owner_in_file_name(owner: str) -> str:
    """An owner's name as it starts the name of a file written for them, safe on Windows and
    Linux: no ``< > : " / \\ | ? *`` or control characters, no trailing dot or space, not a
    device name ("CON", "CON.x" become "CON (owner)", "CON (owner).x"), at most
    :data:`OWNER_IN_NAME` characters and :data:`OWNER_IN_NAME_BYTES` bytes (never half a
    character); "Owner" when nothing is left."""
    name = " ".join(_NOT_IN_NAMES.sub(" ", owner).split())[:OWNER_IN_NAME]
    name = name.encode("utf-8")[:OWNER_IN_NAME_BYTES].decode("utf-8", "ignore").strip(" .")
    if not name:
        return "Owner"
    device = _DEVICE.match(name)
    if device:  # the marker must come before the first dot
        name = f"{device[1]} (owner){name[device.end() :]}"
    return name


def numbered(name: str, taken: set[str]) -> str:
    """``name``, or "name (2).pdf", "name (3).pdf" … if it is already ``taken`` (compared as
    Windows does, ignoring case); the name returned is added to ``taken``."""
    stem, dot, ending = name.rpartition(".")
    if not dot or not stem:
        stem, ending = name, ""
    suffix = f".{ending}" if ending else ""
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem} ({number}){suffix}"
    taken.add(candidate.casefold())
    return candidate


#: Characters Windows refuses in a file name, and the control characters.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
#: Names Windows keeps for devices, whatever the ending ("CON.txt" is the console too); the
#: superscript digits count as digits there ("COM¹").
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in "123456789\u00b9\u00b2\u00b3"}
    | {f"LPT{n}" for n in "123456789\u00b9\u00b2\u00b3"}
)
#: Leaves room for the temporary folder within Windows' 260-character paths (counted, as
#: Windows counts, in UTF-16 units: an emoji is two).
_LONGEST = 180
#: The longest name most Linux and macOS file systems take, in UTF-8 bytes (a name of 180
#: Chinese characters is 540).
_LONGEST_BYTES = 250


def _fits(name: str) -> bool:
    return (
        len(name.encode("utf-16-le")) // 2 <= _LONGEST
        and len(name.encode("utf-8", "surrogatepass")) <= _LONGEST_BYTES
    )


def _shortened(name: str) -> str:
    """``name`` cut to fit (see :func:`_fits`), keeping its ending, which picks its program."""
    if _fits(name):
        return name
    suffix = PurePath(name).suffix
    if not _fits(suffix) or len(suffix) > 20:
        suffix = ""
    stem = name[: len(name) - len(suffix)]
    while stem and not _fits(stem + suffix):
        stem = stem[:-1]
    return stem.rstrip(". ") + suffix


def safe_file_name(name: str, *, fallback: str = "file") -> str:
    """``name`` made safe as a file name on Windows (and everywhere else).

    Reserved characters become "_", trailing dots and spaces go, a device name ("CON",
    "lpt1.txt", "COM¹") gets a "_" before it, and a very long name is shortened keeping its
    ending, within 180 characters (UTF-16 units) and 250 bytes of UTF-8; ``fallback``
    when nothing is left.
    """
    safe = _UNSAFE.sub("_", name).strip().rstrip(". ")
    stem = safe.split(".", 1)[0].rstrip(" ")
    if stem.upper() in _RESERVED:
        safe = f"_{safe}"
    safe = _shortened(safe)
    return safe or fallback
