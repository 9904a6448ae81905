"""Long command-line work shows that it moves: in a log (no terminal), a plain line every few
seconds with the count, the rate and the time left, and one at the end."""

import io

import httpx
import pytest

from shared import progress as p


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(p.time, "monotonic", fake)
    return fake


def test_a_log_gets_a_line_every_few_seconds_with_rate_and_time_left(clock: FakeClock) -> None:
    out = io.StringIO()
    with p.Progressing("重建读模型 (replay)", 1000, stream=out) as work:
        clock.now += 1
        work.update(100)  # within the first few seconds: no line yet
        clock.now += p.PLAIN_EVERY
        work.update(300)
        clock.now += 1
        work.update(1000)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("重建读模型 (replay): 300/1,000 (")
    assert "剩余 (left)" in lines[0]  # 700 more at about 50/s
    assert lines[-1].startswith("重建读模型 (replay): 1,000/1,000 (")
    assert "剩余" not in lines[-1]  # done: nothing left
    assert len(lines) == 2


def test_without_a_total_it_counts_and_gives_the_rate(clock: FakeClock) -> None:
    out = io.StringIO()
    with p.Progressing("演示数据 (demo)", None, stream=out) as work:
        clock.now += 2
        work.advance(10)
    assert out.getvalue().strip() == "演示数据 (demo): 10 (5/s)"


def test_each_http_response_counts_as_one_item_done(clock: FakeClock) -> None:
    out = io.StringIO()
    transport = httpx.MockTransport(lambda request: httpx.Response(201))
    with p.Progressing("演示数据 (demo)", 3, stream=out) as work:
        hooks = p.counting(work)
        with httpx.Client(transport=transport, event_hooks=hooks) as client:
            for _ in range(3):
                client.post("http://relief.test/api/v1/households")
        assert work.done == 3


async def test_an_async_client_counts_its_responses_too(clock: FakeClock) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    with p.Progressing("演示数据 (demo)", None, stream=io.StringIO()) as work:
        hooks = p.counting_async(work)
        async with httpx.AsyncClient(transport=transport, event_hooks=hooks) as client:
            await client.get("http://party.test/api/v1/branches")
            await client.get("http://party.test/api/v1/branches")
        assert work.done == 2
