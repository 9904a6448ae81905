"""A NUL character (U+0000) cannot be stored by PostgreSQL: a request carrying one in its path,
query or JSON body is refused with a 422 problem+json before any route runs; everything else
passes through untouched, uploads included."""

import httpx
from fastapi import FastAPI, Request

from shared.inputs import RefuseNul


def an_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(RefuseNul)

    @app.get("/items")
    async def items(village: str = "") -> dict[str, str]:
        return {"village": village}

    @app.post("/items")
    async def create(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    return app


async def call(method: str, url: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=an_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        return await client.request(method, url, **kwargs)  # type: ignore[arg-type]


def refused(response: httpx.Response) -> bool:
    return (
        response.status_code == 422
        and response.headers["content-type"] == "application/problem+json"
        and "空字符" in response.json()["detail"]
    )


async def test_a_nul_in_the_query_or_path_is_refused() -> None:
    assert refused(await call("GET", "/items?village=%C3%BA%00"))
    assert refused(await call("GET", "/items%00"))


async def test_a_nul_in_a_json_body_is_refused() -> None:
    body = b'{"head_name": "\\u0000"}'
    assert refused(
        await call("POST", "/items", content=body, headers={"content-type": "application/json"})
    )


async def test_text_that_only_mentions_the_escape_passes() -> None:
    body = b'{"notes": "C:\\\\u0000"}'  # an escaped backslash, then the letters u0000
    response = await call(
        "POST", "/items", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200 and response.json() == {"bytes": len(body)}


async def test_ordinary_requests_and_binary_uploads_pass_untouched() -> None:
    assert (await call("GET", "/items?village=石壁村")).json() == {"village": "石壁村"}
    upload = b"PK\x03\x04\x00\x00binary\x00"  # an XLSX is a zip: NUL bytes are normal there
    response = await call(
        "POST", "/items", content=upload, headers={"content-type": "application/octet-stream"}
    )
    assert response.json() == {"bytes": len(upload)}
