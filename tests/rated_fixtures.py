"""The published rated case (Reading Youth Justice Service, 3 December 2024) as test data.

DOMAIN.md, "Rated inspections": of the twelve counted standards 7 were rated Inadequate and 5
Requires improvement (5 / 36, Inadequate); resettlement (4.1) was not rated; eight
recommendations, five to the YJS Service Manager and three to the Management Board. The words
of the recommendations are written for the tests after the report's subjects.
"""

from __future__ import annotations

from datetime import date

FRAMEWORK = "hmip-youth-2021"
BODY = "Reading Youth Justice Service"
PUBLISHED = date(2024, 12, 3)

#: Each standard's rating as the report gives it (short forms, as a secretary types them).
READING_RATINGS: dict[str, str] = {
    "1.1": "RI",
    "1.2": "I",
    "1.3": "RI",
    "1.4": "I",
    "2.1": "I",
    "2.2": "RI",
    "2.3": "I",
    "2.4": "RI",
    "3.1": "I",
    "3.2": "I",
    "3.3": "RI",
    "3.4": "I",
    "4.1": "not rated",
}

#: The recommendations as a secretary pastes them from the report's PDF: numbered under two
#: addressee headings, some lines wrapped.
READING_PASTE = """\
Recommendations

The YJS Service Manager should:
1. improve quality assurance and management oversight, so that practice is consistently
   of a good standard
2. make sure that assessment focuses on keeping children and other people safe
3. ensure that planning is comprehensive and coordinated, with contingency
   arrangements for when risks change
4. make sure that case managers liaise with other services involved in delivering
   interventions
5. pay attention to the needs and wishes of victims.

The Management Board should:
6. make sure that the service is resourced and structured to meet demand
7. use the disproportionality action plan to reduce the over-representation of
   children from minority ethnic groups
8. make sure that children can get the services they need.
"""

READING_ADDRESSEES = ("YJS Service Manager",) * 5 + ("Management Board",) * 3


def create_reading() -> int:
    """Store the Reading inspection through the use case; its id."""
    from esi_desktop.new_inspection import NewRecommendation, create_rated_inspection
    from esi_desktop.report.pasted import split_recommendations

    split = split_recommendations(READING_PASTE)
    created = create_rated_inspection(
        framework_id=FRAMEWORK,
        body=BODY,
        published=PUBLISHED,
        ratings=READING_RATINGS,
        recommendations=[NewRecommendation(i.text, i.addressee, i.stem) for i in split.items],
    )
    return created.inspection_id
