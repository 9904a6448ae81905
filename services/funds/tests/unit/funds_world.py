"""The funds handlers through the shared pipeline on a memory store (no database): given events
in streams, when a command, then the events it appended — relief's register and the list of
programme streams faked beside it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from funds.application.ports import Deps
from funds.domain.values import ReliefRecord

from shared.envelope import Actor, Envelope
from shared.eventstore import CommandContext
from shared.kernel import Event
from shared.pipeline import WHOLE_TOWN, Command, Handler, Pipeline, Scope, Written
from shared.roles import Role
from shared.testing.memory import MemoryStore
from shared.town import load_town

TOWN = load_town()
#: The service's clock in these tests: noon of 30 June 2016 in China.
TODAY = dt.date(2016, 6, 30)
ECONOMIC = Actor("zhoumin", Role.ECONOMIC_LEADER.value)


@dataclass
class Register:
    """Relief's register as funds' view reports it: households by ID number."""

    households: dict[str, list[ReliefRecord]] = field(default_factory=dict)

    async def lookup(self, conn: Any, id_number: str) -> list[ReliefRecord]:
        return list(self.households.get(id_number, []))


@dataclass
class StreamList:
    """The stream ids of the memory store (committed, and those the transaction appended)."""

    store: MemoryStore

    async def stream_ids(self, prefix: str, *, conn: Any = None) -> list[str]:
        ids = set(self.store.streams) | set(conn.pending if conn is not None else ())
        return sorted(i for i in ids if i.startswith(prefix))


class Funds:
    """The funds service's pipeline on a memory store."""

    def __init__(self) -> None:
        self.store = MemoryStore()
        self.register = Register()
        noon_in_china = dt.datetime.combine(TODAY, dt.time(4), tzinfo=dt.UTC)
        self.pipeline = Pipeline(
            self.store,
            town=TOWN,
            deps=Deps(relief=self.register, streams=StreamList(self.store)),
            clock=lambda: noon_in_china,
            name="funds",
        )

    @staticmethod
    def context(actor: Actor = ECONOMIC) -> CommandContext:
        return CommandContext(actor=actor, town=TOWN.code, correlation_id=uuid.uuid4())

    def given(self, stream_id: str, *events: Event) -> None:
        self.store.given(stream_id, *events, ctx=self.context())

    async def when(
        self,
        handler: Handler[Any],
        cmd: Command,
        scope: Scope = WHOLE_TOWN,
        actor: Actor = ECONOMIC,
    ) -> Written:
        return await self.pipeline.run(handler, cmd, self.context(actor), scope)

    def work(self, occurred_on: dt.date | None = None, actor: Actor = ECONOMIC) -> Any:
        """A unit of work as a custom route opens it (a command not one entity's)."""
        return self.pipeline.work(self.context(actor), WHOLE_TOWN, occurred_on)

    def then(self, stream_id: str) -> list[Event]:
        return self.store.events(stream_id)

    def stored(self, stream_id: str) -> list[Envelope]:
        return list(self.store.streams.get(stream_id, []))

    def streams(self, prefix: str) -> list[str]:
        return sorted(s for s in self.store.streams if s.startswith(prefix))
