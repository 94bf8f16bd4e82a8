"""A password never shows: malformed URLs are echoed redacted (issue 10 §4)."""

from __future__ import annotations

import pytest

from db.connection import parse_database_url, redact_url
from db.errors import DatabaseOpenError


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://clerk:s3cr3t@db.example:54x29/esi",  # a bad port
        "postgresql://clerk:s3cr3t@db.example:5432/",  # no database name
        "postgres-ql://clerk:s3cr3t@db.example/esi",  # an unknown scheme
        "clerk:s3cr3t@db.example/esi",  # no scheme at all
    ],
)
def test_a_malformed_url_is_refused_without_its_password(url: str) -> None:
    with pytest.raises(DatabaseOpenError) as caught:
        parse_database_url(url)
    assert "s3cr3t" not in str(caught.value)
    assert "clerk:***@db.example" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://clerk:p@ss:w0rd@host:5432/esi", "postgresql://clerk:***@host:5432/esi"),
        ("postgresql://clerk@host/esi", "postgresql://clerk@host/esi"),
        ("sqlite:///C:/Users/clerk/esi.sqlite3", "sqlite:///C:/Users/clerk/esi.sqlite3"),
        ("sqlite:///C:/Users/a@b/esi.sqlite3", "sqlite:///C:/Users/a@b/esi.sqlite3"),
        # a password holding "/" is no URL, but it is typed: still never shown
        ("postgresql://esi:abc/123@db.example/esi", "postgresql://esi:***@db.example/esi"),
    ],
)
def test_redacting_keeps_everything_but_the_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_the_settings_never_keep_a_password(qtbot: object) -> None:
    from ui.settings import Settings

    settings = Settings()
    settings.set_last_database("postgresql://clerk:s3cr3t@db.example:5432/esi")
    settings.add_recent_database("postgresql://clerk:s3cr3t@db.example:5432/esi")
    assert settings.last_database() == "postgresql://clerk@db.example:5432/esi"
    assert settings.recent_databases()[0] == "postgresql://clerk@db.example:5432/esi"


def test_a_malformed_url_is_described_without_its_password() -> None:
    from esi_desktop.database import describe_url

    assert describe_url("postgresql://clerk:s3cr3t@host:54x29/esi") == (
        "postgresql://clerk:***@host:54x29/esi"
    )
