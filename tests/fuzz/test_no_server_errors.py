"""No input gets a server error (issue 11): a bounded schemathesis run (examples, coverage and
fuzzing phases) against every service's OpenAPI document with the token of the role that owns
it, on the real PostgreSQL and Kafka. `make fuzz` runs longer, with a read-only role too and the
stateful phase (driver.py)."""

import pytest

from shared.testing import Infra

from .driver import SERVICES, fuzz

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

#: Seconds of generated requests per service.
BUDGET = 15


@pytest.mark.timeout(60 * 15)
async def test_no_input_gets_a_server_error_from_any_service(infra: Infra) -> None:
    outcomes = await fuzz(
        infra, max_time=BUDGET, phases="examples,coverage,fuzzing", read_only=False, seed=2016
    )
    assert [o.service for o in outcomes] == list(SERVICES)
    assert all(o.tests >= 5 for o in outcomes), [o.line() for o in outcomes]  # it did run
    errors = {o.service: o.server_errors for o in outcomes if o.server_errors}
    assert errors == {}
