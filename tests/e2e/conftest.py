"""The figures cross-check's two sides, built once for every test_*figures* module."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from shared.testing import Infra

from .figures import Sides, both_sides


@pytest_asyncio.fixture(scope="package", loop_scope="session")
async def sides(infra: Infra) -> AsyncIterator[Sides]:
    async with both_sides(infra) as built:
        yield built
