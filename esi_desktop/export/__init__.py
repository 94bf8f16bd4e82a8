"""PDF documents: the response and action plan for the Inspectorate, and Board progress papers.

Each document is read from the database by a ``*_content`` function (on the caller's thread:
``response_content.py``, ``progress_content.py``) and laid out by a renderer class whose
``render()`` returns the PDF's bytes, with no GUI (``response.py`` with the action plan's
tables in ``action_plan.py``; ``progress.py`` with its chart in ``progress_chart.py``). The
house style they share: ``page.py`` (page templates, header and footer, DRAFT mark, the
renderer base class), ``style.py`` (colours, the stylesheet), ``text.py`` (escaping, dates,
names), ``tables.py``, ``flowables.py`` (panels, outline headings), ``parts.py`` (plan
numbering, score tables), ``fonts.py`` and ``scripts.py`` (fonts and mixed scripts).
``completeness.py`` decides what makes a response a draft; ``unprintable.py`` finds characters
no font can print.
"""

from esi_desktop.export.progress import ProgressRenderer, render_progress
from esi_desktop.export.progress_content import ProgressContent, progress_content
from esi_desktop.export.response import ResponseRenderer, render_response
from esi_desktop.export.response_content import ResponseContent, response_content

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
