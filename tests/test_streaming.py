"""Issue 13: the history CSV streams to the temporary file of an atomic write.

:func:`esi_desktop.files.writing_atomically` is :func:`write_atomically` for a stream: the
same refusals and sentences, the file whole or not at all. The history export reads the
changes a batch at a time and writes each batch before reading the next, so memory does not
grow with the length of the history; its rows are those the whole history gave.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import tracemalloc
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import peewee
import pytest

from db.models import AuditEntry
from esi_desktop import audit
from esi_desktop.audit import csv_export
from esi_desktop.audit.trail import item_labels
from esi_desktop.errors import EsiError
from esi_desktop.files import CSV, PDF, OtherKindOfFile, writing_atomically
from esi_desktop.inspections import list_inspections

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def inspection(sample_db: peewee.Database) -> Iterator[int]:
    yield list_inspections()[0].id


def _rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM) and not raw.startswith(BOM * 2)
    return list(csv.reader(io.StringIO(raw[len(BOM) :].decode("utf-8"), newline="")))


def _expected(inspection_id: int | None) -> list[list[str]]:
    """The rows as the whole history gives them (the export before issue 13)."""
    entries = audit.inspection_history(inspection_id=inspection_id)
    labels = audit.item_labels(entries)
    from esi_desktop.spreadsheet import safe_row

    return [list(csv_export.CSV_COLUMNS)] + [
        [
            str(cell)
            for cell in safe_row(
                (
                    e.local_changed_at.strftime("%Y-%m-%d %H:%M:%S"),
                    e.changed_by,
                    labels[(e.item_kind, e.item_id)],
                    e.field_label,
                    e.old_value or "",
                    e.new_value or "",
                )
            )
        ]
        for e in entries
    ]


def _record(
    inspection_id: int, count: int, *, other: int | None = None, distinct_items: bool = False
) -> None:
    """``count`` changes of the inspection, recorded newest first (ids against time), each
    followed by one of the inspection ``other`` when given (so the ids are not a run); each of
    another item when ``distinct_items``, else of seven items."""
    start = datetime(2005, 3, 1, 12, 0, 0)
    rows: list[dict[str, Any]] = []
    for n in range(count):
        for owner in (inspection_id, other):
            if owner is None:
                continue
            rows.append(
                {
                    "changed_at": start - timedelta(minutes=n),
                    "changed_by": "secretary",
                    "item_kind": "milestone",
                    "item_id": 10_000 + (n if distinct_items else n % 7),
                    "inspection_id": owner,
                    "field": "status",
                    "old_value": f"=cmd|{n}" if n % 5 == 0 else "Not started",
                    "new_value": f'Réunion {n}, "quoted"\nsecond line',
                    "action": "update",
                }
            )
    for first in range(0, len(rows), 50):
        AuditEntry.insert_many(rows[first : first + 50]).execute()


# ----- the streaming atomic write ------------------------------------------------------------


def test_a_stream_is_written_to_a_hidden_file_and_renamed_into_place(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("the earlier export\n", encoding="utf-8")
    with writing_atomically(path, kind=CSV) as stream:
        stream.write(b"first,")
        stream.flush()
        hidden = [name for name in os.listdir(tmp_path) if name != "out.csv"]
        assert len(hidden) == 1 and hidden[0].startswith(".out.csv.")
        assert (tmp_path / hidden[0]).read_bytes() == b"first,"  # written as it comes
        assert path.read_text(encoding="utf-8") == "the earlier export\n"
        stream.write(b"second\n")
    assert path.read_bytes() == b"first,second\n"
    assert os.listdir(tmp_path) == ["out.csv"]
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_failure_in_the_block_keeps_the_earlier_file_and_removes_the_temporary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.csv"
    path.write_text("the earlier export\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken"), writing_atomically(path, kind=CSV) as stream:
        stream.write(b"half a file")
        raise ValueError("broken")
    assert path.read_text(encoding="utf-8") == "the earlier export\n"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_a_full_disk_while_streaming_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with pytest.raises(EsiError, match="the disk is full"), writing_atomically(path, kind=CSV):
        raise OSError(28, "No space left on device")
    assert os.listdir(tmp_path) == []


def test_the_stream_refuses_what_write_atomically_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "other.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE t (x)")
    before = database.read_bytes()
    refused = pytest.raises(OtherKindOfFile, match="is a SQLite database, not a CSV file")
    with refused, writing_atomically(database, kind=CSV):
        pytest.fail("the block must not run")
    assert database.read_bytes() == before
    missing = tmp_path / "missing" / "x.pdf"
    with pytest.raises(EsiError, match="does not exist"), writing_atomically(missing, kind=PDF):
        pytest.fail("the block must not run")
    with pytest.raises(EsiError, match="it is a folder"), writing_atomically(tmp_path, kind=PDF):
        pytest.fail("the block must not run")

    def locked(source: object, destination: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    held = pytest.raises(EsiError, match="open in another program \\(such as a PDF viewer\\)")
    with held, writing_atomically(tmp_path / "r.pdf", kind=PDF) as stream:
        stream.write(b"%PDF-1.4\n")
    assert sorted(os.listdir(tmp_path)) == ["other.sqlite3"]


# ----- the history CSV ----------------------------------------------------------------------


def test_the_history_is_written_batch_by_batch_as_it_is_read(
    inspection: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch reaches the temporary file before the next is read: the export streams."""
    _record(inspection, 400, distinct_items=True)
    monkeypatch.setattr(csv_export, "BATCH", 7)
    monkeypatch.setattr(csv_export, "_PER_QUERY", 5)
    written_when_named: list[int] = []
    name_items = item_labels

    def naming(entries: Any) -> dict[tuple[str, int], str]:
        temporary = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert len(temporary) == 1
        written_when_named.append(temporary[0].stat().st_size)
        return name_items(entries)

    monkeypatch.setattr(csv_export, "item_labels", naming)
    path = tmp_path / "history.csv"
    count = csv_export.export_csv(inspection_id=inspection, path=path)
    assert count == 49 + 400
    # each batch of the 400 holds items not named yet: one naming each, 58 batches of 7
    assert len(written_when_named) >= 58
    # the rows of the earlier batches were in the temporary file when later ones were read
    # (the text wrapper hands on its buffer every 8 KiB or so)
    assert written_when_named[0] == 0
    assert written_when_named[-1] > path.stat().st_size - 10_000
    assert written_when_named == sorted(written_when_named)
    assert _rows(path) == _expected(inspection)


@pytest.mark.parametrize(("per_query", "batch"), [(500, 2000), (3, 4), (1, 1)])
def test_the_rows_are_those_of_the_whole_history_in_its_order(
    inspection: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    per_query: int,
    batch: int,
) -> None:
    # recorded newest first, interleaved with another inspection's: ids are not in time
    # order and not a run, so the changes are read by their ids
    _record(inspection, 30, other=inspection + 1)
    monkeypatch.setattr(csv_export, "_PER_QUERY", per_query)
    monkeypatch.setattr(csv_export, "BATCH", batch)
    path = tmp_path / "history.csv"
    assert csv_export.export_csv(inspection_id=inspection, path=path) == 30 + 49
    assert _rows(path) == _expected(inspection)
    assert csv_export.export_csv(inspection_id=None, path=path) == 60 + 49
    assert _rows(path) == _expected(None)
    formulas = [row[4] for row in _rows(path)[1:] if row[4].startswith("'")]
    assert formulas and all(cell.startswith("'=cmd|") for cell in formulas)


def test_an_empty_history_is_the_header_with_its_byte_order_mark(
    db: peewee.Database, tmp_path: Path
) -> None:
    path = tmp_path / "history.csv"
    assert audit.export_csv(inspection_id=None, path=path) == 0
    assert path.read_bytes() == BOM + b"When,Who,Item,Field,Old,New\r\n"


def test_a_long_history_is_exported_in_little_memory(inspection: int, tmp_path: Path) -> None:
    """20,000 changes: the whole history read at once took about 24 MiB here; streamed, a few.

    The bound is generous (memory does not grow with the history) and tracemalloc's figure
    is deterministic: no timing is asserted.
    """
    _record(inspection, 20_000)
    path = tmp_path / "history.csv"
    tracemalloc.start()
    try:
        count = audit.export_csv(inspection_id=inspection, path=path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 20_049
    assert peak < 10 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"
