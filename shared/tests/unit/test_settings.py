"""An empty environment variable is an unset one: `make` exports the service ports it was not
given as empty strings, and a service must still start on its defaults."""

import pytest
from projection.settings import ProjectionSettings


def test_an_empty_variable_takes_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LIANXIN_RELIEF_PORT", "LIANXIN_FUNDS_PORT", "LIANXIN_PROJECTION_TOPICS"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("LIANXIN_PARTY_PORT", "9104")
    settings = ProjectionSettings()
    assert (settings.relief_port, settings.funds_port, settings.party_port) == (8101, 8102, 9104)
    assert settings.topic_list  # the default topics, not none
