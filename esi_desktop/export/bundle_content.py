"""What the evidence bundle holds: the plan's items with their evidence, in the index's order.

:func:`bundle_content` reads it from the database (on the caller's thread: item names, the
evidence's names, sizes and hashes, never its bytes); the bundle itself
(:mod:`esi_desktop.export.bundle`) is made from it with no other query but the contents, read
one piece at a time.

The index lists each recommendation, action and milestone that has evidence, in plan order:
each recommendation's own evidence, then each action serving it (an action serving two
recommendations appears once, under the first, and the second says where) with its evidence
and then its milestones'. A recommendation with no evidence at all still has its line, saying
so, so that an inspector sees the gaps. Actions serving no recommendation come after, and
last any evidence whose item is no longer in the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Protocol

from esi_desktop.errors import EsiError
from esi_desktop.evidence.copies import safe_file_name
from esi_desktop.export.text import InspectionNames, board_name
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION

#: How each piece is placed in the PDF bundle.
PAGES, IMAGE, ATTACHED = "pages", "image", "attached"

#: The image types reportlab (through Pillow) places on a page, by media type and ending.
IMAGE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/x-ms-bmp", "image/tiff"}
)
IMAGE_ENDINGS = frozenset({".png", ".jpg", ".jpeg", ".jpe", ".gif", ".bmp", ".tif", ".tiff"})

#: How the index names a file's type, by its ending ("" for none known).
_TYPE_WORDS = {
    ".pdf": "PDF document",
    ".doc": "Word document",
    ".docx": "Word document",
    ".rtf": "Word document",
    ".odt": "text document",
    ".xls": "Excel workbook",
    ".xlsx": "Excel workbook",
    ".csv": "CSV table",
    ".ods": "spreadsheet",
    ".ppt": "PowerPoint presentation",
    ".pptx": "PowerPoint presentation",
    ".eml": "e-mail message",
    ".msg": "Outlook e-mail message",
    ".txt": "text file",
    ".htm": "web page",
    ".html": "web page",
    ".png": "PNG image",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".jpe": "JPEG image",
    ".gif": "GIF image",
    ".bmp": "BMP image",
    ".tif": "TIFF image",
    ".tiff": "TIFF image",
    ".zip": "ZIP archive",
}


class EvidencePiece(Protocol):
    """One piece of evidence as :func:`esi_desktop.evidence.inspection_evidence` gives it."""

    @property
    def id(self) -> int: ...
    @property
    def item_kind(self) -> str: ...
    @property
    def item_id(self) -> int: ...
    @property
    def item_reference(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def sha256(self) -> str: ...
    @property
    def attached_by(self) -> str: ...
    @property
    def attached_at(self) -> datetime: ...


@dataclass(frozen=True)
class BundleItem:
    """A recommendation, action or milestone in the index, with its evidence.

    Attributes:
        kind: "recommendation", "action", "milestone", or "other" (a group of its own: the
            actions serving no recommendation, the evidence whose item has gone).
        reference: "3", "AP3", "AP3.2" ("" for a group).
        title: the item's words, as the index heads it.
        evidence: its own evidence, in the order attached.
        children: the actions under a recommendation, the milestones under an action.
        folder: its folder in a ZIP bundle ("R3", "AP3", "AP3.2").
        shared: for a recommendation, each action serving it that has evidence but is listed
            under an earlier recommendation, as (action's reference, that recommendation's).
    """

    kind: str
    reference: str
    title: str
    evidence: tuple[EvidencePiece, ...]
    children: tuple[BundleItem, ...]
    folder: str
    shared: tuple[tuple[str, str], ...] = ()

    @property
    def heading(self) -> str:
        """ "Recommendation 3: …", "AP3: …", "AP3.2: …", or the group's title."""
        if self.kind == RECOMMENDATION:
            return f"Recommendation {self.reference}: {self.title}"
        if self.reference:
            return f"{self.reference}: {self.title}"
        return self.title

    @property
    def outline_title(self) -> str:
        """The heading, short enough for a viewer's bookmarks panel."""
        from esi_desktop.wording import shorten

        return shorten(self.heading, 90)

    @property
    def piece_count(self) -> int:
        """Its evidence and all its children's."""
        return len(self.evidence) + sum(child.piece_count for child in self.children)

    @property
    def has_evidence(self) -> bool:
        """Evidence of its own or its children's, or an action listed elsewhere that has some."""
        return bool(self.piece_count or self.shared)


@dataclass(frozen=True)
class BundleContent(InspectionNames):
    """Everything the bundle says, save the evidence's bytes.

    Attributes:
        items: every recommendation (with evidence or not), then the groups of the rest.
    """

    inspection_id: int
    area: str
    report_title: str
    published: date
    prepared_on: date
    items: tuple[BundleItem, ...]
    #: A rated inspection: the body's management board answers it, not a Probation Board.
    rated: bool = False

    @property
    def board(self) -> str:
        """The board whose plan the evidence is for."""
        return board_name(self.area, rated=self.rated)

    @property
    def area_label(self) -> str:
        """What the cover calls the inspected place: "Probation area" or "Inspected body"."""
        return "Inspected body" if self.rated else "Probation area"

    def pieces(self) -> list[tuple[PurePosixPath, EvidencePiece]]:
        """Every piece of evidence in index order, each with its item's folder path."""
        found: list[tuple[PurePosixPath, EvidencePiece]] = []

        def walk(item: BundleItem, folder: PurePosixPath) -> None:
            here = folder / item.folder
            found.extend((here, piece) for piece in item.evidence)
            for child in item.children:
                walk(child, here)

        for item in self.items:
            walk(item, PurePosixPath())
        return found

    @property
    def recommendations_without_evidence(self) -> int:
        """How many recommendations have no evidence at all yet."""
        return sum(1 for i in self.items if i.kind == RECOMMENDATION and not i.has_evidence)

    @property
    def total_size(self) -> int:
        """The bytes of all the evidence together."""
        return sum(piece.size for _, piece in self.pieces())


def bundle_content(*, inspection_id: int, today: date) -> BundleContent:
    """Read what the evidence bundle of an inspection holds (no evidence bytes).

    Raises:
        EsiError: the inspection has no evidence at all: there is nothing to bundle.
        NotFoundError: there is no such inspection.
    """
    from esi_desktop.evidence import inspection_evidence
    from esi_desktop.inspections import inspection_summary
    from esi_desktop.plan import load_plan
    from esi_desktop.rated_results import is_rated_inspection

    summary = inspection_summary(inspection_id=inspection_id)
    evidence = inspection_evidence(inspection_id=inspection_id)
    if not evidence:
        raise EsiError(
            f"No evidence is attached to the {summary.area} plan yet, so there is no bundle "
            "to make: attach files to its recommendations, actions or milestones first."
        )
    plan = load_plan(inspection_id=inspection_id, today=today)
    recommendations = [(r.id, r.reference, r.text, r.action_ids) for r in plan.recommendations]
    actions = [
        (a.id, a.reference, a.text, [(m.id, m.reference, m.title) for m in a.milestones])
        for a in sorted(plan.actions.values(), key=lambda a: a.position)
    ]
    return BundleContent(
        inspection_id=inspection_id,
        area=summary.area,
        report_title=summary.report_title,
        published=plan.published,
        prepared_on=today,
        items=arrange(evidence, recommendations, actions),
        rated=is_rated_inspection(inspection_id=inspection_id),
    )


#: (id, reference, words, ids of the actions serving it) of a recommendation.
RecommendationRow = tuple[int, str, str, Sequence[int]]
#: (id, reference, words, [(id, reference, title) of each milestone]) of an action.
ActionRow = tuple[int, str, str, Sequence[tuple[int, str, str]]]


def arrange(
    evidence: Sequence[EvidencePiece],
    recommendations: Sequence[RecommendationRow],
    actions: Sequence[ActionRow],
) -> tuple[BundleItem, ...]:
    """The index's items: the plan's, in plan order, each with its evidence.

    Args:
        evidence: every piece of the inspection's evidence (its order kept within an item).
        recommendations: the plan's recommendations in order.
        actions: the plan's actions in order.
    """
    attached: dict[tuple[str, int], list[EvidencePiece]] = defaultdict(list)
    for piece in evidence:
        attached[(piece.item_kind, piece.item_id)].append(piece)
    placed: set[tuple[str, int]] = set()

    def own(kind: str, item_id: int) -> tuple[EvidencePiece, ...]:
        placed.add((kind, item_id))
        return tuple(attached.get((kind, item_id), ()))

    by_id = {row[0]: row for row in actions}

    def action_item(row: ActionRow) -> BundleItem:
        action_id, reference, words, milestones = row
        children = tuple(
            BundleItem(
                MILESTONE, m_reference, title, own(MILESTONE, m_id), (), _folder(m_reference)
            )
            for m_id, m_reference, title in milestones
        )
        return BundleItem(
            ACTION,
            reference,
            words,
            own(ACTION, action_id),
            tuple(c for c in children if c.evidence),
            _folder(reference),
        )

    items: list[BundleItem] = []
    served: dict[int, tuple[BundleItem, str]] = {}  # action → its item, the recommendation
    for recommendation_id, reference, words, action_ids in recommendations:
        children: list[BundleItem] = []
        shared: list[tuple[str, str]] = []
        for action_id in action_ids:
            if action_id in served:
                # an action serving two recommendations appears under the first; the second
                # says where, or the index would show a gap where there is evidence
                listed, under = served[action_id]
                if listed.piece_count and under != reference:
                    shared.append((listed.reference, under))
                continue
            if action_id not in by_id:
                continue
            child = action_item(by_id[action_id])
            served[action_id] = (child, reference)
            if child.piece_count:
                children.append(child)
        items.append(
            BundleItem(
                RECOMMENDATION,
                reference,
                words,
                own(RECOMMENDATION, recommendation_id),
                tuple(children),
                _folder(f"R{reference}"),
                tuple(shared),
            )
        )
    unserved = [action_item(row) for row in actions if row[0] not in served]
    unserved = [item for item in unserved if item.piece_count]
    if unserved:
        items.append(
            BundleItem(
                "other",
                "",
                "Actions serving no recommendation",
                (),
                tuple(unserved),
                "No recommendation",
            )
        )
    gone = tuple(p for key, pieces in attached.items() if key not in placed for p in pieces)
    if gone:
        items.append(
            BundleItem("other", "", "Evidence of items no longer in the plan", gone, (), "Other")
        )
    return tuple(items)


# ----- names ----------------------------------------------------------------------------------


def _folder(reference: str) -> str:
    return safe_file_name(reference or "Unnumbered")


def ending_of(name: str) -> str:
    """The file name's ending in lower case (".pdf"), or ""."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix
    return suffix.lower()


def type_words(piece: EvidencePiece) -> str:
    """How the index names a piece's type: "PDF document", "JPEG image", "DOCX file"."""
    ending = ending_of(piece.name)
    if ending in _TYPE_WORDS:
        return _TYPE_WORDS[ending]
    if piece.media_type == "application/pdf":
        return "PDF document"
    if piece.media_type.startswith("image/"):
        return f"{piece.media_type.split('/', 1)[1].upper()} image"
    return f"{ending[1:].upper()} file" if ending else "file"


def is_pdf(piece: EvidencePiece) -> bool:
    """A PDF by its media type or name (its bytes have the last word)."""
    return piece.media_type == "application/pdf" or ending_of(piece.name) == ".pdf"


def is_image(piece: EvidencePiece) -> bool:
    """An image that can be placed on a page, by its media type or name."""
    return piece.media_type in IMAGE_TYPES or ending_of(piece.name) in IMAGE_ENDINGS
