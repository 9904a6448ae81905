"""The projection's settings: the shared ones plus what only the projection reads."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from shared.settings import Settings

DEFAULT_TOPICS = "relief.events,funds.events,supervision.events,party.events"


class ProjectionSettings(Settings):
    """Settings of the projection service (environment variables in the aliases)."""

    topics: str = Field(
        default=DEFAULT_TOPICS,
        alias="LIANXIN_PROJECTION_TOPICS",
        description="comma-separated topics to consume (tests use scratch topics)",
    )
    demo_login: bool = Field(default=False, alias="LIANXIN_DEMO_LOGIN")
    area: str = Field(
        default="",
        alias="LIANXIN_PROJECTION_AREA",
        pattern=r"^(\d{6}|\d{9})?$",
        description="the area shown: a county's code (430321) rolls its towns up; empty: the town",
    )
    generation_poll_seconds: float = Field(
        default=2.0,
        alias="LIANXIN_PROJECTION_POLL_SECONDS",
        description="how often the consumer checks whether a replay swapped in a new schema",
    )
    cookie_secure: bool = Field(default=False, alias="LIANXIN_COOKIE_SECURE")
    whatif_seconds: float = Field(
        default=600.0,
        alias="LIANXIN_WHATIF_SECONDS",
        description="a what-if (推演) replay still running after this long is stopped",
    )
    whatif_keep_hours: float = Field(
        default=24.0,
        alias="LIANXIN_WHATIF_KEEP_HOURS",
        description="a finished what-if's scratch generation is dropped this long after it ended",
    )
    # Where the 系统运行 page reads the write services' /metrics: a URL when given (compose),
    # else the local runner's port on this host (deploy/local/services.sh uses the same names).
    relief_url: str = Field(default="", alias="LIANXIN_RELIEF_URL")
    funds_url: str = Field(default="", alias="LIANXIN_FUNDS_URL")
    supervision_url: str = Field(default="", alias="LIANXIN_SUPERVISION_URL")
    party_url: str = Field(default="", alias="LIANXIN_PARTY_URL")
    relief_port: int = Field(default=8101, alias="LIANXIN_RELIEF_PORT")
    funds_port: int = Field(default=8102, alias="LIANXIN_FUNDS_PORT")
    supervision_port: int = Field(default=8103, alias="LIANXIN_SUPERVISION_PORT")
    party_port: int = Field(default=8104, alias="LIANXIN_PARTY_PORT")

    @property
    def service_urls(self) -> dict[str, str]:
        """The base URL of each write service, by name."""
        urls: dict[str, str] = {}
        for name in ("relief", "funds", "supervision", "party"):
            url: str = getattr(self, f"{name}_url")
            port: int = getattr(self, f"{name}_port")
            urls[name] = (url or f"http://127.0.0.1:{port}").rstrip("/")
        return urls

    @property
    def area_code(self) -> str:
        """The code of the area this projection shows: a county's, or its town's."""
        return self.area or self.town_code

    @property
    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]

    @property
    def home_schema(self) -> str:
        """The schema that holds `projection_meta` (which data schema is live)."""
        return self.db_schema or "projection"

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> ProjectionSettings:
        """Projection settings from the shared ones (the environment fills the rest)."""
        if isinstance(settings, cls) and not overrides:
            return settings
        values = settings.model_dump(by_alias=True)
        values.update(overrides)
        return cls(**values)
