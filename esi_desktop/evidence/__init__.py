"""Evidence files attached to recommendations, actions and milestones, kept in the database.

One module per subject: ``store`` (attaching, removing and putting back, in one transaction
each), ``listing`` (reading it back in the plan's order), ``items`` (finding the item a
reference names), ``copies`` (a read-only copy to open, a copy saved out) and ``describe``
(how a piece of evidence reads in a sentence).
"""

from esi_desktop.evidence.copies import open_copy, safe_file_name, save_copy
from esi_desktop.evidence.describe import size_text
from esi_desktop.evidence.items import find_item
from esi_desktop.evidence.listing import evidence_counts, evidence_of, inspection_evidence
from esi_desktop.evidence.store import (
    DEFAULT_MAX_BYTES,
    EvidenceView,
    attach,
    attach_files,
    content_of,
    media_type_of,
    remove,
    remove_all,
    restore_removed,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EvidenceView",
    "attach",
    "attach_files",
    "content_of",
    "evidence_counts",
    "evidence_of",
    "find_item",
    "inspection_evidence",
    "media_type_of",
    "open_copy",
    "remove",
    "remove_all",
    "restore_removed",
    "safe_file_name",
    "save_copy",
    "size_text",
]
