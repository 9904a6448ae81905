"""A tiny domain for the core's tests: a counter stream with one event type."""

from dataclasses import dataclass

from shared.kernel import Aggregate, Event, Refused, event_type


@event_type("coretest.Counted")
@dataclass(frozen=True, kw_only=True, slots=True)
class Counted(Event):
    """The counter moved on by one."""

    n: int


class Counter(Aggregate):
    """Counts; refuses to pass its limit."""

    limit = 1_000_000

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.value = 0

    def count(self) -> None:
        if self.value >= self.limit:
            raise Refused("limit reached")
        self._record(Counted(n=self.value + 1))

    def _apply(self, event: Event) -> None:
        assert isinstance(event, Counted)
        self.value = event.n
