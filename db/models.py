"""Peewee models over the schema that ``db.migrations`` creates.

The tables are made by the numbered migrations, never by ``create_tables``; a test checks that
every model's columns match the migrated schema. Every row carries created/updated timestamps
and an integer ``version`` for optimistic locking.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()


def utc_now() -> datetime:
    """The current time in UTC, without a zone (both backends store it the same way)."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_dicts(query: Any) -> list[dict[str, Any]]:
    """A query's rows as dictionaries (peewee's stubs type ``.dicts()`` as model instances)."""
    return list(query.dicts())


def as_tuples(query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as tuples (peewee's stubs type ``.tuples()`` as model instances)."""
    return list(query.tuples())


class BaseModel(Model):
    """Common columns: created/updated timestamps and a version for optimistic locking."""

    id = AutoField()
    created_at = DateTimeField(default=utc_now)
    updated_at = DateTimeField(default=utc_now)
    version = IntegerField(default=1)

    class Meta:
        database = database_proxy
        legacy_table_names = False

    def save(self, *args: Any, **kwargs: Any) -> int:
        """Save, stamping ``updated_at``."""
        self.updated_at = utc_now()
        result: int = super().save(*args, **kwargs)
        return result


class Inspection(BaseModel):
    """One published inspection report on a probation area."""

    area = TextField()
    programme = TextField()
    report_title = TextField()
    published_year = IntegerField()
    published_month = IntegerField()
    published_day = IntegerField(null=True)
    response_due_months = IntegerField(null=True)
    implementation_months = IntegerField(null=True)
    follow_up_expected = TextField(null=True)
    #: The highest action number given so far (numbers are never given twice).
    last_action_number = IntegerField(default=0)
    fieldwork_start = DateField(null=True)
    fieldwork_end = DateField(null=True)
    #: A response deadline agreed with the Inspectorate, overriding the statutory one.
    agreed_response_due = DateField(null=True)
    agreed_response_reason = TextField(default="")
    archived_on = DateField(null=True)
    #: False when the framework fixes no response deadline and the Board sets an agreed date.
    response_due_fixed = BooleanField(default=True)


class CriterionResult(BaseModel):
    """A criterion's result in one round: 0 is the baseline, N the N-th follow-up."""

    inspection = ForeignKeyField(Inspection, backref="results", on_delete="CASCADE")
    framework_id = TextField()
    code = TextField()
    round = IntegerField()
    percent = IntegerField(null=True)
    rating = TextField(null=True)


class OverallRating(BaseModel):
    """A rated framework's overall rating entered as published, in one round (0: baseline).

    Only for a framework whose overall rule is not public; a framework with bands computes it.
    """

    inspection = ForeignKeyField(Inspection, backref="overall_ratings", on_delete="CASCADE")
    framework_id = TextField()
    round = IntegerField()
    rating = TextField()


class Recommendation(BaseModel):
    """A recommendation of the report, with its exact text ("1" ... "10", "T1" ...)."""

    inspection = ForeignKeyField(Inspection, backref="recommendations", on_delete="CASCADE")
    inspection_id: int
    reference = TextField()
    text = TextField()
    framework_id = TextField()
    position = IntegerField()
    rag_override = CharField(null=True)
    rag_override_reason = TextField(default="")
    self_assessment = CharField(null=True)
    internal_note = TextField(default="")
    #: The words the report prints before it ("The Probation Board should ensure that:").
    stem = TextField(default="")
    #: The person or body the recommendation is addressed to ("Management Board").
    addressee = TextField(default="")


class RecommendationCriterion(BaseModel):
    """A criterion a recommendation aims to improve."""

    recommendation = ForeignKeyField(Recommendation, backref="criteria", on_delete="CASCADE")
    framework_id = TextField()
    code = TextField()


class BoardResponse(BaseModel):
    """The Board's response to one recommendation."""

    recommendation = ForeignKeyField(
        Recommendation, backref="responses", on_delete="CASCADE", unique=True
    )
    category = CharField(null=True)
    narrative = TextField(default="")
    part_agreed = TextField(default="")
    reason = TextField(default="")
    lead_owner = TextField(default="")


class Action(BaseModel):
    """A SMART action of the plan, with one owner and a target date."""

    inspection = ForeignKeyField(Inspection, backref="actions", on_delete="CASCADE")
    inspection_id: int
    text = TextField()
    owner = TextField()
    target_date = DateField()
    position = IntegerField(default=0)
    at_risk = BooleanField(default=False)
    at_risk_reason = TextField(default="")
    rag_override = CharField(null=True)
    rag_override_reason = TextField(default="")
    internal_note = TextField(default="")
    #: Given once within the inspection, never renumbered or reused ("AP3").
    number = IntegerField(null=True)
    #: The highest milestone number given within this action so far.
    last_milestone_number = IntegerField(default=0)
    #: The row of the Board's own spreadsheet it was imported from (None: typed here).
    import_key = TextField(null=True)


class ActionRecommendation(BaseModel):
    """Links an action to a recommendation it serves (one action may serve several)."""

    action = ForeignKeyField(Action, backref="recommendation_links", on_delete="CASCADE")
    recommendation = ForeignKeyField(Recommendation, backref="action_links", on_delete="CASCADE")
    action_id: int
    recommendation_id: int


class ActionCriterion(BaseModel):
    """A criterion an action aims to improve."""

    action = ForeignKeyField(Action, backref="criteria", on_delete="CASCADE")
    framework_id = TextField()
    code = TextField()


class Milestone(BaseModel):
    """A dated step inside an action."""

    action = ForeignKeyField(Action, backref="milestones", on_delete="CASCADE")
    action_id: int
    title = TextField()
    due_date = DateField()
    status = CharField(default="Not started")
    completed_on = DateField(null=True)
    evidence = TextField(default="")
    position = IntegerField(default=0)
    #: Given once within its action, never renumbered or reused ("AP3.2").
    number = IntegerField(null=True)
    #: The row of the Board's own spreadsheet it was imported from (None: typed here).
    import_key = TextField(null=True)


class FollowUpInspection(BaseModel):
    """The Inspectorate's follow-up inspection (round 1, 2 ...)."""

    inspection = ForeignKeyField(Inspection, backref="follow_ups", on_delete="CASCADE")
    round = IntegerField()
    planned_date = DateField(null=True)
    status = CharField(default="Not yet scheduled")
    kind = CharField(default="Follow-up")  # or "Re-inspection"


class Finding(BaseModel):
    """A criterion's description, strength or area for improvement, as the report words it."""

    inspection = ForeignKeyField(Inspection, backref="findings", on_delete="CASCADE")
    framework_id = TextField()
    code = TextField()
    kind = CharField()
    position = IntegerField()
    text = TextField()


class PublishedScore(BaseModel):
    """A section or overall figure as printed in the report (section "overall" for the latter)."""

    inspection = ForeignKeyField(Inspection, backref="published_scores", on_delete="CASCADE")
    framework_id = TextField()
    section = TextField()
    percent = IntegerField()


class NationalTarget(BaseModel):
    """A row of the report's national performance targets table."""

    inspection = ForeignKeyField(Inspection, backref="national_targets", on_delete="CASCADE")
    position = IntegerField()
    measure = TextField()
    target = TextField()
    area_result = TextField()
    national_average = TextField()


class BoardMeeting(BaseModel):
    """A Board meeting date the secretary plans papers for."""

    inspection = ForeignKeyField(Inspection, backref="board_meetings", on_delete="CASCADE")
    meeting_date = DateField()
    note = TextField(default="")


class PlanSubmission(BaseModel):
    """The response and action plan as sent to the Inspectorate on a date."""

    inspection = ForeignKeyField(Inspection, backref="submissions", on_delete="CASCADE")
    inspection_id: int
    sent_on = DateField()
    #: The whole plan as it went, as JSON ("" for plans marked sent before version 6).
    plan_json = TextField(default="")


class SubmittedDate(BaseModel):
    """An action's target date or a milestone's due date as the plan sent gave it."""

    submission = ForeignKeyField(PlanSubmission, backref="dates", on_delete="CASCADE")
    submission_id: int
    item_kind = CharField()  # "action" or "milestone"
    item_id = IntegerField()
    title = TextField(default="")
    due_date = DateField()


class ExtensionDecision(BaseModel):
    """The Board's decision on an extension request: a date slipped since the plan was sent."""

    inspection = ForeignKeyField(Inspection, backref="extension_decisions", on_delete="CASCADE")
    inspection_id: int
    submission = ForeignKeyField(PlanSubmission, backref="decisions", on_delete="CASCADE")
    submission_id: int
    item_kind = CharField()  # "action" or "milestone"
    item_reference = TextField()  # "AP3.2"
    requested_date = DateField()
    decision = CharField()  # "Approved" or "Refused"
    meeting_date = DateField()
    minute_reference = TextField(default="")


class EvidenceContent(BaseModel):
    """The bytes of an evidence file, stored once however many items it is attached to."""

    sha256 = TextField(unique=True)
    size = IntegerField()
    data = BlobField()


class Evidence(BaseModel):
    """A file attached as evidence to a recommendation, an action or a milestone.

    The item is named by kind and id, without a foreign key: an item deleted and put back by
    undo (with its id) finds its evidence still there.
    """

    inspection = ForeignKeyField(Inspection, backref="evidence", on_delete="CASCADE")
    inspection_id: int
    item_kind = TextField()  # "recommendation", "action" or "milestone"
    item_id = IntegerField()
    content = ForeignKeyField(EvidenceContent, backref="attachments")
    content_id: int
    name = TextField()  # the file's name as attached ("Minutes 12 May.pdf")
    media_type = TextField()  # "application/pdf"; "application/octet-stream" when unknown
    size = IntegerField()
    sha256 = TextField()
    attached_by = TextField()
    attached_at = DateTimeField(default=utc_now)
    position = IntegerField(default=0)


class AuditEntry(BaseModel):
    """One recorded change: who changed which field of which item, when, from what to what.

    ``item_kind`` names the item as the user knows it ("action", "milestone", ...); values are
    stored as text the way the history shows them. A created or deleted item has one entry
    with an empty ``field`` and a description of the item as its new or old value.
    """

    changed_at = DateTimeField(default=utc_now)
    changed_by = TextField()
    item_kind = TextField()
    item_id = IntegerField()
    inspection_id = IntegerField(null=True)
    field = TextField(default="")
    old_value = TextField(null=True)
    new_value = TextField(null=True)
    action = CharField()  # "create", "update" or "delete"


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Inspection,
    CriterionResult,
    OverallRating,
    Recommendation,
    RecommendationCriterion,
    BoardResponse,
    Action,
    ActionRecommendation,
    ActionCriterion,
    Milestone,
    FollowUpInspection,
    Finding,
    PublishedScore,
    NationalTarget,
    BoardMeeting,
    PlanSubmission,
    SubmittedDate,
    ExtensionDecision,
    EvidenceContent,
    Evidence,
    AuditEntry,
)
