"""The evidence bundle for the inspectors: one PDF, or a ZIP archive of the original files.

The PDF: the cover and index (:mod:`esi_desktop.export.bundle_index`), then the evidence in
index order: each PDF merged whole, each image on a page of its own with a caption, and every
other file (and any PDF or image that cannot be read) embedded as a file attachment. Every
page after the index is stamped "Page X of Y", and the outline mirrors the index. The index's
page numbers are right because the evidence is placed first: the index is then laid out,
counted and laid out again until its length settles, and put in front.

The ZIP: the index as a PDF, and the original files in one folder per recommendation, with a
folder inside for each action and milestone (``R3/AP3/AP3.2/Minutes 12 May.pdf``).

The evidence's bytes are read one piece at a time through ``read`` (on the calling thread's
connection); the ZIP is streamed piece by piece, the PDF written once made. ``report(done,
total)`` is called between pieces, and may stop the work by raising: nothing is then written.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from esi_desktop.evidence.copies import safe_file_name
from esi_desktop.export.bundle_content import (
    BundleContent,
    EvidencePiece,
    is_image,
    is_pdf,
)
from esi_desktop.export.bundle_index import (
    BundleIndexRenderer,
    Counts,
    Placement,
    piece_key,
)
from esi_desktop.file_names import numbered
from esi_desktop.files import (
    PDF,
    ZIP,
    OutputKind,
    check_output_path,
    writing_atomically,
)

#: Reads the bytes of one piece of evidence, by its id.
Read = Callable[[int], bytes]
#: Reports progress: (done, total).
Report = Callable[[int, int], None]

ATTACHED = "attached as a file"
#: Why a piece meant to be shown as pages is attached instead.
UNREADABLE_PDF = "It could not be read as a PDF (it may be damaged), so it is attached as a file."
LOCKED_PDF = "It is protected by a password, so it is attached as a file, as it was given."
#: The ZIP's index, at the top of the archive.
INDEX_NAME = "Evidence index.pdf"
#: Endings of files that are compressed already: stored in the ZIP as they are (quicker).
_COMPRESSED = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".docx", ".xlsx", ".pptx", ".zip", ".msg", ".tif"}
)


@dataclass(frozen=True)
class BundleWritten:
    """What was written.

    Attributes:
        path: the file written.
        pieces: how many pieces of evidence it holds.
        pages: the PDF's pages (the index's, for a ZIP).
        counts: how the pieces were placed (a ZIP's are all files).
        notes: a sentence per piece not placed as its kind would be ("AP3.2 x.pdf: …").
    """

    path: Path
    pieces: int
    pages: int
    counts: Counts
    notes: tuple[str, ...] = ()


def write_bundle(
    content: BundleContent,
    path: Path,
    *,
    kind: OutputKind,
    read: Read,
    report: Report | None = None,
    force: bool = False,
    keep: Iterable[Path] = (),
) -> BundleWritten:
    """Write the evidence bundle to ``path``: a PDF (``kind`` :data:`PDF`) or a ZIP archive.

    Raises:
        OtherKindOfFile: the file there is of another kind, and ``force`` is false.
        EsiError: the path cannot be written (said before any evidence is read).
    """
    keep = tuple(keep)
    check_output_path(path, kind=kind, force=force, keep=keep)  # before the long work
    tell: Report = report or (lambda _done, _total: None)
    if kind is ZIP:
        return _write_zip(content, path, read=read, report=tell, force=force, keep=keep)
    if kind is not PDF:
        raise ValueError(f"no bundle is written as {kind.name}")
    return _write_pdf(content, path, read=read, report=tell, force=force, keep=keep)


# ----- the PDF --------------------------------------------------------------------------------


def _write_pdf(
    content: BundleContent,
    path: Path,
    *,
    read: Read,
    report: Report,
    force: bool,
    keep: tuple[Path, ...],
) -> BundleWritten:
    from pypdf import PdfWriter

    from esi_desktop.export.bundle_pages import (
        add_outline,
        image_page,
        set_metadata,
        stamp_page_numbers,
    )

    pieces = [piece for _, piece in content.pieces()]
    total = len(pieces) + 1
    writer = PdfWriter()
    starts: dict[int, int] = {}  # piece → its first page among the evidence's (from 0)
    placements: dict[int, Placement] = {}
    notes: list[str] = []
    attachment_names: set[str] = set()
    merged = images = attached = 0
    for done, piece in enumerate(pieces):
        report(done, total)
        data = read(piece.id)
        note = ""
        first = len(writer.pages)
        if is_pdf(piece) or data[:1024].lstrip().startswith(b"%PDF-"):
            note = _merge_pdf(writer, data)
            merged += not note
        elif is_image(piece):
            page = image_page(data, caption=_caption(piece))
            if isinstance(page, str):
                note = page  # why it is attached instead, as a sentence
            else:
                writer.append(page, import_outline=False)
                images += 1
        else:
            note = " "  # no note to print: any other file is attached by its kind
        if note:
            writer.add_attachment(numbered(safe_file_name(piece.name), attachment_names), data)
            attached += 1
            placements[piece.id] = Placement(ATTACHED, note.strip())
            if note.strip():
                notes.append(f"{_reference(piece)}{piece.name}: {note.strip()}")
        else:
            starts[piece.id] = first
        del data  # one piece's bytes at a time
    report(len(pieces), total)
    counts = Counts(merged=merged, images=images, attached=attached)
    evidence_pages = len(writer.pages)

    # the index's length decides the evidence's page numbers, which may change its length
    index_pages, index_pdf, marks = 2, b"", {}
    for _ in range(6):
        for piece_id, first in starts.items():
            placements[piece_id] = Placement(f"page {index_pages + first + 1}")
        renderer = BundleIndexRenderer(
            content, placements, counts=counts, total_pages=index_pages + evidence_pages
        )
        index_pdf = renderer.render()
        marks = renderer.marks
        if renderer.page_count == index_pages:
            break
        index_pages = renderer.page_count
    from pypdf import PdfReader

    writer.merge(0, PdfReader(io.BytesIO(index_pdf)), import_outline=False)
    pages = len(writer.pages)
    stamp_page_numbers(writer, first=index_pages, total=pages)

    def page_of(piece: EvidencePiece) -> tuple[int, bool]:
        if piece.id in starts:
            return index_pages + starts[piece.id], True
        return marks[piece_key(piece)] - 1, False

    add_outline(writer, content, marks=marks, page_of=page_of)
    renderer_meta = BundleIndexRenderer(content, {}, counts=counts).metadata()
    set_metadata(writer, renderer_meta)
    with writing_atomically(path, kind=PDF, force=force, keep=keep) as stream:
        writer.write(stream)
    return BundleWritten(path, len(pieces), pages, counts, tuple(notes))


def _merge_pdf(writer: object, data: bytes) -> str:
    """Append a PDF's pages to ``writer``; the reason it was not, as a sentence, or ""."""
    from pypdf import PdfReader, PdfWriter

    assert isinstance(writer, PdfWriter)
    before = len(writer.pages)
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # a damaged file's repairs are no news to the person
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opened_without_password(reader):
            return LOCKED_PDF
        if not len(reader.pages):
            return UNREADABLE_PDF
        writer.append(reader, import_outline=False)
    except Exception:  # a damaged PDF fails in many ways; it is attached instead
        while len(writer.pages) > before:  # no page of it is left half merged
            writer.remove_page(len(writer.pages) - 1)
        return UNREADABLE_PDF
    finally:
        quiet.setLevel(level)
    return ""


def _opened_without_password(reader: object) -> bool:
    """Open a PDF that is locked only against changes (no password to read it)."""
    from pypdf import PasswordType, PdfReader

    assert isinstance(reader, PdfReader)
    try:
        return bool(reader.decrypt("") != PasswordType.NOT_DECRYPTED)
    except Exception:  # an encryption pypdf cannot undo here: kept as it was given
        return False


def _reference(piece: EvidencePiece) -> str:
    return f"{piece.item_reference} " if piece.item_reference else ""


def _caption(piece: EvidencePiece) -> str:
    """ "AP3.2 · Photo of the notice board.jpg"."""
    reference = piece.item_reference
    if piece.item_kind == "recommendation" and reference:
        reference = f"Recommendation {reference}"
    return f"{reference} · {piece.name}" if reference else piece.name


# ----- the ZIP ---------------------------------------------------------------------------------


def _write_zip(
    content: BundleContent,
    path: Path,
    *,
    read: Read,
    report: Report,
    force: bool,
    keep: tuple[Path, ...],
) -> BundleWritten:
    from esi_desktop.export.bundle_pages import add_outline, set_metadata

    pieces = content.pieces()
    total = len(pieces) + 1
    names: dict[PurePosixPath, set[str]] = {PurePosixPath(): {INDEX_NAME.casefold()}}
    paths: dict[int, PurePosixPath] = {}
    for folder, piece in pieces:
        taken = names.setdefault(folder, set())
        paths[piece.id] = folder / numbered(safe_file_name(piece.name), taken)
    placements = {piece_id: Placement(str(where)) for piece_id, where in paths.items()}
    report(0, total)
    renderer = BundleIndexRenderer(content, placements, counts=Counts(), archive=True)
    index_pdf = _with_outline(renderer, add_outline, set_metadata)
    with (
        writing_atomically(path, kind=ZIP, force=force, keep=keep) as stream,
        zipfile.ZipFile(stream, "w", allowZip64=True) as archive,
    ):
        day = content.prepared_on
        archive.writestr(_entry(INDEX_NAME, (day.year, day.month, day.day, 0, 0, 0)), index_pdf)
        for done, (_folder, piece) in enumerate(pieces, start=1):
            report(done, total)
            where = paths[piece.id]
            stored = where.suffix.lower() in _COMPRESSED
            archive.writestr(
                _entry(str(where), piece.attached_at.timetuple()[:6], stored=stored),
                read(piece.id),
            )
    return BundleWritten(path, len(pieces), renderer.page_count, Counts(attached=len(pieces)))


def _with_outline(
    renderer: BundleIndexRenderer,
    add_outline: Callable[..., None],
    set_metadata: Callable[..., None],
) -> bytes:
    """The index PDF, its outline made as the PDF bundle's (pointing into the index)."""
    from pypdf import PdfReader, PdfWriter

    data = renderer.render()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
    add_outline(
        writer,
        renderer.content,
        marks=renderer.marks,
        page_of=lambda piece: (renderer.marks[piece_key(piece)] - 1, False),
        not_shown="",
    )
    set_metadata(writer, renderer.metadata())
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _entry(
    name: str, when: tuple[int, int, int, int, int, int], *, stored: bool = False
) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=max(when, (1980, 1, 1, 0, 0, 0)))
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16  # an ordinary file when unpacked on Linux or macOS
    return info
