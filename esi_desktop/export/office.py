"""What the Word and Excel exports share: text made safe for their XML, and the document's
metadata in the words the PDF uses.

Word and Excel files are XML: a control character a secretary pasted in (a form feed from
an old report, a vertical tab from Word itself) would make python-docx and openpyxl refuse
the whole file, so :func:`xml_safe` drops them, as the PDF prints nothing for them either.
"""

from __future__ import annotations

import re

#: Characters XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return;
#: lone surrogates; the two non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """``value`` without the characters a Word or Excel file cannot hold."""
    return _NOT_XML.sub("", value)


def blocks(value: str) -> list[str]:
    """Plain text's blank-line paragraphs, as the PDF splits them (line breaks kept)."""
    return [b.strip() for b in xml_safe(value).replace("\r\n", "\n").split("\n\n") if b.strip()]
