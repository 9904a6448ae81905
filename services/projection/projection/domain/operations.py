"""系统运行: how each service is doing (consumer lag, outbox backlog, dead letters) and what an
operator does about each, in zh-CN. Pure: the figures come from the services' `/metrics`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

#: Records behind before lag is worth a look (a busy consumer is a batch or two behind).
LAG_WARN = 1000
#: Seconds the oldest unpublished outbox row may wait (the relay publishes within a second).
OUTBOX_AGE_WARN = 60.0


class Level(Enum):
    """How urgent a finding is (the page's colour)."""

    OK = "ok"
    WARN = "warn"
    ALERT = "alert"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the page says about a service, and what to do about it."""

    level: Level
    what: str
    todo: str = ""


@dataclass(frozen=True, slots=True)
class Lag:
    """Records of `topic` partition `partition` that `consumer` has not applied yet."""

    consumer: str
    topic: str
    partition: int
    records: int


@dataclass(frozen=True, slots=True)
class ServiceState:
    """What one service's metrics said; `reachable` False when they could not be read."""

    service: str
    reachable: bool
    error: str = ""
    publishes: bool = True
    backlog: int | None = None
    oldest_age: float | None = None
    lags: tuple[Lag, ...] = ()
    dead_letters: dict[str, int] = field(default_factory=dict)
    database_up: bool | None = None
    kafka_up: bool | None = None

    @property
    def lag(self) -> int | None:
        """Records behind over every consumer and partition (None: unknown)."""
        return sum(x.records for x in self.lags) if self.lags else None

    @property
    def dead_letter_total(self) -> int:
        return sum(self.dead_letters.values())


def findings(state: ServiceState) -> list[Finding]:
    """What the page says about `state`, the worst first."""
    if not state.reachable:
        return [
            Finding(
                Level.ALERT,
                f"不可达：读不到 {state.service} 的运行指标（{state.error}）",
                "检查该服务是否在运行（make status），查看其日志；本地运行器会按退避重启崩溃的"
                "服务，反复崩溃时手动重启（make run）。服务停止期间命令不会被受理，已受理的事件"
                "保存在其数据库中，恢复后由中继补发。",
            )
        ]
    found: list[Finding] = []
    if state.database_up is False:
        found.append(
            Finding(
                Level.ALERT,
                "数据库暂不可用：积压与消费位置读不到",
                "检查 PostgreSQL 是否运行、连接数是否用尽；恢复后服务自行重连，无需重启。",
            )
        )
    if state.kafka_up is False:
        found.append(
            Finding(
                Level.ALERT,
                "消息总线暂不可用：消费延迟与死信读不到",
                "检查 Kafka 是否运行（make status）；恢复后中继与消费者自行重连并继续。",
            )
        )
    found += _dead_letters(state) + _backlog(state) + _lag(state)
    if not found:
        found.append(Finding(Level.OK, "正常：无积压、无死信，消费已跟上"))
    order = {Level.ALERT: 0, Level.WARN: 1, Level.OK: 2}
    return sorted(found, key=lambda f: order[f.level])


def _dead_letters(state: ServiceState) -> list[Finding]:
    return [
        Finding(
            Level.ALERT,
            f"死信 {n} 条：{topic}",
            f"查看死信主题 {topic}（每条消息的 reason 头写明原因，source_topic/source_offset "
            "指向原消息），修正原因（数据或代码）后重放：投影执行 make replay（python -m "
            "projection.replay），写服务重新发送该命令；处理完毕后记录在案。",
        )
        for topic, n in sorted(state.dead_letters.items())
        if n > 0
    ]


def _backlog(state: ServiceState) -> list[Finding]:
    if not state.publishes or state.backlog is None:
        return []
    age = state.oldest_age or 0.0
    if state.backlog and age >= OUTBOX_AGE_WARN:
        return [
            Finding(
                Level.ALERT,
                f"发件箱积压 {state.backlog} 条，最早一条已等待 {age:.0f} 秒",
                "中继连不上 Kafka（或未取得中继锁）：检查 Kafka 是否运行、该服务日志中的 "
                "relay.error；Kafka 恢复后中继自动按顺序补发，事件不会丢失，无需人工重发。",
            )
        ]
    return []


def _lag(state: ServiceState) -> list[Finding]:
    lag = state.lag
    if lag is None or lag < LAG_WARN:
        return []
    return [
        Finding(
            Level.WARN,
            f"消费延迟 {lag} 条",
            "若持续增长：查看该服务日志（consumer.transient_failure、consumer.batch_failed），"
            "确认数据库与 Kafka 可用；消费者卡住时重启该服务，它会从与数据一同保存的位置继续，"
            "不丢不重。大批导入或重建之后短时延迟属正常。",
        )
    ]
