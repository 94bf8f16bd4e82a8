"""Splitting pasted recommendations into items with their addressees (issue 17, the pure part)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esi_desktop.errors import ValidationError
from esi_desktop.report import pasted
from esi_desktop.report.pasted import (
    NOTHING_FOUND,
    PastedRecommendation,
    PastedSplit,
    split_recommendations,
)

MANAGER = "The YJS Service Manager should:"
BOARD = "The Management Board should:"

# Plausible wording for the eight Reading recommendations (DOMAIN.md, published 3 December 2024).
READING_MANAGER = (
    "Improve the quality assurance and management oversight of work with children.",
    "Make sure that assessment is focused on keeping the child and other people safe.",
    "Make sure that planning is comprehensive and coordinated, with contingency arrangements.",
    "Improve liaison with other services involved in delivering work with children.",
    "Give sufficient attention to the needs and wishes of victims.",
)
READING_BOARD = (
    "Review the resourcing and structure of the service so that it can meet its demands.",
    "Make effective use of the disproportionality action plan to improve outcomes.",
    "Make sure that children have access to the services they need.",
)


def reading(numbers: list[str], marker: str = "{}.\t") -> str:
    """The Reading list under its two headings, each item given the label in ``numbers``."""
    labels = iter(numbers)
    lines = ["Recommendations", MANAGER]
    lines += [marker.format(next(labels)) + text for text in READING_MANAGER]
    lines.append(BOARD)
    lines += [marker.format(next(labels)) + text for text in READING_BOARD]
    return "\n".join(lines) + "\n"


def summary(split: PastedSplit) -> list[tuple[str, str, str]]:
    return [(item.number, item.addressee, item.text) for item in split.items]


READING_EXPECTED = [
    *(("Manager", text) for text in READING_MANAGER),
    *(("Board", text) for text in READING_BOARD),
]


def check_reading(split: PastedSplit, numbers: list[str]) -> None:
    who = {"Manager": "YJS Service Manager", "Board": "Management Board"}
    assert summary(split) == [
        (number, who[short], text)
        for number, (short, text) in zip(numbers, READING_EXPECTED, strict=True)
    ]
    assert [item.stem for item in split.items] == [MANAGER] * 5 + [BOARD] * 3


def test_reading_numbered_across_headings() -> None:
    numbers = [str(n) for n in range(1, 9)]
    split = split_recommendations(reading(numbers))
    check_reading(split, numbers)
    # "Recommendations" is skipped silently; headings are not items
    assert split.warnings == ()
    assert [item.line for item in split.items] == [3, 4, 5, 6, 7, 9, 10, 11]


def test_reading_numbering_restarting_under_each_heading() -> None:
    numbers = ["1", "2", "3", "4", "5", "1", "2", "3"]
    split = split_recommendations(reading(numbers, "{}) "))
    check_reading(split, numbers)
    assert split.warnings == ()


def test_bullets_get_their_running_number_across_headings() -> None:
    split = split_recommendations(reading([""] * 8, "•{} "))
    check_reading(split, [str(n) for n in range(1, 9)])


@pytest.mark.parametrize("bullet", ["o\t", "\uf0b7\t", "\uf0a7\t", "●\t", "▪ ", "- ", "– ", "* "])
def test_word_and_other_bullets(bullet: str) -> None:
    split = split_recommendations(reading([""] * 8, bullet + "{}"))
    check_reading(split, [str(n) for n in range(1, 9)])


def test_numbering_gap_is_warned_but_kept_as_printed() -> None:
    text = f"{MANAGER}\n1. Improve oversight.\n2. Improve planning.\n4. Improve delivery.\n"
    split = split_recommendations(text)
    assert [item.number for item in split.items] == ["1", "2", "4"]
    assert split.warnings == (
        "Line 4: recommendation 4 comes after recommendation 2; check that nothing is "
        "missing from the paste.",
    )


PDF_COPY = """\
The YJS Service Manager should:
1. Improve the quality assurance and management oversight of work, so
that it is consistently effective and co-
ordinated across the service
12
An inspection of youth justice services in Reading
2. Make sure that assessment is focused on keeping the child and other
people safe
Page 13 of 40
An inspection of youth justice services in Reading
and that it draws on information from partners.
The Management Board should:
3. Review the resourcing and structure of the service
"""


def test_pdf_copy_with_page_numbers_and_a_running_header() -> None:
    split = split_recommendations(PDF_COPY)
    assert summary(split) == [
        (
            "1",
            "YJS Service Manager",
            "Improve the quality assurance and management oversight of work, so that it is "
            "consistently effective and co-ordinated across the service",
        ),
        (
            "2",
            "YJS Service Manager",
            "Make sure that assessment is focused on keeping the child and other people safe "
            "and that it draws on information from partners.",
        ),
        ("3", "Management Board", "Review the resourcing and structure of the service"),
    ]
    assert split.warnings == (
        "Lines 6 and 10: 'An inspection of youth justice services in Reading' is repeated "
        "like a page header; it was left out each time.",
    )


def test_a_header_seen_once_is_kept_with_a_warning() -> None:
    text = (
        "1. Improve the quality of planning for\n"
        "14\n"
        "Reading Youth Justice Service\n"
        "children on remand.\n"
    )
    split = split_recommendations(text, default_addressee="YJS Service Manager")
    # never drop words on a guess: the secretary deletes them in the preview
    assert split.items[0].text == (
        "Improve the quality of planning for Reading Youth Justice Service children on remand."
    )
    assert split.warnings == (
        "Line 3: 'Reading Youth Justice Service' is next to a page number and may be a page "
        "header; it was kept in recommendation 1: delete it there if it is not part of the "
        "recommendation.",
    )


def test_sub_bullets_stay_inside_their_item_on_their_own_lines() -> None:
    text = (
        f"{BOARD}\n"
        "1. Improve the resourcing of the service by:\n"
        "• reviewing staffing levels against\n"
        "demand\n"
        "\uf0b7\tstrengthening management capacity\n"
        "2. Make use of the disproportionality action plan.\n"
        "a) reporting on it at each meeting\n"
    )
    split = split_recommendations(text)
    assert summary(split) == [
        (
            "1",
            "Management Board",
            "Improve the resourcing of the service by:\n"
            "• reviewing staffing levels against demand\n"
            "• strengthening management capacity",
        ),
        (
            "2",
            "Management Board",
            "Make use of the disproportionality action plan.\na) reporting on it at each meeting",
        ),
    ]


def test_bulleted_list_with_dashed_sub_items() -> None:
    text = "• Improve planning by:\n- setting contingencies\n- reviewing them\n• Improve delivery\n"
    split = split_recommendations(text)
    assert [item.text for item in split.items] == [
        "Improve planning by:\n• setting contingencies\n• reviewing them",
        "Improve delivery",
    ]


def test_lettered_and_roman_lists() -> None:
    letters = "abcdefghij"
    lettered = "\n".join(f"({ch}) Item {ch} text" for ch in letters)
    split = split_recommendations(f"HMPPS should:\n{lettered}")
    # "(i)" after "(h)" is the ninth letter, not a roman one
    assert [item.number for item in split.items] == list(letters)
    assert {item.addressee for item in split.items} == {"HMPPS"}
    assert split.warnings == ()
    roman = "\n".join(f"{label}. Item {label}" for label in ["i", "ii", "iii", "iv", "v", "vi"])
    split = split_recommendations(roman)
    assert [item.number for item in split.items] == ["i", "ii", "iii", "iv", "v", "vi"]
    assert split.warnings == ()


def test_probation_board_should_ensure_that() -> None:
    text = (
        "The Probation Board should ensure that:\n"
        "1. the diversity of offenders is recorded accurately\n"
        "2. enforcement is timely\n"
        "The Regional Probation Director should ensure:\n"
        "3. risk of harm work is reviewed\n"
        "The PDU head should:\n"
        "4. improve the quality of case recording\n"
    )
    split = split_recommendations(text)
    assert [(item.addressee, item.stem) for item in split.items] == [
        ("Probation Board", "The Probation Board should ensure that:"),
        ("Probation Board", "The Probation Board should ensure that:"),
        ("Regional Probation Director", "The Regional Probation Director should ensure:"),
        ("PDU head", "The PDU head should:"),
    ]


def test_a_heading_wrapped_over_two_lines() -> None:
    text = (
        "The Regional Probation Director, working with the police and\n"
        "children's services, should:\n"
        "1. Share information about domestic abuse.\n"
    )
    item = split_recommendations(text).items[0]
    assert (
        item.addressee
        == "Regional Probation Director, working with the police and children's services"
    )
    assert item.stem == (
        "The Regional Probation Director, working with the police and children's services, should:"
    )


def test_items_before_any_heading_take_the_default_addressee() -> None:
    text = f"1. Improve oversight.\n2. Improve planning.\n{BOARD}\n3. Review resourcing.\n"
    split = split_recommendations(text, default_addressee="Probation Board")
    assert [(item.addressee, item.stem) for item in split.items] == [
        ("Probation Board", ""),
        ("Probation Board", ""),
        ("Management Board", BOARD),
    ]
    assert split_recommendations("1. Improve oversight.").items[0].addressee == ""


def test_crlf_line_endings_tabs_and_odd_spaces() -> None:
    text = (
        f"{MANAGER}\r\n"
        "1.\tImprove\u00a0the “quality” of\r\n"
        "\tthe board’s\u2009oversight\r\n"
        "\r\n"
        "2.\t\tAttend\t to victims\u200b.\r\n"
    )
    split = split_recommendations(text)
    # spacing made plain, the words and their curly quotes kept as pasted
    assert [item.text for item in split.items] == [
        "Improve the “quality” of the board’s oversight",
        "Attend to victims.",
    ]
    assert [item.line for item in split.items] == [2, 5]


def test_line_end_hyphens_soft_hyphens_and_dashes() -> None:
    text = (
        "1. Make planning co-\nordinated with\u00a0partners, and coor\u00ad\ndinated within the "
        "service –\nincluding the courts – and well-\nfounded\n"
    )
    assert split_recommendations(text).items[0].text == (
        "Make planning co-ordinated with partners, and coordinated within the service – "
        "including the courts – and well-founded"
    )


def test_wrapped_lines_that_look_like_markers() -> None:
    text = (
        "1. Improve the supervision of children sentenced in the last\n"
        "12 months, and of those released\n"
        "– whether on licence or not – within the area.\n"
        "2. Improve planning.\n"
    )
    split = split_recommendations(text)
    assert [item.text for item in split.items] == [
        "Improve the supervision of children sentenced in the last 12 months, and of those "
        "released – whether on licence or not – within the area.",
        "Improve planning.",
    ]


def test_numbers_followed_by_a_space_only() -> None:
    text = (
        "1 Improve oversight\n"
        "2 Improve planning with partners over the next\n"
        "12 Months\n"
        "3 Review the plan\n"
    )
    split = split_recommendations(text)
    assert [(item.number, item.text) for item in split.items] == [
        ("1", "Improve oversight"),
        ("2", "Improve planning with partners over the next 12 Months"),
        ("3", "Review the plan"),
    ]


def test_a_paragraph_after_a_blank_line_continues_the_item() -> None:
    text = (
        "1. Improve the quality of planning for\n\nchildren on remand.\n\n"
        "The board will check this at each meeting.\n"
        "2. Improve delivery.\n"
    )
    split = split_recommendations(text)
    assert [item.text for item in split.items] == [
        "Improve the quality of planning for children on remand. The board will check this "
        "at each meeting.",
        "Improve delivery.",
    ]
    # the first paragraph break falls mid-sentence (a page break); the second is asked about
    assert split.warnings == (
        "Line 5: 'The board will check this at each meeting.' follows a blank line after the "
        "end of recommendation 1 and was added to it; check that it belongs there.",
    )


def test_text_that_is_no_recommendation_is_reported_not_dropped_silently() -> None:
    text = (
        "Recommendations\n"
        "We have made eight recommendations that we believe, if implemented, will have a\n"
        "positive impact on the quality of youth justice services in Reading.\n"
        "\n"
        f"{MANAGER}\n"
        "Unnumbered introduction\n"
        "1. Improve oversight.\n"
        f"{BOARD}\n"
    )
    split = split_recommendations(text)
    assert [item.text for item in split.items] == ["Improve oversight."]
    assert split.warnings == (
        "Lines 2–3: 'We have made eight recommendations that we believe, if…' is not a "
        "recommendation; it was left out.",
        "Line 6: 'Unnumbered introduction' is not a recommendation; it was left out.",
        "Line 8: the heading 'The Management Board should:' has no recommendations under it.",
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t\r\n",
        "Recommendations\n12\nPage 3 of 40\n",
        "The Management Board should:\nImprove the resourcing of the service.\n",
        "Improve oversight of work. Improve planning.",
    ],
)
def test_nothing_found_is_one_sentence(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        split_recommendations(text)
    assert str(caught.value) == NOTHING_FOUND
    assert NOTHING_FOUND == (
        "No recommendations were found in the pasted text: each should start with a number "
        "(1.) or a bullet (•) on a new line."
    )


# Property: whatever the markers, wrapping and page furniture, every word of every item comes
# out in its own item, once, in order, under the right addressee.

_ROMAN = ["i", "ii", "iii", "iv", "v", "vi"]
_STYLES = {
    "1.": lambda n: f"{n}. ",
    "1)": lambda n: f"{n})\t",
    "(1)": lambda n: f"({n}) ",
    "1 tab": lambda n: f"{n}\t",
    "a.": lambda n: f"{'abcdef'[n - 1]}. ",
    "(a)": lambda n: f"({'abcdef'[n - 1]}) ",
    "(i)": lambda n: f"({_ROMAN[n - 1]}) ",
    "•": lambda n: "• ",
    "o": lambda n: "o\t",
    "symbol": lambda n: "\uf0b7\t",
    "-": lambda n: "- ",
    "–": lambda n: "– ",
    "*": lambda n: "* ",
}
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8).filter(
    lambda w: w not in {"should", "recommendations"}
)


@dataclass
class _Generated:
    text: str
    items: list[tuple[str, list[str]]]  # (addressee, words)


@st.composite
def _pastes(draw: st.DrawFn) -> _Generated:
    shape = draw(
        st.lists(
            st.tuples(
                st.sampled_from(sorted(_STYLES)),
                st.lists(st.integers(1, 9), min_size=1, max_size=6),
            ),
            min_size=1,
            max_size=4,
        )
    )
    total = sum(sum(sizes) for _, sizes in shape)
    words = draw(st.lists(_WORD, min_size=total, max_size=total, unique=True))
    first_without_heading = draw(st.booleans())
    lines: list[str] = []
    items: list[tuple[str, list[str]]] = []
    taken = 0
    for group, (style, sizes) in enumerate(shape):
        addressee = f"Body {'ABCD'[group]}"
        if group == 0 and first_without_heading:
            addressee = "Default Board"
        else:
            lines.append(f"The {addressee} should:")
        for number, size in enumerate(sizes, start=1):
            item_words = words[taken : taken + size]
            taken += size
            items.append((addressee, item_words))
            cuts = sorted(draw(st.sets(st.integers(1, size - 1), max_size=3))) if size > 1 else []
            pieces = [
                " ".join(item_words[a:b]) for a, b in zip([0, *cuts], [*cuts, size], strict=True)
            ]
            lines.append(_STYLES[style](number) + pieces[0])
            for piece in pieces[1:]:
                if draw(st.booleans()):
                    lines.append(draw(st.sampled_from(["17", "Page 4 of 30", "", "\u00a0\t"])))
                lines.append(piece)
    return _Generated("\n".join(lines), items)


@settings(max_examples=150, deadline=None)
@given(_pastes())
def test_every_word_lands_in_exactly_one_item(paste: _Generated) -> None:
    split = split_recommendations(paste.text, default_addressee="Default Board")
    assert [(item.addressee, item.text) for item in split.items] == [
        (addressee, " ".join(words)) for addressee, words in paste.items
    ]
    found = [word for item in split.items for word in item.text.split()]
    expected = [word for _, words in paste.items for word in words]
    assert sorted(found) == sorted(expected)
    assert len(set(found)) == len(found)


def test_results_are_plain_values() -> None:
    split = split_recommendations("1. Improve oversight.")
    assert split == PastedSplit((PastedRecommendation("1", "Improve oversight.", "", "", 1),), ())


# Review fixes (issue 17 review): each test failed before its fix.


def test_a_wrapped_line_reading_recommendations_is_kept() -> None:
    text = (
        f"{BOARD}\n"
        "1. make sure the improvement plan addresses all the\n"
        "recommendations\n"
        "2. review resourcing\n"
    )
    split = split_recommendations(text)
    assert [item.text for item in split.items] == [
        "make sure the improvement plan addresses all the recommendations",
        "review resourcing",
    ]


def test_a_year_alone_on_a_wrapped_line_is_no_page_number() -> None:
    text = (
        f"{BOARD}\n"
        "1. complete the review of the disproportionality action plan by March\n"
        "2025\n"
        "2. review resourcing\n"
        "14\n"
    )
    split = split_recommendations(text)
    assert [item.text for item in split.items] == [
        "complete the review of the disproportionality action plan by March 2025",
        "review resourcing",
    ]
    assert split.warnings == ()


def test_a_repeated_wrapped_line_is_no_page_header() -> None:
    # a line wrapped mid-sentence starts in lower case; a running header does not
    text = (
        f"{MANAGER}\n"
        "1. improve the work with\n"
        "children and families\n"
        "2. make sure staff support\n"
        "children and families\n"
    )
    split = split_recommendations(text)
    assert [item.text for item in split.items] == [
        "improve the work with children and families",
        "make sure staff support children and families",
    ]
    assert split.warnings == ()


def test_the_running_header_warning_names_every_line_left_out() -> None:
    text = PDF_COPY + "An inspection of youth justice services in Reading\n4. Improve planning\n"
    split = split_recommendations(text)
    assert [item.number for item in split.items] == ["1", "2", "3", "4"]
    assert split.warnings == (
        "Lines 6, 10 and 14: 'An inspection of youth justice services in Reading' is repeated "
        "like a page header; it was left out each time.",
    )


def _spy_on_work(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the characters the split re-reads to join lines and find sentence ends."""
    scanned: list[int] = []
    join = pasted._join
    ends = pasted._ENDS_SENTENCE

    def counted_join(left: str, right: str) -> object:
        scanned.append(len(left))
        return join(left, right)

    class CountedEnds:
        def search(self, text: str) -> object:
            scanned.append(len(text))
            return ends.search(text)

    monkeypatch.setattr(pasted, "_join", counted_join)
    monkeypatch.setattr(pasted, "_ENDS_SENTENCE", CountedEnds())
    return scanned


def test_a_long_item_is_joined_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    # a paste of 1 MB as one item took minutes: each line joined re-read the item so far
    paragraphs = [f"Paragraph {n} of the item." for n in range(3000)]
    wrapped = [f"wrapped line {n}" for n in range(3000)]
    text = "1. Start.\n" + "\n\n".join(paragraphs) + "\n" + "\n".join(wrapped) + "\n"
    scanned = _spy_on_work(monkeypatch)
    split = split_recommendations(text)
    assert split.items[0].text == " ".join(["Start.", *paragraphs, *wrapped])
    assert len(split.warnings) == 2999  # each paragraph after a blank line is asked about
    assert sum(scanned) <= 2 * len(text)


@pytest.mark.parametrize(
    ("text", "items", "length"),
    [
        # a 1 MB paste of numbered items, each wrapped over two lines
        (
            "".join(
                f"{n % 999 + 1}. improve the quality of the work with\nchildren and families\n"
                for n in range(16000)
            ),
            16000,
            58,
        ),
        ("1. " + "word " * 20000, 1, 99999),  # one line of 100,000 characters
        ("• x\n" + "yy\n" * 10000, 1, 30001),  # 10,000 short lines wrapping one item
    ],
    ids=["1 MB", "100,000-character line", "10,000 short lines"],
)
def test_pathological_pastes_keep_every_word(text: str, items: int, length: int) -> None:
    split = split_recommendations(text)
    assert len(split.items) == items
    assert len(split.items[-1].text) == length
