"""Reading the front matter: the cover (area and title) and the foreword's date line."""

from __future__ import annotations

from esi_desktop.report.lexer import Kind, year_month
from esi_desktop.report.messages import snippet
from esi_desktop.report.reader import Reader


class FrontMatterReader(Reader):
    """The area, title and publication month, from the cover and the foreword."""

    def area_and_title(self, sheet: int) -> tuple[str, str]:
        limit = sheet if sheet >= 0 else len(self.blocks)
        at = self.find(lambda b: b.kind is Kind.REPORT_ON, 0, limit)
        area_line = ""
        if at >= 0:
            area_line = self.blocks[at].info.body
            if not area_line and at + 1 < len(self.blocks):
                area_line = self.blocks[at + 1].text
        else:
            at = self.find(lambda b: "probation area" in b.text.casefold(), 0, limit)
            if at >= 0:
                area_line = _area_before(self.blocks[at].text)
                if area_line:
                    self.warn(
                        self.blocks[at].loc,
                        'no "Report on:" line was found on the cover, so the area was taken '
                        f'from "{snippet(self.blocks[at].text)}".',
                    )
        cut = area_line.casefold().find("probation area")
        if cut >= 0:
            area_line = area_line[: cut + len("probation area")]
            area = area_line[:cut].strip(" ,:;-")
        else:
            area = area_line.strip(" ,:;-")
        if area.casefold().startswith("the "):
            area = area[4:].strip()
        if not area:
            raise self.cut_off(
                '"Report on:" line naming the probation area on its cover',
                hint=" The cover of an ESI report names the area it inspected.",
            )
        # The title is the cover text just above "Report on:".
        title_parts: list[str] = []
        i = at - 1
        while i >= 0 and len(title_parts) < 3:
            block = self.blocks[i]
            if block.kind not in (Kind.TEXT, Kind.CAPS, Kind.HEADING):
                break
            title_parts.insert(0, block.text)
            i -= 1
        prefix = " ".join(title_parts) or "Effective Supervision Inspection"
        return area, f"{prefix}: Report on {area_line}"

    def foreword(self) -> tuple[int, int]:
        start = self.find(lambda b: b.text.casefold().rstrip(": ") == "foreword")
        end = len(self.blocks)
        if start >= 0:
            end = self.region_end(start, frozenset({Kind.CAPS, Kind.HEADING, Kind.SECTION}))
        return start, end

    def publication_date(self, sheet: int) -> tuple[int, int]:
        """(year, month) of the date line that closes the foreword."""
        start, end = self.foreword()
        found: tuple[int, int] | None = None
        if start >= 0:
            for i in range(start + 1, end):
                # The last date in the foreword is its closing date line.
                found = year_month(self.blocks[i].text) or found
        if found is None:
            limit = sheet if sheet >= 0 else len(self.blocks)
            at = self.find(lambda b: year_month(b.text) is not None, 0, limit)
            found = year_month(self.blocks[at].text) if at >= 0 else None
            if found is not None:
                self.warn(
                    self.blocks[at].loc,
                    "the foreword has no closing date line, so the publication month was "
                    f'taken from "{self.blocks[at].text}".',
                )
        if found is None:
            raise self.cut_off(
                'publication date (the date line that closes the foreword, such as "January 2005")'
            )
        return found


def _area_before(text: str) -> str:
    """The capitalised words just before "Probation Area" in a sentence."""
    cut = text.casefold().find("probation area")
    words = text[:cut].split()
    kept: list[str] = []
    for word in reversed(words[-4:]):
        if not word[:1].isupper() or word in ("The", "A", "An"):
            break
        kept.insert(0, word)
    return " ".join(kept) + " Probation Area" if kept else ""
