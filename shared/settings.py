"""Settings from the environment, the same names for every service."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: 易俗河镇, Xiangtan County: the town's administrative code (行政区划代码), the tenant.
YISUHE_TOWN_CODE = "430321100"


class Settings(BaseSettings):
    """What a service reads from its environment."""

    # an empty variable is an unset one (`make` exports the ports it was not given as "")
    model_config = SettingsConfigDict(
        env_prefix="", extra="ignore", frozen=True, env_ignore_empty=True
    )

    database_url: str = Field(
        default="postgresql+asyncpg://lianxin@127.0.0.1:15432/lianxin",
        description="SQLAlchemy URL of the service's PostgreSQL database",
    )
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    town_code: str = YISUHE_TOWN_CODE
    #: The towns a write service serves, comma-separated codes (tenants: `shared.tenants`);
    #: empty: `town_code` alone. `town_code` is the default town (the service's own schema).
    towns: str = Field(default="", alias="LIANXIN_TOWNS")
    #: Development mode: a service whose token public key is missing starts anyway (and refuses
    #: every token until the key appears) instead of refusing to start (`shared.auth`).
    dev_mode: bool = Field(default=False, alias="LIANXIN_DEV")
    #: The token issuer's Ed25519 public key (PEM), all a service needs to check tokens.
    token_public_key_file: str = Field(
        default=".local/secrets/public/token_verify.pem", alias="LIANXIN_TOKEN_PUBLIC_KEY_FILE"
    )
    #: Revoked token ids, one a line ("": `revoked_tokens.txt` next to the public key).
    token_revoked_file: str = Field(default="", alias="LIANXIN_TOKEN_REVOKED_FILE")
    #: The issuer's private key: read only by the issuer (the CLI, the demo loaders and the
    #: dashboard's demo login), never by a service otherwise.
    token_private_key_file: str = Field(
        default=".local/secrets/token_signing.pem", alias="LIANXIN_TOKEN_PRIVATE_KEY_FILE"
    )
    #: Minutes an issued access token lives.
    token_minutes: float = Field(default=15.0, alias="LIANXIN_TOKEN_MINUTES")
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 0
    db_schema: str = Field(default="", alias="LIANXIN_DB_SCHEMA")
    topic_partitions: int = 3
    #: Replicas of every topic the project creates (1 on the one local broker; 3 on a cluster:
    #: `deploy/local/infra.sh env` prints it for `LIANXIN_KAFKA_BROKERS=3`).
    topic_replication: int = Field(default=1, ge=1, alias="LIANXIN_TOPIC_REPLICATION")
    #: The topics' `min.insync.replicas` when replicated (0: min(2, replication)): with
    #: `acks=all` a write counts once that many replicas have it.
    topic_min_insync: int = Field(default=0, ge=0, alias="LIANXIN_TOPIC_MIN_INSYNC")
    #: Appended to the service's own topic (`relief.events<suffix>`): tests give a store a
    #: topic of its own, so that the store and its topic can be reconciled one to one.
    topic_suffix: str = Field(default="", alias="LIANXIN_TOPIC_SUFFIX")
    #: Hours between the store's automatic checkpoints (0: only on demand).
    checkpoint_hours: float = Field(default=24.0, alias="LIANXIN_CHECKPOINT_HOURS")
    #: Days published outbox rows and processed event ids are kept (`shared.retention`).
    retention_days: float = Field(default=7.0, alias="LIANXIN_RETENTION_DAYS")
    check_contracts: bool = Field(default=False, alias="LIANXIN_CHECK_CONTRACTS")

    @property
    def served_towns(self) -> tuple[str, ...]:
        """The towns served, the default town first (`LIANXIN_TOWNS`, or `town_code` alone)."""
        listed = [t.strip() for t in self.towns.split(",") if t.strip()]
        if not listed:
            return (self.town_code,)
        default = self.town_code if self.town_code in listed else listed[0]
        return (default, *dict.fromkeys(t for t in listed if t != default))

    @property
    def default_town(self) -> str:
        """The town whose app answers requests without a token (health, OpenAPI)."""
        return self.served_towns[0]
