"""Names of the files written for people: safe on Windows and Linux, and told apart."""

from __future__ import annotations

import re

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
