"""The unit of work's contract on PostgreSQL: the same suite as the memory store's, on the real
event store (the `store` fixture of `shared.testing`: a fresh schema)."""

import pytest

from shared.testing.contract import UnitOfWorkContract

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


class TestPostgresStore(UnitOfWorkContract):
    """Every test of the contract, with `store` the real event store."""
