"""Topics are replicated as the environment says: once on the one local broker, three times
with min.insync.replicas=2 on a cluster (`LIANXIN_KAFKA_BROKERS=3`)."""

from __future__ import annotations

import pytest

from shared.settings import Settings
from shared.topics import min_insync


def test_one_replica_sets_no_min_insync() -> None:
    assert min_insync(1) == {}
    assert min_insync(1, 2) == {}


def test_a_replicated_topic_needs_two_in_sync_by_default() -> None:
    assert min_insync(3) == {"min.insync.replicas": "2"}
    assert min_insync(2) == {"min.insync.replicas": "2"}
    assert min_insync(3, 3) == {"min.insync.replicas": "3"}
    assert min_insync(3, 5) == {"min.insync.replicas": "3"}  # never more than the replicas


def test_the_settings_default_to_one_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIANXIN_TOPIC_REPLICATION", raising=False)
    monkeypatch.delenv("LIANXIN_TOPIC_MIN_INSYNC", raising=False)
    settings = Settings()
    assert (settings.topic_replication, settings.topic_min_insync) == (1, 0)


def test_the_settings_follow_the_cluster_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANXIN_TOPIC_REPLICATION", "3")
    monkeypatch.setenv("LIANXIN_TOPIC_MIN_INSYNC", "2")
    settings = Settings()
    assert (settings.topic_replication, settings.topic_min_insync) == (3, 2)
