"""The audit trail (审计追溯) of any entity: every event of its stream in order, who did it,
when it happened and when it was recorded, why (the reasons and notes of the payload), and the
SHA-256 hash chain checked with `shared.envelope.verify_chain` (any break is flagged)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from projection.adapters.reader import Snapshot
from projection.domain.catalogue import KIND_LABELS, event_label, status_label
from projection.domain.masking import Seen, redact
from projection.domain.timeframe import business_text, local_text
from shared.envelope import GENESIS_HASH, verify_chain
from shared.personal.declared import Keys
from shared.personal.tokens import is_token

#: Reads the keys of the tokens in a value (the projection's key table; `adapters.disclosure`).
KeyReader = Callable[[Any], Awaitable[Keys]]

#: Payload fields that say why (shown as the event's reason).
REASON_FIELDS = (
    "reason",
    "note",
    "notes",
    "summary",
    "explanation",
    "findings",
    "resolution",
    "result",
    "outcome",
    "report",
    "grounds",
    "evidence",
    "content",
    "description",
)

ROLE_LABELS = {
    "town_secretary": "党委书记",
    "deputy_secretary": "党委副书记",
    "organisation_member": "组织委员",
    "discipline_secretary": "纪委书记",
    "agriculture_leader": "分管农业负责人",
    "economic_leader": "分管经济发展负责人",
    "village_clerk": "村文书",
    "branch_secretary": "村党支部书记",
    "auditor": "审计",
    "public": "公众",
    "system": "系统（流程自动处理）",
}


def _reason(payload: dict[str, Any]) -> str:
    parts = []
    for key in REASON_FIELDS:
        value = payload.get(key)
        if value in (None, "", [], ()) or is_token(value):
            continue  # a person's encrypted data is no reason (shown in the payload)
        if isinstance(value, list | tuple):
            value = "、".join(str(v) for v in value)
        parts.append(str(value))
    return "；".join(parts)


async def audit_trail(
    snap: Snapshot,
    stream_id: str,
    *,
    full: bool,
    cutoff: dt.datetime | None = None,
    keys: KeyReader | None = None,
    seen: Seen | None = None,
) -> dict[str, Any] | None:
    """The stream's history, or None if the projection has no event of it; personal data in
    it opened with the keys `keys` reads (none given: tokens show pending), masked unless
    `full`, and what was shown unmasked noted into `seen`."""
    logged = await snap.stream(stream_id)
    if not logged:
        return None
    envelopes = [env for env, _, _ in logged]
    breaks = verify_chain(envelopes)
    broken = {b.event_id for b in breaks}
    kind = logged[0][1]
    village = next((v for _, _, v in reversed(logged) if v), None)
    entity = await snap.entity(stream_id, cutoff=cutoff)
    state = {k: v for k, v in entity.state.items() if not k.startswith("_")} if entity else {}
    found = await keys([[env.payload for env in envelopes], state]) if keys else None

    def shown(value: Any, of: str | None = None) -> Any:
        return redact(value, full=full, kind=of, keys=found, seen=seen)

    events = []
    for env, _, _ in logged:
        if cutoff is not None and env.occurred_at >= cutoff:
            continue
        events.append(
            {
                "version": env.stream_version,
                "event_id": str(env.event_id),
                "event_type": env.event_type,
                "town": env.town,
                "label": event_label(env.event_type),
                "occurred_at": env.occurred_at.isoformat(),
                "occurred_local": business_text(env.occurred_at),
                "recorded_at": env.recorded_at.isoformat(),
                "recorded_local": local_text(env.recorded_at),
                "actor": {
                    "user_id": env.actor.user_id,
                    "role": env.actor.role,
                    "role_label": ROLE_LABELS.get(env.actor.role, env.actor.role),
                },
                "correlation_id": str(env.correlation_id),
                "chain_url": f"/api/v1/chains/{env.event_id}",
                "causation_id": str(env.causation_id) if env.causation_id else None,
                "reason": shown(_reason(env.payload)),
                "payload": shown(env.payload, kind),
                "hash": env.hash,
                "prev_hash": env.prev_hash,
                "genesis": env.prev_hash == GENESIS_HASH,
                "chain_ok": env.event_id not in broken,
            }
        )
    related = await snap.related_streams(stream_id, entity.entity_id if entity else "")
    return {
        "stream_id": stream_id,
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, kind),
        "entity_id": entity.entity_id if entity else stream_id,
        "village": village,
        "status": status_label(kind, entity.status) if entity else "",
        "state": shown(state, kind),
        "chain": {
            "intact": not breaks,
            "checked": len(envelopes),
            "breaks": [
                {
                    "version": b.stream_version,
                    "event_id": str(b.event_id),
                    "reason": b.reason,
                }
                for b in breaks
            ],
        },
        "events": events,
        "related": [
            {"stream_id": sid, "kind": k, "kind_label": KIND_LABELS.get(k, k)} for sid, k in related
        ],
    }
