"""The public page (公示): what was published, and nothing personal — fund programmes' public
notices (公示) with their windows and objection counts, and the villages' finance disclosures
(阳光村务). Names and ID numbers never appear here, masked or not; the page still goes through
`redact` as the public role sees it (an undeclared field shows as undeclared). No key is read
for it: a personal-data token here would show `tokens.PENDING`, never opened for the public."""

from __future__ import annotations

from typing import Any

from projection.adapters.reader import Snapshot
from projection.domain import funds as f
from projection.domain.masking import redact
from projection.views.common import Ask


async def public_notices(snap: Snapshot, ask: Ask) -> dict[str, Any]:
    """Published notices and finance disclosures, as of the asked day."""
    notices = []
    for programme in await snap.entities(f.PROGRAMME, cutoff=ask.window.cutoff):
        for notice_id, n in sorted((programme.get("notices") or {}).items()):
            if ask.village and n.get("village") not in (ask.village, None):
                continue
            notices.append(
                {
                    "notice_id": notice_id,
                    "programme": programme.get("name", ""),
                    "programme_code": programme.get("code", ""),
                    "amount": programme.get("amount", ""),
                    "purpose": programme.get("purpose", ""),
                    "beneficiary_rule": programme.get("beneficiary_rule", ""),
                    "title": n.get("title", ""),
                    "village": n.get("village") or "全镇",
                    "opened_on": n.get("opened_on", ""),
                    "ends_on": n.get("ends_on", ""),
                    "status": "公示中" if n.get("status") == "open" else "公示结束",
                    "objections": int(n.get("objections") or 0),
                }
            )
    notices.sort(key=lambda n: str(n["opened_on"]), reverse=True)
    disclosures = [
        {
            "village": d.village or "",
            "period": d.payload.get("period", ""),
            "income_total": d.payload.get("income_total", ""),
            "expenditure_total": d.payload.get("expenditure_total", ""),
            "channel": d.payload.get("channel", ""),
            "disclosed_on": d.payload.get("disclosed_on", ""),
        }
        for d in await ask.facts(snap, ["funds.FinanceDisclosed"])
    ]
    disclosures.reverse()
    page: dict[str, Any] = redact({"notices": notices, "disclosures": disclosures}, full=False)
    return page
