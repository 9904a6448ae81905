"""系统运行: what the page says about a service's figures, and what to do about them."""

from projection.domain.operations import (
    LAG_WARN,
    OUTBOX_AGE_WARN,
    Lag,
    Level,
    ServiceState,
    findings,
)


def state(**figures: object) -> ServiceState:
    values: dict[str, object] = {
        "service": "relief",
        "reachable": True,
        "backlog": 0,
        "oldest_age": 0.0,
        "lags": (Lag("relief.party-members", "party.events", 0, 0),),
        "database_up": True,
        "kafka_up": True,
    }
    values.update(figures)
    return ServiceState(**values)  # type: ignore[arg-type]


def test_a_quiet_service_is_ok() -> None:
    (only,) = findings(state())
    assert only.level is Level.OK


def test_an_unreachable_service_says_so_and_how_to_restart_it() -> None:
    (only,) = findings(ServiceState(service="funds", reachable=False, error="timeout"))
    assert only.level is Level.ALERT and "不可达" in only.what and "make status" in only.todo


def test_an_old_backlog_points_at_the_relay_and_kafka() -> None:
    (alert,) = findings(state(backlog=12, oldest_age=OUTBOX_AGE_WARN + 1))
    assert "积压 12 条" in alert.what and "Kafka" in alert.todo
    assert findings(state(backlog=12, oldest_age=1.0))[0].level is Level.OK  # being published


def test_lag_over_the_mark_says_to_read_the_log_and_restart() -> None:
    lags = tuple(Lag("projection", "relief.events", p, LAG_WARN) for p in range(2))
    (warn,) = findings(state(lags=lags))
    assert warn.level is Level.WARN and f"{2 * LAG_WARN} 条" in warn.what and "重启" in warn.todo


def test_dead_letters_name_the_topic_and_the_replay_first() -> None:
    found = findings(state(dead_letters={"x.dlq": 2}, lags=(Lag("x", "t", 0, LAG_WARN),)))
    assert [f.level for f in found] == [Level.ALERT, Level.WARN]
    assert "x.dlq" in found[0].what and "replay" in found[0].todo


def test_an_unreadable_source_is_reported_not_taken_for_zero() -> None:
    found = findings(state(kafka_up=False, lags=()))
    assert found[0].level is Level.ALERT and "消息总线" in found[0].what
    assert state(lags=()).lag is None
