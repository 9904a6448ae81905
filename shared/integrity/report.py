"""The verifier's report in Chinese (核查报告): one line per finding, per service."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def render(services: Sequence[dict[str, Any]]) -> str:
    """A plain-text report of service reports (`ServiceReport.as_dict()` form)."""
    lines = ["事件存储核查报告 (event store verification)", ""]
    total = 0
    for report in services:
        found = report.get("findings") or []
        problems = report.get("problems") or []
        total += len(found) + len(problems)
        state = "完好 (clean)" if not found and not problems else f"发现 {len(found)} 处问题"
        lines.append(f"【{report['service']}】{state}")
        lines.append(
            f"  流 {report.get('streams', 0)} 个，事件 {report.get('events', 0)} 条"
            + _kafka(report)
            + _projection(report)
            + (f"；在途 {report['in_flight']} 条" if report.get("in_flight") else "")
        )
        checkpoint = report.get("checkpoint")
        if checkpoint:
            lines.append(
                f"  检查点 #{checkpoint['number']}（{checkpoint['recorded_at']}）："
                f"{checkpoint['tree_size']} 个流头，已证明 {checkpoint['proved']} 个"
                + ("" if checkpoint["valid"] else "，检查点本身无效")
            )
        else:
            lines.append("  尚无检查点 (no checkpoint yet): 末尾事件或整个流的删除无法发现")
        lines += [f"  - {f['text']}" for f in found]
        lines += [f"  ! {p}" for p in problems]
        lines.append("")
    lines.append("结论：完好，未发现问题 (clean)" if total == 0 else f"结论：共 {total} 处问题")
    return "\n".join(lines) + "\n"


def _kafka(report: dict[str, Any]) -> str:
    n = report.get("kafka_messages")
    return "" if n is None else f"；Kafka 消息 {n} 条"


def _projection(report: dict[str, Any]) -> str:
    n = report.get("projection_streams")
    return "" if n is None else f"；投影中 {n} 个流"
