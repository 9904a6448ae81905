"""The projection's tables.

A data schema (one per generation: `<home>_g<N>`) holds the read models:
- `event_log`: every envelope once (unique event id), for the audit trail and counted facts;
  `kind` and `village` are resolved from the stream's state when the payload lacks them;
- `entity_history`: one row per event per entity with the state after it (`valid_from` =
  business time, kept non-decreasing along the stream), for "as of" queries:
  `DISTINCT ON (stream_id) … WHERE valid_from < :cutoff ORDER BY stream_id, stream_version DESC`.
Every read-model table has an `event_id` column: a replay compares tables row by row on the
events both generations have seen.

The home schema (`projection` or LIANXIN_DB_SCHEMA) holds `projection_meta` (which data schema is
live) and `projection_replays` (the report of every rebuild).
"""

from __future__ import annotations

from shared.db import Migration

#: Read-model tables a replay compares (the consumer's offset and dedupe tables are not).
READ_MODEL_TABLES = ("event_log", "entity_history")

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
