"""A write route per command in one line (命令路由): the command is the request body.

    command(router, "/{household_id}/exit", c.ExitPoverty, h.exit_poverty, Writer,
            summary="脱贫退出 (exit poverty)")

The route admits the roles of `who` (a `require(...)` dependency), takes the command's fields
from the body (those marked `FromPath` from the URL), builds the command — one validation, a
bad field is a 422 naming it — and runs it through the service's `Pipeline`
(`app.state.pipeline`) with the caller's command context and village scope; the answer is
`Written`. A write route that is not one command (a file of rows) opens
`pipeline_of(request).attempt(...)` itself (the same retry policy) and says so with
`openapi_extra=custom_pipeline()`.
Every write operation in a service's OpenAPI document carries `x-pipeline` (the command's
name, or `custom`): a test holds every service to it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError, create_model

from shared.pipeline import Command, Handler, Pipeline, Scope, WrittenOut, path_fields
from shared.roles import Principal
from shared.web import command_context

C = TypeVar("C", bound=Command)

#: The OpenAPI extension that marks an operation as writing through the shared pipeline.
MARK = "x-pipeline"


#: Every command's handler, as the routes declared them (tests run a command by its type).
HANDLERS: dict[type[Command], Handler[Any]] = {}


def handler_for(cmd: Command) -> Handler[Any]:
    """The handler the service's routes declared for this command's type."""
    try:
        return HANDLERS[type(cmd)]
    except KeyError:
        raise LookupError(f"no route declares a handler for {type(cmd).__name__}") from None


def pipeline_of(request: Request) -> Pipeline[Any]:
    """The service's pipeline, wired by its `bootstrap` as `app.state.pipeline`."""
    pipeline: Pipeline[Any] = request.app.state.pipeline
    return pipeline


def custom_pipeline(**extra: Any) -> dict[str, Any]:
    """The `openapi_extra` of a hand-written write route that runs its command(s) through the
    pipeline (`pipeline_of(request).attempt(...)`)."""
    return {MARK: "custom", **extra}


_BODIES: dict[type[Command], type[BaseModel]] = {}


def body_model(cmd: type[Command]) -> type[BaseModel]:
    """The request body of a command: the command itself, or (with path fields) the same
    fields but those, under the name `<Command>Body`."""
    from_path = set(path_fields(cmd))
    if not from_path:
        return cmd
    body = _BODIES.get(cmd)
    if body is None:
        fields: dict[str, Any] = {
            name: (info.annotation, info)
            for name, info in cmd.model_fields.items()
            if name not in from_path
        }
        body = create_model(
            f"{cmd.__name__}Body", __config__=cmd.model_config, __doc__=cmd.__doc__, **fields
        )
        _BODIES[cmd] = body
    return body


def build(cmd: type[C], body: BaseModel | None, path: dict[str, Any]) -> C:
    """The command from its body and path values; a bad value is a 422 naming its place."""
    given = {name: getattr(body, name) for name in type(body).model_fields} if body else {}
    try:
        return cmd.model_validate({**given, **path})
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            place = "path" if error["loc"] and error["loc"][0] in path else "body"
            errors.append({**error, "loc": (place, *error["loc"])})
        raise RequestValidationError(errors) from None


def command(
    router: APIRouter,
    path: str,
    cmd: type[C],
    handler: Handler[C],
    who: Any,
    *,
    summary: str,
    status_code: int = 200,
    method: str = "POST",
    description: str | None = None,
    scope: Callable[[Principal], Scope] = Scope.of,
) -> None:
    """Add the route that runs `cmd` by `handler` (see the module's docstring)."""
    in_path = re.findall(r"{(\w+)}", path)
    declared = path_fields(cmd)
    if sorted(in_path) != sorted(declared):
        raise TypeError(f"{cmd.__name__}: path {path} has {in_path}, the command {declared}")
    if HANDLERS.setdefault(cmd, handler) is not handler:
        raise TypeError(f"{cmd.__name__} has two handlers")
    body = body_model(cmd)
    optional = all(not info.is_required() for info in body.model_fields.values())

    async def endpoint(request: Request, principal: Principal, **values: Any) -> dict[str, Any]:
        given = values.pop("body", None)
        built = build(cmd, given, values)
        pipeline = pipeline_of(request)
        ctx = command_context(request, principal, pipeline.town.code)
        written = await pipeline.run(handler, built, ctx, scope(principal))
        return written.to_json()

    parameters = [
        inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        inspect.Parameter("principal", inspect.Parameter.KEYWORD_ONLY, annotation=who),
        *(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[
                    cmd.model_fields[name].annotation,
                    Path(description=cmd.model_fields[name].description),
                ],
            )
            for name in in_path
        ),
    ]
    if body.model_fields:
        parameters.append(
            inspect.Parameter(
                "body",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=body | None if optional else body,
                default=None if optional else inspect.Parameter.empty,
            )
        )
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = getattr(handler, "__name__", cmd.__name__)
    endpoint.__doc__ = description or cmd.__doc__
    router.add_api_route(
        path,
        endpoint,
        methods=[method],
        status_code=status_code,
        summary=summary,
        response_model=WrittenOut,
        openapi_extra={MARK: cmd.__name__},
    )
