"""The projection's tables.

A data schema (one per generation: `<home>_g<N>`) holds the read models:
- `event_log`: every envelope once (unique event id), for the audit trail and counted facts;
  `kind` and `village` are resolved from the stream's state when the payload lacks them;
- `entity_state`: the entities' states by business day, with temporal validity: one row per
  entity per China day on which it changed (`valid_from` = that day's first instant, `valid_to`
  = the first instant of the entity's next row, 'infinity' for the newest), so a list "as of D"
  is `valid_from < after_day(D) AND valid_to >= after_day(D)` and a current list is
  `valid_to = 'infinity'`: index lookups, never a fold at request time.
- `entity_counts`: how many entities of a kind there are per (village, status), and how many
  of them have each of the kind's facets set (`catalogue.FACETS`), as deltas on the business
  day a row of `entity_state` began: a count as of D is `sum(delta) WHERE day < after_day(D)`,
  a sum over days and villages, never over entities;
- `event_counts`: events per (type, village, business day): the flows of a period;
- `flow_sums`: the numbers of money flows (`catalogue.SUMS`: payments, amounts, shortfalls)
  per (type, village, business day, key such as a programme and its pay date);
- `entity_refs`: which streams name which other entities by id (`folds.REFERENCE_KEYS`),
  for the audit trail's related streams (an index lookup, not a scan of every payload).
A replay compares the tables row by row on what both generations have seen (the log by event,
the states by stream; the counts, whose nonzero rows must be equal, when both saw the same
events).

The home schema (`projection` or LIANXIN_DB_SCHEMA) holds `projection_meta` (which data schema is
live) and `projection_replays` (the report of every rebuild).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from projection.adapters.queries import IsSet
from projection.domain.catalogue import FACETS
from projection.domain.folds import REFERENCE_KEYS
from shared.db import Migration


def _facets_sql() -> str:
    """The (facet) values an entity_state row counts towards: '' always, and each of its kind's
    facets that its state has set (as the projector's `count_keys`)."""
    parts = ["SELECT '' AS facet"]
    for kind, facets in sorted(FACETS.items()):
        parts += [
            f"SELECT '{facet}' WHERE s.kind = '{kind}' AND {IsSet(facet).sql()}" for facet in facets
        ]
    return " UNION ALL ".join(parts)


#: Read-model tables a replay compares (the consumer's offset and dedupe tables are not).
READ_MODEL_TABLES = (
    "event_log",
    "entity_state",
    "entity_counts",
    "event_counts",
    "flow_sums",
    "entity_refs",
)

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
            # lists (current or as of a day) walk a kind's entities in stream order: a page
            # stops after its rows instead of sorting every entity
            "CREATE INDEX IF NOT EXISTS entity_state_list"
            ' ON {schema}.entity_state (kind, stream_id COLLATE "C", valid_from)'
            " INCLUDE (valid_to, village)",
            "CREATE INDEX IF NOT EXISTS entity_state_entity"
            " ON {schema}.entity_state (kind, entity_id)",
        ],
    ),
    Migration(
        3,
        "counts of entities and of events per business day, as deltas",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.entity_counts (
            kind text NOT NULL,
            village text NOT NULL,
            status text NOT NULL,
            facet text NOT NULL,
            day timestamptz NOT NULL,
            delta bigint NOT NULL,
            PRIMARY KEY (kind, facet, day, village, status))""",
            """CREATE TABLE IF NOT EXISTS {schema}.event_counts (
            event_type text NOT NULL,
            village text NOT NULL,
            day timestamptz NOT NULL,
            n bigint NOT NULL,
            PRIMARY KEY (event_type, day, village))""",
            # A schema written by the previous code: the counts its rows make.
            f"""INSERT INTO {{schema}}.entity_counts
            SELECT kind, village, status, facet, day, sum(d) FROM (
              SELECT s.kind, coalesce(s.village, '') AS village, coalesce(s.status, '') AS status,
                f.facet, s.valid_from AS day, 1 AS d
              FROM {{schema}}.entity_state s CROSS JOIN LATERAL ({_facets_sql()}) f
              UNION ALL
              SELECT s.kind, coalesce(s.village, ''), coalesce(s.status, ''), f.facet,
                s.valid_to, -1
              FROM {{schema}}.entity_state s CROSS JOIN LATERAL ({_facets_sql()}) f
              WHERE s.valid_to <> 'infinity') rows
            GROUP BY kind, village, status, facet, day HAVING sum(d) <> 0
            ON CONFLICT DO NOTHING""",
            """INSERT INTO {schema}.event_counts
            SELECT event_type, coalesce(village, ''),
              date_trunc('day', occurred_at AT TIME ZONE 'Asia/Shanghai')
                AT TIME ZONE 'Asia/Shanghai',
              count(*)
            FROM {schema}.event_log GROUP BY 1, 2, 3
            ON CONFLICT DO NOTHING""",
        ],
    ),
    Migration(
        4,
        "sums of the money flows per business day",
        [
            # Filled as events arrive; a schema with earlier events is rebuilt (`make replay`).
            """CREATE TABLE IF NOT EXISTS {schema}.flow_sums (
            event_type text NOT NULL,
            village text NOT NULL,
            day timestamptz NOT NULL,
            key text NOT NULL,
            figure text NOT NULL,
            value numeric NOT NULL,
            PRIMARY KEY (event_type, day, village, key, figure))""",
        ],
    ),
    Migration(
        5,
        "which streams name which other entities (the audit trail's related streams)",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.entity_refs (
            value text NOT NULL,
            stream_id text NOT NULL,
            kind text NOT NULL,
            PRIMARY KEY (value, stream_id))""",
            # A schema written by the previous code (as `folds.referenced_ids` reads payloads).
            f"""INSERT INTO {{schema}}.entity_refs
            SELECT DISTINCT p.val #>> '{{}}', l.stream_id, l.kind FROM {{schema}}.event_log l
            CROSS JOIN LATERAL jsonb_each(l.payload) AS p(key, val)
            WHERE p.key IN ({", ".join(f"'{k}'" for k in sorted(REFERENCE_KEYS))})
              AND jsonb_typeof(p.val) = 'string' AND p.val #>> '{{}}' <> ''
              AND p.val #>> '{{}}' <> coalesce((SELECT s.entity_id
                FROM {{schema}}.entity_state s WHERE s.stream_id = l.stream_id LIMIT 1), '')
            ON CONFLICT DO NOTHING""",
        ],
    ),
    Migration(
        6,
        "entities valid on a day, by kind",
        [
            # "as of D" over a kind with many versions (members, cases): the rows still valid at
            # D's end are a range of valid_to, where a walk of every version would be a scan
            "CREATE INDEX IF NOT EXISTS entity_state_valid"
            " ON {schema}.entity_state (kind, valid_to, valid_from)",
        ],
    ),
    Migration(
        7,
        "cause chains: events by correlation and by cause",
        [
            "CREATE INDEX IF NOT EXISTS event_log_correlation"
            " ON {schema}.event_log (correlation_id)",
            "CREATE INDEX IF NOT EXISTS event_log_causation ON {schema}.event_log (causation_id)"
            " WHERE causation_id IS NOT NULL",
        ],
    ),
    Migration(
        8,
        "backdating: the entries not recorded on the day they happened",
        [
            # few in a town's normal work, so the 补录 view and the "changed after" mark read an
            # index of those alone instead of the whole log (adapters/auditing.OFF_THE_DAY_SQL)
            "CREATE INDEX IF NOT EXISTS event_log_off_the_day ON {schema}.event_log"
            " (recorded_at) WHERE (recorded_at - occurred_at > interval '1 day'"
            " OR occurred_at - recorded_at > interval '1 day')",
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


async def table_columns(conn: AsyncConnection, schema: str, table: str) -> list[str]:
    """A read-model table's columns in `schema`, in their order."""
    rows = await conn.execute(
        text(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = :s AND table_name = :t ORDER BY ordinal_position"
        ),
        {"s": schema, "t": table},
    )
    return [str(r[0]) for r in rows]
