"""个人信息访问记录 in the projection: its API routes are the shared ones
(`shared.personal.routes`, on `app.state.access_log`), its dashboard page is
`access_log_page`; `disclosure` gives every endpoint that shows people's data the object
through which it shows them (`adapters.disclosure`), which records the response in the log.
"""

from __future__ import annotations

from fastapi import Request

from projection.adapters.disclosure import Disclosure
from projection.domain.access import sees_full_detail
from shared.roles import Principal


def endpoint_of(request: Request) -> str:
    """`GET /api/v1/views/relief/villages?village=石壁村`: what the log names as the endpoint."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.method} {request.url.path}{query}"


def disclosure(request: Request, principal: Principal) -> Disclosure:
    """The showing of people's data for this request (one per response)."""
    state = request.app.state
    return Disclosure(
        keys=state.keys,
        log=state.access_log,
        engine=state.engine,
        principal=principal,
        endpoint=endpoint_of(request),
        full=sees_full_detail(principal),
    )
