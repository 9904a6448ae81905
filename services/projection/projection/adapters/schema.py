"""The projection's tables.

A data schema (one per generation: `<home>_g<N>`) holds the read models:
- `event_log`: every envelope once (unique event id), for the audit trail and counted facts;
  `kind` and `village` are resolved from the stream's state when the payload lacks them;
- `entity_state`: the entities' states by business day, with temporal validity: one row per
  entity per China day on which it changed (`valid_from` = that day's first instant, `valid_to`
  = the first instant of the entity's next row, 'infinity' for the newest), so a list "as of D"
  is `valid_from < after_day(D) AND valid_to >= after_day(D)` and a current list is
  `valid_to = 'infinity'`: index lookups, never a fold at request time.
Every read-model table has an `event_id` column (for entity_state: the newest event folded into
the row): a replay compares tables row by row on what both generations have seen.

The home schema (`projection` or LIANXIN_DB_SCHEMA) holds `projection_meta` (which data schema is
live) and `projection_replays` (the report of every rebuild).
"""

from __future__ import annotations

from shared.db import Migration

#: Read-model tables a replay compares (the consumer's offset and dedupe tables are not).
READ_MODEL_TABLES = ("event_log", "entity_state")

MIGRATIONS = [
    Migration(
        1,
        "event log and entity history",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.event_log (
            event_id uuid PRIMARY KEY,
            event_type text NOT NULL,
            schema_version int NOT NULL,
            stream_id text NOT NULL,
            stream_version int NOT NULL,
            kind text NOT NULL,
            village text,
            occurred_at timestamptz NOT NULL,
            recorded_at timestamptz NOT NULL,
            actor_id text NOT NULL,
            actor_role text NOT NULL,
            correlation_id uuid NOT NULL,
            causation_id uuid,
            town text NOT NULL,
            payload jsonb NOT NULL,
            prev_hash text NOT NULL,
            hash text NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS event_log_stream"
            " ON {schema}.event_log (stream_id, stream_version)",
            "CREATE INDEX IF NOT EXISTS event_log_type_time"
            " ON {schema}.event_log (event_type, occurred_at)",
            """CREATE TABLE IF NOT EXISTS {schema}.entity_history (
            stream_id text NOT NULL,
            stream_version int NOT NULL,
            event_id uuid NOT NULL,
            kind text NOT NULL,
            entity_id text NOT NULL,
            village text,
            status text,
            valid_from timestamptz NOT NULL,
            state jsonb NOT NULL,
            PRIMARY KEY (stream_id, stream_version))""",
            "CREATE INDEX IF NOT EXISTS entity_history_kind"
            " ON {schema}.entity_history (kind, stream_id, stream_version DESC)"
            " INCLUDE (valid_from, village)",
        ],
    ),
    Migration(
        2,
        "entity states by business day with temporal validity, in place of one row per event",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.entity_state (
            stream_id text NOT NULL,
            valid_from timestamptz NOT NULL,
            valid_to timestamptz NOT NULL,
            version int NOT NULL,
            event_id uuid NOT NULL,
            kind text NOT NULL,
            entity_id text NOT NULL,
            village text,
            status text,
            state jsonb NOT NULL,
            PRIMARY KEY (stream_id, valid_from))""",
            # A schema written by the previous code: its newest version per stream and day.
            """INSERT INTO {schema}.entity_state SELECT stream_id, day,
            coalesce(lead(day) OVER (PARTITION BY stream_id ORDER BY day), 'infinity'),
            stream_version, event_id, kind, entity_id, village, status, state
            FROM (SELECT DISTINCT ON (stream_id, day) *
              FROM (SELECT h.*, (date_trunc('day', h.valid_from AT TIME ZONE 'Asia/Shanghai')
                AT TIME ZONE 'Asia/Shanghai') AS day FROM {schema}.entity_history h) d
              ORDER BY stream_id, day, stream_version DESC) newest
            ON CONFLICT DO NOTHING""",
            "DROP TABLE IF EXISTS {schema}.entity_history",
            "CREATE INDEX IF NOT EXISTS entity_state_now"
            " ON {schema}.entity_state (kind, village) WHERE valid_to = 'infinity'",
            "CREATE INDEX IF NOT EXISTS entity_state_as_of"
            " ON {schema}.entity_state (kind, valid_to, valid_from)",
            "CREATE INDEX IF NOT EXISTS entity_state_entity"
            " ON {schema}.entity_state (kind, entity_id)",
        ],
    ),
]

META_MIGRATIONS = [
    Migration(
        1,
        "which data schema is live, and replay reports",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.projection_meta (
            key text PRIMARY KEY,
            value text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now())""",
            """CREATE TABLE IF NOT EXISTS {schema}.projection_replays (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            schema_name text NOT NULL,
            started_at timestamptz NOT NULL,
            finished_at timestamptz NOT NULL,
            swapped boolean NOT NULL,
            report jsonb NOT NULL)""",
        ],
    ),
]
