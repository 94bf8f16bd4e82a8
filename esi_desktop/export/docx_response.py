"""The Board's response and action plan as a Word document: the PDF's document, to edit.

The same content in the same order as :class:`~esi_desktop.export.response.ResponseRenderer`
(cover, summary, scoring summary, each recommendation quoted with its stem and the Board's
response, the action plan on landscape pages as real Word tables with the stable references),
read from the same :class:`~esi_desktop.export.response_content.ResponseContent` (internal
notes already left out). Its headings are Word's Heading 1 and 2, so the navigation pane and a
table of contents work; it is marked DRAFT on every page exactly when the PDF would be. The
house style and the Word parts are :mod:`esi_desktop.export.docx_parts`.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from datetime import date as Date

from docx.document import Document as WordDocument
from docx.shared import Mm

from esi_desktop.comparison import RowKind, comparison_rows, has_follow_up_results
from esi_desktop.export import docx_parts as w
from esi_desktop.export.docx_parts import Cell, CellValue, para
from esi_desktop.export.docx_rated import ratings_section
from esi_desktop.export.office import blocks, xml_safe
from esi_desktop.export.parts import action_status, criterion_title
from esi_desktop.export.rated_content import addressed_to
from esi_desktop.export.response import (
    DOCUMENT_TITLE,
    NOT_AGREED_YET,
    ResponseRenderer,
    _category_counts,
)
from esi_desktop.export.response_content import ResponseContent, response_content
from esi_desktop.export.text import date_text
from esi_desktop.inspections import FrameworkSummary
from esi_desktop.plan import ActionView, RecommendationView
from esi_desktop.rules import ResponseCategory
from esi_desktop.scoring import FrameworkDeltas, compare, describe_result
from esi_desktop.wording import plural, shorten

#: The line at the top of every page of a draft.
DRAFT_LINE = "DRAFT — not the Board’s agreed response"
#: The most a document property holds (Word's limit is 255; "…" is one more).
PROPERTY_LIMIT = 250


def _property(value: str) -> str:
    """A document property: Word holds at most 255 characters."""
    return shorten(xml_safe(value), PROPERTY_LIMIT)


class _Writer:
    """Writes one response document; the PDF renderer answers what the two share (metadata,
    whether it is a draft, the headings' titles)."""

    def __init__(self, content: ResponseContent) -> None:
        self.content = content
        self.pdf = ResponseRenderer(content)
        self.document: WordDocument = w.new_document()

    @property
    def width(self) -> float:
        return w.text_width(self.document.sections[-1])

    def write(self) -> bytes:
        self.properties()
        self.cover()
        w.portrait_section(self.document)
        self.summary()
        self.document.add_page_break()
        if self.content.is_rated:  # ratings, in place of the scoring summary
            ratings_section(self.document, self.content.rated, self.width)
        else:
            self.scores()
        self.document.add_page_break()
        self.responses()
        w.landscape_section(self.document)
        self.action_plan()
        left, right = self.pdf.running_header()
        draft = DRAFT_LINE if self.pdf.is_draft else None
        for section in self.document.sections:
            w.running_header_footer(
                section, left=left, right=right, footer=self.pdf.footer_note(), draft=draft
            )
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def properties(self) -> None:
        """Title, author (the Board), subject, keywords and dates, as the PDF's (File ▸ Info)."""
        meta = self.pdf.metadata()
        if self.pdf.is_draft:
            meta = meta.as_draft()
        core = self.document.core_properties
        core.title = _property(meta.title)
        core.author = _property(meta.author)
        core.last_modified_by = _property(meta.author)
        core.subject = _property(meta.subject)
        core.keywords = _property("; ".join(meta.keywords))
        core.category = DOCUMENT_TITLE
        core.comments = (
            "Exported by ESI Desktop. Add your letterhead and edit the wording before signing."
        )
        core.language = w.LANGUAGE
        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        core.created = core.modified = now
        core.revision = 1
        core.identifier = ""
        core.version = ""
        core.content_status = "Draft" if self.pdf.is_draft else "Final"

    # the cover --------------------------------------------------------------------------------

    def cover(self) -> None:
        c, d = self.content, self.document
        plan = c.plan
        milestones = sum(len(a.milestones) for a in plan.actions.values())
        sent = date_text(c.sent_on) if c.sent_on else "______________________  (date)"
        due = c.response_due_text + (f"\n\n{c.response_due_note}" if c.response_due_note else "")
        para(d, c.board.upper(), w.KICKER)
        para(d, DOCUMENT_TITLE, "Title")
        para(
            d,
            "The Board’s response to HM Inspectorate of Probation’s "
            f"{c.published_label} report on {c.area}, with the action plan that carries out "
            "each recommendation.",
            "Subtitle",
        )
        facts = [
            ("Inspected body" if c.is_rated else "Probation area", c.area),
            ("Inspection report", c.report_title),
            ("Published", c.clock.published_text or c.published_label),
            ("Response due", due),
            ("Recommendations", f"{len(plan.recommendations)}: {_category_counts(plan)}"),
            (
                "Actions",
                f"{plural(len(plan.actions), 'action')} with {plural(milestones, 'milestone')}",
            ),
            ("Action plan submitted:", sent),
        ]
        w.facts_table(d, facts, [48, self.width - 48], caption="The response at a glance")
        para(d)
        if self.pdf.is_draft:  # a draft is never signed off
            self._draft_notice()
            return
        d.add_heading("Approved on behalf of the Board", level=2)
        para(
            d,
            "We confirm that this response and action plan were approved by the Board.",
            w.SMALL,
        )
        for role in ("Chair of the Board", "Chief Officer"):
            para(d, role, "Normal", bold=True).paragraph_format.space_before = Mm(4)
            for line in ("Signature", "Name", "Date"):
                para(d, f"{line}:  ____________________________________", w.SMALL)

    def _draft_notice(self) -> None:
        d, missing = self.document, self.pdf.missing
        d.add_heading("This is a draft: not yet complete", level=2)
        these = "this is" if len(missing) == 1 else f"these {len(missing)} things are"
        panel = w.box(d, self.width, fill=w.GAP_FILL, edge=w.GAP_EDGE)
        w.in_box(
            panel,
            f"The Board can approve and send this response and action plan once {these} done:",
        )
        for item in missing:
            para(panel, item.message, "List Bullet")

    def _gap(self, title: str, sentence: str) -> None:
        """What is missing, in the yellow panel the PDF uses."""
        panel = w.box(self.document, self.width, fill=w.GAP_FILL, edge=w.GAP_EDGE)
        w.in_box(panel, title, bold=True)
        w.in_box(panel, sentence)

    # summary and scores -----------------------------------------------------------------------

    def summary(self) -> None:
        c, d = self.content, self.document
        plan = c.plan
        d.add_heading("Summary of the response", level=1)
        para(
            d,
            f"The report makes {len(plan.recommendations)} recommendations{c.to_whom}. "
            f"The Board’s responses: {_category_counts(plan)}. Each response is set out in "
            "full in the next section, and the actions in the action plan that follows it.",
        )
        rows: list[list[CellValue]] = []
        for recommendation in plan.recommendations:
            actions = [plan.actions[i] for i in recommendation.action_ids]
            last = max((a.target_date for a in actions), default=None)
            rows.append(
                [
                    Cell(recommendation.reference, bold=True),
                    shorten(recommendation.text, 110)
                    + (f"\n{addressed_to(c.addressee(recommendation.id))}" if c.is_rated else ""),
                    Cell(
                        recommendation.category or "Not yet agreed",
                        bold=not recommendation.category,
                    ),
                    str(len(actions)) if actions else "—",
                    date_text(last) or "—",
                ]
            )
        fixed = [12, 27, 16, 31]
        w.data_table(
            d,
            ["Ref", "Recommendation", "Response", "Actions", "Last target"],
            rows,
            [fixed[0], self.width - sum(fixed), *fixed[1:]],
            right=(3,),
            caption="Each recommendation and the Board’s response",
        )

    def scores(self) -> None:
        c, d = self.content, self.document
        d.add_heading("Scoring summary", level=1)
        intro = (
            "The criteria as the Inspectorate scored them. A critical criterion weighs twice "
            "an important one; ratings in words are not scored."
        )
        if c.comparison is not None:
            intro += " The follow-up inspection’s results are shown beside the baseline."
        para(d, intro, w.SMALL)
        deltas = {x.framework_id: x for x in c.comparison or ()}
        follow_up = c.comparison is not None and has_follow_up_results(c.comparison)
        for summary in c.scoring:
            if follow_up:
                delta = deltas.get(summary.framework.id) or compare(
                    summary.framework, summary.results, {}
                )
                self._comparison_table(delta)
            else:
                self._baseline_table(summary)

    def _baseline_table(self, summary: FrameworkSummary) -> None:
        framework = summary.framework
        self.document.add_heading(framework.title, level=2)
        rows: list[list[CellValue]] = []
        shaded: list[int] = []
        for section in framework.sections:
            shaded.append(len(rows))
            rows.append([Cell(section.code, bold=True), Cell(section.title, bold=True), "", ""])
            for criterion in section.criteria:
                weight = (
                    (criterion.importance or "").capitalize()
                    if criterion.is_scored
                    else "Rating, not scored"
                )
                rows.append(
                    [
                        criterion.code,
                        criterion.title,
                        weight,
                        describe_result(summary.results.get(criterion.code)),
                    ]
                )
            if section.is_scored:
                score = summary.scores.sections[section.code]
                rows.append(
                    [
                        "",
                        Cell(f"Score for section {section.code}", bold=True),
                        "",
                        Cell(describe_result(score.percent), bold=True),
                    ]
                )
        if framework.has_overall:
            rows.append(
                [
                    "",
                    Cell(framework.overall_title, bold=True),
                    "",
                    Cell(describe_result(summary.scores.overall), bold=True),
                ]
            )
        w.data_table(
            self.document,
            ["Ref", "Criterion", "Weight", "Result"],
            rows,
            [12, self.width - 12 - 60, 30, 30],
            shaded=shaded,
            caption=f"{framework.title}: each criterion’s result",
        )

    def _comparison_table(self, deltas: FrameworkDeltas) -> None:
        rows: list[list[CellValue]] = []
        shaded: list[int] = []
        for row in comparison_rows(deltas):
            if row.kind is RowKind.FRAMEWORK:
                self.document.add_heading(row.title, level=2)
            elif row.kind is RowKind.SECTION:
                shaded.append(len(rows))
                rows.append([Cell(row.code, bold=True), Cell(row.title, bold=True), "", "", ""])
            elif row.kind is RowKind.CRITERION:
                rows.append(
                    [
                        row.code,
                        row.title,
                        row.baseline_text,
                        row.follow_up_text,
                        row.change_in_words,
                    ]
                )
            else:  # a section's score or the overall score
                title = row.label if row.kind is RowKind.SCORE else row.title
                rows.append(
                    [
                        "",
                        Cell(title, bold=True),
                        Cell(row.baseline_text, bold=True),
                        Cell(row.follow_up_text, bold=True),
                        Cell(row.change_in_words, bold=True),
                    ]
                )
        w.data_table(
            self.document,
            ["Ref", "Criterion", "Baseline", "Follow-up", "Change"],
            rows,
            [12, self.width - 12 - 81, 27, 27, 27],
            shaded=shaded,
            caption="Each criterion’s result at the baseline and at the follow-up",
        )

    # the responses ----------------------------------------------------------------------------

    def responses(self) -> None:
        d = self.document
        d.add_heading("The Board’s response to each recommendation", level=1)
        para(
            d,
            "Each recommendation is quoted as printed in the report, with the words that "
            "introduce it there and who it is addressed to, followed by the "
            f"{self.content.criteria_word.lower()} it aims to improve and "
            "the Board’s response.",
            w.SMALL,
        )
        for recommendation in self.content.plan.recommendations:
            self._response(recommendation)

    def _quote(self, recommendation: RecommendationView) -> None:
        """The stem ("The Probation Board should ensure that:"), then the words set in."""
        panel = w.box(self.document, self.width, fill=w.QUOTE_FILL, edge=w.QUOTE_EDGE)
        if recommendation.stem.strip():
            w.in_box(panel, recommendation.stem, w.QUOTE)
            w.in_box(panel, recommendation.text, w.QUOTE).paragraph_format.left_indent = Mm(6)
        else:
            w.in_box(panel, recommendation.text, w.QUOTE)

    def _response(self, recommendation: RecommendationView) -> None:
        """One recommendation and its response, kept on one page where it fits."""
        body = self.document.element.body
        first = len(body) - 1  # new elements go before the closing section properties
        self._response_parts(recommendation)
        w.keep_together(list(body)[first:-1])

    def _response_parts(self, recommendation: RecommendationView) -> None:
        d = self.document
        d.add_heading(self.pdf._recommendation_title(recommendation), level=2)
        self._quote(recommendation)
        w.labelled(d, "Addressed to:", self.content.addressee(recommendation.id), w.SMALL)
        para(d, f"{self.content.criteria_word} it aims to improve", w.LABEL)
        if recommendation.criteria:
            for framework_id, code in recommendation.criteria:
                para(
                    d, criterion_title(framework_id, code), w.SMALL
                ).paragraph_format.space_after = 0
        else:
            para(d, "None chosen yet.", w.MUTED_TEXT)
        para(d, "The Board’s response", w.LABEL)
        response = recommendation.response
        if response is None or not response.category:
            self._gap(
                NOT_AGREED_YET, "The Board has not yet agreed its response to this recommendation."
            )
        else:
            para(d, response.category, bold=True)
            if response.category == ResponseCategory.PARTLY_AGREED:
                w.labelled(d, "The part agreed:", response.part_agreed, "Normal")
                w.labelled(d, "Why the rest is not agreed:", response.reason, "Normal")
            elif response.category == ResponseCategory.NOT_AGREED:
                w.labelled(d, "Reason:", response.reason, "Normal")
            for block in blocks(response.narrative):
                para(d, block)
            if response.lead_owner:
                w.labelled(d, "Lead officer:", response.lead_owner, "Normal")
        actions = [self.content.plan.actions[i] for i in recommendation.action_ids]
        if actions:
            listed = ", ".join(
                f"{a.reference} (target {date_text(a.target_date)})" for a in actions
            )
            w.labelled(d, "Actions:", f"{listed}; see the action plan.", w.SMALL)
        else:
            para(d, "No actions recorded yet.", w.MUTED_TEXT)

    # the action plan --------------------------------------------------------------------------

    def action_plan(self) -> None:
        c, d = self.content, self.document
        plan = c.plan
        d.add_heading("Action plan", level=1)
        para(
            d,
            "Each action is specific, measurable, achievable, realistic and time-bound, with "
            "one owner and a target date; its milestones are the dated steps within it. "
            f"Status as at {date_text(c.prepared_on)}.",
            w.SMALL,
        )
        if not plan.actions:
            self._gap(
                "No actions recorded yet",
                "The action plan has no actions yet. Each agreed or partly agreed "
                "recommendation needs at least one action, with an owner and a target date.",
            )
            return
        for recommendation in plan.recommendations:
            d.add_heading(self.pdf._recommendation_title(recommendation), level=2)
            para(d, recommendation.text, w.MUTED_TEXT)
            w.labelled(d, "Addressed to:", c.addressee(recommendation.id), w.SMALL)
            w.labelled(d, "Response:", recommendation.category or "Not yet agreed", w.SMALL)
            actions = [plan.actions[i] for i in recommendation.action_ids]
            if actions:
                self._action_table(recommendation, actions)
            elif recommendation.category == ResponseCategory.NOT_AGREED:
                para(d, "No actions: the Board has not agreed this recommendation.", w.SMALL)
            else:
                self._gap(
                    "No actions recorded yet", "This recommendation has no action in the plan yet."
                )

    def _action_table(self, recommendation: RecommendationView, actions: list[ActionView]) -> None:
        """The actions of one recommendation, each with its milestones beneath it."""
        others = {r.id: r.reference for r in self.content.plan.recommendations}
        rows: list[list[CellValue]] = []
        shaded: list[int] = []
        for action in actions:
            also = [others[i] for i in action.recommendation_ids if i != recommendation.id]
            words = action.text.strip()
            if also:
                s = "s" if len(also) > 1 else ""
                words += f"\nAlso serves recommendation{s} {', '.join(also)}"
            done = [m.completed_on for m in action.milestones if m.completed_on is not None]
            shaded.append(len(rows))
            rows.append(
                [
                    Cell(action.reference, bold=True),
                    words,
                    action.owner,
                    Cell(date_text(action.target_date), bold=True),
                    action_status(action),
                    date_text(max(done)) if action.complete and done else "",
                    ", ".join(code for _f, code in action.criteria) or "—",
                ]
            )
            for milestone in action.milestones:
                rows.append(
                    [
                        Cell(milestone.reference, muted=True),
                        Cell(milestone.title, indent=3.5),
                        "",
                        date_text(milestone.due_date),
                        milestone.status,
                        date_text(milestone.completed_on),
                        "",
                    ]
                )
        fixed = [14, 38, 31, 40, 30, 24]
        w.data_table(
            self.document,
            [
                "No.",
                "Action and its milestones",
                "Owner",
                "Target / due date",
                "Status",
                "Completed on",
                self.content.criteria_word,
            ],
            rows,
            [fixed[0], self.width - sum(fixed), *fixed[1:]],
            shaded=shaded,
            caption=f"The actions for recommendation {recommendation.reference}",
        )


def render_response_docx(content: ResponseContent) -> bytes:
    """The response and action plan as a Word document (.docx bytes), the PDF's content.

    Marked DRAFT on every page (and in its properties) exactly when the PDF would be.
    """
    return _Writer(content).write()


def response_docx(*, inspection_id: int, today: Date) -> bytes:
    """Read an inspection's response and render it as a Word document.

    Raises:
        NotFoundError: there is no such inspection.
    """
    return render_response_docx(response_content(inspection_id=inspection_id, today=today))
