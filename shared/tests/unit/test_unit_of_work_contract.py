"""The unit of work's contract on the memory store (the one unit tests use)."""

import pytest

from shared.testing.contract import UnitOfWorkContract
from shared.testing.memory import MemoryStore


class TestMemoryStore(UnitOfWorkContract):
    @pytest.fixture
    def store(self) -> MemoryStore:
        return MemoryStore()
