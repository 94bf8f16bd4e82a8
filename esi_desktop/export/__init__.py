"""PDF documents: the response and action plan for the Inspectorate, and Board progress papers.

Each document is read from the database by a ``*_content`` function (on the caller's thread)
and laid out by a renderer class whose ``render()`` returns the PDF's bytes, with no GUI.
"""

from esi_desktop.export.progress import (
    ProgressContent,
    ProgressRenderer,
    progress_content,
    render_progress,
)
from esi_desktop.export.response import (
    ResponseContent,
    ResponseRenderer,
    render_response,
    response_content,
)

__all__ = [
    "ProgressContent",
    "ProgressRenderer",
    "ResponseContent",
    "ResponseRenderer",
    "progress_content",
    "render_progress",
    "render_response",
    "response_content",
]
