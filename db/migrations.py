"""Numbered schema migrations, written as frozen SQL so later model changes never alter them.

Each migration is a list of statements with placeholders that differ between SQLite and
PostgreSQL: ``{pk}`` (an auto-increment primary key), ``{ts}`` (a timestamp type) and
``{blob}`` (bytes). The
applied versions are recorded in ``esi_schema``; a database whose recorded version is higher
than this program knows is refused, never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import peewee

from db.errors import SchemaTooNewError

_STAMPS = """
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL DEFAULT 1"""

MIGRATION_1 = [
    f"""CREATE TABLE inspection (
    id {{pk}},
    area TEXT NOT NULL,
    programme TEXT NOT NULL,
    report_title TEXT NOT NULL,
    published_year INTEGER NOT NULL,
    published_month INTEGER NOT NULL CHECK (published_month BETWEEN 1 AND 12),
    published_day INTEGER CHECK (published_day BETWEEN 1 AND 31),{_STAMPS})""",
    f"""CREATE TABLE criterion_result (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    code TEXT NOT NULL,
    round INTEGER NOT NULL CHECK (round >= 0),
    percent INTEGER CHECK (percent BETWEEN 0 AND 100),
    rating TEXT,{_STAMPS},
    CHECK ((percent IS NULL) <> (rating IS NULL)),
    UNIQUE (inspection_id, framework_id, code, round))""",
    f"""CREATE TABLE recommendation (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    text TEXT NOT NULL,
    framework_id TEXT NOT NULL,
    position INTEGER NOT NULL,{_STAMPS},
    UNIQUE (inspection_id, reference))""",
    f"""CREATE TABLE recommendation_criterion (
    id {{pk}},
    recommendation_id INTEGER NOT NULL REFERENCES recommendation (id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    code TEXT NOT NULL,{_STAMPS},
    UNIQUE (recommendation_id, framework_id, code))""",
    f"""CREATE TABLE board_response (
    id {{pk}},
    recommendation_id INTEGER NOT NULL UNIQUE
        REFERENCES recommendation (id) ON DELETE CASCADE,
    category TEXT CHECK (category IN ('Agreed', 'Partly agreed', 'Not agreed')),
    narrative TEXT NOT NULL DEFAULT '',
    part_agreed TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',{_STAMPS})""",
    f"""CREATE TABLE action (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    owner TEXT NOT NULL,
    target_date DATE NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,{_STAMPS})""",
    f"""CREATE TABLE action_recommendation (
    id {{pk}},
    action_id INTEGER NOT NULL REFERENCES action (id) ON DELETE CASCADE,
    recommendation_id INTEGER NOT NULL REFERENCES recommendation (id) ON DELETE CASCADE,{_STAMPS},
    UNIQUE (action_id, recommendation_id))""",
    f"""CREATE TABLE action_criterion (
    id {{pk}},
    action_id INTEGER NOT NULL REFERENCES action (id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    code TEXT NOT NULL,{_STAMPS},
    UNIQUE (action_id, framework_id, code))""",
    f"""CREATE TABLE milestone (
    id {{pk}},
    action_id INTEGER NOT NULL REFERENCES action (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_date DATE NOT NULL,
    status TEXT NOT NULL DEFAULT 'Not started'
        CHECK (status IN ('Not started', 'In progress', 'Complete')),
    completed_on DATE,
    evidence TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,{_STAMPS})""",
    f"""CREATE TABLE follow_up_inspection (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    round INTEGER NOT NULL CHECK (round >= 1),
    planned_date DATE,
    status TEXT NOT NULL DEFAULT 'Not yet scheduled'
        CHECK (status IN ('Not yet scheduled', 'Scheduled', 'Fieldwork', 'Reported')),{_STAMPS},
    UNIQUE (inspection_id, round))""",
    "CREATE INDEX criterion_result_inspection ON criterion_result (inspection_id)",
    "CREATE INDEX recommendation_inspection ON recommendation (inspection_id)",
    "CREATE INDEX action_inspection ON action (inspection_id)",
    "CREATE INDEX action_recommendation_rec ON action_recommendation (recommendation_id)",
    "CREATE INDEX milestone_action ON milestone (action_id)",
]

# Version 2: what the report importer keeps besides results and recommendations.
MIGRATION_2 = [
    f"""CREATE TABLE finding (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('description', 'strength', 'improvement')),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,{_STAMPS})""",
    f"""CREATE TABLE published_score (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    section TEXT NOT NULL,
    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),{_STAMPS},
    UNIQUE (inspection_id, framework_id, section))""",
    f"""CREATE TABLE national_target (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    measure TEXT NOT NULL,
    target TEXT NOT NULL,
    area_result TEXT NOT NULL,
    national_average TEXT NOT NULL,{_STAMPS})""",
    "ALTER TABLE inspection ADD COLUMN response_due_months INTEGER",
    "ALTER TABLE inspection ADD COLUMN implementation_months INTEGER",
    "ALTER TABLE inspection ADD COLUMN follow_up_expected TEXT",
    "CREATE INDEX finding_inspection ON finding (inspection_id)",
]

# Version 3: what the Board secretary's workspace records besides the plan itself.
MIGRATION_3 = [
    "ALTER TABLE action ADD COLUMN at_risk BOOLEAN NOT NULL DEFAULT FALSE",
    "ALTER TABLE action ADD COLUMN at_risk_reason TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE action ADD COLUMN rag_override TEXT "
    "CHECK (rag_override IN ('Red', 'Amber', 'Green', 'Blue'))",
    "ALTER TABLE action ADD COLUMN rag_override_reason TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE action ADD COLUMN internal_note TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE recommendation ADD COLUMN rag_override TEXT "
    "CHECK (rag_override IN ('Red', 'Amber', 'Green', 'Blue'))",
    "ALTER TABLE recommendation ADD COLUMN rag_override_reason TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE recommendation ADD COLUMN self_assessment TEXT CHECK (self_assessment IN "
    "('No meaningful progress', 'Insufficient progress', 'Reasonable progress', "
    "'Good progress'))",
    "ALTER TABLE recommendation ADD COLUMN internal_note TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE board_response ADD COLUMN lead_owner TEXT NOT NULL DEFAULT ''",
    f"""CREATE TABLE board_meeting (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    meeting_date DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',{_STAMPS},
    UNIQUE (inspection_id, meeting_date))""",
]

# Version 4: the plan as sent to the Inspectorate, so later date changes show as slips.
MIGRATION_4 = [
    f"""CREATE TABLE plan_submission (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    sent_on DATE NOT NULL,{_STAMPS})""",
    f"""CREATE TABLE submitted_date (
    id {{pk}},
    submission_id INTEGER NOT NULL REFERENCES plan_submission (id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('action', 'milestone')),
    item_id INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    due_date DATE NOT NULL,{_STAMPS},
    UNIQUE (submission_id, item_kind, item_id))""",
    "CREATE INDEX plan_submission_inspection ON plan_submission (inspection_id)",
]

# Version 5: the audit trail — who changed which item's field, when, from what to what. No
# foreign keys: an entry outlives the row it describes (a deleted action's history stays).
MIGRATION_5 = [
    f"""CREATE TABLE audit_entry (
    id {{pk}},
    changed_at {{ts}} NOT NULL,
    changed_by TEXT NOT NULL,
    item_kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    inspection_id INTEGER,
    field TEXT NOT NULL DEFAULT '',
    old_value TEXT,
    new_value TEXT,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),{_STAMPS})""",
    "CREATE INDEX audit_entry_item ON audit_entry (item_kind, item_id)",
    "CREATE INDEX audit_entry_inspection ON audit_entry (inspection_id)",
]

# Version 6 (issue 12): references that never move, the whole plan as sent and the Board's
# decisions on extension requests, the inspection record, and the recommendations' stem.
MIGRATION_6 = [
    # An action's number is given once per inspection, a milestone's once per action, from
    # counters that only go up: a deleted item's number is never given again. Existing items
    # are numbered in the order the plan shows them.
    "ALTER TABLE inspection ADD COLUMN last_action_number INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE action ADD COLUMN number INTEGER",
    "ALTER TABLE action ADD COLUMN last_milestone_number INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE milestone ADD COLUMN number INTEGER",
    """UPDATE action SET number = (
    SELECT COUNT(*) FROM action AS earlier
    WHERE earlier.inspection_id = action.inspection_id
      AND (earlier.position < action.position
           OR (earlier.position = action.position AND earlier.id <= action.id)))""",
    """UPDATE milestone SET number = (
    SELECT COUNT(*) FROM milestone AS earlier
    WHERE earlier.action_id = milestone.action_id
      AND (earlier.position < milestone.position
           OR (earlier.position = milestone.position AND earlier.id <= milestone.id)))""",
    """UPDATE inspection SET last_action_number = COALESCE(
    (SELECT MAX(number) FROM action WHERE action.inspection_id = inspection.id), 0)""",
    """UPDATE action SET last_milestone_number = COALESCE(
    (SELECT MAX(number) FROM milestone WHERE milestone.action_id = action.id), 0)""",
    "CREATE UNIQUE INDEX action_number ON action (inspection_id, number)",
    "CREATE UNIQUE INDEX milestone_number ON milestone (action_id, number)",
    # The whole plan as it went (a JSON document: responses, actions, owners, milestones,
    # dates), so later papers show every change since; older records hold only the dates.
    "ALTER TABLE plan_submission ADD COLUMN plan_json TEXT NOT NULL DEFAULT ''",
    f"""CREATE TABLE extension_decision (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    submission_id INTEGER NOT NULL REFERENCES plan_submission (id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('action', 'milestone')),
    item_reference TEXT NOT NULL,
    requested_date DATE NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('Approved', 'Refused')),
    meeting_date DATE NOT NULL,
    minute_reference TEXT NOT NULL DEFAULT '',{_STAMPS},
    UNIQUE (submission_id, item_kind, item_reference, requested_date))""",
    "CREATE INDEX extension_decision_inspection ON extension_decision (inspection_id)",
    # The inspection record: fieldwork, a deadline agreed with the Inspectorate (with its
    # reason) that overrides the statutory one, archiving; follow-up rounds of a kind.
    "ALTER TABLE inspection ADD COLUMN fieldwork_start DATE",
    "ALTER TABLE inspection ADD COLUMN fieldwork_end DATE",
    "ALTER TABLE inspection ADD COLUMN agreed_response_due DATE",
    "ALTER TABLE inspection ADD COLUMN agreed_response_reason TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE inspection ADD COLUMN archived_on DATE",
    "ALTER TABLE follow_up_inspection ADD COLUMN kind TEXT NOT NULL DEFAULT 'Follow-up' "
    "CHECK (kind IN ('Follow-up', 'Re-inspection'))",
    # A recommendation as printed: "The Probation Board should ensure that:" before its text.
    "ALTER TABLE recommendation ADD COLUMN stem TEXT NOT NULL DEFAULT ''",
]

# Version 7 (issue 14): actions and milestones imported from a Board's own spreadsheet keep
# the key of the row they came from, so importing the same sheet again updates them instead
# of adding them twice (NULL for everything typed in the window; NULLs never clash).
MIGRATION_7 = [
    "ALTER TABLE action ADD COLUMN import_key TEXT",
    "ALTER TABLE milestone ADD COLUMN import_key TEXT",
    "CREATE UNIQUE INDEX action_import_key ON action (inspection_id, import_key)",
    "CREATE UNIQUE INDEX milestone_import_key ON milestone (action_id, import_key)",
]

# Version 8 (issue 15): evidence files kept in the database, so a shared PostgreSQL plan shares
# its evidence and a SQLite backup carries it. The bytes are stored once per content
# (``evidence_content``, keyed by SHA-256); each attachment names the item it is evidence for
# by kind and id without a foreign key, so undoing the deletion of a milestone (which puts it
# back with the same id) finds its evidence still attached, as the audit trail keeps history.
MIGRATION_8 = [
    f"""CREATE TABLE evidence_content (
    id {{pk}},
    sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size INTEGER NOT NULL CHECK (size >= 0),
    data {{blob}} NOT NULL,{_STAMPS})""",
    f"""CREATE TABLE evidence (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('recommendation', 'action', 'milestone')),
    item_id INTEGER NOT NULL,
    content_id INTEGER NOT NULL REFERENCES evidence_content (id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL,
    attached_by TEXT NOT NULL,
    attached_at {{ts}} NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,{_STAMPS})""",
    "CREATE INDEX evidence_item ON evidence (item_kind, item_id)",
    "CREATE INDEX evidence_inspection ON evidence (inspection_id)",
    "CREATE INDEX evidence_content_used ON evidence (content_id)",
]

# Version 9 (issue 17): rated inspections. Each recommendation names the person or body it is
# addressed to ("Management Board"; every ESI recommendation is the Probation Board's). An
# inspection says whether its response deadline is fixed by its framework (ESI: three months)
# or set by the Board as an agreed date (youth justice: none is fixed). A rated framework whose
# overall rating rule is not public has its overall rating entered as published, per round.
MIGRATION_9 = [
    "ALTER TABLE recommendation ADD COLUMN addressee TEXT NOT NULL DEFAULT ''",
    "UPDATE recommendation SET addressee = 'Probation Board'",
    "ALTER TABLE inspection ADD COLUMN response_due_fixed BOOLEAN NOT NULL DEFAULT TRUE",
    f"""CREATE TABLE overall_rating (
    id {{pk}},
    inspection_id INTEGER NOT NULL REFERENCES inspection (id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    round INTEGER NOT NULL CHECK (round >= 0),
    rating TEXT NOT NULL,{_STAMPS},
    UNIQUE (inspection_id, framework_id, round))""",
]

MIGRATIONS: list[list[str]] = [
    MIGRATION_1,
    MIGRATION_2,
    MIGRATION_3,
    MIGRATION_4,
    MIGRATION_5,
    MIGRATION_6,
    MIGRATION_7,
    MIGRATION_8,
    MIGRATION_9,
]
#: The schema version this program writes.
CURRENT_VERSION = len(MIGRATIONS)

#: What marks a SQLite file as an ESI Desktop database: ``PRAGMA application_id``, a field of
#: the file's header (not a migration; ``file`` and other tools show it). "ESI1" in ASCII.
#: Files made before it was set are known by their ``esi_schema`` table and marked on opening.
APPLICATION_ID = 0x45534931


def mark_as_ours(database: peewee.Database) -> None:
    """Write :data:`APPLICATION_ID` into a SQLite database's header (nothing for PostgreSQL)."""
    if isinstance(database, peewee.SqliteDatabase):
        database.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def _dialect(database: peewee.Database) -> dict[str, str]:
    if isinstance(database, peewee.PostgresqlDatabase):
        return {"pk": "SERIAL PRIMARY KEY", "ts": "TIMESTAMP", "blob": "BYTEA"}
    return {"pk": "INTEGER PRIMARY KEY AUTOINCREMENT", "ts": "DATETIME", "blob": "BLOB"}


def recorded_version(database: peewee.Database) -> int:
    """The schema version recorded in the database; 0 for an empty database."""
    if "esi_schema" not in database.get_tables():
        return 0
    row = database.execute_sql("SELECT MAX(version) FROM esi_schema").fetchone()
    return int(row[0] or 0)


def check_not_newer(database: peewee.Database, where: str) -> int:
    """The recorded version, refusing a database written by a newer program.

    Raises:
        SchemaTooNewError: the database's schema is newer than this program knows.
    """
    version = recorded_version(database)
    if version > CURRENT_VERSION:
        raise SchemaTooNewError(
            f"The database {where} was written by a newer version of ESI Desktop "
            f"(schema {version}; this version knows up to {CURRENT_VERSION}). "
            "Install the newer version, or open another database."
        )
    return version


def migrate(
    database: peewee.Database,
    where: str,
    *,
    before_migrating: Callable[[int], None] | None = None,
    target: int = CURRENT_VERSION,
) -> int:
    """Bring the schema up to :data:`CURRENT_VERSION`, in one transaction.

    Args:
        database: an open database.
        where: how to name the database in messages (a path or a server).
        before_migrating: called with the current version before an existing (non-empty)
            database is changed — the place to back it up.
        target: the version to stop at (tests build old databases with it).

    Returns:
        The version the database had before.

    Raises:
        SchemaTooNewError: the database is newer than this program.
    """
    version = check_not_newer(database, where)
    if version >= target:
        return version
    if version > 0 and before_migrating is not None:
        before_migrating(version)
    names = _dialect(database)
    with database.atomic():
        if version == 0:
            database.execute_sql(
                "CREATE TABLE esi_schema (version INTEGER NOT NULL PRIMARY KEY, "
                "applied_at {ts} NOT NULL)".format(**names)
            )
        for number, statements in enumerate(MIGRATIONS[version:target], start=version + 1):
            for statement in statements:
                database.execute_sql(statement.format(**names))
            database.execute_sql(
                "INSERT INTO esi_schema (version, applied_at) VALUES (%s, %s)"
                if isinstance(database, peewee.PostgresqlDatabase)
                else "INSERT INTO esi_schema (version, applied_at) VALUES (?, ?)",
                (number, datetime.now(UTC).replace(tzinfo=None)),
            )
    return version
