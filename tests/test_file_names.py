"""The one rule for names of files the program suggests or writes (esi_desktop/file_names.py)."""

from __future__ import annotations

from esi_desktop.file_names import safe_file_name
from ui.export.dialogs import safe_name


def test_a_suggested_export_name_is_safe_on_windows() -> None:
    # an area or body name typed with characters Windows refuses, a device name, a tab
    assert safe_name('Avon/Somerset: "North" response.pdf') == "Avon_Somerset_ _North_ response.pdf"
    assert safe_name("CON.pdf") == "_CON.pdf"
    assert safe_name("Area\tname response.pdf") == "Area_name response.pdf"
    assert safe_name("Response. ") == "Response"
    assert safe_name("???") == "___"
    assert safe_name("") == "export"


def test_a_long_name_keeps_its_ending() -> None:
    name = safe_file_name("Gloucestershire " * 30 + "response.pdf")
    assert name.endswith(".pdf")
    assert len(name) <= 180
