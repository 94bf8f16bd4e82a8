"""Server passwords: from PGPASSWORD or the operating system's keyring, never from settings.

On Windows the keyring is the Credential Manager; on macOS the Keychain; on Linux the Secret
Service. Where no keyring is available, passwords are simply not remembered.
"""

from __future__ import annotations

import os
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from esi_desktop.errors import EsiError

SERVICE = "ESI Desktop"


def account(url: str) -> str | None:
    """The keyring account a server URL's password is kept under ("user@host:port/name")."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        return None
    try:
        port = parts.port or 5432
    except ValueError:  # a malformed URL: opening it says what is wrong
        return None
    return f"{parts.username or ''}@{parts.hostname}:{port}{parts.path}"


def without_password(url: str) -> str:
    """The URL with any password removed (what may be shown and remembered in settings)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    port = parts.netloc.rpartition("@")[2].partition(":")[2]
    if port:
        host = f"{host}:{port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def stored_password(url: str) -> str | None:
    """The remembered password of a server URL, or None (none stored, or no keyring)."""
    key = account(url)
    if key is None:
        return None
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(SERVICE, key)
        except KeyringError:
            return None
    except Exception:  # a broken keyring backend must never stop the program opening
        return None


def remember_password(url: str, password: str) -> None:
    """Keep a server password in the operating system's keyring.

    Raises:
        EsiError: there is no usable keyring; the password is not stored anywhere.
    """
    key = account(url)
    if key is None:
        raise EsiError("Only a server database has a password to remember.")
    try:
        import keyring

        keyring.set_password(SERVICE, key, password)
    except Exception as exc:
        raise EsiError(
            f"The password could not be kept in the system keyring ({exc}); you will be "
            "asked for it next time. Nothing was written to the settings."
        ) from None


def forget_password(url: str) -> None:
    """Remove a remembered password, if there is one."""
    key = account(url)
    if key is None:
        return
    try:
        import keyring

        keyring.delete_password(SERVICE, key)
    except Exception:  # nothing stored, or no keyring: nothing to forget
        return


def with_password(url: str, password: str | None = None) -> str:
    """The URL to connect with: its own password, else ``password``, else PGPASSWORD, else
    the keyring's. A SQLite URL is returned as it is."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or parts.password is not None:
        return url
    if account(url) is None:  # a malformed URL: opening it says what is wrong
        return url
    secret = password or os.environ.get("PGPASSWORD") or stored_password(url)
    if not secret:
        return url
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}:{parts.port}"
    user = quote(unquote(parts.username or ""), safe="")
    netloc = f"{user}:{quote(secret, safe='')}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
